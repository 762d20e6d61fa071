#!/usr/bin/python3
"""dist_lists.py -- every data file the engine reads at run time (xslt/, workflows/, sql/) is
named in Makefile.am's install lists, and each list is one make variable: a line that lost its
backslash ends the list early and make installs the files before it only.  `make install`
and the tarball would otherwise miss what the source tree has, and only a fresh install
shows it."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import tap  # noqa: E402
import unittest  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHIPPED = [("xslt", (".xsl", ".xml", ".css", ".html")), ("workflows", (".xml", ".rng")),
           ("sql", (".sql",))]


def variables(text):
    """name -> list of words, for every `NAME = …` / `NAME += …` of Makefile.am with its
    continuation lines; and the lines that look like list members but follow no backslash."""
    out, strays = {}, []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*\+?=\s*(.*)$", lines[i])
        if not m:
            if re.match(r"^\t(xslt|workflows|sql)/\S+", lines[i]):
                strays.append((i + 1, lines[i].strip()))
            i += 1
            continue
        name, value = m.group(1), m.group(2)
        while value.endswith("\\") and i + 1 < len(lines):
            i += 1
            value = value[:-1] + " " + lines[i]
        out.setdefault(name, []).extend(value.split())
        i += 1
    return out, strays


class DistLists(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(TOP, "Makefile.am")) as f:
            self.vars, self.strays = variables(f.read())
        self.listed = {w for k, v in self.vars.items() if k.startswith("dist_") for w in v}

    def test_no_line_outside_a_list(self):
        self.assertEqual(self.strays, [], "lines of a list after one without its backslash")

    def test_every_shipped_file_is_installed(self):
        missing = []
        for top, exts in SHIPPED:
            for d, _, files in os.walk(os.path.join(TOP, top)):
                for f in files:
                    rel = os.path.relpath(os.path.join(d, f), TOP)
                    if f.endswith(exts) and rel not in self.listed:
                        missing.append(rel)
        self.assertEqual(sorted(missing), [], "not in any dist_*_DATA list of Makefile.am")

    def test_every_listed_file_exists(self):
        gone = [w for w in self.listed
                if w.startswith(("xslt/", "workflows/", "sql/"))
                and not os.path.exists(os.path.join(TOP, w))]
        self.assertEqual(gone, [])


if __name__ == "__main__":
    tap.main()
