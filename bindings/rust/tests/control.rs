//! Control against the simulated kernel: opening, units, send/recv, timeouts, errors,
//! lifetimes, threads.

mod common;

use std::io::{self, Read, Write};
use std::os::unix::io::{AsFd, AsRawFd};
use std::time::Duration;

use common::{echo, open, ECHO, PATIENCE};
use kctl::errno;
use kctl::sim::{Kernel, Registration};
use kctl::{Backend, Control, Error, OpenOptions};

#[test]
fn opening_a_control_connects_on_the_lowest_free_unit() {
    let k = Kernel::new().unwrap();
    let (ctl, log) = echo(&k, Registration::new(ECHO));
    let a = open(&k, ECHO, false);
    let b = open(&k, ECHO, false);
    assert_eq!((a.unit(), b.unit()), (1, 2));
    assert_eq!(a.id(), ctl.id());
    assert!(!a.is_stream());
    assert_eq!(log.lock().unwrap().events, ["connect 1", "connect 2"]);
}

#[test]
fn a_sent_record_comes_back_whole() {
    let k = Kernel::new().unwrap();
    let (_ctl, log) = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    assert_eq!(c.send(b"ping").unwrap(), 4);
    let mut buf = [0u8; 64];
    let r = c.recv(&mut buf).unwrap();
    assert_eq!(&buf[..r.len], b"ping");
    assert!(!r.truncated);
    assert!(log.lock().unwrap().events.contains(&"send 1 4".to_string()));
}

#[test]
fn a_record_longer_than_the_buffer_is_truncated_and_says_so() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    c.send(b"0123456789").unwrap();
    let mut buf = [0u8; 4];
    let r = c.recv(&mut buf).unwrap();
    assert_eq!((r.len, r.truncated), (4, true));
    assert_eq!(&buf, b"0123");
}

#[test]
fn a_stream_control_marks_the_end_of_each_record() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO).stream(true));
    let c = open(&k, ECHO, true);
    assert!(c.is_stream());
    c.send(b"abc").unwrap();
    let mut buf = [0u8; 16];
    let r = c.recv(&mut buf).unwrap();
    assert_eq!((&buf[..r.len], r.eor), (&b"abc"[..], true));
}

#[test]
fn opening_dgram_on_a_stream_control_is_a_protocol_type_error() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO).stream(true));
    let e = k.open_options().open(ECHO).unwrap_err();
    assert_eq!((e.errno(), e.call()), (errno::EPROTOTYPE, "kctl_open_name"));
}

#[test]
fn an_unknown_name_is_not_found_with_libkctls_sentence() {
    let k = Kernel::new().unwrap();
    let e = k.open_options().open("org.example.absent").unwrap_err();
    assert_eq!(e.errno(), errno::ENOENT);
    assert_eq!((e.name(), e.origin()), (Some("ENOENT"), kctl::Origin::Kernel));
    assert!(e.message().starts_with(kctl::strerror(-errno::ENOENT)), "{}", e);
    assert!(e.message().contains("no control registered under this name"), "{}", e);
    assert!(e.to_string().starts_with("kctl_open_name: ENOENT ("), "{}", e);
    let io: io::Error = e.into();
    assert_eq!(io.kind(), io::ErrorKind::NotFound);
    let inner = io.get_ref().and_then(|i| i.downcast_ref::<Error>()).expect("kctl::Error inside");
    assert_eq!(inner.errno(), errno::ENOENT);
}

#[test]
fn errors_convert_to_the_io_error_kind_std_gives_their_errno() {
    for (e, kind) in [(errno::EPERM, io::ErrorKind::PermissionDenied),
                      (errno::ETIMEDOUT, io::ErrorKind::TimedOut),
                      (errno::EAGAIN, io::ErrorKind::WouldBlock),
                      (errno::EINVAL, io::ErrorKind::InvalidInput),
                      (errno::EPIPE, io::ErrorKind::BrokenPipe),
                      (errno::ENOTCONN, io::ErrorKind::NotConnected),
                      (errno::EEXIST, io::ErrorKind::AlreadyExists)] {
        let io: io::Error = Error::from_errno(e).into();
        assert_eq!(io.kind(), kind, "errno {}", e);
    }
}

#[test]
fn a_name_with_a_nul_is_refused_before_any_call() {
    let k = Kernel::new().unwrap();
    let before = k.call_count(kctl::sim::Call::Socket);
    let e = k.open_options().open("org.ex\0ample").unwrap_err();
    assert_eq!(e.errno(), errno::EINVAL);
    assert_eq!(k.call_count(kctl::sim::Call::Socket), before);
    assert_eq!(kctl::name_check(&"x".repeat(96)).unwrap_err().errno(), errno::EINVAL);
    assert!(kctl::name_check(&"x".repeat(95)).is_ok());
}

#[cfg(not(target_os = "macos"))]
#[test]
fn the_native_backend_has_no_kernel_controls_off_macos() {
    let e = Control::open("com.apple.net.utun_control").unwrap_err();
    assert_eq!(e.errno(), errno::EAFNOSUPPORT);
    assert_eq!(Backend::native().count().unwrap_err().errno(), errno::EAFNOSUPPORT);
}

