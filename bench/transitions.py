#!/usr/bin/python3
"""bench/transitions.py -- transitions per second over HTTP (nginx -> engine -> PostgreSQL),
next to pgbench TPC-B on the same cluster; the budget in DESIGN.md is >= 0.8 x pgbench.

    /usr/bin/python3 bench/transitions.py [--seconds 10] [--clients 4] [--client c|python|both]
                                          [--rounds 3]

The default client is bench/load.c (built here with cc): keep-alive connections, one thread
each, every connection signed in with a session of its own and firing on an instance of its
own with the revision it expects.  pgbench's client is C as well, so both sides of the ratio
share the two cores alike.  --client python adds the old client (one Python process per
connection), which takes a good part of the cores itself and so understates the engine.
Each round runs the transitions, then pgbench, and prints both; the ratio reported is the
median of the rounds' ratios.

Starts its own stack (tests/lib/stack.py), prints figures, asserts nothing."""

import argparse
import http.client
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TOP / "tests" / "lib"))
from browser import Browser  # noqa: E402
from stack import Stack, temporary_password, PGBIN  # noqa: E402

PASSWORD = "Bench7mark"


def build_load(dest):
    """Compiles bench/load.c into dest; returns its path."""
    exe = Path(dest) / "load"
    subprocess.run(["cc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
                    str(TOP / "bench" / "load.c"), "-o", str(exe)], check=True)
    return exe


def sign_in(s, user):
    """Bootstraps the administrator's password; returns a function giving a new signed-in
    Browser (a session of its own) per call."""
    temp = temporary_password(s.wait_mail(lambda m: "temporary password" in m["Subject"]))
    b = Browser(s.url)
    b.get("/login")
    b.post("/login", {"username": user, "password": temp, "csrf": b.cookie("imiflow_login")})
    page = b.get("/password").html()
    b.post("/password", {"current": temp, "new": PASSWORD, "confirm": PASSWORD,
                         "csrf": page.csrf()})

    def session():
        n = Browser(s.url)
        n.get("/login")
        r = n.post("/login", {"username": user, "password": PASSWORD,
                              "csrf": n.cookie("imiflow_login")})
        assert r.status == 303, r.status
        return n
    return session


def start_instance(b, csrf):
    r = b.post("/workflows/pingpong/start", {"csrf": csrf})
    return int(re.search(r"(\d+)$", r.location_path).group(1))


def py_client(url, cookie, csrf, iid, rev, seconds, out):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    events = ["hit", "return"]
    n = errors = 0
    end = time.time() + seconds
    while time.time() < end:
        body = urllib.parse.urlencode({"csrf": csrf, "rev": rev, "note": f"n{n}"})
        conn.request("POST", f"/instances/{iid}/fire/{events[n % 2]}", body,
                     {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        r = conn.getresponse()
        r.read()
        if r.status == 303:
            rev += 1
            n += 1
        else:
            errors += 1
            break
        if r.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    out.put((n, errors))


def run_python(s, session, clients, seconds):
    """The old client: one Python process per connection, all on one session."""
    b = session()
    csrf = b.get("/").html().csrf()
    cookie = "imiflow_session=" + b.cookie("imiflow_session")
    ids = [start_instance(b, csrf) for _ in range(clients)]
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=py_client, args=(s.url, cookie, csrf, iid, 1,
                                                             seconds, q)) for iid in ids]
    t0 = time.time()
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.time() - t0
    return sum(n for n, _ in results), sum(e for _, e in results), elapsed


def run_c(s, session, load, clients, seconds, tmp):
    """bench/load.c: one connection per client, each with a session of its own."""
    lines = []
    for _ in range(clients):
        b = session()
        csrf = b.get("/").html().csrf()
        lines.append(f"{start_instance(b, csrf)} 1 imiflow_session="
                     f"{b.cookie('imiflow_session')} {csrf}\n")
    spec = Path(tmp) / "spec"
    spec.write_text("".join(lines))
    r = subprocess.run([str(load), str(s.port), str(seconds), "fire", str(spec)],
                       check=True, capture_output=True, text=True)
    m = dict(kv.split("=") for kv in r.stdout.split())
    if r.stderr:
        print(r.stderr.strip(), file=sys.stderr)
    return int(m["ok"]), int(m["errors"]), float(m["seconds"])


def pgbench_init(s):
    m = dict(kv.split("=") for kv in s.conninfo.split())
    env = dict(os.environ, PGHOST=m["host"], PGPORT=m["port"], PGUSER=m["user"])
    subprocess.run([str(PGBIN / "pgbench"), "-i", "-q", "-s", "4", "imiflow"], env=env,
                   check=True, capture_output=True)
    return env


def pgbench(env, clients, seconds):
    r = subprocess.run([str(PGBIN / "pgbench"), "-c", str(clients), "-j", "2", "-T",
                        str(seconds), "imiflow"], env=env, check=True,
                       capture_output=True, text=True)
    return float(re.search(r"tps = ([\d.]+)", r.stdout).group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--client", choices=("c", "python", "both"), default="c")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    kinds = ("python", "c") if args.client == "both" else (args.client,)
    with tempfile.TemporaryDirectory() as tmp, Stack(login_burst=1000, threads=4) as s:
        load = build_load(tmp) if args.client != "python" else None
        session = sign_in(s, s.bootstrap())
        s.run_imiflow("deploy", str(TOP / "bench" / "pingpong.xml"))
        env = pgbench_init(s)
        ratios = {k: [] for k in kinds}
        # Rounds take turns, so a neighbour's load on the machine falls on both sides alike.
        for n in range(1, args.rounds + 1):
            for kind in kinds:
                if kind == "python":
                    fired, errors, elapsed = run_python(s, session, args.clients, args.seconds)
                else:
                    fired, errors, elapsed = run_c(s, session, load, args.clients,
                                                   args.seconds, tmp)
                rate = fired / elapsed
                tps = pgbench(env, args.clients, args.seconds)
                ratios[kind].append(rate / tps)
                print(f"round {n}: transitions over HTTP, {kind + ' client:':15} {rate:6.0f}/s"
                      f"  ({errors} errors); pgbench TPC-B {tps:6.0f}/s; ratio "
                      f"{rate / tps:4.2f}", flush=True)
        for kind in kinds:
            print(f"ratio, {kind + ' client,':15} median of {args.rounds}:   "
                  f"{statistics.median(ratios[kind]):4.2f}  (budget >= 0.80; "
                  f"{args.clients} clients, {args.seconds}s each)")


if __name__ == "__main__":
    main()
