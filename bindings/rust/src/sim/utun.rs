//! The simulated kernel "like a Mac": Apple's utun control (as xnu-11417's
//! `if_utun.c`), its network side for tests (inject a packet from the network, take
//! what the client wrote, the interfaces and their counters), and the registration
//! list a Mac's `netstat` reads (`kctl_sim_new_mac`, `kctl_sim_utun_*`,
//! `kctl_sim_sysctl`).
//!
//! ```
//! use std::time::Duration;
//! use kctl::sim::Kernel;
//! use kctl::utun::{Family, UtunOptions};
//! # fn main() -> kctl::Result<()> {
//! let k = Kernel::new_mac()?;
//! k.set_euid(0);                                           // utun is privileged
//! let tun = UtunOptions::new().backend(&k.backend()).open_any()?;
//! let ifname = tun.ifname()?;                              // "utun0"
//! k.utun_inject(&ifname, Family::INET, &[0x45, 0, 0, 20])?; // from the network...
//! let mut buf = [0u8; 64];
//! let got = tun.read(&mut buf)?;                           // ...read by the client
//! tun.write(got.family, &buf[..got.len])?;                 // written back...
//! let (family, pkt) = k.utun_take_vec(&ifname, Some(Duration::from_secs(1)))?;
//! assert_eq!((family, &pkt[..]), (Family::INET, &[0x45, 0, 0, 20][..])); // ...taken
//! # Ok(()) }
//! ```

use std::ffi::CString;
use std::time::Duration;

use super::Kernel;
use crate::control::duration_to_ms;
use crate::errno;
use crate::error::{CallKind, Error, Result};
use crate::sys;
use crate::utun::{Family, Packet};

/// A utun interface as the simulated network sees it (`struct kctl_sim_utun_if`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UtunIf {
    /// "utunN".
    pub name: String,
    /// The client's control unit: N + 1.
    pub unit: u32,
    /// `UTUN_OPT_FLAGS` (`KCTL_ABI_UTUN_FLAGS_*`).
    pub flags: u32,
    /// `UTUN_OPT_MAX_PENDING_PACKETS`.
    pub max_pending: u32,
    /// Packets waiting in the send queue (the client is behind).
    pub queued: u32,
    /// Packets the client wrote that no test has taken yet.
    pub untaken: u32,
    /// From the client (the interface's input), header included.
    pub ipackets: u64,
    /// Bytes from the client.
    pub ibytes: u64,
    /// Input errors (only through `UTUN_OPT_INC_IFDATA_STATS_IN`).
    pub ierrors: u64,
    /// To the client (the interface's output), header included.
    pub opackets: u64,
    /// Bytes to the client.
    pub obytes: u64,
    /// To the client, dropped: send queue or receive buffer full.
    pub oerrors: u64,
    /// From the client, dropped: short, or an unknown family.
    pub in_dropped: u64,
}

impl UtunIf {
    fn from_c(i: &sys::kctl_sim_utun_if) -> UtunIf {
        UtunIf {
            name: crate::c_chars(&i.name),
            unit: i.unit,
            flags: i.flags,
            max_pending: i.max_pending,
            queued: i.queued,
            untaken: i.untaken,
            ipackets: i.ipackets,
            ibytes: i.ibytes,
            ierrors: i.ierrors,
            opackets: i.opackets,
            obytes: i.obytes,
            oerrors: i.oerrors,
            in_dropped: i.in_dropped,
        }
    }
}

fn empty_if() -> sys::kctl_sim_utun_if {
    sys::kctl_sim_utun_if {
        name: [0; sys::KCTL_SIM_IFNAMSIZ],
        unit: 0,
        flags: 0,
        max_pending: 0,
        queued: 0,
        untaken: 0,
        reserved: 0,
        ipackets: 0,
        ibytes: 0,
        ierrors: 0,
        opackets: 0,
        obytes: 0,
        oerrors: 0,
        in_dropped: 0,
    }
}

