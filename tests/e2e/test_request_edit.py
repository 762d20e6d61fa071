#!/usr/bin/python3
"""test_request_edit.py -- the forms of an information request on the real stack (issue 12,
point 7):

* every date input is checked before SQL: an impossible date (2027-02-30) on the new request's
  form, in a workflow's date input, in a date answer, on the edit page or as a search criterion
  is the form again with the error at the field (422), the other fields kept and nothing
  written -- never a 500 ("date/time field value out of range");
* a draft request can be edited by its author (a Handler): subject, free text, the tick that
  they hold no personal data, the person concerned, the reply date, the chosen questions and
  documents; also a draft the coordinator returned; only by its author, with the CSRF token
  and the revision the form was drawn from (a change meanwhile is the "changed meanwhile"
  page); a link from the request page."""

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
BOUNDARY = "----imiflowedit7c1f"


def multipart(fields, files=()):
    """A multipart/form-data body of fields (pairs) and files (name, filename, bytes)."""
    body = b"".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                    .encode() for k, v in fields)
    for name, filename, content in files:
        body += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n').encode()
        body += content + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


class RequestEditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        ids, users = {}, {}
        for who, name, country, first in (
                ("dk_coord", "DK Koordinator", "DK", "Carl"),
                ("dk", "Sundhedsstyrelsen", "DK", "Mette"),
                ("dk2", "Styrelsen for Patientsikkerhed", "DK", "Ole"),
                ("nl_coord", "NL Coordinator", "NL", "Eva"),
                ("nl", "BIG-register", "NL", "Sanne")):
            ids[who], users[who] = authorities.register(hd, name, country, first)
        authorities.grant(hd, ids["dk_coord"], PQ, "coordinator")
        authorities.grant(hd, ids["nl_coord"], PQ, "coordinator")
        authorities.grant(hd, ids["dk"], PQ, "authority", [ids["dk_coord"]])
        # Its requests go to the coordinator's Approvers, who may return them.
        authorities.grant(hd, ids["dk2"], PQ, "authority", [ids["dk_coord"]],
                          approval_required=True)
        authorities.grant(hd, ids["nl"], PQ, "authority", [ids["nl_coord"]])
        cls.ids = ids
        cls.b = {who: first_sign_in(s, users[who], f"{first.lower()}@example.{c.lower()}")
                 for who, first, c in (("dk", "Mette", "DK"), ("dk2", "Ole", "DK"),
                                       ("dk_coord", "Carl", "DK"), ("nl", "Sanne", "NL"))}
        # A second Handler of the author's authority: not the author.
        b = cls.b["dk"]
        r = b.post(f"/authorities/{ids['dk']}/users/new", [
            ("csrf", b.get("/").html().csrf()), ("first_name", "Hans"), ("last_name", "Test"),
            ("user_email", "hans@example.dk"), ("language", "en"), ("phone", "+45 1"),
            ("username", ""), ("action", "save"), ("role", f"{PQ}:viewer"),
            ("role", f"{PQ}:handler")])
        assert r.status == 200, r.text[-1000:]
        cls.b["dk_other"] = first_sign_in(s, r.html().by_id("new-username").text,
                                          "hans@example.dk")
        cls.codes = {c: t for c, t in s.psql(
            "SELECT code, type FROM questions WHERE module = $1 ORDER BY position", PQ)}

    # -- helpers -----------------------------------------------------------------------------

    def csrf(self, who):
        return self.b[who].get("/").html().csrf()

    def new_fields(self, who="dk", **over):
        f = {"module": PQ, "responder": str(self.ids["nl"]), "subject": "Diploma of Dr. Jansen",
             "context": "Applies for recognition in Denmark.", "person_name": "Jan Jansen",
             "person_birth_date": "1980-04-01", "person_nationality": "NL",
             "person_registration": "BIG-123", "reply_date": "2027-02-01"}
        f.update(over)
        pairs = [("csrf", self.csrf(who))] + list(f.items())
        return pairs + [("question", c) for c in ("registration-number", "registration-date")]

    def draft(self, who="dk", **over):
        r = self.b[who].post("/requests/new", self.new_fields(who, **over))
        self.assertEqual(r.status, 303, r.text[-1500:])
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    def row(self, rid):
        return self.stack.psql(
            "SELECT r.subject, r.context, r.no_personal_texts, coalesce(r.person_name, ''),"
            " coalesce(r.person_birth_date::text, ''), r.reply_date::text, r.responder_id::text,"
            " i.state, i.rev, (SELECT string_agg(code, ',' ORDER BY position)"
            "   FROM request_questions WHERE request_id = r.id)"
            " FROM requests r JOIN wf_instances i ON i.id = r.instance_id WHERE r.id = $1", rid)[0]

    def model(self, who, rid):
        r = self.b[who].get_xml(f"/requests/{rid}")
        self.assertEqual(r.status, 200)
        return r.xml()

    def fire(self, who, rid, event, fields=None):
        t = self.model(who, rid).find("transitions")
        data = {"csrf": self.csrf(who), "rev": t.get("rev"), "next": f"/requests/{rid}"}
        data.update(fields or {})
        return self.b[who].post(f"/instances/{t.get('instance')}/fire/{event}", data)

    def edit_form(self, who, rid):
        """The edit page's form fields as the browser would send them back (checked boxes)."""
        page = self.b[who].get(f"/requests/{rid}/edit")
        self.assertEqual(page.status, 200, page.text[-800:])
        form = page.html().by_id("request-edit-form")
        pairs = []
        for e in form.iter():
            name, typ = e.get("name"), (e.get("type") or "").lower()
            if name is None or e.tag not in ("input", "textarea", "select") or typ == "file":
                continue
            if typ == "checkbox" and e.get("checked") is None:
                continue
            if e.tag == "textarea":
                pairs.append((name, e.text))
            elif e.tag == "select":
                sel = [o.get("value") for o in e.find_all("option")
                       if o.get("selected") is not None]
                pairs.append((name, sel[0] if sel else ""))
            else:
                pairs.append((name, e.get("value", "")))
        return pairs

    def post_edit(self, who, rid, pairs, files=()):
        return self.b[who].post_raw(f"/requests/{rid}/edit", multipart(pairs, files),
                                    content_type=f"multipart/form-data; boundary={BOUNDARY}")

    @staticmethod
    def replace(pairs, **values):
        """pairs with each name in values set to its value (None: removed); questions as a list."""
        out = [(k, v) for k, v in pairs if k not in values and
               not (k == "question" and "question" in values)]
        for k, v in values.items():
            if k == "question":
                out += [("question", c) for c in v]
            elif v is not None:
                out.append((k, v))
        return out

    def field_error(self, r, field):
        e = r.html().find(class_="error", **{"data-field": field})
        return None if e is None else e.get("data-rule")

    # -- 1. dates checked before SQL -------------------------------------------------------

    def test_01_an_impossible_date_is_the_form_again_with_the_error_at_the_field(self):
        before = self.stack.psql("SELECT count(*) FROM requests")[0][0]
        for field, value in (("reply_date", "2027-02-30"), ("person_birth_date", "2001-02-29"),
                             ("reply_date", "2027-13-01"), ("reply_date", "2027- 2-28")):
            r = self.b["dk"].post("/requests/new", self.new_fields(
                **{field: value, "subject": "Impossible date"}))
            self.assertEqual(r.status, 422, (field, value, r.text[-800:]))
            self.assertEqual(self.field_error(r, field), "date", (field, value))
            # The other fields are kept.
            form = r.html().by_id("request-form")
            self.assertEqual(form.find(name="subject").get("value"), "Impossible date")
            self.assertEqual(form.find("textarea", name="context").text,
                             "Applies for recognition in Denmark.")
            self.assertEqual(form.find(name=field).get("value"), value)
            self.assertIsNotNone(form.find(name="question", value="registration-date")
                                 .get("checked"))
        self.assertEqual(self.stack.psql("SELECT count(*) FROM requests")[0][0], before)
        # A search criterion that is no date is left out, never a 500.
        r = self.b["dk"].get("/requests?from=2027-02-30&to=2027-02-31")
        self.assertEqual(r.status, 200)
        # A workflow's date input (accept with another date) and a date answer.
        rid = self.draft()
        self.assertEqual(self.fire("dk", rid, "send").status, 303)
        r = self.fire("nl", rid, "accept", {"proposed-date": "2027-02-30", "reason": "Slow"})
        self.assertEqual(r.status, 422)
        self.assertEqual(self.row(rid)[7], "sent")
        self.assertEqual(self.fire("nl", rid, "accept").status, 303)
        r = self.b["nl"].post(f"/requests/{rid}/answers", {
            "csrf": self.csrf("nl"), "answer-registration-number": "BIG-77",
            "answer-registration-date": "2019-02-29"})
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(r.html().find(class_="error", **{"data-field": "registration-date",
                                                              "data-rule": "date"}))
        self.assertEqual(self.stack.psql(
            "SELECT count(answer) FROM request_questions WHERE request_id = $1", rid), [("0",)])

    # -- 2. the author edits a draft -------------------------------------------------------

    def test_02_the_author_edits_a_draft_from_the_request_page(self):
        rid = self.draft()
        page = self.b["dk"].get(f"/requests/{rid}")
        self.assertEqual(page.html().by_id("edit-request").get("href"), f"/requests/{rid}/edit")
        pairs = self.edit_form("dk", rid)
        self.assertIn(("subject", "Diploma of Dr. Jansen"), pairs)
        self.assertIn(("person_name", "Jan Jansen"), pairs)
        self.assertIn(("reply_date", "2027-02-01"), pairs)
        self.assertEqual([v for k, v in pairs if k == "question"],
                         ["registration-number", "registration-date"])
        self.assertNotIn("no_personal_texts", dict(pairs))
        rev = int(dict(pairs)["rev"])
        pairs = self.replace(pairs, subject="Diploma check 2027-118",
                             context="A routine check of a diploma.", no_personal_texts="1",
                             person_name="Jan P. Jansen", reply_date="2027-03-15",
                             question=["holds-diploma", "diploma-issuer"])
        r = self.post_edit("dk", rid, pairs, [("document", "diploma.pdf", b"%PDF-1.4 diploma")])
        self.assertEqual(r.status, 303, [(e.data(), e.text) for e in r.html().errors()])
        self.assertEqual(r.location_path, f"/requests/{rid}")
        self.assertEqual(self.row(rid), (
            "Diploma check 2027-118", "A routine check of a diploma.", "t", "Jan P. Jansen",
            "1980-04-01", "2027-03-15", str(self.ids["nl"]), "draft", str(rev + 1),
            "holds-diploma,diploma-issuer"))
        docs = self.stack.psql("SELECT d.id, d.filename FROM wf_documents d JOIN requests r"
                               " ON r.instance_id = d.instance_id WHERE r.id = $1", rid)
        self.assertEqual([n for _, n in docs], ["diploma.pdf"])
        # The log says who edited it.
        log = self.model("dk", rid).find("request").find("log")
        edit = [e for e in log if e.get("event") == "edit"]
        self.assertEqual(len(edit), 1)
        self.assertIn("Mette", edit[0].get("user"))
        # Again: the document removed, the tick taken back.
        pairs = self.edit_form("dk", rid)
        self.assertEqual(dict(pairs).get("no_personal_texts"), "1")
        pairs = self.replace(pairs, no_personal_texts=None) + [("remove-document", docs[0][0])]
        self.assertEqual(self.post_edit("dk", rid, pairs).status, 303)
        self.assertEqual(self.row(rid)[2], "f")
        self.assertEqual(self.stack.psql("SELECT count(*) FROM wf_documents d JOIN requests r"
                                         " ON r.instance_id = d.instance_id WHERE r.id = $1",
                                         rid), [("0",)])
        # Sent, it is no draft any more: no link, and the edit page refuses.
        self.assertEqual(self.fire("dk", rid, "send").status, 303)
        self.assertIsNone(self.b["dk"].get(f"/requests/{rid}").html().by_id("edit-request"))
        self.assertEqual(self.b["dk"].get(f"/requests/{rid}/edit").status, 403)
        r = self.post_edit("dk", rid, self.replace(pairs, subject="Too late",
                                                   rev=self.row(rid)[8]))
        self.assertEqual(r.status, 409)
        self.assertEqual(self.row(rid)[0], "Diploma check 2027-118")

    def test_03_a_refused_edit_is_the_form_again_and_writes_nothing(self):
        rid = self.draft(subject="Before the refused edit")
        before = self.row(rid)
        pairs = self.replace(self.edit_form("dk", rid), subject="Changed", reply_date="2027-02-30",
                             question=[])
        r = self.post_edit("dk", rid, pairs)
        self.assertEqual(r.status, 422, r.text[-800:])
        self.assertEqual(self.field_error(r, "reply_date"), "date")
        self.assertIsNotNone(r.html().find(class_="error", **{"data-field": "questions"}))
        form = r.html().by_id("request-edit-form")
        self.assertEqual(form.find(name="subject").get("value"), "Changed")
        self.assertEqual(form.find(name="reply_date").get("value"), "2027-02-30")
        self.assertEqual(self.row(rid), before)
        # Without the CSRF token: refused, nothing written.
        r = self.post_edit("dk", rid, self.replace(pairs, csrf=None, reply_date="2027-02-27",
                                                   question=["holds-diploma"]))
        self.assertEqual(r.status, 403)
        self.assertEqual(self.row(rid), before)

    def test_04_only_its_author_edits_a_draft(self):
        rid = self.draft(subject="Mette's draft")
        before = self.row(rid)
        pairs = self.replace(self.edit_form("dk", rid), subject="Hans was here")
        # Another Handler of the same authority: a draft is its author's alone (issue 12), so
        # the request, its edit page and every POST to it are not there (404), nothing written.
        self.assertEqual(self.b["dk_other"].get(f"/requests/{rid}").status, 404)
        self.assertEqual(self.b["dk_other"].get(f"/requests/{rid}/edit").status, 404)
        r = self.post_edit("dk_other", rid, self.replace(pairs, csrf=self.csrf("dk_other")))
        self.assertEqual(r.status, 404)
        # Nor through the generic instance page.
        iid = self.stack.psql("SELECT instance_id FROM requests WHERE id = $1", rid)[0][0]
        r = self.b["dk_other"].post(f"/instances/{iid}/fire/edit", self.replace(
            pairs, csrf=self.csrf("dk_other")))
        self.assertEqual(r.status, 404)
        # Another authority does not even see it.
        self.assertEqual(self.b["nl"].get(f"/requests/{rid}/edit").status, 404)
        r = self.post_edit("nl", rid, self.replace(pairs, csrf=self.csrf("nl")))
        self.assertEqual(r.status, 404)
        self.assertEqual(self.row(rid), before)

    def test_05_a_change_meanwhile_is_the_changed_meanwhile_page(self):
        rid = self.draft(subject="Edited twice at once")
        first = self.edit_form("dk", rid)
        second = self.edit_form("dk", rid)
        self.assertEqual(self.post_edit("dk", rid, self.replace(first, subject="First")).status,
                         303)
        r = self.post_edit("dk", rid, self.replace(second, subject="Second"))
        self.assertEqual(r.status, 409)
        self.assertEqual(r.html().main_status(), "409")
        self.assertEqual(self.row(rid)[0], "First")

    def test_06_a_draft_returned_by_the_coordinator_is_edited_and_submitted_again(self):
        rid = self.draft("dk2", subject="Needs a better question")
        self.assertEqual(self.fire("dk2", rid, "submit").status, 303)
        self.assertEqual(self.row(rid)[7], "awaiting-approval")
        self.assertEqual(self.b["dk2"].get(f"/requests/{rid}/edit").status, 403)
        r = self.fire("dk_coord", rid, "return", {"comment": "Ask for the diploma too"})
        self.assertEqual(r.status, 303, r.text[-800:])
        self.assertEqual(self.row(rid)[7], "draft")
        pairs = self.replace(self.edit_form("dk2", rid), subject="With the diploma",
                             question=["registration-number", "holds-diploma"])
        self.assertEqual(self.post_edit("dk2", rid, pairs).status, 303)
        self.assertEqual(self.row(rid)[0], "With the diploma")
        self.assertEqual(self.row(rid)[9], "registration-number,holds-diploma")
        self.assertEqual(self.fire("dk2", rid, "submit").status, 303)
        self.assertEqual(self.row(rid)[7], "awaiting-approval")


if __name__ == "__main__":
    tap.main()
