//! [`Mbuf`]: the packet a send callback gets, as the chain of segments the simulated
//! kernel cut it into (128 bytes each by default, as a Mac under load hands them out).

use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;

use crate::error::{Error, Result};
use crate::sys;

/// A packet (`mbuf_t` chain), borrowed for the duration of a send callback; the binding
/// frees it after the callback returns.
pub struct Mbuf {
    ptr: NonNull<sys::kctl_sim_mbuf_t>,
}

impl Mbuf {
    /// Wraps the chain the simulator handed to a callback.
    pub(super) fn new(ptr: NonNull<sys::kctl_sim_mbuf_t>) -> Mbuf {
        Mbuf { ptr }
    }

    /// The C pointer, for calls through [`crate::sys`] (do not free it).
    pub fn as_ptr(&self) -> *mut sys::kctl_sim_mbuf_t {
        self.ptr.as_ptr()
    }

    /// The whole packet's length.
    pub fn len(&self) -> usize {
        // SAFETY: a live chain.
        unsafe { sys::kctl_sim_mbuf_pkthdr_len(self.as_ptr()) }
    }

    /// Whether the packet is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The segments, in order.
    pub fn segments(&self) -> Segments<'_> {
        Segments { cur: self.as_ptr(), _m: PhantomData }
    }

    /// Copies `out.len()` bytes from offset `off` (`mbuf_copydata`). Errors: `EINVAL`
    /// (the range runs past the end; nothing copied).
    pub fn copy_to(&self, off: usize, out: &mut [u8]) -> Result<()> {
        // SAFETY: a live chain; out writable for its length.
        let rc = unsafe {
            sys::kctl_sim_mbuf_copydata(self.as_ptr(), off, out.len(), out.as_mut_ptr().cast())
        };
        Error::check(rc, "kctl_sim_mbuf_copydata").map(drop)
    }

    /// The packet's bytes, gathered.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.len());
        for seg in self.segments() {
            v.extend_from_slice(seg);
        }
        v
    }
}

impl fmt::Debug for Mbuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mbuf").field("len", &self.len())
            .field("segments", &self.segments().count()).finish()
    }
}

/// The segments of an [`Mbuf`].
#[derive(Debug)]
pub struct Segments<'a> {
    cur: *const sys::kctl_sim_mbuf_t,
    _m: PhantomData<&'a Mbuf>,
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.cur.is_null() {
            return None;
        }
        // SAFETY: a segment of the live chain the Mbuf borrows.
        unsafe {
            let m = self.cur;
            self.cur = sys::kctl_sim_mbuf_next(m);
            let len = sys::kctl_sim_mbuf_len(m);
            let data = sys::kctl_sim_mbuf_data(m).cast::<u8>();
            Some(if len == 0 || data.is_null() { &[] } else { std::slice::from_raw_parts(data, len) })
        }
    }
}
