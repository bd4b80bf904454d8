//! [`Error`]: a libkctl failure with its errno, who produced it and libkctl's sentence.

use std::ffi::CStr;
use std::fmt;
use std::io;
use std::os::raw::{c_char, c_int};

use crate::sys;

/// What every fallible call returns.
pub type Result<T> = std::result::Result<T, Error>;

/// Who produced an error's errno (`KCTL_ORIGIN_*`): the same errno means different
/// things by where it came from (`EINVAL` from libkctl's name check, or from the
/// control's setopt callback).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Nothing was recorded (`KCTL_ORIGIN_NONE`): the errno alone, as from a call that
    /// keeps no record (`kctl_count`, `kctl_list`, the utun opens) or an `EAGAIN`.
    Unknown,
    /// libkctl decided (an argument, a name, a size limit, the handle's state, a
    /// timeout, a malformed frame), or this binding did before any C call.
    Library,
    /// The kernel's own rule (socket(), CTLIOCGINFO, a refused connect, a dead socket).
    Kernel,
    /// The control answered: an ERROR reply, or the errno of one of its callbacks.
    Control,
    /// An errno both the kernel and the control give, which nothing tells apart.
    KernelOrControl,
}

impl Origin {
    /// The origin of a `KCTL_ORIGIN_*` value (an unknown one is `Unknown`).
    pub fn from_raw(raw: u32) -> Origin {
        match raw {
            sys::KCTL_ORIGIN_LIBRARY => Origin::Library,
            sys::KCTL_ORIGIN_KERNEL => Origin::Kernel,
            sys::KCTL_ORIGIN_CONTROL => Origin::Control,
            sys::KCTL_ORIGIN_KERNEL_OR_CONTROL => Origin::KernelOrControl,
            _ => Origin::Unknown,
        }
    }

    /// Its `KCTL_ORIGIN_*` value.
    pub fn raw(self) -> u32 {
        match self {
            Origin::Unknown => sys::KCTL_ORIGIN_NONE,
            Origin::Library => sys::KCTL_ORIGIN_LIBRARY,
            Origin::Kernel => sys::KCTL_ORIGIN_KERNEL,
            Origin::Control => sys::KCTL_ORIGIN_CONTROL,
            Origin::KernelOrControl => sys::KCTL_ORIGIN_KERNEL_OR_CONTROL,
        }
    }
}

/// The kind of call that failed (`KCTL_CALL_*`): which of a handle's failure records
/// holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// No kind (`KCTL_CALL_NONE`): a call outside the handle's records (the codec, the
    /// simulator, the KPI loader, a timeout setting).
    Unspecified,
    /// Opening, looking up, counting, listing, connecting, the utun opens.
    Open,
    /// Sending (`kctl_send`, `kctl_msg_send*`, `kctl_utun_write*`).
    Send,
    /// Receiving (`kctl_recv`, `kctl_msg_recv*`, `kctl_msg_ready`, `kctl_utun_read`).
    Receive,
    /// Socket options, utun's included.
    Option,
    /// Requests: blocking, started, cancelled, and the completion of a started one.
    Request,
}

impl CallKind {
    /// Its `KCTL_CALL_*` value.
    pub fn raw(self) -> u32 {
        match self {
            CallKind::Unspecified => sys::KCTL_CALL_NONE,
            CallKind::Open => sys::KCTL_CALL_OPEN,
            CallKind::Send => sys::KCTL_CALL_SEND,
            CallKind::Receive => sys::KCTL_CALL_RECV,
            CallKind::Option => sys::KCTL_CALL_OPTION,
            CallKind::Request => sys::KCTL_CALL_REQUEST,
        }
    }

    /// The kind of a `KCTL_CALL_*` value (an unknown one is `Unspecified`).
    pub fn from_raw(raw: u32) -> CallKind {
        match raw {
            sys::KCTL_CALL_OPEN => CallKind::Open,
            sys::KCTL_CALL_SEND => CallKind::Send,
            sys::KCTL_CALL_RECV => CallKind::Receive,
            sys::KCTL_CALL_OPTION => CallKind::Option,
            sys::KCTL_CALL_REQUEST => CallKind::Request,
            _ => CallKind::Unspecified,
        }
    }
}