fn c_ifname(ifname: &str, call: &'static str) -> Result<CString> {
    CString::new(ifname).map_err(|_| {
        Error::refused(errno::EINVAL, call, CallKind::Unspecified,
                       "an interface name with a NUL byte inside")
    })
}

/// A wait of the network side: `None` forever, else milliseconds rounded up.
fn wait_ms(timeout: Option<Duration>) -> Result<i32> {
    match timeout {
        None => Ok(-1),
        Some(d) => duration_to_ms(d),
    }
}

/// Largest packet [`Kernel::utun_take_vec`] takes: utun's 512 KiB send size.
const UTUN_PACKET_MAX: usize = 512 * 1024;

impl Kernel {
    /// A kernel "like a Mac" (`kctl_sim_new_mac`): as [`Kernel::new`], with Apple's utun
    /// control registered (the only Apple control simulated). utun is privileged: a
    /// test opens it with [`Kernel::set_euid`] 0.
    pub fn new_mac() -> Result<Kernel> {
        let mut sim = std::ptr::null_mut();
        // SAFETY: valid out-pointer.
        let rc = unsafe { sys::kctl_sim_new_mac(&mut sim) };
        Error::check(rc, "kctl_sim_new_mac")?;
        Kernel::from_raw(sim, "kctl_sim_new_mac")
    }

    /// Registers Apple's utun control in this kernel (`kctl_sim_utun_register`), and
    /// returns its id. Errors: `EEXIST` (registered already, or its name is taken).
    pub fn register_utun(&self) -> Result<u32> {
        let mut ctl = std::ptr::null_mut();
        // SAFETY: valid sim and out-pointer.
        let rc = unsafe { sys::kctl_sim_utun_register(self.as_ptr(), &mut ctl) };
        Error::check(rc, "kctl_sim_utun_register")?;
        // SAFETY: a registered control (the kernel keeps it until it is freed).
        Ok(unsafe { sys::kctl_sim_ctl_id(ctl) })
    }

    /// A packet "from the network" for the client of interface `ifname` ("utun0")
    /// (`kctl_sim_utun_inject`): utun puts the header in front and queues it for the
    /// client (or keeps it in the send queue while the pending limit is reached).
    /// Errors: `ENXIO` (no such interface), `EAFNOSUPPORT` (a family other than INET or
    /// INET6), `EMSGSIZE`, `ENOBUFS` (dropped and counted: the queue is full).
    pub fn utun_inject(&self, ifname: &str, family: Family, pkt: &[u8]) -> Result<()> {
        let name = c_ifname(ifname, "kctl_sim_utun_inject")?;
        // SAFETY: valid sim, C string, pkt readable for its length.
        let rc = unsafe {
            sys::kctl_sim_utun_inject(self.as_ptr(), name.as_ptr(), family.raw(),
                                      pkt.as_ptr().cast(), pkt.len())
        };
        Error::check(rc, "kctl_sim_utun_inject").map(drop)
    }

    /// Takes the oldest packet the client of `ifname` wrote (header stripped) into
    /// `buf`, waiting up to `timeout` (`None`: forever) (`kctl_sim_utun_take`).
    /// Errors: `WouldBlock` (timeout zero, none), `ETIMEDOUT`, `EMSGSIZE` (`buf` too
    /// small: the packet stays), `ENXIO` (no such interface, or it went away).
    pub fn utun_take(&self, ifname: &str, buf: &mut [u8], timeout: Option<Duration>)
                     -> Result<Packet> {
        let name = c_ifname(ifname, "kctl_sim_utun_take")?;
        let ms = wait_ms(timeout)?;
        let (mut len, mut family) = (0usize, 0u32);
        // SAFETY: valid sim, C string; buf writable for its length; out-pointers valid.
        let rc = unsafe {
            sys::kctl_sim_utun_take(self.as_ptr(), name.as_ptr(), buf.as_mut_ptr().cast(),
                                    buf.len(), &mut len, &mut family, ms)
        };
        Error::check(rc, "kctl_sim_utun_take")?;
        Ok(Packet { len: len.min(buf.len()), family: Family::from_raw(family) })
    }

