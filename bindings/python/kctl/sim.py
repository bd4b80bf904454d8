"""The simulated kernel (kctl_sim.h): register controls written in Python, then talk
to them through :class:`kctl.Control` as a program would on a Mac.

Example::

    with Kernel() as k:
        def echo(unit, data, flags):
            ctl.enqueue(unit, data)
        ctl = k.register("org.example.echo", send=echo)
        with Control("org.example.echo", kernel=k) as c:
            c.send(b"ping")
            assert c.recv().data == b"ping"

Callbacks (each optional; the simulator calls them on the client's thread, and may
call them on several threads at once):

* ``connect(unit)``, ``bind(unit)``: a client connects/binds on ``unit``.
* ``disconnect(unit)``: the client closed (or its connect failed).
* ``send(unit, data, flags)``: ``data`` is the packet's bytes (the mbuf is copied out
  and freed for you).
* ``setopt(unit, opt, data)``: ``data`` is bytes (b"" for an empty value).
* ``getopt(unit, opt, data)``: ``data`` is the caller's buffer as bytes (its capacity,
  pre-filled by the client), or None for a size query. Return the answer as bytes (at
  most ``len(data)`` of them reach the client); for a size query return bytes or an int.
* ``rcvd(unit, flags)``: the client read data.

Kext code runs here too: :meth:`Kernel.load_module` loads a kext built as a module of
the simulated kernel (the sample's ``Sample.so``, :func:`sample_kext_path`) through
libkctl-kpi, whose start routine registers its controls in this kernel::

    with Kernel() as k:
        kext = k.load_module(sample_kext_path())
        with Control("org.libkctl.sample", kernel=k, timeout=1) as c:
            c.request(1, b"hello")

libkctl-kpi is the kernel of the process, as a Mac has one: every kext loaded at once
is loaded into the same Kernel (KctlError EBUSY otherwise). :func:`set_kext_log` sends
the kexts' printf lines to a Python function.

A kernel "like a Mac": ``Kernel(mac=True)`` has Apple's utun control registered (as
xnu-11417's ``if_utun.c``); its network side is here for tests: :meth:`Kernel.utun_inject`
(a packet from the network), :meth:`Kernel.utun_take` (what the client wrote),
:meth:`Kernel.utun_interfaces` and :meth:`Kernel.utun_info` (the counters), and
:meth:`Kernel.sysctl` (the registration list a Mac's netstat reads)::

    with Kernel(mac=True) as k:
        k.set_euid(0)                                   # utun is privileged
        with kctl.utun.Utun(kernel=k, timeout=1) as tun:
            k.utun_inject(tun.ifname, Family.INET, packet)
            tun.write(*tun.read())                      # an echo...
            assert k.utun_take(tun.ifname, timeout=1).data == packet   # ...on the wire

To fail a call with an errno, raise ``OSError(errno.EXXX, ...)`` (a KctlError will do).
Any other exception (a bug in the callback) never crosses into C: the call fails with
EIO, and the exception is kept in :attr:`Kernel.callback_errors`;
:meth:`Kernel.check` re-raises it, and so does leaving a ``with Kernel()`` block.
"""

import ctypes
import errno
import os
import threading
import traceback
from collections.abc import Callable

import math
from typing import NamedTuple

from . import _types as T
from ._lib import load_kpi, load_sim
from ._owner import CallbackOwner
from .constants import (KCTL_ABI_CTL_DATA_EOR, KCTL_ABI_CTL_DATA_NOWAKEUP,
                        KCTL_ABI_CTL_FLAG_PRIVILEGED, KCTL_ABI_CTL_FLAG_REG_ID_UNIT,
                        KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM, KCTL_ABI_MAX_NAME)
from .errors import CallKind, KctlError, Origin, check, error_from_rc, error_with_cause

__all__ = ["Kernel", "SimControl", "Kext", "UtunIf", "CALLS", "sample_kext_path",
           "set_kext_log", "kpi_last_error"]

_sim = load_sim()

