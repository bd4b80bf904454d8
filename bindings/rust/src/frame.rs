//! Framed messages (`kctl_frame.h`): requests, replies, errors and events, on a
//! [`Control`] and as a codec ([`FrameWriter`] to build frames, [`FrameBuf`] to decode
//! them). Every buffer handed to the C codec is 8-byte aligned, as it requires; nothing
//! on the message path allocates except the `_vec` conveniences.

use std::fmt;
use std::ops::BitOr;
use std::os::raw::c_int;

use crate::attr::{self, Attr, Attrs};
use crate::control::Control;
use crate::errno;
use crate::error::{CallKind, Error, Origin, Result};
use crate::sys;

/// The flags byte of a frame header (`KCTL_FRAME_F_*`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FrameFlags(u8);

impl FrameFlags {
    /// No flag.
    pub const NONE: FrameFlags = FrameFlags(0);
    /// A request; the peer answers with REPLY frames of the same seq.
    pub const REQUEST: FrameFlags = FrameFlags(sys::KCTL_FRAME_F_REQUEST);
    /// A reply to the request with the same seq.
    pub const REPLY: FrameFlags = FrameFlags(sys::KCTL_FRAME_F_REPLY);
    /// With REPLY: the request failed; aux is the errno.
    pub const ERROR: FrameFlags = FrameFlags(sys::KCTL_FRAME_F_ERROR);
    /// Unsolicited; aux counts the events dropped before it.
    pub const EVENT: FrameFlags = FrameFlags(sys::KCTL_FRAME_F_EVENT);
    /// With REPLY: more reply frames for this seq follow.
    pub const MORE: FrameFlags = FrameFlags(sys::KCTL_FRAME_F_MORE);

    /// The flags from their byte (any bits; the codec rejects invalid combinations).
    pub const fn from_bits(bits: u8) -> FrameFlags {
        FrameFlags(bits)
    }

    /// The byte.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: FrameFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for FrameFlags {
    type Output = FrameFlags;
    fn bitor(self, rhs: FrameFlags) -> FrameFlags {
        FrameFlags(self.0 | rhs.0)
    }
}

impl fmt::Debug for FrameFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [(Self::REQUEST, "REQUEST"), (Self::REPLY, "REPLY"), (Self::ERROR, "ERROR"),
                     (Self::EVENT, "EVENT"), (Self::MORE, "MORE")];
        let set: Vec<&str> = names.iter().filter(|(b, _)| self.contains(*b)).map(|(_, n)| *n)
            .collect();
        write!(f, "FrameFlags({:#04x}: {})", self.0, set.join("|"))
    }
}

/// What a handle's framed traffic has seen (`struct kctl_msg_stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MsgStats {
    /// Valid frames received.
    pub frames_in: u64,
    /// Frames sent.
    pub frames_out: u64,
    /// Receive syscalls made for framed traffic.
    pub recv_calls: u64,
    /// Events the sender said it dropped (EVENT aux).
    pub kernel_drops: u64,
    /// Frames dropped because the backlog was full.
    pub backlog_drops: u64,
    /// Replies whose seq no waiting request had.
    pub unmatched_replies: u64,
    /// DGRAM records dropped as malformed or truncated.
    pub bad_records: u64,
    /// Replies that came after their request timed out or was cancelled (dropped).
    pub late_replies: u64,
    /// Requests waiting for replies now (blocking and started ones).
    pub in_flight: u64,
}

/// An 8-byte aligned byte buffer for frames: what [`Control::recv_frame`] receives into
/// and what [`FrameBuf::record`] decodes.
#[derive(Clone)]
pub struct FrameBuf {
    words: Vec<u64>,
    len: usize,
}

impl FrameBuf {
    /// A zeroed buffer of at least `cap` bytes (rounded up to 8).
    pub fn new(cap: usize) -> FrameBuf {
        FrameBuf { words: vec![0; (cap + 7) / 8], len: 0 }
    }

    /// A buffer as big as `c`'s largest frame.
    pub fn for_control(c: &Control) -> FrameBuf {
        FrameBuf::new(c.max_frame() as usize)
    }

    /// An aligned copy of `bytes` (a DGRAM record read elsewhere, say).
    pub fn from_bytes(bytes: &[u8]) -> FrameBuf {
        let mut b = FrameBuf::new(bytes.len());
        b.bytes_mut()[..bytes.len()].copy_from_slice(bytes);
        b.len = bytes.len();
        b
    }

