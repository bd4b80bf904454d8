"""Shared pieces of the binding's tests: a Python echo control, a frame server,
fd counting. Not a test module (run_tests.py only collects test_*.py)."""

import errno
import os
import struct
import unittest

import kctl
from kctl import frames
from kctl.sim import Kernel

ECHO = "org.libkctl.py.echo"
OPT_U32, OPT_U64, OPT_NAME, OPT_SHORT, OPT_BLOB, OPT_INPUT, OPT_LONG = range(1, 8)


def open_fds():
    """The number of file descriptors this process has open (Linux /proc)."""
    return len(os.listdir("/proc/self/fd"))


class EchoKext:
    """A control written in Python: echoes each send back as one record.

    Options: OPT_U32 / OPT_U64 (per-unit values), OPT_NAME (get: "echo-<unit>",
    set: stored in ``names``), OPT_SHORT (answers 2 bytes), OPT_BLOB (size query:
    ``blob_size``; get: that many 0xAB bytes), OPT_INPUT (answers the caller's
    prefilled bytes reversed, records their length), OPT_LONG (answers 64 bytes
    whatever the buffer). Anything else: ENOPROTOOPT. Records every callback in
    ``log`` as tuples.
    """

    def __init__(self, kernel, name=ECHO, **reg):
        self.kernel = kernel
        self.log = []
        self.values = {}
        self.names = {}
        self.inputs = []
        self.blob_size = 24
        self.ctl = kernel.register(name, connect=self.connect, disconnect=self.disconnect,
                                   send=self.send, setopt=self.setopt, getopt=self.getopt,
                                   **reg)

    def connect(self, unit):
        self.log.append(("connect", unit))
        self.values[unit] = {OPT_U32: b"\0" * 4, OPT_U64: b"\0" * 8}

    def disconnect(self, unit):
        self.log.append(("disconnect", unit))
        self.values.pop(unit, None)

    def send(self, unit, data, flags):
        self.log.append(("send", unit, len(data)))
        self.ctl.enqueue(unit, data)

    def setopt(self, unit, opt, data):
        self.log.append(("setopt", unit, opt, data))
        if opt in (OPT_U32, OPT_U64):
            if len(data) != len(self.values[unit][opt]):
                raise OSError(errno.EINVAL, "bad length")
            self.values[unit][opt] = data
        elif opt == OPT_NAME:
            self.names[unit] = data
        else:
            raise OSError(errno.ENOPROTOOPT, "unknown option")

    def getopt(self, unit, opt, data):
        if opt in (OPT_U32, OPT_U64):
            return self.values[unit][opt]
        if opt == OPT_NAME:
            return f"echo-{unit}".encode() + b"\0"
        if opt == OPT_SHORT:
            return b"\1\2"
        if opt == OPT_BLOB:
            return self.blob_size if data is None else b"\xab" * self.blob_size
        if opt == OPT_INPUT:
            self.inputs.append(data)
            return data[::-1]
        if opt == OPT_LONG:
            return bytes(range(64))
        raise OSError(errno.ENOPROTOOPT, "unknown option")


# Frame server request types (as tests/msg/frame_ctl.h).
FC_ECHO, FC_FAIL, FC_EVENTS, FC_MULTI, FC_SILENT, FC_UPPER = range(1, 7)
FC_EVENT_TYPE = 100
FRAMES = "org.libkctl.py.frames"


class FrameKext:
    """A control that speaks kctl_frame.h, in Python.

    FC_ECHO: reply with the payload. FC_FAIL: error reply, errno = payload u32.
    FC_EVENTS: N events (payload u32 N; aux = i, the "dropped" count) then an empty
    reply. FC_MULTI: "one", "two", "three" with MORE on the first two. FC_SILENT: no
    reply. FC_UPPER: the payload upper-cased. Every frame it gets is kept in ``seen``.
    """

    def __init__(self, kernel, stream=False):
        self.stream = stream
        self.seen = []
        self.ctl = kernel.register(FRAMES, send=self.send, stream=stream)

    def put(self, unit, wire):
        self.ctl.enqueue(unit, wire, eor=not self.stream)

    def send(self, unit, data, flags):
        for f in frames.decode(data):
            self.seen.append(f)
            if f.is_request:
                self.answer(unit, f)

    def answer(self, unit, f):
        n = struct.unpack("=I", f.payload[:4])[0] if len(f.payload) >= 4 else 0
        if f.type == FC_ECHO:
            self.put(unit, frames.reply(f.type, f.seq, f.payload))
        elif f.type == FC_FAIL:
            self.put(unit, frames.error_reply(f.type, f.seq, n))
        elif f.type == FC_EVENTS:
            for i in range(n):
                self.put(unit, frames.event(FC_EVENT_TYPE, struct.pack("=I", i), i))
            self.put(unit, frames.reply(f.type, f.seq))
        elif f.type == FC_MULTI:
            parts = (b"one", b"two", b"three")
            for i, p in enumerate(parts):
                self.put(unit, frames.reply(f.type, f.seq, p, more=i < len(parts) - 1))
        elif f.type == FC_UPPER:
            self.put(unit, frames.reply(f.type, f.seq, f.payload.upper()))


class KernelTest(unittest.TestCase):
    """A test case with a fresh Kernel (self.k) and an EchoKext (self.echo).

    tearDown closes the kernel and fails the test if a callback raised unexpectedly.
    """

    def setUp(self):
        self.k = Kernel()
        self.echo = EchoKext(self.k)

    def tearDown(self):
        errors = list(self.k.callback_errors)
        self.k.close()
        self.assertEqual(errors, [], "a Python callback raised")

    def open(self, control=ECHO, unit=0, **kw):
        """A Control on self.k, closed at cleanup."""
        c = kctl.Control(control, unit, kernel=self.k, **kw)
        self.addCleanup(c.close)
        return c
