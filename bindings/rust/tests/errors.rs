//! Errors say who said no: the errno and its name, the origin (libkctl, the kernel, the
//! control), the kind of call and libkctl's sentence from its failure record; they
//! convert into io::Error with all of that inside.

mod common;

use std::io;
use std::time::Duration;

use common::{echo, frame_server, open, ECHO, FC_FAIL, FRAMES, OPT_U32};
use kctl::errno;
use kctl::sim::{Call, Kernel, Registration};
use kctl::{CallKind, Error, Origin};

#[test]
fn a_name_of_96_bytes_is_refused_by_libkctl_before_any_syscall() {
    let k = Kernel::new().unwrap();
    let before = k.call_count(Call::Socket);
    let e = k.open_options().open(&"n".repeat(96)).unwrap_err();
    assert_eq!((e.errno(), e.origin(), e.call_kind()), (errno::EINVAL, Origin::Library, CallKind::Open));
    assert!(e.message().starts_with("EINVAL ("), "{}", e);
    assert!(e.message().contains("libkctl refused the control name before any syscall"), "{}", e);
    assert_eq!(k.call_count(Call::Socket), before);
}

#[test]
fn a_privileged_control_is_the_kernels_refusal_and_says_run_as_root() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO).privileged(true));
    k.set_euid(501);
    let e = k.open_options().open(ECHO).unwrap_err();
    assert_eq!((e.errno(), e.origin()), (errno::EPERM, Origin::Kernel));
    assert!(e.message().contains("privileged (CTL_FLAG_PRIVILEGED)"), "{}", e);
    assert!(e.message().ends_with("run as root"), "{}", e);
}

#[test]
fn a_connect_callback_that_refuses_is_the_controls_answer() {
    let k = Kernel::new().unwrap();
    let _c = k.register(Registration::new(ECHO)
        .on_connect(|_, _| Err(Error::from_errno(errno::EPERM)))).unwrap();
    let e = k.open_options().open(ECHO).unwrap_err();
    assert_eq!((e.errno(), e.origin()), (errno::EPERM, Origin::Control));
    assert!(e.message().contains("the control refused the connection: its connect callback \
                                  answered EPERM"), "{}", e);
}

#[test]
fn a_setopt_the_control_refuses_reads_as_the_controls_answer() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    let e = c.set_bytes(OPT_U32 as u32, &[1, 2]).unwrap_err();
    assert_eq!((e.errno(), e.origin(), e.call_kind()), (errno::EINVAL, Origin::Control, CallKind::Option));
    assert_eq!(e.call(), "kctl_setopt");
    assert_eq!(e.to_string(),
               format!("kctl_setopt: {}: the control answered EINVAL to setopt 1 (2 bytes): \
                        its setopt callback's errno", kctl::strerror(errno::EINVAL)));
}

#[test]
fn an_error_reply_to_a_request_names_its_type_and_seq() {
    let k = Kernel::new().unwrap();
    let _f = frame_server(&k, false);
    let c = open(&k, FRAMES, false);
    let e = c.request_vec(FC_FAIL, &(errno::EBUSY as u32).to_ne_bytes()).unwrap_err();
    assert_eq!((e.errno(), e.origin(), e.call_kind()), (errno::EBUSY, Origin::Control, CallKind::Request));
    assert!(e.message().contains("the control answered EBUSY to request type 2 (seq "), "{}", e);
    assert!(e.message().ends_with("an ERROR reply"), "{}", e);
}

#[test]
fn a_receive_that_runs_out_of_time_says_the_timeout() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let mut c = open(&k, ECHO, false);
    c.set_timeout(Some(Duration::from_millis(10))).unwrap();
    let e = c.recv(&mut [0u8; 8]).unwrap_err();
    assert_eq!((e.errno(), e.origin(), e.kind()), (errno::ETIMEDOUT, Origin::Library, io::ErrorKind::TimedOut));
    assert!(e.message().contains("nothing arrived within the handle's timeout of 10 ms"), "{}", e);
}

#[test]
fn each_kind_of_call_keeps_its_own_record() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    assert_eq!(c.last_error(CallKind::Option), None);
    let opt = c.set_bytes(OPT_U32 as u32, &[1]).unwrap_err();
    k.fail_next(Call::Send, errno::ENOBUFS).unwrap();
    let send = c.send(b"x").unwrap_err();
    assert_eq!(send.call_kind(), CallKind::Send);
    let kept = c.last_error(CallKind::Option).expect("the option record");
    assert_eq!((kept.errno(), kept.origin(), kept.message()), (opt.errno(), opt.origin(), opt.message()));
    assert_eq!(c.explain(CallKind::Option, errno::EINVAL), opt.message());
    // an errno the record does not hold gets no guessed cause
    assert_eq!(c.explain(CallKind::Option, errno::ETIMEDOUT), kctl::strerror(errno::ETIMEDOUT));
}

#[test]
fn an_argument_the_binding_refuses_says_so_and_reaches_no_syscall() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    let before = k.call_count(Call::Setsockopt);
    let e = c.set_str(3, "a\0b").unwrap_err();
    assert_eq!((e.errno(), e.origin()), (errno::EINVAL, Origin::Library));
    assert!(e.message().contains("the Rust binding refused it before any call"), "{}", e);
    assert_eq!(k.call_count(Call::Setsockopt), before);
}

#[test]
fn an_io_error_keeps_the_errno_its_kind_and_the_whole_sentence() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    let e = c.set_bytes(OPT_U32 as u32, &[1, 2, 3]).unwrap_err();
    let sentence = e.to_string();
    let io: io::Error = e.into();
    assert_eq!(io.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(io.to_string(), sentence);
    let inner = io.get_ref().and_then(|i| i.downcast_ref::<Error>()).expect("kctl::Error inside");
    assert_eq!(inner.origin(), Origin::Control);
}

#[test]
fn errno_names_are_the_hosts() {
    assert_eq!(kctl::errno_name(errno::EAGAIN), Some("EAGAIN"));
    assert_eq!(kctl::errno_name(-errno::ENOTRECOVERABLE), Some("ENOTRECOVERABLE"));
    assert_eq!(kctl::errno_name(0), None);
    assert_eq!(kctl::errno_name(100_000), None);
    let e = Error::from_errno(errno::ENOBUFS);
    assert_eq!((e.name(), e.origin(), e.call()), (Some("ENOBUFS"), Origin::Unknown, ""));
    assert_eq!(e.message(), kctl::strerror(errno::ENOBUFS));
}
