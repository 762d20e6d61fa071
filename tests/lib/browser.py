"""A tiny HTTP client for the end-to-end tests, on top of urllib (stdlib only).

It behaves like a browser in the ways the tests care about and in no other:
it keeps cookies, it never follows a redirect by itself (a test asserts the
303 and its Location, then calls follow()), it never raises on an HTTP error
status (a 403 or 404 page is a response like any other), it never uses a
proxy from the environment, and it parses HTML with html.parser and XML with
xml.etree -- never with regular expressions.

    b = Browser(stack.url)
    r = b.get("/login")
    page = r.html()
    r = b.post("/login", {"username": u, "password": p, "csrf": page.csrf()})
    assert r.status == 303 and r.location == "/password"
    r = b.follow(r)

    r = b.submit(b.get("/login"), {"username": u, "password": p})  # form + csrf

Cookies: a small jar of its own (name -> Cookie) so tests can read, set back
and delete cookies and see the raw attributes (HttpOnly, SameSite) of each
Set-Cookie header.  Domain is ignored (a Browser talks to one origin); Path
is honoured; Secure cookies are still sent over http (a note in the response
records that the server asked for Secure, see Response.set_cookies).
"""

import html.parser
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

__all__ = ["Browser", "Response", "Document", "Element", "Cookie", "parse_set_cookie"]

DEFAULT_TIMEOUT = 30

# HTML elements that never have content or an end tag.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


# ---------------------------------------------------------------------------
# Cookies


class Cookie:
    """One cookie as set by a Set-Cookie header."""

    def __init__(self, name, value, attrs=None, raw=None):
        self.name = name
        self.value = value
        self.attrs = dict(attrs or {})  # lower-case attribute name -> value (True for flags)
        self.raw = raw

    @property
    def path(self):
        p = self.attrs.get("path")
        return p if isinstance(p, str) and p.startswith("/") else "/"

    @property
    def httponly(self):
        return "httponly" in self.attrs

    @property
    def secure(self):
        return "secure" in self.attrs

    @property
    def samesite(self):
        v = self.attrs.get("samesite")
        return v if isinstance(v, str) else None

    def expired(self):
        """True when the header deletes the cookie (Max-Age <= 0 or Expires in the past)."""
        if "max-age" in self.attrs:
            try:
                return int(self.attrs["max-age"]) <= 0
            except (TypeError, ValueError):
                return False
        if "expires" in self.attrs:
            try:
                when = parsedate_to_datetime(self.attrs["expires"])
                return when.timestamp() <= time.time()
            except (TypeError, ValueError, IndexError):
                return False
        return False

    def __repr__(self):
        return "Cookie(%r, %r, %r)" % (self.name, self.value, self.attrs)


def parse_set_cookie(header):
    """Parse one Set-Cookie header value into a Cookie (None if it has no name=value)."""
    parts = header.split(";")
    first = parts[0]
    if "=" not in first:
        return None
    name, value = first.split("=", 1)
    name = name.strip()
    if not name:
        return None
    attrs = {}
    for part in parts[1:]:
        part = part.strip()
        if not part:
            continue
        if "=" in part:
            k, v = part.split("=", 1)
            attrs[k.strip().lower()] = v.strip()
        else:
            attrs[part.lower()] = True
    return Cookie(name, value.strip(), attrs, raw=header)


# ---------------------------------------------------------------------------
# HTML


