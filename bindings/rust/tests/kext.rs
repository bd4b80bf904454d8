//! The sample kext loaded into the simulated kernel through libkctl-kpi: load, requests,
//! options, events, unload rules, the log. Feature `kpi`.
#![cfg(feature = "kpi")]

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use common::PATIENCE;
use kctl::errno;
use kctl::kpi::{self, Kext};
use kctl::sim::Kernel;
use kctl::{FrameBuf, FrameFlags, FrameWriter, Opt};

// kext-sample/sample_proto.h
const SAMPLE: &str = "org.libkctl.sample";
const SAMPLE_STREAM: &str = "org.libkctl.sample.stream";
const MSG_ECHO: u16 = 1;
const MSG_COUNTER: u16 = 2;
const MSG_KV_SET: u16 = 3;
const MSG_KV_GET: u16 = 4;
const MSG_SUBSCRIBE: u16 = 6;
const MSG_EVENT: u16 = 8;
const ATTR_ADD: u16 = 1;
const ATTR_VALUE: u16 = 2;
const ATTR_KEY: u16 = 3;
const ATTR_EVENT_SEQ: u16 = 4;
const OPT_COUNTER: Opt<u64> = Opt::new(1);
const OPT_LABEL: Opt<String> = Opt::new(3);

/// libkctl-kpi is the kernel of the process: one test at a time loads kexts.
fn serial() -> MutexGuard<'static, ()> {
    static ONE: Mutex<()> = Mutex::new(());
    ONE.lock().unwrap_or_else(|p| p.into_inner())
}

/// The sample module: $KCTL_SAMPLE_KEXT (make check sets it), else the default build tree.
fn sample_path() -> PathBuf {
    match std::env::var_os("KCTL_SAMPLE_KEXT") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../build/kext-sample/Sample.so")),
    }
}

fn load() -> (Kernel, Kext) {
    let k = Kernel::new().unwrap();
    let path = sample_path();
    let kext = Kext::load_module(&k, &path)
        .unwrap_or_else(|e| panic!("loading {}: {} (set KCTL_SAMPLE_KEXT)", path.display(), e));
    (k, kext)
}

/// A request whose payload is the attributes `build` writes.
fn attrs_payload(build: impl FnOnce(&mut FrameWriter) -> kctl::Result<()>) -> Vec<u8> {
    let mut w = FrameWriter::new(512);
    w.start(FrameFlags::REQUEST, 0, 0, 0).unwrap();
    build(&mut w).unwrap();
    let buf = FrameBuf::from_bytes(w.finish().unwrap());
    let payload = buf.record(0).unwrap().next().unwrap().payload().to_vec();
    payload
}

/// Decodes a reply payload (its attributes) through an aligned frame.
fn reply_attr_u64(payload: &[u8], t: u16) -> u64 {
    let mut w = FrameWriter::new(512);
    w.start(FrameFlags::REPLY, 0, 1, 0).unwrap().put(payload).unwrap();
    let buf = FrameBuf::from_bytes(w.finish().unwrap());
    let f = buf.record(0).unwrap().next().unwrap();
    let v = f.attr(t).unwrap().get_u64().unwrap();
    v
}

#[test]
fn the_sample_kext_loads_and_answers_requests() {
    let _one = serial();
    let (k, mut kext) = load();
    assert_eq!(kext.name(), "org.libkctl.sample");
    assert!(kext.is_loaded());
    let c = k.open_options().timeout(PATIENCE).open(SAMPLE).unwrap();
    assert_eq!(c.request_vec(MSG_ECHO, b"hello kext").unwrap(), b"hello kext");
    let add = attrs_payload(|w| w.attr_u32(ATTR_ADD, 5).map(drop));
    let r = c.request_vec(MSG_COUNTER, &add).unwrap();
    assert_eq!(reply_attr_u64(&r, ATTR_VALUE), 5);
    assert_eq!(c.get(OPT_COUNTER).unwrap(), 5);
    drop(c);
    kext.unload().unwrap();
    assert!(!kext.is_loaded());
}

