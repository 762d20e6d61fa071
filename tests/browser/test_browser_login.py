#!/usr/bin/python3
"""Browser: log in through the real login page with headless Chromium.

The bootstrap user's temporary password comes from the SMTP sink; Chromium
fills in the login form, is taken to the password page, sets a new password
and lands on the home page, which names the user in #current-user.

Chromium and chromedriver are Debian's (chromium, chromium-driver), driven
by Debian's python3-selenium; each run gets a fresh profile directory, and
the driver and every browser process are stopped also when the test fails.

    /usr/bin/python3 tests/browser/test_browser_login.py     # TAP on stdout
"""

import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

import tap  # noqa: E402
from stack import Stack  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
EMAIL = "helpdesk.browser@example.test"
TEMP_SUBJECT = "imiflow: your temporary password"
TEMP_LINE = re.compile(r"^Temporary password: (\S+)\s*$", re.MULTILINE)
WAIT = 20  # seconds for a page to arrive


def _descendants(pid):
    """PIDs of every live descendant of pid (from /proc)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may hold spaces and parentheses
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie is dead for our purpose
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        return stat[stat.rindex(")") + 2] != "Z"
    except OSError:
        return False


def _kill_all(pids, grace=5.0):
    """SIGTERM the given PIDs, SIGKILL what is still alive after grace."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for p in pids:
            try:
                os.kill(p, sig)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.1)
        if not any(_alive(p) for p in pids):
            return


