#!/usr/bin/python3
"""test_language_choice.py -- which language a page and a mail come in (issue 16, "Languages"):
a user's own language (profile), by default their authority's country's (DK da, NL and BE nl,
RO ro, any other en); for nobody signed in (login, error and link pages) the best of the
browser's Accept-Language among en, da, nl, ro, else English; and <html lang> is the language
the page is written in."""

import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from browser import Browser  # noqa: E402
from people import first_sign_in  # noqa: E402
from stack import DATADIR, Stack, mail_text  # noqa: E402


def catalogue(lang):
    """xslt/i18n/LANG.xml as a dict key -> message."""
    root = ET.parse(DATADIR / "xslt" / "i18n" / f"{lang}.xml").getroot()
    return {m.get("key"): m.text or "" for m in root.iter("msg")}


CAT = {lang: catalogue(lang) for lang in ("en", "da", "nl", "ro")}


class LanguageChoiceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = s = Stack(login_burst=1000, serve_args=("--login-throttle-user", "100",
                                                            "--login-throttle-address", "100"))
        s.start()
        cls.addClassCleanup(s.stop)
        cls.hd = first_sign_in(s, s.bootstrap(country="BE"), "helpdesk@imiflow.invalid")
        # The Danish NIMIC's administrator chose English: an explicit choice stays.
        cls.dk_id, dk_user = cls.register("Erhvervsstyrelsen", "DK", "nimic", "Dorte", "en")
        cls.dk = first_sign_in(s, dk_user, "dorte@example.dk")

    @classmethod
    def register(cls, name, country, kind, first, language=None):
        """Registers an authority with its first user; language None leaves the field out."""
        page = cls.hd.get("/admin/authorities/new")
        fields = {"csrf": page.html().csrf(), "official_name": name, "country": country,
                  "email": "office@" + re.sub(r"[^a-z]", "", name.lower()) + ".example",
                  "authority_type": kind, "first_name": first, "last_name": "Test",
                  "user_email": f"{first.lower()}@example.{country.lower()}"}
        if language is not None:
            fields["language"] = language
        r = cls.hd.post("/admin/authorities/new", fields)
        assert r.status == 200, r.text[-1500:]
        aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
        return aid, r.html().by_id("new-username").text

    def language_of(self, username):
        return self.stack.psql("SELECT language FROM users WHERE username = $1", username)[0][0]

    def assert_page_in(self, r, lang, key):
        """r is an HTML page in lang: <html lang>, and the message key in lang's words."""
        html = r.html()
        self.assertEqual(html.find("html").get("lang"), lang, r.text[:600])
        self.assertIn(CAT[lang][key], r.text)
        for other in CAT:
            if other != lang and CAT[other][key] != CAT[lang][key]:
                self.assertNotIn(CAT[other][key], html.find("title").text)

    def mail_to(self, email):
        return self.stack.wait_mail(lambda m: email in m["To"])

    # -- nobody signed in: the browser's language ------------------------------------------

    def test_01_login_page_follows_accept_language(self):
        r = Browser(self.stack.url).get(
            "/login", headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"})
        self.assertEqual(r.status, 200)
        self.assert_page_in(r, "da", "login.title")
        self.assertIn(CAT["da"]["login.username"], r.text)
        # Caches must not hand the Danish page to a Dutch browser.
        self.assertIn("accept-language", (r.header("Vary") or "").lower())

    def test_02_weights_decide(self):
        r = Browser(self.stack.url).get("/login", headers={"Accept-Language": "nl;q=0.2, ro;q=0.8"})
        self.assert_page_in(r, "ro", "login.title")
        r = Browser(self.stack.url).get("/login", headers={"Accept-Language": "fr, NL-be;q=0.5"})
        self.assert_page_in(r, "nl", "login.title")

    def test_03_unknown_missing_or_broken_gives_english(self):
        for hdr in ("fr-FR,fr;q=0.9,de;q=0.8", "da;q=0", "da;q=2, nl;;;", "x" * 2000, None):
            headers = {"Accept-Language": hdr} if hdr is not None else {}
            r = Browser(self.stack.url).get("/login", headers=headers)
            self.assertEqual(r.status, 200, hdr)
            self.assert_page_in(r, "en", "login.title")
        # A broken range is skipped, the good one after it still counts.
        r = Browser(self.stack.url).get("/login", headers={"Accept-Language": "da;q=2, ro;q=0.3"})
        self.assert_page_in(r, "ro", "login.title")

    def test_04_error_and_link_pages_for_nobody(self):
        b = Browser(self.stack.url, headers={"Accept-Language": "nl-NL,nl;q=0.9"})
        r = b.get("/no-such-page")
        self.assertEqual(r.status, 404)
        self.assert_page_in(r, "nl", "error.404.title")
        for path in ("/links/" + "A" * 43, "/register/" + "A" * 43):
            r = b.get(path)
            self.assertLess(r.status, 500, path)
            self.assertEqual(r.html().find("html").get("lang"), "nl", path)
            self.assertIn(CAT["nl"]["nav.skip"], r.text, path)

    # -- signed in: the user's own language ------------------------------------------------

    def test_05_signed_in_pages_use_the_users_language_not_the_browsers(self):
        r = self.dk.get("/", headers={"Accept-Language": "ro"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.html().find("html").get("lang"), "en")
        self.assertIn(CAT["en"]["nav.skip"], r.text)

    def test_06_first_users_get_their_countrys_language(self):
        for name, country, lang in (("Inspectoratul", "RO", "ro"), ("BIG-register", "NL", "nl"),
                                    ("SPF Economie", "BE", "nl"), ("Skolverket", "SE", "en")):
            aid, user = self.register(name, country, "competent-authority", "First" + country)
            self.assertEqual(self.language_of(user), lang, country)
            # Its temporary password comes in that language too.
            body = mail_text(self.mail_to(f"first{country.lower()}@example.{country.lower()}"))
            self.assertIn(CAT[lang]["mail.temporary-password.line"].split("{1}")[0].strip(), body)

    def test_07_new_user_of_danish_authority_speaks_danish(self):
        b = self.dk
        email = "karen@example.dk"
        page = b.get(f"/authorities/{self.dk_id}/users/new").html()
        # The form offers "the authority's country's language" and starts on it.
        opt = page.find("select", id="language").find("option", value="")
        self.assertEqual(opt.text.strip(), CAT["en"]["language.default"])
        fields = [("csrf", page.csrf()), ("first_name", "Karen"), ("last_name", "Holm"),
                  ("user_email", email), ("phone", ""), ("username", ""), ("action", "save")]
        r = b.post(f"/authorities/{self.dk_id}/users/new", fields)
        self.assertEqual(r.status, 200, r.text[-1500:])
        user = r.html().by_id("new-username").text
        self.assertEqual(self.language_of(user), "da")
        # Her mail is Danish ...
        body = mail_text(self.mail_to(email))
        self.assertIn(CAT["da"]["mail.temporary-password.line"].split("{1}")[0].strip(), body)
        self.assertNotIn(CAT["en"]["mail.temporary-password.line"].split("{1}")[0].strip(), body)
        # ... and so are her pages, whatever her browser says.
        kb = first_sign_in(self.stack, user, email)
        r = kb.get("/", headers={"Accept-Language": "en"})
        self.assertEqual(r.html().find("html").get("lang"), "da")
        self.assertIn(CAT["da"]["nav.skip"], r.text)

    def test_08_an_explicit_choice_stays(self):
        b = self.dk
        page = b.get(f"/authorities/{self.dk_id}/users/new").html()
        r = b.post(f"/authorities/{self.dk_id}/users/new", [
            ("csrf", page.csrf()), ("first_name", "Ion"), ("last_name", "Popa"),
            ("user_email", "ion@example.dk"), ("language", "ro"), ("phone", ""),
            ("username", ""), ("action", "save")])
        self.assertEqual(r.status, 200, r.text[-1500:])
        self.assertEqual(self.language_of(r.html().by_id("new-username").text), "ro")
        # A language we have no catalogue for is still refused.
        r = b.post(f"/authorities/{self.dk_id}/users/new", [
            ("csrf", page.csrf()), ("first_name", "Jo"), ("last_name", "Doe"),
            ("user_email", "jo@example.dk"), ("language", "fr"), ("phone", ""),
            ("username", ""), ("action", "save")])
        self.assertEqual(r.status, 422)
        self.assertEqual(r.html().find(class_="error", **{"data-field": "language"})
                         .get("data-rule"), "choice")

    def test_09_profile_changes_the_next_page(self):
        b = self.dk
        try:
            for lang in ("nl", "ro", "da"):
                page = b.get("/profile").html()
                r = b.post("/profile", {"csrf": page.csrf(), "language": lang})
                self.assertEqual(r.status, 303)
                r = b.get("/profile", headers={"Accept-Language": "en"})
                self.assert_page_in(r, lang, "nav.skip")
                chosen = [o.get("value") for o in r.html().find("select", id="language")
                          .find_all("option") if "selected" in o.attrs]
                self.assertEqual(chosen, [lang])
        finally:
            b.post("/profile", {"csrf": b.get("/profile").html().csrf(), "language": "en"})

    def test_10_bootstrap_refuses_a_language_without_catalogue(self):
        r = self.stack.run_imiflow("bootstrap", "--authority", "X", "--country", "DK",
                                   "--email", "x@example.dk", "--first-name", "X",
                                   "--last-name", "Y", "--language", "fr", check=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--language", r.stderr)

    def test_11_self_registration_in_the_browsers_language_and_the_countrys_default(self):
        email = "invited@example.dk"
        page = self.dk.get("/admin/invitations")
        r = self.dk.post("/admin/invitations", {"csrf": page.html().csrf(), "email": email,
                                                "country": "DK", "message": "Velkommen"})
        self.assertEqual(r.status, 303, r.text[-1500:])
        token = re.search(r"https?://\S+/register/(\S+)", mail_text(self.mail_to(email))).group(1)
        b = Browser(self.stack.url, headers={"Accept-Language": "da"})
        page = b.get(f"/register/{token}")
        self.assertEqual(page.status, 200)
        self.assertEqual(page.html().find("html").get("lang"), "da")
        self.assertIn(CAT["da"]["language.default"], page.text)
        r = b.post(f"/register/{token}", {
            "csrf": page.html().csrf(), "official_name": "Finanstilsynet", "informal_title": "",
            "address": "Vej 2", "phone": "", "email": "office@finanstilsynet.example",
            "website": "", "authority_type": "competent-authority", "first_name": "Frida",
            "last_name": "Friis", "user_email": "frida@example.dk", "username": ""})
        self.assertEqual(r.status, 200, r.text[-1500:])
        self.assertEqual(r.html().find("html").get("lang"), "da")
        self.assertEqual(self.language_of(r.html().by_id("new-username").text), "da")


if __name__ == "__main__":
    tap.main()
