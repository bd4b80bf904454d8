//! [`Control`]: an open kernel-control socket, and [`OpenOptions`] to open one.

use std::fmt;
use std::io;
use std::os::unix::io::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::ptr::NonNull;
use std::time::Duration;

use std::os::raw::c_int;

use crate::backend::{c_name, Backend};
use crate::errno;
use crate::error::{empty_record, CallKind, Error, Result};
use crate::sys;

/// An open kernel-control socket (a libkctl handle). Closed on drop ([`Control::close`]
/// reports the close's error instead).
///
/// Thread-safety is libkctl's: a Control is `Send` and `Sync`; one thread may send while
/// another receives, any number may call [`Control::request`] at once, and one may wait
/// in `request` while another calls [`Control::recv_frame`]. Calls that change the
/// handle (`set_timeout`, `set_max_frame`, `connect`) take `&mut self`. Raw receives
/// ([`Control::recv`]) and framed receives must not be mixed on one Control.
pub struct Control {
    h: NonNull<sys::kctl_t>,
    backend: Backend,
}

// SAFETY: libkctl documents a handle as usable from any thread, with the concurrency
// rules above; the calls that are not safe concurrently take &mut self.
unsafe impl Send for Control {}
unsafe impl Sync for Control {}

/// What [`Control::recv`] got: the bytes written and the record flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Bytes written into the buffer. 0 with a non-empty buffer: end of file (the
    /// connection is dead).
    pub len: usize,
    /// DGRAM: the record was longer than the buffer; its tail is gone (`KCTL_RECV_TRUNC`).
    pub truncated: bool,
    /// STREAM: the bytes read end a record (`KCTL_RECV_EOR`).
    pub eor: bool,
}

/// How to open a [`Control`]: `OpenOptions::new().stream(true).unit(3).open(name)`.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    backend: Backend,
    unit: u32,
    flags: u32,
    timeout: Option<Option<Duration>>,
}

impl OpenOptions {
    /// DGRAM, unit 0 (the kernel picks), the platform's kernel, no timeout set.
    pub fn new() -> OpenOptions {
        OpenOptions::default()
    }

    /// Where the calls go (a simulated kernel's backend, say).
    pub fn backend(&mut self, backend: &Backend) -> &mut OpenOptions {
        self.backend = backend.clone();
        self
    }

    /// The unit to connect to: 0 lets the kernel choose the lowest free one.
    pub fn unit(&mut self, unit: u32) -> &mut OpenOptions {
        self.unit = unit;
        self
    }

    /// A SOCK_STREAM socket, for controls registered as streams.
    pub fn stream(&mut self, yes: bool) -> &mut OpenOptions {
        self.flag(sys::KCTL_OPEN_STREAM, yes)
    }

    /// Start with a timeout of 0: calls never wait (`WouldBlock` instead).
    pub fn nonblocking(&mut self, yes: bool) -> &mut OpenOptions {
        self.flag(sys::KCTL_OPEN_NONBLOCK, yes)
    }

    /// Bind without connecting: set options, then [`Control::connect`].
    pub fn bind_only(&mut self, yes: bool) -> &mut OpenOptions {
        self.flag(sys::KCTL_OPEN_BIND_ONLY, yes)
    }

    /// The timeout of every blocking call (see [`Control::set_timeout`]).
    pub fn timeout(&mut self, timeout: Option<Duration>) -> &mut OpenOptions {
        self.timeout = Some(timeout);
        self
    }

    fn flag(&mut self, bit: u32, yes: bool) -> &mut OpenOptions {
        if yes {
            self.flags |= bit;
        } else {
            self.flags &= !bit;
        }
        self
    }

    /// Opens the control called `name` (`kctl_open_name_ex`). Errors, each saying who
    /// refused ([`Error::origin`]): `ENOENT` (not registered), `EPERM` (privileged, not
    /// root), `EBUSY` (unit taken), `EPROTOTYPE` (DGRAM/STREAM mismatch), `EINVAL` (bad
    /// name), or the errno of the control's connect callback.
    pub fn open(&self, name: &str) -> Result<Control> {
        let cname = c_name(name, "kctl_open_name")?;
        let mut out = std::ptr::null_mut();
        let mut why = empty_record();
        // SAFETY: valid backend (kept alive by self), C string, out-pointers.
        let rc = unsafe {
            sys::kctl_open_name_ex(self.backend.as_ptr(), cname.as_ptr(), self.unit,
                                   self.flags, &mut out, &mut why)
        };
        Error::check_record(rc, &why, "kctl_open_name", CallKind::Open)?;
        self.finish(out, "kctl_open_name")
    }

