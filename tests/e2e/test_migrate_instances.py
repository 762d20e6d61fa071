#!/usr/bin/python3
"""test_migrate_instances.py -- `imiflow migrate-instances` (issue 19 §4) on a private PostgreSQL
with two deployed versions of "toy": version 1 (tests/workflows/good/toy.xml) and version 2
(tests/workflows/migrate/toy-renamed.xml, which renames "submitted" to "in-review" and drops
"reminded" with its timer "reminder").

A refused mapping (schema, a target state the new version lacks, a populated state left out) is
named FILE:LINE and changes nothing; a dry run prints what would move and changes nothing; the
real run moves every instance in one go: new version and state, one history row each (event
"migrate", actor system), data kept, the timer the new state has no transition for cancelled, the
other kept -- and the worker then fires that kept timer on the new version."""

import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from stack import DATADIR, Stack  # noqa: E402

WF = Path(__file__).resolve().parents[1] / "workflows"
MIGRATE = WF / "migrate"
GOOD_MAP = MIGRATE / "toy-1-to-renamed.xml"

# state -> how many instances of version 1 the test puts there
POPULATION = {"draft": 2, "submitted": 3, "reminded": 1, "approved": 1}


class MigrateInstancesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = Stack()
        cls.failed = False
        try:
            cls.stack.start_database()
            cls.imiflow("deploy", WF / "good" / "toy.xml")
            cls.imiflow("deploy", MIGRATE / "toy-renamed.xml")
            cls.populate()
        except BaseException:
            cls.stack.stop(failed=True)
            raise

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop(failed=cls.failed)

    def run(self, result=None):
        result = super().run(result)
        if result is not None and not result.wasSuccessful():
            type(self).failed = True
        return result

    @classmethod
    def imiflow(cls, *args, check=True):
        return cls.stack.run_imiflow(args[0], "--db", cls.stack.conninfo, "--datadir", DATADIR,
                                     "--smtp", "127.0.0.1:9", *args[1:], common=False, check=check)

    @classmethod
    def populate(cls):
        """Instances of version 1 as the engine leaves them: a start history row (seq 1), a
        submit (seq 2) for those past draft, the two timers submit starts, a data field each."""
        for state, n in POPULATION.items():
            for k in range(n):
                cls.stack.psql(
                    "WITH i AS (INSERT INTO wf_instances (definition, version, state, rev, data)"
                    " VALUES ('toy', 1, $1, CASE WHEN $1 = 'draft' THEN 1 ELSE 2 END,"
                    " jsonb_build_object('title', $2::text, 'priority', 'urgent')) RETURNING id, rev),"
                    " h1 AS (INSERT INTO wf_history (instance_id, seq, event, from_state, to_state,"
                    "  actor_kind) SELECT id, 1, 'start', NULL, 'draft', 'system' FROM i),"
                    " h2 AS (INSERT INTO wf_history (instance_id, seq, event, from_state, to_state,"
                    "  actor_kind) SELECT id, 2, 'submit', 'draft', $1, 'system' FROM i"
                    "  WHERE $1 <> 'draft'),"
                    " t AS (INSERT INTO wf_timers (instance_id, name, event, state, due_at)"
                    "  SELECT id, x.name, x.event, 'submitted', now() + interval '1 day'"
                    "  FROM i, (VALUES ('reminder', 'remind'), ('deadline', 'expire')) x(name, event)"
                    "  WHERE $1 = 'submitted')"
                    " SELECT 1", state, f"{state} {k}")

    def snapshot(self):
        return (self.stack.psql("SELECT id, definition, version, state, rev, data::text"
                                " FROM wf_instances ORDER BY id"),
                self.stack.psql("SELECT id, instance_id, seq, event, from_state, to_state"
                                " FROM wf_history ORDER BY id"),
                self.stack.psql("SELECT id, state, fired_at IS NULL, cancelled_at IS NULL"
                                " FROM wf_timers ORDER BY id"))

    def migrate(self, mapfile, *extra):
        return self.imiflow("migrate-instances", "--from", "toy:1", "--to", "2",
                            "--map", mapfile, *extra, check=False)

    # Named so they run in this order: the refusals and the dry run before the real run.

    def test_1_bad_mapping_refused_with_file_line(self):
        before = self.snapshot()
        bad = WF / "bad" / "85-instance-map-schema.xml"
        r = self.migrate(bad)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{bad}:4: schema:", r.stderr)
        r = self.migrate(MIGRATE / "toy-unknown-target.xml")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{MIGRATE / 'toy-unknown-target.xml'}:5: \"submitted\" is not a state "
                      f"of toy version 2", r.stderr)
        self.assertEqual(self.snapshot(), before)

    def test_2_populated_state_unmapped_refused(self):
        before = self.snapshot()
        path = MIGRATE / "toy-unmapped.xml"
        r = self.migrate(path)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{path}:3: state \"submitted\" holds 3 instances of toy version 1 and is "
                      f"not mapped", r.stderr)
        self.assertIn("nothing changed", r.stderr)
        self.assertEqual(self.snapshot(), before)

    def test_3_dry_run_changes_nothing(self):
        before = self.snapshot()
        r = self.migrate(GOOD_MAP, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = r.stdout
        self.assertIn("dry run", out)
        self.assertIn("  submitted -> in-review: 3 instances; timers cancelled: reminder (3); "
                      "kept: deadline (3); restarted: none", out)
        self.assertIn("  reminded -> in-review: 1 instance; timers cancelled: none; kept: none",
                      out)
        self.assertIn("  draft -> draft: 2 instances;", out)
        self.assertIn("7 instances would move", out)
        self.assertEqual(self.snapshot(), before)

    def test_4_real_run_moves_keeps_data_writes_history(self):
        before = {row[0]: row for row in self.snapshot()[0]}
        r = self.migrate(GOOD_MAP)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("7 instances moved", r.stdout)
        to = {"draft": "draft", "submitted": "in-review", "reminded": "in-review",
              "approved": "approved"}
        after = {row[0]: row for row in self.snapshot()[0]}
        self.assertEqual(set(after), set(before))
        for iid, (_, definition, version, state, rev, data) in after.items():
            old = before[iid]
            self.assertEqual((definition, version), ("toy", "2"))
            self.assertEqual(state, to[old[3]])
            self.assertEqual(int(rev), int(old[4]) + 1)
            self.assertEqual(data, old[5], "the data stays as it was")
            hist = self.stack.psql(
                "SELECT seq, event, from_state, to_state, actor_kind, actor_user_id,"
                " inputs->>'from-version', inputs->>'to-version' FROM wf_history"
                " WHERE instance_id = $1 AND event = 'migrate'", iid)
            self.assertEqual(hist, [(rev, "migrate", old[3], state, "system", None, "1", "2")])
        self.assertEqual(self.stack.psql("SELECT count(*) FROM wf_history WHERE event = 'migrate'"),
                         [(str(sum(POPULATION.values())),)])
        self.assertEqual(self.stack.psql("SELECT count(*) FROM wf_instances WHERE version = 1"),
                         [("0",)])
        # "reminder" fires "remind", which in-review has no transition for: cancelled.
        # "deadline" fires "expire", which it has: kept, now in-review, due as before.
        timers = self.stack.psql("SELECT name, state, cancelled_at IS NOT NULL, count(*)"
                                 " FROM wf_timers GROUP BY 1, 2, 3 ORDER BY 1")
        self.assertEqual(timers, [("deadline", "in-review", "f", "3"),
                                  ("reminder", "submitted", "t", "3")])

    def test_5_kept_timer_fires_on_the_new_version(self):
        iid = self.stack.psql("SELECT instance_id FROM wf_timers WHERE name = 'deadline'"
                              " ORDER BY id LIMIT 1")[0][0]
        self.stack.psql("UPDATE wf_timers SET due_at = now() - interval '1 minute'"
                        " WHERE instance_id = $1 AND name = 'deadline'", iid)
        self.imiflow("worker", "--once")
        self.assertEqual(self.stack.psql("SELECT state, version FROM wf_instances WHERE id = $1",
                                         iid), [("draft", "2")])
        self.assertEqual(self.stack.psql(
            "SELECT event, from_state, to_state FROM wf_history WHERE instance_id = $1"
            " ORDER BY seq DESC LIMIT 1", iid), [("expire", "in-review", "draft")])

    def test_6_help_and_usage(self):
        r = self.stack.run_imiflow("migrate-instances", "--help", common=False)
        self.assertIn("usage: imiflow migrate-instances --from NAME:OLD --to NEW --map FILE", r.stdout)
        r = self.imiflow("migrate-instances", "--from", "toy", "--to", "2", check=False)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    tap.main()
