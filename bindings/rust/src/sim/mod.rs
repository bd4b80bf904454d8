//! The simulated kernel (`kctl_sim.h`): register controls whose callbacks are Rust
//! closures (the "kext side"), then talk to them through [`crate::Control`] exactly as a
//! program would on a Mac. Feature `sim` (on by default; links libkctl-sim).
//!
//! ```
//! use kctl::sim::{EnqueueFlags, Kernel, Registration};
//! # fn main() -> kctl::Result<()> {
//! let k = Kernel::new()?;
//! let _echo = k.register(Registration::new("org.example.echo").on_send(|ctl, unit, m, _| {
//!     ctl.enqueue(unit, &m.to_vec(), EnqueueFlags::EOR)
//! }))?;
//! let c = k.open_options().open("org.example.echo")?;
//! c.send(b"ping")?;
//! let mut buf = [0u8; 16];
//! let n = c.recv(&mut buf)?.len;
//! assert_eq!(&buf[..n], b"ping");
//! # Ok(()) }
//! ```
//!
//! Callbacks run on the thread of the client call that causes them (and so possibly on
//! several threads at once), without the simulator's lock: they may enqueue. A callback
//! fails a call by returning `Err(Error::from_errno(errno::EINVAL))`; a callback that
//! panics never unwinds into C: the call fails with `EIO` and the panic's message is kept
//! ([`Kernel::take_panics`]).
//!
//! Lifetimes: a [`Kernel`] is shared (`Clone`); every Control opened on it, every
//! [`SimControl`] and every loaded kext keeps it alive, and it is freed (its remaining
//! sockets closed, its controls dropped) when the last of them goes.

mod callbacks;
mod mbuf;
mod utun;

use std::any::Any;
use std::ffi::CString;
use std::fmt;
use std::ptr::NonNull;
use std::sync::{Arc, Mutex};

use crate::backend::Backend;
use crate::control::OpenOptions;
use crate::errno;
use crate::error::{Error, Result};
use crate::sys;

pub use self::callbacks::Registration;
pub use self::mbuf::{Mbuf, Segments};
pub use self::utun::UtunIf;

/// The calls whose next invocation [`Kernel::fail_next`] can make fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Call {
    Socket,
    Ioctl,
    Bind,
    Connect,
    Getpeername,
    Send,
    Recv,
    Getsockopt,
    Setsockopt,
    Close,
    Enqueue,
    /// `sysctlbyname` (the registration list that `kctl_list` reads).
    Sysctl,
}

impl Call {
    /// Its `enum kctl_sim_call` value.
    pub fn raw(self) -> sys::kctl_sim_call {
        match self {
            Call::Socket => sys::KCTL_SIM_CALL_SOCKET,
            Call::Ioctl => sys::KCTL_SIM_CALL_IOCTL,
            Call::Bind => sys::KCTL_SIM_CALL_BIND,
            Call::Connect => sys::KCTL_SIM_CALL_CONNECT,
            Call::Getpeername => sys::KCTL_SIM_CALL_GETPEERNAME,
            Call::Send => sys::KCTL_SIM_CALL_SEND,
            Call::Recv => sys::KCTL_SIM_CALL_RECV,
            Call::Getsockopt => sys::KCTL_SIM_CALL_GETSOCKOPT,
            Call::Setsockopt => sys::KCTL_SIM_CALL_SETSOCKOPT,
            Call::Close => sys::KCTL_SIM_CALL_CLOSE,
            Call::Enqueue => sys::KCTL_SIM_CALL_ENQUEUE,
            Call::Sysctl => sys::KCTL_SIM_CALL_SYSCTL,
        }
    }
}

/// Flags of an enqueue (`ctl_enqueuedata`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EnqueueFlags(u32);

impl EnqueueFlags {
    /// No flag: on a STREAM control, bytes that do not end a record.
    pub const NONE: EnqueueFlags = EnqueueFlags(0);
    /// The data ends a record (`CTL_DATA_EOR`).
    pub const EOR: EnqueueFlags = EnqueueFlags(sys::KCTL_ABI_CTL_DATA_EOR);
    /// Do not wake the reader (`CTL_DATA_NOWAKEUP`).
    pub const NOWAKEUP: EnqueueFlags = EnqueueFlags(sys::KCTL_ABI_CTL_DATA_NOWAKEUP);