/// A failed libkctl call: the (positive) errno, who produced it ([`Origin`]), the kind
/// of call, the C function, and libkctl's sentence, which says what happened and who
/// said so ("EINVAL (Invalid argument): the control answered EINVAL to setopt 2 (4
/// bytes): its setopt callback's errno"), built from libkctl's failure record
/// (`kctl_error_str`, `kctl_explain`).
///
/// It converts into [`std::io::Error`] with the [`io::ErrorKind`] std gives that errno
/// (`EPERM` is `PermissionDenied`, `ETIMEDOUT` `TimedOut`, `EAGAIN` `WouldBlock`, ...);
/// the `kctl::Error` stays inside (`get_ref()` / `downcast`).
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    errno: i32,
    call: &'static str,
    kind: CallKind,
    origin: Origin,
    message: Box<str>,
}

/// Room for a sentence on the first try; a longer one is asked for again, whole.
const SENTENCE_CAP: usize = 512;

/// A sentence that `write(buf, cap)` puts into a buffer as snprintf does (returning the
/// length it needed, or a negative errno).
pub(crate) fn sentence(write: impl Fn(*mut c_char, usize) -> c_int) -> String {
    let mut buf = vec![0u8; SENTENCE_CAP];
    loop {
        let n = write(buf.as_mut_ptr().cast(), buf.len());
        let n = match usize::try_from(n) {
            Ok(n) => n,
            Err(_) => return String::from("(libkctl gave no sentence)"),
        };
        if n < buf.len() {
            buf.truncate(n);
            return String::from_utf8_lossy(&buf).into_owned();
        }
        buf = vec![0u8; n + 1];
    }
}

/// A positive errno (0, or one without a magnitude, is taken as EIO).
fn positive(errno: i32) -> i32 {
    match errno.checked_abs() {
        Some(0) | None => crate::errno::EIO,
        Some(e) => e,
    }
}

impl Error {
    /// The error for errno `errno` (sign ignored; 0 is taken as `EIO`), from no call and
    /// with no record: what a simulated control's callback returns to fail a call.
    pub fn from_errno(errno: i32) -> Error {
        Error::from_call(errno, "")
    }

    /// The bare errno reported by the C function `call`, with no record.
    pub(crate) fn from_call(errno: i32, call: &'static str) -> Error {
        let errno = positive(errno);
        Error {
            errno,
            call,
            kind: CallKind::Unspecified,
            origin: Origin::Unknown,
            message: strerror(errno).into(),
        }
    }

    /// What the errno alone says for a kind of call (`kctl_explain` without a handle).
    pub(crate) fn unrecorded(errno: i32, call: &'static str, kind: CallKind) -> Error {
        let errno = positive(errno);
        // SAFETY: kctl_explain takes a NULL handle and writes at most cap bytes to buf.
        let message = sentence(|buf, cap| unsafe {
            sys::kctl_explain(std::ptr::null(), kind.raw(), -errno, buf, cap)
        });
        Error { errno, call, kind, origin: Origin::Unknown, message: message.into() }
    }

    /// The error a libkctl failure record describes, reported by `call`.
    pub(crate) fn from_record(rec: &sys::kctl_error, call: &'static str) -> Error {
        // SAFETY: rec is a valid record; kctl_error_str writes at most cap bytes.
        let message = sentence(|buf, cap| unsafe { sys::kctl_error_str(rec, buf, cap) });
        Error {
            errno: positive(rec.err),
            call,
            kind: CallKind::from_raw(rec.call),
            origin: Origin::from_raw(rec.origin),
            message: message.into(),
        }
    }

    /// An error whose cause is known here, not in a libkctl record: "NAME (text): why".
    pub(crate) fn with_cause(errno: i32, call: &'static str, kind: CallKind, origin: Origin,
                             why: &str) -> Error {
        let errno = positive(errno);
        let message = if why.is_empty() {
            strerror(errno).to_owned()
        } else {
            format!("{}: {}", strerror(errno), why)
        };
        Error { errno, call, kind, origin, message: message.into() }
    }

    /// An argument this binding refused before any C call (origin `Library`).
    pub(crate) fn refused(errno: i32, call: &'static str, kind: CallKind, why: &str) -> Error {
        let why = format!("the Rust binding refused it before any call: {}", why);
        Error::with_cause(errno, call, kind, Origin::Library, &why)
    }

