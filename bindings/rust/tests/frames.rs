//! Framed messages: request/response, error replies, multi-part replies, events kept
//! while a request waits, readiness, stats, the codec and attributes.

mod common;

use std::time::Duration;

use common::*;
use kctl::attr;
use kctl::errno;
use kctl::sim::Kernel;
use kctl::{FrameBuf, FrameFlags, FrameWriter};

fn setup(stream: bool) -> (Kernel, kctl::sim::SimControl, kctl::Control) {
    let k = Kernel::new().unwrap();
    let s = frame_server(&k, stream);
    let c = open(&k, FRAMES, stream);
    (k, s, c)
}

#[test]
fn a_request_gets_its_reply_on_dgram_and_stream() {
    for stream in [false, true] {
        let (_k, _s, c) = setup(stream);
        let mut reply = [0u8; 64];
        let n = c.request(FC_ECHO, b"hello", &mut reply).unwrap();
        assert_eq!(&reply[..n], b"hello");
        assert_eq!(c.request_vec(FC_ECHO, b"again").unwrap(), b"again");
        let st = c.stats();
        assert_eq!((st.frames_out, st.unmatched_replies), (2, 0));
    }
}

#[test]
fn an_error_reply_is_the_peers_errno() {
    let (_k, _s, c) = setup(false);
    let e = c.request_vec(FC_FAIL, &(errno::EBUSY as u32).to_ne_bytes()).unwrap_err();
    assert_eq!((e.errno(), e.call()), (errno::EBUSY, "kctl_request"));
}

#[test]
fn the_parts_of_a_multi_part_reply_are_joined() {
    let (_k, _s, c) = setup(false);
    assert_eq!(c.request_vec(FC_MULTI, b"").unwrap(), b"onetwothree");
}

#[test]
fn a_reply_too_big_for_the_buffer_is_emsgsize() {
    let (_k, _s, c) = setup(false);
    let mut small = [0u8; 2];
    assert_eq!(c.request(FC_ECHO, b"hello", &mut small).unwrap_err().errno(), errno::EMSGSIZE);
    assert_eq!(c.request_vec(FC_ECHO, b"next").unwrap(), b"next", "the handle goes on");
}

#[test]
fn events_that_arrive_while_a_request_waits_are_kept_in_order() {
    let (_k, _s, c) = setup(true);
    c.request_vec(FC_EVENTS, &5u32.to_ne_bytes()).unwrap();
    let mut buf = FrameBuf::for_control(&c);
    for i in 0..5u32 {
        assert!(c.frame_ready().unwrap());
        let f = c.recv_frame(&mut buf).unwrap();
        assert!(f.is_event() && !f.is_reply());
        assert_eq!((f.msg_type(), f.aux()), (FC_EVENT_TYPE, i));
        assert_eq!(f.attr(1).unwrap().get_u32().unwrap(), i);
    }
    assert!(!c.frame_ready().unwrap());
    assert_eq!(c.stats().kernel_drops, (0..5).sum::<u64>());
}

#[test]
fn frames_sent_by_hand_come_back_through_recv_frame() {
    let (_k, _s, mut c) = setup(false);
    c.send_frame(FrameFlags::REQUEST, FC_ECHO, 77, 0, b"by hand").unwrap();
    let mut buf = FrameBuf::new(256);
    let f = c.recv_frame(&mut buf).unwrap();
    assert!(f.is_reply());
    assert_eq!((f.seq(), f.payload()), (77, &b"by hand"[..]));
    assert_eq!(c.stats().unmatched_replies, 1, "no kctl_request waited for seq 77");
    c.set_timeout(Some(Duration::ZERO)).unwrap();
    assert_eq!(c.recv_frame(&mut buf).unwrap_err().errno(), errno::EAGAIN);
}

#[test]
fn several_frames_go_out_in_one_send() {
    let (_k, _s, c) = setup(false);
    let mut w = FrameWriter::new(256);
    w.start(FrameFlags::REQUEST, FC_ECHO, 1, 0).unwrap().put(b"a").unwrap();
    w.start(FrameFlags::REQUEST, FC_ECHO, 2, 0).unwrap().put(b"bb").unwrap();
    let wire = w.finish().unwrap().to_vec();
    assert_eq!(c.send_frames(&[&wire]).unwrap(), wire.len());
    assert_eq!(c.stats().frames_out, 2);
    let mut buf = FrameBuf::new(256);
    let seqs: Vec<u32> = (0..2).map(|_| c.recv_frame(&mut buf).unwrap().seq()).collect();
    assert_eq!(seqs, [1, 2]);
    assert_eq!(c.send_frames(&[]).unwrap_err().errno(), errno::EINVAL);
    assert_eq!(c.send_frames(&[&wire[..8]]).unwrap_err().errno(), errno::EINVAL);
}

#[test]
fn a_frame_bigger_than_the_buffer_stays_queued() {
    let (_k, _s, c) = setup(false);
    c.send_frame(FrameFlags::REQUEST, FC_ECHO, 5, 0, &[7u8; 100]).unwrap();
    let mut small = FrameBuf::new(64);
    assert_eq!(c.recv_frame(&mut small).unwrap_err().errno(), errno::EMSGSIZE);
    let mut big = FrameBuf::new(256);
    assert_eq!(c.recv_frame(&mut big).unwrap().payload(), &[7u8; 100][..]);
}

