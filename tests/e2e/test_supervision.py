#!/usr/bin/python3
"""test_supervision.py -- `./run` keeps the stack up as a service manager would: whatever
component dies (the engine, nginx, the SMTP sink, the PostgreSQL postmaster, each killed with
SIGKILL) is started again by Stack.supervise(), logged in log/supervisor.log, and the pages
answer again without a manual step; a mail queued while the sink was dead is delivered.
GET /healthz answers 200 while the engine can reach its database, 503 when it cannot."""

import os
import signal
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from stack import Stack  # noqa: E402


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def wait_for(pred, timeout=90, interval=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = pred()
        if value:
            return value
        time.sleep(interval)
    return pred()


class SupervisionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = Stack(serve_args=("--mail-retry", "1"))
        cls.stack.start()
        cls.addClassCleanup(cls.stack.stop)
        cls.stop_event = threading.Event()
        cls.supervisor = threading.Thread(target=cls.stack.supervise, args=(cls.stop_event,),
                                          daemon=True)
        cls.supervisor.start()

        def end():
            cls.stop_event.set()
            cls.supervisor.join(60)
        cls.addClassCleanup(end)     # runs before stop(): nothing is started while stopping

    def kill_and_see_it_back(self, name):
        s = self.stack
        old = s._proc(name).popen.pid
        os.kill(old, signal.SIGKILL)
        t0 = time.monotonic()
        def running_anew():
            p = s._proc(name)
            return p is not None and p.popen.pid != old and p.popen.poll() is None
        back = wait_for(running_anew)
        self.assertTrue(back, f"{name} was not started again")
        self.assertTrue(wait_for(lambda: status(s.url + "/login") == 200),
                        f"the login page does not answer after {name} was killed")
        new = s._proc(name).popen.pid
        log = wait_for(lambda: (lambda t: t if f"{name} runs again (pid {new})" in t else None)(
            (s.logdir / "supervisor.log").read_text()), timeout=30)
        self.assertTrue(log, f"supervisor.log does not say that {name} runs again")
        self.assertIn(f"{name} (pid {old}) exited with status -9; starting it again", log)
        return time.monotonic() - t0

    def test_1_engine(self):
        self.assertEqual(status(self.stack.url + "/login"), 200)
        took = self.kill_and_see_it_back("engine")
        print(f"# engine back after {took:.1f} s")

    def test_2_nginx_keeps_its_port(self):
        port = self.stack.port
        self.kill_and_see_it_back("nginx")
        self.assertEqual(self.stack.port, port)

    def test_3_postgres_and_the_engine_reconnects(self):
        took = self.kill_and_see_it_back("postgres")
        # Every thread reconnects: a run of pages that read the database all answer.
        for _ in range(8):
            self.assertEqual(status(self.stack.url + "/login"), 200)
        self.assertEqual(self.stack.psql("SELECT 1"), [("1",)])
        print(f"# PostgreSQL back after {took:.1f} s")

    def test_4_smtp_sink_and_mail_still_arrives(self):
        s = self.stack
        self.kill_and_see_it_back("smtp-sink")
        s.psql("INSERT INTO outbox (recipient, subject, body) "
               "VALUES ('x@example.org', 'after the sink came back', 'hello')")
        mail = s.wait_mail(lambda m: m["Subject"] == "after the sink came back", timeout=60)
        self.assertEqual(mail.get_content().strip(), "hello")

    def test_5_healthz_says_whether_the_database_answers(self):
        s = self.stack
        with urllib.request.urlopen(s.url + "/healthz", timeout=5) as r:
            self.assertEqual((r.status, r.read()), (200, b"ok\n"))
        # No new connection to the database, and the existing ones dropped: the engine
        # cannot serve, and says so to whoever watches it.
        s.psql("ALTER DATABASE imiflow ALLOW_CONNECTIONS false", db="postgres")
        try:
            s.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = 'imiflow'", db="postgres")
            self.assertEqual(wait_for(lambda: status(s.url + "/healthz") == 503, 20), True)
        finally:
            s.psql("ALTER DATABASE imiflow ALLOW_CONNECTIONS true", db="postgres")
        self.assertTrue(wait_for(lambda: status(s.url + "/healthz") == 200, 20))

    def test_6_stop_stops_what_was_started_again(self):
        s = self.stack
        pids = [p.popen.pid for p in s.procs]
        self.assertEqual(len(pids), 4, [p.name for p in s.procs])
        self.assertTrue(all(p.popen.poll() is None for p in s.procs))


if __name__ == "__main__":
    tap.main()
