"""Framed messages (kctl_frame.h): requests, replies, errors and events.

On a :class:`kctl.Control` (also available as its methods):

* :func:`request` sends a request and returns the reply's payload; an ERROR reply
  raises KctlError with the errno the peer answered (EINVAL -> errno.EINVAL).
* :func:`send_frame` / :func:`recv_frame` send and receive single frames; events that
  arrive while a request waits are kept for :func:`recv_frame`.
* :func:`stats`, :func:`max_frame`, :func:`set_max_frame`, :func:`ready`,
  :func:`detail`.

Codec, for the peer's side (a simulated control written in Python, say):
:func:`encode`, :func:`reply`, :func:`error_reply`, :func:`event` build wire bytes with
libkctl's own encoder; :func:`decode` validates a DGRAM record and returns its frames.

Every buffer handed to C is 8-byte aligned (the codec requires it) and passed with its
true capacity.
"""

import ctypes
from dataclasses import dataclass

from ._lib import core as _core
from ._types import FrameHdr, MsgStats
from .constants import (KCTL_FRAME_F_ERROR, KCTL_FRAME_F_EVENT, KCTL_FRAME_F_MORE,
                        KCTL_FRAME_F_REPLY, KCTL_FRAME_F_REQUEST, KCTL_FRAME_HDR_LEN,
                        KCTL_FRAME_MAX)
from .errors import check, error_from_rc

__all__ = ["Frame", "request", "send_frame", "recv_frame", "ready", "stats", "max_frame",
           "set_max_frame", "detail", "encode", "reply", "error_reply", "event", "decode",
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
        """For an error reply, the KctlError it stands for (not raised); else None."""
        return error_from_rc(-self.aux, "error reply") if self.is_error else None


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
    check(_core.kctl_request(ctl._handle(), type, payload, len(payload), buf, cap,
                             ctypes.byref(got)), "kctl_request")
    return buf.raw[:got.value]


def send_frame(ctl, type, payload=b"", *, flags=None, seq=0, aux=0):
    """Sends one frame (flags default: REQUEST) built from its parts, without a copy."""
    flags = KCTL_FRAME_F_REQUEST if flags is None else _check_field("flags", flags, 0xFF)
    payload = _bytes(payload)
    check(_core.kctl_msg_send(ctl._handle(), flags, _check_field("type", type, _U16_MAX),
                              _check_field("seq", seq, _U32_MAX),
                              _check_field("aux", aux, _U32_MAX), payload, len(payload)),
          "kctl_msg_send")


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
    check(_core.kctl_msg_recv(h, buf, ctypes.sizeof(buf), ctypes.byref(wire)),
          "kctl_msg_recv")
    return _from_buffer(buf)


def ready(ctl):
    """True if a complete frame can be received now without waiting."""
    return check(_core.kctl_msg_ready(ctl._handle()), "kctl_msg_ready") == 1


def stats(ctl):
    """The framing counters of the Control (struct kctl_msg_stats) as a dict."""
    st = MsgStats()
    check(_core.kctl_msg_stats(ctl._handle(), ctypes.byref(st)), "kctl_msg_stats")
    return {name: getattr(st, name) for name, _ in MsgStats._fields_}


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

