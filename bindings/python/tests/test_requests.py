"""Requests that do not block, without asyncio: started requests answered through the
receive path in order with events, what each frame is, error replies and libkctl's
timeout frames with their origin, late replies, cancelling, the in-flight limit, the
wait hint, and a selectors loop that relies on it."""

import errno
import selectors
import struct
import time
import unittest

import kctl
from kctl import MsgKind, Origin, frames
from kctl.sim import Kernel
from support import (FC_ECHO, FC_EVENT_TYPE, FC_EVENTS, FC_FAIL, FC_MULTI, FC_SILENT,
                     FRAMES, FrameKext)


def u32(v):
    return struct.pack("=I", v)


class RequestTest(unittest.TestCase):

    stream = False

    def setUp(self):
        self.k = Kernel()
        self.addCleanup(self.k.close)
        self.fk = FrameKext(self.k, stream=self.stream)
        self.c = kctl.Control(FRAMES, kernel=self.k, stream=self.stream, timeout=5)
        self.addCleanup(self.c.close)


class TestStarted(RequestTest):

    def test_a_started_request_is_answered_through_the_receive_path_and_matched(self):
        seq = self.c.request_start(FC_ECHO, b"hi", timeout=5)
        self.assertEqual(self.c.counter("in_flight"), 1)
        f, info = self.c.recv_frame_info()
        self.assertEqual(info, (MsgKind.REPLY, seq, True, None))
        self.assertEqual((f.seq, f.payload), (seq, b"hi"))
        st = self.c.stats()
        self.assertEqual((st["unmatched_replies"], st["in_flight"]), (0, 0))

    def test_events_and_replies_come_in_the_order_the_control_sent_them(self):
        self.c.request_start(FC_EVENTS, u32(3))
        got = [self.c.recv_frame_info() for _ in range(4)]
        self.assertEqual([(i.kind, f.type, i.last) for f, i in got],
                         [(MsgKind.EVENT, FC_EVENT_TYPE, False)] * 3
                         + [(MsgKind.REPLY, FC_EVENTS, True)])

    def test_the_parts_of_a_multi_part_reply_say_which_is_last(self):
        seq = self.c.request_start(FC_MULTI)
        got = [self.c.recv_frame_info() for _ in range(3)]
        self.assertEqual([(f.payload, i.seq, i.last) for f, i in got],
                         [(b"one", seq, False), (b"two", seq, False), (b"three", seq, True)])

    def test_an_error_reply_ends_a_started_request_with_the_controls_errno(self):
        seq = self.c.request_start(FC_FAIL, u32(errno.EBUSY))
        _, info = self.c.recv_frame_info()
        e = info.error
        self.assertIsInstance(e, kctl.KctlError)
        self.assertEqual((info.last, e.errno, e.origin, e.call_kind),
                         (True, errno.EBUSY, Origin.CONTROL, kctl.CallKind.REQUEST))
        self.assertEqual(e.strerror, f"{kctl.strerror(errno.EBUSY)}: the control answered "
                         f"EBUSY to request type {FC_FAIL} (seq {seq}): an ERROR reply")

    def test_a_request_nobody_answers_ends_with_libkctls_timeout_frame(self):
        self.c.timeout = 0
        seq = self.c.request_start(FC_SILENT, timeout=0.03)
        with self.assertRaises(BlockingIOError):
            self.c.recv_frame_info()
        wait = self.c.wait_ms()
        self.assertTrue(1 <= wait <= 30, wait)
        time.sleep((wait + 5) / 1000)
        self.assertEqual((self.c.pending, self.c.wait_timeout()), (1, 0.0))
        f, info = self.c.recv_frame_info()
        self.assertEqual((info.kind, info.seq, info.last), (MsgKind.REPLY, seq, True))
        self.assertTrue(f.is_error and f.aux == errno.ETIMEDOUT and f.type == FC_SILENT)
        self.assertIsInstance(info.error, TimeoutError)
        self.assertEqual(info.error.origin, Origin.LIBRARY)
        self.assertIn("libkctl ended it with a timeout frame", info.error.strerror)
        self.assertEqual((self.c.wait_ms(), self.c.wait_timeout()), (-1, None))
        self.fk.put(self.c.unit, frames.reply(FC_SILENT, seq, b"late"))
        with self.assertRaises(BlockingIOError):
            self.c.recv_frame_info()
        self.assertEqual((self.c.counter("late_replies"), self.c.counter("unmatched_replies")),
                         (1, 0))

    def test_a_cancelled_request_gets_no_frame_and_cannot_be_cancelled_twice(self):
        self.c.timeout = 0
        seq = self.c.request_start(FC_SILENT)
        self.assertEqual(self.c.wait_ms(), -1, "no deadline: only the fd can wake a loop")
        self.c.request_cancel(seq)
        with self.assertRaises(FileNotFoundError) as cm:
            self.c.request_cancel(seq)
        self.assertEqual(cm.exception.origin, Origin.LIBRARY)
        self.assertIn(f"no request with seq {seq} is pending", cm.exception.strerror)
        self.fk.put(self.c.unit, frames.reply(FC_SILENT, seq, b"late"))
        with self.assertRaises(BlockingIOError):
            self.c.recv_frame_info()
        self.assertEqual(self.c.counter(kctl.KCTL_MSG_LATE_REPLIES), 1)

    def test_sixteen_requests_may_be_in_flight_and_a_seventeenth_is_busy(self):
        for _ in range(kctl.KCTL_MSG_MAX_INFLIGHT):
            self.c.request_start(FC_SILENT)
        with self.assertRaises(kctl.KctlError) as cm:
            self.c.request_start(FC_SILENT)
        self.assertEqual((cm.exception.errno, cm.exception.origin), (errno.EBUSY, Origin.LIBRARY))
        self.assertEqual(self.c.stats()["in_flight"], 16)

    def test_a_zero_timeout_is_refused_and_a_negative_one_never_reaches_c(self):
        sends = self.k.call_count("send")
        with self.assertRaises(kctl.KctlError) as cm:
            self.c.request_start(FC_ECHO, timeout=0)
        self.assertEqual((cm.exception.errno, cm.exception.origin), (errno.EINVAL, Origin.LIBRARY))
        for bad in (-0.001, float("nan"), float("inf")):   # -0.001 would be -1: no limit
            with self.assertRaises(ValueError):
                self.c.request_start(FC_ECHO, timeout=bad)
        with self.assertRaises(ValueError):
            self.c.counter("nope")
        self.assertEqual(self.k.call_count("send"), sends)