    /// Opens the control with id `id` (from [`Backend::lookup`]) (`kctl_open_id_ex`).
    pub fn open_id(&self, id: u32) -> Result<Control> {
        let mut out = std::ptr::null_mut();
        let mut why = empty_record();
        // SAFETY: valid backend and out-pointers.
        let rc = unsafe {
            sys::kctl_open_id_ex(self.backend.as_ptr(), id, self.unit, self.flags, &mut out,
                                 &mut why)
        };
        Error::check_record(rc, &why, "kctl_open_id", CallKind::Open)?;
        self.finish(out, "kctl_open_id")
    }

    /// The Control for a handle a successful open returned, with the timeout applied.
    pub(crate) fn adopt(&self, out: *mut sys::kctl_t, call: &'static str) -> Result<Control> {
        self.finish(out, call)
    }

    pub(crate) fn flags(&self) -> u32 {
        self.flags
    }

    pub(crate) fn backend_ref(&self) -> &Backend {
        &self.backend
    }

    fn finish(&self, out: *mut sys::kctl_t, call: &'static str) -> Result<Control> {
        let h = NonNull::new(out).ok_or_else(|| Error::from_call(errno::EIO, call))?;
        let mut c = Control { h, backend: self.backend.clone() };
        if let Some(t) = self.timeout {
            c.set_timeout(t)?; // on error c is dropped, which closes it
        }
        Ok(c)
    }
}

impl Control {
    /// Opens the control called `name` on the platform's kernel: DGRAM, the unit the
    /// kernel picks. See [`OpenOptions`] for the rest.
    pub fn open(name: &str) -> Result<Control> {
        OpenOptions::new().open(name)
    }

    /// The C handle, for calls through [`crate::sys`]. Valid as long as this Control.
    pub fn as_ptr(&self) -> *mut sys::kctl_t {
        self.h.as_ptr()
    }

    /// The backend this Control was opened on.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// `Ok(rc)`, or the error of a call of `kind` on this handle, explained from the
    /// handle's failure record (`kctl_last_error`, `kctl_error_str`).
    pub(crate) fn check(&self, kind: CallKind, rc: c_int, call: &'static str) -> Result<c_int> {
        // SAFETY: valid handle.
        unsafe { Error::check_handle(self.as_ptr(), kind, rc, call) }
    }

    /// The handle's last failure of `kind` (`kctl_last_error`), or `None` if there was
    /// none (calls that succeed do not clear it; `EAGAIN` is never recorded).
    pub fn last_error(&self, kind: CallKind) -> Option<Error> {
        let mut rec = empty_record();
        // SAFETY: valid handle and out-pointer.
        let rc = unsafe { sys::kctl_last_error(self.as_ptr(), kind.raw(), &mut rec) };
        if rc < 0 || rec.err == 0 {
            return None;
        }
        Some(Error::from_record(&rec, ""))
    }

    /// libkctl's sentence for errno `errno` as a call of `kind` on this handle returned
    /// it (`kctl_explain`): the handle's record when it holds that errno, else what the
    /// errno alone says.
    pub fn explain(&self, kind: CallKind, errno: i32) -> String {
        let errno = errno.checked_abs().unwrap_or(i32::MAX);
        let h = self.as_ptr();
        // SAFETY: valid handle; kctl_explain writes at most cap bytes.
        crate::error::sentence(|buf, cap| unsafe {
            sys::kctl_explain(h, kind.raw(), -errno, buf, cap)
        })
    }

    /// Closes the socket (the control's disconnect callback runs) and reports the close's
    /// error; the handle is released either way.
    pub fn close(self) -> Result<()> {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: the handle is open and owned, and `this` is never dropped or used again.
        let rc = unsafe { sys::kctl_close(this.h.as_ptr()) };
        // SAFETY: the backend is moved out once, after the close (a simulated kernel must
        // outlive its sockets), and `this` is not dropped.
        drop(unsafe { std::ptr::read(&this.backend) });
        Error::check(rc, "kctl_close").map(drop)
    }

    /// Connects a Control opened with `bind_only`, keeping its unit (`kctl_connect`).
    /// Errors: `EISCONN`, and those of opening.
    pub fn connect(&mut self) -> Result<()> {
        // SAFETY: valid handle, exclusive access.
        let rc = unsafe { sys::kctl_connect(self.as_ptr()) };
        self.check(CallKind::Open, rc, "kctl_connect").map(drop)
    }

    /// The control id.
    pub fn id(&self) -> u32 {
        // SAFETY: valid handle.
        unsafe { sys::kctl_id(self.as_ptr()) }
    }

    /// The unit bound or connected to (the kernel's choice if 0 was asked).
    pub fn unit(&self) -> u32 {
        // SAFETY: valid handle.
        unsafe { sys::kctl_unit(self.as_ptr()) }
    }

