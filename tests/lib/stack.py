#!/usr/bin/python3
"""stack.py -- start the real imiflow stack: PostgreSQL, an SMTP sink, the engine, nginx.

Used two ways:

* as a module by the end-to-end and browser tests (run with /usr/bin/python3)::

      sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
      from stack import Stack, temporary_password

      with Stack() as s:                      # a throw-away stack in a temp dir
          user = s.bootstrap()                # runs `imiflow bootstrap`, returns the username
          mail = s.wait_mail(lambda m: "temporary password" in m["Subject"])
          password = temporary_password(mail)
          ... HTTP against s.url ...
          s.psql("UPDATE clock SET offset_interval = $1", "6 months")

  Everything listens on 127.0.0.1 (free ports) or unix sockets.  Everything started is
  stopped by PID when the `with` block ends, at exit, on SIGTERM/SIGHUP, and -- through
  PR_SET_PDEATHSIG -- even when this process is killed.  When the block ends with an
  exception (or keep_logs=True, or IMIFLOW_KEEP=1) the logs and mail are kept and their
  directory is printed.

* as the command behind ./run::

      tests/lib/stack.py --dir var --port 8080 --bootstrap --foreground

  keeps its data under DIR (DIR/pg the cluster, DIR/mail the Maildir, DIR/log the logs),
  bootstraps on the first run only, prints the URL and the login, and runs until Ctrl-C.
  Arguments after "--" go to `imiflow serve` unchanged (`./run -- --links-login`).

The engine binary: $IMIFLOW_BIN, else TOP/build/imiflow, else TOP/imiflow.  Its --datadir
(where xslt/, sql/ and workflows/ are) is $IMIFLOW_DATADIR, else the source tree TOP; a Stack's
datadir= and binary= override both (tests/e2e/test_install.py runs an installed copy).  The
nginx template and its headers snippet are read from DATADIR/nginx/, where make install puts
them too.

Run as root, PostgreSQL cannot run as root: the cluster then runs as the owner of DIR's parent
directory (the checkout, for ./run) when that is an ordinary user -- and so does the rest of
the stack, so a later run as that user finds everything its own -- otherwise as the
`postgres` system user.
"""

import argparse
import atexit
import ctypes
import functools
import email
import email.policy
import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET
import time
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
# Where xslt/, sql/ and workflows/ are: the source tree unless the build says otherwise.
DATADIR = Path(os.environ.get("IMIFLOW_DATADIR") or TOP).resolve()
PGBIN = Path(os.environ.get("IMIFLOW_PGBIN", "/usr/lib/postgresql/15/bin"))
NGINX = os.environ.get("IMIFLOW_NGINX", "/usr/sbin/nginx")
PYTHON = "/usr/bin/python3"
PGPORT = 5432          # only names the socket file: the cluster listens on no TCP port
SOCKET_MAX = 100       # sun_path is 108 bytes; stay clear of it
# nginx/imiflow.conf.in: worker_processes x upstream keepalive, the engine threads that idle
# connections kept by nginx may hold; the engine needs more threads than that.
NGINX_KEPT = 2
NULL = "\x1a"          # how psql() asks psql to print SQL NULL

DEFAULT_BOOTSTRAP = {
    "authority": "IMI Helpdesk",
    "country": "BE",
    "email": "helpdesk@imiflow.invalid",
    "first_name": "Helpdesk",
    "last_name": "Administrator",
    # The helpdesk works in English; without it the user would get the country's language.
    "language": "en",
}


class StackError(Exception):
    """Something of the stack did not start or a command failed; the message says what."""


class AlreadyBootstrapped(StackError):
    """`imiflow bootstrap` refused: the database has its first authority already."""


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_binary():
    env = os.environ.get("IMIFLOW_BIN")
    if env:
        if not os.access(env, os.X_OK):
            raise StackError(f"IMIFLOW_BIN={env} is not an executable file")
        return Path(env).resolve()
    for cand in (TOP / "build" / "imiflow", TOP / "imiflow"):
        if os.access(cand, os.X_OK):
            return cand
    raise StackError(f"no imiflow binary: build it first (./run or ./check build it in "
                     f"{TOP / 'build'}), or set IMIFLOW_BIN")


@functools.lru_cache(maxsize=None)
def _temporary_password_lines():
    """A pattern of the mail's password line in every language of xslt/i18n (the catalogues'
    mail.temporary-password.line, "Temporary password: {1}" in English): mails go out in the
    recipient's language.  Read once: wait_mail() asks it of every mail at every poll."""
    lines = []
    for cat in sorted((DATADIR / "xslt" / "i18n").glob("*.xml")):
        for m in ET.parse(cat).getroot().iter("msg"):
            if m.get("key") == "mail.temporary-password.line" and m.text and "{1}" in m.text:
                before, _, after = m.text.partition("{1}")
                lines.append(re.escape(before.strip()) + r"\s*(\S+)\s*" + re.escape(after.strip()))
    return re.compile(r"^\s*(?:" + "|".join(lines or [r"Temporary password:\s*(\S+)"]) + r")\s*$",
                      re.M)


def temporary_password(msg):
    """The password from the 'Temporary password: X' line (in the mail's language) of a mail's
    text body, or None."""
    m = _temporary_password_lines().search(mail_text(msg))
    return next((g for g in m.groups() if g), None) if m else None


