"""Errors as exceptions: errno, libkctl's sentence, the built-in class, callbacks."""

import errno
import os
import pickle
import subprocess
import sys
import unittest

import kctl
from kctl.sim import Kernel
from support import ECHO, EchoKext, KernelTest


class TestOpenErrors(KernelTest):

    def assertOpenFails(self, err, *args, **kw):
        with self.assertRaises(kctl.KctlError) as cm:
            kctl.Control(*args, kernel=self.k, **kw)
        exc = cm.exception
        self.assertEqual(exc.errno, err)
        self.assertEqual(exc.strerror, kctl.strerror(err))
        self.assertEqual(exc.strerror, kctl.strerror(-err))
        return exc

    def test_eperm_as_non_root(self):
        EchoKext(self.k, "org.libkctl.py.root", privileged=True)
        self.k.set_euid(501)
        exc = self.assertOpenFails(errno.EPERM, "org.libkctl.py.root")
        self.assertIsInstance(exc, PermissionError)
        self.assertIn("EPERM (", str(exc))
        self.k.set_euid(0)
        with kctl.Control("org.libkctl.py.root", kernel=self.k) as c:
            self.assertEqual(c.unit, 1)

    def test_enoent(self):
        exc = self.assertOpenFails(errno.ENOENT, "org.libkctl.py.Echo")  # case matters
        self.assertIsInstance(exc, FileNotFoundError)
        self.assertIn("ENOENT (", exc.strerror)
        self.assertEqual(exc.call, "kctl_open_name")

    def test_eprototype_both_ways(self):
        EchoKext(self.k, "org.libkctl.py.stream", stream=True)
        exc = self.assertOpenFails(errno.EPROTOTYPE, ECHO, stream=True)
        self.assertIn("EPROTOTYPE (", exc.strerror)
        self.assertOpenFails(errno.EPROTOTYPE, "org.libkctl.py.stream")

    def test_ebusy_unit_taken(self):
        c = self.open(ECHO, 3)
        exc = self.assertOpenFails(errno.EBUSY, ECHO, 3)
        self.assertIn("EBUSY (", exc.strerror)
        self.assertEqual(c.unit, 3)

    def test_einval_from_c_for_name(self):
        self.assertOpenFails(errno.EINVAL, "x" * 96)
        self.assertOpenFails(errno.EINVAL, "")

    def test_values_c_would_truncate_are_value_errors(self):
        for unit in (-1, 1 << 32):
            with self.assertRaises(ValueError):
                kctl.Control(ECHO, unit, kernel=self.k)
        with self.assertRaises(ValueError):
            kctl.Control("org.libkctl\0.py.echo", kernel=self.k)
        c = self.open()
        with self.assertRaises(ValueError):
            c.set_u32(-1, 0)
        with self.assertRaises(ValueError):
            c.set_u32(1, 1 << 32)
        self.assertEqual([e for e in self.echo.log if e[0] == "setopt"], [])

    def test_fault_injection(self):
        self.k.fail_next("connect", errno.ECONNREFUSED)
        exc = self.assertOpenFails(errno.ECONNREFUSED, ECHO)
        self.assertIsInstance(exc, ConnectionRefusedError)
        self.assertEqual(self.k.call_count("connect"), 1)
        with kctl.Control(ECHO, kernel=self.k) as c:  # one-shot
            self.assertEqual(c.unit, 1)
        self.assertEqual(self.k.call_count("connect"), 2)
        with self.assertRaises(ValueError):
            self.k.fail_next("connct", errno.EIO)


class TestNative(unittest.TestCase):
    """The platform's own kernel: on Linux every call is EAFNOSUPPORT."""

    def test_native_backend_is_eafnosupport(self):
        for call in (lambda: kctl.Control("org.example.x"), lambda: kctl.lookup("x"),
                     kctl.count):
            with self.assertRaises(kctl.KctlError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.EAFNOSUPPORT)
            self.assertIn("EAFNOSUPPORT (", cm.exception.strerror)


