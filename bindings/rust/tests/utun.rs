//! utun against the simulated kernel "like a Mac": opening by number, any or a range,
//! the interface's name and pending limit, packets both ways with Darwin's families, the
//! network side (inject, take, the interfaces and their counters), the errors.

use std::io::IoSlice;
use std::time::Duration;

use kctl::errno;
use kctl::sim::Kernel;
use kctl::utun::{Family, UtunOptions};
use kctl::{Backend, Origin};

const PATIENCE: Option<Duration> = Some(Duration::from_secs(5));
const V4: [u8; 20] = [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
const V6: [u8; 8] = [0x60, 0, 0, 0, 0, 0, 59, 64];

fn mac() -> Kernel {
    let k = Kernel::new_mac().unwrap();
    k.set_euid(0);
    k
}

fn opts(k: &Kernel) -> UtunOptions {
    let mut o = UtunOptions::new();
    o.backend(&k.backend()).timeout(PATIENCE);
    o
}

#[test]
fn a_kernel_like_a_mac_has_apples_utun_control_and_an_empty_one_has_not() {
    let k = mac();
    let list = k.backend().list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "com.apple.net.utun_control");
    assert!(list[0].is_privileged());
    let plain = Kernel::new().unwrap();
    plain.set_euid(0);
    let e = opts(&plain).open_any().unwrap_err();
    assert_eq!(e.errno(), errno::ENOENT);
    plain.register_utun().unwrap();
    assert!(opts(&plain).open_any().is_ok());
    assert_eq!(plain.register_utun().unwrap_err().errno(), errno::EEXIST);
}

#[test]
fn utun_is_for_root_only() {
    let k = Kernel::new_mac().unwrap();
    k.set_euid(501);
    assert_eq!(opts(&k).open_any().unwrap_err().errno(), errno::EPERM);
}

#[test]
fn interfaces_are_numbered_from_0_and_a_taken_one_is_busy() {
    let k = mac();
    let a = opts(&k).open_any().unwrap();
    let b = opts(&k).open_any().unwrap();
    assert_eq!((a.ifname().unwrap(), b.ifname().unwrap()), ("utun0".into(), "utun1".into()));
    assert_eq!(b.unit(), 2, "utunN is control unit N + 1");
    assert_eq!(opts(&k).open(1).unwrap_err().errno(), errno::EBUSY);
    let c = opts(&k).open(7).unwrap();
    assert_eq!(c.ifname().unwrap(), "utun7");
    assert_eq!(opts(&k).open(32768).unwrap_err().errno(), errno::EINVAL);
}

#[test]
fn a_range_is_walked_past_busy_interfaces_only() {
    let k = mac();
    let _a = opts(&k).open(0).unwrap();
    let _b = opts(&k).open(1).unwrap();
    let c = opts(&k).open_range(0..=3).unwrap();
    assert_eq!(c.ifname().unwrap(), "utun2");
    let _d = opts(&k).open(3).unwrap();
    assert_eq!(opts(&k).open_range(0..=3).unwrap_err().errno(), errno::EBUSY);
    k.set_euid(501);
    assert_eq!(opts(&k).open_range(4..=9).unwrap_err().errno(), errno::EPERM);
}

#[test]
fn a_packet_from_the_network_is_read_with_its_family_and_an_echo_reaches_the_network() {
    let k = mac();
    let tun = opts(&k).open_any().unwrap();
    tun.set_max_pending(8).unwrap();
    k.utun_inject("utun0", Family::INET, &V4).unwrap();
    k.utun_inject("utun0", Family::INET6, &V6).unwrap();
    let mut buf = [0u8; 64];
    let got = tun.read(&mut buf).unwrap();
    assert_eq!((got.family, &buf[..got.len]), (Family::INET, &V4[..]));
    let got6 = tun.read(&mut buf).unwrap();
    assert_eq!((got6.family, got6.family.raw(), &buf[..got6.len]), (Family::INET6, 30, &V6[..]));
    tun.write(Family::INET, &V4).unwrap();
    tun.write_vectored(Family::INET6, &[IoSlice::new(&V6[..3]), IoSlice::new(&V6[3..])]).unwrap();
    assert_eq!(k.utun_take_vec("utun0", PATIENCE).unwrap(), (Family::INET, V4.to_vec()));
    assert_eq!(k.utun_take_vec("utun0", PATIENCE).unwrap(), (Family::INET6, V6.to_vec()));
    let e = k.utun_take_vec("utun0", Some(Duration::ZERO)).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock);
    let info = k.utun_info("utun0").unwrap();
    assert_eq!((info.ipackets, info.opackets, info.untaken), (2, 2, 0));
    assert_eq!(info.ibytes, (V4.len() + V6.len() + 8) as u64, "headers included");
}

