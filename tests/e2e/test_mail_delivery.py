#!/usr/bin/python3
"""End-to-end: engine/mail/mail.c delivers to a real SMTP sink (aiosmtpd, Maildir).

Starts `python3 -m aiosmtpd ... -c aiosmtpd.handlers.Mailbox MAILDIR` on a free
loopback port, runs tests/mail/mailstress (path from $MAILSTRESS, default
./tests/mail/mailstress) with 300 messages on one thread and 200 on four
threads, stops the sink, then checks what the Maildir holds: every message
once, one Message-ID each, the UTF-8 subject decoded back, the body (with its
lines that start with '.') intact.  Then a run against a closed port must fail
as transient (permanent=0); refusals by a real aiosmtpd server with a refusing
handler (550 on RCPT, 554 after DATA: permanent; 450, 451: transient) and
misbehaving scripted servers (never greets, greets 554, hangs up after 354)
must be classified right, and the last must not kill the process by SIGPIPE.
Sanitizer reports on the binary's stderr fail the run.  TAP on stdout
(tests/lib/tap.py).

The texts of message i are rebuilt by subject()/body() below; they mirror
make_subject()/make_body() in tests/mail/mailstress.c.

    /usr/bin/python3 tests/e2e/test_mail_delivery.py
    MAILTEST_KEEP=1 ...   keeps the work directory (kept anyway on failure)
"""

import email.parser
import email.policy
import email.utils
import functools
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))

import tap  # noqa: E402

COUNT = 300
PAR_COUNT = 200
PAR_THREADS = 4
BATCH_COUNT = 400      # in sessions of BATCH_SIZE messages
BATCH_SIZE = 50
MSGID = re.compile(r"^<mailstress\.(\d+)\.(\d+)@imiflow\.test>$")
SUMMARY = re.compile(r"^sent (\d+) failed (\d+) threads (\d+) seconds ([\d.]+) msgs/s ([\d.]+)$",
                     re.MULTILINE)
DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} "
                  r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
                  r"\d\d:\d\d:\d\d [+-]\d{4}$")
SANITIZER = re.compile(r"ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:")

_failed = []


def noting_failure(fn):
    """Remember that a test failed, so the work directory is kept."""
    @functools.wraps(fn)
    def wrapper(*a, **kw):
        try:
            return fn(*a, **kw)
        except BaseException:
            _failed.append(fn.__name__)
            raise
    return wrapper


# -- the texts of message i (keep in step with tests/mail/mailstress.c) ------

def plain(i):
    return i % 10 == 0


def subject(i):
    if plain(i):
        return "mailstress %d plain subject" % i
    if i % 3 == 0:
        return ("Prøve %d: ţară, Ærø, naïve — ✓ 日本語 … and a much "
                "longer tail that needs several encoded-words ✓✓✓ end" % i)
    return "Prøve %d: ţară, Ærø — ✓" % i


def body(i):
    return ("Hello %d,\n"
            ".this line starts with a dot\n"
            ".\n"
            "..two dots\n"
            "%s\n"
            "Link: http://127.0.0.1:8080/approve?token=abc%d&x=1 and a long tail "
            "0123456789 0123456789 0123456789 0123456789 0123456789 0123456789 end\n"
            "= equals at the start\n"
            "trailing space and tab \t\n"
            "%s\n"
            "last line\n"
            % (i, "ASCII only line" if plain(i) else "Ünïcödé: Ærø ţară 日本語 ✓", i,
               "plain again" if plain(i) else
               "ţ€𝄞 a long UTF-8 line " + "ţ" * 58 + " " + "𝄞" * 20 + " end"))


# -- helpers -----------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_smtp(port, proc, log, timeout=20.0):
    """Until the sink answers with its 220 greeting."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("SMTP sink exited with %s:\n%s" % (proc.returncode, read(log)))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                if s.recv(512).startswith(b"220"):
                    s.sendall(b"QUIT\r\n")
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("SMTP sink not ready on port %d:\n%s" % (port, read(log)))


def stop_pid(proc):
    """Stop a child we started, by its PID: SIGTERM, then SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as e:
        return "(%s)" % e


def mailstress_path():
    p = os.environ.get("MAILSTRESS", "./tests/mail/mailstress")
    if not os.path.isabs(p) and not os.path.exists(p):
        alt = os.path.join(TOP, p)
        if os.path.exists(alt):
            p = alt
    return os.path.abspath(p)


