#!/usr/bin/python3
"""test_send_email.py -- Administration -> Send e-mail end to end (issue 15 section 2; seeds 001
section 3.1.3 and 002): who may send (Administrators of an Access Manager), "My authorities only"
(the authorities one's authority manages) and who may switch it off (NIMICs: their country; the
helpdesk: every country; another Access Manager: refused with 403), a crafted POST with ids
outside that refused with 403 and nothing recorded or queued, the preview's counts, the mail as it
arrives in the SMTP sink -- to each chosen active authority's contact address and its
Administrators, the fixed subject "Message from your IMI Coordinator" and the real-sender header
in each of the four languages, plain text only -- inactive authorities skipped, the record of
every sending and the list of sent messages with queued and delivered counts, the search by
module, and a 10,000-recipient sending queued by one transaction."""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import Stack, mail_text  # noqa: E402

SUBJECTS = {"en": "Message from your IMI Coordinator",
            "da": "Meddelelse fra din IMI-koordinator",
            "nl": "Bericht van uw IMI-coördinator",
            "ro": "Mesaj de la coordonatorul dumneavoastră IMI"}
# The header's opening words in each language (xslt/i18n, mail.send-email.header).
HEADERS = {"en": "This message was written by {name} of {authority} ({country}), registered in "
                 "IMI with the e-mail address {email}",
           "da": "Denne meddelelse er skrevet af {name} fra {authority} ({country}), registreret "
                 "i IMI med e-mailadressen {email}",
           "nl": "Dit bericht is geschreven door {name} van {authority} ({country}), in IMI "
                 "geregistreerd met het e-mailadres {email}",
           "ro": "Acest mesaj a fost scris de {name} din partea {authority} ({country}), "
                 "înregistrat în IMI cu adresa de e-mail {email}"}
MESSAGE = ("Dear colleagues,\r\n\r\nthe national contact list is updated: "
           "https://imi.example/contacts?x=1&y=2\r\n\r\n"
           "Please check your entry. <b>Not bold</b> & <script>alert(1)</script>\r\n")


def q(stack, sql, *params):
    """stack.psql with %s placeholders, numbered in order."""
    n = iter(range(1, len(params) + 1))
    return stack.psql(re.sub(r"%s", lambda m: f"${next(n)}", sql), *params)


class SendEmailTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000)
        s.start()
        cls.addClassCleanup(s.stop)
        hd_user = s.bootstrap(country="BE")
        cls.hd = first_sign_in(s, hd_user, "helpdesk@imiflow.invalid")
        cls.hd_id = int(q(s, "SELECT id FROM authorities WHERE is_helpdesk")[0][0])
        # The NIMIC of Denmark: registered by the helpdesk, it registers (and so manages) the rest.
        cls.dk_id, dk_user = cls.register(cls.hd, "Erhvervsstyrelsen", "DK", "nimic", "Dorte",
                                          "Jensen", "en")
        cls.dk = first_sign_in(s, dk_user, "dorte.jensen@example.dk")
        # Managed by the NIMIC, one Administrator each, in each of the four languages.
        cls.managed = {}
        for name, first, lang in (("Sundhedsstyrelsen", "Mette", "da"),
                                  ("Arbejdstilsynet", "Anna", "nl"),
                                  ("Naturstyrelsen", "Ion", "ro"),
                                  ("Datatilsynet", "Emma", "en")):
            aid, user = cls.register(cls.dk, name, "DK", "competent-authority", first, "Admin",
                                     lang)
            cls.managed[name] = (aid, user, f"{first}.admin@example.dk".lower(), lang)
        # Managed too, but deactivated: nothing may reach it.
        cls.inactive_id, _ = cls.register(cls.dk, "Nedlagt Tilsyn", "DK", "competent-authority",
                                          "Nina", "Nedlagt", "en")
        # Its accesses first (the horizontal Registers one it got at registration).
        for iid, rev in q(s, "SELECT i.id, i.rev FROM module_accesses m JOIN wf_instances i"
                             " ON i.id = m.instance_id WHERE m.authority_id = %s"
                             " AND i.state = 'granted'", cls.inactive_id):
            r = cls.dk.post(f"/instances/{iid}/fire/suspend",
                            {"csrf": cls.dk.get("/").html().csrf(), "rev": rev, "next": "/"})
            assert r.status == 303, r.describe()
        iid, rev = q(s, "SELECT i.id, i.rev FROM authorities a JOIN wf_instances i"
                        " ON i.id = a.instance_id WHERE a.id = %s", cls.inactive_id)[0]
        r = cls.dk.post(f"/instances/{iid}/fire/deactivate",
                        {"csrf": cls.dk.get("/").html().csrf(), "rev": rev, "next": "/"})
        assert r.status == 303, r.describe()
        # Danish, but managed by the helpdesk, not by the NIMIC.
        cls.other_id, _ = cls.register(cls.hd, "Soefartsstyrelsen", "DK", "competent-authority",
                                       "Sofie", "Soe", "en")
        # A Romanian authority the helpdesk manages.
        cls.ro_id, _ = cls.register(cls.hd, "Autoritatea Romana", "RO", "competent-authority",
                                    "Radu", "Roman", "ro")
        # An Access Manager that is no NIMIC (the helpdesk said so), managing one authority.
        cls.am_id, am_user = cls.register(cls.dk, "Styrelsen for Forsyning", "DK",
                                          "coordinator-national", "Carl", "Koch", "en")
        q(s, "UPDATE authorities SET is_access_manager = true WHERE id = %s", cls.am_id)
        q(s, "INSERT INTO authority_managers (authority_id, manager_id) VALUES (%s, %s)",
          cls.managed["Datatilsynet"][0], cls.am_id)
        cls.am = first_sign_in(s, am_user, "carl.koch@example.dk")
        # An Administrator of an authority that manages nothing.
        aid, user, email, _ = cls.managed["Sundhedsstyrelsen"]
        cls.plain = first_sign_in(s, user, email)

    # -- helpers ------------------------------------------------------------------------

    @classmethod
    def register(cls, b, name, country, kind, first, last, language):
        page = b.get("/admin/authorities/new")
        assert page.status == 200, page.status
        r = b.post("/admin/authorities/new", {
            "csrf": page.html().csrf(), "official_name": name, "informal_title": "",
            "country": country, "address": "Street 1", "phone": "+45 0000 0000",
            "email": f"office@{re.sub('[^a-z]', '', name.lower())}.example",
            "website": "", "authority_type": kind, "first_name": first, "last_name": last,
            "user_email": f"{first}.{last}@example.{country.lower()}".lower(),
            "language": language, "username": ""})
        assert r.status == 200, (r.status, r.text[-2000:])
        aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
        return aid, r.html().by_id("new-username").text

    def csrf(self, b):
        return b.get("/").html().csrf()

    def found(self, b, query=""):
        r = b.get_xml("/admin/send-email" + query)
        self.assertEqual(r.status, 200, r.describe())
        return {int(e.get("id")) for e in r.xml().iter("result")}, r.xml()

    def post(self, b, ids=(), action="send", mine="yes", to="chosen", message=MESSAGE, **crit):
        fields = [("csrf", self.csrf(b)), ("mine", mine), ("to", to), ("action", action),
                  ("message", message)] + [("authority", str(i)) for i in ids]
        fields += [(k, v) for k, v in crit.items()]
        return b.post("/admin/send-email", fields)

    def counts(self):
        return q(self.stack, "SELECT (SELECT count(*) FROM sent_messages),"
                             " (SELECT count(*) FROM outbox WHERE template = 'send-email')")[0]

    def names(self, *names):
        return {self.managed[n][0] for n in names}

    # -- who may send, and to whom ------------------------------------------------------

    def test_01_menu_only_for_access_managers(self):
        self.assertIsNotNone(self.dk.get("/").html().by_id("nav-send-email"))
        self.assertIsNotNone(self.am.get("/").html().by_id("nav-send-email"))
        self.assertIsNone(self.plain.get("/").html().by_id("nav-send-email"))
        r = self.plain.get("/admin/send-email")
        self.assertEqual(r.status, 403)
        before = self.counts()
        r = self.post(self.plain, [self.managed["Sundhedsstyrelsen"][0]])
        self.assertEqual(r.status, 403)
        self.assertEqual(self.counts(), before)

    def test_02_my_authorities_only_by_default(self):
        ids, model = self.found(self.dk)
        crit = model.find("criteria")
        self.assertEqual(crit.get("mine"), "yes")
        self.assertEqual(crit.get("may-widen"), "true")
        # The active authorities the NIMIC manages; not the deactivated one, not the others.
        self.assertEqual(ids, self.names("Sundhedsstyrelsen", "Arbejdstilsynet", "Naturstyrelsen",
                                         "Datatilsynet") | {self.am_id})
        # A radio "No" is offered to a NIMIC only.
        self.assertIsNotNone(self.dk.get("/admin/send-email").html().by_id("mine-no"))
        self.assertIsNone(self.am.get("/admin/send-email").html().by_id("mine-no"))
        ids, model = self.found(self.am)
        self.assertEqual(ids, self.names("Datatilsynet"))
        self.assertIsNone(model.find("criteria").get("may-widen"))

    def test_03_nimic_and_helpdesk_may_widen(self):
        ids, _ = self.found(self.dk, "?mine=no")
        self.assertIn(self.other_id, ids)            # of its country, managed by another
        self.assertIn(self.dk_id, ids)
        self.assertNotIn(self.ro_id, ids)            # not of another country
        self.assertNotIn(self.inactive_id, ids)
        ids, _ = self.found(self.hd, "?mine=no")
        self.assertTrue({self.other_id, self.ro_id, self.dk_id} <= ids)
        ids, _ = self.found(self.hd, "?mine=no&country=RO")
        self.assertEqual(ids, {self.ro_id})
        ids, _ = self.found(self.hd)                 # the helpdesk manages what it registered
        self.assertEqual(ids, {self.dk_id, self.other_id, self.ro_id})

    def test_04_other_access_manager_may_not_widen(self):
        before = self.counts()
        self.assertEqual(self.am.get("/admin/send-email?mine=no").status, 403)
        r = self.post(self.am, [self.managed["Datatilsynet"][0]], mine="no")
        self.assertEqual(r.status, 403)
        r = self.post(self.am, [], mine="no", to="all")
        self.assertEqual(r.status, 403)
        self.assertEqual(self.counts(), before)

    def test_05_crafted_post_is_refused_and_sends_nothing(self):
        before = self.counts()
        mails = len(self.stack.mails())
        # An authority of its country the NIMIC does not manage, with "My authorities only".
        r = self.post(self.dk, [self.managed["Datatilsynet"][0], self.other_id])
        self.assertEqual(r.status, 403, r.describe())
        # Widened, but an authority of another country.
        r = self.post(self.dk, [self.ro_id], mine="no")
        self.assertEqual(r.status, 403)
        # An Access Manager reaching past what it manages.
        r = self.post(self.am, [self.managed["Sundhedsstyrelsen"][0]])
        self.assertEqual(r.status, 403)
        # A preview is refused the same way.
        r = self.post(self.am, [self.other_id], action="preview")
        self.assertEqual(r.status, 403)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.counts(), before)
        time.sleep(1)
        self.assertEqual(len(self.stack.mails()), mails)

    def test_06_preview_counts_authorities_and_people(self):
        before = self.counts()
        r = self.post(self.dk, self.names("Sundhedsstyrelsen", "Arbejdstilsynet"),
                      action="preview")
        self.assertEqual(r.status, 200, r.describe())
        p = r.html().by_id("send-email-preview")
        # Two authorities: two contact addresses and two Administrators.
        self.assertEqual((p.get("data-authorities"), p.get("data-people")), ("2", "4"))
        # The choice and the text are kept for the sending.
        doc = r.html()
        self.assertIsNotNone(doc.by_id(f"authority-{self.managed['Sundhedsstyrelsen'][0]}")
                             .get("checked"))
        self.assertIsNone(doc.by_id(f"authority-{self.managed['Datatilsynet'][0]}")
                          .get("checked"))
        self.assertIn("national contact list", doc.by_id("message").text)
        # The whole search: 5 authorities, each with its contact address and Administrator.
        found = doc.by_id("send-email-found")
        self.assertEqual((found.get("data-authorities"), found.get("data-people")), ("5", "10"))
        self.assertEqual(self.counts(), before)

    def test_07_refusals_of_the_form(self):
        before = self.counts()
        r = self.post(self.dk, [])
        self.assertEqual(r.status, 422)
        self.assertEqual(r.html().by_id("send-email-error").get("data-error"), "none-chosen")
        r = self.post(self.dk, self.names("Datatilsynet"), message=" \r\n ")
        self.assertEqual(r.html().by_id("send-email-error").get("data-error"), "required")
        r = self.post(self.dk, self.names("Datatilsynet"), message="x" * 10001)
        self.assertEqual(r.status, 422)
        self.assertEqual(r.html().by_id("send-email-error").get("data-error"), "too-long")
        # Control characters never reach the form: the HTTP layer refuses them (400).
        for bad in ("bell \x07", "next line \u0085 here"):
            r = self.post(self.dk, self.names("Datatilsynet"), message=bad)
            self.assertEqual(r.status, 400, repr(bad))
        # Only the deactivated authority chosen: nothing to send, nothing recorded.
        r = self.post(self.dk, [self.inactive_id])
        self.assertEqual(r.status, 422)
        self.assertEqual(r.html().by_id("send-email-error").get("data-error"), "no-recipients")
        self.assertEqual(self.counts(), before)

    def test_08_mail_in_four_languages_and_the_record(self):
        chosen = self.names("Sundhedsstyrelsen", "Arbejdstilsynet", "Naturstyrelsen",
                            "Datatilsynet") | {self.inactive_id}
        before = {m.path for m in self.stack.mails()}
        r = self.post(self.dk, chosen)
        self.assertEqual(r.status, 303, r.describe())
        mid = int(re.fullmatch(r"/admin/sent-emails/(\d+)", r.location_path).group(1))
        # The record: who, when, to whom, the text -- the inactive authority is not among them.
        row = q(self.stack, "SELECT sender_user_id, sender_authority_id, sender_name,"
                            " sender_email, body, widened FROM sent_messages WHERE id = %s", mid)
        uid = q(self.stack, "SELECT id FROM users WHERE email = 'dorte.jensen@example.dk'")[0][0]
        self.assertEqual(row, [(uid, str(self.dk_id), "Dorte Jensen", "dorte.jensen@example.dk",
                                MESSAGE.replace("\r\n", "\n"), "f")])
        got = {int(a) for (a,) in q(self.stack, "SELECT authority_id FROM"
                                    " sent_message_authorities WHERE message_id = %s", mid)}
        self.assertEqual(got, chosen - {self.inactive_id})
        rcpt = q(self.stack, "SELECT email, language, user_id IS NULL FROM"
                             " sent_message_recipients WHERE message_id = %s ORDER BY email", mid)
        self.assertEqual(len(rcpt), 8)
        self.assertEqual(q(self.stack, "SELECT count(*) FROM outbox o JOIN sent_message_recipients"
                                       " r ON r.mail_id = o.message_id WHERE r.message_id = %s"
                                       " AND o.template = 'send-email'", mid), [("8",)])
        # Each Administrator reads it in their language, header above the message.
        for name, (aid, _u, email, lang) in self.managed.items():
            m = self.stack.wait_mail(lambda m, e=email: m.path not in before and e in m["To"],
                                     timeout=30)
            self.assertEqual(m["Subject"], SUBJECTS[lang], (name, lang))
            self.assertEqual(m["Reply-To"], "dorte.jensen@example.dk")
            self.assertEqual(m.get_content_type(), "text/plain")
            self.assertFalse([p for p in m.walk() if p.get_content_type() == "text/html"])
            text = mail_text(m)
            header = HEADERS[lang].format(name="Dorte Jensen", authority="Erhvervsstyrelsen",
                                          country="Denmark", email="dorte.jensen@example.dk")
            self.assertTrue(text.startswith(header), (lang, text[:300]))
            # The message as written: paragraphs, the link, markup as plain characters.
            self.assertIn("Dear colleagues,\n\nthe national contact list is updated: "
                          "https://imi.example/contacts?x=1&y=2\n\n", text)
            self.assertIn("<b>Not bold</b> & <script>alert(1)</script>", text)
            self.assertLess(text.index(header), text.index("Dear colleagues"))
            # Its authority's contact address: the country's language, Danish.
            office = f"office@{name.lower()}.example"
            m = self.stack.wait_mail(lambda m, e=office: m.path not in before and e in m["To"],
                                     timeout=30)
            self.assertEqual(m["Subject"], SUBJECTS["da"])
        # Nothing to the deactivated authority.
        time.sleep(1)
        new = [m for m in self.stack.mails() if m.path not in before]
        self.assertFalse([m for m in new if "nedlagt" in m["To"].lower()])
        self.assertEqual(len([m for m in new if m["Subject"] in SUBJECTS.values()]), 8)
        # The list of sent messages, for the sender's authority's Administrators.
        deadline = time.monotonic() + 30
        while True:
            r = self.dk.get_xml("/admin/sent-emails")
            m = next(e for e in r.xml().iter("message") if e.get("id") == str(mid))
            if m.get("delivered") == "8" or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        self.assertEqual((m.get("authorities"), m.get("queued"), m.get("delivered"),
                          m.get("waiting"), m.get("failed")), ("4", "8", "8", "0", "0"))
        page = self.dk.get(f"/admin/sent-emails/{mid}").html()
        self.assertEqual(page.by_id("sent-email-counts").find("td", **{"data-delivered": "8"})
                         .text, "8")
        self.assertIn("<script>alert(1)</script>", page.by_id("sent-email-text").text)
        self.assertIn("Dorte Jensen", page.by_id("sent-email-sender").text)
        self.assertEqual({int(li.get("data-authority")) for li in
                          page.by_id("sent-email-authorities").find_all("li")},
                         chosen - {self.inactive_id})
        # Not for another authority's users, whatever they guess.
        self.assertEqual(self.hd.get(f"/admin/sent-emails/{mid}").status, 404)
        self.assertEqual(self.plain.get(f"/admin/sent-emails/{mid}").status, 404)
        r = self.plain.get_xml("/admin/sent-emails")
        self.assertEqual(list(r.xml().iter("message")), [])

    def test_09_all_results_of_a_search_by_module(self):
        mods = q(self.stack, "SELECT code FROM modules WHERE kind = 'register' ORDER BY position")
        module = mods[0][0]
        aid = self.managed["Naturstyrelsen"][0]
        r = self.dk.post(f"/authorities/{aid}/modules", [("csrf", self.csrf(self.dk)),
                                                          ("module", module),
                                                          ("role", "authority")])
        self.assertEqual(r.status, 303, r.describe())
        ids, model = self.found(self.dk, f"?module={module}")
        self.assertEqual(ids, {aid})
        r = self.post(self.dk, [], to="all", module=module, message="To the register holders.")
        self.assertEqual(r.status, 303, r.describe())
        mid = r.location_path.rsplit("/", 1)[1]
        self.assertEqual(q(self.stack, "SELECT authority_id FROM sent_message_authorities"
                                       " WHERE message_id = %s", mid), [(str(aid),)])
        # The helpdesk widens to every country, by type.
        r = self.post(self.hd, [], to="all", mine="no", country="RO",
                      message="To Romania.")
        self.assertEqual(r.status, 303, r.describe())
        mid = r.location_path.rsplit("/", 1)[1]
        self.assertEqual(q(self.stack, "SELECT authority_id, (SELECT widened FROM sent_messages"
                                       " WHERE id = %s) FROM sent_message_authorities"
                                       " WHERE message_id = %s", mid, mid),
                         [(str(self.ro_id), "t")])

    def test_10_ten_thousand_recipients_in_one_transaction(self):
        s = self.stack
        n = 10000
        # The authorities by SQL: active, of Denmark, managed by the NIMIC, a contact address each.
        q(s, "INSERT INTO authorities (official_name, country, email, authority_type)"
             " SELECT 'Bulk authority ' || g, 'DK', 'bulk' || g || '@bulk.example',"
             "        'coordinator-area' FROM generate_series(1, %s) g", n)
        q(s, "INSERT INTO wf_instances (definition, version, state, authority_id)"
             " SELECT 'authority', (SELECT max(version) FROM wf_definitions"
             "                      WHERE name = 'authority'), 'active', id"
             "   FROM authorities WHERE official_name LIKE 'Bulk authority %'")
        q(s, "UPDATE authorities a SET instance_id = i.id FROM wf_instances i"
             " WHERE i.authority_id = a.id AND i.definition = 'authority'"
             "   AND a.official_name LIKE 'Bulk authority %'")
        q(s, "INSERT INTO authority_managers (authority_id, manager_id)"
             " SELECT id, %s FROM authorities WHERE official_name LIKE 'Bulk authority %'",
          self.dk_id)
        r = self.dk.get_xml("/admin/send-email?type=coordinator-area")
        found = r.xml().find("results")
        self.assertEqual((found.get("authorities"), found.get("people")), (str(n), str(n)))
        self.assertEqual(found.get("more-than"), "200")
        start = time.monotonic()
        r = self.post(self.dk, [], to="all", type="coordinator-area",
                      message="To every area coordinator.")
        took = time.monotonic() - start
        self.assertEqual(r.status, 303, r.describe())
        mid = r.location_path.rsplit("/", 1)[1]
        print(f"# {n} recipients queued in {took:.2f} s (one POST)")
        self.assertEqual(q(s, "SELECT count(*) FROM sent_message_authorities"
                              " WHERE message_id = %s", mid), [(str(n),)])
        self.assertEqual(q(s, "SELECT count(*) FROM outbox o JOIN sent_message_recipients r"
                              " ON r.mail_id = o.message_id WHERE r.message_id = %s", mid),
                         [(str(n),)])
        # One transaction: every row the sending wrote carries the same creating transaction
        # (the record's rows are never updated; outbox rows are, by the worker).
        self.assertEqual(q(s, "SELECT count(DISTINCT xmin::text) FROM ("
                              " SELECT xmin FROM sent_messages WHERE id = %s UNION ALL"
                              " SELECT xmin FROM sent_message_authorities WHERE message_id = %s"
                              " UNION ALL"
                              " SELECT xmin FROM sent_message_recipients WHERE message_id = %s) x",
                           mid, mid, mid), [("1",)])
        # The page says how many are queued, and delivered so far (the worker goes on).
        m = self.dk.get_xml(f"/admin/sent-emails/{mid}").xml().find("message")
        self.assertEqual(m.get("queued"), str(n))
        self.assertEqual(int(m.get("delivered")) + int(m.get("waiting")) + int(m.get("failed")),
                         n)
        deadline = time.monotonic() + 20
        while int(m.get("delivered")) == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
            m = self.dk.get_xml(f"/admin/sent-emails/{mid}").xml().find("message")
        self.assertGreater(int(m.get("delivered")), 0)
        print(f"# {m.get('delivered')} of {n} delivered a moment later")


if __name__ == "__main__":
    tap.main()
