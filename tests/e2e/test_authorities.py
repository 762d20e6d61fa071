#!/usr/bin/python3
"""test_authorities.py -- the authority lifecycle end to end through the pages (issue
"Authorities", seeds 000-003): registering an authority with its first user, duplicates,
invitations to self-register with validation and rejection, module access (grant with role,
keywords, settings and linked coordinators; roles for Administrators; suspension; role change),
deactivation, reactivation and deletion six months later (the clock moves), editing with a
history of updates, Access Managers, Managed authorities and Authorities -> Search, and that
every action a user may not take is a 403 that changes nothing."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from people import first_sign_in, renewed, signed_in  # noqa: E402
from stack import Stack, mail_text, temporary_password  # noqa: E402


def q(stack, sql, *params):
    """stack.psql with %s placeholders, numbered in order."""
    n = iter(range(1, len(params) + 1))
    return stack.psql(re.sub(r"%s", lambda m: f"${next(n)}", sql), *params)


class AuthoritiesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.helpdesk_user = s.bootstrap(country="BE")
        cls.hd = first_sign_in(s, cls.helpdesk_user, "helpdesk@imiflow.invalid")
        rows = q(s, "SELECT code, kind, needs_coordinator FROM modules ORDER BY position, code")
        cls.request_module = next(c for c, k, n in rows if k == "request" and n == "t")
        cls.other_request_module = [c for c, k, n in rows if k == "request" and n == "t"][1]
        cls.register_module = next(c for c, k, n in rows if k == "register")
        cls.keywords = [k for (k,) in q(s, "SELECT unnest(keywords) FROM modules WHERE code = %s",
                                        cls.request_module)]
        # A NIMIC of Denmark, registered by the helpdesk, is an Access Manager of its own.
        cls.dk_id, cls.dk_user = cls.register(cls.hd, "Erhvervsstyrelsen", "DK", "nimic",
                                              "Dorte", "Jensen")
        cls.dk = first_sign_in(s, cls.dk_user, "dorte.jensen@example.dk")

    # -- helpers ------------------------------------------------------------------------

    @classmethod
    def register(cls, b, name, country, kind, first, last, user_email=None, email=None,
                 expect=200, **extra):
        page = b.get("/admin/authorities/new")
        assert page.status == 200, page.status
        user_email = user_email or f"{first}.{last}@example.{country.lower()}".lower()
        fields = {"csrf": page.html().csrf(), "official_name": name, "informal_title": "",
                  "country": country, "address": "Street 1", "phone": "+32 2 000 00 00",
                  "email": email or f"office@{re.sub('[^a-z]', '', name.lower())}.example",
                  "website": "", "authority_type": kind, "first_name": first,
                  "last_name": last, "user_email": user_email, "language": "en",
                  "username": ""}
        fields.update(extra)
        r = b.post("/admin/authorities/new", fields)
        assert r.status == expect, (r.status, r.text[-2000:])
        if expect != 200:
            return r
        aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
        username = r.html().by_id("new-username").text
        return aid, username

    def csrf(self, b):
        return b.get("/").html().csrf()

    def state(self, aid):
        return q(self.stack, "SELECT authority_state(%s)", aid)[0][0]

    def instance(self, aid, module=None):
        if module is None:
            return q(self.stack, "SELECT instance_id, (SELECT rev FROM wf_instances WHERE id ="
                                   " instance_id) FROM authorities WHERE id = %s", aid)[0]
        return q(self.stack, "SELECT instance_id, (SELECT rev FROM wf_instances WHERE id ="
                               " instance_id) FROM module_accesses WHERE authority_id = %s"
                               " AND module = %s", aid, module)[0]

    def fire(self, b, iid_rev, event, fields=None, nxt="/"):
        iid, rev = iid_rev
        data = {"csrf": self.csrf(b), "rev": rev, "next": nxt}
        data.update(fields or {})
        return b.post(f"/instances/{iid}/fire/{event}", data)

    def grant(self, b, aid, module, role="authority", coordinators=(), keywords=(), **settings):
        fields = [("csrf", self.csrf(b)), ("module", module), ("role", role)]
        fields += [("coordinator", str(c)) for c in coordinators]
        fields += [("keyword", k) for k in keywords]
        fields += [(k, "yes") for k, v in settings.items() if v]
        return b.post(f"/authorities/{aid}/modules", fields)

    def roles(self, username):
        return {(m, r) for m, r in q(self.stack, 
            "SELECT r.module, r.role FROM user_roles r JOIN users u ON u.id = r.user_id"
            " WHERE u.username = %s", username)}

    def access_state(self, aid, module):
        rows = q(self.stack, "SELECT i.state FROM module_accesses m JOIN wf_instances i"
                               " ON i.id = m.instance_id WHERE m.authority_id = %s"
                               " AND m.module = %s", aid, module)
        return rows[0][0] if rows else None

    def new_mails(self, before, to):
        return [m for m in self.stack.mails() if m.path not in before and to in m["To"]]

    def mail_paths(self):
        return {m.path for m in self.stack.mails()}

    # -- 1. registration ------------------------------------------------------------------

    def test_01_register_with_first_user(self):
        before = self.mail_paths()
        aid, username = self.register(self.dk, "Sundhedsstyrelsen", "DK", "competent-authority",
                                      "Mette", "Larsen")
        self.assertEqual(username, "mlarsen")
        self.assertEqual(self.state(aid), "active")
        # The first user is an Administrator and gets a temporary password, never the username.
        self.assertIn(("", "administrator"), self.roles(username))
        msg = self.stack.wait_mail(lambda m: m.path not in before and
                                   "mette.larsen@example.dk" in m["To"])
        self.assertIsNotNone(temporary_password(msg))
        self.assertNotIn(username, mail_text(msg))
        # The registering authority becomes its Access Manager.
        page = self.dk.get_xml(f"/authorities/{aid}/management").xml()
        self.assertEqual([m.get("id") for m in page.find("managers")], [str(self.dk_id)])
        self.assertEqual([a.text for a in page.find("administrators")], ["Mette Larsen"])
        b = first_sign_in(self.stack, username, "mette.larsen@example.dk", before=before)
        self.assertEqual(b.get(f"/authorities/{aid}").status, 200)

    def test_02_duplicates_are_refused_pointing_at_the_existing_one(self):
        aid, _ = self.register(self.dk, "Arbejdstilsynet", "DK", "competent-authority",
                               "Ole", "Holm", email="post@at.example")
        n = q(self.stack, "SELECT count(*) FROM authorities")[0][0]
        # Same official name (any case) in the same country.
        r = self.register(self.dk, "ARBEJDSTILSYNET", "DK", "competent-authority", "Kim", "Berg",
                          expect=422)
        err = r.html().find(class_="error", **{"data-field": "official_name"})
        self.assertEqual(err.get("data-rule"), "duplicate-name")
        self.assertIn(f'href="/authorities/{aid}"', r.text)
        # An e-mail address already registered (the authority's, or a user's).
        r = self.register(self.dk, "Another one", "DK", "competent-authority", "Kim", "Berg",
                          email="POST@at.example", expect=422)
        self.assertIn(f'href="/authorities/{aid}"', r.text)
        r = self.register(self.dk, "Yet another", "DK", "competent-authority", "Kim", "Berg",
                          user_email="ole.holm@example.dk", expect=422)
        err = r.html().find(class_="error", **{"data-field": "user_email"})
        self.assertEqual(err.get("data-rule"), "duplicate-email")
        # The same name in another country is another authority.
        r = self.register(self.hd, "Arbejdstilsynet", "NO", "competent-authority", "Kari",
                          "Nordmann")
        self.assertEqual(q(self.stack, "SELECT count(*) FROM authorities")[0][0], str(int(n) + 1))
        # Bad input comes back filled in, with every error.
        r = self.register(self.dk, "", "DK", "bogus", "", "Berg", user_email="not-an-address",
                          expect=422)
        rules = {(e.get("data-field"), e.get("data-rule")) for e in r.html().errors()
                 if e.get("data-field")}
        self.assertTrue({("official_name", "required"), ("authority_type", "choice"),
                         ("first_name", "required"), ("user_email", "email")} <= rules, rules)
        self.assertIn('value="Berg"', r.text)

    # -- 2. invitation to self-register --------------------------------------------------

    def invite(self, b, email, country="DK"):
        before = self.mail_paths()
        page = b.get("/admin/invitations")
        self.assertEqual(page.status, 200)
        r = b.post("/admin/invitations", {"csrf": page.html().csrf(), "email": email,
                                          "country": country, "message": "Welcome to IMI"})
        self.assertEqual(r.status, 303, r.text[-1500:])
        msg = self.stack.wait_mail(lambda m: m.path not in before and email in m["To"])
        return re.search(r"https?://\S+/register/(\S+)", mail_text(msg)).group(1)

    def self_register(self, token, name, first, last, user_email, expect=200):
        b = Browser(self.stack.url)
        page = b.get(f"/register/{token}")
        self.assertEqual(page.status, 200)
        r = b.post(f"/register/{token}", {
            "csrf": page.html().csrf(), "official_name": name, "informal_title": "Self",
            "address": "Vej 2", "phone": "", "email": f"office@{first.lower()}.example",
            "website": "", "authority_type": "competent-authority", "first_name": first,
            "last_name": last, "user_email": user_email, "language": "en", "username": ""})
        self.assertEqual(r.status, expect, r.text[-1500:])
        return r

    def test_03_invitation_validation(self):
        token = self.invite(self.dk, "fsa@example.dk")
        before = self.mail_paths()
        r = self.self_register(token, "Finanstilsynet", "Frida", "Friis", "frida@example.dk")
        username = r.html().by_id("new-username").text
        aid = int(q(self.stack, "SELECT id FROM authorities WHERE official_name ="
                                  " 'Finanstilsynet'")[0][0])
        self.assertEqual(self.state(aid), "pending-validation")
        # The inviting authority's Administrators are told; no password before validation.
        msg = self.stack.wait_mail(lambda m: m.path not in before and
                                   "dorte.jensen@example.dk" in m["To"])
        self.assertIn("/tasks/validations", mail_text(msg))
        self.assertEqual(self.new_mails(before, "frida@example.dk"), [])
        # The link is single use.
        b = Browser(self.stack.url)
        r = b.get(f"/register/{token}")
        self.assertEqual(r.status, 410)
        self.assertEqual(r.html().by_id("invitation-unusable").get("data-reason"), "used")
        # Modules are granted only after validation.
        r = self.grant(self.dk, aid, self.register_module)
        self.assertEqual(r.status, 403)
        self.assertIsNone(self.access_state(aid, self.register_module))
        # It waits in My tasks -> Pending validations, and validating activates it.
        page = self.dk.get_xml("/tasks/validations").xml()
        self.assertIn(str(aid), [a.get("id") for a in page.find("pending")])
        events = [t.get("event") for t in
                  self.dk.get_xml(f"/authorities/{aid}").xml().find("transitions")]
        self.assertEqual(sorted(events), ["reject", "validate"])
        r = self.fire(self.dk, self.instance(aid), "validate", nxt=f"/authorities/{aid}")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location_path, f"/authorities/{aid}")
        self.assertEqual(self.state(aid), "active")
        first_sign_in(self.stack, username, "frida@example.dk", before=before)
        r = self.grant(self.dk, aid, self.register_module)
        self.assertEqual(r.status, 303)
        self.assertEqual(self.access_state(aid, self.register_module), "granted")

    def test_04_invitation_rejection_expiry_and_scope(self):
        token = self.invite(self.dk, "nope@example.dk")
        before = self.mail_paths()
        self.self_register(token, "Tvivlsomt Kontor", "Tom", "Tvivl", "tom@example.dk")
        aid = int(q(self.stack, "SELECT id FROM authorities WHERE official_name ="
                                  " 'Tvivlsomt Kontor'")[0][0])
        # A reason is required; then the registration is refused and its data removed.
        r = self.fire(self.dk, self.instance(aid), "reject", {"reason": ""})
        self.assertEqual(r.status, 422)
        r = self.fire(self.dk, self.instance(aid), "reject", {"reason": "Not a competent authority"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.state(aid), "rejected")
        msg = self.stack.wait_mail(lambda m: m.path not in before and "tom@example.dk" in m["To"])
        self.assertIn("Not a competent authority", mail_text(msg))
        self.assertEqual(q(self.stack, "SELECT count(*) FROM users WHERE authority_id = %s"
                                         " AND deleted_at IS NULL", aid), [("0",)])
        # Access Managers invite in their own country only; others may not invite at all.
        page = self.dk.get("/admin/invitations")
        r = self.dk.post("/admin/invitations", {"csrf": page.html().csrf(), "email": "x@example.se",
                                               "country": "SE", "message": ""})
        self.assertEqual(r.status, 422)
        # An unknown or malformed token says so.
        self.assertEqual(Browser(self.stack.url).get("/register/nonsense").status, 410)
        # An invitation expires after 30 days (the clock moves, the worker fires the timer).
        token = self.invite(self.dk, "late@example.dk")
        q(self.stack, "UPDATE clock SET offset_interval = '31 days'")
        try:
            self.stack.run_imiflow("worker", "--once")
            r = Browser(self.stack.url).get(f"/register/{token}")
            self.assertEqual(r.status, 410)
            self.assertEqual(r.html().by_id("invitation-unusable").get("data-reason"), "expired")
            self.assertEqual(q(self.stack, 
                "SELECT i.state FROM invitations v JOIN wf_instances i ON i.id = v.instance_id"
                " WHERE v.email = 'late@example.dk'"), [("expired",)])
        finally:
            q(self.stack, "UPDATE clock SET offset_interval = '0'")
            type(self).dk = signed_in(self.stack, self.dk_user)

    # -- 3. module access -------------------------------------------------------------

    def test_05_module_access_roles_coordinators_suspension(self):
        m = self.request_module
        coord, coord_user = self.register(self.dk, "Koordineringsenheden", "DK",
                                          "coordinator-national", "Carl", "Koch")
        auth, auth_user = self.register(self.dk, "Styrelsen for Patientsikkerhed", "DK",
                                        "competent-authority", "Pia", "Poulsen")
        # An authority role in a request module needs a linked coordinator.
        r = self.grant(self.dk, auth, m)
        self.assertEqual(r.status, 422)
        self.assertEqual(r.html().find("li", **{"data-field": "coordinator"}).get("data-rule"),
                         "coordinator-required")
        self.assertIsNone(self.access_state(auth, m))
        # A coordinator of the module in the same country can be linked once it is granted.
        r = self.grant(self.dk, coord, m, role="coordinator", keywords=self.keywords[:1])
        self.assertEqual(r.status, 303)
        self.assertIn((m, "approver"), self.roles(coord_user))
        r = self.grant(self.dk, auth, m, coordinators=[coord], keywords=self.keywords[:2],
                       approval_required=True, allocation=True)
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.access_state(auth, m), "granted")
        # Every Administrator gets all user roles of the module (no Approver: not a coordinator).
        self.assertEqual({r for r in self.roles(auth_user) if r[0] == m},
                         {(m, "viewer"), (m, "handler"), (m, "allocator")})
        access = self.dk.get_xml(f"/authorities/{auth}/modules").xml().find("accesses")[0]
        self.assertEqual(access.get("approval-required"), "true")
        self.assertEqual(access.get("right-to-refuse"), "false")
        self.assertEqual([c.get("id") for c in access.findall("coordinator")], [str(coord)])
        self.assertEqual([k.text for k in access.findall("keyword")], self.keywords[:2])
        self.assertEqual(q(self.stack, "SELECT module_access_active(%s, %s)", auth, m), [("t",)])
        # A coordinator of another country cannot be linked.
        no, _ = self.register(self.hd, "Helsetilsynet", "NO", "coordinator-national", "Nils", "Berg")
        self.assertEqual(self.grant(self.hd, no, m, role="coordinator").status, 303)
        r = self.grant(self.dk, auth, self.other_request_module, coordinators=[no])
        self.assertEqual(r.status, 422)
        # The role changes only while suspended ...
        r = self.dk.post(f"/authorities/{auth}/modules/{m}", {"csrf": self.csrf(self.dk),
                         "event": "change-role", "role": "coordinator"})
        self.assertEqual(r.status, 409)
        # Suspending: ongoing exchanges finish, nothing new (the named condition says so).
        r = self.fire(self.dk, self.instance(auth, m), "suspend")
        self.assertEqual(r.status, 303)
        self.assertEqual(self.access_state(auth, m), "suspended")
        self.assertEqual(q(self.stack, "SELECT module_access_active(%s, %s)", auth, m), [("f",)])
        # ... and not while the coordinator still has linked authorities.
        self.assertEqual(self.fire(self.dk, self.instance(coord, m), "suspend").status, 303)
        r = self.dk.post(f"/authorities/{coord}/modules/{m}", {"csrf": self.csrf(self.dk),
                         "event": "change-role", "role": "authority", "coordinator": ""})
        self.assertIn(r.status, (403, 422))
        self.assertEqual(q(self.stack, "SELECT role FROM module_accesses WHERE authority_id = %s"
                                         " AND module = %s", coord, m), [("coordinator",)])
        r = self.dk.post(f"/authorities/{auth}/modules/{m}", {"csrf": self.csrf(self.dk),
                         "event": "change-role", "role": "coordinator"})
        self.assertEqual(r.status, 303)
        self.assertEqual(q(self.stack, "SELECT role, (SELECT count(*) FROM access_coordinators c"
                                         " WHERE c.access_id = m.id) FROM module_accesses m"
                                         " WHERE authority_id = %s AND module = %s", auth, m),
                         [("coordinator", "0")])
        # A suspended access can be re-granted.
        self.assertEqual(self.fire(self.dk, self.instance(auth, m), "regrant").status, 303)
        self.assertEqual(self.access_state(auth, m), "granted")
        # The authority's own Administrators edit keywords, not settings.
        own = first_sign_in(self.stack, auth_user, "pia.poulsen@example.dk")
        r = own.post(f"/authorities/{auth}/modules/{m}", [("csrf", own.get("/").html().csrf()),
                     ("event", "update"), ("keyword", self.keywords[2]), ("allocation", "yes")])
        self.assertEqual(r.status, 303)
        self.assertEqual(q(self.stack, "SELECT keywords[1], allocation FROM module_accesses WHERE"
                                         " authority_id = %s AND module = %s", auth, m),
                         [(self.keywords[2], "t")])
        r = own.post(f"/authorities/{auth}/modules", {"csrf": own.get("/").html().csrf(),
                     "module": self.register_module, "role": "authority"})
        self.assertEqual(r.status, 403)
        self.assertIsNone(self.access_state(auth, self.register_module))

    # -- 4. deactivation, reactivation, deletion --------------------------------------

    def test_06_deactivation_reactivation_and_deletion(self):
        gone, gone_user = self.register(self.dk, "Nedlagt Styrelse", "DK", "competent-authority",
                                        "Gert", "Gammel")
        back, _ = self.register(self.dk, "Genopstaaet Styrelse", "DK", "competent-authority",
                                "Bent", "Bak")
        for aid in (gone, back):
            self.assertEqual(self.grant(self.dk, aid, self.register_module).status, 303)
        # Not while an access is granted: the button is not offered and a direct POST is a 403.
        page = self.dk.get_xml(f"/authorities/{gone}").xml()
        self.assertNotIn("deactivate", [t.get("event") for t in page.find("transitions")])
        r = self.fire(self.dk, self.instance(gone), "deactivate")
        self.assertEqual(r.status, 403)
        self.assertEqual(self.state(gone), "active")
        for aid in (gone, back):
            self.assertEqual(self.fire(self.dk, self.instance(aid, self.register_module),
                                       "suspend").status, 303)
            # The horizontal registers module, granted at registration, is suspended too.
            r = self.fire(self.dk, self.instance(aid), "deactivate")
            self.assertEqual(r.status, 403)
            self.assertEqual(self.fire(self.dk, self.instance(aid, "registers"),
                                       "suspend").status, 303)
            self.assertEqual(self.fire(self.dk, self.instance(aid), "deactivate").status, 303)
            self.assertEqual(self.state(aid), "deactivated")
        # Left out of the general search; still under Managed authorities.
        page = self.dk.get_xml("/authorities?name=Styrelse").xml()
        names = [r.text for r in page.find("results")]
        self.assertNotIn("Nedlagt Styrelse", names)
        page = self.dk.get_xml("/admin/authorities?mine=yes&state=deactivated").xml()
        self.assertIn(str(gone), [r.get("id") for r in page.find("results")])
        # Reactivation keeps the accesses suspended until re-granted.
        self.assertEqual(self.fire(self.dk, self.instance(back), "reactivate").status, 303)
        self.assertEqual(self.state(back), "active")
        self.assertEqual(self.access_state(back, self.register_module), "suspended")
        # Six months later the worker deletes the one still deactivated.
        q(self.stack, "UPDATE clock SET offset_interval = '6 months 1 day'")
        try:
            self.stack.run_imiflow("worker", "--once")
            self.assertEqual(self.state(gone), "deleted")
            self.assertEqual(self.state(back), "active")
            row = q(self.stack, "SELECT email, phone, address, deleted_at IS NOT NULL"
                                  " FROM authorities WHERE id = %s", gone)
            self.assertEqual(row, [(None, None, None, "t")])
            users = q(self.stack, "SELECT username, email, first_name FROM users"
                                    " WHERE authority_id = %s", gone)
            self.assertTrue(all(u[0].startswith("deleted-") and "gammel" not in u[1].lower()
                                for u in users), users)
            self.assertEqual(self.roles(gone_user), set())
            # The anonymised history stays.
            hist = q(self.stack, "SELECT event FROM wf_history WHERE instance_id = %s ORDER BY seq",
                                   self.instance(gone)[0])
            self.assertEqual([h[0] for h in hist], ["start", "register", "deactivate", "delete"])
        finally:
            q(self.stack, "UPDATE clock SET offset_interval = '0'")
            # Every password expired in those six months: the ones used later are renewed.
            type(self).dk = renewed(self.stack, self.dk_user)
            type(self).hd = renewed(self.stack, self.helpdesk_user)

    # -- 5. editing and management information ----------------------------------------

    def test_07_edit_and_management_information(self):
        aid, user = self.register(self.dk, "Sikkerhedsstyrelsen", "DK", "competent-authority",
                                  "Sara", "Sikker")
        own = first_sign_in(self.stack, user, "sara.sikker@example.dk")
        page = own.get(f"/authorities/{aid}/edit")
        self.assertEqual(page.status, 200)
        fields = {f: page.html().find(id=f).get("value") for f in
                  ("official_name", "informal_title", "phone", "email", "website")}
        fields.update({"csrf": page.html().csrf(), "country": "DK", "address": "Ny vej 3",
                       "authority_type": "competent-authority", "phone": "+45 1234",
                       "informal_title": "Product safety"})
        r = own.post(f"/authorities/{aid}/edit", fields)
        self.assertEqual(r.status, 303, [(e.get("data-field"), e.get("data-rule"))
                                         for e in r.html().errors()] if r.status == 422 else r.status)
        page = self.dk.get_xml(f"/authorities/{aid}").xml().find("authority")
        self.assertEqual((page.get("phone"), page.get("informal-title"), page.get("address")),
                         ("+45 1234", "Product safety", "Ny vej 3"))
        updates = self.dk.get_xml(f"/authorities/{aid}/management").xml().find("updates")
        edited = [u for u in updates if u.get("what") == "edited"]
        self.assertEqual(len(edited), 1)
        self.assertEqual(set(edited[0].get("detail").split(", ")),
                         {"informal_title", "address", "phone"})
        self.assertEqual(edited[0].get("user"), "Sara Sikker")
        # Its own Administrators may not move it abroad nor make it a NIMIC.
        fields.update({"country": "SE", "authority_type": "nimic"})
        r = own.post(f"/authorities/{aid}/edit", fields)
        self.assertEqual(r.status, 422)
        self.assertEqual(q(self.stack, "SELECT country FROM authorities WHERE id = %s", aid),
                         [("DK",)])
        # Another Access Manager of the country adds itself as Access Manager.
        page = self.hd.get(f"/authorities/{aid}/management")
        self.assertIsNotNone(page.html().by_id("add-own-manager"))
        r = self.hd.post(f"/authorities/{aid}/managers", {"csrf": page.html().csrf()})
        self.assertEqual(r.status, 303)
        managers = self.dk.get_xml(f"/authorities/{aid}/management").xml().find("managers")
        self.assertEqual(sorted(m.get("id") for m in managers), sorted(["1", str(self.dk_id)]))
        # Users of another authority see the public tabs only.
        self.assertEqual(own.get(f"/authorities/{self.dk_id}").status, 200)
        self.assertEqual(own.get(f"/authorities/{self.dk_id}/management").status, 404)
        self.assertIsNone(own.get(f"/authorities/{self.dk_id}").html().by_id("edit-authority"))

    # -- 6. Access Managers, Managed authorities, Search ------------------------------

    def test_08_access_managers_managed_and_search(self):
        se, se_user = self.register(self.hd, "Kommerskollegium", "SE", "nimic", "Sven", "Svensson")
        se_b = first_sign_in(self.stack, se_user, "sven.svensson@example.se")
        region, region_user = self.register(se_b, "Regionkontoret", "SE", "coordinator-regional",
                                            "Rut", "Region")
        plain, plain_user = self.register(se_b, "Tillsynsverket", "SE", "competent-authority",
                                          "Pelle", "Plain")
        self.register(self.hd, "Bolagsverket", "SE", "competent-authority", "Bo", "Bolag")
        reg_b = first_sign_in(self.stack, region_user, "rut.region@example.se")
        # Not an Access Manager: no Managed authorities, no registering (403, nothing written).
        self.assertEqual(reg_b.get("/admin/authorities").status, 403)
        self.assertNotIn('id="nav-managed"', reg_b.get("/").text)
        n = q(self.stack, "SELECT count(*) FROM authorities")
        r = reg_b.post("/admin/authorities/new", {"csrf": self.csrf(reg_b),
                       "official_name": "Sneaky", "country": "SE", "email": "s@example.se",
                       "authority_type": "competent-authority", "first_name": "S",
                       "last_name": "Neaky", "user_email": "sn@example.se", "language": "en"})
        self.assertEqual(r.status, 403)
        self.assertEqual(q(self.stack, "SELECT count(*) FROM authorities"), n)
        # Only the helpdesk assigns the role.
        r = se_b.post(f"/authorities/{region}/access-manager", {"csrf": self.csrf(se_b),
                      "access_manager": "yes"})
        self.assertEqual(r.status, 403)
        r = self.hd.post(f"/authorities/{region}/access-manager", {"csrf": self.csrf(self.hd),
                         "access_manager": "yes"})
        self.assertEqual(r.status, 303)
        reg_b = signed_in(self.stack, region_user)
        self.assertIn('id="nav-managed"', reg_b.get("/").text)
        # "My authorities only" = Yes by default: the ones this authority manages (none yet).
        page = reg_b.get_xml("/admin/authorities").xml()
        self.assertEqual(page.find("criteria").get("mine"), "yes")
        self.assertEqual(list(page.find("results")), [])
        # "No": every authority of its country.
        page = reg_b.get_xml("/admin/authorities?mine=no").xml()
        ids = {r.get("id") for r in page.find("results")}
        self.assertTrue({str(se), str(region), str(plain)} <= ids)
        self.assertTrue(all(r.get("country") == "SE" for r in page.find("results")))
        # The Swedish NIMIC's own list holds what it registered.
        page = se_b.get_xml("/admin/authorities").xml()
        self.assertEqual(sorted(r.get("id") for r in page.find("results")),
                         sorted([str(region), str(plain)]))
        # A Swedish Access Manager cannot manage a Danish authority.
        r = self.grant(se_b, self.dk_id, self.register_module)
        self.assertEqual(r.status, 403)
        # Search: active authorities of every country, by name, informal title, country, module.
        page = reg_b.get_xml("/authorities?name=verket").xml()
        self.assertEqual(sorted(r.text for r in page.find("results")),
                         ["Bolagsverket", "Tillsynsverket"])
        page = reg_b.get_xml("/authorities?country=DK").xml()
        self.assertIn("Erhvervsstyrelsen", [r.text for r in page.find("results")])
        self.assertEqual(self.grant(se_b, plain, self.register_module).status, 303)
        page = reg_b.get_xml(f"/authorities?country=SE&module={self.register_module}").xml()
        self.assertEqual([r.text for r in page.find("results")], ["Tillsynsverket"])
        # Search input is text, never a pattern.
        page = reg_b.get_xml("/authorities?name=%25").xml()
        self.assertEqual(list(page.find("results")), [])

    # -- 7. authorization on the server -----------------------------------------------

    def test_09_direct_posts_of_hidden_actions_are_403_and_change_nothing(self):
        aid, user = self.register(self.dk, "Lille Myndighed", "DK", "competent-authority",
                                  "Lis", "Lille")
        own = first_sign_in(self.stack, user, "lis.lille@example.dk")
        page = own.get_xml(f"/authorities/{aid}").xml()
        self.assertEqual(list(page.find("transitions") if page.find("transitions") is not None
                              else []), [])
        before = q(self.stack, "SELECT count(*) FROM wf_history")
        r = self.fire(own, self.instance(aid), "deactivate")
        self.assertEqual(r.status, 403)
        r = self.grant(own, aid, self.register_module)
        self.assertEqual(r.status, 403)
        r = own.post(f"/authorities/{aid}/managers", {"csrf": self.csrf(own)})
        self.assertEqual(r.status, 403)
        self.assertEqual(own.get("/tasks/validations").status, 403)
        self.assertEqual(own.get("/admin/invitations").status, 403)
        r = own.post("/admin/invitations", {"csrf": self.csrf(own), "email": "a@example.dk",
                                            "country": "DK"})
        self.assertEqual(r.status, 403)
        r = self.dk.post(f"/authorities/{aid}/edit", {"csrf": "wrong"})
        self.assertEqual(r.status, 403)
        self.assertEqual(q(self.stack, "SELECT count(*) FROM wf_history"), before)
        self.assertEqual(self.state(aid), "active")
        self.assertIsNone(self.access_state(aid, self.register_module))


if __name__ == "__main__":
    tap.main()
