//! Requests that do not block, for event loops (poll, kqueue, mio alike): start a
//! request, go on, and read its reply through the receive path in order with events
//! (`kctl_request_start`, `kctl_msg_recv_info`). libkctl matches the replies, ends each
//! started request with exactly one last frame (its reply, the control's error reply,
//! or a timeout frame libkctl makes when the request's own timeout runs out) and says
//! how long the loop may sleep.
//!
//! Frames libkctl has already read do not make the fd readable, so a loop asks
//! [`Control::wait_ms`] (or [`Control::wait_timeout`]) for its poll timeout every turn,
//! and receives until `WouldBlock`; after that the fd is the truth again:
//!
//! ```no_run
//! use std::time::Duration;
//! use kctl::{Control, FrameBuf, RequestSet};
//! # fn poll_readable(_fd: std::os::unix::io::RawFd, _timeout_ms: i32) {}
//! # fn main() -> kctl::Result<()> {
//! use std::os::unix::io::AsRawFd;
//! let mut c = Control::open("org.libkctl.sample")?;
//! c.set_timeout(Some(Duration::ZERO))?;              // receives never wait: the loop does
//! let mut requests = RequestSet::new();
//! let seq = requests.start(&c, 1, b"hello", Some(Duration::from_secs(1)))?;
//! let mut buf = FrameBuf::for_control(&c);
//! while !requests.is_empty() {
//!     poll_readable(c.as_raw_fd(), c.wait_ms());     // poll(2), mio, kqueue, ...
//!     loop {
//!         let (frame, info) = match c.recv_frame_info(&mut buf) {
//!             Ok(got) => got,
//!             Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
//!             Err(e) => return Err(e),
//!         };
//!         match requests.feed(&frame, &info) {
//!             Some(done) => println!("request {}: {:?}", done.seq, done.result),
//!             None => println!("event or other frame: {:?}", frame),
//!         }
//!     }
//! }
//! # let _ = seq; Ok(()) }
//! ```

use std::collections::HashMap;
use std::time::Duration;

use crate::control::{duration_to_ms, Control};
use crate::error::{CallKind, Error, Origin, Result};
use crate::frame::{error_reply, next_frame, Frame, FrameBuf};
use crate::sys;

/// What a frame from [`Control::recv_frame_info`] is (`KCTL_MSG_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MsgKind {
    /// An EVENT frame.
    Event,
    /// A reply to a request of [`Control::request_start`] (its `seq`), or the timeout
    /// frame libkctl made for it.
    Reply,
    /// A REPLY that no request of this handle waits for.
    Stray,
    /// A REQUEST frame sent by the control.
    Request,
    /// A kind this binding does not know yet (its `KCTL_MSG_*` value).
    Other(u32),
}

impl MsgKind {
    fn from_raw(raw: u32) -> MsgKind {
        match raw {
            sys::KCTL_MSG_EVENT => MsgKind::Event,
            sys::KCTL_MSG_REPLY => MsgKind::Reply,
            sys::KCTL_MSG_STRAY => MsgKind::Stray,
            sys::KCTL_MSG_REQUEST => MsgKind::Request,
            other => MsgKind::Other(other),
        }
    }
}

/// What libkctl says about a received frame (`struct kctl_msg_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgInfo {
    /// What the frame is.
    pub kind: MsgKind,
    /// The frame's seq (a reply's is its request's).
    pub seq: u32,
    /// The last frame of its request: no more will come for `seq`.
    pub last: bool,
    /// On the last frame of a failed request: why, with its origin
    /// ([`Origin::Control`] for the control's ERROR reply, [`Origin::Library`] for the
    /// timeout frame libkctl made when no reply came in time, `ETIMEDOUT`).
    pub error: Option<Error>,
}

/// A counter of a handle's framed traffic (`KCTL_MSG_*` of `kctl_msg_counter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum MsgCounter {
    FramesIn,
    FramesOut,
    RecvCalls,
    KernelDrops,
    BacklogDrops,
    UnmatchedReplies,
    BadRecords,
    /// Replies that came after their request timed out or was cancelled (dropped).
    LateReplies,
    /// Requests waiting for replies now.
    InFlight,
}

