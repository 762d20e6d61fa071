#!/usr/bin/python3
"""bench/broadcast.py -- one broadcast to 30 countries x 20 authorities over HTTP, beside one
ordinary transition; issue 14's goal is a broadcast to 600 authorities in under 50
transitions' time.  And a case page with 1,000 comments beside one with 10 (paginated: flat).

    /usr/bin/python3 bench/broadcast.py [--rounds 5] [--authorities 20] [--users 3]
                                        [--handlers 2] [--ordinary 20] [--no-count]

The setup is set-based SQL on the private cluster: 20 authorities in each of the 30
countries, each active (an authority instance), with a granted Coordinator access to
services-alerts (a module-access instance) and --users users, the first --handlers of whom are
Handlers of the module (the first also Administrator and Approver, every user a Viewer), in
the four languages in turn.  The sender is the bootstrapped authority, with an Authority
access and its administrator a Handler.  bench/broadcast.xml is deployed.

Each round starts an instance, fires 'note' (to its own state: no participants, no mail)
--ordinary times, then 'broadcast' naming the 30 countries: every coordinator of them joins
as a participant in one INSERT ... SELECT and every new participant's Handlers get a mail
rendered and queued in the outbox, in the same transaction.  Each is one POST with CSRF and
revision, timed by a keep-alive client from the request to the 303; the figures are medians.
The rows each broadcast wrote (participants, outbox) are counted.  Unless --no-count, one
more ordinary transition and one more broadcast run untimed with log_statement=all (the
statements PostgreSQL ran for each) and strace counting the engine's sendto calls to
PostgreSQL (its round trips; a pipeline larger than libpq's buffer takes more than one).
Last, three cases in 'sent' get comments by SQL (10; 1,000; 1,000 with the history row each
comment's transition would have written) and their page GET /instances/ID is timed.

The engine runs with --no-worker: the mails stay queued (nothing delivers them while later
rounds are timed, or takes part in the counts), and the administrator's temporary password is
read from the outbox.

Starts its own stack (tests/lib/stack.py), prints figures, asserts nothing."""

import argparse
import http.client
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TOP / "tests" / "lib"))
sys.path.insert(0, str(TOP / "bench"))
from browser import Browser  # noqa: E402
from stack import Stack, _temporary_password_lines  # noqa: E402

PASSWORD = "Bench7mark"
MODULE = "services-alerts"
DEFINITION = "bench-broadcast"


def sign_in(s, user):
    """As transitions.sign_in, with the temporary password read from the outbox (no worker
    delivers it); returns the administrator's signed-in Browser."""
    body = s.psql("SELECT body FROM outbox ORDER BY id DESC LIMIT 1")[0][0]
    m = _temporary_password_lines().search(body)
    temp = next(g for g in m.groups() if g)
    b = Browser(s.url)
    b.get("/login")
    b.post("/login", {"username": user, "password": temp, "csrf": b.cookie("imiflow_login")})
    page = b.get("/password").html()
    b.post("/password", {"current": temp, "new": PASSWORD, "confirm": PASSWORD,
                         "csrf": page.csrf()})
    return b


