"""utun, Apple's tunnel interfaces (``com.apple.net.utun_control``): the control every
VPN on a Mac opens. Each connected socket is an interface ``utunN`` (root only), and
every packet either way starts with a 4-byte header, the protocol family in network
byte order in Darwin's numbering (:attr:`Family.INET` 2, :attr:`Family.INET6` 30,
whatever this host's ``socket.AF_INET6`` is). :class:`Utun` adds and strips it
(``kctl_utun_*``)::

    with kctl.utun.Utun() as tun:            # the lowest free utunN; Utun(3): utun3
        print(tun.ifname)                    # "utun3"
        tun.set_max_pending(64)
        while True:
            pkt = tun.read()                 # Packet(family, data), header stripped
            tun.write(pkt.family, pkt.data)  # header added: an echo

A Utun is a :class:`kctl.Control` (fileno, timeouts, options). On a Mac this is
untested (no Mac is available to this project): the calls are those the tests run
against the simulated kernel's utun (``kctl.sim.Kernel(mac=True)``).
"""

import ctypes
import enum
from typing import NamedTuple

from . import _types as T
from ._lib import core as _core
from .constants import (KCTL_ABI_UTUN_OPT_FLAGS, KCTL_UTUN_AF_INET, KCTL_UTUN_AF_INET6,
                        KCTL_UTUN_ANY, KCTL_UTUN_IFNAME_MAX)
from .errors import CallKind, check
from .handle import _UNSET, Control, _as_bytes, _backend_of, _open_flags, _uint

__all__ = ["Utun", "Family", "Packet", "ANY"]

#: ``Utun(ANY)``: the lowest free utunN.
ANY = KCTL_UTUN_ANY

# A packet read whole: utun's 512 KiB send size.
_PACKET_MAX = 512 * 1024


class Family(enum.IntEnum):
    """A protocol family in Darwin's numbering, as utun's header carries it."""

    INET = KCTL_UTUN_AF_INET
    INET6 = KCTL_UTUN_AF_INET6

    @classmethod
    def of(cls, packet):
        """The family of an IP packet by its version nibble (4 or 6), or None."""
        data = _as_bytes(packet)
        version = data[0] >> 4 if data else None
        return {4: cls.INET, 6: cls.INET6}.get(version)


class Packet(NamedTuple):
    """A packet read from or taken out of utun: its family and its bytes."""

    #: A :class:`Family` (an int for a family utun does not carry).
    family: int
    #: The packet, header stripped.
    data: bytes


def _family(value):
    try:
        return Family(value)
    except ValueError:
        return value