class Element:
    """A node of the small DOM built by Document."""

    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {}
        for k, v in attrs:
            self.attrs[k] = "" if v is None else v
        self.parent = parent
        self.children = []  # Elements and str

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    @property
    def id(self):
        return self.attrs.get("id")

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    @property
    def text(self):
        """All descendant text, white space collapsed."""
        return " ".join(self._text().split())

    def _text(self):
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c._text())
        return "".join(out)

    def iter(self):
        """This element and every descendant element, in document order."""
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.iter()

    def matches(self, tag=None, **attrs):
        """tag and attributes: id="x", class_="error" (one of the classes),
        data_rule="length" (data-rule), name=True (present), name=None (absent)."""
        if tag is not None and self.tag != tag:
            return False
        for key, want in attrs.items():
            if key == "class_":
                if want not in self.classes:
                    return False
                continue
            name = key.rstrip("_").replace("_", "-")
            have = self.attrs.get(name)
            if want is True:
                if have is None:
                    return False
            elif want is None:
                if have is not None:
                    return False
            elif have != want:
                return False
        return True

    def find_all(self, tag=None, **attrs):
        return [e for e in self.iter() if e.matches(tag, **attrs)]

    def find(self, tag=None, **attrs):
        for e in self.iter():
            if e.matches(tag, **attrs):
                return e
        return None

    def data(self):
        """The data-* attributes of this element, without the prefix."""
        return {k[5:]: v for k, v in self.attrs.items() if k.startswith("data-")}

    def __repr__(self):
        return "<%s %r>" % (self.tag, self.attrs)


class Form:
    """A <form> with its action, method and the values a browser would submit."""

    def __init__(self, element, base_url):
        self.element = element
        self.method = (element.get("method") or "get").lower()
        self.action = urllib.parse.urljoin(base_url, element.get("action") or base_url)

    def fields(self):
        """name -> value of the successful controls without user input:
        hidden and text-like inputs with their value, checked boxes, selected
        options, textareas. Submit buttons are left out."""
        out = {}
        for e in self.element.iter():
            name = e.get("name")
            if not name or "disabled" in e.attrs:
                continue
            if e.tag == "input":
                kind = (e.get("type") or "text").lower()
                if kind in ("submit", "button", "image", "reset", "file"):
                    continue
                if kind in ("checkbox", "radio") and "checked" not in e.attrs:
                    continue
                out[name] = e.get("value", "on" if kind in ("checkbox", "radio") else "")
            elif e.tag == "textarea":
                out[name] = e._text()
            elif e.tag == "select":
                opts = e.find_all("option")
                chosen = [o for o in opts if "selected" in o.attrs] or opts[:1]
                if chosen:
                    o = chosen[0]
                    out[name] = o.get("value", o.text)
        return out


