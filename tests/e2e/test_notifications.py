#!/usr/bin/python3
"""test_notifications.py -- the three notifications (workflows/services-notification.xml,
pq-architects-notification.xml, pq-health-notification.xml; issue 14) through the pages on the
real stack, sent from Denmark to the Netherlands, Romania (and, after a modification, Sweden)
and the helpdesk standing for the Commission:

* EVERY transition of each definition fired by the role its header table names -- Handlers of
  the sender draft, edit, attach, submit, delete and comment; the Approvers of the sender's
  coordinator approve (also by the mail's link), return, broadcast, close and withdraw; the
  recipient coordinators' Approvers disseminate; the helpdesk's Approvers close; the system's
  timers fire when the business clock is moved -- and for each at least one wrong role refused
  (403, or 404 for one who may not see the case) with nothing written: history, participants,
  form versions, comments, documents, timers, links, mails, state, revision;
* recipients: the Services notification reaches the Commission and every coordinator of each
  Member State chosen (none of a country not chosen); the architects' the Commission and the
  Member States chosen; the health professions' the Commission alone;
* the documents (draft act, justification, programme, curriculum, a comment's document)
  uploaded, kept by an edit that leaves the file empty, listed on the Documents tab and
  downloadable;
* a Viewer sees the case, its documents and its report, is offered no transition and is refused
  every POST; a user without a role in the module (or with roles in another module only) gets
  404 for the case page, ?format=xml, every tab, the report, a document, every POST and copy;
* the mails (case-event) in each recipient's language with the summary fields.

The art. 15(7) examination reminders are fired here for a 15(7) notification only (whether
they stay silent for 39(5) is the <if field= equals=> change's test).

The clock only moves forward, so the tests run in their numbered order on one stack; a final
test reads the history to check that every event of each definition was fired."""

import os
import re
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

SN, PA, PH = "sn", "pa", "ph"
KINDS = (SN, PA, PH)
DEF = {SN: "services-notification", PA: "pq-architects-notification",
       PH: "pq-health-notification"}
MODULE = {SN: "services-notifications", PA: "pq-architects-notifications",
          PH: "pq-health-notifications"}
TITLE = {SN: "Crane operators: at least three employees",
         PA: "Master of Science in Architecture (Aarhus)",
         PH: "Cand.med. (Copenhagen)"}
# The form's documents: (field, file name, content).
FILES = {SN: [("draft-act", "draft-act.pdf", b"%PDF-1.4 draft act of the order"),
              ("justification-document", "justification.pdf", b"%PDF-1.4 why it is needed")],
         PA: [("programme", "programme.pdf", b"%PDF-1.4 architecture programme"),
              ("curriculum", "curriculum.pdf", b"%PDF-1.4 architecture curriculum")],
         PH: [("programme", "programme.pdf", b"%PDF-1.4 medicine programme"),
              ("curriculum", "curriculum.pdf", b"%PDF-1.4 medicine curriculum")]}
# The summary fields' labels, as the mail writes them: label key -> the value's key or value.
SUMMARY = {SN: [("Legal basis", "Art. 15(7): new requirements on establishment"),
                ("Title of the measure", None), ("Stage of the measure", "Draft")],
           PA: [("Title of the diploma", None), ("Body awarding the diploma", None)],
           PH: [("Profession", "Doctor"), ("Title of the diploma", None)]}
AWARDING = "Arkitektskolen Aarhus"


CATALOGUES = {lang: catalogue(lang) for lang in ("en", "da", "nl", "ro")}


def t(lang, key):
    """key in lang as a page or mail shows it (a label without a key is shown as written)."""
    return CATALOGUES[lang].get(key, key)


def transitions(kind):
    """{state: [event, ...]} of the definition's file."""
    root = ET.parse(TOP / "workflows" / f"{DEF[kind]}.xml").getroot()
    return {s.get("name"): [x.get("event") for x in s.findall(f"{WF}transition")]
            for s in root.findall(f"{WF}state")}


