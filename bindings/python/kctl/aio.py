"""asyncio support: framed requests that do not block the event loop, and a reader
callback for events.

::

    async def main():
        with kctl.Control("org.libkctl.sample") as c:
            async with kctl.aio.AsyncControl(c, on_frame=print) as ac:   # events -> print
                reply = await ac.request(1, b"hello", timeout=1.0)
                value = await asyncio.gather(*(ac.request(2) for _ in range(10)))

How it works: on libkctl's own non-blocking requests. The Control is made
non-blocking (timeout 0) and its fd is watched with ``loop.add_reader``. A request is
started with ``kctl_request_start`` (its per-request timeout is libkctl's), and every
frame is read with ``kctl_msg_recv_info``, which says what it is: libkctl matches the
replies to their requests (they are never counted as unmatched), joins nothing, and
ends each request with exactly one last frame: its reply, the control's error reply,
or the timeout frame libkctl makes when the request's time ran out (raised here as
KctlError ETIMEDOUT, also a ``TimeoutError``, origin LIBRARY). On each wake every frame
libkctl can give without waiting is taken (frames it already buffered do not wake the
fd again), and the loop is woken again when libkctl says (``kctl_msg_wait_ms``: at the
earliest request deadline), so timeouts need no timer of this module's own.
Multi-part replies are joined here. A request whose awaiting task is cancelled is
cancelled in libkctl (``kctl_request_cancel``); its late reply, like any reply after
a timeout, is dropped and counted by libkctl (:attr:`AsyncControl.late_replies`).
Frames that are not replies to a started request (events, stray replies, requests
from the control) go to ``on_frame(frame)`` (run in the loop; an exception in it is
passed to the loop's exception handler), or, without a callback, wait for
:meth:`AsyncControl.recv_frame`.

Sends: a request that cannot be sent now (EAGAIN: nothing went out) is started again
once the fd is writable. On a STREAM, a request frame larger than the control's send
size that the control refuses part way tears the handle (libkctl then sends no more
frames: KctlError ENOTRECOVERABLE for every later request), as with any framed send
at timeout 0; :meth:`AsyncControl.send_frame` finishes a partly sent frame itself.
"""

import asyncio
import collections
import errno

from . import frames as _frames
from .constants import KCTL_FRAME_F_REQUEST, KCTL_MSG_MAX_INFLIGHT
from .errors import CallKind, KctlError, Origin, error_with_cause
from .frames import MsgKind

__all__ = ["AsyncControl", "add_frame_reader"]

# Cancelled requests remembered, so that reply frames libkctl had read before the
# cancel (it still hands them out) are dropped here, not taken for events. They come
# in the next drain; the oldest entries are stale long before this many.
_ABANDONED_MAX = 64


class _Pending:
    """A started request waiting for its last frame: the future and the parts so far."""

    __slots__ = ("future", "parts")

    def __init__(self, future):
        self.future = future
        self.parts = []


