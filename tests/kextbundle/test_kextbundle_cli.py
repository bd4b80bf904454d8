#!/usr/bin/env python3
"""End-to-end tests of the kextbundle command line (Python 3 standard library only).

usage: test_kextbundle_cli.py KEXTBUNDLE SAMPLE_CONF [CC ...]

Runs check-version, check, plist, strings and kmod on good and broken configs, parses
the generated Info.plist with a real XML parser and with plistlib, and (given a C
compiler) compiles and runs the generated kmod_info.c against stub headers. Ends with
"N passed, M failed" and exits non-zero on any failure.
"""
import os
import plistlib
import shutil
import stat
import subprocess
import sys
import tempfile
import traceback
import xml.dom.minidom

EXE = sys.argv[1]
SAMPLE_CONF = sys.argv[2]
CC = sys.argv[3:]

GOOD = """\
# a good config; comments and blank lines are ignored

CFBundleIdentifier = org.example.good
CFBundleVersion = 2.1.0b3
OSBundleCompatibleVersion = 2.0
CFBundleExecutable = Good
CFBundleName = Good kext
NSHumanReadableCopyright = Copyright (c) 2026 A & B <ab@example.org> "quoted" 'single' #1
KextStart = good_start
KextStop = good_stop
OSBundleRequired = Safe Boot
OSBundleLibraries = com.apple.kpi.bsd 8.0.0
OSBundleLibraries = com.apple.kpi.libkern 8.0.0
"""
COPYRIGHT = "Copyright (c) 2026 A & B <ab@example.org> \"quoted\" 'single' #1"

TESTS = []


def case(fn):
    TESTS.append(fn)
    return fn


def run(*args):
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=30)


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)
    return path


def edit(text, drop=None, add=None, replace=None):
    """The GOOD config with a line dropped, a line added, or a (key, value) replaced."""
    lines = text.splitlines()
    if drop:
        lines = [l for l in lines if not l.startswith(drop + " ")]
    if replace:
        key, value = replace
        lines = [f"{key} = {value}" if l.startswith(key + " ") else l for l in lines]
    if add:
        lines.append(add)
    return "\n".join(lines) + "\n"


@case
def check_version_values_and_exit_codes(tmp):
    good = {"1.0.0d1": "1000000001001", "10.1.2b3": "10000100025003",
            "1.0.0fc4": "1000000007004", "0": "9000", "1.": "1000000009000",
            "1.2.3456.": "1000234569000", "1.0 junk": "1000000009000",
            "1.0d0": "1000000001000", "1.0b255": "1000000005255"}
    for s, value in good.items():
        r = run("check-version", s)
        expect(r.returncode == 0 and r.stdout == value + "\n",
               f"check-version {s!r}: rc {r.returncode} out {r.stdout!r}")
    for s in ["10000", "1.0.0b256", "1.0.0fc0", "1.0.0-beta", "v1.0", "1.2.3.4",
              "1.2.345.", "", "1.0B1", "1.0f0", "1.0\vx"]:
        r = run("check-version", s)
        expect(r.returncode == 1 and r.stdout == "" and "invalid kext version" in r.stderr,
               f"check-version {s!r}: rc {r.returncode} err {r.stderr!r}")
    r = run("check-version", "--strict", "1.23.45")
    expect(r.returncode == 0 and r.stdout == "123459000\n", f"strict 1.23.45: {r.stdout!r}")
    r = run("check-version", "--strict", "1.234")
    expect(r.returncode == 1 and "2 digits" in r.stderr, f"strict 1.234: {r.stderr!r}")
    r = run("check-version", "--", "-1")
    expect(r.returncode == 1, f"-- -1: rc {r.returncode}")
    for args in [(), ("check-version",), ("check-version", "1", "2"),
                 ("check-version", "--bogus", "1"), ("frobnicate",), ("plist", "x")]:
        r = run(*args)
        expect(r.returncode == 2 and "usage:" in r.stderr, f"usage {args}: rc {r.returncode}")


@case
def sample_config_is_valid(tmp):
    r = run("check", SAMPLE_CONF)
    expect(r.returncode == 0 and r.stderr == "", f"sample: rc {r.returncode} {r.stderr!r}")
    out = os.path.join(tmp, "Info.plist")
    expect(run("plist", SAMPLE_CONF, out).returncode == 0, "sample plist")
    with open(out, "rb") as f:
        p = plistlib.load(f)
    expect(p["CFBundleIdentifier"] == "org.libkctl.sample", "sample id")
    expect(sorted(p["OSBundleLibraries"]) == ["com.apple.kpi.bsd", "com.apple.kpi.libkern",
                                              "com.apple.kpi.mach"], "sample libraries")


