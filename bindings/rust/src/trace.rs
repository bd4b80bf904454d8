//! The call tracer (`kctl_trace_*`): strace for kernel controls. A [`Tracer`] is a
//! backend that passes every call libkctl makes to another backend (the platform's
//! kernel or a simulated one) and reports each, once it returned, as one line:
//!
//! ```text
//! socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = 3
//! ioctl(3, CTLIOCGINFO, {ctl_name="org.libkctl.sample"} => {ctl_id=1}) = 0
//! sendmsg(3, 24 bytes [{REQUEST type=1 seq=1 len=18 "hi"}], 0) = 24
//! ```
//!
//! Lines go to a Rust closure ([`Tracer::new`]) or are written to a file descriptor
//! ([`Tracer::to_fd`]). Open Controls through [`Tracer::backend`]:
//!
//! ```
//! # #[cfg(feature = "sim")] fn main() -> kctl::Result<()> {
//! use std::sync::{Arc, Mutex};
//! use kctl::{TraceFlags, Tracer};
//! let k = kctl::sim::Kernel::new()?;
//! let lines = Arc::new(Mutex::new(Vec::new()));
//! let sink = lines.clone();
//! let t = Tracer::new(&k.backend(), TraceFlags::NONE, move |l| sink.lock().unwrap().push(l.to_owned()))?;
//! assert_eq!(t.backend().count()?, 0);              // a call through the tracer...
//! assert!(lines.lock().unwrap()[0].starts_with("socket(AF_SYSTEM"));   // ...and its line
//! # Ok(()) }
//! # #[cfg(not(feature = "sim"))] fn main() {}
//! ```
//!
//! The environment traces the native backend of a whole process without code:
//! `KCTL_TRACE=1` (stderr) or `KCTL_TRACE=/path`.

use std::any::Any;
use std::ffi::CStr;
use std::fmt;
use std::os::raw::{c_char, c_void};
use std::os::unix::io::{AsFd, AsRawFd};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::{Arc, Mutex};

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::sys;

/// Flags of a [`Tracer`] (`KCTL_TRACE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TraceFlags(u32);

impl TraceFlags {
    /// No flag.
    pub const NONE: TraceFlags = TraceFlags(0);
    /// Start each line with the seconds since the tracer was made ("+0.001234 ").
    pub const TIME: TraceFlags = TraceFlags(sys::KCTL_TRACE_TIME);

    /// The raw flags.
    pub const fn bits(self) -> u32 {
        self.0
    }
}

type LineFn = dyn FnMut(&str) + Send;

/// What the C callback's context points at: the closure, and the panics it raised.
struct Sink {
    f: Mutex<Box<LineFn>>,
    panics: Mutex<Vec<String>>,
}

unsafe extern "C" fn trace_line(ctx: *mut c_void, line: *const c_char) {
    if ctx.is_null() || line.is_null() {
        return;
    }
    let sink = &*(ctx as *const Sink);
    let line = CStr::from_ptr(line).to_string_lossy();
    let res = catch_unwind(AssertUnwindSafe(|| {
        let mut f = crate::lock(&sink.f);
        (*f)(&line)
    }));
    if let Err(p) = res {
        let msg = p.downcast_ref::<&str>().map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the trace callback panicked".to_string());
        crate::lock(&sink.panics).push(msg);
    }
}

/// What a Tracer owns; freed (`kctl_trace_free`) when the last Tracer, Backend or
/// Control that uses it goes.
struct Inner {
    ptr: NonNull<sys::kctl_trace_t>,
    sink: Option<Box<Sink>>,
    _out: Option<Box<dyn Any + Send + Sync>>,
    /// The traced backend: a simulated kernel must outlive its tracer.
    _traced: Backend,
}

// SAFETY: a tracer is thread-safe (kctl.h: lines are emitted one at a time under its
// lock, from any thread); the sink's closure is behind a Mutex and Send.
unsafe impl Send for Inner {}
unsafe impl Sync for Inner {}