#[test]
fn a_record_that_is_not_a_frame_is_dropped_and_counted() {
    let (_k, _s, mut c) = setup(false);
    c.send_frame(FrameFlags::REQUEST, FC_GARBAGE, 1, 0, b"").unwrap();
    let mut buf = FrameBuf::new(256);
    assert!(c.recv_frame(&mut buf).is_err());
    assert_eq!(c.stats().bad_records, 1);
    assert!(c.last_detail().contains("dropped"), "{}", c.last_detail());
}

#[test]
fn the_max_frame_is_settable_within_bounds() {
    let (_k, _s, mut c) = setup(false);
    assert_eq!(c.max_frame(), kctl::sys::KCTL_MSG_DEFAULT_MAX);
    c.set_max_frame(1024).unwrap();
    assert_eq!(c.max_frame(), 1024);
    assert_eq!(c.set_max_frame(8).unwrap_err().errno(), errno::EINVAL);
    assert_eq!(c.send_frame(FrameFlags::REQUEST, FC_ECHO, 1, 0, &[0; 2000]).unwrap_err().errno(),
               errno::EMSGSIZE);
}

#[test]
fn attributes_written_are_read_back_typed_and_nested() {
    let mut w = FrameWriter::new(512);
    w.start(FrameFlags::EVENT, 9, 0, 3).unwrap()
        .attr_u8(1, 0xAB).unwrap()
        .attr_u16(2, 0xBEEF).unwrap()
        .attr_u32(3, 123_456).unwrap()
        .attr_u64(4, 1 << 50).unwrap()
        .attr_str(5, "name").unwrap()
        .attr(6, b"raw").unwrap();
    let nest = w.nest_start(7).unwrap();
    w.attr_u32(1, 11).unwrap().attr_u32(2, 22).unwrap();
    w.nest_end(nest).unwrap();
    let buf = FrameBuf::from_bytes(w.finish().unwrap());
    let frames: Vec<_> = buf.record(0).unwrap().collect();
    assert_eq!(frames.len(), 1);
    let f = frames[0];
    assert_eq!((f.msg_type(), f.aux(), f.is_event()), (9, 3, true));
    assert_eq!(f.attr(1).unwrap().get_u8().unwrap(), 0xAB);
    assert_eq!(f.attr(2).unwrap().get_u16().unwrap(), 0xBEEF);
    assert_eq!(f.attr(3).unwrap().get_u32().unwrap(), 123_456);
    assert_eq!(f.attr(4).unwrap().get_u64().unwrap(), 1 << 50);
    assert_eq!(f.attr(5).unwrap().get_str().unwrap(), "name");
    assert_eq!(f.attr(6).unwrap().value(), b"raw");
    let inner: Vec<u32> = f.attr(7).unwrap().nested().map(|a| a.unwrap().get_u32().unwrap()).collect();
    assert_eq!(inner, [11, 22]);
    assert_eq!(f.attrs().count(), 7);
    assert_eq!(f.attr(3).unwrap().get_u64().unwrap_err().errno(), errno::EBADMSG);
    assert_eq!(f.attr(42).unwrap_err().errno(), errno::ENOENT);
}

#[test]
fn a_cancelled_nest_leaves_no_trace() {
    let mut w = FrameWriter::new(128);
    w.start(FrameFlags::REQUEST, 1, 1, 0).unwrap().attr_u32(1, 1).unwrap();
    let n = w.nest_start(2).unwrap();
    w.attr_u32(3, 3).unwrap();
    w.nest_cancel(n).unwrap();
    let buf = FrameBuf::from_bytes(w.finish().unwrap());
    let f = buf.record(0).unwrap().next().unwrap();
    assert_eq!(f.attrs().count(), 1);
}

#[test]
fn the_writer_refuses_what_does_not_fit_and_writes_nothing() {
    let mut w = FrameWriter::new(24);
    w.start(FrameFlags::REQUEST, 1, 1, 0).unwrap();
    assert_eq!(w.put(&[0u8; 9]).unwrap_err().errno(), errno::EMSGSIZE);
    w.put(&[1u8; 8]).unwrap();
    assert_eq!(w.finish().unwrap().len(), 24);
    assert_eq!(FrameWriter::new(64).put(b"x").unwrap_err().errno(), errno::EINVAL, "no frame started");
    assert_eq!(FrameWriter::new(64).start(FrameFlags::ERROR, 1, 1, 5).unwrap_err().errno(), errno::EINVAL);
}

#[test]
fn a_malformed_region_is_reported_once() {
    let region = [2u8, 0, 1, 0, 0, 0, 0, 0]; // an attribute whose len is below 4
    let all: Vec<_> = attr::attrs(&region[..]).collect();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].as_ref().unwrap_err().errno(), errno::EBADMSG);
    assert_eq!(FrameBuf::from_bytes(&[0u8; 16]).record(0).unwrap_err().errno(), errno::EPROTONOSUPPORT);
    assert_eq!(FrameBuf::from_bytes(&[]).record(0).unwrap_err().errno(), errno::ENODATA);
}

#[test]
fn an_error_frame_stands_for_its_errno() {
    let mut w = FrameWriter::new(64);
    w.error_reply(3, 4, -errno::ENOSPC).unwrap();
    let buf = FrameBuf::from_bytes(w.finish().unwrap());
    let f = buf.record(0).unwrap().next().unwrap();
    assert!(f.is_error() && f.is_reply());
    assert_eq!(f.error().unwrap().errno(), errno::ENOSPC);
    assert_eq!(format!("{:?}", f.flags()), "FrameFlags(0x06: REPLY|ERROR)");
}