#: Names accepted by :meth:`Kernel.fail_next` and :meth:`Kernel.call_count`.
CALLS = {name: i for i, name in enumerate(
    ("socket", "ioctl", "bind", "connect", "getpeername", "send", "recv", "getsockopt",
     "setsockopt", "close", "enqueue", "sysctl"))}

_SIZE_MAX = ctypes.c_size_t(-1).value


def _call_index(call):
    if isinstance(call, str):
        try:
            return CALLS[call]
        except KeyError:
            raise ValueError(f"unknown call {call!r}; one of {sorted(CALLS)}") from None
    if isinstance(call, bool) or not isinstance(call, int):
        raise TypeError("call must be a name or an int")
    return call


class UtunIf(NamedTuple):
    """A utun interface as the simulated network sees it (struct kctl_sim_utun_if)."""

    name: str            #: "utunN"
    unit: int            #: the client's control unit: N + 1
    flags: int           #: UTUN_OPT_FLAGS
    max_pending: int     #: UTUN_OPT_MAX_PENDING_PACKETS
    queued: int          #: packets waiting in the send queue (the client is behind)
    untaken: int         #: packets the client wrote that no test has taken yet
    ipackets: int        #: from the client, header included
    ibytes: int
    ierrors: int
    opackets: int        #: to the client, header included
    obytes: int
    oerrors: int         #: to the client, dropped: send queue or receive buffer full
    in_dropped: int      #: from the client, dropped: short, or an unknown family


def _utun_if(i):
    return UtunIf(i.name.decode("ascii", "replace"), *(getattr(i, f) for f in UtunIf._fields[1:]))


def _ifname(ifname):
    if isinstance(ifname, str):
        ifname = ifname.encode("ascii")
    if not isinstance(ifname, bytes) or b"\0" in ifname:
        raise ValueError("ifname must be a str or bytes without NUL")
    return ifname


# A packet taken whole: utun's 512 KiB send size.
_UTUN_PACKET_MAX = 512 * 1024


