//! Loading kext code into the simulated kernel (`kctl_kpi.h`, libkctl-kpi). Feature
//! `kpi`; not available on macOS, where kexts run in the real kernel.
//!
//! libkctl-kpi is the kernel of the process, as a Mac has one: every kext loaded at once
//! is loaded into the same [`Kernel`] (`EBUSY` otherwise).

use std::ffi::{CStr, CString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Mutex;

use crate::errno;
use crate::error::{CallKind, Error, Origin, Result};
use crate::sim::{lock, Inner, Kernel};
use crate::sys;

/// A kext loaded into a simulated kernel. Dropping it unloads it; if its stop routine
/// refuses (clients still connected) it stays loaded until the kernel goes, which retries
/// once every Control on the kernel is closed.
pub struct Kext {
    kernel: Kernel,
    ptr: Option<usize>,
    name: String,
}

// SAFETY: load and unload of one kext never race (unload takes &mut self); the name is
// copied out at load.
unsafe impl Send for Kext {}
unsafe impl Sync for Kext {}

impl Kext {
    /// Loads the kext module at `path` (a loadable module exporting `kmod_info`, as the
    /// simulator's Sample.kext) into `kernel`: its start routine runs
    /// (`kctl_kpi_load_module`). Errors, each with the loader's sentence
    /// (`kctl_kpi_last_error`) in its message: `ENOENT` (cannot open it), `ENOEXEC` (no
    /// kmod_info), `ENOSYS` (it calls a KPI the simulated kernel does not provide, named),
    /// `EEXIST` (same name loaded), `EBUSY` (kexts loaded in another kernel),
    /// `ECANCELED` (its start routine failed), `ENOTRECOVERABLE` (it panicked in start).
    pub fn load_module(kernel: &Kernel, path: impl AsRef<Path>) -> Result<Kext> {
        let path = CString::new(path.as_ref().as_os_str().as_bytes()).map_err(|_| {
            Error::refused(errno::EINVAL, "kctl_kpi_load_module", CallKind::Unspecified,
                           "a module path with a NUL byte inside")
        })?;
        let mut out = std::ptr::null_mut();
        // SAFETY: valid sim, C string, out-pointer.
        let rc = unsafe { sys::kctl_kpi_load_module(kernel.as_ptr(), path.as_ptr(), &mut out) };
        check_loader(rc, "kctl_kpi_load_module")?;
        // SAFETY: a loaded kext; its name is valid while it is loaded.
        let name = unsafe { CStr::from_ptr(sys::kctl_kpi_kext_name(out)) }
            .to_string_lossy().into_owned();
        lock(&kernel.inner().kexts).push(out as usize);
        Ok(Kext { kernel: kernel.clone(), ptr: Some(out as usize), name })
    }

    /// The kext's name (its bundle id, from kmod_info).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it is still loaded.
    pub fn is_loaded(&self) -> bool {
        self.ptr.is_some()
    }

    /// The kernel it is loaded in.
    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    /// Unloads it: its stop routine runs (`kctl_kpi_unload`). Errors: `EBUSY` (stop
    /// refused, as the sample's does while clients are connected: it stays loaded; close
    /// them and try again); `ENOTEMPTY` (it left controls, thread calls or mbufs behind,
    /// taken back) and `ENOTRECOVERABLE` (it panicked in stop), after which it is gone.
    /// Unloading an unloaded kext does nothing.
    pub fn unload(&mut self) -> Result<()> {
        let p = match self.ptr {
            Some(p) => p,
            None => return Ok(()),
        };
        let (gone, result) = unload_one(&self.kernel.inner().kexts, p);
        if gone {
            self.ptr = None;
        }
        result
    }
}

impl Drop for Kext {
    fn drop(&mut self) {
        let _ = self.unload(); // on failure it stays in the kernel's list (see unload_all)
    }
}

impl fmt::Debug for Kext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kext").field("name", &self.name).field("loaded", &self.is_loaded())
            .finish()
    }
}

/// Unloads the kext at p and takes it off the kernel's list.
/// Unloads the kext at p and, unless it stays loaded (`EBUSY`), takes it off the
/// kernel's list: after any other result libkctl-kpi has freed it. Whether it is gone,
/// and the call's result.
fn unload_one(list: &Mutex<Vec<usize>>, p: usize) -> (bool, Result<()>) {
    // SAFETY: p is a loaded kext (on the list); unload and load never race for it.
    let rc = unsafe { sys::kctl_kpi_unload(p as *mut sys::kctl_kpi_kext_t) };
    let gone = rc != -errno::EBUSY;
    if gone {
        lock(list).retain(|&k| k != p);
    }
    (gone, check_loader(rc, "kctl_kpi_unload").map(|_| ()))
}

/// `Ok(rc)`, or the loader's error with its sentence, read at once (it belongs to the
/// calling thread and is replaced by its next load or unload).
fn check_loader(rc: i32, call: &'static str) -> Result<i32> {
    if rc >= 0 {
        return Ok(rc);
    }
    Err(Error::with_cause(rc, call, CallKind::Unspecified, Origin::Unknown, &last_error()))
}

/// Why the calling thread's last load or unload failed, or what it reported though it
/// succeeded, in sentences; "" after a clean success (`kctl_kpi_last_error`). The
/// errors of [`Kext::load_module`] and [`Kext::unload`] carry it already.
pub fn last_error() -> String {
    // SAFETY: never NULL; valid until this thread's next load or unload, copied now.
    unsafe { CStr::from_ptr(sys::kctl_kpi_last_error()) }.to_string_lossy().into_owned()
}

/// Unloads every kext still loaded in a kernel that is going away; false if one stays.
pub(crate) fn unload_all(inner: &Inner) -> bool {
    let left: Vec<usize> = lock(&inner.kexts).clone();
    left.into_iter().all(|p| unload_one(&inner.kexts, p).0)
}

/// What receives the kexts' log lines ([`set_log`]).
pub type LogFn = Box<dyn Fn(&str) + Send + Sync>;

/// The process's kext log sink (libkctl-kpi has one, as a Mac has one console).
static LOG: Mutex<Option<LogFn>> = Mutex::new(None);

unsafe extern "C" fn log_line(_ctx: *mut std::os::raw::c_void, line: *const std::os::raw::c_char) {
    if line.is_null() {
        return;
    }
    let line = CStr::from_ptr(line).to_string_lossy();
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(f) = lock(&LOG).as_ref() {
            f(&line);
        }
    }));
}

/// Sends every line the kexts print (`printf`, without its newline) to `f`; `None` sends
/// them back to stderr (prefixed "`[kext] `") (`kctl_kpi_set_log`). Process-wide.
pub fn set_log(f: Option<LogFn>) {
    let on = f.is_some();
    *lock(&LOG) = f;
    // SAFETY: log_line is a valid callback for the life of the process.
    unsafe {
        if on {
            sys::kctl_kpi_set_log(Some(log_line), std::ptr::null_mut());
        } else {
            sys::kctl_kpi_set_log(None, std::ptr::null_mut());
        }
    }
}
