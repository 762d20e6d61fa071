#!/usr/bin/python3
"""test_requests.py -- information requests through the pages (issue "Information requests",
first part): a Handler drafts a request with chosen questions of the module's question set and
sends it; where the requester's access requires approval, an Approver of its linked
coordinator approves it from the approval link in the mail; the responder accepts (proposing
another date), answers every question in its type, and the requester closes it with a rating;
wrong roles and parties are refused with a 403 that writes nothing."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack, mail_text  # noqa: E402

MODULE = "pq-requests"


class RequestsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        # Denmark asks, the Netherlands answer; each has a coordinator for the module.
        cls.dk_coord, dk_coord_user = cls.register(hd, "DK Koordinator", "DK", "Carl", "Koch")
        cls.dk, dk_user = cls.register(hd, "Sundhedsstyrelsen", "DK", "Mette", "Larsen")
        cls.nl_coord, nl_coord_user = cls.register(hd, "NL Coordinator", "NL", "Eva", "Bakker")
        cls.nl, nl_user = cls.register(hd, "BIG-register", "NL", "Sanne", "Jong")
        cls.grant(hd, cls.dk_coord, role="coordinator")
        cls.grant(hd, cls.nl_coord, role="coordinator")
        cls.grant(hd, cls.dk, coordinators=[cls.dk_coord])
        cls.grant(hd, cls.nl, coordinators=[cls.nl_coord], right_to_refuse=True)
        cls.dk_b = first_sign_in(s, dk_user, "mette@example.dk")
        cls.nl_b = first_sign_in(s, nl_user, "sanne@example.nl")
        cls.dk_coord_b = first_sign_in(s, dk_coord_user, "carl@example.dk")
        cls.codes = [c for (c,) in s.psql("SELECT code FROM questions WHERE module = $1"
                                          " ORDER BY position LIMIT 3", MODULE)]

    @classmethod
    def register(cls, b, name, country, first, last):
        page = b.get("/admin/authorities/new")
        r = b.post("/admin/authorities/new", {
            "csrf": page.html().csrf(), "official_name": name, "country": country,
            "email": "office@" + re.sub(r"[^a-z]", "", name.lower()) + ".example",
            "authority_type": "competent-authority", "first_name": first, "last_name": last,
            "language": "en", "user_email": f"{first.lower()}@example.{country.lower()}"})
        assert r.status == 200, r.text[-1000:]
        aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
        return aid, r.html().by_id("new-username").text

    @classmethod
    def grant(cls, b, aid, role="authority", coordinators=(), **settings):
        fields = [("csrf", b.get("/").html().csrf()), ("module", MODULE), ("role", role)]
        fields += [("coordinator", str(c)) for c in coordinators]
        fields += [(k, "yes") for k, v in settings.items() if v]
        r = b.post(f"/authorities/{aid}/modules", fields)
        assert r.status == 303, (r.status, r.text[-1000:])

    def csrf(self, b):
        return b.get("/").html().csrf()

    def draft(self, b, subject="Diploma of Dr. Jansen", questions=None):
        fields = [("csrf", self.csrf(b)), ("module", MODULE), ("responder", str(self.nl)),
                  ("subject", subject), ("context", "Applies for recognition in Denmark."),
                  ("person_name", "Jan Jansen"), ("person_birth_date", "1980-04-01"),
                  ("person_nationality", "NL"), ("person_registration", "BIG-123"),
                  ("reply_date", "2027-02-01")]
        fields += [("question", c) for c in (self.codes if questions is None else questions)]
        r = b.post("/requests/new", fields)
        self.assertEqual(r.status, 303, r.text[-1500:])
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    def model(self, b, rid):
        return b.get_xml(f"/requests/{rid}").xml()

    def state(self, rid):
        return self.stack.psql("SELECT i.state FROM requests r JOIN wf_instances i"
                               " ON i.id = r.instance_id WHERE r.id = $1", rid)[0][0]

    def fire(self, b, rid, event, fields=None):
        m = self.model(b, rid)
        t = m.find("transitions")
        data = {"csrf": self.csrf(b), "rev": t.get("rev"), "next": f"/requests/{rid}"}
        data.update(fields or {})
        return b.post(f"/instances/{t.get('instance')}/fire/{event}", data)

    def events(self, b, rid):
        t = self.model(b, rid).find("transitions")
        return sorted(x.get("event") for x in t) if t is not None else []

    def test_01_draft_send_accept_answer_close(self):
        rid = self.draft(self.dk_b)
        self.assertEqual(self.state(rid), "draft")
        m = self.model(self.dk_b, rid)
        self.assertEqual([q.get("code") for q in m.find("request").find("questions")], self.codes)
        self.assertEqual(self.events(self.dk_b, rid), ["delete", "send"])
        # The responder sees nothing of a draft.
        self.assertEqual(self.nl_b.get(f"/requests/{rid}").status, 404)
        before = {x.path for x in self.stack.mails()}
        self.assertEqual(self.fire(self.dk_b, rid, "send").status, 303)
        self.assertEqual(self.state(rid), "sent")
        self.stack.wait_mail(lambda x: x.path not in before and "sanne@example.nl" in x["To"])
        # The requester cannot accept its own request: 403, nothing written.
        self.assertEqual(self.fire(self.dk_b, rid, "accept").status, 403)
        self.assertEqual(self.state(rid), "sent")
        r = self.fire(self.nl_b, rid, "accept", {"proposed-date": "2027-03-01",
                                                 "reason": "Archives are slow"})
        self.assertEqual(r.status, 303)
        req = self.model(self.dk_b, rid).find("request")
        self.assertEqual((req.get("reply-date"), req.get("agreed-date")), ("2027-02-01", "2027-03-01"))
        # Not every question answered: "answer" is not offered, and refused if posted.
        self.assertNotIn("answer", self.events(self.nl_b, rid))
        self.assertEqual(self.fire(self.nl_b, rid, "answer").status, 403)
        qs = {q.get("code"): q.get("type") for q in
              self.model(self.nl_b, rid).find("request").find("questions")}
        good = {"yesno": "yes", "date": "2001-06-30", "number": "12", "text": "Registered since 2001"}
        answers = {f"answer-{c}": good.get(t, "") for c, t in qs.items()}
        for c, t in qs.items():
            if t == "choice":
                answers[f"answer-{c}"] = self.stack.psql(
                    "SELECT options->0->>'value' FROM questions WHERE module = $1 AND code = $2",
                    MODULE, c)[0][0]
        bad = dict(answers)
        first = next(iter(qs))
        bad[f"answer-{first}"] = "not-a-valid-answer" if qs[first] != "text" else "x" * 20000
        r = self.nl_b.post(f"/requests/{rid}/answers", dict(bad, csrf=self.csrf(self.nl_b)))
        self.assertEqual(r.status, 422)
        # The requester may not answer.
        r = self.dk_b.post(f"/requests/{rid}/answers", dict(answers, csrf=self.csrf(self.dk_b)))
        self.assertEqual(r.status, 403)
        r = self.nl_b.post(f"/requests/{rid}/answers", dict(answers, csrf=self.csrf(self.nl_b)))
        self.assertEqual(r.status, 303)
        self.assertEqual(self.fire(self.nl_b, rid, "answer").status, 303)
        self.assertEqual(self.state(rid), "answered")
        r = self.fire(self.dk_b, rid, "close", {"timeliness": "satisfied", "effort": "not-satisfied"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.state(rid), "closed")
        self.assertEqual(self.stack.psql("SELECT closed_at IS NOT NULL FROM requests WHERE id = $1",
                                         rid), [("t",)])

    def test_02_approval_by_mail_link(self):
        # The requester's access now requires approval.
        self.stack.psql("UPDATE module_accesses SET approval_required = true"
                        " WHERE authority_id = $1 AND module = $2", self.dk, MODULE)
        try:
            rid = self.draft(self.dk_b, subject="Needs approval")
            self.assertEqual(self.events(self.dk_b, rid), ["delete", "submit"])
            self.assertEqual(self.fire(self.dk_b, rid, "send").status, 403)
            before = {x.path for x in self.stack.mails()}
            self.assertEqual(self.fire(self.dk_b, rid, "submit").status, 303)
            self.assertEqual(self.state(rid), "awaiting-approval")
            msg = self.stack.wait_mail(lambda x: x.path not in before and "carl@example.dk" in x["To"])
            links = re.findall(r"https?://\S+/links/(\S+)", mail_text(msg))
            self.assertEqual(len(links), 1)            # approve; return needs a comment
            # A scanner's GET changes nothing; the POST from the confirmation page approves.
            guest = Browser(self.stack.url)
            page = guest.get(f"/links/{links[0]}")
            self.assertEqual(page.status, 200)
            self.assertEqual(self.state(rid), "awaiting-approval")
            form = page.html().find("form")
            fields = {i.get("name"): i.get("value") for i in form.iter() if i.tag == "input"
                      and i.get("name")}
            r = guest.post(f"/links/{links[0]}", fields)
            self.assertIn(r.status, (200, 303))
            self.assertEqual(self.state(rid), "sent")
            hist = self.stack.psql("SELECT h.event, h.actor_kind FROM wf_history h JOIN requests r"
                                   " ON r.instance_id = h.instance_id WHERE r.id = $1 ORDER BY seq",
                                   rid)
            self.assertEqual(hist[-1], ("approve", "mail"))
        finally:
            self.stack.psql("UPDATE module_accesses SET approval_required = false"
                            " WHERE authority_id = $1 AND module = $2", self.dk, MODULE)

    def test_03_refusal_and_withdrawal(self):
        rid = self.draft(self.dk_b, subject="To be refused")
        self.fire(self.dk_b, rid, "send")
        self.assertEqual(self.fire(self.nl_b, rid, "refuse", {"reason": ""}).status, 422)
        self.assertEqual(self.fire(self.nl_b, rid, "refuse", {"reason": "Not our competence"}).status,
                         303)
        self.assertEqual(self.state(rid), "refused")
        self.assertEqual(self.fire(self.dk_b, rid, "accept-refusal").status, 303)
        self.assertEqual(self.state(rid), "closed")
        rid = self.draft(self.dk_b, subject="To be withdrawn")
        self.fire(self.dk_b, rid, "send")
        self.assertEqual(self.fire(self.nl_b, rid, "withdraw").status, 403)
        self.assertEqual(self.fire(self.dk_b, rid, "withdraw").status, 303)
        self.assertEqual(self.state(rid), "withdrawn")


if __name__ == "__main__":
    tap.main()
