"""Control: opening, units, closing, send/recv, timeouts, fds."""

import errno
import os
import select
import threading
import time
import unittest

import kctl
from kctl.sim import Kernel
from support import ECHO, EchoKext, KernelTest, open_fds


class TestOpen(KernelTest):

    def test_open_by_name_gets_lowest_unit(self):
        c = self.open()
        self.assertEqual(c.unit, 1)
        self.assertEqual(c.id, self.echo.ctl.id)
        self.assertFalse(c.stream)
        self.assertIn(("connect", 1), self.echo.log)
        os.fstat(c.fileno())  # a real descriptor
        self.assertIn("unit=1", repr(c))

    def test_second_client_gets_next_unit(self):
        a, b = self.open(), self.open()
        self.assertEqual((a.unit, b.unit), (1, 2))

    def test_open_by_id_and_explicit_unit(self):
        cid = kctl.lookup(ECHO, kernel=self.k)
        self.assertEqual(cid, self.echo.ctl.id)
        c = self.open(cid, 7)
        self.assertEqual((c.id, c.unit), (cid, 7))
        self.assertEqual(kctl.count(kernel=self.k), 1)

    def test_close_is_idempotent_and_runs_disconnect(self):
        c = kctl.Control(ECHO, kernel=self.k)
        self.assertFalse(c.closed)
        c.close()
        c.close()
        self.assertTrue(c.closed)
        self.assertEqual(self.echo.log[-1], ("disconnect", 1))
        self.assertEqual(repr(c), "<kctl.Control closed>")

    def test_use_after_close_raises_ebadf(self):
        c = kctl.Control(ECHO, kernel=self.k)
        c.close()
        for call in (c.fileno, lambda: c.send(b"x"), c.recv, lambda: c.get_u32(1)):
            with self.assertRaises(kctl.KctlError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_context_manager_closes(self):
        with kctl.Control(ECHO, kernel=self.k) as c:
            self.assertEqual(c.unit, 1)
        self.assertTrue(c.closed)
        self.assertEqual(self.echo.log.count(("disconnect", 1)), 1)

    def test_bind_only_then_connect(self):
        bound = []
        self.k.register("org.libkctl.py.bind", bind=bound.append,
                        connect=lambda unit: bound.append(("connect", unit)))
        c = self.open("org.libkctl.py.bind", 4, bind_only=True)
        self.assertEqual(bound, [4])
        c.connect()
        self.assertEqual(bound, [4, ("connect", 4)])
        with self.assertRaises(kctl.KctlError) as cm:
            c.connect()
        self.assertEqual(cm.exception.errno, errno.EISCONN)

    def test_kernel_close_closes_its_controls(self):
        k = Kernel()
        EchoKext(k)
        c = kctl.Control(ECHO, kernel=k)
        k.close()
        self.assertTrue(c.closed)
        self.assertTrue(k.closed)
        with self.assertRaises(kctl.KctlError) as cm:
            kctl.Control(ECHO, kernel=k)
        self.assertEqual(cm.exception.errno, errno.EBADF)


class TestData(KernelTest):

    def test_round_trip_dgram(self):
        c = self.open(timeout=1)
        self.assertEqual(c.send(b"hello kernel"), 12)
        got = c.recv()
        self.assertEqual(got.data, b"hello kernel")
        self.assertFalse(got.truncated)
        self.assertEqual(self.echo.log[-1], ("send", 1, 12))

    def test_send_accepts_bytes_like(self):
        c = self.open(timeout=1)
        c.send(bytearray(b"abc"))
        c.send(memoryview(b"xyz"))
        self.assertEqual([c.recv().data, c.recv().data], [b"abc", b"xyz"])

    def test_truncated_record_flag_and_tail_dropped(self):
        c = self.open(timeout=1)
        c.send(b"0123456789")
        c.send(b"next")
        got = c.recv(4)
        self.assertEqual(got.data, b"0123")
        self.assertTrue(got.truncated)
        nxt = c.recv(4)
        self.assertEqual(nxt.data, b"next")
        self.assertFalse(nxt.truncated)

    def test_stream_round_trip(self):
        EchoKext(self.k, "org.libkctl.py.stream", stream=True)
        c = self.open("org.libkctl.py.stream", stream=True, timeout=1)
        self.assertTrue(c.stream)
        c.send(b"streamed")
        got = c.recv()
        self.assertEqual(got.data, b"streamed")
        self.assertTrue(got.eor)

    def test_record_above_sendsize_is_emsgsize(self):
        c = self.open(timeout=1)
        with self.assertRaises(kctl.KctlError) as cm:
            c.send(b"x" * (self.echo.ctl.sendsize + 1))
        self.assertEqual(cm.exception.errno, errno.EMSGSIZE)
        self.assertEqual(cm.exception.sent, 0)

    def test_no_send_callback_is_enotsup(self):
        self.k.register("org.libkctl.py.mute")
        c = self.open("org.libkctl.py.mute")
        with self.assertRaises(kctl.KctlError) as cm:
            c.send(b"x")
        self.assertEqual(cm.exception.errno, errno.ENOTSUP)

    def test_enqueue_from_another_thread_wakes_blocking_recv(self):
        c = self.open(timeout=5)
        t = threading.Timer(0.05, self.echo.ctl.enqueue, (c.unit, b"late"))
        t.start()
        try:
            self.assertEqual(c.recv().data, b"late")
        finally:
            t.join()


class TestTimeouts(KernelTest):
    """timeout=0 raises KctlError EAGAIN, which is also a BlockingIOError."""

    def test_timeout_zero_is_blocking_io_error(self):
        c = self.open(timeout=0)
        self.assertEqual(c.timeout, 0)
        with self.assertRaises(BlockingIOError) as cm:
            c.recv()
        self.assertIsInstance(cm.exception, kctl.KctlError)
        self.assertEqual(cm.exception.errno, errno.EAGAIN)
        self.assertIn("EAGAIN (", cm.exception.strerror)

    def test_nonblock_flag_starts_at_zero(self):
        self.assertEqual(self.open(nonblock=True).timeout, 0)
        self.assertIsNone(self.open().timeout)

    def test_timeout_expires_with_timeout_error(self):
        c = self.open(timeout=0.05)
        t0 = time.monotonic()
        with self.assertRaises(TimeoutError) as cm:
            c.recv()
        self.assertGreaterEqual(time.monotonic() - t0, 0.04)
        self.assertEqual(cm.exception.errno, errno.ETIMEDOUT)
        self.assertIsInstance(cm.exception, kctl.KctlError)

    def test_timeout_property(self):
        c = self.open()
        c.timeout = 0.25
        self.assertEqual(c.timeout, 0.25)
        c.timeout = 0.0001            # rounded up to 1 ms, never to "don't wait"
        self.assertEqual(c.timeout, 0.001)
        c.timeout = None
        self.assertIsNone(c.timeout)
        with self.assertRaises(ValueError):
            c.timeout = -1
        with self.assertRaises(ValueError):
            c.timeout = float("nan")


class TestFds(KernelTest):

    def test_fileno_works_with_select(self):
        c = self.open(timeout=0)
        self.assertEqual(select.select([c], [], [], 0)[0], [])
        self.echo.ctl.enqueue(c.unit, b"ping")
        self.assertEqual(select.select([c], [], [], 1)[0], [c])
        self.assertEqual(c.recv().data, b"ping")

    def test_no_fd_leak(self):
        before = open_fds()
        for _ in range(20):
            with kctl.Control(ECHO, kernel=self.k, timeout=1) as c:
                c.send(b"x")
                c.recv()
            for bad in ("org.libkctl.py.none", ECHO):
                try:  # ENOENT, then EPROTOTYPE (echo is DGRAM)
                    kctl.Control(bad, kernel=self.k, stream=True)
                except kctl.KctlError:
                    pass
        k = Kernel()
        EchoKext(k)
        kctl.Control(ECHO, kernel=k)  # left open: the kernel's close closes it
        k.close()
        self.assertEqual(open_fds(), before)


if __name__ == "__main__":
    unittest.main()