#[test]
fn a_family_utun_does_not_carry_is_refused_before_any_send() {
    let k = mac();
    let tun = opts(&k).open_any().unwrap();
    let e = tun.write(Family::from_raw(10), &V6).unwrap_err(); // Linux's AF_INET6
    assert_eq!((e.errno(), e.origin()), (errno::EPFNOSUPPORT, Origin::Library));
    assert!(e.message().contains("protocol family 10"), "{}", e);
    assert_eq!(k.utun_info("utun0").unwrap().ipackets, 0, "nothing was sent");
    assert_eq!(k.utun_inject("utun0", Family::from_raw(10), &V6).unwrap_err().errno(),
               errno::EAFNOSUPPORT);
}

#[test]
fn a_packet_longer_than_the_buffer_keeps_its_start_and_says_so() {
    let k = mac();
    let tun = opts(&k).open_any().unwrap();
    k.utun_inject("utun0", Family::INET, &V4).unwrap();
    let mut small = [0u8; 8];
    let e = tun.read(&mut small).unwrap_err();
    assert_eq!(e.errno(), errno::EMSGSIZE);
    assert!(e.message().contains("longer than the 8-byte buffer"), "{}", e);
    assert_eq!(small, V4[..8]);
}

#[test]
fn the_pending_limit_holds_packets_back_in_the_interface() {
    let k = mac();
    let tun = opts(&k).open_any().unwrap();
    assert_eq!(tun.set_max_pending(0).unwrap_err().errno(), errno::EINVAL);
    tun.set_max_pending(2).unwrap();
    for _ in 0..5 {
        k.utun_inject("utun0", Family::INET, &V4).unwrap();
    }
    let info = k.utun_info("utun0").unwrap();
    assert_eq!((info.max_pending, info.queued), (2, 3));
    let mut buf = [0u8; 64];
    for _ in 0..5 {
        tun.read(&mut buf).unwrap();
    }
    assert_eq!(k.utun_info("utun0").unwrap().queued, 0);
}

#[test]
fn flags_are_set_between_bind_and_connect_and_the_name_comes_after() {
    let k = mac();
    let mut tun = opts(&k).bind_only(true).open(4).unwrap();
    assert_eq!(tun.ifname().unwrap_err().errno(), errno::EINVAL);
    tun.set_flags(kctl::sys::KCTL_ABI_UTUN_FLAGS_NO_OUTPUT).unwrap();
    tun.connect().unwrap();
    assert_eq!(tun.ifname().unwrap(), "utun4");
    assert_eq!(k.utun_info("utun4").unwrap().flags, kctl::sys::KCTL_ABI_UTUN_FLAGS_NO_OUTPUT);
}

#[test]
fn the_interfaces_are_listed_and_closing_removes_one() {
    let k = mac();
    let a = opts(&k).open(2).unwrap();
    let b = opts(&k).open(5).unwrap();
    let names: Vec<(String, u32)> = k.utun_interfaces().unwrap().into_iter()
        .map(|i| (i.name, i.unit)).collect();
    assert_eq!(names, [("utun2".to_string(), 3), ("utun5".to_string(), 6)]);
    drop(a);
    assert_eq!(k.utun_info("utun2").unwrap_err().errno(), errno::ENXIO);
    assert_eq!(k.utun_interfaces().unwrap().len(), 1);
    b.into_control().close().unwrap();
    assert_eq!(k.utun_interfaces().unwrap(), []);
}

#[test]
fn a_take_waits_for_a_packet_written_from_another_thread() {
    let k = mac();
    let tun = opts(&k).open_any().unwrap();
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(20));
            tun.write(Family::INET, &V4).unwrap();
        });
        let mut buf = [0u8; 64];
        let got = k.utun_take("utun0", &mut buf, PATIENCE).unwrap();
        assert_eq!(&buf[..got.len], &V4[..]);
    });
}

#[test]
fn the_family_of_an_ip_packet_is_its_version() {
    assert_eq!(Family::of_packet(&V4), Some(Family::INET));
    assert_eq!(Family::of_packet(&V6), Some(Family::INET6));
    assert_eq!(Family::of_packet(&[0x10]), None);
    assert_eq!(Family::of_packet(&[]), None);
    assert!(Family::INET6.is_known() && !Family::from_raw(10).is_known());
    assert_eq!(format!("{:?} {:?}", Family::INET6, Family::from_raw(10)), "INET6 Family(10)");
}

#[test]
fn the_registration_list_reads_as_xnu_writes_it() {
    let k = mac();
    let bytes = k.sysctl("net.systm.kctl.reg_list").unwrap();
    let (hdr, rec) = (kctl::sys::KCTL_ABI_XSYSTMGEN_LEN as usize,
                      kctl::sys::KCTL_ABI_XKCTL_REG_LEN as usize);
    assert_eq!(bytes.len(), 2 * hdr + rec);
    let count = u64::from_ne_bytes(bytes[8..16].try_into().unwrap());
    assert_eq!(count, 1);
    assert_eq!(k.sysctl("kern.hostname").unwrap_err().errno(), errno::ENOENT);
}

#[cfg(not(target_os = "macos"))]
#[test]
fn the_native_backend_has_no_utun_off_macos() {
    let e = UtunOptions::new().backend(&Backend::native()).open_any().unwrap_err();
    assert_eq!(e.errno(), errno::EAFNOSUPPORT);
}
