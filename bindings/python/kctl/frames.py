"""Framed messages (kctl_frame.h): requests, replies, errors and events.

On a :class:`kctl.Control` (also available as its methods):

* :func:`request` sends a request and returns the reply's payload; an ERROR reply
  raises KctlError with the errno the peer answered (EINVAL -> errno.EINVAL).
* :func:`send_frame` / :func:`recv_frame` send and receive single frames; events that
  arrive while a request waits are kept for :func:`recv_frame`.
* :func:`stats`, :func:`counter`, :func:`max_frame`, :func:`set_max_frame`,
  :func:`ready`, :func:`detail`.
* Requests that do not block, for event loops: :func:`request_start` sends a request
  and returns its seq at once; its reply frames (or the timeout frame libkctl makes
  when the request's own timeout runs out) come from :func:`recv_frame_info`, in order
  with events, with a :class:`MsgInfo` that says what each frame is;
  :func:`request_cancel`, :func:`pending` (frames ready without a syscall),
  :func:`wait_ms` (how long a loop may sleep on the fd). :mod:`kctl.aio` is built on
  them.

Codec, for the peer's side (a simulated control written in Python, say):
:func:`encode`, :func:`reply`, :func:`error_reply`, :func:`event` build wire bytes with
libkctl's own encoder; :class:`Builder` builds frames with attributes (see
:mod:`kctl.attrs`); :func:`decode` validates a DGRAM record and returns its frames, whose
attributes :meth:`Frame.attrs` and :meth:`Frame.attr` read.

Every buffer handed to C is 8-byte aligned (the codec requires it) and passed with its
true capacity.
"""

import contextlib
import ctypes
import enum
import errno as _errno
import math
from dataclasses import dataclass
from typing import NamedTuple, Optional

from . import attrs as _attrs
from ._lib import core as _core
from ._types import FrameHdr, IoVec, MsgInfo as _CMsgInfo, MsgStats
from .constants import (KCTL_FRAME_F_ERROR, KCTL_FRAME_F_EVENT, KCTL_FRAME_F_MORE,
                        KCTL_FRAME_F_REPLY, KCTL_FRAME_F_REQUEST, KCTL_FRAME_HDR_LEN,
                        KCTL_FRAME_MAX, KCTL_TIMEOUT_INFINITE)
from .errors import CallKind, KctlError, Origin, check, error_on, error_with_cause, errno_name

__all__ = ["Frame", "Builder", "MsgKind", "MsgInfo", "request", "send_frame", "send_frames",
           "recv_frame", "recv_frame_info", "request_start", "request_cancel", "pending",
           "wait_ms", "ready", "stats", "counter", "COUNTERS", "max_frame", "set_max_frame",
           "detail", "encode", "reply", "error_reply", "event", "decode",
           "DEFAULT_REPLY_CAP"]

#: Reply capacity of :func:`request` when none is given.
DEFAULT_REPLY_CAP = 65536

_U16_MAX = 0xFFFF
_U32_MAX = 0xFFFFFFFF


@dataclass(frozen=True)
class Frame:
    """One decoded frame: header fields and payload bytes (padding not included)."""

    flags: int
    type: int
    seq: int
    aux: int
    payload: bytes

    @property
    def is_request(self):
        """A request (REQUEST flag)."""
        return bool(self.flags & KCTL_FRAME_F_REQUEST)

    @property
    def is_reply(self):
        """A reply (REPLY flag), error replies included."""
        return bool(self.flags & KCTL_FRAME_F_REPLY)

    @property
    def is_error(self):
        """An error reply: ``aux`` is the errno."""
        return bool(self.flags & KCTL_FRAME_F_ERROR)

    @property
    def is_event(self):
        """An unsolicited event: ``aux`` counts the events dropped before it."""
        return bool(self.flags & KCTL_FRAME_F_EVENT)

    @property
    def more(self):
        """A reply with more reply frames for this seq to follow."""
        return bool(self.flags & KCTL_FRAME_F_MORE)

    def error(self):
        """For an error reply, the KctlError it stands for (not raised): the peer's
        errno, origin CONTROL ("the control answered EINVAL to request type 1 (seq 3):
        an ERROR reply"); else None."""
        return _error_reply(self.aux, "error reply", self.type, self.seq) if self.is_error \
            else None

    def attrs(self):
        """The payload's attributes (list of :class:`kctl.attrs.Attr`); KctlError if
        the payload is not a valid attribute region."""
        return _attrs.parse(self.payload)

    def attr(self, type):
        """The first attribute of ``type`` (KctlError ENOENT if none)."""
        return _attrs.find(self.payload, type)