class Utun(Control):
    """An open utun interface. ``Utun(num=ANY, *, kernel=None, nonblock=False,
    bind_only=False, timeout=...)`` opens ``utun{num}`` (0..32767) or, with
    :data:`ANY`, the lowest free one (``kctl_utun_open``). :meth:`open_range` walks a
    range. Closing it removes the interface.

    KctlError: EBUSY (it exists), EPERM (not root), ENOENT (no utun control: a
    simulated kernel made without it), EINVAL (num above 32767), EAFNOSUPPORT (not
    macOS). ``bind_only`` binds without connecting, to :meth:`set_flags` before
    :meth:`connect`: the only time macOS 11 and later accept UTUN_OPT_FLAGS.

    With UTUN_FLAGS_ENABLE_PROC_UUID the header is 20 bytes: :meth:`read` and
    :meth:`write` do not apply; use ``recv`` and ``send``.
    """

    def __init__(self, num=ANY, *, kernel=None, nonblock=False, bind_only=False,
                 timeout=_UNSET, _range=None):
        self._init_state(kernel)
        flags = _open_flags(False, nonblock, bind_only)
        be = _backend_of(kernel)
        out = ctypes.c_void_p()
        if _range is None:
            rc = _core.kctl_utun_open(be, _uint("num", num), flags, ctypes.byref(out))
            check(rc, "kctl_utun_open", CallKind.OPEN)
        else:
            first, last = _range
            rc = _core.kctl_utun_open_range(be, _uint("first", first), _uint("last", last),
                                            flags, ctypes.byref(out))
            check(rc, "kctl_utun_open_range", CallKind.OPEN)
        self._adopt(out.value, timeout)

    @classmethod
    def open_range(cls, first, last, **kwargs):
        """Opens the first free interface of utun{first}..utun{last}, trying each in
        order and skipping only EBUSY, as VPN clients walk unit numbers
        (``kctl_utun_open_range``); any other error (EPERM above all) ends the walk.
        KctlError EBUSY if all of them exist. Keywords as :class:`Utun`."""
        return cls(_range=(first, last), **kwargs)

    def __repr__(self):
        if self.closed:
            return "<kctl.utun.Utun closed>"
        try:
            name = self.ifname
        except OSError:
            name = "(not connected)"
        return f"<kctl.utun.Utun {name} fd={self.fileno()}>"

    @property
    def ifname(self):
        """The interface's name, "utun3" (``kctl_utun_ifname``). KctlError EINVAL before
        :meth:`connect` of a ``bind_only`` Utun."""
        buf = ctypes.create_string_buffer(KCTL_UTUN_IFNAME_MAX)
        self._check(CallKind.OPTION, _core.kctl_utun_ifname(self._handle(), buf,
                                                           ctypes.sizeof(buf)),
                    "kctl_utun_ifname")
        return buf.value.decode("ascii", "replace")

    def set_max_pending(self, packets):
        """How many packets may wait in the socket for this reader
        (UTUN_OPT_MAX_PENDING_PACKETS, default 1; further ones wait in the interface's
        send queue, then are dropped). KctlError EINVAL for 0."""
        self._check(CallKind.OPTION,
                    _core.kctl_utun_set_max_pending(self._handle(), _uint("packets", packets)),
                    "kctl_utun_set_max_pending")

    def set_flags(self, flags):
        """Sets UTUN_OPT_FLAGS (``KCTL_ABI_UTUN_FLAGS_*``): between a ``bind_only``
        open and :meth:`connect` on macOS 11 and later."""
        self.set_u32(KCTL_ABI_UTUN_OPT_FLAGS, flags)

    def write(self, family, data):
        """Sends one IP packet with its header in front, the packet not copied
        (``kctl_utun_write``). KctlError EPFNOSUPPORT for a family other than INET (2)
        or INET6 (30) (nothing sent), EMSGSIZE above utun's 512 KiB."""
        data = _as_bytes(data)
        self._check(CallKind.SEND, _core.kctl_utun_write(self._handle(),
                                                        _uint("family", int(family)), data,
                                                        len(data)),
                    "kctl_utun_write")

    def writev(self, family, pieces):
        """Sends one packet given in pieces (1..63 bytes-like objects) as one record
        (``kctl_utun_writev``)."""
        pieces = [_as_bytes(p) for p in pieces]
        iov = (T.IoVec * max(1, len(pieces)))()
        for v, p in zip(iov, pieces):
            v.iov_base = ctypes.cast(ctypes.c_char_p(p), ctypes.c_void_p) if p else None
            v.iov_len = len(p)
        self._check(CallKind.SEND, _core.kctl_utun_writev(self._handle(),
                                                         _uint("family", int(family)), iov,
                                                         len(pieces)),
                    "kctl_utun_writev")

    def read(self, bufsize=_PACKET_MAX):
        """Receives one packet, its header stripped, as a :class:`Packet`
        (``kctl_utun_read``); waits up to the timeout. KctlError EMSGSIZE (longer than
        ``bufsize``: the rest is gone), EPFNOSUPPORT (a family other than 2 or 30),
        EBADMSG (a record shorter than the header), EPIPE (the connection is dead),
        EAGAIN / ETIMEDOUT."""
        _uint("bufsize", bufsize, (1 << 63) - 1)
        buf = ctypes.create_string_buffer(max(bufsize, 1))
        n = ctypes.c_size_t(0)
        fam = ctypes.c_uint32(0)
        self._check(CallKind.RECV, _core.kctl_utun_read(self._handle(), buf, bufsize,
                                                       ctypes.byref(n), ctypes.byref(fam)),
                    "kctl_utun_read")
        return Packet(_family(fam.value), buf.raw[:n.value])
