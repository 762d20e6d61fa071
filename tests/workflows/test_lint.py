#!/usr/bin/python3
"""test_lint.py -- `imiflow lint` over the definition corpus: every good definition passes,
every broken one fails with exit status 1 and exactly the message its .expect file names
(FILE:LINE: substring; schema cases just "schema:"); `imiflow dot` draws a definition that
Graphviz accepts."""

import os
import shutil
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402

HERE = Path(__file__).resolve().parent
TOP = HERE.parents[1]
BIN = os.environ.get("IMIFLOW_BIN") or str(TOP / "build" / "imiflow")
DATADIR = os.environ.get("IMIFLOW_DATADIR") or str(TOP)


def imiflow(*args, input=None):
    return subprocess.run([BIN, args[0], "--datadir", DATADIR, *args[1:]], input=input,
                          capture_output=True, text=True, timeout=60)


class LintTest(unittest.TestCase):
    pass


def good_case(path):
    def test(self):
        r = imiflow("lint", str(path))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
    return test


def bad_case(path):
    def test(self):
        expect = path.with_suffix(".expect").read_text().strip()
        r = imiflow("lint", str(path))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        lines = [l for l in r.stderr.splitlines() if l]
        self.assertTrue(lines, "no finding printed")
        for l in lines:
            self.assertTrue(l.startswith(str(path) + ":"), l)
        if expect.startswith("schema:"):
            self.assertTrue(all(": schema: " in l for l in lines), lines)
            return
        line, _, text = expect.partition(": ")
        self.assertEqual(lines, [l for l in lines if l.startswith(f"{path}:{line}: {text}")],
                         f"expected exactly {path}:{line}: {text}…")
        self.assertEqual(len(lines), 1, lines)
    return test


for p in sorted((HERE / "good").glob("*.xml")):
    setattr(LintTest, "test_good_" + p.stem.replace("-", "_"), good_case(p))
for p in sorted((HERE / "bad").glob("*.xml")):
    setattr(LintTest, "test_bad_" + p.stem.replace("-", "_"), bad_case(p))


class ToolsTest(unittest.TestCase):
    def test_lint_exit_status_counts_files(self):
        r = imiflow("lint", str(HERE / "good" / "toy.xml"), str(HERE / "bad" / "03-unreachable-state.xml"))
        self.assertEqual(r.returncode, 1)

    def test_lint_list_names_the_registry(self):
        r = imiflow("lint", "--list")
        self.assertEqual(r.returncode, 0)
        for name in ("administrator", "own-authority", "helpdesk", "system", "has-comment", "log"):
            self.assertIn(name, r.stdout)

    def test_lint_without_datadir(self):
        """The schemas are compiled in: lint works from anywhere without --datadir; only the mail
        templates go unchecked, which a note says (issue 19)."""
        empty = "/nonexistent-imiflow-datadir"
        files = [str(p) for p in sorted((TOP / "workflows").glob("*.xml"))]
        files += [str(p) for p in sorted((TOP / "workflows" / "questions").glob("*.xml"))]
        r = subprocess.run([BIN, "lint", "--datadir", empty, *files], capture_output=True,
                           text=True, timeout=60, cwd="/")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("note: mail templates not checked", r.stderr)
        self.assertIn("no findings", r.stdout)
        r = subprocess.run([BIN, "lint", "--datadir", empty, str(HERE / "bad" / "01-no-initial-state.xml")],
                           capture_output=True, text=True, timeout=60, cwd="/")
        self.assertEqual(r.returncode, 1, r.stderr)

    def test_lint_help(self):
        r = subprocess.run([BIN, "lint", "--help"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertIn("usage: imiflow lint", r.stdout)

    def test_dot_draws_every_state_and_transition(self):
        r = imiflow("dot", str(HERE / "good" / "toy.xml"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith('digraph "toy"'))
        for edge in ('"draft" -> "submitted" [label="submit"]',
                     '"submitted" -> "reminded" [label="remind", style=dashed]',
                     '"reminded" -> "approved" [label="approve"]'):
            self.assertIn(edge, r.stdout)
        self.assertIn("peripheries=2", r.stdout)
        if shutil.which("dot"):
            svg = subprocess.run(["dot", "-Tsvg"], input=r.stdout, capture_output=True,
                                 text=True, timeout=60)
            self.assertEqual(svg.returncode, 0, svg.stderr)
            self.assertIn("<svg", svg.stdout)

    def test_dot_refuses_a_broken_definition(self):
        r = imiflow("dot", str(HERE / "bad" / "06-unknown-target.xml"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown state", r.stderr)


if __name__ == "__main__":
    tap.main()
