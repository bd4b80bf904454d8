"""Listing the registered controls: every field of the registration list, the callback
walk (stopping, an exception raised once libkctl returned), a list that cannot be read."""

import errno
import unittest

import kctl
from kctl import Origin
from support import ECHO, EchoKext, KernelTest


class TestList(KernelTest):

    def setUp(self):
        super().setUp()
        EchoKext(self.k, "org.libkctl.py.root", privileged=True, stream=True, sendsize=4096,
                 recvsize=16384)
        EchoKext(self.k, "org.libkctl.py.pinned", id=7000, unit=12)

    def test_every_registered_control_is_listed_with_its_registration(self):
        self.open()
        self.open()
        got = kctl.list_controls(kernel=self.k)
        self.assertEqual([c.name for c in got], [ECHO, "org.libkctl.py.root",
                                                 "org.libkctl.py.pinned"])
        echo, root, pinned = got
        self.assertEqual((echo.id, echo.units_in_use, echo.reg_unit),
                         (self.echo.ctl.id, 2, None))
        self.assertEqual((echo.sendsize, echo.recvsize), (2048, 8192))
        self.assertFalse(echo.privileged or echo.stream)
        self.assertTrue(root.privileged and root.stream)
        self.assertEqual((root.sendsize, root.recvsize, root.units_in_use), (4096, 16384, 0))
        self.assertEqual((pinned.id, pinned.reg_unit), (7000, 12))

    def test_the_walk_sees_each_control_in_order_and_stops_when_asked(self):
        seen = []
        self.assertFalse(kctl.each_control(lambda c: seen.append(c.id), kernel=self.k))
        self.assertEqual(seen, [c.id for c in kctl.list_controls(kernel=self.k)])
        first = []
        self.assertTrue(kctl.each_control(lambda c: first.append(c.name) or True,
                                          kernel=self.k))
        self.assertEqual(first, [ECHO])

    def test_an_exception_in_the_walk_is_raised_once_libkctl_returned(self):
        calls = []

        def boom(c):
            calls.append(c)
            raise LookupError("walk raised")
        with self.assertRaises(LookupError):
            kctl.each_control(boom, kernel=self.k)
        self.assertEqual(len(calls), 1, "the walk stopped at the exception")
        self.assertEqual(len(kctl.list_controls(kernel=self.k)), 3)

    def test_a_list_the_kernel_cannot_give_is_its_errno_without_a_guessed_cause(self):
        self.k.fail_next("sysctl", errno.EIO)
        with self.assertRaises(kctl.KctlError) as cm:
            kctl.list_controls(kernel=self.k)
        exc = cm.exception
        self.assertEqual((exc.errno, exc.origin, exc.call), (errno.EIO, Origin.NONE, "kctl_list"))
        self.assertEqual(exc.strerror, kctl.strerror(errno.EIO))
        self.assertEqual(self.k.call_count("sysctl"), 1)

    def test_an_empty_kernel_lists_nothing(self):
        with kctl.sim.Kernel() as k:
            self.assertEqual(kctl.list_controls(kernel=k), [])


class TestNativeList(unittest.TestCase):

    def test_the_native_backend_has_no_list_off_macos(self):
        with self.assertRaises(kctl.KctlError) as cm:
            kctl.list_controls()
        self.assertEqual(cm.exception.errno, errno.EAFNOSUPPORT)


if __name__ == "__main__":
    unittest.main()
