#!/usr/bin/python3
"""test_demo.py -- what ./run does on a fresh database: tests/lib/stack.py --bootstrap --demo
seeds authorities, users, information requests, notifications and alerts through the pages
(tests/lib/demo.py), prints who to sign in as -- each seen as README.md's tables say -- and a
second run on the same data seeds nothing again.  The demo walks every
request page, so a change to workflows/information-request.xml or to the pages that breaks it
shows here rather than in a newcomer's first ./run."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib")
sys.path.insert(0, LIB)
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from crawl import crawl, internal_codes, raw_codes  # noqa: E402
from crawl import english, english_words, typed_texts  # noqa: E402
from demo import DEMO_PASSWORD  # noqa: E402
from stack import free_port  # noqa: E402

STACK = os.path.join(LIB, "stack.py")


def run_stack(dirname, out, foreground):
    argv = [sys.executable, STACK, "--dir", dirname, "--port", str(free_port()), "--bootstrap",
            "--demo"] + (["--foreground"] if foreground else [])
    return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)


def signed_in(url, username):
    b = Browser(url)
    b.get("/login")
    # nginx limits sign-ins per address (5/s, a burst of 20): the tests sign in one demo user
    # after the other, so wait as a person would when it says 429.
    for _ in range(20):
        r = b.post("/login", {"username": username, "password": DEMO_PASSWORD,
                              "csrf": b.cookie("imiflow_login")})
        if r.status != 429:
            break
        time.sleep(0.5)
    assert r.status == 303 and r.location_path == "/", (username, r.status, r.location_path)
    return b


class DemoTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="imiflow-demo-")
        os.chmod(cls.dir, 0o711)            # PostgreSQL's user passes through to var/
        cls.failed = False
        cls.out_path = os.path.join(cls.dir, "run.out")
        cls.out = open(cls.out_path, "w+")
        cls.addClassCleanup(cls.cleanup)
        cls.proc = run_stack(os.path.join(cls.dir, "var"), cls.out, foreground=True)
        started = time.monotonic()
        while "Press Ctrl-C" not in cls.output():
            if cls.proc.poll() is not None or time.monotonic() - started > 180:
                raise AssertionError("the demo stack did not start:\n" + cls.output()[-3000:])
            time.sleep(0.2)
        cls.seconds = time.monotonic() - started
        cls.banner = cls.output()
        cls.url = re.search(r"imiflow is running at (\S+)/", cls.banner).group(1)
        cls.users = dict(re.findall(r"^  ([a-z]\S*)\s{2,}(.+)$", cls.banner, re.M))

    @classmethod
    def output(cls):
        with open(cls.out_path) as f:
            return f.read()

    @classmethod
    def stop(cls):
        if cls.proc.poll() is None:
            cls.proc.send_signal(signal.SIGTERM)        # as Ctrl-C: stops what it started
            try:
                cls.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                cls.proc.kill()
                cls.proc.wait()

    @classmethod
    def cleanup(cls):
        cls.stop()
        cls.out.close()
        if cls.failed or os.environ.get("IMIFLOW_KEEP") == "1":
            print(f"test_demo: kept {cls.dir}", file=sys.stderr)
        else:
            shutil.rmtree(cls.dir, ignore_errors=True)

    def run(self, result=None):
        result = super().run(result)
        if result is not None and not result.wasSuccessful():
            type(self).failed = True
        return result

    def user(self, who):
        """The username the banner gives for a line starting with who."""
        return next(u for u, w in self.users.items() if w.startswith(who))

    def test_1_banner_names_who_does_what(self):
        print(f"demo stack started and seeded in {self.seconds:.1f}s", file=sys.stderr)
        self.assertIn(f"demo password:       {DEMO_PASSWORD}", self.banner)
        for who in ("Helpdesk", "NIMIC of DK", "Coordinator in DK", "Authority in DK",
                    "Authority in NL: BIG-register", "Handler in NL: BIG-register",
                    "Authority in NL: Nederlandse Arbeidsinspectie", "Authority in RO"):
            self.assertTrue(self.user(who), who)
        self.assertIn("approves requests", self.users[self.user("Coordinator in DK")])

    def test_2_requests_in_every_state_people_reach(self):
        # The helpdesk is no party to the exchanges: it lists none of them.
        hd = signed_in(self.url, self.user("Helpdesk"))
        self.assertEqual(list(hd.get_xml("/requests").root.find("requests")), [])
        # Every request, as the people who see it list them (a draft only its author).
        seen = {}
        for username, who in self.users.items():
            if not who.startswith(("NIMIC", "Coordinator", "Authority", "Handler")):
                continue        # the banner's other lines: mail, logs, database
            b = signed_in(self.url, username)
            for r in b.get_xml("/requests").root.find("requests"):
                seen.setdefault(r.get("id"), (r, b))
        listed = [r for r, _ in seen.values()]
        states = {r.get("state") for r in listed}
        self.assertEqual(states, {"draft", "awaiting-approval", "sent", "accepted",
                                  "awaiting-information", "answer-awaiting-approval",
                                  "answered", "refused", "referred", "closed", "withdrawn",
                                  "closed-blocked", "archived"})
        self.assertEqual({r.get("module") for r in listed}, {"pq-requests", "services-requests"})
        # One accepted request is allocated, one is not; one was split off another.
        accepted = [b.get_xml(f"/requests/{r.get('id')}").root.find("request")
                    for r, b in seen.values() if r.get("state") == "accepted"]
        self.assertIn("Lotte Mulder", {r.get("allocated") for r in accepted})
        self.assertIn("", {r.get("allocated") for r in accepted})
        child = next(r for r in accepted
                     if any(x.get("relation") == "parent" for x in r.iter("related")))
        # Accepting the split-off request started its reply reminder for later, not now.
        model = seen[child.get("id")][1].get_xml(f"/instances/{child.get('instance')}").root
        events = [h.get("event") for h in model.find("history")]
        self.assertEqual(events, ["start", "split-off", "accept"])
        self.assertTrue(any(f.get("name") == "remind-at" for f in model.find("data")))

    def test_3_each_step_waits_in_someones_tasks(self):
        expect = {"Coordinator in DK": "approve", "Coordinator in NL": "approve",
                  "Authority in NL: BIG-register": "allocate",
                  "Handler in NL: BIG-register": "answer",
                  "Authority in NL: Nederlandse Arbeidsinspectie": "accept",
                  "Authority in DK: Arbejdstilsynet": "inform",
                  "Authority in RO": "answer"}
        for who, kind in expect.items():
            b = signed_in(self.url, self.user(who))
            kinds = {t.get("kind") for t in b.get_xml("/tasks").root.find("tasks")}
            self.assertIn(kind, kinds, who)
        # The requester's side waits too: her draft, an answer, a refusal; a referral for the
        # coordinator (issue 16: she read "Nothing waits for you").
        for who, want in (("Authority in DK: Sundhedsstyrelsen", {"send", "close", "refusal"}),
                          ("Coordinator in DK", {"referral"})):
            b = signed_in(self.url, self.user(who))
            kinds = {t.get("kind") for t in b.get_xml("/tasks").root.find("tasks")}
            self.assertLessEqual(want, kinds, who)

    def test_4_approvers_open_the_case_their_mail_links_to(self):
        # The coordinators open the request's instance page too (its full history and data).
        for who, kind in (("Coordinator in DK", "approve"), ("Coordinator in NL", "approve")):
            b = signed_in(self.url, self.user(who))
            rid = next(t.get("request") for t in b.get_xml("/tasks").root.find("tasks")
                       if t.get("kind") == kind)
            iid = b.get_xml(f"/requests/{rid}").root.find("request").get("instance")
            r = b.get(f"/instances/{iid}")
            self.assertEqual(r.status, 200, who)
            self.assertTrue(r.html().find("form", **{"data-event": "return"})
                            or r.html().find("form", **{"data-event": "return-answer"}), who)

    def test_4b_one_sent_message(self):
        """Administration -> Send e-mail: the Danish NIMIC's message to the active authorities it
        manages (its coordinator and two authorities; not the deactivated one), delivered."""
        b = signed_in(self.url, self.user("NIMIC of DK"))
        deadline = time.monotonic() + 30
        while True:
            msgs = list(b.get_xml("/admin/sent-emails").root.iter("message"))
            self.assertEqual(len(msgs), 1)
            if msgs[0].get("delivered") == msgs[0].get("queued") or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(msgs[0].get("authorities"), "3")
        self.assertEqual(msgs[0].get("delivered"), msgs[0].get("queued"))

    def cases(self, b):
        """{(definition, state): [case id, ...]} of the cases b's user finds (Alerts &
        notifications -> Search: the registers are Repositories & directories')."""
        r = b.get_xml("/cases?kind=notification+alert")
        self.assertEqual(r.status, 200)
        found = {}
        for c in r.xml().iter("case"):
            found.setdefault((c.get("definition"), c.get("state")), []).append(c.get("id"))
        return found

    def case_tasks(self, b):
        return {(t.get("definition"), t.get("event"))
                for t in b.get_xml("/tasks").xml().iter("case-task")}

    def test_4a_notifications_and_alerts_as_the_readme_says(self):
        """README.md's second table: whom to sign in as to see each step of the alerts and
        notifications the demo seeds (tests/lib/demo.py alerts())."""
        b = {who: signed_in(self.url, self.user(who)) for who in (
            "Authority in DK: Arbejdstilsynet", "Coordinator in DK", "Coordinator in NL",
            "Coordinator in RO", "Authority in NL: Nederlandse Arbeidsinspectie",
            "Authority in RO", "Authority in DK: Sundhedsstyrelsen",
            "Authority in NL: BIG-register", "Helpdesk")}
        sa, sn, pq = "services-alert", "services-notification", "pq-alert"
        # oholm: the alerts in every state, the notifications in every state but withdrawn.
        oholm = self.cases(b["Authority in DK: Arbejdstilsynet"])
        self.assertEqual({k for k in oholm if k[0] == sa},
                         {(sa, s) for s in ("draft", "awaiting-approval", "broadcast", "closed",
                                            "withdrawn")})
        self.assertEqual({k for k in oholm if k[0] == sn},
                         {(sn, s) for s in ("draft", "awaiting-approval", "broadcast", "closed")})
        self.assertEqual({k for k in oholm if k[0] not in (sa, sn)}, set())
        self.assertIn((sa, "submit"), self.case_tasks(b["Authority in DK: Arbejdstilsynet"]))
        # The broadcast alert: comments, a closure proposal with an objection, two versions.
        alert = oholm[(sa, "broadcast")][0]
        m = b["Authority in DK: Arbejdstilsynet"].get_xml(f"/instances/{alert}")
        self.assertEqual(m.xml().find("form").get("versions"), "2")
        closure = b["Authority in DK: Arbejdstilsynet"].get(f"/instances/{alert}?tab=closure")
        pair = closure.html().find("div", class_="closure-pair")
        self.assertIsNotNone(pair.find("div", class_="objections").find("article"))
        comments = b["Authority in DK: Arbejdstilsynet"].get(f"/instances/{alert}?tab=comments")
        self.assertTrue(comments.html().find_all("article", class_="comment"))
        # ckoch: the alert and the notification to approve; on the broadcast alert, instruct
        # the helpdesk to close, or withdraw; the drafts are not his.
        ckoch = b["Coordinator in DK"]
        self.assertLessEqual({(sa, "approve"), (sn, "approve")}, self.case_tasks(ckoch))
        self.assertLessEqual({"instruct-closure", "withdraw"},
                             {t.get("event") for t in ckoch.get_xml(f"/instances/{alert}")
                              .xml().find("transitions")})
        self.assertNotIn((sa, "draft"), self.cases(ckoch))
        self.assertNotIn((sn, "draft"), self.cases(ckoch))
        # ebakker: the alert and the notification received, disseminated to the Nederlandse
        # Arbeidsinspectie; a PQ alert forwarded to the BIG-register, seen as an incoming
        # coordinator sees it (profession and scope, no name).
        ebakker = self.cases(b["Coordinator in NL"])
        for kind in (sa, sn):
            iid = ebakker[(kind, "broadcast")][0]
            rec = b["Coordinator in NL"].get(f"/instances/{iid}?tab=recipients").text
            self.assertIn("Nederlandse Arbeidsinspectie", rec, kind)
            self.assertNotIn((kind, "disseminate"), self.case_tasks(b["Coordinator in NL"]))
        forwarded = ebakker[(pq, "sent")][0]
        page = b["Coordinator in NL"].get(f"/instances/{forwarded}")
        self.assertIn("Suspended for a year.", page.text)
        self.assertNotIn("Jens Hansen", page.text)
        rec = b["Coordinator in NL"].get(f"/instances/{forwarded}?tab=recipients").text
        self.assertIn("BIG-register", rec)
        # sdejong (the BIG-register): every item of it, identity included.
        self.assertIn("Jens Hansen", b["Authority in NL: BIG-register"]
                      .get(f"/instances/{forwarded}").text)
        # iionescu: the alert received and disseminated, the withdrawn one; a notification
        # still to disseminate and a PQ alert to forward, both in My tasks.
        iionescu = self.cases(b["Coordinator in RO"])
        self.assertIn((sa, "broadcast"), iionescu)
        self.assertIn((sa, "withdrawn"), iionescu)
        self.assertLessEqual({(sn, "disseminate"), (pq, "forward")},
                             self.case_tasks(b["Coordinator in RO"]))
        # pvandijk, mdumitru: the disseminated alert, to comment, propose closure, object.
        for who in ("Authority in NL: Nederlandse Arbeidsinspectie", "Authority in RO"):
            self.assertEqual(self.cases(b[who]).get((sa, "broadcast")), [alert], who)
            events = {t.get("event") for t in b[who].get_xml(f"/instances/{alert}").xml()
                      .find("transitions")}
            self.assertLessEqual({"comment", "propose-closure", "object"}, events, who)
        # mlarsen: PQ alerts, a draft, one sent (and forwarded), one closed.
        mlarsen = self.cases(b["Authority in DK: Sundhedsstyrelsen"])
        self.assertEqual({k for k in mlarsen if k[0] == pq},
                         {(pq, "draft"), (pq, "sent"), (pq, "closed")})
        # hadministrator: the alert and the notification the helpdesk closed (the alert on
        # the instruction of the sender's coordinator); no draft.
        hd = b["Helpdesk"]
        me = hd.get_xml("/").xml().find("user").get("name")
        found = self.cases(hd)
        for kind in (sa, sn):
            iid = found[(kind, "closed")][0]
            log = hd.get_xml(f"/instances/{iid}?tab=log").xml().find("log")
            events = [(e.get("event"), e.get("actor")) for e in log.iter("entry")]
            self.assertEqual(events[-1], ("close", me), kind)
            events = [e for e, _ in events]
            if kind == sa:
                self.assertIn("instruct-closure", events)
        self.assertFalse({k for k in found if k[1] in ("draft", "awaiting-approval")})
        # Nobody without a role in the modules sees any of them: not in Search, not by id.
        every = {i for who in b for ids in self.cases(b[who]).values() for i in ids}
        self.assertEqual(len(every), 12)      # 5 + 4 + 3 seeded
        for who in ("NIMIC of DK", "NIMIC of NL", "Handler in NL"):
            nobody = signed_in(self.url, self.user(who))
            self.assertEqual(self.cases(nobody), {}, who)
            for iid in every:
                for path in ("", "?format=xml", "/report"):
                    self.assertEqual(nobody.get(f"/instances/{iid}{path}").status, 404,
                                     (who, iid, path))

    def test_4c_no_internal_code_on_any_page(self):
        """Issue 16: every page of the demo, as each kind of user (every demo user, in their own
        language), says things in words: no module code, no hyphenated state, event, role or
        choice value, no "#ID" in the visible text.  The security log is an audit record of
        what the engine did (its details name modules and events as stored) and is left out.

        In the same crawl, a Danish, Dutch or Romanian user meets no English word that is not
        a name or text a person typed (crawl.english()): every module name, keyword, workflow
        description, label and country reaches them through their catalogue."""
        codes = internal_codes()
        self.assertIn("awaiting-approval", codes)
        self.assertIn("pq-requests", codes)
        typed = typed_texts()
        words = {lang: english_words(lang) for lang in ("da", "nl", "ro")}
        # The rule reads real English: a module name and a keyword are among the words.
        self.assertLessEqual({"qualifications", "requests", "midwives"}, words["da"])
        found, english_found, pages = {}, {}, 0
        langs, checked = set(), 0
        for username, who in self.users.items():
            if not who.startswith(("Helpdesk", "NIMIC", "Coordinator", "Authority", "Handler")):
                continue
            b = signed_in(self.url, username)
            for path, r in crawl(b).items():
                if r.status != 200 or "html" not in (r.header("Content-Type") or ""):
                    continue
                if path.startswith("/admin/security-log"):
                    continue
                pages += 1
                doc = r.html()
                lang = doc.find("html").get("lang")
                langs.add(lang)
                for code in raw_codes(doc, codes):
                    found.setdefault(code, f"{username} {path}")
                if lang in words:
                    checked += 1
                    for word, context in english(doc, words[lang], typed):
                        english_found.setdefault(word.lower(), f"{username} ({lang}) {path}: "
                                                                f"...{context}...")
        print(f"# crawled {pages} pages in {sorted(langs)}, {checked} read for English words",
              file=sys.stderr)
        self.assertGreater(pages, 500)
        self.assertLessEqual({"da", "nl", "ro"}, langs)
        self.assertGreater(checked, 500)
        self.assertEqual(found, {})
        self.assertEqual(english_found, {}, "English words on Danish, Dutch or Romanian pages")

    def test_5_a_second_run_seeds_nothing(self):
        type(self).stop()
        with open(os.path.join(self.dir, "again.out"), "w+") as out:
            p = run_stack(os.path.join(self.dir, "var"), out, foreground=False)
            self.assertEqual(p.wait(timeout=120), 0)
            out.seek(0)
            again = out.read()
        self.assertIn("(bootstrapped on an earlier run)", again)
        self.assertNotIn("seeding demo data", again)
        self.assertIn(self.user("Handler in NL"), again)


if __name__ == "__main__":
    tap.main()
