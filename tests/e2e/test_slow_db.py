#!/usr/bin/python3
"""test_slow_db.py -- a slow database does not stop the site (issue 12, point 9).

A psql session holds an ACCESS EXCLUSIVE lock on a table, as a long migration or a VACUUM FULL
would.  With the engine's defaults (--db-lock-timeout 2000, --db-statement-timeout 5000):

* a page that reads the locked table answers 503 with a rendered page within the lock
  timeout, not when the lock goes;
* pages that need no database (the login form, an error page) answer at once, even while
  more requests than the engine has threads wait for the lock, and even with a session cookie
  whose lookup would wait;
* the worker thread gives up on a locked outbox after the lock timeout and delivers once the
  lock is gone;
* with --db-lock-timeout 0 --db-statement-timeout 1500 a lock wait is cut by the statement
  timeout instead (the options are read).

    /usr/bin/python3 tests/e2e/test_slow_db.py
"""

import concurrent.futures
import contextlib
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from people import first_sign_in  # noqa: E402
import stack as stacklib  # noqa: E402
from stack import Stack  # noqa: E402

SESSION = "imiflow_session"
LOCKER = "imiflow-test-locker"
HOLD = 15           # seconds a lock is held at most; far beyond every timeout


@contextlib.contextmanager
def table_locked(stack, table, seconds=HOLD):
    """Holds an ACCESS EXCLUSIVE lock on table in a psql session of its own until the block
    ends (or seconds pass)."""
    argv = [str(stacklib.PGBIN / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
            "-h", str(stack.pg_sockdir), "-p", str(stacklib.PGPORT), "-U", "imiflow",
            "-d", "imiflow"]
    script = (f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; "
              f"SELECT pg_sleep({seconds}); COMMIT;\n")
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, text=True, cwd="/",
                         env=dict(os.environ, PGAPPNAME=LOCKER))
    try:
        p.stdin.write(script)
        p.stdin.close()
        deadline = time.monotonic() + 10
        while not stack.psql("SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                             " WHERE a.application_name = $1 AND l.granted"
                             " AND l.mode = 'AccessExclusiveLock'"
                             " AND l.relation = $2::regclass", LOCKER, table):
            if time.monotonic() > deadline or p.poll() is not None:
                raise AssertionError(f"the lock on {table} was not taken")
            time.sleep(0.05)
        yield
    finally:
        # The backend sleeps and would keep the lock after psql went: end it.
        stack.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                   " WHERE application_name = $1", LOCKER)
        p.wait(timeout=10)


def timed(f, *args):
    t = time.monotonic()
    r = f(*args)
    return r, time.monotonic() - t


def as_signed_in(stack, b):
    c = Browser(stack.url)
    c.set_cookie(SESSION, b.cookie(SESSION))
    return c


class SlowDatabaseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")

    def assert_503_page(self, r):
        self.assertEqual(r.status, 503, r.describe(500))
        self.assertEqual(r.html().main_status(), "503", r.describe(500))
        self.assertIn("did not answer in time", r.text)
        self.assertTrue(r.header("Retry-After"), r.describe(300))

    def test_1_a_page_on_a_locked_table_answers_503_within_the_lock_timeout(self):
        with table_locked(self.stack, "requests"):
            r, took = timed(self.hd.get, "/requests")
            self.assert_503_page(r)
            self.assertLess(took, 4.5)
            # and the thread is free again: the next page that needs no lock is served
            self.assertEqual(self.hd.get("/profile").status, 200)
        self.assertEqual(self.hd.get("/requests").status, 200)
        log = (self.stack.logdir / "engine.log").read_text(errors="replace")
        self.assertIn("timed out", log)

    def test_2_the_login_form_does_not_wait_behind_pages_that_do(self):
        waiting = 2 * int(self.stack.threads)      # more than there are threads
        with table_locked(self.stack, "requests"):
            with concurrent.futures.ThreadPoolExecutor(waiting) as pool:
                slow = [pool.submit(timed, as_signed_in(self.stack, self.hd).get, "/requests")
                        for _ in range(waiting)]
                time.sleep(0.3)
                r, took = timed(Browser(self.stack.url).get, "/login")
                self.assertEqual(r.status, 200, r.describe(300))
                self.assertLess(took, 1.8, "GET /login waited for the locked table")
                results = [f.result() for f in slow]
            for r, took in results:
                self.assert_503_page(r)
                self.assertLess(took, 10)

    def test_3_with_a_session_cookie_too(self):
        # the session lookup reads users: the login form and an error page give up on it fast
        with table_locked(self.stack, "users"):
            b = as_signed_in(self.stack, self.hd)
            r, took = timed(b.get, "/login")
            self.assertEqual(r.status, 200, r.describe(300))
            self.assertEqual(r.html().main_status(), "200")
            self.assertLess(took, 1.5)
            r, took = timed(b.get, "/no-such-page")
            self.assertEqual(r.status, 404, r.describe(300))
            self.assertLess(took, 1.5)
            # a page that needs the session answers 503 in time
            r, took = timed(b.get, "/")
            self.assert_503_page(r)
            self.assertLess(took, 4.5)
        self.assertEqual(self.hd.get("/").status, 200)

    def test_4_the_worker_gives_up_on_a_locked_outbox_and_goes_on(self):
        log = self.stack.logdir / "engine.log"
        with table_locked(self.stack, "outbox"):
            deadline = time.monotonic() + 8
            while "worker_claim: timed out" not in log.read_text(errors="replace"):
                self.assertLess(time.monotonic(), deadline, "the worker never timed out")
                # The worker sleeps until something is due or a NOTIFY comes (no polling):
                # wake it, as a mail written elsewhere would, so it meets the lock.
                self.stack.psql("NOTIFY imiflow_outbox")
                time.sleep(0.5)
        self.stack.assert_running()
        self.stack.psql("INSERT INTO outbox (recipient, subject, body)"
                        " VALUES ('after@lock.example', 'after the lock', 'delivered')")
        m = self.stack.wait_mail(lambda m: "after@lock.example" in (m["To"] or ""), timeout=15)
        self.assertEqual(m["Subject"], "after the lock")


class StatementTimeoutTest(unittest.TestCase):
    def test_statement_timeout_cuts_a_wait_the_lock_timeout_does_not(self):
        with Stack(serve_args=("--db-lock-timeout", "0", "--db-statement-timeout", "1500")) as s:
            hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
            with table_locked(s, "requests"):
                r, took = timed(hd.get, "/requests")
                self.assertEqual(r.status, 503, r.describe(500))
                self.assertLess(took, 3.5)
            log = (s.logdir / "engine.log").read_text(errors="replace")
            self.assertIn("canceling statement due to statement timeout", log)


if __name__ == "__main__":
    tap.main()
