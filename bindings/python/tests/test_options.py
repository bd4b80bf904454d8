"""Typed options through a Python control: lengths, short answers, capacities."""

import errno
import struct
import unittest

import kctl
from support import (OPT_BLOB, OPT_INPUT, OPT_LONG, OPT_NAME, OPT_SHORT, OPT_U32,
                     OPT_U64, KernelTest)


class TestTyped(KernelTest):

    def test_u32_round_trip(self):
        c = self.open()
        c.set_u32(OPT_U32, 0xDEADBEEF)
        self.assertEqual(self.echo.values[1][OPT_U32], struct.pack("=I", 0xDEADBEEF))
        self.assertEqual(c.get_u32(OPT_U32), 0xDEADBEEF)

    def test_u64_round_trip_full_range(self):
        c = self.open()
        c.set_u64(OPT_U64, (1 << 64) - 2)
        self.assertEqual(c.get_u64(OPT_U64), (1 << 64) - 2)
        with self.assertRaises(ValueError):
            c.set_u64(OPT_U64, 1 << 64)

    def test_units_keep_their_own_values(self):
        a, b = self.open(), self.open()
        a.set_u32(OPT_U32, 1)
        b.set_u32(OPT_U32, 2)
        self.assertEqual((a.get_u32(OPT_U32), b.get_u32(OPT_U32)), (1, 2))

    def test_short_answer_is_ebadmsg(self):
        c = self.open()
        for getter in (c.get_u32, c.get_u64):
            with self.assertRaises(kctl.KctlError) as cm:
                getter(OPT_SHORT)
            self.assertEqual(cm.exception.errno, errno.EBADMSG)
        with self.assertRaises(kctl.KctlError) as cm:
            c.get_u64(OPT_U32)  # 4 bytes where 8 are expected
        self.assertEqual(cm.exception.errno, errno.EBADMSG)

    def test_wrong_length_set_gets_the_controls_errno(self):
        c = self.open()
        with self.assertRaises(kctl.KctlError) as cm:
            c.set_u64(OPT_U32, 5)
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_str_get_and_set(self):
        c = self.open(unit=12)
        self.assertEqual(c.get_str(OPT_NAME), "echo-12")
        c.set_str(OPT_NAME, "héllo")
        self.assertEqual(self.echo.names[12], "héllo".encode() + b"\0")
        with self.assertRaises(ValueError):
            c.set_str(OPT_NAME, "a\0b")

    def test_str_too_small_buffer_is_emsgsize(self):
        c = self.open(unit=12)
        with self.assertRaises(kctl.KctlError) as cm:
            c.get_str(OPT_NAME, size=4)
        self.assertEqual(cm.exception.errno, errno.EMSGSIZE)
        self.assertEqual(c.get_str(OPT_NAME, size=8), "echo-12")  # exactly fits

    def test_unknown_option_is_enoprotoopt(self):
        c = self.open()
        for call in (lambda: c.get_u32(99), lambda: c.set_u32(99, 1)):
            with self.assertRaises(kctl.KctlError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.ENOPROTOOPT)
            self.assertIn("ENOPROTOOPT (", cm.exception.strerror)

    def test_no_option_callbacks_is_enotsup(self):
        self.k.register("org.libkctl.py.bare")
        c = self.open("org.libkctl.py.bare")
        with self.assertRaises(kctl.KctlError) as cm:
            c.set_u32(1, 1)
        self.assertEqual(cm.exception.errno, errno.ENOTSUP)


class TestBytes(KernelTest):

    def test_size_query(self):
        c = self.open()
        self.echo.blob_size = 37
        self.assertEqual(c.get_size(OPT_BLOB), 37)
        self.assertEqual(c.get_bytes(OPT_BLOB), b"\xab" * 37)  # sized by a query

    def test_prefill_reaches_the_control_with_true_capacity(self):
        c = self.open()
        self.assertEqual(c.get_bytes(OPT_INPUT, 6, prefill=b"abc"), b"\0\0\0cba")
        self.assertEqual(self.echo.inputs[-1], b"abc\0\0\0")  # capacity 6, prefilled
        with self.assertRaises(ValueError):
            c.get_bytes(OPT_INPUT, 2, prefill=b"abc")

    def test_long_answer_is_cut_at_capacity(self):
        c = self.open()
        self.assertEqual(c.get_bytes(OPT_LONG, 10), bytes(range(10)))
        self.assertEqual(c.get_bytes(OPT_LONG, 100), bytes(range(64)))

    def test_set_bytes_and_empty_value(self):
        c = self.open()
        c.set_bytes(OPT_NAME, b"raw")
        c.set_bytes(OPT_NAME)
        sets = [e for e in self.echo.log if e[0] == "setopt"]
        self.assertEqual([s[3] for s in sets], [b"raw", b""])

    def test_options_before_connect_on_bind_only(self):
        seen = []
        self.k.register("org.libkctl.py.pre", bind=lambda unit: None,
                        setopt=lambda unit, opt, data: seen.append((unit, opt, data)))
        c = self.open("org.libkctl.py.pre", 9, bind_only=True)
        c.set_u32(3, 7)
        c.connect()
        self.assertEqual(seen, [(9, 3, struct.pack("=I", 7))])
        self.assertEqual(c.unit, 9)


if __name__ == "__main__":
    unittest.main()
