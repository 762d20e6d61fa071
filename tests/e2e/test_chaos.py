#!/usr/bin/python3
"""test_chaos.py -- the short form of tests/chaos/chaos.py: under a steady load of
transitions, kill -9 the engine a few times, a worker (once in the middle of an SMTP
delivery), the PostgreSQL postmaster, and stop the SMTP sink for a while; then nothing the
clients saw committed is missing, no history gap, every mail of a committed transition was
delivered (duplicates counted), no timer fired twice or stuck, the service answers.

And what the chaos found: a worker firing a due timer took the timer's row lock first and the
instance's second, while a transition on that instance takes them the other way round (it
restarts the timer), so the two deadlocked: the user's transition failed with a 500 after
PostgreSQL's deadlock_timeout.  The worker now leaves a timer whose instance is locked to a
later round."""

import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "chaos"))
import tap  # noqa: E402
import chaos  # noqa: E402
from stack import Stack, DATADIR, PGBIN, PGPORT  # noqa: E402


class ChaosShortTest(unittest.TestCase):
    def test_nothing_lost(self):
        ch = chaos.Chaos(transitions=150, kills=2, clients=3, workers=2, smtp_down=3,
                         rate=25, seed=18)
        t0 = time.monotonic()
        res = ch.run()
        print("# " + chaos.summary(res).replace("\n", "\n# "))
        print(f"# {time.monotonic() - t0:.0f} s")
        self.assertEqual(res["problems"], [])
        for x in res["scenarios"]:
            self.assertGreaterEqual(x["committed"] + x["found"], 150, x)
            self.assertEqual((x["lost"], x["mails_lost"], x["unrecovered"]), (0, 0, 0), x)
        self.assertLess(res["mid_delivery"]["seconds"], 5)
        self.assertGreater(res["timers_fired"], 0)
        self.assertEqual(res["healthz"], 200)


class Session:
    """A psql session kept open, fed one step at a time."""

    def __init__(self, s):
        self.p = subprocess.Popen(
            [str(PGBIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", str(s.pg_sockdir), "-p", str(PGPORT), "-U", "imiflow", "-d", "imiflow"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def run(self, sql):
        """The lines the SQL printed; raises when psql stopped on an error."""
        self.p.stdin.write(sql + "\n\\echo --done--\n")
        self.p.stdin.flush()
        out = []
        for line in self.p.stdout:
            if line.strip() == "--done--":
                return out
            out.append(line.rstrip("\n"))
        raise AssertionError("psql stopped: " + "\n".join(out))

    def close(self):
        self.p.stdin.close()
        self.p.wait(10)


class TimerMeetsTransitionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Stack().start_database()
        cls.addClassCleanup(cls.s.stop)
        cls.s.run_imiflow("deploy", "--db", cls.s.conninfo, "--datadir", DATADIR,
                          str(chaos.DEFINITION), common=False)

    def instance_with_due_timer(self):
        s = self.s
        iid = s.psql("INSERT INTO wf_instances (definition, version, state)"
                     " VALUES ('chaos', 1, 'running') RETURNING id")[0][0]
        s.psql("INSERT INTO wf_history (instance_id, seq, event, to_state, actor_kind)"
               " VALUES ($1, 1, 'start', 'running', 'system')", iid)
        tid = s.psql("INSERT INTO wf_timers (instance_id, name, event, state, due_at)"
                     " VALUES ($1, 'beat', 'beat', 'running', now() - interval '1 second')"
                     " RETURNING id", iid)[0][0]
        return iid, tid

    def worker_once(self):
        s = self.s
        return subprocess.Popen(
            [str(s.binary), "worker", "--once", "--db", s.conninfo, "--datadir", str(DATADIR),
             "--smtp", "127.0.0.1:9"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)

    def test_a_transition_holding_the_instance_is_not_deadlocked_by_its_timer(self):
        s = self.s
        iid, tid = self.instance_with_due_timer()
        tx = Session(s)
        try:
            # A transition has locked the instance (engine_lock) ...
            tx.run(f"BEGIN; SELECT id FROM wf_instances WHERE id = {iid} FOR UPDATE;")
            w = self.worker_once()
            time.sleep(0.5)         # the worker is at the timer meanwhile
            # ... and now restarts the timer (engine_cancel), as tick does: it must not wait
            # for the worker, nor be chosen as a deadlock victim.
            t0 = time.monotonic()
            out = tx.run(f"SET LOCAL lock_timeout = '3s'; UPDATE wf_timers SET cancelled_at ="
                         f" now() WHERE id = {tid} AND fired_at IS NULL RETURNING id;"
                         f" COMMIT;")
            waited = time.monotonic() - t0
            self.assertEqual(out, [tid])
            self.assertLess(waited, 0.5, "the transition waited for the worker")
            wout, _ = w.communicate(timeout=30)
            self.assertEqual(w.returncode, 0, wout)
        finally:
            tx.close()
        self.assertNotIn("deadlock", wout)
        # The timer was cancelled by the transition, and never fired.
        self.assertEqual(s.psql("SELECT fired_at IS NULL, cancelled_at IS NOT NULL FROM wf_timers"
                                " WHERE id = $1", tid), [("t", "t")])
        self.assertEqual(s.psql("SELECT count(*) FROM wf_history WHERE instance_id = $1"
                                " AND event = 'beat'", iid), [("0",)])

    def test_a_timer_left_for_a_locked_instance_fires_in_a_later_round(self):
        s = self.s
        iid, tid = self.instance_with_due_timer()
        tx = Session(s)
        try:
            tx.run(f"BEGIN; SELECT id FROM wf_instances WHERE id = {iid} FOR UPDATE;")
            t0 = time.monotonic()
            w = self.worker_once()
            wout, _ = w.communicate(timeout=30)
            # It did not wait for the lock: the timer is left for later, not failed.
            self.assertLess(time.monotonic() - t0, 1.5, wout)
            self.assertEqual(w.returncode, 0, wout)
            self.assertEqual(s.psql("SELECT fired_at IS NULL FROM wf_timers WHERE id = $1",
                                    tid), [("t",)])
            tx.run("COMMIT;")
        finally:
            tx.close()
        w = self.worker_once()
        wout, _ = w.communicate(timeout=30)
        self.assertEqual(w.returncode, 0, wout)
        self.assertEqual(s.psql("SELECT fired_at IS NOT NULL FROM wf_timers WHERE id = $1",
                                tid), [("t",)])
        self.assertEqual(s.psql("SELECT seq, event FROM wf_history WHERE instance_id = $1"
                                " ORDER BY seq", iid), [("1", "start"), ("2", "beat")])


if __name__ == "__main__":
    tap.main()