    /// Its size in bytes.
    pub fn capacity(&self) -> usize {
        self.words.len() * 8
    }

    /// The bytes filled by the last receive or copy.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes()[..self.len]
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: u64 storage viewed as bytes, same length in bytes.
        unsafe { std::slice::from_raw_parts(self.words.as_ptr().cast(), self.capacity()) }
    }

    /// Marks the first `len` bytes (at most the capacity) as filled.
    pub(crate) fn set_len(&mut self, len: usize) {
        self.len = len.min(self.capacity());
    }

    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as bytes(), uniquely borrowed.
        unsafe { std::slice::from_raw_parts_mut(self.words.as_mut_ptr().cast(), self.capacity()) }
    }

    /// The frames of the DGRAM record held (validated as a whole first:
    /// `kctl_frame_check_record`). `max_frame` 0 accepts up to KCTL_FRAME_MAX.
    /// Errors: `ENODATA` (empty, or ends inside a frame), the codec's malformed classes.
    pub fn record(&self, max_frame: u32) -> Result<Frames<'_>> {
        let b = self.as_bytes();
        let mut count = 0usize;
        // SAFETY: b is aligned (u64 storage) and readable for its length.
        let rc = unsafe {
            sys::kctl_frame_check_record(b.as_ptr().cast(), b.len(), max_frame, &mut count)
        };
        Error::check(rc, "kctl_frame_check_record")?;
        Ok(Frames { rest: b, max_frame, left: count })
    }
}

impl fmt::Debug for FrameBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameBuf").field("capacity", &self.capacity()).field("len", &self.len)
            .finish()
    }
}

/// The frames of a validated record, in order ([`FrameBuf::record`]).
#[derive(Debug, Clone)]
pub struct Frames<'a> {
    rest: &'a [u8],
    max_frame: u32,
    left: usize,
}

impl<'a> Iterator for Frames<'a> {
    type Item = Frame<'a>;

    fn next(&mut self) -> Option<Frame<'a>> {
        if self.left == 0 {
            return None;
        }
        let (frame, size) = next_frame(self.rest, self.max_frame).ok()?;
        self.rest = &self.rest[size..];
        self.left -= 1;
        Some(frame)
    }
}

/// The frame at the start of `bytes` (aligned), validated by `kctl_frame_next`.
pub(crate) fn next_frame(bytes: &[u8], max_frame: u32) -> Result<(Frame<'_>, usize)> {
    let mut hdr = std::ptr::null();
    let mut size = 0usize;
    // SAFETY: bytes is readable for its length; out-pointers valid.
    let rc = unsafe {
        sys::kctl_frame_next(bytes.as_ptr().cast(), bytes.len(), max_frame, &mut hdr, &mut size)
    };
    Error::check(rc, "kctl_frame_next")?;
    if size > bytes.len() {
        return Err(Error::from_call(errno::EPROTO, "kctl_frame_next"));
    }
    Ok((Frame { bytes: &bytes[..size] }, size))
}

/// One validated frame, borrowed from the buffer it lies in (padding included).
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    bytes: &'a [u8],
}

