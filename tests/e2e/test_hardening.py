#!/usr/bin/python3
"""test_hardening.py -- ASVS 5.0 L2 requirements closed in issue 18 §4 (tests/SECURITY.md),
through the real stack, which runs here as behind HTTPS (`imiflow serve --cookie-secure`):

* 3.3.1, 3.3.3: cookies named with the __Host- prefix, Secure, Path=/, no Domain; a cookie of
  the plain name is not read;
* 14.3.1: sign-out answers Clear-Site-Data;
* 13.4.3, 13.4.4: nginx lists no folder and answers 405 to TRACE, OPTIONS, PUT, DELETE, PATCH;
* 7.5.2: My profile lists the user's sessions, this one marked, and "sign out everywhere else"
  ends the others (security log: sessions-ended);
* 7.5.1: changing a user's e-mail address, an Administrator's own included, needs the acting
  user's password (security log: reauth-failed);
* 16.3.2: a 403 and a 404 for an object that exists but is not the user's to see are in the
  security log (forbidden, need-to-know), one row per user and kind a minute; a 404 for an id
  that names nothing is not.

    /usr/bin/python3 tests/e2e/test_hardening.py
"""

import http.client
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from authorities import register  # noqa: E402
from browser import Browser  # noqa: E402
from people import PASSWORD, first_sign_in, login_csrf, signed_in  # noqa: E402
from stack import Stack  # noqa: E402

HELPDESK_MAIL = "helpdesk@imiflow.invalid"
SESSION = "__Host-imiflow_session"
LOGIN = "__Host-imiflow_login"


class HardeningTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000, serve_args=["--cookie-secure"])
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd_user = s.bootstrap(country="BE")
        cls.hd = first_sign_in(s, cls.hd_user, HELPDESK_MAIL)
        cls.hd_id, cls.hd_aid = (int(x) for x in s.psql(
            "SELECT id, authority_id FROM users WHERE username = $1", cls.hd_user)[0])
        cls.dk_aid, cls.dk_user = register(cls.hd, "Styrelsen for Hardening", "DK", "Dorte")
        # Signed in once to choose a password (test_04 ends this session: later tests sign in).
        first_sign_in(s, cls.dk_user, "dorte@example.dk")
        cls.dk_id = int(s.psql("SELECT id FROM users WHERE username = $1", cls.dk_user)[0][0])

    def raw(self, method, path, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.stack.port, timeout=20)
        try:
            c.request(method, path, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read()
        finally:
            c.close()

    def log_rows(self, kind, actor):
        return self.stack.psql("SELECT detail, address, request_id FROM security_log"
                               " WHERE kind = $1 AND actor_user_id = $2 ORDER BY id", kind, actor)

    def user_form(self, b, uid):
        page = b.get(f"/users/{uid}").html()
        data = {f: page.find(id=f).get("value") for f in
                ("first_name", "last_name", "user_email", "phone", "username")}
        data["language"] = "en"
        roles = [e.get("value") for e in page.find_all("input", name="role")
                 if e.get("checked") is not None]
        return page, data, roles

    def save_user(self, b, uid, **changes):
        page, data, roles = self.user_form(b, uid)
        data.update(changes)
        form = [("csrf", page.csrf())] + list(data.items()) + [("role", r) for r in roles]
        return b.post(f"/users/{uid}", form)

    def errors(self, r):
        return r.status, [(e.get("data-field"), e.get("data-rule")) for e in r.html().iter()
                          if e.get("data-rule")], r.text[-600:]

    def email_of(self, uid):
        return self.stack.psql("SELECT email FROM users WHERE id = $1", uid)[0][0]

    # -- 3.3.1, 3.3.3 --------------------------------------------------------------------

    def test_01_cookies_carry_the_host_prefix(self):
        b = Browser(self.stack.url)
        r = b.get("/login")
        c = r.set_cookie(LOGIN)
        self.assertIsNotNone(c, r.header("Set-Cookie"))
        self.assertTrue(c.secure and c.httponly, c)
        self.assertEqual(c.path, "/")
        self.assertNotIn("domain", c.attrs)
        self.assertIsNone(r.set_cookie("imiflow_login"))
        r = b.post("/login", {"username": self.dk_user, "password": PASSWORD,
                              "csrf": login_csrf(b)})
        self.assertEqual(r.status, 303, r.describe(800))
        c = r.set_cookie(SESSION)
        self.assertIsNotNone(c, r.header("Set-Cookie"))
        self.assertTrue(c.secure and c.httponly, c)
        self.assertEqual(c.path, "/")
        self.assertNotIn("domain", c.attrs)
        self.assertEqual(c.samesite.lower(), "lax")
        self.assertEqual(b.get("/").status, 200)
        # The same token under the plain name (as a sibling host or plain HTTP could plant
        # it) is no session.
        plain = Browser(self.stack.url)
        plain.set_cookie("imiflow_session", b.cookie(SESSION))
        r = plain.get("/")
        self.assertEqual((r.status, r.location_path), (303, "/login"))

    # -- 14.3.1 --------------------------------------------------------------------------

    def test_02_sign_out_clears_site_data(self):
        b = signed_in(self.stack, self.dk_user)
        token_sessions = int(self.stack.psql(
            "SELECT count(*) FROM sessions WHERE user_id = $1", self.dk_id)[0][0])
        r = b.post("/logout", {"csrf": b.get("/").html().csrf()})
        self.assertEqual((r.status, r.location_path), (303, "/login"))
        self.assertEqual(r.header("Clear-Site-Data"), '"cache", "cookies", "storage"')
        dropped = r.set_cookie(SESSION)
        self.assertTrue(dropped is not None and dropped.expired(), r.header("Set-Cookie"))
        self.assertEqual(int(self.stack.psql(
            "SELECT count(*) FROM sessions WHERE user_id = $1", self.dk_id)[0][0]),
            token_sessions - 1)

    # -- 13.4.3, 13.4.4 (through nginx) --------------------------------------------------

    def test_03_no_folder_listing_and_only_get_head_post(self):
        for path in ("/static/", "/static/errors/"):
            status, body = self.raw("GET", path)
            self.assertIn(status, (403, 404), path)
            self.assertNotIn(b"Index of", body, path)
        self.assertEqual(self.raw("GET", "/static/imiflow.css")[0], 200)
        for method in ("TRACE", "OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND"):
            for path in ("/", "/login", "/static/imiflow.css"):
                status, body = self.raw(method, path)
                self.assertEqual(status, 405, (method, path))
                self.assertNotIn(b"Cookie", body, (method, path))
        self.assertEqual(self.raw("HEAD", "/login")[0], 200)

    # -- 7.5.2 ---------------------------------------------------------------------------

    def test_04_own_sessions_on_the_profile_and_sign_out_everywhere_else(self):
        office = signed_in(self.stack, self.dk_user)
        laptop = signed_in(self.stack, self.dk_user)
        phone = signed_in(self.stack, self.dk_user)
        page = office.get("/profile").html()
        rows = page.by_id("sessions").find("tbody").find_all("tr")
        self.assertGreaterEqual(len(rows), 3)
        self.assertEqual([r.get("data-current") for r in rows].count("true"), 1)
        self.assertIsNotNone(page.by_id("end-other-sessions"))
        r = office.post("/profile/sessions", {"csrf": page.csrf()})
        self.assertEqual((r.status, r.location_path), (303, "/profile"))
        page = office.follow(r).html()
        self.assertIsNotNone(page.find(**{"data-notice": "sessions-ended"}))
        self.assertEqual(len(page.by_id("sessions").find("tbody").find_all("tr")), 1)
        self.assertIsNone(page.by_id("end-other-sessions"))
        for other in (laptop, phone):
            r = other.get("/")
            self.assertEqual((r.status, r.location_path), (303, "/login"))
        self.assertEqual(office.get("/").status, 200)
        self.assertEqual(int(self.stack.psql(
            "SELECT count(*) FROM sessions WHERE user_id = $1", self.dk_id)[0][0]), 1)
        self.assertEqual(len(self.log_rows("sessions-ended", self.dk_id)), 1)
        office.post("/logout", {"csrf": office.get("/").html().csrf()})
        # Another user's sessions are untouched.
        self.assertEqual(self.hd.get("/").status, 200)

    # -- 7.5.1 ---------------------------------------------------------------------------

    def test_05_an_email_change_needs_the_acting_users_password(self):
        before = self.email_of(self.dk_id)
        # Without the password: the form again, at the field, nothing written.
        r = self.save_user(self.hd, self.dk_id, user_email="dorte.new@example.dk")
        self.assertEqual(r.status, 422, r.describe(1500))
        err = r.html().find("p", **{"data-field": "your_password"})
        self.assertEqual(err.get("data-rule"), "reauth-required")
        self.assertEqual(self.email_of(self.dk_id), before)
        # A wrong one: refused, and in the security log.
        r = self.save_user(self.hd, self.dk_id, user_email="dorte.new@example.dk",
                           your_password="Wrong1password")
        self.assertEqual(r.status, 422, r.describe(1500))
        self.assertEqual(r.html().find("p", **{"data-field": "your_password"}).get("data-rule"),
                         "reauth-wrong")
        self.assertEqual(r.html().by_id("your_password").get("value"), "")
        self.assertEqual(self.email_of(self.dk_id), before)
        rows = self.stack.psql("SELECT subject_user_id, detail FROM security_log"
                               " WHERE kind = 'reauth-failed' AND actor_user_id = $1",
                               self.hd_id)
        self.assertEqual(rows, [(str(self.dk_id), "e-mail change")])
        # The acting user's own password: saved.
        roles = self.stack.psql("SELECT user_roles_text($1)", self.dk_id)
        r = self.save_user(self.hd, self.dk_id, user_email="dorte.new@example.dk",
                           your_password=PASSWORD)
        self.assertEqual(r.status, 303, self.errors(r))
        self.assertEqual(self.email_of(self.dk_id), "dorte.new@example.dk")
        self.assertEqual(self.stack.psql("SELECT user_roles_text($1)", self.dk_id), roles)
        # Other fields change without it.
        r = self.save_user(self.hd, self.dk_id, phone="+45 1234")
        self.assertEqual(r.status, 303, self.errors(r))
        # An Administrator changing their own address is asked too.
        dk = signed_in(self.stack, self.dk_user)
        r = self.save_user(dk, self.dk_id, user_email="dorte@example.dk")
        self.assertEqual(r.status, 422, self.errors(r))
        r = self.save_user(dk, self.dk_id, user_email="dorte@example.dk",
                           your_password=PASSWORD)
        self.assertEqual(r.status, 303, self.errors(r))
        self.assertEqual(self.email_of(self.dk_id), "dorte@example.dk")

    # -- 16.3.2 --------------------------------------------------------------------------

    def test_06_refused_authorisation_is_in_the_security_log_without_flooding(self):
        dk = signed_in(self.stack, self.dk_user)
        # The helpdesk's user is not the DK Administrator's to manage: 403, logged once
        # however often it is asked within a minute.
        for _ in range(5):
            self.assertEqual(dk.get(f"/users/{self.hd_id}").status, 403)
        rows = self.log_rows("forbidden", self.dk_id)
        self.assertEqual(len(rows), 1, rows)
        detail, address, rid = rows[0]
        self.assertEqual(detail, f"403 GET /users/{self.hd_id}")
        self.assertEqual(address, "127.0.0.1")
        self.assertTrue(rid)
        # The helpdesk authority's instance exists and is not DK's to see (need to know):
        # the page answers as if it did not exist, and the log says it does.
        hidden = self.stack.psql("SELECT min(id) FROM wf_instances WHERE authority_id = $1",
                                 self.hd_aid)[0][0]
        for _ in range(3):
            self.assertEqual(dk.get(f"/instances/{hidden}").status, 404)
        rows = self.log_rows("need-to-know", self.dk_id)
        self.assertEqual([r[0] for r in rows], [f"404 GET /instances/{hidden}"])
        # An id that names nothing is a mistyped link, not a refusal; nor is an unknown page.
        n = len(self.stack.psql("SELECT id FROM security_log"))
        self.assertEqual(dk.get("/instances/999999").status, 404)
        self.assertEqual(dk.get("/no/such/page").status, 404)
        self.assertEqual(len(self.stack.psql("SELECT id FROM security_log")), n)
        # One row a minute per user and kind: two minutes later, the next refusal is logged.
        self.stack.psql("ALTER TABLE security_log DISABLE TRIGGER security_log_append_only")
        try:
            self.stack.psql("UPDATE security_log SET at = at - interval '2 minutes'"
                            " WHERE actor_user_id = $1", self.dk_id)
        finally:
            self.stack.psql("ALTER TABLE security_log ENABLE TRIGGER security_log_append_only")
        self.assertEqual(dk.get(f"/instances/{hidden}").status, 404)
        self.assertEqual(len(self.log_rows("need-to-know", self.dk_id)), 2)
        self.assertEqual(len(self.log_rows("forbidden", self.dk_id)), 1)
        # The helpdesk's Administrators read them on the security log page.
        page = self.hd.get("/admin/security-log?kind=need-to-know")
        self.assertEqual(page.status, 200)
        self.assertIn(f"/instances/{hidden}", page.text)

if __name__ == "__main__":
    tap.main()
