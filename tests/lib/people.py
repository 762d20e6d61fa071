"""people.py -- signing people in as the tests need them: the first sign-in with the temporary
password from the mail (and the forced change), and later sign-ins with the chosen password."""

from browser import Browser
from stack import temporary_password

PASSWORD = "Chosen7password"


def login_csrf(b):
    """The sign-in form's token: its cookie, named with the __Host- prefix when the engine
    runs with --cookie-secure (engine/web/session.h)."""
    return b.cookie("imiflow_login") or b.cookie("__Host-imiflow_login")


def signed_in(stack, username, password=PASSWORD):
    """A Browser signed in as username (whose password is already its own)."""
    b = Browser(stack.url)
    b.get("/login")
    r = b.post("/login", {"username": username, "password": password,
                          "csrf": login_csrf(b)})
    if r.status != 303 or r.location_path != "/":
        raise AssertionError(f"sign-in of {username} answered {r.status} {r.location_path}")
    return b


def first_sign_in(stack, username, email, password=PASSWORD, before=None, timeout=15):
    """Reads the temporary password mailed to email (not among `before`, a set of mail paths),
    signs in with it, changes it to password; returns the signed-in Browser."""
    msg = stack.wait_mail(lambda m: email in m["To"] and temporary_password(m) is not None
                          and (before is None or m.path not in before), timeout=timeout)
    temp = temporary_password(msg)
    b = Browser(stack.url)
    b.get("/login")
    r = b.post("/login", {"username": username, "password": temp,
                          "csrf": login_csrf(b)})
    if r.status != 303 or r.location_path != "/password":
        raise AssertionError(f"first sign-in of {username} answered {r.status} {r.location_path}")
    page = b.get("/password")
    r = b.post("/password", {"current": temp, "new": password, "confirm": password,
                             "csrf": page.html().csrf()})
    if r.status != 303:
        raise AssertionError(f"password change of {username} answered {r.status}")
    return b


def renewed(stack, username, password=PASSWORD, new="Renewed8pass"):
    """Signs in; when the password must be changed (it expired while a test moved the clock
    six months), changes it to new.  Returns the signed-in Browser."""
    b = Browser(stack.url)
    b.get("/login")
    r = b.post("/login", {"username": username, "password": password,
                          "csrf": login_csrf(b)})
    if r.status == 303 and r.location_path == "/password":
        page = b.get("/password")
        r = b.post("/password", {"current": password, "new": new, "confirm": new,
                                 "csrf": page.html().csrf()})
    if r.status != 303:
        raise AssertionError(f"sign-in of {username} answered {r.status}")
    return b
