"""demo.py -- demo data for ./run, made the way a person would make it: through the pages.

The helpdesk (bootstrapped) registers national IMI coordinators (NIMICs) of Denmark, the
Netherlands and Romania; each NIMIC registers coordinators and competent authorities with their
first users, grants them module access with linked coordinators; one authority has registered
itself on invitation and waits for validation; one is deactivated (all its accesses suspended
first).  Every demo user gets the same password, so a newcomer can sign in as any of them.

Then Danish authorities ask Dutch ones (requests()), leaving a request in every state of
workflows/information-request.xml that people reach: in pq-requests Sundhedsstyrelsen, whose
access requires approval (its coordinator approves each request), asks the BIG-register, whose
access has allocation on (its Allocator allocates to a Handler); in services-requests
Arbejdstilsynet asks the Nederlandse Arbeidsinspectie, whose answers need approval.  Each step
is fired by the user whose task it is, so the mails are the ones people would get.

Then notifications and alerts (alerts()): the coordinators of the three countries and the
helpdesk (the Commission) get Coordinator accesses to the alert modules; Arbejdstilsynet (DK)
sends Services alerts and notifications, Sundhedsstyrelsen (DK) PQ alerts, each left in a
state people reach (draft, awaiting approval, broadcast and disseminated with comments, a
closure proposal and an objection, modified, closed, withdrawn)."""

import datetime
import re

import cases
from browser import Browser
from people import first_sign_in
from stack import StackError, mail_text

DEMO_PASSWORD = "Demo2026imi"
PQ, SERVICES = "pq-requests", "services-requests"


class DemoError(StackError):
    """A page did not answer as it should: ./run reports it and stops what it started."""


def _check(r, expect, what):
    if r.status != expect:
        raise DemoError(f"{what}: HTTP {r.status} (expected {expect})")
    return r


def _day(days):
    """A date `days` from today: reply dates stay ahead of the reminders whenever ./run seeds."""
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