impl Drop for Inner {
    fn drop(&mut self) {
        // SAFETY: last owner: no Backend or Control of this tracer is left; the sink
        // is freed only after this.
        unsafe { sys::kctl_trace_free(self.ptr.as_ptr()) };
    }
}

/// A tracer of a backend (`kctl_trace_t`). Cheap to clone: clones share one tracer,
/// which lives as long as any clone, any [`Backend`] from it and any Control opened on
/// that backend.
#[derive(Clone)]
pub struct Tracer {
    inner: Arc<Inner>,
}

impl Tracer {
    /// A tracer of `traced` that hands each line (without its newline) to `f`
    /// (`kctl_trace_new`). `f` runs on the thread of the traced call, one line at a
    /// time, in the order the calls returned; it must not use a Control of this tracer
    /// (that would wait for the tracer's own lock). A panic in `f` never unwinds into C:
    /// the line is lost and the message kept ([`Tracer::take_panics`]).
    pub fn new(traced: &Backend, flags: TraceFlags, f: impl FnMut(&str) + Send + 'static)
               -> Result<Tracer> {
        let sink = Box::new(Sink { f: Mutex::new(Box::new(f)), panics: Mutex::new(Vec::new()) });
        let ctx = &*sink as *const Sink as *mut c_void;
        let mut out = std::ptr::null_mut();
        // SAFETY: valid backend; ctx points at the boxed sink, which lives in Inner
        // until after kctl_trace_free.
        let rc = unsafe {
            sys::kctl_trace_new(traced.as_ptr(), Some(trace_line), ctx, flags.bits(), &mut out)
        };
        Tracer::made(rc, out, Some(sink), None, traced, "kctl_trace_new")
    }

    /// A tracer of `traced` that writes each line, newline included, with one write(2)
    /// to `out`'s fd (`kctl_trace_new_fd`): a `File`, `std::io::stderr()`, an
    /// `OwnedFd`. The tracer keeps `out` (so its fd stays open) as long as it lives; a
    /// failed write is ignored.
    pub fn to_fd(traced: &Backend, flags: TraceFlags, out: impl AsFd + Send + Sync + 'static)
                 -> Result<Tracer> {
        let fd = out.as_fd().as_raw_fd();
        let mut t = std::ptr::null_mut();
        // SAFETY: valid backend; the fd stays open as long as `out`, kept in Inner.
        let rc = unsafe { sys::kctl_trace_new_fd(traced.as_ptr(), fd, flags.bits(), &mut t) };
        Tracer::made(rc, t, None, Some(Box::new(out)), traced, "kctl_trace_new_fd")
    }

    fn made(rc: i32, ptr: *mut sys::kctl_trace_t, sink: Option<Box<Sink>>,
            out: Option<Box<dyn Any + Send + Sync>>, traced: &Backend, call: &'static str)
            -> Result<Tracer> {
        Error::check(rc, call)?;
        let ptr = NonNull::new(ptr).ok_or_else(|| Error::from_call(crate::errno::EIO, call))?;
        Ok(Tracer { inner: Arc::new(Inner { ptr, sink, _out: out, _traced: traced.clone() }) })
    }

    /// The backend to open Controls on (`kctl_trace_backend`): every call through it is
    /// traced. It keeps the tracer (and the traced backend) alive.
    pub fn backend(&self) -> Backend {
        // SAFETY: valid tracer; its backend lives as long as it, which `keep` holds.
        let ptr = unsafe { sys::kctl_trace_backend(self.inner.ptr.as_ptr()) };
        let keep: Arc<dyn Any + Send + Sync> = self.inner.clone();
        Backend::with_owner(ptr, keep, "traced")
    }

    /// The messages of the closure's panics since the last call (oldest first); always
    /// empty for a tracer writing to an fd.
    pub fn take_panics(&self) -> Vec<String> {
        match &self.inner.sink {
            Some(s) => std::mem::take(&mut *crate::lock(&s.panics)),
            None => Vec::new(),
        }
    }
}

impl fmt::Debug for Tracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let to = if self.inner.sink.is_some() { "closure" } else { "fd" };
        f.debug_struct("Tracer").field("ptr", &self.inner.ptr).field("to", &to).finish()
    }
}