def mail_text(msg):
    """The text/plain body of a message as str ('' if it has none)."""
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def tail(path, lines=30):
    """The last lines of a file, for error messages."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 16384))
            text = f.read().decode("utf-8", "replace")
    except OSError as e:
        return f"  ({path}: {e.strerror})"
    return "\n".join("  | " + l for l in text.splitlines()[-lines:])


_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _die_with_parent(sig):
    """A preexec_fn: the child gets sig when the thread that started it exits.
    (Python runs preexec_fn after switching to user=, so the setting survives it.)"""
    def setup():
        _libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() == 1:      # the parent died before prctl took effect
            os.kill(os.getpid(), int(sig))
    return setup


def _is_process(pid, word):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return word.encode() in f.read()
    except OSError:
        return False


class _Proc:
    def __init__(self, name, popen, stop_signal, log):
        self.name, self.popen, self.stop_signal, self.log = name, popen, stop_signal, log


class Stack:
    """A running imiflow stack.  Use as a context manager, or call start() and stop()
    (stop(failed=True) keeps the logs; a unittest class fixture passes whether a test of the
    class failed).  After stop(), exit_codes maps each process to its exit status: the
    engine's must be 0 (it exits 0 on SIGTERM; anything else is a crash or a sanitizer
    report, also printed on stderr).

    dir         keep everything under this directory (persistent, reused); default: a new
                temp dir, removed by stop() unless logs are kept
    port        nginx's port on 127.0.0.1; default: a free one
    keep_logs   keep the logs and mail even when nothing failed
    binary      the imiflow binary; default: find_binary()
    threads     `imiflow serve --threads`
    login_rate, login_burst   nginx's limit on POST /login
    upload_max, body_max      the largest uploaded file and request body ("10m", "512k"):
                `imiflow serve --upload-max/--body-max`; body_max is nginx's
                client_max_body_size too, so the two always agree
    serve_args  extra arguments for `imiflow serve`
    datadir     the engine's --datadir (default: DATADIR); the definitions deployed, the
                static files and the nginx template come from there too
    engines     how many `imiflow serve` processes, each on its own socket, behind nginx's
                one upstream (default 1: the upstream names one socket, as always)
    workers     how many `imiflow worker` processes to start besides (default 0)
    env         extra environment for the engine (e.g. ASAN_OPTIONS)
    fast        a throw-away cluster without fsync (default: True for temp dirs)
    pg_options  extra PostgreSQL settings ("name=value"), after the stack's own: fast turns
                synchronous_commit off, which loses acknowledged commits when PostgreSQL
                itself is killed (tests/chaos/ turns it on again)
    """

    def __init__(self, dir=None, port=None, keep_logs=False, binary=None, threads=4,
                 login_rate="5r/s", login_burst=20, serve_args=(), env=None, fast=None,
                 verbose=False, upload_max="10m", body_max="20m", datadir=None, engines=1,
                 workers=0, pg_options=()):
        self.persistent = dir is not None
        self.dir = Path(dir).resolve() if dir is not None else None
        self.port = port
        self.keep_logs = keep_logs or os.environ.get("IMIFLOW_KEEP") == "1"
        self.binary = Path(binary) if binary else None
        self.threads = threads
        self.login_rate, self.login_burst = login_rate, login_burst
        self.upload_max, self.body_max = upload_max, body_max
        self.serve_args = list(serve_args)
        self.datadir = Path(datadir).resolve() if datadir else DATADIR
        self.nengines, self.nworkers = int(engines), int(workers)
        self.engines, self.workers = [], []     # _Proc per engine and per worker, in order
        self.env = dict(env or {})
        self.fast = (not self.persistent) if fast is None else fast
        self.pg_options = list(pg_options)
        self.verbose = verbose
        self.procs = []                 # started, in order
        self.exit_codes = {}            # name -> return code, filled by stop()
        self.smtp_port = None
        self._short_run = None          # a short socket dir in /tmp when DIR is too deep
        self._started = False
        self._stopped = False
        self._lock = threading.Lock()

    # ---- context manager -------------------------------------------------------------

    def __enter__(self):
        try:
            if not self._started:
                self.start()
        except BaseException:
            self.stop(failed=True)
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop(failed=exc_type is not None)
        return False

    # ---- properties ------------------------------------------------------------------

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def conninfo(self):
        return f"host={_cq(str(self.pg_sockdir))} port={PGPORT} user=imiflow dbname=imiflow"

    @property
    def maildir(self):
        return self.dir / "mail"

    @property
    def logdir(self):
        return self.dir / "log"

    # ---- start -----------------------------------------------------------------------

    def _begin(self):
        """Once per Stack: whatever is started from now on is stopped at exit and on signals."""
        if self._started:
            raise StackError("this Stack was started already")
        self._started = True
        atexit.register(self.stop)
        _install_signal_handlers()

    def start(self):
        self._begin()
        if int(self.threads) <= NGINX_KEPT:
            raise StackError(f"threads={self.threads}: nginx keeps up to {NGINX_KEPT} idle "
                             f"connections to the engine, each holding a thread; give the "
                             f"engine more threads than that")
        self.binary = self.binary or find_binary()
        if not os.access(NGINX, os.X_OK):
            raise StackError(f"{NGINX} is missing: apt-get install nginx (or run ./run)")
        if not (PGBIN / "postgres").exists():
            raise StackError(f"{PGBIN}/postgres is missing: apt-get install postgresql-15")
        self._fixed_port = self.port is not None
        if self.port is None:
            self.port = free_port()
        self._prepare_dirs()
        self._start_postgres()
        self._start_sink()
        self._start_nginx()         # before the engine: its --base-url names nginx's port
        self._migrate()
        self._start_engine()
        self._wait_pages()
        return self

    def _prepare_dirs(self):
        euid = os.geteuid()
        if self.persistent:
            # Whose is DIR: its parent's (the checkout's for ./run's var), whatever an earlier
            # run did to DIR itself.
            anc = self.dir.parent
            while not anc.exists():
                anc = anc.parent
            owner = anc.stat().st_uid
        else:
            self.dir = Path(tempfile.mkdtemp(prefix="imiflow-stack-"))
            owner = euid
        # Who runs what.  run_as: the whole stack's user when we are root and DIR belongs to
        # an ordinary user; pg_user: the cluster's user (never root).
        self.run_as = None
        if euid == 0 and owner != 0:
            self.run_as = pwd.getpwuid(owner)
        if self.persistent:
            self._mkdir(self.dir)
            if self.run_as is not None:
                self._heal_ownership()
        pgdata = self.dir / "pg"
        if euid != 0:
            self.pg_user = pwd.getpwuid(euid)
            if pgdata.exists() and pgdata.stat().st_uid != euid:
                who = _user_name(pgdata.stat().st_uid)
                raise StackError(
                    f"{pgdata} belongs to {who} (created by a run as root?); run as root "
                    f"again, or remove {self.dir} to start afresh")
        elif pgdata.exists() and pgdata.stat().st_uid != 0:
            self.pg_user = pwd.getpwuid(pgdata.stat().st_uid)
        elif self.run_as is not None:
            self.pg_user = self.run_as
        else:
            try:
                self.pg_user = pwd.getpwnam("postgres")
            except KeyError:
                raise StackError("running as root needs the 'postgres' user for the cluster "
                                 "(apt-get install postgresql), or run as an ordinary user")
        if not self.persistent and euid == 0:
            os.chmod(self.dir, 0o711)       # the postgres user must reach DIR/pg and DIR/run/pg
        # The Maildir's own subdirectories too: aiosmtpd's Mailbox creates them only when
        # the Maildir itself does not exist yet.
        for sub in ("log", "mail", "mail/new", "mail/cur", "mail/tmp", "run", "nginx",
                    "nginx/tmp"):
            self._mkdir(self.dir / sub)
        os.chmod(self.dir / "run", 0o711)
        self.sock = self.dir / "run" / "imiflow.sock"
        self.pg_sockdir = self.dir / "run" / "pg"
        if (len(str(self.pg_sockdir / f".s.PGSQL.{PGPORT}.lock")) > SOCKET_MAX
                or len(str(self.sock)) > SOCKET_MAX
                or re.search(r"[\s,'\"\\]", str(self.dir))):
            # Unix socket paths are short, and unix_socket_directories is a comma list.
            self._short_run = Path(tempfile.mkdtemp(prefix="imiflow-run-"))
            os.chmod(self._short_run, 0o711)
            self._chown(self._short_run)
            self.sock = self._short_run / "imiflow.sock"
            self.pg_sockdir = self._short_run / "pg"
        # The engines' sockets: the first is self.sock, the others beside it.
        self.socks = [self.sock] + [self.sock.with_name(f"imiflow-{i}.sock")
                                    for i in range(2, self.nengines + 1)]
        self.pg_sockdir.mkdir(mode=0o700, exist_ok=True)
        os.chown(self.pg_sockdir, self.pg_user.pw_uid, self.pg_user.pw_gid)
        if euid == 0 and self.pg_user.pw_uid != owner:
            self._check_reachable(self.pg_user, [pgdata.parent, self.pg_sockdir.parent])

    def _heal_ownership(self):
        """As root for an ordinary user's DIR: give back to that user what an earlier run
        as root left there (not the cluster, which keeps its own owner)."""
        uid, gid = self.run_as.pw_uid, self.run_as.pw_gid
        for root, dirs, files in os.walk(self.dir):
            if Path(root) == self.dir and "pg" in dirs:
                dirs.remove("pg")
            for name in dirs + files:
                p = os.path.join(root, name)
                st = os.lstat(p)
                if st.st_uid != uid:
                    os.lchown(p, uid, gid)

    def _mkdir(self, path):
        path.mkdir(parents=True, exist_ok=True)
        self._chown(path)

    def _chown(self, path):
        if self.run_as is not None:
            os.chown(path, self.run_as.pw_uid, self.run_as.pw_gid)

    def _check_reachable(self, user, dirs):
        for d in dirs:
            # Every directory from / down to d must be searchable by user; name the first
            # that is not.
            chain = [str(p) for p in reversed([d, *d.parents])]
            r = subprocess.run(
                ["/bin/sh", "-c", 'for d; do test -x "$d" || { echo "$d"; exit 1; }; done',
                 "sh", *chain],
                user=user.pw_uid, group=user.pw_gid, extra_groups=[], cwd="/",
                capture_output=True, text=True)
            if r.returncode != 0:
                bad = r.stdout.strip() or str(d)
                raise StackError(
                    f"PostgreSQL runs as the user {user.pw_name}, who cannot enter {bad} "
                    f"(on the way to {d}).  Run as an ordinary user who owns the checkout, "
                    f"or allow it with: chmod o+x {bad}")

    def _open_log(self, name):
        path = self.logdir / name
        try:
            f = open(path, "ab")
        except OSError as e:
            raise StackError(f"cannot write {path}: {e.strerror} (owned by "
                             f"{_user_name(path.stat().st_uid)}: left by a run as another "
                             f"user?  Run as that user, or chown -R to yourself "
                             f"{self.dir})") from None
        self._chown(path)
        return f, path

    def _append_log(self, name, text):
        f, _ = self._open_log(name)
        with f:
            f.write(text.encode())

    def _spawn(self, name, argv, log, stop_signal, user=None, env=None, cwd=None):
        """Starts a long-running child in its own session (so Ctrl-C reaches only us)."""
        f, path = self._open_log(log)
        f.write(f"---- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(map(str, argv))}\n"
                .encode())
        f.flush()
        kw = {}
        user = user or self.run_as
        if user is not None and user.pw_uid != os.geteuid():
            kw = {"user": user.pw_uid, "group": user.pw_gid,
                  "extra_groups": os.getgrouplist(user.pw_name, user.pw_gid)}
        full_env = dict(os.environ, **(env or {}))
        if user is not None:
            full_env.update(HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)
        try:
            p = subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL, stdout=f,
                                 stderr=subprocess.STDOUT, env=full_env, cwd=cwd or "/",
                                 start_new_session=True,
                                 preexec_fn=_die_with_parent(stop_signal), **kw)
        finally:
            f.close()
        proc = _Proc(name, p, stop_signal, path)
        with self._lock:
            self.procs.append(proc)
        if self.verbose:
            print(f"stack: started {name} (pid {p.pid})", file=sys.stderr)
        return proc

    def _run(self, argv, user=None, check=True, input=None, timeout=120, env=None, what=None):
        kw = {}
        if user is not None and user.pw_uid != os.geteuid():
            kw = {"user": user.pw_uid, "group": user.pw_gid,
                  "extra_groups": os.getgrouplist(user.pw_name, user.pw_gid)}
        full_env = dict(os.environ, **(env or {}))
        try:
            r = subprocess.run([str(a) for a in argv], input=input, capture_output=True,
                               text=True, timeout=timeout, cwd="/", env=full_env, **kw)
        except subprocess.TimeoutExpired:
            raise StackError(f"{what or argv[0]} did not finish within {timeout}s")
        if check and r.returncode != 0:
            raise StackError(f"{what or ' '.join(map(str, argv))} failed "
                             f"(exit {r.returncode}):\n{r.stderr.strip() or r.stdout.strip()}")
        return r

    def _wait(self, proc, ready, timeout, what, interval=0.05):
        """Polls ready() until true; fails early when proc exits, with its log's tail."""
        deadline = time.monotonic() + timeout
        while True:
            if proc.popen.poll() is not None:
                raise StackError(f"{what} exited with status {proc.popen.returncode} while "
                                 f"starting; {proc.log}:\n{tail(proc.log)}")
            try:
                if ready():
                    return
            except (OSError, http.client.HTTPException):
                pass
            if time.monotonic() > deadline:
                raise StackError(f"{what} was not ready within {timeout}s; "
                                 f"{proc.log}:\n{tail(proc.log)}")
            time.sleep(interval)

    # PostgreSQL --------------------------------------------------------------------------

    def _start_postgres(self):
        pgdata = self.dir / "pg"
        if not (pgdata / "PG_VERSION").exists():
            pgdata.mkdir(mode=0o700, exist_ok=True)
            os.chown(pgdata, self.pg_user.pw_uid, self.pg_user.pw_gid)
            argv = [PGBIN / "initdb", "-D", pgdata, "-U", "imiflow", "--auth=trust",
                    "--encoding=UTF8", "--locale=C.UTF-8"]
            if self.fast:
                argv.append("--no-sync")
            r = self._run(argv, user=self.pg_user, check=False, what="initdb")
            self._append_log("postgresql.log", r.stdout + r.stderr)
            if r.returncode != 0:
                raise StackError(f"initdb failed (exit {r.returncode}):\n{r.stderr.strip()}")
        self._stop_stale_postmaster(pgdata)
        argv = [PGBIN / "postgres", "-D", pgdata, "-p", PGPORT,
                "-c", "listen_addresses=", "-c", f"unix_socket_directories={self.pg_sockdir}",
                "-c", "logging_collector=off", "-c", "max_connections=100"]
        if self.fast:
            argv += ["-c", "fsync=off", "-c", "synchronous_commit=off",
                     "-c", "full_page_writes=off"]
        for o in self.pg_options:
            argv += ["-c", o]
        self.pg = self._spawn("postgres", argv, "postgresql.log", signal.SIGINT,
                              user=self.pg_user)
        isready = [PGBIN / "pg_isready", "-q", "-h", self.pg_sockdir, "-p", PGPORT,
                   "-U", "imiflow", "-d", "postgres"]
        self._wait(self.pg, lambda: subprocess.run([str(a) for a in isready]).returncode == 0,
                   60, "PostgreSQL")
        if not self.psql("SELECT 1 FROM pg_database WHERE datname = 'imiflow'", db="postgres"):
            self.psql("CREATE DATABASE imiflow", db="postgres")

    def _stop_stale_postmaster(self, pgdata):
        """A postmaster of an earlier run still serving this data dir: stop it (fast)."""
        try:
            pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return
        if pid <= 1 or not _is_process(pid, "postgres"):
            return
        print(f"stack: stopping the PostgreSQL server of an earlier run (pid {pid})",
              file=sys.stderr)
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while _is_process(pid, "postgres") and time.monotonic() < deadline:
            time.sleep(0.1)
        if _is_process(pid, "postgres"):
            raise StackError(f"the PostgreSQL server of an earlier run (pid {pid}) on "
                             f"{pgdata} does not stop")

    def psql(self, sql, *params, db="imiflow"):
        """Runs SQL through psql; returns the rows as tuples of str (None for NULL).

        Parameters are written $1, $2, ... in sql and passed as psql variables, which psql
        quotes as literals (:'p1'), so any value is safe.  Meant for literal SQL in tests.
        """
        argv = [PGBIN / "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-F", "\x1f", "-R", "\x1e", "-P", f"null={NULL}",
                "-h", self.pg_sockdir, "-p", PGPORT, "-U", "imiflow", "-d", db, "-f", "-"]
        if params:
            for i, v in enumerate(params, 1):
                argv += ["-v", f"p{i}={'' if v is None else v}"]
            sql = re.sub(r"\$(\d+)", lambda m: f":'p{m.group(1)}'", sql)
        r = self._run(argv, input=sql, what=f"psql {sql!r}")
        out = r.stdout
        if out.endswith("\n"):
            out = out[:-1]
        if not out:
            return []
        return [tuple(None if c == NULL else c for c in rec.split("\x1f"))
                for rec in out.split("\x1e") if rec != ""]

    # SMTP sink ---------------------------------------------------------------------------

    def _start_sink(self):
        def start():
            self.smtp_port = free_port()
            return self._spawn_sink()
        self._retry_port(start, fixed=False)

    def _spawn_sink(self):
        """Starts the SMTP sink on self.smtp_port and waits for its greeting."""
        self.sink = self._spawn(
            "smtp-sink",
            [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.smtp_port}",
             "-c", "aiosmtpd.handlers.Mailbox", self.maildir],
            "smtp-sink.log", signal.SIGTERM, env={"PYTHONUNBUFFERED": "1"})

        def ready():
            with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1) as s:
                return s.recv(3) == b"220"
        self._wait(self.sink, ready, 30, "the SMTP sink (python3 -m aiosmtpd)")
        return self.sink

    def stop_sink(self):
        """Stops the SMTP sink (by PID), as if the mail server went down."""
        with self._lock:
            self.procs.remove(self.sink)
        _stop_proc(self.sink)

    def restart_sink(self):
        """Starts the SMTP sink again on the same port the engine delivers to."""
        self._spawn_sink()

    def _retry_port(self, start, fixed, attempts=5):
        """Runs start(); when the process it started died because its free port was taken
        meanwhile by someone else (a race of free_port()), tries again with another."""
        for attempt in range(attempts):
            try:
                return start()
            except StackError as e:
                dead = [p for p in self.procs if p.popen.poll() is not None]
                if fixed or attempt == attempts - 1 or not dead or "in use" not in str(e):
                    raise
                with self._lock:
                    for p in dead:
                        self.procs.remove(p)

    # engine ------------------------------------------------------------------------------

    def common_args(self):
        return ["--db", self.conninfo, "--datadir", self.datadir,
                "--smtp", f"127.0.0.1:{self.smtp_port}", "--base-url", self.url]

    def run_imiflow(self, *args, check=True, input=None, timeout=120, common=True):
        """Runs `imiflow SUBCOMMAND ARGS... <common options>`; returns CompletedProcess
        (text stdout/stderr).  check=True raises StackError on a non-zero exit."""
        argv = [self.binary, *args]
        if common and args:
            argv = [self.binary, args[0], *self.common_args(), *args[1:]]
        return self._run(argv, user=self.run_as, check=check, input=input, timeout=timeout,
                         env=self.env, what=f"imiflow {' '.join(map(str, args))}")

    def start_database(self):
        """Only the cluster, with the schema migrated and nothing deployed: for tests of the
        engine below the product (tests/e2e/test_toy_engine.py).  stop() stops it."""
        self._begin()
        self.binary = self.binary or find_binary()
        self._prepare_dirs()
        self._start_postgres()
        r = self.run_imiflow("migrate", "--db", self.conninfo, "--datadir", self.datadir,
                             common=False)
        self._append_log("migrate.log", r.stdout + r.stderr)
        return self

    def _migrate(self):
        r = self.run_imiflow("migrate")
        self._append_log("migrate.log", r.stdout + r.stderr)
        # The product's own definitions, module catalogue and question sets, as a production
        # install deploys them.
        shipped = sorted(str(p) for p in (self.datadir / "workflows").glob("*.xml"))
        shipped += sorted(str(p) for p in (self.datadir / "workflows" / "questions").glob("*.xml"))
        if shipped:
            r = self.run_imiflow("deploy", *shipped)
            self._append_log("migrate.log", r.stdout + r.stderr)

    def _start_engine(self, index=1):
        """Starts engine number index (1: "engine" on self.sock, the one of a single-engine
        stack; 2…: "engine-N" on its own socket); without index, every engine."""
        if index == 1 and not self.engines:
            for i in range(1, self.nengines + 1):
                self._start_one_engine(i)
        else:
            self._start_one_engine(index)
        for i in range(len(self.workers) + 1, self.nworkers + 1):
            self._start_worker(i)

    def _start_one_engine(self, index):
        name = "engine" if index == 1 else f"engine-{index}"
        sock = self.socks[index - 1]
        try:
            sock.unlink()
        except FileNotFoundError:
            pass
        argv = [self.binary, "serve", "--socket", sock, "--threads", self.threads,
                "--upload-max", self.upload_max, "--body-max", self.body_max,
                *self.common_args(), *self.serve_args]
        proc = self._spawn(name, argv, f"{name}.log", signal.SIGTERM, env=self.env)
        if index == 1:
            self.engine = proc
        while len(self.engines) < index:
            self.engines.append(None)
        self.engines[index - 1] = proc

        def ready():
            if not sock.exists():
                return False
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(str(sock))
            return True
        self._wait(proc, ready, 30, f"the engine (imiflow serve) {name}")

    def _start_worker(self, index):
        """Starts `imiflow worker` number index ("worker-N", log worker-N.log)."""
        name = f"worker-{index}"
        argv = [self.binary, "worker", *self.common_args()]
        proc = self._spawn(name, argv, f"{name}.log", signal.SIGTERM, env=self.env)
        while len(self.workers) < index:
            self.workers.append(None)
        self.workers[index - 1] = proc

    def assert_running(self):
        """Raises StackError naming any process of the stack that has exited."""
        dead = [p for p in self.procs if p.popen.poll() is not None]
        if dead:
            raise StackError("; ".join(f"{p.name} exited with status {p.popen.returncode}, "
                                       f"see {p.log}:\n{tail(p.log)}" for p in dead))

    def bootstrap(self, **kw):
        """Runs `imiflow bootstrap`; keywords authority, country, email, first_name,
        last_name, username, language (defaults: DEFAULT_BOOTSTRAP; None leaves an option
        out).  Returns the username."""
        opts = dict(DEFAULT_BOOTSTRAP, **kw)
        args = ["bootstrap"]
        for k, v in opts.items():
            if v is not None:
                args += [f"--{k.replace('_', '-')}", v]
        r = self.run_imiflow(*args, check=False)
        if r.returncode != 0:
            if "already bootstrapped" in r.stderr:
                raise AlreadyBootstrapped(r.stderr.strip())
            raise StackError(f"imiflow bootstrap failed (exit {r.returncode}):\n"
                             f"{r.stderr.strip()}")
        m = re.search(r"^username:\s*(\S+)\s*$", r.stdout, re.M)
        if not m:
            raise StackError(f"imiflow bootstrap printed no 'username: X' line:\n{r.stdout}")
        return m.group(1)

    # nginx -------------------------------------------------------------------------------

    def _nginx_conf(self, name="nginx", port=None, sock=None):
        """Fills in nginx/imiflow.conf.in under DIR/NAME; port and sock default to the
        stack's own (bench/pages.py puts a second nginx in front of its reference page)."""
        prefix = self.dir / name
        if name != "nginx":
            for sub in (prefix, prefix / "tmp"):
                self._mkdir(sub)
        user = "user root;" if os.geteuid() == 0 and self.run_as is None else ""
        text = (self.datadir / "nginx" / "imiflow.conf.in").read_text()
        logdir = self.logdir if name == "nginx" else prefix
        # Several engines: the upstream's line naming @SOCKET@ once per socket.
        socks = [sock] if sock else self.socks
        text = re.sub(r"^(\s*server\s+\"unix:)@SOCKET@(.*\n)",
                      lambda m: "".join(m.group(1) + str(p) + m.group(2) for p in socks),
                      text, count=1, flags=re.M)
        for k, v in {"USER": user, "PREFIX": prefix, "LOGDIR": logdir,
                     "LISTEN": f"127.0.0.1:{port or self.port}", "SOCKET": socks[0],
                     "STATIC": self.datadir / "xslt" / "static", "LOGIN_RATE": self.login_rate,
                     "LOGIN_BURST": self.login_burst, "BODY_MAX": self.body_max}.items():
            text = text.replace(f"@{k}@", str(v))
        left = re.findall(r"@[A-Z_]+@", text)
        if left:
            raise StackError(f"nginx/imiflow.conf.in: unknown placeholders {sorted(set(left))}")
        conf = prefix / "nginx.conf"
        conf.write_text(text)
        shutil.copy(self.datadir / "nginx" / "security-headers.conf",
                    prefix / "security-headers.conf")
        for p in (conf, prefix / "security-headers.conf"):
            self._chown(p)
        return prefix, conf

    def _start_nginx(self):
        def start():
            if not self._fixed_port:
                self.port = self.port if self._nginx_tries == 0 else free_port()
            self._nginx_tries += 1
            prefix, conf = self._nginx_conf()
            errlog = self.logdir / "nginx-error.log"
            self.nginx = self._spawn(
                "nginx", [NGINX, "-c", conf, "-p", f"{prefix}/", "-e", errlog,
                          "-g", "daemon off;"],
                "nginx.log", signal.SIGTERM)

            def ready():      # nginx itself answers (not whoever else holds the port)
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                try:
                    c.request("HEAD", "/static/")
                    return c.getresponse().getheader("Server") == "nginx"
                finally:
                    c.close()
            try:
                self._wait(self.nginx, ready, 30, f"nginx on 127.0.0.1:{self.port}")
            except StackError as e:
                raise StackError(f"{e}\n{errlog}:\n{tail(errlog, 8)}") from None
            return self.nginx
        self._nginx_tries = 0
        self._retry_port(start, fixed=self._fixed_port)

    def _wait_pages(self):
        """Waits until nginx gets answers from the engine (no 502/503/504)."""
        def ready():
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                c.request("GET", "/login")
                status = c.getresponse().status
            finally:
                c.close()
            if self.nginx.popen.poll() is not None:
                raise StackError(f"nginx exited with status {self.nginx.popen.returncode}")
            return status not in (502, 503, 504)
        try:
            self._wait(self.engine, ready, 30, f"pages on {self.url}", 0.2)
        except StackError as e:
            raise StackError(f"{e}\n{self.logdir / 'nginx-error.log'}:\n"
                             f"{tail(self.logdir / 'nginx-error.log', 8)}\n"
                             f"{self.logdir / 'engine.log'}:\n"
                             f"{tail(self.logdir / 'engine.log', 8)}") from None

    # supervision -------------------------------------------------------------------------

    # Back-off between restarts of one component: doubled at each failure up to the cap, back
    # to the first step once it stayed up STABLE_S seconds.
    BACKOFF_FIRST_S, BACKOFF_MAX_S, STABLE_S = 1.0, 30.0, 60.0

    def revive(self):
        """One round of supervision, as a service manager would do it: every component that
        has exited (PostgreSQL, the SMTP sink, the engine, nginx) is started again, each when
        its back-off has passed.  Logged to stderr and log/supervisor.log.  Returns the names
        started again in this round."""
        now = time.monotonic()
        if not hasattr(self, "_backoff"):
            self._backoff = {}          # name -> [delay, not before, started at]
        started = []
        with self._lock:
            if self._stopped:
                return started
            dead = [p for p in self.procs if p.popen.poll() is not None]
        # PostgreSQL first: the engine needs it to answer, nginx needs the engine.
        order = {"postgres": 0, "smtp-sink": 1, "engine": 2, "worker": 2, "nginx": 3}
        for p in sorted(dead, key=lambda p: order.get(p.name.split("-")[0]
                                                      if p.name != "smtp-sink" else p.name, 9)):
            b = self._backoff.setdefault(p.name, [self.BACKOFF_FIRST_S, 0.0, 0.0])
            if b[2] and now - b[2] >= self.STABLE_S:
                b[0] = self.BACKOFF_FIRST_S
            if now < b[1]:
                continue
            with self._lock:
                if p in self.procs:
                    self.procs.remove(p)
            self._supervisor_log(f"{p.name} (pid {p.popen.pid}) exited with status "
                                 f"{p.popen.returncode}; starting it again")
            try:
                self._restarter(p.name)()
            except StackError as e:
                b[1] = time.monotonic() + b[0]
                self._supervisor_log(f"{p.name} did not start again ({e}); next try in "
                                     f"{b[0]:.0f} s")
                b[0] = min(b[0] * 2, self.BACKOFF_MAX_S)
                with self._lock:
                    # what the failed start left dead, to be tried again
                    for q in [q for q in self.procs if q.name == p.name
                              and q.popen.poll() is not None][:-1]:
                        self.procs.remove(q)
                continue
            b[1], b[2] = 0.0, time.monotonic()
            started.append(p.name)
            self._supervisor_log(f"{p.name} runs again (pid {self._proc(p.name).popen.pid})")
        return started

    def supervise(self, stop_event, interval=0.5):
        """Keeps the stack up until stop_event is set (./run runs it until Ctrl-C)."""
        while not stop_event.is_set():
            self.revive()
            stop_event.wait(interval)

    def _proc(self, name):
        """The newest process of that name, or None (between a death and its restart)."""
        with self._lock:
            return next((p for p in reversed(self.procs) if p.name == name), None)

    def _supervisor_log(self, text):
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}\n"
        print(f"stack: {text}", file=sys.stderr, flush=True)
        try:
            self._append_log("supervisor.log", line)
        except OSError:
            pass

    def _restarter(self, name):
        m = re.fullmatch(r"(engine|worker)(?:-(\d+))?", name)
        if m and m.group(1) == "engine":
            return lambda: self._start_one_engine(int(m.group(2) or 1))
        if m:
            return lambda: self._start_worker(int(m.group(2)))
        return getattr(self, "_restart_" + name.replace("-", "_"))

    def _restart_postgres(self):
        self._start_postgres()

    def _restart_smtp_sink(self):
        self._spawn_sink()

    def _restart_nginx(self):
        fixed, self._fixed_port = self._fixed_port, True   # the port people have open
        try:
            self._start_nginx()
        finally:
            self._fixed_port = fixed

    # mail --------------------------------------------------------------------------------

    def mail_files(self):
        """[(path, EmailMessage)] of every message in the sink, oldest first."""
        files = []
        for sub in ("new", "cur"):
            d = self.maildir / sub
            if d.is_dir():
                for p in d.iterdir():
                    try:
                        files.append((p.stat().st_mtime_ns, p.name, p))
                    except FileNotFoundError:
                        pass
        out = []
        for _, _, p in sorted(files):
            try:
                with open(p, "rb") as f:
                    msg = email.message_from_binary_file(f, policy=email.policy.default)
            except FileNotFoundError:
                continue
            msg.path = p
            out.append((p, msg))
        return out

    def mails(self):
        """Every message in the sink as email.message.EmailMessage, oldest first; each
        has .path, the file it came from."""
        return [m for _, m in self.mail_files()]

    def wait_mail(self, pred=None, timeout=10):
        """The first message (oldest first) for which pred(msg) is true (any if pred is
        None), waiting up to timeout seconds for it to arrive."""
        deadline = time.monotonic() + timeout
        while True:
            for m in self.mails():
                if pred is None or pred(m):
                    return m
            if time.monotonic() > deadline:
                seen = [f"{m['To']}: {m['Subject']}" for m in self.mails()]
                raise TimeoutError(f"no matching mail within {timeout}s in {self.maildir}; "
                                   f"there are {len(seen)}: {seen}; engine log:\n"
                                   f"{tail(self.logdir / 'engine.log', 10)}")
            time.sleep(0.1)

    # stop --------------------------------------------------------------------------------

    def stop(self, failed=False):
        """Stops everything started, newest first, by PID; idempotent.  Removes a temp dir
        unless failed, keep_logs or IMIFLOW_KEEP=1 (then prints where the logs are)."""
        with self._lock:
            if self._stopped or not self._started:
                return
            self._stopped = True
            # nginx first (no new requests), then the engine (finishes those in flight),
            # then what it uses.
            first = {"nginx": 0, "engine": 1, "worker": 1}
            procs = sorted(reversed(self.procs),
                           key=lambda p: first.get(p.name.split("-")[0], 2))
        atexit.unregister(self.stop)
        for p in procs:
            self.exit_codes[p.name] = rc = _stop_proc(p)
            # The engine must exit 0 on SIGTERM; the others may die of their stop signal.
            if rc != 0 and (p.name.startswith(("engine", "worker-")) or rc != -p.stop_signal):
                print(f"stack: {p.name} exited with status {rc}; see {p.log}",
                      file=sys.stderr)
        if self._short_run is not None:
            shutil.rmtree(self._short_run, ignore_errors=True)
        if self.dir is None or self.persistent:
            return
        if failed or self.keep_logs:
            shutil.rmtree(self.dir / "pg", ignore_errors=True)
            shutil.rmtree(self.dir / "nginx" / "tmp", ignore_errors=True)
            print(f"stack: logs and mail kept in {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def _stop_proc(p, timeout=30):
    if p.popen.poll() is None:
        try:
            p.popen.send_signal(p.stop_signal)
        except ProcessLookupError:
            pass
        try:
            p.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            print(f"stack: {p.name} (pid {p.popen.pid}) did not stop within {timeout}s; "
                  f"killing it", file=sys.stderr)
            p.popen.kill()
            p.popen.wait()
    return p.popen.returncode


def _cq(s):
    """A libpq conninfo value, quoted when needed."""
    if s and not re.search(r"[\s'\\]", s):
        return s
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _user_name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


_handlers_installed = False


def _install_signal_handlers():
    """SIGTERM and SIGHUP raise SystemExit so `with` blocks and atexit stop the stack
    (only where nobody installed a handler of their own, and only in the main thread)."""
    global _handlers_installed
    if _handlers_installed or threading.current_thread() is not threading.main_thread():
        return
    _handlers_installed = True

    def handler(sig, frame):
        raise SystemExit(128 + sig)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, handler)


