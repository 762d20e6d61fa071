#!/usr/bin/python3
"""test_request_flows.py -- the paths of an information request beyond draft, send, accept,
answer and close (workflows/information-request.xml), through the pages as the right role on
a real stack: allocation to one Handler, forwarding to another authority, accept and forward
racing, asking for and adding information, splitting questions off, approval of answers,
follow-up questions, referrals to the coordinators, and what Viewers and coordinators see.

Every refusal is checked to write nothing: the request's row, its instance (state, revision,
data), its history, answers, timers, split-off children and the mail outbox are the same
before and after.  Mails are read from the outbox (complete once the transaction committed,
so that "not mailed to X" can be asserted) and, for the recipients that matter, from the SMTP
sink.  Timers, retention, suspension and the scoreboard are test_request_time.py's."""

import os
import re
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
import authorities  # noqa: E402
from people import first_sign_in, signed_in  # noqa: E402
from stack import Stack, mail_text  # noqa: E402

MODULE = "pq-requests"
ROUNDS = 10            # concurrent accept/forward rounds


class RequestFlowsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        # A coordinator per country; Denmark asks; the Netherlands answer three ways (plain,
        # with allocation, with approval of answers); Romania is where requests are forwarded
        # and split to; "Autoritatea X" has no access to the module.
        cls.dkc, dkc_user = cls.register(hd, "DK Koordinator", "DK", "Carl", "Koch")
        cls.nlc, nlc_user = cls.register(hd, "NL Coordinator", "NL", "Eva", "Bakker")
        cls.roc, roc_user = cls.register(hd, "RO Coordonator", "RO", "Ana", "Pop")
        cls.dk, dk_user = cls.register(hd, "Sundhedsstyrelsen", "DK", "Mette", "Larsen")
        cls.nl, cls.nl_user = cls.register(hd, "BIG-register", "NL", "Sanne", "Jong")
        cls.nla, nla_user = cls.register(hd, "CIBG", "NL", "Anouk", "Visser")
        cls.nlp, nlp_user = cls.register(hd, "DUO Diplomas", "NL", "Pieter", "Smit")
        cls.ro, ro_user = cls.register(hd, "Ministerul Sanatatii", "RO", "Ion", "Popescu")
        cls.x, _ = cls.register(hd, "Autoritatea X", "RO", "Maria", "Ionescu")
        for c in (cls.dkc, cls.nlc, cls.roc):
            cls.grant(hd, c, role="coordinator")
        cls.grant(hd, cls.dk, coordinators=[cls.dkc])
        cls.grant(hd, cls.nl, coordinators=[cls.nlc], right_to_refuse=True)
        cls.grant(hd, cls.nla, coordinators=[cls.nlc], allocation=True)
        cls.grant(hd, cls.nlp, coordinators=[cls.nlc], approval_required=True)
        cls.grant(hd, cls.ro, coordinators=[cls.roc])
        cls.dk_b = first_sign_in(s, dk_user, "mette@example.dk")
        cls.nl_b = first_sign_in(s, cls.nl_user, "sanne@example.nl")
        cls.nla_b = first_sign_in(s, nla_user, "anouk@example.nl")     # Handler and Allocator
        cls.nlp_b = first_sign_in(s, nlp_user, "pieter@example.nl")
        cls.ro_b = first_sign_in(s, ro_user, "ion@example.ro")
        cls.dkc_b = first_sign_in(s, dkc_user, "carl@example.dk")
        cls.nlc_b = first_sign_in(s, nlc_user, "eva@example.nl")
        cls.roc_b = first_sign_in(s, roc_user, "ana@example.ro")
        # More users: a Viewer of the requester; two Handlers and an Allocator (only) of CIBG.
        cls.viewer_b = cls.add_user(cls.dk_b, cls.dk, "Viggo", "Dam", "viggo@example.dk", ["viewer"])
        cls.h1_b = cls.add_user(cls.nla_b, cls.nla, "Henk", "Mulder", "henk@example.nl", ["handler"])
        cls.h2_b = cls.add_user(cls.nla_b, cls.nla, "Hanna", "Bos", "hanna@example.nl", ["handler"])
        cls.al_b = cls.add_user(cls.nla_b, cls.nla, "Lotte", "Vos", "lotte@example.nl", ["allocator"])
        cls.codes = [c for (c,) in s.psql("SELECT code FROM questions WHERE module = $1"
                                          " ORDER BY position LIMIT 3", MODULE)]

    # -- set-up helpers ------------------------------------------------------------------

    @classmethod
    def register(cls, b, name, country, first, last):
        return authorities.register(b, name, country, first, last)

    @classmethod
    def grant(cls, b, aid, role="authority", coordinators=(), **settings):
        authorities.grant(b, aid, MODULE, role, coordinators, **settings)

    @classmethod
    def add_user(cls, admin, aid, first, last, email, roles):
        """Its administrator adds a user with these roles in the module; signed in."""
        before = {m.path for m in cls.stack.mails()}
        fields = [("csrf", admin.get("/").html().csrf()), ("first_name", first),
                  ("last_name", last), ("user_email", email), ("language", "en"),
                  ("phone", ""), ("username", ""), ("action", "save")]
        fields += [("role", f"{MODULE}:{r}") for r in roles]
        r = admin.post(f"/authorities/{aid}/users/new", fields)
        assert r.status == 200, (r.status, r.text[-1000:])
        return first_sign_in(cls.stack, r.html().by_id("new-username").text, email, before=before)

    # -- helpers ---------------------------------------------------------------------------

    def psql(self, sql, *params):
        return self.stack.psql(sql, *params)

    def csrf(self, b):
        return b.get("/").html().csrf()

    def uid(self, email):
        return int(self.psql("SELECT id FROM users WHERE email = $1", email)[0][0])

    def draft(self, responder, subject="Diploma of Dr. Jansen", questions=None):
        fields = [("csrf", self.csrf(self.dk_b)), ("module", MODULE), ("responder", str(responder)),
                  ("subject", subject), ("context", "Applies for recognition in Denmark."),
                  ("person_name", "Jan Jansen"), ("person_birth_date", "1980-04-01"),
                  ("person_nationality", "NL"), ("person_registration", "BIG-123"),
                  ("reply_date", "2027-02-01")]
        fields += [("question", c) for c in (self.codes if questions is None else questions)]
        r = self.dk_b.post("/requests/new", fields)
        self.assertEqual(r.status, 303, r.text[-1500:])
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    def sent(self, responder, subject="Diploma of Dr. Jansen"):
        rid = self.draft(responder, subject)
        self.ok(self.dk_b, rid, "send")
        return rid

    def accepted(self, responder, b, subject="Diploma of Dr. Jansen"):
        rid = self.sent(responder, subject)
        self.ok(b, rid, "accept")
        return rid

    def answered(self, responder, b, subject="Diploma of Dr. Jansen"):
        rid = self.accepted(responder, b, subject)
        self.answer_all(b, rid)
        self.ok(b, rid, "answer")
        return rid

    def iid(self, rid):
        return int(self.psql("SELECT instance_id FROM requests WHERE id = $1", rid)[0][0])

    def state(self, rid):
        return self.psql("SELECT i.state FROM requests r JOIN wf_instances i"
                         " ON i.id = r.instance_id WHERE r.id = $1", rid)[0][0]

    def responder(self, rid):
        return int(self.psql("SELECT responder_id FROM requests WHERE id = $1", rid)[0][0])

    def history(self, rid):
        """[(event, from, to, actor authority, inputs as text)] after the start."""
        return self.psql("SELECT h.event, h.from_state, h.to_state, h.actor_authority_id,"
                         "       h.inputs::text FROM wf_history h JOIN requests r"
                         "    ON r.instance_id = h.instance_id WHERE r.id = $1 AND h.seq > 1"
                         " ORDER BY h.seq", rid)

    def events_done(self, rid):
        return [h[0] for h in self.history(rid)]

    def snapshot(self, rid):
        """Everything a transition on the request could write."""
        return self.psql(
            "SELECT i.state, i.rev, i.data::text, r.responder_id, r.allocated_user_id,"
            "       r.agreed_date, r.reply_date, r.closed_at,"
            "       (SELECT count(*) FROM wf_history h WHERE h.instance_id = i.id),"
            "       (SELECT string_agg(q.code || '=' || coalesce(q.answer, ''), ',' ORDER BY q.code)"
            "          FROM request_questions q WHERE q.request_id = r.id),"
            "       (SELECT count(*) FROM requests c WHERE c.parent_id = r.id),"
            "       (SELECT count(*) FROM wf_timers t WHERE t.instance_id = i.id),"
            "       (SELECT count(*) FROM wf_instances), (SELECT count(*) FROM wf_history),"
            "       (SELECT coalesce(max(id), 0) FROM outbox)"
            "  FROM requests r JOIN wf_instances i ON i.id = r.instance_id WHERE r.id = $1", rid)[0]

    def mark(self):
        return int(self.psql("SELECT coalesce(max(id), 0) FROM outbox")[0][0])

    def mailed(self, mark, rid):
        """The recipients of the mails about the request written after mark."""
        return {r for (r,) in self.psql(
            "SELECT recipient FROM outbox WHERE id > $1"
            "   AND body ~ ('/requests/' || $2 || '([^0-9]|$)')", mark, rid)}

    def assert_mailed(self, mark, rid, to=(), not_to=()):
        got = " ".join(self.mailed(mark, rid))
        for addr in to:
            self.assertIn(addr, got)
        for addr in not_to:
            self.assertNotIn(addr, got)

    def wait_mail(self, rid, addr, before):
        """The mail about the request to addr that the SMTP sink received (not among before)."""
        pat = re.compile(rf"/requests/{rid}(\D|$)", re.M)
        return self.stack.wait_mail(lambda m: m.path not in before and addr in m["To"]
                                    and pat.search(mail_text(m)) is not None)

    def model(self, b, rid):
        r = b.get_xml(f"/requests/{rid}")
        return r.root if r.status == 200 else None

    def events(self, b, rid):
        m = self.model(b, rid)
        t = m.find("transitions") if m is not None else None
        return sorted(x.get("event") for x in t) if t is not None else []

    def fire(self, b, rid, event, fields=None):
        """POSTs the transition's form as the page gives it (instance, revision); one who
        cannot see the request posts the revision it had when it last could."""
        m = self.model(b, rid)
        if m is not None:
            t = m.find("transitions")
            iid, rev = t.get("instance"), t.get("rev")
        else:
            iid, rev = self.psql("SELECT i.id, i.rev FROM requests r JOIN wf_instances i"
                                 " ON i.id = r.instance_id WHERE r.id = $1", rid)[0]
        data = {"csrf": self.csrf(b), "rev": rev, "next": f"/requests/{rid}"}
        data.update(fields or {})
        return b.post(f"/instances/{iid}/fire/{event}", data)

    def ok(self, b, rid, event, fields=None):
        r = self.fire(b, rid, event, fields)
        self.assertEqual(r.status, 303, f"{event}: {r.describe(1500)}")
        return r

    def refused(self, b, rid, status, post):
        """post() (a function doing one POST) answers status and writes nothing."""
        before = self.snapshot(rid)
        r = post()
        self.assertEqual(r.status, status, r.describe(1500))
        self.assertEqual(self.snapshot(rid), before)
        return r

    def refused_fire(self, b, rid, event, fields=None, status=403):
        return self.refused(b, rid, status, lambda: self.fire(b, rid, event, fields))

    def answers(self, b, rid):
        qs = {q.get("code"): q.get("type") for q in self.model(b, rid).find("request").find("questions")}
        good = {"yesno": "yes", "date": "2001-06-30", "number": "12", "text": "Registered since 2001"}
        out = {}
        for c, t in qs.items():
            out[f"answer-{c}"] = good.get(t) or self.psql(
                "SELECT options->0->>'value' FROM questions WHERE module = $1 AND code = $2",
                MODULE, c)[0][0]
        return out

    def post_answers(self, b, rid, answers):
        return b.post(f"/requests/{rid}/answers", dict(answers, csrf=self.csrf(b)))

    def answer_all(self, b, rid):
        r = self.post_answers(b, rid, self.answers(b, rid))
        self.assertEqual(r.status, 303, r.describe(1500))

    def split(self, b, rid, authority, questions):
        """The request page's split form: the generic fire URL of "split" with the questions."""
        iid, rev = self.stack.psql("SELECT i.id, i.rev FROM requests r JOIN wf_instances i"
                                   " ON i.id = r.instance_id WHERE r.id = $1", rid)[0]
        fields = [("csrf", self.csrf(b)), ("rev", rev), ("next", f"/requests/{rid}"),
                  ("authority", str(authority))]
        fields += [("question", q) for q in questions]
        return b.post(f"/instances/{iid}/fire/split", fields)

    def tasks(self, b, rid):
        m = b.get_xml("/tasks").root
        return sorted(t.get("kind") for t in m.find("tasks") if t.get("request") == str(rid))

    def listed(self, b, rid):
        m = b.get_xml("/requests").root
        return str(rid) in {x.get("id") for x in m.find("requests")}

    # -- 1. allocation -------------------------------------------------------------------

    def test_01_allocation_to_one_handler(self):
        """Allocation on: the new request is mailed to the Allocators, not the Handlers; an
        Allocator allocates and reassigns; only the allocated Handler (or an Allocator) answers;
        My tasks shows allocate and answer to the right people."""
        h1, h2 = self.uid("henk@example.nl"), self.uid("hanna@example.nl")
        before = {m.path for m in self.stack.mails()}
        mark = self.mark()
        rid = self.sent(self.nla, "Allocated request")
        self.assert_mailed(mark, rid, to=["lotte@example.nl", "anouk@example.nl"],
                           not_to=["henk@example.nl", "hanna@example.nl"])
        self.wait_mail(rid, "lotte@example.nl", before)
        # Sent: whoever of the responder may accept sees it as a task.
        for b in (self.h1_b, self.al_b):
            self.assertEqual(self.tasks(b, rid), ["accept"])
        self.ok(self.al_b, rid, "accept")
        # Accepted, not allocated: the Allocators have "allocate"; no Handler may answer yet.
        self.assertEqual(self.tasks(self.al_b, rid), ["allocate"])
        self.assertEqual(self.tasks(self.nla_b, rid), ["allocate"])
        self.assertEqual(self.tasks(self.h1_b, rid), [])
        self.assertEqual(self.tasks(self.h2_b, rid), [])
        self.assertIsNone(self.model(self.h1_b, rid).find("request/questions").get("may-answer"))
        self.refused(self.h1_b, rid, 403, lambda: self.post_answers(
            self.h1_b, rid, self.answers(self.al_b, rid)))
        self.assertNotIn("allocate", self.events(self.h1_b, rid))
        self.refused_fire(self.h1_b, rid, "allocate", {"handler": str(h1)})
        mark = self.mark()
        self.ok(self.al_b, rid, "allocate", {"handler": str(h1)})
        self.assertEqual(self.psql("SELECT allocated_user_id FROM requests WHERE id = $1", rid),
                         [(str(h1),)])
        # The allocated Handler is told, and no other Handler.
        self.assert_mailed(mark, rid, to=["henk@example.nl"], not_to=["hanna@example.nl"])
        self.assertEqual(self.model(self.dk_b, rid).find("request").get("allocated"), "Henk Mulder")
        self.assertEqual(self.tasks(self.h1_b, rid), ["answer"])
        self.assertEqual(self.tasks(self.h2_b, rid), [])
        self.assertEqual(self.tasks(self.al_b, rid), [])
        # Another Handler: no answer form, and both the answer form and the transition are
        # refused, writing nothing.
        self.assertIsNone(self.model(self.h2_b, rid).find("request/questions").get("may-answer"))
        answers = self.answers(self.h1_b, rid)
        self.refused(self.h2_b, rid, 403, lambda: self.post_answers(self.h2_b, rid, answers))
        self.assertEqual(self.post_answers(self.h1_b, rid, answers).status, 303)
        self.assertNotIn("answer", self.events(self.h2_b, rid))
        self.refused_fire(self.h2_b, rid, "answer")
        # Reassigned to the other Handler: now the first one is refused.
        self.ok(self.al_b, rid, "allocate", {"handler": str(h2)})
        self.assertEqual(self.tasks(self.h2_b, rid), ["answer"])
        self.assertEqual(self.tasks(self.h1_b, rid), [])
        self.refused(self.h1_b, rid, 403, lambda: self.post_answers(self.h1_b, rid, answers))
        self.refused_fire(self.h1_b, rid, "answer")
        # An Allocator may answer too.
        self.assertEqual(self.model(self.al_b, rid).find("request/questions").get("may-answer"),
                         "true")
        self.assertEqual(self.post_answers(self.al_b, rid, answers).status, 303)
        mark = self.mark()
        self.ok(self.h2_b, rid, "answer")
        self.assertEqual(self.state(rid), "answered")
        self.assert_mailed(mark, rid, to=["mette@example.dk"])
        hist = self.history(rid)
        self.assertEqual([h[0] for h in hist], ["send", "accept", "allocate", "allocate", "answer"])
        self.assertIn(f'"handler": "{h1}"', hist[2][4])
        self.assertIn(f'"handler": "{h2}"', hist[3][4])
        self.assertEqual({h[3] for h in hist[1:]}, {str(self.nla)})

    def test_02_allocation_only_to_a_handler_of_the_responder(self):
        """Allocating to someone who is not a Handler of the responder changes nothing."""
        rid = self.accepted(self.nla, self.al_b, "Allocated to nobody")
        for who in (self.uid("lotte@example.nl"), self.uid("sanne@example.nl")):
            before = self.snapshot(rid)
            r = self.fire(self.al_b, rid, "allocate", {"handler": str(who)})
            self.assertNotEqual(r.status, 303)
            self.assertEqual(self.snapshot(rid), before)

    # -- 2. forward ----------------------------------------------------------------------

    def test_03_forward_before_acceptance(self):
        """Forwarded while sent: the new responder sees it and acts, the old one may not."""
        rid = self.sent(self.nl, "Forwarded before acceptance")
        self.ok(self.nl_b, rid, "forward", {"authority": str(self.ro), "reason": "Romanian diploma"})
        self.assertEqual((self.state(rid), self.responder(rid)), ("sent", self.ro))
        # The old responder no longer sees it, nor may act on it: it is not there for it (404).
        self.assertEqual(self.nl_b.get(f"/requests/{rid}").status, 404)
        self.assertFalse(self.listed(self.nl_b, rid))
        self.refused_fire(self.nl_b, rid, "accept", status=404)
        self.refused_fire(self.nl_b, rid, "forward", {"authority": str(self.nla)}, status=404)
        self.assertTrue(self.listed(self.ro_b, rid))
        self.assertIn("accept", self.events(self.ro_b, rid))
        self.assertEqual(self.tasks(self.ro_b, rid), ["accept"])
        self.ok(self.ro_b, rid, "accept")
        self.refused(self.nl_b, rid, 404, lambda: self.post_answers(
            self.nl_b, rid, self.answers(self.ro_b, rid)))
        self.answer_all(self.ro_b, rid)
        self.ok(self.ro_b, rid, "answer")
        hist = self.history(rid)
        self.assertEqual([(h[0], h[3]) for h in hist], [
            ("send", str(self.dk)), ("forward", str(self.nl)), ("accept", str(self.ro)),
            ("answer", str(self.ro))])
        self.assertIn(f'"authority": "{self.ro}"', hist[1][4])

    def test_04_forward_after_acceptance_keeps_every_holder(self):
        """Forwarded once accepted: sent again, to be accepted by the new responder; forwarded
        on again; the history names every holder in turn."""
        rid = self.accepted(self.nl, self.nl_b, "Forwarded after acceptance")
        self.ok(self.nl_b, rid, "forward", {"authority": str(self.ro), "reason": "Wrong country"})
        self.assertEqual((self.state(rid), self.responder(rid)), ("sent", self.ro))
        self.refused_fire(self.nl_b, rid, "forward", {"authority": str(self.nla)}, status=404)
        self.refused(self.nl_b, rid, 404, lambda: self.post_answers(
            self.nl_b, rid, self.answers(self.ro_b, rid)))
        self.ok(self.ro_b, rid, "accept")
        self.ok(self.ro_b, rid, "forward", {"authority": str(self.nla)})
        self.assertEqual((self.state(rid), self.responder(rid)), ("sent", self.nla))
        self.refused_fire(self.ro_b, rid, "accept", status=404)
        self.ok(self.h1_b, rid, "accept")
        hist = self.history(rid)
        self.assertEqual([h[0] for h in hist], ["send", "accept", "forward", "accept", "forward",
                                                "accept"])
        holders = [h[3] for h in hist[1:]]
        self.assertEqual(holders, [str(a) for a in (self.nl, self.nl, self.ro, self.ro, self.nla)])
        self.assertIn(f'"authority": "{self.ro}"', hist[2][4])
        self.assertIn(f'"authority": "{self.nla}"', hist[4][4])
        # The requester sees the way it went on the instance page.
        inst = self.dk_b.get_xml(f"/instances/{self.iid(rid)}").root
        self.assertEqual([e.get("event") for e in inst.find("history")][-3:],
                         ["accept", "forward", "accept"])

    def test_05_forward_to_an_impossible_target_changes_nothing(self):
        """Forwarding to the requester, to itself, to an authority without the module or to
        no authority at all writes nothing, before and after acceptance."""
        rid = self.sent(self.nl, "Forwarded nowhere")
        for state in ("sent", "accepted"):
            self.assertEqual(self.state(rid), state)
            for target in (self.dk, self.nl, self.x, 999999):
                before = self.snapshot(rid)
                r = self.fire(self.nl_b, rid, "forward", {"authority": str(target)})
                self.assertNotEqual(r.status, 303, target)
                self.assertEqual(self.snapshot(rid), before)
            self.assertEqual(self.fire(self.nl_b, rid, "forward", {"authority": ""}).status, 422)
            if state == "sent":
                self.ok(self.nl_b, rid, "accept")

    def test_06_forward_mails_the_new_responder(self):
        """The new responder's Handlers learn of a forwarded request by mail."""
        before = {m.path for m in self.stack.mails()}
        rid = self.sent(self.nl, "Forwarded with mail")
        mark = self.mark()
        self.ok(self.nl_b, rid, "forward", {"authority": str(self.ro)})
        self.assert_mailed(mark, rid, to=["ion@example.ro"])
        self.wait_mail(rid, "ion@example.ro", before)

    def test_07_forward_to_an_impossible_target_shows_the_form_again(self):
        """An impossible target is a form error (422, the form again with the error), not
        a server error."""
        rid = self.sent(self.nl, "Forwarded to the requester")
        for target in (self.dk, self.x):
            r = self.fire(self.nl_b, rid, "forward", {"authority": str(target)})
            self.assertEqual(r.status, 422, target)
            self.assertIsNotNone(r.html().find(class_="error", data_input="authority"))

    # -- 3. concurrency ------------------------------------------------------------------

    def test_08_accept_and_forward_at_once(self):
        """Accept and forward fired at one sent request at the same moment by two sessions:
        exactly one wins, the other is told it changed (409) or is refused (403), or, when the
        request was forwarded away from it, finds it no longer there (404)."""
        other = signed_in(self.stack, self.nl_user)
        winners = []
        for n in range(ROUNDS):
            rid = self.sent(self.nl, f"Race {n}")
            posts = []
            for b, event, fields in ((self.nl_b, "accept", {}),
                                     (other, "forward", {"authority": str(self.ro)})):
                t = self.model(b, rid).find("transitions")
                data = {"csrf": self.csrf(b), "rev": t.get("rev"), "next": f"/requests/{rid}"}
                data.update(fields)
                posts.append((b, f"/instances/{t.get('instance')}/fire/{event}", data, event))
            start = threading.Barrier(len(posts))
            results = {}

            def run(b, path, data, event):
                start.wait()
                results[event] = b.post(path, data).status
            threads = [threading.Thread(target=run, args=p) for p in posts]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual(sorted(results), ["accept", "forward"], n)
            won = [e for e, s in results.items() if s == 303]
            self.assertEqual(len(won), 1, (n, results))
            lost = [s for e, s in results.items() if s != 303]
            # Forwarded first, the request left the accepting authority: no longer there (404).
            self.assertIn(lost[0], (403, 409, 404) if won[0] == "forward" else (403, 409),
                          (n, results))
            self.assertEqual(self.events_done(rid), ["send", won[0]], n)
            self.assertEqual((self.state(rid), self.responder(rid)),
                             ("accepted", self.nl) if won[0] == "accept" else ("sent", self.ro))
            winners.append(won[0])
        # Which side won says whether the race was run; both may win in turn (or not).
        print(f"# accept/forward winners: {winners}", file=sys.stderr)

    # -- 4. more information -------------------------------------------------------------

    def test_09_asking_for_and_adding_information(self):
        """ask-information -> awaiting-information -> provide-information -> accepted, and
        add-information by the requester on its own; the wrong side is refused."""
        rid = self.accepted(self.nl, self.nl_b, "More information")
        self.refused_fire(self.dk_b, rid, "ask-information", {"question": "Which diploma?"})
        mark = self.mark()
        self.ok(self.nl_b, rid, "ask-information", {"question": "A copy of the diploma, please"})
        self.assertEqual(self.state(rid), "awaiting-information")
        self.assert_mailed(mark, rid, to=["mette@example.dk"], not_to=["sanne@example.nl"])
        self.assertEqual(self.tasks(self.dk_b, rid), ["inform"])
        self.assertEqual(self.events(self.nl_b, rid), [])
        self.assertEqual(self.events(self.dk_b, rid), ["provide-information"])
        self.refused_fire(self.nl_b, rid, "provide-information", {"information": "Here"})
        self.refused_fire(self.dk_b, rid, "provide-information", {"information": ""}, status=422)
        mark = self.mark()
        self.ok(self.dk_b, rid, "provide-information", {"information": "Diploma no. 4711"})
        self.assertEqual(self.state(rid), "accepted")
        self.assert_mailed(mark, rid, to=["sanne@example.nl"])
        # On its own, the requester adds information; the responder cannot.
        self.assertIn("add-information", self.events(self.dk_b, rid))
        self.refused_fire(self.nl_b, rid, "add-information", {"information": "From us"})
        mark = self.mark()
        self.ok(self.dk_b, rid, "add-information", {"information": "He also worked in Belgium"})
        self.assertEqual(self.state(rid), "accepted")
        self.assert_mailed(mark, rid, to=["sanne@example.nl"], not_to=["mette@example.dk"])
        hist = self.history(rid)
        self.assertEqual([(h[0], h[1], h[2], h[3]) for h in hist[2:]], [
            ("ask-information", "accepted", "awaiting-information", str(self.nl)),
            ("provide-information", "awaiting-information", "accepted", str(self.dk)),
            ("add-information", "accepted", "accepted", str(self.dk))])
        self.assertIn("Diploma no. 4711", hist[3][4])
        self.assertIn("He also worked in Belgium", hist[4][4])
        data = self.psql("SELECT i.data->>'information-asked', i.data->>'information-provided'"
                         "  FROM requests r JOIN wf_instances i ON i.id = r.instance_id"
                         " WHERE r.id = $1", rid)[0]
        self.assertEqual(data, ("A copy of the diploma, please", "Diploma no. 4711"))

    # -- 5. split ------------------------------------------------------------------------

    def test_10_split_questions_off_to_another_authority(self):
        """Chosen questions move to a new request to another authority, same requester, sent
        at once; each request shows the other; none or all questions, the requester as the
        new responder, or the requester splitting are refused and write nothing."""
        rid = self.accepted(self.nl, self.nl_b, "To be split")
        self.assertIsNotNone(self.nl_b.get(f"/requests/{rid}").html().by_id("split-form"))
        self.assertIsNone(self.dk_b.get(f"/requests/{rid}").html().by_id("split-form"))
        # Impossible choices are form errors: the request page again (422), nothing written.
        self.refused(self.nl_b, rid, 422, lambda: self.split(self.nl_b, rid, self.ro, []))
        self.refused(self.nl_b, rid, 422, lambda: self.split(self.nl_b, rid, self.ro, self.codes))
        self.refused(self.nl_b, rid, 422, lambda: self.split(self.nl_b, rid, self.dk, self.codes[:1]))
        self.refused(self.nl_b, rid, 422, lambda: self.split(self.nl_b, rid, self.x, self.codes[:1]))
        self.refused(self.dk_b, rid, 403, lambda: self.split(self.dk_b, rid, self.ro, self.codes[:1]))
        # An authority that is no party: the request is not there for it.
        self.refused(self.ro_b, rid, 404, lambda: self.split(self.ro_b, rid, self.ro, self.codes[:1]))
        before = {m.path for m in self.stack.mails()}
        mark = self.mark()
        moved = self.codes[1:]
        r = self.split(self.nl_b, rid, self.ro, moved)
        self.assertEqual(r.status, 303, r.describe(1500))
        self.assertEqual(r.location_path, f"/requests/{rid}")
        (child, requester, responder, subject), = self.psql(
            "SELECT id, requester_id, responder_id, subject FROM requests WHERE parent_id = $1", rid)
        child = int(child)
        self.assertEqual((int(requester), int(responder), subject),
                         (self.dk, self.ro, "To be split"))
        self.assertEqual(self.state(child), "sent")
        self.assertEqual(self.state(rid), "accepted")
        qs = lambda r: [c for (c,) in self.psql(
            "SELECT code FROM request_questions WHERE request_id = $1 ORDER BY position", r)]
        self.assertEqual(qs(rid), self.codes[:1])
        self.assertEqual(sorted(qs(child)), sorted(moved))
        self.assertEqual(self.events_done(rid)[-1], "split")
        self.assertIn(f'"authority": "{self.ro}"', self.history(rid)[-1][4])
        self.assertEqual(self.psql("SELECT h.event, h.actor_kind FROM wf_history h JOIN requests r"
                                   " ON r.instance_id = h.instance_id WHERE r.id = $1 ORDER BY seq",
                                   child), [("start", "user"), ("split-off", "system")])
        # The new responder is told; the requester is told of the split.
        self.assert_mailed(mark, child, to=["ion@example.ro"])
        self.assert_mailed(mark, rid, to=["mette@example.dk"])
        self.wait_mail(child, "ion@example.ro", before)
        # Each page shows the other; the new responder can act on the new one only.
        rel = self.model(self.dk_b, rid).find("request").findall("related")
        self.assertEqual([(x.get("id"), x.get("relation")) for x in rel], [(str(child), "child")])
        for b in (self.dk_b, self.ro_b):
            rel = self.model(b, child).find("request").findall("related")
            self.assertEqual([(x.get("id"), x.get("relation")) for x in rel], [(str(rid), "parent")])
        self.assertEqual(self.ro_b.get(f"/requests/{rid}").status, 404)
        self.assertEqual(self.tasks(self.ro_b, child), ["accept"])
        self.ok(self.ro_b, child, "accept")
        # Accepted, the new request is reminded of the reply date it shares with its parent
        # (two days before), not at once.
        due = lambda r: self.psql("SELECT t.due_at FROM wf_timers t JOIN requests r"
                                  " ON r.instance_id = t.instance_id WHERE r.id = $1"
                                  " AND t.name = 'reply-reminder'", r)
        self.assertEqual(due(child), due(rid))

    # -- 6. answer approval --------------------------------------------------------------

    def test_11_answer_approval_by_the_responders_coordinator(self):
        """Approval required for replies: submit-answer -> answer-awaiting-approval;
        return-answer (with a comment) and approve-answer by an Approver of the responder's
        coordinator only."""
        rid = self.accepted(self.nlp, self.nlp_b, "Answer to approve")
        self.answer_all(self.nlp_b, rid)
        ev = self.events(self.nlp_b, rid)
        self.assertIn("submit-answer", ev)
        self.assertNotIn("answer", ev)
        self.refused_fire(self.nlp_b, rid, "answer")
        mark = self.mark()
        self.ok(self.nlp_b, rid, "submit-answer")
        self.assertEqual(self.state(rid), "answer-awaiting-approval")
        self.assert_mailed(mark, rid, to=["eva@example.nl"],
                           not_to=["carl@example.dk", "mette@example.dk"])
        self.assertEqual(self.tasks(self.nlc_b, rid), ["approve"])
        # The answers are frozen while they wait for approval.
        self.refused(self.nlp_b, rid, 403, lambda: self.post_answers(
            self.nlp_b, rid, {f"answer-{c}": "" for c in self.codes}))
        self.assertEqual(self.tasks(self.dkc_b, rid), [])
        for b in (self.dkc_b, self.roc_b, self.nlp_b, self.dk_b):
            # An unrelated coordinator does not see the request at all: 404.
            status = 404 if b is self.roc_b else 403
            self.refused_fire(b, rid, "approve-answer", status=status)
            self.refused_fire(b, rid, "return-answer", {"comment": "No"}, status=status)
        self.assertEqual(self.events(self.nlc_b, rid), ["approve-answer", "return-answer"])
        # A missing comment brings the coordinator its form again, with the error.
        r = self.refused_fire(self.nlc_b, rid, "return-answer", {"comment": ""}, status=422)
        self.assertEqual(r.html().find(class_="error", data_input="comment").get("data-rule"),
                         "required")
        mark = self.mark()
        self.ok(self.nlc_b, rid, "return-answer", {"comment": "The date is not the diploma's"})
        self.assertEqual(self.state(rid), "accepted")
        self.assert_mailed(mark, rid, to=["pieter@example.nl"], not_to=["mette@example.dk"])
        self.assertEqual(self.psql("SELECT i.data->>'comment' FROM requests r JOIN wf_instances i"
                                   " ON i.id = r.instance_id WHERE r.id = $1", rid),
                         [("The date is not the diploma's",)])
        self.ok(self.nlp_b, rid, "submit-answer")
        mark = self.mark()
        self.ok(self.nlc_b, rid, "approve-answer")
        self.assertEqual(self.state(rid), "answered")
        self.assert_mailed(mark, rid, to=["mette@example.dk", "pieter@example.nl"])
        self.assertEqual([(h[0], h[3]) for h in self.history(rid)], [
            ("send", str(self.dk)), ("accept", str(self.nlp)), ("submit-answer", str(self.nlp)),
            ("return-answer", str(self.nlc)), ("submit-answer", str(self.nlp)),
            ("approve-answer", str(self.nlc))])
        self.assertIsNotNone(self.psql("SELECT i.data->>'answered-at' FROM requests r JOIN"
                                       " wf_instances i ON i.id = r.instance_id WHERE r.id = $1",
                                       rid)[0][0])

    # -- 7. follow-up and referral -------------------------------------------------------

    def test_12_follow_up_with_a_new_reply_date(self):
        """answered -> follow-up (requester's Handler, new reply date) -> accepted, the new
        date shown; the responder may not."""
        rid = self.answered(self.nl, self.nl_b, "Follow-up")
        self.refused(self.nl_b, rid, 403, lambda: self.post_answers(
            self.nl_b, rid, {f"answer-{c}": "" for c in self.codes}))
        self.refused_fire(self.nl_b, rid, "follow-up", {"question": "?", "reply-date": "2027-05-01"})
        self.refused_fire(self.dk_b, rid, "follow-up", {"question": "And in 2010?"}, status=422)
        self.refused_fire(self.dk_b, rid, "follow-up", {"question": "And in 2010?",
                                                        "reply-date": "2027-13-45"}, status=422)
        mark = self.mark()
        self.ok(self.dk_b, rid, "follow-up", {"question": "Was he registered in 2010?",
                                              "reply-date": "2027-05-01"})
        self.assertEqual(self.state(rid), "accepted")
        self.assert_mailed(mark, rid, to=["sanne@example.nl"])
        page = self.nl_b.get(f"/requests/{rid}").html()
        # Dates as the reader's language writes them (English here).
        self.assertEqual(page.find(data_field="reply-date").text, "1 May 2027")
        self.assertEqual(page.find(data_field="agreed-date").text, "1 May 2027")
        self.assertEqual(self.tasks(self.nl_b, rid), ["answer"])
        self.ok(self.nl_b, rid, "answer")
        self.assertEqual(self.events_done(rid), ["send", "accept", "answer", "follow-up", "answer"])

    def test_13_referral_after_an_answer(self):
        """refer from answered by either side's Handler; send-back and close-referral by an
        Approver of either linked coordinator; an unrelated coordinator is refused."""
        rid = self.answered(self.nl, self.nl_b, "Referred after answer")
        mark = self.mark()
        self.ok(self.nl_b, rid, "refer", {"reason": "They ask for more than the law allows"})
        self.assertEqual(self.state(rid), "referred")
        self.assert_mailed(mark, rid, to=["carl@example.dk", "eva@example.nl"],
                           not_to=["ana@example.ro"])
        for b in (self.roc_b, self.dk_b, self.nl_b, self.viewer_b):
            # An unrelated coordinator does not see the request at all: 404.
            status = 404 if b is self.roc_b else 403
            self.refused_fire(b, rid, "send-back", {"comment": "Try again"}, status=status)
            self.refused_fire(b, rid, "close-referral", {"comment": "Closed"}, status=status)
        self.assertEqual(self.events(self.dkc_b, rid), ["close-referral", "send-back"])
        r = self.refused_fire(self.dkc_b, rid, "send-back", {"comment": ""}, status=422)
        self.assertIsNotNone(r.html().find(class_="error", data_input="comment"))
        mark = self.mark()
        self.ok(self.dkc_b, rid, "send-back", {"comment": "Answer question 2 once more"})
        self.assertEqual(self.state(rid), "accepted")
        self.assert_mailed(mark, rid, to=["mette@example.dk", "sanne@example.nl"])
        self.ok(self.nl_b, rid, "answer")
        self.ok(self.dk_b, rid, "refer", {"reason": "The answer is incomplete"})
        self.refused_fire(self.roc_b, rid, "close-referral", {"comment": "Closed"}, status=404)
        self.ok(self.nlc_b, rid, "close-referral", {"comment": "The answer suffices"})
        self.assertEqual(self.state(rid), "closed")
        self.assertIsNotNone(self.psql("SELECT closed_at FROM requests WHERE id = $1", rid)[0][0])
        self.assertEqual([(h[0], h[3]) for h in self.history(rid)[3:]], [
            ("refer", str(self.nl)), ("send-back", str(self.dkc)), ("answer", str(self.nl)),
            ("refer", str(self.dk)), ("close-referral", str(self.nlc))])

    def test_14_referral_after_a_refusal(self):
        """refer from refused by either side's Handler; sent back by the responder's
        coordinator, closed by the requester's."""
        rid = self.sent(self.nl, "Referred after refusal")
        self.ok(self.nl_b, rid, "refuse", {"reason": "Not our competence"})
        self.refused_fire(self.nlc_b, rid, "refer", {"reason": "No"})
        self.ok(self.dk_b, rid, "refer", {"reason": "It is your competence"})
        self.refused_fire(self.roc_b, rid, "send-back", {"comment": "Try again"}, status=404)
        self.ok(self.nlc_b, rid, "send-back", {"comment": "It is; please answer"})
        self.assertEqual(self.state(rid), "accepted")
        self.ok(self.nl_b, rid, "refuse", {"reason": "Still not ours"})
        self.ok(self.nl_b, rid, "refer", {"reason": "Please decide"})
        self.refused_fire(self.roc_b, rid, "close-referral", {"comment": "Closed"}, status=404)
        self.ok(self.dkc_b, rid, "close-referral", {"comment": "Agreed: not theirs"})
        self.assertEqual(self.state(rid), "closed")
        self.assertEqual([(h[0], h[3]) for h in self.history(rid)], [
            ("send", str(self.dk)), ("refuse", str(self.nl)), ("refer", str(self.dk)),
            ("send-back", str(self.nlc)), ("refuse", str(self.nl)), ("refer", str(self.nl)),
            ("close-referral", str(self.dkc))])

    # -- 8. viewers and coordinators -----------------------------------------------------

    def test_15_a_viewer_sees_but_cannot_act(self):
        """A Viewer of the requester sees its requests (list and page) with no actions, once
        they left their author's draft; every POST is refused with 403 and writes nothing."""
        rid = self.draft(self.nl, "Seen by a viewer")
        v = self.viewer_b

        def no_actions():
            self.assertTrue(self.listed(v, rid))
            self.assertEqual(self.events(v, rid), [])
            page = v.get(f"/requests/{rid}")
            self.assertEqual(page.status, 200)
            forms = [f.get("action") for f in page.html().find_all("form")
                     if f.get("method") == "post"]
            self.assertEqual([a for a in forms if a != "/logout"], [])
        # A draft is its author's alone: not listed, not there (404).
        self.assertFalse(self.listed(v, rid))
        self.assertEqual(v.get(f"/requests/{rid}").status, 404)
        self.refused_fire(v, rid, "send", status=404)
        self.refused_fire(v, rid, "delete", status=404)
        self.ok(self.dk_b, rid, "send")
        no_actions()
        self.refused_fire(v, rid, "withdraw")
        self.ok(self.nl_b, rid, "accept")
        no_actions()
        self.refused_fire(v, rid, "add-information", {"information": "From a viewer"})
        self.refused(v, rid, 403, lambda: self.post_answers(v, rid, self.answers(self.nl_b, rid)))
        self.refused(v, rid, 403, lambda: self.split(v, rid, self.ro, self.codes[:1]))
        self.answer_all(self.nl_b, rid)
        self.ok(self.nl_b, rid, "answer")
        no_actions()
        self.refused_fire(v, rid, "close", {"timeliness": "satisfied", "effort": "satisfied"})
        self.refused_fire(v, rid, "follow-up", {"question": "?", "reply-date": "2027-05-01"})
        self.refused_fire(v, rid, "refer", {"reason": "Viewer"})
        # Nor a new request.
        n = self.psql("SELECT count(*) FROM requests")
        r = v.post("/requests/new", [("csrf", self.csrf(v)), ("module", MODULE),
                                     ("responder", str(self.nl)), ("subject", "By a viewer"),
                                     ("reply_date", "2027-02-01"), ("question", self.codes[0])])
        self.assertEqual(r.status, 403)
        self.assertEqual(self.psql("SELECT count(*) FROM requests"), n)

    def test_16_coordinators_see_their_linked_authorities_requests(self):
        """A coordinator sees the requests of the authorities it is linked to (as requester or
        responder), and no others."""
        rid = self.sent(self.nl, "Seen by coordinators")
        rid_a = self.sent(self.nla, "Seen by the NL coordinator")
        rid_r = self.sent(self.ro, "Seen by the RO coordinator")
        for b, seen, unseen in ((self.dkc_b, [rid, rid_a, rid_r], []),
                                (self.nlc_b, [rid, rid_a], [rid_r]),
                                (self.roc_b, [rid_r], [rid, rid_a])):
            for r in seen:
                self.assertTrue(self.listed(b, r), (b, r))
                self.assertEqual(b.get(f"/requests/{r}").status, 200)
                self.assertEqual(b.get(f"/instances/{self.iid(r)}").status, 200)
            for r in unseen:
                self.assertFalse(self.listed(b, r), (b, r))
                self.assertEqual(b.get(f"/requests/{r}").status, 404)
                self.assertEqual(b.get(f"/instances/{self.iid(r)}").status, 404)
        # The responder's coordinator sees nothing of a draft.
        draft = self.draft(self.nl, "Not yet for the NL coordinator")
        self.assertFalse(self.listed(self.nlc_b, draft))
        self.assertEqual(self.nlc_b.get(f"/requests/{draft}").status, 404)
        self.assertEqual(self.nlc_b.get(f"/instances/{self.iid(draft)}").status, 404)
        # Nor does the requester's: a draft is its author's alone until submitted.
        self.assertFalse(self.listed(self.dkc_b, draft))
        self.assertEqual(self.dkc_b.get(f"/requests/{draft}").status, 404)
        # Seeing is not acting: a coordinator is no party to accept or withdraw.
        self.assertEqual(self.events(self.nlc_b, rid), [])
        self.refused_fire(self.nlc_b, rid, "accept")
        self.refused_fire(self.dkc_b, rid, "withdraw")


if __name__ == "__main__":
    tap.main()
