#!/usr/bin/python3
"""test_security_log.py -- the security log (sql/024_security_log.sql, engine/imi/security_log.c,
issue 18 §4, ASVS 5.0 V16) through the real stack.

* A row for every sign-in, failed sign-in (whatever its cause), throttled attempt, blocked
  password, password change, reset, sign-out, user added and deleted, change of a user's
  roles, module access granted and suspended; each with who acted (user and authority), whose
  access it concerns, the client's address and the request id of the engine's log.
* Never a password, a temporary password, or a typed username that names nobody.
* Written in the event's transaction: a refused role change leaves no row.
* Append-only: UPDATE, DELETE and TRUNCATE are refused by the database.
* /admin/security-log is the helpdesk Administrators' alone (in their Administration menu);
  anyone else gets 404 and no menu entry.  It filters by kind and by username, 50 a page.

The reading of blocked personal data (a disclosure) is asserted in test_need_to_know.py
(test_05), which has a request to disclose.

    /usr/bin/python3 tests/e2e/test_security_log.py
"""

import functools
import http.client
import os
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from authorities import register  # noqa: E402
from browser import Browser, _NoRedirect  # noqa: E402
from people import PASSWORD, first_sign_in, signed_in  # noqa: E402
from stack import Stack, StackError, temporary_password  # noqa: E402

HELPDESK_MAIL = "helpdesk@imiflow.invalid"
COLUMNS = "kind, actor_user_id, actor_authority_id, subject_user_id, address, request_id, detail"


class _FromAddress(urllib.request.HTTPHandler):
    """Connects from a given local address, as a client on another host would."""

    def __init__(self, source):
        super().__init__()
        self.source = source

    def http_open(self, req):
        return self.do_open(functools.partial(http.client.HTTPConnection,
                                              source_address=(self.source, 0)), req)


def browser_from(stack, source):
    b = Browser(stack.url)
    b._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect(),
                                            _FromAddress(source))
    return b


class SecurityLogTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd_user = s.bootstrap(country="BE")
        cls.hd = first_sign_in(s, cls.hd_user, HELPDESK_MAIL)
        cls.hd_id, cls.hd_aid = (int(x) for x in s.psql(
            "SELECT id, authority_id FROM users WHERE username = $1", cls.hd_user)[0])
        cls.pq = s.psql("SELECT code FROM modules WHERE kind = 'request'"
                        " ORDER BY position LIMIT 1")[0][0]

    # -- helpers -------------------------------------------------------------------------

    def rows(self, where="true", *params):
        return self.stack.psql(f"SELECT {COLUMNS} FROM security_log WHERE {where} ORDER BY id",
                               *params)

    def uid(self, username):
        return int(self.stack.psql("SELECT id FROM users WHERE username = $1", username)[0][0])

    def csrf(self, b):
        return b.get("/").html().csrf()

    def add_user(self, first, email, roles=()):
        b = self.hd
        fields = [("csrf", self.csrf(b)), ("first_name", first), ("last_name", "Log"),
                  ("user_email", email), ("language", "en"), ("phone", "+32 1"),
                  ("username", ""), ("action", "save")] + [("role", r) for r in roles]
        r = b.post(f"/authorities/{self.hd_aid}/users/new", fields)
        self.assertEqual(r.status, 200, r.describe(1500))
        return r.html().by_id("new-username").text

    def attempt(self, b, username, password):
        if b.cookie("imiflow_login") is None:
            self.assertEqual(b.get("/login").status, 200)
        return b.post("/login", {"username": username, "password": password,
                                 "csrf": b.cookie("imiflow_login")})

    def save_roles(self, username, roles):
        uid = self.uid(username)
        page = self.hd.get(f"/users/{uid}").html()
        data = {f: page.find(id=f).get("value") for f in
                ("first_name", "last_name", "user_email", "phone", "username")}
        data["language"] = "en"
        form = [("csrf", page.csrf())] + list(data.items()) + [("role", r) for r in roles]
        return self.hd.post(f"/users/{uid}", form)

    # -- 1. sign-in, first password change ------------------------------------------------

    def test_01_bootstrap_sign_in_and_password_change(self):
        hd = str(self.hd_id)
        added = self.rows("kind = 'user-added' AND subject_user_id = $1", hd)
        # Created by `imiflow bootstrap`: no actor, no address.
        self.assertEqual(len(added), 1, added)
        self.assertEqual(added[0][1:5], (None, None, hd, None))
        self.assertIn(self.hd_user, added[0][6])
        for kind in ("login", "password-changed"):
            rows = self.rows("kind = $1 AND subject_user_id = $2", kind, hd)
            self.assertEqual(len(rows), 1, (kind, rows))
            k, actor, authority, subject, address, rid, detail = rows[0]
            self.assertEqual((actor, authority, subject, address),
                             (hd, str(self.hd_aid), hd, "127.0.0.1"), kind)
            self.assertRegex(rid or "", r"^[0-9A-Za-z-]{8,}$", kind)
        # The request id is the one of the engine's log line for the same request.
        rid = self.rows("kind = 'login' AND subject_user_id = $1", hd)[0][5]
        with open(os.path.join(self.stack.logdir, "engine.log"), encoding="utf-8",
                  errors="replace") as f:
            self.assertIn(rid, f.read())

    # -- 2. failures, throttle, block, reset -----------------------------------------------

    def test_02_failures_throttle_block_and_reset(self):
        email = "una@seclog.example"
        una = self.add_user("Una", email)
        first_sign_in(self.stack, una, email)
        una_id = str(self.uid(una))
        b = browser_from(self.stack, "127.0.0.31")
        ghost = "ghost.Secret9pass"      # a password typed into the username field
        before = int(self.stack.psql("SELECT coalesce(max(id), 0) FROM security_log")[0][0])
        self.assertEqual(self.attempt(b, ghost, "Wrong1pass").status, 200)
        rows = self.rows("id > $1", before)
        self.assertEqual(rows, [("login-failed", None, None, None, "127.0.0.31", rows[0][5],
                                 "unknown username")])
        # Three wrong passwords are free; the fourth attempt at once must wait (429).
        for i in range(3):
            self.assertEqual(self.attempt(b, una, f"Wrong{i}pass").status, 200)
        r = self.attempt(b, una, "Wrong3pass")
        self.assertEqual(r.status, 429, r.describe(500))
        throttled = self.rows("kind = 'login-throttled' AND subject_user_id = $1", una_id)
        self.assertEqual(len(throttled), 1, throttled)
        self.assertEqual(throttled[0][4], "127.0.0.31")
        self.assertRegex(throttled[0][6], r"^\d+ s to wait$")
        # Two more counted failures block the password: a row of its own.
        failures = 3
        while failures < 5:
            r = self.attempt(b, una, f"Wrong{failures}pass")
            if r.status == 429:
                time.sleep(int(r.header("Retry-After")) + 0.3)
                continue
            failures += 1
        failed = self.rows("kind = 'login-failed' AND subject_user_id = $1", una_id)
        self.assertEqual([f[6] for f in failed], ["wrong password"] * 5)
        blocked = self.rows("kind = 'password-blocked' AND subject_user_id = $1", una_id)
        self.assertEqual(len(blocked), 1, blocked)
        self.assertEqual(blocked[0][4], "127.0.0.31")
        # The right password on a blocked one is a failure with its own cause.
        while True:
            r = self.attempt(b, una, PASSWORD)
            if r.status != 429:
                break
            time.sleep(int(r.header("Retry-After")) + 0.3)
        self.assertEqual(self.rows("kind = 'login-failed' AND subject_user_id = $1", una_id)[-1][6],
                         "password blocked")
        # The helpdesk's administrator resets it: who, whose, from where.
        before_mail = {m.path for m in self.stack.mails()}
        r = self.hd.post(f"/users/{una_id}/reset", {"csrf": self.csrf(self.hd)})
        self.assertEqual(r.status, 303, r.describe(500))
        reset = self.rows("kind = 'password-reset' AND subject_user_id = $1", una_id)
        self.assertEqual([x[1:5] for x in reset],
                         [(str(self.hd_id), str(self.hd_aid), una_id, "127.0.0.1")])
        # Nothing secret anywhere: no typed password, no unknown name, no temporary password.
        m = self.stack.wait_mail(lambda m: m.path not in before_mail and email in m["To"]
                                 and temporary_password(m) is not None, timeout=20)
        everything = "\n".join(" ".join(c or "" for c in row) for row in self.rows())
        for secret in (ghost, "Wrong1pass", "Wrong3pass", PASSWORD, temporary_password(m)):
            self.assertNotIn(secret, everything)

    # -- 3. users and roles ----------------------------------------------------------------

    def test_03_user_added_roles_changed_and_deleted(self):
        rolf = self.add_user("Rolf", "rolf@seclog.example")
        rid = str(self.uid(rolf))
        added = self.rows("kind = 'user-added' AND subject_user_id = $1", rid)
        self.assertEqual([x[1:5] for x in added],
                         [(str(self.hd_id), str(self.hd_aid), rid, "127.0.0.1")])
        self.assertEqual(self.rows("kind = 'roles-changed' AND subject_user_id = $1", rid), [])
        r = self.save_roles(rolf, ["administrator"])
        self.assertEqual(r.status, 303, r.describe(800))
        changed = self.rows("kind = 'roles-changed' AND subject_user_id = $1", rid)
        self.assertEqual([(x[1], x[6]) for x in changed],
                         [(str(self.hd_id), "- -> administrator")])
        # Saving the same roles again changes nothing and logs nothing.
        self.assertEqual(self.save_roles(rolf, ["administrator"]).status, 303)
        self.assertEqual(len(self.rows("kind = 'roles-changed' AND subject_user_id = $1", rid)), 1)
        r = self.save_roles(rolf, [])
        self.assertEqual(r.status, 303)
        self.assertEqual(self.rows("kind = 'roles-changed' AND subject_user_id = $1", rid)[-1][6],
                         "administrator -> -")
        # A change refused by the role rules (the authority's last Administrator) writes no row.
        n = len(self.rows("kind = 'roles-changed'"))
        r = self.save_roles(self.hd_user, [])
        self.assertEqual(r.status, 422, r.describe(800))
        self.assertEqual(len(self.rows("kind = 'roles-changed'")), n)
        r = self.hd.post(f"/users/{rid}/delete", {"csrf": self.csrf(self.hd)})
        self.assertEqual(r.status, 303, r.describe(500))
        deleted = self.rows("kind = 'user-deleted' AND subject_user_id = $1", rid)
        self.assertEqual([(x[1], x[6]) for x in deleted], [(str(self.hd_id), rolf)])

    # -- 4. module access ------------------------------------------------------------------

    def test_04_module_access_granted_and_suspended(self):
        aid, _ = register(self.hd, "Seclog Koordinator", "DK", "Kurt")
        fields = [("csrf", self.csrf(self.hd)), ("module", self.pq), ("role", "coordinator")]
        r = self.hd.post(f"/authorities/{aid}/modules", fields)
        self.assertEqual(r.status, 303, r.describe(800))
        where = f"authority {aid}, module {self.pq}: "
        self.assertEqual([x[:3] + x[6:] for x in self.rows(
                             "kind = 'access-granted' AND detail NOT LIKE '%grant-automatically'")],
                         [("access-granted", str(self.hd_id), str(self.hd_aid), where + "grant")])
        # The horizontal registers module, granted by the system at registration (issue 15).
        self.assertEqual([x[:3] + x[6:] for x in self.rows(
                             f"kind = 'access-granted' AND detail LIKE 'authority {aid}, %'"
                             " AND detail LIKE '%grant-automatically'")],
                         [("access-granted", None, None,
                           f"authority {aid}, module registers: grant-automatically")])
        iid, rev = self.stack.psql(
            "SELECT i.id, i.rev FROM module_accesses ma JOIN wf_instances i"
            " ON i.id = ma.instance_id WHERE ma.authority_id = $1 AND ma.module = $2",
            aid, self.pq)[0]
        r = self.hd.post(f"/instances/{iid}/fire/suspend",
                         {"csrf": self.csrf(self.hd), "rev": rev, "next": "/"})
        self.assertEqual(r.status, 303, r.describe(800))
        self.assertEqual([x[:3] + x[6:] for x in self.rows("kind = 'access-suspended'")],
                         [("access-suspended", str(self.hd_id), str(self.hd_aid),
                           where + "suspend")])

    # -- 5. sign-out ------------------------------------------------------------------------

    def test_05_sign_out(self):
        b = signed_in(self.stack, self.hd_user)
        r = b.post("/logout", {"csrf": self.csrf(b)})
        self.assertEqual(r.status, 303)
        out = self.rows("kind = 'logout'")
        self.assertEqual([x[1:5] for x in out][-1:],
                         [(str(self.hd_id), str(self.hd_aid), str(self.hd_id), "127.0.0.1")])

    # -- 6. append-only --------------------------------------------------------------------

    def test_06_append_only(self):
        for sql in ("UPDATE security_log SET detail = 'x'",
                    "DELETE FROM security_log",
                    "TRUNCATE security_log"):
            with self.assertRaises(StackError) as e:
                self.stack.psql(sql)
            self.assertIn("append-only", str(e.exception), sql)
        self.assertGreater(len(self.rows()), 5)

    # -- 7. the page --------------------------------------------------------------------------

    def test_07_page_for_the_helpdesk_administrators_only(self):
        page = self.hd.get("/admin/security-log")
        self.assertEqual(page.status, 200, page.describe(800))
        self.assertIsNotNone(page.html().by_id("nav-security-log"))
        self.assertIsNotNone(page.html().by_id("security-log"))
        # by kind
        xml = self.hd.get_xml("/admin/security-log?kind=login-failed")
        kinds = {e.get("kind") for e in xml.root.iter("entry")}
        self.assertEqual(kinds, {"login-failed"})
        # by username: as actor or as the one concerned
        xml = self.hd.get_xml(f"/admin/security-log?user={self.hd_user.upper()}")
        entries = list(xml.root.iter("entry"))
        self.assertTrue(entries)
        for e in entries:
            self.assertIn(self.hd_user, (e.get("actor"), e.get("subject")), e.attrib)
        # 50 a page, newest first
        self.stack.psql("INSERT INTO security_log (kind, detail)"
                        " SELECT 'logout', 'filler ' || g FROM generate_series(1, 60) g")
        first = self.hd.get_xml("/admin/security-log?kind=logout")
        self.assertEqual(len(list(first.root.iter("entry"))), 50)
        self.assertEqual(first.root.find("entries").get("older"), "true")
        self.assertEqual(next(first.root.iter("entry")).text, "filler 60")
        second = self.hd.get_xml("/admin/security-log?kind=logout&page=1")
        self.assertEqual(second.root.find("entries").get("newer"), "true")
        self.assertIsNone(second.root.find("entries").get("older"))
        html = self.hd.get("/admin/security-log?kind=logout").html()
        self.assertIsNotNone(html.by_id("older-page"))
        # Anyone else: 404, no menu entry -- a helpdesk user who is no Administrator, and the
        # Administrator of another authority.
        email = "vera@seclog.example"
        vera = first_sign_in(self.stack, self.add_user("Vera", email), email)
        aid, other = register(self.hd, "Seclog Myndighed", "DK", "Olga")
        olga = first_sign_in(self.stack, other, "olga@example.dk")
        for who, b in (("helpdesk user", vera), ("another authority's administrator", olga)):
            self.assertIsNone(b.get("/").html().by_id("nav-security-log"), who)
            for path in ("/admin/security-log", "/admin/security-log?format=xml",
                         "/admin/security-log?kind=login"):
                r = b.get(path)
                self.assertEqual(r.status, 404, (who, path))
                self.assertNotIn("filler", r.text)

    # -- 8. ASVS checks of the pages around it (tests/SECURITY.md 6.2.6, 6.2.7, 7.4.4, 14.3.2) --

    def test_08_pages_not_cached_password_fields_masked_sign_out_visible(self):
        r = self.hd.get("/admin/security-log")
        self.assertIn("no-store", r.header("Cache-Control") or "")
        # a Sign out form on a signed-in page
        self.assertTrue([f for f in r.html().find_all("form") if f.get("action") == "/logout"])
        # password fields are masked, and password managers may fill them (and paste works)
        for path, b, fields in (("/login", Browser(self.stack.url), ("password",)),
                                ("/password", self.hd, ("current", "new", "confirm"))):
            page = b.get(path)
            self.assertEqual(page.status, 200, path)
            self.assertIn("no-store", page.header("Cache-Control") or "", path)
            for name in fields:
                field = page.html().by_id(name)
                self.assertEqual(field.get("type"), "password", (path, name))
                self.assertNotEqual(field.get("autocomplete"), "off", (path, name))
            self.assertNotIn("onpaste", page.text)
            self.assertNotIn('autocomplete="off"', page.text)


if __name__ == "__main__":
    tap.main()