class NotificationsTest(unittest.TestCase):
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
        for who, name, country, first, lang in (
                ("dkc", "Erhvervsstyrelsen", "DK", "Carl", "da"),
                ("dkc2", "Sikkerhedsstyrelsen", "DK", "Dorte", "da"),
                ("dk", "Arbejdstilsynet", "DK", "Mette", "da"),
                ("nlc", "Ministerie van Economische Zaken", "NL", "Eva", "nl"),
                ("nlc2", "Architectenregister", "NL", "Femke", "nl"),
                ("nl", "Kamer van Koophandel", "NL", "Sanne", "nl"),
                ("nl2", "Gemeente Utrecht", "NL", "Joost", "nl"),
                ("roc", "Ministerul Economiei", "RO", "Ioana", "ro"),
                ("ro", "Inspectia Muncii", "RO", "Mihai", "ro"),
                ("sec", "Kommerskollegium", "SE", "Sven", "en")):
            cls.ids[who], cls.users[who] = authorities.register(hd, name, country, first,
                                                                language=lang)
            cls.emails[who] = f"{first.lower()}@example.{country.lower()}"
            cls.lang[who] = lang
        # The helpdesk is the Commission: a Coordinator access to each notification module.
        for kind in KINDS:
            for c in ("hd", "dkc", "dkc2", "nlc", "roc", "sec"):
                authorities.grant(hd, cls.ids[c], MODULE[kind], "coordinator")
            for a, c in (("dk", "dkc"), ("nl", "nlc"), ("ro", "roc")):
                authorities.grant(hd, cls.ids[a], MODULE[kind], coordinators=[cls.ids[c]])
        for kind in (SN, PA):
            authorities.grant(hd, cls.ids["nlc2"], MODULE[kind], "coordinator")
            authorities.grant(hd, cls.ids["nl2"], MODULE[kind], coordinators=[cls.ids["nlc2"]])
        cls.b = {"hd": signed_in(s, hd_user)}
        for who in cls.emails:
            if who != "hd":
                cls.b[who] = first_sign_in(s, cls.users[who], cls.emails[who])
        # Fewer roles: Viewers at the sender and at a recipient, a Handler (no Approver) at the
        # sender's coordinator, a user of the sender with no role at all, and one with roles
        # in the health notifications only.
        all3 = [MODULE[k] for k in KINDS]
        cls.add_user("dk-viewer", "dk", "Vera", "vera@example.dk",
                     [(m, "viewer") for m in all3])
        cls.add_user("nl-viewer", "nl", "Vincent", "vincent@example.nl",
                     [(m, "viewer") for m in all3])
        cls.add_user("dkc-handler", "dkc", "Hans", "hans@example.dk",
                     [(m, r) for m in all3 for r in ("viewer", "handler")])
        cls.add_user("dk-none", "dk", "Nora", "nora@example.dk", [])
        cls.add_user("dk-health", "dk", "Helle", "helle@example.dk",
                     [(MODULE[PH], "viewer"), (MODULE[PH], "handler")])
        cls.iid = {}            # kind -> the case followed from draft to closure
        cls.docs = {}           # kind -> {field: document id}

    @classmethod
    def add_user(cls, who, at, first, email, roles):
        admin = cls.b[at]
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", cases.csrf(admin)), ("first_name", first), ("last_name", "Test"),
                  ("user_email", email), ("language", cls.lang[at]), ("phone", ""),
                  ("username", ""), ("action", "save")] + [("role", f"{m}:{r}") for m, r in roles]
        r = admin.post(f"/authorities/{cls.ids[at]}/users/new", fields)
        assert r.status == 200, r.text[-800:]
        cls.users[who] = r.html().by_id("new-username").text
        cls.emails[who], cls.lang[who] = email, cls.lang[at]
        cls.b[who] = first_sign_in(cls.stack, cls.users[who], email, before=before)

    # -- helpers ------------------------------------------------------------------------

    def form(self, kind, title=None, countries=None):
        title = title or TITLE[kind]
        if kind == SN:
            f = [("legal-basis", "art-15-7"), ("title", title), ("stage", "draft"),
                 ("requirement", "minimum-employees"),
                 ("content", "Crane hire firms must employ at least three certified operators."),
                 ("justification", "Public safety on building sites; proportionate, not"
                                   " discriminating on nationality."),
                 ("adoption-date", "2027-01-01")]
            countries = ("NL", "RO") if countries is None else countries
        elif kind == PA:
            f = [("title", title), ("awarding-body", AWARDING),
                 ("certificate", "Bevis for kandidatgrad"), ("first-academic-year", "2026/2027"),
                 ("duration", "5 years full time"),
                 ("content", "Architectural design, building technology, urban planning.")]
            countries = ("NL",) if countries is None else countries
        else:
            f = [("profession", "doctor"), ("title", title),
                 ("awarding-body", "Københavns Universitet"), ("certificate", ""),
                 ("reference-date", "2026-09-01"), ("duration", "6 years"),
                 ("content", "Basic medical training, Annex V point 5.1.1.")]
            countries = ()
        return f + [("recipient-countries", c) for c in countries]

    def fp(self, iid):
        """What cases.footprint reads (history, participants, form versions, comments, state,
        revision at [5]) and the rest a transition may write: documents, timers, mail links,
        the outbox (every mail queued anywhere) and the instance's data; one query, as it
        runs twice for each of the hundreds of refusals."""
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

    def fire(self, who, iid, event, fields=(), expect=303, file=None):
        r = cases.fire(self.b[who], iid, event, fields, file=file)
        self.assertEqual(r.status, expect, f"{who} {event} on {iid}: {r.status} {r.text[-600:]}")
        return r

    def refused(self, who, iid, event, fields=(), code=403):
        """who may not fire event: code (403: a guard; 404: may not see the case; 409: no such
        transition in this state), and nothing is written."""
        before = self.fp(iid)
        r = cases.fire(self.b[who], iid, event, fields, revision=str(before[5]))
        self.assertEqual(r.status, code, f"{who} {event} on {iid}: {r.status}")
        self.assertEqual(self.fp(iid), before, f"{who} {event} on {iid} wrote")

    def sent(self):
        return {m.path for m in self.stack.mails()}

    def mails_to(self, who, iid, since):
        return [m for m in self.stack.mails() if self.emails[who] in m["To"]
                and m.path not in since and f"/instances/{iid}" in mail_text(m)]

    def wait_mail_to(self, who, iid, label, since, timeout=20):
        """The mail to who about case iid saying label (a message key) in who's language."""
        want = t(self.lang[who], label)
        return self.stack.wait_mail(
            lambda m: self.emails[who] in m["To"] and m.path not in since
            and f"/instances/{iid}" in mail_text(m) and want in mail_text(m), timeout=timeout)

    def assert_summary(self, m, who, kind, title):
        """The mail carries the definition's label and its summary fields, in who's language."""
        lang, text = self.lang[who], mail_text(m)
        self.assertIn(t(lang, self.label(kind)), text)
        for label, value in SUMMARY[kind]:
            value = t(lang, value) if value else title if "Title" in label else AWARDING
            self.assertIn(f"{t(lang, label)}: {value}", text, (who, label))
        if lang != "en":
            self.assertNotIn(self.label(kind), text)        # not the English label
        # Free texts are no summary: they stay on the case page.
        self.assertNotIn("certified operators", text)
        self.assertNotIn("urban planning", text)

    def label(self, kind):
        root = ET.parse(TOP / "workflows" / f"{DEF[kind]}.xml").getroot()
        return root.get("label")

    def move_clock(self, expr, *params):
        """imi_now() becomes expr (never back); due timers fire, mails leave; everyone signs in
        again (sessions end with the clock)."""
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

    def history(self, iid):
        return [(e, k) for e, k in self.stack.psql(
            "SELECT event, actor_kind FROM wf_history WHERE instance_id = $1 ORDER BY seq", iid)]

    def documents(self, who, iid):
        """{input: (document id, file name)} as the Documents tab lists them to who."""
        r = self.b[who].get(f"/instances/{iid}?tab=documents")
        self.assertEqual(r.status, 200, who)
        table = r.html().by_id("case-documents")
        if table is None:
            return {}
        out = {}
        for tr in table.find_all("tr"):
            if tr.get("data-document"):
                out.setdefault(tr.get("data-input"), []).append(
                    (tr.get("data-document"), tr.find("a").text.strip()))
        return out

    def sees(self, who, iid):
        return cases.model(self.b[who], iid) is not None

    def unseen(self, who, iid):
        """who gets 404 for the case everywhere: its page, every tab, ?format=xml, the report,
        each document, a POST of any event and a copy -- nothing written."""
        b = self.b[who]
        for path in ("", "?tab=case", "?tab=recipients", "?tab=comments", "?tab=documents",
                     "?tab=log", "?tab=case&version=1", "/report"):
            self.assertEqual(b.get(f"/instances/{iid}{path}").status, 404, (who, path))
            self.assertEqual(b.get_xml(f"/instances/{iid}{path}").status, 404, (who, path))
        for (doc,) in self.stack.psql("SELECT id FROM wf_documents WHERE instance_id = $1", iid):
            self.assertEqual(b.get(f"/instances/{iid}/documents/{doc}").status, 404, (who, doc))
        # Every event of the case's state, and one of another state: 404 comes before the
        # state, the revision and the roles are looked at.
        kind, state = self.kind_of(iid), cases.state(self.stack, iid)
        for event in transitions(kind)[state] + ["submit"]:
            self.refused(who, iid, event, code=404)
        before = self.fp(iid)
        n = self.stack.psql("SELECT count(*) FROM wf_instances")[0][0]
        r = b.post(f"/instances/{iid}/copy", {"csrf": cases.csrf(b)})
        self.assertEqual(r.status, 404, (who, "copy"))
        self.assertEqual((self.fp(iid), self.stack.psql("SELECT count(*) FROM wf_instances")
                          [0][0]), (before, n))
        # Nor does the search list it.
        found = b.get_xml("/cases")
        if found.status == 200:
            self.assertNotIn(str(iid), [c.get("id") for c in found.xml().iter("case")], who)

    def kind_of(self, iid):
        d = self.stack.psql("SELECT definition FROM wf_instances WHERE id = $1", iid)[0][0]
        return next(k for k in KINDS if DEF[k] == d)

    # -- 1. drafts with their documents --------------------------------------------------

    def test_01_drafts_with_documents(self):
        s = self.stack
        for kind in KINDS:
            # Only a Handler of an authority with access starts one.
            n = s.psql("SELECT count(*) FROM wf_instances")[0][0]
            for who in ("dk-viewer", "dk-none", "nl-viewer"):
                r = self.b[who].post(f"/workflows/{DEF[kind]}/start",
                                     {"csrf": cases.csrf(self.b[who])})
                self.assertIn(r.status, (403, 404), (kind, who))
            self.assertEqual(s.psql("SELECT count(*) FROM wf_instances")[0][0], n)
            iid = self.iid[kind] = cases.start(self.b["dk"], DEF[kind])
            self.assertEqual(cases.state(s, iid), "draft")
            self.refused("dk-viewer", iid, "edit", self.form(kind, "A viewer's title"))
            self.refused("dkc", iid, "edit", self.form(kind, "The coordinator's"), code=404)
            self.refused("dk-none", iid, "edit", self.form(kind, "No role"), code=404)
            self.fire("dk", iid, "edit", self.form(kind, "First try"), file=FILES[kind])
            # Editing again, files left empty: the draft version is overwritten, the
            # documents kept.
            self.fire("dk", iid, "edit", self.form(kind))
            self.assertEqual(s.psql("SELECT version, sealed, data->>'title' FROM wf_form_versions"
                                    " WHERE instance_id = $1", iid), [("1", "f", TITLE[kind])])
            stored = s.psql("SELECT input, filename, encode(content, 'escape') FROM wf_documents"
                            " WHERE instance_id = $1 ORDER BY input", iid)
            self.assertEqual(stored, sorted((f, n, c.decode()) for f, n, c in FILES[kind]))
            # The Documents tab lists both, each downloadable, for the sender's users.
            listed = self.documents("dk", iid)
            self.assertEqual({k: [n for _, n in v] for k, v in listed.items()},
                             {f: [n] for f, n, _ in FILES[kind]}, kind)
            self.docs[kind] = {k: v[0][0] for k, v in listed.items()}
            for field, _, content in FILES[kind]:
                r = self.b["dk"].get(f"/instances/{iid}/documents/{self.docs[kind][field]}")
                self.assertEqual((r.status, r.body), (200, content), (kind, field))
            self.assertEqual(self.documents("dk-viewer", iid), listed)
            # A draft is the sender's: not its coordinator's, nor the Commission's.
            for who in ("dkc", "nlc", "hd"):
                self.assertFalse(self.sees(who, iid), (kind, who))
            # The Viewer sees it and is offered nothing; an Authority has no Approver to
            # broadcast; nobody fires the system's reminder.
            self.assertTrue(self.sees("dk-viewer", iid))
            self.assertEqual(cases.events(self.b["dk-viewer"], iid), set())
            self.assertEqual(cases.events(self.b["dk"], iid), {"edit", "submit", "delete"})
            self.refused("dk", iid, "broadcast")
            self.refused("dk", iid, "remind-draft")
            for event in transitions(kind)["draft"]:
                self.refused("dk-viewer", iid, event)

    def test_02_a_draft_is_deleted_by_its_handler(self):
        for kind in KINDS:
            iid = cases.start(self.b["dk"], DEF[kind])
            self.fire("dk", iid, "edit", self.form(kind, "To be deleted"), file=FILES[kind][:1])
            self.refused("dk-viewer", iid, "delete")
            self.refused("dkc", iid, "delete", code=404)
            self.fire("dk", iid, "delete")
            self.assertEqual(cases.state(self.stack, iid), "deleted")
            self.assertEqual(cases.events(self.b["dk"], iid), set())

    # -- 2. the draft reminder -----------------------------------------------------------

    def test_03_a_forgotten_draft_is_reminded(self):
        since = self.sent()
        self.move_clock("imi_now() + interval '5 days 1 hour'")
        for kind in KINDS:
            iid = self.iid[kind]
            self.assertEqual(cases.state(self.stack, iid), "draft")
            self.assertIn(("remind-draft", "system"), self.history(iid), kind)
            m = self.wait_mail_to("dk", iid, "Reminder: the notification is still a draft", since)
            self.assert_summary(m, "dk", kind, TITLE[kind])

    # -- 3. approval ---------------------------------------------------------------------

    def test_04_submit_return_and_submit_again(self):
        for kind in KINDS:
            iid = self.iid[kind]
            self.refused("dk-viewer", iid, "submit")
            self.refused("dkc", iid, "submit", code=404)
            since = self.sent()
            self.fire("dk", iid, "submit")
            self.assertEqual(cases.state(self.stack, iid), "awaiting-approval")
            m = self.wait_mail_to("dkc", iid, "Submit for approval", since)
            self.assertIn("/links/", mail_text(m))
            self.assert_summary(m, "dkc", kind, TITLE[kind])
            # Not the Danish coordinator the sender is not linked to, nor any recipient yet.
            for who in ("dkc2", "nlc", "roc", "hd"):
                self.assertEqual(self.mails_to(who, iid, since), [], (kind, who))
            # Only an Approver of the sender's coordinator returns it.
            comment = [("comment", "Attach the impact assessment, please.")]
            self.refused("dk", iid, "return", comment)
            self.refused("dkc-handler", iid, "return", comment)
            self.refused("dkc2", iid, "return", comment, code=404)
            self.refused("nlc", iid, "return", comment, code=404)
            since = self.sent()
            self.fire("dkc", iid, "return", comment)
            self.assertEqual(cases.state(self.stack, iid), "draft")
            self.wait_mail_to("dk", iid, "Return to the author", since)
            self.fire("dk", iid, "edit", self.form(kind))
            self.fire("dk", iid, "submit")
            self.assertEqual(cases.state(self.stack, iid), "awaiting-approval")

    def test_05_a_pending_approval_is_reminded(self):
        for kind in KINDS:
            self.refused("dk", self.iid[kind], "remind-approval")
            self.refused("dkc", self.iid[kind], "remind-approval")
        since = self.sent()
        self.move_clock("imi_now() + interval '2 days 1 hour'")
        for kind in KINDS:
            iid = self.iid[kind]
            self.assertEqual(self.history(iid)[-1], ("remind-approval", "system"))
            self.wait_mail_to("dk", iid, "Reminder: the notification awaits approval", since)
            m = self.wait_mail_to("dkc", iid, "Reminder: the notification awaits approval", since)
            self.assertIn("/links/", mail_text(m))

    def test_06_approval_broadcasts(self):
        s, ids = self.stack, self.ids
        for kind in KINDS:
            iid = self.iid[kind]
            for who, code in (("dk", 403), ("dkc-handler", 403), ("dk-viewer", 403),
                              ("dkc2", 404), ("nlc", 404), ("hd", 404)):
                self.refused(who, iid, "approve", code=code)
            since = self.sent()
            if kind == SN:
                # By the link in the reminder's mail, as its recipient.
                m = [m for m in self.mails_to("dkc", iid, ()) if "/links/" in mail_text(m)][-1]
                token = re.search(r"/links/([A-Za-z0-9_-]+)", mail_text(m)).group(1)
                page = self.b["dkc"].get(f"/links/{token}")
                self.assertEqual(page.status, 200, page.text[-600:])
                self.b["dkc"].post(f"/links/{token}", {"csrf": page.html().csrf()})
                self.assertEqual(self.history(iid)[-1], ("approve", "mail"))
            else:
                self.fire("dkc", iid, "approve")
            self.assertEqual(cases.state(s, iid), "broadcast")
            self.assertEqual(s.psql("SELECT version, sealed FROM wf_form_versions"
                                    " WHERE instance_id = $1", iid), [("1", "t")])
            coordinators = {SN: ("nlc", "nlc2", "roc"), PA: ("nlc", "nlc2"), PH: ()}[kind]
            self.assertEqual(cases.participants(s, iid, "recipient-coordinator"),
                             {ids[c]: "received" for c in coordinators}, kind)
            self.assertEqual(cases.participants(s, iid, "commission"), {ids["hd"]: "received"})
            self.assertEqual(cases.participants(s, iid, "recipient-authority"), {})
            # Each recipient coordinator's Approvers and the Commission are mailed, each in
            # their language, with the summary fields; the sender's Handlers hear of it.
            for who in coordinators + ("hd",):
                m = self.wait_mail_to(who, iid, "Approve and broadcast", since)
                self.assert_summary(m, who, kind, TITLE[kind])
            self.wait_mail_to("dk", iid, "Approve and broadcast", since)
            for who in ("dkc2", "sec") + (("roc",) if kind != SN else ()):
                self.assertEqual(self.mails_to(who, iid, since), [], (kind, who))
            # Seen by every recipient and the sender's coordinator; not by a coordinator of a
            # country not chosen, nor by authorities not yet disseminated to.
            for who in coordinators + ("hd", "dkc", "dk", "dk-viewer"):
                self.assertTrue(self.sees(who, iid), (kind, who))
            unseen = ("dkc2", "sec", "nl", "ro", "nl-viewer") + (("roc",) if kind != SN else ())
            for who in unseen:
                self.assertFalse(self.sees(who, iid), (kind, who))
        # The art. 15(7) examination: reminded 2 weeks before and at the end of 3 months.
        due = s.psql("SELECT t.event, t.due_at = (i.data->>'broadcast-at')::timestamptz"
                     "   + CASE t.event WHEN 'examination-ended' THEN interval '3 months'"
                     "     ELSE interval '2 months 14 days' END"
                     " FROM wf_timers t JOIN wf_instances i ON i.id = t.instance_id"
                     " WHERE t.instance_id = $1 AND t.fired_at IS NULL AND t.cancelled_at IS NULL"
                     " ORDER BY t.event", self.iid[SN])
        self.assertEqual(due, [("examination-ended", "t"), ("examination-ends-soon", "t")])

    # -- 4. dissemination ----------------------------------------------------------------

    def test_07_dissemination(self):
        s, ids = self.stack, self.ids
        for kind in (SN, PA):
            iid = self.iid[kind]
            to_nl = [("authorities", str(ids["nl"]))]
            self.refused("nl", iid, "disseminate", to_nl, code=404)
            self.refused("dkc", iid, "disseminate", to_nl)
            self.refused("hd", iid, "disseminate", to_nl)
            self.refused("dk", iid, "disseminate", to_nl)
            self.refused("nlc", iid, "disseminate-more", to_nl)       # still "received"
            since = self.sent()
            # A coordinator disseminates to authorities of its own country only.
            self.fire("nlc", iid, "disseminate", to_nl + [("authorities", str(ids["ro"]))])
            self.assertEqual(cases.participants(s, iid, "recipient-authority"),
                             {ids["nl"]: "received"})
            self.assertEqual(cases.participants(s, iid, "recipient-coordinator")[ids["nlc"]],
                             "disseminated")
            m = self.wait_mail_to("nl", iid, "Disseminate to authorities of my country", since)
            self.assert_summary(m, "nl", kind, TITLE[kind])
            self.assertEqual(self.mails_to("ro", iid, since), [])
            # Once disseminated, more is "disseminate-more".
            self.refused("nlc", iid, "disseminate", [("authorities", str(ids["nl2"]))])
            self.assertEqual(cases.events(self.b["nlc"], iid) & {"disseminate", "disseminate-more"},
                             {"disseminate-more"})
            since = self.sent()
            self.fire("nlc", iid, "disseminate-more", [("authorities", str(ids["nl2"]))])
            self.wait_mail_to("nl2", iid, "Disseminate to more authorities", since)
            # The other Dutch coordinator disseminates to an authority already there: one row.
            added = s.psql("SELECT added_seq FROM wf_participants WHERE instance_id = $1"
                           " AND authority_id = $2", iid, ids["nl"])
            self.fire("nlc2", iid, "disseminate", to_nl)
            self.assertEqual(s.psql("SELECT added_seq FROM wf_participants WHERE instance_id = $1"
                                    " AND authority_id = $2", iid, ids["nl"]), added)
            self.assertEqual(cases.participants(s, iid, "recipient-authority"),
                             {ids["nl"]: "received", ids["nl2"]: "received"})
            for who in ("nl", "nl2", "nl-viewer"):
                self.assertTrue(self.sees(who, iid), (kind, who))
        self.fire("roc", self.iid[SN], "disseminate", [("authorities", str(ids["ro"]))])
        self.assertEqual(cases.participants(s, self.iid[SN], "recipient-coordinator"),
                         {ids["nlc"]: "disseminated", ids["nlc2"]: "disseminated",
                          ids["roc"]: "disseminated"})
        # The health notification has no recipient countries: nobody disseminates.
        self.refused("hd", self.iid[PH], "disseminate", [("authorities", str(ids["nl"]))],
                     code=409)

    # -- 5. comments ---------------------------------------------------------------------

    def test_08_comments_by_participants(self):
        s, ids = self.stack, self.ids
        for kind in KINDS:
            iid = self.iid[kind]
            text = [("text", "An opinion")]
            for who, code in (("dk-viewer", 403), ("dkc2", 404),
                              ("sec", 404), ("dk-none", 404),
                              ("nl-viewer", 404 if kind == PH else 403),
                              ("nlc", 404 if kind == PH else None)):
                if code:
                    self.refused(who, iid, "comment", text, code=code)
            since = self.sent()
            # Any Handler or Approver of the sender, its coordinator (seed 000: a Handler of a
            # Coordinator comments and uploads too) and every recipient, the Commission too.
            authors = ["dk", "dkc", "dkc-handler", "hd"] + (["nlc", "nl"] if kind != PH else [])
            for who in authors:
                doc = ("document", f"{who}-remark.pdf", f"%PDF-1.4 {who}".encode())
                self.fire(who, iid, "comment", [("text", f"Remark of {who} on {kind}.")],
                          file=doc if who in ("dk", "hd") else None)
            rows = s.psql("SELECT by_authority, body FROM wf_comments WHERE instance_id = $1"
                          " ORDER BY id", iid)
            self.assertEqual(rows, [(str(ids[w.split("-")[0]]), f"Remark of {w} on {kind}.")
                                    for w in authors])
            # The comments' documents are listed with the form's.
            listed = self.documents("dk", iid)
            self.assertEqual(sorted(n for _, n in listed["document"]),
                             ["dk-remark.pdf", "hd-remark.pdf"])
            self.assertEqual(set(listed) - {"document"}, {f for f, _, _ in FILES[kind]})
            # The sender's Handlers and the participants' Handlers hear of it, in Danish,
            # Dutch...
            m = self.wait_mail_to("dk", iid, "Comment", since)
            self.assertNotIn("Remark of", mail_text(m))         # the text stays on the page
            if kind != PH:
                self.wait_mail_to("nl", iid, "Comment", since)

    # -- 6. Viewers and users without a role ---------------------------------------------

    def test_09_viewers_see_and_print_only(self):
        for kind in KINDS:
            iid = self.iid[kind]
            for who in ("dk-viewer",) + (("nl-viewer",) if kind != PH else ()):
                b = self.b[who]
                page = b.get(f"/instances/{iid}")
                self.assertEqual(page.status, 200, (kind, who))
                self.assertIn(TITLE[kind], page.text)
                self.assertIsNone(page.html().by_id("case-copy"), (kind, who))
                self.assertEqual(cases.events(b, iid), set(), (kind, who))
                report = b.get(f"/instances/{iid}/report")
                self.assertEqual(report.status, 200, (kind, who))
                self.assertIn(TITLE[kind], report.text)
                self.assertEqual(b.get_xml(f"/instances/{iid}/report").status, 200)
                self.assertEqual(set(self.documents(who, iid)) - {"document"},
                                 {f for f, _, _ in FILES[kind]})
                doc = self.docs[kind][FILES[kind][0][0]]
                self.assertEqual(b.get(f"/instances/{iid}/documents/{doc}").body,
                                 FILES[kind][0][2])
                for events in transitions(kind).values():
                    for event in events:
                        self.refused(who, iid, event, [("text", "x"), ("note", "x"),
                                                       ("reason", "x")], code=403
                                     if event in transitions(kind)["broadcast"] else 409)
                n = self.stack.psql("SELECT count(*) FROM wf_instances")[0][0]
                r = b.post(f"/instances/{iid}/copy", {"csrf": cases.csrf(b)})
                self.assertEqual(r.status, 403, (kind, who, "copy"))
                self.assertEqual(self.stack.psql("SELECT count(*) FROM wf_instances")[0][0], n)

    def test_10_no_role_in_the_module_sees_nothing(self):
        for kind in KINDS:
            iid = self.iid[kind]
            for who in ("dk-none", "dkc2", "sec") + (("dk-health",) if kind != PH else ()):
                self.unseen(who, iid)

    # -- 7. modification -----------------------------------------------------------------

    def test_11_modification_after_broadcast(self):
        s, ids = self.stack, self.ids
        for kind in KINDS:
            iid = self.iid[kind]
            title2 = TITLE[kind] + " (amended)"
            countries = ("NL", "RO", "SE") if kind == SN else None
            new = self.form(kind, title2, countries)
            for who in ("hd", "dk-viewer", "dkc-handler") + (("nl", "nlc")
                                                              if kind != PH else ()):
                self.refused(who, iid, "modify", new)
            since = self.sent()
            self.fire("dk", iid, "modify", new)
            rows = s.psql("SELECT version, sealed, changed FROM wf_form_versions"
                          " WHERE instance_id = $1 ORDER BY version", iid)
            changed = "{recipient-countries,title}" if kind == SN else "{title}"
            self.assertEqual(rows, [("1", "t", "{}"), ("2", "t", changed)], kind)
            self.assertNotIn("amended", s.psql("SELECT inputs::text FROM wf_history WHERE"
                                               " instance_id = $1 AND event = 'modify'", iid)[0][0])
            # The recipients are told what changed, not the values, in their language.
            who = {SN: "roc", PA: "nl", PH: "hd"}[kind]
            m = self.wait_mail_to(who, iid, "Modify the notification", since)
            text, lang = mail_text(m), self.lang[who]
            self.assertIn(t(lang, "mail.case-event.changed").replace("{1}", "2"), text)
            self.assertIn("- " + t(lang, {SN: "Title of the measure"}.get(kind,
                                                                          "Title of the diploma")),
                          text)
            self.assert_summary(m, who, kind, title2)
            # Both versions readable, the old one as it was.
            old = self.b[who].get(f"/instances/{iid}?version=1")
            self.assertIn(TITLE[kind], old.text)
            self.assertNotIn("(amended)", old.text)
            self.assertIn("(amended)", self.b[who].get(f"/instances/{iid}?version=2").text)
            # The coordinator's Approver may modify too.
            self.fire("dkc", iid, "modify", self.form(kind, TITLE[kind] + " (final)", countries))
            self.assertEqual(s.psql("SELECT max(version) FROM wf_form_versions WHERE"
                                    " instance_id = $1", iid)[0][0], "3")
        # A Member State added to the Services notification receives it, alone.
        iid = self.iid[SN]
        self.assertEqual(cases.participants(s, iid, "recipient-coordinator"),
                         {ids["nlc"]: "disseminated", ids["nlc2"]: "disseminated",
                          ids["roc"]: "disseminated", ids["sec"]: "received"})
        self.assertTrue(self.sees("sec", iid))
        self.assertEqual(s.psql("SELECT h.event FROM wf_participants p JOIN wf_history h ON"
                                " h.instance_id = p.instance_id AND h.seq = p.added_seq WHERE"
                                " p.instance_id = $1 AND p.authority_id = $2", iid, ids["sec"]),
                         [("modify",)])

    # -- 8. the art. 15(7) examination ---------------------------------------------------

    def test_12_examination_period_reminders(self):
        s, iid = self.stack, self.iid[SN]
        for event in ("examination-ends-soon", "examination-ended"):
            self.refused("hd", iid, event)
            self.refused("dk", iid, event)
        since = self.sent()
        self.move_clock("(SELECT (data->>'broadcast-at')::timestamptz FROM wf_instances"
                        " WHERE id = $1) + interval '2 months 14 days 1 hour'", iid)
        self.assertEqual(self.history(iid)[-1], ("examination-ends-soon", "system"))
        label = "The Commission's 3-month examination period (art. 15(7)) ends in 2 weeks"
        self.wait_mail_to("hd", iid, label, since)
        m = self.wait_mail_to("dk", iid, label, since)
        self.assert_summary(m, "dk", SN, TITLE[SN] + " (final)")
        self.assertIsNone(s.psql("SELECT data->>'examination-ended-at' FROM wf_instances"
                                 " WHERE id = $1", iid)[0][0])
        since = self.sent()
        self.move_clock("(SELECT (data->>'broadcast-at')::timestamptz FROM wf_instances"
                        " WHERE id = $1) + interval '3 months 1 hour'", iid)
        self.assertEqual(self.history(iid)[-1], ("examination-ended", "system"))
        self.assertEqual(cases.state(s, iid), "broadcast")      # reminded, not enforced
        self.assertIsNotNone(s.psql("SELECT data->>'examination-ended-at' FROM wf_instances"
                                    " WHERE id = $1", iid)[0][0])
        label = "The Commission's 3-month examination period (art. 15(7)) ended"
        self.wait_mail_to("hd", iid, label, since)
        self.wait_mail_to("dk", iid, label, since)
        # The PQ notifications have no such timers.
        for kind in (PA, PH):
            self.assertEqual(s.psql("SELECT count(*) FROM wf_timers WHERE instance_id = $1 AND"
                                    " fired_at IS NULL AND cancelled_at IS NULL",
                                    self.iid[kind])[0][0], "0", kind)

    # -- 9. closure, and modification after it -------------------------------------------

    def test_13_closure(self):
        s = self.stack
        closer = {SN: "hd", PA: "dkc", PH: "hd"}
        for kind in KINDS:
            iid = self.iid[kind]
            note = [("note", "Examination finished.")]
            for who in ("dk", "dkc-handler", "dk-viewer") + (("nlc", "nl") if kind != PH
                                                             else ()) + (("roc",) if kind == SN
                                                                         else ()):
                self.refused(who, iid, "close", note)
            since = self.sent()
            self.fire(closer[kind], iid, "close", note)
            self.assertEqual(cases.state(s, iid), "closed")
            self.assertIsNotNone(s.psql("SELECT data->>'closed-at' FROM wf_instances"
                                        " WHERE id = $1", iid)[0][0])
            for who in ("dk",) + (("nl", "nlc") if kind != PH else ("hd",)):
                m = self.wait_mail_to(who, iid, "Close the notification", since)
                self.assert_summary(m, who, kind, TITLE[kind] + " (final)")
            # Closed: no more comments, from anyone.
            for who in ("dk", "hd") + (("nl",) if kind != PH else ()):
                self.refused(who, iid, "comment", [("text", "Too late")], code=409)
            self.refused("dkc", iid, "withdraw", [("reason", "Too late")], code=409)
            self.assertEqual(cases.events(self.b["dk"], iid), {"modify-closed"})

    def test_14_modification_after_closure(self):
        s = self.stack
        for kind in KINDS:
            iid = self.iid[kind]
            new = self.form(kind, TITLE[kind] + " (as adopted)",
                            ("NL", "RO", "SE") if kind == SN else None)
            for who in ("hd", "dk-viewer", "dkc-handler") + (("nl", "nlc") if kind != PH
                                                             else ()):
                self.refused(who, iid, "modify-closed", new)
            self.refused("dk", iid, "modify", new, code=409)
            since = self.sent()
            self.fire("dk", iid, "modify-closed", new)
            self.assertEqual(cases.state(s, iid), "closed")
            self.assertEqual(s.psql("SELECT version, sealed, changed FROM wf_form_versions"
                                    " WHERE instance_id = $1 ORDER BY version DESC LIMIT 1", iid),
                             [("4", "t", "{title}")])
            who = {SN: "nl", PA: "nl2", PH: "hd"}[kind]
            m = self.wait_mail_to(who, iid, "Modify after closure", since)
            self.assert_summary(m, who, kind, TITLE[kind] + " (as adopted)")
            # The report stays printable (a year after closure).
            for who in ("dk", "dk-viewer", "hd"):
                self.assertEqual(self.b[who].get(f"/instances/{iid}/report").status, 200,
                                 (kind, who))
            self.unseen("dk-none", iid)

    # -- 10. a coordinator's own notification, broadcast at once, then withdrawn ----------

    def test_15_coordinator_broadcasts_and_withdraws(self):
        s, ids = self.stack, self.ids
        for kind in KINDS:
            iid = cases.start(self.b["dkc-handler"], DEF[kind])
            self.fire("dkc-handler", iid, "edit", self.form(kind, "Sent in error"),
                      file=FILES[kind])
            self.refused("dkc-handler", iid, "broadcast")      # a Handler, no Approver
            self.refused("dk", iid, "broadcast", code=404)     # another authority's draft
            since = self.sent()
            self.fire("dkc", iid, "broadcast")
            self.assertEqual(cases.state(s, iid), "broadcast")
            self.assertEqual(cases.participants(s, iid, "commission"), {ids["hd"]: "received"})
            recipients = {SN: {"nlc", "nlc2", "roc"}, PA: {"nlc", "nlc2"}, PH: set()}[kind]
            self.assertEqual(set(cases.participants(s, iid, "recipient-coordinator")),
                             {ids[c] for c in recipients})
            self.wait_mail_to("hd", iid, "Approve and broadcast", since)
            reason = [("reason", "Sent before the ministry's decision.")]
            for who, code in (("dkc-handler", 403), ("hd", 403), ("dk", 404),
                              ("dkc2", 404)) + ((("nlc", 403),) if kind != PH else ()):
                self.refused(who, iid, "withdraw", reason, code=code)
            since = self.sent()
            self.fire("dkc", iid, "withdraw", reason)
            self.assertEqual(cases.state(s, iid), "withdrawn")
            self.assertEqual(s.psql("SELECT data->>'withdrawal-reason', data->>'closed-at' IS NOT"
                                    " NULL FROM wf_instances WHERE id = $1", iid),
                             [(reason[0][1], "t")])
            for who in {"hd"} | recipients:
                m = self.wait_mail_to(who, iid, "Withdraw the notification", since)
                self.assert_summary(m, who, kind, "Sent in error")
            self.assertEqual(s.psql("SELECT count(*) FROM wf_timers WHERE instance_id = $1 AND"
                                    " fired_at IS NULL AND cancelled_at IS NULL", iid)[0][0], "0")
            self.assertEqual(cases.events(self.b["dkc"], iid), set())
            self.refused("hd", iid, "comment", [("text", "Withdrawn?")], code=409)

    def test_16_four_eyes(self):
        # A coordinator's Approver who submitted his own draft does not approve it.
        for kind in KINDS:
            iid = cases.start(self.b["dkc"], DEF[kind])
            self.fire("dkc", iid, "edit", self.form(kind), file=FILES[kind])
            self.fire("dkc", iid, "submit")
            self.refused("dkc", iid, "approve")
            self.refused("dkc-handler", iid, "approve")
            self.fire("dkc", iid, "return", [("comment", "Someone else must approve.")])

    # -- 11. every transition was fired --------------------------------------------------

    def test_17_every_transition_fired(self):
        for kind in KINDS:
            declared = {e for events in transitions(kind).values() for e in events}
            fired = {e for (e,) in self.stack.psql(
                "SELECT DISTINCT h.event FROM wf_history h JOIN wf_instances i"
                " ON i.id = h.instance_id WHERE i.definition = $1", DEF[kind])}
            self.assertEqual(declared - fired, set(), kind)


if __name__ == "__main__":
    tap.main()