class BrowserLoginTest(unittest.TestCase):
    _failed = False

    def run(self, result=None):
        """Notes a failure of any test so the class cleanup keeps the stack's logs."""
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            type(self)._failed = True
        return out

    @classmethod
    def setUpClass(cls):
        stack = Stack()
        # keeps the logs (and says where) when a test of the class failed
        cls.addClassCleanup(lambda: stack.stop(failed=cls._failed))
        stack.__enter__()
        cls.stack = stack
        cls.username = stack.bootstrap(authority="Browser Helpdesk", country="NL", email=EMAIL,
                                       first_name="Grace", last_name="Hopper")

    def setUp(self):
        # imported here so that a missing python3-selenium is one failing test
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="imiflow-chromium-")
        self.addCleanup(shutil.rmtree, self.profile, ignore_errors=True)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for arg in ("--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                    "--no-proxy-server", "--user-data-dir=" + self.profile):
            opts.add_argument(arg)
        log = os.path.join(self.profile, "chromedriver.log")
        service = Service(executable_path=CHROMEDRIVER, log_path=log)
        self.driver = None
        self.service = service
        self.addCleanup(self._stop_browser)
        self.driver = webdriver.Chrome(service=service, options=opts)
        self.driver.set_page_load_timeout(WAIT)

    def _stop_browser(self):
        """driver.quit(), then kill by PID whatever of ours is still running."""
        proc = getattr(self.service, "process", None)
        pids = []
        if proc is not None and proc.poll() is None:
            pids = [proc.pid] + _descendants(proc.pid)
        try:
            if self.driver is not None:
                self.driver.quit()
        except Exception as e:  # noqa: BLE001 - the kill below is the fallback
            print("driver.quit failed: %r" % (e,), file=sys.stderr)
        finally:
            left = [p for p in pids if _alive(p)]
            if left:
                print("killing leftover chromedriver/chromium PIDs %s" % left, file=sys.stderr)
                _kill_all(left)
            if proc is not None and proc.poll() is None:
                proc.kill()
            if proc is not None:
                try:
                    proc.wait(timeout=5)
                except Exception:  # noqa: BLE001
                    pass

    def _temp_password(self):
        msg = self.stack.wait_mail(
            lambda m: EMAIL in (m.get("To") or "") and m.get("Subject") == TEMP_SUBJECT,
            timeout=20)
        part = msg.get_body(preferencelist=("plain",)) or msg
        m = TEMP_LINE.search(part.get_content())
        self.assertIsNotNone(m, "no temporary password in the mail")
        return m.group(1)

    def _wait(self, cond, what):
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait
        try:
            return WebDriverWait(self.driver, WAIT).until(cond)
        except TimeoutException:
            self.fail("timed out waiting for %s; at %s:\n%s"
                      % (what, self.driver.current_url, self.driver.page_source[:3000]))

    def _path(self):
        from urllib.parse import urlsplit
        return urlsplit(self.driver.current_url).path

    def test_login_through_the_real_page(self):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC

        temp = self._temp_password()
        d = self.driver
        d.get(self.stack.url + "/login")
        self._wait(EC.presence_of_element_located((By.ID, "login-submit")), "the login page")
        d.find_element(By.NAME, "username").send_keys(self.username)
        d.find_element(By.NAME, "password").send_keys(temp)
        d.find_element(By.ID, "login-submit").click()

        self._wait(lambda drv: self._path() == "/password", "the password page")
        self._wait(EC.presence_of_element_located((By.NAME, "new")), "the password form")
        new = "Br" + secrets.token_hex(5) + "9w"
        d.find_element(By.NAME, "current").send_keys(temp)
        d.find_element(By.NAME, "new").send_keys(new)
        d.find_element(By.NAME, "confirm").send_keys(new)
        form = d.find_element(By.XPATH, "//form[.//input[@name='new']]")
        buttons = form.find_elements(By.CSS_SELECTOR,
                                     "button[type=submit], input[type=submit], button:not([type])")
        if buttons:
            buttons[0].click()
        else:
            form.submit()

        # #current-user is in the header of the password page too: wait for the address.
        self._wait(lambda drv: self._path() == "/", "the home page")
        cur = self._wait(EC.presence_of_element_located((By.ID, "current-user")), "the home page")
        notice = d.find_element(By.CSS_SELECTOR, "[data-notice]")
        self.assertEqual(notice.get_attribute("data-notice"), "password-changed")
        self.assertIn(self.username, cur.text)
        # the session cookie is not readable from scripts
        names = d.execute_script("return document.cookie")
        self.assertNotIn("imiflow_session", names)
        type(self).password = new

    def test_register_an_authority_and_grant_a_module(self):
        """Chromium fills the real forms: register an authority with its first user, read its
        username off the screen, open the Modules tab and grant a module (checkboxes, radio
        buttons and a <details> panel as a person would use them)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC

        self.assertTrue(getattr(self, "password", None), "the login test did not pass")
        d = self.driver
        d.get(self.stack.url + "/login")
        self._wait(EC.presence_of_element_located((By.ID, "login-submit")), "the login page")
        d.find_element(By.NAME, "username").send_keys(self.username)
        d.find_element(By.NAME, "password").send_keys(self.password)
        d.find_element(By.ID, "login-submit").click()
        self._wait(lambda drv: self._path() == "/", "the home page")
        d.find_element(By.ID, "nav-managed").click()
        self._wait(EC.presence_of_element_located((By.ID, "register-link")), "managed authorities")
        d.find_element(By.ID, "register-link").click()
        self._wait(EC.presence_of_element_located((By.ID, "register-form")), "the register form")
        from selenium.webdriver.support.ui import Select
        values = {"official_name": "Rijksdienst voor Ondernemend Nederland", "address": "Den Haag",
                  "email": "info@rvo.example", "first_name": "Fenna", "last_name": "de Vries",
                  "user_email": "fenna@rvo.example"}
        for name, value in values.items():
            d.find_element(By.NAME, name).send_keys(value)
        Select(d.find_element(By.NAME, "country")).select_by_value("NL")
        Select(d.find_element(By.NAME, "authority_type")).select_by_value("competent-authority")
        Select(d.find_element(By.NAME, "language")).select_by_value("nl")
        d.find_element(By.ID, "register-submit").click()
        user = self._wait(EC.presence_of_element_located((By.ID, "new-username")), "the result")
        self.assertEqual(user.text, "fdevries")
        d.find_element(By.ID, "new-authority").click()
        self._wait(EC.presence_of_element_located((By.ID, "accesses")), "the Modules tab")
        code = self.stack.psql("SELECT code FROM modules WHERE kind = 'register' LIMIT 1")[0][0]
        d.find_element(By.CSS_SELECTOR, f"#grant-{code} summary").click()
        d.find_element(By.ID, f"grant-{code}-submit").click()
        row = self._wait(EC.presence_of_element_located(
            (By.CSS_SELECTOR, f"#accesses tr[data-module='{code}']")), "the granted access")
        self.assertEqual(row.get_attribute("data-state"), "granted")


if __name__ == "__main__":
    tap.main()