def _error_reply(err, call, type, seq):
    """The KctlError of an ERROR reply to request (type, seq), worded as libkctl words
    the record of a blocking request's error reply."""
    name = errno_name(err) or f"errno {abs(err)}"
    why = f"the control answered {name} to request type {type} (seq {seq}): an ERROR reply"
    return error_with_cause(-abs(err), call, CallKind.REQUEST, Origin.CONTROL, why)


class MsgKind(enum.IntEnum):
    """What a frame from :func:`recv_frame_info` is (``KCTL_MSG_*``)."""

    #: An EVENT frame.
    EVENT = 1
    #: A reply to a request of :func:`request_start` (or the timeout frame libkctl made).
    REPLY = 2
    #: A REPLY that no request of this handle waits for.
    STRAY = 3
    #: A REQUEST frame sent by the control.
    REQUEST = 4


class MsgInfo(NamedTuple):
    """What libkctl says about a received frame (``struct kctl_msg_info``)."""

    #: A :class:`MsgKind` (or the raw int of a kind this binding does not know).
    kind: int
    #: The frame's seq (a reply's is its request's).
    seq: int
    #: The last frame of its request: no more will come for ``seq``.
    last: bool
    #: On the last frame of a failed request, a KctlError (not raised): origin CONTROL
    #: for the control's ERROR reply, origin LIBRARY (ETIMEDOUT) for libkctl's timeout
    #: frame. Else None.
    error: Optional[KctlError]


def _msg_info(raw, frame):
    try:
        kind = MsgKind(raw.kind)
    except ValueError:
        kind = raw.kind
    error = None
    if raw.err < 0:
        call = "kctl_msg_recv_info"
        if raw.origin == Origin.CONTROL:
            error = _error_reply(raw.err, call, frame.type, raw.seq)
        elif raw.origin == Origin.LIBRARY:
            why = (f"no reply to request type {frame.type} (seq {raw.seq}) came within its "
                   "timeout: libkctl ended it with a timeout frame (a later reply is "
                   "dropped and counted as late)")
            error = error_with_cause(raw.err, call, CallKind.REQUEST, Origin.LIBRARY, why)
        else:
            error = error_with_cause(raw.err, call, CallKind.REQUEST, raw.origin, "")
    return MsgInfo(kind, raw.seq, bool(raw.last), error)


