//! [`Error`]: a libkctl failure, with its errno and libkctl's sentence for it.

use std::ffi::CStr;
use std::fmt;
use std::io;
use std::os::raw::c_int;

use crate::sys;

/// What every fallible call returns.
pub type Result<T> = std::result::Result<T, Error>;

/// A failed libkctl call: the (positive) errno, libkctl's sentence about it (what it
/// likely means for a kernel control and what to do), and the C function that failed.
///
/// It converts into [`std::io::Error`] with the [`io::ErrorKind`] std gives that errno
/// (`EPERM` is `PermissionDenied`, `ETIMEDOUT` `TimedOut`, `EAGAIN` `WouldBlock`, ...);
/// the `kctl::Error` stays inside (`get_ref()` / `downcast`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error {
    errno: i32,
    call: &'static str,
    message: &'static str,
}

impl Error {
    /// The error for errno `errno` (sign ignored; 0 is taken as `EIO`), from no call.
    pub fn from_errno(errno: i32) -> Error {
        Error::from_call(errno, "")
    }

    /// The error for errno `errno` reported by the C function `call`.
    pub(crate) fn from_call(errno: i32, call: &'static str) -> Error {
        let errno = match errno.checked_abs() {
            Some(0) | None => crate::errno::EIO,
            Some(e) => e,
        };
        Error { errno, call, message: strerror(errno) }
    }

    /// `Ok(rc)` for a C return code that is not negative, else the error it stands for.
    pub(crate) fn check(rc: c_int, call: &'static str) -> Result<c_int> {
        if rc < 0 {
            Err(Error::from_call(rc, call))
        } else {
            Ok(rc)
        }
    }

    /// The errno (positive: `errno::EINVAL`, not `-EINVAL`).
    pub fn errno(&self) -> i32 {
        self.errno
    }

    /// libkctl's sentence for the errno (`kctl_strerror`).
    pub fn message(&self) -> &'static str {
        self.message
    }

    /// The C function that failed ("" when the error was made on the Rust side).
    pub fn call(&self) -> &'static str {
        self.call
    }

    /// The `std::io::ErrorKind` std gives this errno on this platform.
    pub fn kind(&self) -> io::ErrorKind {
        io::Error::from_raw_os_error(self.errno).kind()
    }
}

/// libkctl's sentence for an errno (negative or positive). Never fails.
pub fn strerror(errno: i32) -> &'static str {
    // SAFETY: kctl_strerror never returns NULL and its strings are static.
    let s = unsafe { CStr::from_ptr(sys::kctl_strerror(errno)) };
    s.to_str().unwrap_or("(libkctl message is not UTF-8)")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.call.is_empty() {
            write!(f, "{}: ", self.call)?;
        }
        write!(f, "{}", self.message)?;
        match crate::errno::name(self.errno) {
            Some(name) => write!(f, " ({})", name),
            None => write!(f, " (errno {})", self.errno),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("errno", &self.errno)
            .field("name", &crate::errno::name(self.errno))
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
