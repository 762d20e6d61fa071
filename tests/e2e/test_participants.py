#!/usr/bin/python3
"""test_participants.py -- the engine's primitives for one-to-many exchanges (issue 14, P1), on
the real stack with tests/toy/broadcast.xml on IMI's domain (module services-alerts):

- a broadcast adds one wf_participants row per coordinator of the chosen countries, all in one
  transition (one history row, one added_seq), and mails the new participants' Handlers;
  repeating it with more countries adds only the new ones, nobody twice;
- two coordinators disseminating at once (two HTTP clients, the same stale revision,
  concurrent="true") both succeed, neither gets a 409, and each recipient row exists once;
  a transition without concurrent="true" at that stale revision still gets its 409;
- a participant-role party's users may fire what its <allow> says; others get 403 and nothing
  is written; in="received" narrows to the rows in that participant state;
- countries and authorities inputs refuse unknown values (422, nothing written) and go to the
  history as JSON arrays;
- seen-by="exchange": the sender, the participants and (out of draft) the sender's linked
  coordinator see the instance; everyone else, and a user without a role in the module, gets
  404."""

import json
import os
import re
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import DATADIR, Stack  # noqa: E402

MODULE = "services-alerts"
TOY = os.path.join(str(DATADIR), "tests", "toy", "broadcast.xml")


class ParticipantsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        r = s.run_imiflow("deploy", TOY)
        assert "deployed" in r.stdout, r.stdout
        hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        ids, b = {}, {}
        people = (("roc", "RO Coordonator", "RO", "Radu"), ("ro", "ANPC", "RO", "Ioana"),
                  ("dkc", "DK Koordinator", "DK", "Carl"), ("dk1", "Sikkerhedsstyrelsen", "DK", "Mette"),
                  ("dk2", "Forbrugerombudsmanden", "DK", "Lars"),
                  ("nlc", "NL Coordinator", "NL", "Eva"), ("nl1", "ACM", "NL", "Sanne"))
        for who, name, country, first in people:
            ids[who], username = authorities.register(hd, name, country, first)
            b[who] = (username, f"{first.lower()}@example.{country.lower()}")
        for c in ("roc", "dkc", "nlc"):
            authorities.grant(hd, ids[c], MODULE, "coordinator")
        for a, c in (("ro", "roc"), ("dk1", "dkc"), ("dk2", "dkc"), ("nl1", "nlc")):
            authorities.grant(hd, ids[a], MODULE, coordinators=[ids[c]])
        # Each first user is an Administrator with every role of the module.
        cls.b = {who: first_sign_in(s, *b[who]) for who in b}
        cls.ids = ids
        cls.emails = {who: b[who][1] for who in b}
        cls.b["dk1-none"] = cls.add_user(hd, ids["dk1"], "Nora", "nora@example.dk")
        r = cls.b["ro"].post("/workflows/broadcast/start", {"csrf": cls.csrf(cls.b["ro"])})
        assert r.status == 303, r.describe()
        cls.iid = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))

    # -- helpers --------------------------------------------------------------------------

    @classmethod
    def add_user(cls, admin, aid, first, email):
        """A user of authority aid with no role in any module, signed in."""
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", cls.csrf(admin)), ("first_name", first), ("last_name", "Test"),
                  ("user_email", email), ("language", "en"), ("phone", ""), ("username", ""),
                  ("action", "save")]
        r = admin.post(f"/authorities/{aid}/users/new", fields)
        assert r.status == 200, r.describe()
        return first_sign_in(cls.stack, r.html().by_id("new-username").text, email, before=before)

    @classmethod
    def csrf(cls, b):
        return b.get("/").html().csrf()

    def rev(self):
        return int(self.stack.psql("SELECT rev FROM wf_instances WHERE id = $1", self.iid)[0][0])

    def fire(self, who, event, fields=(), rev=None, csrf=None):
        b = self.b[who]
        data = [("csrf", csrf or self.csrf(b)), ("rev", str(rev or self.rev()))] + list(fields)
        return b.post(f"/instances/{self.iid}/fire/{event}", data)

    def rows(self, role=None):
        """{(authority, role): (state, added_seq)} of the instance."""
        return {(int(a), r): (st, int(seq)) for a, r, st, seq in self.stack.psql(
            "SELECT authority_id, role, state, added_seq FROM wf_participants"
            " WHERE instance_id = $1 AND ($2 = '' OR role = $2)", self.iid, role or "")}

    def written(self):
        return self.stack.psql(
            "SELECT (SELECT rev FROM wf_instances WHERE id = $1),"
            " (SELECT count(*) FROM wf_history WHERE instance_id = $1),"
            " (SELECT count(*) FROM wf_participants WHERE instance_id = $1),"
            " (SELECT string_agg(state, ',' ORDER BY role, authority_id) FROM wf_participants"
            "   WHERE instance_id = $1), (SELECT count(*) FROM outbox)", self.iid)[0]

    def sees(self, who):
        return self.b[who].get(f"/instances/{self.iid}").status

    def assert_refused(self, who, event, status, fields=()):
        before = self.written()
        r = self.fire(who, event, fields)
        self.assertEqual(r.status, status, r.describe())
        self.assertEqual(self.written(), before)

    # -- the tests, in order ---------------------------------------------------------------

    def test_01_lint_lists_selectors_and_seen_by(self):
        out = self.stack.run_imiflow("lint", "--list").stdout
        for name in ("coordinators-in-countries", "authorities-of-own-country", "helpdesk",
                     "participant", "new-participants", "exchange", "managed", "request"):
            self.assertIn(name, out)

    def test_02_draft_is_the_senders_alone(self):
        self.assertEqual(self.stack.psql("SELECT seen_by FROM wf_instances WHERE id = $1",
                                         self.iid)[0][0], "exchange")
        self.assertEqual(self.sees("ro"), 200)
        for who in ("roc", "dkc", "nlc", "dk1"):
            self.assertEqual(self.sees(who), 404, who)

    def test_03_unknown_countries_are_refused(self):
        for bad in ("XX", "dk", "DK1"):
            before = self.written()
            r = self.fire("ro", "broadcast", [("countries", "DK"), ("countries", bad)])
            self.assertEqual(r.status, 422, (bad, r.describe()))
            self.assertEqual(self.written(), before)

    def test_04_broadcast_adds_one_row_per_coordinator_in_one_transition(self):
        hist = int(self.written()[1])
        r = self.fire("ro", "broadcast", [("countries", "DK"), ("countries", "NL"),
                                          ("countries", "DK")])
        self.assertEqual(r.status, 303, r.describe())
        seq = self.rev()
        self.assertEqual(self.rows(), {(self.ids["dkc"], "recipient-coordinator"): ("received", seq),
                                       (self.ids["nlc"], "recipient-coordinator"): ("received", seq)})
        self.assertEqual(int(self.written()[1]), hist + 1)
        inputs = self.stack.psql("SELECT inputs::text FROM wf_history WHERE instance_id = $1"
                                 " AND seq = $2", self.iid, seq)[0][0]
        self.assertEqual(json.loads(inputs), {"countries": ["DK", "NL"]})
        countries = self.stack.psql("SELECT string_agg(country, ',' ORDER BY country)"
                                    " FROM wf_participants WHERE instance_id = $1", self.iid)[0][0]
        self.assertEqual(countries, "DK,NL")
        # new-participants: the coordinators' Handlers get the mail, the sender's do not.
        for who in ("dkc", "nlc"):
            self.stack.wait_mail(lambda m, e=self.emails[who]: e in m["To"])
        # One text drawn per language, each recipient's own name put in: every body greets
        # its recipient by name, and no placeholder is left anywhere.
        rows = self.stack.psql(
            "SELECT o.subject || o.body, u.first_name || ' ' || u.last_name FROM outbox o"
            " JOIN users u ON u.email = o.recipient WHERE o.instance_id = $1"
            " AND o.template = 'workflow-event'", self.iid)
        self.assertGreaterEqual(len(rows), 2)
        for text, name in rows:
            self.assertIn(name, text)
            self.assertNotIn("\ue000", text)
        sent = "SELECT count(*) FROM outbox WHERE recipient = $1 AND template = 'workflow-event'"
        self.assertEqual(self.stack.psql(sent, self.emails["dkc"])[0][0], "1")
        self.assertEqual(self.stack.psql(sent, self.emails["ro"])[0][0], "0")

    def test_05_seen_by_exchange_after_broadcast(self):
        for who in ("ro", "dkc", "nlc", "roc"):
            self.assertEqual(self.sees(who), 200, who)
        for who in ("dk1", "nl1", "dk1-none"):
            self.assertEqual(self.sees(who), 404, who)

    def test_06_repeating_adds_nobody_twice(self):
        before = self.rows()
        r = self.fire("ro", "add-countries", [("countries", "DK"), ("countries", "NL"),
                                              ("countries", "RO")])
        self.assertEqual(r.status, 303, r.describe())
        after = self.rows()
        self.assertEqual(set(after) - set(before), {(self.ids["roc"], "recipient-coordinator")})
        for k, v in before.items():
            self.assertEqual(after[k], v)
        self.assertEqual(self.stack.psql("SELECT count(*) FROM wf_participants WHERE instance_id"
                                         " = $1", self.iid)[0][0], "3")

    def test_07_only_the_role_party_may_disseminate(self):
        # The sender sees the case but holds no recipient-coordinator row: 403, nothing written.
        self.assert_refused("ro", "disseminate", 403, [("authorities", str(self.ids["dk1"]))])
        # Who may not see it learns nothing: 404.
        self.assert_refused("dk1", "disseminate", 404, [("authorities", str(self.ids["dk1"]))])
        self.assert_refused("dkc", "disseminate", 422, [("authorities", "999999")])

    def test_08_two_coordinators_disseminate_at_once(self):
        stale = self.rev()
        jobs = {"dkc": [("authorities", str(self.ids["dk1"])), ("authorities", str(self.ids["dk2"]))],
                "nlc": [("authorities", str(self.ids["nl1"])),
                        # Another country's authority: the selector leaves it out.
                        ("authorities", str(self.ids["dk1"]))]}
        tokens = {who: self.csrf(self.b[who]) for who in jobs}
        barrier = threading.Barrier(len(jobs))
        results = {}

        def run(who):
            barrier.wait()
            results[who] = self.fire(who, "disseminate", jobs[who], rev=stale, csrf=tokens[who])

        threads = [threading.Thread(target=run, args=(w,)) for w in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for who, r in results.items():
            self.assertEqual(r.status, 303, (who, r.describe()))
        self.assertEqual(self.rev(), stale + 2)
        authority_rows = self.rows("recipient-authority")
        self.assertEqual({a for a, _ in authority_rows},
                         {self.ids["dk1"], self.ids["dk2"], self.ids["nl1"]})
        self.assertEqual(self.stack.psql(
            "SELECT count(*), count(DISTINCT authority_id) FROM wf_participants"
            " WHERE instance_id = $1 AND role = 'recipient-authority'", self.iid)[0], ("3", "3"))
        coord = self.rows("recipient-coordinator")
        self.assertEqual(coord[(self.ids["dkc"], "recipient-coordinator")][0], "disseminated")
        self.assertEqual(coord[(self.ids["nlc"], "recipient-coordinator")][0], "disseminated")
        self.assertEqual(coord[(self.ids["roc"], "recipient-coordinator")][0], "received")
        changed = self.stack.psql("SELECT count(*) FROM wf_participants WHERE instance_id = $1"
                                  " AND changed_seq IS NOT NULL", self.iid)[0][0]
        self.assertEqual(changed, "2")
        # Without concurrent="true" that stale revision is "changed meanwhile".
        before = self.written()
        r = self.fire("roc", "note", rev=stale)
        self.assertEqual(r.status, 409, r.describe())
        self.assertEqual(self.written(), before)
        # The disseminated authorities' Handlers were told, and now see the case.
        self.stack.wait_mail(lambda m: self.emails["dk2"] in m["To"])
        for who in ("dk1", "dk2", "nl1"):
            self.assertEqual(self.sees(who), 200, who)
        self.assertEqual(self.sees("dk1-none"), 404)
        inputs = self.stack.psql("SELECT inputs::text FROM wf_history WHERE instance_id = $1"
                                 " AND actor_authority_id = $2 AND event = 'disseminate'",
                                 self.iid, self.ids["dkc"])[0][0]
        self.assertEqual(json.loads(inputs),
                         {"authorities": [str(self.ids["dk1"]), str(self.ids["dk2"])]})

    def test_09_in_narrows_to_the_participant_state(self):
        # dkc disseminated: no longer "received"; roc still is.
        self.assert_refused("dkc", "note", 403)
        self.assert_refused("dk1", "note", 403)
        r = self.fire("roc", "note")
        self.assertEqual(r.status, 303, r.describe())


if __name__ == "__main__":
    tap.main()
