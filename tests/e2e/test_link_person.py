#!/usr/bin/python3
"""test_link_person.py -- a mail link acts only for the person it was mailed to (issue 12,
point 3).  Signed in as someone else, the approval link mailed to a coordinator shows a page
that says so (403) on GET and on POST, without the case, and changes nothing; signed out or
signed in as its recipient it works as before.  The four-eyes rule (`<not-by>` in
workflows/information-request.xml) holds in any case: the author of a request, even an
Approver of its coordinator, gets no link, no button, and a 403 for a direct POST, while
another Approver approves.  No token reaches nginx's access log or the engine's log."""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from browser import Browser  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack, mail_text  # noqa: E402

MODULE = "pq-requests"
LINK = re.compile(r"https?://\S+/links/([A-Za-z0-9_-]{43})")


class LinkPersonTest(unittest.TestCase):
    tokens = set()          # every link token the tests saw, for the log check

    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        cls.hd = hd
        # Denmark asks (approval required), the Netherlands answer.
        cls.dk_coord, coord_user = authorities.register(hd, "DK Koordinator", "DK", "Carl", "Koch")
        cls.dk, dk_user = authorities.register(hd, "Sundhedsstyrelsen", "DK", "Mette", "Larsen")
        cls.nl_coord, _ = authorities.register(hd, "NL Coordinator", "NL", "Eva", "Bakker")
        cls.nl, nl_user = authorities.register(hd, "BIG-register", "NL", "Sanne", "Jong")
        authorities.grant(hd, cls.dk_coord, MODULE, "coordinator")
        authorities.grant(hd, cls.nl_coord, MODULE, "coordinator")
        authorities.grant(hd, cls.dk, MODULE, coordinators=[cls.dk_coord], approval_required=True)
        authorities.grant(hd, cls.nl, MODULE, coordinators=[cls.nl_coord])
        cls.mette = first_sign_in(s, dk_user, "mette@example.dk")
        cls.carl = first_sign_in(s, coord_user, "carl@example.dk")
        cls.sanne = first_sign_in(s, nl_user, "sanne@example.nl")
        cls.codes = [c for (c,) in s.psql("SELECT code FROM questions WHERE module = $1"
                                          " ORDER BY position LIMIT 2", MODULE)]

    # -- helpers -----------------------------------------------------------------------

    def csrf(self, b):
        return b.get("/").html().csrf()

    def draft(self, b, responder, subject):
        fields = [("csrf", self.csrf(b)), ("module", MODULE), ("responder", str(responder)),
                  ("subject", subject), ("context", "Recognition."),
                  ("person_name", "Jan Jansen"), ("person_birth_date", "1980-04-01"),
                  ("person_nationality", "NL"), ("person_registration", "BIG-123"),
                  ("reply_date", "2027-02-01")]
        fields += [("question", c) for c in self.codes]
        r = b.post("/requests/new", fields)
        self.assertEqual(r.status, 303, r.text[-1500:])
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    def model(self, b, rid):
        return b.get_xml(f"/requests/{rid}").xml()

    def events(self, b, rid):
        t = self.model(b, rid).find("transitions")
        return sorted(x.get("event") for x in t) if t is not None else []

    def fire(self, b, rid, event):
        t = self.model(b, rid).find("transitions")
        iid = t.get("instance") if t is not None else self.instance(rid)
        rev = t.get("rev") if t is not None else "0"
        return b.post(f"/instances/{iid}/fire/{event}", {
            "csrf": self.csrf(b), "rev": rev, "next": f"/requests/{rid}"})

    def instance(self, rid):
        return self.stack.psql("SELECT instance_id FROM requests WHERE id = $1", rid)[0][0]

    def state(self, rid):
        return self.stack.psql("SELECT i.state FROM requests r JOIN wf_instances i"
                               " ON i.id = r.instance_id WHERE r.id = $1", rid)[0][0]

    def last_history(self, rid):
        return self.stack.psql("SELECT h.event, h.actor_kind, u.username FROM wf_history h"
                               " JOIN requests r ON r.instance_id = h.instance_id"
                               " LEFT JOIN users u ON u.id = h.actor_user_id"
                               " WHERE r.id = $1 ORDER BY h.seq DESC LIMIT 1", rid)[0]

    def submit(self, b, rid, recipients):
        """Submits for approval; returns {email: [link tokens]} of the mails to recipients."""
        before = {m.path for m in self.stack.mails()}
        self.assertEqual(self.fire(b, rid, "submit").status, 303)
        self.assertEqual(self.state(rid), "awaiting-approval")
        links = {}
        for who in recipients:
            msg = self.stack.wait_mail(lambda m: m.path not in before and who in m["To"]
                                       and f"/requests/{rid}" in mail_text(m))
            links[who] = LINK.findall(mail_text(msg))
            self.tokens.update(links[who])
        return links

    def outcome(self, r):
        return r.html().find(id="link").get("data-outcome")

    def links_used(self, rid):
        return int(self.stack.psql("SELECT count(*) FROM wf_links l JOIN requests r"
                                   " ON r.instance_id = l.instance_id WHERE r.id = $1"
                                   " AND l.used_at IS NOT NULL", rid)[0][0])

    # -- 1. a link never acts while someone else is signed in --------------------------

    def test_01_link_refused_while_another_user_is_signed_in(self):
        rid = self.draft(self.mette, self.nl, "Approve me, Carl")
        token = self.submit(self.mette, rid, ["carl@example.dk"])["carl@example.dk"][0]
        # The requester opens her coordinator's link: a page that says it is someone
        # else's, without the case, and no form to press.
        r = self.mette.get(f"/links/{token}")
        self.assertEqual((r.status, self.outcome(r)), (403, "other-user"))
        self.assertIn("sent to someone else", r.text)
        self.assertIn("sign out first", r.text)
        self.assertNotIn("link-confirm", r.text)
        self.assertNotIn(token, r.text)
        self.assertIsNone(r.html().find(id="link").get("data-instance"))
        xml = self.mette.get_xml(f"/links/{token}")
        self.assertEqual(xml.status, 403)
        self.assertIsNone(xml.xml().find("link").get("instance"))
        # Pressing the button anyway (a POST with her own session's CSRF token): the same
        # page, and nothing changes.
        r = self.mette.post(f"/links/{token}", {"csrf": self.csrf(self.mette)})
        self.assertEqual((r.status, self.outcome(r)), (403, "other-user"))
        self.assertEqual(self.state(rid), "awaiting-approval")
        self.assertEqual(self.links_used(rid), 0)
        # Nor for a user of another country.
        r = self.sanne.post(f"/links/{token}", {"csrf": self.csrf(self.sanne)})
        self.assertEqual((r.status, self.outcome(r)), (403, "other-user"))
        self.assertEqual(self.state(rid), "awaiting-approval")
        # Its recipient, signed in, confirms it: approved in his name, from the mail.
        page = self.carl.get(f"/links/{token}")
        self.assertEqual((page.status, self.outcome(page)), (200, "ready"))
        r = self.carl.post(f"/links/{token}", {"csrf": page.html().csrf()})
        self.assertEqual(self.outcome(r), "done")
        self.assertEqual(self.state(rid), "sent")
        self.assertEqual(self.last_history(rid), ("approve", "mail", self.username("carl")))
        # Used: someone else still learns nothing about it.
        r = self.mette.get(f"/links/{token}")
        self.assertEqual((r.status, self.outcome(r)), (403, "other-user"))

    def test_02_signed_out_the_link_still_works(self):
        rid = self.draft(self.mette, self.nl, "Approve me from the mail")
        token = self.submit(self.mette, rid, ["carl@example.dk"])["carl@example.dk"][0]
        guest = Browser(self.stack.url)
        page = guest.get(f"/links/{token}")
        self.assertEqual((page.status, self.outcome(page)), (200, "ready"))
        self.assertEqual(self.state(rid), "awaiting-approval")
        r = guest.post(f"/links/{token}", {"csrf": guest.cookie("imiflow_login")})
        self.assertEqual(self.outcome(r), "done")
        self.assertEqual(self.last_history(rid), ("approve", "mail", self.username("carl")))

    def username(self, first):
        return self.stack.psql("SELECT username FROM users WHERE lower(first_name) = $1",
                               first)[0][0]

    # -- 2. four eyes: the author never approves, by link or by page --------------------

    def test_03_the_author_never_approves_her_own_request(self):
        s = self.stack
        # The coordinator asks itself, and its access requires approval by a linked
        # coordinator that is itself (set in SQL: the pages link no coordinator to itself).
        # Carl, its Administrator, holds every role: Handler and Approver.
        access = s.psql("SELECT id FROM module_accesses WHERE authority_id = $1 AND module = $2",
                        self.dk_coord, MODULE)[0][0]
        s.psql("UPDATE module_accesses SET approval_required = true WHERE id = $1", access)
        s.psql("INSERT INTO access_coordinators (access_id, coordinator_id) VALUES ($1, $2)",
               access, self.dk_coord)
        self.assertIn(("approver",), s.psql(
            "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id"
            " WHERE u.first_name = 'Carl' AND r.module = $1", MODULE))
        # A second Approver of the coordinator.
        page = self.carl.get(f"/authorities/{self.dk_coord}/users/new")
        r = self.carl.post(f"/authorities/{self.dk_coord}/users/new", [
            ("csrf", page.html().csrf()), ("first_name", "Ida"), ("last_name", "Holm"),
            ("user_email", "ida@example.dk"), ("language", "en"), ("username", "iholm"),
            ("role", f"{MODULE}:approver"), ("action", "save")])
        self.assertEqual(r.status, 200, r.text[-1500:])
        ida = first_sign_in(s, "iholm", "ida@example.dk")

        rid = self.draft(self.carl, self.nl, "Carl's own request")
        links = self.submit(self.carl, rid, ["carl@example.dk", "ida@example.dk"])
        # The author's mail carries no link; the other Approver's does.
        self.assertEqual(links["carl@example.dk"], [])
        self.assertEqual(len(links["ida@example.dk"]), 1)
        self.assertEqual(s.psql("SELECT count(*) FROM wf_links l JOIN users u ON u.id = l.user_id"
                                " JOIN requests r ON r.instance_id = l.instance_id"
                                " WHERE r.id = $1 AND u.first_name = 'Carl'", rid)[0][0], "0")
        # No button for the author, and a direct POST is refused, naming the rule.
        self.assertNotIn("approve", self.events(self.carl, rid))
        self.assertIn("approve", self.events(ida, rid))
        r = self.fire(self.carl, rid, "approve")
        self.assertEqual(r.status, 403)
        self.assertIn("four eyes", r.text)
        self.assertEqual(self.state(rid), "awaiting-approval")
        # Nor through the other Approver's link.
        token = links["ida@example.dk"][0]
        r = self.carl.post(f"/links/{token}", {"csrf": self.csrf(self.carl)})
        self.assertEqual((r.status, self.outcome(r)), (403, "other-user"))
        self.assertEqual(self.state(rid), "awaiting-approval")
        # The other Approver approves.
        self.assertEqual(self.fire(ida, rid, "approve").status, 303)
        self.assertEqual(self.state(rid), "sent")
        self.assertEqual(self.last_history(rid), ("approve", "user", "iholm"))

    # -- 3. tokens never reach a log ---------------------------------------------------

    def test_09_no_token_in_the_logs(self):
        s = self.stack
        guest = Browser(s.url)
        # An invitation token and the login page's way back carry secrets too.
        fake = "Q" * 43
        self.assertIn(guest.get(f"/register/{fake}").status, (404, 410))
        guest.get(f"/login?next=/links/{fake}")
        guest.get(f"/login?next=%2Flinks%2F{fake}")
        self.tokens.add(fake)
        self.assertGreater(len(self.tokens), 2)
        time.sleep(1.5)              # nginx writes its access log at the latest after 1 s
        engine = (s.logdir / "engine.log").read_text(errors="replace")
        access = (s.logdir / "nginx-access.log").read_text(errors="replace")
        for t in self.tokens:
            self.assertFalse(t in engine, f"the token {t} is in engine.log")
            self.assertFalse(t in access, f"the token {t} is in nginx-access.log")
        # The paths are there, without their token; the engine names the link by its id.
        self.assertRegex(access, r'"GET /links/\.\.\. HTTP/1\.1" 403')
        self.assertRegex(access, r'"POST /links/\.\.\. HTTP/1\.1" 200')
        self.assertRegex(access, r'"GET /register/\.\.\. HTTP/1\.1" 4\d\d')
        self.assertRegex(access, r'"GET /login\?next=/links/\.\.\. HTTP/1\.1" 200')
        self.assertRegex(engine, r"GET /links/\.\.\. 403")
        self.assertRegex(engine, r"mail link \d+: user \d+ fired approve on instance \d+")
        self.assertRegex(engine, r"mail link \d+ of user \d+ opened while user \d+ is signed in")


if __name__ == "__main__":
    tap.main()