# ---- command line (./run) --------------------------------------------------------------

def _rel(p):
    try:
        return os.path.relpath(p)
    except ValueError:
        return str(p)


def _bootstrap_once(stack, args):
    """Bootstraps unless an earlier run did; returns the lines to print about the login."""
    state = stack.dir / "bootstrap.txt"
    if state.exists():
        info = dict(l.split(": ", 1) for l in state.read_text().splitlines() if ": " in l)
        lines = [f"  username:            {info.get('username', '?')}  (bootstrapped on an "
                 f"earlier run)"]
        if info.get("mail"):
            lines.append(f"  its first password:  in {info['mail']} -- if you changed it, "
                         f"use yours")
        if info.get("password"):
            lines.append(f"  demo password:       {info['password']}  (unless you changed it)")
            lines += [f"  {l[6:]}" for l in state.read_text().splitlines() if l.startswith("demo: ")]
        return lines
    kw = {k: getattr(args, k) for k in DEFAULT_BOOTSTRAP}
    if args.username:
        kw["username"] = args.username
    before = {p for p, _ in stack.mail_files()}
    try:
        user = stack.bootstrap(**kw)
    except AlreadyBootstrapped:
        return ["  username:            (bootstrapped earlier, but " + _rel(state) +
                " is gone: the login is not known here)"]
    if args.demo:
        return _seed_demo(stack, state, user, kw["email"])
    lines = [f"  username:            {user}"]
    mailfile = None
    try:
        msg = stack.wait_mail(lambda m: m.path not in before and
                              temporary_password(m) is not None, timeout=30)
        mailfile = _rel(msg.path)
        lines.append(f"  temporary password:  {temporary_password(msg)}")
        lines.append(f"                       (read from the mail {mailfile})")
        lines.append("  You must change it at the first login.")
    except TimeoutError:
        lines.append(f"  temporary password:  not mailed yet -- it will arrive in "
                     f"{_rel(stack.maildir / 'new')}/ (see {_rel(stack.logdir)}/engine.log)")
    state.write_text(f"username: {user}\n" + (f"mail: {mailfile}\n" if mailfile else ""))
    stack._chown(state)
    return lines