    /// True for a SOCK_STREAM Control.
    pub fn is_stream(&self) -> bool {
        // SAFETY: valid handle.
        unsafe { sys::kctl_is_stream(self.as_ptr()) != 0 }
    }

    /// How long blocking calls wait: `None` forever, `Some(ZERO)` never.
    pub fn timeout(&self) -> Option<Duration> {
        // SAFETY: valid handle.
        let ms = unsafe { sys::kctl_timeout(self.as_ptr()) };
        u64::try_from(ms).ok().map(Duration::from_millis)
    }

    /// Sets how long every blocking call waits: `None` forever, `Some(Duration::ZERO)`
    /// never (`WouldBlock` at once). A call that runs out of time fails with
    /// `ETIMEDOUT`. Rounded up to whole milliseconds; above `i32::MAX` ms is `EINVAL`.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        let ms = match timeout {
            None => sys::KCTL_TIMEOUT_INFINITE,
            Some(d) => duration_to_ms(d)?,
        };
        // SAFETY: valid handle, exclusive access (no call in flight).
        Error::check(unsafe { sys::kctl_set_timeout(self.as_ptr(), ms) }, "kctl_set_timeout")
            .map(drop)
    }

    /// Sends `data` whole: DGRAM one record, STREAM every byte (`kctl_send`). Returns
    /// `data.len()`. A STREAM send that runs out of time part way fails; use
    /// [`Control::send_partial`] to learn how much went.
    pub fn send(&self, data: &[u8]) -> Result<usize> {
        match self.send_raw(data) {
            (n, Ok(())) => Ok(n),
            (_, Err(e)) => Err(e),
        }
    }

    /// Sends what it can of `data`: the bytes sent, even when the time ran out after
    /// some went (an error only when none did), as `std::io::Write::write`.
    pub fn send_partial(&self, data: &[u8]) -> Result<usize> {
        match self.send_raw(data) {
            (n, Err(_)) if n > 0 => Ok(n),
            (n, r) => r.map(|()| n),
        }
    }

    fn send_raw(&self, data: &[u8]) -> (usize, Result<()>) {
        let mut sent = 0usize;
        // SAFETY: valid handle; data is readable for its length; sent is writable.
        let rc = unsafe {
            sys::kctl_send(self.as_ptr(), data.as_ptr().cast(), data.len(), &mut sent)
        };
        (sent, self.check(CallKind::Send, rc, "kctl_send").map(drop))
    }

    /// Receives one record (DGRAM) or the bytes up to the next end of record (STREAM)
    /// into `buf` (`kctl_recv`), waiting up to the timeout.
    pub fn recv(&self, buf: &mut [u8]) -> Result<Received> {
        let (mut got, mut fl) = (0usize, 0u32);
        // SAFETY: valid handle; buf is writable for its length; out-pointers valid.
        let rc = unsafe {
            sys::kctl_recv(self.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), &mut got, &mut fl)
        };
        self.check(CallKind::Receive, rc, "kctl_recv")?;
        Ok(Received {
            len: got.min(buf.len()),
            truncated: fl & sys::KCTL_RECV_TRUNC != 0,
            eor: fl & sys::KCTL_RECV_EOR != 0,
        })
    }
}

/// Milliseconds for a timeout, rounded up (so a tiny positive timeout still waits).
pub(crate) fn duration_to_ms(d: Duration) -> Result<i32> {
    let ms = d.as_nanos().saturating_add(999_999) / 1_000_000;
    i32::try_from(ms).map_err(|_| {
        Error::refused(errno::EINVAL, "kctl_set_timeout", CallKind::Unspecified,
                       "a timeout above i32::MAX milliseconds")
    })
}

impl Drop for Control {
    fn drop(&mut self) {
        // SAFETY: the handle is open and owned; nothing uses it after this.
        unsafe { sys::kctl_close(self.as_ptr()) };
    }
}

impl AsRawFd for Control {
    fn as_raw_fd(&self) -> RawFd {
        // SAFETY: valid handle.
        unsafe { sys::kctl_fd(self.as_ptr()) }
    }
}

impl AsFd for Control {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: the fd stays open as long as the Control, which this borrows.
        unsafe { BorrowedFd::borrow_raw(self.as_raw_fd()) }
    }
}

impl fmt::Debug for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Control")
            .field("id", &self.id())
            .field("unit", &self.unit())
            .field("stream", &self.is_stream())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

/// `read` is [`Control::recv`] (a DGRAM record longer than the buffer loses its tail).
impl io::Read for &Control {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv(buf)?.len)
    }
}

impl io::Read for Control {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
}

/// `write` is [`Control::send_partial`]; `flush` does nothing (nothing is buffered).
impl io::Write for &Control {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(self.send_partial(buf)?)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl io::Write for Control {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