BAD = {
    "id of 64 bytes": (dict(replace=("CFBundleIdentifier", "org." + "x" * 60)),
                       "longer than 63 bytes"),
    "id of 32 two-byte characters": (dict(replace=("CFBundleIdentifier", "\u00e9" * 32)),
                                     "longer than 63 bytes"),
    "missing CFBundleVersion": (dict(drop="CFBundleVersion"),
                                "missing required key CFBundleVersion"),
    "no OSBundleLibraries": (dict(drop="OSBundleLibraries"), "OSBundleLibraries is empty"),
    "non-kpi library": (dict(add="OSBundleLibraries = com.apple.kernel.bsd 8.0.0"),
                        "not a com.apple.kpi.*"),
    "compatible > version": (dict(replace=("OSBundleCompatibleVersion", "2.1.0")),
                             "is greater than CFBundleVersion"),
    "bad version": (dict(replace=("CFBundleVersion", "1.0.0-beta")),
                    "is not a valid kext version"),
    "bad library version": (dict(add="OSBundleLibraries = com.apple.kpi.mach 8.0.0fc0"),
                            "is not a valid kext version"),
    "unknown key": (dict(add="CFBundleIdentifer = org.example.typo"),
                    "unknown key CFBundleIdentifer (did you mean CFBundleIdentifier?)"),
    "duplicate key": (dict(add="CFBundleVersion = 2.2"), "duplicate key CFBundleVersion"),
    "duplicate library": (dict(add="OSBundleLibraries = com.apple.kpi.bsd 9.0.0"),
                          "duplicate library com.apple.kpi.bsd"),
    "bad OSBundleRequired": (dict(replace=("OSBundleRequired", "Always")),
                             "must be one of Root"),
    "start not a C identifier": (dict(replace=("KextStart", "good-start")),
                                 "is not a C identifier"),
    "stop is a keyword": (dict(replace=("KextStop", "return")), "C keyword"),
    "missing KextStart": (dict(drop="KextStart"), "missing required key KextStart"),
    "no equals sign": (dict(add="CFBundleName Good"), "expected KEY = VALUE"),
}


def expect_rejected(tmp, name, text, message):
    """check exits 1 naming the problem; the writers exit 1 and write nothing."""
    conf = write(os.path.join(tmp, "bad.conf"), text)
    r = run("check", conf)
    expect(r.returncode == 1, f"{name}: check rc {r.returncode}")
    expect(message in r.stderr, f"{name}: {message!r} not in {r.stderr!r}")
    expect("nothing written" in r.stderr, f"{name}: no summary line")
    for cmd in ("plist", "strings", "kmod"):
        out = os.path.join(tmp, "out-" + cmd)
        r = run(cmd, conf, out)
        expect(r.returncode == 1 and message in r.stderr, f"{name}: {cmd} rc {r.returncode}")
        expect(not os.path.exists(out), f"{name}: {cmd} wrote {out}")
    expect(sorted(os.listdir(tmp)) == ["bad.conf"], f"{name}: left {os.listdir(tmp)}")


@case
def bad_configs_are_rejected_and_nothing_is_written(tmp):
    expect(run("check", write(os.path.join(tmp, "good.conf"), GOOD)).returncode == 0,
           "GOOD itself must pass")
    os.remove(os.path.join(tmp, "good.conf"))
    for name, (how, message) in BAD.items():
        expect_rejected(tmp, name, edit(GOOD, **how), message)
    expect_rejected(tmp, "control character", GOOD.replace("Good kext", "Good\x01kext"),
                    "control character")
    # An overlong "/" would make the plist ill-formed XML.
    bad_utf8 = GOOD.encode().replace(b"Good kext", b"Good \xc0\xafkext")
    write(os.path.join(tmp, "bad.conf"), bad_utf8, "wb")
    r = run("check", os.path.join(tmp, "bad.conf"))
    expect(r.returncode == 1 and "not valid UTF-8" in r.stderr, f"overlong: {r.stderr!r}")


