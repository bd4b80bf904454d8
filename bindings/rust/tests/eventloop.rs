//! Requests that do not block: started requests answered through the receive path in
//! order with events, multi-part and error replies, libkctl's timeout frames and late
//! replies, cancelling, the in-flight limit, the wait hint, and a poll(2) loop that
//! relies on it (std has no poll: it is declared here, as a mio user would have it).

mod common;

use std::os::raw::{c_int, c_short};
use std::os::unix::io::AsRawFd;
use std::time::{Duration, Instant};

use common::{frame_server, open, send_each, FC_ECHO, FC_EVENTS, FC_EVENT_TYPE, FC_FAIL,
             FC_MULTI, FC_SILENT, FRAMES, PATIENCE};
use kctl::errno;
use kctl::sim::{Call, Kernel, SimControl};
use kctl::{CallKind, Control, FrameBuf, FrameFlags, FrameWriter, MsgCounter, MsgKind, Origin,
           RequestSet};

fn n(v: u32) -> [u8; 4] {
    v.to_ne_bytes()
}

fn setup(stream: bool) -> (Kernel, SimControl, Control) {
    let k = Kernel::new().unwrap();
    let srv = frame_server(&k, stream);
    let c = open(&k, FRAMES, stream);
    (k, srv, c)
}

/// The control answers `seq` now, whoever is still waiting for it.
fn late_reply(srv: &SimControl, unit: u32, seq: u32) {
    let mut w = FrameWriter::new(64);
    w.start(FrameFlags::REPLY, FC_SILENT, seq, 0).unwrap().put(b"late").unwrap();
    send_each(srv.ctl().unwrap(), unit, &mut w, false).unwrap();
}