class TestStreamPending(RequestTest):

    stream = True

    def test_frames_one_receive_brought_are_pending_without_a_syscall(self):
        self.c.request_start(FC_EVENTS, u32(2))
        self.c.recv_frame_info()
        recvs = self.k.call_count("recv")
        self.assertEqual((self.c.pending, self.c.wait_ms()), (2, 0))
        for _ in range(2):
            self.c.recv_frame_info()
        self.assertEqual((self.k.call_count("recv"), self.c.pending), (recvs, 0))


class TestSelectorLoop(RequestTest):

    def test_a_selectors_loop_sleeps_on_the_fd_and_the_wait_hint(self):
        self.c.timeout = 0
        echoes = {self.c.request_start(FC_ECHO, u32(i), timeout=5): i for i in range(5)}
        silent = self.c.request_start(FC_SILENT, timeout=0.05)
        replies, failed, turns = {}, {}, 0
        sel = selectors.DefaultSelector()
        sel.register(self.c, selectors.EVENT_READ)
        deadline = time.monotonic() + 5
        while len(replies) + len(failed) < 6 and time.monotonic() < deadline:
            turns += 1
            sel.select(self.c.wait_timeout())
            while True:
                try:
                    f, info = self.c.recv_frame_info()
                except BlockingIOError:
                    break
                self.assertTrue(info.last)
                if info.error:
                    failed[info.seq] = info.error.errno
                else:
                    replies[info.seq] = f.payload
        sel.close()
        self.assertEqual(replies, {s: u32(i) for s, i in echoes.items()})
        self.assertEqual(failed, {silent: errno.ETIMEDOUT})
        self.assertLessEqual(turns, 4, "the loop slept on the hint instead of spinning")


if __name__ == "__main__":
    unittest.main()
