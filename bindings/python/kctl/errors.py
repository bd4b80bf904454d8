"""KctlError: a libkctl failure as a Python exception.

Every C function of libkctl returns 0 or a negative errno. The binding raises
:class:`KctlError` for a negative one, with ``errno`` set to the positive errno and
``strerror`` to :func:`kctl_strerror`'s sentence (what it likely means for a kernel
control and what to do).

So that ordinary ``except`` clauses work too, the instance raised is of a subclass that
also derives from the built-in exception Python itself would pick for that errno: a
timeout of 0 with nothing queued raises an error that is both a ``KctlError`` and a
``BlockingIOError`` (errno ``EAGAIN``); ``ETIMEDOUT`` is also a ``TimeoutError``,
``EPERM`` a ``PermissionError``, ``ENOENT`` a ``FileNotFoundError``, and so on.
"""

import errno as _errno
import types

from ._lib import core as _core

__all__ = ["KctlError", "strerror", "error_from_rc", "check"]


class KctlError(OSError):
    """A libkctl call failed.

    Attributes: ``errno`` (positive errno), ``strerror`` (libkctl's sentence for it),
    ``call`` (name of the C function that failed, or None).
    """

    def __init__(self, err, sentence=None, call=None):
        err = abs(int(err))
        if sentence is None:
            sentence = strerror(err)
        super().__init__(err, sentence)
        self.call = call

    def __reduce__(self):
        return (type(self), (self.errno, self.strerror, self.call))


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


def strerror(err):
    """libkctl's sentence for an errno (negative or positive); never fails."""
    return _core.kctl_strerror(int(err)).decode("utf-8", "replace")


def error_from_rc(rc, call=None):
    """The exception for a negative return code ``rc`` (not raised)."""
    err = abs(int(rc))
    return _CLASS_BY_ERRNO.get(err, KctlError)(err, strerror(err), call)


def check(rc, call=None):
    """Returns ``rc`` if it is not negative, else raises the matching KctlError."""
    if rc < 0:
        raise error_from_rc(rc, call)
    return rc