class Run:
    """One mailstress run: its PID (the Message-IDs carry it), status, output."""

    def __init__(self, workdir, name, args, env=None):
        self.out_path = os.path.join(workdir, name + ".out")
        self.err_path = os.path.join(workdir, name + ".err")
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            proc = subprocess.Popen([mailstress_path()] + [str(a) for a in args],
                                    stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    env=dict(os.environ, **(env or {})))
            try:
                self.status = proc.wait(timeout=600)
            except subprocess.TimeoutExpired:
                stop_pid(proc)
                self.status = "timeout"
        self.pid = proc.pid
        self.stdout = read(self.out_path)
        self.stderr = read(self.err_path)
        m = SUMMARY.search(self.stdout)
        self.summary = m.groups() if m else None

    def fails(self):
        """[(index, permanent, err)] from the FAIL lines."""
        return re.findall(r"^FAIL (\d+) permanent=(-?\d+) err=(.*)$", self.stdout, re.MULTILINE)

    def describe(self):
        return "status %s\n--- stdout\n%s\n--- stderr\n%s" % (
            self.status, self.stdout[-3000:], self.stderr[-3000:])


class Refuser:
    """aiosmtpd handler: the recipient's local part says how to refuse."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bad@"):
            return "550 5.1.1 no such user"
        if address.startswith("busy@"):
            return "450 4.2.1 mailbox busy"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        to = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        if to.startswith("reject@"):
            return "554 5.6.0 content rejected"
        if to.startswith("later@"):
            return "451 4.3.0 try again later"
        return "250 OK"


class Scripted:
    """A raw TCP server that misbehaves on purpose, one mode per instance:
    silent (never greets), greet554 (refuses the session), hangup (closes
    with a reset right after answering DATA with 354)."""

    def __init__(self, mode):
        self.mode = mode
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            if self.mode == "silent":
                return  # keep the connection open, say nothing
            f = conn.makefile("rb")
            if self.mode == "greet554":
                conn.sendall(b"554 5.3.2 no service here\r\n")
            else:
                conn.sendall(b"220 scripted ESMTP\r\n")
            for line in f:
                cmd = line.strip().upper()
                if cmd.startswith(b"QUIT"):
                    conn.sendall(b"221 bye\r\n")
                    break
                if self.mode == "greet554":
                    conn.sendall(b"503 5.5.1 no service\r\n")
                elif cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                    conn.sendall(b"250 scripted\r\n")
                elif cmd.startswith(b"DATA"):
                    conn.sendall(b"354 go ahead\r\n")
                    # reset, so the client's next write gets EPIPE and SIGPIPE
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    conn.close()
                    return
                else:
                    conn.sendall(b"250 ok\r\n")
        except OSError:
            pass

    def stop(self):
        self.stopping = True
        self.sock.close()
        for c in self.conns:
            try:
                c.close()
            except OSError:
                pass


def load_maildir(path):
    """{pid: {index: [message, ...]}} of every stored mail, plus the files read."""
    parser = email.parser.BytesParser(policy=email.policy.default)
    by_pid, files, strays = {}, 0, []
    for sub in ("new", "cur"):
        d = os.path.join(path, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), "rb") as f:
                msg = parser.parse(f)
            files += 1
            ids = msg.get_all("Message-ID") or []
            m = MSGID.match(str(ids[0]).strip()) if ids else None
            if m is None:
                strays.append(name)
                continue
            by_pid.setdefault(int(m.group(1)), {}).setdefault(int(m.group(2)), []).append(msg)
    return by_pid, files, strays


# -- the tests ----------------------------------------------------------------

class MailDelivery(unittest.TestCase):
    workdir = None

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="imiflow-mail-")
        cls.maildir = os.path.join(cls.workdir, "Maildir")
        sink_log = os.path.join(cls.workdir, "sink.log")
        port = free_port()
        sink = None
        try:
            with open(sink_log, "wb") as log:
                sink = subprocess.Popen(
                    ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
                     "-c", "aiosmtpd.handlers.Mailbox", cls.maildir],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            wait_smtp(port, sink, sink_log)
            cls.seq = Run(cls.workdir, "sequential", ["127.0.0.1", port, COUNT])
            cls.par = Run(cls.workdir, "parallel",
                          ["127.0.0.1", port, PAR_COUNT, PAR_THREADS])
            # The outbox worker's way: many messages a session (libesmtp issue #30).
            cls.batched = Run(cls.workdir, "batched", ["127.0.0.1", port, BATCH_COUNT],
                              env={"MAILSTRESS_BATCH": str(BATCH_SIZE)})
            # let the sink finish writing what it has acknowledged
            time.sleep(0.5)
        finally:
            stop_pid(sink)
        cls.by_pid, cls.files, cls.strays = load_maildir(cls.maildir)

        # A closed port: bound but not listening, so connect() is refused.
        closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            closed.bind(("127.0.0.1", 0))
            cls.closed = Run(cls.workdir, "closed", ["127.0.0.1", closed.getsockname()[1], 3])
        finally:
            closed.close()

        # Refusals from a real aiosmtpd server (in this process, own handler).
        from aiosmtpd.controller import Controller
        ctl = Controller(Refuser(), hostname="127.0.0.1", port=free_port())
        ctl.start()
        try:
            cls.refusals = {
                to: Run(cls.workdir, "refuse-" + to.split("@")[0],
                        ["127.0.0.1", ctl.port, 1, 1, to])
                for to in ("bad@imiflow.test", "busy@imiflow.test",
                           "reject@imiflow.test", "later@imiflow.test", "good@imiflow.test")}
            # A refused recipient in a session of several: each message judged on its own.
            cls.batch_refused = Run(cls.workdir, "batch-refused",
                                    ["127.0.0.1", ctl.port, 5, 1, "bad@imiflow.test"],
                                    env={"MAILSTRESS_BATCH": "5"})
        finally:
            ctl.stop()

        # Servers that misbehave; 1 s timeouts so "silent" ends quickly.
        cls.scripted = {}
        for mode in ("silent", "greet554", "hangup"):
            srv = Scripted(mode)
            try:
                t0 = time.monotonic()
                run = Run(cls.workdir, "scripted-" + mode, ["127.0.0.1", srv.port, 1],
                          env={"MAILSTRESS_TIMEOUT": "1"})
                run.elapsed = time.monotonic() - t0
                cls.scripted[mode] = run
            finally:
                srv.stop()

    @classmethod
    def tearDownClass(cls):
        if cls.workdir is None:
            return
        if _failed or os.environ.get("MAILTEST_KEEP") == "1":
            sys.stderr.write("mail test: work directory kept: %s\n" % cls.workdir)
        else:
            shutil.rmtree(cls.workdir, ignore_errors=True)

    def messages(self, run):
        return self.by_pid.get(run.pid, {})

    # 01
    @noting_failure
    def test_01_sequential_run_succeeds(self):
        r = self.seq
        self.assertEqual(r.status, 0, r.describe())
        self.assertIsNotNone(r.summary, r.describe())
        self.assertEqual(int(r.summary[0]), COUNT, r.describe())
        self.assertIn("selfcheck 10 cases, 0 failed", r.stdout, r.describe())
        sys.stderr.write("mail test: sequential: %s msgs in %s s = %s msgs/s\n"
                         % (r.summary[0], r.summary[3], r.summary[4]))

    # 02
    @noting_failure
    def test_02_every_message_stored_once(self):
        msgs = self.messages(self.seq)
        self.assertEqual(sorted(msgs), list(range(COUNT)),
                         "indexes stored: %d of %d" % (len(msgs), COUNT))
        dup = {i: len(v) for i, v in msgs.items() if len(v) != 1}
        self.assertEqual(dup, {}, "messages stored more than once")
        self.assertEqual(self.strays, [], "mails without a mailstress Message-ID")
        self.assertEqual(self.files, COUNT + PAR_COUNT + BATCH_COUNT)

    # 03
    @noting_failure
    def test_03_one_message_id_header_each(self):
        seen = set()
        for i, (msg,) in sorted(self.messages(self.seq).items()):
            ids = msg.get_all("Message-ID")
            self.assertEqual(len(ids), 1, "message %d has %d Message-ID headers" % (i, len(ids)))
            mid = str(ids[0]).strip()
            self.assertNotIn(mid, seen)
            seen.add(mid)
            self.assertEqual(mid, "<mailstress.%d.%d@imiflow.test>" % (self.seq.pid, i))

    # 04
    @noting_failure
    def test_04_subject_decodes_to_utf8(self):
        for i, (msg,) in sorted(self.messages(self.seq).items()):
            self.assertEqual(str(msg["Subject"]), subject(i), "message %d" % i)
            raw = msg.get_all("Subject")
            self.assertEqual(len(raw), 1)

    # 05
    @noting_failure
    def test_05_body_and_dot_lines_intact(self):
        for i, (msg,) in sorted(self.messages(self.seq).items()):
            text = msg.get_content().replace("\r\n", "\n")
            self.assertEqual(text, body(i), "message %d" % i)
            lines = text.split("\n")
            self.assertIn(".this line starts with a dot", lines)
            self.assertIn(".", lines)
            self.assertIn("..two dots", lines)

    # 06
    @noting_failure
    def test_06_headers(self):
        for i, (msg,) in sorted(self.messages(self.seq).items()):
            self.assertRegex(str(msg["Date"]), DATE)
            self.assertIsNotNone(email.utils.parsedate_to_datetime(str(msg["Date"])))
            self.assertEqual(str(msg["From"]), "mailstress@imiflow.test")
            self.assertEqual(str(msg["To"]), "sink@imiflow.test")
            self.assertEqual(str(msg["Sender"]), "sender@imiflow.test")
            self.assertEqual(str(msg["X-Mailstress"]), str(i))
            self.assertEqual(str(msg["MIME-Version"]), "1.0")
            self.assertEqual(msg.get_content_type(), "text/plain")
            self.assertEqual(msg.get_content_charset(), "utf-8")
            self.assertEqual(str(msg["Content-Transfer-Encoding"]),
                             "7bit" if plain(i) else "quoted-printable")
            self.assertEqual(str(msg["X-MailFrom"]), "mailstress@imiflow.test")
            self.assertEqual(str(msg["X-RcptTo"]), "sink@imiflow.test")

    # 07
    @noting_failure
    def test_07_parallel_threads(self):
        r = self.par
        self.assertEqual(r.status, 0, r.describe())
        msgs = self.messages(r)
        self.assertEqual(sorted(msgs), list(range(PAR_COUNT)))
        for i, v in msgs.items():
            self.assertEqual(len(v), 1)
            self.assertEqual(str(v[0]["Subject"]), subject(i))
            self.assertEqual(v[0].get_content().replace("\r\n", "\n"), body(i))
        sys.stderr.write("mail test: %s threads: %s msgs in %s s = %s msgs/s\n"
                         % (r.summary[2], r.summary[0], r.summary[3], r.summary[4]))

    # 08
    @noting_failure
    def test_08_closed_port_is_transient(self):
        r = self.closed
        self.assertEqual(r.status, 1, r.describe())
        fails = re.findall(r"^FAIL (\d+) permanent=(-?\d+) err=(.*)$", r.stdout, re.MULTILINE)
        self.assertEqual(len(fails), 3, r.describe())
        for _, permanent, err in fails:
            self.assertEqual(permanent, "0", r.describe())
            self.assertIn("cannot connect", err)
            self.assertRegex(err, r"(?i)refused")


    # 09
    @noting_failure
    def test_09_refusals_classified(self):
        expect = {
            "bad@imiflow.test": ("1", "recipient refused: 550"),
            "busy@imiflow.test": ("0", "recipient deferred: 450"),
            "reject@imiflow.test": ("1", "message refused: 554"),
            "later@imiflow.test": ("0", "message deferred: 451"),
        }
        for to, (permanent, reason) in expect.items():
            r = self.refusals[to]
            self.assertEqual(r.status, 1, r.describe())
            fails = r.fails()
            self.assertEqual(len(fails), 1, r.describe())
            self.assertEqual(fails[0][1], permanent, r.describe())
            self.assertIn(reason, fails[0][2], r.describe())
        good = self.refusals["good@imiflow.test"]
        self.assertEqual(good.status, 0, good.describe())

    # 10
    @noting_failure
    def test_10_misbehaving_servers_transient(self):
        expect = {
            "silent": "no greeting from",
            "greet554": "554 5.3.2 no service here",
            "hangup": "no final reply",
        }
        for mode, reason in expect.items():
            r = self.scripted[mode]
            self.assertEqual(r.status, 1, "%s: %s" % (mode, r.describe()))  # not killed by a signal
            fails = r.fails()
            self.assertEqual(len(fails), 1, r.describe())
            self.assertEqual(fails[0][1], "0", r.describe())
            self.assertIn(reason, fails[0][2], r.describe())
        self.assertLess(self.scripted["silent"].elapsed, 15, "timeout_sec not honoured")

    # 11
    @noting_failure
    def test_11_no_sanitizer_findings(self):
        runs = [self.seq, self.par, self.closed, self.batched, self.batch_refused]
        runs += list(self.refusals.values()) + list(self.scripted.values())
        for r in runs:
            self.assertIsNone(SANITIZER.search(r.stderr), r.describe())

    # 12
    @noting_failure
    def test_12_many_messages_a_session(self):
        r = self.batched
        self.assertEqual(r.status, 0, r.describe())
        msgs = self.messages(r)
        self.assertEqual(sorted(msgs), list(range(BATCH_COUNT)))
        for i, v in msgs.items():
            self.assertEqual(len(v), 1)
            self.assertEqual(str(v[0]["Subject"]), subject(i))
            self.assertEqual(v[0].get_content().replace("\r\n", "\n"), body(i))
        sys.stderr.write("mail test: %d a session: %s msgs in %s s = %s msgs/s\n"
                         % (BATCH_SIZE, r.summary[0], r.summary[3], r.summary[4]))
        fails = self.batch_refused.fails()
        self.assertEqual(len(fails), 5, self.batch_refused.describe())
        for _, permanent, err in fails:
            self.assertEqual(permanent, "1")
            self.assertIn("recipient refused: 550", err)


if __name__ == "__main__":
    tap.main()
