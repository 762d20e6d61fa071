#!/usr/bin/python3
"""test_pq_alert.py -- the professional qualifications alert (workflows/pq-alert.xml; Dir.
2005/36 art. 56a, Reg. 2015/983 art. 23-28) through the pages on the real stack:

* field visibility: an incoming coordinator sees the profession and the scope only, never the
  identity, the deciding authority or the period -- not on the page, not in ?format=xml, not by
  mail -- until it forwards the alert to itself; the handling authorities it forwards to see
  every item (art. 24(3));
* the professional informed in writing is recorded when the alert is sent (art. 56a(6));
* the 3-day timers on the business clock: a reminder to the sender when the restriction ends,
  every field erased 3 days after "valid-until" (art. 56a(7)); after a closure, 3 days after
  the date it ended;
* withdrawal of an alert sent in error erases its data at once;
* a copy by an incoming coordinator holds profession and scope only;
* EVERY transition fired by the role the header table names, and wrong roles refused (403,
  404 for one who may not see the case, 422 for a missing input) with nothing written --
  history, participants, versions, state, revision, timers, links, outbox, data: the draft
  reminder 2 days after the decision, return by the coordinator's Approver, delete (the
  draft's data erased), a Coordinator's own alert sent from the draft by its Approver,
  forward-more, a modification telling each recipient what it may see of the change and
  restarting the period's timers (the old ones never fire), the new period's reminder and
  expiry;
* an Approver without the Handler role starts, edits, submits and deletes no draft (seed
  000).

The clock only moves forward, so the tests run in their numbered order on one stack; a final
test reads the history to check that every event of the definition was fired."""

import os
import sys
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from crawl import catalogue  # noqa: E402
import authorities  # noqa: E402
import cases  # noqa: E402
from people import first_sign_in, signed_in  # noqa: E402
from stack import Stack, mail_text  # noqa: E402

TOP = Path(__file__).resolve().parent.parent.parent
WF = "{urn:imiflow:workflow:1}"
PA = "pq-alerts"
NAME = "Karen Margrethe Jensen"
COURT = "Københavns Byret"
SCOPE = "May not practise surgery; other nursing allowed under supervision."


CATALOGUES = {lang: catalogue(lang) for lang in ("en", "da", "nl", "ro")}


def transitions():
    """{state: [event, ...]} of workflows/pq-alert.xml."""
    root = ET.parse(TOP / "workflows" / "pq-alert.xml").getroot()
    return {s.get("name"): [x.get("event") for x in s.findall(f"{WF}transition")]
            for s in root.findall(f"{WF}state")}


class PqAlertTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd_user = s.bootstrap(country="BE")
        hd = first_sign_in(s, hd_user, "helpdesk@imiflow.invalid")
        cls.users, cls.emails, cls.ids, cls.lang = {}, {}, {}, {}
        for who, name, country, first, lang in (
                ("dkc", "Styrelsen for Patientsikkerhed", "DK", "Carl", "da"),
                ("dk", "Sundhedsstyrelsen", "DK", "Mette", "da"),
                ("nlc", "CIBG", "NL", "Eva", "nl"),
                ("nl", "BIG-register", "NL", "Sanne", "nl"),
                ("roc", "Ministerul Sanatatii", "RO", "Ioana", "ro"),
                ("ro", "Ordinul Asistentilor Medicali", "RO", "Mihai", "ro")):
            cls.ids[who], cls.users[who] = authorities.register(hd, name, country, first,
                                                                language=lang)
            cls.emails[who] = f"{first.lower()}@example.{country.lower()}"
            cls.lang[who] = lang
        for c in ("dkc", "nlc", "roc"):
            authorities.grant(hd, cls.ids[c], PA, "coordinator")
        for a, c in (("dk", "dkc"), ("nl", "nlc"), ("ro", "roc")):
            authorities.grant(hd, cls.ids[a], PA, coordinators=[cls.ids[c]])
        cls.b = {who: first_sign_in(s, cls.users[who], cls.emails[who]) for who in cls.users}
        # Fewer roles: a Viewer of the sender; at the Coordinator a Handler without Approver
        # and an Approver without Handler (seed 000: "To be able to draft and submit
        # notifications or alerts, an Approver must also have the handler role").
        cls.add_user("dk-viewer", "dk", "Vera", "vera@example.dk", ["viewer"])
        cls.add_user("dkc-handler", "dkc", "Hans", "hans@example.dk", ["viewer", "handler"])
        cls.add_user("dkc-approver", "dkc", "Anna", "anna@example.dk", ["viewer", "approver"])
        cls.iid = None

    @classmethod
    def add_user(cls, key, who, first, email, roles):
        admin = cls.b[who]
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", cases.csrf(admin)), ("first_name", first), ("last_name", "Test"),
                  ("user_email", email), ("language", cls.lang[who]), ("phone", ""),
                  ("username", ""), ("action", "save")] + [("role", f"{PA}:{r}") for r in roles]
        r = admin.post(f"/authorities/{cls.ids[who]}/users/new", fields)
        assert r.status == 200, r.text[-800:]
        cls.users[key] = r.html().by_id("new-username").text
        cls.emails[key], cls.lang[key] = email, cls.lang[who]
        cls.b[key] = first_sign_in(cls.stack, cls.users[key], email, before=before)

    # -- helpers ------------------------------------------------------------------------

    def today(self, days=0):
        return self.stack.psql("SELECT to_char(imi_now()::date + $1::int, 'YYYY-MM-DD')",
                               days)[0][0]

    def form(self, until_days=10):
        return [("kind", "restriction"), ("profession", "nurse"), ("scope", SCOPE),
                ("recipient-countries", "NL"), ("recipient-countries", "RO"),
                ("name", NAME), ("birth-date", "1971-03-02"),
                ("identity-details", "Born in Odense; Danish; autorisation 0AB12"),
                ("deciding-authority", COURT), ("decision-date", self.today()),
                ("valid-from", self.today()), ("valid-until", self.today(until_days)),
                ("proceedings", "none")]

    def fire(self, who, event, fields=(), iid=None, expect=303):
        r = cases.fire(self.b[who], iid or self.iid, event, fields)
        self.assertEqual(r.status, expect, f"{who} {event}: {r.status} {r.text[-600:]}")
        return r

    def refused(self, who, event, fields=(), iid=None, codes=(403, 404)):
        """who may not fire event: one of codes (403: a guard; 404: may not see the case; 409:
        no such transition in this state; 422: an input missing), and nothing is written."""
        iid = iid or self.iid
        before = self.fp(iid)
        r = cases.fire(self.b[who], iid, event, fields, revision=str(before[5]))
        self.assertIn(r.status, codes, f"{who} {event}: {r.status}")
        self.assertEqual(self.fp(iid), before, f"{who} {event} wrote")

    def fp(self, iid):
        """What cases.footprint reads (history, participants, form versions, comments, state,
        revision at [5]) and the rest a transition may write: timers, mail links, the outbox
        (every mail queued anywhere) and the instance's data."""
        return tuple(self.stack.psql(
            "SELECT (SELECT count(*) FROM wf_history WHERE instance_id = $1),"
            " (SELECT string_agg(role || ':' || authority_id || ':' || state, ',' ORDER BY role,"
            "   authority_id) FROM wf_participants WHERE instance_id = $1),"
            " (SELECT count(*) || '/' || count(erased_at) FROM wf_form_versions"
            "   WHERE instance_id = $1),"
            " (SELECT count(*) || '/' || count(withdrawn_seq) FROM wf_comments"
            "   WHERE instance_id = $1),"
            " i.state, i.rev,"
            " (SELECT count(*) || '/' || count(fired_at) || '/' || count(cancelled_at)"
            "   FROM wf_timers WHERE instance_id = $1),"
            " (SELECT count(*) FROM wf_links WHERE instance_id = $1),"
            " (SELECT count(*) FROM outbox), i.data::text"
            " FROM wf_instances i WHERE i.id = $1", iid)[0])

    def wait_case_mail(self, who, iid, key, since=()):
        """The mail to who about case iid saying key (a label) in who's language."""
        want = CATALOGUES[self.lang[who]].get(key, key)
        return self.stack.wait_mail(
            lambda m: self.emails[who] in m["To"] and m.path not in since
            and f"/instances/{iid}" in mail_text(m) and want in mail_text(m), timeout=20)

    def mails_about(self, who, iid, since):
        return [m for m in self.stack.mails() if self.emails[who] in m["To"]
                and m.path not in since and f"/instances/{iid}" in mail_text(m)]

    def history(self, iid):
        return [(e, k) for e, k in self.stack.psql(
            "SELECT event, actor_kind FROM wf_history WHERE instance_id = $1 ORDER BY seq", iid)]

    def live_timers(self, iid):
        """{event: due_at} of the case's running timers, due_at as a UTC text."""
        return dict(self.stack.psql(
            "SELECT event, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM"
            " wf_timers WHERE instance_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL",
            iid))

    def period_timers(self, iid):
        """The running timers of a sent alert as they should be: remind-period-end on its
        latest "valid-until", expire 3 days later."""
        until = self.stack.psql(
            "SELECT data->>'valid-until' FROM wf_form_versions WHERE instance_id = $1"
            " ORDER BY version DESC LIMIT 1", iid)[0][0]
        return {e: self.stack.psql("SELECT to_char(($1::date + $2::interval)::timestamptz"
                                   " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')", until, d)[0][0]
                for e, d in (("remind-period-end", "0 days"), ("expire", "3 days"))}

    def sent(self):
        return {m.path for m in self.stack.mails()}

    def send_alert(self, until_days=10):
        iid = cases.start(self.b["dk"], "pq-alert")
        self.fire("dk", "edit", self.form(until_days), iid=iid)
        self.fire("dk", "submit", [("informed-at", self.today())], iid=iid)
        self.fire("dkc", "approve", iid=iid)
        self.assertEqual(cases.state(self.stack, iid), "sent")
        return iid

    def sees(self, who, iid=None):
        """What of the alert who sees: {"page": text of the case page, "xml": its model}."""
        iid = iid or self.iid
        page = self.b[who].get(f"/instances/{iid}")
        xml = self.b[who].get_xml(f"/instances/{iid}")
        self.assertEqual((page.status, xml.status), (200, 200), who)
        return page.text + "\n" + xml.text

    def move_clock(self, expr, *params):
        """imi_now() becomes expr (never back); due timers fire, mails leave; sign in again."""
        s = self.stack
        self.assertEqual(s.psql(f"SELECT ({expr}) >= imi_now()", *params)[0][0], "t")
        s.psql(f"UPDATE clock SET offset_interval = ({expr}) - now()", *params)
        s.run_imiflow("worker", "--once")
        for _ in range(200):
            due = s.psql("SELECT (SELECT count(*) FROM wf_timers WHERE fired_at IS NULL AND"
                         " cancelled_at IS NULL AND due_at <= imi_now()) + (SELECT count(*)"
                         " FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL)")[0][0]
            if due == "0":
                break
            s.run_imiflow("worker", "--once")
        type(self).b = {w: signed_in(s, self.users[w]) for w in self.users}

    # -- the tests ------------------------------------------------------------------------

    def test_01_sending_records_the_professional_informed(self):
        cls = type(self)
        cls.iid = cases.start(self.b["dk"], "pq-alert")
        self.fire("dk", "edit", self.form())
        # The date the professional was informed in writing is required.
        before = cases.footprint(self.stack, self.iid)
        r = cases.fire(self.b["dk"], self.iid, "submit", [("informed-at", "")])
        self.assertEqual(r.status, 422)
        self.assertEqual(cases.footprint(self.stack, self.iid), before)
        self.fire("dk", "submit", [("informed-at", self.today())])
        self.refused("dk", "approve")
        self.refused("nlc", "approve")
        since = self.sent()
        self.fire("dkc", "approve")
        s = self.stack
        self.assertEqual(s.psql("SELECT data->>'informed-at' FROM wf_instances WHERE id = $1",
                                self.iid)[0][0], self.today())
        self.assertEqual(cases.participants(s, self.iid, "incoming-coordinator"),
                         {self.ids["nlc"]: "received", self.ids["roc"]: "received"})
        m = s.wait_mail(lambda m: self.emails["nlc"] in m["To"] and m.path not in since
                        and f"/instances/{self.iid}" in mail_text(m), timeout=20)
        self.assertIn("Waarschuwing inzake beroepskwalificaties", mail_text(m))
        for secret in (NAME, COURT, "1971-03-02"):
            self.assertNotIn(secret, mail_text(m) + m["Subject"])

    def test_02_incoming_coordinators_see_profession_and_scope_only(self):
        for who in ("nlc", "roc"):
            seen = self.sees(who)
            self.assertIn(SCOPE, seen, who)
            for secret in (NAME, COURT, "1971-03-02", "Odense", self.today(10)):
                self.assertNotIn(secret, seen, (who, secret))
            # Not through an older version or the log either.
            log = self.b[who].get(f"/instances/{self.iid}?tab=log").text
            self.assertNotIn(NAME, log, who)
        # The sender and its coordinator see every item.
        for who in ("dk", "dkc"):
            self.assertIn(NAME, self.sees(who), who)
        # Authorities not forwarded to do not see the alert at all.
        self.assertIsNone(cases.model(self.b["nl"], self.iid))

    def test_03_handling_authorities_see_everything(self):
        self.refused("nl", "forward", [("authorities", str(self.ids["nl"]))])
        self.refused("dk", "forward", [("authorities", str(self.ids["dk"]))])
        self.fire("nlc", "forward", [("authorities", str(self.ids["nl"]))])
        self.assertEqual(cases.participants(self.stack, self.iid, "handling-authority"),
                         {self.ids["nl"]: "received"})
        self.assertEqual(cases.participants(self.stack, self.iid, "incoming-coordinator")
                         [self.ids["nlc"]], "forwarded")
        seen = self.sees("nl")
        for item in (NAME, COURT, SCOPE, self.today(10)):
            self.assertIn(item, seen)
        # The coordinator still sees profession and scope only...
        self.assertNotIn(NAME, self.sees("nlc"))
        # ...until it forwards the alert to itself as a handling authority.
        self.fire("roc", "forward", [("authorities", str(self.ids["roc"]))])
        self.assertIn(NAME, self.sees("roc"))

    def test_03a_a_copy_holds_only_what_the_copier_sees(self):
        s = self.stack
        for who, fields in (("nlc", {"kind", "profession", "scope", "recipient-countries"}),
                            ("dk", None)):
            b = self.b[who]
            r = b.post(f"/instances/{self.iid}/copy", {"csrf": cases.csrf(b)})
            self.assertEqual(r.status, 303, r.text[-600:])
            new = int(r.location_path.rsplit("/", 1)[1])
            self.assertEqual(s.psql("SELECT state, authority_id FROM wf_instances WHERE id = $1",
                                    new), [("draft", str(self.ids[who]))])
            self.assertEqual(s.psql("SELECT version, sealed FROM wf_form_versions"
                                    " WHERE instance_id = $1", new), [("1", "f")])
            keys = {k for (k,) in s.psql("SELECT jsonb_object_keys(data) FROM wf_form_versions"
                                          " WHERE instance_id = $1", new)}
            data = s.psql("SELECT data::text FROM wf_form_versions WHERE instance_id = $1",
                          new)[0][0]
            if fields is not None:
                # The incoming coordinator saw profession and scope: the copy, although it
                # is its own, holds nothing more (art. 24(3)).
                self.assertEqual(keys, fields)
                for secret in (NAME, COURT, "1971-03-02", "Odense"):
                    self.assertNotIn(secret, data)
                self.assertNotIn(NAME, self.sees(who, new))
            else:
                self.assertIn(NAME, data)               # the sender sees, and copies, all
                self.assertIn("name", keys)

    def test_04_period_end_reminds_then_erases_in_3_days(self):
        s = self.stack
        since = self.sent()
        self.move_clock("(SELECT (data->>'valid-until')::date FROM wf_form_versions WHERE"
                        " instance_id = $1 ORDER BY version DESC LIMIT 1) + interval '1 hour'",
                        self.iid)
        self.assertEqual(cases.state(s, self.iid), "sent")
        s.wait_mail(lambda m: self.emails["dk"] in m["To"] and m.path not in since
                    and f"/instances/{self.iid}" in mail_text(m), timeout=20)
        self.assertIsNotNone(s.psql("SELECT data->>'name' FROM wf_form_versions"
                                    " WHERE instance_id = $1", self.iid)[0][0])
        self.move_clock("imi_now() + interval '3 days'")
        self.assertEqual(cases.state(s, self.iid), "erased")
        rows = s.psql("SELECT erased_at IS NOT NULL, data::text FROM wf_form_versions"
                      " WHERE instance_id = $1", self.iid)
        for erased, data in rows:
            self.assertEqual(erased, "t")
            for secret in (NAME, COURT, SCOPE):
                self.assertNotIn(secret, data)
        for who in ("dk", "nl"):
            self.assertNotIn(NAME, self.sees(who), who)

    def test_05_closure_erases_3_days_after_the_end(self):
        s = self.stack
        iid = self.send_alert(until_days=200)
        self.refused("nl", "close", [("ended-on", self.today())], iid=iid)
        self.fire("dk", "close", [("ended-on", self.today())], iid=iid)
        self.assertEqual(cases.state(s, iid), "closed")
        self.assertEqual(self.live_timers(iid), {"erase": s.psql(
            "SELECT to_char(($1::date + interval '3 days')::timestamptz AT TIME ZONE 'UTC',"
            " 'YYYY-MM-DD HH24:MI')", self.today())[0][0]})
        for who in ("dk", "nlc"):
            self.refused(who, "erase", iid=iid, codes=(403,))
        self.move_clock("imi_now() + interval '2 days'")
        self.assertEqual(cases.state(s, iid), "closed")
        self.move_clock("imi_now() + interval '1 day 1 hour'")
        self.assertEqual(cases.state(s, iid), "erased")
        self.assertEqual(self.history(iid)[-1], ("erase", "system"))
        self.assertNotIn(NAME, s.psql("SELECT string_agg(data::text, '') FROM wf_form_versions"
                                      " WHERE instance_id = $1", iid)[0][0] or "")

    def test_06_withdrawal_erases_at_once(self):
        s = self.stack
        iid = self.send_alert(until_days=200)
        self.fire("nlc", "forward", [("authorities", str(self.ids["nl"]))], iid=iid)
        self.refused("nl", "withdraw", [("reason", "sent-in-error")], iid=iid)
        since = self.sent()
        self.fire("dk", "withdraw", [("reason", "sent-in-error")], iid=iid)
        self.assertEqual(cases.state(s, iid), "withdrawn")
        self.assertEqual(s.psql("SELECT bool_and(erased_at IS NOT NULL), string_agg(data::text,"
                                " '') FROM wf_form_versions WHERE instance_id = $1", iid)[0][0], "t")
        data = s.psql("SELECT string_agg(data::text, '') FROM wf_form_versions"
                      " WHERE instance_id = $1", iid)[0][0] or ""
        for secret in (NAME, COURT, SCOPE):
            self.assertNotIn(secret, data)
        self.assertNotIn(NAME, self.sees("nl", iid))
        m = s.wait_mail(lambda m: self.emails["nl"] in m["To"] and m.path not in since
                        and f"/instances/{iid}" in mail_text(m), timeout=20)
        self.assertNotIn(NAME, mail_text(m))
        # No timer is left to fire on a withdrawn alert.
        self.assertEqual(s.psql("SELECT count(*) FROM wf_timers WHERE instance_id = $1 AND"
                                " fired_at IS NULL AND cancelled_at IS NULL", iid)[0][0], "0")

    # -- a draft reminded, returned and deleted ------------------------------------------

    def test_07_draft_reminded_returned_deleted(self):
        s = self.stack
        iid = cases.start(self.b["dk"], "pq-alert")
        self.fire("dk", "edit", self.form(), iid=iid)
        decided = self.today()
        # remind-deadline: the system's, 2 days after the decision (to send within 3).
        self.assertEqual(self.live_timers(iid), {"remind-deadline": s.psql(
            "SELECT to_char(($1::date + interval '2 days')::timestamptz AT TIME ZONE 'UTC',"
            " 'YYYY-MM-DD HH24:MI')", decided)[0][0]})
        for who in ("dk", "dk-viewer"):
            self.refused(who, "remind-deadline", iid=iid, codes=(403,))
        since = self.sent()
        self.move_clock("$1::date + interval '2 days 1 hour'", decided)
        self.assertEqual(self.history(iid)[-1], ("remind-deadline", "system"))
        self.assertEqual(cases.state(s, iid), "draft")
        m = self.wait_case_mail("dk", iid,
                                "Reminder: send the alert within 3 days of the decision", since)
        self.assertNotIn(NAME, mail_text(m))
        self.assertEqual(self.mails_about("dkc", iid, since), [])
        self.assertEqual(self.live_timers(iid), {})
        # return: an Approver of the sender's coordinator (one without the Handler role
        # too), with a comment to the sender's Handlers.
        since = self.sent()
        self.fire("dk", "submit", [("informed-at", self.today())], iid=iid)
        self.assertIn("/links/", mail_text(self.wait_case_mail("dkc", iid, "Submit for approval",
                                                               since)))
        comment = [("comment", "Give the registration number, please.")]
        for who, codes in (("dk", (403,)), ("dk-viewer", (403,)), ("dkc-handler", (403,)),
                           ("nlc", (404,)), ("roc", (404,))):
            self.refused(who, "return", comment, iid=iid, codes=codes)
        self.refused("dkc-approver", "return", iid=iid, codes=(422,))
        since = self.sent()
        self.fire("dkc-approver", "return", comment, iid=iid)
        self.assertEqual(cases.state(s, iid), "draft")
        self.assertEqual(s.psql("SELECT data->>'comment' FROM wf_instances WHERE id = $1",
                                iid)[0][0], comment[0][1])
        self.wait_case_mail("dk", iid, "Return to the author", since)
        self.assertEqual(cases.participants(s, iid, "incoming-coordinator"), {})
        # delete: the sender's Handler; the draft's data go with it.
        for who, codes in (("dk-viewer", (403,)), ("dkc", (403, 404)),
                           ("dkc-approver", (403, 404)), ("nlc", (404,))):
            self.refused(who, "delete", iid=iid, codes=codes)
        self.fire("dk", "delete", iid=iid)
        self.assertEqual(cases.state(s, iid), "deleted")
        self.assertEqual(s.psql("SELECT bool_and(erased_at IS NOT NULL), string_agg(data::text,"
                                " '') FROM wf_form_versions WHERE instance_id = $1", iid),
                         [("t", "{}")])
        self.assertEqual(self.live_timers(iid), {})
        self.assertEqual(cases.events(self.b["dk"], iid), set())
        self.assertNotIn(NAME, self.b["dk"].get(f"/instances/{iid}").text)

    # -- a Coordinator's own alert: sent from the draft, forwarded, modified, expired ----

    def test_08_a_coordinator_sends_its_own_alert(self):
        s, ids = self.stack, self.ids
        # An Approver without the Handler role starts no draft...
        n = s.psql("SELECT count(*) FROM wf_instances")[0][0]
        b = self.b["dkc-approver"]
        r = b.post("/workflows/pq-alert/start", {"csrf": cases.csrf(b)})
        self.assertIn(r.status, (403, 404))
        self.assertEqual(s.psql("SELECT count(*) FROM wf_instances")[0][0], n)
        iid = cases.start(self.b["dkc-handler"], "pq-alert")
        type(self).own = iid
        # ... nor edits, submits or deletes one of its authority's, though it sees it.
        self.assertIsNotNone(cases.model(b, iid))
        for event, fields in (("edit", self.form()), ("submit", [("informed-at", self.today())]),
                              ("delete", ())):
            self.refused("dkc-approver", event, fields, iid=iid, codes=(403,))
        self.assertEqual(cases.events(b, iid) & {"edit", "submit", "delete"}, set())
        self.fire("dkc-handler", "edit", self.form(until_days=10), iid=iid)
        # send: an Approver of the sender when the sender is a Coordinator, recording when
        # the professional was informed; not its Handler, not another authority.
        informed = [("informed-at", self.today(-1))]
        self.refused("dkc-handler", "send", informed, iid=iid, codes=(403,))
        for who in ("dk", "nlc", "roc"):
            self.refused(who, "send", informed, iid=iid, codes=(404,))
        self.refused("dkc-approver", "send", iid=iid, codes=(422,))
        since = self.sent()
        self.fire("dkc-approver", "send", informed, iid=iid)
        self.assertEqual(cases.state(s, iid), "sent")
        self.assertEqual(self.history(iid)[-1], ("send", "user"))
        self.assertEqual(s.psql("SELECT data->>'informed-at', data->>'sent-at' IS NOT NULL FROM"
                                " wf_instances WHERE id = $1", iid), [(self.today(-1), "t")])
        self.assertEqual(s.psql("SELECT version, sealed FROM wf_form_versions"
                                " WHERE instance_id = $1", iid), [("1", "t")])
        self.assertEqual(cases.participants(s, iid, "incoming-coordinator"),
                         {ids["nlc"]: "received", ids["roc"]: "received"})
        self.assertEqual(self.live_timers(iid), self.period_timers(iid))
        for who in ("nlc", "roc"):
            m = self.wait_case_mail(who, iid, "Send the alert", since)
            for secret in (NAME, COURT):
                self.assertNotIn(secret, mail_text(m) + m["Subject"])
        # forward-more: the incoming coordinator's Approver, once "forwarded".
        to_self = [("authorities", str(ids["nlc"]))]
        self.refused("nlc", "forward-more", to_self, iid=iid, codes=(403,))   # "received"
        self.fire("nlc", "forward", [("authorities", str(ids["nl"]))], iid=iid)
        self.assertNotIn(NAME, self.sees("nlc", iid))
        for who, codes in (("nl", (403,)), ("roc", (403,)), ("dkc-approver", (403,)),
                           ("dkc-handler", (403,)), ("dk", (404,))):
            self.refused(who, "forward-more", to_self, iid=iid, codes=codes)
        since = self.sent()
        self.fire("nlc", "forward-more", to_self + [("authorities", str(ids["ro"]))], iid=iid)
        self.assertEqual(cases.participants(s, iid, "handling-authority"),
                         {ids["nl"]: "received", ids["nlc"]: "received"})
        self.assertEqual(cases.participants(s, iid, "incoming-coordinator"),
                         {ids["nlc"]: "forwarded", ids["roc"]: "received"})
        self.wait_case_mail("nlc", iid, "Forward to more authorities", since)
        self.assertEqual(self.mails_about("ro", iid, since), [])
        self.assertIn(NAME, self.sees("nlc", iid))      # a handling authority now

    def test_09_modification_restarts_the_period(self):
        s, iid = self.stack, self.own
        old_timers = self.live_timers(iid)
        # modify: the sender's Handler, with the date the professional was told; the
        # recipients are told what changed (what each may see of it), the timers restart on
        # the new "valid-until".
        new = [(k, v) for k, v in self.form(until_days=30) if k != "scope"] + [
            ("scope", SCOPE + " Also no night shifts.")]
        informed = [("informed-at", self.today())]
        for who, codes in (("dkc-approver", (403,)), ("nlc", (403,)), ("nl", (403,)),
                           ("roc", (403,)), ("dk", (404,))):
            self.refused(who, "modify", new + informed, iid=iid, codes=codes)
        self.refused("dkc-handler", "modify", new, iid=iid, codes=(422,))
        since = self.sent()
        self.fire("dkc-handler", "modify", new + informed, iid=iid)
        self.assertEqual(cases.state(s, iid), "sent")
        self.assertEqual(s.psql("SELECT version, sealed, changed FROM wf_form_versions"
                                " WHERE instance_id = $1 ORDER BY version", iid),
                         [("1", "t", "{}"), ("2", "t", "{scope,valid-until}")])
        self.assertEqual(s.psql("SELECT data->>'change-informed-at', data->>'modified-at' IS NOT"
                                " NULL FROM wf_instances WHERE id = $1", iid),
                         [(self.today(), "t")])
        timers = self.live_timers(iid)
        self.assertEqual(timers, self.period_timers(iid))
        self.assertNotEqual(timers, old_timers)
        # Every participant's Handlers, each in their language; the incoming coordinator not
        # forwarded to learns that the scope changed, never the period nor the name.
        m = self.wait_case_mail("nl", iid, "Modify the alert", since)
        self.assertNotIn(NAME, mail_text(m))
        m = self.wait_case_mail("roc", iid, "Modify the alert", since)
        text, ro = mail_text(m), CATALOGUES["ro"]
        self.assertIn("- " + ro["Scope of the restriction or prohibition"], text)
        self.assertNotIn(ro["Valid until (end of the restriction, or the date to review it)"],
                         text)
        for secret in (NAME, COURT, self.today(30), "night shifts"):
            self.assertNotIn(secret, text)
        # The first period's timers were cancelled: its end passes without a reminder.
        self.move_clock("$1::timestamptz + interval '1 hour'", old_timers["expire"] + "+00")
        self.assertEqual(cases.state(s, iid), "sent")
        self.assertEqual(self.history(iid)[-1], ("modify", "user"))

    def test_10_the_modified_period_ends_and_the_alert_expires(self):
        s, iid = self.stack, self.own
        for event in ("remind-period-end", "expire"):
            for who in ("dkc-handler", "dkc", "nlc"):
                self.refused(who, event, iid=iid, codes=(403,))
        timers = self.live_timers(iid)
        since = self.sent()
        self.move_clock("$1::timestamptz + interval '1 hour'", timers["remind-period-end"] + "+00")
        self.assertEqual(self.history(iid)[-1], ("remind-period-end", "system"))
        self.assertEqual(cases.state(s, iid), "sent")
        for who in ("dkc", "dkc-handler"):
            m = self.wait_case_mail(who, iid, "Reminder: the restriction ends; modify or close the"
                                    " alert within 3 days", since)
            self.assertNotIn(NAME, mail_text(m))
        self.assertEqual(self.mails_about("nlc", iid, since), [])
        self.assertEqual(set(self.live_timers(iid)), {"expire"})
        since = self.sent()
        self.move_clock("$1::timestamptz + interval '1 hour'", timers["expire"] + "+00")
        self.assertEqual(self.history(iid)[-1], ("expire", "system"))
        self.assertEqual(cases.state(s, iid), "erased")
        self.assertEqual(s.psql("SELECT data->>'closed-at' IS NOT NULL FROM wf_instances"
                                " WHERE id = $1", iid)[0][0], "t")
        self.assertEqual(s.psql("SELECT bool_and(erased_at IS NOT NULL), string_agg(DISTINCT"
                                " data::text, '') FROM wf_form_versions WHERE instance_id = $1",
                                iid), [("t", "{}")])
        # The participants' Handlers and the sender's hear of it.
        for who in ("nl", "nlc", "roc", "dkc-handler"):
            m = self.wait_case_mail(who, iid, "The alert expired: its data are erased", since)
            self.assertNotIn(NAME, mail_text(m))
        self.assertEqual(self.live_timers(iid), {})
        for who in ("dkc-handler", "nl"):
            self.assertNotIn(NAME, self.sees(who, iid))
            self.assertEqual(cases.events(self.b[who], iid), set())

    # -- every transition was fired ------------------------------------------------------

    def test_zz_every_transition_fired(self):
        declared = {e for events in transitions().values() for e in events}
        fired = {e for (e,) in self.stack.psql(
            "SELECT DISTINCT h.event FROM wf_history h JOIN wf_instances i"
            " ON i.id = h.instance_id WHERE i.definition = 'pq-alert'")}
        self.assertEqual(declared - fired, set())


if __name__ == "__main__":
    tap.main()
