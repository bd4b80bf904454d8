"""The names Python's socket module uses: settimeout, gettimeout, setblocking,
getblocking, sendall; and send_frames."""

import errno

import kctl
from kctl import frames
from kctl.constants import KCTL_FRAME_F_REQUEST
from support import FC_ECHO, FRAMES, FrameKext, KernelTest


class TestTimeoutNames(KernelTest):

    def test_settimeout_and_gettimeout_are_the_timeout(self):
        c = self.open()
        self.assertIsNone(c.gettimeout())
        c.settimeout(0.25)
        self.assertEqual(c.gettimeout(), 0.25)
        self.assertEqual(c.timeout, 0.25)
        c.settimeout(None)
        self.assertIsNone(c.gettimeout())
        with self.assertRaises(ValueError):
            c.settimeout(-1)

    def test_setblocking_false_never_waits(self):
        c = self.open()
        c.setblocking(False)
        self.assertEqual(c.gettimeout(), 0.0)
        self.assertFalse(c.getblocking())
        with self.assertRaises(BlockingIOError):
            c.recv()
        c.setblocking(True)
        self.assertIsNone(c.gettimeout())
        self.assertTrue(c.getblocking())

    def test_a_short_timeout_runs_out_as_a_timeout_error(self):
        c = self.open()
        c.settimeout(0.02)
        with self.assertRaises(TimeoutError) as cm:
            c.recv()
        self.assertEqual(cm.exception.errno, errno.ETIMEDOUT)


class TestSendall(KernelTest):

    def test_sendall_sends_the_record_and_returns_none(self):
        c = self.open(timeout=1)
        self.assertIsNone(c.sendall(b"all of it"))
        self.assertEqual(c.recv().data, b"all of it")

    def test_sendall_on_a_stream_sends_every_byte(self):
        from support import EchoKext
        EchoKext(self.k, "org.libkctl.py.stream", stream=True)
        c = self.open("org.libkctl.py.stream", stream=True, timeout=1)
        c.sendall(b"x" * 5000)
        got = b""
        while len(got) < 5000:
            got += c.recv().data
        self.assertEqual(got, b"x" * 5000)

    def test_sendall_raises_what_send_raises(self):
        c = self.open(timeout=1)
        with self.assertRaises(kctl.KctlError) as cm:
            c.sendall(b"y" * 4096)   # above the control's 2048-byte send size
        self.assertEqual(cm.exception.errno, errno.EMSGSIZE)


class TestSendFrames(KernelTest):

    def test_several_frames_go_in_one_record(self):
        fk = FrameKext(self.k)
        c = self.open(FRAMES, timeout=1)
        wires = [frames.encode(KCTL_FRAME_F_REQUEST, FC_ECHO, 1, 0, b"a"),
                 frames.encode(KCTL_FRAME_F_REQUEST, FC_ECHO, 2, 0, b"bb")]
        self.assertEqual(c.send_frames(wires), sum(map(len, wires)))
        self.assertEqual([f.seq for f in fk.seen], [1, 2])
        self.assertEqual([c.recv_frame().payload for _ in range(2)], [b"a", b"bb"])
        self.assertEqual(c.stats()["frames_out"], 2)

    def test_what_is_not_a_frame_is_refused(self):
        FrameKext(self.k)
        c = self.open(FRAMES, timeout=1)
        with self.assertRaises(kctl.KctlError) as cm:
            c.send_frames([b"\0" * 16])
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        with self.assertRaises(ValueError):
            c.send_frames([])
