"""crawl.py -- every page a signed-in user reaches by following links, and the internal codes
that must never show in a page's visible text (issue 16: "Internal codes never show").

    pages = crawl(browser)                      # {path?query: Response}, GET only
    codes = internal_codes()                    # module codes, hyphenated states and events, ...
    raw_codes(response.html(), codes)           # ["awaiting-approval", "#51", ...]
    words = english_words("da")                 # English words a Danish page must not show
    english(response.html(), words, typed_texts())   # [("requests", "...context...")]

The codes come from the definitions themselves (workflows/*.xml, workflows/modules.xml), so a
new workflow's states are held to the rule without a change here.  A code is only flagged when
it stands as a word of its own in the visible text (not in attributes, scripts or styles, not
inside a longer word or a URL that a person typed).

The English words come from the catalogues (xslt/i18n): en.xml's texts and the English wordings
that are keys of LANG.xml (workflow labels, module names, keywords, descriptions), less every
word LANG.xml itself uses -- so a new page text or label is held to the rule without a change
here either.  What people typed in the demo (tests/lib/demo.py) is content, like names, and is
not read: in IMI a Dutch colleague writes in English."""

import ast
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


# A word as english_words() counts them: letters only, four or more (shorter ones are as often
# Danish, Dutch or Romanian words, or abbreviations).
WORD = re.compile(r"[^\W\d_]{4,}")


def catalogue(lang, top=TOP):
    """xslt/i18n/LANG.xml as a dict key -> message (the tests' one reader of the catalogues)."""
    root = ET.parse(os.path.join(top, "xslt", "i18n", lang + ".xml")).getroot()
    return {m.get("key"): "".join(m.itertext()) for m in root.iter("msg")}


def english_words(lang, top=TOP):
    """The lower-cased English words a page in lang must not show: the words of en.xml's texts
    and of LANG.xml's keys that are no key of en.xml (the English wording of a workflow label,
    module name, keyword or description is its key), less every word the reader's language
    uses: LANG.xml's texts and the question sets' <label lang="LANG"> (a word both languages
    use, e.g. Danish "administrative" or Dutch "Administrator", is not English there)."""
    en, local = catalogue("en", top), catalogue(lang, top)
    english = list(en.values()) + [k for k in local if k not in en]
    mine = list(local.values())
    qdir = os.path.join(top, "workflows", "questions")
    for name in sorted(os.listdir(qdir)):
        if name.endswith(".xml"):
            mine += ["".join(e.itertext()) for e in ET.parse(os.path.join(qdir, name)).iter()
                     if e.get("lang") == lang]
    return ({w.lower() for t in english for w in WORD.findall(t)}
            - {w.lower() for t in mine for w in WORD.findall(t)})


CODE = re.compile(r"[a-z]+(-[a-z]+)*")


def typed_texts(top=TOP):
    """What people type in the demo, which pages show as it was typed: every string literal of
    tests/lib/demo.py (names, subjects, comments, register data) and the bootstrapped helpdesk's
    authority, full name and e-mail (tests/lib/stack.py DEFAULT_BOOTSTRAP), blanks collapsed as
    visible_text() does.  A literal that is a catalogue key stays in the text: pages show a
    keyword or label by that English wording only where it is untranslated (so the demo types
    none, e.g. an informal title "Doctors"); so does a code (a field name, an event or an
    option value such as "safety": what the page shows for it is its label)."""
    lib = os.path.join(top, "tests", "lib")
    keys = set(catalogue("da", top)) | set(catalogue("en", top))
    with open(os.path.join(lib, "demo.py"), encoding="utf-8") as f:
        literals = [n.value for n in ast.walk(ast.parse(f.read()))
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    with open(os.path.join(lib, "stack.py"), encoding="utf-8") as f:
        boot = next(ast.literal_eval(n.value) for n in ast.walk(ast.parse(f.read()))
                    if isinstance(n, ast.Assign)
                    and any(getattr(t, "id", "") == "DEFAULT_BOOTSTRAP" for t in n.targets))
    literals += [boot["authority"], boot["first_name"] + " " + boot["last_name"], boot["email"]]
    texts = set()
    for lit in literals:
        t = " ".join(lit.split())
        if WORD.search(t) and t not in keys and not CODE.fullmatch(t):
            texts.add(t)
    return sorted(texts, key=len, reverse=True)


# Text typed by people is matched from this many characters on, as far as it goes on the page:
# lists show the start of a long message (a mail's first lines), and the rest is elsewhere.
TYPED_PREFIX = 24


def _without_typed(text, typed):
    for t in typed:
        if len(t) >= TYPED_PREFIX:
            head, start = t[:TYPED_PREFIX], 0
            while (i := text.find(head, start)) >= 0:
                n = TYPED_PREFIX
                while n < len(t) and i + n < len(text) and text[i + n] == t[n]:
                    n += 1
                text = text[:i] + " " + text[i + n:]
                start = i + 1
        else:
            text = re.sub(r"(?<!\w)" + re.escape(t) + r"(?!\w)", " ", text)
    return text


def english(doc, words, typed=()):
    """The English words (of english_words()) in doc's visible text, once the text people typed
    (typed_texts()) is taken out: [(word, context)], context the text around the word."""
    text = _without_typed(visible_text(doc), typed)
    found = []
    for m in WORD.finditer(text):
        if m.group().lower() in words:
            found.append((m.group(), text[max(0, m.start() - 50):m.end() + 50]))
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