class _Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        e = Element(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(e)
        if tag not in _VOID:
            self.stack.append(e)

    def handle_startendtag(self, tag, attrs):
        e = Element(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(e)

    def handle_endtag(self, tag):
        # Close up to the matching open element; ignore a stray end tag.
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


class Document(Element):
    """An HTML page parsed with html.parser."""

    def __init__(self, text, url=""):
        b = _Builder()
        b.feed(text)
        b.close()
        super().__init__("#document", [])
        self.children = b.root.children
        for c in self.children:
            if isinstance(c, Element):
                c.parent = self
        self.url = url

    def by_id(self, ident):
        return self.find(id=ident)

    def csrf(self):
        """The value of the hidden CSRF input (the first one on the page)."""
        e = self.find("input", name="csrf")
        if e is None:
            raise LookupError("no <input name=\"csrf\"> on %s" % (self.url or "the page"))
        if (e.get("type") or "").lower() != "hidden":
            raise LookupError("the csrf input is not type=hidden: %r" % e)
        return e.get("value", "")

    def forms(self):
        return [Form(e, self.url) for e in self.find_all("form")]

    def form(self, **attrs):
        """The first form matching attrs (e.g. id="x"); action_path="/logout"
        picks the form that posts to that path (however its action is
        written), has="new" the form holding a control named "new"."""
        has = attrs.pop("has", None)
        action_path = attrs.pop("action_path", None)
        for f in self.forms():
            if attrs and not f.element.matches("form", **attrs):
                continue
            if has is not None and f.element.find(name=has) is None:
                continue
            if action_path is not None and urllib.parse.urlsplit(f.action).path != action_path:
                continue
            return f
        raise LookupError("no form matching %r has=%r action_path=%r on %s"
                          % (attrs, has, action_path, self.url))

    def inputs(self, **form_attrs):
        """name -> value of the inputs of a form (see form())."""
        return self.form(**form_attrs).fields()

    def errors(self):
        """Elements with class "error"."""
        return self.find_all(class_="error")

    def rules(self):
        """The data-rule values of the error elements of the password page."""
        return [e.get("data-rule") for e in self.find_all(class_="error") if e.get("data-rule")]

    def main_status(self):
        """The data-status of <main>, for rendered error pages."""
        m = self.find("main")
        return None if m is None else m.get("data-status")


# ---------------------------------------------------------------------------
# Responses


class Response:
    def __init__(self, method, url, status, reason, headers, body):
        self.method = method
        self.url = url
        self.status = status
        self.reason = reason
        self.headers = headers  # http.client.HTTPMessage, case-insensitive
        self.body = body
        self._doc = None

    def header(self, name, default=None):
        return self.headers.get(name, default)

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def location(self):
        """The Location header as sent (None when absent)."""
        return self.headers.get("Location")

    @property
    def location_path(self):
        """The path of the Location (without query), wherever it points."""
        loc = self.location
        if loc is None:
            return None
        return urllib.parse.urlsplit(urllib.parse.urljoin(self.url, loc)).path

    @property
    def location_query(self):
        """The query of the Location as a dict of first values ({} if none)."""
        loc = self.location
        if loc is None:
            return {}
        q = urllib.parse.urlsplit(urllib.parse.urljoin(self.url, loc)).query
        return dict(urllib.parse.parse_qsl(q, keep_blank_values=True))

    @property
    def set_cookies(self):
        """Every Set-Cookie of this response, parsed, in order."""
        out = []
        for h in self.headers.get_all("Set-Cookie") or []:
            c = parse_set_cookie(h)
            if c is not None:
                out.append(c)
        return out

    def set_cookie(self, name):
        """The last Set-Cookie for name in this response, or None."""
        found = None
        for c in self.set_cookies:
            if c.name == name:
                found = c
        return found

    @property
    def text(self):
        charset = self.headers.get_content_charset() or "utf-8"
        return self.body.decode(charset, errors="replace")

    def html(self):
        if self._doc is None:
            self._doc = Document(self.text, self.url)
        return self._doc

    def xml(self):
        """The body parsed with xml.etree (the root Element)."""
        return ET.fromstring(self.body)

    def __repr__(self):
        return "<Response %s %s -> %d %s>" % (self.method, self.url, self.status,
                                              self.location or self.content_type)

    def describe(self, limit=2000):
        """Status, headers and the start of the body, for assertion messages."""
        body = self.text
        if len(body) > limit:
            body = body[:limit] + "...[%d more chars]" % (len(body) - limit)
        return "%s %s -> %d %s\n%s\n%s" % (self.method, self.url, self.status, self.reason,
                                          str(self.headers).strip(), body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx responses back as they are."""

    def http_error_301(self, req, fp, code, msg, headers):
        return fp

    http_error_302 = http_error_303 = http_error_307 = http_error_308 = http_error_301


# ---------------------------------------------------------------------------
# The browser


class Browser:
    def __init__(self, base_url, timeout=DEFAULT_TIMEOUT, headers=None):
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.default_headers = dict(headers or {})
        self.cookies = {}  # name -> Cookie
        self.history = []  # every Response, in order
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), _NoRedirect())
        # build_opener adds HTTPCookieProcessor only when asked; we manage cookies.

    # -- cookies -------------------------------------------------------------

    def cookie(self, name):
        """The value of a cookie in the jar, or None."""
        c = self.cookies.get(name)
        return None if c is None else c.value

    def set_cookie(self, name, value, path="/"):
        self.cookies[name] = Cookie(name, value, {"path": path})

    def delete_cookie(self, name):
        self.cookies.pop(name, None)

    def clear_cookies(self):
        self.cookies.clear()

    def _cookie_header(self, path):
        pairs = []
        for c in self.cookies.values():
            p = c.path
            if path == p or path.startswith(p.rstrip("/") + "/") or p == "/":
                pairs.append("%s=%s" % (c.name, c.value))
        return "; ".join(pairs)

    def _store_cookies(self, resp):
        for c in resp.set_cookies:
            if c.expired() or c.value == "":
                self.cookies.pop(c.name, None)
            else:
                self.cookies[c.name] = c

    # -- requests ------------------------------------------------------------

    def url(self, path):
        return urllib.parse.urljoin(self.base_url, path)

    def request(self, method, path, body=None, headers=None,
                content_type="application/x-www-form-urlencoded"):
        """Send one request; body is bytes (or None). Never follows redirects,
        never raises for an HTTP status."""
        url = self.url(path)
        hdrs = dict(self.default_headers)
        if body is not None and content_type:
            hdrs["Content-Type"] = content_type
        hdrs.update(headers or {})
        cookie = self._cookie_header(urllib.parse.urlsplit(url).path or "/")
        if cookie and "Cookie" not in hdrs:
            hdrs["Cookie"] = cookie
        req = urllib.request.Request(url, data=body, headers=hdrs, method=method)
        try:
            raw = self._opener.open(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            raw = e
        try:
            data = raw.read()
        except http.client.IncompleteRead as e:
            data = e.partial
        finally:
            raw.close()
        resp = Response(method, url, raw.status if hasattr(raw, "status") else raw.code,
                        getattr(raw, "reason", ""), raw.headers, data)
        self._store_cookies(resp)
        self.history.append(resp)
        return resp

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, headers=None):
        """POST fields (a dict or a list of pairs) urlencoded."""
        body = urllib.parse.urlencode(fields, doseq=True).encode("ascii")
        return self.request("POST", path, body=body, headers=headers)

    def post_raw(self, path, body, content_type="application/x-www-form-urlencoded",
                 headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        return self.request("POST", path, body=body, headers=headers, content_type=content_type)

    def follow(self, resp):
        """GET the Location of a redirect response."""
        if resp.location is None:
            raise AssertionError("not a redirect: %s" % resp.describe(500))
        return self.get(urllib.parse.urljoin(resp.url, resp.location))

    def follow_all(self, resp, limit=10):
        """Follow redirects until a non-redirect response."""
        for _ in range(limit):
            if resp.status not in (301, 302, 303, 307, 308):
                return resp
            resp = self.follow(resp)
        raise AssertionError("more than %d redirects" % limit)

    def submit(self, page, fields, **form_attrs):
        """Submit a form of page (a Response or Document) the way a browser
        does: its hidden fields (csrf) and other prefilled values, overridden
        by fields, sent to its action with its method."""
        doc = page.html() if isinstance(page, Response) else page
        form = doc.form(**form_attrs)
        values = form.fields()
        values.update(fields)
        if form.method == "post":
            return self.post(form.action, values)
        u = urllib.parse.urlsplit(form.action)
        q = urllib.parse.urlencode(values, doseq=True)
        return self.get(urllib.parse.urlunsplit((u.scheme, u.netloc, u.path, q, "")))

    def get_xml(self, path, headers=None):
        """GET path with format=xml added to its query; the Response, whose
        .xml() is the parsed model (resp.root holds it already)."""
        u = urllib.parse.urlsplit(path)
        q = urllib.parse.parse_qsl(u.query, keep_blank_values=True)
        q = [(k, v) for k, v in q if k != "format"] + [("format", "xml")]
        resp = self.get(urllib.parse.urlunsplit(
            (u.scheme, u.netloc, u.path, urllib.parse.urlencode(q), u.fragment)), headers)
        resp.root = None
        if resp.status == 200:
            resp.root = resp.xml()
        return resp
