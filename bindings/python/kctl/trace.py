"""The call tracer (``kctl_trace_*``): strace for kernel controls. A :class:`Tracer`
passes every call libkctl makes to a kernel (the platform's own, or a simulated one)
and reports each, once it returned, as one line::

    socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = 3
    ioctl(3, CTLIOCGINFO, {ctl_name="org.libkctl.sample"} => {ctl_id=1}) = 0
    sendmsg(3, 24 bytes [{REQUEST type=1 seq=1 len=18 "hi"}], 0) = 24

Lines go to a Python callable or are written to a file descriptor; open Controls
through the tracer as through a kernel::

    lines = []
    with Tracer(k, callback=lines.append) as t:        # or fd=sys.stderr
        with kctl.Control("org.libkctl.sample", kernel=t) as c:
            c.request(1, b"hi")

The environment traces the native backend of a whole process without code:
``KCTL_TRACE=1`` (stderr) or ``KCTL_TRACE=/path``.
"""

import ctypes
import errno
import threading

from . import _types as T
from ._lib import core as _core
from ._owner import CallbackOwner
from .constants import KCTL_TRACE_TIME
from .errors import KctlError, check

__all__ = ["Tracer"]


class Tracer(CallbackOwner):
    """A tracer of ``kernel`` (a :class:`kctl.sim.Kernel`, or None for the platform's
    own kernel): ``Tracer(kernel=None, *, callback=None, fd=None, time=False)``.

    Exactly one of ``callback`` (called with each line, a str without its newline) or
    ``fd`` (an int or an object with ``fileno()``, kept referenced; each line is written
    with its newline in one write(2)) is given. ``time=True`` starts each line with the
    seconds since the tracer was made ("+0.001234 ").

    The callback runs on the thread of the traced call, one line at a time, in the
    order the calls returned; it must not use a Control opened through this tracer. An
    exception in it never crosses into C: the line is lost, the exception kept in
    :attr:`callback_errors` (:meth:`check` re-raises it, as leaving ``with`` does).

    Pass the tracer as ``kernel=`` to :class:`kctl.Control`, :func:`kctl.lookup`,
    :func:`kctl.list_controls`, :class:`kctl.utun.Utun`. :meth:`close` (or leaving
    ``with``) closes the Controls still open through it, then frees it; closing the
    traced Kernel closes them too.
    """

    def __init__(self, kernel=None, *, callback=None, fd=None, time=False):
        if (callback is None) == (fd is None):
            raise ValueError("give exactly one of callback or fd")
        if callback is not None and not callable(callback):
            raise TypeError("callback must be callable")
        self._t = None
        self._inner = kernel
        self._clients = set()
        self._lock = threading.Lock()
        self._callback = callback
        self._fd_owner = None
        self._c_fn = None
        #: Exceptions raised by the callback, oldest first (see :meth:`check`).
        self.callback_errors = []
        flags = KCTL_TRACE_TIME if time else 0
        inner = None if kernel is None else kernel._backend_ptr()
        out = ctypes.c_void_p()
        if callback is not None:
            self._c_fn = T.TRACE_FN(self._line)   # kept referenced while C may call it
            rc = _core.kctl_trace_new(inner, self._c_fn, None, flags, ctypes.byref(out))
            check(rc, "kctl_trace_new")
        else:
            num = fd if isinstance(fd, int) and not isinstance(fd, bool) else fd.fileno()
            self._fd_owner = fd                   # the fd stays open as long as we do
            check(_core.kctl_trace_new_fd(inner, num, flags, ctypes.byref(out)),
                  "kctl_trace_new_fd")
        self._t = out.value

    def _line(self, _ctx, line):
        try:
            self._callback(line.decode("utf-8", "replace"))
        except BaseException as exc:  # noqa: B036 - nothing may cross into C
            self.callback_errors.append(exc)

    # ---- what Control, lookup and friends use ---------------------------------------

    def _backend_ptr(self):
        if self._t is None:
            raise KctlError(errno.EBADF, None, "closed Tracer")
        if self._inner is not None:
            self._inner._backend_ptr()   # EBADF once the traced kernel is closed
        return _core.kctl_trace_backend(self._t)

    def _track(self, client):
        with self._lock:
            self._clients.add(client)
        if self._inner is not None:
            self._inner._track(client)   # so that closing the kernel closes it first

    def _untrack(self, client):
        with self._lock:
            self._clients.discard(client)
        if self._inner is not None:
            self._inner._untrack(client)

    # ---- lifetime ---------------------------------------------------------------------

    @property
    def closed(self):
        """True once :meth:`close` ran."""
        return self._t is None

    def close(self):
        """Closes the Controls still open through the tracer, then frees it. Idempotent."""
        if self._t is None:
            return
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            try:
                client.close()
            except KctlError:
                pass
        t, self._t = self._t, None
        _core.kctl_trace_free(t)

    def open(self, control, unit=0, **kwargs):
        """A :class:`kctl.Control` through this tracer."""
        from .handle import Control
        return Control(control, unit, kernel=self, **kwargs)

    def __repr__(self):
        to = "callback" if self._callback is not None else "fd"
        state = "closed" if self._t is None else "open"
        return f"<kctl.trace.Tracer to {to}, {state}>"
