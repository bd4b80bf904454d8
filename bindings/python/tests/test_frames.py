"""Framed messages: the codec, request/reply, error replies, events, counters."""

import errno
import re
import struct
import unittest

import kctl
from kctl import frames
from kctl.constants import (KCTL_FRAME_F_ERROR, KCTL_FRAME_F_EVENT, KCTL_FRAME_F_REPLY,
                            KCTL_FRAME_F_REQUEST, KCTL_MSG_DEFAULT_MAX)
from support import (FC_ECHO, FC_EVENT_TYPE, FC_EVENTS, FC_FAIL, FC_MULTI, FC_SILENT,
                     FC_UPPER, FRAMES, FrameKext, KernelTest)

u32 = struct.Struct("=I").pack


class TestCodec(unittest.TestCase):

    def test_encode_layout_and_padding(self):
        wire = frames.encode(KCTL_FRAME_F_REQUEST, 0x1234, seq=7, payload=b"abc")
        self.assertEqual(len(wire), 24)  # 16 + 3, padded to 8
        self.assertEqual(struct.unpack_from("=IBBHII", wire), (19, 1, 1, 0x1234, 7, 0))
        self.assertEqual(wire[16:], b"abc\0\0\0\0\0")

    def test_decode_record_of_several_frames(self):
        rec = (frames.reply(3, 9, b"x" * 13) + frames.error_reply(3, 10, errno.ENOENT)
               + frames.event(8, b"", dropped=4))
        a, b, c = frames.decode(rec)
        self.assertEqual((a.type, a.seq, a.payload, a.is_reply), (3, 9, b"x" * 13, True))
        self.assertTrue(b.is_error)
        self.assertEqual(b.aux, errno.ENOENT)
        self.assertIsInstance(b.error(), FileNotFoundError)
        self.assertEqual((c.is_event, c.aux, c.payload), (True, 4, b""))
        self.assertIsNone(a.error())

    def test_decode_rejects_malformed_records(self):
        good = frames.encode(KCTL_FRAME_F_REQUEST, 1, payload=b"12345678")
        cases = {
            errno.ENODATA: good[:-8],                        # ends inside the frame
            errno.EPROTONOSUPPORT: good[:4] + b"\2" + good[5:],  # version 2
            errno.EILSEQ: frames.encode(1, 1, payload=b"a")[:-1] + b"\1",  # padding
        }
        for err, rec in cases.items():
            with self.assertRaises(kctl.KctlError) as cm:
                frames.decode(rec)
            self.assertEqual(cm.exception.errno, err, rec)
        with self.assertRaises(kctl.KctlError) as cm:
            frames.decode(b"")
        self.assertEqual(cm.exception.errno, errno.ENODATA)

    def test_encoder_refuses_invalid_frames(self):
        with self.assertRaises(kctl.KctlError) as cm:
            frames.encode(KCTL_FRAME_F_REQUEST | KCTL_FRAME_F_REPLY, 1)
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        with self.assertRaises(ValueError):
            frames.error_reply(1, 1, 0)
        with self.assertRaises(ValueError):
            frames.encode(1, 1 << 16)


