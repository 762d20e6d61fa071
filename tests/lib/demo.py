"""demo.py -- demo data for ./run, made the way a person would make it: through the pages.

The helpdesk (bootstrapped) registers national IMI coordinators (NIMICs) of Denmark, the
Netherlands and Romania; each NIMIC registers coordinators and competent authorities with their
first users, grants them module access with linked coordinators; one authority has registered
itself on invitation and waits for validation; one is deactivated (all its accesses suspended
first).  Every demo user gets the same password, so a newcomer can sign in as any of them."""

import re

from browser import Browser
from people import first_sign_in
from stack import mail_text

DEMO_PASSWORD = "Demo2026imi"


class DemoError(Exception):
    pass


def _check(r, expect, what):
    if r.status != expect:
        raise DemoError(f"{what}: HTTP {r.status} (expected {expect})")
    return r


class Seeder:
    def __init__(self, stack):
        self.stack = stack
        self.logins = []

    def csrf(self, b):
        return b.get("/").html().csrf()

    def sign_in_new(self, username, email, who):
        b = first_sign_in(self.stack, username, email, password=DEMO_PASSWORD, timeout=30)
        self.logins.append((who, username))
        return b

    def register(self, b, name, country, kind, first, last, informal=""):
        domain = re.sub(r"[^a-z]", "", name.lower())[:20] + "." + country.lower()
        user_email = (re.sub(r"[^a-z]", "", first.lower()) + "." +
                      re.sub(r"[^a-z]", "", last.lower()) + f"@{domain}.example")
        page = b.get("/admin/authorities/new")
        r = _check(b.post("/admin/authorities/new", {
            "csrf": page.html().csrf(), "official_name": name, "informal_title": informal,
            "country": country, "address": f"{name}, {country}", "phone": "+00 000 000",
            "email": f"info@{domain}.example", "website": f"https://{domain}.example",
            "authority_type": kind, "first_name": first, "last_name": last,
            "user_email": user_email, "language": "en", "username": ""}), 200,
            f"registering {name}")
        aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
        username = r.html().by_id("new-username").text
        return aid, username, user_email

    def grant(self, b, aid, module, role="authority", coordinators=(), **settings):
        kw = self.stack.psql("SELECT unnest(keywords) FROM modules WHERE code = $1", module)[:2]
        fields = [("csrf", self.csrf(b)), ("module", module), ("role", role)]
        fields += [("coordinator", str(c)) for c in coordinators]
        fields += [("keyword", k) for (k,) in kw]
        fields += [(k, "yes") for k, v in settings.items() if v]
        _check(b.post(f"/authorities/{aid}/modules", fields), 303, f"granting {module} to {aid}")

    def fire(self, b, iid, event, nxt="/"):
        rev = self.stack.psql("SELECT rev FROM wf_instances WHERE id = $1", iid)[0][0]
        _check(b.post(f"/instances/{iid}/fire/{event}", {"csrf": self.csrf(b), "rev": rev,
                                                         "next": nxt}), 303, f"{event} on {iid}")

    def country(self, hd, country, nimic, people, coordinator, authorities, request, notice):
        nid, nuser, nmail = self.register(hd, nimic, country, "nimic", *people[0])
        nb = self.sign_in_new(nuser, nmail, f"NIMIC of {country}: {nimic}")
        cid, cuser, cmail = self.register(nb, coordinator, country, "coordinator-national",
                                          *people[1])
        self.sign_in_new(cuser, cmail, f"Coordinator in {country}: {coordinator}")
        self.grant(nb, cid, request, role="coordinator")
        self.grant(nb, cid, notice, role="coordinator")
        ids = []
        for (name, informal), person in zip(authorities, people[2:]):
            aid, user, mail = self.register(nb, name, country, "competent-authority", *person,
                                            informal=informal)
            self.sign_in_new(user, mail, f"Authority in {country}: {name}")
            self.grant(nb, aid, request, coordinators=[cid], approval_required=True,
                       right_to_refuse=True)
            self.grant(nb, aid, notice, coordinators=[cid])
            ids.append(aid)
        return nb, ids

    def run(self, helpdesk_user, helpdesk_email):
        hd = self.sign_in_new(helpdesk_user, helpdesk_email, "Helpdesk (BE, NIMIC)")
        mods = self.stack.psql("SELECT code, kind FROM modules ORDER BY position, code")
        request = next(c for c, k in mods if k == "request")
        notice = next(c for c, k in mods if k == "notification")
        register_module = next(c for c, k in mods if k == "register")
        dk, dk_ids = self.country(
            hd, "DK", "Erhvervsstyrelsen", [("Dorte", "Jensen"), ("Carl", "Koch"),
                                            ("Mette", "Larsen"), ("Ole", "Holm")],
            "Styrelsen for Forsyning og Uddannelse",
            [("Sundhedsstyrelsen", "Health professions"), ("Arbejdstilsynet", "Working conditions")],
            request, notice)
        self.country(hd, "NL", "Ministerie van Economische Zaken",
                     [("Daan", "Visser"), ("Eva", "Bakker"), ("Sanne", "de Jong")],
                     "Kamer van Koophandel", [("BIG-register", "Health professionals")],
                     request, notice)
        self.country(hd, "RO", "Ministerul Afacerilor Externe",
                     [("Andrei", "Popescu"), ("Ioana", "Ionescu"), ("Mihai", "Dumitru")],
                     "Departamentul pentru Piata Interna", [("Colegiul Medicilor", "Doctors")],
                     request, notice)
        # A deactivated authority: its accesses suspended first, then the authority.
        aid, user, mail = self.register(dk, "Nedlagt Tilsyn", "DK", "competent-authority",
                                        "Nina", "Nedlagt")
        self.grant(dk, aid, register_module)
        iid = self.stack.psql("SELECT instance_id FROM module_accesses WHERE authority_id = $1",
                              aid)[0][0]
        self.fire(dk, iid, "suspend")
        iid = self.stack.psql("SELECT instance_id FROM authorities WHERE id = $1", aid)[0][0]
        self.fire(dk, iid, "deactivate")
        # An invitation that was answered and waits in My tasks -> Pending validations.
        page = dk.get("/admin/invitations")
        _check(dk.post("/admin/invitations", {"csrf": page.html().csrf(),
                                              "email": "kontakt@arkitekter.example",
                                              "country": "DK", "message": "Velkommen"}),
               303, "inviting")
        msg = self.stack.wait_mail(lambda m: "kontakt@arkitekter.example" in m["To"], timeout=30)
        token = re.search(r"/register/(\S+)", mail_text(msg)).group(1)
        guest = Browser(self.stack.url)
        page = guest.get(f"/register/{token}")
        _check(guest.post(f"/register/{token}", {
            "csrf": page.html().csrf(), "official_name": "Danske Arkitekters Landsforbund",
            "informal_title": "Architects", "address": "Strandgade 27A, Copenhagen",
            "phone": "+45 0000", "email": "kontakt@arkitekter.example", "website": "",
            "authority_type": "competent-authority", "first_name": "Anders",
            "last_name": "Arkitekt", "user_email": "anders@arkitekter.example",
            "language": "en", "username": ""}), 200, "self-registering")
        return self.logins


def seed(stack, helpdesk_user, helpdesk_email):
    """Seeds the demo; returns [(who, username)], all with DEMO_PASSWORD."""
    return Seeder(stack).run(helpdesk_user, helpdesk_email)
