#!/usr/bin/python3
"""test_headers.py -- headers and options (issue 12, point 10).  Every response carries
Permissions-Policy and Cross-Origin-Opener-Policy with the other security headers, exactly
once: pages, the engine's error pages, static files, and the errors nginx answers itself (413,
429).  `./run` passes engine options through: tests/lib/stack.py hands everything after "--" to
`imiflow serve`, so `./run -- --cookie-secure --links-login` marks cookies Secure and the
engine runs with both."""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib")
sys.path.insert(0, LIB)
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from stack import Stack, free_port  # noqa: E402

STACK = os.path.join(LIB, "stack.py")
EXPECTED = {
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                          "accelerometer=(), gyroscope=(), magnetometer=(), display-capture=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


class HeadersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # One POST /login a minute, one above it: the third is nginx's own 429.
        cls.stack = s = Stack(login_rate="1r/m", login_burst=1)
        s.start()
        cls.addClassCleanup(s.stop)

    def raw(self, method, path, headers=None):
        """One request on its own connection; (status, headers as a list of pairs)."""
        c = http.client.HTTPConnection("127.0.0.1", self.stack.port, timeout=20)
        try:
            c.putrequest(method, path)
            for k, v in (headers or {}).items():
                c.putheader(k, v)
            c.endheaders()
            r = c.getresponse()
            r.read()
            return r.status, r.getheaders()
        finally:
            c.close()

    def assert_headers(self, what, status, headers, want_status):
        self.assertEqual(status, want_status, what)
        for name, value in EXPECTED.items():
            got = [v for k, v in headers if k.lower() == name.lower()]
            self.assertEqual(got, [value], f"{what}: {name}")
        self.assertEqual(len([v for k, v in headers if k.lower() == "content-security-policy"]),
                         1, what)

    def test_01_pages_and_static_files(self):
        self.assert_headers("GET /login", *self.raw("GET", "/login"), 200)
        self.assert_headers("GET / (to the login page)", *self.raw("GET", "/"), 303)
        self.assert_headers("GET /static/imiflow.css", *self.raw("GET", "/static/imiflow.css"),
                            200)

    def test_02_error_responses(self):
        # The engine's error pages.
        self.assert_headers("GET /no-such-page", *self.raw("GET", "/no-such-page"), 404)
        self.assert_headers("DELETE /login", *self.raw("DELETE", "/login"), 405)
        self.assert_headers("POST /workflows without a CSRF token",
                            *self.raw("POST", "/workflows/x/start",
                                      {"Content-Length": "0"}), 403)
        # nginx's own: a body far above any limit is refused before it is read, and the login
        # rate limit.
        self.assert_headers("POST with a 1 GiB body",
                            *self.raw("POST", "/login", {"Content-Length": str(1 << 30),
                                                         "Content-Type": "text/plain"}), 413)
        b = Browser(self.stack.url)
        b.get("/login")
        statuses = []
        for _ in range(4):
            r = b.post("/login", {"username": "x", "password": "y",
                                  "csrf": b.cookie("imiflow_login")})
            statuses.append(r.status)
            if r.status == 429:
                self.assert_headers("POST /login over the rate", r.status,
                                    list(r.headers.items()), 429)
        self.assertIn(429, statuses)


class RunOptionsTest(unittest.TestCase):
    """tests/lib/stack.py (what ./run calls) passes the options after "--" to the engine."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="imiflow-options-")
        os.chmod(cls.dir, 0o711)            # PostgreSQL's user passes through to var/
        cls.out_path = os.path.join(cls.dir, "run.out")
        cls.out = open(cls.out_path, "w+")
        cls.addClassCleanup(cls.cleanup)
        cls.proc = subprocess.Popen(
            [sys.executable, STACK, "--dir", os.path.join(cls.dir, "var"), "--port",
             str(free_port()), "--foreground", "--", "--cookie-secure", "--links-login"],
            stdout=cls.out, stderr=subprocess.STDOUT)
        started = time.monotonic()
        while "Press Ctrl-C" not in cls.output():
            if cls.proc.poll() is not None or time.monotonic() - started > 120:
                raise AssertionError("the stack did not start:\n" + cls.output()[-3000:])
            time.sleep(0.2)
        cls.url = re.search(r"imiflow is running at (\S+)/", cls.output()).group(1)

    @classmethod
    def output(cls):
        with open(cls.out_path) as f:
            return f.read()

    @classmethod
    def cleanup(cls):
        if cls.proc.poll() is None:
            cls.proc.send_signal(signal.SIGTERM)
            try:
                cls.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                cls.proc.kill()
                cls.proc.wait()
        cls.out.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_engine_options_pass_through(self):
        self.assertIn("engine options:      --cookie-secure --links-login", self.output())
        # The engine was started with them...
        log = open(os.path.join(self.dir, "var", "log", "engine.log")).read()
        start = [l for l in log.splitlines() if l.startswith("---- ") and " serve " in l][-1]
        self.assertTrue(start.endswith(" --cookie-secure --links-login"), start)
        # ...and acts on them: the cookie the login page sets is Secure, and so named with
        # the __Host- prefix (engine/web/session.h).
        r = Browser(self.url).get("/login")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.set_cookie("__Host-imiflow_login").secure, r.header("Set-Cookie"))


if __name__ == "__main__":
    tap.main()
