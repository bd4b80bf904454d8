//! `include/kctl_sim.h`: the simulated kernel (link with the `sim` feature).

use super::{
    c_char, c_int, c_ulong, c_void, iovec, kctl_abi_sockaddr_ctl, kctl_backend_t,
    KCTL_ABI_MAX_NAME,
};

c_opaque! { SIM_OPAQUE;
    /// `kctl_sim_t`: a simulated kernel.
    kctl_sim_t;
    /// `kctl_sim_ctl_t`: a registered control (kern_ctl_ref).
    kctl_sim_ctl_t;
    /// `kctl_sim_mbuf_t`: a packet as a chain of segments (mbuf_t).
    kctl_sim_mbuf_t;
}

c_types! { SIM_TYPES;
    /// `enum kctl_sim_call`: the calls kctl_sim_fail_next() can make fail.
    pub type kctl_sim_call = c_int;
    /// `kctl_sim_send_list_fn`: a control's list send (xnu's ctl_send_list).
    pub type kctl_sim_send_list_fn = Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t, u32,
        *mut c_void, *mut kctl_sim_mbuf_t, c_int) -> c_int>;
}

c_constants! { SIM_CONSTANTS;
    pub const KCTL_SIM_CALL_SOCKET: kctl_sim_call = 0;
    pub const KCTL_SIM_CALL_IOCTL: kctl_sim_call = 1;
    pub const KCTL_SIM_CALL_BIND: kctl_sim_call = 2;
    pub const KCTL_SIM_CALL_CONNECT: kctl_sim_call = 3;
    pub const KCTL_SIM_CALL_GETPEERNAME: kctl_sim_call = 4;
    pub const KCTL_SIM_CALL_SEND: kctl_sim_call = 5;
    pub const KCTL_SIM_CALL_RECV: kctl_sim_call = 6;
    pub const KCTL_SIM_CALL_GETSOCKOPT: kctl_sim_call = 7;
    pub const KCTL_SIM_CALL_SETSOCKOPT: kctl_sim_call = 8;
    pub const KCTL_SIM_CALL_CLOSE: kctl_sim_call = 9;
    pub const KCTL_SIM_CALL_ENQUEUE: kctl_sim_call = 10;
    pub const KCTL_SIM_CALL_SYSCTL: kctl_sim_call = 11;
    pub const KCTL_SIM_CALL_COUNT: kctl_sim_call = 12;
    pub const KCTL_SIM_IFNAMSIZ: usize = 16;
}

c_structs! { sim_structs;
    /// `struct kctl_sim_reg`: a registration, as Apple's `struct kern_ctl_reg`.
    pub struct kctl_sim_reg {
        pub name: [c_char; KCTL_ABI_MAX_NAME],
        pub id: u32,
        pub unit: u32,
        pub flags: u32,
        pub sendsize: u32,
        pub recvsize: u32,
        pub cookie: *mut c_void,
        pub connect: Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t,
                                                 *const kctl_abi_sockaddr_ctl,
                                                 *mut *mut c_void) -> c_int>,
        pub disconnect: Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t, u32, *mut c_void)
                                                    -> c_int>,
        pub send: Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t, u32, *mut c_void,
                                              *mut kctl_sim_mbuf_t, c_int) -> c_int>,
        pub setopt: Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t, u32, *mut c_void, c_int,
                                                *mut c_void, usize) -> c_int>,
        pub getopt: Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t, u32, *mut c_void, c_int,
                                                *mut c_void, *mut usize) -> c_int>,
        pub rcvd: Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t, u32, *mut c_void, c_int)>,
        pub bind: Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t,
                                              *const kctl_abi_sockaddr_ctl,
                                              *mut *mut c_void) -> c_int>,
        pub setup: Option<unsafe extern "C" fn(*mut kctl_sim_ctl_t, *mut u32, *mut *mut c_void)
                                               -> c_int>,
    }
}

