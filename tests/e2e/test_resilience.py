#!/usr/bin/python3
"""test_resilience.py -- the stack survives what production throws at it: a mail server
that is down (nothing lost, mail flows once it is back), database connections that are
killed (threads reconnect), a separate `imiflow worker` process, and SIGTERM (the engine
exits 0)."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from stack import Stack, temporary_password  # noqa: E402


def wait_for(pred, timeout=20, interval=0.2):
    end = time.time() + timeout
    while time.time() < end:
        value = pred()
        if value:
            return value
        time.sleep(interval)
    return pred()


class ResilienceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # One second before the first retry: the test waits for retries, not minutes.
        cls.stack = Stack(serve_args=("--mail-retry", "1"))
        cls.stack.start()
        cls.addClassCleanup(cls.stack.stop)

    def outbox(self):
        return self.stack.psql("SELECT attempts, sent_at IS NOT NULL, last_error FROM outbox "
                               "ORDER BY id")

    def test_1_mail_waits_while_smtp_is_down_and_flows_after(self):
        s = self.stack
        s.stop_sink()
        user = s.bootstrap()
        self.assertTrue(user)
        # The worker tries, fails, and keeps the mail.
        rows = wait_for(lambda: [r for r in self.outbox() if int(r[0]) >= 2])
        self.assertTrue(rows, self.outbox())
        attempts, sent, error = rows[0]
        self.assertEqual(sent, "f")
        self.assertTrue(error, "the failure is recorded")
        self.assertEqual(s.mails(), [])
        s.restart_sink()
        mail = s.wait_mail(lambda m: "temporary password" in m["Subject"], timeout=60)
        self.assertTrue(temporary_password(mail))
        self.assertEqual(self.outbox()[-1][1], "t")
        self.assertEqual(len(s.mails()), 1, "delivered exactly once")

    def test_2_threads_reconnect_after_the_database_drops_them(self):
        s = self.stack
        b = Browser(s.url)
        self.assertEqual(b.get("/login").status, 200)
        killed = s.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = 'imiflow' AND pid <> pg_backend_pid()")
        self.assertGreaterEqual(int(killed[0][0]), 1)
        # Every thread's next request still answers, on a new connection.
        for _ in range(12):
            self.assertEqual(b.get("/login").status, 200)

    def test_3_worker_process_delivers(self):
        s = self.stack
        before = len(s.mails())
        s.psql("INSERT INTO outbox (recipient, subject, body) "
               "VALUES ('x@example.org', 'worker test', 'hello')")
        r = s.run_imiflow("worker", "--once")
        self.assertEqual(r.returncode, 0, r.stderr)
        mail = s.wait_mail(lambda m: m["Subject"] == "worker test", timeout=20)
        self.assertEqual(mail.get_content().strip(), "hello")
        self.assertEqual(len(s.mails()), before + 1)

    def test_4_help_for_every_subcommand(self):
        for sub in ("serve", "worker", "migrate", "bootstrap"):
            r = self.stack.run_imiflow(sub, "--help", common=False)
            self.assertEqual(r.returncode, 0, sub)
            self.assertIn("usage: imiflow " + sub, r.stdout)

    def test_5_migrate_twice_changes_nothing(self):
        r = self.stack.run_imiflow("migrate")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 migrations applied", r.stdout)

    def test_6_sigterm_exits_cleanly(self):
        self.stack.stop()
        self.assertEqual(self.stack.exit_codes.get("engine"), 0, self.stack.exit_codes)


if __name__ == "__main__":
    tap.main()