class Kernel(CallbackOwner):
    """A simulated kernel (kctl_sim_t). Close it (or use ``with``) when done.

    ``Kernel(mac=True)`` is a kernel "like a Mac" (``kctl_sim_new_mac``): Apple's utun
    control registered. :meth:`close` first closes every :class:`kctl.Control` still
    open on it, then frees the simulator; the registered callbacks stay referenced
    until then.
    """

    def __init__(self, *, mac=False):
        out = ctypes.c_void_p()
        if mac:
            check(_sim.kctl_sim_new_mac(ctypes.byref(out)), "kctl_sim_new_mac")
        else:
            check(_sim.kctl_sim_new(ctypes.byref(out)), "kctl_sim_new")
        self._sim = out.value
        self._controls = []       # SimControls: their callbacks must outlive the sim
        self._clients = set()     # open Controls on this kernel
        self._kexts = []          # loaded Kexts: unloaded before the sim is freed
        #: Exceptions raised by Python callbacks, oldest first (see check()).
        self.callback_errors = []

    # ---- lifetime -------------------------------------------------------------------

    def _sim_ptr(self):
        if self._sim is None:
            raise KctlError(errno.EBADF, None, "closed Kernel")
        return self._sim

    @property
    def closed(self):
        """True once :meth:`close` ran."""
        return self._sim is None

    def close(self):
        """Closes the Controls still open on this kernel, unloads its kexts and frees it.
        Idempotent. If a kext refuses to stop (a client opened outside this binding is
        still connected) the kernel is left allocated, never freed under the kext, and
        KctlError EBUSY is raised."""
        if self._sim is None:
            return
        for client in list(self._clients):
            try:
                client.close()
            except KctlError:
                pass
        refused = []
        for kext in list(self._kexts):
            try:
                kext.unload()
            except KctlError:
                if kext.loaded:
                    refused.append(kext)
        sim, self._sim = self._sim, None
        if refused:
            raise KctlError(errno.EBUSY, None, f"kctl_kpi_unload ({refused[0].name})")
        _sim.kctl_sim_free(sim)   # disconnect callbacks may run: keep them alive till here
        for ctl in self._controls:
            ctl._ctl = None
        self._controls.clear()


    # ---- what Control uses ----------------------------------------------------------

    def _backend_ptr(self):
        return _sim.kctl_sim_backend(self._sim_ptr())

    def _track(self, client):
        self._clients.add(client)

    def _untrack(self, client):
        self._clients.discard(client)

    def open(self, control, unit=0, **kwargs):
        """A :class:`kctl.Control` on this kernel: ``Control(control, unit, kernel=self)``."""
        from .handle import Control
        return Control(control, unit, kernel=self, **kwargs)

    # ---- the kernel's knobs ----------------------------------------------------------

    def set_euid(self, euid):
        """Sets the effective uid callers have (0 is root; privileged controls need it)."""
        if not 0 <= euid <= 0xFFFFFFFF:
            raise ValueError("euid must be in 0..2**32-1")
        _sim.kctl_sim_set_euid(self._sim_ptr(), euid)

    def set_mbuf_segment(self, size):
        """Sets the segment size of the mbuf chains handed to send callbacks."""
        if not 0 <= size <= _SIZE_MAX:
            raise ValueError("size out of range")
        check(_sim.kctl_sim_set_mbuf_segment(self._sim_ptr(), size),
              "kctl_sim_set_mbuf_segment")

    def fail_next(self, call, err):
        """Makes the next ``call`` ("connect", "send", ... or a SIM_CALL_* int) fail
        with errno ``err`` (sign ignored)."""
        err = abs(int(err))
        if err == 0 or err > 0x7FFFFFFF:
            raise ValueError("err must be a nonzero errno")
        check(_sim.kctl_sim_fail_next(self._sim_ptr(), _call_index(call), -err),
              "kctl_sim_fail_next")

    def call_count(self, call):
        """How many calls of kind ``call`` the kernel saw (failed ones included)."""
        return _sim.kctl_sim_call_count(self._sim_ptr(), _call_index(call))

    # ---- utun's network side, the registration list ------------------------------------

    def register_utun(self):
        """Registers Apple's utun control (``kctl_sim_utun_register``); returns its id.
        KctlError EEXIST if it is registered already."""
        ctl = ctypes.c_void_p()
        check(_sim.kctl_sim_utun_register(self._sim_ptr(), ctypes.byref(ctl)),
              "kctl_sim_utun_register")
        return _sim.kctl_sim_ctl_id(ctl)

    def utun_inject(self, ifname, family, data):
        """A packet "from the network" for the client of ``ifname`` ("utun0"): utun puts
        the header in front and queues it (``kctl_sim_utun_inject``). KctlError ENXIO
        (no such interface), EAFNOSUPPORT (a family other than 2 or 30), ENOBUFS
        (dropped and counted: the queue is full)."""
        data = data if isinstance(data, bytes) else bytes(memoryview(data))
        check(_sim.kctl_sim_utun_inject(self._sim_ptr(), _ifname(ifname), _u32(int(family)),
                                        data, len(data)), "kctl_sim_utun_inject")

    def utun_take(self, ifname, *, timeout=None, bufsize=_UTUN_PACKET_MAX):
        """Takes the oldest packet the client of ``ifname`` wrote, header stripped, as a
        :class:`kctl.utun.Packet`, waiting up to ``timeout`` seconds (None: forever, 0:
        not at all) (``kctl_sim_utun_take``). KctlError EAGAIN (timeout 0, none),
        ETIMEDOUT, EMSGSIZE (bigger than bufsize: it stays), ENXIO."""
        from .utun import Packet, _family
        if timeout is None:
            ms = -1
        elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool) \
                and 0 <= timeout < math.inf:
            ms = min(math.ceil(timeout * 1000), 0x7FFFFFFF)
        else:
            raise ValueError("timeout must be >= 0 seconds, or None")
        buf = ctypes.create_string_buffer(max(bufsize, 1))
        n, fam = ctypes.c_size_t(0), ctypes.c_uint32(0)
        check(_sim.kctl_sim_utun_take(self._sim_ptr(), _ifname(ifname), buf, bufsize,
                                      ctypes.byref(n), ctypes.byref(fam), ms),
              "kctl_sim_utun_take")
        return Packet(_family(fam.value), buf.raw[:n.value])

    def utun_interfaces(self):
        """The utun interfaces, by unit, as :class:`UtunIf` (``kctl_sim_utun_list``)."""
        for _ in range(8):
            n = ctypes.c_uint32(0)
            check(_sim.kctl_sim_utun_list(self._sim_ptr(), None, 0, ctypes.byref(n)),
                  "kctl_sim_utun_list")
            cap = n.value + 4
            out = (T.SimUtunIf * cap)()
            rc = _sim.kctl_sim_utun_list(self._sim_ptr(), out, cap, ctypes.byref(n))
            if rc == -errno.ENOSPC:
                continue  # interfaces appeared meanwhile
            check(rc, "kctl_sim_utun_list")
            return [_utun_if(out[i]) for i in range(n.value)]
        raise error_from_rc(-errno.EAGAIN, "kctl_sim_utun_list")

    def utun_info(self, ifname):
        """One interface by name as :class:`UtunIf` (``kctl_sim_utun_info``).
        KctlError ENXIO if there is none."""
        i = T.SimUtunIf()
        check(_sim.kctl_sim_utun_info(self._sim_ptr(), _ifname(ifname), ctypes.byref(i)),
              "kctl_sim_utun_info")
        return _utun_if(i)

    def sysctl(self, name):
        """``sysctlbyname(name)`` as this kernel answers it (``kctl_sim_sysctl``): only
        "net.systm.kctl.reg_list", the registration list's bytes as xnu's handler
        writes them. KctlError ENOENT for any other name."""
        cname = _ifname(name)
        cap = 0
        for _ in range(8):
            size = ctypes.c_size_t(0)
            check(_sim.kctl_sim_sysctl(self._sim_ptr(), cname, None, ctypes.byref(size),
                                       None, 0), "kctl_sim_sysctl")
            # the size query may answer less than the list needs (as a Mac's, n < 8)
            cap = max(cap, size.value, 1024) * 2
            buf = ctypes.create_string_buffer(cap)
            got = ctypes.c_size_t(cap)
            rc = _sim.kctl_sim_sysctl(self._sim_ptr(), cname, buf, ctypes.byref(got), None, 0)
            if rc == -errno.ENOMEM:
                continue  # it grew between the two calls
            check(rc, "kctl_sim_sysctl")
            return buf.raw[:got.value]
        raise error_from_rc(-errno.ENOMEM, "kctl_sim_sysctl")

    # ---- the kext side ---------------------------------------------------------------

    def load_module(self, path):
        """Loads the kext module at ``path`` (``kctl_kpi_load_module``): its start
        routine runs and registers its controls here. Returns a :class:`Kext`.

        KctlError: ENOENT (cannot open it), ENOEXEC (it exports no kmod_info), EEXIST
        (a kext of that name is loaded), EBUSY (kexts are loaded in another Kernel),
        ECANCELED (its start routine failed), ENOSYS (it calls a KPI the simulated kernel
        does not provide), ENOTRECOVERABLE (it panicked in start); each with the
        loader's sentence (``kctl_kpi_last_error``) as its ``strerror``. ImportError if
        libkctl-kpi is missing.
        """
        kpi = load_kpi()
        out = ctypes.c_void_p()
        _check_loader(kpi, kpi.kctl_kpi_load_module(self._sim_ptr(), os.fsencode(path),
                                                    ctypes.byref(out)),
                      "kctl_kpi_load_module")
        kext = Kext(self, kpi, out.value)
        self._kexts.append(kext)
        return kext

    def register(self, name, *, connect=None, disconnect=None, send=None, setopt=None,
                 getopt=None, bind=None, rcvd=None, stream=False, privileged=False,
                 id=None, unit=None, sendsize=0, recvsize=0):
        """Registers a control whose callbacks are Python callables (see the module doc).

        ``stream`` registers a SOCK_STREAM control, ``privileged`` one that only root
        may open; ``id`` and ``unit`` together pin both (CTL_FLAG_REG_ID_UNIT).
        Without ``connect`` every connection is accepted. Returns a SimControl.
        """
        return SimControl(self, name, dict(connect=connect, disconnect=disconnect,
                                           send=send, setopt=setopt, getopt=getopt,
                                           bind=bind, rcvd=rcvd),
                          stream, privileged, id, unit, sendsize, recvsize)

    # ---- the Python/C boundary -------------------------------------------------------

    def _guard(self, fn, *args):
        """Runs a callback; returns (0, result) or (-errno, None). Never raises."""
        try:
            return 0, fn(*args)
        except OSError as exc:
            if isinstance(exc.errno, int) and 0 < exc.errno <= 0x7FFFFFFF:
                return -exc.errno, None
            self.callback_errors.append(exc)
        except BaseException as exc:  # noqa: B036 - nothing may cross into C
            self.callback_errors.append(exc)
        return -errno.EIO, None


