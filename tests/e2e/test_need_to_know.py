#!/usr/bin/python3
"""test_need_to_know.py -- who sees an exchange (issue 12, points 1, 2 and the first bullet of 7;
Regulation (EU) 1024/2012 art. 9(4) and 9(6), seed 000 §3.2.1), on the real stack:

1. Visibility by module role: the Viewers, Handlers, Approvers and Allocators of the module see
   the requests of their authority and, at a linked coordinator, of the authorities linked to
   it; a user with no role in the module sees none of them -- not in /requests, not on the
   request page or any of its tabs, not its documents, not the generic /instances page, not
   through ?format=xml, not in My tasks, not in /workflows' latest instances.  A draft is its
   author's alone.
2. The helpdesk is no party: it reads no subject, personal data, free text, answer or document
   of other authorities' requests; its support view shows metadata only and says so; blocked
   personal data are still disclosed to its Administrator after a recorded justification.
7. A POST to an instance the user may not see answers 404 before anything else (no 409 naming
   its state, no 403 naming the missing role), and writes nothing; instances of other
   workflows (authorities) keep their own rule."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402

PQ = "pq-requests"
SV = "services-requests"
SUBJECT = "Diploma of Dr. Pietersen"
CONTEXT = "Applies for recognition as a dentist in Denmark."
PERSON = ("Piet Pietersen", "1975-09-12", "BIG-98765")
DOCUMENT = "pietersen-diploma.pdf"
ANSWER = "Registered since 1999"


class NeedToKnowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        ids, admins = {}, {}
        for who, name, country, first in (("dkc", "DK Koordinator", "DK", "Carl"),
                                          ("dk", "Sundhedsstyrelsen", "DK", "Mette"),
                                          ("nlc", "NL Coordinator", "NL", "Eva"),
                                          ("nl", "BIG-register", "NL", "Sanne")):
            ids[who], username = authorities.register(cls.hd, name, country, first)
            admins[who] = (username, f"{first.lower()}@example.{country.lower()}")
        cls.ids = ids
        for module in (PQ, SV):
            authorities.grant(cls.hd, ids["dkc"], module, "coordinator")
            authorities.grant(cls.hd, ids["dk"], module, coordinators=[ids["dkc"]])
        authorities.grant(cls.hd, ids["nlc"], PQ, "coordinator")
        authorities.grant(cls.hd, ids["nl"], PQ, coordinators=[ids["nlc"]])
        # Each first user is an Administrator with every role of the modules granted.
        b = cls.b = {who: first_sign_in(s, *admins[who]) for who in admins}
        # Users with fewer roles: none at all, a role in another module only, Viewer only,
        # a second Handler of the requester.
        b["dk-none"] = cls.add_user("dk", "Nora", "nora@example.dk", [])
        b["dk-other"] = cls.add_user("dk", "Otto", "otto@example.dk", [(SV, "viewer")])
        b["dk-viewer"] = cls.add_user("dk", "Vera", "vera@example.dk", [(PQ, "viewer")])
        b["dk-handler"] = cls.add_user("dk", "Hans", "hans@example.dk", [(PQ, "handler")])
        b["dkc-none"] = cls.add_user("dkc", "Nils", "nils@example.dk", [])
        b["dkc-viewer"] = cls.add_user("dkc", "Vibeke", "vibeke@example.dk", [(PQ, "viewer")])
        b["nl-none"] = cls.add_user("nl", "Noor", "noor@example.nl", [])
        b["nl-viewer"] = cls.add_user("nl", "Vincent", "vincent@example.nl", [(PQ, "viewer")])
        b["nlc-none"] = cls.add_user("nlc", "Niek", "niek@example.nl", [])
        cls.codes = [c for (c,) in s.psql("SELECT code FROM questions WHERE module = $1"
                                          " AND type = 'text' ORDER BY position LIMIT 1", PQ)]
        # One request through the pages: drafted with a document, sent, accepted, answered.
        cls.rid = cls.draft(b["dk"])
        cls.iid = cls.instance(cls.rid)
        r = cls.upload(b["dk"], cls.rid, "attach", DOCUMENT, b"%PDF-1.4 diploma")
        assert r.status == 303, r.describe()
        cls.doc = int(s.psql("SELECT id FROM wf_documents WHERE instance_id = $1", cls.iid)[0][0])

    # -- fixtures through the pages ------------------------------------------------------

    @classmethod
    def add_user(cls, who, first, email, roles):
        """The authority's Administrator adds a user with these (module, role)s; signed in."""
        admin = cls.b[who]
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", admin.get("/").html().csrf()), ("first_name", first),
                  ("last_name", "Test"), ("user_email", email), ("language", "en"),
                  ("phone", ""), ("username", ""), ("action", "save")]
        fields += [("role", f"{m}:{r}") for m, r in roles]
        r = admin.post(f"/authorities/{cls.ids[who]}/users/new", fields)
        assert r.status == 200, r.describe()
        return first_sign_in(cls.stack, r.html().by_id("new-username").text, email, before=before)

    @classmethod
    def csrf(cls, b):
        return b.get("/").html().csrf()

    @classmethod
    def draft(cls, b, subject=SUBJECT):
        fields = [("csrf", cls.csrf(b)), ("module", PQ), ("responder", str(cls.ids["nl"])),
                  ("subject", subject), ("context", CONTEXT), ("person_name", PERSON[0]),
                  ("person_birth_date", PERSON[1]), ("person_nationality", "NL"),
                  ("person_registration", PERSON[2]), ("reply_date", "2027-02-01")]
        fields += [("question", c) for c in cls.codes]
        r = b.post("/requests/new", fields)
        assert r.status == 303, r.describe()
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    @classmethod
    def instance(cls, rid):
        return int(cls.stack.psql("SELECT instance_id FROM requests WHERE id = $1", rid)[0][0])

    @classmethod
    def transitions(cls, b, rid):
        return b.get_xml(f"/requests/{rid}").xml().find("transitions")

    @classmethod
    def fire(cls, b, rid, event, fields=None):
        t = cls.transitions(b, rid)
        data = [("csrf", cls.csrf(b)), ("rev", t.get("rev")), ("next", f"/requests/{rid}")]
        data += list((fields or {}).items())
        return b.post(f"/instances/{t.get('instance')}/fire/{event}", data)

    @classmethod
    def upload(cls, b, rid, event, filename, content):
        t = cls.transitions(b, rid)
        boundary = "----imiflowneedtoknow"
        parts = [("csrf", cls.csrf(b)), ("rev", t.get("rev")), ("next", f"/requests/{rid}")]
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                        .encode() for k, v in parts)
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="document"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n').encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        return b.post_raw(f"/instances/{t.get('instance')}/fire/{event}", body,
                          content_type=f"multipart/form-data; boundary={boundary}")

    def state(self, rid=None):
        return self.stack.psql("SELECT i.state FROM requests r JOIN wf_instances i"
                               " ON i.id = r.instance_id WHERE r.id = $1", rid or self.rid)[0][0]

    def history(self, iid=None):
        return self.stack.psql("SELECT count(*) FROM wf_history WHERE instance_id = $1",
                               iid or self.iid)[0][0]

    # -- what one user sees of the request ---------------------------------------------------

    def addresses(self):
        rid, iid, doc = self.rid, self.iid, self.doc
        return [f"/requests/{rid}", f"/requests/{rid}?tab=questions", f"/requests/{rid}?tab=documents",
                f"/requests/{rid}?tab=log", f"/requests/{rid}?tab=print",
                f"/requests/{rid}?format=xml", f"/requests/{rid}/documents/{doc}",
                f"/instances/{iid}", f"/instances/{iid}?format=xml",
                f"/instances/{iid}/documents/{doc}"]

    def listed(self, b):
        """Where the request shows in the user's lists: /requests, My tasks, /workflows; and
        whether its subject shows in any of them."""
        out = set()
        for path, tag, attr, want in (("/requests", "request", "id", self.rid),
                                      ("/tasks", "task", "request", self.rid),
                                      ("/workflows", "instance", "id", self.iid)):
            r = b.get_xml(path)
            self.assertEqual(r.status, 200, path)
            if str(want) in [e.get(attr) for e in r.root.iter(tag)]:
                out.add(path)
            if SUBJECT in r.text:
                out.add("subject")
        return out

    def assert_sees_nothing(self, who):
        b = self.b[who]
        for path in self.addresses():
            r = b.get(path)
            self.assertEqual(r.status, 404, (who, path, r.status))
            for secret in (SUBJECT, CONTEXT, PERSON[0], PERSON[2], DOCUMENT, ANSWER):
                self.assertNotIn(secret, r.text, (who, path))
        self.assertEqual(self.listed(b), set(), who)

    def assert_sees_all(self, who, tasks=False):
        b = self.b[who]
        for path in self.addresses():
            self.assertEqual(b.get(path).status, 200, (who, path))
        req = b.get_xml(f"/requests/{self.rid}").root.find("request")
        self.assertEqual(req.get("subject"), SUBJECT, who)
        self.assertEqual(req.find("person").get("name"), PERSON[0], who)
        got = b.get(f"/requests/{self.rid}/documents/{self.doc}")
        self.assertEqual(got.body, b"%PDF-1.4 diploma", who)
        # /workflows lists the latest instances of one's own authority (the requester's).
        want = {"/requests", "/workflows", "subject"} if who in ("dk", "dk-viewer", "dk-handler") \
            else {"/requests", "subject"}
        if tasks:
            want.add("/tasks")
        self.assertEqual(self.listed(b), want, who)

    # -- 1. visibility by module role ------------------------------------------------------------

    def test_01_a_draft_is_its_authors_alone(self):
        self.assertEqual(self.state(), "draft")
        self.assertEqual(self.b["dk"].get(f"/requests/{self.rid}").status, 200)
        # Its author's, in My tasks too (to send or submit: issue 16).
        self.assertEqual(self.listed(self.b["dk"]), {"/requests", "/tasks", "/workflows", "subject"})
        # Another Handler of the same authority, a Viewer, the coordinator, the helpdesk: no.
        for who in ("dk-handler", "dk-viewer", "dk-none", "dkc", "nl"):
            self.assert_sees_nothing(who)
        for path in self.addresses():
            self.assertEqual(self.hd.get(path).status, 404, path)

    def test_02_a_role_in_the_module_is_needed_to_see_a_request(self):
        self.assertEqual(self.fire(self.b["dk"], self.rid, "send").status, 303)
        self.assertEqual(self.fire(self.b["nl"], self.rid, "accept").status, 303)
        r = self.b["nl"].post(f"/requests/{self.rid}/answers",
                              {"csrf": self.csrf(self.b["nl"]), f"answer-{self.codes[0]}": ANSWER})
        self.assertEqual(r.status, 303, r.describe())
        self.assertEqual(self.state(), "accepted")
        # A Viewer, a Handler, an Administrator holding the roles; at the requester, at the
        # responder and at the requester's linked coordinator.
        for who in ("dk", "dk-viewer", "dk-handler", "nl-viewer", "dkc-viewer", "dkc"):
            self.assert_sees_all(who)
        self.assert_sees_all("nl", tasks=True)          # the answerer: "answer" in My tasks
        # No role in the module, or a role in another module only: nothing, wherever.
        for who in ("dk-none", "dk-other", "nl-none", "dkc-none", "nlc-none"):
            self.assert_sees_nothing(who)

    def test_03_losing_the_role_hides_the_request(self):
        uid = self.stack.psql("SELECT u.id FROM users u WHERE u.email = 'vera@example.dk'")[0][0]
        self.stack.psql("DELETE FROM user_roles WHERE user_id = $1", uid)
        try:
            self.assert_sees_nothing("dk-viewer")
        finally:
            self.stack.psql("INSERT INTO user_roles (user_id, module, role) VALUES ($1, $2,"
                            " 'viewer')", uid, PQ)
        self.assert_sees_all("dk-viewer")

    # -- 2. the helpdesk is no party -------------------------------------------------------------

    def test_04_the_helpdesk_sees_metadata_only(self):
        self.assertEqual(self.state(), "accepted")
        page = self.hd.get(f"/requests/{self.rid}")
        self.assertEqual(page.status, 200)
        note = page.html().by_id("support-view")
        self.assertIsNotNone(note, page.text[-2000:])
        self.assertIn("support view: metadata only", note.text.lower())
        meta = {dd.get("data-field"): dd.text for dd in page.html().by_id("support-metadata")
                .find_all("dd")}
        self.assertEqual(meta["requester"], "Sundhedsstyrelsen (DK)")
        self.assertEqual(meta["responder"], "BIG-register (NL)")
        self.assertEqual(meta["reply-date"], "1 February 2027")   # in the reader's words
        self.assertIn("state", meta)
        self.assertIn("module", meta)
        model = self.hd.get_xml(f"/requests/{self.rid}")
        self.assertEqual(model.status, 200)
        req = model.root.find("request")
        self.assertEqual(req.get("state"), "accepted")
        for r in (page, model):
            for secret in (SUBJECT, CONTEXT, PERSON[0], PERSON[1], PERSON[2], DOCUMENT, ANSWER):
                self.assertNotIn(secret, r.text)
        # Nor the tabs, documents, instance page, lists.
        for tab in ("questions", "documents", "log", "print"):
            r = self.hd.get(f"/requests/{self.rid}?tab={tab}")
            for secret in (SUBJECT, CONTEXT, PERSON[0], DOCUMENT, ANSWER):
                self.assertNotIn(secret, r.text, tab)
        for path in (f"/requests/{self.rid}/documents/{self.doc}", f"/instances/{self.iid}",
                     f"/instances/{self.iid}?format=xml",
                     f"/instances/{self.iid}/documents/{self.doc}"):
            self.assertEqual(self.hd.get(path).status, 404, path)
        self.assertEqual(self.listed(self.hd), set())

    def test_05_blocked_personal_data_are_disclosed_on_a_recorded_justification(self):
        # Retention's blocking (tested through its timers in test_request_time) set directly.
        self.stack.psql("UPDATE requests SET personal_data_blocked_at = imi_now() WHERE id = $1",
                        self.rid)
        page = self.hd.get(f"/requests/{self.rid}").html()
        self.assertIsNotNone(page.by_id("personal-data-blocked"))
        self.assertIsNotNone(page.by_id("disclose-form"))
        why = "Court order 2027/118 asks for the identity"
        r = self.hd.post(f"/requests/{self.rid}/disclose",
                         {"csrf": self.csrf(self.hd), "justification": why})
        self.assertEqual(r.status, 303)
        page = self.hd.get(f"/requests/{self.rid}")
        person = {dd.get("data-field"): dd.text for dd in page.html().by_id("person").find_all("dd")}
        self.assertEqual(person["name"], PERSON[0])
        self.assertIsNotNone(page.html().by_id("support-view"))
        for secret in (SUBJECT, CONTEXT, DOCUMENT, ANSWER):
            self.assertNotIn(secret, page.text)
        self.assertEqual(self.stack.psql("SELECT justification FROM request_disclosures"
                                         " WHERE request_id = $1", self.rid), [(why,)])
        # ... and in the security log, in the same transaction: who, from where, which request.
        self.assertEqual(self.stack.psql(
            "SELECT l.actor_user_id = u.id, l.address, l.detail FROM security_log l"
            " JOIN request_disclosures d ON d.request_id = $1 JOIN users u ON u.id = d.user_id"
            " WHERE l.kind = 'disclosure'", self.rid),
            [("t", "127.0.0.1", f"request {self.rid}: {why}")])
        # Blocked for the parties all the same.
        self.assertIsNotNone(self.b["dk"].get(f"/requests/{self.rid}").html()
                             .by_id("personal-data-blocked"))
        self.stack.psql("UPDATE requests SET personal_data_blocked_at = NULL WHERE id = $1",
                        self.rid)

    # -- 7. a POST to an instance one may not see ------------------------------------------------

    def test_06_a_post_to_an_unseen_instance_is_404_before_anything_else(self):
        t = self.transitions(self.b["nl"], self.rid)
        rev = t.get("rev")
        n = self.history()
        for who, event, fields in (
                # the guard would refuse it: 403 naming the missing role
                ("dk-none", "refuse", {"reason": "x"}),
                ("nl-none", "answer", {}),
                ("dkc-none", "withdraw", {}),
                # no such event in its state: 409 naming the state
                ("nl-none", "approve", {}),
                # an old revision: 409 "changed meanwhile"
                ("dk-none", "add-information", {"information": "x", "rev": "1"}),
                ("hd", "refuse", {"reason": "x", "rev": "1"})):
            b = self.hd if who == "hd" else self.b[who]
            data = dict({"csrf": self.csrf(b), "rev": rev}, **fields)
            r = b.post(f"/instances/{self.iid}/fire/{event}", data)
            self.assertEqual(r.status, 404, (who, event, r.status))
            for said in ("accepted", "Accepted", "handler", "Handler"):
                self.assertNotIn(said, r.text, (who, event))
        # The request page's own POSTs: answers, disclosure.
        r = self.b["dk-none"].post(f"/requests/{self.rid}/answers",
                                   {"csrf": self.csrf(self.b["dk-none"]),
                                    f"answer-{self.codes[0]}": "overwritten"})
        self.assertEqual(r.status, 404)
        r = self.b["nl-none"].post(f"/requests/{self.rid}/disclose",
                                   {"csrf": self.csrf(self.b["nl-none"]),
                                    "justification": "Court order 2027/118 asks for it"})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.history(), n)
        self.assertEqual(self.state(), "accepted")
        self.assertEqual(self.stack.psql("SELECT answer FROM request_questions rq JOIN requests r"
                                         " ON r.id = rq.request_id WHERE r.id = $1", self.rid),
                         [(ANSWER,)])
        # Who sees it still gets the guard's and the revision's answers.
        r = self.b["dk-viewer"].post(f"/instances/{self.iid}/fire/add-information",
                                     {"csrf": self.csrf(self.b["dk-viewer"]), "rev": rev,
                                      "information": "x"})
        self.assertEqual(r.status, 403)
        r = self.b["nl"].post(f"/instances/{self.iid}/fire/refuse",
                              {"csrf": self.csrf(self.b["nl"]), "rev": "1", "reason": "x"})
        self.assertEqual(r.status, 409)
        self.assertEqual(self.history(), n)

    def test_07_other_workflows_keep_their_own_rule(self):
        """An authority's instance: its own users, the helpdesk, the Access Managers of its
        country see it; another country's authority gets 404 for a POST too."""
        nl_iid = int(self.stack.psql("SELECT instance_id FROM authorities WHERE id = $1",
                                     self.ids["nl"])[0][0])
        n = self.history(nl_iid)
        self.assertEqual(self.hd.get(f"/instances/{nl_iid}").status, 200)
        self.assertEqual(self.b["nl"].get(f"/instances/{nl_iid}").status, 200)
        self.assertEqual(self.b["dk"].get(f"/instances/{nl_iid}").status, 404)
        r = self.b["dk"].post(f"/instances/{nl_iid}/fire/deactivate",
                              {"csrf": self.csrf(self.b["dk"]), "rev": "1"})
        self.assertEqual(r.status, 404)
        # The helpdesk sees it: a stale form is still "changed meanwhile".
        r = self.hd.post(f"/instances/{nl_iid}/fire/deactivate",
                         {"csrf": self.csrf(self.hd), "rev": "1"})
        self.assertEqual(r.status, 409)
        self.assertEqual(self.history(nl_iid), n)


if __name__ == "__main__":
    tap.main()
