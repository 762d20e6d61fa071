#!/usr/bin/python3
"""chaos.py -- kill the stack's processes under load and show that nothing is lost.

    /usr/bin/python3 tests/chaos/chaos.py [--transitions 1000] [--kills 5] [--clients 4]
        [--workers 2] [--smtp-down 8] [--scenarios engine,worker,postgres,smtp] [--keep]

Starts a private stack (tests/lib/stack.py) with its supervisor in a thread, the engine as
`imiflow serve --no-worker` and WORKERS separate `imiflow worker` processes (started and
restarted here, so one can be killed on its own) that deliver through a small SMTP relay of
this script (which can hold a delivery half-way), deploys tests/chaos/chaos.xml and fires its
"tick" from CLIENTS HTTP clients, each on instances of its own, with the revision it expects.
A tick adds a history row, queues a mail and restarts a one-second timer, whose "beat" the
workers fire (another history row).

Scenarios, each until TRANSITIONS ticks were answered 303 under it:
  engine    kill -9 the engine (imiflow serve) KILLS times at random moments
  worker    kill -9 a worker KILLS times; the first while it is in the middle of an SMTP
            delivery: the next worker must deliver that mail at once
  postgres  kill -9 the PostgreSQL postmaster max(1, KILLS // 2) times
  smtp      stop the SMTP sink for SMTP_DOWN seconds, once

Then, from the database and the Maildir: every 303 is in the history exactly once (with the
revision it was fired at), no history gap, every mail of a committed tick delivered at least
once (duplicates recognised by Message-ID and counted), no timer fired twice or left stuck,
and the service answers.  Prints one line per scenario; exits 1 when anything was lost.
See tests/chaos/README.md.  tests/e2e/test_chaos.py runs a short form in ./check."""

import argparse
import collections
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOP / "tests" / "lib"))
from people import first_sign_in, signed_in  # noqa: E402
from stack import Stack, DATADIR, DEFAULT_BOOTSTRAP, _die_with_parent  # noqa: E402

DEFINITION = TOP / "tests" / "chaos" / "chaos.xml"
SCENARIOS = ("engine", "worker", "postgres", "smtp")
RETRY_FOR_S = 180          # a client gives up on one transition after this long


