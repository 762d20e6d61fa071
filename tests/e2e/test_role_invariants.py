#!/usr/bin/python3
"""test_role_invariants.py -- issue 12 point 8, "role invariants hold when settings change, not
only when roles do", through the real stack.  The rules (seed 000 §3.2; role_violations()):
an authority keeps an Administrator; a coordinator an Approver per module; an authority with a
request module a Handler, and with allocation on an Allocator.

- Switching allocation on gives the authority's Administrators the Allocator role (seed 000),
  so the authority is not left with allocation on and no Allocator (after which every other
  role change in it was refused).
- Changing an access (while suspended) from Authority to Coordinator gives the Administrators
  the Approver role, so it does not come back with no Approver.
- The rules hold for suspended accesses too: the last Approver cannot be removed or deleted
  while the access is suspended (it came back broken at the re-grant).
- Every path that can break a rule checks it in the same transaction with the same message
  (<div id="violations">, one <li data-rule> per rule): a user's roles, a user deleted, an
  access's settings, an access's role, a grant; a refusal writes nothing."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402


class RoleInvariantsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        cls.pq = s.psql("SELECT code FROM modules WHERE kind = 'request' ORDER BY position LIMIT 1")[0][0]
        cls.reg = s.psql("SELECT code FROM modules WHERE kind = 'register' ORDER BY position LIMIT 1")[0][0]
        nimic, user = cls.register(cls.hd, "Erhvervsstyrelsen", "nimic", "Dorte", "Jensen")
        cls.dk = first_sign_in(s, user, "dorte@example.dk")
        cls.coord, cls.coord_user = cls.register(cls.dk, "Koordinator", "coordinator-national",
                                                  "Carl", "Koch")
        cls.grant(cls.dk, cls.coord, cls.pq, role="coordinator")

    # -- helpers ------------------------------------------------------------------------

    @classmethod
    def register(cls, b, name, kind, first, last):
        page = b.get("/admin/authorities/new")
        r = b.post("/admin/authorities/new", {
            "csrf": page.html().csrf(), "official_name": name, "country": "DK",
            "email": "office@" + re.sub(r"[^a-z]", "", name.lower()) + ".example",
            "authority_type": kind, "first_name": first, "last_name": last, "language": "en",
            "user_email": f"{first.lower()}@example.dk"})
        assert r.status == 200, r.text[-1500:]
        aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
        return aid, r.html().by_id("new-username").text

    @classmethod
    def grant(cls, b, aid, module, role="authority", coordinators=(), expect=303, **settings):
        fields = [("csrf", b.get("/").html().csrf()), ("module", module), ("role", role)]
        fields += [("coordinator", str(c)) for c in coordinators]
        fields += [(k, "yes") for k, v in settings.items() if v]
        r = b.post(f"/authorities/{aid}/modules", fields)
        assert r.status == expect, (r.status, r.text[-1500:])
        return r

    def authority(self, name, first, kind="competent-authority", **settings):
        """A new authority of DK with the request module granted (linked to the coordinator
        unless it is one), and its first user signed in."""
        aid, user = self.register(self.dk, name, kind, first, "Test")
        if kind == "competent-authority":
            self.grant(self.dk, aid, self.pq, coordinators=[self.coord], **settings)
        else:
            self.grant(self.dk, aid, self.pq, role="coordinator", **settings)
        return aid, user, first_sign_in(self.stack, user, f"{first.lower()}@example.dk")

    def csrf(self, b):
        return b.get("/").html().csrf()

    def roles(self, username):
        return {r for (r,) in self.stack.psql(
            "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id"
            " WHERE u.username = $1 AND r.module = $2", username, self.pq)}

    def violations(self, aid):
        return self.stack.psql("SELECT rule, module FROM role_violations($1)", aid)

    def uid(self, username):
        return int(self.stack.psql("SELECT id FROM users WHERE username = $1", username)[0][0])

    def save_roles(self, b, username, roles):
        uid = self.uid(username)
        page = b.get(f"/users/{uid}").html()
        data = {f: page.find(id=f).get("value") for f in
                ("first_name", "last_name", "user_email", "phone", "username")}
        data["language"] = "en"
        form = [("csrf", page.csrf())] + list(data.items()) + [("role", r) for r in roles]
        return b.post(f"/users/{uid}", form)

    def add_user(self, b, aid, first, roles):
        r = b.post(f"/authorities/{aid}/users/new", [
            ("csrf", self.csrf(b)), ("first_name", first), ("last_name", "User"),
            ("user_email", f"{first.lower()}.user@example.dk"), ("language", "en"),
            ("username", first.lower()), ("action", "save")] + [("role", r) for r in roles])
        self.assertEqual(r.status, 200, r.text[-1500:])
        return first.lower()

    def access(self, aid):
        return self.stack.psql(
            "SELECT i.id, i.state, ma.role, ma.allocation, ma.approval_required"
            "  FROM module_accesses ma JOIN wf_instances i ON i.id = ma.instance_id"
            " WHERE ma.authority_id = $1 AND ma.module = $2", aid, self.pq)[0]

    def fire(self, b, aid, event):
        iid = self.access(aid)[0]
        rev = self.stack.psql("SELECT rev FROM wf_instances WHERE id = $1", iid)[0][0]
        r = b.post(f"/instances/{iid}/fire/{event}", {"csrf": self.csrf(b), "rev": rev})
        self.assertEqual(r.status, 303, r.text[-1500:])

    def settings(self, aid, coordinators=(), **settings):
        fields = [("csrf", self.csrf(self.dk)), ("event", "update")]
        fields += [("coordinator", str(c)) for c in coordinators]
        fields += [(k, "yes") for k, v in settings.items() if v]
        return self.dk.post(f"/authorities/{aid}/modules/{self.pq}", fields)

    def change_role(self, aid, role, coordinators=()):
        fields = [("csrf", self.csrf(self.dk)), ("event", "change-role"), ("role", role)]
        fields += [("coordinator", str(c)) for c in coordinators]
        return self.dk.post(f"/authorities/{aid}/modules/{self.pq}", fields)

    def refused_rules(self, r):
        """The rules a 422 names, in the one message every path uses."""
        self.assertEqual(r.status, 422, r.text[-1500:])
        box = r.html().by_id("violations")
        self.assertIsNotNone(box, r.text[-1500:])
        self.assertIn("Nothing was changed: the change would break a rule", box.text)
        return {(li.get("data-rule"), li.get("data-module")) for li in box.find_all("li")}

    # -- (b) allocation switched on ------------------------------------------------------

    def test_01_switching_allocation_on_makes_the_administrators_allocators(self):
        aid, admin, ab = self.authority("Sundhedsstyrelsen", "Mette")
        clerk = self.add_user(ab, aid, "Kasper", [f"{self.pq}:viewer"])
        # Allocation off: the Allocator role may go, and does.
        r = self.save_roles(ab, admin, ["administrator", f"{self.pq}:viewer", f"{self.pq}:handler"])
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.stack.psql(
            "SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id"
            " WHERE u.authority_id = $1 AND r.role = 'allocator'", aid), [("0",)])
        # The Access Manager switches allocation on: the Administrators become Allocators.
        r = self.settings(aid, coordinators=[self.coord], allocation=True)
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.access(aid)[3], "t")
        self.assertIn("allocator", self.roles(admin))
        self.assertNotIn("allocator", self.roles(clerk))
        self.assertEqual(self.violations(aid), [])
        # And the authority's other role changes go on being accepted.
        r = self.save_roles(ab, clerk, [f"{self.pq}:viewer", f"{self.pq}:handler"])
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.roles(clerk), {"viewer", "handler"})
        # Saving the settings again (allocation still on) gives nothing to anyone.
        r = self.save_roles(ab, clerk, [f"{self.pq}:viewer", f"{self.pq}:handler",
                                        f"{self.pq}:allocator"])
        self.assertEqual(r.status, 303)
        r = self.save_roles(ab, admin, ["administrator", f"{self.pq}:handler"])
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.settings(aid, coordinators=[self.coord], allocation=True).status, 303)
        self.assertEqual(self.roles(admin), {"handler"})
        # The last Allocator with allocation on cannot go.
        r = self.save_roles(ab, clerk, [f"{self.pq}:handler"])
        self.assertEqual(self.refused_rules(r), {("allocator", self.pq)})
        self.assertIn("allocator", self.roles(clerk))

    # -- (a) the role of the access changed ----------------------------------------------

    def test_02_becoming_a_coordinator_makes_the_administrators_approvers(self):
        aid, admin, ab = self.authority("Styrelsen for Patientsikkerhed", "Pia")
        clerk = self.add_user(ab, aid, "Peter", [f"{self.pq}:viewer", f"{self.pq}:handler"])
        self.assertNotIn("approver", self.roles(admin))
        self.fire(self.dk, aid, "suspend")
        r = self.change_role(aid, "coordinator")
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.access(aid)[1:3], ("suspended", "coordinator"))
        self.assertIn("approver", self.roles(admin))
        self.assertNotIn("approver", self.roles(clerk))
        self.assertEqual(self.violations(aid), [])
        # It comes back with its Approver.
        self.fire(self.dk, aid, "regrant")
        self.assertEqual(self.access(aid)[1], "granted")
        self.assertEqual(self.violations(aid), [])
        r = self.save_roles(ab, admin, ["administrator", f"{self.pq}:handler"])
        self.assertEqual(self.refused_rules(r), {("approver", self.pq)})

    # -- the rules hold while suspended ----------------------------------------------------

    def test_03_a_suspended_coordinator_keeps_its_approver(self):
        aid, admin, ab = self.authority("Forsyningsstyrelsen", "Frida", kind="coordinator-national")
        approver = self.add_user(ab, aid, "Anders", [f"{self.pq}:approver"])
        r = self.save_roles(ab, admin, ["administrator", f"{self.pq}:viewer", f"{self.pq}:handler"])
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.fire(self.dk, aid, "suspend")
        self.assertEqual(self.access(aid)[1], "suspended")
        # Neither taking the last Approver's role nor deleting the user is accepted.
        r = self.save_roles(ab, approver, [f"{self.pq}:viewer"])
        self.assertEqual(self.refused_rules(r), {("approver", self.pq)})
        self.assertEqual(self.roles(approver), {"approver"})
        r = ab.post(f"/users/{self.uid(approver)}/delete", {"csrf": self.csrf(ab)})
        self.assertEqual(self.refused_rules(r), {("approver", self.pq)})
        self.assertEqual(self.stack.psql("SELECT deleted_at IS NULL FROM users WHERE username = $1",
                                         approver), [("t",)])
        # Nor the last Handler.
        r = self.save_roles(ab, admin, ["administrator"])
        self.assertEqual(self.refused_rules(r), {("handler", self.pq)})
        self.fire(self.dk, aid, "regrant")
        self.assertEqual(self.violations(aid), [])

    # -- every path checks, with the same message, and writes nothing when refused ----------

    def test_04_settings_role_and_grant_check_the_rules_too(self):
        aid, admin, ab = self.authority("Arbejdstilsynet", "Arne")
        # A rule broken behind the pages' back (as a database could be before this fix).
        self.stack.psql("DELETE FROM user_roles r USING users u WHERE u.id = r.user_id"
                        " AND u.authority_id = $1 AND r.role = 'handler'", aid)
        self.assertEqual(self.violations(aid), [("handler", self.pq)])
        # The Access Manager's settings: refused, naming the rule; nothing written.
        r = self.settings(aid, coordinators=[self.coord], approval_required=True)
        self.assertEqual(self.refused_rules(r), {("handler", self.pq)})
        self.assertEqual(self.access(aid)[3:], ("f", "f"))
        # The authority's own Administrators' keywords: the same.
        r = ab.post(f"/authorities/{aid}/modules/{self.pq}",
                    {"csrf": self.csrf(ab), "event": "update"})
        self.assertEqual(self.refused_rules(r), {("handler", self.pq)})
        # A grant of another module: the same, and no access is created.
        r = self.grant(self.dk, aid, self.reg, expect=422)
        self.assertEqual(self.refused_rules(r), {("handler", self.pq)})
        self.assertEqual(self.stack.psql("SELECT count(*) FROM module_accesses"
                                         " WHERE authority_id = $1 AND module = $2", aid, self.reg),
                         [("0",)])
        # The role of the access, while suspended: the same.
        self.fire(self.dk, aid, "suspend")
        r = self.change_role(aid, "coordinator")
        self.assertEqual(self.refused_rules(r), {("handler", self.pq)})
        self.assertEqual(self.access(aid)[2], "authority")
        self.assertNotIn("approver", self.roles(admin))
        # Repaired through the Users tab, everything goes through again.
        r = self.save_roles(ab, admin, ["administrator", f"{self.pq}:viewer", f"{self.pq}:handler"])
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.change_role(aid, "coordinator").status, 303)
        self.assertEqual(self.roles(admin), {"viewer", "handler", "approver"})

    def test_05_the_last_administrator_stays(self):
        aid, admin, ab = self.authority("Skattestyrelsen", "Sofie")
        r = self.save_roles(ab, admin, [f"{self.pq}:viewer", f"{self.pq}:handler",
                                        f"{self.pq}:allocator"])
        self.assertEqual(self.refused_rules(r), ({("administrator", "")}))
        r = ab.post(f"/users/{self.uid(admin)}/delete", {"csrf": self.csrf(ab)})
        self.assertIn(("administrator", ""), self.refused_rules(r))
        self.assertEqual(self.stack.psql("SELECT deleted_at IS NULL FROM users WHERE username = $1",
                                         admin), [("t",)])


if __name__ == "__main__":
    tap.main()