fn would_block(c: &Control, buf: &mut FrameBuf) -> bool {
    matches!(c.recv_frame_info(buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[test]
fn a_started_request_is_answered_through_the_receive_path_and_matched() {
    let (_k, _srv, c) = setup(false);
    let seq = c.request_start(FC_ECHO, b"hi", PATIENCE).unwrap();
    assert_eq!(c.counter(MsgCounter::InFlight), 1);
    let mut buf = FrameBuf::for_control(&c);
    let (f, info) = c.recv_frame_info(&mut buf).unwrap();
    assert_eq!((info.kind, info.seq, info.last, info.error), (MsgKind::Reply, seq, true, None));
    assert_eq!((f.seq(), f.payload()), (seq, &b"hi"[..]));
    let st = c.stats();
    assert_eq!((st.unmatched_replies, st.in_flight, st.late_replies), (0, 0, 0));
}

#[test]
fn events_and_replies_come_in_the_order_the_control_sent_them() {
    let (_k, _srv, c) = setup(false);
    let seq = c.request_start(FC_EVENTS, &n(3), PATIENCE).unwrap();
    let mut buf = FrameBuf::for_control(&c);
    let mut kinds = Vec::new();
    for _ in 0..4 {
        let (f, info) = c.recv_frame_info(&mut buf).unwrap();
        kinds.push((info.kind, f.msg_type(), info.last));
    }
    let ev = (MsgKind::Event, FC_EVENT_TYPE, false);
    assert_eq!(kinds, [ev, ev, ev, (MsgKind::Reply, FC_EVENTS, true)]);
    let _ = seq;
}

#[test]
fn a_request_set_joins_the_parts_of_a_multi_part_reply() {
    let (_k, _srv, c) = setup(false);
    let mut set = RequestSet::new();
    let seq = set.start(&c, FC_MULTI, b"", PATIENCE).unwrap();
    let mut buf = FrameBuf::for_control(&c);
    let mut done = Vec::new();
    for _ in 0..3 {
        let (f, info) = c.recv_frame_info(&mut buf).unwrap();
        done.push(set.feed(&f, &info));
    }
    assert_eq!(done[0], None);
    assert_eq!(done[1], None);
    let last = done[2].clone().expect("completed by the last part");
    assert_eq!((last.seq, last.result), (seq, Ok(b"onetwothree".to_vec())));
    assert!(set.is_empty());
}

#[test]
fn an_error_reply_ends_a_started_request_with_the_controls_errno() {
    let (_k, _srv, c) = setup(false);
    let mut set = RequestSet::new();
    let seq = set.start(&c, FC_FAIL, &n(errno::EBUSY as u32), PATIENCE).unwrap();
    let mut buf = FrameBuf::for_control(&c);
    let (f, info) = c.recv_frame_info(&mut buf).unwrap();
    let e = set.feed(&f, &info).unwrap().result.unwrap_err();
    assert_eq!((e.errno(), e.origin(), e.call_kind()), (errno::EBUSY, Origin::Control, CallKind::Request));
    assert_eq!(e.message(), format!("{}: the control answered EBUSY to request type {} (seq {}): \
                                     an ERROR reply", kctl::strerror(errno::EBUSY), FC_FAIL, seq));
}

#[test]
fn a_request_nobody_answers_ends_with_libkctls_timeout_frame_and_its_late_reply_is_counted() {
    let (_k, srv, mut c) = setup(false);
    c.set_timeout(Some(Duration::ZERO)).unwrap();
    let seq = c.request_start(FC_SILENT, b"", Some(Duration::from_millis(30))).unwrap();
    let mut buf = FrameBuf::for_control(&c);
    assert!(would_block(&c, &mut buf));
    let wait = c.wait_ms();
    assert!((1..=30).contains(&wait), "the loop may sleep until the deadline: {}", wait);
    std::thread::sleep(Duration::from_millis(wait as u64 + 5));
    assert_eq!((c.pending_frames(), c.wait_timeout()), (1, Some(Duration::ZERO)));
    let (f, info) = c.recv_frame_info(&mut buf).unwrap();
    assert_eq!((info.kind, info.seq, info.last), (MsgKind::Reply, seq, true));
    assert!(f.is_error() && f.aux() == errno::ETIMEDOUT as u32 && f.msg_type() == FC_SILENT);
    let e = info.error.unwrap();
    assert_eq!((e.errno(), e.origin()), (errno::ETIMEDOUT, Origin::Library));
    assert!(e.message().contains("libkctl ended it with a timeout frame"), "{}", e);
    assert_eq!(c.wait_ms(), -1, "nothing left to wait for but the fd");
    late_reply(&srv, c.unit(), seq);
    assert!(would_block(&c, &mut buf), "the late reply is dropped");
    assert_eq!((c.counter(MsgCounter::LateReplies), c.counter(MsgCounter::UnmatchedReplies)), (1, 0));
}

#[test]
fn a_cancelled_request_gets_no_frame_and_cannot_be_cancelled_twice() {
    let (_k, srv, mut c) = setup(false);
    c.set_timeout(Some(Duration::ZERO)).unwrap();
    let seq = c.request_start(FC_SILENT, b"", None).unwrap();
    assert_eq!(c.wait_ms(), -1, "no deadline: only the fd can wake the loop");
    c.request_cancel(seq).unwrap();
    let e = c.request_cancel(seq).unwrap_err();
    assert_eq!((e.errno(), e.origin()), (errno::ENOENT, Origin::Library));
    assert!(e.message().contains(&format!("no request with seq {} is pending", seq)), "{}", e);
    late_reply(&srv, c.unit(), seq);
    let mut buf = FrameBuf::for_control(&c);
    assert!(would_block(&c, &mut buf));
    assert_eq!(c.counter(MsgCounter::LateReplies), 1);
}

#[test]
fn sixteen_requests_may_be_in_flight_and_a_seventeenth_is_busy() {
    let (_k, _srv, c) = setup(false);
    for _ in 0..16 {
        c.request_start(FC_SILENT, b"", None).unwrap();
    }
    assert_eq!(c.stats().in_flight, 16);
    let e = c.request_start(FC_SILENT, b"", None).unwrap_err();
    assert_eq!((e.errno(), e.origin()), (errno::EBUSY, Origin::Library));
    let e = c.request_vec(FC_ECHO, b"blocking ones share the slots").unwrap_err();
    assert_eq!(e.errno(), errno::EBUSY);
}

#[test]
fn a_zero_timeout_is_refused_and_starts_nothing() {
    let (k, _srv, c) = setup(false);
    let sends = k.call_count(Call::Send);
    let e = c.request_start(FC_ECHO, b"", Some(Duration::ZERO)).unwrap_err();
    assert_eq!((e.errno(), e.origin()), (errno::EINVAL, Origin::Library));
    assert_eq!((k.call_count(Call::Send), c.counter(MsgCounter::InFlight)), (sends, 0));
}

#[test]
fn frames_one_stream_receive_brought_are_pending_without_a_syscall() {
    let (k, _srv, c) = setup(true);
    c.request_start(FC_EVENTS, &n(2), PATIENCE).unwrap();
    let mut buf = FrameBuf::for_control(&c);
    c.recv_frame_info(&mut buf).unwrap();
    let recvs = k.call_count(Call::Recv);
    assert_eq!(c.pending_frames(), 2, "the second event and the reply");
    assert_eq!(c.wait_timeout(), Some(Duration::ZERO));
    for _ in 0..2 {
        c.recv_frame_info(&mut buf).unwrap();
    }
    assert_eq!(k.call_count(Call::Recv), recvs);
    assert_eq!(c.pending_frames(), 0);
}

#[repr(C)]
struct PollFd {
    fd: c_int,
    events: c_short,
    revents: c_short,
}
#[cfg(target_os = "linux")]
type Nfds = std::os::raw::c_ulong;
#[cfg(not(target_os = "linux"))]
type Nfds = std::os::raw::c_uint;
const POLLIN: c_short = 0x1;
extern "C" {
    fn poll(fds: *mut PollFd, nfds: Nfds, timeout: c_int) -> c_int;
}

#[test]
fn a_poll_loop_sleeps_on_the_fd_and_the_wait_hint_until_every_request_ended() {
    let (_k, _srv, mut c) = setup(false);
    c.set_timeout(Some(Duration::ZERO)).unwrap();
    let mut set = RequestSet::new();
    let echoes: Vec<u32> = (0..5u32)
        .map(|i| set.start(&c, FC_ECHO, &n(i), PATIENCE).unwrap()).collect();
    let silent = set.start(&c, FC_SILENT, b"", Some(Duration::from_millis(50))).unwrap();
    let (mut turns, mut replies, mut timed_out) = (0, Vec::new(), Vec::new());
    let mut buf = FrameBuf::for_control(&c);
    let start = Instant::now();
    while !set.is_empty() && start.elapsed() < Duration::from_secs(5) {
        turns += 1;
        let mut p = PollFd { fd: c.as_raw_fd(), events: POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        assert!(unsafe { poll(&mut p, 1, c.wait_ms()) } >= 0);
        loop {
            let (f, info) = match c.recv_frame_info(&mut buf) {
                Ok(got) => got,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("{}", e),
            };
            match set.feed(&f, &info).map(|d| (d.seq, d.result)) {
                Some((seq, Ok(p))) => replies.push((seq, p)),
                Some((seq, Err(e))) => timed_out.push((seq, e.errno())),
                None => panic!("a frame that ends no request: {:?}", f),
            }
        }
    }
    let want: Vec<(u32, Vec<u8>)> = echoes.iter().zip(0..).map(|(&s, i)| (s, n(i).to_vec())).collect();
    assert_eq!(replies, want);
    assert_eq!(timed_out, [(silent, errno::ETIMEDOUT)]);
    assert!(turns <= 4, "the loop slept on the hint instead of spinning: {} turns", turns);
}