class Kext:
    """A kext loaded into a :class:`Kernel` (``kctl_kpi_kext_t``).

    ``name`` is its bundle id (its kmod_info name). :meth:`unload` runs its stop
    routine; the Kernel unloads what is still loaded when it closes.
    """

    def __init__(self, kernel, kpi, ptr):
        self.kernel = kernel
        self._kpi = kpi
        self._k = ptr
        self.name = kpi.kctl_kpi_kext_name(ptr).decode("utf-8", "replace")

    def __repr__(self):
        state = "loaded" if self.loaded else "unloaded"
        return f"<kctl.sim.Kext {self.name!r} {state}>"

    @property
    def loaded(self):
        """True until :meth:`unload` succeeds."""
        return self._k is not None

    def unload(self):
        """Unloads the kext (its stop routine runs). KctlError EBUSY if it refuses (the
        sample does while clients are connected): it stays loaded; close them and try
        again. KctlError ENOTEMPTY (it left controls, thread calls or mbufs behind, taken
        back) or ENOTRECOVERABLE (it panicked in stop): it is gone all the same.
        Unloading an unloaded kext does nothing. Each error has the loader's sentence
        (what was left, what the stop routine returned) as its ``strerror``."""
        if self._k is None:
            return
        rc = self._kpi.kctl_kpi_unload(self._k)
        if rc != -errno.EBUSY:  # after any other result libkctl-kpi has freed it
            self._k = None
            if self in self.kernel._kexts:
                self.kernel._kexts.remove(self)
        _check_loader(self._kpi, rc, "kctl_kpi_unload")


