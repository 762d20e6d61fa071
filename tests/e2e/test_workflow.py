#!/usr/bin/python3
"""test_workflow.py -- the engine end to end, through the pages: start an instance of the toy
definition, fire transitions with their inputs, refused guards (403, nothing written), stale
forms and races (409: 50 rounds of two clients firing at once, exactly one winner each, history
without gaps), versioned deploy (a new transition fired through the page with no C change),
timers fired by the worker as the system actor when the clock moves, never twice."""

import os
import re
import subprocess
import sys
import threading
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack, temporary_password  # noqa: E402

WF = Path(__file__).resolve().parents[1] / "workflows" / "good"
PASSWORD = "Workflow7engine"


def signed_in(stack, username):
    b = Browser(stack.url)
    b.get("/login")
    r = b.post("/login", {"username": username, "password": PASSWORD,
                          "csrf": b.cookie("imiflow_login")})
    assert r.status == 303, r.status
    b.get("/")
    return b


class WorkflowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=500)
        s.start()
        cls.addClassCleanup(s.stop)
        cls.username = s.bootstrap()
        temp = temporary_password(s.wait_mail(lambda m: "temporary password" in m["Subject"]))
        b = Browser(s.url)
        b.get("/login")
        b.post("/login", {"username": cls.username, "password": temp,
                          "csrf": b.cookie("imiflow_login")})
        page = b.get("/password")
        r = b.post("/password", {"current": temp, "new": PASSWORD, "confirm": PASSWORD,
                                 "csrf": page.html().csrf()})
        assert r.status == 303, r.status
        r = s.run_imiflow("deploy", str(WF / "toy.xml"))
        assert "version 1 deployed" in r.stdout, r.stdout

    def browser(self):
        return signed_in(self.stack, self.username)

    def start(self, b):
        page = b.get("/workflows")
        r = b.post("/workflows/toy/start", {"csrf": page.html().csrf()})
        self.assertEqual(r.status, 303)
        m = re.fullmatch(r"/instances/(\d+)", r.location_path)
        self.assertTrue(m, r.location_path)
        return int(m.group(1))

    def model(self, b, iid):
        return b.get_xml(f"/instances/{iid}").xml()

    def rev(self, b, iid):
        return self.model(b, iid).find("instance").get("rev")

    def state(self, b, iid):
        return self.model(b, iid).find("instance").get("state")

    def events(self, b, iid):
        return [t.get("event") for t in self.model(b, iid).find("transitions")]

    def history(self, iid):
        return self.stack.psql(f"SELECT seq, event, from_state, to_state, actor_kind FROM wf_history "
                               f"WHERE instance_id = {int(iid)} ORDER BY seq")

    def fire(self, b, iid, event, fields=None, rev=None):
        data = {"csrf": b.get("/").html().csrf(), "rev": rev or self.rev(b, iid)}
        data.update(fields or {})
        return b.post(f"/instances/{iid}/fire/{event}", data)

    def submit(self, b, iid, **extra):
        fields = {"title": "A question", "due": "2027-01-15", "priority": "urgent", "note": ""}
        fields.update(extra)
        return self.fire(b, iid, "submit", fields)

    def test_01_start_shows_the_allowed_transitions(self):
        b = self.browser()
        iid = self.start(b)
        self.assertEqual(self.state(b, iid), "draft")
        self.assertEqual(self.events(b, iid), ["submit"])
        page = b.get(f"/instances/{iid}")
        self.assertEqual(page.status, 200)
        self.assertIn('id="fire-submit"', page.text)
        for name in ("title", "due", "priority", "note"):
            self.assertIn(f'name="{name}"', page.text)
        self.assertEqual(self.history(iid), [("1", "start", None, "draft", "user")])

    def test_02_bad_inputs_show_the_form_again_and_write_nothing(self):
        b = self.browser()
        iid = self.start(b)
        r = self.fire(b, iid, "submit", {"title": "", "due": "2027-02-30", "priority": "maybe"})
        self.assertEqual(r.status, 422)
        rules = {(e.get("data-input"), e.get("data-rule")) for e in [e for e in r.html().errors() if e.get("data-rule")]}
        self.assertEqual(rules, {("title", "required"), ("due", "date"), ("priority", "choice")})
        self.assertEqual(len(self.history(iid)), 1)
        self.assertEqual(self.state(b, iid), "draft")

    def test_03_fire_writes_state_history_data_timers_and_mail(self):
        b = self.browser()
        iid = self.start(b)
        before = len(self.stack.mails())
        r = self.submit(b, iid)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location_path, f"/instances/{iid}")
        m = self.model(b, iid)
        self.assertEqual(m.find("instance").get("state"), "submitted")
        data = {f.get("name"): f.text for f in m.find("data")}
        self.assertEqual(data["title"], "A question")
        self.assertEqual(data["priority"], "urgent")
        self.assertTrue(data["submitted-at"])
        h = self.history(iid)
        self.assertEqual(h[-1], ("2", "submit", "draft", "submitted", "user"))
        timers = self.stack.psql(f"SELECT name, state FROM wf_timers WHERE instance_id = {iid} "
                                 "ORDER BY name")
        self.assertEqual(timers, [("deadline", "submitted"), ("reminder", "submitted")])
        self.stack.wait_mail(lambda msg: f"/instances/{iid}" in msg.get_content()
                             and "Submitted" in msg["Subject"], timeout=20)
        self.assertGreater(len(self.stack.mails()), before)

    def test_04_refused_guard_is_403_and_writes_nothing(self):
        b = self.browser()
        iid = self.start(b)
        self.submit(b, iid)
        # withdraw needs the condition has-comment, which does not hold.
        self.assertNotIn("withdraw", self.events(b, iid))
        rev = self.rev(b, iid)
        r = self.fire(b, iid, "withdraw")
        self.assertEqual(r.status, 403)
        self.assertEqual(r.html().main_status(), "403")
        # In words (issue 16): a condition without catalogue words by its name.
        lead = r.html().find("p", class_="lead")
        self.assertEqual(lead.attrs.get("data-reason"), "condition")
        self.assertIn("possible only when has-comment", lead.text)
        self.assertEqual(self.rev(b, iid), rev)
        self.assertEqual(len(self.history(iid)), 2)

    def test_05_stale_form_is_409(self):
        b = self.browser()
        iid = self.start(b)
        old = self.rev(b, iid)
        self.submit(b, iid)
        r = self.fire(b, iid, "approve", rev=old)
        self.assertEqual(r.status, 409)
        self.assertEqual(r.html().main_status(), "409")
        # The state by its label, not the engine's English detail (issue 16).
        self.assertIn("it is now “Submitted”", r.html().find("main").text)
        self.assertNotIn('"submitted"', r.html().find("main").text)
        self.assertEqual(self.state(b, iid), "submitted")
        r = self.fire(b, iid, "no-such-event")
        self.assertEqual(r.status, 409)

    def test_06_post_without_csrf_is_refused(self):
        b = self.browser()
        iid = self.start(b)
        r = b.post(f"/instances/{iid}/fire/submit", {"rev": self.rev(b, iid), "title": "x"})
        self.assertEqual(r.status, 403)
        self.assertEqual(len(self.history(iid)), 1)

    def test_07_concurrent_firing_has_exactly_one_winner(self):
        b1, b2 = self.browser(), self.browser()
        for round_ in range(50):
            iid = self.start(b1)
            self.submit(b1, iid)
            rev = self.rev(b1, iid)
            c1, c2 = b1.get("/").html().csrf(), b2.get("/").html().csrf()
            results = {}
            go = threading.Barrier(2)

            def shoot(name, b, event, csrf):
                go.wait()
                results[name] = b.post(f"/instances/{iid}/fire/{event}",
                                       {"csrf": csrf, "rev": rev}).status
            t1 = threading.Thread(target=shoot, args=("a", b1, "approve", c1))
            t2 = threading.Thread(target=shoot, args=("b", b2, "reject", c2))
            t1.start(); t2.start(); t1.join(); t2.join()
            self.assertEqual(sorted(results.values()), [303, 409], f"round {round_}: {results}")
            h = self.history(iid)
            self.assertEqual([int(r[0]) for r in h], [1, 2, 3], f"round {round_}")
            self.assertIn(h[-1][1], ("approve", "reject"))

    def test_08_new_version_adds_a_transition_without_c_changes(self):
        b = self.browser()
        old = self.start(b)
        self.submit(b, old)
        r = self.stack.run_imiflow("deploy", str(WF / "toy-v2.xml"))
        self.assertIn("toy: version 2 deployed", r.stdout)
        # The running instance keeps version 1: no "escalate".
        self.assertEqual(self.model(b, old).find("instance").get("version"), "1")
        self.assertNotIn("escalate", self.events(b, old))
        new = self.start(b)
        self.assertEqual(self.model(b, new).find("instance").get("version"), "2")
        self.submit(b, new)
        self.assertIn("escalate", self.events(b, new))
        # The new transition carries a file input: the form posts multipart/form-data.
        page = b.get(f"/instances/{new}").html()
        self.assertEqual(page.find(id="fire-escalate").get("enctype"), "multipart/form-data")
        # A PDF by name and by its first bytes: only such agreeing files are taken
        # (core/filetype.h); the bytes after them are all 256 values.
        content = b"%PDF-1.4\n" + bytes(range(256)) * 4
        boundary = "----imiflowtest7c1f"
        parts = [("csrf", page.csrf()), ("rev", self.rev(b, new)), ("reason", "It is urgent.")]
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                        .encode() for k, v in parts)
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; '
                 f'filename="proof ü.pdf"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        r = b.post_raw(f"/instances/{new}/fire/escalate", body,
                       content_type=f"multipart/form-data; boundary={boundary}")
        self.assertEqual(r.status, 303, r.text[:500])
        docs = self.stack.psql(f"SELECT id, filename, size FROM wf_documents WHERE instance_id = {new}")
        self.assertEqual([d[1:] for d in docs], [("proof ü.pdf", str(len(content)))])
        r = b.get(f"/instances/{new}/documents/{docs[0][0]}")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, content)
        self.assertIn("attachment", r.header("Content-Disposition"))
        self.assertEqual(self.state(b, new), "escalated")
        self.assertEqual(self.history(new)[-1][1:4], ("escalate", "submitted", "escalated"))

    def test_09_timers_fire_as_system_when_due_and_never_twice(self):
        b = self.browser()
        ids = [self.start(b) for _ in range(20)]
        for iid in ids:
            self.submit(b, iid)
        # Leaving "submitted" cancels its timers: reject one, so its reminder must not fire.
        left = ids.pop()
        self.fire(b, left, "reject")
        self.stack.psql("UPDATE clock SET offset_interval = '2 hours'")
        try:
            workers = [subprocess.Popen([self.stack.binary, "worker", "--once",
                                         *self.stack.common_args()],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                       for _ in range(2)]
            for w in workers:
                w.communicate(timeout=120)
                self.assertEqual(w.returncode, 0)
            # Two hours later the old session has expired: sign in again.
            b = self.browser()
            for iid in ids:
                self.assertEqual(self.state(b, iid), "reminded", iid)
                reminds = [h for h in self.history(iid) if h[1] == "remind"]
                self.assertEqual(reminds, [(reminds[0][0], "remind", "submitted", "reminded", "system")])
            fired_twice = self.stack.psql(
                "SELECT instance_id FROM wf_history WHERE event = 'remind' "
                "GROUP BY instance_id HAVING count(*) > 1")
            self.assertEqual(fired_twice, [])
            self.assertEqual(self.state(b, left), "draft")
            self.assertNotIn("remind", [h[1] for h in self.history(left)])
        finally:
            self.stack.psql("UPDATE clock SET offset_interval = '0'")

    def test_10_diagram_shows_every_state_with_its_count(self):
        b = self.browser()
        r = b.get("/workflows/toy")
        self.assertEqual(r.status, 200)
        self.assertIn("<svg", r.text)
        doc = r.html()
        counts = {row.get("data-state"): [e for e in row.iter() if e.tag == "td"][-1].text
                  for row in doc.find_all("tr") if row.get("data-state")}
        db = dict(self.stack.psql("SELECT state, count(*) FROM wf_instances "
                                  "WHERE definition = 'toy' GROUP BY state"))
        for state in ("draft", "submitted", "approved", "reminded", "escalated"):
            self.assertEqual(counts[state], db.get(state, "0"), state)
        # The drawing names states and transitions by their labels, not their codes (issue 16).
        words = {(t.text or "").strip() for t in doc.iter() if t.tag.endswith("text")}
        self.assertIn("Submitted", words)
        self.assertNotIn("submitted", words)
        self.assertNotIn("draft", words)
        self.assertEqual(b.get("/workflows/nonexistent").status, 404)

    def links_for(self, iid):
        """The approval links (event -> token) of the mail about instance iid."""
        mail = self.stack.wait_mail(lambda m: f"/instances/{iid}" in m.get_content()
                                    and "/links/" in m.get_content(), timeout=20)
        body = mail.get_content()
        found = re.findall(r"^(\w[^:\n]*): \S+/links/([A-Za-z0-9_-]{43})$", body, re.M)
        return {label.strip().lower(): token for label, token in found}

    def link_outcome(self, r):
        return r.html().find(id="link").get("data-outcome")

    def test_11_mail_links(self):
        b = self.browser()
        iid = self.start(b)
        self.submit(b, iid)
        links = self.links_for(iid)
        self.assertEqual(set(links), {"approve", "reject"})
        anon = Browser(self.stack.url)
        # A scanner's GET changes nothing.
        r = anon.get(f"/links/{links['approve']}")
        self.assertEqual(r.status, 200)
        self.assertEqual(self.link_outcome(r), "ready")
        self.assertEqual(self.state(b, iid), "submitted")
        # The POST from the page fires in the recipient's name, recorded as from a mail link.
        r = anon.post(f"/links/{links['approve']}", {"csrf": r.html().csrf()})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.link_outcome(r), "done")
        self.assertEqual(self.state(b, iid), "approved")
        self.assertEqual(self.history(iid)[-1][1:], ("approve", "submitted", "approved", "mail"))
        # Used once only; the sibling link no longer applies.
        r = anon.get(f"/links/{links['approve']}")
        self.assertEqual((r.status, self.link_outcome(r)), (409, "used"))
        r = anon.post(f"/links/{links['approve']}", {"csrf": anon.cookie("imiflow_login")})
        self.assertEqual(self.link_outcome(r), "used")
        r = anon.get(f"/links/{links['reject']}")
        self.assertEqual((r.status, self.link_outcome(r)), (409, "moved"))
        # Tampered.
        bad = links["reject"][:-1] + ("A" if links["reject"][-1] != "A" else "B")
        r = anon.get(f"/links/{bad}")
        self.assertEqual((r.status, self.link_outcome(r)), (404, "invalid"))
        self.assertEqual(len(self.history(iid)), 3)

    def test_12_mail_link_moved_expired_and_role_lost(self):
        b = self.browser()
        anon = Browser(self.stack.url)
        # Someone approves in the pages meanwhile: the link's state was left.
        iid = self.start(b)
        self.submit(b, iid)
        links = self.links_for(iid)
        self.assertEqual(self.fire(b, iid, "approve").status, 303)
        r = anon.get(f"/links/{links['reject']}")
        self.assertEqual(self.link_outcome(r), "moved")
        # Expired.
        iid = self.start(b)
        self.submit(b, iid)
        links = self.links_for(iid)
        self.stack.psql(f"UPDATE wf_links SET expires_at = now() - interval '1 minute' "
                        f"WHERE instance_id = {iid}")
        r = anon.get(f"/links/{links['approve']}")
        self.assertEqual(self.link_outcome(r), "expired")
        self.assertEqual(self.state(b, iid), "submitted")
        # The recipient lost the role.
        iid = self.start(b)
        self.submit(b, iid)
        links = self.links_for(iid)
        self.stack.psql("DELETE FROM user_roles WHERE role = 'administrator'")
        try:
            r = anon.get(f"/links/{links['approve']}")
            self.assertEqual(self.link_outcome(r), "role-lost")
            r = anon.post(f"/links/{links['approve']}", {"csrf": anon.cookie("imiflow_login")})
            self.assertEqual(self.link_outcome(r), "role-lost")
        finally:
            self.stack.psql("INSERT INTO user_roles (user_id, module, role) "
                            "SELECT id, '', 'administrator' FROM users")
        self.assertEqual(self.state(b, iid), "submitted")

    def test_13_instance_counts_stop_at_a_thousand(self):
        """/workflows counts each definition's instances up to 1,000 and says "1000+" beyond
        (its cost stays flat as instances grow: bench/README.md)."""
        b = self.browser()
        iid = self.start(b)
        cols = [c for (c,) in self.stack.psql(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'wf_instances'"
            " AND column_name <> 'id' ORDER BY ordinal_position")]
        cl = ", ".join(cols)
        copies = self.stack.psql(
            f"INSERT INTO wf_instances ({cl}) SELECT {cl} FROM wf_instances, generate_series(1, 1001)"
            f" WHERE id = {iid} RETURNING id")
        try:
            row = b.get("/workflows").html().find("tr", data_definition="toy")
            self.assertEqual([td.text.strip() for td in row.find_all("td")][2], "1000+")
        finally:
            self.stack.psql("DELETE FROM wf_instances WHERE id = ANY($1::bigint[])",
                            "{" + ",".join(c for (c,) in copies) + "}")
        row = b.get("/workflows").html().find("tr", data_definition="toy")
        n = self.stack.psql("SELECT count(*) FROM wf_instances WHERE definition = 'toy'")[0][0]
        self.assertEqual([td.text.strip() for td in row.find_all("td")][2], n)


