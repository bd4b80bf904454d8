"""Errors as exceptions that say who said no: errno and its name, the origin (libkctl,
the kernel, the control), libkctl's sentence from its failure record, the built-in
class, callbacks."""

import errno
import os
import pickle
import subprocess
import sys
import unittest

import kctl
from kctl import CallKind, Origin
from kctl.sim import Kernel
from support import ECHO, OPT_U32, EchoKext, KernelTest


class TestOpenErrors(KernelTest):

    def assertOpenFails(self, err, origin, *args, **kw):
        with self.assertRaises(kctl.KctlError) as cm:
            kctl.Control(*args, kernel=self.k, **kw)
        exc = cm.exception
        self.assertEqual((exc.errno, exc.origin, exc.call_kind), (err, origin, CallKind.OPEN))
        self.assertTrue(exc.strerror.startswith(kctl.strerror(err) + ": "), exc.strerror)
        self.assertEqual(exc.name, errno.errorcode[err])
        return exc

    def test_eperm_as_non_root_is_the_kernels_rule(self):
        EchoKext(self.k, "org.libkctl.py.root", privileged=True)
        self.k.set_euid(501)
        exc = self.assertOpenFails(errno.EPERM, Origin.KERNEL, "org.libkctl.py.root")
        self.assertIsInstance(exc, PermissionError)
        self.assertIn("privileged (CTL_FLAG_PRIVILEGED)", str(exc))
        self.assertTrue(exc.strerror.endswith("run as root"), exc.strerror)
        self.k.set_euid(0)
        with kctl.Control("org.libkctl.py.root", kernel=self.k) as c:
            self.assertEqual(c.unit, 1)

    def test_eperm_from_the_connect_callback_is_the_controls_answer(self):
        def refuse(unit):
            raise OSError(errno.EPERM, "no")
        self.k.register("org.libkctl.py.picky", connect=refuse)
        exc = self.assertOpenFails(errno.EPERM, Origin.CONTROL, "org.libkctl.py.picky")
        self.assertIn("the control refused the connection: its connect callback answered "
                      "EPERM", exc.strerror)

    def test_enoent(self):
        exc = self.assertOpenFails(errno.ENOENT, Origin.KERNEL, "org.libkctl.py.Echo")
        self.assertIsInstance(exc, FileNotFoundError)
        self.assertIn("no control registered under this name", exc.strerror)
        self.assertEqual(exc.call, "kctl_open_name")

    def test_eprototype_both_ways(self):
        EchoKext(self.k, "org.libkctl.py.stream", stream=True)
        exc = self.assertOpenFails(errno.EPROTOTYPE, Origin.KERNEL, ECHO, stream=True)
        self.assertIn("the control is registered as DGRAM", exc.strerror)
        exc = self.assertOpenFails(errno.EPROTOTYPE, Origin.KERNEL, "org.libkctl.py.stream")
        self.assertIn("open it with KCTL_OPEN_STREAM", exc.strerror)

    def test_ebusy_unit_taken(self):
        c = self.open(ECHO, 3)
        exc = self.assertOpenFails(errno.EBUSY, Origin.KERNEL, ECHO, 3)
        self.assertIn("unit 3: it is in use", exc.strerror)
        self.assertEqual(c.unit, 3)

    def test_einval_for_a_name_is_libkctls_before_any_syscall(self):
        sockets = self.k.call_count("socket")
        exc = self.assertOpenFails(errno.EINVAL, Origin.LIBRARY, "x" * 96)
        self.assertIn("libkctl refused the control name before any syscall", exc.strerror)
        self.assertOpenFails(errno.EINVAL, Origin.LIBRARY, "")
        self.assertEqual(self.k.call_count("socket"), sockets)
        with self.assertRaises(kctl.KctlError) as cm:
            kctl.lookup("y" * 96, kernel=self.k)
        self.assertEqual(cm.exception.origin, Origin.LIBRARY)

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
        exc = self.assertOpenFails(errno.ECONNREFUSED, Origin.KERNEL, ECHO)
        self.assertIsInstance(exc, ConnectionRefusedError)
        self.assertEqual(self.k.call_count("connect"), 1)
        with kctl.Control(ECHO, kernel=self.k) as c:  # one-shot
            self.assertEqual(c.unit, 1)
        self.assertEqual(self.k.call_count("connect"), 2)
        with self.assertRaises(ValueError):
            self.k.fail_next("connct", errno.EIO)


