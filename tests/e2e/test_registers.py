#!/usr/bin/python3
"""test_registers.py -- repositories (issue 15 §1) on the real stack: the Directory of registers
(workflows/register-entry.xml, module registers) and the cash-in-transit repository
(workflows/cit-licence.xml), both data over the generic case primitives.

- horizontal: every authority registered gets the registers module at once (a module-access
  instance granted by the system, its Administrators Viewer and Handler), not the others; the
  migration's catch-up gives it to an authority that lacks it; suspending the access refuses
  starting an entry and hides the entries; re-granting gives them back;
- every transition (save, activate, edit, deactivate, reactivate, delete, add-managers,
  remove-managers) as the right role, and as wrong roles refused with nothing written;
- versions: a draft saved twice stays version 1, activation seals it, each edit while active
  makes a new sealed version whose `changed` names the fields, every version readable;
- seen-by published: a draft only by its authority, its managers and the helpdesk; an active
  entry by every user with a role in the module; a deactivated one again only by the managers;
- cash-in-transit: personal fields erased by the retention timers (6 months after
  deactivation blocked, 3 years after it erased), reactivation stops the clock;
- the public export (/cases/published.csv and .xml, no sign-in): active entries only, no
  personal field, CSV cells quoted with formulas defused, XML escaped."""

import csv
import io
import json
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from browser import Browser  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import DATADIR, Stack  # noqa: E402

MIGRATION = os.path.join(str(DATADIR), "sql", "026_registers.sql")
ENTRY = {"country": ["DK"], "name-national": "Arkitektregistret",
         "name-english": "Register of architects", "area": "architects",
         "legal-basis": "Lov om arkitekter § 3", "content": "Name, registration number, date",
         "access": "public", "url": "https://example.dk/arkitekter",
         "consultation": "Free online consultation; extracts on request",
         "languages": "Danish, English", "contact": "Jens Hansen, +45 1234 5678"}
LICENCE = {"licence-number": "CIT-DK-0042", "country": ["DK"], "issued-on": "2026-01-15",
           "valid-until": "2031-01-14", "holder-name": "Kontant Transport ApS",
           "holder-registration": "DK12345678", "holder-address": "Havnegade 1, København",
           "responsible-person": "Peter Jensen", "contact": "peter@kontant.example"}


class RegistersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.b = {"hd": first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")}
        cls.ids = {"hd": int(s.psql("SELECT id FROM authorities WHERE is_helpdesk")[0][0])}
        people = (("dk", "Erhvervsstyrelsen", "DK", "Mette"), ("nl", "Architectenregister", "NL", "Sanne"),
                  ("ro", "Ordinul Arhitecților", "RO", "Ioana"))
        for who, name, country, first in people:
            cls.ids[who], username = authorities.register(cls.b["hd"], name, country, first)
            cls.b[who] = first_sign_in(s, username, f"{first.lower()}@example.{country.lower()}")
        cls.b["dk-none"] = cls.add_user(cls.b["dk"], cls.ids["dk"], "Nora", "nora@example.dk")

    # -- helpers --------------------------------------------------------------------------