def _check_loader(kpi, rc, call):
    """Raises the loader's error with its sentence, read at once (it belongs to this
    thread and is replaced by its next load or unload)."""
    if rc < 0:
        why = kpi.kctl_kpi_last_error().decode("utf-8", "replace")
        raise error_with_cause(rc, call, CallKind.NONE, Origin.NONE, why)
    return rc


def kpi_last_error():
    """Why this thread's last kext load or unload failed, or what it reported though it
    succeeded, in sentences; "" after a clean success (``kctl_kpi_last_error``)."""
    return load_kpi().kctl_kpi_last_error().decode("utf-8", "replace")


def sample_kext_path():
    """Where the sample kext's simulator module is: ``KCTL_SAMPLE_KEXT`` if set, else
    the path recorded when the package was installed. FileNotFoundError if neither."""
    path = os.environ.get("KCTL_SAMPLE_KEXT")
    if path:
        return path
    try:
        from . import _paths
        path = getattr(_paths, "SAMPLE_KEXT", None)
    except ImportError:
        path = None
    if path and os.path.exists(path):
        return path
    raise FileNotFoundError(errno.ENOENT, "the sample kext module (Sample.so) is not "
                            "installed here; set KCTL_SAMPLE_KEXT to its path (build tree: "
                            "build/kext-sample/Sample.so)")


_log_lock = threading.Lock()
_log_fn = None       # the Python function, or None
_log_c = None        # its C trampoline, kept referenced while libkctl-kpi may call it


def _log_line(_ctx, line):
    fn = _log_fn
    if fn is None or line is None:
        return
    try:
        fn(line.decode("utf-8", "replace"))
    except BaseException:  # noqa: B036 - nothing may cross into C
        traceback.print_exc()