    /// `Ok(rc)` for a C return code that is not negative, else the bare error.
    pub(crate) fn check(rc: c_int, call: &'static str) -> Result<c_int> {
        if rc < 0 {
            Err(Error::from_call(rc, call))
        } else {
            Ok(rc)
        }
    }

    /// `Ok(rc)`, or the error of a call that keeps no record, explained for its kind.
    pub(crate) fn check_kind(rc: c_int, call: &'static str, kind: CallKind) -> Result<c_int> {
        if rc < 0 {
            Err(Error::unrecorded(rc, call, kind))
        } else {
            Ok(rc)
        }
    }

    /// `Ok(rc)`, or the error of a call on handle `h`, from h's record for `kind` when
    /// it holds this errno (else what the errno alone says, as `kctl_explain` does).
    ///
    /// # Safety
    /// `h` is a valid open handle.
    pub(crate) unsafe fn check_handle(h: *const sys::kctl_t, kind: CallKind, rc: c_int,
                                      call: &'static str) -> Result<c_int> {
        if rc >= 0 {
            return Ok(rc);
        }
        let mut rec = empty_record();
        if sys::kctl_last_error(h, kind.raw(), &mut rec) == 0 && rec.err == rc {
            return Err(Error::from_record(&rec, call));
        }
        Err(Error::unrecorded(rc, call, kind))
    }

    /// `Ok(rc)`, or the error `why` (filled by an `_ex` call) records.
    pub(crate) fn check_record(rc: c_int, why: &sys::kctl_error, call: &'static str,
                               kind: CallKind) -> Result<c_int> {
        if rc >= 0 {
            Ok(rc)
        } else if why.err == rc {
            Err(Error::from_record(why, call))
        } else {
            Err(Error::unrecorded(rc, call, kind))
        }
    }

    /// The errno (positive: `errno::EINVAL`, not `-EINVAL`).
    pub fn errno(&self) -> i32 {
        self.errno
    }

    /// The errno's name as the host's C library names it ("EINVAL"), if it has one
    /// (`kctl_errno_name`).
    pub fn name(&self) -> Option<&'static str> {
        errno_name(self.errno)
    }

    /// Who produced the errno.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// The kind of call that failed.
    pub fn call_kind(&self) -> CallKind {
        self.kind
    }

    /// libkctl's sentence: what happened ("EPERM (Operation not permitted)") and, where
    /// it is known, who said so and why.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The C function that failed ("" for an error made by a callback).
    pub fn call(&self) -> &'static str {
        self.call
    }

    /// The `std::io::ErrorKind` std gives this errno on this platform.
    pub fn kind(&self) -> io::ErrorKind {
        io::Error::from_raw_os_error(self.errno).kind()
    }
}

/// An all-zero failure record (err 0: none).
pub(crate) fn empty_record() -> sys::kctl_error {
    sys::kctl_error { err: 0, call: 0, origin: 0, reason: 0, arg: 0, limit: 0 }
}

/// What happened, for an errno (negative or positive), without a cause:
/// "EINVAL (Invalid argument)" (`kctl_strerror`). Never fails.
pub fn strerror(errno: i32) -> &'static str {
    // SAFETY: kctl_strerror never returns NULL and its strings are static.
    let s = unsafe { CStr::from_ptr(sys::kctl_strerror(errno)) };
    s.to_str().unwrap_or("(libkctl message is not UTF-8)")
}

/// The host's name of an errno ("EINVAL"), negative or positive, or `None`
/// (`kctl_errno_name`).
pub fn errno_name(errno: i32) -> Option<&'static str> {
    // SAFETY: the result is NULL or a static NUL-terminated string.
    let p = unsafe { sys::kctl_errno_name(errno) };
    if p.is_null() {
        return None;
    }
    // SAFETY: non-NULL, static.
    unsafe { CStr::from_ptr(p) }.to_str().ok()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.call.is_empty() {
            write!(f, "{}: ", self.call)?;
        }
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("errno", &self.errno)
            .field("name", &self.name())
            .field("origin", &self.origin)
            .field("call_kind", &self.kind)
            .field("call", &self.call)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for Error {}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        io::Error::new(e.kind(), e)
    }
}
