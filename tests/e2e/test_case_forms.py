#!/usr/bin/python3
"""test_case_forms.py -- the generic primitives of a case (issue 14, part P2), on the real
stack with the toy definition tests/toy/case.xml: a form in versions (a draft edited twice
stays version 1; once sealed, an edit makes version 2 whose `changed` names exactly the
fields that differ, version 1 still readable), history that never holds a field's value, a
field shown to one party only (never on the page, ?format=xml, an older version, an edit form
or a copy of anyone else), typed comments (a closure proposal, an objection answering it, a
comment withdrawn with a reason: both history rows stay), erasure of personal values and
comment bodies, a timer counted from a date of the form, and a copy into a new draft."""

import json
import os
import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402

TOY = Path(__file__).resolve().parents[1] / "toy" / "case.xml"
IDENTITY = "Jane Roe, born 1970-04-01"
PROVIDER = "ACME Insurance Ltd"


class CaseFormsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=500)
        s.start()
        cls.addClassCleanup(s.stop)
        r = s.run_imiflow("deploy", str(TOY))
        assert "deployed" in r.stdout, r.stdout
        # a: starts the cases (the party "creator" of the identity field); b: a colleague of
        # the same authority, who sees the case but is not its creator.
        cls.a = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        hd = s.psql("SELECT id FROM authorities WHERE is_helpdesk")[0][0]
        before = {m.path for m in s.mails()}
        fields = [("csrf", cls.a.get("/").html().csrf()), ("first_name", "Bert"),
                  ("last_name", "Test"), ("user_email", "bert@example.be"), ("language", "en"),
                  ("phone", ""), ("username", ""), ("action", "save")]
        r = cls.a.post(f"/authorities/{hd}/users/new", fields)
        assert r.status == 200, r.describe()
        cls.b = first_sign_in(s, r.html().by_id("new-username").text, "bert@example.be",
                              before=before)

    # -- helpers --------------------------------------------------------------------------

    def start(self, who=None):
        b = who or self.a
        r = b.post("/workflows/toy-case/start", {"csrf": b.get("/").html().csrf()})
        self.assertEqual(r.status, 303, r.describe())
        return int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))

    def model(self, iid, who=None, version=None):
        r = (who or self.a).get_xml(f"/instances/{iid}" + (f"?version={version}" if version else ""))
        self.assertEqual(r.status, 200, r.describe())
        return r.xml()

    def prefilled(self, iid, event, who=None):
        """The fields of event's form as the page fills them: [(name, value)…]."""
        m = self.model(iid, who)
        t = [t for t in m.find("transitions") if t.get("event") == event]
        self.assertEqual(len(t), 1, f"{event} not offered")
        out = []
        for i in t[0].findall("input"):
            if i.findall("value"):
                out += [(i.get("name"), v.text) for v in i.findall("value")]
            elif i.get("value") is not None:
                out.append((i.get("name"), i.get("value")))
        return out

    def fire(self, iid, event, fields, who=None):
        b = who or self.a
        rev = self.model(iid, b).find("instance").get("rev")
        data = [("csrf", b.get("/").html().csrf()), ("rev", rev)] + list(fields)
        return b.post(f"/instances/{iid}/fire/{event}", data)

    def edit(self, iid, event, changes, who=None):
        """Fires event with the page's pre-filled form, changes applied (a list replaces)."""
        fields = [(k, v) for k, v in self.prefilled(iid, event, who) if k not in changes]
        for k, v in changes.items():
            fields += [(k, x) for x in (v if isinstance(v, list) else [v])]
        r = self.fire(iid, event, fields, who)
        self.assertEqual(r.status, 303, r.describe())

    def form(self, root):
        out = {}
        for f in root.find("form").findall("field"):
            vals = [v.text for v in f.findall("value")]
            out[f.get("name")] = vals if f.get("type") == "countries" else (f.text or "")
        return out

    def versions(self, iid):
        return [(v, s, json.loads(d), c) for v, s, d, c in self.stack.psql(
            "SELECT version, sealed, data::text, array_to_string(changed, ',')"
            " FROM wf_form_versions WHERE instance_id = $1 ORDER BY version", iid)]

    def history(self, iid):
        return [(e, json.loads(i)) for e, i in self.stack.psql(
            "SELECT event, inputs::text FROM wf_history WHERE instance_id = $1 ORDER BY seq", iid)]

    def filled(self):
        iid = self.start()
        self.edit(iid, "edit", {"title": "Alpha", "provider": PROVIDER, "countries": ["DK", "NL"],
                                "risk": "health", "decision-date": "2030-01-10",
                                "identity": IDENTITY})
        return iid

    # -- versions and history -------------------------------------------------------------

    def test_draft_edits_stay_version_1_then_seal_makes_version_2(self):
        iid = self.filled()
        self.edit(iid, "edit", {"title": "Alpha 2"})
        v = self.versions(iid)
        self.assertEqual(len(v), 1)
        self.assertEqual(v[0][0], "1")
        self.assertEqual(v[0][1], "f")
        self.assertEqual(v[0][2]["title"], "Alpha 2")
        self.assertEqual(v[0][2]["countries"], ["DK", "NL"])
        self.assertEqual(v[0][2]["identity"], IDENTITY)
        # The edit form is pre-filled with the latest version, countries and choice included.
        pre = self.prefilled(iid, "edit")
        self.assertIn(("countries", "DK"), pre)
        self.assertIn(("countries", "NL"), pre)
        self.assertIn(("risk", "health"), pre)
        self.assertIn(("title", "Alpha 2"), pre)
        html = self.a.get(f"/instances/{iid}").text
        self.assertRegex(html, r'<input type="checkbox" name="countries" value="DK" checked')
        r = self.fire(iid, "broadcast", [])
        self.assertEqual(r.status, 303, r.describe())
        self.assertEqual(self.versions(iid)[0][1], "t")
        self.edit(iid, "modify", {"title": "Beta", "risk": "safety"})
        v = self.versions(iid)
        self.assertEqual([x[0] for x in v], ["1", "2"])
        self.assertEqual(v[1][3], "risk,title")
        self.assertEqual(v[1][2]["provider"], PROVIDER)
        # Version 1 is still there to read, and the page marks what version 2 changed.
        self.assertEqual(self.form(self.model(iid, version=1))["title"], "Alpha 2")
        latest = self.model(iid).find("form")
        self.assertEqual(latest.get("version"), "2")
        self.assertEqual({f.get("name") for f in latest.findall("field") if f.get("changed")},
                         {"risk", "title"})
        self.assertEqual(self.a.get(f"/instances/{iid}?version=9").status, 404)
        # History: the version and what changed, never a value.
        h = self.history(iid)
        self.assertEqual([i for e, i in h if e == "edit"],
                         [{"form-version": 1, "changed": []}] * 2)
        self.assertEqual([i for e, i in h if e == "modify"],
                         [{"form-version": 2, "changed": ["risk", "title"]}])
        dump = json.dumps([i for _e, i in h])
        for value in ("Alpha", "Beta", PROVIDER, IDENTITY, "DK", "2030"):
            self.assertNotIn(value, dump)

    def test_timer_counts_from_the_form_date(self):
        iid = self.filled()
        self.assertEqual(self.fire(iid, "broadcast", []).status, 303)
        due = self.stack.psql("SELECT to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                              " FROM wf_timers WHERE instance_id = $1 AND name = 'decision'",
                              iid)
        self.assertEqual(due, [("2030-02-09",)])

    # -- a field shown to one party ---------------------------------------------------------

    def test_shown_to_field_never_reaches_anyone_else(self):
        iid = self.filled()
        self.assertEqual(self.form(self.model(iid))["identity"], IDENTITY)
        self.assertEqual(self.fire(iid, "broadcast", []).status, 303)
        self.edit(iid, "modify", {"title": "Gamma"})
        # b sees the case, but not the field: page, XML, an older version, the edit form.
        for path in (f"/instances/{iid}", f"/instances/{iid}?version=1",
                     f"/instances/{iid}?version=2"):
            for r in (self.b.get(path), self.b.get_xml(path)):
                self.assertEqual(r.status, 200, r.describe())
                self.assertNotIn("Jane Roe", r.text)
                self.assertIn(PROVIDER, r.text)
        self.assertNotIn("identity", self.form(self.model(iid, self.b)))
        self.assertNotIn("identity", [k for k, _v in self.prefilled(iid, "modify", self.b)])
        # b's edit keeps the value b never saw.
        self.edit(iid, "modify", {"title": "Delta"}, who=self.b)
        v = self.versions(iid)
        self.assertEqual(v[-1][2]["identity"], IDENTITY)
        self.assertEqual(v[-1][3], "title")
        # b's copy: a new draft of what b could see, files and the hidden field left out.
        r = self.b.post(f"/instances/{iid}/copy", {"csrf": self.b.get("/").html().csrf()})
        self.assertEqual(r.status, 303, r.describe())
        copy = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))
        self.assertNotEqual(copy, iid)
        cv = self.versions(copy)
        self.assertEqual(len(cv), 1)
        self.assertEqual(cv[0][1], "f")
        self.assertEqual(cv[0][2], {"title": "Delta", "provider": PROVIDER,
                                    "countries": ["DK", "NL"], "risk": "health",
                                    "decision-date": "2030-01-10"})
        self.assertEqual(self.stack.psql("SELECT state FROM wf_instances WHERE id = $1", copy),
                         [("draft",)])
        # a's copy carries what a sees.
        r = self.a.post(f"/instances/{iid}/copy", {"csrf": self.a.get("/").html().csrf()})
        copy = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))
        self.assertEqual(self.versions(copy)[0][2]["identity"], IDENTITY)

    # -- comments -------------------------------------------------------------------------

    def comments(self, iid):
        return self.stack.psql("SELECT id, type, body, answers, withdrawn_seq IS NOT NULL,"
                               " withdrawn_reason FROM wf_comments WHERE instance_id = $1"
                               " ORDER BY id", iid)

    def test_comments_proposal_objection_withdrawal(self):
        iid = self.filled()
        self.assertEqual(self.fire(iid, "broadcast", []).status, 303)
        self.assertEqual(self.fire(iid, "comment", [("text", "First remark")]).status, 303)
        self.assertEqual(self.fire(iid, "propose-closure", [("text", "Done, close it")],
                                   self.b).status, 303)
        c = self.comments(iid)
        remark, proposal = c[0][0], c[1][0]
        # An objection answers a closure proposal, never a plain comment.
        r = self.fire(iid, "object", [("proposal", remark), ("text", "No")])
        self.assertEqual(r.status, 422, r.describe())
        self.assertEqual(self.fire(iid, "object", [("proposal", proposal),
                                                   ("text", "Not yet: one more check")]).status, 303)
        r = self.fire(iid, "withdraw", [("comment", remark), ("reason", "Posted in error")])
        self.assertEqual(r.status, 303, r.describe())
        c = self.comments(iid)
        self.assertEqual([(t, b, a, w, why) for _i, t, b, a, w, why in c], [
            ("comment", "First remark", None, "t", "Posted in error"),
            ("closure-proposal", "Done, close it", None, "f", None),
            ("objection", "Not yet: one more check", proposal, "f", None)])
        h = self.history(iid)
        self.assertIn(("comment", {"comment": int(remark)}), h)
        self.assertIn(("withdraw", {"comment": remark, "withdrawn": int(remark)}), h)
        self.assertNotIn("First remark", json.dumps(h))
        self.assertNotIn("Posted in error", json.dumps(h))
        # The page lists them; the withdrawn one without its text.
        # (the case page lists comments on its Comments tab, closure ones on its Closure tab)
        listed = {x.get("id"): x for tab in ("comments", "closure")
                  for x in self.a.get_xml(f"/instances/{iid}?tab={tab}").xml().find(tab)}
        self.assertEqual(listed[remark].get("withdrawn"), "true")
        # its reason for everyone, its text only for its author's authority (this one; others:
        # tests/e2e/test_case_pages.py)
        self.assertEqual(listed[remark].find("reason").text, "Posted in error")
        self.assertEqual(listed[remark].find("body").text, "First remark")
        self.assertEqual(listed[c[2][0]].get("answers"), proposal)
        # A withdrawn comment is no longer one to name.
        r = self.fire(iid, "withdraw", [("comment", remark), ("reason", "again")])
        self.assertEqual(r.status, 422, r.describe())

    # -- erasure --------------------------------------------------------------------------

    def test_erase_personal_then_everything(self):
        iid = self.filled()
        self.assertEqual(self.fire(iid, "broadcast", []).status, 303)
        self.edit(iid, "modify", {"title": "Omega"})
        self.assertEqual(self.fire(iid, "comment", [("text", "Call Jane on +32 2 555")]).status, 303)
        self.assertEqual(self.fire(iid, "close", []).status, 303)
        self.assertEqual(self.fire(iid, "anonymise", []).status, 303)
        for _v, _s, data, _c in self.versions(iid):
            self.assertNotIn("provider", data)
            self.assertNotIn("identity", data)
            self.assertIn("title", data)
            self.assertEqual(data["risk"], "health")
        # A comment's text is free text, which may name a person: erased with the personal data.
        self.assertEqual(self.comments(iid)[0][2], None)
        self.assertEqual(self.model(iid).find("form").get("erased"), "true")
        self.assertEqual(self.fire(iid, "purge", []).status, 303)
        self.assertEqual([d for _v, _s, d, _c in self.versions(iid)], [{}, {}])
        self.assertEqual(self.comments(iid)[0][2], None)
        self.assertEqual(self.stack.psql("SELECT count(*) FROM wf_form_versions WHERE"
                                         " instance_id = $1 AND erased_at IS NULL", iid), [("0",)])


if __name__ == "__main__":
    tap.main()
