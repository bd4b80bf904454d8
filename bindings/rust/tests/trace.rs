//! The call tracer: every call of a simulated (or the native) kernel as a line, to a
//! closure or an fd; timestamps; a panicking closure; the tracer kept alive by what
//! uses it.

mod common;

use std::fs;
use std::os::unix::io::AsRawFd;
use std::sync::{Arc, Mutex};

use common::{echo, ECHO, PATIENCE};
use kctl::sim::{Kernel, Registration};
use kctl::{Backend, OpenOptions, TraceFlags, Tracer};

type Lines = Arc<Mutex<Vec<String>>>;

fn collector(traced: &Backend, flags: TraceFlags) -> (Tracer, Lines) {
    let lines: Lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let t = Tracer::new(traced, flags, move |l| sink.lock().unwrap().push(l.to_owned())).unwrap();
    (t, lines)
}

fn with_fd(line: &str, fd: i32) -> String {
    line.replace("FD", &fd.to_string())
}

#[test]
fn an_open_and_a_close_are_traced_call_by_call() {
    let k = Kernel::new().unwrap();
    let (ctl, _) = echo(&k, Registration::new(ECHO));
    let (t, lines) = collector(&k.backend(), TraceFlags::NONE);
    let c = OpenOptions::new().backend(&t.backend()).timeout(PATIENCE).open(ECHO).unwrap();
    let fd = c.as_raw_fd();
    let id = ctl.id();
    let want = [
        "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD".to_string(),
        "ioctl(FD, FIOCLEX) = 0".into(),
        "ioctl(FD, FIONBIO, [1]) = 0".into(),
        "setsockopt(FD, SOL_SOCKET, SO_NOSIGPIPE, [1], 4) = 0".into(),
        format!("ioctl(FD, CTLIOCGINFO, {{ctl_name=\"{}\"}} => {{ctl_id={}}}) = 0", ECHO, id),
        "close(FD) = 0".into(),
        "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD".into(),
        "ioctl(FD, FIOCLEX) = 0".into(),
        "ioctl(FD, FIONBIO, [1]) = 0".into(),
        "setsockopt(FD, SOL_SOCKET, SO_NOSIGPIPE, [1], 4) = 0".into(),
        format!("connect(FD, {{sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, \
                 sc_id={}, sc_unit=0}}, 32) = 0", id),
        format!("getpeername(FD, {{sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, \
                 sc_id={}, sc_unit=1}}, [32]) = 0", id),
    ];
    let want: Vec<String> = want.iter().map(|l| with_fd(l, fd)).collect();
    assert_eq!(*lines.lock().unwrap(), want);
    c.send(b"ping").unwrap();
    let mut buf = [0u8; 16];
    c.recv(&mut buf).unwrap();
    c.close().unwrap();
    let got = lines.lock().unwrap();
    assert_eq!(got.len(), want.len() + 3);
    assert!(got[12].starts_with(&format!("sendmsg({}, 4 bytes ", fd)), "{}", got[12]);
    assert!(got[13].starts_with(&format!("recvmsg({}, ", fd)), "{}", got[13]);
    assert_eq!(got[14], format!("close({}) = 0", fd));
}

#[test]
fn timestamps_start_each_line_with_the_seconds_since_the_tracer_was_made() {
    let k = Kernel::new().unwrap();
    let (t, lines) = collector(&k.backend(), TraceFlags::TIME);
    t.backend().count().unwrap();
    let got = lines.lock().unwrap();
    assert!(!got.is_empty());
    for l in got.iter() {
        let (stamp, rest) = l.split_once(' ').unwrap();
        assert!(stamp.starts_with('+') && stamp[1..].parse::<f64>().is_ok(), "{}", l);
        assert!(!rest.is_empty());
    }
}

#[test]
fn a_tracer_writes_whole_lines_to_a_file_it_keeps_open() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("trace-{}.txt", std::process::id()));
    let t = Tracer::to_fd(&k.backend(), TraceFlags::NONE, fs::File::create(&path).unwrap())
        .unwrap();
    let c = OpenOptions::new().backend(&t.backend()).open(ECHO).unwrap();
    drop(t); // the Control keeps the tracer, and the tracer its file
    c.send(b"x").unwrap();
    drop(c);
    let text = fs::read_to_string(&path).unwrap();
    let _ = fs::remove_file(&path);
    assert!(text.ends_with(") = 0\n"), "{}", text);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 14, "{}", text); // the open's 12, the send, the close
    assert!(lines[0].starts_with("socket(AF_SYSTEM, SOCK_DGRAM"));
    assert!(lines[12].starts_with("sendmsg("));
    assert!(lines[13].starts_with("close("));
}

#[test]
fn a_panicking_closure_loses_its_line_and_nothing_else() {
    let k = Kernel::new().unwrap();
    let _e = echo(&k, Registration::new(ECHO));
    let lines: Lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let t = Tracer::new(&k.backend(), TraceFlags::NONE, move |l| {
        if l.starts_with("connect(") {
            panic!("no connects, please");
        }
        sink.lock().unwrap().push(l.to_owned());
    }).unwrap();
    let c = OpenOptions::new().backend(&t.backend()).open(ECHO).unwrap();
    c.send(b"still works").unwrap();
    assert_eq!(t.take_panics(), ["no connects, please"]);
    assert_eq!(t.take_panics(), Vec::<String>::new());
    let got = lines.lock().unwrap();
    assert!(!got.iter().any(|l| l.starts_with("connect(")));
    assert!(got.iter().any(|l| l.starts_with("getpeername(")) && got.last().unwrap().starts_with("sendmsg("));
}

#[test]
fn a_traced_kernel_stays_alive_as_long_as_its_tracer() {
    let (t, lines) = {
        let k = Kernel::new().unwrap();
        let _e = echo(&k, Registration::new(ECHO));
        collector(&k.backend(), TraceFlags::NONE)
    }; // the Kernel handle is gone; the tracer holds the kernel
    let c = OpenOptions::new().backend(&t.backend()).open(ECHO).unwrap();
    c.send(b"x").unwrap();
    assert!(lines.lock().unwrap().iter().any(|l| l.starts_with("sendmsg(")));
}

/// Compiled, never called: std's stderr is an output a tracer takes (and keeps).
#[allow(dead_code)]
fn a_tracer_to_stderr_compiles() -> kctl::Result<Tracer> {
    Tracer::to_fd(&Backend::native(), TraceFlags::TIME, std::io::stderr())
}

#[cfg(not(target_os = "macos"))]
#[test]
fn the_native_backend_is_traced_too_and_answers_eafnosupport_off_macos() {
    let (t, lines) = collector(&Backend::native(), TraceFlags::NONE);
    let e = t.backend().count().unwrap_err();
    assert_eq!(e.errno(), kctl::errno::EAFNOSUPPORT);
    assert_eq!(*lines.lock().unwrap(), [format!(
        "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = -1 EAFNOSUPPORT ({})",
        &kctl::strerror(e.errno())["EAFNOSUPPORT (".len()..].trim_end_matches(')'))]);
}
