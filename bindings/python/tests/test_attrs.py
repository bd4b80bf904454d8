"""The attribute (TLV) codec: pack, parse, find, typed getters, nesting, the Builder."""

import errno
import unittest

import kctl
from kctl import attrs, frames
from kctl.attrs import U8, U16, U32, U64
from kctl.constants import KCTL_FRAME_F_EVENT, KCTL_FRAME_F_REPLY, KCTL_FRAME_F_REQUEST


class TestPackAndParse(unittest.TestCase):

    def test_every_kind_of_value_round_trips(self):
        p = attrs.pack((1, U8(0xAB)), (2, U16(0xBEEF)), (3, U32(123456)), (4, U64(1 << 50)),
                       (5, "name"), (6, b"raw"), (7, [(1, U32(11)), (2, U32(22))]))
        got = attrs.parse(p)
        self.assertEqual([a.type for a in got], [1, 2, 3, 4, 5, 6, 7])
        self.assertEqual(got[0].u8(), 0xAB)
        self.assertEqual(got[1].u16(), 0xBEEF)
        self.assertEqual(got[2].u32(), 123456)
        self.assertEqual(got[3].u64(), 1 << 50)
        self.assertEqual(got[4].str(), "name")
        self.assertEqual(got[5].value, b"raw")
        self.assertEqual([a.u32() for a in got[6].nested()], [11, 22])

    def test_the_encoding_is_libkctls_padded_layout(self):
        p = attrs.pack((3, "colour"), (1, U8(7)))
        # len 11 (4 + "colour\0"), padded to 12; then len 5, padded to 8
        self.assertEqual(p, b"\x0b\x00\x03\x00colour\x00\x00" + b"\x05\x00\x01\x00\x07\x00\x00\x00")

    def test_find_returns_the_first_of_a_type_or_enoent(self):
        p = attrs.pack((1, U32(1)), (2, U32(2)), (1, U32(3)))
        self.assertEqual(attrs.find(p, 1).u32(), 1)
        with self.assertRaises(FileNotFoundError) as cm:
            attrs.find(p, 9)
        self.assertEqual(cm.exception.errno, errno.ENOENT)

    def test_a_getter_of_the_wrong_width_is_a_bad_message(self):
        a = attrs.parse(attrs.pack((1, U32(5))))[0]
        for getter in (a.u8, a.u16, a.u64):
            with self.assertRaises(kctl.KctlError) as cm:
                getter()
            self.assertEqual(cm.exception.errno, errno.EBADMSG)

    def test_a_string_without_its_nul_is_a_bad_message(self):
        a = attrs.parse(attrs.pack((1, b"abc")))[0]
        with self.assertRaises(kctl.KctlError) as cm:
            a.str()
        self.assertEqual(cm.exception.errno, errno.EBADMSG)
        with self.assertRaises(ValueError):
            attrs.pack((1, "a\0b"))

    def test_malformed_regions_raise_the_codecs_errno(self):
        cases = {b"\x02\x00\x01\x00": errno.EBADMSG,           # len below 4
                 b"\x08\x00\x01\x00ab": errno.ENODATA,           # ends inside the value
                 b"\x05\x00\x01\x00a\x01\x00\x00": errno.EILSEQ}  # nonzero padding
        for region, err in cases.items():
            with self.assertRaises(kctl.KctlError, msg=region) as cm:
                attrs.parse(region)
            self.assertEqual(cm.exception.errno, err, region)
        self.assertEqual(attrs.parse(b""), [])

    def test_a_value_of_no_known_kind_is_a_type_error(self):
        with self.assertRaises(TypeError):
            attrs.pack((1, 5))


class TestBuilder(unittest.TestCase):

    def test_frames_with_attributes_decode_as_frames(self):
        b = frames.Builder()
        b.start(KCTL_FRAME_F_REPLY, 2, 9).put_u64(2, 42).put_str(3, "x")
        with b.nest(4):
            b.put_u8(1, 1)
        b.start(KCTL_FRAME_F_EVENT, 8, 0, 3).put_attrs([(4, U64(7))])
        wire = b.finish()
        f1, f2 = frames.decode(wire)
        self.assertEqual((f1.type, f1.seq, f1.attr(2).u64(), f1.attr(3).str()), (2, 9, 42, "x"))
        self.assertEqual(f1.attr(4).nested()[0].u8(), 1)
        self.assertEqual((f2.is_event, f2.aux, f2.attrs()[0].u64()), (True, 3, 7))

    def test_the_buffer_grows_for_big_frames(self):
        b = frames.Builder(cap=16)
        b.start(KCTL_FRAME_F_REQUEST, 1, 1)
        for i in range(200):
            b.put_u32(1, i)
        f, = frames.decode(b.finish())
        self.assertEqual([a.u32() for a in f.attrs()], list(range(200)))

    def test_a_nest_left_by_an_exception_leaves_nothing(self):
        b = frames.Builder()
        b.start(KCTL_FRAME_F_REQUEST, 1, 1).put_u8(1, 1)
        with self.assertRaises(RuntimeError):
            with b.nest(2):
                b.put_u32(3, 3)
                raise RuntimeError("half-built")
        f, = frames.decode(b.finish())
        self.assertEqual([a.type for a in f.attrs()], [1])

    def test_a_put_before_start_and_bad_flags_are_refused(self):
        with self.assertRaises(kctl.KctlError) as cm:
            frames.Builder().put_u8(1, 1)
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        with self.assertRaises(kctl.KctlError) as cm:
            frames.Builder().start(KCTL_FRAME_F_REQUEST | KCTL_FRAME_F_REPLY, 1)
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        with self.assertRaises(ValueError):
            frames.Builder().start(KCTL_FRAME_F_REQUEST, 1).put_u8(1, 256)

    def test_an_error_reply_and_the_payload_of_an_open_frame(self):
        b = frames.Builder()
        b.error_reply(5, 6, -errno.ENOSPC)
        b.start(KCTL_FRAME_F_REQUEST, 1).put(b"abc")
        self.assertEqual(b.payload(), b"abc")
        err, req = frames.decode(b.finish())
        self.assertEqual((err.is_error, err.aux, err.error().errno), (True, errno.ENOSPC, errno.ENOSPC))
        self.assertEqual(req.payload, b"abc")


if __name__ == "__main__":
    unittest.main()
