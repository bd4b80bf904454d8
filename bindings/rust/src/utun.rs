//! utun, Apple's tunnel interfaces (`com.apple.net.utun_control`): the control every
//! VPN on a Mac opens. Each connected socket is an interface `utunN` (root only), and
//! every packet either way starts with a 4-byte header, the protocol family in network
//! byte order in Darwin's numbering ([`Family::INET`] 2, [`Family::INET6`] 30, whatever
//! the host's `AF_INET6` is). [`Utun`] adds and strips that header with an iovec,
//! never copying the packet (`kctl_utun_*`).
//!
//! ```no_run
//! use kctl::utun::{Family, Utun};
//! # fn main() -> kctl::Result<()> {
//! let tun = Utun::open_any()?;                     // the lowest free utunN
//! println!("{}", tun.ifname()?);                   // "utun3"
//! tun.set_max_pending(64)?;
//! let mut pkt = [0u8; 2048];
//! loop {
//!     let got = tun.read(&mut pkt)?;               // header stripped
//!     tun.write(got.family, &pkt[..got.len])?;     // header added: an echo
//! }
//! # }
//! ```
//!
//! On a Mac this is untested (no Mac is available to this project): the calls are those
//! the tests run against the simulated kernel's utun ([`crate::sim::Kernel::new_mac`]).

use std::fmt;
use std::io::IoSlice;
use std::ops::{Deref, RangeInclusive};
use std::os::raw::c_int;
use std::os::unix::io::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use crate::backend::Backend;
use crate::control::{Control, OpenOptions};
use crate::error::{CallKind, Error, Result};
use crate::sys;

/// A protocol family in Darwin's numbering, as utun's 4-byte header carries it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Family(u32);

impl Family {
    /// IPv4 (Darwin's `AF_INET`, 2).
    pub const INET: Family = Family(sys::KCTL_UTUN_AF_INET);
    /// IPv6 (Darwin's `AF_INET6`, 30; Linux's is 10).
    pub const INET6: Family = Family(sys::KCTL_UTUN_AF_INET6);

    /// The family numbered `raw` in Darwin's numbering (any value: utun carries only
    /// INET and INET6, the others are refused with `EPFNOSUPPORT`).
    pub const fn from_raw(raw: u32) -> Family {
        Family(raw)
    }

    /// Its number in Darwin's numbering.
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// Whether utun carries it (INET or INET6).
    pub const fn is_known(self) -> bool {
        self.0 == sys::KCTL_UTUN_AF_INET || self.0 == sys::KCTL_UTUN_AF_INET6
    }

    /// The family of an IP packet by its version nibble (4 or 6), or `None`.
    pub fn of_packet(pkt: &[u8]) -> Option<Family> {
        match pkt.first().map(|b| b >> 4) {
            Some(4) => Some(Family::INET),
            Some(6) => Some(Family::INET6),
            _ => None,
        }
    }
}

impl fmt::Debug for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Family::INET => f.write_str("INET"),
            Family::INET6 => f.write_str("INET6"),
            Family(n) => write!(f, "Family({})", n),
        }
    }
}

/// What [`Utun::read`] got: the packet's length in the buffer and its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet {
    /// Bytes of the packet written into the buffer (header not included).
    pub len: usize,
    /// The packet's family (INET or INET6).
    pub family: Family,
}

/// How to open a [`Utun`]: `UtunOptions::new().backend(&k.backend()).open(3)`.
#[derive(Debug, Clone, Default)]
pub struct UtunOptions {
    opts: OpenOptions,
}

impl UtunOptions {
    /// The platform's kernel, blocking, connected.
    pub fn new() -> UtunOptions {
        UtunOptions::default()
    }

    /// Where the calls go (a simulated kernel's backend, say).
    pub fn backend(&mut self, backend: &Backend) -> &mut UtunOptions {
        self.opts.backend(backend);
        self
    }

    /// Start with a timeout of 0: calls never wait (`WouldBlock` instead).
    pub fn nonblocking(&mut self, yes: bool) -> &mut UtunOptions {
        self.opts.nonblocking(yes);
        self
    }