def _seed_demo(stack, state, user, email):
    """Fills a fresh database with demo authorities and users (tests/lib/demo.py)."""
    import demo
    print("stack: seeding demo data through the pages ...", file=sys.stderr, flush=True)
    logins = demo.seed(stack, user, email)
    lines = [f"  demo password:       {demo.DEMO_PASSWORD}  (every demo user below)"]
    lines += [f"  {name:<20} {who}" for who, name in logins]
    lines.append("  The NIMIC of DK has a self-registration waiting under Pending validations.")
    state.write_text("".join(f"username: {name}\n" if i == 0 else f"demo: {name} {who}\n"
                             for i, (who, name) in enumerate(logins)) +
                     f"password: {demo.DEMO_PASSWORD}\n")
    stack._chown(state)
    return lines


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after "--" goes to `imiflow serve` as it is (./run -- --links-login).
    engine_args = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser(
        usage="%(prog)s [OPTIONS] [-- ENGINE_OPTION ...]",
        description="Start the imiflow stack (PostgreSQL, SMTP sink, engine, nginx).",
        epilog="Options after \"--\" are passed to `imiflow serve` unchanged, e.g. "
               "`./run -- --links-login --session-idle 15` (see `imiflow serve --help` and "
               "README.md, \"Configuration\"; behind TLS also --cookie-secure).")
    ap.add_argument("--dir", help="keep data, mail and logs here (default: a temp dir, "
                    "removed at the end)")
    ap.add_argument("--port", type=int, help="nginx port on 127.0.0.1 (default: a free one)")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--login-rate", default="5r/s")
    ap.add_argument("--upload-max", default="10m",
                    help="largest uploaded file, e.g. 10m or 512k (default: 10m)")
    ap.add_argument("--body-max", default="20m",
                    help="largest request body, files included, for nginx and the engine "
                         "alike; above --upload-max (default: 20m)")
    ap.add_argument("--bootstrap", action="store_true",
                    help="bootstrap the first authority and user (only the first time)")
    ap.add_argument("--demo", action="store_true",
                    help="with --bootstrap: seed demo authorities and users (the first time)")
    ap.add_argument("--foreground", action="store_true",
                    help="run until Ctrl-C or SIGTERM (else start, print, stop)")
    ap.add_argument("--keep-logs", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    for k, v in DEFAULT_BOOTSTRAP.items():
        ap.add_argument(f"--{k.replace('_', '-')}", default=v, help=f"bootstrap (default {v})")
    ap.add_argument("--username", help="bootstrap username (default: the engine chooses)")
    args = ap.parse_args(argv)

    if args.port is not None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            # As nginx binds: connections of a stopped run in TIME_WAIT do not count, a
            # listener does.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", args.port))
            except OSError as e:
                print(f"stack: port {args.port} on 127.0.0.1 is taken ({e.strerror}): is "
                      f"another ./run still running?  Choose another with --port.",
                      file=sys.stderr)
                return 1
    stack = Stack(dir=args.dir, port=args.port, threads=args.threads,
                  login_rate=args.login_rate, keep_logs=args.keep_logs, verbose=args.verbose,
                  upload_max=args.upload_max, body_max=args.body_max,
                  serve_args=engine_args)
    signal.signal(signal.SIGTERM, lambda s, f: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        print("stack: starting PostgreSQL, the SMTP sink, the engine and nginx ...",
              file=sys.stderr, flush=True)
        stack.start()
        lines = _bootstrap_once(stack, args) if args.bootstrap else []
        print()
        print(f"imiflow is running at {stack.url}/")
        for l in lines:
            print(l)
        print(f"  mail (SMTP sink):    {_rel(stack.maildir / 'new')}/  -- one file per message")
        print(f"  logs:                {_rel(stack.logdir)}/")
        print(f"  database:            psql \"{stack.conninfo}\"")
        if engine_args:
            print(f"  engine options:      {' '.join(engine_args)}")
        if args.foreground:
            print("A component that dies is started again (log/supervisor.log).")
            print("Press Ctrl-C to stop.", flush=True)
            stack.supervise(threading.Event())
    except KeyboardInterrupt:
        print("\nstack: stopping ...", file=sys.stderr)
    except StackError as e:
        print(f"stack: {e}", file=sys.stderr)
        stack.stop(failed=True)
        return 1
    stack.stop()
    print("stack: stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