#[test]
fn a_privileged_control_refuses_a_user_who_is_not_root() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO).privileged(true));
    k.set_euid(501);
    let e = k.open_options().open(ECHO).unwrap_err();
    assert_eq!(io::Error::from(e).kind(), io::ErrorKind::PermissionDenied);
    k.set_euid(0);
    assert!(k.open_options().open(ECHO).is_ok());
}

#[test]
fn lookup_and_count_see_the_registered_controls() {
    let k = Kernel::new().unwrap();
    let (ctl, _) = echo(&k, Registration::new(ECHO));
    let be = k.backend();
    assert_eq!(be.lookup(ECHO).unwrap(), ctl.id());
    assert_eq!(be.count().unwrap(), 1);
    let c = k.open_options().open_id(ctl.id()).unwrap();
    assert_eq!(c.id(), ctl.id());
}

#[test]
fn a_receive_with_nothing_queued_times_out_or_would_block() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let mut c = open(&k, ECHO, false);
    c.set_timeout(Some(Duration::from_millis(30))).unwrap();
    assert_eq!(c.timeout(), Some(Duration::from_millis(30)));
    let mut buf = [0u8; 8];
    let e = c.recv(&mut buf).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::TimedOut);
    let n = OpenOptions::new().backend(&k.backend()).nonblocking(true).open(ECHO).unwrap();
    assert_eq!(n.timeout(), Some(Duration::ZERO));
    assert_eq!(n.recv(&mut buf).unwrap_err().kind(), io::ErrorKind::WouldBlock);
}

#[test]
fn timeouts_round_up_to_milliseconds_and_refuse_what_c_cannot_hold() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let mut c = open(&k, ECHO, false);
    c.set_timeout(Some(Duration::from_micros(1))).unwrap();
    assert_eq!(c.timeout(), Some(Duration::from_millis(1)));
    c.set_timeout(None).unwrap();
    assert_eq!(c.timeout(), None);
    let e = c.set_timeout(Some(Duration::from_secs(3_000_000))).unwrap_err();
    assert_eq!(e.errno(), errno::EINVAL);
    assert_eq!(c.timeout(), None, "a refused timeout changes nothing");
}

#[test]
fn a_bind_only_control_connects_later_on_its_unit() {
    let k = Kernel::new().unwrap();
    let bound = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let b2 = bound.clone();
    let _e = echo(&k, Registration::new(ECHO).on_bind(move |_, unit| {
        b2.lock().unwrap().push(unit);
        Ok(())
    }));
    let mut c = k.open_options().bind_only(true).unit(7).open(ECHO).unwrap();
    assert_eq!(*bound.lock().unwrap(), [7]);
    c.connect().unwrap();
    assert_eq!(c.unit(), 7);
    assert_eq!(c.connect().unwrap_err().errno(), errno::EISCONN);
}

#[test]
fn closing_runs_the_disconnect_callback_and_reports_success() {
    let k = Kernel::new().unwrap();
    let (_ctl, log) = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    c.close().unwrap();
    assert_eq!(log.lock().unwrap().events, ["connect 1", "disconnect 1"]);
    drop(open(&k, ECHO, false)); // drop closes too
    assert_eq!(log.lock().unwrap().events.last().unwrap(), "disconnect 1");
}

#[test]
fn the_fd_is_the_handles_and_borrowable() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    let fd = c.as_raw_fd();
    assert!(fd >= 0);
    assert_eq!(c.as_fd().as_raw_fd(), fd);
    // SAFETY: the handle is valid.
    assert_eq!(unsafe { kctl::sys::kctl_fd(c.as_ptr()) }, fd);
}

#[test]
fn read_and_write_are_receive_and_send() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let mut c = open(&k, ECHO, false);
    c.write_all(b"through io").unwrap();
    let mut buf = [0u8; 32];
    let n = c.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"through io");
}

#[test]
fn a_control_keeps_its_kernel_alive() {
    let k = Kernel::new().unwrap();
    let (ctl, _) = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    drop(ctl);
    drop(k);
    c.send(b"still here").unwrap();
    let mut buf = [0u8; 32];
    assert_eq!(c.recv(&mut buf).unwrap().len, 10);
}

#[test]
fn one_thread_sends_while_another_receives() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    const N: usize = 200;
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0..N {
                let msg = format!("m{}", i);
                loop {
                    match c.send(msg.as_bytes()) {
                        Ok(_) => break,
                        // the echo's enqueue can find the client's buffer full
                        Err(e) if e.errno() == errno::ENOBUFS => std::thread::yield_now(),
                        Err(e) => panic!("{}", e),
                    }
                }
            }
        });
        let mut buf = [0u8; 16];
        for i in 0..N {
            let r = c.recv(&mut buf).unwrap();
            assert_eq!(&buf[..r.len], format!("m{}", i).as_bytes());
        }
    });
    assert_eq!(c.timeout(), PATIENCE);
}
