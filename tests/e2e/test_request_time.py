#!/usr/bin/python3
"""test_request_time.py -- information requests over time, through the pages, on the real stack
(issue "Information requests", the parts that need the business clock to move):

* timers: the reminder to accept after 7 days (to the responder's Handlers, or its Allocators
  when allocation is on), the reminder two days before the agreed reply date, overdue requests
  flagged in the lists (/requests, its overdue filter, /tasks);
* a suspended access finishes its ongoing requests but sends and receives no new ones; a
  deactivated authority cannot be chosen;
* retention (Regulation 1024/2012 art. 14): personal data blocked six months after closure
  (hidden from everyone, disclosed to a helpdesk Administrator on a recorded justification),
  deleted three years after closure, whether the request closed with a rating, by accepting a
  refusal or by a coordinator closing a referral;
* the scoreboard: figures and colours per authority and per country from a known history.

The clock only moves forward (the history must stay in order), so the tests run in their
numbered order on one stack; sessions end when it moves (business time), so browsers are
signed in again on demand, renewing the passwords that expired meanwhile."""

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
from stack import Stack, mail_text  # noqa: E402

PQ = "pq-requests"              # timers, suspension, retention
SV = "services-requests"        # the scoreboard's module: nothing else happens in it


class RequestTimeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.users = {}          # who -> (username, current password)
        cls.browsers = {}       # who -> a Browser signed in at the current business time
        cls.renewals = 0
        hd_user = s.bootstrap(country="BE")
        cls.users["hd"] = (hd_user, PASSWORD)
        hd = cls.browsers["hd"] = first_sign_in(s, hd_user, "helpdesk@imiflow.invalid")
        cls.ids = {}
        for who, name, country, first in (
                ("dk_coord", "DK Koordinator", "DK", "Carl"),
                ("dk", "Sundhedsstyrelsen", "DK", "Mette"),
                ("nl_coord", "NL Coordinator", "NL", "Eva"),
                ("nl", "BIG-register", "NL", "Sanne"),
                ("nl2", "DUO Erkenning", "NL", "Joost"),
                ("nl3", "Kamer van Koophandel", "NL", "Pieter"),
                ("nl4", "Opgeheven Dienst", "NL", "Lotte")):
            cls.ids[who], cls.users[who] = cls.register(hd, name, country, first)
        cls.grant(hd, "dk_coord", PQ, role="coordinator")
        cls.grant(hd, "nl_coord", PQ, role="coordinator")
        cls.grant(hd, "dk", PQ, coordinators=["dk_coord"])
        cls.grant(hd, "nl", PQ, coordinators=["nl_coord"], right_to_refuse=True)
        cls.grant(hd, "nl2", PQ, coordinators=["nl_coord"], allocation=True)
        cls.grant(hd, "nl3", PQ, coordinators=["nl_coord"])
        cls.grant(hd, "nl4", PQ, coordinators=["nl_coord"])
        cls.grant(hd, "dk_coord", SV, role="coordinator")
        cls.grant(hd, "nl_coord", SV, role="coordinator")
        for who in ("dk", "nl", "nl2"):
            cls.grant(hd, who, SV, coordinators=[who[:2] + "_coord"])
        for who, email in (("dk", "mette@example.dk"), ("nl", "sanne@example.nl"),
                           ("nl2", "joost@example.nl"), ("nl3", "pieter@example.nl"),
                           ("dk_coord", "carl@example.dk"), ("nl_coord", "eva@example.nl")):
            cls.browsers[who] = first_sign_in(s, cls.users[who][0], email)
        # A Handler who is not an Allocator, at a responder without and one with allocation.
        cls.add_handler("nl", "Hans", "hans@example.nl")
        cls.add_handler("nl2", "Henk", "henk@example.nl")
        cls.question = {m: s.psql("SELECT code FROM questions WHERE module = $1 AND type = 'text'"
                                  " ORDER BY position LIMIT 1", m)[0][0] for m in (PQ, SV)}

    # -- fixtures through the pages ------------------------------------------------------

    @classmethod
    def register(cls, b, name, country, first):
        aid, username = authorities.register(b, name, country, first)
        return aid, (username, PASSWORD)

    @classmethod
    def grant(cls, b, who, module, role="authority", coordinators=(), **settings):
        authorities.grant(b, cls.ids[who], module, role, [cls.ids[c] for c in coordinators],
                          **settings)

    @classmethod
    def add_handler(cls, who, first, email):
        b = cls.browsers[who]
        r = b.post(f"/authorities/{cls.ids[who]}/users/new", [
            ("csrf", b.get("/").html().csrf()), ("first_name", first), ("last_name", "Test"),
            ("user_email", email), ("language", "en"), ("phone", "+31 1"), ("username", ""),
            ("action", "save"), ("role", f"{PQ}:viewer"), ("role", f"{PQ}:handler")])
        assert r.status == 200, r.text[-1000:]

    # -- the business clock ----------------------------------------------------------------

    @classmethod
    def set_now(cls, expr, *params):
        """Moves the business clock so that imi_now() is the SQL timestamp expr (never back),
        fires what fell due (`worker --once`, as test_authorities does) and waits until every
        due timer has fired and every mail reached the sink."""
        s = cls.stack
        back = s.psql(f"SELECT ({expr}) < imi_now()", *params)[0][0]
        assert back == "f", "the clock only moves forward"
        s.psql(f"UPDATE clock SET offset_interval = ({expr}) - now()", *params)
        cls.browsers = {}
        s.run_imiflow("worker", "--once")
        cls.settle()

    @classmethod
    def days_later(cls, days):
        cls.set_now("imi_now() + make_interval(days => $1::int)", days)

    @classmethod
    def settle(cls, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            due, unsent = cls.stack.psql(
                "SELECT (SELECT count(*) FROM wf_timers WHERE fired_at IS NULL AND cancelled_at"
                " IS NULL AND due_at <= imi_now()), (SELECT count(*) FROM outbox"
                " WHERE sent_at IS NULL AND failed_at IS NULL)")[0]
            if due == "0" and unsent == "0":
                return
            assert time.monotonic() < deadline, f"{due} timers due, {unsent} mails unsent"
            time.sleep(0.1)

    def today(self, days=0):
        """The business date `days` from now, as the database sees it."""
        return self.stack.psql("SELECT to_char(imi_now()::date + $1::int, 'YYYY-MM-DD')",
                               days)[0][0]

    def b(self, who):
        """A Browser of `who`, signed in now; a password that expired while the clock moved
        is changed, as its holder would be made to."""
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

    # -- requests through the pages --------------------------------------------------------

    def csrf(self, b):
        return b.get("/").html().csrf()

    def draft(self, who, to, module=PQ, reply_in=30, subject="Diploma of Dr. Jansen", expect=303):
        b = self.b(who)
        r = b.post("/requests/new", [
            ("csrf", self.csrf(b)), ("module", module), ("responder", str(self.ids[to])),
            ("subject", subject), ("context", "Applies for recognition."),
            ("person_name", "Jan Jansen"), ("person_birth_date", "1980-04-01"),
            ("person_nationality", "NL"), ("person_registration", "BIG-123"),
            ("reply_date", self.today(reply_in)), ("question", self.question[module])])
        self.assertEqual(r.status, expect, r.text[-1500:])
        if expect != 303:
            return r
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    def model(self, who, rid):
        r = self.b(who).get_xml(f"/requests/{rid}")
        self.assertEqual(r.status, 200)
        return r.xml()

    def fire(self, who, rid, event, fields=None, expect=303):
        b = self.b(who)
        for _ in range(3):
            t = self.model(who, rid).find("transitions")
            data = {"csrf": self.csrf(b), "rev": t.get("rev"), "next": f"/requests/{rid}"}
            data.update(fields or {})
            r = b.post(f"/instances/{t.get('instance')}/fire/{event}", data)
            if r.status != 409:     # a timer may fire between reading the page and posting
                break
        self.assertEqual(r.status, expect, f"{who} {event} on {rid}: {r.text[-800:]}")
        return r

    def events(self, who, rid):
        t = self.model(who, rid).find("transitions")
        return {x.get("event") for x in t} if t is not None else set()

    def answer(self, who, rid):
        b = self.b(who)
        code = self.model(who, rid).find("request").find("questions")[0].get("code")
        r = b.post(f"/requests/{rid}/answers", {"csrf": self.csrf(b),
                                                f"answer-{code}": "Registered since 2001"})
        self.assertEqual(r.status, 303, r.text[-800:])
        self.fire(who, rid, "answer")

    def send(self, who, to, **kw):
        rid = self.draft(who, to, **kw)
        self.fire(who, rid, "send")
        return rid

    def state(self, rid):
        return self.stack.psql("SELECT i.state FROM requests r JOIN wf_instances i"
                               " ON i.id = r.instance_id WHERE r.id = $1", rid)[0][0]

    def instance(self, rid):
        return int(self.stack.psql("SELECT instance_id FROM requests WHERE id = $1", rid)[0][0])

    def mail_paths(self):
        return {m.path for m in self.stack.mails()}

    def reminded(self, before, rid, label):
        """The addresses that got a mail saying `label` happened to request rid since before."""
        url = f"/requests/{rid}\n"
        return {m["To"].addresses[0].addr_spec for m in self.stack.mails()
                if m.path not in before and f'"{label}"' in mail_text(m)
                and url in mail_text(m) + "\n"}

    def responders(self, who, module=PQ):
        page = self.b(who).get(f"/requests/new?module={module}").html()
        return {int(o.get("value")) for o in page.by_id("responder").find_all("option")
                if o.get("value")}

    def fire_admin(self, table, aid, event, module=None):
        """An Access Manager (the helpdesk) fires event on an authority or module access."""
        sql = ("SELECT x.instance_id, i.rev FROM authorities x JOIN wf_instances i"
               " ON i.id = x.instance_id WHERE x.id = $1" if table == "authority" else
               "SELECT x.instance_id, i.rev FROM module_accesses x JOIN wf_instances i"
               " ON i.id = x.instance_id WHERE x.authority_id = $1 AND x.module = $2")
        iid, rev = self.stack.psql(sql, *((aid,) if module is None else (aid, module)))[0]
        b = self.b("hd")
        r = b.post(f"/instances/{iid}/fire/{event}", {"csrf": self.csrf(b), "rev": rev,
                                                      "next": "/"})
        self.assertEqual(r.status, 303, r.text[-800:])

    # -- 2. suspension and deactivation ------------------------------------------------------

    def test_01_suspended_access_finishes_ongoing_requests_but_nothing_new(self):
        """'An authority whose access is suspended finishes its ongoing requests but sends and
        receives no new ones.'"""
        nl3 = self.ids["nl3"]
        ongoing = self.send("dk", "nl3", subject="Ongoing before the suspension")
        self.fire("nl3", ongoing, "accept")
        to_nl3 = self.draft("dk", "nl3", subject="Drafted to NL3 before the suspension")
        from_nl3 = self.draft("nl3", "dk", subject="Drafted by NL3 before the suspension")
        self.assertIn(nl3, self.responders("dk"))
        self.fire_admin("access", nl3, "suspend", PQ)
        # Receives nothing new: not offered, refused when posted, a draft to it cannot be sent.
        self.assertNotIn(nl3, self.responders("dk"))
        self.assertIn(self.ids["nl"], self.responders("dk"))
        r = self.draft("dk", "nl3", subject="After the suspension", expect=422)
        self.assertEqual(r.html().find(class_="error", data_field="responder").get("data-rule"),
                         "choice")
        self.assertNotIn("send", self.events("dk", to_nl3))
        self.fire("dk", to_nl3, "send", expect=403)
        self.assertEqual(self.state(to_nl3), "draft")
        # Sends nothing new: no module to draft in, and its own draft cannot be sent.
        page = self.b("nl3").get(f"/requests/new?module={PQ}").html()
        self.assertIsNotNone(page.by_id("no-modules"))
        self.assertIsNone(page.by_id("request-form"))
        r = self.draft("nl3", "dk", subject="New while suspended", expect=403)
        self.assertNotIn("send", self.events("nl3", from_nl3))
        self.fire("nl3", from_nl3, "send", expect=403)
        self.assertEqual(self.state(from_nl3), "draft")
        # Finishes what is ongoing: the accepted request is answered and closed.
        self.answer("nl3", ongoing)
        self.assertEqual(self.state(ongoing), "answered")
        self.fire("dk", ongoing, "close", {"timeliness": "satisfied", "effort": "satisfied"})
        self.assertEqual(self.state(ongoing), "closed")

    def test_02_deactivated_authority_cannot_be_chosen(self):
        """'A deactivated authority cannot be chosen.'"""
        nl4 = self.ids["nl4"]
        before = self.draft("dk", "nl4", subject="Drafted to NL4 before the deactivation")
        self.assertIn(nl4, self.responders("dk"))
        self.fire_admin("access", nl4, "suspend", PQ)
        # Every authority has the horizontal Registers module too: suspended before deactivating.
        self.fire_admin("access", nl4, "suspend", "registers")
        self.fire_admin("authority", nl4, "deactivate")
        self.assertEqual(self.stack.psql("SELECT authority_state($1)", nl4), [("deactivated",)])
        self.assertNotIn(nl4, self.responders("dk"))
        r = self.draft("dk", "nl4", subject="To a deactivated authority", expect=422)
        self.assertEqual(r.html().find(class_="error", data_field="responder").get("data-rule"),
                         "choice")
        self.fire("dk", before, "send", expect=403)
        self.assertEqual(self.state(before), "draft")

    # -- 1. timers -------------------------------------------------------------------------

    def test_03_reminder_to_accept_after_seven_days(self):
        """'A reminder to the responder when a request is not accepted within 7 days': to its
        Handlers, or to its Allocators when allocation is on."""
        plain = self.send("dk", "nl", subject="Not accepted for a week")
        allocating = self.send("dk", "nl2", subject="Not accepted for a week either")
        accepted = self.send("dk", "nl", subject="Accepted at once")
        self.fire("nl", accepted, "accept")
        before = self.mail_paths()
        self.days_later(6)
        for rid in (plain, allocating, accepted):
            self.assertEqual(self.reminded(before, rid, "Remind to accept"), set())
        self.days_later(2)
        self.assertEqual(self.reminded(before, plain, "Remind to accept"),
                         {"sanne@example.nl", "hans@example.nl"})
        self.assertEqual(self.reminded(before, allocating, "Remind to accept"),
                         {"joost@example.nl"})
        self.assertEqual(self.reminded(before, accepted, "Remind to accept"), set())
        self.assertEqual(self.state(plain), "sent")

    def test_04_reminder_two_days_before_the_reply_date(self):
        """'A reminder two days before the agreed reply date' (the date asked, kept at
        acceptance)."""
        rid = self.send("dk", "nl", reply_in=12, subject="Reply date kept")
        self.fire("nl", rid, "accept")
        self.assertEqual(self.model("dk", rid).find("request").get("agreed-date"), self.today(12))
        before = self.mail_paths()
        self.days_later(9)                      # three days before: nothing yet
        self.assertEqual(self.reminded(before, rid, "Remind of the reply date"), set())
        self.days_later(2)                      # one day before: reminded
        self.assertEqual(self.reminded(before, rid, "Remind of the reply date"),
                         {"sanne@example.nl", "hans@example.nl"})

    def test_05_reminder_follows_the_date_proposed_at_acceptance(self):
        """'A reminder two days before the agreed reply date' when the responder proposed
        another date at acceptance: the reminder follows the agreed date, not the one asked."""
        rid = self.send("dk", "nl", reply_in=10, subject="Reply date moved")
        self.fire("nl", rid, "accept", {"proposed-date": self.today(20),
                                        "reason": "The archives are slow"})
        self.assertEqual(self.model("dk", rid).find("request").get("agreed-date"), self.today(20))
        before = self.mail_paths()
        self.days_later(9)                      # past the date asked, 11 days before the agreed
        self.assertEqual(self.reminded(before, rid, "Remind of the reply date"), set())
        self.days_later(10)                     # one day before the agreed date
        self.assertEqual(self.reminded(before, rid, "Remind of the reply date"),
                         {"sanne@example.nl", "hans@example.nl"})

    def test_06_overdue_requests_flagged_in_every_list(self):
        """'Overdue requests flagged in every list': /requests (and its overdue filter) and
        /tasks; a request answered in time, or not yet due, is not overdue."""
        late = self.send("dk", "nl", reply_in=3, subject="Late answer")
        self.fire("nl", late, "accept")
        unaccepted = self.send("dk", "nl", reply_in=3, subject="Late acceptance")
        due_later = self.send("dk", "nl", reply_in=30, subject="Not due yet")
        self.fire("nl", due_later, "accept")
        answered = self.send("dk", "nl", reply_in=3, subject="Answered in time")
        self.fire("nl", answered, "accept")
        self.answer("nl", answered)
        self.days_later(5)
        for who in ("dk", "nl"):
            page = self.b(who).get("/requests?overdue=1").html()
            ids = {int(tr.get("data-request")) for tr in page.by_id("requests").find_all("tr")
                   if tr.get("data-request")}
            self.assertLessEqual({late, unaccepted}, ids, who)
            self.assertFalse({due_later, answered} & ids, who)
            rows = {int(tr.get("data-request")): tr for tr in
                    self.b(who).get("/requests").html().by_id("requests").find_all("tr")
                    if tr.get("data-request")}
            for rid in (late, unaccepted):
                self.assertIn("overdue", rows[rid].classes, (who, rid))
            for rid in (due_later, answered):
                self.assertNotIn("overdue", rows[rid].classes, (who, rid))
        tasks = {(int(tr.get("data-request")), tr.get("data-task")): tr for tr in
                 self.b("nl").get("/tasks").html().by_id("tasks").find_all("tr")
                 if tr.get("data-request")}
        self.assertIn("overdue", tasks[(late, "answer")].classes)
        self.assertIn("overdue", tasks[(unaccepted, "accept")].classes)
        self.assertNotIn("overdue", tasks[(due_later, "answer")].classes)

    # -- 4. scoreboard ----------------------------------------------------------------------

    def test_07_scoreboard_figures_and_colours_from_history(self):
        """The scoreboard (/scoreboard?module=...) per authority and per country: sent,
        received, % accepted within 7 days, average days to answer, % answered by the agreed
        date, % negative ratings, with the EU Single Market Scoreboard colours."""
        # Day 0: DK asks NL-A four times and NL-B twice; NL-A asks DK twice.
        r1, r2, r3, r4 = (self.send("dk", "nl", module=SV, reply_in=20, subject=f"SV {n}")
                          for n in (1, 2, 3, 4))
        r5, r6 = (self.send("dk", "nl2", module=SV, reply_in=20, subject=f"SV {n}")
                  for n in (5, 6))
        r7, r8 = (self.send("nl", "dk", module=SV, reply_in=20, subject=f"SV {n}")
                  for n in (7, 8))
        day = 0
        plan = [
            (1, [("nl2", r5, "accept", {})]),
            (2, [("nl", r1, "accept", {}), ("nl2", r6, "accept", {})]),
            (3, [("nl2", r5, "answer", None)]),
            (5, [("nl", r3, "accept", {"proposed-date": self.today(18), "reason": "Archives"}),
                 ("nl2", r6, "answer", None)]),
            (6, [("nl", r4, "accept", {})]),
            (8, [("dk", r8, "accept", {})]),                            # late
            (9, [("nl", r2, "accept", {})]),                            # late
            (10, [("nl", r1, "answer", None)]),                         # in time
            (13, [("nl", r4, "answer", None)]),                         # in time
            (19, [("nl", r3, "answer", None)]),                         # after the proposed day 18
            (30, [("nl", r2, "answer", None)]),                         # after day 20
            (40, [("dk", r8, "answer", None)]),                         # after day 20
        ]
        for when, steps in plan:
            self.days_later(when - day)
            day = when
            for who, rid, event, fields in steps:
                if event == "answer":
                    self.answer(who, rid)
                else:
                    self.fire(who, rid, event, fields)
        for who, rid, timeliness, effort in (
                ("dk", r1, "satisfied", "satisfied"), ("dk", r2, "not-satisfied", "satisfied"),
                ("dk", r3, "satisfied", "satisfied"), ("dk", r4, "satisfied", "satisfied"),
                ("dk", r5, "satisfied", "satisfied"), ("dk", r6, "satisfied", "satisfied"),
                ("nl", r8, "not-satisfied", "not-satisfied")):
            self.fire(who, rid, "close", {"timeliness": timeliness, "effort": effort})
        self.assertEqual(self.state(r7), "sent")         # never accepted
        # Read as someone with no part in it.
        board = self.scoreboard("nl3", "authority")
        A, B, D = (str(self.ids[k]) for k in ("nl", "nl2", "dk"))
        expected = {
            # sent, received, accepted in 7 days, days to answer, answered by the date, negative
            # NL-A: 3 of 4 within 7 days; (10+30+19+13)/4 days; r1, r4 of 4 in time; 1 of 8.
            A: ("2", "4", ("75.0", "yellow"), ("18.0", "yellow"), ("50.0", "red"),
                ("12.5", "yellow")),
            # NL-B: both accepted on day 1 and 2, answered on day 3 and 5, rated well.
            B: ("0", "2", ("100.0", "green"), ("4.0", "green"), ("100.0", "green"),
                ("0.0", "green")),
            # DK: r7 never accepted, r8 accepted on day 8, answered on day 40, both ratings bad.
            D: ("6", "2", ("0.0", "red"), ("40.0", "red"), ("0.0", "red"), ("100.0", "red")),
        }
        self.assertEqual(board, expected)
        board = self.scoreboard("dk", "country")
        self.assertEqual(board, {
            # NL: 5 of 6 within 7 days; 80/6 days; 4 of 6 in time; 1 of 12 negative.
            "NL": ("2", "6", ("83.3", "green"), ("13.3", "green"), ("66.7", "yellow"),
                   ("8.3", "yellow")),
            "DK": expected[D]})

    def scoreboard(self, who, by):
        page = self.b(who).get(f"/scoreboard?module={SV}&by={by}")
        self.assertEqual(page.status, 200)
        out = {}
        for tr in page.html().by_id("scoreboard").find_all("tr"):
            if tr.get("data-key") is None:
                continue
            cell = {td.get("data-measure"): td for td in tr.find_all("td") if td.get("data-measure")}
            out[tr.get("data-key")] = (cell["sent"].text, cell["received"].text) + tuple(
                (cell[m].text, cell[m].get("data-colour")) for m in
                ("accepted-in-time", "days-to-answer", "answered-in-time", "negative-ratings"))
        return out

    # -- 3. retention --------------------------------------------------------------------------

    def test_08_personal_data_blocked_after_six_months_deleted_after_three_years(self):
        """Retention (Regulation 1024/2012 art. 14): six months after closure the personal data
        are blocked -- hidden from both sides and their coordinators, shown to a helpdesk
        Administrator only after a recorded justification (the helpdesk, no party, sees no
        personal data before either: its support view shows metadata only) -- and three years
        after closure
        deleted, the request and its history staying; closing by accepting a refusal and by a
        coordinator closing a referral start the same clock."""
        rated = self.send("dk", "nl", subject="Closed with a rating")
        self.fire("nl", rated, "accept")
        self.answer("nl", rated)
        self.fire("dk", rated, "close", {"timeliness": "satisfied", "effort": "satisfied"})
        refused = self.send("dk", "nl", subject="Closed by accepting the refusal")
        self.fire("nl", refused, "refuse", {"reason": "Not our competence"})
        self.fire("dk", refused, "accept-refusal")
        referred = self.send("dk", "nl", subject="Closed by the coordinator")
        self.fire("nl", referred, "refuse", {"reason": "Not our competence"})
        self.fire("dk", referred, "refer", {"reason": "It is"})
        self.fire("dk_coord", referred, "close-referral", {"comment": "Closed: agree to differ"})
        rids = (rated, refused, referred)
        self.assertEqual([self.state(r) for r in rids], ["closed"] * 3)
        everyone = ("dk", "nl", "dk_coord", "nl_coord", "hd")
        person = {"name": "Jan Jansen", "birth-date": "1980-04-01", "nationality": "NL",
                  "registration": "BIG-123"}
        closed = "(SELECT {}(closed_at) FROM requests WHERE id IN ($1, $2, $3))"

        self.set_now(closed.format("min") + " + interval '6 months' - interval '2 days'", *rids)
        for rid in rids:
            self.assertEqual(self.state(rid), "closed")
            for who in everyone:
                self.assertEqual(self.person(who, rid), "support" if who == "hd" else person,
                                 (who, rid))

        self.set_now(closed.format("max") + " + interval '6 months' + interval '2 days'", *rids)
        self.assertEqual([self.state(r) for r in rids], ["closed-blocked"] * 3)
        rows = self.stack.psql("SELECT person_name, personal_data_blocked_at IS NOT NULL"
                               " FROM requests WHERE id IN ($1, $2, $3)", *rids)
        self.assertEqual(rows, [("Jan Jansen", "t")] * 3)       # blocked, not yet deleted
        for rid in rids:
            for who in everyone:
                self.assertEqual(self.person(who, rid), "blocked", (who, rid))
                form = self.b(who).get(f"/requests/{rid}").html().by_id("disclose-form")
                self.assertEqual(form is not None, who == "hd", (who, rid))
        # Only a helpdesk Administrator may disclose, and only with a justification.
        b = self.b("dk")
        why = "Court order 2027/118 asks for the identity"
        r = b.post(f"/requests/{rated}/disclose", {"csrf": self.csrf(b), "justification": why})
        self.assertEqual(r.status, 403)
        b = self.b("hd")
        r = b.post(f"/requests/{rated}/disclose", {"csrf": self.csrf(b), "justification": "why"})
        self.assertEqual(r.status, 400)
        self.assertEqual(self.person("hd", rated), "blocked")
        r = b.post(f"/requests/{rated}/disclose", {"csrf": self.csrf(b), "justification": why})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.person("hd", rated), person)
        self.assertEqual(self.stack.psql(
            "SELECT d.justification, u.username FROM request_disclosures d JOIN users u"
            " ON u.id = d.user_id WHERE d.request_id = $1", rated), [(why, self.users["hd"][0])])
        # Disclosed to that Administrator, for that request: still hidden from the others.
        self.assertEqual(self.person("hd", refused), "blocked")
        self.assertEqual(self.person("dk", rated), "blocked")

        self.set_now(closed.format("min") + " + interval '3 years' - interval '2 days'", *rids)
        self.assertEqual([self.state(r) for r in rids], ["closed-blocked"] * 3)
        # The deletion timer runs from the blocking (fired two days late here, and months do
        # not all have the same length): a week's margin.
        self.set_now(closed.format("max") + " + interval '3 years' + interval '7 days'", *rids)
        self.assertEqual([self.state(r) for r in rids], ["archived"] * 3)
        rows = self.stack.psql(
            "SELECT subject, person_name, person_birth_date, person_nationality,"
            " person_registration, personal_data_deleted_at IS NOT NULL FROM requests"
            " WHERE id IN ($1, $2, $3) ORDER BY id", *rids)
        # The subject is personal data too unless its author ticked otherwise (issue 12).
        self.assertEqual(rows, [("", None, None, None, None, "t")] * 3)
        hist = [e for (e,) in self.stack.psql(
            "SELECT h.event FROM wf_history h JOIN requests r ON r.instance_id = h.instance_id"
            " WHERE r.id = $1 ORDER BY h.seq", rated)]
        self.assertEqual(hist[-4:], ["answer", "close", "block-personal-data",
                                     "delete-personal-data"])
        self.assertEqual(hist[:3], ["start", "send", "accept"])
        b = self.b("hd")
        r = b.post(f"/requests/{rated}/disclose", {"csrf": self.csrf(b), "justification": why})
        for who in everyone:
            req = self.model(who, rated).find("request")
            if who == "hd":     # the support view: no subject, no answers
                self.assertEqual((req.get("subject"), req.find("questions")), (None, None))
            else:
                self.assertEqual((req.get("subject"), req.get("texts-hidden")), ("", "true"))
                # Its answer is personal data (personal="true" in the question set): deleted.
                self.assertEqual(req.find("questions")[0].get("hidden"), "true")
            self.assertEqual(self.person(who, rated), "blocked", who)

    def person(self, who, rid):
        """The personal data on the request page as `who` sees it, "blocked", or "support"
        (the helpdesk's support view, without them)."""
        page = self.b(who).get(f"/requests/{rid}")
        self.assertEqual(page.status, 200, (who, rid))
        html = page.html()
        support = html.by_id("support-view") is not None and html.by_id("person") is None
        if html.by_id("personal-data-blocked") is not None or support:
            self.assertIsNone(html.by_id("person"))
            # Nowhere else either: not in the page's model, nor on the instance's own page.
            for text in (page.text, self.b(who).get_xml(f"/requests/{rid}").text,
                         self.b(who).get(f"/instances/{self.instance(rid)}").text):
                for value in ("Jan Jansen", "1980-04-01", "BIG-123"):
                    self.assertNotIn(value, text, (who, rid))
            return "blocked" if html.by_id("personal-data-blocked") is not None else "support"
        dl = html.by_id("person")
        return {dd.get("data-field"): dd.text for dd in dl.find_all("dd")}


if __name__ == "__main__":
    tap.main()
