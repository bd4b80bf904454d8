"""Every code snippet of README.md is one of the examples (examples/), which make check
builds and runs: a C, Python or Rust block must be found, line by line, in one file
under examples/ (indentation and runs of spaces aside, blank lines skipped; a line that
is only "..." or a comment holding only "..." stands for lines left out). So a snippet
cannot drift from code that is compiled and run.

Blocks in other languages are listed as not checked (Swift: no toolchain here, as the
README says), as are untagged blocks (commands and their output).

    check_readme.py README EXAMPLES_DIR
"""
import os
import re
import sys

CHECKED = {"c", "python", "rust"}
SOURCES = (".c", ".h", ".py", ".rs")
ELISION = re.compile(r"^(\.\.\.|/\* \.\.\. \*/|// \.\.\.|# \.\.\.)$")


def norm(line):
    return " ".join(line.split())


def blocks(path):
    """(line number, language, lines) of every fenced block."""
    out, lang, start, body = [], None, 0, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fence = line.strip().startswith("```")
            if lang is None and fence:
                lang, start, body = line.strip()[3:].strip(), n, []
            elif lang is not None and fence:
                out.append((start, lang, body))
                lang = None
            elif lang is not None:
                body.append(line.rstrip("\n"))
    return out


def segments(lines):
    """The snippet's normalized lines, cut at elisions."""
    segs, cur = [], []
    for line in lines:
        n = norm(line)
        if ELISION.match(n):
            if cur:
                segs.append(cur)
            cur = []
        elif n:
            cur.append(n)
    if cur:
        segs.append(cur)
    return segs


def find(hay, seg, start):
    for i in range(start, len(hay) - len(seg) + 1):
        if hay[i:i + len(seg)] == seg:
            return i
    return -1


def sources(root):
    found = {}
    for d, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(SOURCES):
                path = os.path.join(d, name)
                with open(path, encoding="utf-8") as f:
                    lines = [(n, norm(x)) for n, x in enumerate(f, 1) if norm(x)]
                found[os.path.relpath(path, os.path.dirname(root))] = lines
    return found


def locate(segs, files):
    """(file, first line, last line) holding every segment in order, or None."""
    for name, numbered in sorted(files.items()):
        hay = [x for _, x in numbered]
        at, first, last = 0, None, None
        for seg in segs:
            i = find(hay, seg, at)
            if i < 0:
                break
            first = numbered[i][0] if first is None else first
            last = numbered[i + len(seg) - 1][0]
            at = i + len(seg)
        else:
            return name, first, last
    return None


def main(readme, examples):
    files = sources(examples)
    passed = failed = 0
    for line, lang, body in blocks(readme):
        if lang not in CHECKED:
            what = lang or "untagged"
            print("not checked: README.md:%d (%s block)" % (line, what))
            continue
        segs = segments(body)
        where = locate(segs, files) if segs else None
        if where is None:
            print("FAIL: README.md:%d: this %s snippet is in no file under examples/:" %
                  (line, lang))
            print("\n".join("    " + x for x in body))
            failed += 1
        else:
            print("ok: README.md:%d (%s) is %s lines %d-%d" % (line, lang, *where))
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
