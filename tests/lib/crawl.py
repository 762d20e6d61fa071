"""crawl.py -- every page a signed-in user reaches by following links, and the internal codes
that must never show in a page's visible text (issue 16: "Internal codes never show").

    pages = crawl(browser)                      # {path?query: Response}, GET only
    codes = internal_codes()                    # module codes, hyphenated states and events, ...
    raw_codes(response.html(), codes)           # ["awaiting-approval", "#51", ...]

The codes come from the definitions themselves (workflows/*.xml, workflows/modules.xml), so a
new workflow's states are held to the rule without a change here.  A code is only flagged when
it stands as a word of its own in the visible text (not in attributes, scripts or styles, not
inside a longer word or a URL that a person typed)."""

import os
import re
import urllib.parse
import xml.etree.ElementTree as ET

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
WF = "{urn:imiflow:workflow:1}"

# Links a crawl never follows: signing out, files, machine formats, and pages that act.
SKIP = re.compile(r"^/(logout|static/|links/)|/documents/|/export|format=|\.csv|\.xml|/print\b"
                  r"|/diagram\.svg")
# The text of these elements is not read as words on the page.
HIDDEN = {"script", "style", "head", "template", "svg"}


def internal_codes(top=TOP):
    """The internal names that a page must say in words: module codes, every hyphenated state,
    event, participant role or state, comment type and choice value of the definitions."""
    codes = set()
    wf = os.path.join(top, "workflows")
    mods = ET.parse(os.path.join(wf, "modules.xml")).getroot()
    for m in mods.iter():
        if m.tag.split("}")[-1] == "module" and m.get("code"):
            codes.add(m.get("code"))
    for name in sorted(os.listdir(wf)):
        if not name.endswith(".xml") or name == "modules.xml":
            continue
        root = ET.parse(os.path.join(wf, name)).getroot()
        if root.tag != WF + "workflow":
            continue
        codes.add(root.get("name"))
        for e in root.iter():
            tag = e.tag.split("}")[-1]
            for attr in {"state": ("name",), "transition": ("event", "to"), "role": ("name",),
                         "option": ("value",), "comment": ("type",)}.get(tag, ()):
                v = e.get(attr)
                if v and "-" in v:
                    codes.add(v)
    return {c for c in codes if "-" in c and not re.fullmatch(r"[A-Z]{2}(-[A-Z]{2})*", c)}


def visible_text(doc):
    """The page's words as a person reads them: text nodes outside HIDDEN elements, plus the
    option labels of selects (shown when opened)."""
    out = []

    def walk(e):
        if e.tag in HIDDEN:
            return
        for c in e.children:
            if isinstance(c, str):
                out.append(c)
            else:
                walk(c)
    walk(doc)
    return " ".join(" ".join(out).split())


def raw_codes(doc, codes, allowed=()):
    """The internal codes and "#ID"s in doc's visible text; allowed: strings (names typed by
    people, e.g. a subject) removed from the text before it is read."""
    text = visible_text(doc)
    for a in allowed:
        text = text.replace(a, " ")
    found = []
    for word in re.findall(r"[\w][\w-]*[\w]|#\d+", text):
        if word.startswith("#") or word in codes:
            found.append(word)
    return found


def _links(doc, base):
    for a in doc.find_all("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        u = urllib.parse.urlsplit(urllib.parse.urljoin(base, href))
        if u.netloc and u.netloc != urllib.parse.urlsplit(base).netloc:
            continue
        path = u.path + ("?" + u.query if u.query else "")
        if SKIP.search(path):
            continue
        yield path


def crawl(browser, start=("/",), limit=600):
    """Every page reachable from start by links, GET only, as browser's user: {path: Response}."""
    seen, todo = {}, list(start)
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen:
            continue
        r = browser.get(path)
        seen[path] = r
        if r.status != 200 or "html" not in (r.header("Content-Type") or ""):
            continue
        for nxt in _links(r.html(), browser.base_url + path):
            if nxt not in seen and nxt not in todo:
                todo.append(nxt)
    return seen