    /// The raw flags.
    pub const fn bits(self) -> u32 {
        self.0
    }
}

impl std::ops::BitOr for EnqueueFlags {
    type Output = EnqueueFlags;
    fn bitor(self, rhs: EnqueueFlags) -> EnqueueFlags {
        EnqueueFlags(self.0 | rhs.0)
    }
}

/// What a Kernel owns; freed when the last Kernel, Control, SimControl or kext goes.
pub(crate) struct Inner {
    sim: NonNull<sys::kctl_sim_t>,
    /// The registrations' callbacks: the C side holds pointers to them until the sim is
    /// freed, so they live exactly as long; boxed so that their addresses (the C
    /// cookies) stay put when the Vec grows.
    #[allow(clippy::vec_box)]
    regs: Mutex<Vec<Box<callbacks::Callbacks>>>,
    pub(crate) panics: Arc<Mutex<Vec<String>>>,
    /// Kexts still loaded: unloaded before the sim is freed (see kpi).
    #[cfg_attr(not(feature = "kpi"), allow(dead_code))]
    pub(crate) kexts: Mutex<Vec<usize>>,
}

// SAFETY: the simulator is thread-safe (kctl_sim.h: any function from any thread); the
// rest is behind mutexes.
unsafe impl Send for Inner {}
unsafe impl Sync for Inner {}

impl Drop for Inner {
    fn drop(&mut self) {
        if !unload_kexts(self) {
            // A kext refused to stop (clients outside Rust still connected): freeing the
            // sim under it would be a use after free. Leak instead.
            return;
        }
        // SAFETY: last owner; no Control, SimControl or kext refers to the sim any more.
        unsafe { sys::kctl_sim_free(self.sim.as_ptr()) };
    }
}

/// Unloads the kexts still loaded; false if one refused (see kpi).
#[cfg(feature = "kpi")]
fn unload_kexts(inner: &Inner) -> bool {
    crate::kpi::unload_all(inner)
}

#[cfg(not(feature = "kpi"))]
fn unload_kexts(_inner: &Inner) -> bool {
    true
}

/// A simulated kernel (`kctl_sim_t`). Cheap to clone: clones share one kernel.
#[derive(Clone)]
pub struct Kernel {
    inner: Arc<Inner>,
}

impl Kernel {
    /// An empty simulated kernel; its effective uid starts as the process's.
    /// [`Kernel::new_mac`] makes one with Apple's utun control registered.
    pub fn new() -> Result<Kernel> {
        let mut sim = std::ptr::null_mut();
        // SAFETY: valid out-pointer.
        Error::check(unsafe { sys::kctl_sim_new(&mut sim) }, "kctl_sim_new")?;
        Kernel::from_raw(sim, "kctl_sim_new")
    }