class LinksLoginTest(unittest.TestCase):
    """With --links-login, an approval link goes through the login page and back, and works
    only for the user it was mailed to."""

    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=500, serve_args=["--links-login"])
        s.start()
        cls.addClassCleanup(s.stop)
        cls.username = s.bootstrap()
        cls.b = first_sign_in(s, cls.username, "helpdesk@imiflow.invalid", password=PASSWORD)
        r = s.run_imiflow("deploy", str(WF / "toy.xml"))
        assert "deployed" in r.stdout, r.stdout

    def test_login_first_then_back_to_the_link(self):
        s, b = self.stack, self.b
        page = b.get("/workflows")
        r = b.post("/workflows/toy/start", {"csrf": page.html().csrf()})
        iid = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))
        rev = b.get_xml(f"/instances/{iid}").xml().find("instance").get("rev")
        r = b.post(f"/instances/{iid}/fire/submit", {
            "csrf": b.get("/").html().csrf(), "rev": rev, "title": "T", "due": "2027-01-15",
            "priority": "normal", "note": ""})
        self.assertEqual(r.status, 303)
        mail = s.wait_mail(lambda m: f"/instances/{iid}" in m.get_content()
                           and "/links/" in m.get_content(), timeout=20)
        token = dict((l.strip().lower(), t) for l, t in re.findall(
            r"^(\w[^:\n]*): \S+/links/([A-Za-z0-9_-]{43})$", mail.get_content(), re.M))["approve"]
        # Signed out: to the login page, which remembers where to come back; nothing fired.
        anon = Browser(s.url)
        r = anon.get(f"/links/{token}")
        self.assertEqual((r.status, r.location), (303, f"/login?next=/links/{token}"))
        r = anon.post(f"/links/{token}", {"csrf": "x" * 43})
        self.assertIn(r.status, (303, 403))
        state = lambda: s.psql("SELECT state FROM wf_instances WHERE id = $1", iid)[0][0]
        self.assertEqual(state(), "submitted")
        # Signed in as someone else: a page that says so, and nothing fired.
        other_form = b.get(f"/authorities/1/users/new").html()
        r = b.post("/authorities/1/users/new", {
            "csrf": other_form.csrf(), "first_name": "Otto", "last_name": "Other",
            "user_email": "otto@example.test", "language": "en", "username": "otto",
            "role": "administrator", "action": "save"})
        self.assertEqual(r.status, 200)
        otto = first_sign_in(s, "otto", "otto@example.test", password=PASSWORD)
        r = otto.get(f"/links/{token}")
        self.assertEqual((r.status, r.html().find(id="link").get("data-outcome")),
                         (403, "other-user"))
        self.assertEqual(state(), "submitted")
        # The recipient signs in and comes back to the confirmation page.
        page = anon.get(f"/login?next=/links/{token}")
        self.assertIn(f'value="/links/{token}"', page.text)
        r = anon.post("/login", {"username": self.username, "password": PASSWORD,
                                 "next": f"/links/{token}", "csrf": anon.cookie("imiflow_login")})
        self.assertEqual((r.status, r.location_path), (303, f"/links/{token}"))
        page = anon.get(f"/links/{token}")
        self.assertEqual(page.html().find(id="link").get("data-outcome"), "ready")
        r = anon.post(f"/links/{token}", {"csrf": page.html().csrf()})
        self.assertEqual(r.html().find(id="link").get("data-outcome"), "done")
        self.assertEqual(state(), "approved")


if __name__ == "__main__":
    tap.main()
