#!/usr/bin/python3
"""test_users.py -- users, roles and passwords end to end through the pages (issue "Users",
seeds 000, 001 §3.2, 004): the Users tab with status, password status and last login; adding a
user with a proposed username and roles per module; editing data and roles (one click for all
roles of a module or of the authority); the role rules and invariants; resetting and deleting;
the CSV export; the password lifecycle as a workflow (reminder, expiry, blocking, reset; the
clock moves); and My profile."""

import csv
import io
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from people import PASSWORD, first_sign_in, renewed, signed_in  # noqa: E402
from stack import Stack, mail_text, temporary_password  # noqa: E402


class UsersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000, serve_args=("--login-throttle-user", "100",
                                                            "--login-throttle-address", "100"))
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        cls.pq = s.psql("SELECT code FROM modules WHERE kind = 'request' ORDER BY position LIMIT 1")[0][0]
        cls.reg = s.psql("SELECT code FROM modules WHERE kind = 'register' LIMIT 1")[0][0]
        cls.dk_id, cls.dk_user = cls.register(cls.hd, "Erhvervsstyrelsen", "DK", "nimic", "Dorte", "Jensen")
        cls.dk = first_sign_in(s, cls.dk_user, "dorte@example.dk")
        cls.coord, cls.coord_user = cls.register(cls.dk, "Koordinator", "DK", "coordinator-national",
                                                 "Carl", "Koch")
        cls.auth, cls.auth_user = cls.register(cls.dk, "Sundhedsstyrelsen", "DK",
                                               "competent-authority", "Mette", "Larsen")
        cls.grant(cls.dk, cls.coord, cls.pq, role="coordinator")
        cls.grant(cls.dk, cls.auth, cls.pq, coordinators=[cls.coord], allocation=True)
        cls.admin = first_sign_in(s, cls.auth_user, "mette@example.dk")
        cls.coord_b = first_sign_in(s, cls.coord_user, "carl@example.dk")

    @classmethod
    def register(cls, b, name, country, kind, first, last):
        page = b.get("/admin/authorities/new")
        r = b.post("/admin/authorities/new", {
            "csrf": page.html().csrf(), "official_name": name, "country": country,
            "email": "office@" + re.sub(r"[^a-z]", "", name.lower()) + ".example",
            "authority_type": kind,
            "first_name": first, "last_name": last, "language": "en",
            "user_email": f"{first.lower()}@example.{country.lower()}"})
        assert r.status == 200, r.text[-1500:]
        aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
        return aid, r.html().by_id("new-username").text

    @classmethod
    def grant(cls, b, aid, module, role="authority", coordinators=(), **settings):
        fields = [("csrf", b.get("/").html().csrf()), ("module", module), ("role", role)]
        fields += [("coordinator", str(c)) for c in coordinators]
        fields += [(k, "yes") for k, v in settings.items() if v]
        r = b.post(f"/authorities/{aid}/modules", fields)
        assert r.status == 303, (r.status, r.text[-1500:])

    # -- helpers -------------------------------------------------------------------------

    def csrf(self, b):
        return b.get("/").html().csrf()

    def mail_paths(self):
        return {m.path for m in self.stack.mails()}

    def add_user(self, b, aid, first, last, email, roles=(), alls=(), username="", expect=200):
        fields = [("csrf", self.csrf(b)), ("first_name", first), ("last_name", last),
                  ("user_email", email), ("language", "en"), ("phone", "+45 1"),
                  ("username", username), ("action", "save")]
        fields += [("role", r) for r in roles] + [("all", a) for a in alls]
        r = b.post(f"/authorities/{aid}/users/new", fields)
        self.assertEqual(r.status, expect, r.text[-1500:])
        return r

    def uid(self, username):
        return int(self.stack.psql("SELECT id FROM users WHERE username = $1", username)[0][0])

    def roles(self, username):
        return {(m, r) for m, r in self.stack.psql(
            "SELECT r.module, r.role FROM user_roles r JOIN users u ON u.id = r.user_id"
            " WHERE u.username = $1", username)}

    def save_user(self, b, who, roles=(), alls=(), **fields):
        uid = self.uid(who)
        page = b.get(f"/users/{uid}").html()
        data = {f: page.find(id=f).get("value") for f in
                ("first_name", "last_name", "user_email", "phone", "username")}
        data["language"] = "en"
        data.update(fields)
        form = [("csrf", page.csrf())] + list(data.items())
        form += [("role", r) for r in roles] + [("all", a) for a in alls]
        return b.post(f"/users/{uid}", form)

    def password_state(self, username):
        return self.stack.psql(
            "SELECT u.password_state, i.state FROM users u JOIN wf_instances i"
            " ON i.id = u.password_instance_id WHERE u.username = $1", username)[0]

    # -- 1. the Users tab, adding, editing, resetting, deleting, CSV ---------------------

    def test_01_add_user_with_proposed_username_and_roles(self):
        b = self.admin
        # "Propose" fills in a free username made from the name.
        r = b.post(f"/authorities/{self.auth}/users/new", {
            "csrf": self.csrf(b), "first_name": "Mette", "last_name": "Larsen",
            "user_email": "", "language": "en", "username": "", "action": "propose"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.html().find(id="username").get("value"), "mlarsen2")
        # A username taken anywhere is refused; a free one of the administrator's choice is kept.
        r = self.add_user(b, self.auth, "Hans", "Hansen", "hans@example.dk", username=self.dk_user,
                          expect=422)
        self.assertEqual(r.html().find(class_="error", **{"data-field": "username"}).get("data-rule"),
                         "taken")
        # An e-mail address used by any user of the system is refused.
        r = self.add_user(b, self.auth, "Hans", "Hansen", "dorte@example.dk", expect=422)
        self.assertEqual(r.html().find(class_="error", **{"data-field": "user_email"}).get("data-rule"),
                         "duplicate-email")
        before = self.mail_paths()
        r = self.add_user(b, self.auth, "Hans", "Hansen", "hans@example.dk", username="hans.h",
                          roles=[f"{self.pq}:viewer", f"{self.pq}:handler"])
        self.assertEqual(r.html().by_id("new-username").text, "hans.h")
        self.assertEqual(self.roles("hans.h"), {(self.pq, "viewer"), (self.pq, "handler")})
        msg = self.stack.wait_mail(lambda m: m.path not in before and "hans@example.dk" in m["To"])
        self.assertIsNotNone(temporary_password(msg))
        self.assertNotIn("hans.h", mail_text(msg))
        # The list: new (never signed in), temporary password, no last login; then active.
        row = b.get_xml(f"/authorities/{self.auth}/users").xml().find("users")
        hans = next(u for u in row if u.get("username") == "hans.h")
        self.assertEqual((hans.get("status"), hans.get("password"), hans.get("last-login")),
                         ("new", "temporary", ""))
        first_sign_in(self.stack, "hans.h", "hans@example.dk", before=before)
        row = b.get_xml(f"/authorities/{self.auth}/users").xml().find("users")
        hans = next(u for u in row if u.get("username") == "hans.h")
        self.assertEqual((hans.get("status"), hans.get("password")), ("active", "valid"))
        self.assertNotEqual(hans.get("last-login"), "")

    def test_02_role_rules(self):
        b = self.admin
        # Approver only in a coordinator; Allocator only in request modules; only granted modules.
        r = self.add_user(b, self.auth, "Ida", "Ib", "ida@example.dk", roles=[f"{self.pq}:approver"],
                          expect=400)
        r = self.add_user(b, self.auth, "Ida", "Ib", "ida@example.dk", roles=[f"{self.reg}:viewer"],
                          expect=400)
        self.assertEqual(self.stack.psql("SELECT count(*) FROM users WHERE email = 'ida@example.dk'"),
                         [("0",)])
        page = b.get_xml(f"/authorities/{self.auth}/users/new").xml()
        offered = {(m.get("code"), r.get("name")) for m in page.find("roles") if m.tag == "module"
                   for r in m}
        # pq granted; registers, horizontal, from the registration (issue 15).
        self.assertEqual(offered, {(self.pq, "viewer"), (self.pq, "handler"), (self.pq, "allocator"),
                                   ("registers", "viewer"), ("registers", "handler")})
        page = self.coord_b.get_xml(f"/authorities/{self.coord}/users/new").xml()
        offered = {r.get("name") for m in page.find("roles") if m.tag == "module" for r in m}
        self.assertIn("approver", offered)
        # One click: all roles of a module; all roles of the authority.
        self.add_user(b, self.auth, "Jens", "Juul", "jens@example.dk", alls=[self.pq])
        self.assertEqual(self.roles("jjuul"), {(self.pq, "viewer"), (self.pq, "handler"),
                                               (self.pq, "allocator")})
        r = self.save_user(b, "jjuul", alls=["*"])
        self.assertEqual(r.status, 303)
        self.assertIn(("", "administrator"), self.roles("jjuul"))

    def test_03_invariants(self):
        b = self.admin
        a, user = self.register(self.dk, "Lille Kontor", "DK", "competent-authority", "Lone", "Lund")
        self.grant(self.dk, a, self.pq, coordinators=[self.coord], allocation=True)
        lb = first_sign_in(self.stack, user, "lone@example.dk")
        uid = self.uid(user)
        # The only Administrator, Handler and Allocator cannot lose those roles, nor be deleted.
        for roles, rule in (([f"{self.pq}:handler", f"{self.pq}:allocator"], "administrator"),
                            (["administrator", f"{self.pq}:allocator"], "handler"),
                            (["administrator", f"{self.pq}:handler"], "allocator")):
            r = self.save_user(lb, user, roles=roles)
            self.assertEqual(r.status, 422)
            self.assertIn(rule, [li.get("data-rule") for li in r.html().find_all("li")
                                 if li.get("data-rule")])
        self.assertIn(("", "administrator"), self.roles(user))
        r = lb.post(f"/users/{uid}/delete", {"csrf": self.csrf(lb)})
        self.assertEqual(r.status, 422)
        self.assertEqual(self.stack.psql("SELECT deleted_at IS NULL FROM users WHERE id = $1", uid),
                         [("t",)])
        # A coordinator keeps an Approver per module.
        r = self.save_user(self.coord_b, self.coord_user, roles=["administrator", f"{self.pq}:handler"])
        self.assertEqual(r.status, 422)
        self.assertIn("approver", r.text)
        # With a second Administrator the first may go.
        self.add_user(lb, a, "Leif", "Lund", "leif@example.dk", alls=["*"])
        r = lb.post(f"/users/{uid}/delete", {"csrf": self.csrf(lb)})
        self.assertEqual(r.status, 303)
        self.assertEqual(lb.get("/").status, 303)     # its session ended with it
        r = Browser(self.stack.url)
        r.get("/login")
        res = r.post("/login", {"username": user, "password": PASSWORD,
                                "csrf": r.cookie("imiflow_login")})
        self.assertEqual(res.status, 200)             # the login page again: refused

    def test_04_edit_reset_and_csv(self):
        b = self.admin
        self.add_user(b, self.auth, "Kirsten", "Krog", "kirsten@example.dk",
                      roles=[f"{self.pq}:viewer"])
        kb = first_sign_in(self.stack, "kkrog", "kirsten@example.dk")
        r = self.save_user(b, "kkrog", roles=[f"{self.pq}:viewer"], last_name="Krogh",
                           phone="+45 99", username="kirsten.k")
        self.assertEqual(r.status, 303)
        self.assertEqual(self.stack.psql("SELECT last_name, phone FROM users WHERE username ="
                                         " 'kirsten.k'"), [("Krogh", "+45 99")])
        # Reset: a new temporary password by mail; the old one and the sessions end.
        before = self.mail_paths()
        uid = self.uid("kirsten.k")
        r = b.post(f"/users/{uid}/reset", {"csrf": self.csrf(b)})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.password_state("kirsten.k"), ("temporary", "temporary"))
        self.assertEqual(kb.get("/").status, 303)
        first_sign_in(self.stack, "kirsten.k", "kirsten@example.dk", before=before,
                      password="Another9pass")
        self.assertEqual(self.password_state("kirsten.k"), ("valid", "valid"))
        # CSV: one row per user, the columns named in the header.
        r = b.get(f"/authorities/{self.auth}/users.csv")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", r.header("Content-Disposition"))
        rows = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"))))
        names = {row["username"]: row for row in rows}
        self.assertIn("kirsten.k", names)
        self.assertEqual(names["kirsten.k"]["last_name"], "Krogh")
        self.assertEqual(names["kirsten.k"]["password_status"], "valid")
        self.assertEqual(names[self.auth_user]["status"], "active")
        self.assertEqual(len(rows), int(self.stack.psql(
            "SELECT count(*) FROM users WHERE authority_id = $1 AND deleted_at IS NULL",
            self.auth)[0][0]))

    def test_05_who_may_manage_users(self):
        self.add_user(self.admin, self.auth, "Nils", "Nej", "nils@example.dk",
                      roles=[f"{self.pq}:viewer"])
        nb = first_sign_in(self.stack, "nnej", "nils@example.dk")
        self.assertEqual(nb.get(f"/authorities/{self.auth}/users").status, 404)
        self.assertEqual(nb.get(f"/authorities/{self.auth}/users.csv").status, 403)
        r = self.add_user(nb, self.auth, "X", "Y", "xy@example.dk", expect=403)
        r = nb.post(f"/users/{self.uid(self.auth_user)}/reset", {"csrf": self.csrf(nb)})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.password_state(self.auth_user)[0], "valid")
        # Administrators of an Access Manager manage the users of its authorities.
        self.assertEqual(self.dk.get(f"/authorities/{self.auth}/users").status, 200)
        # ... but not those of another country.
        se, se_user = self.register(self.hd, "Kommerskollegium", "SE", "nimic", "Sven", "Sand")
        sb = first_sign_in(self.stack, se_user, "sven@example.se")
        self.assertEqual(sb.get(f"/users/{self.uid('nnej')}").status, 403)

    # -- 3. the password lifecycle ------------------------------------------------------

    def test_06_blocked_after_five_failures_until_reset(self):
        self.add_user(self.admin, self.auth, "Ole", "Olsen", "ole@example.dk",
                      roles=[f"{self.pq}:viewer"])
        first_sign_in(self.stack, "oolsen", "ole@example.dk")
        b = Browser(self.stack.url)
        b.get("/login")
        for _ in range(5):
            r = b.post("/login", {"username": "oolsen", "password": "Wrong1pass",
                                  "csrf": b.cookie("imiflow_login")})
        self.assertIn('data-error="login-failed"', r.text)
        self.assertEqual(self.password_state("oolsen"), ("blocked", "blocked"))
        # The right password now gets the answer of any failure: the page tells nobody that
        # the password is blocked; its holder learns it by mail.
        r = b.post("/login", {"username": "oolsen", "password": PASSWORD,
                              "csrf": b.cookie("imiflow_login")})
        self.assertIn('data-error="login-failed"', r.text)
        self.stack.wait_mail(lambda m: "ole@example.dk" in m["To"]
                             and m["Subject"] == "imiflow: your password is blocked")
        before = self.mail_paths()
        r = self.admin.post(f"/users/{self.uid('oolsen')}/reset", {"csrf": self.csrf(self.admin)})
        self.assertEqual(r.status, 303)
        first_sign_in(self.stack, "oolsen", "ole@example.dk", before=before, password="Fresh4start")
        events = [e for (e,) in self.stack.psql(
            "SELECT h.event FROM wf_history h JOIN users u ON u.password_instance_id = h.instance_id"
            " WHERE u.username = 'oolsen' ORDER BY h.seq")]
        self.assertEqual(events, ["start", "change", "block", "reset", "change"])

    def test_07_reminder_and_expiry_after_six_months(self):
        self.add_user(self.admin, self.auth, "Pia", "Pedersen", "pia@example.dk",
                      roles=[f"{self.pq}:viewer"])
        first_sign_in(self.stack, "ppedersen", "pia@example.dk")
        before = self.mail_paths()
        try:
            self.stack.psql("UPDATE clock SET offset_interval = '5 months 16 days'")
            self.stack.run_imiflow("worker", "--once")
            msg = self.stack.wait_mail(lambda m: m.path not in before and "pia@example.dk" in m["To"])
            self.assertIn("expires", msg["Subject"])
            self.assertEqual(self.password_state("ppedersen"), ("valid", "valid"))
            self.stack.psql("UPDATE clock SET offset_interval = '6 months 1 day'")
            self.stack.run_imiflow("worker", "--once")
            self.assertEqual(self.password_state("ppedersen"), ("expired", "expired"))
            # An expired password forces a change at the next sign-in.
            b = Browser(self.stack.url)
            b.get("/login")
            r = b.post("/login", {"username": "ppedersen", "password": PASSWORD,
                                  "csrf": b.cookie("imiflow_login")})
            self.assertEqual(r.location_path, "/password")
            page = b.get("/password")
            r = b.post("/password", {"current": PASSWORD, "new": "Renewed5pass",
                                     "confirm": "Renewed5pass", "csrf": page.html().csrf()})
            self.assertEqual(r.status, 303)
            self.assertEqual(self.password_state("ppedersen"), ("valid", "valid"))
        finally:
            self.stack.psql("UPDATE clock SET offset_interval = '0'")
            # Every password expired meanwhile: the ones the next tests use are renewed.
            type(self).admin = renewed(self.stack, self.auth_user)
            type(self).dk = renewed(self.stack, self.dk_user)

    # -- 4. My profile ------------------------------------------------------------------

    def test_08_my_profile(self):
        b = self.admin
        page = b.get_xml("/profile").xml()
        me = page.find("me")
        self.assertEqual(me.get("username"), self.auth_user)
        self.assertIn(("", "administrator"), {(r.get("module"), r.get("name")) for r in me})
        self.assertIn((self.pq, "handler"), {(r.get("module"), r.get("name")) for r in me})
        r = b.post("/profile", {"csrf": self.csrf(b), "language": "da"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.stack.psql("SELECT language FROM users WHERE username = $1",
                                         self.auth_user), [("da",)])
        self.assertEqual(b.post("/profile", {"csrf": self.csrf(b), "language": "xx"}).status, 400)
        b.post("/profile", {"csrf": self.csrf(b), "language": "en"})


if __name__ == "__main__":
    tap.main()
