#!/usr/bin/python3
"""test_pages_read.py -- pages as a person reads them (issue 16, "Pages a person reads"), on the
real stack, by parsing the HTML the browser gets:

* the Modules tab's "Grant access" forms are headed by the module's name only, not run together
  with its keywords and the names of the coordinators one may link;
* the scoreboard's authority (or country) cell holds the name only, not the figures of its row;
* the users table's header says "Username", not the form label "Username (optional)";
* an authority's history (Management information tab) lists its registration once;
* the print view of a request has no "What you can do" heading (it has no forms);
* the request search offers module and state as selects in words, sent as their codes, and a
  choice finds what it names (in Danish too);
* a refused form comes back with an error summary at the top that links to each field, each
  field marked aria-invalid and described by its error, in the reader's language (issue 16,
  "Forms for everyone")."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from crawl import catalogue  # noqa: E402
import authorities  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402

MODULE = "pq-requests"


class PagesReadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        cls.dk_coord, _ = authorities.register(hd, "DK Koordinator", "DK", "Carl")
        cls.dk, dk_user = authorities.register(hd, "Sundhedsstyrelsen", "DK", "Mette")
        cls.nl_coord, _ = authorities.register(hd, "NL Coordinator", "NL", "Eva")
        cls.nl, nl_user = authorities.register(hd, "BIG-register", "NL", "Sanne")
        authorities.grant(hd, cls.dk_coord, MODULE, "coordinator")
        authorities.grant(hd, cls.nl_coord, MODULE, "coordinator")
        authorities.grant(hd, cls.dk, MODULE, coordinators=[cls.dk_coord])
        authorities.grant(hd, cls.nl, MODULE, coordinators=[cls.nl_coord])
        cls.dk_user = dk_user
        cls.dk_b = first_sign_in(s, dk_user, "mette@example.dk")
        cls.nl_b = first_sign_in(s, nl_user, "sanne@example.nl")
        cls.question = s.psql("SELECT code FROM questions WHERE module = $1 AND type = 'text'"
                              " ORDER BY position LIMIT 1", MODULE)[0][0]

    def csrf(self, b):
        return b.get("/").html().csrf()

    def fire(self, b, rid, event):
        t = b.get_xml(f"/requests/{rid}").xml().find("transitions")
        r = b.post(f"/instances/{t.get('instance')}/fire/{event}", {
            "csrf": self.csrf(b), "rev": t.get("rev"), "next": f"/requests/{rid}"})
        self.assertEqual(r.status, 303, r.text[-800:])

    def sent_request(self):
        """A request from Denmark to the Netherlands, sent: returns its id."""
        b = self.dk_b
        r = b.post("/requests/new", [
            ("csrf", self.csrf(b)), ("module", MODULE), ("responder", str(self.nl)),
            ("subject", "Diploma of Dr. Jansen"), ("context", "Applies for recognition."),
            ("person_name", "Jan Jansen"), ("person_birth_date", "1980-04-01"),
            ("person_nationality", "NL"), ("person_registration", "BIG-123"),
            ("reply_date", "2027-02-01"), ("question", self.question)])
        self.assertEqual(r.status, 303, r.text[-1500:])
        rid = int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))
        self.fire(b, rid, "send")
        return rid

    def test_01_grant_access_headings_are_module_names(self):
        """The helpdesk's Modules tab of an authority without accesses: each grant form's
        heading (summary) is the module's name, nothing of the keywords or candidates."""
        aid, _ = authorities.register(self.hd, "Opgeheven Dienst", "NL", "Lotte")
        r = self.hd.get(f"/authorities/{aid}/modules")
        self.assertEqual(r.status, 200)
        doc = r.html()
        names = dict(self.stack.psql("SELECT code, name FROM modules"))
        grants = [d for d in doc.find_all("details")
                  if (d.id or "").startswith("grant-") and d.id[6:] in names]
        self.assertTrue(grants, "no grant form on the Modules tab")
        checked = 0
        for d in grants:
            summary = d.find("summary")
            self.assertEqual(summary.text, names[d.id[6:]], d.id)
            checked += 1
        # The module with linked coordinators offers them: their names stay in the form.
        pq = doc.by_id(f"grant-{MODULE}")
        self.assertIsNotNone(pq)
        self.assertNotIn("NL Coordinator", pq.find("summary").text)
        self.assertIn("NL Coordinator", pq.text)
        self.assertGreater(checked, 1)

    def test_02_scoreboard_name_cell_holds_only_the_name(self):
        """The scoreboard's first cell is the authority's name (with its country), or the
        country's, even where the row has figures (here: accepted in time)."""
        self.fire(self.nl_b, self.sent_request(), "accept")
        r = self.dk_b.get(f"/scoreboard?module={MODULE}&by=authority")
        self.assertEqual(r.status, 200, r.text[-800:])
        rows = {tr.get("data-key"): tr for tr in r.html().by_id("scoreboard").find_all("tr")
                if tr.get("data-key") is not None}
        self.assertIn(str(self.nl), rows)
        nl = rows[str(self.nl)]
        self.assertEqual(nl.find("td", data_measure="accepted-in-time").text, "100.0")
        self.assertEqual(nl.find("td").text, "BIG-register (NL)")
        self.assertEqual(rows[str(self.dk)].find("td").text, "Sundhedsstyrelsen (DK)")
        r = self.dk_b.get(f"/scoreboard?module={MODULE}&by=country")
        self.assertEqual(r.status, 200)
        cells = [tr.find("td").text.strip() for tr in r.html().by_id("scoreboard").find_all("tr")
                 if tr.get("data-key") is not None]
        self.assertTrue(cells)
        for c in cells:
            self.assertNotRegex(c, r"\d", f"figures in the country cell {c!r}")
        self.assertIn("Netherlands", cells)
        # Countries by their names in the reader's language (issue 16), not the table's English.
        self.stack.psql("UPDATE users SET language = 'da' WHERE username = $1", self.dk_user)
        try:
            r = self.dk_b.get(f"/scoreboard?module={MODULE}&by=country")
            cells = [tr.find("td").text.strip() for tr in r.html().by_id("scoreboard").find_all("tr")
                     if tr.get("data-key") is not None]
            self.assertIn("Nederlandene", cells)
        finally:
            self.stack.psql("UPDATE users SET language = 'en' WHERE username = $1", self.dk_user)

    def test_03_users_table_header_says_username(self):
        r = self.hd.get(f"/authorities/{self.nl}/users")
        self.assertEqual(r.status, 200)
        heads = [th.text for th in r.html().by_id("users").find("thead").find_all("th")]
        self.assertIn("Username", heads)
        self.assertNotIn("Username (optional)", heads)

    def test_04_history_lists_registration_once(self):
        """The Management information tab lists a registered authority's registration once:
        the lifecycle's register event, no separate "registered" update besides it."""
        r = self.hd.get(f"/authorities/{self.nl}/management")
        self.assertEqual(r.status, 200)
        whats = [tr.find_all("td")[1].text
                 for tr in r.html().by_id("updates").find("tbody").find_all("tr")]
        self.assertEqual(whats.count("Registered"), 1, whats)
        self.assertEqual(self.stack.psql("SELECT count(*) FROM authority_updates"
                                         " WHERE what = 'registered'"), [("0",)])

    def print_hidden(self):
        """The simple selectors (tag, .class, #id, tag.class) that the stylesheet hides in
        print, as the browser gets it."""
        r = self.dk_b.get("/static/imiflow.css")
        self.assertEqual(r.status, 200)
        block = re.search(r"@media print\s*{(.*?)\n}", r.text, re.S).group(1)
        block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
        hidden = []
        for sel, body in re.findall(r"([^{}]+){([^{}]*)}", block):
            if re.search(r"display\s*:\s*none", body):
                hidden += [x.strip() for x in sel.split(",")]
        return hidden

    @staticmethod
    def hidden_by(el, selectors):
        """The selector that hides el or one of its ancestors, or None."""
        while el is not None:
            for sel in selectors:
                m = re.fullmatch(r"([a-z0-9]*)(?:([.#])([\w-]+))?", sel)
                if m is None or (not m.group(1) and not m.group(2)):
                    continue
                tag, kind, name = m.groups()
                if tag and el.tag != tag:
                    continue
                if kind == "." and name not in el.classes:
                    continue
                if kind == "#" and el.id != name:
                    continue
                return sel
            el = el.parent
        return None

    def test_05_print_view_has_no_empty_actions_heading(self):
        """Printed, a request shows every panel without forms: the "What you can do" heading
        does not print (it would head nothing), neither from the page nor from ?tab=print,
        while the page on screen still offers the actions under it."""
        rid = self.sent_request()
        hidden = self.print_hidden()
        self.assertIn("form", hidden)
        page = self.dk_b.get(f"/requests/{rid}")
        self.assertEqual(page.status, 200)
        heads = [h for h in page.html().find_all("h2") if h.text == "What you can do"]
        self.assertEqual(len(heads), 1)
        self.assertIsNotNone(self.hidden_by(heads[0], hidden),
                             "the actions heading prints while its forms do not")
        r = self.dk_b.get(f"/requests/{rid}?tab=print")
        self.assertEqual(r.status, 200)
        doc = r.html()
        self.assertEqual([f.get("action") for f in doc.find_all("form", method="post")],
                         ["/logout"])
        for h in doc.find_all("h2"):
            self.assertNotEqual(h.text, "What you can do")
            self.assertNotEqual(h.text, "", "an empty heading in the print view")
    def assert_summary_leads_to_fields(self, doc, summary, lang):
        """summary: the error summary; each of its links leads to a field of doc that is
        aria-invalid and described by an element holding its error; the heading is lang's."""
        self.assertIsNotNone(summary, "no error summary")
        self.assertEqual(summary.get("role"), "alert")
        self.assertEqual(summary.find("h2").text.strip(), catalogue(lang)["form.errors.title"])
        links = [a.get("href") for a in summary.find_all("a")]
        self.assertTrue(links, "the summary links to no field")
        for href in links:
            self.assertTrue(href.startswith("#"), href)
            field = doc.by_id(href[1:])
            self.assertIsNotNone(field, f"{href}: no such field")
            if field.tag in ("input", "select", "textarea"):
                self.assertEqual(field.get("aria-invalid"), "true", href)
                said = doc.by_id(field.get("aria-describedby") or "-")
                self.assertIsNotNone(said, f"{href}: not described by its error")
                self.assertTrue(said.text.strip(), f"{href}: an empty error")
        return links

    def test_06_refused_forms_lead_to_their_fields(self):
        """A page form (the helpdesk registers an authority with no name and a bad address) and
        a transition's form (forwarding a request to no authority, by a Dutch user reading Dutch)
        come back 422 with an error summary at the top linking to each field."""
        page = self.hd.get("/admin/authorities/new")
        r = self.hd.post("/admin/authorities/new", {
            "csrf": page.html().csrf(), "official_name": "", "country": "DK",
            "email": "not an address", "authority_type": "competent-authority",
            "first_name": "Ida", "last_name": "Test", "language": "en",
            "user_email": "ida@example.dk"})
        self.assertEqual(r.status, 422, r.text[-800:])
        doc = r.html()
        summary = doc.by_id("error-summary")
        links = self.assert_summary_leads_to_fields(doc, summary, "en")
        self.assertIn("#official_name", links)
        self.assertIn("#email", links)
        main = doc.find("main")
        self.assertIs(next(e for e in main.iter() if e.get("class") == "error-summary"), summary,
                      "the summary is not the first thing of the page's content")
        rid = self.sent_request()
        self.stack.psql("UPDATE users SET language = 'nl' WHERE authority_id = $1", self.nl)
        try:
            t = self.nl_b.get_xml(f"/requests/{rid}").xml().find("transitions")
            r = self.nl_b.post(f"/instances/{t.get('instance')}/fire/forward", {
                "csrf": self.csrf(self.nl_b), "rev": t.get("rev"), "authority": "",
                "next": f"/requests/{rid}"})
            self.assertEqual(r.status, 422, r.text[-800:])
            doc = r.html()
            self.assertEqual(doc.find("html").get("lang"), "nl")
            summary = next((e for e in doc.iter() if e.get("class") == "error-summary"), None)
            links = self.assert_summary_leads_to_fields(doc, summary, "nl")
            self.assertEqual(len(links), 1, links)
            self.assertTrue(links[0].endswith("-authority"), links)
            self.assertIn(catalogue("nl")["instance.error.required"], summary.text)
        finally:
            self.stack.psql("UPDATE users SET language = 'en' WHERE authority_id = $1", self.nl)

    def test_07_search_offers_module_and_state_in_words(self):
        """The request search's module and state are selects whose options read as words (the
        reader's catalogue) and send codes; choosing "Sent" finds the sent request, "Answered"
        does not (issue 16: typed "Answered" used to find nothing, "answered" one)."""
        rid = self.sent_request()
        da = catalogue("da")
        self.stack.psql("UPDATE users SET language = 'da' WHERE username = $1", self.dk_user)
        try:
            doc = self.dk_b.get("/requests").html()
            states = {o.get("value"): o.text.strip()
                      for o in doc.by_id("state").find_all("option") if o.get("value")}
            modules = {o.get("value"): o.text.strip()
                       for o in doc.by_id("module").find_all("option") if o.get("value")}
        finally:
            self.stack.psql("UPDATE users SET language = 'en' WHERE username = $1", self.dk_user)
        self.assertIn("sent", states)
        self.assertEqual(states["sent"], da["request.state.sent"])
        for code, words in list(states.items()) + list(modules.items()):
            self.assertNotEqual(code, words, f"{code}: the code is shown")
            self.assertNotRegex(words, r"^[a-z]+(-[a-z]+)+$", f"{code}: {words!r}")
        self.assertIn(MODULE, modules)
        found = [int(tr.get("data-request")) for tr in self.dk_b.get(
            f"/requests?state=sent&module={MODULE}").html().find_all("tr") if tr.get("data-request")]
        self.assertIn(rid, found)
        found = [int(tr.get("data-request")) for tr in self.dk_b.get(
            "/requests?state=answered").html().find_all("tr") if tr.get("data-request")]
        self.assertNotIn(rid, found)


if __name__ == "__main__":
    tap.main()
