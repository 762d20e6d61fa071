#!/usr/bin/python3
"""test_two_engines.py -- several engines and several workers on one PostgreSQL (issue 19 §2).

Two `imiflow serve --no-worker` processes sit behind one nginx upstream (two unix sockets) and
two `imiflow worker` processes share the queues.  Through nginx only, the test shows that:

1. transitions and pages are served by both engines, each committed transition in history once;
2. a definition deployed with `imiflow deploy` is used for new instances by every running
   engine within 1 s (measured: engines ask the database for the newest version at each start,
   so there is nothing to reload and nothing to notify);
3. timers fire once and mail is delivered once across the two workers;
4. killing an engine (SIGKILL) loses no page: nginx sends safe requests (GET) to the other;
   a POST that was in flight on it is answered 502 (or 503 by the other engine, whose threads all
   wait on the rows the test holds), and sending the same form again is safe
   because it carries the instance's revision: it either succeeds, once, or is refused as
   changed meanwhile (409) -- each transition is in history exactly once.
"""

import os
import re
import signal
import sys
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from people import PASSWORD, first_sign_in, signed_in  # noqa: E402
from stack import DEFAULT_BOOTSTRAP, Stack  # noqa: E402

WF = Path(__file__).resolve().parents[1] / "workflows" / "good"


class TwoEnginesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(engines=2, workers=2, login_burst=1000,
                              serve_args=["--no-worker", "--db-lock-timeout", "10000"])
        s.start()
        cls.addClassCleanup(s.stop)
        cls.username = s.bootstrap()
        first_sign_in(s, cls.username, DEFAULT_BOOTSTRAP["email"])
        r = s.run_imiflow("deploy", str(WF / "toy.xml"))
        assert "version 1 deployed" in r.stdout, r.stdout

    # helpers -----------------------------------------------------------------------------

    def browser(self):
        return signed_in(self.stack, self.username, PASSWORD)

    def start(self, b):
        r = b.post("/workflows/toy/start", {"csrf": b.get("/workflows").html().csrf()})
        self.assertEqual(r.status, 303, r.text[:300])
        return int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))

    def instance(self, b, iid):
        return b.get_xml(f"/instances/{iid}").xml().find("instance")

    def submit_form(self, b, iid):
        return {"csrf": b.get("/").html().csrf(), "rev": self.instance(b, iid).get("rev"),
                "title": f"Question {iid}", "due": "2030-01-15", "priority": "normal",
                "note": ""}

    def served(self, what):
        """{engine name: lines of its log that name what} (each engine logs every request)."""
        out = {}
        for name in ("engine", "engine-2"):
            text = (self.stack.logdir / f"{name}.log").read_text(errors="replace")
            out[name] = [l for l in text.splitlines() if what in l]
        return out

    def history_counts(self, event):
        return {int(i): int(n) for i, n in self.stack.psql(
            "SELECT instance_id, count(*) FROM wf_history WHERE event = $1 GROUP BY 1", event)}

    # tests -------------------------------------------------------------------------------

    def test_1_both_engines_serve_pages_and_transitions(self):
        b = self.browser()
        ids = [self.start(b) for _ in range(12)]
        for iid in ids:
            r = b.post(f"/instances/{iid}/fire/submit", self.submit_form(b, iid))
            self.assertEqual(r.status, 303, r.text[:300])
        for iid in ids:
            self.assertEqual(self.instance(b, iid).get("state"), "submitted")
        fired = self.served("/fire/submit 303")
        self.assertTrue(fired["engine"] and fired["engine-2"], {k: len(v) for k, v in fired.items()})
        self.assertEqual(len(fired["engine"]) + len(fired["engine-2"]), len(ids))
        counts = self.history_counts("submit")
        self.assertEqual([counts.get(i) for i in ids], [1] * len(ids))

    def test_2_a_deployed_definition_reaches_every_engine_within_a_second(self):
        b = self.browser()
        before = {k: len(v) for k, v in self.served("/workflows/toy/start 303").items()}
        r = self.stack.run_imiflow("deploy", str(WF / "toy-v2.xml"))
        self.assertIn("toy: version 2 deployed", r.stdout)
        deployed = time.monotonic()
        started = []
        while time.monotonic() - deployed < 1.0 or len(started) < 4:
            iid = self.start(b)
            started.append((time.monotonic() - deployed, iid))
            if len(started) >= 10:
                break
        after = {k: len(v) for k, v in self.served("/workflows/toy/start 303").items()}
        by_engine = {k: after[k] - before[k] for k in after}
        self.assertTrue(all(n > 0 for n in by_engine.values()), by_engine)
        late = [(round(t, 3), iid) for t, iid in started if t > 1.0]
        self.assertLessEqual(len(late), len(started) - 4, f"too few starts within 1 s: {started}")
        for t, iid in started:
            self.assertEqual(self.instance(b, iid).get("version"), "2",
                             f"instance {iid} started {t:.3f} s after the deploy")
        print(f"# deploy -> version 2 on both engines: first start {started[0][0] * 1000:.0f} ms "
              f"after the deploy, {len(started)} starts by engine {by_engine}", file=sys.stderr)

    def test_3_timers_fire_once_and_mail_is_delivered_once_across_the_workers(self):
        s = self.stack
        toy = ("FROM wf_timers t JOIN wf_instances i ON i.id = t.instance_id WHERE "
               "i.definition = 'toy' AND t.name = 'reminder' AND t.fired_at IS NULL "
               "AND t.cancelled_at IS NULL")
        due = {int(i) for (i,) in s.psql("SELECT t.instance_id " + toy)}
        self.assertGreaterEqual(len(due), 12)
        s.psql("UPDATE clock SET offset_interval = '2 hours'")
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                left = s.psql("SELECT count(*) " + toy)[0][0]
                unsent = s.psql("SELECT count(*) FROM outbox WHERE sent_at IS NULL "
                                "AND failed_at IS NULL")[0][0]
                if left == "0" and unsent == "0":
                    break
                time.sleep(0.2)
            self.assertEqual((left, unsent), ("0", "0"), "timers or mail left after 60 s")
        finally:
            s.psql("UPDATE clock SET offset_interval = '0'")
        reminds = self.history_counts("remind")
        self.assertEqual({i: reminds.get(i) for i in due}, {i: 1 for i in due})
        self.assertEqual(s.psql("SELECT actor_kind, count(*) FROM wf_history WHERE event = 'remind' "
                                "GROUP BY 1"), [("system", str(len(due)))])
        # Every mail of the outbox reached the sink once: one file per Message-ID.
        outbox = {m for (m,) in s.psql("SELECT message_id FROM outbox WHERE sent_at IS NOT NULL")}
        deadline = time.monotonic() + 10
        while True:
            ids = [m["Message-ID"] for m in s.mails()]
            if set(ids) >= outbox or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(sorted(ids), sorted(set(ids)), "a mail was delivered twice")
        self.assertTrue(outbox <= set(ids), outbox - set(ids))
        work = {}
        for name in ("worker-1", "worker-2"):
            text = (s.logdir / f"{name}.log").read_text(errors="replace")
            work[name] = len(re.findall(r"(?im)^.*\b(fired|delivered|sent)\b.*$", text))
        print(f"# {len(due)} timers fired once, {len(outbox)} mails delivered once; "
              f"log lines of work per worker: {work}", file=sys.stderr)

    def test_4_killing_an_engine_loses_no_page_and_no_transition_twice(self):
        s = self.stack
        b = self.browser()
        ids = [self.start(b) for _ in range(8)]
        forms = {}
        for iid in ids:
            bi = self.browser()
            forms[iid] = (bi, self.submit_form(bi, iid))
        # Hold the instances' rows, so the POSTs below are in flight in the engines, waiting.
        holder = threading.Thread(target=s.psql, args=(
            "BEGIN; SELECT id FROM wf_instances WHERE id = ANY(string_to_array($1, ',')::bigint[]) "
            "FOR UPDATE; SELECT pg_sleep(2); COMMIT;", ",".join(map(str, ids))))
        holder.start()
        deadline = time.monotonic() + 10
        while s.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' "
                     "AND state = 'active' AND pid <> pg_backend_pid()")[0][0] == "0":
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        results = {}

        def post(iid):
            bi, form = forms[iid]
            results[iid] = bi.post(f"/instances/{iid}/fire/submit", form).status
        posts = [threading.Thread(target=post, args=(iid,)) for iid in ids]
        for t in posts:
            t.start()
        time.sleep(0.8)
        victim = s.engines[1]
        victim.popen.send_signal(signal.SIGKILL)
        victim.popen.wait()
        for t in posts:
            t.join(30)
        holder.join(30)
        print(f"# statuses with engine-2 killed in flight: {results}", file=sys.stderr)
        # 502: in flight on the killed engine.  503: the living engine refused it before writing
        # anything, all its threads waiting on the held rows (README, "Timeouts and a slow
        # database").  Both are worth sending again.
        self.assertTrue(set(results.values()) <= {303, 502, 503}, results)
        self.assertIn(502, results.values(), "no POST was in flight on the killed engine")
        self.assertIn(303, results.values(), "no POST went to the engine that lives")
        # The same form again, as a person pressing the button again would send it.
        again = {}
        for iid, status in results.items():
            if status in (502, 503):
                bi, form = forms[iid]
                again[iid] = bi.post(f"/instances/{iid}/fire/submit", form).status
                self.assertIn(again[iid], (303, 409), iid)
                # And once more: now it is surely done, so it is refused as changed meanwhile.
                r = bi.post(f"/instances/{iid}/fire/submit", form)
                self.assertEqual(r.status, 409)
                self.assertIn("changed", r.text.lower())
        print(f"# the 502s sent again: {again}", file=sys.stderr)
        counts = self.history_counts("submit")
        self.assertEqual({i: counts.get(i) for i in ids}, {i: 1 for i in ids})
        # Pages go on: every GET through nginx is answered by the engine that lives.
        for _ in range(20):
            self.assertEqual(b.get("/workflows").status, 200)
        for iid in ids:
            self.assertEqual(self.instance(b, iid).get("state"), "submitted")
        # The killed engine comes back and takes requests again (the stack's supervision).
        s._start_one_engine(2)


if __name__ == "__main__":
    tap.main()