impl<'a> Frame<'a> {
    fn hdr(&self) -> &'a sys::kctl_frame_hdr {
        // SAFETY: a Frame is only made from a header the codec validated, 8-byte aligned
        // and at least 16 bytes long.
        unsafe { &*self.bytes.as_ptr().cast::<sys::kctl_frame_hdr>() }
    }

    /// The flags.
    pub fn flags(&self) -> FrameFlags {
        FrameFlags(self.hdr().flags)
    }

    /// The application message type.
    pub fn msg_type(&self) -> u16 {
        self.hdr().type_
    }

    /// The sequence number (a reply's is its request's).
    pub fn seq(&self) -> u32 {
        self.hdr().seq
    }

    /// The errno (ERROR), the count of events dropped before this one (EVENT), else 0.
    pub fn aux(&self) -> u32 {
        self.hdr().aux
    }

    /// A request.
    pub fn is_request(&self) -> bool {
        self.flags().contains(FrameFlags::REQUEST)
    }

    /// A reply (error replies included).
    pub fn is_reply(&self) -> bool {
        self.flags().contains(FrameFlags::REPLY)
    }

    /// An error reply.
    pub fn is_error(&self) -> bool {
        self.flags().contains(FrameFlags::ERROR)
    }

    /// An event.
    pub fn is_event(&self) -> bool {
        self.flags().contains(FrameFlags::EVENT)
    }

    /// A reply with more reply frames to follow.
    pub fn more(&self) -> bool {
        self.flags().contains(FrameFlags::MORE)
    }

    /// For an error reply, the error it stands for: the peer's errno, origin
    /// [`Origin::Control`] ("the control answered EINVAL to request type 1 (seq 3): an
    /// ERROR reply").
    pub fn error(&self) -> Option<Error> {
        // SAFETY: a validated header.
        let rc = unsafe { sys::kctl_frame_error(self.hdr()) };
        if rc < 0 {
            Some(error_reply(rc, "error reply", self.msg_type(), self.seq()))
        } else {
            None
        }
    }

    /// The payload (padding not included).
    pub fn payload(&self) -> &'a [u8] {
        &self.bytes[sys::KCTL_FRAME_HDR_LEN..self.hdr().len as usize]
    }

    /// The payload's attributes.
    pub fn attrs(&self) -> Attrs<'a> {
        attr::attrs(self.payload())
    }

    /// The first attribute of type `t` (the whole payload is checked first).
    /// Errors: `ENOENT`, the region errors.
    pub fn attr(&self, t: u16) -> Result<Attr<'a>> {
        attr::find(self.payload(), t)
    }

    /// The frame's bytes on the wire (header, payload and padding).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

impl fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame")
            .field("flags", &self.flags())
            .field("type", &self.msg_type())
            .field("seq", &self.seq())
            .field("aux", &self.aux())
            .field("payload_len", &self.payload().len())
            .finish()
    }
}

/// Builds frames in place with libkctl's encoder, back to back in one aligned buffer of
/// fixed capacity (every step that would not fit fails with `EMSGSIZE` and writes
/// nothing):
///
/// ```
/// use kctl::{FrameFlags, FrameWriter};
/// let mut w = FrameWriter::new(256);
/// w.start(FrameFlags::REQUEST, 2, 7, 0)?.attr_u32(1, 5)?;
/// let wire = w.finish()?;
/// assert_eq!(wire.len(), 24);
/// # Ok::<(), kctl::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FrameWriter {
    buf: FrameBuf,
    done: usize,
    open: bool,
}

/// A nested attribute being written ([`FrameWriter::nest_start`]).
#[derive(Debug)]
#[must_use = "close it with nest_end or nest_cancel"]
pub struct Nest(usize);

impl FrameWriter {
    /// A writer with room for `cap` bytes of frames.
    pub fn new(cap: usize) -> FrameWriter {
        FrameWriter { buf: FrameBuf::new(cap), done: 0, open: false }
    }

    /// The frame being built: its start and the room from there.
    fn cur(&mut self) -> Result<(*mut std::os::raw::c_void, usize)> {
        if !self.open {
            return Err(Error::refused(errno::EINVAL, "FrameWriter", CallKind::Unspecified,
                                      "no frame is started (call start first)"));
        }
        let cap = self.buf.capacity() - self.done;
        // SAFETY: done <= capacity, so the pointer stays inside the buffer.
        Ok((unsafe { self.buf.bytes_mut().as_mut_ptr().add(self.done).cast() }, cap))
    }

    fn step(&mut self, call: &'static str,
            f: impl FnOnce(*mut std::os::raw::c_void, usize) -> c_int) -> Result<&mut Self> {
        let (p, cap) = self.cur()?;
        Error::check(f(p, cap), call)?;
        Ok(self)
    }

    /// Starts a frame after the finished ones (finishing the one open, if any): flags,
    /// type, seq and aux must make a valid frame (`EINVAL` otherwise).
    pub fn start(&mut self, flags: FrameFlags, msg_type: u16, seq: u32, aux: u32)
                 -> Result<&mut Self> {
        if self.open {
            self.finish()?;
        }
        let cap = self.buf.capacity() - self.done;
        // SAFETY: done <= capacity; the codec writes at most cap bytes from there.
        let rc = unsafe {
            let p = self.buf.bytes_mut().as_mut_ptr().add(self.done);
            sys::kctl_frame_start(p.cast(), cap, flags.bits(), msg_type, seq, aux)
        };
        Error::check(rc, "kctl_frame_start")?;
        self.open = true;
        Ok(self)
    }