@case
def every_problem_is_listed(tmp):
    text = edit(edit(edit(GOOD, drop="CFBundleVersion", add="Bogus = 1"),
                     replace=("CFBundleIdentifier", "org." + "y" * 60)),
                add="KextStart = other")
    conf = write(os.path.join(tmp, "many.conf"), text)
    r = run("check", conf)
    problems = [l for l in r.stderr.splitlines() if not l.endswith("nothing written")]
    expect(r.returncode == 1 and len(problems) == 4, f"want 4 problems: {r.stderr}")
    expect("4 problems" in r.stderr, "summary count")
    expect(any(l.startswith(conf + ":") and ":" in l[len(conf) + 1:] for l in problems),
           "messages carry file:line")


@case
def info_plist_is_well_formed_and_complete(tmp):
    conf = write(os.path.join(tmp, "good.conf"), GOOD)
    out = os.path.join(tmp, "Info.plist")
    r = run("plist", conf, out)
    expect(r.returncode == 0, f"plist rc {r.returncode} {r.stderr}")
    with open(out, "rb") as f:
        raw = f.read()
    dom = xml.dom.minidom.parseString(raw)  # a real XML parser: raises if ill-formed
    expect(dom.doctype is not None and dom.doctype.name == "plist"
           and dom.doctype.publicId == "-//Apple//DTD PLIST 1.0//EN", "DOCTYPE")
    expect(dom.documentElement.getAttribute("version") == "1.0", "plist version")
    expect(b"<!--" not in raw, "no comments")
    expect(b"A &amp; B &lt;ab@example.org&gt; &quot;quoted&quot;" in raw, "escaped")
    p = plistlib.loads(raw)
    want = {
        "CFBundleDevelopmentRegion": "English", "CFBundleExecutable": "Good",
        "CFBundleIdentifier": "org.example.good", "CFBundleInfoDictionaryVersion": "6.0",
        "CFBundleName": "Good kext", "CFBundlePackageType": "KEXT",
        "CFBundleShortVersionString": "2.1.0b3", "CFBundleSignature": "????",
        "CFBundleVersion": "2.1.0b3", "OSBundleCompatibleVersion": "2.0",
        "OSBundleLibraries": {"com.apple.kpi.bsd": "8.0.0", "com.apple.kpi.libkern": "8.0.0"},
        "OSBundleRequired": "Safe Boot", "NSHumanReadableCopyright": COPYRIGHT,
    }
    expect(p == want, f"plist contents differ: {p}")
    keys = [e.firstChild.data for e in dom.getElementsByTagName("key")]
    expect(keys[:3] == ["CFBundleDevelopmentRegion", "CFBundleExecutable",
                        "CFBundleIdentifier"], f"key order {keys}")
    # Optional keys stay out when unset; non-ASCII text survives.
    minimal = edit(edit(edit(GOOD, drop="OSBundleCompatibleVersion"), drop="OSBundleRequired"),
                   replace=("NSHumanReadableCopyright", "© 2026 Ünïcode 𝄞"))
    conf = write(os.path.join(tmp, "min.conf"), minimal)
    expect(run("plist", conf, out).returncode == 0, "minimal plist")
    with open(out, "rb") as f:
        p = plistlib.load(f)
    expect("OSBundleCompatibleVersion" not in p and "OSBundleRequired" not in p, "optional")
    expect(p["NSHumanReadableCopyright"] == "© 2026 Ünïcode 𝄞", "unicode")
    mode = stat.S_IMODE(os.stat(out).st_mode)
    expect(mode & 0o044 == 0o044, f"Info.plist mode {oct(mode)} not readable by all")


@case
def strings_file_carries_id_and_version(tmp):
    conf = write(os.path.join(tmp, "good.conf"), GOOD)
    out = os.path.join(tmp, "InfoPlist.strings")
    expect(run("strings", conf, out).returncode == 0, "strings")
    with open(out, "rb") as f:
        raw = f.read()
    expect(raw[:2] == b"\xff\xfe", "UTF-16LE byte order mark")
    text = raw.decode("utf-16")
    expect("org.example.good" in text and "2.1.0b3" in text, "id and version")
    expect('"CFBundleName" = "Good kext";' in text, "name")
    expect('"CFBundleShortVersionString" = "2.1.0b3";' in text, "short version")
    esc = COPYRIGHT.replace('"', '\\"')
    expect(f'"NSHumanReadableCopyright" = "{esc}";' in text, "escaped copyright")
    expect(f'"CFBundleGetInfoString" = "Good kext 2.1.0b3, {esc}";' in text, "get-info")
    expect(run("strings", "--utf8", conf, out).returncode == 0, "strings --utf8")
    with open(out, "rb") as f:
        expect(f.read().decode("utf-8") == text, "UTF-8 form says the same")


