//! Socket options at level SYSPROTO_CONTROL: raw bytes, integers and strings, and typed
//! option descriptors ([`Opt`]) so a control's options are declared once with their type:
//!
//! ```no_run
//! use kctl::{Control, Opt};
//! const COUNTER: Opt<u64> = Opt::new(1);
//! const LABEL: Opt<String> = Opt::new(3);
//! # fn main() -> kctl::Result<()> {
//! let c = Control::open("org.libkctl.sample")?;
//! c.set(COUNTER, &7)?;
//! let label: String = c.get(LABEL)?;
//! # Ok(()) }
//! ```

use std::ffi::CString;
use std::marker::PhantomData;
use std::os::raw::c_char;

use crate::control::Control;
use crate::errno;
use crate::error::{CallKind, Error, Origin, Result};
use crate::sys;

/// An option number of a control together with the type of its value.
#[derive(Debug)]
pub struct Opt<T: OptionValue + ?Sized> {
    num: u32,
    _type: PhantomData<fn() -> T>,
}

impl<T: OptionValue + ?Sized> Opt<T> {
    /// The option numbered `num`, whose value is a `T`.
    pub const fn new(num: u32) -> Opt<T> {
        Opt { num, _type: PhantomData }
    }

    /// The option number.
    pub const fn num(&self) -> u32 {
        self.num
    }
}

impl<T: OptionValue + ?Sized> Clone for Opt<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: OptionValue + ?Sized> Copy for Opt<T> {}

/// A type an option's value can have: `u32`, `u64` (host byte order, exact length),
/// `String` (set with its NUL; get accepts a NUL counted or not) and `Vec<u8>` (raw).
pub trait OptionValue {
    /// What `set` takes (`str` for `String`, `[u8]` for `Vec<u8>`).
    type Arg: ?Sized;
    /// Reads the option.
    fn get(c: &Control, opt: u32) -> Result<Self>
    where
        Self: Sized;
    /// Writes the option.
    fn set(c: &Control, opt: u32, value: &Self::Arg) -> Result<()>;
}

impl OptionValue for u32 {
    type Arg = u32;
    fn get(c: &Control, opt: u32) -> Result<u32> {
        c.get_u32(opt)
    }
    fn set(c: &Control, opt: u32, value: &u32) -> Result<()> {
        c.set_u32(opt, *value)
    }
}

impl OptionValue for u64 {
    type Arg = u64;
    fn get(c: &Control, opt: u32) -> Result<u64> {
        c.get_u64(opt)
    }
    fn set(c: &Control, opt: u32, value: &u64) -> Result<()> {
        c.set_u64(opt, *value)
    }
}

impl OptionValue for String {
    type Arg = str;
    fn get(c: &Control, opt: u32) -> Result<String> {
        c.get_str(opt)
    }
    fn set(c: &Control, opt: u32, value: &str) -> Result<()> {
        c.set_str(opt, value)
    }
}

impl OptionValue for Vec<u8> {
    type Arg = [u8];
    fn get(c: &Control, opt: u32) -> Result<Vec<u8>> {
        c.get_vec(opt)
    }
    fn set(c: &Control, opt: u32, value: &[u8]) -> Result<()> {
        c.set_bytes(opt, value)
    }
}

/// First buffer `get_str` offers; it grows on EMSGSIZE up to KCTL_OPT_MAX.
const STR_FIRST_CAP: usize = 256;

impl Control {
    /// Reads a typed option.
    pub fn get<T: OptionValue>(&self, opt: Opt<T>) -> Result<T> {
        T::get(self, opt.num)
    }

    /// Writes a typed option.
    pub fn set<T: OptionValue + ?Sized>(&self, opt: Opt<T>, value: &T::Arg) -> Result<()> {
        T::set(self, opt.num, value)
    }

    /// Sets option `opt` to the bytes `value` (empty: the control gets NULL, length 0).
    /// Errors: `EMSGSIZE` (above KCTL_OPT_MAX), the control's errno (`ENOPROTOOPT`...).
    pub fn set_bytes(&self, opt: u32, value: &[u8]) -> Result<()> {
        let p = if value.is_empty() { std::ptr::null() } else { value.as_ptr().cast() };
        // SAFETY: valid handle; p is NULL (len 0) or readable for len bytes.
        let rc = unsafe { sys::kctl_setopt(self.as_ptr(), opt, p, value.len()) };
        self.check(CallKind::Option, rc, "kctl_setopt").map(drop)
    }

