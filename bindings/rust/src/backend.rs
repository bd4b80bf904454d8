//! [`Backend`]: where a handle's calls go (the platform's kernel or a simulated one).

use std::any::Any;
use std::ffi::CString;
use std::fmt;
use std::sync::Arc;

use crate::error::{empty_record, CallKind, Error, Result};
use crate::sys;

/// Where the calls of a [`crate::Control`] go: the real kernel ([`Backend::native`]), a
/// simulated kernel (`kctl::sim::Kernel::backend`) or a tracer of either
/// ([`crate::Tracer::backend`]). Cheap to clone; a backend of a simulated kernel or a
/// tracer keeps it alive, and so does every Control opened on it.
#[derive(Clone)]
pub struct Backend {
    ptr: *const sys::kctl_backend_t,
    /// Keeps the simulated kernel or tracer the pointer lives in alive.
    _keep: Option<Arc<dyn Any + Send + Sync>>,
    label: &'static str,
}

// SAFETY: a backend is an immutable table (static for the native one, owned by the
// simulated kernel kept alive by `_keep` otherwise); libkctl uses it from any thread.
unsafe impl Send for Backend {}
unsafe impl Sync for Backend {}

impl Backend {
    /// The platform's own kernel. On anything but macOS every call through it fails with
    /// `EAFNOSUPPORT` (use a simulated kernel there).
    pub fn native() -> Backend {
        // SAFETY: no arguments; the result is static.
        Backend { ptr: unsafe { sys::kctl_backend_native() }, _keep: None, label: "native" }
    }

    /// A backend for `ptr`, which stays valid as long as `keep` lives; `label` says
    /// what it is (Debug).
    pub(crate) fn with_owner(
        ptr: *const sys::kctl_backend_t,
        keep: Arc<dyn Any + Send + Sync>,
        label: &'static str,
    ) -> Backend {
        Backend { ptr, _keep: Some(keep), label }
    }

    /// The C pointer, for calls through [`crate::sys`]. Valid as long as this Backend.
    pub fn as_ptr(&self) -> *const sys::kctl_backend_t {
        self.ptr
    }

    /// The id of the control called `name` (`kctl_lookup_ex`). Errors: `ENOENT` (no
    /// such control: the match is exact), `EINVAL` (a bad name), `EAFNOSUPPORT`.
    pub fn lookup(&self, name: &str) -> Result<u32> {
        let name = c_name(name, "kctl_lookup")?;
        let mut id = 0u32;
        let mut why = empty_record();
        // SAFETY: valid backend, NUL-terminated name, valid out-pointers.
        let rc = unsafe { sys::kctl_lookup_ex(self.ptr, name.as_ptr(), &mut id, &mut why) };
        Error::check_record(rc, &why, "kctl_lookup", CallKind::Open)?;
        Ok(id)
    }

    /// How many controls are registered (`kctl_count`).
    pub fn count(&self) -> Result<u32> {
        let mut n = 0u32;
        // SAFETY: valid backend and out-pointer.
        let rc = unsafe { sys::kctl_count(self.ptr, &mut n) };
        Error::check_kind(rc, "kctl_count", CallKind::Open)?;
        Ok(n)
    }
}

impl Default for Backend {
    fn default() -> Backend {
        Backend::native()
    }
}

impl fmt::Debug for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Backend").field("kind", &self.label).field("ptr", &self.ptr).finish()
    }
}

/// A control name as a C string; a NUL inside is EINVAL (as kctl_name_check would say).
pub(crate) fn c_name(name: &str, call: &'static str) -> Result<CString> {
    CString::new(name).map_err(|_| {
        Error::refused(crate::errno::EINVAL, call, CallKind::Open,
                       "the control name has a NUL byte inside")
    })
}