impl MsgCounter {
    /// Its `KCTL_MSG_*` value.
    pub fn raw(self) -> u32 {
        match self {
            MsgCounter::FramesIn => sys::KCTL_MSG_FRAMES_IN,
            MsgCounter::FramesOut => sys::KCTL_MSG_FRAMES_OUT,
            MsgCounter::RecvCalls => sys::KCTL_MSG_RECV_CALLS,
            MsgCounter::KernelDrops => sys::KCTL_MSG_KERNEL_DROPS,
            MsgCounter::BacklogDrops => sys::KCTL_MSG_BACKLOG_DROPS,
            MsgCounter::UnmatchedReplies => sys::KCTL_MSG_UNMATCHED_REPLIES,
            MsgCounter::BadRecords => sys::KCTL_MSG_BAD_RECORDS,
            MsgCounter::LateReplies => sys::KCTL_MSG_LATE_REPLIES,
            MsgCounter::InFlight => sys::KCTL_MSG_IN_FLIGHT,
        }
    }
}

/// The error a started request's last frame carries.
fn completion_error(raw: &sys::kctl_msg_info, msg_type: u16) -> Option<Error> {
    if raw.err >= 0 {
        return None;
    }
    const CALL: &str = "kctl_msg_recv_info";
    Some(match Origin::from_raw(raw.origin) {
        Origin::Control => error_reply(raw.err, CALL, msg_type, raw.seq),
        Origin::Library => {
            let why = format!("no reply to request type {} (seq {}) came within its timeout: \
                               libkctl ended it with a timeout frame (a later reply is \
                               dropped and counted as late)", msg_type, raw.seq);
            Error::with_cause(raw.err, CALL, CallKind::Request, Origin::Library, &why)
        }
        other => Error::with_cause(raw.err, CALL, CallKind::Request, other, ""),
    })
}

impl Control {
    /// Starts a request (`kctl_request_start`): sends a REQUEST frame with a fresh seq
    /// and returns that seq at once; its reply frames (or its timeout frame) come
    /// through [`Control::recv_frame_info`]. `timeout`: how long the reply may take
    /// (`None`: forever; rounded up to whole milliseconds; zero is `EINVAL`). The send
    /// itself waits as [`Control::send`] does (the handle's timeout).
    ///
    /// Errors: `EBUSY` (16 requests in flight, blocking ones included), `WouldBlock`
    /// (timeout 0 and no room to send: nothing went out, start it again later), and
    /// those of [`Control::send_frame`]. Thread-safe, with any other framed call.
    pub fn request_start(&self, msg_type: u16, payload: &[u8], timeout: Option<Duration>)
                         -> Result<u32> {
        let ms = match timeout {
            None => sys::KCTL_TIMEOUT_INFINITE,
            Some(d) => duration_to_ms(d)?,
        };
        let mut seq = 0u32;
        // SAFETY: valid handle; payload readable for its length; seq writable.
        let rc = unsafe {
            sys::kctl_request_start(self.as_ptr(), msg_type, payload.as_ptr().cast(),
                                    payload.len(), ms, &mut seq)
        };
        self.check(CallKind::Request, rc, "kctl_request_start")?;
        Ok(seq)
    }

    /// Cancels a started request (`kctl_request_cancel`): no frame comes for it any
    /// more (frames already read are still handed out), a later reply is dropped and
    /// counted ([`MsgCounter::LateReplies`]). Errors: `ENOENT` (no such request pending:
    /// it ended already).
    pub fn request_cancel(&self, seq: u32) -> Result<()> {
        // SAFETY: valid handle.
        let rc = unsafe { sys::kctl_request_cancel(self.as_ptr(), seq) };
        self.check(CallKind::Request, rc, "kctl_request_cancel").map(drop)
    }