    /// Bind without connecting, to set `UTUN_OPT_FLAGS` ([`Utun::set_flags`]) before
    /// [`Utun::connect`]: the only time macOS 11 and later accept it.
    pub fn bind_only(&mut self, yes: bool) -> &mut UtunOptions {
        self.opts.bind_only(yes);
        self
    }

    /// The timeout of every blocking call (see [`Control::set_timeout`]).
    pub fn timeout(&mut self, timeout: Option<Duration>) -> &mut UtunOptions {
        self.opts.timeout(timeout);
        self
    }

    fn finish(&self, rc: c_int, out: *mut sys::kctl_t, call: &'static str) -> Result<Utun> {
        Error::check_kind(rc, call, CallKind::Open)?;
        Ok(Utun { c: self.opts.adopt(out, call)? })
    }

    /// Opens interface `utun{num}` (0..=32767) (`kctl_utun_open`). Errors: `EBUSY` (it
    /// exists), `EPERM` (not root), `ENOENT` (no utun control: a simulated kernel made
    /// without it), `EINVAL` (num above 32767), `EAFNOSUPPORT` (not macOS).
    pub fn open(&self, num: u32) -> Result<Utun> {
        self.open_raw(num)
    }

    /// Opens the lowest free utunN (`kctl_utun_open` with `KCTL_UTUN_ANY`).
    pub fn open_any(&self) -> Result<Utun> {
        self.open_raw(sys::KCTL_UTUN_ANY)
    }

    fn open_raw(&self, num: u32) -> Result<Utun> {
        let mut out = std::ptr::null_mut();
        // SAFETY: valid backend (kept alive by self) and out-pointer.
        let rc = unsafe {
            sys::kctl_utun_open(self.opts.backend_ref().as_ptr(), num, self.opts.flags(),
                                &mut out)
        };
        self.finish(rc, out, "kctl_utun_open")
    }

    /// Opens the first free interface of `range` (`utun{first}..=utun{last}`), trying
    /// each in order and skipping only `EBUSY`, as VPN clients walk unit numbers
    /// (`kctl_utun_open_range`); any other error (`EPERM` above all) ends the walk.
    /// Errors: `EBUSY` (all of them exist), `EINVAL` (an empty range, or above 32767).
    pub fn open_range(&self, range: RangeInclusive<u32>) -> Result<Utun> {
        let mut out = std::ptr::null_mut();
        // SAFETY: valid backend and out-pointer.
        let rc = unsafe {
            sys::kctl_utun_open_range(self.opts.backend_ref().as_ptr(), *range.start(),
                                      *range.end(), self.opts.flags(), &mut out)
        };
        self.finish(rc, out, "kctl_utun_open_range")
    }
}

/// An open utun interface: a [`Control`] (its fd, timeout and options work as on any
/// Control, through `Deref`) whose packets carry utun's header. Closing it (drop)
/// removes the interface.
///
/// With `UTUN_FLAGS_ENABLE_PROC_UUID` the header is 20 bytes: `read`/`write` do not
/// apply, use the Control's `recv`/`send`.
pub struct Utun {
    c: Control,
}

impl Utun {
    /// Opens `utun{num}` on the platform's kernel ([`UtunOptions::open`]).
    pub fn open(num: u32) -> Result<Utun> {
        UtunOptions::new().open(num)
    }

    /// Opens the lowest free utunN on the platform's kernel ([`UtunOptions::open_any`]).
    pub fn open_any() -> Result<Utun> {
        UtunOptions::new().open_any()
    }

    /// The Control underneath.
    pub fn control(&self) -> &Control {
        &self.c
    }

    /// The Control underneath, for the calls that take `&mut` (`set_timeout`).
    pub fn control_mut(&mut self) -> &mut Control {
        &mut self.c
    }

    /// The Control, giving up the utun helpers.
    pub fn into_control(self) -> Control {
        self.c
    }

    /// The interface's name, "utun3" (`kctl_utun_ifname`, `UTUN_OPT_IFNAME`). Errors:
    /// `EINVAL` (not connected yet: a `bind_only` handle), `EBADMSG` (the kernel
    /// answered something other than "utun" and digits).
    pub fn ifname(&self) -> Result<String> {
        let mut buf = [0u8; sys::KCTL_UTUN_IFNAME_MAX];
        // SAFETY: valid handle; buf is writable for its length.
        let rc = unsafe {
            sys::kctl_utun_ifname(self.c.as_ptr(), buf.as_mut_ptr().cast(), buf.len())
        };
        self.c.check(CallKind::Option, rc, "kctl_utun_ifname")?;
        let n = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
    }

