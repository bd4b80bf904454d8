#!/usr/bin/env python3
"""Runs the Python binding's unittest suites (tests/test_*.py; another pattern with
``--pattern 'install_*.py'``, as the python_install meson test does).

The C libraries are found as kctl._lib says (KCTL_LIBRARY_PATH and
KCTL_SIM_LIBRARY_PATH, else the dynamic loader). Ends with one line such as
``23 passed, 0 failed`` (plus ``, N skipped`` if any test was skipped) and exits
non-zero if any test failed or errored, or if no test ran.
"""

import os
import sys
import unittest
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    """Discovers and runs the tests; returns the exit status."""
    tests_dir = os.path.join(HERE, "tests")
    for path in (HERE, tests_dir):          # the kctl package and tests/support.py
        if path not in sys.path:
            sys.path.insert(0, path)
    warnings.simplefilter("default")        # show ResourceWarnings and the like
    verbosity = 2 if "-v" in argv else 1
    pattern = argv[argv.index("--pattern") + 1] if "--pattern" in argv else "test_*.py"
    suite = unittest.defaultTestLoader.discover(tests_dir, pattern=pattern,
                                                top_level_dir=tests_dir)
    result = unittest.TextTestRunner(verbosity=verbosity, stream=sys.stderr).run(suite)
    failed = (len(result.failures) + len(result.errors)
              + len(result.unexpectedSuccesses))
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped - len(result.expectedFailures)
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    sys.stderr.flush()
    print(line, flush=True)
    return 1 if failed or result.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