    /// Writes a complete error reply (REPLY|ERROR, aux = `err`, sign ignored).
    pub fn error_reply(&mut self, msg_type: u16, seq: u32, err: i32) -> Result<&mut Self> {
        if self.open {
            self.finish()?;
        }
        let cap = self.buf.capacity() - self.done;
        let mut wire = 0usize;
        // SAFETY: as start().
        let rc = unsafe {
            let p = self.buf.bytes_mut().as_mut_ptr().add(self.done);
            sys::kctl_frame_put_error(p.cast(), cap, msg_type, seq, err, &mut wire)
        };
        Error::check(rc, "kctl_frame_put_error")?;
        self.done += wire;
        Ok(self)
    }

    /// Appends payload bytes.
    pub fn put(&mut self, data: &[u8]) -> Result<&mut Self> {
        // SAFETY (all the appends below): the frame at p was started in this buffer with
        // cap bytes of room; data is readable for its length.
        self.step("kctl_frame_put", |p, cap| unsafe {
            sys::kctl_frame_put(p, cap, data.as_ptr().cast(), data.len())
        })
    }

    /// Appends an attribute with a binary value.
    pub fn attr(&mut self, t: u16, data: &[u8]) -> Result<&mut Self> {
        self.step("kctl_attr_put", |p, cap| unsafe {
            sys::kctl_attr_put(p, cap, t, data.as_ptr().cast(), data.len())
        })
    }

    /// Appends a 1-byte attribute.
    pub fn attr_u8(&mut self, t: u16, v: u8) -> Result<&mut Self> {
        self.step("kctl_attr_put_u8", |p, cap| unsafe { sys::kctl_attr_put_u8(p, cap, t, v) })
    }

    /// Appends a 2-byte attribute (host byte order).
    pub fn attr_u16(&mut self, t: u16, v: u16) -> Result<&mut Self> {
        self.step("kctl_attr_put_u16", |p, cap| unsafe { sys::kctl_attr_put_u16(p, cap, t, v) })
    }

    /// Appends a 4-byte attribute (host byte order).
    pub fn attr_u32(&mut self, t: u16, v: u32) -> Result<&mut Self> {
        self.step("kctl_attr_put_u32", |p, cap| unsafe { sys::kctl_attr_put_u32(p, cap, t, v) })
    }

    /// Appends an 8-byte attribute (host byte order).
    pub fn attr_u64(&mut self, t: u16, v: u64) -> Result<&mut Self> {
        self.step("kctl_attr_put_u64", |p, cap| unsafe { sys::kctl_attr_put_u64(p, cap, t, v) })
    }

    /// Appends a string attribute (its bytes and a NUL). Errors: `EINVAL` (a NUL inside).
    pub fn attr_str(&mut self, t: u16, s: &str) -> Result<&mut Self> {
        let s = std::ffi::CString::new(s)
            .map_err(|_| Error::refused(errno::EINVAL, "kctl_attr_put_str",
                                        CallKind::Unspecified,
                                        "a string attribute with a NUL byte inside"))?;
        self.step("kctl_attr_put_str", |p, cap| unsafe {
            sys::kctl_attr_put_str(p, cap, t, s.as_ptr())
        })
    }

    /// Opens a nested attribute of type `t`: what is put until [`FrameWriter::nest_end`]
    /// becomes its value.
    pub fn nest_start(&mut self, t: u16) -> Result<Nest> {
        let mut off = 0usize;
        self.step("kctl_attr_nest_start", |p, cap| unsafe {
            sys::kctl_attr_nest_start(p, cap, t, &mut off)
        })?;
        Ok(Nest(off))
    }

    /// Closes a nested attribute. Errors: `EMSGSIZE` (it grew beyond 65535 bytes: cancel
    /// it).
    pub fn nest_end(&mut self, nest: Nest) -> Result<&mut Self> {
        self.step("kctl_attr_nest_end", |p, cap| unsafe { sys::kctl_attr_nest_end(p, cap, nest.0) })
    }

    /// Removes a nested attribute and everything put in it.
    pub fn nest_cancel(&mut self, nest: Nest) -> Result<&mut Self> {
        self.step("kctl_attr_nest_cancel", |p, cap| unsafe {
            sys::kctl_attr_nest_cancel(p, cap, nest.0)
        })
    }