c_structs! { sim_utun_structs;
    /// `struct kctl_sim_utun_if`: a simulated utun interface as the network sees it.
    pub struct kctl_sim_utun_if {
        pub name: [c_char; KCTL_SIM_IFNAMSIZ],
        pub unit: u32,
        pub flags: u32,
        pub max_pending: u32,
        pub queued: u32,
        pub untaken: u32,
        pub reserved: u32,
        pub ipackets: u64,
        pub ibytes: u64,
        pub ierrors: u64,
        pub opackets: u64,
        pub obytes: u64,
        pub oerrors: u64,
        pub in_dropped: u64,
    }
}

c_functions! { SIM_FUNCTIONS;
    pub fn kctl_sim_new(out: *mut *mut kctl_sim_t) -> c_int;
    pub fn kctl_sim_free(sim: *mut kctl_sim_t);
    pub fn kctl_sim_backend(sim: *mut kctl_sim_t) -> *const kctl_backend_t;
    pub fn kctl_sim_set_euid(sim: *mut kctl_sim_t, euid: u32);
    pub fn kctl_sim_set_mbuf_segment(sim: *mut kctl_sim_t, size: usize) -> c_int;
    pub fn kctl_sim_fail_next(sim: *mut kctl_sim_t, call: c_int, err: c_int) -> c_int;
    pub fn kctl_sim_call_count(sim: *const kctl_sim_t, call: c_int) -> u64;
    pub fn kctl_sim_register(sim: *mut kctl_sim_t, reg: *mut kctl_sim_reg,
                             out: *mut *mut kctl_sim_ctl_t) -> c_int;
    pub fn kctl_sim_deregister(ctl: *mut kctl_sim_ctl_t) -> c_int;
    pub fn kctl_sim_ctl_cookie(ctl: *const kctl_sim_ctl_t) -> *mut c_void;
    pub fn kctl_sim_ctl_sim(ctl: *const kctl_sim_ctl_t) -> *mut kctl_sim_t;
    pub fn kctl_sim_ctl_id(ctl: *const kctl_sim_ctl_t) -> u32;
    pub fn kctl_sim_enqueue(ctl: *mut kctl_sim_ctl_t, unit: u32, data: *const c_void, len: usize,
                            flags: u32) -> c_int;
    pub fn kctl_sim_enqueue_mbuf(ctl: *mut kctl_sim_ctl_t, unit: u32, m: *mut kctl_sim_mbuf_t,
                                 flags: u32) -> c_int;
    pub fn kctl_sim_enqueue_space(ctl: *mut kctl_sim_ctl_t, unit: u32, space: *mut usize)
                                  -> c_int;
    pub fn kctl_sim_enqueue_readable(ctl: *mut kctl_sim_ctl_t, unit: u32,
                                     difference: *mut usize) -> c_int;
    pub fn kctl_sim_enqueue_packets(ctl: *mut kctl_sim_ctl_t, unit: u32, count: *mut usize)
                                    -> c_int;
    pub fn kctl_sim_mbuf_alloc(sim: *mut kctl_sim_t, len: usize, out: *mut *mut kctl_sim_mbuf_t)
                               -> c_int;
    pub fn kctl_sim_mbuf_free(m: *mut kctl_sim_mbuf_t);
    pub fn kctl_sim_ctl_set_send_list(ctl: *mut kctl_sim_ctl_t, fn_: kctl_sim_send_list_fn)
                                      -> c_int;
    pub fn kctl_sim_mbuf_nextpkt(m: *const kctl_sim_mbuf_t) -> *mut kctl_sim_mbuf_t;
    pub fn kctl_sim_sendmsg_x(sim: *mut kctl_sim_t, fd: c_int, msgs: *const iovec, cnt: u32,
                              flags: c_int, sent: *mut u32) -> c_int;
    pub fn kctl_sim_mbuf_next(m: *const kctl_sim_mbuf_t) -> *mut kctl_sim_mbuf_t;
    pub fn kctl_sim_mbuf_data(m: *const kctl_sim_mbuf_t) -> *mut c_void;
    pub fn kctl_sim_mbuf_len(m: *const kctl_sim_mbuf_t) -> usize;
    pub fn kctl_sim_mbuf_pkthdr_len(m: *const kctl_sim_mbuf_t) -> usize;
    pub fn kctl_sim_mbuf_copydata(m: *const kctl_sim_mbuf_t, off: usize, len: usize,
                                  out: *mut c_void) -> c_int;
    pub fn kctl_sim_socket(sim: *mut kctl_sim_t, domain: c_int, type_: c_int, protocol: c_int,
                           fd: *mut c_int) -> c_int;
    pub fn kctl_sim_ioctl(sim: *mut kctl_sim_t, fd: c_int, req: c_ulong, arg: *mut c_void)
                          -> c_int;
    pub fn kctl_sim_bind(sim: *mut kctl_sim_t, fd: c_int, sa: *const kctl_abi_sockaddr_ctl,
                         salen: u32) -> c_int;
    pub fn kctl_sim_connect(sim: *mut kctl_sim_t, fd: c_int, sa: *const kctl_abi_sockaddr_ctl,
                            salen: u32) -> c_int;
    pub fn kctl_sim_getpeername(sim: *mut kctl_sim_t, fd: c_int, sa: *mut kctl_abi_sockaddr_ctl,
                                salen: *mut u32) -> c_int;
    pub fn kctl_sim_sendmsg(sim: *mut kctl_sim_t, fd: c_int, iov: *const iovec, iovcnt: c_int,
                            flags: c_int, sent: *mut usize) -> c_int;
    pub fn kctl_sim_recvmsg(sim: *mut kctl_sim_t, fd: c_int, iov: *const iovec, iovcnt: c_int,
                            flags: c_int, got: *mut usize, rflags: *mut c_int) -> c_int;
    pub fn kctl_sim_getsockopt(sim: *mut kctl_sim_t, fd: c_int, level: c_int, opt: c_int,
                               val: *mut c_void, len: *mut u32) -> c_int;
    pub fn kctl_sim_setsockopt(sim: *mut kctl_sim_t, fd: c_int, level: c_int, opt: c_int,
                               val: *const c_void, len: u32) -> c_int;
    pub fn kctl_sim_close(sim: *mut kctl_sim_t, fd: c_int) -> c_int;
    pub fn kctl_sim_move_fds(sim: *mut kctl_sim_t, fd: c_int, floor: c_int, newfd: *mut c_int,
                             kfd: *mut c_int) -> c_int;
    pub fn kctl_sim_sysctl(sim: *mut kctl_sim_t, name: *const c_char, old: *mut c_void,
                           oldlen: *mut usize, newp: *const c_void, newlen: usize) -> c_int;
    pub fn kctl_sim_new_mac(out: *mut *mut kctl_sim_t) -> c_int;
    pub fn kctl_sim_utun_register(sim: *mut kctl_sim_t, out: *mut *mut kctl_sim_ctl_t) -> c_int;
    pub fn kctl_sim_utun_inject(sim: *mut kctl_sim_t, ifname: *const c_char, family: u32,
                                pkt: *const c_void, len: usize) -> c_int;
    pub fn kctl_sim_utun_take(sim: *mut kctl_sim_t, ifname: *const c_char, buf: *mut c_void,
                              cap: usize, len: *mut usize, family: *mut u32, timeout_ms: i32)
                              -> c_int;
    pub fn kctl_sim_utun_list(sim: *mut kctl_sim_t, out: *mut kctl_sim_utun_if, cap: u32,
                              count: *mut u32) -> c_int;
    pub fn kctl_sim_utun_info(sim: *mut kctl_sim_t, ifname: *const c_char,
                              out: *mut kctl_sim_utun_if) -> c_int;
}