    @classmethod
    def add_user(cls, admin, aid, first, email):
        """A user of authority aid with no role in any module, signed in."""
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", admin.get("/").html().csrf()), ("first_name", first),
                  ("last_name", "Test"), ("user_email", email), ("language", "en"),
                  ("phone", ""), ("username", ""), ("action", "save")]
        r = admin.post(f"/authorities/{aid}/users/new", fields)
        assert r.status == 200, r.describe()
        return first_sign_in(cls.stack, r.html().by_id("new-username").text, email, before=before)

    def q(self, sql, *params):
        return self.stack.psql(sql, *params)

    def start(self, who, definition="register-entry"):
        b = self.b[who]
        return b.post(f"/workflows/{definition}/start", {"csrf": b.get("/").html().csrf()})

    def started(self, who, definition="register-entry"):
        r = self.start(who, definition)
        self.assertEqual(r.status, 303, r.describe())
        return int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))

    def fire(self, who, iid, event, values=None, **extra):
        b = self.b[who]
        rev = self.q("SELECT rev FROM wf_instances WHERE id = $1", iid)[0][0]
        data = [("csrf", b.get("/").html().csrf()), ("rev", rev)]
        for k, v in dict(values or {}, **extra).items():
            data += [(k, x) for x in (v if isinstance(v, list) else [v])]
        return b.post(f"/instances/{iid}/fire/{event}", data)

    def fired(self, who, iid, event, values=None, **extra):
        r = self.fire(who, iid, event, values, **extra)
        self.assertEqual(r.status, 303, (who, event, r.describe()))

    def written(self, iid):
        """Everything a firing could write about the instance."""
        return self.q("SELECT i.state, i.rev, i.data::text,"
                      " (SELECT count(*) FROM wf_history h WHERE h.instance_id = i.id),"
                      " (SELECT string_agg(f.version || ':' || f.sealed || ':' || f.data::text, '|'"
                      "   ORDER BY f.version) FROM wf_form_versions f WHERE f.instance_id = i.id),"
                      " (SELECT string_agg(p.authority_id::text, ',' ORDER BY p.authority_id)"
                      "   FROM wf_participants p WHERE p.instance_id = i.id),"
                      " (SELECT count(*) FROM wf_timers t WHERE t.instance_id = i.id),"
                      " (SELECT count(*) FROM outbox)"
                      " FROM wf_instances i WHERE i.id = $1", iid)[0]

    def refused(self, who, iid, event, statuses=(403, 404), values=None, **extra):
        before = self.written(iid)
        r = self.fire(who, iid, event, values, **extra)
        self.assertIn(r.status, statuses, (who, event, r.describe()))
        self.assertEqual(self.written(iid), before, (who, event))

    def sees(self, who, iid):
        return self.b[who].get(f"/instances/{iid}").status

    def state(self, iid):
        return self.q("SELECT state FROM wf_instances WHERE id = $1", iid)[0][0]

    def versions(self, iid):
        return [(int(v), s == "t", json.loads(d), c) for v, s, d, c in self.q(
            "SELECT version, sealed, data::text, array_to_string(changed, ',')"
            " FROM wf_form_versions WHERE instance_id = $1 ORDER BY version", iid)]

    def managers(self, iid):
        return {int(a) for (a,) in self.q(
            "SELECT authority_id FROM wf_participants WHERE instance_id = $1 AND role = 'manager'",
            iid)}

    def access(self, who, module="registers"):
        return self.q("SELECT i.id, i.state FROM module_accesses ma JOIN wf_instances i"
                      " ON i.id = ma.instance_id WHERE ma.authority_id = $1 AND ma.module = $2",
                      self.ids[who], module)

    def active_entry(self, who="dk", values=None):
        iid = self.started(who)
        self.fired(who, iid, "activate", dict(ENTRY, **(values or {})))
        return iid

    # -- horizontal access ----------------------------------------------------------------

    def test_01_every_new_authority_gets_the_registers_module(self):
        for who in ("hd", "dk", "nl", "ro"):
            ((iid, state),) = self.access(who)
            self.assertEqual(state, "granted", who)
            self.assertEqual(self.q("SELECT event, actor_kind FROM wf_history WHERE instance_id = $1"
                                    " ORDER BY seq", iid),
                             [("start", "system"), ("grant-automatically", "system")])
            self.assertEqual(self.q("SELECT role FROM module_accesses WHERE instance_id = $1", iid),
                             [("authority",)])
            # The security log has it, by nobody (the system).
            self.assertEqual(self.q("SELECT kind, actor_user_id FROM security_log WHERE detail = $1",
                                    f"authority {self.ids[who]}, module registers: grant-automatically"),
                             [("access-granted", None)])
            # Only the horizontal module: cash-in-transit is the Access Manager's to grant.
            self.assertEqual(self.access(who, "cash-in-transit"), [])
        roles = self.q("SELECT string_agg(r.role, ',' ORDER BY r.role) FROM user_roles r"
                       " JOIN users u ON u.id = r.user_id WHERE u.authority_id = $1"
                       " AND r.module = 'registers' GROUP BY u.id", self.ids["dk"])
        self.assertEqual(roles, [("handler,viewer",)])   # the first user; Nora has none
        self.assertEqual(self.q("SELECT horizontal FROM modules WHERE code = 'registers'"),
                         [("t",)])
        self.assertEqual(self.q("SELECT count(*) FROM modules WHERE horizontal"), [("1",)])
        out = self.stack.run_imiflow("lint", "--list").stdout
        for name in ("published", "own-authority-with-access", "actor-access-active",
                     "grant-horizontal-modules", "authorities-with-access", "own-authority"):
            self.assertIn(name, out)

    def test_02_the_migration_gives_it_to_an_authority_that_lacks_it(self):
        aid, username = authorities.register(self.b["hd"], "Old Authority", "NL", "Bram")
        self.q("DELETE FROM user_roles WHERE module = 'registers' AND user_id IN"
               " (SELECT id FROM users WHERE authority_id = $1)", aid)
        self.q("DELETE FROM module_accesses WHERE authority_id = $1 AND module = 'registers'", aid)
        with open(MIGRATION, encoding="utf-8") as f:
            do = f.read()
        self.q(do[do.index("DO $$"):])
        rows = self.q("SELECT i.state, i.seen_by, ma.role FROM module_accesses ma"
                      " JOIN wf_instances i ON i.id = ma.instance_id"
                      " WHERE ma.authority_id = $1 AND ma.module = 'registers'", aid)
        self.assertEqual(rows, [("granted", "managed", "authority")])
        self.assertEqual(self.q("SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id"
                                " WHERE u.authority_id = $1 AND r.module = 'registers'", aid),
                         [("2",)])
        # Nobody else got a second one.
        self.assertEqual(self.q("SELECT count(*) FROM module_accesses WHERE module = 'registers'"
                                " GROUP BY authority_id HAVING count(*) > 1"), [])

    # -- the lifecycle ----------------------------------------------------------------------

    def test_03_draft_saved_twice_is_version_1_and_its_authoritys_alone(self):
        iid = self.started("dk")
        self.assertEqual(self.q("SELECT seen_by, module FROM wf_instances WHERE id = $1", iid),
                         [("published", "registers")])
        self.fired("dk", iid, "save", ENTRY)
        self.fired("dk", iid, "save", ENTRY, **{"name-english": "Architects' register"})
        v = self.versions(iid)
        self.assertEqual([(n, s) for n, s, _d, _c in v], [(1, False)])
        self.assertEqual(v[0][2]["name-english"], "Architects' register")
        self.assertEqual(self.managers(iid), {self.ids["dk"]})
        self.assertEqual(self.sees("dk", iid), 200)
        self.assertEqual(self.sees("hd", iid), 200)
        for who in ("nl", "ro", "dk-none"):
            self.assertEqual(self.sees(who, iid), 404, who)
        # Other authorities, a user without a role, the helpdesk: nothing they fire is written.
        for who in ("nl", "ro", "dk-none", "hd"):
            for event in ("save", "activate", "delete"):
                self.refused(who, iid, event, values=ENTRY)
        # A required field missing: the form again, nothing written.
        self.refused("dk", iid, "activate", (422,), dict(ENTRY, **{"name-national": ""}))

    def test_04_activate_then_every_edit_is_a_version(self):
        iid = self.started("dk")
        self.fired("dk", iid, "save", ENTRY)
        self.fired("dk", iid, "activate", ENTRY)
        self.assertEqual(self.state(iid), "active")
        self.assertEqual([(n, s) for n, s, _d, _c in self.versions(iid)], [(1, True)])
        # Active: every user with a role in the module sees it; a user without one does not.
        for who in ("dk", "nl", "ro", "hd"):
            self.assertEqual(self.sees(who, iid), 200, who)
        self.assertEqual(self.sees("dk-none", iid), 404)
        for who in ("nl", "ro", "dk-none", "hd"):
            self.refused(who, iid, "edit", values=dict(ENTRY, url="https://evil.example"))
            self.refused(who, iid, "deactivate")
        self.fired("dk", iid, "edit", dict(ENTRY, url="https://example.dk/v2", area="engineers"))
        self.fired("dk", iid, "edit", dict(ENTRY, url="https://example.dk/v3", area="engineers"))
        v = self.versions(iid)
        self.assertEqual([(n, s, c) for n, s, _d, c in v],
                         [(1, True, ""), (2, True, "area,url"), (3, True, "url")])
        self.assertEqual(v[0][2]["url"], ENTRY["url"])
        self.assertEqual(v[2][2]["url"], "https://example.dk/v3")
        # Every version readable, by a Viewer of another authority too.
        for n, url in ((1, ENTRY["url"]), (2, "https://example.dk/v2"), (3, "https://example.dk/v3")):
            r = self.b["nl"].get(f"/instances/{iid}?version={n}")
            self.assertEqual(r.status, 200)
            self.assertIn(url, r.text)
        # The print view, for a Viewer of another authority too.
        r = self.b["nl"].get(f"/instances/{iid}/report")
        self.assertEqual(r.status, 200, r.describe())
        self.assertIn("https://example.dk/v3", r.text)
        # The history holds the versions, never a value.
        hist = self.q("SELECT string_agg(inputs::text, ' ') FROM wf_history WHERE instance_id = $1",
                      iid)[0][0]
        self.assertNotIn("example.dk", hist)
        self.assertNotIn("Jens Hansen", hist)

    def test_05_only_the_helpdesk_changes_the_managers(self):
        iid = self.active_entry()
        for who in ("dk", "nl", "dk-none"):
            self.refused(who, iid, "add-managers", managers=str(self.ids["nl"]))
        self.fired("hd", iid, "add-managers", managers=str(self.ids["nl"]))
        self.assertEqual(self.managers(iid), {self.ids["dk"], self.ids["nl"]})
        # A manager now: NL's Handler edits it.
        self.fired("nl", iid, "edit", dict(ENTRY, languages="Danish, English, Dutch"))
        self.assertEqual(self.versions(iid)[-1][3], "languages")
        for who in ("dk", "nl"):
            self.refused(who, iid, "remove-managers", managers=str(self.ids["nl"]))
        self.fired("hd", iid, "remove-managers", managers=str(self.ids["nl"]))
        self.assertEqual(self.managers(iid), {self.ids["dk"]})
        self.refused("nl", iid, "edit", values=dict(ENTRY, languages="Dutch"))
        # An authority without access to the module is left out of the managers silently.
        none = self.q("SELECT id FROM authorities WHERE is_helpdesk")[0][0]
        self.q("UPDATE wf_instances SET state = 'suspended' WHERE id = (SELECT instance_id"
               " FROM module_accesses WHERE authority_id = $1 AND module = 'registers')", none)
        try:
            self.fired("hd", iid, "add-managers", managers=none)
            self.assertEqual(self.managers(iid), {self.ids["dk"]})
        finally:
            self.q("UPDATE wf_instances SET state = 'granted' WHERE id = (SELECT instance_id"
                   " FROM module_accesses WHERE authority_id = $1 AND module = 'registers')", none)

    def test_06_deactivate_and_reactivate(self):
        iid = self.active_entry()
        self.fired("dk", iid, "deactivate")
        self.assertEqual(self.state(iid), "deactivated")
        self.assertEqual(self.sees("dk", iid), 200)
        self.assertEqual(self.sees("hd", iid), 200)
        for who in ("nl", "ro"):
            self.assertEqual(self.sees(who, iid), 404, who)
        for who in ("nl", "ro", "dk-none", "hd"):
            self.refused(who, iid, "reactivate")
        self.refused("dk", iid, "edit", (403, 404, 409), ENTRY)     # no such transition here
        self.fired("dk", iid, "reactivate")
        self.assertEqual(self.state(iid), "active")
        self.assertEqual(self.sees("nl", iid), 200)
        events = [e for (e,) in self.q("SELECT event FROM wf_history WHERE instance_id = $1"
                                       " ORDER BY seq", iid)]
        self.assertEqual(events, ["start", "activate", "deactivate", "reactivate"])

    def test_07_a_draft_is_deleted_with_what_it_holds(self):
        iid = self.started("dk")
        self.fired("dk", iid, "save", ENTRY)
        for who in ("nl", "dk-none", "hd"):
            self.refused(who, iid, "delete")
        self.fired("dk", iid, "delete")
        self.assertEqual(self.state(iid), "deleted")
        self.assertEqual(self.q("SELECT data::text, erased_at IS NOT NULL FROM wf_form_versions"
                                " WHERE instance_id = $1", iid), [("{}", "t")])

    def test_08_suspending_the_access_refuses_and_hides(self):
        entry = self.active_entry()
        ((access, _state),) = self.access("ro")
        # The suspension is the Access Manager's (the helpdesk), through the generic page.
        self.fired("hd", int(access), "suspend")
        self.assertIsNone(self.b["ro"].get("/").html().by_id("nav-group-registers"))
        before = self.q("SELECT count(*) FROM wf_instances WHERE definition = 'register-entry'")
        self.assertEqual(self.start("ro").status, 403)
        self.assertEqual(self.q("SELECT count(*) FROM wf_instances"
                                " WHERE definition = 'register-entry'"), before)
        self.assertEqual(self.sees("ro", entry), 404)
        # A manager whose access is suspended changes nothing either.
        self.fired("hd", entry, "add-managers", managers=str(self.ids["nl"]))
        ((nl_access, _s),) = self.access("nl")
        self.fired("hd", int(nl_access), "suspend")
        self.refused("nl", entry, "edit", values=dict(ENTRY, languages="Dutch"))
        self.refused("nl", entry, "deactivate")
        for a in (access, nl_access):
            self.fired("hd", int(a), "regrant")
        self.assertEqual(self.sees("ro", entry), 200)
        self.assertIsNotNone(self.b["ro"].get("/").html().by_id("nav-group-registers"))
        self.started("ro")

    # -- cash-in-transit ----------------------------------------------------------------------

    def worker(self):
        self.stack.run_imiflow("worker", "--once")

    def test_09_cash_in_transit_licence_and_its_retention(self):
        authorities.grant(self.b["hd"], self.ids["dk"], "cash-in-transit")
        self.assertEqual(self.start("nl", "cit-licence").status, 403)   # no CIT access
        iid = self.started("dk", "cit-licence")
        self.fired("dk", iid, "activate", LICENCE)
        self.assertEqual(self.sees("nl", iid), 404)     # no role in the module
        self.assertEqual(self.sees("dk", iid), 200)
        # Deactivated and reactivated: the block timer goes with it.
        self.fired("dk", iid, "deactivate")
        self.fired("dk", iid, "reactivate")
        self.assertEqual(self.q("SELECT count(*) FROM wf_timers WHERE instance_id = $1"
                                " AND cancelled_at IS NULL AND fired_at IS NULL", iid), [("0",)])
        self.fired("dk", iid, "edit", dict(LICENCE, **{"valid-until": "2032-01-14"}))
        self.fired("dk", iid, "deactivate")
        due = self.q("SELECT t.due_at = (i.data->>'deactivated-at')::timestamptz + interval '6 months'"
                     " FROM wf_timers t JOIN wf_instances i ON i.id = t.instance_id"
                     " WHERE t.instance_id = $1 AND t.name = 'block' AND t.cancelled_at IS NULL", iid)
        self.assertEqual(due, [("t",)])
        self.q("UPDATE wf_timers SET due_at = now() - interval '1 second' WHERE instance_id = $1"
               " AND name = 'block' AND cancelled_at IS NULL", iid)
        self.worker()
        self.assertEqual(self.state(iid), "blocked")
        self.refused("dk", iid, "reactivate", (403, 404, 409))
        due = self.q("SELECT t.due_at = (i.data->>'deactivated-at')::timestamptz + interval '3 years'"
                     " FROM wf_timers t JOIN wf_instances i ON i.id = t.instance_id"
                     " WHERE t.instance_id = $1 AND t.name = 'erase'", iid)
        self.assertEqual(due, [("t",)])
        self.q("UPDATE wf_timers SET due_at = now() - interval '1 second' WHERE instance_id = $1"
               " AND name = 'erase'", iid)
        self.worker()
        self.assertEqual(self.state(iid), "erased")
        for n, _s, data, _c in self.versions(iid):
            for personal in ("holder-name", "holder-registration", "holder-address",
                             "responsible-person", "contact"):
                self.assertNotIn(personal, data, (n, personal))
            self.assertEqual(data["licence-number"], "CIT-DK-0042")
            self.assertEqual(data["country"], ["DK"])
        dump = json.dumps(self.versions(iid))
        for value in ("Kontant", "Peter", "Havnegade", "DK12345678"):
            self.assertNotIn(value, dump)

    # -- the public export ------------------------------------------------------------------

    def test_10_public_export_of_active_entries(self):
        tricky = {"name-national": '=HYPERLINK("http://evil.example")',
                  "name-english": 'The "quoted", register', "url": "https://x.example/?a=1&b=<2>"}
        active = self.active_entry(values=tricky)
        draft = self.started("dk")
        self.fired("dk", draft, "save", dict(ENTRY, **{"name-national": "Draft only"}))
        gone = self.active_entry(values={"name-national": "Deactivated one"})
        self.fired("dk", gone, "deactivate")
        anon = Browser(self.stack.url)
        r = anon.get("/cases/published.csv?definition=register-entry")
        self.assertEqual(r.status, 200, r.describe())
        self.assertIn("text/csv", r.headers.get("Content-Type", ""))
        rows = list(csv.reader(io.StringIO(r.text)))
        head = rows[0]
        self.assertEqual(head[:4], ["id", "module", "version", "updated"])
        self.assertIn("name-national", head)
        self.assertNotIn("contact", head)           # personal
        ids = {row[0] for row in rows[1:]}
        self.assertIn(str(active), ids)
        self.assertNotIn(str(draft), ids)
        self.assertNotIn(str(gone), ids)
        self.assertNotIn("Jens Hansen", r.text)
        self.assertNotIn("Draft only", r.text)
        self.assertNotIn("Deactivated one", r.text)
        row = next(x for x in rows[1:] if x[0] == str(active))
        cell = dict(zip(head, row))
        # The formula is shown as typed, never run; quotes doubled, commas kept in the cell.
        self.assertEqual(cell["name-national"], "'" + tricky["name-national"])
        self.assertEqual(cell["name-english"], 'The "quoted", register')
        self.assertEqual(cell["country"], "DK")
        self.assertIn('"The ""quoted"", register"', r.text)
        # Every active entry of the module, not only the tricky one.
        self.assertEqual(len(ids), int(self.q(
            "SELECT count(*) FROM wf_instances WHERE definition = 'register-entry'"
            " AND state = 'active'")[0][0]))
        x = anon.get("/cases/published.xml?definition=register-entry")
        self.assertEqual(x.status, 200, x.describe())
        root = ET.fromstring(x.text.encode())
        case = next(c for c in root if c.get("id") == str(active))
        fields = {f.get("name"): f.text or "" for f in case}
        self.assertEqual(fields["url"], tricky["url"])
        self.assertNotIn("contact", fields)
        self.assertEqual({c.get("id") for c in root}, ids)
        # CIT: the licence holder's data never leaves.
        c = anon.get("/cases/published.csv?definition=cit-licence")
        self.assertEqual(c.status, 200)
        head = next(csv.reader(io.StringIO(c.text)))
        for personal in ("holder-name", "holder-registration", "holder-address",
                         "responsible-person", "contact"):
            self.assertNotIn(personal, head)
        self.assertIn("licence-number", head)
        # Only definitions whose rule makes active cases public; nothing else is exported.
        for name in ("information-request", "services-alert", "nope", ""):
            self.assertEqual(anon.get(f"/cases/published.csv?definition={name}").status, 404)
            self.assertEqual(anon.get(f"/cases/published.xml?definition={name}").status, 404)

    # -- the menu and the search ------------------------------------------------------------

    def test_11_menu_create_and_search(self):
        html = self.b["nl"].get("/").html()
        self.assertIsNotNone(html.by_id("nav-group-registers"))
        self.assertEqual(html.by_id("nav-register-new").get("href"), "/cases/new?kind=register")
        self.assertEqual(html.by_id("nav-registers").get("href"), "/cases?kind=register")
        # No role in any module, no menu.
        self.assertIsNone(self.b["dk-none"].get("/").html().by_id("nav-group-registers"))
        # Create: the register definitions the user may start, and nothing else.
        page = self.b["nl"].get_xml("/cases/new?kind=register").xml()
        offered = {d.get("name") for d in page.iter("definition")}
        self.assertEqual(offered, {"register-entry"})        # NL has no cash-in-transit access
        # Search: narrowed to register modules, by text over the summary fields and state.
        iid = self.active_entry("nl", {"country": ["NL"], "name-national": "Zeldzaam register",
                                       "area": "lawyers"})
        found = self.b["ro"].get_xml("/cases?kind=register&q=zeldzaam").xml()
        self.assertEqual([c.get("id") for c in found.iter("case")], [str(iid)])
        found = self.b["ro"].get_xml("/cases?kind=register&q=lawyers&state=active").xml()
        self.assertIn(str(iid), [c.get("id") for c in found.iter("case")])
        found = self.b["ro"].get_xml("/cases?kind=register&country=NL").xml()
        ids = [c.get("id") for c in found.iter("case")]
        self.assertIn(str(iid), ids)
        for c in found.iter("case"):
            self.assertEqual(c.get("module"), "registers")
        # Another kind shows none of them.
        found = self.b["ro"].get_xml("/cases?kind=alert").xml()
        self.assertEqual([c.get("id") for c in found.iter("case")], [])

    # -- the area: options from the module catalogue (options-from="module-keywords") ------

    def test_12_area_offers_the_catalogues_keywords_grouped_by_legal_area(self):
        """The entry's area is a tree from the module catalogue: every keyword of the request
        and register modules once, under the legal area of the first module listing it."""
        want = [tuple(r) for r in self.q(
            "SELECT value, label, grp FROM module_keyword_options('registers')")]
        self.assertIn(("physiotherapists", "Physiotherapists", "Professional qualifications"),
                      want)                                   # pq-requests only, not the old list
        self.assertIn(("road-transport", "Road transport", "Posting of workers"), want)
        self.assertIn(("lawyers", "Lawyers", "Registers"), want)
        self.assertNotIn("environment", [v for v, _l, _g in want])  # an alert's keyword
        values = [v for v, _l, _g in want]
        self.assertEqual(len(values), len(set(values)))     # "Construction": Services only
        iid = self.started("dk")
        html = self.b["dk"].get(f"/instances/{iid}").html()
        select = html.find("select", name="area")
        self.assertIsNotNone(select, "no area on the entry form")
        groups = select.find_all("optgroup")
        offered = [(o.get("value"), o.text, g.get("data-group")) for g in groups
                   for o in g.find_all("option")]
        self.assertEqual(offered, want)
        self.assertEqual([g.get("label") for g in groups][:2],
                         ["Professional qualifications", "Services"])
        # Saved when the source has it; a value it does not have is refused, nothing written.
        self.fired("dk", iid, "save", dict(ENTRY, area="physiotherapists"))
        self.assertEqual(self.versions(iid)[-1][2]["area"], "physiotherapists")
        for bad in ("astronauts", "Physiotherapists", "physiotherapists'--", "doctors,nurses"):
            before = self.written(iid)
            r = self.fire("dk", iid, "save", dict(ENTRY, area=bad))
            self.assertEqual(r.status, 422, (bad, r.describe()))
            self.assertEqual(self.written(iid), before, bad)
        self.fired("dk", iid, "activate", dict(ENTRY, area="physiotherapists"))
        # A Danish user reads the label and the groups in Danish.
        self.q("UPDATE users SET language = 'da' WHERE authority_id = $1", self.ids["dk"])
        try:
            page = self.b["dk"].get(f"/instances/{iid}")
            self.assertEqual(page.status, 200, page.describe())
            self.assertIn("Fysioterapeuter", page.html().text)
            self.assertNotIn("Physiotherapists", page.html().text)
            search = self.b["dk"].get("/cases?kind=register").html()
            filt = search.find("select", name="f-area")
            self.assertIsNotNone(filt)
            self.assertIn("Erhvervsmæssige kvalifikationer",
                          [g.get("label") for g in filt.find_all("optgroup")])
            self.assertEqual(filt.find("option", value="physiotherapists").text, "Fysioterapeuter")
        finally:
            self.q("UPDATE users SET language = 'en' WHERE authority_id = $1", self.ids["dk"])
        # The search filters on it.
        found = self.b["ro"].get_xml("/cases?kind=register&f-area=physiotherapists").xml()
        self.assertEqual([c.get("id") for c in found.iter("case")], [str(iid)])
        found = self.b["ro"].get_xml("/cases?kind=register&f-area=architects").xml()
        self.assertNotIn(str(iid), [c.get("id") for c in found.iter("case")])
        # The public export: the stable value, and in the XML its label beside it.
        x = Browser(self.stack.url).get("/cases/published.xml?definition=register-entry")
        case = next(c for c in ET.fromstring(x.text.encode()) if c.get("id") == str(iid))
        area = next(f for f in case if f.get("name") == "area")
        self.assertEqual((area.text, area.get("label")), ("physiotherapists", "Physiotherapists"))


if __name__ == "__main__":
    tap.main()
