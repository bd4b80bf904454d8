//! [`Registration`]: a control to register, with Rust closures as its callbacks, and the
//! `extern "C"` trampolines the simulator calls. No panic crosses into C.

use std::os::raw::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::{Arc, Mutex};

use super::{lock, Ctl, Mbuf};
use crate::errno;
use crate::error::Result;
use crate::sys;

type ConnectFn = dyn Fn(&Ctl, u32) -> Result<()> + Send + Sync;
type DisconnectFn = dyn Fn(&Ctl, u32) + Send + Sync;
type SendFn = dyn Fn(&Ctl, u32, &Mbuf, i32) -> Result<()> + Send + Sync;
type SetoptFn = dyn Fn(&Ctl, u32, i32, &[u8]) -> Result<()> + Send + Sync;
type GetoptFn = dyn Fn(&Ctl, u32, i32, Option<&mut [u8]>) -> Result<usize> + Send + Sync;
type RcvdFn = dyn Fn(&Ctl, u32, i32) + Send + Sync;
type SetupFn = dyn Fn(&Ctl, &mut u32) -> Result<()> + Send + Sync;

/// The closures of a registration; a missing one leaves the C callback NULL, so the
/// kernel behaves as a Mac does without it (except connect, which the kernel requires:
/// without one every client is accepted).
#[derive(Default)]
pub(super) struct Fns {
    connect: Option<Box<ConnectFn>>,
    disconnect: Option<Box<DisconnectFn>>,
    send: Option<Box<SendFn>>,
    setopt: Option<Box<SetoptFn>>,
    getopt: Option<Box<GetoptFn>>,
    rcvd: Option<Box<RcvdFn>>,
    bind: Option<Box<ConnectFn>>,
    setup: Option<Box<SetupFn>>,
}

/// A control to register ([`super::Kernel::register`]): its name, flags, sizes and
/// callbacks.
pub struct Registration {
    pub(super) name: String,
    pub(super) c: sys::kctl_sim_reg,
    pub(super) callbacks: Fns,
}

impl Registration {
    /// A DGRAM, unprivileged control called `name` with default sizes and no callback.
    pub fn new(name: &str) -> Registration {
        // SAFETY: all-zero is a valid kctl_sim_reg (NULL pointers, None callbacks).
        let c: sys::kctl_sim_reg = unsafe { std::mem::zeroed() };
        Registration { name: name.to_owned(), c, callbacks: Fns::default() }
    }

    fn flag(mut self, bit: u32, yes: bool) -> Registration {
        if yes {
            self.c.flags |= bit;
        } else {
            self.c.flags &= !bit;
        }
        self
    }

    /// Registered as SOCK_STREAM (`CTL_FLAG_REG_SOCK_STREAM`).
    pub fn stream(self, yes: bool) -> Registration {
        self.flag(sys::KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM, yes)
    }

    /// Only root may connect (`CTL_FLAG_PRIVILEGED`).
    pub fn privileged(self, yes: bool) -> Registration {
        self.flag(sys::KCTL_ABI_CTL_FLAG_PRIVILEGED, yes)
    }

    /// Pins the control's id and unit (`CTL_FLAG_REG_ID_UNIT`).
    pub fn id_unit(mut self, id: u32, unit: u32) -> Registration {
        self.c.id = id;
        self.c.unit = unit;
        self.flag(sys::KCTL_ABI_CTL_FLAG_REG_ID_UNIT, true)
    }

    /// The send size (0: 2048).
    pub fn sendsize(mut self, size: u32) -> Registration {
        self.c.sendsize = size;
        self
    }

    /// The receive size (0: 8192).
    pub fn recvsize(mut self, size: u32) -> Registration {
        self.c.recvsize = size;
        self
    }