class TestRequests(KernelTest):

    def setUp(self):
        super().setUp()
        self.srv = FrameKext(self.k)
        self.c = self.open(FRAMES, timeout=2)

    def test_request_reply(self):
        self.assertEqual(self.c.request(FC_UPPER, b"hello"), b"HELLO")
        self.assertEqual(self.c.request(FC_ECHO), b"")
        req = self.srv.seen[0]
        self.assertTrue(req.is_request)
        self.assertEqual((req.type, req.payload), (FC_UPPER, b"hello"))
        self.assertNotEqual(self.srv.seen[0].seq, self.srv.seen[1].seq)

    def test_error_reply_raises_the_peers_errno(self):
        for err, cls in ((errno.EINVAL, kctl.KctlError), (errno.ENOENT, FileNotFoundError),
                         (errno.EPERM, PermissionError)):
            with self.assertRaises(cls) as cm:
                self.c.request(FC_FAIL, u32(err))
            exc = cm.exception
            self.assertEqual((exc.errno, exc.origin, exc.call), (err, kctl.Origin.CONTROL,
                                                                 "kctl_request"))
            self.assertRegex(exc.strerror, r"^%s: the control answered %s to request type %d "
                             r"\(seq \d+\): an ERROR reply$" % (re.escape(kctl.strerror(err)),
                                                               errno.errorcode[err], FC_FAIL))

    def test_multi_part_reply_is_joined(self):
        self.assertEqual(self.c.request(FC_MULTI), b"onetwothree")

    def test_reply_larger_than_cap_is_emsgsize(self):
        with self.assertRaises(kctl.KctlError) as cm:
            self.c.request(FC_ECHO, b"x" * 100, cap=10)
        self.assertEqual(cm.exception.errno, errno.EMSGSIZE)
        self.assertEqual(self.c.request(FC_ECHO, b"ok", cap=2), b"ok")

    def test_events_meanwhile_are_kept(self):
        self.assertEqual(self.c.request(FC_EVENTS, u32(3)), b"")
        self.assertTrue(self.c.frame_ready())
        evs = [self.c.recv_frame() for _ in range(3)]
        self.assertEqual([e.type for e in evs], [FC_EVENT_TYPE] * 3)
        self.assertEqual([e.payload for e in evs], [u32(0), u32(1), u32(2)])
        self.assertTrue(all(e.is_event for e in evs))
        self.assertEqual([e.aux for e in evs], [0, 1, 2])
        st = self.c.stats()
        self.assertEqual(st["frames_in"], 4)
        self.assertEqual(st["frames_out"], 1)
        self.assertEqual(st["kernel_drops"], 0 + 1 + 2)
        self.assertEqual(set(st), {"frames_in", "frames_out", "recv_calls", "kernel_drops",
                                   "backlog_drops", "unmatched_replies", "bad_records",
                                   "late_replies", "in_flight"})
        self.assertEqual((st["late_replies"], st["in_flight"]), (0, 0))

    def test_recv_frame_timeouts(self):
        self.c.timeout = 0
        self.assertFalse(self.c.frame_ready())
        with self.assertRaises(BlockingIOError):
            self.c.recv_frame()
        self.c.timeout = 0.05
        with self.assertRaises(TimeoutError):
            self.c.request(FC_SILENT)

    def test_send_frame_reaches_the_peer(self):
        self.c.send_frame(42, b"evt", flags=KCTL_FRAME_F_EVENT, aux=5)
        f = self.srv.seen[-1]
        self.assertEqual((f.flags, f.type, f.aux, f.payload),
                         (KCTL_FRAME_F_EVENT, 42, 5, b"evt"))
        with self.assertRaises(kctl.KctlError) as cm:
            self.c.send_frame(1, flags=KCTL_FRAME_F_ERROR)  # ERROR without REPLY
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_recv_frame_of_an_enqueued_reply_with_aux(self):
        self.srv.put(self.c.unit, frames.error_reply(7, 99, errno.EBUSY))
        f = self.c.recv_frame()
        self.assertEqual((f.flags, f.type, f.seq, f.aux),
                         (KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, 7, 99, errno.EBUSY))

    def test_max_frame(self):
        self.assertEqual(self.c.max_frame, KCTL_MSG_DEFAULT_MAX)
        self.c.max_frame = 1024
        self.assertEqual(self.c.max_frame, 1024)
        with self.assertRaises(kctl.KctlError) as cm:
            self.c.max_frame = 8
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_frame_bigger_than_cap_stays_queued(self):
        self.srv.put(self.c.unit, frames.event(1, b"y" * 100))
        with self.assertRaises(kctl.KctlError) as cm:
            self.c.recv_frame(cap=64)
        self.assertEqual(cm.exception.errno, errno.EMSGSIZE)
        self.assertEqual(self.c.recv_frame().payload, b"y" * 100)


class TestStreamFrames(KernelTest):

    def test_stream_request_and_events(self):
        srv = FrameKext(self.k, stream=True)
        c = self.open(FRAMES, stream=True, timeout=2)
        self.assertEqual(c.request(FC_UPPER, b"stream"), b"STREAM")
        c.request(FC_EVENTS, u32(5))
        self.assertEqual([c.recv_frame().payload for _ in range(5)],
                         [u32(i) for i in range(5)])
        self.assertEqual(len(srv.seen), 2)


if __name__ == "__main__":
    unittest.main()
