#!/usr/bin/python3
"""test_retention_personal.py -- retention covers every personal datum of an information request
(Regulation 1024/2012 art. 14; issue 12, point 5), on the real stack:

* a question set marks the questions whose answers are personal data (personal="true"; the
  schema knows the attribute, deploy stores it);
* the subject and the free texts of a request are personal data unless its author ticked that
  they hold none;
* six months after closure blocking hides all of them -- the person, the personal answers, the
  subject and context (unless ticked), the free texts typed along the way (a follow-up
  question), the documents -- from both sides, in the list, its text search, the request page,
  its print view, ?format=xml and the generic instance page; a mail still queued in the
  outbox is delivered without them;
* the justification a helpdesk Administrator gives to read blocked data is in the request's
  Log tab for everyone who sees it (who, when, why);
* three years after closure deletion removes them from the database: the request's row, the
  answers, the history's inputs, the instance's data and the outbox."""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from browser import Browser  # noqa: E402
from people import PASSWORD, first_sign_in  # noqa: E402
from stack import DATADIR, Stack, mail_text  # noqa: E402

PQ = "pq-requests"
NAME = "Jan Jansen"
# Every personal datum of the first request, each a string that appears nowhere else.
SECRETS = (NAME, "Amsterdam UMC", "1980-04-01", "BIG-123", "BIG-19023344", "2011-09-15",
           "still on the Rotterdam ward", "jansen-diploma.pdf")
WHY = "Court order 2027/118 asks for the identity"


class RetentionPersonalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.users, cls.browsers, cls.renewals = {}, {}, 0
        hd_user = s.bootstrap(country="BE")
        cls.users["hd"] = (hd_user, PASSWORD)
        hd = cls.browsers["hd"] = first_sign_in(s, hd_user, "helpdesk@imiflow.invalid")
        cls.ids = {}
        for who, name, country, first in (
                ("dk_coord", "DK Koordinator", "DK", "Carl"),
                ("dk", "Sundhedsstyrelsen", "DK", "Mette"),
                ("nl_coord", "NL Coordinator", "NL", "Eva"),
                ("nl", "BIG-register", "NL", "Sanne")):
            cls.ids[who], username = authorities.register(hd, name, country, first)
            cls.users[who] = (username, PASSWORD)
        authorities.grant(hd, cls.ids["dk_coord"], PQ, "coordinator")
        authorities.grant(hd, cls.ids["nl_coord"], PQ, "coordinator")
        authorities.grant(hd, cls.ids["dk"], PQ, "authority", [cls.ids["dk_coord"]])
        authorities.grant(hd, cls.ids["nl"], PQ, "authority", [cls.ids["nl_coord"]])
        for who, email in (("dk", "mette@example.dk"), ("nl", "sanne@example.nl")):
            cls.browsers[who] = first_sign_in(s, cls.users[who][0], email)

    # -- people and the clock (as test_request_time.py) ------------------------------------

    def b(self, who):
        """A Browser of who, signed in now (the clock moving ends sessions and passwords)."""
        cls = type(self)
        if who in cls.browsers:
            return cls.browsers[who]
        username, password = cls.users[who]
        b = Browser(self.stack.url)
        b.get("/login")
        r = b.post("/login", {"username": username, "password": password,
                              "csrf": b.cookie("imiflow_login")})
        if r.status == 303 and r.location_path == "/password":
            cls.renewals += 1
            new = f"Renewed{cls.renewals}pass"
            page = b.get("/password")
            r = b.post("/password", {"current": password, "new": new, "confirm": new,
                                     "csrf": page.html().csrf()})
            cls.users[who] = (username, new)
        self.assertEqual(r.status, 303, f"sign-in of {who}: {r.status} {r.location_path}")
        cls.browsers[who] = b
        return b

    def set_now(self, expr, *params):
        """Moves the business clock to expr and fires the timers that fell due."""
        s = self.stack
        s.psql(f"UPDATE clock SET offset_interval = ({expr}) - now()", *params)
        type(self).browsers = {}
        s.run_imiflow("worker", "--once")
        deadline = time.monotonic() + 20
        while s.psql("SELECT count(*) FROM wf_timers WHERE fired_at IS NULL AND cancelled_at"
                     " IS NULL AND due_at <= imi_now()")[0][0] != "0":
            self.assertLess(time.monotonic(), deadline, "timers left unfired")
            time.sleep(0.1)

    # -- requests through the pages --------------------------------------------------------

    def csrf(self, who):
        return self.b(who).get("/").html().csrf()

    def model(self, who, rid, query=""):
        r = self.b(who).get_xml(f"/requests/{rid}{query}")
        self.assertEqual(r.status, 200)
        return r.xml()

    def fire(self, who, rid, event, fields=None):
        t = self.model(who, rid).find("transitions")
        data = {"csrf": self.csrf(who), "rev": t.get("rev"), "next": f"/requests/{rid}"}
        data.update(fields or {})
        r = self.b(who).post(f"/instances/{t.get('instance')}/fire/{event}", data)
        self.assertEqual(r.status, 303, f"{who} {event} on {rid}: {r.text[-800:]}")

    def upload(self, who, rid, event, filename):
        t = self.model(who, rid).find("transitions")
        boundary = "----imiflowretention3a9"
        parts = [("csrf", self.csrf(who)), ("rev", t.get("rev")), ("next", f"/requests/{rid}")]
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                        f'{v}\r\n'.encode() for k, v in parts)
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="document"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n'
                 f'--{boundary}--\r\n').encode()
        r = self.b(who).post_raw(f"/instances/{t.get('instance')}/fire/{event}", body,
                                 content_type=f"multipart/form-data; boundary={boundary}")
        self.assertEqual(r.status, 303, r.text[-800:])

    def request(self, subject, context, tick):
        """A request sent by DK, answered by NL (one personal answer, one not), asked a
        follow-up question, answered again and closed with a rating; its id."""
        fields = [("csrf", self.csrf("dk")), ("module", PQ), ("responder", str(self.ids["nl"])),
                  ("subject", subject), ("context", context), ("person_name", NAME),
                  ("person_birth_date", "1980-04-01"), ("person_nationality", "NL"),
                  ("person_registration", "BIG-123"), ("reply_date", "2030-01-15"),
                  ("question", "registration-number"), ("question", "registration-date"),
                  ("question", "holds-diploma")]
        if tick:
            fields.append(("no_personal_texts", "1"))
        r = self.b("dk").post("/requests/new", fields)
        self.assertEqual(r.status, 303, r.text[-1500:])
        rid = int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))
        self.upload("dk", rid, "attach", "jansen-diploma.pdf")
        self.fire("dk", rid, "send")
        self.fire("nl", rid, "accept")
        r = self.b("nl").post(f"/requests/{rid}/answers", {
            "csrf": self.csrf("nl"), "answer-registration-number": "BIG-19023344",
            "answer-registration-date": "2011-09-15", "answer-holds-diploma": "yes"})
        self.assertEqual(r.status, 303, r.text[-800:])
        self.fire("nl", rid, "answer")
        self.fire("dk", rid, "follow-up", {"question": f"Is {NAME} still on the Rotterdam ward?",
                                           "reply-date": "2030-02-01"})
        self.fire("nl", rid, "answer")
        return rid

    def instance(self, rid):
        return self.stack.psql("SELECT instance_id FROM requests WHERE id = $1", rid)[0][0]

    def views(self, who, rid):
        """Everything who reads of request rid and the lists: (where, text)."""
        b = self.b(who)
        out = [(p, b.get(p).text) for p in (
            f"/requests/{rid}", f"/requests/{rid}?tab=print", f"/requests/{rid}?tab=log",
            f"/requests/{rid}?tab=questions", f"/requests/{rid}?tab=documents",
            f"/instances/{self.instance(rid)}", "/requests", "/tasks")]
        out += [(p + " xml", b.get_xml(p).text) for p in (f"/requests/{rid}", "/requests",
                                                           f"/instances/{self.instance(rid)}")]
        return out

    def assert_hidden(self, who, rid, secrets=SECRETS):
        for where, text in self.views(who, rid):
            for secret in secrets:
                self.assertNotIn(secret, text, (who, where))

    def answers(self, who, rid):
        q = self.model(who, rid).find("request").find("questions")
        return {x.get("code"): ("hidden" if x.get("hidden") else x.find("answer").text or "")
                for x in q}

    def outbox(self, rid):
        return self.stack.psql("SELECT subject || ' ' || body FROM outbox WHERE instance_id = $1",
                               self.instance(rid))

    # -- the tests ---------------------------------------------------------------------------

    def test_01_a_question_set_marks_the_answers_that_are_personal_data(self):
        rows = dict(self.stack.psql("SELECT code, personal::text FROM questions"
                                    " WHERE module = $1", PQ))
        self.assertEqual(rows["registration-number"], "true")
        self.assertEqual(rows["registration-date"], "true")
        self.assertEqual(rows["holds-diploma"], "false")
        rows = dict(self.stack.psql("SELECT code, personal::text FROM questions"
                                    " WHERE module = 'services-requests'"))
        self.assertEqual(rows["registration-number"], "true")
        # The schema knows the attribute and only true or false.
        src = (DATADIR / "workflows" / "questions" / f"{PQ}.xml").read_text(encoding="utf-8")
        bad = src.replace('type="text" personal="true"', 'type="text" personal="yes"', 1)
        self.assertNotEqual(bad, src)
        path = self.stack.dir / "bad-questions.xml"
        path.write_text(bad, encoding="utf-8")
        os.chmod(path, 0o644)
        r = self.stack.run_imiflow("lint", str(path), check=False)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("personal", r.stdout + r.stderr)
        self.assertEqual(self.stack.run_imiflow("lint", str(DATADIR / "workflows" / "questions" /
                                                            f"{PQ}.xml")).returncode, 0)

    def test_02_blocking_hides_and_deletion_removes_every_personal_datum(self):
        cls = type(self)
        personal = self.request(f"{NAME}, nurse: recognition", f"{NAME} worked at Amsterdam UMC.",
                                tick=False)
        plain = self.request("Diploma check 2027-118", "A routine check of a diploma.", tick=True)
        self.fire("dk", plain, "close", {"timeliness": "satisfied", "effort": "satisfied"})
        # The mail server is down when the first one closes: its mail stays queued.
        self.stack.stop_sink()
        try:
            self.fire("dk", personal, "close", {"timeliness": "satisfied",
                                                "effort": "not-satisfied"})
            queued = self.stack.psql(
                "SELECT id FROM outbox WHERE instance_id = $1 AND sent_at IS NULL", self.instance(
                    personal))
            self.assertEqual(len(queued), 1)
            self.assertIn(NAME, self.stack.psql("SELECT subject || body FROM outbox WHERE id = $1",
                                                queued[0][0])[0][0])
            # Before blocking both sides read everything.
            for who in ("dk", "nl"):
                self.assertIn(NAME, self.b(who).get("/requests").text)
                self.assertEqual(self.answers(who, personal)["registration-number"],
                                 "BIG-19023344")

            closed = "(SELECT max(closed_at) FROM requests WHERE id IN ($1, $2))"
            self.set_now(closed + " + interval '6 months' + interval '2 days'", personal, plain)
            self.assertEqual(self.stack.psql(
                "SELECT i.state FROM requests r JOIN wf_instances i ON i.id = r.instance_id"
                " WHERE r.id IN ($1, $2)", personal, plain), [("closed-blocked",)] * 2)
            # Blocked: hidden from both sides everywhere, kept in the database.
            for who in ("dk", "nl"):
                self.assert_hidden(who, personal)
                self.assertEqual(self.answers(who, personal),
                                 {"registration-number": "hidden", "registration-date": "hidden",
                                  "holds-diploma": "yes"})
                req = self.model(who, personal).find("request")
                self.assertEqual((req.get("subject"), req.get("texts-hidden")), ("", "true"))
                self.assertIsNone(req.find("context"))
                # Searching for the name finds nothing: the hidden texts are not searched.
                lst = self.b(who).get_xml("/requests?q=Jansen").xml().find("requests")
                self.assertEqual(lst.get("total"), "0")
                row = [r for r in self.b(who).get_xml("/requests").xml().find("requests")
                       if r.get("id") == str(personal)][0]
                self.assertEqual((row.text or "", row.get("texts-hidden")), ("", "true"))
                # The ticked one keeps its subject and context; its personal answers go.
                req = self.model(who, plain).find("request")
                self.assertEqual(req.get("subject"), "Diploma check 2027-118")
                self.assertEqual(req.find("context").text, "A routine check of a diploma.")
                self.assertEqual(self.answers(who, plain)["registration-number"], "hidden")
                self.assertIn("Diploma check 2027-118", self.b(who).get("/requests").text)
            self.assertEqual(self.stack.psql("SELECT person_name FROM requests WHERE id = $1",
                                             personal), [(NAME,)])
            # The queued mail lost them before it went out; so did the ones delivered earlier.
            for (text,) in self.outbox(personal):
                for secret in SECRETS:
                    self.assertNotIn(secret, text)
            self.assertIn("***", self.stack.psql("SELECT subject FROM outbox WHERE id = $1",
                                                 queued[0][0])[0][0])
        finally:
            self.stack.restart_sink()
        before = {m.path for m in self.stack.mails()}
        self.stack.psql("UPDATE outbox SET next_attempt_at = now() WHERE id = $1", queued[0][0])
        self.stack.run_imiflow("worker", "--once")
        mail = self.stack.wait_mail(lambda m: m.path not in before and
                                    f"/requests/{personal}\n" in mail_text(m) + "\n")
        for secret in SECRETS:
            self.assertNotIn(secret, mail_text(mail) + str(mail["Subject"]))

        # A helpdesk Administrator reads them after recording why; the log shows it to all.
        r = self.b("hd").post(f"/requests/{personal}/disclose",
                              {"csrf": self.csrf("hd"), "justification": WHY})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.model("hd", personal).find("request").find("person").get("name"),
                         NAME)
        hd_name = self.stack.psql("SELECT first_name || ' ' || last_name FROM users"
                                  " WHERE username = $1", cls.users["hd"][0])[0][0]
        for who in ("dk", "nl"):
            self.assert_hidden(who, personal)
            rows = self.b(who).get(f"/requests/{personal}?tab=log").html().by_id("log") \
                .find_all("tr", **{"data-event": "disclose"})
            self.assertEqual(len(rows), 1, who)
            self.assertIn(WHY, rows[0].text)
            self.assertIn(hd_name, rows[0].text)
            entry = [e for e in self.model(who, personal).find("request").find("log")
                     if e.get("event") == "disclose"][0]
            self.assertEqual((entry.text, entry.get("user")), (WHY, hd_name))
            self.assertRegex(entry.get("at"), r"^\d{4}-\d\d-\d\d \d\d:\d\d$")

        # Deleted three years after closure: gone from the database, the rest stays.
        self.set_now(closed + " + interval '3 years' + interval '7 days'", personal, plain)
        self.assertEqual(self.stack.psql(
            "SELECT i.state FROM requests r JOIN wf_instances i ON i.id = r.instance_id"
            " WHERE r.id IN ($1, $2)", personal, plain), [("archived",)] * 2)
        self.assertEqual(self.stack.psql(
            "SELECT subject, context, person_name, person_registration FROM requests"
            " WHERE id IN ($1, $2) ORDER BY id", personal, plain),
            [("", "", None, None),
             ("Diploma check 2027-118", "A routine check of a diploma.", None, None)])
        self.assertEqual(self.stack.psql(
            "SELECT code, answer FROM request_questions WHERE request_id = $1 ORDER BY position",
            personal), [("registration-number", None), ("registration-date", None),
                        ("holds-diploma", "yes")])
        iid = self.instance(personal)
        dump = self.stack.psql(
            "SELECT (SELECT string_agg(inputs::text, ' ') FROM wf_history WHERE instance_id = $1)"
            " || (SELECT data::text FROM wf_instances WHERE id = $1)"
            " || coalesce((SELECT string_agg(subject || body, ' ') FROM outbox"
            "              WHERE instance_id = $1), '')"
            " || (SELECT count(*) FROM wf_documents WHERE instance_id = $1)::text", iid)[0][0]
        for secret in SECRETS:
            self.assertNotIn(secret, dump)
        # The history stays, every row, in order; the disclosure too.
        events = [e for (e,) in self.stack.psql(
            "SELECT event FROM wf_history WHERE instance_id = $1 ORDER BY seq", iid)]
        self.assertEqual(events[:4], ["start", "attach", "send", "accept"])
        self.assertEqual(events[-3:], ["close", "block-personal-data", "delete-personal-data"])
        for who in ("dk", "nl", "hd"):
            self.assert_hidden(who, personal)
        self.assertEqual(self.answers("dk", personal)["holds-diploma"], "yes")
        log = self.b("dk").get(f"/requests/{personal}?tab=log").text
        self.assertIn(WHY, log)
        # The history itself stays append-only for everything else.
        with self.assertRaises(Exception):
            self.stack.psql("UPDATE wf_history SET inputs = '{}' WHERE instance_id = $1", iid)


if __name__ == "__main__":
    tap.main()
