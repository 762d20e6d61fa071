#!/usr/bin/python3
"""test_input_checks.py -- what refused input answers (issue 12, point 7: uploads and input
checks).  The stack runs with small limits (a file 64 KiB, a body 256 KiB), set once each
for nginx and the engine:

* a file over the upload limit gets the form again (422) with the error at the file's field,
  stating the limit, and the other fields as typed; nothing is stored;
* a body over the body limit gets a readable page from nginx (413), not its bare one;
* a website must be http(s); names, one-line fields and file names refuse control and bidi
  override characters; a newline in a one-line field has its own message, not "too long"."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402

MODULE = "pq-requests"
UPLOAD_MAX, BODY_MAX = "64k", "256k"
RLO = "\u202e"      # RIGHT-TO-LEFT OVERRIDE: "invoice\u202efdp.exe" shows as "invoiceexe.pdf"
LRI = "\u2066"      # LEFT-TO-RIGHT ISOLATE


class InputChecksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000, upload_max=UPLOAD_MAX, body_max=BODY_MAX)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        cls.dk_coord, _ = authorities.register(hd, "DK Koordinator", "DK", "Carl", "Koch")
        cls.dk, dk_user = authorities.register(hd, "Sundhedsstyrelsen", "DK", "Mette", "Larsen")
        cls.nl_coord, _ = authorities.register(hd, "NL Coordinator", "NL", "Eva", "Bakker")
        cls.nl, nl_user = authorities.register(hd, "BIG-register", "NL", "Sanne", "Jong")
        authorities.grant(hd, cls.dk_coord, MODULE, "coordinator")
        authorities.grant(hd, cls.nl_coord, MODULE, "coordinator")
        authorities.grant(hd, cls.dk, MODULE, coordinators=[cls.dk_coord])
        authorities.grant(hd, cls.nl, MODULE, coordinators=[cls.nl_coord])
        cls.dk_b = first_sign_in(s, dk_user, "mette@example.dk")
        cls.nl_b = first_sign_in(s, nl_user, "sanne@example.nl")
        cls.codes = [c for (c,) in s.psql("SELECT code FROM questions WHERE module = $1"
                                          " ORDER BY position LIMIT 2", MODULE)]

    # ---- helpers ---------------------------------------------------------------------------

    def csrf(self, b):
        return b.get("/").html().csrf()

    def draft_fields(self, b, **over):
        fields = {"csrf": self.csrf(b), "module": MODULE, "responder": str(self.nl),
                  "subject": "Diploma of Dr. Jansen", "context": "Applies in Denmark.",
                  "person_name": "Jan Jansen", "person_birth_date": "1980-04-01",
                  "person_nationality": "NL", "person_registration": "BIG-123",
                  "reply_date": "2027-02-01"}
        fields.update(over)
        return list(fields.items()) + [("question", c) for c in self.codes]

    def draft(self, b, **over):
        r = b.post("/requests/new", self.draft_fields(b, **over))
        self.assertEqual(r.status, 303, r.text[-1500:])
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    def transitions(self, b, rid):
        return b.get_xml(f"/requests/{rid}").xml().find("transitions")

    def fire(self, b, rid, event, fields=()):
        t = self.transitions(b, rid)
        data = [("csrf", self.csrf(b)), ("rev", t.get("rev")), ("next", f"/requests/{rid}")]
        return b.post(f"/instances/{t.get('instance')}/fire/{event}", data + list(fields))

    def upload(self, b, rid, event, filename, content, fields=()):
        """Fires event with a file in "document", as a browser's multipart form does."""
        t = self.transitions(b, rid)
        boundary = "----imiflowinputchecks7f3a"
        parts = [("csrf", self.csrf(b)), ("rev", t.get("rev")), ("next", f"/requests/{rid}")]
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                        .encode() for k, v in parts + list(fields))
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="document"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n').encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        return b.post_raw(f"/instances/{t.get('instance')}/fire/{event}", body,
                          content_type=f"multipart/form-data; boundary={boundary}")

    def documents(self, rid):
        return self.stack.psql("SELECT d.filename, d.size FROM wf_documents d JOIN requests r"
                               " ON r.instance_id = d.instance_id WHERE r.id = $1 ORDER BY d.id",
                               rid)

    def history(self, rid):
        return self.stack.psql("SELECT h.event FROM wf_history h JOIN requests r"
                               " ON r.instance_id = h.instance_id WHERE r.id = $1 ORDER BY seq", rid)

    def rule_at(self, resp, field):
        """The rule of the error shown at a form field (data-field) or a workflow input
        (data-input), or None."""
        page = resp.html()
        err = page.find("p", **{"data-field": field}) or page.find("p", **{"data-input": field})
        return err.get("data-rule") if err is not None else None

    # ---- uploads ---------------------------------------------------------------------------

    def test_01_one_setting_each_for_nginx_and_the_engine(self):
        conf = (self.stack.dir / "nginx" / "nginx.conf").read_text()
        self.assertIn(f"client_max_body_size {BODY_MAX};", conf)
        self.assertIn("error_page 413 /errors/413.html;", conf)
        # The form says how large a file may be, from the engine's own setting.
        rid = self.draft(self.dk_b, subject="Limits stated")
        page = self.dk_b.get(f"/requests/{rid}?tab=documents").html()
        form = page.by_id("fire-attach")
        self.assertIsNotNone(form)
        self.assertIn("At most 64 KiB a file.", form.text)
        self.assertEqual(self.transitions(self.dk_b, rid).find("transition/input[@name='document']")
                         .get("max-size"), "64 KiB")

    def test_02_a_file_too_large_gets_the_form_again_with_the_fields_kept(self):
        rid = self.draft(self.dk_b, subject="Too large a diploma")
        self.assertEqual(self.fire(self.dk_b, rid, "send").status, 303)
        self.assertEqual(self.fire(self.nl_b, rid, "accept").status, 303)
        before = self.history(rid)
        typed = "The diploma was issued in 2001;\nthe register has it since 2002."
        big = b"%PDF-1.4 " + b"x" * (100 * 1024)       # over 64 KiB, under the 256 KiB body
        r = self.upload(self.dk_b, rid, "add-information", "diploma.pdf", big,
                        [("information", typed)])
        self.assertEqual(r.status, 422, r.text[-1500:])
        page = r.html()
        form = page.by_id("fire-add-information")
        self.assertIsNotNone(form, r.text[-2000:])
        err = form.find("p", **{"data-input": "document"})
        self.assertIsNotNone(err, r.text[-2000:])
        self.assertEqual(err.get("data-rule"), "file-too-big")
        self.assertIn("64 KiB", err.text)
        # The other field as typed; the request page around it, not an error page.
        self.assertEqual(form.find("textarea", name="information").text, " ".join(typed.split()))
        self.assertIsNotNone(page.by_id("request-state"))
        # Nothing written.
        self.assertEqual(self.documents(rid), [])
        self.assertEqual(self.history(rid), before)
        # At the limit it is taken, as uploaded.
        fits = b"%PDF-1.4 " + b"y" * (64 * 1024 - 9)
        r = self.upload(self.dk_b, rid, "add-information", "diploma.pdf", fits,
                        [("information", typed)])
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.documents(rid), [("diploma.pdf", str(64 * 1024))])

    def test_03_a_body_over_the_limit_gets_a_readable_page(self):
        rid = self.draft(self.dk_b, subject="Far too large a diploma")
        huge = b"z" * (300 * 1024)                      # over the 256 KiB body limit
        r = self.upload(self.dk_b, rid, "attach", "huge.pdf", huge)
        self.assertEqual(r.status, 413)
        self.assertTrue(r.content_type.startswith("text/html"), r.content_type)
        page = r.html()
        self.assertIsNotNone(page.by_id("too-large"), r.text[:800])
        self.assertIn("choose a smaller one", r.text)
        self.assertIn('href="/static/imiflow.css"', r.text)
        for lang in ("da", "nl", "ro"):
            self.assertIsNotNone(page.find("section", lang=lang), lang)
        # Served with the site's security headers like every other answer.
        self.assertIsNotNone(r.header("Content-Security-Policy"))
        self.assertEqual(self.documents(rid), [])
        self.assertEqual(self.history(rid), [("start",)])

    # ---- input checks ------------------------------------------------------------------------

    def edit_authority(self, b, aid, **over):
        model = b.get_xml(f"/authorities/{aid}/edit").xml()
        fields = {f.get("name"): f.get("value") or "" for f in model.find("form")
                  if f.tag == "field"}
        fields.update(over)
        fields["csrf"] = self.csrf(b)
        return b.post(f"/authorities/{aid}/edit", fields)

    def website(self, aid):
        return self.stack.psql("SELECT 'site:' || coalesce(website, '') FROM authorities"
                               " WHERE id = $1", aid)[0][0][5:]

    def test_04_a_website_must_be_http_or_https(self):
        for bad in ("javascript:alert(document.cookie)", "ftp://files.sst.dk", "www.sst.dk",
                    "https://www.sst.dk@evil.example/", "data:text/html,<b>x</b>"):
            r = self.edit_authority(self.hd, self.dk, website=bad)
            self.assertEqual(r.status, 422, (bad, r.text[-1000:]))
            self.assertEqual(self.rule_at(r, "website"), "website", bad)
            self.assertIn("http:// or https://", r.html().find("p", **{"data-field": "website"}).text)
            # The form keeps what was typed, to correct it.
            self.assertEqual(r.html().by_id("website").get("value"), bad)
            self.assertEqual(self.website(self.dk), "")
        r = self.edit_authority(self.hd, self.dk, website="https://www.sst.dk/en")
        self.assertEqual(r.status, 303, r.text[-1000:])
        self.assertEqual(self.website(self.dk), "https://www.sst.dk/en")
        # Registering a new authority obeys the same rule.
        page = self.hd.get("/admin/authorities/new")
        r = self.hd.post("/admin/authorities/new", {
            "csrf": page.html().csrf(), "official_name": "Websiteless", "country": "DK",
            "email": "office@websiteless.example", "authority_type": "competent-authority",
            "website": "javascript:alert(1)", "first_name": "Web", "last_name": "Site",
            "language": "en", "user_email": "web@example.dk"})
        self.assertEqual(r.status, 422)
        self.assertEqual(self.rule_at(r, "website"), "website")
        self.assertEqual(self.stack.psql("SELECT count(*) FROM authorities"
                                         " WHERE official_name = 'Websiteless'"), [("0",)])

    def new_user(self, **over):
        fields = {"csrf": self.csrf(self.hd), "first_name": "Karen", "last_name": "Holm",
                  "user_email": "karen@example.dk", "language": "da", "phone": "+45 70 00 00 00"}
        fields.update(over)
        return self.hd.post(f"/authorities/{self.dk}/users/new", fields)

    def test_05_names_refuse_control_and_bidi_characters(self):
        users = self.stack.psql("SELECT count(*) FROM users")
        for field, value, rule in (("first_name", f"Karen{RLO}", "bidi"),
                                   ("last_name", f"{LRI}Holm", "bidi"),
                                   ("last_name", "Holm\tHansen", "control"),
                                   ("phone", f"+45 {RLO}00", "bidi")):
            r = self.new_user(**{field: value})
            self.assertEqual(r.status, 422, (field, value, r.text[-1000:]))
            self.assertEqual(self.rule_at(r, field), rule, (field, value))
            self.assertTrue(r.html().find("p", **{"data-field": field}).text.strip())
        self.assertEqual(self.stack.psql("SELECT count(*) FROM users"), users)
        for field, value, rule in (("official_name", f"Sundhedsstyrelsen {RLO}", "bidi"),
                                   ("informal_title", f"SST{LRI}", "bidi"),
                                   ("official_name", "Sundheds\tstyrelsen", "control")):
            r = self.edit_authority(self.hd, self.dk, **{field: value})
            self.assertEqual(r.status, 422, (field, r.text[-1000:]))
            self.assertEqual(self.rule_at(r, field), rule, field)
        self.assertEqual(self.stack.psql("SELECT official_name FROM authorities WHERE id = $1",
                                         self.dk), [("Sundhedsstyrelsen",)])
        # A request's subject and the person's name.
        n = self.stack.psql("SELECT count(*) FROM requests")
        for field in ("subject", "person_name", "person_registration"):
            r = self.dk_b.post("/requests/new", self.draft_fields(self.dk_b, **{
                field: f"Jan {RLO}nesnaJ"}))
            self.assertEqual(r.status, 422, (field, r.text[-1000:]))
            self.assertEqual(self.rule_at(r, field), "bidi", field)
        self.assertEqual(self.stack.psql("SELECT count(*) FROM requests"), n)
        # Letters of every language stay welcome.
        r = self.new_user(first_name="Ана-Мария", last_name="Ionescu-Pătrașcu",
                          user_email="ana.maria@example.dk")
        self.assertEqual(r.status, 200, r.text[-1000:])

    def test_06_a_file_name_with_a_bidi_override_is_refused_at_its_field(self):
        rid = self.draft(self.dk_b, subject="Spoofed file name")
        r = self.upload(self.dk_b, rid, "attach", f"invoice{RLO}fdp.exe", b"MZ not a pdf")
        self.assertEqual(r.status, 422, r.text[-1500:])
        self.assertEqual(self.rule_at(r, "document"), "bidi")
        self.assertEqual(self.documents(rid), [])
        r = self.upload(self.dk_b, rid, "attach", "invoice.pdf", b"%PDF-1.4 fine")
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.documents(rid), [("invoice.pdf", "13")])

    def test_07_a_newline_in_a_one_line_field_has_its_own_message(self):
        for field in ("subject", "person_name", "person_registration"):
            r = self.dk_b.post("/requests/new", self.draft_fields(self.dk_b, **{
                field: "Jan\r\nJansen"}))
            self.assertEqual(r.status, 422, (field, r.text[-1000:]))
            self.assertEqual(self.rule_at(r, field), "one-line", field)
            self.assertIn("single line", r.html().find("p", **{"data-field": field}).text)
        r = self.new_user(phone="+45 70\n00 00 00")
        self.assertEqual(r.status, 422)
        self.assertEqual(self.rule_at(r, "phone"), "one-line")
        r = self.new_user(first_name="Karen\nMarie", user_email="karen.marie@example.dk")
        self.assertEqual(self.rule_at(r, "first_name"), "one-line")
        # Free texts take several lines.
        rid = self.draft(self.dk_b, subject="Several lines of context",
                         context="First line.\r\nSecond line.\r\n\tIndented.")
        self.assertEqual(self.stack.psql("SELECT strpos(context, E'line.\\r\\nSecond') > 0,"
                                         " strpos(context, E'\\tIndented') > 0"
                                         " FROM requests WHERE id = $1", rid), [("t", "t")])


    def test_08_only_files_whose_name_and_content_agree_on_an_allowed_type(self):
        """ASVS 5.2.2 and 1.3.4 (core/filetype.h): the name's extension must be on the list
        (serve --upload-types) and the first bytes must be that type's; SVG is on no list."""
        rid = self.draft(self.dk_b, subject="Kinds of file")
        page = self.dk_b.get(f"/requests/{rid}").html()
        hint = next((e for e in page.iter() if e.get("data-file-types")), None)
        self.assertIsNotNone(hint, "the form says which kinds of file are taken")
        self.assertIn("pdf", hint.get("data-file-types"))
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        for name, content in (("drawing.svg", svg), ("drawing.pdf", svg),
                              ("invoice.pdf", b"MZ\x90\x00 an executable"),
                              ("page.html", b"<html><script>alert(1)</script></html>"),
                              ("notes.txt", b"text with a NUL \x00 byte"),
                              ("scan.png", b"%PDF-1.4 a pdf named png")):
            r = self.upload(self.dk_b, rid, "attach", name, content)
            self.assertEqual(r.status, 422, (name, r.text[-1500:]))
            self.assertEqual(self.rule_at(r, "document"), "file-type", name)
        self.assertEqual(self.documents(rid), [])
        # A text file whose content is text is taken, stored with the type's own
        # Content-Type (not the application/pdf the form part claimed), and downloaded as an
        # attachment only.
        r = self.upload(self.dk_b, rid, "attach", "notes.txt", "Notes, naïve.\n".encode())
        self.assertEqual(r.status, 303, r.text[-1500:])
        self.assertEqual(self.documents(rid), [("notes.txt", "15")])
        self.assertEqual(self.stack.psql(
            "SELECT d.content_type FROM wf_documents d JOIN requests r"
            " ON r.instance_id = d.instance_id WHERE r.id = $1", rid),
            [("text/plain; charset=utf-8",)])


if __name__ == "__main__":
    tap.main()