    /// Finishes the open frame (padding) and returns every frame written so far, ready
    /// to send (`Control::send_frames`, or a simulated control's enqueue).
    pub fn finish(&mut self) -> Result<&[u8]> {
        if self.open {
            let (p, cap) = self.cur()?;
            let mut wire = 0usize;
            // SAFETY: a started frame with cap bytes of room.
            Error::check(unsafe { sys::kctl_frame_finish(p, cap, &mut wire) }, "kctl_frame_finish")?;
            self.done += wire;
            self.open = false;
        }
        Ok(self.as_bytes())
    }

    /// The finished frames (not the one open).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf.bytes()[..self.done]
    }

    /// Forgets every frame, keeping the buffer.
    pub fn clear(&mut self) {
        self.done = 0;
        self.open = false;
    }
}

/// The error an ERROR reply to request (`msg_type`, `seq`) stands for, worded as
/// libkctl words the record of a blocking request's error reply.
pub(crate) fn error_reply(rc: i32, call: &'static str, msg_type: u16, seq: u32) -> Error {
    let name = crate::error::errno_name(rc).map(str::to_owned)
        .unwrap_or_else(|| format!("errno {}", rc.unsigned_abs()));
    let why = format!("the control answered {} to request type {} (seq {}): an ERROR reply",
                      name, msg_type, seq);
    Error::with_cause(rc, call, CallKind::Request, Origin::Control, &why)
}

/// Reply capacity of [`Control::request_vec`].
pub const REQUEST_VEC_CAP: usize = 65536;

impl Control {
    /// Sends one frame built from its parts, the payload not copied (`kctl_msg_send`).
    /// Errors: `EINVAL` (flags/aux that would not decode), `EMSGSIZE`, kctl_send's.
    pub fn send_frame(&self, flags: FrameFlags, msg_type: u16, seq: u32, aux: u32,
                      payload: &[u8]) -> Result<()> {
        // SAFETY: valid handle; payload readable for its length.
        let rc = unsafe {
            sys::kctl_msg_send(self.as_ptr(), flags.bits(), msg_type, seq, aux,
                               payload.as_ptr().cast(), payload.len())
        };
        self.check(CallKind::Send, rc, "kctl_msg_send").map(drop)
    }

    /// Sends finished frames (each slice one or more whole frames, 8-byte aligned, as a
    /// [`FrameWriter`] gives them) in one syscall (`kctl_msg_sendv`): on DGRAM one
    /// record. Returns the bytes sent (with a zero timeout on a STREAM, maybe fewer: send
    /// the rest with [`Control::send`] before any other frame). Errors: `EINVAL` (1..64
    /// slices, each valid frames).
    pub fn send_frames(&self, frames: &[&[u8]]) -> Result<usize> {
        if frames.is_empty() || frames.len() > 64 {
            return Err(Error::refused(errno::EINVAL, "kctl_msg_sendv", CallKind::Send,
                                      "send_frames takes 1..64 slices"));
        }
        let mut iov = [sys::iovec { iov_base: std::ptr::null_mut(), iov_len: 0 }; 64];
        for (v, f) in iov.iter_mut().zip(frames) {
            *v = sys::iovec { iov_base: f.as_ptr() as *mut _, iov_len: f.len() };
        }
        let mut sent = 0usize;
        // SAFETY: valid handle; iov describes readable slices (libkctl only reads them).
        let rc = unsafe {
            sys::kctl_msg_sendv(self.as_ptr(), iov.as_ptr(), frames.len() as c_int, &mut sent)
        };
        match self.check(CallKind::Send, rc, "kctl_msg_sendv") {
            Ok(_) => Ok(sent),
            Err(e) if sent > 0 && (e.errno() == errno::EAGAIN || e.errno() == errno::ETIMEDOUT) => {
                Ok(sent)
            }
            Err(e) => Err(e),
        }
    }

