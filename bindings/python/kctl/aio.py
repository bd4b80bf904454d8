"""asyncio support: framed requests that do not block the event loop, and a reader
callback for events.

::

    async def main():
        with kctl.Control("org.libkctl.sample") as c:
            async with kctl.aio.AsyncControl(c, on_frame=print) as ac:   # events -> print
                reply = await ac.request(1, b"hello", timeout=1.0)
                value = await asyncio.gather(*(ac.request(2) for _ in range(10)))

How it works, with what libkctl offers today: the Control is made non-blocking (timeout
0) and its fd is watched with ``loop.add_reader``. When it polls readable, every frame
that can be had without waiting is taken (``Control.frame_ready`` then
``recv_frame``): one receive can bring several frames, and those already buffered do not
wake poll() again, so the loop drains them all. Requests are frames with sequence numbers
of this object's own (from 0x80000000 up, apart from those ``Control.request`` uses),
matched to their replies here (multi-part replies joined, error replies raised as the
peer's errno); libkctl counts such replies as ``unmatched_replies`` in ``stats()``,
since it did not send them. Sends are serialized, and a STREAM frame that only partly fits
the socket buffer is finished when the fd is writable, so frames never interleave.
This moves onto libkctl's own non-blocking requests when those exist.

Per-request timeouts raise KctlError(ETIMEDOUT), which is also a ``TimeoutError``; a
cancelled or timed-out request's late reply is dropped and counted in
:attr:`AsyncControl.late_replies`. Frames that are not replies to a request of this
object go to ``on_frame(frame)`` (run in the loop; an exception in it is passed to the
loop's exception handler), or, without a callback, wait for :meth:`AsyncControl.recv_frame`.
"""

import asyncio
import errno

from . import frames as _frames
from .constants import KCTL_FRAME_F_REQUEST
from .errors import KctlError, error_from_rc

__all__ = ["AsyncControl", "add_frame_reader"]

_SEQ_FIRST = 0x80000000
_SEQ_LAST = 0xFFFFFFFF


class _Pending:
    """A request waiting for its reply: the future and the parts so far."""

    __slots__ = ("future", "parts")

    def __init__(self, future):
        self.future = future
        self.parts = []


class AsyncControl:
    """A :class:`kctl.Control` driven by an asyncio event loop (see the module doc).

    ``AsyncControl(control, *, on_frame=None, loop=None)``: the Control stays the
    caller's (close it after :meth:`close`); its timeout is set to 0. Must be made with
    a running loop, or given ``loop``. Not thread-safe: use it from the loop's thread.
    """

    def __init__(self, control, *, on_frame=None, loop=None):
        self._c = control
        self._loop = loop or asyncio.get_running_loop()
        self._on_frame = on_frame
        self._events = asyncio.Queue() if on_frame is None else None
        self._pending = {}
        self._seq = _SEQ_FIRST
        self._send_lock = asyncio.Lock()
        self._fd = control.fileno()
        self._error = None            # a receive error that ended reading
        #: Replies that came after their request timed out or was cancelled.
        self.late_replies = 0
        control.settimeout(0)
        self._loop.add_reader(self._fd, self._drain)
        self._loop.call_soon(self._drain)   # frames already buffered before we came

    @property
    def control(self):
        """The Control."""
        return self._c

    # ---- receiving ------------------------------------------------------------------

    def _drain(self):
        """Takes every frame that can be had now (the fd may not wake us for the rest)."""
        if self._error is not None or self._c.closed:
            return
        try:
            while self._c.frame_ready():
                self._dispatch(self._c.recv_frame())
        except BlockingIOError:
            pass
        except KctlError as exc:
            if exc.errno in (errno.EPIPE, errno.ENOTRECOVERABLE, errno.EBADF):
                self._fail(exc)       # the connection is over: nothing more will come
            # else a malformed DGRAM record: libkctl dropped and counted it; go on
            else:
                self._loop.call_soon(self._drain)

    def _dispatch(self, f):
        p = self._pending.get(f.seq) if f.is_reply else None
        if p is None:
            if f.is_reply and _SEQ_FIRST <= f.seq:
                self.late_replies += 1
                return
            self._deliver(f)
            return
        if f.is_error:
            self._pending.pop(f.seq)
            if not p.future.done():
                p.future.set_exception(f.error())
            return
        p.parts.append(f.payload)
        if not f.more:
            self._pending.pop(f.seq)
            if not p.future.done():
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
        self._loop.remove_reader(self._fd)
        for p in self._pending.values():
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

    def _next_seq(self):
        for _ in range(len(self._pending) + 1):
            seq = self._seq
            self._seq = _SEQ_FIRST if seq == _SEQ_LAST else seq + 1
            if seq not in self._pending:
                return seq
        raise error_from_rc(-errno.EBUSY, "kctl.aio: no free sequence number")

    async def request(self, type, payload=b"", *, timeout=None):
        """Sends a request and returns its reply's payload (MORE parts joined).

        Raises KctlError with the peer's errno for an error reply, KctlError(ETIMEDOUT)
        after ``timeout`` seconds (None: no limit), the error that ended the connection.
        Cancelling the awaiting task abandons the request.
        """
        if self._error is not None:
            raise self._error
        seq = self._next_seq()
        wire = _frames.encode(KCTL_FRAME_F_REQUEST, type, seq, 0, payload)
        p = _Pending(self._loop.create_future())
        self._pending[seq] = p
        try:
            await self._send(wire)
            if timeout is None:
                return await p.future
            try:
                return await asyncio.wait_for(asyncio.shield(p.future), timeout)
            except asyncio.TimeoutError:
                raise error_from_rc(-errno.ETIMEDOUT, "kctl.aio request") from None
        finally:
            self._pending.pop(seq, None)

    async def send_frame(self, type, payload=b"", *, flags=None, seq=0, aux=0):
        """Sends one frame (flags default: REQUEST) without blocking the loop."""
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
        """Stops watching the fd; waiting requests get KctlError(ECANCELED). The
        Control stays open (it is the caller's). Idempotent."""
        if self._error is None:
            self._fail(error_from_rc(-errno.ECANCELED, "kctl.aio closed"))

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self.close()


def add_frame_reader(control, callback, loop=None):
    """Calls ``callback(frame)`` in the loop for every frame ``control`` receives
    (an :class:`AsyncControl` with ``on_frame=callback``). Stop with ``.close()``."""
    return AsyncControl(control, on_frame=callback, loop=loop)
