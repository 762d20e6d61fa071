#!/usr/bin/python3
"""test_install.py -- `make install` into a DESTDIR gives a daemon that runs from the installed
files alone (issue 19): the binary, $(datadir)/imiflow, the example configuration, the systemd
units, the production nginx site and the man pages are where they belong; the installed
`imiflow lint` needs no --datadir; the installed engine, given the installed datadir and nothing
of the source tree, migrates a fresh database, deploys the installed workflows, tells systemd it
is ready ($NOTIFY_SOCKET), and a user signs in through nginx; `make uninstall` leaves no file.

The build tree is the directory of $IMIFLOW_BIN (make check sets it)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import DEFAULT_BOOTSTRAP, Stack, find_binary  # noqa: E402


def make(builddir, *args):
    # Not the jobserver of the `make check` that runs us.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", "-s", "-C", str(builddir), *args], env=env,
                          capture_output=True, text=True, timeout=600)


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.builddir = Path(find_binary()).resolve().parent
        cls.destdir = Path(tempfile.mkdtemp(prefix="imiflow-destdir-"))
        cls.addClassCleanup(shutil.rmtree, cls.destdir, True)
        r = make(cls.builddir, "install", f"DESTDIR={cls.destdir}")
        if r.returncode != 0:
            raise AssertionError(f"make install failed:\n{r.stdout}\n{r.stderr}")
        bins = list(cls.destdir.glob("**/bin/imiflow"))
        assert len(bins) == 1, bins
        cls.bin = bins[0]
        cls.prefix = cls.bin.parent.parent              # DESTDIR/usr/local
        cls.share = cls.prefix / "share" / "imiflow"

    def test_1_files(self):
        p, share = self.prefix, self.share
        for f in ["xslt/page.xsl", "xslt/static/imiflow.css", "xslt/i18n/en.xml",
                  "sql/001_foundation.sql", "workflows/information-request.xml",
                  "workflows/workflow.rng", "workflows/questions/pq-requests.xml",
                  "nginx/imiflow-site.conf", "nginx/security-headers.conf",
                  "nginx/imiflow.conf.in", "examples/imiflow.conf"]:
            self.assertTrue((share / f).is_file(), f)
        units = p / "lib" / "systemd" / "system"
        service = (units / "imiflow.service").read_text()
        worker = (units / "imiflow-worker@.service").read_text()
        bindir = "/" + str(self.bin.parent.relative_to(self.destdir))
        for text in (service, worker):
            for line in ("Type=notify", "Restart=on-failure", "NoNewPrivileges=yes",
                         "ProtectSystem=strict", "PrivateTmp=yes", "User=imiflow"):
                self.assertIn(line, text)
            self.assertIn(f"ExecStart={bindir}/imiflow ", text)
            self.assertEqual(re.findall(r"@[a-z]+@", text), [])
        self.assertIn(" serve ", service)
        self.assertIn(" worker ", worker)
        self.assertIn("u imiflow", (p / "lib" / "sysusers.d" / "imiflow.conf").read_text())
        conf = (p / "etc" / "imiflow" / "imiflow.conf").read_text()
        self.assertIn(f"datadir = /{share.relative_to(self.destdir)}", conf)
        site = (share / "nginx" / "imiflow-site.conf").read_text()
        self.assertIn("listen 443 ssl", site)
        self.assertIn(f"include /{share.relative_to(self.destdir)}/nginx/security-headers.conf;", site)

    def test_2_man_pages_render(self):
        for page, words in (("man8/imiflow.8", ["serve", "worker", "SIGNALS", "EXIT STATUS", "FILES"]),
                            ("man5/imiflow-workflow.5", ["start-timer", "not-by", "lint"])):
            path = self.prefix / "share" / "man" / page
            r = subprocess.run(["man", "--warnings", "-l", str(path)], capture_output=True,
                               text=True, env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr.strip(), "", r.stderr)
            text = re.sub(r".\x08", "", r.stdout)      # no overstrike (bold, underline)
            for w in words:
                self.assertIn(w, text, page)

    def test_3_lint_needs_no_datadir(self):
        files = sorted(str(f) for f in (self.share / "workflows").glob("*.xml"))
        r = subprocess.run([str(self.bin), "lint", *files], capture_output=True, text=True, cwd="/")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("no findings", r.stdout)

    def test_4_runs_from_the_installed_files(self):
        # systemd's side of the notify protocol: a datagram socket named by $NOTIFY_SOCKET.
        notify_dir = Path(tempfile.mkdtemp(prefix="imiflow-notify-"))
        self.addCleanup(shutil.rmtree, notify_dir, True)
        os.chmod(notify_dir, 0o755)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(listener.close)
        listener.bind(str(notify_dir / "notify"))
        os.chmod(notify_dir / "notify", 0o777)
        with Stack(binary=self.bin, datadir=self.share,
                   env={"NOTIFY_SOCKET": str(notify_dir / "notify")}) as s:
            argv = (s.logdir / "engine.log").read_text().splitlines()[0]
            self.assertIn(str(self.bin), argv)
            self.assertIn(f"--datadir {self.share}", argv)
            listener.settimeout(10)
            self.assertEqual(listener.recv(64), b"READY=1")
            user = s.bootstrap()
            b = first_sign_in(s, user, DEFAULT_BOOTSTRAP["email"])
            home = b.get("/")
            self.assertEqual(home.status, 200)
            self.assertIn(f'data-username="{user}"', home.text)
            self.assertEqual(b.get("/static/imiflow.css").status, 200)
            self.assertEqual(b.get("/healthz").status, 200)
            self.assertEqual(s.run_imiflow("migrate").returncode, 0)

    def test_5_uninstall_leaves_no_file(self):
        r = make(self.builddir, "uninstall", f"DESTDIR={self.destdir}")
        self.assertEqual(r.returncode, 0, r.stderr)
        left = [str(f) for f in self.destdir.rglob("*") if not f.is_dir()]
        self.assertEqual(left, [])


if __name__ == "__main__":
    tap.main()
