#!/usr/bin/python3
"""test_smtp_tls.py -- mail to an SMTP server that is not this machine goes inside TLS with a
verified certificate (ASVS 5.0 12.3.2; engine/mail/mail.c mail_tls_init, engine/wf/worker.c).

* `imiflow worker` and `imiflow serve` refuse to start with --smtp naming another host unless
  --smtp-starttls is given;
* with --smtp-starttls, a server whose certificate the CA file (--smtp-ca-file) does not
  trust, or that names another host, or that offers no STARTTLS, gets nothing: the mail stays
  in the outbox with the reason in last_error;
* a server with a trusted certificate for its address gets the mail, over TLS 1.2 (libesmtp
  1.1.0 stalls on TLS 1.3's session tickets: mail.c mail_tls_init).

The SMTP server is aiosmtpd in this process, with STARTTLS and certificates made here by
openssl(1); the database is a private cluster (tests/lib/stack.py start_database).

    /usr/bin/python3 tests/e2e/test_smtp_tls.py
"""

import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from stack import Stack, free_port  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402


class Collect:
    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        ssl_object = (session.ssl or {}).get("ssl_object")
        self.mails.append((envelope.rcpt_tos, session.ssl is not None, envelope.content,
                           ssl_object.version() if ssl_object is not None else None))
        return "250 OK"


def certificate(dirname, name, san):
    """A self-signed certificate and key for san ("IP:127.0.0.1"), its common name the same
    (libesmtp 1.1.0 checks the name once more after OpenSSL, by common name and dNSName, so
    an address must be in both); (cert path, key path)."""
    cert, key = os.path.join(dirname, name + ".pem"), os.path.join(dirname, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", key, "-out", cert, "-subj", f"/CN={san.split(':', 1)[1]}",
                    "-addext", f"subjectAltName={san}"],
                   check=True, capture_output=True)
    return cert, key


class SmtpTlsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="imiflow-smtp-tls-")
        cls.addClassCleanup(shutil.rmtree, cls.dir, ignore_errors=True)
        cls.stack = s = Stack()
        s.start_database()
        cls.addClassCleanup(s.stop)
        cls.good = certificate(cls.dir, "good", "IP:127.0.0.1")
        cls.other = certificate(cls.dir, "other", "IP:127.0.0.1")
        cls.misnamed = certificate(cls.dir, "misnamed", "DNS:mail.example.org")
        cls.sinks = {}
        for name, cert in (("good", cls.good), ("misnamed", cls.misnamed), ("plain", None)):
            ctx = None
            if cert is not None:
                ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                ctx.load_cert_chain(*cert)
            handler = Collect()
            c = Controller(handler, hostname="127.0.0.1", port=free_port(),
                           tls_context=ctx, require_starttls=ctx is not None)
            c.start()
            cls.addClassCleanup(c.stop)
            cls.sinks[name] = (c, handler)

    def worker(self, *args, wait_for=None, timeout=30):
        """Runs `imiflow worker ARGS` until wait_for() is true (or it exits); its output."""
        argv = [str(self.stack.binary), "worker", "--db", self.stack.conninfo, "--datadir",
                str(self.stack.datadir), "--mail-retry", "3600", *args]
        out = os.path.join(self.dir, "worker.log")
        with open(out, "w") as log:
            p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + timeout
                while p.poll() is None and time.monotonic() < deadline:
                    if wait_for is not None and wait_for():
                        break
                    time.sleep(0.2)
            finally:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
                    p.wait(timeout=30)
        with open(out) as f:
            return p.returncode, f.read()

    def queue(self, to):
        return int(self.stack.psql(
            "INSERT INTO outbox (recipient, subject, body) VALUES ($1, 'Temporary password',"
            " 'Your temporary password is in here.') RETURNING id", to)[0][0])

    def row(self, oid):
        sent, error, attempts = self.stack.psql(
            "SELECT sent_at IS NOT NULL, coalesce(last_error, ''), attempts"
            " FROM outbox WHERE id = $1", oid)[0]
        return sent == "t", error, int(attempts)

    def port(self, name):
        return self.sinks[name][0].port

    def test_1_another_host_needs_starttls(self):
        rc, out = self.worker("--smtp", "mail.example.org:25")
        self.assertNotEqual(rc, 0)
        self.assertIn("mail.example.org is not this machine: give --smtp-starttls", out)
        r = subprocess.run([str(self.stack.binary), "serve", "--db", self.stack.conninfo,
                            "--datadir", str(self.stack.datadir), "--listen", "127.0.0.1:1",
                            "--smtp", "mail.example.org:25"],
                           capture_output=True, text=True, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--smtp-starttls", r.stdout + r.stderr)

    def test_2_an_untrusted_misnamed_or_plain_server_gets_nothing(self):
        cases = (("good", self.other[0], "certificate"),      # a CA that did not sign it
                 ("misnamed", self.misnamed[0], "certificate"),  # trusted, for another name
                 ("plain", self.good[0], ""))                # no STARTTLS offered
        for sink, ca, _ in cases:
            oid = self.queue(f"{sink}@example.org")
            rc, out = self.worker("--smtp", f"127.0.0.1:{self.port(sink)}", "--smtp-starttls",
                                  "--smtp-ca-file", ca,
                                  wait_for=lambda: self.row(oid)[2] > 0)
            sent, error, attempts = self.row(oid)
            self.assertFalse(sent, (sink, out))
            self.assertGreater(attempts, 0, (sink, out))
            self.assertTrue(error, (sink, out))
            self.assertEqual(self.sinks[sink][1].mails, [], sink)
            self.stack.psql("UPDATE outbox SET failed_at = now() WHERE id = $1", oid)

    def test_3_a_trusted_server_gets_the_mail_over_tls(self):
        oid = self.queue("dorte@example.dk")
        rc, out = self.worker("--smtp", f"127.0.0.1:{self.port('good')}", "--smtp-starttls",
                              "--smtp-ca-file", self.good[0],
                              wait_for=lambda: self.row(oid)[0])
        self.assertEqual(self.row(oid)[:2], (True, ""), out)
        mails = self.sinks["good"][1].mails
        self.assertEqual(len(mails), 1, out)
        self.assertEqual(mails[0][:2], (["dorte@example.dk"], True))
        self.assertIn(b"Your temporary password is in here.", mails[0][2])
        # TLS 1.2, not 1.3: libesmtp 1.1.0 stalls on a TLS 1.3 server's session tickets when
        # they arrive before its EHLO is written (engine/mail/mail.c mail_tls_init); this
        # test failed so about one run in ten under load before.
        self.assertEqual(mails[0][3], "TLSv1.2")


if __name__ == "__main__":
    tap.main()