    /// A client connects on `unit`; an error refuses it.
    pub fn on_connect(mut self, f: impl Fn(&Ctl, u32) -> Result<()> + Send + Sync + 'static)
                      -> Registration {
        self.callbacks.connect = Some(Box::new(f));
        self
    }

    /// The client on `unit` closed (or its connect failed).
    pub fn on_disconnect(mut self, f: impl Fn(&Ctl, u32) + Send + Sync + 'static) -> Registration {
        self.callbacks.disconnect = Some(Box::new(f));
        self
    }

    /// Data from the client on `unit`, as an mbuf chain, with the send's flags.
    pub fn on_send(mut self,
                   f: impl Fn(&Ctl, u32, &Mbuf, i32) -> Result<()> + Send + Sync + 'static)
                   -> Registration {
        self.callbacks.send = Some(Box::new(f));
        self
    }

    /// setsockopt: option number and value (empty for a length of 0).
    pub fn on_setopt(mut self,
                     f: impl Fn(&Ctl, u32, i32, &[u8]) -> Result<()> + Send + Sync + 'static)
                     -> Registration {
        self.callbacks.setopt = Some(Box::new(f));
        self
    }

    /// getsockopt: `Some(buf)` (the client's length, pre-filled with its bytes): write the
    /// answer and return its length; `None` is a size query: return the size.
    pub fn on_getopt(mut self,
                     f: impl Fn(&Ctl, u32, i32, Option<&mut [u8]>) -> Result<usize>
                         + Send + Sync + 'static)
                     -> Registration {
        self.callbacks.getopt = Some(Box::new(f));
        self
    }

    /// The client on `unit` read data (the recv's flags).
    pub fn on_rcvd(mut self, f: impl Fn(&Ctl, u32, i32) + Send + Sync + 'static) -> Registration {
        self.callbacks.rcvd = Some(Box::new(f));
        self
    }

    /// A client binds on `unit`; an error refuses it.
    pub fn on_bind(mut self, f: impl Fn(&Ctl, u32) -> Result<()> + Send + Sync + 'static)
                   -> Registration {
        self.callbacks.bind = Some(Box::new(f));
        self
    }

    /// Chooses the unit instead of the kernel: `unit` holds the one asked for.
    pub fn on_setup(mut self, f: impl Fn(&Ctl, &mut u32) -> Result<()> + Send + Sync + 'static)
                    -> Registration {
        self.callbacks.setup = Some(Box::new(f));
        self
    }
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration").field("name", &self.name).field("flags", &self.c.flags)
            .finish()
    }
}

/// What a registered control's C cookie points at.
pub(super) struct Callbacks {
    fns: Fns,
    panics: Arc<Mutex<Vec<String>>>,
}

impl Callbacks {
    pub(super) fn new(fns: Fns, panics: Arc<Mutex<Vec<String>>>) -> Callbacks {
        Callbacks { fns, panics }
    }

    /// Points reg's cookie at self and sets the C callbacks that have a closure.
    pub(super) fn install(&self, reg: &mut sys::kctl_sim_reg) {
        reg.cookie = self as *const Callbacks as *mut c_void;
        reg.connect = Some(tr_connect);
        let f = &self.fns;
        reg.disconnect = f.disconnect.as_ref().map(|_| tr_disconnect as _);
        reg.send = f.send.as_ref().map(|_| tr_send as _);
        reg.setopt = f.setopt.as_ref().map(|_| tr_setopt as _);
        reg.getopt = f.getopt.as_ref().map(|_| tr_getopt as _);
        reg.rcvd = f.rcvd.as_ref().map(|_| tr_rcvd as _);
        reg.bind = f.bind.as_ref().map(|_| tr_bind as _);
        reg.setup = f.setup.as_ref().map(|_| tr_setup as _);
    }
}

/// Runs a closure of the control `ctl` and turns its outcome into the C return value:
/// 0, -errno, or -EIO for a panic (whose message is kept).
///
/// # Safety
/// `ctl` is a control registered by `Kernel::register` (its cookie is a Callbacks that
/// outlives the call).
unsafe fn run(ctl: *mut sys::kctl_sim_ctl_t, f: impl FnOnce(&Fns, &Ctl) -> Result<()>) -> c_int {
    let cbs = &*(sys::kctl_sim_ctl_cookie(ctl) as *const Callbacks);
    let c = match NonNull::new(ctl) {
        Some(ptr) => Ctl { ptr },
        None => return -errno::EINVAL,
    };
    match catch_unwind(AssertUnwindSafe(|| f(&cbs.fns, &c))) {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => -e.errno(),
        Err(payload) => {
            let msg = payload.downcast_ref::<&str>().map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a callback panicked".to_string());
            lock(&cbs.panics).push(msg);
            -errno::EIO
        }
    }
}

unsafe extern "C" fn tr_connect(ctl: *mut sys::kctl_sim_ctl_t,
                                sac: *const sys::kctl_abi_sockaddr_ctl,
                                _unitinfo: *mut *mut c_void) -> c_int {
    let unit = (*sac).sc_unit;
    run(ctl, |f, c| f.connect.as_ref().map_or(Ok(()), |cb| cb(c, unit)))
}

unsafe extern "C" fn tr_bind(ctl: *mut sys::kctl_sim_ctl_t,
                             sac: *const sys::kctl_abi_sockaddr_ctl,
                             _unitinfo: *mut *mut c_void) -> c_int {
    let unit = (*sac).sc_unit;
    run(ctl, |f, c| f.bind.as_ref().map_or(Ok(()), |cb| cb(c, unit)))
}

unsafe extern "C" fn tr_disconnect(ctl: *mut sys::kctl_sim_ctl_t, unit: u32,
                                   _unitinfo: *mut c_void) -> c_int {
    run(ctl, |f, c| {
        if let Some(cb) = &f.disconnect {
            cb(c, unit);
        }
        Ok(())
    });
    0 // the kernel ignores it
}

unsafe extern "C" fn tr_send(ctl: *mut sys::kctl_sim_ctl_t, unit: u32, _unitinfo: *mut c_void,
                             m: *mut sys::kctl_sim_mbuf_t, flags: c_int) -> c_int {
    let rc = match NonNull::new(m) {
        Some(p) => {
            let mbuf = Mbuf::new(p);
            run(ctl, |f, c| f.send.as_ref().map_or(Ok(()), |cb| cb(c, unit, &mbuf, flags)))
        }
        None => -errno::EINVAL,
    };
    sys::kctl_sim_mbuf_free(m); // the callback owns m, even on error
    rc
}

unsafe extern "C" fn tr_setopt(ctl: *mut sys::kctl_sim_ctl_t, unit: u32, _unitinfo: *mut c_void,
                               opt: c_int, data: *mut c_void, len: usize) -> c_int {
    let value: &[u8] = if data.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(data.cast::<u8>(), len)
    };
    run(ctl, |f, c| f.setopt.as_ref().map_or(Ok(()), |cb| cb(c, unit, opt, value)))
}

unsafe extern "C" fn tr_getopt(ctl: *mut sys::kctl_sim_ctl_t, unit: u32, _unitinfo: *mut c_void,
                               opt: c_int, data: *mut c_void, len: *mut usize) -> c_int {
    if len.is_null() {
        return -errno::EINVAL;
    }
    let buf = if data.is_null() {
        None
    } else {
        Some(std::slice::from_raw_parts_mut(data.cast::<u8>(), *len))
    };
    let mut answer = 0usize;
    let rc = run(ctl, |f, c| {
        answer = f.getopt.as_ref().map_or(Ok(0), |cb| cb(c, unit, opt, buf))?;
        Ok(())
    });
    if rc == 0 {
        *len = answer; // the kernel gives the client at most its own length
    }
    rc
}

unsafe extern "C" fn tr_rcvd(ctl: *mut sys::kctl_sim_ctl_t, unit: u32, _unitinfo: *mut c_void,
                             flags: c_int) {
    run(ctl, |f, c| {
        if let Some(cb) = &f.rcvd {
            cb(c, unit, flags);
        }
        Ok(())
    });
}

unsafe extern "C" fn tr_setup(ctl: *mut sys::kctl_sim_ctl_t, unit: *mut u32,
                              _unitinfo: *mut *mut c_void) -> c_int {
    if unit.is_null() {
        return -errno::EINVAL;
    }
    let mut u = *unit;
    let rc = run(ctl, |f, c| f.setup.as_ref().map_or(Ok(()), |cb| cb(c, &mut u)));
    if rc == 0 {
        *unit = u;
    }
    rc
}