def setup_sql(s, per_country, users, handlers):
    """The authorities, their accesses and users, set-based; returns (admin user id, sender
    authority id)."""
    s.psql(f"""
        CREATE TEMP TABLE v AS SELECT
          (SELECT max(version) FROM wf_definitions WHERE name = 'authority') AS av,
          (SELECT max(version) FROM wf_definitions WHERE name = 'module-access') AS mv;
        INSERT INTO authorities (official_name, country, email)
        SELECT format('Bench %s %s', c.code, n), c.code,
               format('bench-%s-%s@example.invalid', lower(c.code), n)
          FROM countries c, generate_series(1, {int(per_country)}) n;
        CREATE TEMP TABLE bench AS
          SELECT id FROM authorities WHERE official_name LIKE 'Bench %';
        WITH i AS (
          INSERT INTO wf_instances (definition, version, state, authority_id, seen_by)
          SELECT 'authority', v.av, 'active', b.id, 'managed' FROM bench b, v
          RETURNING id, authority_id)
        UPDATE authorities a SET instance_id = i.id FROM i WHERE a.id = i.authority_id;
        WITH i AS (
          INSERT INTO wf_instances (definition, version, state, module, authority_id, seen_by)
          SELECT 'module-access', v.mv, 'granted', '{MODULE}', b.id, 'managed' FROM bench b, v
          RETURNING id, authority_id)
        INSERT INTO module_accesses (authority_id, module, role, instance_id)
        SELECT i.authority_id, '{MODULE}', 'coordinator', i.id FROM i;
        INSERT INTO users (authority_id, username, email, first_name, last_name, language,
                           password_state)
        SELECT b.id, format('bench-%s-%s', b.id, k), format('bench-%s-%s@example.invalid', b.id, k),
               format('User %s', k), format('of %s', b.id),
               (ARRAY['en', 'da', 'nl', 'ro'])[1 + (b.id + k) % 4], 'valid'
          FROM bench b, generate_series(1, {int(users)}) k;
        INSERT INTO user_roles (user_id, module, role)
        SELECT u.id, r.module, r.role FROM users u JOIN bench b ON b.id = u.authority_id
          CROSS JOIN LATERAL (SELECT substring(u.username from '-(\d+)$')::int AS k) x
          JOIN (VALUES ('', 'administrator', 1), ('{MODULE}', 'approver', 1),
                       ('{MODULE}', 'handler', {int(handlers)}), ('{MODULE}', 'viewer', 1000))
               r(module, role, upto) ON x.k <= r.upto;
        """)
    admin, sender = s.psql("SELECT id, authority_id FROM users WHERE username NOT LIKE 'bench-%'"
                           " ORDER BY id LIMIT 1")[0]
    s.psql(f"""
        WITH i AS (
          INSERT INTO wf_instances (definition, version, state, module, authority_id, seen_by)
          SELECT 'module-access', (SELECT max(version) FROM wf_definitions
                                    WHERE name = 'module-access'), 'granted', '{MODULE}', $1,
                 'managed'
          RETURNING id)
        INSERT INTO module_accesses (authority_id, module, role, instance_id)
        SELECT $1, '{MODULE}', 'authority', i.id FROM i;
        INSERT INTO user_roles (user_id, module, role)
        VALUES ($2, '{MODULE}', 'handler'), ($2, '{MODULE}', 'viewer');
        ANALYZE;
        """, sender, admin)
    return int(admin), int(sender)


class Client:
    """One keep-alive connection with a signed-in session; post() and get() time the request
    to its last byte."""

    def __init__(self, s, browser):
        self.u = urllib.parse.urlsplit(s.url)
        self.cookie = "imiflow_session=" + browser.cookie("imiflow_session")
        self.csrf = browser.get("/").html().csrf()
        self.conn = http.client.HTTPConnection(self.u.hostname, self.u.port, timeout=600)

    def request(self, method, path, fields=None):
        body = urllib.parse.urlencode(fields) if fields is not None else None
        headers = {"Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        self.conn.request(method, path, body, headers)
        r = self.conn.getresponse()
        data = r.read()
        elapsed = time.perf_counter() - t0
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.u.hostname, self.u.port, timeout=600)
        return r, data, elapsed

    def start(self):
        r, _, _ = self.request("POST", f"/workflows/{DEFINITION}/start", [("csrf", self.csrf)])
        assert r.status == 303, r.status
        return int(re.search(r"/instances/(\d+)$", r.getheader("Location")).group(1))

    def fire(self, iid, rev, event, fields=()):
        r, data, elapsed = self.request("POST", f"/instances/{iid}/fire/{event}",
                                        [("csrf", self.csrf), ("rev", str(rev)), *fields])
        if r.status != 303:
            raise SystemExit(f"{event} on {iid} answered {r.status}:\n{data[:2000]!r}")
        return elapsed


def countries(s):
    return [("countries", c) for (c,) in s.psql("SELECT code FROM countries ORDER BY code")]


