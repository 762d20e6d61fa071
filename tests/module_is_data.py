#!/usr/bin/python3
"""module_is_data.py -- a module is data: no C in engine/ names or branches on a kind of
exchange module (notifications, alerts, registers, repositories) or on one of the shipped
modules.  Everything specific to them is in workflows/, xslt/, sql/ and the module catalogue;
the C grows only by generic primitives.  Comments may name them (they say why)."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import tap  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE = os.path.join(TOP, "engine")
# Words of the domain's data: the kinds of exchange beyond requests, the shipped modules of
# those kinds, and the workflows that run them.
WORDS = re.compile(r"alert|notification|repositor|cash-in-transit|register-entry|cit-licence"
                   r"|services-alert|pq-alert", re.I)


def code_of(text):
    """text without its comments (/* */ and //), string literals kept: SQL in a string that
    named a module would be a branch all the same."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text[i] in "\"'":
            q, j = text[i], i + 1
            while j < n and text[j] != q:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class ModuleIsData(unittest.TestCase):
    def test_no_c_names_a_kind_of_exchange_module(self):
        found = []
        for d, _, files in os.walk(ENGINE):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, f)
                with open(path, encoding="utf-8") as fh:
                    code = code_of(fh.read())
                for no, line in enumerate(code.split("\n"), 1):
                    if WORDS.search(line):
                        found.append(f"{os.path.relpath(path, TOP)}:{no}: {line.strip()}")
        self.assertEqual(found, [])

    def test_the_check_sees_code(self):
        """The stripping keeps code and strings, drops comments."""
        self.assertEqual(code_of('a /* alert */ b // alert\nc "alert"').split(),
                         ["a", "b", "c", '"alert"'])


if __name__ == "__main__":
    tap.main()
