#!/usr/bin/python3
"""bench/pages.py -- pages per second over HTTP (nginx -> engine -> PostgreSQL -> XSLT): a
50-row authenticated page next to a bare page; DESIGN.md's budget is >= 0.8 x the bare page.

    /usr/bin/python3 bench/pages.py [--seconds 10] [--clients 4]

The pages, each fetched over keep-alive connections by bench/load.c (built here with cc):
  /login              the bare page: no session, no query, a small form through XSLT
  /workflows          authenticated: the session, the definitions, 50 instances listed
  /instances/ID       authenticated: the session, one instance with 50 history rows, its
                      data, documents and the guard of each transition it offers

Starts its own stack (tests/lib/stack.py), prints figures, asserts nothing."""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TOP / "tests" / "lib"))
sys.path.insert(0, str(TOP / "bench"))
from stack import Stack  # noqa: E402
from transitions import build_load, sign_in, start_instance  # noqa: E402

ROWS = 50


def rate(load, s, path, cookie, clients, seconds):
    r = subprocess.run([str(load), str(s.port), str(seconds), "get", path, cookie,
                        str(clients)], check=True, capture_output=True, text=True)
    m = dict(kv.split("=") for kv in r.stdout.split())
    if r.stderr:
        print(r.stderr.strip(), file=sys.stderr)
    return int(m["ok"]) / float(m["seconds"]), int(m["errors"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Stack(login_burst=1000, threads=4) as s:
        load = build_load(tmp)
        b = sign_in(s, s.bootstrap())()
        s.run_imiflow("deploy", str(TOP / "bench" / "pingpong.xml"))
        csrf = b.get("/").html().csrf()
        ids = [start_instance(b, csrf) for _ in range(ROWS)]
        # The newest instance gets a history of ROWS rows: "start" and ROWS - 1 transitions.
        iid = ids[-1]
        for n in range(ROWS - 1):
            r = b.post(f"/instances/{iid}/fire/{('hit', 'return')[n % 2]}",
                       {"csrf": csrf, "rev": str(n + 1), "note": f"n{n}"})
            assert r.status == 303, r.status
        cookie = "imiflow_session=" + b.cookie("imiflow_session")
        figures = []
        for label, path, c in (("bare page: GET /login", "/login", "-"),
                               (f"{ROWS} instances: GET /workflows", "/workflows", cookie),
                               (f"{ROWS} history rows: GET /instances/{iid}",
                                f"/instances/{iid}", cookie)):
            per_second, errors = rate(load, s, path, c, args.clients, args.seconds)
            figures.append(per_second)
            print(f"{label:40} {per_second:8.0f}/s  ({args.clients} clients, {errors} errors)")
        for label, f in (("/workflows", figures[1]), ("/instances/ID", figures[2])):
            print(f"{'ratio ' + label + ' / bare page:':40} {f / figures[0]:8.2f}  (budget >= 0.80)")


if __name__ == "__main__":
    main()
