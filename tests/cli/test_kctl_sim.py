"""kctl-sim, the launcher of libkctl-preload: its usage, and what it says about the
kexts it loads and unloads (a refused load with the loader's sentence; at exit every
kext unloaded whatever another answered).

Environment (tests/cli/meson.build): KCTL_SIM, SAMPLE_SO, KPI_KEXT_DIR, and
KCTL_TEST_PRELOAD (a sanitizer's runtime, to preload before libkctl-preload).
"""

import os
import subprocess
import unittest

KCTL_SIM = os.environ["KCTL_SIM"]
SAMPLE_SO = os.environ["SAMPLE_SO"]
KEXTS = os.environ["KPI_KEXT_DIR"]
# the program run under kctl-sim: one built (and sanitized) as the rest of the build is
PROGRAM = [os.environ["KCTL"], "--version"]


def sim(*args):
    env = dict(os.environ)
    if os.environ.get("KCTL_TEST_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["KCTL_TEST_PRELOAD"]
    p = subprocess.run([KCTL_SIM, *args], capture_output=True, timeout=60, env=env)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def kext(name):
    return os.path.join(KEXTS, name + ".so")


class Usage(unittest.TestCase):
    def test_help_and_version(self):
        for args in (("--help",), ("-h",), ("run", "--help"), ("run", "-h")):
            rc, out, _ = sim(*args)
            self.assertEqual(rc, 0, args)
            self.assertTrue(out.startswith("usage: kctl-sim run"), args)
        for flag in ("--version", "-V"):
            rc, out, _ = sim(flag)
            self.assertEqual(rc, 0)
            self.assertRegex(out, r"^kctl-sim \d+\.\d+\.\d+\n$")

    def test_usage_errors_exit_2(self):
        for args in ((), ("frob",), ("run",), ("run", "--kext"),
                     ("run", "--bogus", "--", *PROGRAM), ("run", "--euid", "-1", "--", *PROGRAM),
                     ("run", "--kext", SAMPLE_SO)):
            rc, _, err = sim(*args)
            self.assertEqual(rc, 2, "%r: %s" % (args, err))
            self.assertRegex(err, r"^(kctl-sim: |usage: kctl-sim run)", args)

    def test_the_program_may_follow_without_a_double_dash(self):
        self.assertEqual(sim("run", "--kext", SAMPLE_SO, *PROGRAM)[0], 0)

    def test_a_program_that_is_not_there_is_127(self):
        self.assertEqual(sim("run", "--", "/nonexistent/program")[0], 127)


class Kexts(unittest.TestCase):
    def test_a_kext_that_does_not_load_is_reported_with_the_loaders_sentence(self):
        rc, _, err = sim("run", "--kext", kext("UnknownKpi"), "--", *PROGRAM)
        self.assertEqual(rc, 127)
        line = [x for x in err.splitlines() if x.startswith("kctl-sim: cannot load kext")]
        self.assertEqual(len(line), 1, err)
        self.assertIn("uses bsd_timeout_not_simulated, a kernel function the simulated "
                      "kernel does not provide", line[0])

    def test_a_start_routine_that_fails_is_said_so(self):
        rc, _, err = sim("run", "--kext", kext("FailingStart"), "--", *PROGRAM)
        self.assertEqual(rc, 127)
        self.assertIn("cannot load kext %s: org.example.failing_start did not start: its "
                      "start routine returned 3" % kext("FailingStart"), err)

    def test_an_untidy_kext_does_not_keep_the_others_loaded(self):
        for bad, said in (("Leaky", "leaked 2 mbufs"),
                          ("PanicInStop", "panicked in its stop routine")):
            rc, _, err = sim("run", "--kext", SAMPLE_SO, "--kext", kext(bad), "--", *PROGRAM)
            self.assertEqual(rc, 0, err)
            lines = err.splitlines()
            report = [i for i, x in enumerate(lines) if x.startswith("kctl-sim: unloading kext")]
            self.assertEqual(len(report), 1, err)
            self.assertIn(said, lines[report[0]])
            # the sample, loaded first, is unloaded after the untidy one all the same
            stopped = [i for i, x in enumerate(lines) if x == "[kext] sample: stopped"]
            self.assertEqual(len(stopped), 1, err)
            self.assertGreater(stopped[0], report[0])

    def test_tidy_kexts_are_unloaded_silently(self):
        rc, _, err = sim("run", "--kext", SAMPLE_SO, "--", *PROGRAM)
        self.assertEqual(rc, 0)
        self.assertNotIn("kctl-sim:", err)
        self.assertIn("[kext] sample: stopped", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
