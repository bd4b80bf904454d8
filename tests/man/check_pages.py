#!/usr/bin/env python3
"""The library manuals (docs/man/*.3) against the API they document.

Checks, each counted as one test:
  1. every KCTL_API function of the public headers is named (.Nm) in the NAME section
     of exactly one page, and that page's SYNOPSIS declares it exactly as the header
     does (return type, name, every parameter's type and name);
  2. every function a page declares or names exists in a header (no stale page);
  3. every function a shared library exports (--lib LIB PREFIX: only the names with
     that prefix) is named in a page, but those the headers of --kpi-headers DIR declare:
     libkctl-kpi's Apple-named KPI (printf is kctl_kpi_printf there), Apple's to document;
  4. every KCTL_ constant a page names (.Dv, .Fd) is defined by a public header, and
     every .Xr to a libkctl manual (kctl_*, libkctl, kctl, kctl-sim) resolves to a page
     or to a function a page names;
  5. with --mandoc: each page is clean under `mandoc -Tlint -Wstyle` (every message
     counts but "referenced manual not found" and "outdated mandoc.db", which depend on
     the manuals this machine has);
  6. with --tool PAGE PROGRAM (a section 1 manual): clean under mandoc as in 5, and
     every command and --option of the program's usage text appears in the manual;
  7. with --install-from BUILD: `meson install --tags man` of that build into a scratch
     folder, then every function has man3/NAME.3 there, a page or a link to the page
     that names it (what `man kctl_open_id` opens), and every page is installed.

  check_pages.py --pages P.3... --headers H... [--lib LIB PREFIX]... [--mandoc MANDOC]
                 [--kpi-headers DIR] [--install-from BUILD] [--other-pages NAME...]
                 [--tool PAGE PROGRAM]...
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

failures = []
passes = 0


def ok():
    global passes
    passes += 1


def bad(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def norm(text):
    """One spelling for a declaration's pieces: single spaces, '*' against the name."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*(\*+)\s*", r" \1", text)
    return text.replace("( ", "(").replace(" )", ")").strip()


def header_functions(paths):
    """{name: (return type, [params])} of every KCTL_API declaration."""
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            src = f.read()
        src = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
        src = re.sub(r"//[^\n]*", " ", src)
        src = "\n".join(l for l in src.split("\n") if not l.lstrip().startswith("#"))
        for m in re.finditer(r"\bKCTL_API\b([^;{]*?)\b([A-Za-z_]\w*)\s*\(([^;]*?)\)\s*;",
                             src, flags=re.S):
            ret, name, params = norm(m.group(1)), m.group(2), m.group(3)
            out[name] = (ret, [norm(p) for p in params.split(",")])
    return out


def mdoc_args(line):
    """The arguments of an mdoc macro line, quotes honoured."""
    try:
        return shlex.split(line)[1:]
    except ValueError:
        return line.split()[1:]


def parse_page(path):
    """(names in NAME, {function: (ret, params)} of SYNOPSIS, [(xr name, section)])."""
    names, synopsis, xrefs = [], {}, []
    section = None
    ret = None
    cur = None  # (name, params) inside .Fo ... .Fc
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(".Sh "):
                section = line[4:].strip()
                continue
            for m in re.finditer(r"\bXr ([\w.-]+) (\d)", line):
                xrefs.append((m.group(1), m.group(2)))
            if section == "NAME" and line.startswith(".Nm "):
                args = mdoc_args(line)
                if args:
                    names.append(args[0])
            if section != "SYNOPSIS":
                continue
            if line.startswith(".Ft "):
                ret = norm(" ".join(mdoc_args(line)))
            elif line.startswith(".Fn "):
                args = mdoc_args(line)
                synopsis[args[0]] = (ret, [norm(a) for a in args[1:] if a not in ",;"])
                ret = None
            elif line.startswith(".Fo "):
                cur = (mdoc_args(line)[0], [])
            elif line.startswith(".Fa ") and cur is not None:
                cur[1].extend(norm(a) for a in mdoc_args(line))
            elif line.startswith(".Fc") and cur is not None:
                synopsis[cur[0]] = (ret, cur[1])
                cur, ret = None, None
    return names, synopsis, xrefs