    /// Receives the next frame as [`Control::recv_frame`] does, and what it is
    /// (`kctl_msg_recv_info`): an event, a reply to a started request (the last one
    /// says so, a failed one carries its error), a stray reply, a request. A wait also
    /// ends when a started request's deadline passes (its timeout frame is handed out).
    /// The receiving thread of the handle only.
    pub fn recv_frame_info<'b>(&self, buf: &'b mut FrameBuf) -> Result<(Frame<'b>, MsgInfo)> {
        let mut wire = 0usize;
        let mut raw = sys::kctl_msg_info { kind: 0, seq: 0, last: 0, err: 0, origin: 0,
                                           reserved: 0 };
        let cap = buf.capacity();
        // SAFETY: valid handle; buf is 8-byte aligned and writable for cap bytes.
        let rc = unsafe {
            sys::kctl_msg_recv_info(self.as_ptr(), buf.bytes_mut().as_mut_ptr().cast(), cap,
                                    &mut wire, &mut raw)
        };
        self.check(CallKind::Receive, rc, "kctl_msg_recv_info")?;
        buf.set_len(wire.min(cap));
        let (frame, _) = next_frame(buf.as_bytes(), 0)?;
        let info = MsgInfo {
            kind: MsgKind::from_raw(raw.kind),
            seq: raw.seq,
            last: raw.last != 0,
            error: completion_error(&raw, frame.msg_type()),
        };
        Ok((frame, info))
    }

    /// How many frames a receive would hand out now without a syscall: frames already
    /// read, and timeout frames of requests whose deadline passed (`kctl_msg_pending`).
    pub fn pending_frames(&self) -> usize {
        // SAFETY: valid handle.
        let n = unsafe { sys::kctl_msg_pending(self.as_ptr()) };
        usize::try_from(n).unwrap_or(0)
    }

    /// How long an event loop may sleep on the fd before receiving again, in poll(2)'s
    /// terms (`kctl_msg_wait_ms`): 0 while a frame is ready, else the milliseconds to
    /// the earliest deadline of a started request, else -1 (only the fd can wake it).
    pub fn wait_ms(&self) -> i32 {
        // SAFETY: valid handle.
        unsafe { sys::kctl_msg_wait_ms(self.as_ptr()) }
    }

    /// [`Control::wait_ms`] as a Duration: `None` when only the fd can wake the loop.
    pub fn wait_timeout(&self) -> Option<Duration> {
        u64::try_from(self.wait_ms()).ok().map(Duration::from_millis)
    }

    /// One counter of the handle's framed traffic (`kctl_msg_counter`).
    pub fn counter(&self, which: MsgCounter) -> u64 {
        let mut v = 0u64;
        // SAFETY: valid handle and out-pointer; every MsgCounter is a known counter.
        unsafe { sys::kctl_msg_counter(self.as_ptr(), which.raw(), &mut v) };
        v
    }
}

/// A finished request of a [`RequestSet`]: its seq and its reply's payloads (joined, when
/// the control sent several frames with MORE), or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The request's seq, as [`RequestSet::start`] returned it.
    pub seq: u32,
    /// The reply's payload, or the error: the control's (an ERROR reply) or
    /// libkctl's timeout (`ETIMEDOUT`, origin `Library`).
    pub result: Result<Vec<u8>>,
}

/// Requests started on one [`Control`] whose replies an event loop collects: feed it
/// every frame [`Control::recv_frame_info`] returns, and it hands back each request once
/// its last frame came, with the payloads of a multi-part reply joined. Frames that are
/// not replies to its requests (events, other replies) are left to the caller.
#[derive(Debug, Default)]
pub struct RequestSet {
    parts: HashMap<u32, Vec<u8>>,
}

impl RequestSet {
    /// An empty set.
    pub fn new() -> RequestSet {
        RequestSet::default()
    }

    /// Starts a request on `c` ([`Control::request_start`]) and waits for it here.
    pub fn start(&mut self, c: &Control, msg_type: u16, payload: &[u8],
                 timeout: Option<Duration>) -> Result<u32> {
        let seq = c.request_start(msg_type, payload, timeout)?;
        self.parts.insert(seq, Vec::new());
        Ok(seq)
    }

    /// Cancels a request of this set ([`Control::request_cancel`]) and forgets it.
    /// `ENOENT` if libkctl had ended it already (its last frame is then still to be
    /// received, and is no longer reported here).
    pub fn cancel(&mut self, c: &Control, seq: u32) -> Result<()> {
        self.parts.remove(&seq);
        c.request_cancel(seq)
    }

    /// Whether the request `seq` is still waiting for its last frame.
    pub fn is_pending(&self, seq: u32) -> bool {
        self.parts.contains_key(&seq)
    }

    /// How many requests are waiting.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether none is waiting.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Takes a received frame: `Some` when it ends one of this set's requests, `None`
    /// for anything else (an event, a part of a multi-part reply kept here, a frame
    /// that is no reply to a request of this set).
    pub fn feed(&mut self, frame: &Frame<'_>, info: &MsgInfo) -> Option<Completion> {
        if info.kind != MsgKind::Reply {
            return None;
        }
        let parts = self.parts.get_mut(&info.seq)?;
        if info.error.is_none() {
            parts.extend_from_slice(frame.payload());
        }
        if !info.last {
            return None;
        }
        let parts = self.parts.remove(&info.seq).unwrap_or_default();
        let result = match &info.error {
            Some(e) => Err(e.clone()),
            None => Ok(parts),
        };
        Some(Completion { seq: info.seq, result })
    }
}