def written(s, iid):
    """(participants, mails queued, distinct recipients) of instance iid."""
    p, m, r = s.psql("SELECT (SELECT count(*) FROM wf_participants WHERE instance_id = $1),"
                     " (SELECT count(*) FROM outbox WHERE instance_id = $1),"
                     " (SELECT count(DISTINCT recipient) FROM outbox WHERE instance_id = $1)",
                     iid)[0]
    return int(p), int(m), int(r)


def expected(s):
    """(coordinators of the module, their Handlers): what a broadcast to every country adds."""
    a, u = s.psql("SELECT count(DISTINCT m.authority_id), count(DISTINCT u.id)"
                  " FROM module_members($1) m LEFT JOIN users u ON u.authority_id = m.authority_id"
                  "  AND u.deleted_at IS NULL AND EXISTS (SELECT 1 FROM user_roles r"
                  "   WHERE r.user_id = u.id AND r.module = $1 AND r.role = 'handler')"
                  " WHERE m.access_role = 'coordinator'", MODULE)[0]
    return int(a), int(u)


def engine_statements(lines):
    """The statements PostgreSQL logged for the engine: psql's lines name psql."""
    return sum(1 for ln in lines if not ln.startswith("[psql] ") and
               re.search(r"LOG:  (statement|execute [^:]*):", ln))


