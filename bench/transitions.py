#!/usr/bin/python3
"""bench/transitions.py -- transitions per second over HTTP (nginx -> engine -> PostgreSQL),
next to pgbench TPC-B on the same cluster; the budget in DESIGN.md is >= 0.8 x pgbench.

    /usr/bin/python3 bench/transitions.py [--seconds 10] [--clients 4]

Starts its own stack (tests/lib/stack.py), prints figures, asserts nothing."""

import argparse
import http.client
import multiprocessing
import os
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TOP / "tests" / "lib"))
from browser import Browser  # noqa: E402
from stack import Stack, temporary_password, PGBIN  # noqa: E402

PASSWORD = "Bench7mark"


def client(url, cookie, csrf, iid, rev, seconds, out):
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    with Stack(login_burst=1000, threads=4) as s:
        user = s.bootstrap()
        temp = temporary_password(s.wait_mail(lambda m: "temporary password" in m["Subject"]))
        b = Browser(s.url)
        b.get("/login")
        b.post("/login", {"username": user, "password": temp, "csrf": b.cookie("imiflow_login")})
        page = b.get("/password").html()
        b.post("/password", {"current": temp, "new": PASSWORD, "confirm": PASSWORD,
                             "csrf": page.csrf()})
        s.run_imiflow("deploy", str(TOP / "bench" / "pingpong.xml"))
        csrf = b.get("/").html().csrf()
        cookie = "imiflow_session=" + b.cookie("imiflow_session")
        ids = []
        for _ in range(args.clients):
            r = b.post("/workflows/pingpong/start", {"csrf": csrf})
            ids.append(int(re.search(r"(\d+)$", r.location_path).group(1)))
        q = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=client, args=(s.url, cookie, csrf, iid, 1,
                                                              args.seconds, q)) for iid in ids]
        t0 = time.time()
        for p in procs:
            p.start()
        results = [q.get() for _ in procs]
        for p in procs:
            p.join()
        elapsed = time.time() - t0
        fired = sum(n for n, _ in results)
        errors = sum(e for _, e in results)
        print(f"transitions over HTTP: {fired / elapsed:8.0f}/s  ({fired} in {elapsed:.1f}s, "
              f"{args.clients} clients, {errors} errors)")
        # pgbench TPC-B on the same cluster, same client count.
        m = dict(kv.split("=") for kv in s.conninfo.split())
        env = dict(os.environ, PGHOST=m["host"], PGPORT=m["port"], PGUSER=m["user"])
        subprocess.run([str(PGBIN / "pgbench"), "-i", "-q", "-s", "4", "imiflow"], env=env,
                       check=True, capture_output=True)
        r = subprocess.run([str(PGBIN / "pgbench"), "-c", str(args.clients), "-j", "2", "-T",
                            str(args.seconds), "imiflow"], env=env, check=True,
                           capture_output=True, text=True)
        tps = float(re.search(r"tps = ([\d.]+)", r.stdout).group(1))
        print(f"pgbench TPC-B:         {tps:8.0f}/s  ({args.clients} clients)")
        print(f"ratio:                 {fired / elapsed / tps:8.2f}  (budget >= 0.80)")


if __name__ == "__main__":
    main()
