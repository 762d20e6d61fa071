#!/usr/bin/python3
"""test_deploy.py -- `imiflow deploy` against a real PostgreSQL: versions only when the content
changed, all or nothing, and the history table refuses updates and deletes."""

import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from stack import Stack, StackError  # noqa: E402

WF = Path(__file__).resolve().parents[1] / "workflows"


class DeployTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = Stack()
        cls.stack.start()
        cls.addClassCleanup(cls.stack.stop)
        # The stack deployed the product's own definitions; these tests count only theirs.
        cls.shipped = {n for (n,) in cls.stack.psql("SELECT DISTINCT name FROM wf_definitions")}
        cls.tmp = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)

    def deploy(self, *files):
        return self.stack.run_imiflow("deploy", *map(str, files), check=False)

    def versions(self):
        return [(n, v) for n, v in self.stack.psql(
            "SELECT name, version FROM wf_definitions ORDER BY name, version")
            if n not in self.shipped]

    def test_1_first_deploy_is_version_1(self):
        r = self.deploy(WF / "good" / "toy.xml")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("toy: version 1 deployed", r.stdout)
        self.assertEqual(self.versions(), [("toy", "1")])

    def test_2_same_content_is_unchanged(self):
        r = self.deploy(WF / "good" / "toy.xml")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("toy: unchanged (version 1)", r.stdout)
        self.assertEqual(self.versions(), [("toy", "1")])

    def test_3_changed_content_is_the_next_version(self):
        r = self.deploy(WF / "good" / "toy-v2.xml")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("toy: version 2 deployed", r.stdout)
        self.assertEqual(self.versions(), [("toy", "1"), ("toy", "2")])
        stored = self.stack.psql("SELECT content FROM wf_definitions WHERE version = 2")[0][0]
        self.assertEqual(stored, (WF / "good" / "toy-v2.xml").read_text())

    def test_4_one_bad_file_deploys_nothing(self):
        other = self.tmp / "other.xml"
        other.write_text((WF / "good" / "toy.xml").read_text()
                         .replace('name="toy"', 'name="other"'))
        r = self.deploy(other, WF / "bad" / "06-unknown-target.xml")
        self.assertEqual(r.returncode, 1)
        self.assertIn("06-unknown-target.xml:8: transition", r.stderr)
        self.assertIn("nothing deployed", r.stderr)
        self.assertEqual(self.versions(), [("toy", "1"), ("toy", "2")])
        r = self.deploy(other)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(("other", "1"), self.versions())

    def test_5_history_is_append_only(self):
        s = self.stack
        s.bootstrap()
        iid = s.psql("INSERT INTO wf_instances (definition, version, state) VALUES ('toy', 1, 'draft')"
                     " RETURNING id")[0][0]
        s.psql("INSERT INTO wf_history (instance_id, seq, event, to_state, actor_kind) "
               "VALUES ($1, 1, 'start', 'draft', 'system')", iid)
        with self.assertRaises(StackError):
            s.psql("UPDATE wf_history SET event = 'forged' WHERE instance_id = $1", iid)
        with self.assertRaises(StackError):
            s.psql("DELETE FROM wf_history")
        self.assertEqual(s.psql("SELECT event FROM wf_history WHERE instance_id = $1", iid),
                         [("start",)])

    def test_6_help(self):
        r = self.stack.run_imiflow("deploy", "--help", common=False)
        self.assertEqual(r.returncode, 0)
        self.assertIn("usage: imiflow deploy", r.stdout)


if __name__ == "__main__":
    tap.main()