#[test]
fn the_kexts_key_value_store_answers_through_attributes() {
    let _one = serial();
    let (k, _kext) = load();
    let c = k.open_options().stream(true).timeout(PATIENCE).open(SAMPLE_STREAM).unwrap();
    let set = attrs_payload(|w| w.attr_str(ATTR_KEY, "colour")?.attr(ATTR_VALUE, b"teal").map(drop));
    c.request_vec(MSG_KV_SET, &set).unwrap();
    let get = attrs_payload(|w| w.attr_str(ATTR_KEY, "colour").map(drop));
    let r = c.request_vec(MSG_KV_GET, &get).unwrap();
    assert!(r.windows(4).any(|w| w == b"teal"), "{:?}", r);
    let missing = attrs_payload(|w| w.attr_str(ATTR_KEY, "absent").map(drop));
    assert_eq!(c.request_vec(MSG_KV_GET, &missing).unwrap_err().errno(), errno::ENOENT);
}

#[test]
fn a_subscribed_client_receives_numbered_events() {
    let _one = serial();
    let (k, _kext) = load();
    let c = k.open_options().timeout(PATIENCE).open(SAMPLE).unwrap();
    c.request_vec(MSG_SUBSCRIBE, b"").unwrap();
    let mut buf = FrameBuf::for_control(&c);
    let mut last = 0;
    for _ in 0..3 {
        let f = c.recv_frame(&mut buf).unwrap();
        assert!(f.is_event());
        assert_eq!(f.msg_type(), MSG_EVENT);
        let seq = f.attr(ATTR_EVENT_SEQ).unwrap().get_u64().unwrap();
        assert!(seq > last, "{} after {}", seq, last);
        last = seq;
    }
}

#[test]
fn the_kexts_label_option_has_a_variable_size() {
    let _one = serial();
    let (k, _kext) = load();
    let c = k.open_options().timeout(PATIENCE).open(SAMPLE).unwrap();
    assert_eq!(c.get(OPT_LABEL).unwrap(), format!("unit {}", c.unit()));
    c.set(OPT_LABEL, "renamed").unwrap();
    assert_eq!(c.opt_size(3).unwrap(), "renamed\0".len());
    assert_eq!(c.get(OPT_LABEL).unwrap(), "renamed");
    assert_eq!(c.set(OPT_LABEL, &"x".repeat(64)).unwrap_err().errno(), errno::EMSGSIZE);
}

#[test]
fn a_kext_with_clients_refuses_to_unload() {
    let _one = serial();
    let (k, mut kext) = load();
    let c = k.open_options().open(SAMPLE).unwrap();
    assert_eq!(kext.unload().unwrap_err().errno(), errno::EBUSY);
    assert!(kext.is_loaded());
    drop(c);
    kext.unload().unwrap();
    kext.unload().unwrap(); // unloaded already: nothing to do
}

#[test]
fn a_kext_dropped_with_clients_is_unloaded_when_its_kernel_goes() {
    let _one = serial();
    let (k, kext) = load();
    let c = k.open_options().open(SAMPLE).unwrap();
    drop(kext); // refused: a client is connected
    drop(k);
    assert_eq!(c.request_vec(MSG_ECHO, b"x").unwrap(), b"x", "still loaded");
    drop(c); // the last owner of the kernel: the kext is unloaded, the kernel freed
    let (_k2, kext2) = load(); // only possible once no kext is loaded in another kernel
    assert!(kext2.is_loaded());
}

#[test]
fn kexts_load_into_one_kernel_at_a_time() {
    let _one = serial();
    let (_k, _kext) = load();
    let other = Kernel::new().unwrap();
    assert_eq!(Kext::load_module(&other, sample_path()).unwrap_err().errno(), errno::EBUSY);
    assert_eq!(Kext::load_module(&other, "/nonexistent/Sample.so").unwrap_err().errno(), errno::ENOENT);
}

#[test]
fn the_kexts_printf_lines_reach_the_log_function() {
    let _one = serial();
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let l2 = lines.clone();
    kpi::set_log(Some(Box::new(move |line| l2.lock().unwrap().push(line.to_string()))));
    let (_k, mut kext) = load();
    kext.unload().unwrap();
    kpi::set_log(None);
    let lines = lines.lock().unwrap();
    assert!(!lines.is_empty(), "the sample prints when it starts and stops");
    assert!(lines.iter().all(|l| !l.ends_with('\n')));
}

