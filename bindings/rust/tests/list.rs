//! Listing the registered controls: every field of the registration list, the callback
//! walk (stopping, a panic resumed after C returns), a list that cannot be read.

mod common;

use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{echo, open, ECHO};
use kctl::errno;
use kctl::sim::{Call, Kernel, Registration};
use kctl::{Backend, CtlDesc, Origin};

fn three_controls(k: &Kernel) -> Vec<kctl::sim::SimControl> {
    vec![
        echo(k, Registration::new(ECHO)).0,
        echo(k, Registration::new("org.libkctl.rs.root").privileged(true).stream(true)
            .sendsize(4096).recvsize(16384)).0,
        echo(k, Registration::new("org.libkctl.rs.pinned").id_unit(7000, 12)).0,
    ]
}

#[test]
fn every_registered_control_is_listed_with_its_registration() {
    let k = Kernel::new().unwrap();
    let ctls = three_controls(&k);
    let _a = open(&k, ECHO, false);
    let _b = open(&k, ECHO, false);
    let list = k.backend().list().unwrap();
    let names: Vec<&str> = list.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, [ECHO, "org.libkctl.rs.root", "org.libkctl.rs.pinned"]);
    let echo: &CtlDesc = &list[0];
    assert_eq!((echo.id, echo.units_in_use, echo.reg_unit), (ctls[0].id(), 2, None));
    assert_eq!((echo.sendsize, echo.recvsize), (2048, 8192));
    assert!(!echo.is_privileged() && !echo.is_stream());
    let root = &list[1];
    assert!(root.is_privileged() && root.is_stream());
    assert_eq!((root.sendsize, root.recvsize, root.units_in_use), (4096, 16384, 0));
    assert_eq!((list[2].id, list[2].reg_unit), (7000, Some(12)));
}

#[test]
fn an_empty_kernel_lists_nothing() {
    let k = Kernel::new().unwrap();
    assert_eq!(k.backend().list().unwrap(), []);
}

#[test]
fn the_walk_sees_each_control_in_order_and_stops_when_asked() {
    let k = Kernel::new().unwrap();
    let _c = three_controls(&k);
    let mut seen = Vec::new();
    k.backend().for_each_control(|d| {
        seen.push(d.name.clone());
        ControlFlow::Continue(())
    }).unwrap();
    assert_eq!(seen.len(), 3);
    let mut first = Vec::new();
    k.backend().for_each_control(|d| {
        first.push(d.id);
        ControlFlow::Break(())
    }).unwrap();
    assert_eq!(first.len(), 1);
}

#[test]
fn a_panic_in_the_walk_reaches_the_caller_after_libkctl_returned() {
    let k = Kernel::new().unwrap();
    let _c = three_controls(&k);
    let mut calls = 0;
    let r = catch_unwind(AssertUnwindSafe(|| {
        k.backend().for_each_control(|_| {
            calls += 1;
            panic!("walk panicked");
        })
    }));
    let p = r.unwrap_err();
    assert_eq!(p.downcast_ref::<&str>(), Some(&"walk panicked"));
    assert_eq!(calls, 1, "the walk stopped at the panic");
    assert_eq!(k.backend().list().unwrap().len(), 3, "libkctl and the kernel are fine");
}

#[test]
fn a_list_the_kernel_cannot_give_is_its_errno_without_a_guessed_cause() {
    let k = Kernel::new().unwrap();
    let _c = three_controls(&k);
    k.fail_next(Call::Sysctl, errno::EIO).unwrap();
    let e = k.backend().list().unwrap_err();
    assert_eq!((e.errno(), e.origin(), e.call()), (errno::EIO, Origin::Unknown, "kctl_list"));
    assert_eq!(e.message(), kctl::strerror(errno::EIO));
    assert_eq!(k.backend().list().unwrap().len(), 3);
}

#[cfg(not(target_os = "macos"))]
#[test]
fn the_native_backend_has_no_list_off_macos() {
    assert_eq!(Backend::native().list().unwrap_err().errno(), errno::EAFNOSUPPORT);
}
