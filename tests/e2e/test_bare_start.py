#!/usr/bin/python3
"""test_bare_start.py -- issue 12 point 4, "no bare starts of domain workflows", through the real
stack: a definition says in XML who may start it from the generic pages (<start role party/>,
none by default).  The domain's definitions (authority, module access, invitation, password,
information request) declare none: /workflows offers no button for them and a POST that starts
one is a 403 that writes nothing.  A toy definition that declares a <start> is started by whom
it names, evaluated on the instance about to start (party included), and by nobody else.  And the
actions that change an authority's data act only on the authority whose own lifecycle instance
fired them: rejecting or validating any other instance of the authority definition (the bare
instance of the attack: an Administrator started one for their authority and "rejected" it,
which deleted the users of a real, active authority) is refused, with nothing deleted and no
mail sent."""

import os
import re
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from authorities import register  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402

WF = Path(__file__).resolve().parents[1] / "workflows" / "good"
DOMAIN = ("authority", "module-access", "invitation", "password", "information-request")

# Only the helpdesk's Administrators may start it: the party is asked of the new instance.
HELPDESK_ONLY = """<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:imiflow:workflow:1" name="helpdesk-note" label="Helpdesk note">
  <start role="administrator" party="helpdesk"/>
  <state name="open" label="Open" initial="true">
    <transition event="close" to="closed" label="Close">
      <allow role="administrator" party="own-authority"/>
    </transition>
  </state>
  <state name="closed" label="Closed" final="true"/>
</workflow>
"""


class BareStartTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=500)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        cls.hd_id = int(s.psql("SELECT id FROM authorities WHERE is_helpdesk")[0][0])
        r = s.run_imiflow("deploy", str(WF / "toy.xml"))
        assert "deployed" in r.stdout, r.stdout
        # A real, active authority of the helpdesk's country, with its first user signed in.
        cls.victim, cls.victim_user = register(cls.hd, "Federale Overheidsdienst", "BE", "Vera",
                                               "Vos")
        cls.vb = first_sign_in(s, cls.victim_user, "vera@example.be")

    # -- helpers ------------------------------------------------------------------------

    def counts(self):
        return self.stack.psql("SELECT (SELECT count(*) FROM wf_instances),"
                               " (SELECT count(*) FROM wf_history),"
                               " (SELECT count(*) FROM wf_timers),"
                               " (SELECT count(*) FROM outbox)")

    def offered(self, b):
        """The definitions /workflows offers this user to start, from the page model and the
        HTML both."""
        r = b.get_xml("/workflows")
        self.assertEqual(r.status, 200)
        model = {d.get("name") for d in r.xml().find("definitions") if d.get("may-start") == "true"}
        html = set(re.findall(r'id="start-([a-z0-9-]+)"', b.get("/workflows").text))
        self.assertEqual(model, html)
        return model

    def start(self, b, name):
        return b.post(f"/workflows/{name}/start", {"csrf": b.get("/").html().csrf()})

    def users_alive(self, aid):
        return self.stack.psql("SELECT count(*) FROM users WHERE authority_id = $1"
                               " AND deleted_at IS NULL", aid)[0][0]

    def stray_authority_instance(self, aid, state):
        """An instance of the authority definition that belongs to aid without being its
        lifecycle (what a bare start made before this fix, kept in old databases)."""
        return int(self.stack.psql(
            "INSERT INTO wf_instances (definition, version, state, module, authority_id)"
            " SELECT 'authority', max(version), $2, '', $1 FROM wf_definitions"
            "  WHERE name = 'authority' RETURNING id", aid, state)[0][0])

    def fire(self, b, iid, event, fields=None):
        rev = self.stack.psql("SELECT rev FROM wf_instances WHERE id = $1", iid)[0][0]
        data = {"csrf": b.get("/").html().csrf(), "rev": rev}
        data.update(fields or {})
        return b.post(f"/instances/{iid}/fire/{event}", data)

    # -- the generic start --------------------------------------------------------------

    def test_01_domain_definitions_offer_no_start_to_anyone(self):
        for b in (self.hd, self.vb):
            offered = self.offered(b)
            self.assertFalse(offered & set(DOMAIN), offered)
        self.assertIn("toy", self.offered(self.hd))

    def test_02_starting_a_domain_definition_is_403_and_writes_nothing(self):
        for b in (self.hd, self.vb):
            for name in DOMAIN:
                before = self.counts()
                r = self.start(b, name)
                self.assertEqual(r.status, 403, f"{name}: {r.status}")
                self.assertIn("Nothing was changed", r.text)
                self.assertEqual(self.counts(), before, name)
        # An unknown definition is still a 404.
        self.assertEqual(self.start(self.hd, "no-such-workflow").status, 404)

    def test_03_a_declared_start_is_for_whom_it_names(self):
        # toy: <start role="administrator" party="own-authority"/>: the instance is theirs.
        r = self.start(self.vb, "toy")
        self.assertEqual(r.status, 303)
        iid = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))
        self.assertEqual(self.stack.psql(
            "SELECT i.authority_id, i.state, h.event, h.actor_kind FROM wf_instances i"
            " JOIN wf_history h ON h.instance_id = i.id WHERE i.id = $1", iid),
            [(str(self.victim), "draft", "start", "user")])
        # helpdesk-note: the helpdesk's Administrators only; the party is asked of the new
        # instance, which would belong to the starter's authority.
        with tempfile.TemporaryDirectory() as d:
            note = Path(d) / "helpdesk-note.xml"
            note.write_text(HELPDESK_ONLY)
            r = self.stack.run_imiflow("deploy", str(note), check=False)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("helpdesk-note", self.offered(self.hd))
        self.assertNotIn("helpdesk-note", self.offered(self.vb))
        before = self.counts()
        self.assertEqual(self.start(self.vb, "helpdesk-note").status, 403)
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.start(self.hd, "helpdesk-note").status, 303)
        # A user without the role gets neither the button nor the instance.
        page = self.vb.get(f"/authorities/{self.victim}/users/new").html()
        r = self.vb.post(f"/authorities/{self.victim}/users/new", {
            "csrf": page.csrf(), "first_name": "Wim", "last_name": "Wouters",
            "user_email": "wim@example.be", "language": "en", "username": "wwouters",
            "action": "save"})
        self.assertEqual(r.status, 200, r.text[-800:])
        wb = first_sign_in(self.stack, "wwouters", "wim@example.be")
        self.assertEqual(self.offered(wb), set())
        before = self.counts()
        self.assertEqual(self.start(wb, "toy").status, 403)
        self.assertEqual(self.counts(), before)

    # -- actions act on their own subject only ------------------------------------------

    def test_04_the_attack_through_the_pages_deletes_no_one(self):
        """As reported: the victim's Administrator starts an authority instance for their own
        authority, registers it (self-register: own-authority) and an Access Manager rejects
        it.  Now the first step is refused; were it not, the last would be (test_05)."""
        alive = self.users_alive(self.victim)
        before = self.counts()
        r = self.start(self.vb, "authority")
        if r.status == 303:         # before the fix: go on as the report did
            iid = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))
            self.fire(self.vb, iid, "self-register")
            self.fire(self.hd, iid, "reject", {"reason": "bare"})
        self.assertEqual(self.users_alive(self.victim), alive)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.counts(), before)

    def test_05_reject_of_a_stray_authority_instance_is_refused(self):
        alive = self.users_alive(self.victim)
        mails = len(self.stack.mails())
        iid = self.stray_authority_instance(self.victim, "pending-validation")
        before = self.counts()
        r = self.fire(self.hd, iid, "reject", {"reason": "not needed"})
        self.assertEqual(r.status, 403, r.text[-800:])
        self.assertIn("own lifecycle", r.text)
        self.assertEqual(self.users_alive(self.victim), alive)
        self.assertEqual(self.stack.psql(
            "SELECT deleted_at IS NULL, email FROM authorities WHERE id = $1", self.victim),
            [("t", "office@federaleoverheidsdienst.example")])
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.stack.psql("SELECT state FROM wf_instances WHERE id = $1", iid),
                         [("pending-validation",)])
        self.assertEqual(len(self.stack.mails()), mails)
        # Validating it would mail first passwords to the authority's users: refused too.
        r = self.fire(self.hd, iid, "validate")
        self.assertEqual(r.status, 403)
        self.assertEqual(self.counts(), before)
        # The real lifecycle instance of the victim is untouched and still active.
        self.assertEqual(self.stack.psql(
            "SELECT i.state FROM authorities a JOIN wf_instances i ON i.id = a.instance_id"
            " WHERE a.id = $1", self.victim), [("active",)])

    def test_06_the_timer_deletion_of_a_stray_instance_is_refused(self):
        """The system's 'delete' (six months after deactivation) on a stray instance: the
        worker marks the timer fired and deletes nothing."""
        alive = self.users_alive(self.victim)
        iid = self.stray_authority_instance(self.victim, "deactivated")
        self.stack.psql("INSERT INTO wf_timers (instance_id, name, event, state, due_at)"
                        " VALUES ($1, 'deletion', 'delete', 'deactivated', imi_now() - interval '1 minute')",
                        iid)
        self.stack.run_imiflow("worker", "--once")
        self.assertEqual(self.stack.psql("SELECT fired_at IS NOT NULL FROM wf_timers"
                                         " WHERE instance_id = $1", iid), [("t",)])
        self.assertEqual(self.stack.psql("SELECT state FROM wf_instances WHERE id = $1", iid),
                         [("deactivated",)])
        self.assertEqual(self.users_alive(self.victim), alive)
        self.assertEqual(self.stack.psql("SELECT deleted_at IS NULL FROM authorities WHERE id = $1",
                                         self.victim), [("t",)])


if __name__ == "__main__":
    tap.main()
