"""The call tracer: every call of a simulated (or the native) kernel as a line, to a
callable or an fd; timestamps; a callback that raises; lifetimes with the kernel."""

import errno
import os
import re
import tempfile
import unittest

import kctl
from kctl.sim import Kernel
from kctl.trace import Tracer
from support import ECHO, EchoKext, KernelTest


def with_fd(lines, fd):
    return [line.replace("FD", str(fd)) for line in lines]


class TestTracer(KernelTest):

    def test_an_open_and_a_close_are_traced_call_by_call(self):
        lines = []
        with Tracer(self.k, callback=lines.append) as t:
            c = kctl.Control(ECHO, kernel=t, timeout=5)
            fd, cid = c.fileno(), self.echo.ctl.id
            self.assertEqual(lines, with_fd([
                "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD",
                "ioctl(FD, FIOCLEX) = 0",
                "ioctl(FD, FIONBIO, [1]) = 0",
                "setsockopt(FD, SOL_SOCKET, SO_NOSIGPIPE, [1], 4) = 0",
                f'ioctl(FD, CTLIOCGINFO, {{ctl_name="{ECHO}"}} => {{ctl_id={cid}}}) = 0',
                "close(FD) = 0",
                "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD",
                "ioctl(FD, FIOCLEX) = 0",
                "ioctl(FD, FIONBIO, [1]) = 0",
                "setsockopt(FD, SOL_SOCKET, SO_NOSIGPIPE, [1], 4) = 0",
                f"connect(FD, {{sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, "
                f"sc_id={cid}, sc_unit=0}}, 32) = 0",
                f"getpeername(FD, {{sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, "
                f"sc_id={cid}, sc_unit=1}}, [32]) = 0"], fd))
            c.send(b"ping")
            c.recv()
            c.close()
        self.assertEqual(len(lines), 15)
        self.assertTrue(lines[12].startswith(f"sendmsg({fd}, 4 bytes "), lines[12])
        self.assertTrue(lines[13].startswith(f"recvmsg({fd}, "), lines[13])
        self.assertEqual(lines[14], f"close({fd}) = 0")

    def test_a_refused_setopt_shows_the_errno_by_name(self):
        lines = []
        with Tracer(self.k, callback=lines.append) as t:
            with t.open(ECHO) as c:
                with self.assertRaises(kctl.KctlError):
                    c.set_bytes(1, b"\1")
        self.assertTrue(any(re.match(r"setsockopt\(\d+, SYSPROTO_CONTROL, 1, .*\) = -1 EINVAL \(",
                                     line) for line in lines), lines)

    def test_timestamps_start_each_line_with_the_seconds_since_the_tracer_was_made(self):
        lines = []
        with Tracer(self.k, callback=lines.append, time=True) as t:
            kctl.count(kernel=t)
        self.assertTrue(lines)
        for line in lines:
            self.assertRegex(line, r"^\+\d+\.\d{6} \w+\(")

    def test_a_tracer_writes_whole_lines_to_a_file_it_keeps_open(self):
        with tempfile.TemporaryFile("w+") as f:
            with Tracer(self.k, fd=f) as t:
                with kctl.Control(ECHO, kernel=t) as c:
                    c.send(b"x")
            f.seek(0)
            text = f.read()
        self.assertTrue(text.endswith(") = 0\n"), text)
        lines = text.splitlines()
        self.assertEqual(len(lines), 14, text)  # the open's 12, the send, the close
        self.assertTrue(lines[0].startswith("socket(AF_SYSTEM, SOCK_DGRAM"))
        self.assertTrue(lines[12].startswith("sendmsg("))

    def test_a_callback_that_raises_loses_its_line_and_nothing_else(self):
        lines = []

        def cb(line):
            if line.startswith("connect("):
                raise RuntimeError("no connects, please")
            lines.append(line)
        t = Tracer(self.k, callback=cb)
        with t.open(ECHO) as c:
            c.send(b"still works")
        self.assertFalse(any(line.startswith("connect(") for line in lines))
        self.assertTrue(lines[-1].startswith("close("))
        self.assertEqual(len(t.callback_errors), 1)
        with self.assertRaises(RuntimeError):
            t.check()
        t.check()  # forgotten
        t.close()

    def test_closing_the_tracer_closes_its_controls_and_the_kernel_closes_them_too(self):
        t = Tracer(self.k, callback=lambda line: None)
        c = t.open(ECHO)
        t.close()
        self.assertTrue(c.closed)
        self.assertEqual(self.echo.log[-1], ("disconnect", 1))
        with self.assertRaises(kctl.KctlError) as cm:
            t.open(ECHO)
        self.assertEqual(cm.exception.errno, errno.EBADF)
        k = Kernel()
        EchoKext(k)
        t2 = Tracer(k, callback=lambda line: None)
        c2 = t2.open(ECHO)
        k.close()                     # the traced kernel goes first: its Controls with it
        self.assertTrue(c2.closed)
        with self.assertRaises(kctl.KctlError):
            t2.open(ECHO)
        t2.close()

    def test_exactly_one_output_is_given(self):
        with self.assertRaises(ValueError):
            Tracer(self.k)
        with self.assertRaises(ValueError):
            Tracer(self.k, callback=print, fd=2)
        with self.assertRaises(TypeError):
            Tracer(self.k, callback=42)


class TestNativeTracer(unittest.TestCase):

    def test_the_native_backend_is_traced_too_and_answers_eafnosupport_off_macos(self):
        lines = []
        with Tracer(callback=lines.append) as t:
            with self.assertRaises(kctl.KctlError) as cm:
                kctl.count(kernel=t)
        self.assertEqual(cm.exception.errno, errno.EAFNOSUPPORT)
        self.assertEqual(lines, ["socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = -1 "
                                 f"EAFNOSUPPORT ({os.strerror(errno.EAFNOSUPPORT)})"])


if __name__ == "__main__":
    unittest.main()
