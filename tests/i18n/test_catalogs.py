#!/usr/bin/python3
"""test_catalogs.py -- the message catalogues (xslt/i18n/LANG.xml) are complete.

For every language besides English: every key of en.xml is there, none is empty, and each
translation carries the same placeholders ({1}, {2}, ...) as the English; every label of a
workflow definition (workflows/*.xml, label="...", and its <description>) and every module
name, keyword and legal area of the catalogue (workflows/modules.xml: keywords are options
of module-keywords), which pages show through their English wording as the key, is
translated too (their confirm="..." texts as well).  For English: every key a stylesheet
names literally, i18n:t('key'), exists, and for i18n:plural('key', n) each of key.one,
key.few and key.other; no key is given twice in a catalogue.  Keys built at run time
(concat('error.', ...)) are checked where they are made, not here.  Prints TAP, one result
per check and language.

    tests/i18n/test_catalogs.py [TOP]       (default: the checkout this file is in)
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

LANGS = ["da", "nl", "ro"]
PLACEHOLDER = re.compile(r"\{\d+\}")
LITERAL_KEY = re.compile(r"i18n:t\('([^']+)'")
# i18n:plural('KEY', n) reads KEY.one, KEY.few (Romanian) and KEY.other (issue 16).
PLURAL_KEY = re.compile(r"i18n:plural\('([^']+)'")
PLURAL_FORMS = ("one", "few", "other")


def catalog(path):
    """[(key, text)] in file order."""
    root = ET.parse(path).getroot()
    return [(m.get("key"), "".join(m.itertext())) for m in root.iter("msg")]


def workflow_labels(top):
    """The English wordings pages translate through the catalogue: definitions' labels and
    descriptions, and the module catalogue's names, keywords and legal areas."""
    labels = set()
    folder = os.path.join(top, "workflows")
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".xml"):
            continue
        root = ET.parse(os.path.join(folder, f)).getroot()
        if root.tag.endswith("}workflow"):
            labels |= {e.get(a) for e in root.iter() for a in ("label", "confirm") if e.get(a)}
            # The description, shown where a case is started (/cases/new).
            labels |= {"".join(e.itertext()).strip() for e in root
                       if e.tag.endswith("}description")}
        elif root.tag.endswith("}modules"):
            labels |= {"".join(e.itertext()).strip() for e in root.iter()
                       if e.tag.endswith("}name")}
            # Keywords and legal areas: the options and groups of module-keywords (options-from).
            labels |= {"".join(e.itertext()).strip() for e in root.iter()
                       if e.tag.endswith("}keyword")}
            labels |= {e.get("legal-area") for e in root.iter() if e.get("legal-area")}
    return labels


def strip_comments(text):
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")
    i18n = os.path.join(top, "xslt", "i18n")
    en = catalog(os.path.join(i18n, "en.xml"))
    en_keys = dict(en)
    labels = workflow_labels(top)
    results = []

    used = set()
    for dirpath, _dirs, files in os.walk(os.path.join(top, "xslt")):
        for f in files:
            if f.endswith(".xsl"):
                with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                    text = strip_comments(fh.read())
                    used |= set(LITERAL_KEY.findall(text))
                    used |= {"%s.%s" % (k, f) for k in PLURAL_KEY.findall(text)
                             for f in PLURAL_FORMS}
    results.append(("every key a stylesheet names is in en.xml",
                    ["%s: named by a stylesheet, in no catalogue" % k
                     for k in sorted(used - set(en_keys))]))

    for lang in ["en"] + LANGS:
        entries = en if lang == "en" else catalog(os.path.join(i18n, lang + ".xml"))
        seen, twice = set(), []
        for k, _t in entries:
            if k in seen:
                twice.append("%s.xml: %s given twice" % (lang, k))
            seen.add(k)
        results.append(("%s.xml gives no key twice" % lang, twice))
        if lang == "en":
            continue
        have = dict(entries)
        results.append(("%s.xml has every key of en.xml" % lang,
                        ["%s.xml: %s missing" % (lang, k) for k, _t in en if k not in have]))
        results.append(("%s.xml has no empty message" % lang,
                        ["%s.xml: %s is empty" % (lang, k) for k, t in entries if not t.strip()]))
        results.append(("%s.xml keeps every placeholder" % lang,
                        ["%s.xml: %s has %s, en.xml %s" % (
                            lang, k, sorted(PLACEHOLDER.findall(have[k])),
                            sorted(PLACEHOLDER.findall(t)))
                         for k, t in en if k in have and
                         sorted(PLACEHOLDER.findall(have[k])) != sorted(PLACEHOLDER.findall(t))]))
        results.append(("%s.xml translates every workflow label and module name" % lang,
                        ["%s.xml: the label \"%s\" missing" % (lang, k)
                         for k in sorted(labels) if k not in have]))
        results.append(("%s.xml has no key that en.xml or a workflow lacks" % lang,
                        ["%s.xml: %s is in no English catalogue and no workflow" % (lang, k)
                         for k, _t in entries if k not in en_keys and k not in labels]))

    print("1..%d" % len(results))
    failed = 0
    for n, (name, problems) in enumerate(results, 1):
        print("%s %d - %s" % ("not ok" if problems else "ok", n, name))
        for p in problems[:40]:
            print("# " + p)
        if len(problems) > 40:
            print("# ... and %d more" % (len(problems) - 40))
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