def _aligned(nbytes):
    """A zeroed, 8-byte aligned C buffer of at least nbytes (at least 8)."""
    return (ctypes.c_uint64 * max(1, (nbytes + 7) // 8))()


def _check_field(what, value, limit):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise ValueError(f"{what} must be an int in 0..{limit}, not {value!r}")
    return value


def _bytes(data):
    return data if isinstance(data, bytes) else bytes(memoryview(data))


def _from_buffer(buf, offset=0):
    """The Frame whose validated header lies at offset of a C buffer."""
    hdr = FrameHdr.from_buffer(buf, offset)
    start = offset + KCTL_FRAME_HDR_LEN
    payload = bytes(memoryview(buf).cast("B")[start:offset + hdr.len])
    return Frame(hdr.flags, hdr.type, hdr.seq, hdr.aux, payload)


# ---- on a Control ---------------------------------------------------------------------

def request(ctl, type, payload=b"", cap=None):
    """Sends a request of ``type`` and waits (the Control's timeout) for its reply.

    Returns the reply's payload (several reply frames' payloads joined when the peer
    set MORE), at most ``cap`` bytes (default DEFAULT_REPLY_CAP; a longer reply raises
    KctlError EMSGSIZE). An error reply raises KctlError with the peer's errno.
    """
    _check_field("type", type, _U16_MAX)
    payload = _bytes(payload)
    cap = DEFAULT_REPLY_CAP if cap is None else _check_field("cap", cap, KCTL_FRAME_MAX * 64)
    buf = ctypes.create_string_buffer(max(cap, 1))
    got = ctypes.c_size_t(0)
    ctl._check(CallKind.REQUEST, _core.kctl_request(ctl._handle(), type, payload, len(payload),
                                                    buf, cap, ctypes.byref(got)),
               "kctl_request")
    return buf.raw[:got.value]


def send_frame(ctl, type, payload=b"", *, flags=None, seq=0, aux=0):
    """Sends one frame (flags default: REQUEST) built from its parts, without a copy."""
    flags = KCTL_FRAME_F_REQUEST if flags is None else _check_field("flags", flags, 0xFF)
    payload = _bytes(payload)
    ctl._check(CallKind.SEND,
               _core.kctl_msg_send(ctl._handle(), flags, _check_field("type", type, _U16_MAX),
                                   _check_field("seq", seq, _U32_MAX),
                                   _check_field("aux", aux, _U32_MAX), payload, len(payload)),
               "kctl_msg_send")


def send_frames(ctl, wires):
    """Sends finished frames (each item one or more whole frames, as :func:`encode` or
    :meth:`Builder.finish` give them) in one syscall (``kctl_msg_sendv``): on a DGRAM
    one record. Returns the bytes sent; with a timeout of 0 on a STREAM that may be
    fewer (send the rest with ``Control.send`` before any other frame). A KctlError
    raised after some bytes went has them in ``sent``."""
    wires = [_bytes(w) for w in wires]
    if not 1 <= len(wires) <= 64:
        raise ValueError("send_frames takes 1..64 items")
    bufs = [_aligned(len(w)) for w in wires]   # the codec wants 8-byte aligned frames
    iov = (IoVec * len(wires))()
    for v, b, w in zip(iov, bufs, wires):
        ctypes.memmove(b, w, len(w))
        v.iov_base, v.iov_len = ctypes.addressof(b), len(w)
    sent = ctypes.c_size_t(0)
    rc = _core.kctl_msg_sendv(ctl._handle(), iov, len(wires), ctypes.byref(sent))
    if rc < 0:
        if sent.value and rc in (-_errno.EAGAIN, -_errno.ETIMEDOUT):
            return sent.value
        exc = error_on(ctl._h, CallKind.SEND, rc, "kctl_msg_sendv")
        exc.sent = sent.value
        raise exc
    return sent.value


def recv_frame(ctl, cap=None):
    """Receives the next frame (waiting up to the Control's timeout) as a Frame.

    ``cap`` is the largest wire size accepted here (default: the Control's max_frame);
    a bigger frame raises KctlError EMSGSIZE and stays queued.
    """
    h = ctl._handle()
    cap = _core.kctl_msg_max_frame(h) if cap is None else _check_field("cap", cap,
                                                                        KCTL_FRAME_MAX)
    buf = _aligned(cap)
    wire = ctypes.c_size_t(0)
    ctl._check(CallKind.RECV, _core.kctl_msg_recv(h, buf, ctypes.sizeof(buf),
                                                  ctypes.byref(wire)), "kctl_msg_recv")
    return _from_buffer(buf)


def recv_frame_info(ctl, cap=None):
    """As :func:`recv_frame`, and what the frame is (``kctl_msg_recv_info``): returns
    ``(Frame, MsgInfo)``. A wait also ends when a started request's deadline passes:
    its timeout frame (REPLY|ERROR, aux ETIMEDOUT, made by libkctl) is handed out."""
    h = ctl._handle()
    cap = _core.kctl_msg_max_frame(h) if cap is None else _check_field("cap", cap,
                                                                        KCTL_FRAME_MAX)
    buf = _aligned(cap)
    wire = ctypes.c_size_t(0)
    raw = _CMsgInfo()
    ctl._check(CallKind.RECV, _core.kctl_msg_recv_info(h, buf, ctypes.sizeof(buf),
                                                       ctypes.byref(wire), ctypes.byref(raw)),
               "kctl_msg_recv_info")
    frame = _from_buffer(buf)
    return frame, _msg_info(raw, frame)


def _timeout_ms(timeout):
    """A request's timeout in seconds (None: no limit) as kctl_request_start takes it."""
    if timeout is None:
        return KCTL_TIMEOUT_INFINITE
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a number of seconds or None")
    if not 0 <= timeout < math.inf:  # also NaN; 0 goes to libkctl, which refuses it
        raise ValueError("timeout must be > 0 seconds, or None")
    ms = math.ceil(timeout * 1000)
    if ms > 0x7FFFFFFF:
        raise ValueError("timeout must be at most 2147483.647 s")
    return ms


def request_start(ctl, type, payload=b"", timeout=None):
    """Starts a request (``kctl_request_start``): sends it and returns its seq at once.

    ``timeout`` is how long its reply may take, in seconds (None: no limit; rounded up
    to whole milliseconds; 0 is refused, KctlError EINVAL). Its reply frames come from
    :func:`recv_frame_info`; if no reply comes in time libkctl hands out a timeout
    frame instead. KctlError EBUSY with 16 requests in flight; EAGAIN (also a
    BlockingIOError) when the Control's timeout is 0 and there is no room to send:
    nothing went out, start it again later.
    """
    _check_field("type", type, _U16_MAX)
    payload = _bytes(payload)
    ms = _timeout_ms(timeout)
    seq = ctypes.c_uint32(0)
    ctl._check(CallKind.REQUEST,
               _core.kctl_request_start(ctl._handle(), type, payload, len(payload), ms,
                                        ctypes.byref(seq)), "kctl_request_start")
    return seq.value


def request_cancel(ctl, seq):
    """Cancels a started request (``kctl_request_cancel``): no frame comes for it any
    more, a later reply is dropped and counted (``late_replies``). KctlError ENOENT if
    it is not pending (it ended)."""
    ctl._check(CallKind.REQUEST,
               _core.kctl_request_cancel(ctl._handle(), _check_field("seq", seq, _U32_MAX)),
               "kctl_request_cancel")


def pending(ctl):
    """How many frames a receive would hand out now without a syscall (frames already
    read, timeout frames due) (``kctl_msg_pending``)."""
    return max(0, _core.kctl_msg_pending(ctl._handle()))


def wait_ms(ctl):
    """How long an event loop may sleep on the fd before receiving again, in
    milliseconds (``kctl_msg_wait_ms``): 0 while a frame is ready, else the time to the
    earliest deadline of a started request, else -1 (only the fd can wake it)."""
    return _core.kctl_msg_wait_ms(ctl._handle())


def ready(ctl):
    """True if a complete frame can be received now without waiting."""
    return ctl._check(CallKind.RECV, _core.kctl_msg_ready(ctl._handle()),
                      "kctl_msg_ready") == 1


#: The counters of :func:`counter` by name, as ``KCTL_MSG_*`` numbers them.
COUNTERS = {name: i for i, name in enumerate(
    ("frames_in", "frames_out", "recv_calls", "kernel_drops", "backlog_drops",
     "unmatched_replies", "bad_records", "late_replies", "in_flight"))}


def counter(ctl, which):
    """One framing counter (a name of :data:`COUNTERS` or a ``KCTL_MSG_*`` int)
    (``kctl_msg_counter``)."""
    if isinstance(which, str):
        try:
            which = COUNTERS[which]
        except KeyError:
            raise ValueError(f"unknown counter {which!r}; one of {sorted(COUNTERS)}") from None
    v = ctypes.c_uint64(0)
    check(_core.kctl_msg_counter(ctl._handle(), _check_field("counter", which, _U32_MAX),
                                 ctypes.byref(v)), "kctl_msg_counter")
    return v.value


def stats(ctl):
    """The framing counters of the Control as a dict: struct kctl_msg_stats, and the
    counters only ``kctl_msg_counter`` reads (``late_replies``, ``in_flight``)."""
    st = MsgStats()
    check(_core.kctl_msg_stats(ctl._handle(), ctypes.byref(st)), "kctl_msg_stats")
    out = {name: getattr(st, name) for name, _ in MsgStats._fields_}
    for name in ("late_replies", "in_flight"):
        out[name] = counter(ctl, name)
    return out


def max_frame(ctl):
    """The largest frame (wire size) the Control accepts."""
    return _core.kctl_msg_max_frame(ctl._handle())


def set_max_frame(ctl, value):
    """Sets the largest frame (16..KCTL_FRAME_MAX) and allocates the framing buffers."""
    check(_core.kctl_msg_set_max_frame(ctl._handle(), _check_field("max_frame", value,
                                                                   _U32_MAX)),
          "kctl_msg_set_max_frame")


def detail(ctl):
    """A sentence about the last framing error on the Control, or ""."""
    s = _core.kctl_msg_detail(ctl._handle())
    return s.decode("utf-8", "replace") if s else ""


# ---- codec ------------------------------------------------------------------------------

def encode(flags, type, seq=0, aux=0, payload=b""):
    """A finished frame's wire bytes (padded to 8), built by libkctl's encoder.

    Raises KctlError EINVAL for flags/aux that would not decode, EMSGSIZE if too big.
    """
    payload = _bytes(payload)
    cap = KCTL_FRAME_HDR_LEN + len(payload) + 8
    buf = _aligned(cap)
    cap = ctypes.sizeof(buf)
    check(_core.kctl_frame_start(buf, cap, _check_field("flags", flags, 0xFF),
                                 _check_field("type", type, _U16_MAX),
                                 _check_field("seq", seq, _U32_MAX),
                                 _check_field("aux", aux, _U32_MAX)), "kctl_frame_start")
    check(_core.kctl_frame_put(buf, cap, payload, len(payload)), "kctl_frame_put")
    wire = ctypes.c_size_t(0)
    check(_core.kctl_frame_finish(buf, cap, ctypes.byref(wire)), "kctl_frame_finish")
    return bytes(memoryview(buf).cast("B")[:wire.value])


def reply(type, seq, payload=b"", *, more=False):
    """A reply frame to the request (type, seq)."""
    return encode(KCTL_FRAME_F_REPLY | (KCTL_FRAME_F_MORE if more else 0), type, seq, 0,
                  payload)


def error_reply(type, seq, err):
    """An error reply to the request (type, seq); err is an errno (sign ignored)."""
    err = abs(err)
    if err == 0:
        raise ValueError("an error reply needs a nonzero errno")
    return encode(KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, type, seq, err)


def event(type, payload=b"", dropped=0):
    """An event frame; ``dropped`` counts the events lost before it."""
    return encode(KCTL_FRAME_F_EVENT, type, 0, dropped, payload)


def decode(record, max_frame=0):
    """The frames of one DGRAM record, validated as a whole (list of Frame).

    Raises KctlError with the codec's errno for the first malformed frame (ENODATA for
    an empty record or one that ends inside a frame). max_frame 0: KCTL_FRAME_MAX.
    """
    record = _bytes(record)
    buf = _aligned(len(record))
    ctypes.memmove(buf, record, len(record))
    _check_field("max_frame", max_frame, _U32_MAX)
    n = ctypes.c_size_t(0)
    check(_core.kctl_frame_check_record(buf, len(record), max_frame, ctypes.byref(n)),
          "kctl_frame_check_record")
    frames, off = [], 0
    base = ctypes.addressof(buf)
    out, size = ctypes.c_void_p(), ctypes.c_size_t(0)
    for _ in range(n.value):
        check(_core.kctl_frame_next(base + off, len(record) - off, max_frame,
                                    ctypes.byref(out), ctypes.byref(size)),
              "kctl_frame_next")
        frames.append(_from_buffer(buf, off))
        off += size.value
    return frames



class Builder:
    """Builds frames in place with libkctl's encoder, back to back::

        b = Builder()
        b.start(KCTL_FRAME_F_REPLY, type, seq)
        b.put_u64(VALUE, 42).put_str(NAME, "x")
        with b.nest(LIST):
            b.put_u8(ITEM, 1)
        wire = b.finish()            # every frame built so far, padded

    The buffer grows as needed (a frame is at most KCTL_FRAME_MAX). Errors are
    libkctl's (KctlError EINVAL for flags/aux that would not decode, or a put with no
    frame started; EMSGSIZE past the limits). A ``nest`` left by an exception is
    cancelled: nothing put in it remains.
    """

    def __init__(self, cap=256):
        self._buf = _aligned(cap)
        self._done = 0        # bytes of finished frames
        self._open = False

    def _room(self):
        return ctypes.sizeof(self._buf) - self._done

    def _ptr(self):
        return ctypes.addressof(self._buf) + self._done

    def _call(self, fn, call, *args):
        """fn(frame, cap, *args); on EMSGSIZE the buffer doubles (up to the frame
        limit) and the call is made again: the codec wrote nothing the first time."""
        while True:
            rc = fn(self._ptr(), self._room(), *args)
            if rc == -_errno.EMSGSIZE and self._room() <= KCTL_FRAME_MAX:
                bigger = _aligned(2 * ctypes.sizeof(self._buf))
                ctypes.memmove(bigger, self._buf, ctypes.sizeof(self._buf))
                self._buf = bigger
                continue
            return check(rc, call)

    def _need_open(self, call):
        if not self._open:
            raise KctlError(_errno.EINVAL, None, call + " (no frame started)")

    def start(self, flags, type, seq=0, aux=0):
        """Starts a frame after the finished ones (finishing the open one first)."""
        self._finish_open()
        self._call(_core.kctl_frame_start, "kctl_frame_start",
                   _check_field("flags", flags, 0xFF), _check_field("type", type, _U16_MAX),
                   _check_field("seq", seq, _U32_MAX), _check_field("aux", aux, _U32_MAX))
        self._open = True
        return self

    def error_reply(self, type, seq, err):
        """Writes a whole error reply (REPLY|ERROR, aux = errno ``err``, sign ignored)."""
        self._finish_open()
        wire = ctypes.c_size_t(0)
        self._call(_core.kctl_frame_put_error, "kctl_frame_put_error",
                   _check_field("type", type, _U16_MAX), _check_field("seq", seq, _U32_MAX),
                   abs(int(err)), ctypes.byref(wire))
        self._done += wire.value
        return self

    def put(self, data):
        """Appends raw payload bytes."""
        self._need_open("kctl_frame_put")
        data = _bytes(data)
        self._call(_core.kctl_frame_put, "kctl_frame_put", data, len(data))
        return self

    def put_attr(self, type, data):
        """Appends an attribute with a binary value."""
        self._need_open("kctl_attr_put")
        data = _bytes(data)
        self._call(_core.kctl_attr_put, "kctl_attr_put", _check_field("type", type, _U16_MAX),
                   data, len(data))
        return self

    def _put_int(self, fn, call, type, value, limit):
        self._need_open(call)
        self._call(fn, call, _check_field("type", type, _U16_MAX),
                   _check_field("value", value, limit))
        return self

    def put_u8(self, type, value):
        """Appends a 1-byte attribute."""
        return self._put_int(_core.kctl_attr_put_u8, "kctl_attr_put_u8", type, value, 0xFF)

    def put_u16(self, type, value):
        """Appends a 2-byte attribute (host byte order)."""
        return self._put_int(_core.kctl_attr_put_u16, "kctl_attr_put_u16", type, value,
                             _U16_MAX)

    def put_u32(self, type, value):
        """Appends a 4-byte attribute (host byte order)."""
        return self._put_int(_core.kctl_attr_put_u32, "kctl_attr_put_u32", type, value,
                             _U32_MAX)

    def put_u64(self, type, value):
        """Appends an 8-byte attribute (host byte order)."""
        return self._put_int(_core.kctl_attr_put_u64, "kctl_attr_put_u64", type, value,
                             (1 << 64) - 1)

    def put_str(self, type, value):
        """Appends a string attribute (UTF-8 and a NUL; ValueError for a NUL inside)."""
        self._need_open("kctl_attr_put_str")
        raw = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else _bytes(value)
        if b"\0" in raw:
            raise ValueError("a string attribute cannot hold a NUL")
        self._call(_core.kctl_attr_put_str, "kctl_attr_put_str",
                   _check_field("type", type, _U16_MAX), raw)
        return self

    @contextlib.contextmanager
    def nest(self, type):
        """A nested attribute: what is put inside the ``with`` block is its value."""
        self._need_open("kctl_attr_nest_start")
        off = ctypes.c_size_t(0)
        self._call(_core.kctl_attr_nest_start, "kctl_attr_nest_start",
                   _check_field("type", type, _U16_MAX), ctypes.byref(off))
        try:
            yield self
        except BaseException:
            check(_core.kctl_attr_nest_cancel(self._ptr(), self._room(), off.value),
                  "kctl_attr_nest_cancel")
            raise
        rc = _core.kctl_attr_nest_end(self._ptr(), self._room(), off.value)
        if rc < 0:  # grew beyond 65535 bytes: take it out again, then say so
            _core.kctl_attr_nest_cancel(self._ptr(), self._room(), off.value)
            check(rc, "kctl_attr_nest_end")

    def put_attrs(self, items):
        """Appends (type, value) attributes; see :func:`kctl.attrs.pack` for values."""
        for t, value in items:
            if isinstance(value, _attrs.U8):
                self.put_u8(t, value.value)
            elif isinstance(value, _attrs.U16):
                self.put_u16(t, value.value)
            elif isinstance(value, _attrs.U32):
                self.put_u32(t, value.value)
            elif isinstance(value, _attrs.U64):
                self.put_u64(t, value.value)
            elif isinstance(value, str):
                self.put_str(t, value)
            elif isinstance(value, list):
                with self.nest(t):
                    self.put_attrs(value)
            elif isinstance(value, (bytes, bytearray, memoryview)):
                self.put_attr(t, value)
            else:
                raise TypeError(f"attribute {t}: a value of type {type(value).__name__} "
                                "needs U8/U16/U32/U64, str, bytes or a list")
        return self

    def payload(self):
        """The payload of the frame being built, as bytes."""
        self._need_open("payload")
        hdr = FrameHdr.from_buffer(self._buf, self._done)
        start = self._done + KCTL_FRAME_HDR_LEN
        return bytes(memoryview(self._buf).cast("B")[start:self._done + hdr.len])

    def _finish_open(self):
        if self._open:
            wire = ctypes.c_size_t(0)
            check(_core.kctl_frame_finish(self._ptr(), self._room(), ctypes.byref(wire)),
                  "kctl_frame_finish")
            self._done += wire.value
            self._open = False

    def finish(self):
        """Finishes the open frame and returns every frame built so far (bytes)."""
        self._finish_open()
        return bytes(memoryview(self._buf).cast("B")[:self._done])
