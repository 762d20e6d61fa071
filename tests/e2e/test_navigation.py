#!/usr/bin/python3
"""test_navigation.py -- the menu and the tabs as a person reads them (issue 16, "Pages a person
reads"), on the real stack:

* the menu is grouped as IMI's: "Requests" (search, create, scoreboard) and "Administration"
  (managed authorities, my authority, invitations, pending validations, authorities, workflows),
  each group a heading over its links; an Access Manager's Administrator sees the Access-Manager
  entries, an Administrator of a plain authority does not;
* the page one is on is marked in the menu, for screen readers (aria-current) and for the eye
  (class "current" with a style), and no other entry is;
* tabs look like tabs: the current one carries aria-current and the class "current", and the
  style sheet gives the current tab a visible mark and every tab its own box."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack  # noqa: E402

REQUESTS = ["nav-requests", "nav-request-new", "nav-scoreboard"]
ADMIN_AM = ["nav-managed", "nav-my-authority", "nav-invitations", "nav-validations",
            "nav-search", "nav-workflows"]
ADMIN_PLAIN = ["nav-my-authority", "nav-search", "nav-workflows"]


def css_rules(text):
    """{selector: declarations} of a style sheet, comments and @media blocks' bodies too."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules = {}
    for sel, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", text):
        for s in sel.split(","):
            rules.setdefault(" ".join(s.split()), "")
            rules[" ".join(s.split())] += body
    return rules


class NavigationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        cls.dk, dk_user = authorities.register(hd, "Sundhedsstyrelsen", "DK", "Mette",
                                               language="da")
        cls.dk_b = first_sign_in(s, dk_user, "mette@example.dk")

    def menu(self, b, path):
        r = b.get(path)
        self.assertEqual(r.status, 200, r.describe())
        nav = r.html().find("nav", class_="menu")
        self.assertIsNotNone(nav, "no menu on " + path)
        return nav

    def group(self, nav, gid):
        g = nav.find(id=gid)
        self.assertIsNotNone(g, "no menu group " + gid)
        label = g.find("span", class_="group-label")
        self.assertIsNotNone(label, gid + " has no heading")
        return label.text, [a.id for a in g.find_all("a")]

    def test_01_access_manager_groups(self):
        """The helpdesk's Administrator (an Access Manager): the groups Requests and
        Administration with every entry, in IMI's order; My tasks and Home on their own."""
        nav = self.menu(self.hd, "/")
        label, ids = self.group(nav, "nav-group-requests")
        self.assertEqual(label, "Requests")
        self.assertEqual(ids, REQUESTS)
        label, ids = self.group(nav, "nav-group-admin")
        self.assertEqual(label, "Administration")
        # The helpdesk's Administrators read the security log, too.
        self.assertEqual(ids, ADMIN_AM + ["nav-security-log"])
        self.assertEqual(nav.find(id="nav-managed").get("href"), "/admin/authorities")
        self.assertEqual(nav.find(id="nav-request-new").get("href"), "/requests/new")
        self.assertIsNotNone(nav.find("a", id="nav-tasks", href="/tasks"))
        self.assertIsNotNone(nav.find("a", id="nav-home", href="/"))
        # every entry's page exists for this user
        for a in nav.find_all("a"):
            self.assertIn(self.hd.get(a.get("href")).status, (200, 303), a.get("href"))

    def test_02_plain_administrator_groups(self):
        """A Danish authority's Administrator (no Access Manager): no Managed authorities, no
        invitations, no validations; the headings in Danish."""
        nav = self.menu(self.dk_b, "/")
        label, ids = self.group(nav, "nav-group-requests")
        self.assertEqual(label, "Anmodninger")
        self.assertEqual(ids, REQUESTS)
        label, ids = self.group(nav, "nav-group-admin")
        self.assertEqual(label, "Administration")
        self.assertEqual(ids, ADMIN_PLAIN)
        self.assertIsNone(nav.find(id="nav-managed"))
        self.assertEqual(nav.find(id="nav-requests").text, "Søg efter anmodninger")

    def test_03_current_page_marked(self):
        """On each menu page exactly its entry carries aria-current="page" and the class
        current (My authority on the own authority's page and tabs, where it leads); the style
        sheet marks it visibly."""
        own = self.hd.get("/admin/my-authority").location_path
        self.assertRegex(own, r"^/authorities/\d+$")
        for path, ident in [("/", "nav-home"), ("/tasks", "nav-tasks"),
                            ("/requests", "nav-requests"), ("/requests/new", "nav-request-new"),
                            ("/scoreboard", "nav-scoreboard"), ("/admin/authorities", "nav-managed"),
                            (own, "nav-my-authority"), (own + "/modules", "nav-my-authority"),
                            ("/tasks/validations", "nav-validations"),
                            ("/authorities", "nav-search"), ("/workflows", "nav-workflows")]:
            nav = self.menu(self.hd, path)
            current = nav.find_all("a", aria_current="page")
            self.assertEqual([a.id for a in current], [ident], path)
            self.assertIn("current", current[0].classes, path)
            self.assertEqual([a.id for a in nav.find_all("a", class_="current")], [ident], path)
        rules = css_rules(self.hd.get("/static/imiflow.css").text)
        mark = rules.get("nav.menu a.current", "")
        self.assertRegex(mark, r"border-bottom-color|font-weight|background", rules.keys())

    def test_04_tabs_look_like_tabs(self):
        """An authority's tabs: the open one carries aria-current and the class current, the
        others neither; the style sheet draws each tab as a box and the current one apart."""
        r = self.dk_b.get(f"/authorities/{self.dk}/modules")
        self.assertEqual(r.status, 200)
        tabs = r.html().find("nav", class_="tabs")
        self.assertIsNotNone(tabs)
        marked = [(a.get("data-tab"), a.get("aria-current"), a.classes) for a in tabs.find_all("a")]
        self.assertIn(("modules", "page", ["current"]), marked)
        self.assertEqual([m for m in marked if m[1] or m[2]], [("modules", "page", ["current"])])
        rules = css_rules(self.hd.get("/static/imiflow.css").text)
        tab = rules.get("nav.tabs a", "")
        self.assertRegex(tab, r"border:", "a tab is no box")
        current = rules.get("nav.tabs a.current", "") + rules.get('nav.tabs a[aria-current="page"]', "")
        self.assertRegex(current, r"background|border-top|font-weight", "no mark for the current tab")


if __name__ == "__main__":
    tap.main()