def set_kext_log(fn):
    """Sends every line the kexts print (without its newline) to ``fn(line)``; None
    sends them back to stderr, prefixed "[kext] " (``kctl_kpi_set_log``).
    Process-wide, as a Mac's kernel log is. An exception in ``fn`` is printed, not
    raised."""
    global _log_fn, _log_c
    if fn is not None and not isinstance(fn, Callable):
        raise TypeError("fn must be callable or None")
    kpi = load_kpi()
    with _log_lock:
        _log_fn = fn
        if fn is None:
            kpi.kctl_kpi_set_log(T.KPI_LOG_FN(), None)
        else:
            if _log_c is None:
                _log_c = T.KPI_LOG_FN(_log_line)
            kpi.kctl_kpi_set_log(_log_c, None)


class SimControl:
    """A control registered in a :class:`Kernel` (the "kext" side).

    Attributes: ``name``, ``kernel``, ``id`` and the ``sendsize``/``recvsize`` the
    kernel settled on.
    """

    def __init__(self, kernel, name, callbacks, stream, privileged, cid, unit, sendsize,
                 recvsize):
        if isinstance(name, str):
            name = name.encode("utf-8")
        if not isinstance(name, bytes) or b"\0" in name:
            raise ValueError("name must be str or bytes without NUL")
        if not 1 <= len(name) < KCTL_ABI_MAX_NAME:
            raise KctlError(errno.EINVAL, None, "kctl_sim_register")
        for key, fn in callbacks.items():
            if fn is not None and not isinstance(fn, Callable):
                raise TypeError(f"{key} must be callable")
        self.kernel = kernel
        self.name = name.decode("utf-8", "surrogateescape")
        self._py = callbacks
        self._reg = reg = T.SimReg()
        reg.name = name
        flags = ((KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM if stream else 0)
                 | (KCTL_ABI_CTL_FLAG_PRIVILEGED if privileged else 0))
        if cid is not None or unit is not None:
            if cid is None or unit is None:
                raise ValueError("id and unit go together")
            flags |= KCTL_ABI_CTL_FLAG_REG_ID_UNIT
            reg.id, reg.unit = cid, unit
        reg.flags = flags
        reg.sendsize, reg.recvsize = sendsize, recvsize
        # The C callbacks, kept referenced by this object (which the Kernel keeps).
        self._cfuncs = {
            "connect": T.CONNECT_FN(self._c_connect),
            "disconnect": T.DISCONNECT_FN(self._c_disconnect),
            "send": T.SEND_FN(self._c_send),
            "setopt": T.SETOPT_FN(self._c_setopt),
            "getopt": T.GETOPT_FN(self._c_getopt),
            "rcvd": T.RCVD_FN(self._c_rcvd),
            "bind": T.BIND_FN(self._c_bind),
        }
        for key, cfn in self._cfuncs.items():
            # A missing Python callback leaves the C one NULL (the Mac's behaviour),
            # except connect, which the kernel requires: then every client is accepted.
            if key == "connect" or callbacks[key] is not None:
                setattr(reg, key, cfn)
        out = ctypes.c_void_p()
        check(_sim.kctl_sim_register(kernel._sim_ptr(), ctypes.byref(reg),
                                     ctypes.byref(out)), "kctl_sim_register")
        self._ctl = out.value
        kernel._controls.append(self)

    def __repr__(self):
        return f"<kctl.sim.SimControl {self.name!r} id={self._reg.id}>"

    def _ptr(self):
        if self._ctl is None:
            raise KctlError(errno.EINVAL, None, "deregistered SimControl")
        return self._ctl

    @property
    def id(self):
        """The control id the kernel gave (or the one pinned at registration)."""
        return self._reg.id

    @property
    def sendsize(self):
        """The send size the kernel settled on (largest DGRAM record a client sends)."""
        return self._reg.sendsize

    @property
    def recvsize(self):
        """The receive size the kernel settled on (a client's receive buffer)."""
        return self._reg.recvsize

    def deregister(self):
        """Deregisters the control (KctlError EBUSY while a client is attached)."""
        check(_sim.kctl_sim_deregister(self._ptr()), "kctl_sim_deregister")
        self._ctl = None

    def enqueue(self, unit, data, eor=True, nowakeup=False):
        """Queues ``data`` for the client on ``unit`` (ctl_enqueuedata).

        Raises KctlError ENOBUFS when the client's buffer lacks room (nothing queued),
        EINVAL when no client is on that unit.
        """
        data = data if isinstance(data, bytes) else bytes(memoryview(data))
        flags = (KCTL_ABI_CTL_DATA_EOR if eor else 0) | (
            KCTL_ABI_CTL_DATA_NOWAKEUP if nowakeup else 0)
        check(_sim.kctl_sim_enqueue(self._ptr(), _u32(unit), data, len(data), flags),
              "kctl_sim_enqueue")

    def _query(self, fn, unit, name):
        v = ctypes.c_size_t(0)
        check(fn(self._ptr(), _u32(unit), ctypes.byref(v)), name)
        return v.value

    def space(self, unit):
        """Free receive space of the client on ``unit``."""
        return self._query(_sim.kctl_sim_enqueue_space, unit, "kctl_sim_enqueue_space")

    def readable(self, unit):
        """Bytes still missing before ``unit``'s socket is readable (ctl_getenqueuereadable):
        1 when nothing is queued, 0 otherwise."""
        return self._query(_sim.kctl_sim_enqueue_readable, unit,
                           "kctl_sim_enqueue_readable")

    def packets(self, unit):
        """Records queued on ``unit``."""
        return self._query(_sim.kctl_sim_enqueue_packets, unit,
                           "kctl_sim_enqueue_packets")

    # ---- C entry points: each catches everything (Kernel._guard) ---------------------

    def _c_connect(self, _ctl, sac, _unitinfo):
        fn = self._py["connect"]
        if fn is None:
            return 0
        return self.kernel._guard(fn, sac.contents.sc_unit)[0]

    def _c_bind(self, _ctl, sac, _unitinfo):
        return self.kernel._guard(self._py["bind"], sac.contents.sc_unit)[0]

    def _c_disconnect(self, _ctl, unit, _unitinfo):
        self.kernel._guard(self._py["disconnect"], unit)
        return 0

    def _c_rcvd(self, _ctl, unit, _unitinfo, flags):
        self.kernel._guard(self._py["rcvd"], unit, flags)

    def _c_send(self, _ctl, unit, _unitinfo, m, flags):
        # The callback owns m: copy it out and free it whatever happens next.
        try:
            n = _sim.kctl_sim_mbuf_pkthdr_len(m)
            buf = ctypes.create_string_buffer(n)
            rc = _sim.kctl_sim_mbuf_copydata(m, 0, n, buf)
        except BaseException as exc:  # noqa: B036
            self.kernel.callback_errors.append(exc)
            rc = -errno.EIO
        finally:
            _sim.kctl_sim_mbuf_free(m)
        if rc < 0:
            return rc
        return self.kernel._guard(self._py["send"], unit, buf.raw, flags)[0]

    def _c_setopt(self, _ctl, unit, _unitinfo, opt, data, length):
        def run():
            value = ctypes.string_at(data, length) if length else b""
            self._py["setopt"](unit, opt, value)
        return self.kernel._guard(run)[0]

    def _c_getopt(self, _ctl, unit, _unitinfo, opt, data, lenp):
        def run():
            if not data:  # a size query
                answer = self._py["getopt"](unit, opt, None)
                size = answer if isinstance(answer, int) else len(memoryview(answer))
                if not 0 <= size <= _SIZE_MAX:
                    raise ValueError(f"getopt size {size} out of range")
                lenp[0] = size
                return
            cap = lenp[0]
            answer = self._py["getopt"](unit, opt, ctypes.string_at(data, cap))
            answer = bytes(memoryview(answer))
            n = min(len(answer), cap)  # never past the kernel's buffer
            ctypes.memmove(data, answer, n)
            lenp[0] = n
        return self.kernel._guard(run)[0]


def _u32(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFFFFFFFF:
        raise ValueError(f"unit must be an int in 0..2**32-1, not {value!r}")
    return value