/// The folder of the misbehaving test kexts (tests/kpi/kexts), which make check names.
fn test_kext(name: &str) -> Option<PathBuf> {
    match std::env::var_os("KCTL_TEST_KEXT_DIR") {
        Some(d) => Some(PathBuf::from(d).join(name)),
        None => {
            eprintln!("not run: KCTL_TEST_KEXT_DIR is unset (make check sets it to the \
                       build's tests/kpi, where {} is)", name);
            None
        }
    }
}

/// The path of the libkctl this process loaded (a shared library that is no kext).
fn loaded_libkctl() -> PathBuf {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let line = maps.lines().find(|l| l.contains("/libkctl.so")).expect("libkctl mapped");
    PathBuf::from(&line[line.find('/').unwrap()..])
}

#[test]
fn a_load_that_fails_carries_the_loaders_sentence() {
    let _one = serial();
    let k = Kernel::new().unwrap();
    let e = Kext::load_module(&k, "/nonexistent/Sample.so").unwrap_err();
    assert_eq!(e.errno(), errno::ENOENT);
    let why = kpi::last_error();
    assert!(why.contains("/nonexistent/Sample.so"), "{}", why);
    assert_eq!(e.message(), format!("{}: {}", kctl::strerror(errno::ENOENT), why));
    let e = Kext::load_module(&k, loaded_libkctl()).unwrap_err();
    assert_eq!(e.errno(), errno::ENOEXEC);
    assert!(e.message().contains("exports no kmod_info: it is not a kext"), "{}", e);
}

#[test]
fn a_kext_loaded_twice_is_refused_by_name() {
    let _one = serial();
    let (k, _kext) = load();
    let e = Kext::load_module(&k, sample_path()).unwrap_err();
    assert_eq!(e.errno(), errno::EEXIST);
    assert!(e.message().contains("org.libkctl.sample"), "{}", e);
    assert_eq!(kpi::last_error(), e.message()[kctl::strerror(errno::EEXIST).len() + 2..]);
}

#[test]
fn a_start_routine_that_fails_and_a_kpi_not_simulated_are_named() {
    let _one = serial();
    let (failing, unknown) = match (test_kext("FailingStart.so"), test_kext("UnknownKpi.so")) {
        (Some(a), Some(b)) => (a, b),
        _ => return,
    };
    let k = Kernel::new().unwrap();
    let e = Kext::load_module(&k, &failing).unwrap_err();
    assert_eq!(e.errno(), errno::ECANCELED);
    assert!(e.message().contains("org.example.failing_start did not start: its start routine \
                                  returned 3"), "{}", e);
    let e = Kext::load_module(&k, &unknown).unwrap_err();
    assert_eq!(e.errno(), errno::ENOSYS);
    assert!(e.message().contains("uses bsd_timeout_not_simulated, a kernel function the \
                                  simulated kernel does not provide"), "{}", e);
    assert_eq!(k.backend().count().unwrap(), 0, "nothing of either stayed");
}

#[test]
fn an_untidy_unload_reports_what_was_left_and_the_kext_is_gone() {
    let _one = serial();
    let leaky = match test_kext("Leaky.so") {
        Some(p) => p,
        None => return,
    };
    let k = Kernel::new().unwrap();
    let mut kext = Kext::load_module(&k, &leaky).unwrap();
    let c = k.open_options().open("org.example.misbehave").unwrap();
    c.send(b"lost").unwrap();
    drop(c);
    let e = kext.unload().unwrap_err();
    assert_eq!(e.errno(), errno::ENOTEMPTY);
    assert!(e.message().contains("org.example.leaky leaked 3 mbufs"), "{}", e);
    assert!(e.message().contains("left 1 thread call scheduled"), "{}", e);
    assert!(!kext.is_loaded(), "ENOTEMPTY: it is gone");
    kext.unload().unwrap();
}
