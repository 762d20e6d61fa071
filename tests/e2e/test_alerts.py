#!/usr/bin/python3
"""test_alerts.py -- the Services alert (workflows/services-alert.xml, seed 002) through the
pages on the real stack, between Denmark (the sender), the Netherlands and Romania:

* every transition fired by the role the definition names, and a wrong role refused with
  nothing written (history, participants, form versions, comments, state, revision unchanged);
* the broadcast reaches every coordinator of each recipient country at once, and the
  Commission (the helpdesk); no coordinator of a country not chosen;
* two coordinators disseminating to the same authority at once: both succeed, the authority
  is a recipient once;
* comments, additional information, a closure proposal with an objection beside it, a comment
  withdrawn from view with a reason (kept in the log);
* modification after broadcast: a new version, the changed fields named in the recipients'
  mail, every version kept;
* copy into a new draft of the copier's (version 1, not sealed): the latest version's fields
  the copier may see, never its documents; Viewers may not, one who does not see the case 404;
* a comment racing closure: either it lands before the closure or it is refused, never after;
* the report printable until 7 days after closure, not later (business clock);
* withdrawal by the sender's coordinator;
* mails in each recipient's language;
* the rest of the header table, each transition as its role with wrong roles refused (403,
  404, 409, 422) and nothing written -- history, participants, versions, comments, state,
  revision, documents, timers, links, outbox, data: attach, the draft and approval
  reminders, return, delete (the draft's data erased), a Coordinator's own alert broadcast
  from the draft by its Approver, disseminate-more, and retention after closure and
  withdrawal (personal fields and documents 6 months after "closed-at", everything 3 years
  after);
* an Approver without the Handler role starts, edits, attaches to, submits and deletes no
  draft (seed 000).

The clock only moves forward, so the tests run in their numbered order on one stack; a final
test reads the history to check that every event of the definition was fired."""

import os
import sys
import threading
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from crawl import catalogue  # noqa: E402
import authorities  # noqa: E402
import cases  # noqa: E402
from browser import Browser  # noqa: E402
from people import PASSWORD, first_sign_in, signed_in  # noqa: E402
from stack import Stack, mail_text  # noqa: E402

TOP = Path(__file__).resolve().parent.parent.parent
WF = "{urn:imiflow:workflow:1}"
SA = "services-alerts"
PROVIDER = "Bygge Hansen ApS"
DESCRIPTION = "Asbestos removed without protection on building sites in Aarhus."


CATALOGUES = {lang: catalogue(lang) for lang in ("en", "da", "nl", "ro")}


def transitions():
    """{state: [event, ...]} of workflows/services-alert.xml."""
    root = ET.parse(TOP / "workflows" / "services-alert.xml").getroot()
    return {s.get("name"): [x.get("event") for x in s.findall(f"{WF}transition")]
            for s in root.findall(f"{WF}state")}


class AlertTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd_user = s.bootstrap(country="BE")
        cls.users = {"hd": hd_user}
        hd = first_sign_in(s, hd_user, "helpdesk@imiflow.invalid")
        cls.ids = {"hd": int(s.psql("SELECT id FROM authorities WHERE is_helpdesk")[0][0])}
        cls.emails = {"hd": "helpdesk@imiflow.invalid"}
        cls.lang = {"hd": "en"}
        cls.pw = {}
        for who, name, country, first, lang in (
                ("dkc", "Erhvervsstyrelsen", "DK", "Carl", "da"),
                ("dkc2", "Sikkerhedsstyrelsen", "DK", "Dorte", "da"),
                ("dk", "Arbejdstilsynet", "DK", "Mette", "da"),
                ("nlc", "Ministerie van Economische Zaken", "NL", "Eva", "nl"),
                ("nlc2", "Inspectie SZW", "NL", "Femke", "nl"),
                ("nl", "Kamer van Koophandel", "NL", "Sanne", "nl"),
                ("nl2", "Gemeente Utrecht", "NL", "Joost", "nl"),
                ("roc", "Ministerul Economiei", "RO", "Ioana", "ro"),
                ("ro", "Inspectia Muncii", "RO", "Mihai", "ro")):
            cls.ids[who], cls.users[who] = authorities.register(hd, name, country, first,
                                                                language=lang)
            cls.emails[who] = f"{first.lower()}@example.{country.lower()}"
            cls.lang[who] = lang
        # The helpdesk is the Commission in the exchange: a Coordinator access, so its
        # Administrators hold the module's roles and see the cases it participates in.
        authorities.grant(hd, cls.ids["hd"], SA, "coordinator")
        for c in ("dkc", "dkc2", "nlc", "nlc2", "roc"):
            authorities.grant(hd, cls.ids[c], SA, "coordinator")
        for a, c in (("dk", "dkc"), ("nl", "nlc"), ("nl2", "nlc2"), ("ro", "roc")):
            authorities.grant(hd, cls.ids[a], SA, coordinators=[cls.ids[c]])
        cls.b = {"hd": signed_in(s, hd_user)}
        for who in cls.emails:
            if who != "hd":
                cls.b[who] = first_sign_in(s, cls.users[who], cls.emails[who])
        # Fewer roles: a Viewer at the sender, a Viewer at a recipient, a Handler at the
        # sender's coordinator (no Approver).
        cls.add_user("dk-viewer", "dk", "Vera", "vera@example.dk", ["viewer"])
        cls.add_user("nl-viewer", "nl", "Vincent", "vincent@example.nl", ["viewer"])
        cls.add_user("dkc-handler", "dkc", "Hans", "hans@example.dk", ["viewer", "handler"])
        # An Approver without the Handler role (seed 000: "To be able to draft and submit
        # notifications or alerts, an Approver must also have the handler role").
        cls.add_user("dkc-approver", "dkc", "Anna", "anna@example.dk", ["viewer", "approver"])
        cls.iid = None
        cls.withdrawn = None

    @classmethod
    def add_user(cls, key, who, first, email, roles):
        """A user of who's authority with roles in the module, signed in as cls.b[key] (and
        kept in cls.users, so that it signs in again when the clock moves)."""
        admin = cls.b[who]
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", cases.csrf(admin)), ("first_name", first), ("last_name", "Test"),
                  ("user_email", email), ("language", "en"), ("phone", ""), ("username", ""),
                  ("action", "save")] + [("role", f"{SA}:{r}") for r in roles]
        r = admin.post(f"/authorities/{cls.ids[who]}/users/new", fields)
        assert r.status == 200, r.text[-800:]
        cls.users[key] = r.html().by_id("new-username").text
        cls.emails[key] = email
        cls.b[key] = first_sign_in(cls.stack, cls.users[key], email, before=before)

    # -- helpers ------------------------------------------------------------------------

    def form(self, countries=("NL", "RO"), description=DESCRIPTION):
        f = [("legal-basis", "art-29-3"), ("risk", "health"), ("service-activity", "Construction"),
             ("establishment", "DK"), ("provider", PROVIDER),
             ("provider-details", "Vestergade 1, 8000 Aarhus; CVR 12345678"),
             ("description", description), ("probability", "likely"),
             ("measures", "Activity suspended by Arbejdstilsynet.")]
        return f + [("recipient-countries", c) for c in countries]

    def fire(self, who, event, fields=(), iid=None, expect=303, file=None):
        r = cases.fire(self.b[who], iid or self.iid, event, fields, file=file)
        self.assertEqual(r.status, expect, f"{who} {event}: {r.status} {r.text[-600:]}")
        return r

    def refused(self, who, event, fields=(), iid=None, codes=(403, 404), file=None):
        """who may not fire event: 403 (or 404 when they may not even see the case; 409 when
        the case's state has no such transition), and the case is exactly as it was."""
        iid = iid or self.iid
        before = self.fp(iid)
        r = cases.fire(self.b[who], iid, event, fields, revision=str(before[5]), file=file)
        self.assertIn(r.status, codes, f"{who} {event}: {r.status}")
        self.assertEqual(self.fp(iid), before, f"{who} {event} wrote")
        return r

    def fp(self, iid):
        """What cases.footprint reads (history, participants, form versions, comments, state,
        revision at [5]) and the rest a transition may write: documents, timers, mail links,
        the outbox (every mail queued anywhere) and the instance's data."""
        return tuple(self.stack.psql(
            "SELECT (SELECT count(*) FROM wf_history WHERE instance_id = $1),"
            " (SELECT string_agg(role || ':' || authority_id || ':' || state, ',' ORDER BY role,"
            "   authority_id) FROM wf_participants WHERE instance_id = $1),"
            " (SELECT count(*) FROM wf_form_versions WHERE instance_id = $1),"
            " (SELECT count(*) || '/' || count(withdrawn_seq) FROM wf_comments"
            "   WHERE instance_id = $1),"
            " i.state, i.rev,"
            " (SELECT count(*) FROM wf_documents WHERE instance_id = $1),"
            " (SELECT count(*) || '/' || count(fired_at) || '/' || count(cancelled_at)"
            "   FROM wf_timers WHERE instance_id = $1),"
            " (SELECT count(*) FROM wf_links WHERE instance_id = $1),"
            " (SELECT count(*) FROM outbox), i.data::text"
            " FROM wf_instances i WHERE i.id = $1", iid)[0])

    def move_clock(self, expr, *params, who=None):
        """imi_now() becomes expr (never back); due timers fire, mails leave; everyone (or
        those in who) signs in again (sessions end with the clock)."""
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
        type(self).b = {w: self.sign_in_again(w) for w in (who or self.users)}

    @classmethod
    def sign_in_again(cls, who):
        """who signed in; a password that expired while the clock moved months is changed."""
        b = Browser(cls.stack.url)
        b.get("/login")
        r = b.post("/login", {"username": cls.users[who], "password": cls.pw.get(who, PASSWORD),
                              "csrf": b.cookie("imiflow_login")})
        if r.status == 303 and r.location_path == "/password":
            new = f"Renewed{len(cls.pw) + 10}password"
            page = b.get("/password")
            r = b.post("/password", {"current": cls.pw.get(who, PASSWORD), "new": new,
                                     "confirm": new, "csrf": page.html().csrf()})
            assert r.status == 303, (who, r.status, r.text[-600:])
            cls.pw[who] = new
            return b
        assert r.status == 303 and r.location_path == "/", (who, r.status, r.location_path)
        return b

    def said(self, who, key):
        """key (a label of the definition) in who's language, as a mail writes it."""
        return CATALOGUES[self.lang.get(who, "en")].get(key, key)

    def wait_case_mail(self, who, iid, key, since=()):
        """The mail to who about case iid saying key in who's language."""
        want = self.said(who, key)
        return self.stack.wait_mail(
            lambda m: self.emails[who] in m["To"] and m.path not in since
            and f"/instances/{iid}" in mail_text(m) and want in mail_text(m), timeout=20)

    def history(self, iid):
        return [(e, k) for e, k in self.stack.psql(
            "SELECT event, actor_kind FROM wf_history WHERE instance_id = $1 ORDER BY seq", iid)]

    def live_timers(self, iid):
        """{timer event: due_at - imi_now() in whole hours} of the case's running timers."""
        return {e: int(h) for e, h in self.stack.psql(
            "SELECT event, round(extract(epoch FROM due_at - imi_now()) / 3600) FROM wf_timers"
            " WHERE instance_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL", iid)}

    def mails_to(self, who, since=()):
        return [m for m in self.stack.mails()
                if self.emails.get(who, "-") in m["To"] and m.path not in since]

    def wait_mail_to(self, who, contains, since=(), timeout=20):
        return self.stack.wait_mail(lambda m: self.emails[who] in m["To"] and m.path not in since
                                    and contains in mail_text(m), timeout=timeout)

    def sent(self):
        return {m.path for m in self.stack.mails()}

    # -- draft and approval -------------------------------------------------------------

    def test_01_draft_is_the_senders(self):
        cls = type(self)
        cls.iid = cases.start(self.b["dk"], "services-alert")
        self.assertEqual(cases.state(self.stack, self.iid), "draft")
        self.fire("dk", "edit", self.form())
        ver = self.stack.psql("SELECT version, sealed, data->>'provider' FROM wf_form_versions"
                              " WHERE instance_id = $1", self.iid)
        self.assertEqual(ver, [("1", "f", PROVIDER)])
        # Editing again overwrites the unsealed draft version.
        self.fire("dk", "edit", self.form())
        self.assertEqual(cases.footprint(self.stack, self.iid)[2], "1")
        # Nobody outside the sender sees a draft, not even its coordinator.
        for who in ("dkc", "nlc", "nl", "hd"):
            self.assertIsNone(cases.model(self.b[who], self.iid), who)
        # A Viewer only sees; a coordinator's user may not edit.
        self.assertIsNotNone(cases.model(self.b["dk-viewer"], self.iid))
        self.refused("dk-viewer", "edit", self.form(description="changed by a viewer"))
        self.refused("dkc", "edit", self.form(description="changed by the coordinator"))
        self.refused("dk", "broadcast")          # an Authority's user has no Approver role

    def test_02_submit_mails_an_approval_link(self):
        since = self.sent()
        self.refused("dk-viewer", "submit")
        self.fire("dk", "submit")
        self.assertEqual(cases.state(self.stack, self.iid), "awaiting-approval")
        m = self.wait_mail_to("dkc", "/links/", since)
        self.assertIn("Varsling om tjenesteydelser", mail_text(m))     # in Danish
        self.assertIn(f"/instances/{self.iid}", mail_text(m))
        self.assertNotIn(PROVIDER, mail_text(m))                    # no personal data by mail
        # Not the coordinator DK has no link with, nor the recipients yet.
        self.assertEqual(self.mails_to("dkc2", since), [])
        self.assertEqual(self.mails_to("nlc", since), [])

    def test_03_approval_broadcasts_to_every_coordinator(self):
        since = self.sent()
        # The author's side cannot approve, nor a Handler of the coordinator, nor another
        # country's coordinator.
        self.refused("dk", "approve")
        self.refused("dkc-handler", "approve")
        self.refused("nlc", "approve")
        self.fire("dkc", "approve")
        s = self.stack
        self.assertEqual(cases.state(s, self.iid), "broadcast")
        ids = self.ids
        self.assertEqual(cases.participants(s, self.iid, "recipient-coordinator"),
                         {ids["nlc"]: "received", ids["nlc2"]: "received", ids["roc"]: "received"})
        self.assertEqual(cases.participants(s, self.iid, "commission"), {ids["hd"]: "received"})
        self.assertEqual(s.psql("SELECT sealed FROM wf_form_versions WHERE instance_id = $1",
                                self.iid), [("t",)])
        # Each coordinator's Approvers are mailed, in their own language.
        nl = self.wait_mail_to("nlc", "Waarschuwing inzake diensten", since)
        ro = self.wait_mail_to("roc", "Alertă privind serviciile", since)
        self.wait_mail_to("nlc2", "Waarschuwing inzake diensten", since)
        for m in (nl, ro):
            self.assertIn(f"/instances/{self.iid}", mail_text(m))
            self.assertNotIn(PROVIDER, mail_text(m))
        # Every recipient coordinator sees the case now; an authority not yet disseminated to
        # does not, nor a Danish coordinator not linked to the sender.
        for who in ("nlc", "nlc2", "roc", "hd", "dkc"):
            self.assertIsNotNone(cases.model(self.b[who], self.iid), who)
        for who in ("nl", "ro", "dkc2"):
            self.assertIsNone(cases.model(self.b[who], self.iid), who)

    # -- dissemination -------------------------------------------------------------------

    def test_04_two_coordinators_disseminate_at_once(self):
        self.refused("nl", "disseminate", [("authorities", str(self.ids["nl"]))])
        self.refused("dkc", "disseminate", [("authorities", str(self.ids["dk"]))])
        since = self.sent()
        both = [("authorities", str(self.ids["nl"])), ("authorities", str(self.ids["nl2"]))]
        barrier, results = threading.Barrier(2), {}

        def go(who):
            b = self.b[who]
            parts = [("csrf", cases.csrf(b)), ("rev", cases.rev(b, self.iid))] + both
            barrier.wait()
            results[who] = b.post(f"/instances/{self.iid}/fire/disseminate", parts).status

        threads = [threading.Thread(target=go, args=(w,)) for w in ("nlc", "nlc2")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, {"nlc": 303, "nlc2": 303})
        s, ids = self.stack, self.ids
        self.assertEqual(cases.participants(s, self.iid, "recipient-authority"),
                         {ids["nl"]: "received", ids["nl2"]: "received"})
        self.assertEqual(cases.participants(s, self.iid, "recipient-coordinator"),
                         {ids["nlc"]: "disseminated", ids["nlc2"]: "disseminated",
                          ids["roc"]: "received"})
        self.wait_mail_to("nl", "Waarschuwing inzake diensten", since)
        # Once disseminated, "disseminate" is no longer theirs; "disseminate-more" is.
        self.assertNotIn("disseminate", cases.events(self.b["nlc"], self.iid))
        self.assertIn("disseminate-more", cases.events(self.b["nlc"], self.iid))
        # A coordinator disseminates only to its own country.
        self.fire("roc", "disseminate", [("authorities", str(self.ids["ro"])),
                                         ("authorities", str(self.ids["nl"]))])
        self.assertEqual(cases.participants(s, self.iid, "recipient-authority"),
                         {ids["nl"]: "received", ids["nl2"]: "received", ids["ro"]: "received"})
        for who in ("nl", "nl2", "ro", "nl-viewer"):
            self.assertIsNotNone(cases.model(self.b[who], self.iid), who)

    # -- comments ------------------------------------------------------------------------

    def test_05_comments_without_approval(self):
        since = self.sent()
        self.refused("nl-viewer", "comment", [("text", "A viewer's opinion")])
        self.refused("dkc2", "comment", [("text", "Not a party")])
        self.fire("nl", "comment", [("text", "Bygge Hansen also works in Utrecht.")])
        self.fire("ro", "add-information", [("text", "No activity known in Romania.")],
                  file=("document", "ro-register.pdf", b"%PDF-1.4 extract"))
        self.fire("roc", "propose-closure", [("text", "The activity was suspended.")])
        proposal = self.stack.psql("SELECT id FROM wf_comments WHERE instance_id = $1"
                                   " AND type = 'closure-proposal'", self.iid)[0][0]
        self.fire("nl", "object", [("proposal", proposal),
                                   ("text", "It goes on in the Netherlands.")])
        # A Handler of the sender's coordinator comments too (seed 000: a Coordinator's
        # Handler comments and uploads; it neither approves nor disseminates).
        self.fire("dkc-handler", "add-information", [("text", "The Danish register agrees.")])
        rows = self.stack.psql("SELECT type, by_authority, answers FROM wf_comments"
                               " WHERE instance_id = $1 ORDER BY id", self.iid)
        ids = self.ids
        self.assertEqual(rows, [("comment", str(ids["nl"]), None),
                                ("additional-information", str(ids["ro"]), None),
                                ("closure-proposal", str(ids["roc"]), None),
                                ("objection", str(ids["nl"]), proposal),
                                ("additional-information", str(ids["dkc"]), None)])
        # The sender's Handlers hear of it, in Danish.
        self.wait_mail_to("dk", "Gør indsigelse mod afslutning", since)
        # A coordinator withdraws an unjustified comment from view, with a reason; the
        # comment and both history rows stay.
        comment = self.stack.psql("SELECT id FROM wf_comments WHERE instance_id = $1"
                                  " AND type = 'comment'", self.iid)[0][0]
        self.refused("nl", "withdraw-comment", [("comment", comment), ("reason", "Mine")])
        self.fire("nlc", "withdraw-comment", [("comment", comment),
                                              ("reason", "Names a person without need.")])
        self.assertEqual(self.stack.psql(
            "SELECT c.withdrawn_reason, h.event FROM wf_comments c JOIN wf_history h"
            " ON h.instance_id = c.instance_id AND h.seq = c.withdrawn_seq WHERE c.id = $1",
            comment), [("Names a person without need.", "withdraw-comment")])

    # -- modification --------------------------------------------------------------------

    def test_06_modification_keeps_every_version(self):
        since = self.sent()
        self.refused("nl", "modify", self.form(description="A recipient rewrites it"))
        self.fire("dk", "modify", self.form(description=DESCRIPTION + " Also in Odense."))
        s = self.stack
        rows = s.psql("SELECT version, sealed, changed, data->>'description' FROM"
                      " wf_form_versions WHERE instance_id = $1 ORDER BY version", self.iid)
        self.assertEqual([r[:3] for r in rows], [("1", "t", "{}"), ("2", "t", "{description}")])
        self.assertEqual(rows[0][3], DESCRIPTION)
        # The history names the version and the changed field, never the values.
        h = s.psql("SELECT inputs::text FROM wf_history WHERE instance_id = $1 AND event = 'modify'",
                   self.iid)[0][0]
        self.assertNotIn("Odense", h)
        # Both versions are readable on the case page, the changed field marked.
        old = self.b["roc"].get(f"/instances/{self.iid}?version=1")
        self.assertEqual(old.status, 200)
        self.assertIn(DESCRIPTION, old.text)
        self.assertNotIn("Odense", old.text)
        self.assertIn("Odense", self.b["roc"].get(f"/instances/{self.iid}?version=2").text)
        form = cases.model(self.b["roc"], self.iid, "?version=2").find("form")
        changed = {f.get("name") for f in form.iter("field") if f.get("changed") == "true"}
        self.assertEqual(changed, {"description"})
        # Recipients are told, in their language, without the values.
        m = self.wait_mail_to("ro", "Modifică alerta", since)
        text = mail_text(m)
        self.assertIn(f"/instances/{self.iid}", text)
        self.assertNotIn("Odense", text)
        # ... naming what changed (the field, in Romanian: version 2) and the summary fields
        # everyone may see, with their values in words; never a field with <shown-to> or a
        # field's value that is no summary.
        self.assertIn("Versiunea 2 a modificat", text)
        self.assertIn("- Descrierea faptelor sau a împrejurărilor", text)
        self.assertIn("Natura riscului: Sănătatea persoanelor", text)
        self.assertIn("Construction", text)
        self.assertNotIn(DESCRIPTION, text)

    # -- copy ----------------------------------------------------------------------------

    def copy(self, who, expect=303):
        """who copies the alert: the new instance's id (or None when refused, nothing made)."""
        b, s = self.b[who], self.stack
        n = s.psql("SELECT count(*) FROM wf_instances")[0][0]
        r = b.post(f"/instances/{self.iid}/copy", {"csrf": cases.csrf(b)})
        self.assertEqual(r.status, expect, f"{who} copy: {r.status} {r.text[-600:]}")
        if expect != 303:
            self.assertEqual(s.psql("SELECT count(*) FROM wf_instances")[0][0], n, who)
            return None
        return int(r.location_path.rsplit("/", 1)[1])

    def test_06a_copy_into_a_new_draft(self):
        s = self.stack
        # The latest version carries a document, which a copy leaves behind.
        self.fire("dk", "modify", self.form(description=DESCRIPTION + " Also in Odense."),
                  file=("evidence", "photos.pdf", b"%PDF-1.4 photos"))
        latest = "(SELECT data FROM wf_form_versions WHERE instance_id = $1 ORDER BY version DESC" \
                 " LIMIT 1)"
        self.assertEqual(s.psql(f"SELECT {latest} ? 'evidence'", self.iid)[0][0], "t")
        before = cases.footprint(s, self.iid)
        for who, iid_owner in (("dk", "dk"), ("nl", "nl")):
            new = self.copy(who)
            self.assertNotEqual(new, self.iid)
            self.assertEqual(s.psql("SELECT definition, state, authority_id FROM wf_instances"
                                    " WHERE id = $1", new),
                             [("services-alert", "draft", str(self.ids[iid_owner]))])
            # Version 1, not sealed, nothing changed: the latest version's fields but files.
            self.assertEqual(s.psql("SELECT version, sealed, changed FROM wf_form_versions"
                                    " WHERE instance_id = $1", new), [("1", "f", "{}")])
            self.assertEqual(s.psql(f"SELECT {latest} - 'evidence' = (SELECT data FROM"
                                    " wf_form_versions WHERE instance_id = $2)",
                                    self.iid, new)[0][0], "t", who)
            copied = cases.model(self.b[who], new)
            self.assertIn("Odense", " ".join(f.text or "" for f in copied.find("form")
                                             .iter("field")))
            # ... and only what the copier may see of the case.
            seen = {f.get("name") for f in cases.model(self.b[who], self.iid).find("form")
                    .iter("field") if f.get("type") != "file"}
            keys = {k for (k,) in s.psql("SELECT jsonb_object_keys(data) FROM wf_form_versions"
                                          " WHERE instance_id = $1", new)}
            self.assertLessEqual(keys, seen, who)
            # Nothing else comes along: no recipients, comments, documents; the new draft is
            # the copier's alone, to edit and submit.
            self.assertEqual(s.psql("SELECT (SELECT count(*) FROM wf_participants WHERE"
                                    " instance_id = $1) + (SELECT count(*) FROM wf_comments WHERE"
                                    " instance_id = $1) + (SELECT count(*) FROM wf_documents WHERE"
                                    " instance_id = $1)", new)[0][0], "0")
            self.assertIn("submit", cases.events(self.b[who], new))
            for other in {"dk", "nl", "dkc", "nlc", "hd"} - {who}:
                self.assertIsNone(cases.model(self.b[other], new), (who, other))
        # Viewers may not start one, so may not copy; one who does not see the case gets 404.
        self.copy("dk-viewer", expect=403)
        self.copy("nl-viewer", expect=403)
        self.copy("dkc2", expect=404)
        # The case copied is unchanged.
        self.assertEqual(cases.footprint(s, self.iid), before)

    # -- closure -------------------------------------------------------------------------

    def test_07_a_comment_racing_closure(self):
        # The helpdesk closes only once the sender's alert coordinator instructed it
        # (<if field="closure-instructed-at"/>): before, close is refused, says so, and is no
        # task of the helpdesk's.
        before = cases.footprint(self.stack, self.iid)
        r = cases.fire(self.b["hd"], self.iid, "close", [("note", "Too early")],
                       revision=str(before[5]))
        self.assertEqual(r.status, 403)
        lead = r.html().find("p", class_="lead")
        self.assertEqual((lead.attrs.get("data-reason"), lead.attrs.get("data-name")),
                         ("field", "closure-instructed-at"))
        self.assertIn(CATALOGUES["en"]["field.closure-instructed-at"], lead.text)
        self.assertEqual(cases.footprint(self.stack, self.iid), before)
        tasks = self.b["hd"].get("/tasks?format=xml").text
        self.assertNotIn(f'<case-task id="{self.iid}"', tasks)
        self.refused("dk", "instruct-closure", [("text", "Please close")])
        self.fire("dkc", "instruct-closure", [("text", "The provider stopped; please close.")])
        # Now the closure waits in the helpdesk Approver's My tasks.
        tasks = self.b["hd"].get("/tasks?format=xml").text
        self.assertRegex(tasks, f'<case-task id="{self.iid}"[^>]*event="close"')
        self.refused("dkc", "close")          # only the helpdesk closes
        self.refused("nlc", "close")
        barrier, results = threading.Barrier(2), {}

        def go(who, event, fields):
            b = self.b[who]
            parts = [("csrf", cases.csrf(b)), ("rev", cases.rev(b, self.iid))] + fields
            barrier.wait()
            results[who] = b.post(f"/instances/{self.iid}/fire/{event}", parts).status

        threads = [threading.Thread(target=go, args=("nl2", "comment",
                                                     [("text", "One last remark.")])),
                   threading.Thread(target=go, args=("hd", "close", [("note", "Instructed.")]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        s = self.stack
        if results["hd"] != 303:
            # The comment came first: the closure was fired on the case as it was before it
            # and is refused as "changed meanwhile"; the helpdesk looks again and closes.
            self.assertEqual((results["hd"], results["nl2"]), (409, 303))
            self.assertEqual(cases.state(s, self.iid), "broadcast")
            self.fire("hd", "close", [("note", "Instructed.")])
        self.assertEqual(cases.state(s, self.iid), "closed")
        close_seq = int(s.psql("SELECT seq FROM wf_history WHERE instance_id = $1"
                               " AND event = 'close'", self.iid)[0][0])
        last = s.psql("SELECT seq FROM wf_comments WHERE instance_id = $1"
                      " AND body = 'One last remark.'", self.iid)
        if results["nl2"] == 303 and last:
            self.assertLess(int(last[0][0]), close_seq)     # before the closure, never after
        else:
            self.assertIn(results["nl2"], (403, 409))
            self.assertEqual(last, [])
        # Closed: no more comments.
        self.refused("nl", "comment", [("text", "Too late")], codes=(409,))

    def days_after_closure(self, interval):
        """Moves the business clock to closed-at + interval (forward only); sessions end with
        it, so the first users sign in again."""
        s = self.stack
        s.psql("UPDATE clock SET offset_interval = ((SELECT (data->>'closed-at')::timestamptz"
               " FROM wf_instances WHERE id = $1) + $2::interval) - now()", self.iid, interval)
        type(self).b = {w: signed_in(s, self.users[w]) for w in self.users}

    def test_08_report_window(self):
        if self.b["dk"].get(f"/instances/{self.iid}/report").status == 404 and \
                self.b["dk"].get(f"/instances/{self.iid}").status == 200:
            self.skipTest("no report page yet (/instances/ID/report, the pages part)")
        for who in ("dk", "nl", "roc", "hd"):
            self.assertEqual(self.b[who].get(f"/instances/{self.iid}/report").status, 200, who)
        self.days_after_closure("6 days 23 hours")
        self.assertEqual(self.b["nl"].get(f"/instances/{self.iid}/report").status, 200)
        self.days_after_closure("7 days 1 hour")
        for who in ("dk", "nl", "roc", "hd"):
            self.assertNotEqual(self.b[who].get(f"/instances/{self.iid}/report").status, 200, who)
        # The case itself stays readable.
        self.assertIsNotNone(cases.model(self.b["nl"], self.iid))

    # -- withdrawal ----------------------------------------------------------------------

    def test_09_withdrawal_by_the_senders_coordinator(self):
        iid = cases.start(self.b["dk"], "services-alert")
        self.fire("dk", "edit", self.form(countries=("RO",)), iid=iid)
        self.fire("dk", "submit", iid=iid)
        self.fire("dkc", "approve", iid=iid)
        self.assertEqual(set(cases.participants(self.stack, iid, "recipient-coordinator")),
                         {self.ids["roc"]})
        since = self.sent()
        self.refused("dk", "withdraw", [("reason", "Sent in error")], iid=iid)
        self.refused("roc", "withdraw", [("reason", "Not ours")], iid=iid)
        self.fire("dkc", "withdraw", [("reason", "Sent to the wrong country.")], iid=iid)
        self.assertEqual(cases.state(self.stack, iid), "withdrawn")
        type(self).withdrawn = iid
        self.wait_mail_to("roc", "Retrage alerta", since)

    def test_10_search_by_a_summary_choice_in_words(self):
        """Alerts & notifications -> Search offers each summary field that is a choice (the
        nature of the risk) as a select in the user's language, and filters on it."""
        b = self.b["roc"]
        page = b.get("/cases?definition=services-alert")
        self.assertEqual(page.status, 200)
        select = page.html().find("select", id="f-risk")
        self.assertIsNotNone(select, "no select for the nature of the risk")
        self.assertIn("Sănătatea persoanelor", select.text)        # Romanian, in words
        found = b.get_xml("/cases?definition=services-alert&f-risk=health").xml()
        ids = {c.get("id") for c in found.iter("case")}
        self.assertIn(str(self.iid), ids)
        none = b.get_xml("/cases?definition=services-alert&f-risk=environment").xml()
        self.assertNotIn(str(self.iid), {c.get("id") for c in none.iter("case")})
        # A field that is no summary field filters nothing in (it cannot reveal a value).
        hidden = b.get_xml("/cases?definition=services-alert&f-provider=x").xml()
        self.assertEqual({c.get("id") for c in hidden.iter("case")}, set())

    def test_10a_a_danish_reader_meets_no_english(self):
        """Issue 16: a Danish user refused a step reads why in Danish (the role by its label,
        the party in words), not the engine's English detail; countries show by their Danish
        names on the case and in the search's select, sorted by them."""
        s, da = self.stack, CATALOGUES["da"]
        iid = cases.start(self.b["dk"], "services-alert")
        self.fire("dk", "edit", self.form(countries=("NL", "RO")), iid=iid)
        # The Viewer reads Danish from now on (the next sign-in reads the profile).
        s.psql("UPDATE users SET language = 'da' WHERE username = $1", self.users["dk-viewer"])
        try:
            self.b["dk-viewer"] = self.sign_in_again("dk-viewer")
            before = self.fp(iid)
            r = cases.fire(self.b["dk-viewer"], iid, "edit", self.form(), revision=str(before[5]))
            self.assertEqual(r.status, 403, r.text[-600:])
            self.assertEqual(self.fp(iid), before)
            lead = r.html().find("p", class_="lead").text
            want = da["error.reason.role-party"].replace("{1}", da["role.handler"]).replace(
                "{2}", da["party.own-authority"])
            self.assertEqual(lead, want)
            for english in ("the role", "for", "does not hold", "which you do not have",
                            "own-authority", "handler"):
                self.assertNotRegex(lead, r"\b%s\b" % english, lead)
        finally:
            s.psql("UPDATE users SET language = 'en' WHERE username = $1",
                   self.users["dk-viewer"])
            self.b["dk-viewer"] = self.sign_in_again("dk-viewer")
        # The case's recipient countries in Danish, on the case's page.
        page = self.b["dk"].get(f"/instances/{iid}")
        self.assertEqual(page.status, 200)
        shown = page.html().find("dd", data_field="recipient-countries").text
        self.assertEqual(shown, "Nederlandene, Rumænien")
        # The search's country select: every country in Danish, by its Danish name.
        page = self.b["dk"].get("/cases?definition=services-alert")
        select = page.html().find("select", id="country")
        names = [o.text for o in select.find_all("option") if o.attrs.get("value")]
        self.assertIn("Danmark", names)
        self.assertNotIn("Denmark", names)
        self.assertNotIn("DK", names)
        self.assertEqual(names, sorted(names, key=lambda n: n.casefold()))

    # -- a draft: attached to, reminded, returned, deleted -------------------------------

    def test_11_attach_remind_return_delete(self):
        s = self.stack
        iid = cases.start(self.b["dk"], "services-alert")
        self.fire("dk", "edit", self.form(countries=("RO",)), iid=iid)
        self.assertEqual(self.live_timers(iid), {"remind-draft": 120})
        # attach: the sender's Handler adds a document; a Viewer may not, nor the coordinator
        # (the draft is not its yet), nor the Approver-only user of the coordinator.
        doc = ("document", "inspection.pdf", b"%PDF-1.4 inspection report")
        self.refused("dk-viewer", "attach", iid=iid, file=doc, codes=(403,))
        self.refused("dkc", "attach", iid=iid, file=doc, codes=(404,))
        self.refused("dkc-approver", "attach", iid=iid, file=doc, codes=(404,))
        self.fire("dk", "attach", iid=iid, file=doc)
        self.assertEqual(cases.state(s, iid), "draft")
        rows = s.psql("SELECT d.id, d.input, d.filename, h.event FROM wf_documents d JOIN"
                      " wf_history h ON h.instance_id = d.instance_id AND h.seq = d.seq"
                      " WHERE d.instance_id = $1", iid)
        self.assertEqual([r[1:] for r in rows], [("document", "inspection.pdf", "attach")])
        for who in ("dk", "dk-viewer"):
            r = self.b[who].get(f"/instances/{iid}/documents/{rows[0][0]}")
            self.assertEqual((r.status, r.body), (200, doc[2]), who)
        # remind-draft: the system's, 5 days after the last edit, to the sender's Handlers.
        for who in ("dk", "dkc-handler"):
            self.refused(who, "remind-draft", iid=iid)
        since = self.sent()
        self.move_clock("imi_now() + interval '5 days 1 hour'")
        self.assertEqual(self.history(iid)[-1], ("remind-draft", "system"))
        self.assertEqual(cases.state(s, iid), "draft")
        m = self.wait_case_mail("dk", iid, "Reminder: the alert is still a draft", since)
        self.assertNotIn(PROVIDER, mail_text(m))
        self.assertEqual(self.mails_to("dkc", since), [])
        self.assertEqual(self.live_timers(iid), {})             # spent
        # remind-approval: 2 days after submitting, to the sender and the coordinator's
        # Approvers (with the approval link).
        self.fire("dk", "submit", iid=iid)
        self.assertEqual(self.live_timers(iid), {"remind-approval": 48})
        for who in ("dk", "dkc"):
            self.refused(who, "remind-approval", iid=iid, codes=(403,))
        since = self.sent()
        self.move_clock("imi_now() + interval '2 days 1 hour'")
        self.assertEqual(self.history(iid)[-1], ("remind-approval", "system"))
        self.assertEqual(cases.state(s, iid), "awaiting-approval")
        self.wait_case_mail("dk", iid, "Reminder: the alert awaits approval", since)
        m = self.wait_case_mail("dkc", iid, "Reminder: the alert awaits approval", since)
        self.assertIn("/links/", mail_text(m))
        # return: an Approver of the sender's coordinator, with a comment; the sender's
        # Handlers are told, the draft reminder runs again.
        comment = [("comment", "Name the sites concerned, please.")]
        for who, codes in (("dk", (403,)), ("dkc-handler", (403,)), ("dk-viewer", (403,)),
                           ("dkc2", (404,)), ("roc", (404,)), ("nlc", (404,))):
            self.refused(who, "return", comment, iid=iid, codes=codes)
        r = self.refused("dkc", "return", iid=iid, codes=(422,))      # the comment is required
        # The form again is a page like any other: its menus too, though a POST reads the
        # session without them (they are read when a page is shown: engine/web/session.h).
        self.assertIsNotNone(r.html().by_id("nav-group-cases"), "no case menu on the 422 page")
        since = self.sent()
        self.fire("dkc", "return", comment, iid=iid)
        self.assertEqual(cases.state(s, iid), "draft")
        self.assertEqual(s.psql("SELECT data->>'comment' FROM wf_instances WHERE id = $1",
                                iid)[0][0], comment[0][1])
        self.wait_case_mail("dk", iid, "Return to the author", since)
        self.assertEqual(self.live_timers(iid), {"remind-draft": 120})
        self.assertEqual(cases.participants(s, iid, "recipient-coordinator"), {})
        # delete: the sender's Handler; the draft's content goes with it (no retention timer
        # ever reaches a deleted draft).
        for who, codes in (("dk-viewer", (403,)), ("dkc", (403, 404)),
                           ("dkc-handler", (403, 404)), ("roc", (404,))):
            self.refused(who, "delete", iid=iid, codes=codes)
        self.fire("dk", "delete", iid=iid)
        self.assertEqual(cases.state(s, iid), "deleted")
        self.assertEqual(self.live_timers(iid), {})
        self.assertEqual(cases.events(self.b["dk"], iid), set())
        self.assertEqual(s.psql("SELECT bool_and(erased_at IS NOT NULL), string_agg(data::text,"
                                " '') FROM wf_form_versions WHERE instance_id = $1", iid),
                         [("t", "{}")])
        self.assertEqual(s.psql("SELECT sum(octet_length(content)) FROM wf_documents"
                                " WHERE instance_id = $1", iid)[0][0], "0")
        self.assertNotIn(PROVIDER, self.b["dk"].get(f"/instances/{iid}").text)
        self.refused("dk", "edit", self.form(), iid=iid, codes=(409,))

    # -- a coordinator's own alert: broadcast from the draft, disseminated more ----------

    def test_12_a_coordinator_broadcasts_its_own_alert(self):
        s, ids = self.stack, self.ids
        # An Approver without the Handler role starts no draft...
        n = s.psql("SELECT count(*) FROM wf_instances")[0][0]
        b = self.b["dkc-approver"]
        r = b.post("/workflows/services-alert/start", {"csrf": cases.csrf(b)})
        self.assertIn(r.status, (403, 404))
        self.assertEqual(s.psql("SELECT count(*) FROM wf_instances")[0][0], n)
        iid = cases.start(self.b["dkc-handler"], "services-alert")
        self.assertEqual(s.psql("SELECT authority_id FROM wf_instances WHERE id = $1", iid),
                         [(str(ids["dkc"]),)])
        # ... nor edits nor deletes one of its authority's, though it sees it.
        self.assertIsNotNone(cases.model(b, iid))
        for event in ("edit", "attach", "delete", "submit"):
            self.refused("dkc-approver", event, self.form(description="The approver's draft"),
                         iid=iid, codes=(403,),
                         file=("document", "a.pdf", b"%PDF-1.4 a") if event == "attach" else None)
        self.assertEqual({e for e in cases.events(b, iid)} & {"edit", "attach", "delete",
                                                              "submit"}, set())
        self.fire("dkc-handler", "edit", self.form(countries=("NL", "RO")), iid=iid)
        # broadcast: an Approver of the sender when the sender is a Coordinator -- not its
        # Handler, not another authority.
        self.refused("dkc-handler", "broadcast", iid=iid, codes=(403,))
        self.refused("dk", "broadcast", iid=iid, codes=(404,))
        self.refused("nlc", "broadcast", iid=iid, codes=(404,))
        self.refused("hd", "broadcast", iid=iid, codes=(404,))
        since = self.sent()
        self.fire("dkc-approver", "broadcast", iid=iid)
        self.assertEqual(cases.state(s, iid), "broadcast")
        self.assertEqual(self.history(iid)[-1], ("broadcast", "user"))
        self.assertEqual(s.psql("SELECT data->>'broadcast-at' IS NOT NULL FROM wf_instances"
                                " WHERE id = $1", iid)[0][0], "t")
        self.assertEqual(s.psql("SELECT version, sealed FROM wf_form_versions"
                                " WHERE instance_id = $1", iid), [("1", "t")])
        self.assertEqual(cases.participants(s, iid, "recipient-coordinator"),
                         {ids["nlc"]: "received", ids["nlc2"]: "received",
                          ids["roc"]: "received"})
        self.assertEqual(cases.participants(s, iid, "commission"), {ids["hd"]: "received"})
        self.assertEqual(self.live_timers(iid), {})             # the draft reminder went
        for who in ("nlc", "nlc2", "roc", "hd"):
            m = self.wait_case_mail(who, iid, "Approve and broadcast", since)
            self.assertNotIn(PROVIDER, mail_text(m))
        for who in ("dkc2", "nl", "ro"):
            self.assertEqual([m for m in self.mails_to(who, since)
                              if f"/instances/{iid}" in mail_text(m)], [], who)
        # disseminate-more: once "disseminated", the same coordinator's Approver adds more.
        to_nl2 = [("authorities", str(ids["nl2"]))]
        self.refused("nlc", "disseminate-more", to_nl2, iid=iid, codes=(403,))   # "received"
        self.fire("nlc", "disseminate", [("authorities", str(ids["nl"]))], iid=iid)
        for who in ("nl", "nlc2", "roc", "dkc-approver", "hd", "nl-viewer"):
            self.refused(who, "disseminate-more", to_nl2, iid=iid, codes=(403,))
        self.refused("dkc2", "disseminate-more", to_nl2, iid=iid, codes=(404,))
        since = self.sent()
        self.fire("nlc", "disseminate-more", to_nl2 + [("authorities", str(ids["ro"]))],
                  iid=iid)
        self.assertEqual(cases.participants(s, iid, "recipient-authority"),
                         {ids["nl"]: "received", ids["nl2"]: "received"})
        self.assertEqual(cases.participants(s, iid, "recipient-coordinator")[ids["nlc"]],
                         "disseminated")
        self.wait_case_mail("nl2", iid, "Disseminate to more authorities", since)
        self.assertEqual(self.mails_to("ro", since), [])
        self.assertIsNotNone(cases.model(self.b["nl2"], iid))
        # Its own Approvers instruct the closure (own-coordinator: the sender itself).
        self.fire("dkc-approver", "instruct-closure", [("text", "Settled.")], iid=iid)
        self.fire("hd", "close", [("note", "As instructed.")], iid=iid)
        self.assertEqual(cases.state(s, iid), "closed")

    # -- retention after closure and withdrawal ------------------------------------------

    def test_13_personal_data_erased_6_months_after_closure(self):
        s = self.stack
        closed = [self.iid, self.withdrawn]
        self.assertEqual([cases.state(s, i) for i in closed], ["closed", "withdrawn"])
        for iid in closed:
            self.assertEqual(set(self.live_timers(iid)), {"erase-personal"})
            for who in ("dk", "dkc", "hd"):
                self.refused(who, "erase-personal", iid=iid, codes=(403,))
        latest = "(SELECT max((data->>'closed-at')::timestamptz) FROM wf_instances" \
                 " WHERE id = ANY($1::bigint[]))"
        ids = "{" + ",".join(map(str, closed)) + "}"
        self.move_clock(f"{latest} + interval '6 months 1 hour'", ids, who=("dk", "dkc", "hd"))
        personal = {"provider", "provider-details", "description", "measures", "evidence"}
        kept = {"legal-basis", "risk", "service-activity", "establishment",
                "recipient-countries", "probability"}
        for iid in closed:
            self.assertEqual(cases.state(s, iid), "archived")
            self.assertIn(("erase-personal", "system"), self.history(iid))
            for version, erased, keys in s.psql(
                    "SELECT version, erased_at IS NOT NULL, (SELECT string_agg(k, ',' ORDER BY k)"
                    " FROM jsonb_object_keys(data) k) FROM wf_form_versions"
                    " WHERE instance_id = $1", iid):
                keys = set(keys.split(","))
                self.assertEqual(erased, "t", (iid, version))
                self.assertEqual(keys & personal, set(), (iid, version))
                self.assertEqual(keys, kept, (iid, version))
            self.assertEqual(s.psql("SELECT coalesce(sum(octet_length(content)), 0) FROM"
                                    " wf_documents WHERE instance_id = $1", iid)[0][0], "0")
            self.assertEqual(s.psql("SELECT (data->>'closed-at')::timestamptz + interval"
                                    " '3 years' = (SELECT due_at FROM wf_timers WHERE"
                                    " instance_id = $1 AND event = 'erase-all' AND fired_at IS"
                                    " NULL AND cancelled_at IS NULL) FROM wf_instances"
                                    " WHERE id = $1", iid)[0][0], "t")
            page = self.b["dk"].get(f"/instances/{iid}")
            self.assertEqual(page.status, 200)
            self.assertNotIn(PROVIDER, page.text)
            self.assertIn("Construction", page.text)
        # The main alert had documents (the evidence, a comment's); their rows stay, empty.
        self.assertGreaterEqual(int(s.psql("SELECT count(*) FROM wf_documents WHERE"
                                           " instance_id = $1", self.iid)[0][0]), 2)
        # Comments are free text that may name the provider: their texts go with the personal
        # fields (IMI Reg. art. 14), the rows and the log stay.
        n, bodies = s.psql("SELECT count(*), count(body) FROM wf_comments WHERE instance_id = $1",
                           self.iid)[0]
        self.assertGreater(int(n), 0)
        self.assertEqual(bodies, "0")

    def test_14_everything_erased_3_years_after_closure(self):
        s = self.stack
        closed = [self.iid, self.withdrawn]
        for iid in closed:
            for who in ("dk", "hd"):
                self.refused(who, "erase-all", iid=iid, codes=(403,))
        ids = "{" + ",".join(map(str, closed)) + "}"
        self.move_clock("(SELECT max((data->>'closed-at')::timestamptz) FROM wf_instances"
                        " WHERE id = ANY($1::bigint[])) + interval '3 years 1 hour'", ids,
                        who=("dk", "dkc", "hd"))
        for iid in closed:
            self.assertEqual(cases.state(s, iid), "erased")
            self.assertEqual(self.history(iid)[-1], ("erase-all", "system"))
            self.assertEqual(s.psql("SELECT bool_and(erased_at IS NOT NULL), string_agg(DISTINCT"
                                    " data::text, '') FROM wf_form_versions WHERE"
                                    " instance_id = $1", iid), [("t", "{}")])
            self.assertEqual(self.live_timers(iid), {})
            self.assertEqual(cases.events(self.b["dk"], iid), set())
        # The comments' texts and withdrawal reasons go; the rows (and the log) stay.
        n, bodies, reasons, erased = s.psql(
            "SELECT count(*), count(body), count(withdrawn_reason), bool_and(erased_at IS NOT"
            " NULL) FROM wf_comments WHERE instance_id = $1", self.iid)[0]
        self.assertGreaterEqual(int(n), 6)
        self.assertEqual((bodies, reasons, erased), ("0", "0", "t"))

    # -- every transition was fired ------------------------------------------------------

    def test_zz_every_transition_fired(self):
        declared = {e for events in transitions().values() for e in events}
        fired = {e for (e,) in self.stack.psql(
            "SELECT DISTINCT h.event FROM wf_history h JOIN wf_instances i"
            " ON i.id = h.instance_id WHERE i.definition = 'services-alert'")}
        self.assertEqual(declared - fired, set())


if __name__ == "__main__":
    tap.main()