class TestErrorObject(unittest.TestCase):

    def test_classes_and_fields(self):
        e = kctl.errors.error_from_rc(-errno.ETIMEDOUT, "kctl_recv")
        self.assertIsInstance(e, TimeoutError)
        self.assertIsInstance(e, kctl.KctlError)
        self.assertEqual((e.errno, e.call), (errno.ETIMEDOUT, "kctl_recv"))
        self.assertEqual(str(e), f"[Errno {errno.ETIMEDOUT}] {kctl.strerror(errno.ETIMEDOUT)}")
        plain = kctl.errors.error_from_rc(-errno.EMSGSIZE)
        self.assertIs(type(plain), kctl.KctlError)

    def test_unknown_errno_gets_generic_sentence(self):
        self.assertTrue(kctl.strerror(errno.ENOTTY).startswith("ENOTTY ("))
        self.assertIn("unknown error", kctl.strerror(100000))
        self.assertEqual(kctl.strerror(0), "success")

    def test_pickle_round_trip(self):
        e = kctl.errors.error_from_rc(-errno.EPERM, "kctl_open_name")
        back = pickle.loads(pickle.dumps(e))
        self.assertIs(type(back), type(e))
        self.assertEqual((back.errno, back.strerror, back.call),
                         (e.errno, e.strerror, e.call))

    def test_check(self):
        self.assertEqual(kctl.errors.check(5), 5)
        with self.assertRaises(BlockingIOError):
            kctl.errors.check(-errno.EAGAIN)


class TestLoading(unittest.TestCase):
    """A library that cannot be loaded is a clear ImportError naming the variable."""

    def run_python(self, code, **env):
        full = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), **env)
        return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True,
                              text=True)

    def test_missing_core_library(self):
        r = self.run_python("import kctl", KCTL_LIBRARY_PATH="/nonexistent/libkctl.so.0")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ImportError: cannot load libkctl", r.stderr)
        self.assertIn("set KCTL_LIBRARY_PATH", r.stderr)

    def test_missing_sim_library_only_breaks_kctl_sim(self):
        r = self.run_python("import kctl; print(kctl.version()); import kctl.sim",
                            KCTL_SIM_LIBRARY_PATH="/nonexistent/libkctl-sim.so.0")
        self.assertEqual(r.stdout.strip(), kctl.version())
        self.assertIn("set KCTL_SIM_LIBRARY_PATH", r.stderr)
        self.assertNotEqual(r.returncode, 0)


class TestCallbackErrors(unittest.TestCase):

    def test_oserror_in_callback_becomes_its_errno(self):
        def refuse(unit):
            raise OSError(errno.ECONNREFUSED, "not today")
        with Kernel() as k:
            k.register("org.libkctl.py.refuse", connect=refuse)
            with self.assertRaises(ConnectionRefusedError):
                kctl.Control("org.libkctl.py.refuse", kernel=k)
            self.assertEqual(k.callback_errors, [])  # a deliberate refusal, not a bug

    def test_raising_callback_gives_eio_not_a_crash(self):
        def buggy(unit, data, flags):
            return 1 / 0
        k = Kernel()
        try:
            k.register("org.libkctl.py.buggy", send=buggy)
            with kctl.Control("org.libkctl.py.buggy", kernel=k) as c:
                with self.assertRaises(kctl.KctlError) as cm:
                    c.send(b"boom")
                self.assertEqual(cm.exception.errno, errno.EIO)
            self.assertEqual(len(k.callback_errors), 1)
            self.assertIsInstance(k.callback_errors[0], ZeroDivisionError)
            with self.assertRaises(ZeroDivisionError):
                k.check()
            self.assertEqual(k.callback_errors, [])
            k.check()  # nothing left
        finally:
            k.close()

    def test_with_block_reraises_callback_errors(self):
        def buggy(unit):
            raise KeyError("oops")
        with self.assertRaises(KeyError):
            with Kernel() as k:
                k.register("org.libkctl.py.buggy", connect=buggy)
                with self.assertRaises(kctl.KctlError) as cm:
                    kctl.Control("org.libkctl.py.buggy", kernel=k)
                self.assertEqual(cm.exception.errno, errno.EIO)

    def test_bad_getopt_answer_type_is_eio(self):
        with Kernel() as k:
            k.register("org.libkctl.py.badopt", getopt=lambda u, o, d: "not bytes")
            with kctl.Control("org.libkctl.py.badopt", kernel=k) as c:
                with self.assertRaises(kctl.KctlError) as cm:
                    c.get_u32(1)
                self.assertEqual(cm.exception.errno, errno.EIO)
            self.assertIsInstance(k.callback_errors.pop(), TypeError)


if __name__ == "__main__":
    unittest.main()
