"""Listing the registered controls (``kctl_list``, ``kctl_list_each``): what
``netstat`` and ``kctl list`` show, read from the kernel's registration list (sysctl
``net.systm.kctl.reg_list`` on macOS, the same bytes from a simulated kernel) and
checked whole by libkctl before anything reaches Python::

    for c in kctl.list_controls(kernel=k):
        print(c.id, c.name, c.units_in_use, c.privileged)
"""

import ctypes
import errno
from typing import NamedTuple, Optional

from . import _types as T
from ._lib import core as _core
from .constants import (KCTL_ABI_CTL_FLAG_PRIVILEGED, KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM,
                        KCTL_LIST_NO_UNIT)
from .errors import CallKind, check, error_from_rc

__all__ = ["ControlInfo", "list_controls", "each_control"]

# How many times list_controls asks again when controls appear between count and read.
_TRIES = 8


class ControlInfo(NamedTuple):
    """One registered control, as the registration list describes it
    (``struct kctl_ctl_desc``)."""

    #: The control's id (what :func:`kctl.lookup` returns).
    id: int
    #: The control's name.
    name: str
    #: Registration flags, kernel-private ones included (``KCTL_ABI_CTL_FLAG_*``).
    flags: int
    #: The unit fixed at registration (CTL_FLAG_REG_ID_UNIT), or None.
    reg_unit: Optional[int]
    #: Client sockets attached now (bound or connected).
    units_in_use: int
    #: Send buffer in bytes: the largest DGRAM record a client sends.
    sendsize: int
    #: Receive buffer in bytes.
    recvsize: int

    @property
    def privileged(self):
        """Only root may connect (CTL_FLAG_PRIVILEGED)."""
        return bool(self.flags & KCTL_ABI_CTL_FLAG_PRIVILEGED)

    @property
    def stream(self):
        """Registered as SOCK_STREAM (CTL_FLAG_REG_SOCK_STREAM)."""
        return bool(self.flags & KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM)


def _info(d):
    return ControlInfo(d.id, d.name.decode("utf-8", "surrogateescape"), d.flags,
                       None if d.reg_unit == KCTL_LIST_NO_UNIT else d.reg_unit,
                       d.units_in_use, d.sendsize, d.recvsize)


def _backend(kernel):
    return None if kernel is None else kernel._backend_ptr()


def list_controls(*, kernel=None):
    """Every registered control, in the kernel's order (by id), as a list of
    :class:`ControlInfo` (``kctl_list``). ``kernel``: a simulated kernel or a tracer;
    None is the platform's own (EAFNOSUPPORT off macOS).

    KctlError: EBADMSG/EPROTO (a malformed answer), EAGAIN (the list kept changing),
    or the sysctl's errno.
    """
    be = _backend(kernel)
    n = ctypes.c_uint32(0)
    check(_core.kctl_list(be, None, 0, ctypes.byref(n)), "kctl_list", CallKind.OPEN)
    for _ in range(_TRIES):
        cap = n.value + 8
        out = (T.CtlDesc * cap)()
        rc = _core.kctl_list(be, out, cap, ctypes.byref(n))
        if rc == -errno.ENOSPC:
            continue  # registered meanwhile: n is the new count
        check(rc, "kctl_list", CallKind.OPEN)
        return [_info(out[i]) for i in range(n.value)]
    raise error_from_rc(-errno.EAGAIN, "kctl_list", CallKind.OPEN)


def each_control(fn, *, kernel=None):
    """Calls ``fn(info)`` for every registered control, in the kernel's order, after
    libkctl read and checked the whole answer (``kctl_list_each``). ``fn`` returns a
    true value to stop the walk. An exception in ``fn`` stops it too and is raised
    here, once libkctl has returned (it never crosses into C). Returns True if the
    walk was stopped by ``fn``."""
    raised = []

    def one(desc, _arg):
        try:
            return 1 if fn(_info(desc.contents)) else 0
        except BaseException as exc:  # noqa: B036 - re-raised below, never into C
            raised.append(exc)
            return 1

    cb = T.LIST_FN(one)
    rc = _core.kctl_list_each(_backend(kernel), cb, None)
    if raised:
        raise raised[0]
    check(rc, "kctl_list_each", CallKind.OPEN)
    return rc > 0