    /// The Kernel owning a simulator just made.
    fn from_raw(sim: *mut sys::kctl_sim_t, call: &'static str) -> Result<Kernel> {
        let sim = NonNull::new(sim).ok_or_else(|| Error::from_call(errno::ENOMEM, call))?;
        Ok(Kernel {
            inner: Arc::new(Inner {
                sim,
                regs: Mutex::new(Vec::new()),
                panics: Arc::new(Mutex::new(Vec::new())),
                kexts: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The C pointer, for calls through [`crate::sys`]. Valid as long as this Kernel.
    pub fn as_ptr(&self) -> *mut sys::kctl_sim_t {
        self.inner.sim.as_ptr()
    }

    #[cfg_attr(not(feature = "kpi"), allow(dead_code))]
    pub(crate) fn inner(&self) -> &Arc<Inner> {
        &self.inner
    }

    /// The backend that sends a Control's calls to this kernel (keeps it alive).
    pub fn backend(&self) -> Backend {
        // SAFETY: valid sim; the backend lives as long as the sim, which `keep` holds.
        let ptr = unsafe { sys::kctl_sim_backend(self.as_ptr()) };
        let keep: Arc<dyn Any + Send + Sync> = self.inner.clone();
        Backend::with_owner(ptr, keep, "simulated")
    }

    /// [`OpenOptions`] with this kernel as backend.
    pub fn open_options(&self) -> OpenOptions {
        let mut o = OpenOptions::new();
        o.backend(&self.backend());
        o
    }

    /// Sets the effective uid callers have (0 is root; privileged controls need it).
    pub fn set_euid(&self, euid: u32) {
        // SAFETY: valid sim.
        unsafe { sys::kctl_sim_set_euid(self.as_ptr(), euid) }
    }

    /// Sets the segment size of the mbuf chains handed to send callbacks (default 128).
    /// Errors: `EINVAL` (0 or above 65536).
    pub fn set_mbuf_segment(&self, size: usize) -> Result<()> {
        // SAFETY: valid sim.
        let rc = unsafe { sys::kctl_sim_set_mbuf_segment(self.as_ptr(), size) };
        Error::check(rc, "kctl_sim_set_mbuf_segment").map(drop)
    }

    /// Makes the next `call` fail with errno `err` (sign ignored) before it has any
    /// effect. One-shot. Errors: `EINVAL` (err 0).
    pub fn fail_next(&self, call: Call, err: i32) -> Result<()> {
        let err = err.checked_abs().unwrap_or(0);
        // SAFETY: valid sim.
        let rc = unsafe { sys::kctl_sim_fail_next(self.as_ptr(), call.raw(), -err) };
        Error::check(rc, "kctl_sim_fail_next").map(drop)
    }

    /// How many calls of kind `call` were made (failed ones included).
    pub fn call_count(&self, call: Call) -> u64 {
        // SAFETY: valid sim.
        unsafe { sys::kctl_sim_call_count(self.as_ptr(), call.raw()) }
    }

    /// Registers a control (`ctl_register`). Errors: `EEXIST` (name taken, or the pinned
    /// id and unit), `EINVAL` (bad name).
    pub fn register(&self, reg: Registration) -> Result<SimControl> {
        let name = CString::new(reg.name.as_str())
            .map_err(|_| Error::from_call(errno::EINVAL, "kctl_sim_register"))?;
        let cbs = Box::new(callbacks::Callbacks::new(reg.callbacks, self.inner.panics.clone()));
        let mut c = reg.c;
        let bytes = name.as_bytes_with_nul();
        if bytes.len() > c.name.len() {
            return Err(Error::from_call(errno::EINVAL, "kctl_sim_register"));
        }
        for (dst, &b) in c.name.iter_mut().zip(bytes) {
            *dst = b as std::os::raw::c_char;
        }
        cbs.install(&mut c);
        let mut out = std::ptr::null_mut();
        // SAFETY: valid sim and registration; the cookie (cbs) outlives the sim: it is
        // kept in self.inner.regs, freed only after kctl_sim_free.
        let rc = unsafe { sys::kctl_sim_register(self.as_ptr(), &mut c, &mut out) };
        Error::check(rc, "kctl_sim_register")?;
        let ctl = NonNull::new(out)
            .ok_or_else(|| Error::from_call(errno::EIO, "kctl_sim_register"))?;
        lock(&self.inner.regs).push(cbs);
        Ok(SimControl {
            kernel: self.clone(),
            ctl: Some(Ctl { ptr: ctl }),
            name: reg.name,
            id: c.id,
            sendsize: c.sendsize,
            recvsize: c.recvsize,
        })
    }

    /// The messages of callback panics since the last call (oldest first).
    pub fn take_panics(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.inner.panics))
    }
}

impl fmt::Debug for Kernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kernel").field("sim", &self.inner.sim).finish()
    }
}

pub(crate) use crate::lock;

/// A registered control as its callbacks see it (`kern_ctl_ref`): what a kext calls.
/// Only ever borrowed: from a callback's argument or from a [`SimControl`].
pub struct Ctl {
    ptr: NonNull<sys::kctl_sim_ctl_t>,
}

// SAFETY: every kctl_sim_* call on a control is thread-safe.
unsafe impl Send for Ctl {}
unsafe impl Sync for Ctl {}

impl Ctl {
    /// The C pointer, for calls through [`crate::sys`].
    pub fn as_ptr(&self) -> *mut sys::kctl_sim_ctl_t {
        self.ptr.as_ptr()
    }