def counted(s, action):
    """Runs action() (one request, untimed) with log_statement=all and strace counting the
    engine's sendto calls: (statements PostgreSQL ran for the engine, sendto calls)."""
    log = s.logdir / "postgresql.log"
    s.psql("ALTER SYSTEM SET log_statement = 'all';"
           " ALTER SYSTEM SET log_line_prefix = '[%a] '; SELECT pg_reload_conf()")
    time.sleep(0.5)
    offset = log.stat().st_size
    trace = subprocess.Popen(["strace", "-f", "-c", "-e", "trace=sendto",
                              "-p", str(s.engine.popen.pid)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)      # strace attaches to every thread
    action()
    time.sleep(0.5)
    trace.send_signal(signal.SIGINT)
    _, err = trace.communicate(timeout=30)
    s.psql("ALTER SYSTEM RESET log_statement; ALTER SYSTEM RESET log_line_prefix;"
           " SELECT pg_reload_conf()")
    with open(log, errors="replace") as f:
        f.seek(offset)
        statements = engine_statements(f.read().splitlines())
    m = re.search(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?sendto\s*$", err, re.M)
    return statements, int(m.group(1)) if m else None


def page_time(c, path, n):
    times = []
    size = 0
    for _ in range(n):
        r, data, elapsed = c.request("GET", path)
        assert r.status == 200, r.status
        times.append(elapsed)
        size = len(data)
    return statistics.median(times), size


def comments_case(s, c, admin, sender, comments, history, gets):
    """An instance in 'sent' with comments rows (and, with history, the history row each
    comment's transition would have written), inserted by SQL; the page's median time."""
    iid = c.start()
    c.fire(iid, 1, "broadcast", [("countries", "MT")])
    s.psql("""
        INSERT INTO wf_comments (instance_id, seq, type, body, by_user, by_authority)
        SELECT $1, 2 + n, 'comment', format('Comment %s: %s', n, repeat('text ', 20)), $2, $3
          FROM generate_series(1, $4::int) n;
        INSERT INTO wf_history (instance_id, seq, event, from_state, to_state, actor_kind,
                                actor_user_id, actor_authority_id)
        SELECT $1, 2 + n, 'comment', 'sent', 'sent', 'user', $2, $3
          FROM generate_series(1, $4::int) n WHERE $5::boolean;
        UPDATE wf_instances SET rev = rev + CASE WHEN $5::boolean THEN $4::int ELSE 0 END
         WHERE id = $1;
        ANALYZE wf_comments; ANALYZE wf_history;
        """, iid, admin, sender, comments, "true" if history else "false")
    t, size = page_time(c, f"/instances/{iid}", gets)
    return t, size, iid


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--authorities", type=int, default=20, help="per country (30 countries)")
    ap.add_argument("--users", type=int, default=3, help="per authority")
    ap.add_argument("--handlers", type=int, default=2, help="of those users, Handlers")
    ap.add_argument("--ordinary", type=int, default=20, help="ordinary transitions a round")
    ap.add_argument("--gets", type=int, default=20, help="case page requests a case")
    ap.add_argument("--no-count", action="store_true", help="no log_statement/strace round")
    args = ap.parse_args()
    with Stack(login_burst=1000, threads=4, serve_args=["--no-worker"]) as s:
        browser = sign_in(s, s.bootstrap())
        s.run_imiflow("deploy", str(TOP / "bench" / "broadcast.xml"))
        t0 = time.perf_counter()
        admin, sender = setup_sql(s, args.authorities, args.users, args.handlers)
        n_auth, n_users = expected(s)
        print(f"setup: {n_auth} coordinators in 30 countries, {n_users} of their users Handlers"
              f" ({time.perf_counter() - t0:.1f} s of SQL)", flush=True)
        c = Client(s, browser)
        everywhere = countries(s)
        # Warm-up: the engine's prepared statements, the stylesheets, the caches.
        iid = c.start()
        c.fire(iid, 1, "note")
        c.fire(iid, 2, "broadcast", everywhere)
        ordinary, broadcast = [], []
        for n in range(1, args.rounds + 1):
            iid = c.start()
            times = [c.fire(iid, rev, "note") for rev in range(1, args.ordinary + 1)]
            t = c.fire(iid, args.ordinary + 1, "broadcast", everywhere)
            p, m, r = written(s, iid)
            ordinary.append(statistics.median(times))
            broadcast.append(t)
            print(f"round {n}: ordinary transition {1000 * ordinary[-1]:7.2f} ms (median of "
                  f"{args.ordinary}); broadcast {1000 * t:8.1f} ms = {t / ordinary[-1]:5.0f} "
                  f"transitions; wrote {p} participants (of {n_auth}), {m} mails to {r} "
                  f"addresses (of {n_users})", flush=True)
        o, b = statistics.median(ordinary), statistics.median(broadcast)
        print(f"ordinary transition, median of {args.rounds} rounds: {1000 * o:7.2f} ms")
        print(f"broadcast to {n_auth} authorities ({n_users} mails), median: {1000 * b:8.1f} ms")
        print(f"ratio: a broadcast costs {b / o:.0f} ordinary transitions; goal < 50: "
              f"{'holds' if b / o < 50 else 'missed'}")
        if not args.no_count:
            iid = c.start()
            statements, sends = counted(s, lambda: c.fire(iid, 1, "note"))
            print(f"one ordinary transition: {statements} statements run by PostgreSQL for the "
                  f"engine (log_statement), {sends} sendto calls by the engine (strace: its "
                  f"round trips, or more for a pipeline larger than libpq's buffer)")
            statements, sends = counted(s, lambda: c.fire(iid, 2, "broadcast", everywhere))
            p, m, r = written(s, iid)
            print(f"one broadcast ({p} participants, {m} mails): {statements} statements, "
                  f"{sends} sendto calls")
        few = comments_case(s, c, admin, sender, 10, False, args.gets)
        many = comments_case(s, c, admin, sender, 1000, False, args.gets)
        logged = comments_case(s, c, admin, sender, 1000, True, args.gets)
        print(f"case page, 10 comments:    {1000 * few[0]:7.2f} ms, {few[1]} bytes "
              f"(median of {args.gets})")
        print(f"case page, 1,000 comments: {1000 * many[0]:7.2f} ms, {many[1]} bytes "
              f"({many[0] / few[0]:.2f}x)")
        print(f"case page, 1,000 comments and their 1,000 history rows: {1000 * logged[0]:7.2f}"
              f" ms, {logged[1]} bytes ({logged[0] / few[0]:.2f}x)")


if __name__ == "__main__":
    main()
