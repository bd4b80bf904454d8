//! Options at level SYSPROTO_CONTROL: integers, strings, bytes, typed descriptors, sizes.

mod common;

use common::*;
use kctl::errno;
use kctl::sim::{Kernel, Registration};
use kctl::Opt;

fn setup() -> (Kernel, kctl::sim::SimControl, kctl::Control) {
    let k = Kernel::new().unwrap();
    let (ctl, _) = echo(&k, Registration::new(ECHO));
    let c = open(&k, ECHO, false);
    (k, ctl, c)
}

#[test]
fn integer_options_round_trip_in_host_byte_order() {
    let (_k, _e, c) = setup();
    c.set_u32(OPT_U32 as u32, 0xDEAD_BEEF).unwrap();
    assert_eq!(c.get_u32(OPT_U32 as u32).unwrap(), 0xDEAD_BEEF);
    c.set_u64(OPT_U64 as u32, u64::MAX - 1).unwrap();
    assert_eq!(c.get_u64(OPT_U64 as u32).unwrap(), u64::MAX - 1);
    let mut raw = [0u8; 4];
    assert_eq!(c.get_bytes(OPT_U32 as u32, &mut raw).unwrap(), 4);
    assert_eq!(raw, 0xDEAD_BEEFu32.to_ne_bytes());
}

#[test]
fn typed_options_are_declared_once_with_their_type() {
    const COUNT: Opt<u32> = Opt::new(OPT_U32 as u32);
    const BIG: Opt<u64> = Opt::new(OPT_U64 as u32);
    const NAME: Opt<String> = Opt::new(OPT_NAME as u32);
    const INPUT: Opt<Vec<u8>> = Opt::new(OPT_SHORT as u32);
    let (_k, _e, c) = setup();
    c.set(COUNT, &7).unwrap();
    c.set(BIG, &(1 << 40)).unwrap();
    assert_eq!(c.get(COUNT).unwrap(), 7);
    assert_eq!(c.get(BIG).unwrap(), 1 << 40);
    assert_eq!(c.get(NAME).unwrap(), "echo-1");
    assert_eq!(c.get(INPUT).unwrap(), vec![1, 2]);
    assert_eq!(COUNT.num(), OPT_U32 as u32);
}

#[test]
fn an_answer_of_the_wrong_length_is_a_bad_message() {
    let (_k, _e, c) = setup();
    assert_eq!(c.get_u32(OPT_SHORT as u32).unwrap_err().errno(), errno::EBADMSG);
    assert_eq!(c.get_u64(OPT_U32 as u32).unwrap_err().errno(), errno::EBADMSG);
}

#[test]
fn the_controls_errno_comes_back_from_set_and_get() {
    let (_k, _e, c) = setup();
    let e = c.set_u32(99, 1).unwrap_err();
    assert_eq!((e.errno(), e.call()), (errno::ENOPROTOOPT, "kctl_set_u32"));
    assert_eq!(c.set_bytes(OPT_U32 as u32, b"abc").unwrap_err().errno(), errno::EINVAL);
    assert_eq!(c.get_vec(99).unwrap_err().errno(), errno::ENOPROTOOPT);
}

#[test]
fn a_get_offers_the_callers_bytes_as_input() {
    let (_k, _e, c) = setup();
    let mut buf = *b"abcd";
    assert_eq!(c.get_bytes(OPT_INPUT as u32, &mut buf).unwrap(), 4);
    assert_eq!(&buf, b"dcba");
}

#[test]
fn a_size_query_answers_the_options_length() {
    let (_k, _e, c) = setup();
    assert_eq!(c.opt_size(OPT_NAME as u32).unwrap(), "echo-1\0".len());
    assert_eq!(c.get_vec(OPT_NAME as u32).unwrap(), b"echo-1\0");
}

#[test]
fn a_string_longer_than_the_first_buffer_is_read_whole() {
    let (_k, _e, c) = setup();
    let s = c.get_str(OPT_LONG_STR as u32).unwrap();
    assert_eq!(s, "x".repeat(1000));
}

#[test]
fn a_string_with_a_nul_inside_is_refused_before_the_call() {
    let (_k, _e, c) = setup();
    assert_eq!(c.set_str(OPT_NAME as u32, "a\0b").unwrap_err().errno(), errno::EINVAL);
}

#[test]
fn an_option_value_above_the_library_limit_is_refused() {
    let (_k, _e, c) = setup();
    let big = vec![0u8; kctl::sys::KCTL_OPT_MAX + 1];
    assert_eq!(c.set_bytes(OPT_U32 as u32, &big).unwrap_err().errno(), errno::EMSGSIZE);
}
