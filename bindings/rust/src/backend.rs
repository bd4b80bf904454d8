//! [`Backend`]: where a handle's calls go (the platform's kernel or a simulated one).

use std::any::Any;
use std::ffi::CString;
use std::fmt;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::sys;

/// Where the calls of a [`crate::Control`] go: the real kernel ([`Backend::native`]) or a
/// simulated kernel (`kctl::sim::Kernel::backend`). Cheap to clone; a backend of a
/// simulated kernel keeps that kernel alive, and so does every Control opened on it.
#[derive(Clone)]
pub struct Backend {
    ptr: *const sys::kctl_backend_t,
    keep: Option<Arc<dyn Any + Send + Sync>>,
}

// SAFETY: a backend is an immutable table (static for the native one, owned by the
// simulated kernel kept alive by `keep` otherwise); libkctl uses it from any thread.
unsafe impl Send for Backend {}
unsafe impl Sync for Backend {}

impl Backend {
    /// The platform's own kernel. On anything but macOS every call through it fails with
    /// `EAFNOSUPPORT` (use a simulated kernel there).
    pub fn native() -> Backend {
        // SAFETY: no arguments; the result is static.
        Backend { ptr: unsafe { sys::kctl_backend_native() }, keep: None }
    }

    /// A backend for `ptr`, which stays valid as long as `keep` lives.
    #[cfg_attr(not(feature = "sim"), allow(dead_code))]
    pub(crate) fn with_owner(
        ptr: *const sys::kctl_backend_t,
        keep: Arc<dyn Any + Send + Sync>,
    ) -> Backend {
        Backend { ptr, keep: Some(keep) }
    }

    /// The C pointer, for calls through [`crate::sys`]. Valid as long as this Backend.
    pub fn as_ptr(&self) -> *const sys::kctl_backend_t {
        self.ptr
    }

    /// The id of the control called `name` (`kctl_lookup`).
    pub fn lookup(&self, name: &str) -> Result<u32> {
        let name = c_name(name, "kctl_lookup")?;
        let mut id = 0u32;
        // SAFETY: valid backend, NUL-terminated name, valid out-pointer.
        Error::check(unsafe { sys::kctl_lookup(self.ptr, name.as_ptr(), &mut id) }, "kctl_lookup")?;
        Ok(id)
    }

    /// How many controls are registered (`kctl_count`).
    pub fn count(&self) -> Result<u32> {
        let mut n = 0u32;
        // SAFETY: valid backend and out-pointer.
        Error::check(unsafe { sys::kctl_count(self.ptr, &mut n) }, "kctl_count")?;
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
        let kind = if self.keep.is_some() { "simulated" } else { "native" };
        f.debug_struct("Backend").field("kind", &kind).field("ptr", &self.ptr).finish()
    }
}

/// A control name as a C string; a NUL inside is EINVAL (as kctl_name_check would say).
pub(crate) fn c_name(name: &str, call: &'static str) -> Result<CString> {
    CString::new(name).map_err(|_| Error::from_call(crate::errno::EINVAL, call))
}
