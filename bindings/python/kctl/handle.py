"""Control: an open kernel-control socket (a libkctl handle).

Errors are raised as :class:`kctl.KctlError` (see :mod:`kctl.errors`). Arguments that
do not fit the C type they go to (a negative option number, a u32 value above
2**32 - 1, a string with a NUL inside) raise ``ValueError`` before any C call, since
ctypes would silently cut them. Using a closed Control raises ``KctlError(EBADF)``.

Thread-safety is libkctl's: one thread may send while another receives, one may wait
in :meth:`Control.request` while another calls :meth:`Control.recv_frame`; anything
else on one Control at once (and :meth:`Control.close` while a call is in flight) needs
the caller's lock.
"""

import ctypes
import errno
import math
import threading
from typing import NamedTuple

from . import _types as T
from . import frames as _frames
from ._lib import core as _core
from .constants import KCTL_OPEN_BIND_ONLY, KCTL_OPEN_NONBLOCK, KCTL_OPEN_STREAM
from .constants import KCTL_RECV_EOR, KCTL_RECV_TRUNC, KCTL_TIMEOUT_INFINITE
from .errors import (CallKind, KctlError, check, check_record, error_from_record,
                     error_on, explain)

__all__ = ["Control", "Received", "lookup", "count", "version"]

_U32_MAX = (1 << 32) - 1
_U64_MAX = (1 << 64) - 1
_I32_MAX = (1 << 31) - 1
_UNSET = object()


def _uint(what, value, limit=_U32_MAX):
    """Checks that value is an int in 0..limit (ctypes would cut it silently)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= limit:
        raise ValueError(f"{what} must be in 0..{limit}, not {value}")
    return value


def _cstr(what, value):
    """A str or bytes as NUL-free bytes for a char* argument."""
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogateescape")
    elif not isinstance(value, (bytes, bytearray)):
        raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")
    value = bytes(value)
    if b"\0" in value:
        raise ValueError(f"{what} must not contain a NUL byte")
    return value


def _as_bytes(data):
    """Any bytes-like object as bytes (its raw contents); ctypes passes bytes' buffer."""
    if isinstance(data, bytes):
        return data
    return bytes(memoryview(data))


def _backend_of(kernel):
    """The backend pointer for a kernel or a tracer (None: the platform's own, NULL in
    C)."""
    return None if kernel is None else kernel._backend_ptr()


def lookup(name, *, kernel=None):
    """The id of the control called ``name`` (``kctl_lookup_ex``). ``kernel``: a
    simulated kernel or a tracer; None is the platform's own."""
    cid = ctypes.c_uint32()
    why = T.ErrorRec()
    rc = _core.kctl_lookup_ex(_backend_of(kernel), _cstr("name", name), ctypes.byref(cid),
                              ctypes.byref(why))
    check_record(rc, why, "kctl_lookup")
    return cid.value


def count(*, kernel=None):
    """How many controls are registered (``kctl_count``)."""
    n = ctypes.c_uint32()
    check(_core.kctl_count(_backend_of(kernel), ctypes.byref(n)), "kctl_count",
          CallKind.OPEN)
    return n.value


def version():
    """libkctl's version string, "MAJOR.MINOR.PATCH"."""
    return _core.kctl_version().decode("ascii")


def _open_flags(stream, nonblock, bind_only):
    return ((KCTL_OPEN_STREAM if stream else 0) | (KCTL_OPEN_NONBLOCK if nonblock else 0)
            | (KCTL_OPEN_BIND_ONLY if bind_only else 0))


class Received(NamedTuple):
    """What :meth:`Control.recv` returns: the bytes and the KCTL_RECV_* flags."""

    data: bytes
    flags: int

    @property
    def truncated(self):
        """DGRAM: the record was longer than the buffer; its tail is gone."""
        return bool(self.flags & KCTL_RECV_TRUNC)

    @property
    def eor(self):
        """STREAM: the bytes read end a record."""
        return bool(self.flags & KCTL_RECV_EOR)


