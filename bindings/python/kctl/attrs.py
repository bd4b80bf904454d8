"""Frame attributes (kctl_frame.h): type-length-value records in a frame's payload.

Reading, with libkctl's own decoder (the whole region is validated; a malformed one
raises KctlError with the codec's errno: EBADMSG, ENODATA, EILSEQ)::

    for a in frame.attrs():             # or kctl.attrs.parse(payload)
        if a.type == KEY: key = a.str()
    value = frame.attr(VALUE).u64()     # kctl.attrs.find(payload, VALUE); ENOENT if absent

The typed getters (``u8``, ``u16``, ``u32``, ``u64``, ``str``) are libkctl's: a value
of the wrong length, or a string without its NUL or with one inside, raises
KctlError(EBADMSG). ``nested()`` parses the value as attributes.

Writing: :func:`pack` makes a payload of attributes, for a request or a reply::

    payload = attrs.pack((KEY, "colour"), (VALUE, b"teal"), (ADD, attrs.U32(5)),
                         (LIST, [(ITEM, attrs.U8(1)), (ITEM, attrs.U8(2))]))

A value is ``bytes`` (raw), ``str`` (UTF-8 and a NUL), ``U8``/``U16``/``U32``/``U64``
(host byte order) or a list of (type, value) pairs (a nested attribute).
:class:`kctl.frames.Builder` writes the same into a frame (``put_attrs``).
"""

import ctypes
from dataclasses import dataclass
from typing import NamedTuple

from ._lib import core as _core
from ._types import AttrHdr
from .errors import check

__all__ = ["Attr", "parse", "find", "pack", "U8", "U16", "U32", "U64"]


class U8(NamedTuple):
    """A 1-byte attribute value."""
    value: int


class U16(NamedTuple):
    """A 2-byte attribute value (host byte order)."""
    value: int


class U32(NamedTuple):
    """A 4-byte attribute value (host byte order)."""
    value: int


class U64(NamedTuple):
    """An 8-byte attribute value (host byte order)."""
    value: int


def _aligned_copy(data):
    """An 8-byte aligned C buffer holding data (at least 8 bytes long)."""
    buf = (ctypes.c_uint64 * max(1, (len(data) + 7) // 8))()
    ctypes.memmove(buf, data, len(data))
    return buf


@dataclass(frozen=True)
class Attr:
    """One attribute: its type and value bytes (padding not included)."""

    type: int
    value: bytes

    def _c(self, getter, ctype, call):
        """Runs a kctl_attr_get_* on this attribute, rebuilt in an aligned buffer."""
        hdr = AttrHdr(len(self.value) + ctypes.sizeof(AttrHdr), self.type)
        buf = _aligned_copy(bytes(hdr) + self.value)
        out = ctype()
        check(getter(buf, ctypes.byref(out)), call)
        return out.value

    def u8(self):
        """The value as a 1-byte integer (EBADMSG for another length)."""
        return self._c(_core.kctl_attr_get_u8, ctypes.c_uint8, "kctl_attr_get_u8")

    def u16(self):
        """The value as a 2-byte integer, host byte order (EBADMSG otherwise)."""
        return self._c(_core.kctl_attr_get_u16, ctypes.c_uint16, "kctl_attr_get_u16")

    def u32(self):
        """The value as a 4-byte integer, host byte order (EBADMSG otherwise)."""
        return self._c(_core.kctl_attr_get_u32, ctypes.c_uint32, "kctl_attr_get_u32")

    def u64(self):
        """The value as an 8-byte integer, host byte order (EBADMSG otherwise)."""
        return self._c(_core.kctl_attr_get_u64, ctypes.c_uint64, "kctl_attr_get_u64")

    def str(self):
        """The value as a string: NUL-terminated with no other NUL (EBADMSG otherwise),
        decoded as UTF-8 (undecodable bytes kept as surrogates)."""
        raw = self._c(_core.kctl_attr_get_str, ctypes.c_char_p, "kctl_attr_get_str")
        return raw.decode("utf-8", "surrogateescape")

    def nested(self):
        """The attributes nested in the value (list of Attr)."""
        return parse(self.value)


def _from_c(ptr):
    a = ctypes.c_void_p(ptr)
    n = _core.kctl_attr_payload_len(a)
    return Attr(_core.kctl_attr_type(a), ctypes.string_at(_core.kctl_attr_payload(a), n))


def parse(region):
    """Every attribute of ``region`` (a payload or a nested value), in order.
    Raises KctlError for a malformed region (nothing is returned then)."""
    region = bytes(memoryview(region))
    buf = _aligned_copy(region)
    off, out, attrs = ctypes.c_size_t(0), ctypes.c_void_p(), []
    while check(_core.kctl_attr_next(buf, len(region), ctypes.byref(off),
                                     ctypes.byref(out)), "kctl_attr_next") == 1:
        attrs.append(_from_c(out.value))
    return attrs


def find(region, type):
    """The first attribute of ``type`` in ``region``, after validating all of it.
    Raises KctlError ENOENT (also a FileNotFoundError) when there is none."""
    region = bytes(memoryview(region))
    buf = _aligned_copy(region)
    out = ctypes.c_void_p()
    check(_core.kctl_attr_find(buf, len(region), type, ctypes.byref(out)), "kctl_attr_find")
    return _from_c(out.value)


def pack(*items):
    """A payload made of the attributes (type, value), encoded by libkctl."""
    from .frames import Builder
    from .constants import KCTL_FRAME_F_REQUEST

    b = Builder()
    b.start(KCTL_FRAME_F_REQUEST, 0)
    b.put_attrs(items)
    return b.payload()
