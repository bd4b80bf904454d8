"""KctlError: a libkctl failure as a Python exception, saying who said no.

Every C function of libkctl returns 0 or a negative errno, and libkctl records, for
each failure, who produced the errno (libkctl itself, the kernel, or the control) and
the detail. The binding raises :class:`KctlError` with ``errno`` set to the positive
errno, ``name`` to its name as the host names it ("EINVAL"), ``origin`` to an
:class:`Origin`, ``call_kind`` to a :class:`CallKind` and ``strerror`` to libkctl's
sentence built from that record: "EINVAL (Invalid argument): the control answered
EINVAL to setopt 2 (4 bytes): its setopt callback's errno", rather than a sentence
without context. Opens and lookups read the record their ``_ex`` call fills; calls on a
Control read the handle's record for their kind of call; calls that keep no record
(counting, listing, the utun opens, the simulator) get what the errno alone says.

So that ordinary ``except`` clauses work too, the instance raised is of a subclass that
also derives from the built-in exception Python itself would pick for that errno: a
timeout of 0 with nothing queued raises an error that is both a ``KctlError`` and a
``BlockingIOError`` (errno ``EAGAIN``); ``ETIMEDOUT`` is also a ``TimeoutError``,
``EPERM`` a ``PermissionError``, ``ENOENT`` a ``FileNotFoundError``, and so on.
"""

import ctypes
import enum
import errno as _errno
import types

from . import _types as T
from ._lib import core as _core

__all__ = ["KctlError", "Origin", "CallKind", "strerror", "errno_name", "explain",
           "error_from_rc", "error_from_record", "error_on", "error_with_cause", "check",
           "check_on", "check_record"]


class Origin(enum.IntEnum):
    """Who produced an error's errno (``KCTL_ORIGIN_*``)."""

    #: Nothing recorded: the errno alone (a call that keeps no record, or EAGAIN).
    NONE = 0
    #: libkctl decided: an argument, a name, a limit, the handle's state, a timeout.
    LIBRARY = 1
    #: The kernel's own rule: socket(), CTLIOCGINFO, a refused connect, a dead socket.
    KERNEL = 2
    #: The control answered: an ERROR reply, or the errno of one of its callbacks.
    CONTROL = 3
    #: An errno both give, which nothing tells apart.
    KERNEL_OR_CONTROL = 4


class CallKind(enum.IntEnum):
    """The kind of call that failed (``KCTL_CALL_*``): which record of a handle."""

    NONE = 0
    OPEN = 1
    SEND = 2
    RECV = 3
    OPTION = 4
    REQUEST = 5


def _enum(cls, value):
    try:
        return cls(value)
    except ValueError:  # a value this binding does not know yet
        return cls(0)


class KctlError(OSError):
    """A libkctl call failed.

    Attributes: ``errno`` (positive errno), ``name`` (its name, "EINVAL", or None),
    ``strerror`` (libkctl's sentence: what happened and who said so), ``origin``
    (:class:`Origin`), ``call_kind`` (:class:`CallKind`), ``call`` (name of the C
    function that failed, or None).
    """

    def __init__(self, err, sentence=None, call=None, *, origin=Origin.NONE,
                 call_kind=CallKind.NONE):
        err = abs(int(err))
        if sentence is None:
            sentence = strerror(err)
        super().__init__(err, sentence)
        self.call = call
        self.origin = _enum(Origin, origin)
        self.call_kind = _enum(CallKind, call_kind)

    @property
    def name(self):
        """The errno's name as the host names it ("EINVAL"), or None."""
        return errno_name(self.errno)

    def __reduce__(self):
        return (_rebuild, (type(self), self.errno, self.strerror, self.call,
                           int(self.origin), int(self.call_kind)))


def _rebuild(cls, err, sentence, call, origin, call_kind):
    return cls(err, sentence, call, origin=origin, call_kind=call_kind)


# The built-in OSError subclasses and the errnos Python maps to them (PEP 3151).
_BUILTIN = (
    (BlockingIOError, ("EAGAIN", "EWOULDBLOCK", "EALREADY", "EINPROGRESS")),
    (BrokenPipeError, ("EPIPE", "ESHUTDOWN")),
    (ConnectionAbortedError, ("ECONNABORTED",)),
    (ConnectionRefusedError, ("ECONNREFUSED",)),
    (ConnectionResetError, ("ECONNRESET",)),
    (FileExistsError, ("EEXIST",)),
    (FileNotFoundError, ("ENOENT",)),
    (InterruptedError, ("EINTR",)),
    (PermissionError, ("EPERM", "EACCES")),
    (TimeoutError, ("ETIMEDOUT",)),
)


