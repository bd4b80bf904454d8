//! Safe Rust bindings of libkctl: macOS kernel-control sockets (`PF_SYSTEM` /
//! `SYSPROTO_CONTROL`), framed request/response, and libkctl's simulated XNU kernel for
//! tests on any machine. Depends on nothing but std; links libkctl (and libkctl-sim with
//! the default `sim` feature, libkctl-kpi with `kpi`).
//!
//! ```no_run
//! use std::time::Duration;
//! use kctl::{Control, OpenOptions};
//!
//! # fn main() -> kctl::Result<()> {
//! let c = OpenOptions::new().timeout(Some(Duration::from_secs(1))).open("org.libkctl.sample")?;
//! let reply = c.request_vec(1, b"hello")?;         // a framed request, its reply
//! c.set_u32(2, 10)?;                                 // an option
//! # Ok(()) }
//! ```
//!
//! Errors are [`Error`]: the errno, who produced it ([`Origin`]: libkctl, the kernel or
//! the control), the C function and libkctl's sentence built from its failure record
//! ("EINVAL (Invalid argument): the control answered EINVAL to setopt 2 (4 bytes): its
//! setopt callback's errno"); it converts into `std::io::Error`.
//!
//! Also here: listing the registered controls ([`Backend::list`]), utun tunnel
//! interfaces ([`utun`]), requests that do not block for event loops
//! ([`Control::request_start`], [`RequestSet`]), and the call tracer ([`Tracer`]).
//! The raw declarations are in [`sys`], checked against the C headers by a test.

#![warn(missing_docs)]

pub mod attr;
mod backend;
mod control;
pub mod errno;
mod error;
pub mod eventloop;
pub mod frame;
#[cfg(feature = "kpi")]
pub mod kpi;
mod list;
mod options;
#[cfg(feature = "sim")]
pub mod sim;
#[allow(missing_docs)]
pub mod sys;
pub mod trace;
pub mod utun;

pub use crate::backend::Backend;
pub use crate::control::{Control, OpenOptions, Received};
pub use crate::error::{errno_name, strerror, CallKind, Error, Origin, Result};
pub use crate::eventloop::{Completion, MsgCounter, MsgInfo, MsgKind, RequestSet};
pub use crate::frame::{Frame, FrameBuf, FrameFlags, FrameWriter, MsgStats};
pub use crate::list::CtlDesc;
pub use crate::options::{Opt, OptionValue};
pub use crate::trace::{TraceFlags, Tracer};

/// A NUL-terminated, zero-padded C char array of a struct as a String (bytes that are
/// not UTF-8 replaced).
pub(crate) fn c_chars(field: &[std::os::raw::c_char]) -> String {
    let bytes: Vec<u8> = field.iter().map(|&c| c as u8).take_while(|&b| b != 0).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A mutex's guard, whether or not a panicking thread poisoned it (the data guarded
/// here stay consistent either way).
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// libkctl's version, "MAJOR.MINOR.PATCH".
pub fn version() -> &'static str {
    // SAFETY: a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(sys::kctl_version()) }.to_str().unwrap_or("?")
}

/// Checks a control name without any syscall (`kctl_name_check`): 1..95 bytes, no NUL.
pub fn name_check(name: &str) -> Result<()> {
    let c = backend::c_name(name, "kctl_name_check")?;
    // SAFETY: a NUL-terminated string.
    let rc = unsafe { sys::kctl_name_check(c.as_ptr()) };
    Error::check_kind(rc, "kctl_name_check", CallKind::Open).map(drop)
}