def header_constants(paths):
    """Every KCTL_ name a header defines: macros and enumerators."""
    names = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            src = f.read()
        names.update(re.findall(r"#\s*define\s+(KCTL_\w+)", src))
        names.update(re.findall(r"\b(KCTL_\w+)\s*(?:=[^,}]*)?[,}]", src))
    return names


def page_constants(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    found = set()
    for line in text.splitlines():
        if line.startswith(".Fd "):
            found.update(re.findall(r"\b(KCTL_[A-Z0-9_]*[A-Z0-9])\b(?!\*)", line))
        # every argument of a Dv, up to the next macro or punctuation
        for run in re.findall(r"\bDv ((?:KCTL_\w+\*? *)+)", line):
            found.update(w for w in run.split() if not w.endswith(("*", "_")))
    return found


def exported(lib, prefix):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True,
                         text=True, check=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "T":
            name = parts[2].split("@")[0]
            if name.startswith(prefix):
                syms.add(name)
    return syms


def check_installed(root, decl, pages):
    man3 = None
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) == "man3" and "libkctl.3" in files:
            man3 = dirpath
    if man3 is None:
        bad(f"no man3/libkctl.3 installed under {root}")
        return
    for fn in sorted(decl):
        path = os.path.join(man3, fn + ".3")
        target = os.path.realpath(path)
        if not os.path.exists(path):
            bad(f"not installed: man3/{fn}.3")
        elif os.path.islink(path) and os.path.isabs(os.readlink(path)):
            bad(f"man3/{fn}.3 is an absolute link: {os.readlink(path)}")
        elif fn not in parse_page(target)[0]:
            bad(f"man3/{fn}.3 leads to {os.path.basename(target)}, which does not name {fn}")
        else:
            ok()
    for page in pages:
        path = os.path.join(man3, page + ".3")
        if os.path.isfile(path) and not os.path.islink(path):
            ok()
        else:
            bad(f"not installed as a page: man3/{page}.3")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", nargs="+", required=True)
    ap.add_argument("--headers", nargs="+", required=True)
    ap.add_argument("--lib", nargs=2, action="append", default=[],
                    metavar=("LIB", "PREFIX"))
    ap.add_argument("--constant-headers", nargs="*", default=[],
                    help="headers whose KCTL_ constants pages may name (all public ones)")
    ap.add_argument("--kpi-headers")
    ap.add_argument("--mandoc")
    ap.add_argument("--install-from")
    ap.add_argument("--tool", nargs=2, action="append", default=[],
                    metavar=("PAGE", "PROGRAM"))
    ap.add_argument("--other-pages", nargs="*", default=["kctl", "kctl-sim"],
                    help="manuals of this project written elsewhere (section 1)")
    a = ap.parse_args()

    decl = header_functions(a.headers)
    if len(decl) < 50:
        bad(f"only {len(decl)} KCTL_API functions found in {a.headers}: the parser broke")
    pages = {}
    for p in a.pages:
        pages[os.path.basename(p)[:-2]] = parse_page(p)

    # 1 and 2: each function named once, declared as in its header
    named = {}
    for page, (names, syn, _) in pages.items():
        for n in names:
            if n == page and n not in decl and page.startswith("lib"):
                continue  # the overview's own name
            named.setdefault(n, []).append(page)
            if n not in decl:
                bad(f"{page}.3 names {n}, which no header declares")
        for fn in syn:
            if fn not in decl:
                bad(f"{page}.3 declares {fn}() in its SYNOPSIS, which no header declares")
            if fn not in names:
                bad(f"{page}.3 declares {fn}() in its SYNOPSIS but not in NAME")
    for fn, (ret, params) in sorted(decl.items()):
        where = named.get(fn, [])
        if len(where) != 1:
            bad(f"{fn}() is named in {len(where)} pages ({', '.join(where) or 'none'}): "
                "want exactly one")
            continue
        syn = pages[where[0]][1]
        if fn not in syn:
            bad(f"{fn}() is named in {where[0]}.3 but not in its SYNOPSIS")
            continue
        got = syn[fn]
        if got != (ret, params):
            bad(f"{where[0]}.3: {fn}() differs from its header:\n"
                f"  header: {ret} {fn}({', '.join(params)})\n"
                f"  page:   {got[0]} {fn}({', '.join(got[1])})")
            continue
        ok()

    # 3: what the libraries export
    kpi = set()
    if a.kpi_headers:
        for dirpath, _, files in os.walk(a.kpi_headers):
            for name in files:
                if name.endswith(".h"):
                    with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                        code = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
                    kpi.update(re.findall(r"\b([A-Za-z_]\w*)\s*\(", code))
    for lib, prefix in a.lib:
        syms = exported(lib, prefix) - kpi
        if not syms:
            bad(f"{lib} exports nothing starting with {prefix!r}")
        missing = sorted(s for s in syms if s not in named)
        if missing:
            bad(f"{os.path.basename(lib)} exports functions no page names: "
                + ", ".join(missing))
        else:
            ok()

    # 4: the constants pages name exist
    consts = header_constants(a.headers + a.constant_headers)
    for p in a.pages:
        unknown = sorted(c for c in page_constants(p) if c not in consts)
        if unknown:
            bad(f"{os.path.basename(p)} names constants no header defines: "
                + ", ".join(unknown))
        else:
            ok()

    # 4: cross references within the project
    known = set(pages) | set(named) | set(a.other_pages)
    for page, (_, _, xrefs) in pages.items():
        broken = sorted({f"{n}({s})" for n, s in xrefs
                         if (n.startswith("kctl") or n.startswith("libkctl"))
                         and n not in known})
        if broken:
            bad(f"{page}.3 refers to manuals that do not exist: {', '.join(broken)}")
        else:
            ok()

    # 5: mandoc's lint
    if a.mandoc:
        for p in a.pages + [t[0] for t in a.tool]:
            r = subprocess.run([a.mandoc, "-Tlint", "-Wstyle", p], capture_output=True,
                               text=True)
            msgs = [l for l in (r.stdout + r.stderr).splitlines()
                    if "referenced manual not found" not in l
                    and "outdated mandoc.db" not in l]
            if msgs:
                bad(f"mandoc -Tlint {os.path.basename(p)}:\n  " + "\n  ".join(msgs))
            else:
                ok()

    # 6: a tool's manual covers its usage text
    for page, program in a.tool:
        if not a.mandoc:
            break
        usage = subprocess.run([program], capture_output=True, text=True)
        text = usage.stdout + usage.stderr
        name = os.path.basename(program)
        words = set(re.findall(r"--[a-z0-9][a-z0-9-]*", text))
        words |= set(re.findall(r"\b" + re.escape(name) + r" ([a-z][a-z-]+)", text))
        if not words:
            bad(f"{name} printed no usage text to check {page} against: {text!r}")
        shown = subprocess.run([a.mandoc, "-Tascii", page], capture_output=True,
                               text=True).stdout
        shown = re.sub(r".\x08", "", shown)  # bold and underline
        missing = sorted(w for w in words
                         if not re.search(re.escape(w) + r"(?![a-z0-9-])", shown))
        if missing:
            bad(f"{os.path.basename(page)} does not mention {', '.join(missing)} "
                f"of {name}'s usage")
        else:
            ok()

    # 7: the installed manuals
    if a.install_from:
        with tempfile.TemporaryDirectory() as tmp:
            r = subprocess.run(["meson", "install", "-C", a.install_from, "--destdir", tmp,
                                "--no-rebuild", "--quiet", "--tags", "man"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                bad("meson install --tags man failed:\n" + r.stdout + r.stderr)
            else:
                check_installed(tmp, decl, pages)

    print(f"{passes} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
