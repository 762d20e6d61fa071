#!/usr/bin/python3
"""bench/pages.py -- pages per second over HTTP (nginx -> engine -> PostgreSQL -> XSLT): a
50-row authenticated page next to a bare page; DESIGN.md's budget is >= 0.8 x the bare page.

    /usr/bin/python3 bench/pages.py [--seconds 10] [--clients 4] [--rounds 1]

The pages, each fetched over keep-alive connections by bench/load.c (built here with cc):
  bare page           DESIGN.md's reference "50-row page (query + libxml2 tree + cached
                      XSLT)": bench/bare.c (built here with cc), a FastCGI program with one
                      prepared statement fetching the same 50 instances, a libxml2 tree and
                      bench/bare.xsl compiled once (the frame and list of /workflows), behind
                      a second nginx filled in from the same nginx/imiflow.conf.in, on the
                      same cluster, with as many threads as the engine
  /login              no session, no query, a small form through XSLT (for comparison only)
  /workflows          authenticated: the session, the definitions, 50 instances listed
  /instances/ID       authenticated: the session, one instance with 50 history rows, its
                      data, documents and the guard of each transition it offers
With --rounds N the pages take turns N times and the ratios are the medians.

Starts its own stack (tests/lib/stack.py), prints figures, asserts nothing."""

import argparse
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TOP / "tests" / "lib"))
sys.path.insert(0, str(TOP / "bench"))
from stack import NGINX, Stack, free_port  # noqa: E402
from transitions import build_load, sign_in, start_instance  # noqa: E402

ROWS = 50


def rate(load, port, path, cookie, clients, seconds):
    r = subprocess.run([str(load), str(port), str(seconds), "get", path, cookie,
                        str(clients)], check=True, capture_output=True, text=True)
    m = dict(kv.split("=") for kv in r.stdout.split())
    if r.stderr:
        print(r.stderr.strip(), file=sys.stderr)
    return int(m["ok"]) / float(m["seconds"]), int(m["errors"])


def build_bare(dest):
    """Compiles bench/bare.c into dest; returns its path."""
    exe = Path(dest) / "bare"
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libxslt", "libxml-2.0",
                            "libpq"], check=True, capture_output=True, text=True).stdout.split()
    subprocess.run(["cc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
                    str(TOP / "bench" / "bare.c"), "-o", str(exe), *flags, "-lfcgi"],
                   check=True)
    return exe


def start_bare(s, exe):
    """Starts bench/bare.c and a second nginx in front of it (stopped with the stack);
    returns that nginx's port."""
    sock = s.sock.parent / "bare.sock"
    bare = s._spawn("bare", [exe, sock, s.conninfo, TOP / "bench" / "bare.xsl", s.threads],
                    "bare.log", signal.SIGTERM)

    def listening():
        if not sock.exists():
            return False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
            c.connect(str(sock))
        return True
    s._wait(bare, listening, 30, "bench/bare")
    port = free_port()
    prefix, conf = s._nginx_conf("nginx-bare", port, sock)
    nginx = s._spawn("nginx-bare", [NGINX, "-c", conf, "-p", f"{prefix}/", "-e",
                                    prefix / "nginx-error.log", "-g", "daemon off;"],
                     "nginx-bare.log", signal.SIGTERM)

    def answers():
        c = socket.create_connection(("127.0.0.1", port), timeout=2)
        with c:
            c.sendall(b"GET / HTTP/1.0\r\n\r\n")
            return c.recv(64).startswith(b"HTTP/1.1 200")
    s._wait(nginx, answers, 30, "nginx in front of bench/bare")
    return port


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Stack(login_burst=1000, threads=4) as s:
        load = build_load(tmp)
        bare_port = start_bare(s, build_bare(tmp))
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
        pages = (("bare page (bench/bare.c)", bare_port, "/", "-"),
                 ("GET /login (no session, no query)", s.port, "/login", "-"),
                 (f"{ROWS} instances: GET /workflows", s.port, "/workflows", cookie),
                 (f"{ROWS} history rows: GET /instances/{iid}", s.port, f"/instances/{iid}",
                  cookie))
        ratios = {label: [] for label, *_ in pages[1:]}
        for n in range(1, args.rounds + 1):
            figures = []
            for label, port, path, c in pages:
                per_second, errors = rate(load, port, path, c, args.clients, args.seconds)
                figures.append(per_second)
                print(f"round {n}: {label:42} {per_second:8.0f}/s  ({args.clients} clients, "
                      f"{errors} errors)", flush=True)
            for (label, *_), f in zip(pages[1:], figures[1:]):
                ratios[label].append(f / figures[0])
        for label, r in ratios.items():
            print(f"ratio {label:42} / bare page: {statistics.median(r):5.2f}  (median of "
                  f"{args.rounds}; budget >= 0.80 for the {ROWS}-row pages)")

if __name__ == "__main__":
    main()
