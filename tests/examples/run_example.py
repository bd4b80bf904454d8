"""Runs one example as a user would and checks what it printed.

    run_example.py [--expect TEXT]... -- COMMAND [ARGS...]

Passes when COMMAND exits 0 and its standard output holds every TEXT. With
KCTL_TEST_PRELOAD set (a sanitizer's runtime), it is preloaded first, so that a
sanitized program still runs under `kctl-sim run` (whose preload comes after it).
"""
import os
import subprocess
import sys


def main(argv):
    expect = []
    while argv and argv[0] != "--":
        if argv[0] == "--expect" and len(argv) > 1:
            expect.append(argv[1])
            argv = argv[2:]
        else:
            print("usage: run_example.py [--expect TEXT]... -- COMMAND [ARGS...]")
            return 2
    cmd = argv[1:]
    env = dict(os.environ)
    if os.environ.get("KCTL_TEST_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["KCTL_TEST_PRELOAD"]
    p = subprocess.run(cmd, capture_output=True, timeout=120, env=env)
    out, err = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    sys.stdout.write(out)
    sys.stdout.write(err)
    failed = 0
    if p.returncode != 0:
        print("FAIL: %s exited %d" % (os.path.basename(cmd[0]), p.returncode))
        failed += 1
    for text in expect:
        if text not in out:
            print("FAIL: the output lacks %r" % text)
            failed += 1
    print("%d passed, %d failed" % (1 + len(expect) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