STUB_KMOD_H = """\
/* Stand-in for <mach/kmod.h>: the same shape, written for this test. */
#define KMOD_MAX_NAME 64
#define KMOD_INFO_VERSION 1
struct kmod_info;
typedef kern_return_t kmod_start_func_t(struct kmod_info *ki, void *data);
typedef kern_return_t kmod_stop_func_t(struct kmod_info *ki, void *data);
typedef struct kmod_info {
    struct kmod_info *next; int info_version; unsigned id;
    char name[KMOD_MAX_NAME]; char version[KMOD_MAX_NAME];
    int reference_count; void *reference_list;
    unsigned long address, size, hdr_size;
    kmod_start_func_t *start; kmod_stop_func_t *stop;
} kmod_info_t;
#define KMOD_EXPLICIT_DECL(name, version, start, stop) \\
    kmod_info_t kmod_info = { 0, 1, -1U, { #name }, { version }, -1, 0, 0, 0, 0, \\
                              start, stop };
"""
STUB_MAIN_C = """\
#include <stdio.h>
#include <mach/mach_types.h>
#include <mach/kmod.h>
extern kmod_info_t kmod_info;
extern kmod_start_func_t *_realmain;
extern kmod_stop_func_t *_antimain;
kern_return_t _start(kmod_info_t *ki, void *data) { (void)ki; (void)data; return 0; }
kern_return_t _stop(kmod_info_t *ki, void *data) { (void)ki; (void)data; return 0; }
kern_return_t my_start(kmod_info_t *ki, void *data) { (void)ki; (void)data; return 7; }
kern_return_t my_stop(kmod_info_t *ki, void *data) { (void)ki; (void)data; return 8; }
int main(void)
{
    printf("%s %s %d %d\\n", kmod_info.name, kmod_info.version,
           _realmain(&kmod_info, 0), _antimain(&kmod_info, 0));
    return 0;
}
"""


def compile_and_run_kmod(tmp, src, ident, version):
    inc = os.path.join(tmp, "inc")
    os.makedirs(os.path.join(inc, "mach"), exist_ok=True)
    write(os.path.join(inc, "mach", "mach_types.h"), "typedef int kern_return_t;\n")
    write(os.path.join(inc, "mach", "kmod.h"), STUB_KMOD_H)
    main_c = write(os.path.join(tmp, "main.c"), STUB_MAIN_C)
    exe = os.path.join(tmp, "kmodtest")
    # gnu11 predefines "linux" and "unix": the id must still come out verbatim.
    flags = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I" + inc,
             "-D__private_extern__=__attribute__((visibility(\"hidden\")))",
             "-D__APPLE_CC__=6000",
             # libkmod's _start/_stop would clash with the C runtime's _start here.
             "-D_start=kmod_test_start", "-D_stop=kmod_test_stop"]
    r = subprocess.run([*CC, *flags, "-o", exe, src, main_c], capture_output=True, text=True)
    expect(r.returncode == 0, f"kmod_info.c does not compile: {r.stderr}")
    r = subprocess.run([exe], capture_output=True, text=True)
    expect(r.stdout == f"{ident} {version} 7 8\n", f"kmod_info says {r.stdout!r}")


@case
def kmod_source_names_the_kext(tmp):
    ident, version = "org.linux.unix-1.sample", "3.2.1fc9"
    text = edit(edit(edit(edit(GOOD, replace=("CFBundleIdentifier", ident)),
                          replace=("CFBundleVersion", version)),
                     replace=("KextStart", "my_start")), replace=("KextStop", "my_stop"))
    conf = write(os.path.join(tmp, "k.conf"), text)
    out = os.path.join(tmp, "kmod_info.c")
    expect(run("kmod", conf, out).returncode == 0, "kmod")
    with open(out) as f:
        src = f.read()
    for needle in ["#include <mach/mach_types.h>", "#include <mach/kmod.h>",
                   "extern kern_return_t my_start(kmod_info_t *ki, void *data);",
                   f'KMOD_EXPLICIT_DECL({ident}, "{version}", _start, _stop)',
                   "__private_extern__ kmod_start_func_t *_realmain = my_start;",
                   "__private_extern__ kmod_stop_func_t *_antimain = my_stop;",
                   "__private_extern__ int _kext_apple_cc = __APPLE_CC__;"]:
        expect(needle in src, f"kmod_info.c lacks {needle!r}")
    if CC and shutil.which(CC[-1] if CC[0] == "ccache" else CC[0]):
        compile_and_run_kmod(tmp, out, ident, version)
    else:
        print("  (no C compiler given: kmod_info.c not compiled)")