    /// The control's id.
    pub fn id(&self) -> u32 {
        // SAFETY: a registered control.
        unsafe { sys::kctl_sim_ctl_id(self.as_ptr()) }
    }

    /// Queues `data` for the client on `unit` (`ctl_enqueuedata`). Errors: `EINVAL` (no
    /// client on that unit), `ENOBUFS` (not enough free space; nothing queued).
    pub fn enqueue(&self, unit: u32, data: &[u8], flags: EnqueueFlags) -> Result<()> {
        // SAFETY: a registered control; data readable for its length.
        let rc = unsafe {
            sys::kctl_sim_enqueue(self.as_ptr(), unit, data.as_ptr().cast(), data.len(),
                                  flags.bits())
        };
        Error::check(rc, "kctl_sim_enqueue").map(drop)
    }

    fn query(&self, unit: u32, call: &'static str,
             f: unsafe extern "C" fn(*mut sys::kctl_sim_ctl_t, u32, *mut usize) -> i32)
             -> Result<usize> {
        let mut v = 0usize;
        // SAFETY: a registered control; out-pointer valid.
        Error::check(unsafe { f(self.as_ptr(), unit, &mut v) }, call)?;
        Ok(v)
    }

    /// Free receive space of the client on `unit` (`ctl_getenqueuespace`).
    pub fn space(&self, unit: u32) -> Result<usize> {
        self.query(unit, "kctl_sim_enqueue_space", sys::kctl_sim_enqueue_space)
    }

    /// Bytes still missing before `unit`'s socket is readable (`ctl_getenqueuereadable`):
    /// 1 when nothing is queued, 0 otherwise; not the bytes queued.
    pub fn readable(&self, unit: u32) -> Result<usize> {
        self.query(unit, "kctl_sim_enqueue_readable", sys::kctl_sim_enqueue_readable)
    }

    /// Records queued on `unit` (`ctl_getenqueuepacketcount`).
    pub fn packets(&self, unit: u32) -> Result<usize> {
        self.query(unit, "kctl_sim_enqueue_packets", sys::kctl_sim_enqueue_packets)
    }
}

impl fmt::Debug for Ctl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctl").field("id", &self.id()).finish()
    }
}

/// A control registered by [`Kernel::register`]: enqueue to its clients from any thread
/// (a timer, say), or deregister it. Dropping it leaves the control registered (until
/// the kernel goes).
pub struct SimControl {
    kernel: Kernel,
    ctl: Option<Ctl>,
    name: String,
    id: u32,
    sendsize: u32,
    recvsize: u32,
}

impl SimControl {
    /// The control, or `EINVAL` once deregistered.
    pub fn ctl(&self) -> Result<&Ctl> {
        self.ctl.as_ref().ok_or_else(|| Error::from_call(errno::EINVAL, "deregistered control"))
    }

    /// The name it was registered under.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its id (the kernel's choice, or the one pinned).
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The send size the kernel settled on (largest DGRAM record a client sends).
    pub fn sendsize(&self) -> u32 {
        self.sendsize
    }

    /// The receive size the kernel settled on (a client's receive buffer).
    pub fn recvsize(&self) -> u32 {
        self.recvsize
    }

    /// The kernel it is registered in.
    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    /// As [`Ctl::enqueue`].
    pub fn enqueue(&self, unit: u32, data: &[u8], flags: EnqueueFlags) -> Result<()> {
        self.ctl()?.enqueue(unit, data, flags)
    }

    /// Deregisters it (`ctl_deregister`). Errors: `EBUSY` (a client is attached; it stays
    /// registered), `EINVAL` (already deregistered).
    pub fn deregister(&mut self) -> Result<()> {
        let ctl = self.ctl()?;
        // SAFETY: a registered control; &mut self: no borrowed Ctl from this SimControl.
        Error::check(unsafe { sys::kctl_sim_deregister(ctl.as_ptr()) }, "kctl_sim_deregister")?;
        self.ctl = None;
        Ok(())
    }
}

impl fmt::Debug for SimControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimControl").field("name", &self.name).field("id", &self.id)
            .field("registered", &self.ctl.is_some()).finish()
    }
}