    /// Gets option `opt` into `buf`, which is offered pre-filled (for controls that read
    /// input from it); returns the length the control answered.
    pub fn get_bytes(&self, opt: u32, buf: &mut [u8]) -> Result<usize> {
        let mut len = 0usize;
        let p = if buf.is_empty() { std::ptr::null_mut() } else { buf.as_mut_ptr().cast() };
        // SAFETY: valid handle; p is NULL (cap 0) or writable for cap bytes.
        let rc = unsafe { sys::kctl_getopt(self.as_ptr(), opt, p, buf.len(), &mut len) };
        self.check(CallKind::Option, rc, "kctl_getopt")?;
        Ok(len.min(buf.len()))
    }

    /// Gets option `opt` whole: asks its size first ([`Control::opt_size`]).
    pub fn get_vec(&self, opt: u32) -> Result<Vec<u8>> {
        let size = self.opt_size(opt)?;
        let mut v = vec![0u8; size.min(sys::KCTL_OPT_MAX)];
        let n = self.get_bytes(opt, &mut v)?;
        v.truncate(n);
        Ok(v)
    }

    /// How big option `opt` is, as the control answers a size query.
    pub fn opt_size(&self, opt: u32) -> Result<usize> {
        let mut size = 0usize;
        // SAFETY: valid handle and out-pointer.
        let rc = unsafe { sys::kctl_getopt_size(self.as_ptr(), opt, &mut size) };
        self.check(CallKind::Option, rc, "kctl_getopt_size")?;
        Ok(size)
    }

    /// Sets a 32-bit option (host byte order).
    pub fn set_u32(&self, opt: u32, value: u32) -> Result<()> {
        // SAFETY: valid handle.
        let rc = unsafe { sys::kctl_set_u32(self.as_ptr(), opt, value) };
        self.check(CallKind::Option, rc, "kctl_set_u32").map(drop)
    }

    /// Gets a 32-bit option. Errors: `EBADMSG` (the control answered another length).
    pub fn get_u32(&self, opt: u32) -> Result<u32> {
        let mut v = 0u32;
        // SAFETY: valid handle and out-pointer.
        let rc = unsafe { sys::kctl_get_u32(self.as_ptr(), opt, &mut v) };
        self.check(CallKind::Option, rc, "kctl_get_u32")?;
        Ok(v)
    }

    /// Sets a 64-bit option (host byte order).
    pub fn set_u64(&self, opt: u32, value: u64) -> Result<()> {
        // SAFETY: valid handle.
        let rc = unsafe { sys::kctl_set_u64(self.as_ptr(), opt, value) };
        self.check(CallKind::Option, rc, "kctl_set_u64").map(drop)
    }

    /// Gets a 64-bit option. Errors: `EBADMSG` (the control answered another length).
    pub fn get_u64(&self, opt: u32) -> Result<u64> {
        let mut v = 0u64;
        // SAFETY: valid handle and out-pointer.
        let rc = unsafe { sys::kctl_get_u64(self.as_ptr(), opt, &mut v) };
        self.check(CallKind::Option, rc, "kctl_get_u64")?;
        Ok(v)
    }

    /// Sets a string option: its bytes and a NUL. Errors: `EINVAL` (a NUL inside).
    pub fn set_str(&self, opt: u32, value: &str) -> Result<()> {
        let s = CString::new(value).map_err(|_| {
            Error::refused(errno::EINVAL, "kctl_set_str", CallKind::Option,
                           "a string option with a NUL byte inside")
        })?;
        // SAFETY: valid handle, NUL-terminated string.
        let rc = unsafe { sys::kctl_set_str(self.as_ptr(), opt, s.as_ptr()) };
        self.check(CallKind::Option, rc, "kctl_set_str").map(drop)
    }

    /// Gets a string option (UTF-8). The buffer starts at 256 bytes and grows while the
    /// control answers that it does not fit. Errors: `EBADMSG` (a NUL inside, or not
    /// UTF-8), the control's errno.
    pub fn get_str(&self, opt: u32) -> Result<String> {
        let mut cap = STR_FIRST_CAP;
        loop {
            let mut buf = vec![0u8; cap];
            // SAFETY: valid handle; buf is writable for cap bytes.
            let rc = unsafe {
                sys::kctl_get_str(self.as_ptr(), opt, buf.as_mut_ptr().cast::<c_char>(), cap)
            };
            if rc == -errno::EMSGSIZE && cap < sys::KCTL_OPT_MAX {
                cap = (cap * 4).min(sys::KCTL_OPT_MAX);
                continue;
            }
            self.check(CallKind::Option, rc, "kctl_get_str")?;
            // kctl_get_str always NUL-terminates within cap
            let n = buf.iter().position(|&b| b == 0).unwrap_or(cap);
            buf.truncate(n);
            return String::from_utf8(buf).map_err(|_| {
                Error::with_cause(errno::EBADMSG, "kctl_get_str", CallKind::Option,
                                  Origin::Library,
                                  "the control's string is not UTF-8 (read it with get_vec)")
            });
        }
    }
}
