#!/usr/bin/python3
"""test_case_pages.py -- the generic pages of cases (issue 14, part G), on the real stack, over the
toy definition tests/toy/case-pages.xml (module services-alerts, seen by the "exchange" rule):

1. the menu group "Alerts & notifications" (Create, Search) only for users with a role in a module
   that has cases; Create lists the definitions one may start, by module, and its button starts
   one; Search filters by module, definition, state, country, dates and a text in the summary
   fields only, 50 a page by keyset, and a user without a role in the module finds nothing;
2. the case page's tabs: the form (any version, changed fields marked, a link to every version),
   recipients per country, comments 50 a page of 1,000, newest last, a withdrawn one with its
   reason (its text only to its author's authority), the closure tab pairing each objection with
   its proposal, documents, the log; copy; the print view, open, then closed (410);
3. ?format=xml of every tab and of the print view shows no field hidden from the reader;
4. case tasks in My tasks; tabs are links with aria-current, tables have headers."""

import os
import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402

TOY = Path(__file__).resolve().parent.parent / "toy" / "case-pages.xml"
MODULE = "services-alerts"
DEF = "toy-case-pages"
SECRET = "Jan Secretperson, born 1970"
TITLE = "Unsafe scaffolding rental"


class CasePagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        r = s.run_imiflow("deploy", str(TOY))
        assert "deployed" in r.stdout, r.stdout + r.stderr
        cls.hd = hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        ids, admins = {}, {}
        for who, name, country, first in (("dkc", "DK Koordinator", "DK", "Carl"),
                                          ("dk", "Arbejdstilsynet", "DK", "Mette"),
                                          ("nlc", "NL Coordinator", "NL", "Eva"),
                                          ("sec", "SE Samordnare", "SE", "Sven")):
            ids[who], username = authorities.register(hd, name, country, first)
            admins[who] = (username, f"{first.lower()}@example.{country.lower()}")
        cls.ids = ids
        authorities.grant(hd, ids["dkc"], MODULE, "coordinator")
        authorities.grant(hd, ids["dk"], MODULE, coordinators=[ids["dkc"]])
        authorities.grant(hd, ids["nlc"], MODULE, "coordinator")
        authorities.grant(hd, ids["sec"], MODULE, "coordinator")
        b = cls.b = {who: first_sign_in(s, *admins[who]) for who in admins}
        b["dk-none"] = cls.add_user("dk", "Nora", "nora@example.dk", [])
        # One case through the pages: started, filled, broadcast to NL and SE, modified.
        cls.iid = cls.start_case(b["dk"])
        r = cls.fire(b["dk"], cls.iid, "edit", [("title", TITLE), ("risk", "health"),
                                                ("countries", "NL"), ("countries", "SE"),
                                                ("identity", SECRET)])
        assert r.status == 303, r.describe()
        r = cls.fire(b["dk"], cls.iid, "broadcast", [("to", "NL"), ("to", "SE")])
        assert r.status == 303, r.describe()
        r = cls.fire(b["dk"], cls.iid, "modify", [("title", TITLE + " (corrected)"),
                                                  ("risk", "health"), ("countries", "NL"),
                                                  ("countries", "SE"), ("identity", SECRET)])
        assert r.status == 303, r.describe()

    # -- fixtures ----------------------------------------------------------------------------

    @classmethod
    def add_user(cls, who, first, email, roles):
        admin = cls.b[who]
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", admin.get("/").html().csrf()), ("first_name", first),
                  ("last_name", "Test"), ("user_email", email), ("language", "en"),
                  ("phone", ""), ("username", ""), ("action", "save")]
        fields += [("role", f"{m}:{r}") for m, r in roles]
        r = admin.post(f"/authorities/{cls.ids[who]}/users/new", fields)
        assert r.status == 200, r.describe()
        return first_sign_in(cls.stack, r.html().by_id("new-username").text, email, before=before)

    @classmethod
    def start_case(cls, b):
        page = b.get("/cases/new")
        assert page.status == 200, page.describe()
        form = page.html().by_id(f"start-{DEF}")
        assert form is not None, page.text[-2000:]
        r = b.post(form.get("action"), {"csrf": page.html().csrf()})
        assert r.status == 303, r.describe()
        return int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))

    @classmethod
    def fire(cls, b, iid, event, fields=()):
        t = b.get_xml(f"/instances/{iid}").xml().find("transitions")
        data = [("csrf", b.get("/").html().csrf()), ("rev", t.get("rev"))] + list(fields)
        return b.post(f"/instances/{iid}/fire/{event}", data)

    def psql(self, sql, *params):
        return self.stack.psql(sql, *params)

    def tab(self, b, tab, extra=""):
        r = b.get(f"/instances/{self.iid}?tab={tab}{extra}")
        self.assertEqual(r.status, 200, r.describe())
        return r

    # -- 1. menu, create, search -------------------------------------------------------------

    def test_01_menu_only_with_roles(self):
        nav = self.b["dk"].get("/").html().find("nav", class_="menu")
        group = nav.find(id="nav-group-cases")
        self.assertIsNotNone(group)
        self.assertEqual(group.find("span", class_="group-label").text, "Alerts & notifications")
        self.assertEqual([a.id for a in group.find_all("a")], ["nav-case-new", "nav-cases"])
        # narrowed to the modules of those kinds: a register entry is no alert
        self.assertEqual(nav.find(id="nav-cases").get("href"), "/cases?kind=notification+alert")
        nav = self.b["dk-none"].get("/").html().find("nav", class_="menu")
        self.assertIsNone(nav.find(id="nav-group-cases"))
        # on the search page its entry is the current one, and not Repositories' search
        nav = self.b["dk"].get("/cases?kind=notification+alert").html().find("nav", class_="menu")
        self.assertEqual([a.id for a in nav.find_all("a", aria_current="page")], ["nav-cases"])
        nav = self.b["dk"].get("/cases?kind=register").html().find("nav", class_="menu")
        self.assertEqual([a.id for a in nav.find_all("a", aria_current="page")], ["nav-registers"])

    def test_02_create_lists_startable_by_module(self):
        r = self.b["dk"].get("/cases/new")
        sections = r.html().find_all("section", class_="card")
        self.assertIn(MODULE, [s.get("data-module") for s in sections])
        self.assertIsNotNone(r.html().by_id(f"start-{DEF}"))
        # a coordinator holds roles in the module too, and may start one; a user without
        # roles sees none and may not start
        r = self.b["dk-none"].get("/cases/new")
        self.assertIsNone(r.html().by_id(f"start-{DEF}"))
        r = self.b["dk-none"].post(f"/workflows/{DEF}/start",
                                   {"csrf": self.b["dk-none"].get("/").html().csrf()})
        self.assertEqual(r.status, 403)

    def ids_found(self, b, query):
        r = b.get_xml("/cases?" + query)
        self.assertEqual(r.status, 200, r.describe())
        return [int(c.get("id")) for c in r.xml().find("cases").findall("case")], r.xml()

    def test_03_search_filters(self):
        dk = self.b["dk"]
        found, _ = self.ids_found(dk, "q=scaffolding")
        self.assertIn(self.iid, found)
        found, model = self.ids_found(dk, "q=scaffolding&state=open&country=NL&module=" + MODULE
                                      + "&definition=" + DEF + "&from=2000-01-01")
        self.assertEqual(found, [self.iid])
        case = model.find("cases").find("case")
        self.assertEqual({s.get("name") for s in case.findall("summary")}, {"title", "risk"})
        # the text is looked for in summary fields only: not in "identity"
        self.assertEqual(self.ids_found(dk, "q=Secretperson")[0], [])
        self.assertEqual(self.ids_found(dk, "q=scaffolding&state=draft")[0], [])
        self.assertEqual(self.ids_found(dk, "q=scaffolding&country=FR")[0], [])
        self.assertEqual(self.ids_found(dk, "q=scaffolding&to=2000-01-01")[0], [])
        # a recipient country's coordinator finds it; a user without a role finds nothing
        self.assertIn(self.iid, self.ids_found(self.b["nlc"], "q=scaffolding")[0])
        self.assertEqual(self.ids_found(self.b["dk-none"], "")[0], [])
        self.assertEqual(self.b["dk-none"].get(f"/instances/{self.iid}").status, 404)

    def test_04_search_pages_by_keyset(self):
        # 60 more cases of the sender, straight into the tables
        self.psql("WITH i AS (INSERT INTO wf_instances (definition, version, state, module,"
                  " authority_id, seen_by) SELECT $1, (SELECT max(version) FROM wf_definitions"
                  " WHERE name = $1), 'draft', $2, $3::bigint, 'exchange'"
                  " FROM generate_series(1, 60) RETURNING id)"
                  " INSERT INTO wf_form_versions (instance_id, version, data, seq)"
                  " SELECT id, 1, jsonb_build_object('title', 'Bulk case ' || id), 1 FROM i",
                  DEF, MODULE, self.ids["dk"])
        dk = self.b["dk"]
        first, model = self.ids_found(dk, "q=Bulk+case")
        self.assertEqual(len(first), 50)
        self.assertEqual(first, sorted(first, reverse=True))
        nxt = model.find("cases").get("next")
        self.assertEqual(int(nxt), first[-1])
        html = dk.get("/cases?q=Bulk+case").html()
        self.assertIn(f"before={nxt}", html.by_id("next-page").get("href"))
        second, model = self.ids_found(dk, f"q=Bulk+case&before={nxt}")
        self.assertEqual(len(second), 10)
        self.assertFalse(set(first) & set(second))
        self.assertIsNone(model.find("cases").get("next"))

    # -- 2. the case page --------------------------------------------------------------------

    def test_05_tabs_and_versions(self):
        r = self.tab(self.b["dk"], "case")
        tabs = r.html().find("nav", class_="tabs")
        self.assertEqual([a.get("data-tab") for a in tabs.find_all("a")],
                         ["case", "recipients", "comments", "closure", "documents", "log"])
        self.assertEqual([a.get("data-tab") for a in tabs.find_all("a", aria_current="page")],
                         ["case"])
        form = r.html().by_id("case-form")
        self.assertIn(TITLE + " (corrected)", form.text)
        self.assertIn(SECRET, form.text)
        # version 2 (after the broadcast) marks the title changed; links to versions 1 and 2
        self.assertIsNotNone(form.find("span", data_changed="title"))
        versions = r.html().by_id("versions")
        self.assertEqual([a.get("data-version") for a in versions.find_all("a")], ["1", "2"])
        old = self.tab(self.b["dk"], "case", "&version=1").html().by_id("case-form")
        self.assertIn(TITLE, old.text)
        self.assertNotIn("corrected", old.text)
        # the generic page stays for a definition without a form
        inst = self.psql("SELECT instance_id FROM module_accesses WHERE authority_id = $1",
                         self.ids["dk"])[0][0]
        r = self.b["dk"].get_xml(f"/instances/{inst}")
        self.assertEqual(r.xml().get("name"), "instance")

    def test_06_recipients_per_country(self):
        html = self.tab(self.b["dk"], "recipients").html()
        tables = html.find_all("table", class_="recipients")
        self.assertEqual([t.get("data-country") for t in tables], ["NL", "SE"])
        nl = tables[0]
        self.assertTrue(nl.find_all("th"))
        row = nl.find("tr", data_authority=str(self.ids["nlc"]))
        self.assertIn("NL Coordinator", row.text)
        self.assertIn("Recipient coordinator", row.text)
        self.assertIn("Received", row.text)
        self.assertIn("Arbejdstilsynet", row.text)     # added by the sender

    def test_07_need_to_know_hidden_field(self):
        nlc = self.b["nlc"]
        r = self.tab(nlc, "case")
        self.assertIn(TITLE, r.text)
        self.assertNotIn(SECRET, r.text)
        for path in ("?tab=case", "?tab=case&version=1", "?tab=recipients", "?tab=comments",
                     "?tab=closure", "?tab=documents", "?tab=log", "/report"):
            r = nlc.get_xml(f"/instances/{self.iid}{path}")
            self.assertEqual(r.status, 200, path)
            self.assertNotIn(SECRET, r.text, path)
            self.assertNotIn('name="identity"', r.text, path)
        r = self.b["dk"].get_xml(f"/instances/{self.iid}?tab=case")
        self.assertIn(SECRET, r.text)

    def test_08_comments_paginated(self):
        iid = self.iid
        dk = self.b["dk"]
        self.psql("INSERT INTO wf_comments (instance_id, seq, type, body, by_user, by_authority)"
                  " SELECT $1::bigint, 1, 'comment', 'Bulk comment ' || n, u.id, u.authority_id"
                  " FROM generate_series(1, 1000) n, (SELECT id, authority_id FROM users"
                  "   WHERE authority_id = $2::bigint ORDER BY id LIMIT 1) u ORDER BY n",
                  iid, self.ids["dk"])
        r = self.tab(dk, "comments")
        shown = r.html().find_all("article", class_="comment")
        self.assertEqual(len(shown), 50)
        bodies = [a.find("p", class_="body").text for a in shown]
        self.assertEqual(bodies[-1], "Bulk comment 1000")        # newest last
        self.assertEqual(bodies[0], "Bulk comment 951")
        older = r.html().by_id("comments-older")
        self.assertIsNotNone(older)
        r = dk.get(older.get("href"))
        bodies = [a.find("p", class_="body").text
                  for a in r.html().find_all("article", class_="comment")]
        self.assertEqual(bodies[0], "Bulk comment 901")
        self.assertEqual(bodies[-1], "Bulk comment 950")
        self.assertIsNotNone(r.html().by_id("comments-newer"))

    def test_09_withdrawn_comment(self):
        r = self.fire(self.b["dk"], self.iid, "comment", [("text", "Mistaken comment")])
        self.assertEqual(r.status, 303, r.describe())
        cid = self.psql("SELECT max(id) FROM wf_comments WHERE instance_id = $1", self.iid)[0][0]
        r = self.fire(self.b["dk"], self.iid, "withdraw", [("comment", cid),
                                                           ("reason", "Sent too early")])
        self.assertEqual(r.status, 303, r.describe())
        for who, sees_text in (("dk", True), ("nlc", False)):
            art = self.tab(self.b[who], "comments").html().find("article", data_comment=cid)
            self.assertIsNotNone(art, who)
            self.assertEqual(art.get("data-withdrawn"), "true")
            self.assertIn("Withdrawn", art.text)
            self.assertIn("Sent too early", art.text)
            self.assertEqual("Mistaken comment" in art.text, sees_text, who)

    def test_10_closure_pairs_objections(self):
        r = self.fire(self.b["dk"], self.iid, "propose-closure", [("text", "Nothing left to do")])
        self.assertEqual(r.status, 303, r.describe())
        prop = self.psql("SELECT max(id) FROM wf_comments WHERE instance_id = $1"
                         " AND type = 'closure-proposal'", self.iid)[0][0]
        r = self.fire(self.b["nlc"], self.iid, "object", [("proposal", prop),
                                                          ("text", "We still investigate")])
        self.assertEqual(r.status, 303, r.describe())
        html = self.tab(self.b["dk"], "closure").html()
        pair = html.find("div", data_proposal=prop)
        self.assertIsNotNone(pair)
        self.assertIn("Nothing left to do", pair.find("div", class_="proposal").text)
        self.assertIn("We still investigate", pair.find("div", class_="objections").text)
        self.assertEqual(len(html.find_all("div", class_="closure-pair")), 1)

    def test_11_log_and_documents(self):
        html = self.tab(self.b["dk"], "log").html()
        table = html.by_id("case-log")
        self.assertTrue(table.find_all("th"))
        events = [tr.get("data-event") for tr in table.find_all("tr") if tr.get("data-event")]
        self.assertIn("broadcast", events)
        self.assertIsNotNone(self.tab(self.b["dk"], "documents").html().by_id("no-documents"))

    def test_12_tasks(self):
        r = self.b["nlc"].get_xml("/tasks")
        tasks = [(t.get("id"), t.get("event")) for t in r.xml().iter("case-task")]
        self.assertIn((str(self.iid), "acknowledge"), tasks)
        html = self.b["nlc"].get("/tasks").html()
        self.assertIsNotNone(html.by_id("case-tasks").find("tr", data_case=str(self.iid)))
        self.assertNotIn(str(self.iid), [t.get("id") for t in
                                         self.b["dk"].get_xml("/tasks").xml().iter("case-task")])
        self.assertEqual(list(self.b["dk-none"].get_xml("/tasks").xml().iter("case-task")), [])

    def test_13_copy(self):
        page = self.tab(self.b["dk"], "case").html()
        self.assertIsNotNone(page.by_id("case-copy"))
        r = self.b["dk"].post(f"/instances/{self.iid}/copy",
                              {"csrf": self.b["dk"].get("/").html().csrf()})
        self.assertEqual(r.status, 303, r.describe())
        new = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))
        self.assertNotEqual(new, self.iid)
        r = self.b["dk"].get(f"/instances/{new}?tab=case")
        self.assertIn(TITLE + " (corrected)", r.html().by_id("case-form").text)
        self.assertEqual(self.psql("SELECT state FROM wf_instances WHERE id = $1", new)[0][0],
                         "draft")
        # one who may not see the case copies nothing
        r = self.b["dk-none"].post(f"/instances/{self.iid}/copy",
                                   {"csrf": self.b["dk-none"].get("/").html().csrf()})
        self.assertEqual(r.status, 404)

    def test_14_report_open_then_closed(self):
        r = self.fire(self.b["dk"], self.iid, "close")
        self.assertEqual(r.status, 303, r.describe())
        r = self.b["dk"].get(f"/instances/{self.iid}/report")
        self.assertEqual(r.status, 200, r.describe())
        parts = [s.get("data-part") for s in r.html().find_all("section", class_="report-part")]
        for part in ("form", "recipients", "comments", "closure", "documents", "log"):
            self.assertIn(part, parts)
        self.assertIsNone(r.html().find("form", id="case-copy"))
        self.assertIn("/report", self.tab(self.b["dk"], "case").html().by_id("case-report")
                      .get("href"))
        # closed eight days ago: the window of P7D is over
        self.psql("UPDATE wf_instances SET data = jsonb_set(data, '{closed-at}',"
                  " to_jsonb(to_char(now() - interval '8 days', 'YYYY-MM-DD\"T\"HH24:MI:SSOF')))"
                  " WHERE id = $1", self.iid)
        r = self.b["dk"].get(f"/instances/{self.iid}/report")
        self.assertEqual(r.status, 410, r.describe())
        self.assertIn("no longer available", r.text)
        self.assertIsNone(self.tab(self.b["dk"], "case").html().by_id("case-report"))

    def test_15_accessible_structure(self):
        """Every tab: the tabs are links, exactly the open one marked aria-current="page" (and
        class current); every table has a header row of <th scope="col">; the search and the
        page to start one too."""
        tabs = ["case", "recipients", "comments", "closure", "documents", "log"]
        pages = [f"/instances/{self.iid}?tab={t}" for t in tabs] + [
            "/cases?q=scaffolding", "/cases/new"]
        for path in pages:
            html = self.b["nlc"].get(path).html()
            if "?tab=" in path:
                nav = html.find("nav", class_="tabs")
                self.assertTrue(nav.get("aria-label"), path)
                links = nav.find_all("a")
                self.assertEqual([a.get("data-tab") for a in links], tabs, path)
                self.assertTrue(all(a.get("href", "").startswith(f"/instances/{self.iid}?tab=")
                                    for a in links), path)
                current = [a.get("data-tab") for a in links if a.get("aria-current") == "page"]
                self.assertEqual(current, [path.rsplit("=", 1)[1]], path)
            for table in html.find("main").find_all("table"):
                heads = table.find_all("th")
                self.assertTrue(heads, (path, table.id))
                self.assertTrue(all(th.get("scope") == "col" for th in heads), path)
                self.assertIsNotNone(table.find("thead"), path)


if __name__ == "__main__":
    tap.main()