class Control:
    """An open kernel-control socket.

    ``Control(control, unit=0, *, stream=False, nonblock=False, bind_only=False,
    kernel=None, timeout=...)`` opens the control named ``control`` (str or bytes) or
    with id ``control`` (int) on ``unit`` (0: the kernel picks the lowest free one; read
    it back from :attr:`unit`). ``stream`` opens a SOCK_STREAM socket, ``nonblock``
    starts with a timeout of 0, ``bind_only`` binds without connecting (set options,
    then :meth:`connect`). ``kernel`` is a :class:`kctl.sim.Kernel` to talk to a
    simulated kernel, or a :class:`kctl.trace.Tracer`; None means the platform's own
    (which answers EAFNOSUPPORT on anything but macOS). ``timeout``, if given, is set
    as by the :attr:`timeout` property.

    A failure raises :class:`kctl.KctlError` with libkctl's record of it: its
    ``origin`` says whether libkctl, the kernel or the control refused, its ``strerror``
    the sentence ("EPERM (Operation not permitted): the control refused the
    connection: its connect callback answered EPERM").

    Use it as a context manager or call :meth:`close` (idempotent). :meth:`fileno`
    gives the socket's fd for select/poll; do not close it yourself.
    """

    def __init__(self, control, unit=0, *, stream=False, nonblock=False,
                 bind_only=False, kernel=None, timeout=_UNSET):
        self._init_state(kernel)
        flags = _open_flags(stream, nonblock, bind_only)
        _uint("unit", unit)
        be = _backend_of(kernel)
        out = ctypes.c_void_p()
        why = T.ErrorRec()
        if isinstance(control, int) and not isinstance(control, bool):
            rc = _core.kctl_open_id_ex(be, _uint("control id", control), unit, flags,
                                       ctypes.byref(out), ctypes.byref(why))
            check_record(rc, why, "kctl_open_id")
        else:
            rc = _core.kctl_open_name_ex(be, _cstr("control name", control), unit, flags,
                                         ctypes.byref(out), ctypes.byref(why))
            check_record(rc, why, "kctl_open_name")
        self._adopt(out.value, timeout)

    def _init_state(self, kernel):
        """What every Control has before its handle exists."""
        self._h = None
        self._lock = threading.Lock()
        self._kernel = kernel

    def _adopt(self, h, timeout):
        """Takes the handle an open returned, then sets the timeout if one was given."""
        self._h = h
        if self._kernel is not None:
            self._kernel._track(self)
        if timeout is not _UNSET:
            try:
                self.timeout = timeout
            except BaseException:
                self.close()
                raise

    # ---- lifetime -------------------------------------------------------------------

    def _check(self, kind, rc, call):
        """Returns rc, or raises the KctlError the handle's record for ``kind`` explains."""
        if rc < 0:
            raise error_on(self._h, kind, rc, call)
        return rc

    def _handle(self):
        """The kctl_t pointer, or KctlError(EBADF) once closed."""
        h = self._h
        if h is None:
            raise KctlError(errno.EBADF, None, "closed Control")
        return h

    @property
    def closed(self):
        """True once :meth:`close` ran."""
        return self._h is None

    def close(self):
        """Closes the socket (the control's disconnect callback runs). Idempotent.

        Raises KctlError if the underlying close() failed; the handle is released and
        the Control closed either way.
        """
        with self._lock:
            h, self._h = self._h, None
        if h is None:
            return
        kernel, self._kernel = self._kernel, None
        try:
            check(_core.kctl_close(h), "kctl_close")
        finally:
            if kernel is not None:
                kernel._untrack(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # nothing sensible to do in a finalizer
            pass

    def __repr__(self):
        if self._h is None:
            return "<kctl.Control closed>"
        kind = "stream" if self.stream else "dgram"
        return f"<kctl.Control id={self.id} unit={self.unit} {kind} fd={self.fileno()}>"

    def connect(self):
        """Connects a Control opened with ``bind_only=True``, keeping its unit."""
        self._check(CallKind.OPEN, _core.kctl_connect(self._handle()), "kctl_connect")

    # ---- properties -----------------------------------------------------------------

    def fileno(self):
        """The socket's file descriptor, for select/poll (owned by the Control)."""
        return _core.kctl_fd(self._handle())

    @property
    def id(self):
        """The control id."""
        return _core.kctl_id(self._handle())

    @property
    def unit(self):
        """The unit connected to (the kernel's choice if 0 was asked); before
        ``connect()`` of a ``bind_only`` Control, the unit asked for (0: not known yet)."""
        return _core.kctl_unit(self._handle())

    @property
    def stream(self):
        """True for a SOCK_STREAM Control, False for DGRAM."""
        return bool(_core.kctl_is_stream(self._handle()))

    @property
    def timeout(self):
        """How long blocking calls wait, in seconds: None waits forever, 0 never waits.

        A call that runs out of time raises KctlError ETIMEDOUT (also a TimeoutError).
        With 0, a call that would wait raises KctlError EAGAIN (also a BlockingIOError).
        Set values are rounded up to whole milliseconds, so a tiny positive timeout
        still waits a little rather than becoming 0.
        """
        ms = _core.kctl_timeout(self._handle())
        return None if ms == KCTL_TIMEOUT_INFINITE else ms / 1000.0

    @timeout.setter
    def timeout(self, seconds):
        if seconds is None:
            ms = KCTL_TIMEOUT_INFINITE
        else:
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise TypeError("timeout must be a number of seconds or None")
            if not seconds >= 0:  # also rejects NaN
                raise ValueError("timeout must be >= 0 seconds, or None")
            ms = math.ceil(seconds * 1000)
            if ms > _I32_MAX:
                raise ValueError(f"timeout must be at most {_I32_MAX / 1000} s")
        check(_core.kctl_set_timeout(self._handle(), ms), "kctl_set_timeout")

    # Python's socket module names for the same: settimeout/gettimeout take and give
    # seconds (None blocks forever, 0.0 never blocks), setblocking(False) is
    # settimeout(0.0) and setblocking(True) settimeout(None).

    def settimeout(self, value):
        """As ``socket.settimeout``: seconds (int or float), or None to block forever."""
        self.timeout = value

    def gettimeout(self):
        """As ``socket.gettimeout``: seconds as a float, or None (blocks forever)."""
        return self.timeout

    def setblocking(self, flag):
        """As ``socket.setblocking``: False is a timeout of 0, True no timeout."""
        self.timeout = None if flag else 0.0

    def getblocking(self):
        """As ``socket.getblocking``: False only when the timeout is 0."""
        return self.timeout != 0

    # ---- data -----------------------------------------------------------------------

    def sendall(self, data):
        """As ``socket.sendall``: sends every byte (DGRAM: one record) or raises; returns
        None. A KctlError raised when the time ran out part way has the bytes that went
        in ``sent``."""
        self.send(data)

    def send(self, data):
        """Sends bytes: DGRAM one record, STREAM all of them; returns the count sent.

        On a STREAM that runs out of time part way, the KctlError raised has an
        attribute ``sent`` with the bytes that went.
        """
        data = _as_bytes(data)
        sent = ctypes.c_size_t(0)
        rc = _core.kctl_send(self._handle(), data, len(data), ctypes.byref(sent))
        if rc < 0:
            exc = error_on(self._h, CallKind.SEND, rc, "kctl_send")
            exc.sent = sent.value
            raise exc
        return sent.value

    def recv(self, bufsize=65536):
        """Receives one record (DGRAM) or bytes up to an end of record (STREAM).

        Returns a :class:`Received` (data, flags); ``truncated`` says a DGRAM record
        was longer than ``bufsize`` (its tail is gone). Empty data with bufsize > 0
        means end of file: the connection is dead.
        """
        _uint("bufsize", bufsize, _U64_MAX)
        buf = ctypes.create_string_buffer(bufsize)
        got = ctypes.c_size_t(0)
        flags = ctypes.c_uint32(0)
        rc = _core.kctl_recv(self._handle(), buf, ctypes.sizeof(buf), ctypes.byref(got),
                             ctypes.byref(flags))
        self._check(CallKind.RECV, rc, "kctl_recv")
        return Received(buf.raw[:got.value], flags.value)

    # ---- options --------------------------------------------------------------------

    def set_bytes(self, opt, data=None):
        """Sets option ``opt`` to the bytes ``data`` (None or b"": an empty value)."""
        data = b"" if data is None else _as_bytes(data)
        self._check(CallKind.OPTION, _core.kctl_setopt(self._handle(), _uint("opt", opt),
                                                      data if data else None, len(data)),
                    "kctl_setopt")

    setopt = set_bytes

    def get_bytes(self, opt, size=None, *, prefill=None):
        """Gets option ``opt``: the bytes the control answered.

        ``size`` is the buffer offered (None: ask the control with :meth:`get_size`
        first, or len(prefill)); ``prefill`` puts input bytes in the buffer for controls
        that read it.
        """
        h = self._handle()
        _uint("opt", opt)
        prefill = b"" if prefill is None else _as_bytes(prefill)
        if size is None:
            size = len(prefill) if prefill else self.get_size(opt)
        _uint("size", size, _U64_MAX)
        if len(prefill) > size:
            raise ValueError("prefill is longer than size")
        buf = ctypes.create_string_buffer(prefill, size) if size else None
        got = ctypes.c_size_t(0)
        self._check(CallKind.OPTION, _core.kctl_getopt(h, opt, buf, size, ctypes.byref(got)),
                    "kctl_getopt")
        return buf.raw[:got.value] if buf is not None else b""

    getopt = get_bytes

    def get_size(self, opt):
        """How big option ``opt`` is, as the control answers a size query."""
        size = ctypes.c_size_t(0)
        self._check(CallKind.OPTION, _core.kctl_getopt_size(self._handle(), _uint("opt", opt),
                                                           ctypes.byref(size)),
                    "kctl_getopt_size")
        return size.value

    def set_u32(self, opt, value):
        """Sets a 32-bit option (host byte order)."""
        self._check(CallKind.OPTION, _core.kctl_set_u32(self._handle(), _uint("opt", opt),
                                                       _uint("value", value)), "kctl_set_u32")

    def get_u32(self, opt):
        """Gets a 32-bit option; KctlError EBADMSG if the control answers another length."""
        v = ctypes.c_uint32(0)
        self._check(CallKind.OPTION, _core.kctl_get_u32(self._handle(), _uint("opt", opt),
                                                       ctypes.byref(v)), "kctl_get_u32")
        return v.value

    def set_u64(self, opt, value):
        """Sets a 64-bit option (host byte order)."""
        self._check(CallKind.OPTION, _core.kctl_set_u64(self._handle(), _uint("opt", opt),
                                                       _uint("value", value, _U64_MAX)),
                    "kctl_set_u64")

    def get_u64(self, opt):
        """Gets a 64-bit option; KctlError EBADMSG if the control answers another length."""
        v = ctypes.c_uint64(0)
        self._check(CallKind.OPTION, _core.kctl_get_u64(self._handle(), _uint("opt", opt),
                                                       ctypes.byref(v)), "kctl_get_u64")
        return v.value

    def set_str(self, opt, value):
        """Sets a string option (UTF-8, sent with its NUL)."""
        self._check(CallKind.OPTION, _core.kctl_set_str(self._handle(), _uint("opt", opt),
                                                       _cstr("value", value)), "kctl_set_str")

    def get_str(self, opt, size=1024):
        """Gets a string option of at most ``size`` bytes, NUL included (UTF-8).

        KctlError EMSGSIZE if it does not fit.
        """
        _uint("size", size, _U64_MAX)
        buf = ctypes.create_string_buffer(max(size, 1))
        self._check(CallKind.OPTION, _core.kctl_get_str(self._handle(), _uint("opt", opt), buf,
                                                       size), "kctl_get_str")
        return buf.value.decode("utf-8", "surrogateescape")

    # ---- framed messages (kctl.frames) ----------------------------------------------

    def request(self, type, payload=b"", cap=None):
        """Sends a request frame and returns its reply's payload; see kctl.frames."""
        return _frames.request(self, type, payload, cap)

    def send_frame(self, type, payload=b"", *, flags=None, seq=0, aux=0):
        """Sends one frame; see :func:`kctl.frames.send_frame`."""
        return _frames.send_frame(self, type, payload, flags=flags, seq=seq, aux=aux)

    def send_frames(self, wires):
        """Sends finished frames in one syscall; see :func:`kctl.frames.send_frames`."""
        return _frames.send_frames(self, wires)

    def recv_frame(self, cap=None):
        """Receives the next frame as a :class:`kctl.frames.Frame`."""
        return _frames.recv_frame(self, cap)

    def frame_ready(self):
        """True if a complete frame can be received without waiting."""
        return _frames.ready(self)

    # ---- requests that do not block (event loops) -------------------------------------

    def request_start(self, type, payload=b"", timeout=None):
        """Starts a request and returns its seq at once; see
        :func:`kctl.frames.request_start`."""
        return _frames.request_start(self, type, payload, timeout)

    def request_cancel(self, seq):
        """Cancels a started request; see :func:`kctl.frames.request_cancel`."""
        _frames.request_cancel(self, seq)

    def recv_frame_info(self, cap=None):
        """The next frame and what it is, ``(Frame, MsgInfo)``; see
        :func:`kctl.frames.recv_frame_info`."""
        return _frames.recv_frame_info(self, cap)

    @property
    def pending(self):
        """Frames a receive would hand out now without a syscall (``kctl_msg_pending``)."""
        return _frames.pending(self)

    def wait_ms(self):
        """How long an event loop may sleep on the fd, in ms, -1 for "until the fd is
        readable" (``kctl_msg_wait_ms``): what poll() takes."""
        return _frames.wait_ms(self)

    def wait_timeout(self):
        """:meth:`wait_ms` in seconds, None for "until the fd is readable": what
        select() and selectors take."""
        ms = _frames.wait_ms(self)
        return None if ms < 0 else ms / 1000.0

    def counter(self, which):
        """One framing counter by name ("late_replies", ...); see
        :func:`kctl.frames.counter`."""
        return _frames.counter(self, which)

    # ---- errors ---------------------------------------------------------------------

    def last_error(self, kind):
        """The handle's last failure of ``kind`` (a :class:`kctl.CallKind`) as a
        KctlError (not raised), or None (``kctl_last_error``). Calls that succeed do not
        clear it; EAGAIN is never recorded."""
        rec = T.ErrorRec()
        if _core.kctl_last_error(self._handle(), int(kind), ctypes.byref(rec)) < 0 \
                or rec.err == 0:
            return None
        return error_from_record(rec)

    def explain(self, kind, err):
        """libkctl's sentence for errno ``err`` as a call of ``kind`` on this Control
        returned it (``kctl_explain``): the handle's record when it holds that errno,
        else what the errno alone says."""
        return explain(self._handle(), kind, err)

    def stats(self):
        """The handle's framing counters as a dict."""
        return _frames.stats(self)

    @property
    def max_frame(self):
        """The largest frame (wire size) the handle accepts; settable."""
        return _frames.max_frame(self)

    @max_frame.setter
    def max_frame(self, value):
        _frames.set_max_frame(self, value)