class TestHandleErrors(KernelTest):

    def test_a_setopt_the_control_refuses_reads_as_its_answer(self):
        c = self.open()
        with self.assertRaises(kctl.KctlError) as cm:
            c.set_bytes(OPT_U32, b"\1\2")
        exc = cm.exception
        self.assertEqual((exc.errno, exc.origin, exc.call_kind, exc.call),
                         (errno.EINVAL, Origin.CONTROL, CallKind.OPTION, "kctl_setopt"))
        self.assertEqual(exc.strerror, kctl.strerror(errno.EINVAL) + ": the control answered "
                         "EINVAL to setopt 1 (2 bytes): its setopt callback's errno")

    def test_a_receive_that_runs_out_of_time_says_the_timeout(self):
        c = self.open(timeout=0.01)
        with self.assertRaises(TimeoutError) as cm:
            c.recv()
        self.assertEqual(cm.exception.origin, Origin.LIBRARY)
        self.assertIn("nothing arrived within the handle's timeout of 10 ms",
                      cm.exception.strerror)

    def test_each_kind_of_call_keeps_its_own_record(self):
        c = self.open()
        self.assertIsNone(c.last_error(CallKind.OPTION))
        with self.assertRaises(kctl.KctlError) as opt:
            c.set_bytes(OPT_U32, b"\1")
        self.k.fail_next("send", errno.ENOBUFS)
        with self.assertRaises(kctl.KctlError) as send:
            c.send(b"x")
        self.assertEqual(send.exception.call_kind, CallKind.SEND)
        kept = c.last_error(CallKind.OPTION)
        self.assertEqual((kept.errno, kept.origin, kept.strerror),
                         (errno.EINVAL, Origin.CONTROL, opt.exception.strerror))
        self.assertEqual(c.explain(CallKind.OPTION, errno.EINVAL), opt.exception.strerror)
        # an errno the record does not hold gets no guessed cause
        self.assertEqual(c.explain(CallKind.OPTION, errno.ETIMEDOUT),
                         kctl.strerror(errno.ETIMEDOUT))

    def test_eagain_is_a_blocking_io_error_with_no_record(self):
        c = self.open(timeout=0)
        with self.assertRaises(BlockingIOError) as cm:
            c.recv()
        self.assertEqual((cm.exception.errno, cm.exception.origin), (errno.EAGAIN, Origin.NONE))
        self.assertIsNone(c.last_error(CallKind.RECV))


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
        self.assertEqual((e.errno, e.call, e.name), (errno.ETIMEDOUT, "kctl_recv", "ETIMEDOUT"))
        self.assertEqual(str(e), f"[Errno {errno.ETIMEDOUT}] {kctl.strerror(errno.ETIMEDOUT)}")
        self.assertEqual(kctl.errno_name(-errno.ENOTRECOVERABLE), "ENOTRECOVERABLE")
        self.assertIsNone(kctl.errno_name(0))
        plain = kctl.errors.error_from_rc(-errno.EMSGSIZE)
        self.assertIs(type(plain), kctl.KctlError)

    def test_unknown_errno_gets_generic_sentence(self):
        self.assertTrue(kctl.strerror(errno.ENOTTY).startswith("ENOTTY ("))
        self.assertIn("unknown error", kctl.strerror(100000))
        self.assertEqual(kctl.strerror(0), "success")

    def test_pickle_round_trip(self):
        e = kctl.errors.error_with_cause(-errno.EPERM, "kctl_open_name", CallKind.OPEN,
                                         Origin.CONTROL, "its connect callback said so")
        back = pickle.loads(pickle.dumps(e))
        self.assertIs(type(back), type(e))
        self.assertEqual((back.errno, back.strerror, back.call, back.origin, back.call_kind),
                         (e.errno, e.strerror, e.call, Origin.CONTROL, CallKind.OPEN))

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