    /// As [`Kernel::utun_take`], into a new Vec (up to utun's 512 KiB).
    pub fn utun_take_vec(&self, ifname: &str, timeout: Option<Duration>)
                         -> Result<(Family, Vec<u8>)> {
        let mut v = vec![0u8; UTUN_PACKET_MAX];
        let got = self.utun_take(ifname, &mut v, timeout)?;
        v.truncate(got.len);
        Ok((got.family, v))
    }

    /// The utun interfaces (sockets connected to utun), by unit (`kctl_sim_utun_list`).
    pub fn utun_interfaces(&self) -> Result<Vec<UtunIf>> {
        for _ in 0..8 {
            let mut n = 0u32;
            // SAFETY: valid sim; NULL with cap 0 only counts.
            let rc = unsafe {
                sys::kctl_sim_utun_list(self.as_ptr(), std::ptr::null_mut(), 0, &mut n)
            };
            Error::check(rc, "kctl_sim_utun_list")?;
            let cap = n.saturating_add(4);
            let mut v = vec![empty_if(); cap as usize];
            // SAFETY: v has cap entries.
            let rc = unsafe {
                sys::kctl_sim_utun_list(self.as_ptr(), v.as_mut_ptr(), cap, &mut n)
            };
            if rc == -errno::ENOSPC {
                continue; // interfaces appeared meanwhile
            }
            Error::check(rc, "kctl_sim_utun_list")?;
            v.truncate(n as usize);
            return Ok(v.iter().map(UtunIf::from_c).collect());
        }
        Err(Error::from_call(errno::EAGAIN, "kctl_sim_utun_list"))
    }

    /// One interface by name (`kctl_sim_utun_info`). Errors: `ENXIO` (no such one).
    pub fn utun_info(&self, ifname: &str) -> Result<UtunIf> {
        let name = c_ifname(ifname, "kctl_sim_utun_info")?;
        let mut i = empty_if();
        // SAFETY: valid sim, C string, out-pointer.
        let rc = unsafe { sys::kctl_sim_utun_info(self.as_ptr(), name.as_ptr(), &mut i) };
        Error::check(rc, "kctl_sim_utun_info")?;
        Ok(UtunIf::from_c(&i))
    }

    /// `sysctlbyname(name)` as this kernel answers it (`kctl_sim_sysctl`): only
    /// `net.systm.kctl.reg_list`, the registration list's bytes as xnu's handler
    /// produces them (`KCTL_ABI_XSYSTMGEN_LEN` header, one `KCTL_ABI_XKCTL_REG_LEN`
    /// record per control, a second header). Errors: `ENOENT` (any other name).
    pub fn sysctl(&self, name: &str) -> Result<Vec<u8>> {
        let cname = CString::new(name).map_err(|_| {
            Error::refused(errno::EINVAL, "kctl_sim_sysctl", CallKind::Unspecified,
                           "a sysctl name with a NUL byte inside")
        })?;
        let mut cap = 0usize;
        for _ in 0..8 {
            let mut len = 0usize;
            // SAFETY: valid sim and C string; a NULL old is the size query.
            let rc = unsafe {
                sys::kctl_sim_sysctl(self.as_ptr(), cname.as_ptr(), std::ptr::null_mut(),
                                     &mut len, std::ptr::null(), 0)
            };
            Error::check(rc, "kctl_sim_sysctl")?;
            // the size query may answer less than the list needs (as on a Mac, n < 8)
            cap = cap.max(len).max(1024) * 2;
            let mut v = vec![0u8; cap];
            let mut got = cap;
            // SAFETY: v is writable for `got` bytes.
            let rc = unsafe {
                sys::kctl_sim_sysctl(self.as_ptr(), cname.as_ptr(), v.as_mut_ptr().cast(),
                                     &mut got, std::ptr::null(), 0)
            };
            if rc == -errno::ENOMEM {
                continue; // it grew between the two calls
            }
            Error::check(rc, "kctl_sim_sysctl")?;
            v.truncate(got);
            return Ok(v);
        }
        Err(Error::from_call(errno::ENOMEM, "kctl_sim_sysctl"))
    }
}