class Seeder:
    def __init__(self, stack):
        self.stack = stack
        self.logins = []
        self.b = {}             # username -> signed-in Browser
        self.ids = {}           # official name -> authority id
        self.user_of = {}       # official name -> username of its first user

    def csrf(self, b):
        return b.get("/").html().csrf()

    def sign_in_new(self, username, email, who):
        b = first_sign_in(self.stack, username, email, password=DEMO_PASSWORD, timeout=30)
        self.logins.append((who, username))
        self.b[username] = b
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
            "user_email": user_email, "language": "", "username": ""}), 200,
            f"registering {name}")
        aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
        username = r.html().by_id("new-username").text
        self.ids[name] = aid
        self.user_of[name] = username
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

    def country(self, hd, country, nimic, people, coordinator, authorities, notice):
        """authorities: (name, informal, what the banner says, {module: settings}), one per
        person after the NIMIC's and the coordinator's."""
        nid, nuser, nmail = self.register(hd, nimic, country, "nimic", *people[0])
        nb = self.sign_in_new(nuser, nmail, f"NIMIC of {country}: {nimic}")
        cid, cuser, cmail = self.register(nb, coordinator[0], country, "coordinator-national",
                                          *people[1])
        self.sign_in_new(cuser, cmail, f"Coordinator in {country}: {coordinator[0]}"
                         + coordinator[1])
        for module in sorted({m for a in authorities for m in a[3]}):
            self.grant(nb, cid, module, role="coordinator")
        self.grant(nb, cid, notice, role="coordinator")
        for (name, informal, what, grants), person in zip(authorities, people[2:]):
            aid, user, mail = self.register(nb, name, country, "competent-authority", *person,
                                            informal=informal)
            self.sign_in_new(user, mail, f"Authority in {country}: {name}{what}")
            for module, settings in grants.items():
                self.grant(nb, aid, module, coordinators=[cid], **settings)
            self.grant(nb, aid, notice, coordinators=[cid])
        return nb

    def add_user(self, b, aid, first, last, email, roles, who):
        """An Administrator adds a user with some roles; the user signs in the first time."""
        fields = [("csrf", self.csrf(b)), ("first_name", first), ("last_name", last),
                  ("user_email", email), ("language", ""), ("phone", ""), ("username", ""),
                  ("action", "save")] + [("role", r) for r in roles]
        r = _check(b.post(f"/authorities/{aid}/users/new", fields), 200, f"adding {email}")
        username = r.html().by_id("new-username").text
        self.sign_in_new(username, email, who)
        return username

    # -- requests, through /requests/new, /requests/ID, /requests/ID/answers --------------------

    def draft(self, user, module, responder, subject, context, person, reply, questions):
        name, birth, nationality, registration = person
        b = self.b[user]
        fields = [("csrf", self.csrf(b)), ("module", module),
                  ("responder", str(self.ids[responder])), ("subject", subject),
                  ("context", context), ("person_name", name), ("person_birth_date", birth),
                  ("person_nationality", nationality), ("person_registration", registration),
                  ("reply_date", _day(reply))] + [("question", q) for q in questions]
        r = _check(b.post("/requests/new", fields), 303, f"drafting {subject!r}")
        return int(re.fullmatch(r"/requests/(\d+)", r.location_path).group(1))

    def step(self, user, rid, event, pick=None, **inputs):
        """user fires event from the request's page (its form carries the revision it saw);
        pick=(input, label) chooses the option shown with that label."""
        b = self.b[user]
        m = _check(b.get_xml(f"/requests/{rid}"), 200, f"request {rid} as {user}").root
        t = m.find("transitions")
        form = next((x for x in t if x.get("event") == event), None) if t is not None else None
        if form is None:
            raise DemoError(f"request {rid}: {user} is not offered {event}")
        fields = {"csrf": m.findtext("csrf"), "rev": t.get("rev"), "next": f"/requests/{rid}"}
        fields.update({k.replace("_", "-"): v for k, v in inputs.items()})
        if pick is not None:
            fields[pick[0]] = next(o.get("value") for i in form.iter("input")
                                   if i.get("name") == pick[0] for o in i.iter("option")
                                   if o.get("label").split(" (")[0] == pick[1])
        _check(b.post(f"/instances/{t.get('instance')}/fire/{event}", fields), 303,
               f"{event} on request {rid} by {user}")

    def answer(self, user, rid, answers):
        b = self.b[user]
        fields = [("csrf", self.csrf(b))] + [(f"answer-{c}", v) for c, v in answers.items()]
        _check(b.post(f"/requests/{rid}/answers", fields), 303, f"answering request {rid}")

    def split(self, user, rid, authority, questions):
        """The split form of the request page: "split" with the questions that move."""
        b = self.b[user]
        m = _check(b.get_xml(f"/requests/{rid}"), 200, f"request {rid} as {user}").root
        t = m.find("transitions")
        fields = [("csrf", m.findtext("csrf")), ("rev", t.get("rev")), ("next", f"/requests/{rid}"),
                  ("authority", str(self.ids[authority]))]
        fields += [("question", q) for q in questions]
        _check(b.post(f"/instances/{t.get('instance')}/fire/split", fields), 303,
               f"splitting request {rid}")

    def requests(self, handler, handler_name):
        """Danish authorities ask Dutch ones; one request stops in each state people reach."""
        big, labour, ro = "BIG-register", "Nederlandse Arbeidsinspectie", "Colegiul Medicilor"
        asker, asker_sv = self.user_of["Sundhedsstyrelsen"], self.user_of["Arbejdstilsynet"]
        approver = self.user_of["Styrelsen for Forsyning og Uddannelse"]
        allocator, answerer = self.user_of[big], self.user_of[labour]
        ro_doctor = self.user_of[ro]
        pq_questions = ["legally-established", "registered-with-body", "registration-number",
                        "registration-date", "scope-of-practice", "holds-diploma",
                        "diploma-issuer", "disciplinary-sanction", "current-status"]

        def pq(subject, context, person, reply=30, questions=pq_questions, send=True):
            rid = self.draft(asker, PQ, big, subject, context, person, reply, questions)
            if send:        # Sundhedsstyrelsen's access requires approval: its coordinator sends
                self.step(asker, rid, "submit")
                self.step(approver, rid, "approve")
            return rid

        def pq_answers(number, since, issuer, status="active", sanction="no"):
            return {"legally-established": "yes", "registered-with-body": "yes",
                    "registration-number": number, "registration-date": since,
                    "scope-of-practice": "full", "holds-diploma": "yes", "diploma-issuer": issuer,
                    "disciplinary-sanction": sanction, "current-status": status}

        def accepted(rid, allocate=True, **inputs):
            self.step(allocator, rid, "accept", **inputs)
            if allocate:
                self.step(allocator, rid, "allocate", pick=("handler", handler_name))

        # draft: written, not yet submitted.
        pq("Authorisation as a nurse: Anouk de Vries",
           "Ms de Vries applied on 3 November for authorisation as a nurse in Denmark. She states"
           " that she is registered in the BIG-register and holds a bachelor's degree in nursing"
           " from Hogeschool Utrecht (2014).",
           ("Anouk de Vries", "1991-03-12", "NL", "BIG 19012345601"), send=False)
        # awaiting-approval: the coordinator's Approver has a mail with the link to approve it.
        rid = pq("Authorisation as a physiotherapist: Thijs Bos",
                 "Mr Bos applied for authorisation as a physiotherapist. Please confirm his"
                 " registration and whether any measure restricts his practice.",
                 ("Thijs Bos", "1987-09-30", "NL", "BIG 39087654321"), send=False)
        self.step(asker, rid, "submit")
        # sent: approved; the BIG-register has still to accept it.
        pq("Specialist in general medicine: Dr. Lieke Smit",
           "Dr. Smit applied for recognition of her specialist title in general medicine.",
           ("Lieke Smit", "1982-06-21", "NL", "BIG 69045678901"))
        # accepted, with another reply date proposed, and not yet allocated.
        accepted(pq("Authorisation as a dentist: Bram Meijer",
                    "Mr Meijer applied for authorisation as a dentist in Denmark; his diploma is"
                    " from the Academic Centre for Dentistry Amsterdam.",
                    ("Bram Meijer", "1985-01-17", "NL", "BIG 59012398765"), reply=21),
                 allocate=False, proposed_date=_day(42),
                 reason="Our archive of registrations before 2012 is being moved; we need three"
                        " more weeks.")
        # accepted and allocated: the Handler has answered part of it.
        rid = pq("Authorisation as a general practitioner: Dr. Sophie Hendriks",
                 "Dr. Hendriks applied for authorisation as a medical doctor and for the"
                 " specialist title in general practice.",
                 ("Sophie Hendriks", "1979-11-02", "NL", "BIG 19054321987"))
        accepted(rid)
        self.answer(handler, rid, {"legally-established": "yes", "registered-with-body": "yes",
                                   "registration-number": "BIG 19054321987"})
        # answered: every question answered and sent; the requester closes or asks more.
        rid = pq("Authorisation as a midwife: Femke van Leeuwen",
                 "Ms van Leeuwen applied for authorisation as a midwife.",
                 ("Femke van Leeuwen", "1990-05-08", "NL", "BIG 29076543210"))
        accepted(rid)
        self.answer(handler, rid, pq_answers("BIG 29076543210", "2013-09-01",
                                             "Academie Verloskunde Maastricht"))
        self.step(handler, rid, "answer")
        # closed: answered, then accepted and rated by the requester.
        rid = pq("Authorisation as a pharmacist: Ruben Dekker",
                 "Mr Dekker applied for authorisation as a pharmacist.",
                 ("Ruben Dekker", "1984-02-29", "NL", "BIG 09012376543"))
        accepted(rid)
        self.answer(handler, rid, pq_answers("BIG 09012376543", "2010-07-15",
                                             "Rijksuniversiteit Groningen"))
        self.step(handler, rid, "answer")
        self.step(asker, rid, "close", timeliness="satisfied", effort="satisfied")
        # closed long ago: retention blocked the personal data of one (6 months after closing)
        # and deleted those of another (3 years): their timers are made due now and the worker
        # fires them, as it would have then.
        for subject, person, timers in (
                ("Authorisation as a dentist: Lisa Bakker",
                 ("Lisa Bakker", "1975-03-17", "NL", "BIG 49011122233"), ("block",)),
                ("Authorisation as a physiotherapist: Daan Visser",
                 ("Daan Visser", "1968-10-09", "NL", "BIG 19044455566"), ("block", "delete"))):
            rid = pq(subject, "Applied for authorisation; closed long ago.", person)
            accepted(rid)
            self.answer(handler, rid, pq_answers(person[3], "2000-01-01", "Universiteit Utrecht"))
            self.step(handler, rid, "answer")
            self.step(asker, rid, "close", timeliness="satisfied", effort="not-satisfied")
            for timer in timers:
                self.stack.psql("UPDATE wf_timers t SET due_at = now() - interval '1 second'"
                                "  FROM requests r WHERE r.id = $1 AND t.instance_id = r.instance_id"
                                "   AND t.name = $2 AND t.fired_at IS NULL"
                                "   AND t.cancelled_at IS NULL", rid, timer)
                self.stack.run_imiflow("worker", "--once")
        # refused: the BIG-register may refuse.
        rid = pq("Authorisation as a psychologist: Noor Peters",
                 "Ms Peters applied for authorisation as a psychologist.",
                 ("Noor Peters", "1993-08-14", "NL", ""))
        self.step(allocator, rid, "refuse",
                  reason="Only healthcare psychologists are registered in the BIG-register, and"
                         " Ms Peters is not one. Please ask the Nederlands Instituut van"
                         " Psychologen, which keeps the register of psychologists.")
        # referred: refused, and the requester disagrees: the coordinators decide.
        rid = pq("Authorisation as a nurse: Kevin Jansen",
                 "Mr Jansen applied for authorisation as a nurse and sent a copy of his BIG"
                 " registration certificate.",
                 ("Kevin Jansen", "1995-12-03", "NL", "BIG 79098712345"))
        self.step(allocator, rid, "refuse",
                  reason="We cannot disclose registration data without the person's consent.")
        self.step(asker, rid, "refer",
                  reason="The BIG-register is public and the IMI Regulation allows the exchange;"
                         " we ask the coordinators to settle this.")
        # forwarded: the doctor's file is in Romania; the request now waits there.
        rid = pq("Authorisation as a medical doctor: Dr. Andrei Marin",
                 "Dr. Marin qualified in Romania and worked in the Netherlands for two months.",
                 ("Andrei Marin", "1986-04-25", "RO", "BIG 49011122233"))
        self.step(allocator, rid, "forward", authority=str(self.ids[ro]),
                  reason="Dr. Marin was registered with us for two months only; his training and"
                         " disciplinary record are with the Colegiul Medicilor din Romania.")
        # split: the diploma questions go to Romania (a child request, accepted there).
        rid = pq("Specialist in cardiology: Dr. Elena Popa",
                 "Dr. Popa trained in Cluj-Napoca and has practised in Rotterdam since 2016.",
                 ("Elena Popa", "1981-10-09", "RO", "BIG 89033344455"))
        accepted(rid)
        self.split(handler, rid, ro, ["holds-diploma", "diploma-issuer"])
        tasks = self.b[ro_doctor].get_xml("/tasks").root.find("tasks")
        self.step(ro_doctor, next(t.get("request") for t in tasks
                                  if t.get("kind") == "accept" and "Popa" in t.text), "accept")

        sv_questions = ["legally-established", "establishment-date", "legal-form",
                        "trade-register", "registration-number", "authorisation-held",
                        "insurance-cover", "sanctions"]

        def services(subject, context, person, reply=30):
            rid = self.draft(asker_sv, SERVICES, labour, subject, context, person, reply,
                             sv_questions)
            self.step(asker_sv, rid, "send")
            return rid

        # sent, waiting for the Arbeidsinspectie to accept.
        services("Cleaning services: Schoonmaakbedrijf Van Dam B.V.",
                 "The company has notified cleaning work in Aarhus from January.",
                 ("Jeroen van Dam", "1972-07-19", "NL", "KvK 34123456"))
        # awaiting-information: the responder asks before it answers.
        rid = services("Scaffolding: Steigerbouw Noord B.V.",
                       "The company put up scaffolding in Odense; we check its establishment.",
                       ("Martijn Kok", "1969-03-02", "NL", "KvK 01098765"))
        self.step(answerer, rid, "accept")
        self.step(answerer, rid, "ask-information",
                  question="Two companies of that name are registered. Please send the address"
                           " or the Danish RUT number the company gave you.")
        # answer-awaiting-approval: the Arbeidsinspectie's answers need its coordinator.
        rid = services("Temporary work agency: Flex Personeel Twente B.V.",
                       "The agency posts workers to a slaughterhouse in Horsens.",
                       ("Ilse Brouwer", "1980-01-23", "NL", "KvK 08076543"))
        self.step(answerer, rid, "accept")
        self.answer(answerer, rid, {
            "legally-established": "yes", "establishment-date": "2011-04-01",
            "legal-form": "private-company", "trade-register": "yes",
            "registration-number": "KvK 08076543", "authorisation-held": "yes",
            "insurance-cover": "yes", "sanctions": "no"})
        self.step(answerer, rid, "submit-answer")
        # withdrawn: the provider withdrew, so did the requester.
        rid = services("Crane hire: Hijs & Co V.O.F.",
                       "The partnership declared crane services in Esbjerg.",
                       ("Sem Mulder", "1977-09-11", "NL", "KvK 56012345"))
        self.step(asker_sv, rid, "withdraw")

    # -- notifications and alerts, through /workflows/NAME/start and /instances/ID ------------

    def case_fire(self, user, iid, event, fields=()):
        _check(cases.fire(self.b[user], iid, event, fields), 303, f"{event} on case {iid}")

    def case(self, user, definition, form, steps=(), file=None):
        """A case of definition started by user with its form (and file: (field, name, bytes));
        then steps (user, event, fields) in order.  Its instance id."""
        iid = cases.start(self.b[user], definition)
        _check(cases.fire(self.b[user], iid, "edit", form, file=file), 303, f"edit on case {iid}")
        for who, event, fields in steps:
            self.case_fire(who, iid, event, fields)
        return iid

    def alerts(self, helpdesk_user):
        ids, user = self.ids, self.user_of
        hd = self.b[helpdesk_user]
        hd_id = int(self.stack.psql("SELECT id FROM authorities WHERE is_helpdesk")[0][0])
        coord = {"DK": "Styrelsen for Forsyning og Uddannelse", "NL": "Kamer van Koophandel",
                 "RO": "Departamentul pentru Piata Interna"}
        for module in ("services-alerts", "pq-alerts", "services-notifications"):
            self.grant(hd, hd_id, module, role="coordinator")
        for module in ("services-alerts", "pq-alerts"):
            for c in coord.values():
                self.grant(hd, ids[c], module, role="coordinator")
        for name, country, module in (("Arbejdstilsynet", "DK", "services-alerts"),
                                      ("Nederlandse Arbeidsinspectie", "NL", "services-alerts"),
                                      ("Colegiul Medicilor", "RO", "services-alerts"),
                                      ("Sundhedsstyrelsen", "DK", "pq-alerts"),
                                      ("BIG-register", "NL", "pq-alerts"),
                                      ("Colegiul Medicilor", "RO", "pq-alerts")):
            self.grant(hd, ids[name], module, coordinators=[ids[coord[country]]])
        ole, carl = user["Arbejdstilsynet"], user[coord["DK"]]
        eva, ioana = user[coord["NL"]], user[coord["RO"]]
        pieter, mihai = user["Nederlandse Arbeidsinspectie"], user["Colegiul Medicilor"]
        mette = user["Sundhedsstyrelsen"]

        def alert(provider, description, countries=("NL", "RO")):
            return [("legal-basis", "art-29-3"), ("risk", "safety"),
                    ("service-activity", "Scaffolding erection"), ("establishment", "DK"),
                    ("provider", provider), ("provider-details", "CVR 12345678, Aarhus"),
                    ("description", description), ("probability", "likely"),
                    ("measures", "Activity suspended.")] + [("recipient-countries", c)
                                                              for c in countries]
        approved = [(ole, "submit", ()), (carl, "approve", ())]
        self.case(ole, "services-alert", alert("Stillads Nord ApS", "Scaffolding collapsed twice."))
        self.case(ole, "services-alert", alert("Kran & Co", "Cranes without inspection."),
                  [(ole, "submit", ())])
        iid = self.case(ole, "services-alert",
                        alert("Bygge Hansen ApS", "Asbestos removed without protection."), approved)
        self.case_fire(eva, iid, "disseminate", [("authorities", str(ids["Nederlandse Arbeidsinspectie"]))])
        self.case_fire(ioana, iid, "disseminate", [("authorities", str(ids["Colegiul Medicilor"]))])
        self.case_fire(pieter, iid, "comment", [("text", "The firm also works in Rotterdam.")])
        self.case_fire(mihai, iid, "propose-closure", [("text", "No activity in Romania any more.")])
        proposal = self.stack.psql("SELECT id FROM wf_comments WHERE instance_id = $1"
                                   " AND type = 'closure-proposal'", iid)[0][0]
        self.case_fire(pieter, iid, "object", [("proposal", proposal),
                                               ("text", "It goes on in the Netherlands.")])
        self.case_fire(ole, iid, "modify", alert("Bygge Hansen ApS",
                                                 "Asbestos removed without protection, "
                                                 "in Aarhus and Odense."))
        iid = self.case(ole, "services-alert", alert("Tagdæk Syd", "Roofs collapsing.", ("NL",)),
                        approved)
        self.case_fire(carl, iid, "instruct-closure", [("text", "The provider stopped; close it.")])
        self.case_fire(helpdesk_user, iid, "close", [("note", "Closed on the instruction.")])
        iid = self.case(ole, "services-alert", alert("Forkert Firma", "Sent by mistake.", ("RO",)),
                        approved)
        self.case_fire(carl, iid, "withdraw", [("reason", "Sent to the wrong country.")])

        def pq(name, scope, until):
            return [("kind", "restriction"), ("profession", "nurse"), ("scope", scope),
                    ("recipient-countries", "NL"), ("recipient-countries", "RO"),
                    ("name", name), ("birth-date", "1971-03-02"), ("deciding-authority",
                    "Styrelsen for Patientsikkerhed"), ("decision-date", _day(0)),
                    ("valid-from", _day(0)), ("valid-until", until), ("proceedings", "none")]
        sent = [(mette, "submit", [("informed-at", _day(0))]), (carl, "approve", ())]
        self.case(mette, "pq-alert", pq("Karen Jensen", "No surgery.", _day(300)))
        iid = self.case(mette, "pq-alert", pq("Jens Hansen", "Suspended for a year.", _day(365)),
                        sent)
        self.case_fire(eva, iid, "forward", [("authorities", str(ids["BIG-register"]))])
        iid = self.case(mette, "pq-alert", pq("Lone Berg", "Suspended.", _day(200)), sent)
        self.case_fire(mette, iid, "close", [("ended-on", _day(0))])

        def notice(title):
            return [("legal-basis", "art-15-7"), ("title", title), ("stage", "draft"),
                    ("requirement", "minimum-employees"), ("content", "At least 3 employees."),
                    ("justification", "Safety of the public."),
                    ("recipient-countries", "NL"), ("recipient-countries", "RO")]
        act = ("draft-act", "draft-act.pdf", b"%PDF-1.4 draft act")
        self.case(ole, "services-notification", notice("Crane operators: minimum staff"), file=act)
        self.case(ole, "services-notification", notice("Scaffolders: legal form"),
                  [(ole, "submit", ())], file=act)
        iid = self.case(ole, "services-notification", notice("Building firms: tariffs"),
                        approved, file=act)
        self.case_fire(eva, iid, "disseminate", [("authorities", str(ids["Nederlandse Arbeidsinspectie"]))])
        self.case_fire(pieter, iid, "comment", [("text", "Does this apply to posted workers?")])
        iid = self.case(ole, "services-notification", notice("Electricians: shareholding"),
                        approved, file=act)
        self.case_fire(helpdesk_user, iid, "close", [("note", "Examination finished.")])
    def send_email(self, nimic):
        """One sent message (Administration -> Send e-mail): the Danish NIMIC writes to every
        authority it manages; the deactivated one is skipped, the rest get it in their language."""
        page = nimic.get("/admin/send-email")
        _check(nimic.post("/admin/send-email", {
            "csrf": page.html().csrf(), "mine": "yes", "module": "", "country": "", "type": "",
            "to": "all", "action": "send",
            "message": "Dear colleagues,\n\nplease check that your authority's contact data and "
                       "Administrators in IMI are up to date before the end of the month.\n\n"
                       "The user guides: https://ec.europa.eu/internal_market/imi-net/\n\n"
                       "Dorte Jensen, NIMIC Denmark"}), 303, "sending an e-mail")

    def run(self, helpdesk_user, helpdesk_email):
        hd = self.sign_in_new(helpdesk_user, helpdesk_email, "Helpdesk (BE, NIMIC)")
        mods = self.stack.psql("SELECT code, kind FROM modules ORDER BY position, code")
        notice = next(c for c, k in mods if k == "notification")
        register_module = next(c for c, k in mods if k == "register")
        pq_asker = {PQ: dict(approval_required=True, right_to_refuse=True)}
        dk = self.country(
            hd, "DK", "Erhvervsstyrelsen", [("Dorte", "Jensen"), ("Carl", "Koch"),
                                            ("Mette", "Larsen"), ("Ole", "Holm")],
            ("Styrelsen for Forsyning og Uddannelse", " -- approves requests"),
            [("Sundhedsstyrelsen", "Health professions", " -- asks (approval required)",
              pq_asker),
             ("Arbejdstilsynet", "Working conditions", " -- asks (services)",
              {SERVICES: dict(right_to_refuse=True)})], notice)
        self.country(
            hd, "NL", "Ministerie van Economische Zaken",
            [("Daan", "Visser"), ("Eva", "Bakker"), ("Sanne", "de Jong"), ("Pieter", "van Dijk")],
            ("Kamer van Koophandel", " -- approves answers"),
            [("BIG-register", "Health professionals", " -- accepts, allocates",
              {PQ: dict(right_to_refuse=True, allocation=True)}),
             ("Nederlandse Arbeidsinspectie", "Labour inspection",
              " -- answers (answers need approval)",
              {SERVICES: dict(approval_required=True, right_to_refuse=True)})], notice)
        self.country(hd, "RO", "Ministerul Afacerilor Externe",
                     [("Andrei", "Popescu"), ("Ioana", "Ionescu"), ("Mihai", "Dumitru")],
                     ("Departamentul pentru Piata Interna", ""),
                     [("Colegiul Medicilor", "College of Physicians", " -- got a forwarded and a split request",
                       pq_asker)], notice)
        # The BIG-register's Administrator adds a Handler, to whom requests are allocated.
        big = "BIG-register"
        handler = self.add_user(self.b[self.user_of[big]], self.ids[big], "Lotte", "Mulder",
                                "lotte.mulder@bigregister.nl.example", [f"{PQ}:handler"],
                                "Handler in NL: BIG-register -- answers what is allocated")
        # A deactivated authority: its accesses suspended first, then the authority.
        aid, user, mail = self.register(dk, "Nedlagt Tilsyn", "DK", "competent-authority",
                                        "Nina", "Nedlagt")
        self.grant(dk, aid, register_module)
        # Registers too: horizontal, granted at registration.
        for (iid,) in self.stack.psql("SELECT instance_id FROM module_accesses"
                                      " WHERE authority_id = $1 ORDER BY id", aid):
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
            "informal_title": "Danish Association of Architects", "address": "Strandgade 27A, Copenhagen",
            "phone": "+45 0000", "email": "kontakt@arkitekter.example", "website": "",
            "authority_type": "competent-authority", "first_name": "Anders",
            "last_name": "Arkitekt", "user_email": "anders@arkitekter.example",
            "language": "", "username": ""}), 200, "self-registering")
        self.send_email(dk)
        self.requests(handler, "Lotte Mulder")
        self.alerts(helpdesk_user)
        self.repositories()
        return self.logins

    # -- repositories (issue 15 §1) ------------------------------------------------------------

    def entry(self, b, definition, fields, events):
        """Starts a case of definition as b and fires events with the form fields."""
        r = _check(b.post(f"/workflows/{definition}/start", {"csrf": self.csrf(b)}), 303,
                   f"starting {definition}")
        iid = int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))
        for event, changes in events:
            rev = self.stack.psql("SELECT rev FROM wf_instances WHERE id = $1", iid)[0][0]
            data = [("csrf", self.csrf(b)), ("rev", rev)]
            for k, v in dict(fields, **changes).items():
                data += [(k, x) for x in (v if isinstance(v, list) else [v])]
            _check(b.post(f"/instances/{iid}/fire/{event}", data), 303, f"{event} on {iid}")
        return iid

    def repositories(self):
        """Active (one edited: two versions), draft and deactivated entries in both
        repositories: the Directory of registers (every authority has it) and cash-in-transit
        licences (granted to the Danish NIMIC)."""
        sst = self.b[self.user_of["Sundhedsstyrelsen"]]
        big = self.b[self.user_of["BIG-register"]]
        doctors = {"country": ["DK"], "name-national": "Autorisationsregistret",
                   "name-english": "Register of authorised health professionals",
                   "area": "doctors", "keeping-authority": str(self.ids["Sundhedsstyrelsen"]),
                   "legal-basis": "Autorisationsloven, § 13", "access": "public",
                   "content": "Name, profession, date of authorisation, restrictions",
                   "url": "https://autregweb.sst.dk", "languages": "Danish",
                   "consultation": "Free online search by name or birth date",
                   "contact": "Autorisation, Sundhedsstyrelsen, +45 7222 7400"}
        self.entry(sst, "register-entry", doctors,
                   [("activate", {}), ("edit", {"languages": "Danish, English"})])
        self.entry(sst, "register-entry", dict(doctors, **{
            "name-national": "Jordemoderregistret", "name-english": "Register of midwives",
            "area": "midwives"}), [("save", {})])
        self.entry(sst, "register-entry", dict(doctors, **{
            "name-national": "Tandplejerregistret", "name-english": "Register of dental hygienists",
            "area": "dentists"}), [("activate", {}), ("deactivate", {})])
        self.entry(big, "register-entry", {
            "country": ["NL"], "name-national": "BIG-register",
            "name-english": "Register of health care professionals", "area": "nurses",
            "keeping-authority": str(self.ids["BIG-register"]), "access": "public",
            "legal-basis": "Wet BIG, art. 3", "url": "https://zoeken.bigregister.nl",
            "languages": "Dutch, English", "content": "Name, BIG number, profession, measures",
            "consultation": "Free online search", "contact": "CIBG, +31 70 340 7911"},
            [("activate", {})])
        nimic = "Erhvervsstyrelsen"
        hd = self.b[self.logins[0][1]]
        self.grant(hd, self.ids[nimic], "cash-in-transit")
        eb = self.b[self.user_of[nimic]]
        licence = {"licence-number": "CIT-DK-0001", "country": ["DK"], "issued-on": _day(-400),
                   "valid-until": _day(1425), "holder-name": "Nordisk Værditransport A/S",
                   "holder-registration": "CVR 12345678", "holder-address": "Kajvej 4, Aarhus",
                   "responsible-person": "Jens Kristensen", "contact": "jk@vaerdi.example"}
        self.entry(eb, "cit-licence", licence, [("activate", {})])
        self.entry(eb, "cit-licence", dict(licence, **{"licence-number": "CIT-DK-0002",
                                                       "holder-name": "Sikker Kontant ApS"}),
                   [("save", {})])
        self.entry(eb, "cit-licence", dict(licence, **{"licence-number": "CIT-DK-0003",
                                                       "holder-name": "Gammel Transport ApS"}),
                   [("activate", {}), ("deactivate", {})])


def seed(stack, helpdesk_user, helpdesk_email):
    """Seeds the demo; returns [(who, username)], all with DEMO_PASSWORD."""
    return Seeder(stack).run(helpdesk_user, helpdesk_email)