def _make_classes():
    """One KctlError subclass per built-in OSError subclass, keyed by errno."""
    by_errno = {}
    for builtin, names in _BUILTIN:
        cls = type("Kctl" + builtin.__name__, (KctlError, builtin),
                   {"__doc__": f"A KctlError that is also a {builtin.__name__}.",
                    "__module__": __name__})
        globals()[cls.__name__] = cls
        __all__.append(cls.__name__)
        for name in names:
            if hasattr(_errno, name):
                by_errno[getattr(_errno, name)] = cls
    return types.MappingProxyType(by_errno)


_CLASS_BY_ERRNO = _make_classes()

# Room for a sentence on the first try; a longer one is asked for again, whole.
_SENTENCE_CAP = 512


def _sentence(write):
    """The sentence write(buf, cap) puts into a buffer as snprintf does."""
    cap = _SENTENCE_CAP
    while True:
        buf = ctypes.create_string_buffer(cap)
        n = write(buf, cap)
        if n < 0:
            return "(libkctl gave no sentence)"
        if n < cap:
            return buf.value.decode("utf-8", "replace")
        cap = n + 1


def strerror(err):
    """What happened, for an errno (negative or positive), without a cause:
    "EINVAL (Invalid argument)" (``kctl_strerror``); never fails."""
    return _core.kctl_strerror(int(err)).decode("utf-8", "replace")


def errno_name(err):
    """The host's name of an errno ("EINVAL"), negative or positive, or None."""
    s = _core.kctl_errno_name(int(err))
    return s.decode("ascii", "replace") if s else None


def explain(handle, kind, err):
    """libkctl's sentence for ``err`` as a call of ``kind`` on the kctl_t pointer
    ``handle`` (None: no handle) returned it (``kctl_explain``)."""
    err = -abs(int(err))
    return _sentence(lambda buf, cap: _core.kctl_explain(handle, int(kind), err, buf, cap))


def _make(err, sentence, call, origin, kind):
    err = abs(int(err))
    return _CLASS_BY_ERRNO.get(err, KctlError)(err, sentence, call, origin=origin,
                                               call_kind=kind)


def error_from_rc(rc, call=None, kind=CallKind.NONE):
    """The exception for a negative return code ``rc`` of a call that keeps no record
    (not raised): what the errno alone says for that kind of call."""
    return _make(rc, explain(None, kind, rc), call, Origin.NONE, kind)


def error_from_record(rec, call=None):
    """The exception a ``struct kctl_error`` describes (not raised)."""
    sentence = _sentence(lambda buf, cap: _core.kctl_error_str(ctypes.byref(rec), buf, cap))
    return _make(rec.err, sentence, call, rec.origin, rec.call)


def error_on(handle, kind, rc, call=None):
    """The exception for ``rc`` from a call of ``kind`` on the kctl_t pointer ``handle``:
    the handle's record for that kind when it holds this errno, else the bare errno."""
    rec = T.ErrorRec()
    if _core.kctl_last_error(handle, int(kind), ctypes.byref(rec)) == 0 and rec.err == rc:
        return error_from_record(rec, call)
    return error_from_rc(rc, call, kind)


def error_with_cause(rc, call, kind, origin, why):
    """An exception whose cause is known here rather than in a libkctl record:
    "NAME (description): why"."""
    sentence = strerror(rc) + (": " + why if why else "")
    return _make(rc, sentence, call, origin, kind)


def check(rc, call=None, kind=CallKind.NONE):
    """Returns ``rc`` if it is not negative, else raises the matching KctlError (for a
    call that keeps no record)."""
    if rc < 0:
        raise error_from_rc(rc, call, kind)
    return rc


def check_on(handle, kind, rc, call=None):
    """As :func:`check`, explained from the handle's record for ``kind``."""
    if rc < 0:
        raise error_on(handle, kind, rc, call)
    return rc


def check_record(rc, rec, call=None, kind=CallKind.OPEN):
    """As :func:`check`, explained from the record an ``_ex`` call filled."""
    if rc < 0:
        raise error_from_record(rec, call) if rec.err == rc else error_from_rc(rc, call, kind)
    return rc
