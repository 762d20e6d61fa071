#!/usr/bin/python3
"""test_requests.py -- information requests through the pages (issue "Information requests",
first part): a Handler drafts a request with chosen questions of the module's question set and
sends it; where the requester's access requires approval, an Approver of its linked
coordinator approves it from the approval link in the mail; the responder accepts (proposing
another date), answers every question in its type, and the requester closes it with a rating;
wrong roles and parties are refused with a 403 that writes nothing."""

import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from browser import Browser  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import DATADIR, Stack, mail_text  # noqa: E402

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
        # A third country, whose user reads mail in Romanian: forward and split go there.
        cls.ro_coord, _ = cls.register(hd, "RO Coordonator", "RO", "Ion", "Popa")
        cls.ro, ro_user = cls.register(hd, "Ministerul Educației", "RO", "Ana", "Ionescu",
                                       language="ro")
        cls.grant(hd, cls.ro_coord, role="coordinator")
        cls.grant(hd, cls.ro, coordinators=[cls.ro_coord])
        cls.ro_b = first_sign_in(s, ro_user, "ana@example.ro")
        cls.codes = [c for (c,) in s.psql("SELECT code FROM questions WHERE module = $1"
                                          " ORDER BY position LIMIT 3", MODULE)]

    @classmethod
    def register(cls, b, name, country, first, last, language="en"):
        return authorities.register(b, name, country, first, last, language)

    @classmethod
    def grant(cls, b, aid, role="authority", coordinators=(), **settings):
        authorities.grant(b, aid, MODULE, role, coordinators, **settings)

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
        data = [("csrf", self.csrf(b)), ("rev", t.get("rev")), ("next", f"/requests/{rid}")]
        # A dict, or a list of pairs where a name repeats (the questions of a split).
        data += list(fields.items()) if isinstance(fields, dict) else list(fields or [])
        return b.post(f"/instances/{t.get('instance')}/fire/{event}", data)

    def events(self, b, rid):
        t = self.model(b, rid).find("transitions")
        return sorted(x.get("event") for x in t) if t is not None else []

    def test_01_draft_send_accept_answer_close(self):
        rid = self.draft(self.dk_b)
        self.assertEqual(self.state(rid), "draft")
        m = self.model(self.dk_b, rid)
        self.assertEqual([q.get("code") for q in m.find("request").find("questions")], self.codes)
        self.assertEqual(self.events(self.dk_b, rid), ["attach", "delete", "edit", "send"])
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
            self.assertEqual(self.events(self.dk_b, rid), ["attach", "delete", "edit", "submit"])
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

    def history(self, rid):
        return self.stack.psql("SELECT h.event FROM wf_history h JOIN requests r"
                               " ON r.instance_id = h.instance_id WHERE r.id = $1 ORDER BY seq", rid)

    def upload(self, b, rid, event, filename, content, fields=()):
        """Fires event with a file in "document", as the browser's multipart form does."""
        m = self.model(b, rid)
        t = m.find("transitions")
        boundary = "----imiflowrequest5d2e"
        parts = [("csrf", self.csrf(b)), ("rev", t.get("rev")), ("next", f"/requests/{rid}")]
        parts += list(fields)
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                        .encode() for k, v in parts)
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="document"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n').encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        return b.post_raw(f"/instances/{t.get('instance')}/fire/{event}", body,
                          content_type=f"multipart/form-data; boundary={boundary}")

    def test_04_forward_mails_the_new_responder_in_its_language(self):
        rid = self.draft(self.dk_b, subject="Forwarded diploma")
        self.assertEqual(self.fire(self.dk_b, rid, "send").status, 303)
        # An authority that cannot answer (the requester itself): the request page again with
        # the error at the field (422), nothing written.
        n = len(self.history(rid))
        r = self.fire(self.nl_b, rid, "forward", {"authority": str(self.dk)})
        self.assertEqual(r.status, 422, r.text[-800:])
        page = r.html()
        err = page.find("p", **{"data-input": "authority"})
        self.assertIsNotNone(err, r.text[-2000:])
        self.assertEqual(err.get("data-rule"), "responder")
        self.assertIsNotNone(page.by_id("request-state"))
        self.assertEqual(len(self.history(rid)), n)
        self.assertEqual(self.state(rid), "sent")
        before = {x.path for x in self.stack.mails()}
        r = self.fire(self.nl_b, rid, "forward", {"authority": str(self.ro), "reason": "Trained there"})
        self.assertEqual(r.status, 303, r.text[-800:])
        req = self.model(self.ro_b, rid).find("request")
        self.assertEqual(req.get("responder-id"), str(self.ro))
        # The old responder no longer sees it; the new one may accept it.
        self.assertEqual(self.nl_b.get(f"/requests/{rid}").status, 404)
        self.assertIn("accept", self.events(self.ro_b, rid))
        # The new responder's Handler reads the mail in Romanian, questions in Romanian.
        msg = self.stack.wait_mail(lambda x: x.path not in before and "ana@example.ro" in x["To"])
        text = mail_text(msg)
        self.assertIn("Stimate/Stimată", text)
        self.assertIn("Redirecționează către altă autoritate", text)
        labels_ro = [l for (l,) in self.stack.psql(
            "SELECT q.labels->>'ro' FROM requests r JOIN request_questions rq ON rq.request_id = r.id"
            " JOIN questions q ON q.module = r.module AND q.code = rq.code WHERE r.id = $1"
            " ORDER BY rq.position", rid)]
        for label in labels_ro:
            self.assertIn(label, text)
        self.assertIn(f"/requests/{rid}", text)
        self.assertNotIn("Jan Jansen", text)  # personal data stay on the pages
        # The requester is told too; the Log tab keeps every holder.
        self.stack.wait_mail(lambda x: x.path not in before and "mette@example.dk" in x["To"])
        log = self.dk_b.get(f"/requests/{rid}?tab=log").html()
        rows = [tr.text for tr in log.by_id("log").find_all("tr") if tr.get("data-event") == "forward"]
        self.assertEqual(len(rows), 1)
        self.assertIn("Ministerul Educației (RO)", rows[0])

    def test_05_split_through_the_page_moves_questions(self):
        rid = self.draft(self.dk_b, subject="Split diploma")
        self.fire(self.dk_b, rid, "send")
        self.fire(self.nl_b, rid, "accept")
        page = self.nl_b.get(f"/requests/{rid}?tab=questions").html()
        form = page.by_id("split-form")
        self.assertIsNotNone(form)
        inst = self.model(self.nl_b, rid).find("transitions").get("instance")
        self.assertEqual(form.get("action"), f"/instances/{inst}/fire/split")
        n = len(self.history(rid))
        # No question chosen, or every one: the form again with the error, nothing written.
        for chosen, rule in (([], "split-none"), (self.codes, "split-all")):
            r = self.fire(self.nl_b, rid, "split", [("authority", str(self.ro))] +
                          [("question", c) for c in chosen])
            self.assertEqual(r.status, 422, (chosen, r.status, r.location, r.text[-800:]))
            err = r.html().find("p", **{"data-input": "question"})
            self.assertEqual(err.get("data-rule"), rule)
            self.assertEqual(len(self.history(rid)), n)
            self.assertEqual(self.stack.psql("SELECT count(*) FROM requests WHERE parent_id = $1",
                                             rid), [("0",)])
        # From the generic instance page (no questions there): its form says what is missing.
        t = self.model(self.nl_b, rid).find("transitions")
        r = self.nl_b.post(f"/instances/{inst}/fire/split", [
            ("csrf", self.csrf(self.nl_b)), ("rev", t.get("rev")), ("authority", str(self.ro))])
        self.assertEqual(r.status, 422)
        err = r.html().by_id("fire-split").find("p", **{"data-input": "question"})
        self.assertEqual(err.get("data-rule"), "split-none")
        self.assertEqual(len(self.history(rid)), n)
        r = self.fire(self.nl_b, rid, "split", [("authority", str(self.ro)),
                                                ("question", self.codes[0])])
        self.assertEqual(r.status, 303, r.text[-800:])
        child = int(self.stack.psql("SELECT id FROM requests WHERE parent_id = $1", rid)[0][0])
        self.assertEqual(self.state(child), "sent")
        left = [q.get("code") for q in self.model(self.dk_b, rid).find("request").find("questions")]
        moved = [q.get("code") for q in self.model(self.ro_b, child).find("request").find("questions")]
        self.assertEqual((left, moved), (self.codes[1:], self.codes[:1]))
        # Each shows the other.
        self.assertEqual([x.get("relation") for x in self.model(self.dk_b, rid).find("request")
                          .findall("related")], ["child"])
        self.assertEqual([x.get("relation") for x in self.model(self.ro_b, child).find("request")
                          .findall("related")], ["parent"])

    def test_06_documents_tabs_log_and_print_view(self):
        rid = self.draft(self.dk_b, subject="With a diploma copy")
        content = b"%PDF-1.4 diploma " + bytes(range(256))
        r = self.upload(self.dk_b, rid, "attach", "diploma.pdf", content)
        self.assertEqual(r.status, 303, r.text[-800:])
        page = self.dk_b.get(f"/requests/{rid}?tab=documents").html()
        self.assertIn("open", page.by_id("panel-documents").get("class"))
        link = page.by_id("documents").find("a")
        self.assertEqual(link.text.strip(), "diploma.pdf")
        # The responder reads it once the request is sent, from the request's own URL.
        self.assertEqual(self.nl_b.get(link.get("href")).status, 404)
        self.fire(self.dk_b, rid, "send")
        got = self.nl_b.get(link.get("href"))
        self.assertEqual((got.status, got.body), (200, content))
        self.assertIn("attachment", got.header("Content-Disposition"))
        # Log: who did what; print view: every panel, no form.
        log = self.nl_b.get(f"/requests/{rid}?tab=log").html().by_id("log")
        self.assertEqual([tr.get("data-event") for tr in log.find_all("tr") if tr.get("data-event")],
                         ["start", "attach", "send"])
        printed = self.nl_b.get(f"/requests/{rid}?tab=print").html()
        self.assertEqual([f.get("action") for f in printed.find_all("form")], ["/logout"])
        for panel in ("request", "questions", "documents", "log"):
            self.assertIn("open", printed.by_id(f"panel-{panel}").get("class"))
        self.assertIsNone(printed.by_id("fire-accept"))

    def test_07_reply_reminder_follows_the_agreed_date(self):
        rid = self.draft(self.dk_b, subject="Reminder diploma")
        self.fire(self.dk_b, rid, "send")
        # Another date needs its reason.
        r = self.fire(self.nl_b, rid, "accept", {"proposed-date": "2027-06-10"})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.html().find("p", **{"data-input": "reason"}).get("data-rule"), "required")
        self.assertEqual(self.state(rid), "sent")
        r = self.fire(self.nl_b, rid, "accept", {"proposed-date": "2027-06-10", "reason": "Archive"})
        self.assertEqual(r.status, 303)
        due = self.stack.psql("SELECT to_char(t.due_at, 'YYYY-MM-DD') FROM wf_timers t JOIN requests r"
                              " ON r.instance_id = t.instance_id WHERE r.id = $1"
                              " AND t.name = 'reply-reminder' AND t.cancelled_at IS NULL", rid)
        self.assertEqual(due, [("2027-06-08",)])
        # Asking for information leaves "accepted" (its reminder ends); the answer brings it back.
        self.fire(self.nl_b, rid, "ask-information", {"question": "Which year?"})
        self.fire(self.dk_b, rid, "provide-information", {"information": "2001"})
        due = self.stack.psql("SELECT count(*) FROM wf_timers t JOIN requests r"
                              " ON r.instance_id = t.instance_id WHERE r.id = $1"
                              " AND t.name = 'reply-reminder' AND t.cancelled_at IS NULL"
                              " AND t.fired_at IS NULL AND t.due_at::date = '2027-06-08'", rid)
        self.assertEqual(due, [("1",)])

    def test_08_a_question_removed_from_its_set_stays_on_old_requests(self):
        rid = self.draft(self.dk_b, subject="Before the new question set")
        code = self.codes[0]
        label = self.stack.psql("SELECT labels->>'en' FROM questions WHERE module = $1 AND code = $2",
                                MODULE, code)[0][0]
        src = DATADIR / "workflows" / "questions" / f"{MODULE}.xml"
        changed = re.sub(r'\s*<question code="%s".*?</question>' % re.escape(code), "",
                         src.read_text(encoding="utf-8"), count=1, flags=re.S)
        self.assertNotIn(f'code="{code}"', changed)
        tmp = tempfile.mkdtemp()
        try:
            os.chmod(tmp, 0o755)
            path = os.path.join(tmp, f"{MODULE}.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(changed)
            os.chmod(path, 0o644)
            self.stack.run_imiflow("deploy", path)
            # The old request keeps the question's label and type.
            q = [x for x in self.model(self.dk_b, rid).find("request").find("questions")
                 if x.get("code") == code]
            self.assertEqual(q[0].get("label"), label)
            # A new draft no longer offers it, and refuses it if posted.
            form = self.dk_b.get_xml(f"/requests/new?module={MODULE}").xml()
            self.assertNotIn(code, [x.get("code") for x in form.find("questions")])
            r = self.dk_b.post("/requests/new", [
                ("csrf", self.csrf(self.dk_b)), ("module", MODULE), ("responder", str(self.nl)),
                ("subject", "After"), ("reply_date", "2027-02-01"), ("question", code)])
            self.assertEqual(r.status, 400)
        finally:
            self.stack.run_imiflow("deploy", str(src))
            shutil.rmtree(tmp)
        self.assertEqual(self.stack.psql("SELECT retired FROM questions WHERE module = $1"
                                         " AND code = $2", MODULE, code), [("f",)])


if __name__ == "__main__":
    tap.main()