class AsyncControl:
    """A :class:`kctl.Control` driven by an asyncio event loop (see the module doc).

    ``AsyncControl(control, *, on_frame=None, loop=None)``: the Control stays the
    caller's (close it after :meth:`close`); its timeout is set to 0. Must be made with
    a running loop, or given ``loop``. Not thread-safe: use it from the loop's thread,
    and make no other framed receive on the Control meanwhile.
    """

    def __init__(self, control, *, on_frame=None, loop=None):
        self._c = control
        self._loop = loop or asyncio.get_running_loop()
        self._on_frame = on_frame
        self._events = asyncio.Queue() if on_frame is None else None
        self._pending = {}
        self._abandoned = collections.OrderedDict()
        self._send_lock = asyncio.Lock()
        # libkctl has 16 request slots per handle: more requests wait here for one
        self._slots = asyncio.Semaphore(KCTL_MSG_MAX_INFLIGHT)
        self._fd = control.fileno()
        self._error = None            # the error that ended reading
        self._timer = None            # the wake-up libkctl asked for (a deadline)
        control.settimeout(0)
        self._loop.add_reader(self._fd, self._drain)
        self._loop.call_soon(self._drain)   # frames already buffered before we came

    @property
    def control(self):
        """The Control."""
        return self._c

    @property
    def late_replies(self):
        """Replies that came after their request timed out or was cancelled, dropped by
        libkctl (``KCTL_MSG_LATE_REPLIES`` of the Control)."""
        return self._c.counter("late_replies")

    # ---- receiving ------------------------------------------------------------------

    def _drain(self):
        """Takes every frame that can be had now, then sets the next wake-up."""
        if self._error is not None or self._c.closed:
            return
        try:
            while True:
                frame, info = self._c.recv_frame_info()
                self._dispatch(frame, info)
        except BlockingIOError:
            pass
        except KctlError as exc:
            if exc.errno in (errno.EPIPE, errno.ENOTRECOVERABLE, errno.EBADF):
                self._fail(exc)       # the connection is over: nothing more will come
                return
            # else a malformed DGRAM record: libkctl dropped and counted it; go on
            self._loop.call_soon(self._drain)
        self._rearm()

    def _rearm(self):
        """Wakes the loop again when libkctl says a frame (a timeout frame) will be due
        without the fd becoming readable."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._error is not None or self._c.closed:
            return
        ms = self._c.wait_ms()
        if ms == 0:
            self._timer = self._loop.call_soon(self._drain)
        elif ms > 0:
            self._timer = self._loop.call_later(ms / 1000.0, self._drain)

    def _dispatch(self, frame, info):
        p = self._pending.get(info.seq) if info.kind == MsgKind.REPLY else None
        if p is None:
            if info.kind == MsgKind.REPLY and info.seq in self._abandoned:
                if info.last:
                    del self._abandoned[info.seq]
                return                 # a cancelled request's frame, read before the cancel
            self._deliver(frame)
            return
        if info.error is None:
            p.parts.append(frame.payload)
        if not info.last:
            return
        del self._pending[info.seq]
        if p.future.done():
            return
        if info.error is not None:
            p.future.set_exception(info.error)
        else:
            p.future.set_result(b"".join(p.parts))

    def _deliver(self, f):
        if self._on_frame is None:
            self._events.put_nowait(f)
            return
        try:
            self._on_frame(f)
        except Exception as exc:  # the loop's handler reports it; reading goes on
            self._loop.call_exception_handler({"message": "kctl.aio on_frame raised",
                                               "exception": exc})

    def _fail(self, exc):
        self._error = exc
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._loop.remove_reader(self._fd)
        for seq, p in self._pending.items():
            if not self._c.closed:
                self._abandon(seq)
            if not p.future.done():
                p.future.set_exception(exc)
        self._pending.clear()
        if self._events is not None:
            self._events.put_nowait(exc)

    async def recv_frame(self):
        """The next frame that is not a reply to a request of this object (only
        without ``on_frame``). Raises the error that ended the connection, if any."""
        if self._events is None:
            raise RuntimeError("frames go to on_frame: there is nothing to receive")
        item = await self._events.get()
        if isinstance(item, BaseException):
            self._events.put_nowait(item)   # every later call sees it too
            raise item
        return item

    # ---- requests -------------------------------------------------------------------

    async def request(self, type, payload=b"", *, timeout=None):
        """Sends a request and returns its reply's payload (MORE parts joined).

        ``timeout`` in seconds (None: no limit) is libkctl's per-request timeout.
        Raises KctlError with the peer's errno for an error reply (origin CONTROL),
        KctlError(ETIMEDOUT) once the timeout ran out (origin LIBRARY, also a
        TimeoutError), the error that ended the connection. Beyond libkctl's 16
        requests in flight, a request waits here for one of this object's to end
        (the timeout counts from its start); EBUSY only when other users of the Control
        (blocking requests in other threads) hold the slots. Cancelling the awaiting
        task cancels the request.
        """
        if self._error is not None:
            raise self._error
        async with self._slots:
            return await self._request(type, payload, timeout)

    async def _request(self, type, payload, timeout):
        if self._error is not None:
            raise self._error
        seq = await self._start(type, payload, timeout)
        p = _Pending(self._loop.create_future())
        self._abandoned.pop(seq, None)     # a seq used again after 2**32 requests
        self._pending[seq] = p
        self._rearm()                  # its deadline may be the earliest now
        try:
            return await p.future
        except asyncio.CancelledError:
            if self._pending.pop(seq, None) is not None and not self._c.closed:
                self._abandon(seq)
            raise

    def _abandon(self, seq):
        """Cancels a started request in libkctl; frames of it already read are dropped."""
        try:
            self._c.request_cancel(seq)
        except KctlError:
            pass                       # it ended already: its last frame is still to come
        self._abandoned[seq] = True
        while len(self._abandoned) > _ABANDONED_MAX:
            self._abandoned.popitem(last=False)

    async def _start(self, type, payload, timeout):
        """Starts the request, again once the fd is writable while it cannot be sent."""
        async with self._send_lock:
            while True:
                try:
                    return self._c.request_start(type, payload, timeout)
                except BlockingIOError:
                    await self._writable()     # nothing went out: start it again

    async def send_frame(self, type, payload=b"", *, flags=None, seq=0, aux=0):
        """Sends one frame (flags default: REQUEST) without blocking the loop. Its
        reply, if any, is no started request's: it goes to ``on_frame``."""
        flags = KCTL_FRAME_F_REQUEST if flags is None else flags
        await self._send(_frames.encode(flags, type, seq, aux, payload))

    async def _send(self, wire):
        """Sends one whole frame; waits for the fd to be writable when the socket buffer
        is full, and finishes a STREAM frame that only partly went."""
        async with self._send_lock:
            sent = 0
            while sent < len(wire):
                try:
                    if sent == 0:
                        sent = self._c.send_frames([wire])
                    else:
                        sent += self._c.send(wire[sent:])
                except BlockingIOError as exc:
                    sent += getattr(exc, "sent", 0)
                    if sent < len(wire):
                        await self._writable()

    def _writable(self):
        fut = self._loop.create_future()

        def ready():
            self._loop.remove_writer(self._fd)
            if not fut.done():
                fut.set_result(None)
        self._loop.add_writer(self._fd, ready)
        return fut

    # ---- lifetime -------------------------------------------------------------------

    def close(self):
        """Stops watching the fd; waiting requests are cancelled in libkctl and get
        KctlError(ECANCELED). The Control stays open (it is the caller's). Idempotent."""
        if self._error is None:
            self._fail(error_with_cause(-errno.ECANCELED, "kctl.aio", CallKind.REQUEST,
                                        Origin.LIBRARY, "the AsyncControl was closed"))

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self.close()


def add_frame_reader(control, callback, loop=None):
    """Calls ``callback(frame)`` in the loop for every frame ``control`` receives
    (an :class:`AsyncControl` with ``on_frame=callback``). Stop with ``.close()``."""
    return AsyncControl(control, on_frame=callback, loop=loop)
