#!/usr/bin/python3
"""layers.py -- holds the layers of engine/ (engine/README.md reads this file).

Every folder of engine/ is a layer; LAYERS lists them from the bottom up.  A file may include
the headers of its own folder and of the folders below it, never of one above: the workflow
engine (wf/) cannot name the IMI domain (imi/) or a page (pages/), and the domain cannot name a
page.  The files directly in engine/ (main.c, serve.c) are the top: they put the program together.

A file and its header are one concept (X.c and X.h); a concept that includes another depends
on it.  No circle of concepts may appear, inside a folder or across folders.

Prints TAP: one result per rule, each failure with the file and the include that breaks it.

    tests/layers.py [ENGINE_DIR]        (default: engine/ beside this tests/ folder)
"""

import os
import re
import sys

# Bottom up.  "" is engine/ itself: main.c and serve.c.
LAYERS = ["core", "db", "web", "mail", "wf", "imi", "pages", ""]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def concepts(root):
    """{concept: (layer, [paths])}, a concept being a file name without .c/.h."""
    found = {}
    for layer in LAYERS:
        folder = os.path.join(root, layer)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".c", ".h")):
                continue
            concept = name[:-2]
            path = os.path.join(folder, name)
            if concept in found and found[concept][0] != layer:
                raise SystemExit("%s: %s is also in %s/" % (path, concept, found[concept][0] or "engine"))
            found.setdefault(concept, (layer, []))[1].append(path)
    return found


def unplaced(root):
    """Source files in folders that are no layer."""
    out = []
    for dirpath, _dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        layer = "" if rel == "." else rel
        if layer in LAYERS:
            continue
        out += [os.path.join(dirpath, f) for f in files if f.endswith((".c", ".h"))]
    return sorted(out)


def edges(found):
    """[(from_concept, to_concept, path, header)] for every include of a project header."""
    out, missing = [], []
    for concept, (_layer, paths) in sorted(found.items()):
        for path in paths:
            with open(path, encoding="utf-8") as f:
                for header in INCLUDE.findall(f.read()):
                    target = os.path.basename(header)[:-2] if header.endswith(".h") else None
                    if target is None or target not in found:
                        missing.append((path, header))
                    elif target != concept:
                        out.append((concept, target, path, header))
    return out, missing


def circles(found, deps):
    """Strongly connected components of more than one concept (Tarjan)."""
    graph = {c: sorted({t for (f, t, _p, _h) in deps if f == c}) for c in found}
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "engine")
    found = concepts(root)
    deps, missing = edges(found)
    results = []

    stray = unplaced(root)
    results.append(("every source file is in a layer folder (%s)" % ", ".join(l or "engine/" for l in LAYERS),
                    ["%s: not in a layer folder" % p for p in stray]))
    results.append(("every included project header exists in engine/",
                    ["%s: includes \"%s\", which no layer holds" % (p, h) for (p, h) in missing]))
    rank = {l: i for i, l in enumerate(LAYERS)}
    upward = []
    for (c, t, path, header) in deps:
        lf, lt = found[c][0], found[t][0]
        if rank[lt] > rank[lf]:
            upward.append("%s: includes \"%s\" from %s/, a layer above %s/"
                          % (path, header, lt or "engine", lf or "engine"))
    results.append(("no file includes a header of a higher layer", upward))
    results.append(("no circle of files that include each other",
                    ["circle: %s" % " -> ".join(comp) for comp in circles(found, deps)]))

    print("1..%d" % len(results))
    failed = 0
    for n, (name, problems) in enumerate(results, 1):
        print("%s %d - %s" % ("not ok" if problems else "ok", n, name))
        for p in problems:
            print("# " + p)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