# Identifiers the kernel's loader accepts (OSKext checks only that the string is shorter
# than 64 bytes), including ones KMOD_EXPLICIT_DECL's #name could not reproduce.
LOADER_IDS = ["sample", "com.example.my_kext", "org.example.kext 2", "com.3com.1x",
              'org.ex "q" */ a,b(c \\ d??= #e', "org.\u00e9x\u00e4mple.k\u00e9xt",
              "o" * 63]


@case
def every_identifier_the_loader_accepts_is_accepted(tmp):
    for ident in LOADER_IDS:
        text = edit(edit(edit(GOOD, replace=("CFBundleIdentifier", ident)),
                         replace=("KextStart", "my_start")), replace=("KextStop", "my_stop"))
        conf = write(os.path.join(tmp, "id.conf"), text)
        r = run("check", conf)
        expect(r.returncode == 0, f"{ident!r}: rc {r.returncode} {r.stderr!r}")
        plist = os.path.join(tmp, "Info.plist")
        expect(run("plist", conf, plist).returncode == 0, f"{ident!r}: plist")
        with open(plist, "rb") as f:
            expect(plistlib.load(f)["CFBundleIdentifier"] == ident, f"{ident!r}: plist id")
        strings = os.path.join(tmp, "InfoPlist.strings")
        expect(run("strings", "--utf8", conf, strings).returncode == 0, f"{ident!r}: strings")
        out = os.path.join(tmp, "kmod_info.c")
        expect(run("kmod", conf, out).returncode == 0, f"{ident!r}: kmod")
        if CC and shutil.which(CC[-1] if CC[0] == "ccache" else CC[0]):
            compile_and_run_kmod(tmp, out, ident, "2.1.0b3")


XCODE = ["MODULE_NAME=com.example.driver.my_kext", "MODULE_VERSION=1.0.0d1",
         "MODULE_START=my_start", "MODULE_STOP=my_stop"]


@case
def kmod_from_xcode_build_settings(tmp):
    out = os.path.join(tmp, "kmod_info.c")
    r = run("kmod", *XCODE, out)
    expect(r.returncode == 0 and r.stderr == "", f"xcode kmod: rc {r.returncode} {r.stderr!r}")
    with open(out) as f:
        src = f.read()
    for needle in ['KMOD_EXPLICIT_DECL(com.example.driver.my_kext, "1.0.0d1", _start, _stop)',
                   "__private_extern__ kmod_start_func_t *_realmain = my_start;",
                   "__private_extern__ kmod_stop_func_t *_antimain = my_stop;",
                   "edit MODULE_NAME, MODULE_VERSION"]:
        expect(needle in src, f"xcode kmod_info.c lacks {needle!r}")
    if CC and shutil.which(CC[-1] if CC[0] == "ccache" else CC[0]):
        compile_and_run_kmod(tmp, out, "com.example.driver.my_kext", "1.0.0d1")
    # An empty MODULE_START/MODULE_STOP (an IOKit-only kext) is a null routine.
    r = run("kmod", XCODE[0], XCODE[1], "MODULE_START=", out)
    expect(r.returncode == 0, f"empty start: {r.stderr!r}")
    with open(out) as f:
        src = f.read()
    expect("_realmain = 0;" in src and "_antimain = 0;" in src, "null routines")


