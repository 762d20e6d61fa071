"""authorities.py -- registering authorities and granting module accesses through the pages, as
the helpdesk does it, for the end-to-end suites that need several authorities."""

import re


def register(b, name, country, first, last="Test", language="en"):
    """The helpdesk (browser b) registers an authority with its first user (an Administrator);
    returns (authority id, the username shown on screen)."""
    page = b.get("/admin/authorities/new")
    r = b.post("/admin/authorities/new", {
        "csrf": page.html().csrf(), "official_name": name, "country": country,
        "email": "office@" + re.sub(r"[^a-z]", "", name.lower()) + ".example",
        "authority_type": "competent-authority", "first_name": first, "last_name": last,
        "language": language, "user_email": f"{first.lower()}@example.{country.lower()}"})
    assert r.status == 200, r.text[-1000:]
    aid = int(re.search(r'href="/authorities/(\d+)/modules"', r.text).group(1))
    return aid, r.html().by_id("new-username").text


def grant(b, aid, module, role="authority", coordinators=(), **settings):
    """Grants authority aid access to module (role authority or coordinator) with its linked
    coordinators and the settings given true (approval_required, right_to_refuse, allocation)."""
    fields = [("csrf", b.get("/").html().csrf()), ("module", module), ("role", role)]
    fields += [("coordinator", str(c)) for c in coordinators]
    fields += [(k, "yes") for k, v in settings.items() if v]
    r = b.post(f"/authorities/{aid}/modules", fields)
    assert r.status == 303, (r.status, r.text[-1000:])
