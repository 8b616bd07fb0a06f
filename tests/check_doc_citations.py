#!/usr/bin/env python3
"""Keeps the "why" of the code reachable (issue 14, part 6).

Comments and docs cite sections of the in-repo references as `docs/redis-reference.md §5.1`, `docs/validation.md
§1.2`, `docs/design.md §8`, `docs/toolchain.md §4` (and `ref. §5.1` or, in knob help texts, `ref. 5.1` for
docs/redis-reference.md). This check fails
  - for every cited § that has no heading with that number in the cited document,
  - for every cited docs/*.md file that does not exist,
  - for every citation of a reference outside the repository (the workplace's shared/reference/ files:
    redis-cluster.md, validation.md, design.md, toolchain.md, peers.md, ...).
A bare § with no document on its line refers to the document last cited earlier in the same file (a comment that
continues onto the next line); in a docs/*.md file it refers to that file itself. A § right after "RFC <n>" is
not ours. The bundled trace lives outside the repository as data (../shared/traces/*.bin); that path is allowed.

Usage: check_doc_citations.py [REPO_ROOT]   (default: the parent of this script's directory)
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
SELF = os.path.abspath(__file__)
SCAN = ["sim", "live", "gui", "tests", "cmake", "scenarios", "tools", "examples", "results", "docs", "README.md",
        "Makefile", "CMakeLists.txt"]
EXTS = (".cpp", ".hpp", ".h", ".cc", ".c", ".py", ".cmake", ".txt", ".json", ".md", ".sh", ".in", ".jsonl")
NAMES = ("Makefile", "CMakeLists.txt")

HEADING = re.compile(r"^#{1,6}\s+((?:\d+(?:\.\d+)*)|[A-Z]′?)[.\s]")
DOC = re.compile(r"(?<![\w./-])docs/([\w/.-]+?\.md)\b")
REF = re.compile(r"\bref\.\s*(?=§)")
RFC = re.compile(r"\bRFC\s*\d+\s*$")
# The knob help texts (sim/src/scenario/knobs.cpp) say "ref. 7.5" and "ref. 0, 6.1" without the § sign.
REF_NUMS = re.compile(r"\bref\.\s+(\d+(?:\.\d+)*(?:(?:,\s*|\s+and\s+)\d+(?:\.\d+)*)*)")
SECT = re.compile(r"§\s?((?:\d+(?:\.\d+)*)|[A-Z]′?)(?:\s?[-–]\s?§?(\d+(?:\.\d+)*))?")
# Citations of references that live outside the repository.
OUTSIDE = [
    (re.compile(r"(?<![\w/-])(?:reference/)?(redis-cluster|peers|style|workshop-concepts)\.md"), "a workplace reference"),
    (re.compile(r"shared/reference"), "the workplace's shared/reference/"),
    (re.compile(r"shared/traces/README"), "the workplace's shared/traces/README.md"),
    (re.compile(r"\.\./shared/(?!traces)"), "a path outside the repository"),
    (re.compile(r"/work/shared/(?!traces)"), "a path outside the repository"),
]
BARE = re.compile(r"(?<![\w/.-])(validation|design|toolchain)\.md")


def headings(path):
    ids = set()
    with open(path, encoding="utf-8") as f:
        fence = False
        for line in f:
            if line.startswith("```"):
                fence = not fence
            m = None if fence else HEADING.match(line)
            if m:
                ids.add(m.group(1))
    return ids


def files():
    for top in SCAN:
        p = os.path.join(ROOT, top)
        if os.path.isfile(p):
            yield p
            continue
        for d, dirs, fs in os.walk(p):
            dirs[:] = [x for x in dirs if not x.startswith(".") and x != "build"]
            for name in fs:
                if name.endswith(EXTS) or name in NAMES:
                    yield os.path.join(d, name)


def main():
    docs = {}
    errors = []
    cited = 0

    def ids_of(doc):
        if doc not in docs:
            p = os.path.join(ROOT, "docs", doc)
            docs[doc] = headings(p) if os.path.isfile(p) else None
        return docs[doc]

    for path in sorted(files()):
        if os.path.abspath(path) == SELF:
            continue
        rel = os.path.relpath(path, ROOT)
        try:
            text = open(path, encoding="utf-8").read()
        except (UnicodeDecodeError, OSError):
            continue
        in_docs = rel.startswith("docs" + os.sep) and rel.endswith(".md")
        own = os.path.relpath(path, os.path.join(ROOT, "docs")) if in_docs else None
        current = None
        for n, line in enumerate(text.split("\n"), 1):
            where = f"{rel}:{n}"
            for rx, what in OUTSIDE:
                if rx.search(line):
                    errors.append(f"{where}: cites {what}: {line.strip()[:100]}")
            for m in REF_NUMS.finditer(line):
                for sect in re.findall(r"\d+(?:\.\d+)*", m.group(1)):
                    cited += 1
                    if sect not in ids_of("redis-reference.md"):
                        errors.append(f"{where}: docs/redis-reference.md has no §{sect}: {line.strip()[:100]}")
            for m in BARE.finditer(line):
                local = in_docs and os.path.isfile(os.path.join(os.path.dirname(path), m.group(0)))
                if not local:
                    errors.append(f"{where}: cites {m.group(0)} outside the repository (write docs/{m.group(0)})")
            # Walk the line left to right: document mentions set the target of the § that follow them.
            marks = [(m.start(), "doc", m.group(1)) for m in DOC.finditer(line)]
            marks += [(m.start(), "doc", "redis-reference.md") for m in REF.finditer(line)]
            marks += [(m.start(), "sect", m) for m in SECT.finditer(line)]
            target = None
            for pos, kind, val in sorted(marks, key=lambda t: t[0]):
                if kind == "doc":
                    target = val
                    if ids_of(val) is None:
                        errors.append(f"{where}: docs/{val} does not exist")
                    continue
                if RFC.search(line[:pos]):
                    continue
                doc = target or (own if in_docs else current)
                if doc is None or ids_of(doc) is None:
                    continue
                for sect in filter(None, (val.group(1), val.group(2))):
                    cited += 1
                    if sect not in ids_of(doc):
                        errors.append(f"{where}: docs/{doc} has no §{sect}: {line.strip()[:100]}")
            if target and not in_docs:
                current = target
    for e in errors:
        print(e)
    print(f"check_doc_citations: {cited} § citations checked, {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