def log(text):
    print(f"chaos: {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


# ---- the SMTP relay ------------------------------------------------------------------------

class SmtpRelay:
    """Forwards every connection to the sink (whatever its port is now).  hold() makes the
    next delivery stop after the DATA command: the message's text is kept back, so the
    worker sits in the middle of a delivery with its outbox row locked, until it is killed
    (then the sink, which never saw the final dot, stores nothing)."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port          # a function: the sink's port now
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(64)
        self.port = self.lsock.getsockname()[1]
        self.lock = threading.Lock()
        self.armed = False
        self.held = None            # {"peer": (host, port), "message_id": str}
        self.held_event = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def hold(self):
        with self.lock:
            self.armed, self.held = True, None
            self.held_event.clear()

    def _accept(self):
        while True:
            try:
                conn, peer = self.lsock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, peer), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (dst, src):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _serve(self, conn, peer):
        try:
            up = socket.create_connection(("127.0.0.1", self.upstream_port()), timeout=5)
            up.settimeout(None)
        except OSError:
            conn.close()            # the sink is down: the worker sees the connection close
            return
        threading.Thread(target=self._pump, args=(up, conn), daemon=True).start()
        tail, holding, kept = b"", False, b""
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                if holding:
                    kept += data
                    m = re.search(rb"(?im)^Message-ID:\s*(<[^>\r\n]+>)", kept)
                    if m and self.held.get("message_id") is None:
                        self.held["message_id"] = m.group(1).decode()
                        self.held_event.set()
                    continue
                both = tail + data
                m = re.search(rb"(?:^|\n)DATA\r\n", both)
                if m:
                    with self.lock:
                        if self.armed:
                            self.armed, holding = False, True
                            self.held = {"peer": peer, "message_id": None}
                    if holding:
                        cut = m.end() - len(tail)
                        up.sendall(data[:cut])
                        kept = data[cut:]
                        continue
                up.sendall(data)
                tail = both[-8:]
        except OSError:
            pass
        # The worker is gone (or done): a held message's text never reaches the sink.
        for s in (up, conn):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def socket_owner(peer, pids):
    """Which of pids has the TCP connection whose local end is peer (host, port)."""
    port = peer[1]
    inodes = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            cols = line.split()
            if int(cols[1].split(":")[1], 16) == port:
                inodes.add(cols[9])
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return pid
        except OSError:
            continue
    return None


# ---- the workers ---------------------------------------------------------------------------

class Workers:
    """N `imiflow worker` processes, started again at once when one dies (after a second
    when it died within a second of starting)."""

    def __init__(self, stack, n, smtp_port):
        self.stack, self.n, self.smtp_port = stack, n, smtp_port
        self.procs = [None] * n
        self.started = [0.0] * n
        self.restarts = 0
        self.stop_event = threading.Event()
        for i in range(n):
            self._start(i)
        self.thread = threading.Thread(target=self._supervise, daemon=True)
        self.thread.start()

    def argv(self):
        s = self.stack
        return [str(s.binary), "worker", "--db", s.conninfo, "--datadir", str(DATADIR),
                "--smtp", f"127.0.0.1:{self.smtp_port}", "--base-url", s.url,
                "--mail-retry", "1"]

    def _start(self, i):
        logf = open(self.stack.logdir / f"worker-{i + 1}.log", "ab")
        self.procs[i] = subprocess.Popen(
            self.argv(), stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent(signal.SIGTERM),
            env=dict(os.environ, **self.stack.env), cwd="/")
        logf.close()
        self.started[i] = time.monotonic()

    def _supervise(self):
        while not self.stop_event.wait(0.1):
            for i, p in enumerate(self.procs):
                if p.poll() is None:
                    continue
                if time.monotonic() - self.started[i] < 1.0:
                    continue                    # died at once: not more than once a second
                log(f"worker-{i + 1} (pid {p.pid}) exited with status {p.returncode}; "
                    f"starting it again")
                self.restarts += 1
                self._start(i)

    def pids(self):
        return [p.pid for p in self.procs if p.poll() is None]

    def stop(self):
        self.stop_event.set()
        self.thread.join(10)
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        codes = []
        for p in self.procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            codes.append(p.returncode)
        return codes


# ---- the load ------------------------------------------------------------------------------

class Record:
    """What the clients saw, shared by them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.scenario = "setup"
        self.ok = []             # (scenario, instance, rev fired at, note, monotonic times the
                                 # POST was sent and answered): the 303s
        self.found = []          # (scenario, instance, seq, note): committed, seen by a look-up
        self.gave_up = []        # (scenario, instance, note)
        self.statuses = collections.Counter()   # (scenario, status) of every answer but 303

    def count(self, scenario):
        with self.lock:
            return sum(1 for r in self.ok if r[0] == scenario)

    def first_ok_after(self, t):
        with self.lock:
            return min((r[4] for r in self.ok if r[4] > t), default=None)


class Client(threading.Thread):
    """Fires tick on its own instances, one at a time, with the revision it expects.  On a
    connection error or an answer other than 303 and 409 it sends the same POST again; a 409
    means another revision (a timer's beat, or its own earlier try that committed after
    all): it looks the note up in the instance's history, and fires again only when the note
    is not there."""

    def __init__(self, idx, url, cookie, csrf, instances, record, stop, interval):
        super().__init__(daemon=True)
        self.interval = interval        # seconds between ticks: a steady load
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.idx, self.cookie, self.csrf = idx, cookie, csrf
        self.revs = {i: 1 for i in instances}
        self.record, self.stop_event = record, stop
        self.conn = None
        self.n = 0

    def request(self, method, path, body=None):
        """(status, body) or (None, None) on a connection error."""
        headers = {"Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for _ in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.conn.request(method, path, body, headers)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, data
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
        return None, None

    def look_up(self, iid, note):
        """(current revision, seq of the note's history row or None), asking until the
        page answers."""
        end = time.monotonic() + RETRY_FOR_S
        while time.monotonic() < end:
            st, page = self.request("GET", f"/instances/{iid}?format=xml")
            if st == 200:
                text = page.decode("utf-8", "replace")
                rev = int(re.search(r'<instance [^>]*\brev="(\d+)"', text).group(1))
                m = re.search(r'<entry seq="(\d+)" event="tick"[^>]*>\s*<inputs>[^<]*"note": "'
                              + re.escape(note) + '"', text)
                return rev, int(m.group(1)) if m else None
            time.sleep(0.2)
        return None, None

    def fire(self, iid, note):
        rec = self.record
        end = time.monotonic() + RETRY_FOR_S
        delay = 0.1
        while time.monotonic() < end:
            rev = self.revs[iid]
            body = urllib.parse.urlencode({"csrf": self.csrf, "rev": rev, "note": note})
            sent = time.monotonic()
            st, _ = self.request("POST", f"/instances/{iid}/fire/tick", body)
            if st == 303:
                with rec.lock:
                    rec.ok.append((rec.scenario, iid, rev, note, sent, time.monotonic()))
                self.revs[iid] = rev + 1
                return
            with rec.lock:
                rec.statuses[(rec.scenario, st or "conn")] += 1
            if st == 409:
                cur, seq = self.look_up(iid, note)
                if cur is None:
                    break
                self.revs[iid] = cur
                if seq is not None:
                    with rec.lock:
                        rec.found.append((rec.scenario, iid, seq, note))
                    return
                delay = 0.1
                continue
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
        with rec.lock:
            rec.gave_up.append((rec.scenario, iid, note))

    def run(self):
        ids = list(self.revs)
        due = time.monotonic() + random.uniform(0, self.interval)
        while not self.stop_event.is_set():
            now = time.monotonic()
            if now < due:
                self.stop_event.wait(due - now)
                continue
            # Steady: behind schedule after an outage, it does not make up for lost time.
            due = max(due + self.interval, now)
            self.n += 1
            self.fire(random.choice(ids), f"c{self.idx}-{self.n}")
        if self.conn is not None:
            self.conn.close()


# ---- the run -------------------------------------------------------------------------------

def message_ids(maildir):
    """Counter of the Message-IDs of every file in the Maildir."""
    out = collections.Counter()
    for sub in ("new", "cur"):
        d = maildir / sub
        for p in d.iterdir() if d.is_dir() else ():
            try:
                with open(p, "rb") as f:
                    head = f.read(8192).split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
            except FileNotFoundError:
                continue
            m = re.search(rb"(?im)^Message-ID:\s*(<[^>\s]+>)", head)
            if m:
                out[m.group(1).decode()] += 1
    return out


def wait_for(pred, timeout, interval=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    return pred()


def http_status(url):
    try:
        c = http.client.HTTPConnection(urllib.parse.urlsplit(url).hostname,
                                       urllib.parse.urlsplit(url).port, timeout=5)
        c.request("GET", urllib.parse.urlsplit(url).path)
        st = c.getresponse().status
        c.close()
        return st
    except (OSError, http.client.HTTPException):
        return None


class Chaos:
    def __init__(self, transitions=1000, kills=5, clients=4, workers=2, smtp_down=8.0,
                 scenarios=SCENARIOS, instances_per_client=25, keep=False, seed=None,
                 rate=25.0):
        self.rate = rate
        self.transitions, self.kills, self.nclients = transitions, kills, clients
        self.nworkers, self.smtp_down, self.scenarios = workers, smtp_down, list(scenarios)
        self.per_client, self.keep = instances_per_client, keep
        self.rng = random.Random(seed)
        self.record = Record()
        self.events = collections.defaultdict(list)   # scenario -> [(what, seconds)]
        self.outbox_marks = {}                         # scenario -> (first id, last id)

    # -- helpers --

    def outbox_max(self):
        return int(self.stack.psql("SELECT coalesce(max(id), 0) FROM outbox")[0][0])

    def wait_until_count(self, scenario, n):
        while self.record.count(scenario) < n:
            time.sleep(0.05)

    def recovered(self, t, timeout=120):
        """How long nothing committed around t: waits for a 303 to a POST sent after t (a
        backend of a killed postmaster may still answer for a moment: that is not being
        back), then returns the longest pause between two 303s from the last one before t
        until a second after that one; None when none came."""
        got = wait_for(lambda: self.record.first_ok_after(t), timeout, 0.05)
        if got is None:
            return None
        time.sleep(1)
        with self.record.lock:
            done = sorted(r[5] for r in self.record.ok if r[5] <= got + 1)
        before = [x for x in done if x <= t]
        seq = before[-1:] + [x for x in done if x > t]
        return max((b - a for a, b in zip(seq, seq[1:])), default=got - t)

    def kill_points(self, k):
        """k commit counts, spread over the scenario, each somewhat at random."""
        step = self.transitions / (k + 1)
        return [int(step * (i + 1) + self.rng.uniform(-step / 3, step / 3)) for i in range(k)]

    # -- scenarios --

    def scenario_engine(self):
        for n in self.kill_points(self.kills):
            self.wait_until_count("engine", n)
            time.sleep(self.rng.uniform(0, 0.05))
            pid = self.stack._proc("engine").popen.pid
            os.kill(pid, signal.SIGKILL)
            t = time.monotonic()
            took = self.recovered(t)
            self.events["engine"].append(("engine killed", took))
            log(f"engine (pid {pid}) killed; no transition committed for {took:.2f} s")

    def scenario_worker(self):
        points = self.kill_points(self.kills)
        self.wait_until_count("worker", points[0])
        # Once in the middle of a delivery: the SMTP relay keeps the message back after DATA.
        self.relay.hold()
        if not self.relay.held_event.wait(30):
            raise RuntimeError("no delivery reached DATA within 30 s")
        held = self.relay.held
        pid = socket_owner(held["peer"], self.workers.pids())
        if pid is None:
            raise RuntimeError(f"no worker owns the SMTP connection from {held['peer']}")
        killed = next(i for i, p in enumerate(self.workers.procs) if p.pid == pid) + 1
        os.kill(pid, signal.SIGKILL)
        t = time.monotonic()
        mid = held["message_id"]
        got = wait_for(lambda: mid in message_ids(self.stack.maildir), 120, 0.05)
        took = time.monotonic() - t if got else None
        by = wait_for(lambda: [p.name for p in sorted(self.stack.logdir.glob("worker-*.log"))
                               if f"mail {mid} sent" in p.read_text(errors="replace")], 5)
        self.mid_delivery = {"message_id": mid, "seconds": took, "killed": f"worker-{killed}",
                             "by": ", ".join(b[:-4] for b in by) or "?"}
        self.events["worker"].append(("worker killed mid-delivery", took))
        log(f"worker (pid {pid}) killed while delivering {mid}; delivered "
            f"{'after %.2f s' % took if got else 'NOT within 120 s'}")
        for n in points[1:]:
            self.wait_until_count("worker", n)
            time.sleep(self.rng.uniform(0, 0.2))
            pid = self.rng.choice(self.workers.pids())
            os.kill(pid, signal.SIGKILL)
            t = time.monotonic()
            # Recovered: a mail queued after the kill has been delivered.
            after = self.outbox_max()
            took = wait_for(lambda: self.stack.psql(
                "SELECT 1 FROM outbox WHERE id > $1 AND sent_at IS NOT NULL LIMIT 1",
                after), 120, 0.1)
            took = time.monotonic() - t if took else None
            self.events["worker"].append(("worker killed", took))
            log(f"worker (pid {pid}) killed; mail delivered again after {took:.2f} s")

    def scenario_postgres(self):
        for n in self.kill_points(max(1, self.kills // 2)):
            self.wait_until_count("postgres", n)
            time.sleep(self.rng.uniform(0, 0.05))
            pid = self.stack._proc("postgres").popen.pid
            os.kill(pid, signal.SIGKILL)
            t = time.monotonic()
            took = self.recovered(t, timeout=180)
            self.events["postgres"].append(("postmaster killed", took))
            log(f"PostgreSQL postmaster (pid {pid}) killed; no transition committed for "
                f"{took:.2f} s")

    def scenario_smtp(self):
        self.wait_until_count("smtp", self.transitions // 4)
        self.stack.stop_sink()
        t = time.monotonic()
        log(f"SMTP sink stopped for {self.smtp_down:.0f} s")
        time.sleep(self.smtp_down)
        self.stack.restart_sink()
        t1 = time.monotonic()
        last = self.outbox_max()
        done = wait_for(lambda: not self.stack.psql(
            "SELECT 1 FROM outbox WHERE id <= $1 AND sent_at IS NULL LIMIT 1", last), 180, 0.1)
        took = time.monotonic() - t1 if done else None
        if not done:
            log("still unsent: " + repr(self.stack.psql(
                "SELECT id, attempts, next_attempt_at - now(), failed_at, last_error FROM outbox"
                " WHERE id <= $1 AND sent_at IS NULL LIMIT 5", last)))
        self.events["smtp"].append((f"sink down {t1 - t:.0f} s; backlog delivered", took))
        log(f"SMTP sink back; the mails queued meanwhile delivered after {took} s")

    # -- the whole run --

    def run(self):
        s = self.stack = Stack(login_burst=1000, threads=4,
                               serve_args=("--no-worker", "--mail-retry", "1"),
                               pg_options=("synchronous_commit=on",), keep_logs=self.keep)
        s.start()
        failed = True
        stop_sup = threading.Event()
        self.workers = None
        try:
            sup = threading.Thread(target=s.supervise, args=(stop_sup,), daemon=True)
            sup.start()
            self.relay = SmtpRelay(lambda: s.smtp_port)
            # The bootstrap's password mail goes through the workers too.
            self.workers = Workers(s, self.nworkers, self.relay.port)
            user = s.bootstrap()
            first_sign_in(s, user, DEFAULT_BOOTSTRAP["email"], timeout=30)
            s.run_imiflow("deploy", str(DEFINITION))
            stop = threading.Event()
            clients = []
            for i in range(self.nclients):
                b = signed_in(s, user)
                csrf = b.get("/").html().csrf()
                ids = []
                for _ in range(self.per_client):
                    r = b.post("/workflows/chaos/start", {"csrf": csrf})
                    ids.append(int(re.search(r"(\d+)$", r.location_path).group(1)))
                clients.append(Client(i + 1, s.url, "imiflow_session=" +
                                      b.cookie("imiflow_session"), csrf, ids, self.record,
                                      stop, self.nclients / self.rate))
            t0 = time.monotonic()
            for c in clients:
                c.start()
            for name in self.scenarios:
                first = self.outbox_max() + 1
                with self.record.lock:
                    self.record.scenario = name
                ts = time.monotonic()
                log(f"scenario {name}")
                getattr(self, "scenario_" + name)()
                self.wait_until_count(name, self.transitions)
                self.events[name + ":time"] = time.monotonic() - ts
                self.outbox_marks[name] = (first, None)
            with self.record.lock:
                self.record.scenario = "after"
            stop.set()
            for c in clients:
                c.join(RETRY_FOR_S + 30)
            self.load_seconds = time.monotonic() - t0
            last = self.outbox_max()
            names = list(self.outbox_marks)
            for i, name in enumerate(names):
                nxt = self.outbox_marks[names[i + 1]][0] - 1 if i + 1 < len(names) else last
                self.outbox_marks[name] = (self.outbox_marks[name][0], nxt)
            self.quiesce()
            self.results = self.verify()
            failed = not self.results["ok"]
            return self.results
        finally:
            stop_sup.set()
            if self.workers is not None:
                self.worker_codes = self.workers.stop()
            s.stop(failed=failed)

    def quiesce(self):
        """Waits until every mail is sent and every timer of the chaos instances fired."""
        s = self.stack
        wait_for(lambda: not s.psql(
            "SELECT 1 FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL LIMIT 1"), 180)
        wait_for(lambda: not s.psql(
            "SELECT 1 FROM wf_timers t JOIN wf_instances i ON i.id = t.instance_id"
            " WHERE i.definition = 'chaos' AND t.fired_at IS NULL AND t.cancelled_at IS NULL"
            " LIMIT 1"), 60)

    def verify(self):
        s, rec = self.stack, self.record
        res = {"problems": []}
        problems = res["problems"]
        # History: instance -> [(seq, event, note)]
        hist = collections.defaultdict(list)
        for iid, seq, ev, note in s.psql(
                "SELECT h.instance_id, h.seq, h.event, coalesce(h.inputs->>'note', '')"
                " FROM wf_history h JOIN wf_instances i ON i.id = h.instance_id"
                " WHERE i.definition = 'chaos' ORDER BY 1, 2"):
            hist[int(iid)].append((int(seq), ev, note))
        revs = {int(i): int(r) for i, r in s.psql(
            "SELECT id, rev FROM wf_instances WHERE definition = 'chaos'")}
        gaps = [i for i, rows in hist.items()
                if [r[0] for r in rows] != list(range(1, len(rows) + 1)) or revs[i] != len(rows)]
        if gaps:
            problems.append(f"history gaps (or rev != last seq) on instances {gaps[:10]}")
        where = collections.defaultdict(list)        # (instance, note) -> [seq]
        for iid, rows in hist.items():
            for seq, ev, note in rows:
                if ev == "tick":
                    where[(iid, note)].append(seq)
        twice = [k for k, v in where.items() if len(v) > 1]
        if twice:
            problems.append(f"{len(twice)} notes committed twice: {twice[:5]}")
        lost = collections.Counter()
        wrong_rev = []
        for sc, iid, rev, note, _, _ in rec.ok:
            seqs = where.get((iid, note), [])
            if not seqs:
                lost[sc] += 1
            elif seqs != [rev + 1]:
                wrong_rev.append((iid, rev, note, seqs))
        for sc, iid, seq, note in rec.found:
            if where.get((iid, note), []) != [seq]:
                lost[sc] += 1
        if sum(lost.values()):
            problems.append(f"committed transitions missing from the history: {dict(lost)}")
        if wrong_rev:
            problems.append(f"303s whose history row has another seq: {wrong_rev[:5]}")
        # Mail: one outbox row per tick, each delivered at least once.
        ticks = collections.Counter()
        for iid, rows in hist.items():
            ticks[iid] = sum(1 for r in rows if r[1] == "tick")
        outbox = [(int(i), m, int(iid), sent == "t", failed == "t") for i, m, iid, sent, failed
                  in s.psql("SELECT o.id, o.message_id, o.instance_id, o.sent_at IS NOT NULL,"
                            " o.failed_at IS NOT NULL FROM outbox o JOIN wf_instances i"
                            " ON i.id = o.instance_id WHERE i.definition = 'chaos'")]
        per_instance = collections.Counter(o[2] for o in outbox)
        unqueued = {i: (ticks[i], per_instance[i]) for i in hist if ticks[i] != per_instance[i]}
        if unqueued:
            problems.append(f"instances whose ticks and queued mails differ (ticks, mails): "
                            f"{dict(list(unqueued.items())[:5])}")
        got = message_ids(s.maildir)
        res["scenarios"] = []
        mails_lost_total = 0
        for name in self.scenarios:
            lo, hi = self.outbox_marks[name]
            mine = [o for o in outbox if lo <= o[0] <= hi]
            mlost = sum(1 for o in mine if got[o[1]] == 0)
            dups = sum(got[o[1]] - 1 for o in mine if got[o[1]] > 1)
            mails_lost_total += mlost
            committed = sum(1 for r in rec.ok if r[0] == name)
            found = sum(1 for r in rec.found if r[0] == name)
            recov = [e[1] for e in self.events[name]]
            res["scenarios"].append({
                "name": name, "committed": committed, "found": found,
                "lost": lost[name], "mails": len(mine), "mails_lost": mlost,
                "duplicates": dups, "events": list(self.events[name]),
                "recovery_max": max((r for r in recov if r is not None), default=None),
                "unrecovered": sum(1 for r in recov if r is None),
                "seconds": self.events.get(name + ":time"),
                "statuses": {str(k[1]): v for k, v in rec.statuses.items() if k[0] == name},
                "gave_up": sum(1 for g in rec.gave_up if g[0] == name)})
        if mails_lost_total:
            problems.append(f"{mails_lost_total} mails of committed transitions never "
                            f"delivered")
        # Timers: each fired once (one beat per fired timer), none left behind.
        beats = collections.Counter()
        for iid, rows in hist.items():
            beats[iid] = sum(1 for r in rows if r[1] == "beat")
        fired, pending = collections.Counter(), 0
        for iid, f, p in s.psql(
                "SELECT t.instance_id, count(*) FILTER (WHERE t.fired_at IS NOT NULL),"
                " count(*) FILTER (WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL)"
                " FROM wf_timers t JOIN wf_instances i ON i.id = t.instance_id"
                " WHERE i.definition = 'chaos' GROUP BY 1"):
            fired[int(iid)] = int(f)
            pending += int(p)
        twice_t = {i: (beats[i], fired[i]) for i in hist if beats[i] != fired[i]}
        if twice_t:
            problems.append(f"instances whose beats and fired timers differ (beats, fired): "
                            f"{dict(list(twice_t.items())[:5])}")
        if pending:
            problems.append(f"{pending} timers neither fired nor cancelled (stuck)")
        res["timers_fired"] = sum(fired.values())
        res["gave_up"] = len(rec.gave_up)
        if rec.gave_up:
            problems.append(f"{len(rec.gave_up)} transitions the clients gave up on")
        # The service answers, with nothing done by hand.
        res["healthz"] = http_status(s.url + "/healthz")
        if res["healthz"] != 200:
            problems.append(f"/healthz answers {res['healthz']}")
        mid = getattr(self, "mid_delivery", None)
        res["mid_delivery"] = mid
        if mid is not None and (mid["seconds"] is None or mid["seconds"] > 10):
            problems.append(f"the mail of the worker killed mid-delivery took "
                            f"{mid['seconds']} s")
        res["duplicated_mails"] = sum(x["duplicates"] for x in res["scenarios"])
        res["ok"] = not problems
        return res


def summary(res):
    lines = []
    for x in res["scenarios"]:
        rmax = "n/a" if x["recovery_max"] is None else f"{x['recovery_max']:.2f} s"
        kinds = collections.Counter(e[0] for e in x["events"])
        what = ", ".join(f"{n} x {k}" for k, n in kinds.items())
        lines.append(f"{x['name']:9} committed {x['committed'] + x['found']:5} "
                     f"(303: {x['committed']}, found after a retry: {x['found']})  "
                     f"lost {x['lost']}  mails {x['mails']} lost {x['mails_lost']} "
                     f"duplicated {x['duplicates']}  recovery max {rmax}"
                     + (f" ({x['unrecovered']} never)" if x["unrecovered"] else "")
                     + f"  [{what}; other answers {x['statuses'] or '-'}]")
    mid = res.get("mid_delivery")
    if mid:
        lines.append(f"mid-delivery kill of {mid['killed']}: {mid['message_id']} delivered by "
                     f"{mid['by']} after {mid['seconds']:.2f} s" if mid["seconds"] is not None else
                     f"mid-delivery kill: {mid['message_id']} NOT delivered")
    lines.append(f"timers fired {res['timers_fired']}; /healthz {res['healthz']}; "
                 + ("all invariants hold" if res["ok"] else "PROBLEMS: " +
                    "; ".join(res["problems"])))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(usage="%(prog)s [options]",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--transitions", type=int, default=1000,
                    help="ticks answered 303 per scenario (default 1000)")
    ap.add_argument("--kills", type=int, default=5, help="kills per scenario (default 5)")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rate", type=float, default=25.0,
                    help="ticks per second, all clients together (default 25: below what "
                         "the workers deliver, so the outbox keeps up)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--smtp-down", type=float, default=8.0,
                    help="seconds the SMTP sink stays down (default 8)")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--seed", type=int)
    ap.add_argument("--keep", action="store_true", help="keep the logs and mail")
    args = ap.parse_args()
    ch = Chaos(transitions=args.transitions, kills=args.kills, clients=args.clients,
               workers=args.workers, smtp_down=args.smtp_down,
               scenarios=[x for x in args.scenarios.split(",") if x], keep=args.keep,
               seed=args.seed, rate=args.rate)
    res = ch.run()
    print(summary(res))
    return 0 if res["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
