#!/usr/bin/python3
"""test_my_tasks.py -- My tasks (/tasks) lists what waits for the signed-in user on either side of
an exchange (issue 16 §2): besides the responder's tasks (accept, allocate, answer) and the
Approvers' (approve), the requester's Handler finds her draft to send or submit, an answer to close
or follow up and a refusal to accept or refer; the coordinators' Approvers find a referral.  Each
task says what to do in words and links to the request's page.  A Viewer of the same authority
acts on nothing, so has none; a draft is its author's only (need to know)."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402

MODULE = "pq-requests"


class MyTasksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        dkc, dkc_user = authorities.register(hd, "DK Koordinator", "DK", "Carl", "Koch")
        nlc, nlc_user = authorities.register(hd, "NL Coordinator", "NL", "Eva", "Bakker")
        cls.dk, dk_user = authorities.register(hd, "Sundhedsstyrelsen", "DK", "Mette", "Larsen")
        cls.nl, nl_user = authorities.register(hd, "BIG-register", "NL", "Sanne", "Jong")
        for c in (dkc, nlc):
            authorities.grant(hd, c, MODULE, "coordinator", ())
        authorities.grant(hd, cls.dk, MODULE, "authority", [dkc])
        authorities.grant(hd, cls.nl, MODULE, "authority", [nlc], right_to_refuse=True)
        cls.dk_b = first_sign_in(s, dk_user, "mette@example.dk")
        cls.nl_b = first_sign_in(s, nl_user, "sanne@example.nl")
        cls.dkc_b = first_sign_in(s, dkc_user, "carl@example.dk")
        cls.nlc_b = first_sign_in(s, nlc_user, "eva@example.nl")
        cls.viewer_b = cls.add_user(cls.dk_b, cls.dk, "Viggo", "Dam", "viggo@example.dk", "viewer")
        cls.h2_b = cls.add_user(cls.dk_b, cls.dk, "Hans", "Holm", "hans@example.dk", "handler")
        cls.codes = [c for (c,) in s.psql("SELECT code FROM questions WHERE module = $1"
                                          " ORDER BY position LIMIT 2", MODULE)]

    @classmethod
    def add_user(cls, admin, aid, first, last, email, role):
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", admin.get("/").html().csrf()), ("first_name", first),
                  ("last_name", last), ("user_email", email), ("language", "en"),
                  ("phone", ""), ("username", ""), ("action", "save"),
                  ("role", f"{MODULE}:{role}")]
        r = admin.post(f"/authorities/{aid}/users/new", fields)
        assert r.status == 200, (r.status, r.text[-1000:])
        return first_sign_in(cls.stack, r.html().by_id("new-username").text, email, before=before)

    # -- helpers ---------------------------------------------------------------------------

    def csrf(self, b):
        return b.get("/").html().csrf()

    def draft(self, subject):
        fields = [("csrf", self.csrf(self.dk_b)), ("module", MODULE), ("responder", str(self.nl)),
                  ("subject", subject), ("context", "Applies for recognition in Denmark."),
                  ("person_name", "Jan Jansen"), ("person_birth_date", "1980-04-01"),
                  ("person_nationality", "NL"), ("person_registration", "BIG-123"),
                  ("reply_date", "2027-02-01")]
        fields += [("question", c) for c in self.codes]
        r = self.dk_b.post("/requests/new", fields)
        self.assertEqual(r.status, 303, r.text[-1500:])
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    def fire(self, b, rid, event, fields=None):
        t = b.get_xml(f"/requests/{rid}").root.find("transitions")
        data = {"csrf": self.csrf(b), "rev": t.get("rev"), "next": f"/requests/{rid}"}
        data.update(fields or {})
        r = b.post(f"/instances/{t.get('instance')}/fire/{event}", data)
        self.assertEqual(r.status, 303, f"{event}: {r.describe(1500)}")

    def accepted(self, subject):
        rid = self.draft(subject)
        self.fire(self.dk_b, rid, "send")
        self.fire(self.nl_b, rid, "accept")
        return rid

    def answered(self, subject):
        rid = self.accepted(subject)
        qs = {q.get("code"): q.get("type")
              for q in self.nl_b.get_xml(f"/requests/{rid}").root.find("request").find("questions")}
        good = {"yesno": "yes", "date": "2001-06-30", "number": "12", "text": "Registered"}
        answers = {}
        for c, t in qs.items():
            answers[f"answer-{c}"] = good.get(t) or self.stack.psql(
                "SELECT options->0->>'value' FROM questions WHERE module = $1 AND code = $2",
                MODULE, c)[0][0]
        r = self.nl_b.post(f"/requests/{rid}/answers", dict(answers, csrf=self.csrf(self.nl_b)))
        self.assertEqual(r.status, 303, r.describe(1500))
        self.fire(self.nl_b, rid, "answer")
        return rid

    def refused(self, subject):
        rid = self.accepted(subject)
        self.fire(self.nl_b, rid, "refuse", {"reason": "Not our register."})
        return rid

    def tasks(self, b):
        """{request id: (kind, what the row says, the request's link)} from the page itself."""
        html = b.get("/tasks").html()
        out = {}
        for tr in html.by_id("tasks").find_all("tr"):
            if tr.get("data-request"):
                cells = tr.find_all("td")
                out[int(tr.get("data-request"))] = (tr.get("data-task"), cells[0].text,
                                                    cells[1].find("a").get("href"))
        return out

    # -- the requester's side --------------------------------------------------------------

    def test_1_the_requesters_handler_finds_her_draft_answer_and_refusal(self):
        draft = self.draft("A draft to send")
        answered = self.answered("An answer to close")
        refused = self.refused("A refusal to accept")
        got = self.tasks(self.dk_b)
        self.assertEqual(got.get(draft), ("send", "Send or submit", f"/requests/{draft}"))
        self.assertEqual(got.get(answered), ("close", "Close or follow up",
                                             f"/requests/{answered}"))
        self.assertEqual(got.get(refused), ("refusal", "Accept the refusal or refer",
                                            f"/requests/{refused}"))
        self.assertNotIn("no-tasks", self.dk_b.get("/tasks").text)
        # Each link leads to the page where the task is done: its transitions are offered there.
        for rid, events in ((draft, {"send"}), (answered, {"close", "follow-up"}),
                            (refused, {"accept-refusal", "refer"})):
            t = self.dk_b.get_xml(f"/requests/{rid}").root.find("transitions")
            self.assertLessEqual(events, {x.get("event") for x in t}, rid)
        # A Viewer of the same authority acts on nothing: none of these are his tasks.
        self.assertEqual(self.tasks(self.viewer_b), {})
        self.assertIn('id="no-tasks"', self.viewer_b.get("/tasks").text)
        # Another Handler of the requester closes the answer and takes the refusal, but the
        # draft stays its author's (need to know).
        other = self.tasks(self.h2_b)
        self.assertNotIn(draft, other)
        self.assertEqual(other.get(answered, ("",))[0], "close")
        self.assertEqual(other.get(refused, ("",))[0], "refusal")
        # The responder waits for none of them.
        nl = self.tasks(self.nl_b)
        for rid in (draft, answered, refused):
            self.assertNotIn(rid, nl)

    def test_2_done_tasks_leave_the_list(self):
        answered = self.answered("Closed at once")
        self.assertIn(answered, self.tasks(self.dk_b))
        self.fire(self.dk_b, answered, "close", {"timeliness": "satisfied", "effort": "satisfied"})
        self.assertNotIn(answered, self.tasks(self.dk_b))

    def test_3_a_referral_waits_for_both_coordinators_approvers(self):
        rid = self.refused("Referred to the coordinators")
        self.fire(self.dk_b, rid, "refer", {"reason": "The register is theirs."})
        for b in (self.dkc_b, self.nlc_b):
            self.assertEqual(self.tasks(b).get(rid), ("referral", "Send back or close the referral",
                                                      f"/requests/{rid}"))
        for b in (self.dk_b, self.viewer_b, self.nl_b):
            self.assertNotIn(rid, self.tasks(b))

    def test_4_in_danish_dutch_and_romanian(self):
        rid = self.answered("Read in every language")
        words = {"da": "Luk eller følg op", "nl": "Sluiten of een vervolgvraag stellen",
                 "ro": "De închis sau de pus o întrebare suplimentară"}
        uid = self.stack.psql("SELECT id FROM users WHERE email = $1", "mette@example.dk")[0][0]
        try:
            for lang, text in words.items():
                self.stack.psql("UPDATE users SET language = $1 WHERE id = $2", lang, uid)
                self.assertEqual(self.tasks(self.dk_b)[rid][1], text, lang)
        finally:
            self.stack.psql("UPDATE users SET language = 'en' WHERE id = $1", uid)


if __name__ == "__main__":
    tap.main()
