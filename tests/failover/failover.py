#!/usr/bin/python3
"""failover.py -- PostgreSQL failover under load with PostgreSQL's own streaming replication
(issue 19 §3).  Run by hand (it takes about a minute; README.md, "Failover to a standby", holds
its output):

    IMIFLOW_BIN=build/imiflow tests/failover/failover.py [--clients 4] [--seconds 6]

1. The stack of tests/lib/stack.py (nginx, one `imiflow serve`, the SMTP sink) on a private
   primary cluster, started with synchronous_commit=on; the engine's --db is a multi-host
   connection string naming the primary and the standby, target_session_attrs=read-write.
2. A standby: pg_basebackup of the primary, started with standby.signal and a primary_conninfo
   (application_name=standby1); then the primary makes it synchronous
   (synchronous_standby_names = 'standby1'): a commit returns only once the standby has it.
3. Load: CLIENTS threads, each signed in through nginx, start instances of toy.xml and fire
   "submit" on them, again and again; every answer the client saw as committed (303) is noted.
4. Mid-load the primary dies hard (SIGKILL to the postmaster and every backend), then the
   standby is promoted (pg_ctl promote).  The clients go on all the while (a refused request is
   sent again after 0.2 s; a submit carries the instance's revision, so sending it again is safe).
5. Checks, on the promoted database: every start and every submit a client saw committed is
   there; the engine reconnected by itself (no restart: the same pid answered before and after).

Exit status 0 when every check holds.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from people import PASSWORD, first_sign_in, signed_in  # noqa: E402
from stack import DEFAULT_BOOTSTRAP, PGBIN, PGPORT, Stack, StackError  # noqa: E402

WF = Path(__file__).resolve().parents[1] / "workflows" / "good"


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class FailoverStack(Stack):
    """A stack whose engine names two hosts: the primary's socket directory and the standby's."""

    def __init__(self, standby_sockdir, **kw):
        super().__init__(**kw)
        self.standby_sockdir = standby_sockdir
        self.primary_sockdir = None

    @property
    def conninfo(self):
        if self.primary_sockdir is None:
            self.primary_sockdir = self.pg_sockdir
        return (f"host={self.primary_sockdir},{self.standby_sockdir} port={PGPORT},{PGPORT} "
                f"user=imiflow dbname=imiflow target_session_attrs=read-write connect_timeout=2")


def children(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def kill_hard(pid):
    """SIGKILL the postmaster and each of its processes (collected first: once the postmaster is
    gone they belong to init), as a crashed machine would leave them: no shutdown checkpoint."""
    procs = children(pid)
    os.kill(pid, signal.SIGKILL)
    for p in procs:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Client(threading.Thread):
    def __init__(self, stack, username, stop, number):
        super().__init__(name=f"client-{number}", daemon=True)
        self.stack, self.username, self.stop = stack, username, stop
        self.committed = []      # (event, instance id, monotonic time) answered 303
        self.refused = 0         # answers other than 303/409, connection errors included
        self.first_refusal = self.last_refusal = None
        self.error = None

    def retry_until(self, fn):
        """fn() -> a response, or raises; again until a 303 or 409 or the stop."""
        while True:
            try:
                r = fn()
                if r.status in (303, 409):
                    return r
            except Exception:      # noqa: BLE001 -- the connection itself may break: refused too
                pass
            now = time.monotonic()
            self.refused += 1
            self.first_refusal = self.first_refusal or now
            self.last_refusal = now
            if self.stop.is_set():
                return None
            time.sleep(0.2)

    def run(self):
        try:
            b = self.retry_until(lambda: _Signed(signed_in(self.stack, self.username, PASSWORD)))
            b = b.browser
            while not self.stop.is_set():
                r = self.retry_until(lambda: b.post("/workflows/toy/start",
                                                    {"csrf": b.get("/workflows").html().csrf()}))
                if r is None or r.status != 303:
                    continue
                iid = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))
                self.committed.append(("start", iid, time.monotonic()))
                form = self.retry_until(lambda: _Form(b, iid))
                if form is None:
                    break
                r = self.retry_until(lambda: b.post(f"/instances/{iid}/fire/submit", form.data))
                if r is not None and r.status == 303:
                    self.committed.append(("submit", iid, time.monotonic()))
        except Exception as e:     # noqa: BLE001 -- reported by main
            self.error = e


class _Signed:
    status = 303

    def __init__(self, browser):
        self.browser = browser


class _Form:
    """The submit form of instance iid, as its page gives it (raises when the page does not)."""
    status = 303

    def __init__(self, b, iid):
        inst = b.get_xml(f"/instances/{iid}").xml().find("instance")
        self.data = {"csrf": b.get("/").html().csrf(), "rev": inst.get("rev"),
                     "title": f"Question {iid}", "due": "2030-01-15", "priority": "normal",
                     "note": ""}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=6.0, help="load before the kill")
    ap.add_argument("--after", type=float, default=6.0, help="load after the promotion")
    args = ap.parse_args()

    standby_dir = Path(tempfile.mkdtemp(prefix="imiflow-standby-"))
    os.chmod(standby_dir, 0o711)
    standby_sock = standby_dir / "sock"
    standby_data = standby_dir / "pg"
    # synchronous_commit=on again (the stack's fast cluster turns it off) and full page writes
    # for the base backup; synchronous_standby_names comes once the standby streams.
    s = FailoverStack(standby_sock, pg_options=["synchronous_commit=on", "full_page_writes=on",
                                                "wal_level=replica", "max_wal_senders=4"],
                      login_burst=1000, threads=6)
    ok = False
    try:
        s.start()
        pg_user = s.pg_user
        for d in (standby_sock, standby_data):
            d.mkdir(mode=0o700)
            os.chown(d, pg_user.pw_uid, pg_user.pw_gid)
        log(f"engine --db: {s.conninfo}")
        username = s.bootstrap()
        first_sign_in(s, username, DEFAULT_BOOTSTRAP["email"])
        r = s.run_imiflow("deploy", str(WF / "toy.xml"))
        log(r.stdout.strip())

        # The standby: a base backup streamed from the primary, then started as a hot standby.
        r = s._run([PGBIN / "pg_basebackup", "-h", s.primary_sockdir, "-p", PGPORT, "-U", "imiflow",
                    "-D", standby_data, "-X", "stream", "-R", "-c", "fast"],
                   user=pg_user, what="pg_basebackup")
        log("pg_basebackup: standby data directory made (standby.signal, primary_conninfo)")
        primary_conninfo = f"host={s.primary_sockdir} port={PGPORT} user=imiflow application_name=standby1"
        standby = s._spawn("standby", [PGBIN / "postgres", "-D", standby_data, "-p", PGPORT,
                                       "-c", "listen_addresses=",
                                       "-c", f"unix_socket_directories={standby_sock}",
                                       "-c", "logging_collector=off",
                                       "-c", f"primary_conninfo={primary_conninfo}",
                                       "-c", "hot_standby=on", "-c", "synchronous_commit=on"],
                           "standby.log", signal.SIGINT, user=pg_user)
        s.psql("ALTER SYSTEM SET synchronous_standby_names = 'standby1'")
        s.psql("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 30
        while True:
            rows = s.psql("SELECT application_name, state, sync_state FROM pg_stat_replication")
            if rows == [("standby1", "streaming", "sync")]:
                break
            if time.monotonic() > deadline or standby.popen.poll() is not None:
                raise StackError(f"the standby does not stream synchronously: {rows}")
            time.sleep(0.2)
        log(f"pg_stat_replication on the primary: {rows[0]}")
        engine_pid = s.engine.popen.pid

        stop = threading.Event()
        clients = [Client(s, username, stop, i + 1) for i in range(args.clients)]
        for c in clients:
            c.start()
        time.sleep(args.seconds)
        before = sum(len(c.committed) for c in clients)
        log(f"load: {args.clients} clients, {before} transitions committed (303) so far")

        kill_hard(s.pg.popen.pid)
        killed = time.monotonic()
        log("primary killed (SIGKILL to the postmaster and every backend)")
        time.sleep(1.0)
        r = s._run([PGBIN / "pg_ctl", "promote", "-w", "-D", standby_data], user=pg_user,
                   what="pg_ctl promote")
        promoted = time.monotonic()
        log(f"pg_ctl promote: {r.stdout.strip()}")
        s.pg_sockdir = standby_sock          # psql() asks the promoted server from now on
        time.sleep(args.after)
        stop.set()
        for c in clients:
            c.join(30)
        errors = [c.error for c in clients if c.error is not None]
        if errors:
            raise StackError(f"a client failed: {errors[0]!r}")

        committed = [x for c in clients for x in c.committed]
        after_promote = [t for _, _, t in committed if t > promoted]
        refused = sum(c.refused for c in clients)
        outage_ends = min(after_promote) if after_promote else None
        log(f"after the kill: {refused} requests refused (5xx) and sent again; the first "
            f"transition committed {outage_ends - killed:.2f} s after the kill, "
            f"{outage_ends - promoted:.2f} s after the promotion" if outage_ends else
            "after the kill: nothing committed")
        log(f"transitions committed (303) in all: {len(committed)} "
            f"({len(committed) - len(after_promote)} before the promotion, "
            f"{len(after_promote)} after)")

        # What the clients saw committed, on the promoted database.
        starts = {iid for e, iid, _ in committed if e == "start"}
        submits = {iid for e, iid, _ in committed if e == "submit"}
        have = {int(i) for (i,) in s.psql("SELECT id FROM wf_instances WHERE definition = 'toy'")}
        fired = {int(i) for (i,) in s.psql("SELECT instance_id FROM wf_history WHERE event = 'submit'")}
        twice = s.psql("SELECT instance_id FROM wf_history WHERE event = 'submit' "
                       "GROUP BY 1 HAVING count(*) > 1")
        missing = sorted(starts - have) + sorted(submits - fired)
        in_recovery = s.psql("SELECT pg_is_in_recovery()")[0][0]
        log(f"promoted server: pg_is_in_recovery() = {in_recovery}; {len(have)} toy instances, "
            f"{len(fired)} submits in history")
        log(f"committed but missing on the promoted server: {len(missing)} {missing[:10]}")
        log(f"submit in history twice: {len(twice)}")
        same_engine = s.engine.popen.poll() is None and s.engine.popen.pid == engine_pid
        log(f"engine never restarted (pid {engine_pid} answered throughout): {same_engine}")
        text = (s.logdir / "engine.log").read_text(errors="replace")
        log(f"engine log: {text.count('connection lost')} times 'PostgreSQL connection lost; "
            f"reconnecting'; the standby refused as {text.count('failed: session is read-only')} "
            f"times 'session is read-only' before its promotion (target_session_attrs)")
        ok = (not missing and not twice and in_recovery == "f" and same_engine
              and len(after_promote) > 0)
        log("PASS" if ok else "FAIL")
    except (StackError, OSError, subprocess.SubprocessError) as e:
        log(f"FAIL: {e}")
    finally:
        s.stop(failed=not ok)
        shutil.rmtree(standby_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
