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
* a copy by an incoming coordinator holds profession and scope only.

The clock only moves forward, so the tests run in their numbered order on one stack."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
import cases  # noqa: E402
from people import first_sign_in, signed_in  # noqa: E402
from stack import Stack, mail_text  # noqa: E402

PA = "pq-alerts"
NAME = "Karen Margrethe Jensen"
COURT = "Københavns Byret"
SCOPE = "May not practise surgery; other nursing allowed under supervision."


class PqAlertTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd_user = s.bootstrap(country="BE")
        hd = first_sign_in(s, hd_user, "helpdesk@imiflow.invalid")
        cls.users, cls.emails, cls.ids = {}, {}, {}
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
        for c in ("dkc", "nlc", "roc"):
            authorities.grant(hd, cls.ids[c], PA, "coordinator")
        for a, c in (("dk", "dkc"), ("nl", "nlc"), ("ro", "roc")):
            authorities.grant(hd, cls.ids[a], PA, coordinators=[cls.ids[c]])
        cls.b = {who: first_sign_in(s, cls.users[who], cls.emails[who]) for who in cls.users}
        cls.iid = None

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

    def refused(self, who, event, fields=(), iid=None):
        iid = iid or self.iid
        before = cases.footprint(self.stack, iid)
        r = cases.fire(self.b[who], iid, event, fields, revision=str(before[5]))
        self.assertIn(r.status, (403, 404), f"{who} {event}: {r.status}")
        self.assertEqual(cases.footprint(self.stack, iid), before, f"{who} {event} wrote")

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
        self.move_clock("imi_now() + interval '2 days'")
        self.assertEqual(cases.state(s, iid), "closed")
        self.move_clock("imi_now() + interval '1 day 1 hour'")
        self.assertEqual(cases.state(s, iid), "erased")
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


if __name__ == "__main__":
    tap.main()
