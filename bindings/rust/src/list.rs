//! Listing the registered controls (`kctl_list`, `kctl_list_each`): what `netstat` and
//! `kctl list` show, read from the kernel's registration list (sysctl
//! `net.systm.kctl.reg_list` on macOS, the same bytes from a simulated kernel) and
//! checked whole by libkctl before anything reaches Rust.

use std::any::Any;
use std::fmt;
use std::ops::ControlFlow;
use std::os::raw::{c_int, c_void};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use crate::backend::Backend;
use crate::errno;
use crate::error::{CallKind, Error, Result};
use crate::sys;

/// One registered control, as the registration list describes it
/// (`struct kctl_ctl_desc`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CtlDesc {
    /// The control's id (what [`Backend::lookup`] returns).
    pub id: u32,
    /// Registration flags, kernel-private ones included (`KCTL_ABI_CTL_FLAG_*`).
    pub flags: u32,
    /// The unit fixed at registration (`CTL_FLAG_REG_ID_UNIT`), if any.
    pub reg_unit: Option<u32>,
    /// Client sockets attached now (bound or connected).
    pub units_in_use: u32,
    /// Send buffer in bytes: the largest DGRAM record a client sends.
    pub sendsize: u32,
    /// Receive buffer in bytes.
    pub recvsize: u32,
    /// The control's name.
    pub name: String,
}

impl CtlDesc {
    fn from_c(d: &sys::kctl_ctl_desc) -> CtlDesc {
        CtlDesc {
            id: d.id,
            flags: d.flags,
            reg_unit: if d.reg_unit == sys::KCTL_LIST_NO_UNIT { None } else { Some(d.reg_unit) },
            units_in_use: d.units_in_use,
            sendsize: d.sendsize,
            recvsize: d.recvsize,
            name: crate::c_chars(&d.name),
        }
    }

    /// Only root may connect (`CTL_FLAG_PRIVILEGED`).
    pub fn is_privileged(&self) -> bool {
        self.flags & sys::KCTL_ABI_CTL_FLAG_PRIVILEGED != 0
    }

    /// Registered as SOCK_STREAM (`CTL_FLAG_REG_SOCK_STREAM`).
    pub fn is_stream(&self) -> bool {
        self.flags & sys::KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM != 0
    }
}

impl fmt::Debug for CtlDesc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CtlDesc")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("flags", &format_args!("{:#x}", self.flags))
            .field("reg_unit", &self.reg_unit)
            .field("units_in_use", &self.units_in_use)
            .field("sendsize", &self.sendsize)
            .field("recvsize", &self.recvsize)
            .finish()
    }
}

/// How many times [`Backend::list`] asks again when controls are registered between
/// its count and its read.
const LIST_TRIES: usize = 8;

/// What the trampoline of `kctl_list_each` reaches: the closure, and a panic to resume.
struct Walk<'a> {
    f: &'a mut dyn FnMut(&CtlDesc) -> ControlFlow<()>,
    panic: Option<Box<dyn Any + Send>>,
}

/// Stops the walk: the closure asked to, or it panicked (resumed once C has returned).
const WALK_STOP: c_int = 1;

unsafe extern "C" fn walk_one(d: *const sys::kctl_ctl_desc, arg: *mut c_void) -> c_int {
    let walk = &mut *(arg as *mut Walk<'_>);
    if d.is_null() {
        return WALK_STOP;
    }
    let desc = CtlDesc::from_c(&*d);
    match catch_unwind(AssertUnwindSafe(|| (walk.f)(&desc))) {
        Ok(ControlFlow::Continue(())) => 0,
        Ok(ControlFlow::Break(())) => WALK_STOP,
        Err(p) => {
            walk.panic = Some(p);
            WALK_STOP
        }
    }
}

impl Backend {
    /// Every registered control, in the kernel's order (by id) (`kctl_list`). Errors:
    /// `EBADMSG`/`EPROTO` (a malformed answer), `EAGAIN` (the list kept changing),
    /// `EAFNOSUPPORT` (no kernel controls here), or the sysctl's errno.
    pub fn list(&self) -> Result<Vec<CtlDesc>> {
        let mut n = 0u32;
        // SAFETY: valid backend; NULL out with cap 0 only counts.
        let rc = unsafe { sys::kctl_list(self.as_ptr(), std::ptr::null_mut(), 0, &mut n) };
        Error::check_kind(rc, "kctl_list", CallKind::Open)?;
        for _ in 0..LIST_TRIES {
            let cap = n.saturating_add(8);
            let mut v = vec![empty_desc(); cap as usize];
            // SAFETY: v has cap entries; count is writable.
            let rc = unsafe { sys::kctl_list(self.as_ptr(), v.as_mut_ptr(), cap, &mut n) };
            if rc == -errno::ENOSPC {
                continue; // registered meanwhile: n is the new count
            }
            Error::check_kind(rc, "kctl_list", CallKind::Open)?;
            v.truncate(n as usize);
            return Ok(v.iter().map(CtlDesc::from_c).collect());
        }
        Err(Error::unrecorded(errno::EAGAIN, "kctl_list", CallKind::Open))
    }

    /// Calls `f` for every registered control, in the kernel's order, after libkctl read
    /// and checked the whole answer (`kctl_list_each`); `f` returns
    /// `ControlFlow::Break(())` to stop. A panic in `f` is resumed here, after C has
    /// returned (it never unwinds through libkctl). Errors: as [`Backend::list`].
    pub fn for_each_control(&self, mut f: impl FnMut(&CtlDesc) -> ControlFlow<()>)
                            -> Result<()> {
        let mut walk = Walk { f: &mut f, panic: None };
        // SAFETY: valid backend; walk outlives the call and walk_one only reaches it
        // during the call, on this thread.
        let rc = unsafe {
            sys::kctl_list_each(self.as_ptr(), Some(walk_one),
                                &mut walk as *mut Walk<'_> as *mut c_void)
        };
        if let Some(p) = walk.panic.take() {
            resume_unwind(p);
        }
        Error::check_kind(rc, "kctl_list_each", CallKind::Open).map(drop)
    }
}

fn empty_desc() -> sys::kctl_ctl_desc {
    sys::kctl_ctl_desc {
        id: 0,
        flags: 0,
        reg_unit: 0,
        units_in_use: 0,
        sendsize: 0,
        recvsize: 0,
        name: [0; sys::KCTL_NAME_MAX],
    }
}
