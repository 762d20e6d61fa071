#!/usr/bin/python3
"""test_toy_engine.py -- runs tests/unit/test_toy_engine (the workflow engine linked without
any IMI code, firing a toy domain's workflow) on a private PostgreSQL cluster with the schema
migrated, and passes its TAP through.  The C program needs a database, so it runs here among
the suites that start real components."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from stack import DATADIR, Stack, StackError  # noqa: E402


def main():
    binary = os.environ.get("TOY_ENGINE") or os.path.join(
        os.path.dirname(os.environ.get("IMIFLOW_BIN", "build/imiflow")), "tests", "unit",
        "test_toy_engine")
    stack = Stack()
    try:
        stack.start_database()
        env = dict(os.environ, IMIFLOW_TEST_DB=stack.conninfo, IMIFLOW_DATADIR=str(DATADIR),
                   CMOCKA_MESSAGE_OUTPUT="TAP")
        r = subprocess.run([binary], env=env, capture_output=True, text=True, timeout=120)
        sys.stdout.write(r.stdout)
        for line in r.stderr.splitlines():
            print("# " + line)
        if r.returncode != 0 and "not ok" not in r.stdout:
            print("1..1\nnot ok 1 - %s exited %d" % (binary, r.returncode))
            stack.stop(failed=True)
            return 1
        stack.stop(failed=r.returncode != 0)
        return r.returncode
    except (StackError, OSError, subprocess.SubprocessError) as e:
        print("1..1\nnot ok 1 - the toy engine's database: %s" % e)
        stack.stop(failed=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
