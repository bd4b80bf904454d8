"""asyncio on libkctl's non-blocking requests: concurrent requests matched by libkctl
(more than its 16 slots), errors with their origin, multi-part replies, per-request
timeouts from libkctl's timeout frames and late replies, cancelling, events to a reader
callback, frames buffered by libkctl that do not wake the fd, closing; against Python
controls and the sample kext."""

import asyncio
import errno
import struct
import unittest

import kctl
from kctl import aio, frames
from kctl.sim import Kernel, sample_kext_path
from support import (FC_ECHO, FC_EVENT_TYPE, FC_EVENTS, FC_FAIL, FC_MULTI, FC_SILENT,
                     FC_UPPER, FRAMES, FrameKext)

PATIENCE = 5.0   # what a test waits at most before it fails instead of hanging


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, PATIENCE))


def loop_time():
    return asyncio.get_running_loop().time()


class AioTest(unittest.TestCase):

    stream = False

    def setUp(self):
        self.k = Kernel()
        self.addCleanup(self.k.close)
        self.fk = FrameKext(self.k, stream=self.stream)
        self.c = kctl.Control(FRAMES, kernel=self.k, stream=self.stream)
        self.addCleanup(self.c.close)


class TestRequests(AioTest):

    def test_concurrent_requests_each_get_their_own_reply(self):
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                echo = [ac.request(FC_ECHO, b"m%d" % i) for i in range(20)]
                upper = [ac.request(FC_UPPER, b"u%d" % i) for i in range(20)]
                return await asyncio.gather(*echo, *upper)
        got = run(main())
        self.assertEqual(got, [b"m%d" % i for i in range(20)] + [b"U%d" % i for i in range(20)])
        self.assertEqual(self.c.gettimeout(), 0.0, "the Control never blocks the loop")
        st = self.c.stats()
        self.assertEqual((st["unmatched_replies"], st["in_flight"], st["frames_out"]), (0, 0, 40),
                         "libkctl started and matched all 40, 16 at a time at most")

    def test_an_error_reply_raises_the_peers_errno(self):
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                await ac.request(FC_FAIL, struct.pack("=I", errno.EBUSY))
        with self.assertRaises(kctl.KctlError) as cm:
            run(main())
        self.assertEqual((cm.exception.errno, cm.exception.origin), (errno.EBUSY, kctl.Origin.CONTROL))
        self.assertIn("the control answered EBUSY to request type %d" % FC_FAIL,
                      cm.exception.strerror)

    def test_the_parts_of_a_multi_part_reply_are_joined(self):
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                return await ac.request(FC_MULTI)
        self.assertEqual(run(main()), b"onetwothree")

    def test_an_unanswered_request_ends_with_libkctls_timeout_and_its_late_reply_is_dropped(self):
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                start = loop_time()
                with self.assertRaises(TimeoutError) as cm:
                    await ac.request(FC_SILENT, timeout=0.05)
                waited = loop_time() - start
                self.assertEqual((cm.exception.errno, cm.exception.origin),
                                 (errno.ETIMEDOUT, kctl.Origin.LIBRARY))
                self.assertIn("libkctl ended it with a timeout frame", cm.exception.strerror)
                self.assertGreaterEqual(waited, 0.045)
                self.assertLess(waited, 1.0, "woken at libkctl's deadline, not by the fd")
                late = self.fk.seen[-1]
                self.fk.put(self.c.unit, frames.reply(late.type, late.seq, b"too late"))
                self.assertEqual(await ac.request(FC_ECHO, b"next"), b"next")
                return ac.late_replies
        self.assertEqual(run(main()), 1)
        self.assertEqual(self.c.stats()["unmatched_replies"], 0)

    def test_a_zero_timeout_is_refused_by_libkctl(self):
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                with self.assertRaises(kctl.KctlError) as cm:
                    await ac.request(FC_ECHO, timeout=0)
                return cm.exception
        exc = run(main())
        self.assertEqual((exc.errno, exc.origin), (errno.EINVAL, kctl.Origin.LIBRARY))
        self.assertEqual(self.fk.seen, [], "nothing was sent")

    def test_a_full_socket_buffer_waits_for_the_fd_to_be_writable(self):
        self.k.fail_next("send", errno.EAGAIN)
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                return await ac.request(FC_ECHO, b"after EAGAIN")
        self.assertEqual(run(main()), b"after EAGAIN")
        self.assertEqual(len(self.fk.seen), 1, "sent once, after the refusal")

    def test_closing_fails_the_waiting_requests_and_leaves_the_control_open(self):
        async def main():
            ac = aio.AsyncControl(self.c)
            pending = asyncio.ensure_future(ac.request(FC_SILENT))
            await asyncio.sleep(0.01)
            ac.close()
            with self.assertRaises(kctl.KctlError) as cm:
                await pending
            self.assertEqual(cm.exception.errno, errno.ECANCELED)
            with self.assertRaises(kctl.KctlError):
                await ac.request(FC_ECHO)
        run(main())
        self.assertFalse(self.c.closed)

    def test_a_cancelled_request_is_cancelled_in_libkctl_and_its_reply_counted_late(self):
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                task = asyncio.ensure_future(ac.request(FC_SILENT))
                await asyncio.sleep(0.01)
                self.assertEqual(self.c.counter("in_flight"), 1)
                task.cancel()
                with self.assertRaises(asyncio.CancelledError):
                    await task
                self.assertEqual(self.c.counter("in_flight"), 0)
                late = self.fk.seen[-1]
                self.fk.put(self.c.unit, frames.reply(late.type, late.seq, b"late"))
                self.assertEqual(await ac.request(FC_ECHO, b"still fine"), b"still fine")
                return ac.late_replies
        self.assertEqual(run(main()), 1)

    def test_a_reply_read_before_the_cancel_is_not_taken_for_an_event(self):
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                task = asyncio.ensure_future(ac.request(FC_SILENT))
                await asyncio.sleep(0.01)
                late = self.fk.seen[-1]
                self.fk.put(self.c.unit, frames.reply(late.type, late.seq, b"read early"))
                self.assertTrue(self.c.frame_ready())   # libkctl read it, not the loop
                task.cancel()
                with self.assertRaises(asyncio.CancelledError):
                    await task
                await ac.request(FC_EVENTS, struct.pack("=I", 1))
                return await ac.recv_frame()
        first = run(main())
        self.assertTrue(first.is_event, first)


