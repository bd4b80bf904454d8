//! The simulated kernel from Rust: fault injection, call counts, mbuf segments, buffer
//! limits, unit selection, deregistration, panicking callbacks.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use kctl::errno;
use kctl::sim::{Call, EnqueueFlags, Kernel, Registration};

#[test]
fn the_next_call_fails_once_with_the_injected_errno() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    k.fail_next(Call::Connect, errno::EBUSY).unwrap();
    let before = k.call_count(Call::Connect);
    assert_eq!(k.open_options().open(ECHO).unwrap_err().errno(), errno::EBUSY);
    assert!(k.open_options().open(ECHO).is_ok());
    assert_eq!(k.call_count(Call::Connect), before + 2);
    assert_eq!(k.fail_next(Call::Send, 0).unwrap_err().errno(), errno::EINVAL);
}

#[test]
fn a_send_callback_gets_the_packet_in_segments_of_the_kernels_size() {
    let k = Kernel::new().unwrap();
    k.set_mbuf_segment(16).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let _c = k.register(Registration::new(ECHO).on_send(move |_, _, m, _| {
        let lens: Vec<usize> = m.segments().map(|s| s.len()).collect();
        let mut tail = [0u8; 4];
        m.copy_to(m.len() - 4, &mut tail)?;
        assert_eq!(m.copy_to(m.len() - 3, &mut [0u8; 4]).unwrap_err().errno(), errno::EINVAL);
        s2.lock().unwrap().push((lens, m.to_vec(), tail));
        Ok(())
    })).unwrap();
    let c = open(&k, ECHO, false);
    let data: Vec<u8> = (0..100).collect();
    c.send(&data).unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].0, [16, 16, 16, 16, 16, 16, 4]);
    assert_eq!(seen[0].1, data);
    assert_eq!(seen[0].2, [96, 97, 98, 99]);
    assert_eq!(k.set_mbuf_segment(0).unwrap_err().errno(), errno::EINVAL);
}

#[test]
fn a_full_receive_buffer_answers_enobufs_and_queues_nothing() {
    let k = Kernel::new().unwrap();
    let ctl = k.register(Registration::new(ECHO).recvsize(64)).unwrap();
    assert_eq!(ctl.recvsize(), 64);
    let c = open(&k, ECHO, false);
    let unit = c.unit();
    let space = ctl.ctl().unwrap().space(unit).unwrap();
    assert_eq!(ctl.enqueue(unit, &vec![1u8; space + 1], EnqueueFlags::EOR).unwrap_err().errno(),
               errno::ENOBUFS);
    // nothing queued: one byte short of readable (ctl_getenqueuereadable)
    assert_eq!(ctl.ctl().unwrap().readable(unit).unwrap(), 1);
    assert_eq!(ctl.ctl().unwrap().packets(unit).unwrap(), 0);
    ctl.enqueue(unit, b"fits", EnqueueFlags::EOR).unwrap();
    assert_eq!(ctl.ctl().unwrap().readable(unit).unwrap(), 0);
    assert_eq!(ctl.ctl().unwrap().packets(unit).unwrap(), 1);
    assert_eq!(ctl.enqueue(99, b"x", EnqueueFlags::EOR).unwrap_err().errno(), errno::EINVAL);
}

#[test]
fn a_setup_callback_chooses_the_unit() {
    let k = Kernel::new().unwrap();
    let _c = k.register(Registration::new(ECHO).on_setup(|_, unit| {
        *unit = 42;
        Ok(())
    })).unwrap();
    assert_eq!(open(&k, ECHO, false).unit(), 42);
}

#[test]
fn a_pinned_id_and_unit_are_kept() {
    let k = Kernel::new().unwrap();
    let ctl = k.register(Registration::new(ECHO).id_unit(0x1234, 3)).unwrap();
    assert_eq!(ctl.id(), 0x1234);
    assert_eq!(k.backend().lookup(ECHO).unwrap(), 0x1234);
    assert_eq!(k.register(Registration::new(ECHO)).unwrap_err().errno(), errno::EEXIST);
}

#[test]
fn a_control_with_a_client_cannot_be_deregistered() {
    let k = Kernel::new().unwrap();
    let (mut ctl, _) = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    assert_eq!(ctl.deregister().unwrap_err().errno(), errno::EBUSY);
    drop(c);
    ctl.deregister().unwrap();
    assert_eq!(ctl.deregister().unwrap_err().errno(), errno::EINVAL);
    assert_eq!(ctl.enqueue(1, b"x", EnqueueFlags::EOR).unwrap_err().errno(), errno::EINVAL);
    assert_eq!(k.open_options().open(ECHO).unwrap_err().errno(), errno::ENOENT);
}

#[test]
fn a_callback_that_panics_fails_the_call_with_eio_and_is_reported() {
    let k = Kernel::new().unwrap();
    let _c = k.register(Registration::new(ECHO).on_send(|_, _, _, _| panic!("kext bug"))).unwrap();
    let c = open(&k, ECHO, false);
    assert_eq!(c.send(b"x").unwrap_err().errno(), errno::EIO);
    assert_eq!(k.take_panics(), ["kext bug"]);
    assert!(k.take_panics().is_empty());
}

#[test]
fn a_control_without_callbacks_behaves_as_on_a_mac() {
    let k = Kernel::new().unwrap();
    let _c = k.register(Registration::new(ECHO)).unwrap();
    let c = open(&k, ECHO, false);
    assert_eq!(c.send(b"x").unwrap_err().errno(), errno::ENOTSUP, "no send callback");
    assert_eq!(c.set_u32(1, 1).unwrap_err().errno(), errno::ENOTSUP, "no setopt callback");
    assert_eq!(k.open_options().bind_only(true).open(ECHO).unwrap_err().errno(), errno::EINVAL,
               "no bind callback");
}

#[test]
fn callbacks_run_on_the_threads_of_concurrent_clients() {
    let k = Kernel::new().unwrap();
    let (_ctl, log) = echo(&k, Registration::new(ECHO));
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let c = open(&k, ECHO, false);
                let mut buf = [0u8; 8];
                for _ in 0..50 {
                    c.send(b"hey").unwrap();
                    assert_eq!(c.recv(&mut buf).unwrap().len, 3);
                }
            });
        }
    });
    let sends = log.lock().unwrap().events.iter().filter(|e| e.starts_with("send")).count();
    assert_eq!(sends, 200);
}