    /// Sets how many packets may wait in the socket for this reader
    /// (`UTUN_OPT_MAX_PENDING_PACKETS`, default 1; further ones wait in the interface's
    /// send queue, then are dropped). Errors: `EINVAL` (0).
    pub fn set_max_pending(&self, packets: u32) -> Result<()> {
        // SAFETY: valid handle.
        let rc = unsafe { sys::kctl_utun_set_max_pending(self.c.as_ptr(), packets) };
        self.c.check(CallKind::Option, rc, "kctl_utun_set_max_pending").map(drop)
    }

    /// Sets `UTUN_OPT_FLAGS` (`KCTL_ABI_UTUN_FLAGS_*`): between a `bind_only` open and
    /// [`Utun::connect`] on macOS 11 and later.
    pub fn set_flags(&self, flags: u32) -> Result<()> {
        self.c.set_u32(sys::KCTL_ABI_UTUN_OPT_FLAGS as u32, flags)
    }

    /// Connects a `bind_only` utun: the interface appears.
    pub fn connect(&mut self) -> Result<()> {
        self.c.connect()
    }

    /// Sends one IP packet with its header in front (one gathered send, the packet is
    /// not copied) (`kctl_utun_write`). Errors: `EPFNOSUPPORT` (a family other than
    /// INET or INET6; nothing sent), `EMSGSIZE` (above utun's 512 KiB send size), and
    /// those of [`Control::send`].
    pub fn write(&self, family: Family, pkt: &[u8]) -> Result<()> {
        // SAFETY: valid handle; pkt readable for its length.
        let rc = unsafe {
            sys::kctl_utun_write(self.c.as_ptr(), family.raw(), pkt.as_ptr().cast(), pkt.len())
        };
        self.c.check(CallKind::Send, rc, "kctl_utun_write").map(drop)
    }

    /// Sends one packet given in pieces (1..=63), as one record (`kctl_utun_writev`).
    pub fn write_vectored(&self, family: Family, pieces: &[IoSlice<'_>]) -> Result<()> {
        let n = c_int::try_from(pieces.len()).unwrap_or(c_int::MAX);
        // SAFETY: IoSlice is ABI-compatible with struct iovec on Unix; libkctl only
        // reads the pieces.
        let rc = unsafe {
            sys::kctl_utun_writev(self.c.as_ptr(), family.raw(),
                                  pieces.as_ptr().cast::<sys::iovec>(), n)
        };
        self.c.check(CallKind::Send, rc, "kctl_utun_writev").map(drop)
    }

    /// Receives one packet, its header stripped, into `buf` (`kctl_utun_read`); waits
    /// up to the timeout. Errors: `EMSGSIZE` (longer than `buf`: `buf` holds its start,
    /// the rest is gone), `EPFNOSUPPORT` (a family other than INET or INET6), `EBADMSG`
    /// (a record shorter than the header, dropped), `EPIPE` (the connection is dead),
    /// `WouldBlock`, `ETIMEDOUT`.
    pub fn read(&self, buf: &mut [u8]) -> Result<Packet> {
        let (mut len, mut family) = (0usize, 0u32);
        // SAFETY: valid handle; buf writable for its length; out-pointers valid.
        let rc = unsafe {
            sys::kctl_utun_read(self.c.as_ptr(), buf.as_mut_ptr().cast(), buf.len(), &mut len,
                                &mut family)
        };
        self.c.check(CallKind::Receive, rc, "kctl_utun_read")?;
        Ok(Packet { len: len.min(buf.len()), family: Family(family) })
    }
}

impl Deref for Utun {
    type Target = Control;
    fn deref(&self) -> &Control {
        &self.c
    }
}

impl AsRawFd for Utun {
    fn as_raw_fd(&self) -> RawFd {
        self.c.as_raw_fd()
    }
}

impl AsFd for Utun {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.c.as_fd()
    }
}

impl fmt::Debug for Utun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Utun").field("ifname", &self.ifname().ok()).field("control", &self.c)
            .finish()
    }
}
