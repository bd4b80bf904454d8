//! Reading a frame's attributes (type-length-value, `kctl_frame.h`): iterate them with
//! [`attrs`], look one up with [`find`], read values with the typed getters, which check
//! the length. Writing is [`crate::FrameWriter`]'s `attr_*` methods.

use std::fmt;
use std::os::raw::c_char;

use crate::errno;
use crate::error::{Error, Result};
use crate::sys;

/// One attribute, borrowed from the region it lies in.
#[derive(Clone, Copy)]
pub struct Attr<'a> {
    a: &'a sys::kctl_attr,
    value: &'a [u8],
}

impl<'a> Attr<'a> {
    /// Wraps an attribute the codec handed out from `region` (checked to lie inside it).
    fn from_c(a: *const sys::kctl_attr) -> Attr<'a> {
        // SAFETY: the codec only hands out attributes inside the region it was given,
        // 4-byte aligned, with len >= 4 and the value inside the region too.
        unsafe {
            let a = &*a;
            let p = sys::kctl_attr_payload(a).cast::<u8>();
            let value = std::slice::from_raw_parts(p, sys::kctl_attr_payload_len(a));
            Attr { a, value }
        }
    }

    /// The attribute's type.
    pub fn attr_type(&self) -> u16 {
        // SAFETY: a valid attribute.
        unsafe { sys::kctl_attr_type(self.a) }
    }

    /// The value's bytes (padding not included).
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The value as a u8. Errors: `EBADMSG` (another length).
    pub fn get_u8(&self) -> Result<u8> {
        let mut v = 0;
        // SAFETY: a valid attribute; out-pointer valid.
        Error::check(unsafe { sys::kctl_attr_get_u8(self.a, &mut v) }, "kctl_attr_get_u8")?;
        Ok(v)
    }

    /// The value as a u16 (host byte order). Errors: `EBADMSG`.
    pub fn get_u16(&self) -> Result<u16> {
        let mut v = 0;
        // SAFETY: as get_u8.
        Error::check(unsafe { sys::kctl_attr_get_u16(self.a, &mut v) }, "kctl_attr_get_u16")?;
        Ok(v)
    }

    /// The value as a u32 (host byte order). Errors: `EBADMSG`.
    pub fn get_u32(&self) -> Result<u32> {
        let mut v = 0;
        // SAFETY: as get_u8.
        Error::check(unsafe { sys::kctl_attr_get_u32(self.a, &mut v) }, "kctl_attr_get_u32")?;
        Ok(v)
    }

    /// The value as a u64 (host byte order). Errors: `EBADMSG`.
    pub fn get_u64(&self) -> Result<u64> {
        let mut v = 0;
        // SAFETY: as get_u8.
        Error::check(unsafe { sys::kctl_attr_get_u64(self.a, &mut v) }, "kctl_attr_get_u64")?;
        Ok(v)
    }

    /// The value as a string: NUL-terminated with no other NUL (so nothing is cut short),
    /// and UTF-8. Errors: `EBADMSG`.
    pub fn get_str(&self) -> Result<&'a str> {
        let mut p: *const c_char = std::ptr::null();
        // SAFETY: as get_u8.
        Error::check(unsafe { sys::kctl_attr_get_str(self.a, &mut p) }, "kctl_attr_get_str")?;
        let bytes = &self.value[..self.value.len().saturating_sub(1)]; // the NUL is last
        std::str::from_utf8(bytes).map_err(|_| Error::from_call(errno::EBADMSG, "kctl_attr_get_str"))
    }

    /// The attributes nested in this one's value.
    pub fn nested(&self) -> Attrs<'a> {
        attrs(self.value)
    }
}

impl fmt::Debug for Attr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attr").field("type", &self.attr_type()).field("len", &self.value.len())
            .finish()
    }
}

/// The attributes of a region, in order. Yields `Err` once for a malformed region (then
/// ends): `EBADMSG` (a len below 4), `ENODATA` (the region ends inside an attribute),
/// `EILSEQ` (nonzero padding), `EINVAL` (region not 4-byte aligned).
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    region: &'a [u8],
    off: usize,
    done: bool,
}

/// Iterates the attributes of `region` (a frame's payload, or a nested value).
pub fn attrs(region: &[u8]) -> Attrs<'_> {
    Attrs { region, off: 0, done: false }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>>;

    fn next(&mut self) -> Option<Result<Attr<'a>>> {
        if self.done {
            return None;
        }
        let mut a = std::ptr::null();
        // SAFETY: the region is readable for its length; out-pointers valid.
        let rc = unsafe {
            sys::kctl_attr_next(self.region.as_ptr().cast(), self.region.len(), &mut self.off,
                                &mut a)
        };
        match rc {
            1 => Some(Ok(Attr::from_c(a))),
            0 => {
                self.done = true;
                None
            }
            _ => {
                self.done = true;
                Some(Err(Error::from_call(rc, "kctl_attr_next")))
            }
        }
    }
}

/// The first attribute of type `t` in `region`, after checking the whole region.
/// Errors: `ENOENT` (none), the region errors of [`Attrs`].
pub fn find(region: &[u8], t: u16) -> Result<Attr<'_>> {
    let mut a = std::ptr::null();
    // SAFETY: the region is readable for its length; out-pointer valid.
    let rc = unsafe { sys::kctl_attr_find(region.as_ptr().cast(), region.len(), t, &mut a) };
    Error::check(rc, "kctl_attr_find")?;
    Ok(Attr::from_c(a))
}