class TestEvents(AioTest):

    def test_events_reach_the_reader_callback_in_order_before_the_reply(self):
        seen = []
        async def main():
            ac = aio.add_frame_reader(self.c, lambda f: seen.append((f.type, f.aux)))
            try:
                await ac.request(FC_EVENTS, struct.pack("=I", 5))
                return list(seen)
            finally:
                ac.close()
        self.assertEqual(run(main()), [(FC_EVENT_TYPE, i) for i in range(5)])

    def test_without_a_callback_events_wait_for_recv_frame(self):
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                await ac.request(FC_EVENTS, struct.pack("=I", 3))
                return [(await ac.recv_frame()).aux for _ in range(3)]
        self.assertEqual(run(main()), [0, 1, 2])

    def test_a_callback_that_raises_is_reported_and_reading_goes_on(self):
        errors, seen = [], []
        def cb(f):
            seen.append(f.aux)
            if f.aux == 0:
                raise ValueError("bad handler")
        async def main():
            asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: errors.append(ctx))
            async with aio.AsyncControl(self.c, on_frame=cb) as ac:
                await ac.request(FC_EVENTS, struct.pack("=I", 2))
                with self.assertRaises(RuntimeError):
                    await ac.recv_frame()
        run(main())
        self.assertEqual(seen, [0, 1])
        self.assertIsInstance(errors[0]["exception"], ValueError)


class TestStreamBuffering(AioTest):

    stream = True

    def test_frames_buffered_by_libkctl_are_all_delivered(self):
        # three events in one enqueue: one receive brings them all, the fd wakes once
        burst = b"".join(frames.event(FC_EVENT_TYPE, b"", i) for i in range(3))
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                self.fk.put(self.c.unit, burst)
                return [(await ac.recv_frame()).aux for _ in range(3)]
        self.assertEqual(run(main()), [0, 1, 2])

    def test_frames_queued_before_the_loop_started_are_delivered(self):
        self.fk.put(self.c.unit, frames.event(FC_EVENT_TYPE, b"early", 0))
        self.c.settimeout(1)
        self.assertTrue(self.c.frame_ready())   # now inside libkctl, not the socket
        async def main():
            async with aio.AsyncControl(self.c) as ac:
                return (await ac.recv_frame()).payload
        self.assertEqual(run(main()), b"early")


class TestSampleKext(unittest.TestCase):

    def test_requests_and_timer_events_of_the_sample_kext(self):
        with Kernel() as k:
            k.load_module(sample_kext_path())
            with kctl.Control("org.libkctl.sample", kernel=k) as c:
                events = []
                async def main():
                    got = asyncio.Event()
                    def cb(f):
                        events.append(f.attr(4).u64())
                        if len(events) >= 3:
                            got.set()
                    async with aio.AsyncControl(c, on_frame=cb) as ac:
                        await ac.request(6)   # subscribe: events come from the kext's timer thread
                        replies = await asyncio.gather(*(ac.request(1, b"e%d" % i) for i in range(8)))
                        await got.wait()
                        await ac.request(7)   # unsubscribe
                        return replies
                replies = run(main())
        self.assertEqual(replies, [b"e%d" % i for i in range(8)])
        self.assertEqual(events[:3], sorted(events[:3]))


if __name__ == "__main__":
    unittest.main()