    /// Receives the next frame into `buf` (`kctl_msg_recv`): one kept from an earlier
    /// request's wait, one already buffered, or what one receive brings; waits up to the
    /// timeout. Errors: `WouldBlock`/`ETIMEDOUT`, `EMSGSIZE` (bigger than `buf`: it stays
    /// queued), `EPIPE` (end of file), the codec's malformed classes.
    pub fn recv_frame<'b>(&self, buf: &'b mut FrameBuf) -> Result<Frame<'b>> {
        let mut wire = 0usize;
        let cap = buf.capacity();
        // SAFETY: valid handle; buf is 8-byte aligned and writable for cap bytes.
        let rc = unsafe {
            sys::kctl_msg_recv(self.as_ptr(), buf.bytes_mut().as_mut_ptr().cast(), cap, &mut wire)
        };
        self.check(CallKind::Receive, rc, "kctl_msg_recv")?;
        buf.len = wire.min(cap);
        let (frame, _) = next_frame(buf.as_bytes(), 0)?;
        Ok(frame)
    }

    /// Whether a frame can be received now without waiting (`kctl_msg_ready`): for event
    /// loops, after the fd polls readable, receive while this is true.
    pub fn frame_ready(&self) -> Result<bool> {
        // SAFETY: valid handle.
        let rc = unsafe { sys::kctl_msg_ready(self.as_ptr()) };
        Ok(self.check(CallKind::Receive, rc, "kctl_msg_ready")? == 1)
    }

    /// Sends a request and waits (the timeout) for its reply, whose payloads are copied
    /// into `reply` (`kctl_request`); returns their length. Errors: the peer's errno for
    /// an error reply, `EMSGSIZE` (it does not fit; consumed), `ETIMEDOUT`, `EBUSY` (16
    /// requests in flight).
    pub fn request(&self, msg_type: u16, payload: &[u8], reply: &mut [u8]) -> Result<usize> {
        let mut len = 0usize;
        // SAFETY: valid handle; payload readable, reply writable, for their lengths.
        let rc = unsafe {
            sys::kctl_request(self.as_ptr(), msg_type, payload.as_ptr().cast(), payload.len(),
                              reply.as_mut_ptr().cast(), reply.len(), &mut len)
        };
        self.check(CallKind::Request, rc, "kctl_request")?;
        Ok(len.min(reply.len()))
    }

    /// As [`Control::request`], into a new Vec of at most [`REQUEST_VEC_CAP`] bytes.
    pub fn request_vec(&self, msg_type: u16, payload: &[u8]) -> Result<Vec<u8>> {
        let mut v = vec![0u8; REQUEST_VEC_CAP];
        let n = self.request(msg_type, payload, &mut v)?;
        v.truncate(n);
        Ok(v)
    }

    /// The handle's framing counters (`kctl_msg_stats`, and `kctl_msg_counter` for
    /// those the C struct does not hold).
    pub fn stats(&self) -> MsgStats {
        // SAFETY: all-zero is a valid kctl_msg_stats; valid handle and out-pointer.
        let mut st: sys::kctl_msg_stats = unsafe { std::mem::zeroed() };
        unsafe { sys::kctl_msg_stats(self.as_ptr(), &mut st) };
        MsgStats {
            frames_in: st.frames_in,
            frames_out: st.frames_out,
            recv_calls: st.recv_calls,
            kernel_drops: st.kernel_drops,
            backlog_drops: st.backlog_drops,
            unmatched_replies: st.unmatched_replies,
            bad_records: st.bad_records,
            late_replies: self.counter(crate::MsgCounter::LateReplies),
            in_flight: self.counter(crate::MsgCounter::InFlight),
        }
    }

    /// The largest frame (wire size) this handle accepts.
    pub fn max_frame(&self) -> u32 {
        // SAFETY: valid handle.
        unsafe { sys::kctl_msg_max_frame(self.as_ptr()) }
    }

    /// Sets the largest frame (16..KCTL_FRAME_MAX) and allocates the framing buffers.
    /// Errors: `EINVAL`, `EBUSY` (frames are buffered), `ENOMEM`.
    pub fn set_max_frame(&mut self, max_frame: u32) -> Result<()> {
        // SAFETY: valid handle, exclusive access.
        let rc = unsafe { sys::kctl_msg_set_max_frame(self.as_ptr(), max_frame) };
        Error::check(rc, "kctl_msg_set_max_frame").map(drop)
    }

    /// libkctl's sentence about the last framing error (sizes included), or "".
    pub fn last_detail(&mut self) -> String {
        // SAFETY: valid handle; the string is valid until the next framed call, which
        // &mut self excludes while it is copied.
        unsafe {
            let p = sys::kctl_msg_detail(self.as_ptr());
            if p.is_null() {
                return String::new();
            }
            std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
        }
    }
}