@case
def bad_xcode_build_settings_are_rejected_and_nothing_is_written(tmp):
    out = os.path.join(tmp, "kmod_info.c")
    cases = {
        "no MODULE_NAME": ([XCODE[1]], "missing required key MODULE_NAME"),
        "empty MODULE_NAME": (["MODULE_NAME=", XCODE[1]], "missing required key MODULE_NAME"),
        "no MODULE_VERSION": ([XCODE[0]], "missing required key MODULE_VERSION"),
        "bad version": ([XCODE[0], "MODULE_VERSION=1.0-beta"], "is not a valid kext version"),
        "long name": (["MODULE_NAME=" + "n" * 64, XCODE[1]], "MODULE_NAME"),
        "unknown setting": (XCODE + ["MODULE_FOO=1"], '"MODULE_FOO" is not one of'),
        "repeated setting": (XCODE + ["MODULE_VERSION=2.0"], "MODULE_VERSION given twice"),
        "start keyword": ([XCODE[0], XCODE[1], "MODULE_START=int"], "C keyword"),
        "same routine": ([XCODE[0], XCODE[1], "MODULE_START=f", "MODULE_STOP=f"],
                         "MODULE_START and MODULE_STOP name the same function"),
        "control character": (["MODULE_NAME=a\x01b", XCODE[1]], "control character"),
    }
    for name, (args, message) in cases.items():
        r = run("kmod", *args, out)
        expect(r.returncode == 1, f"{name}: rc {r.returncode}")
        expect(message in r.stderr and "nothing written" in r.stderr, f"{name}: {r.stderr!r}")
        expect(not os.path.exists(out), f"{name}: wrote {out}")
    for args in [XCODE, XCODE[:1]]:  # settings with no OUT after them
        r = run("kmod", *args)
        expect(r.returncode == 2 and "usage:" in r.stderr, f"no OUT: rc {r.returncode}")
    expect(sorted(os.listdir(tmp)) == [], f"left {os.listdir(tmp)}")


@case
def failed_write_leaves_old_file_alone(tmp):
    conf = write(os.path.join(tmp, "good.conf"), GOOD)
    out = write(os.path.join(tmp, "Info.plist"), "old contents\n")
    bad = write(os.path.join(tmp, "bad.conf"), edit(GOOD, drop="CFBundleVersion"))
    expect(run("plist", bad, out).returncode == 1, "bad config")
    with open(out) as f:
        expect(f.read() == "old contents\n", "old file replaced by a failed run")
    r = run("plist", conf, os.path.join(tmp, "no-such-dir", "Info.plist"))
    expect(r.returncode == 1 and "cannot write" in r.stderr, f"missing dir: {r.stderr!r}")
    expect(run("plist", conf, out).returncode == 0, "good run")
    expect(sorted(os.listdir(tmp)) == ["Info.plist", "bad.conf", "good.conf"],
           f"temporary files left: {os.listdir(tmp)}")
    r = run("check", os.path.join(tmp, "absent.conf"))
    expect(r.returncode == 1 and "cannot open" in r.stderr, "absent config")


@case
def config_syntax(tmp):
    text = ("  # indented comment\r\n\r\n"
            "\tCFBundleIdentifier\t=\torg.example.ws  \r\n" +
            edit(GOOD, drop="CFBundleIdentifier").replace("\n", "\r\n"))
    conf = write(os.path.join(tmp, "ws.conf"), text, "w")
    out = os.path.join(tmp, "Info.plist")
    r = run("plist", conf, out)
    expect(r.returncode == 0, f"CRLF, tabs, indentation: {r.stderr}")
    with open(out, "rb") as f:
        p = plistlib.load(f)
    expect(p["CFBundleIdentifier"] == "org.example.ws", "trimmed value")
    expect(p["NSHumanReadableCopyright"] == COPYRIGHT, "'#' inside a value is kept")
    for line, msg in [("CFBundleName =", "has an empty value"), ("= x", "missing key"),
                      ("OSBundleLibraries = com.apple.kpi.mach", "<bundle id> <version>"),
                      ("OSBundleLibraries = com.apple.kpi.mach 8.0 9.0", "<bundle id>")]:
        conf = write(os.path.join(tmp, "s.conf"), edit(GOOD, drop=line.split()[0]
                                                       if "Name" in line else None, add=line))
        r = run("check", conf)
        expect(r.returncode == 1 and msg in r.stderr, f"{line!r}: {r.stderr!r}")


def main():
    passed = failed = 0
    for test in TESTS:
        tmp = tempfile.mkdtemp(prefix="kextbundle-")
        try:
            test(tmp)
            passed += 1
            print(f"ok   {test.__name__}")
        except Exception:  # a failed expect() or anything unexpected
            failed += 1
            print(f"FAIL {test.__name__}")
            traceback.print_exc(file=sys.stdout)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
