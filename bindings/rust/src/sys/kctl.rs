//! `include/kctl.h`: the client API.

use super::{c_char, c_int, c_void, iovec};

c_opaque! { KCTL_OPAQUE;
    /// `kctl_t`: an open kernel-control socket.
    kctl_t;
    /// `kctl_backend_t`: where the calls go (the real kernel or a simulated one).
    kctl_backend_t;
    /// `kctl_trace_t`: a call tracer (a backend that prints every call).
    kctl_trace_t;
}

c_constants! { KCTL_CONSTANTS;
    pub const KCTL_NAME_MAX: usize = 96;
    pub const KCTL_UNIT_MAX: u32 = 65535;
    pub const KCTL_OPEN_DGRAM: u32 = 0x0;
    pub const KCTL_OPEN_STREAM: u32 = 0x1;
    pub const KCTL_OPEN_NONBLOCK: u32 = 0x2;
    pub const KCTL_OPEN_BIND_ONLY: u32 = 0x4;
    pub const KCTL_RECV_TRUNC: u32 = 0x1;
    pub const KCTL_RECV_EOR: u32 = 0x2;
    pub const KCTL_OPT_MAX: usize = 1 << 20;
    pub const KCTL_TIMEOUT_INFINITE: i32 = -1;
    pub const KCTL_MSG_DEFAULT_MAX: u32 = 8192;
    pub const KCTL_MSG_MAX_INFLIGHT: usize = 16;
    pub const KCTL_LIST_MAX: u32 = 65535;
    pub const KCTL_LIST_NO_UNIT: u32 = 0xFFFF_FFFF;
    pub const KCTL_UTUN_AF_INET: u32 = 2;
    pub const KCTL_UTUN_AF_INET6: u32 = 30;
    pub const KCTL_UTUN_HEADER_LEN: u32 = 4;
    pub const KCTL_UTUN_ANY: u32 = 0xFFFF_FFFF;
    pub const KCTL_UTUN_MAX: u32 = 32767;
    pub const KCTL_UTUN_IFNAME_MAX: usize = 16;
    pub const KCTL_ORIGIN_NONE: u32 = 0;
    pub const KCTL_ORIGIN_LIBRARY: u32 = 1;
    pub const KCTL_ORIGIN_KERNEL: u32 = 2;
    pub const KCTL_ORIGIN_CONTROL: u32 = 3;
    pub const KCTL_ORIGIN_KERNEL_OR_CONTROL: u32 = 4;
    pub const KCTL_CALL_NONE: u32 = 0;
    pub const KCTL_CALL_OPEN: u32 = 1;
    pub const KCTL_CALL_SEND: u32 = 2;
    pub const KCTL_CALL_RECV: u32 = 3;
    pub const KCTL_CALL_OPTION: u32 = 4;
    pub const KCTL_CALL_REQUEST: u32 = 5;
    pub const KCTL_MSG_EVENT: u32 = 1;
    pub const KCTL_MSG_REPLY: u32 = 2;
    pub const KCTL_MSG_STRAY: u32 = 3;
    pub const KCTL_MSG_REQUEST: u32 = 4;
    pub const KCTL_MSG_FRAMES_IN: u32 = 0;
    pub const KCTL_MSG_FRAMES_OUT: u32 = 1;
    pub const KCTL_MSG_RECV_CALLS: u32 = 2;
    pub const KCTL_MSG_KERNEL_DROPS: u32 = 3;
    pub const KCTL_MSG_BACKLOG_DROPS: u32 = 4;
    pub const KCTL_MSG_UNMATCHED_REPLIES: u32 = 5;
    pub const KCTL_MSG_BAD_RECORDS: u32 = 6;
    pub const KCTL_MSG_LATE_REPLIES: u32 = 7;
    pub const KCTL_MSG_IN_FLIGHT: u32 = 8;
    pub const KCTL_TRACE_TIME: u32 = 0x1;
}

c_types! { KCTL_TYPES;
    /// `kctl_list_fn`: called once per control by kctl_list_each().
    pub type kctl_list_fn = Option<unsafe extern "C" fn(*const kctl_ctl_desc, *mut c_void) -> c_int>;
    /// `kctl_trace_fn`: receives one line of trace.
    pub type kctl_trace_fn = Option<unsafe extern "C" fn(*mut c_void, *const c_char)>;
}

c_structs! { kctl_structs;
    /// `struct kctl_msg_stats`: what a handle's framed traffic has seen.
    pub struct kctl_msg_stats {
        pub frames_in: u64,
        pub frames_out: u64,
        pub recv_calls: u64,
        pub kernel_drops: u64,
        pub backlog_drops: u64,
        pub unmatched_replies: u64,
        pub bad_records: u64,
    }
    /// `struct kctl_ctl_desc`: one registered control, as the registration list has it.
    pub struct kctl_ctl_desc {
        pub id: u32,
        pub flags: u32,
        pub reg_unit: u32,
        pub units_in_use: u32,
        pub sendsize: u32,
        pub recvsize: u32,
        pub name: [c_char; KCTL_NAME_MAX],
    }
    /// `struct kctl_error`: what libkctl knows about one failure.
    pub struct kctl_error {
        pub err: i32,
        pub call: u32,
        pub origin: u32,
        pub reason: u32,
        pub arg: u64,
        pub limit: u64,
    }
    /// `struct kctl_msg_info`: what a frame from kctl_msg_recv_info() is.
    pub struct kctl_msg_info {
        pub kind: u32,
        pub seq: u32,
        pub last: u32,
        pub err: i32,
        pub origin: u32,
        pub reserved: u32,
    }
}

c_functions! { KCTL_FUNCTIONS;
    pub fn kctl_backend_native() -> *const kctl_backend_t;
    pub fn kctl_name_check(name: *const c_char) -> c_int;
    pub fn kctl_lookup(be: *const kctl_backend_t, name: *const c_char, id: *mut u32) -> c_int;
    pub fn kctl_count(be: *const kctl_backend_t, count: *mut u32) -> c_int;
    pub fn kctl_open_name(be: *const kctl_backend_t, name: *const c_char, unit: u32, flags: u32,
                          out: *mut *mut kctl_t) -> c_int;
    pub fn kctl_open_id(be: *const kctl_backend_t, id: u32, unit: u32, flags: u32,
                        out: *mut *mut kctl_t) -> c_int;
    pub fn kctl_connect(h: *mut kctl_t) -> c_int;
    pub fn kctl_close(h: *mut kctl_t) -> c_int;
    pub fn kctl_fd(h: *const kctl_t) -> c_int;
    pub fn kctl_id(h: *const kctl_t) -> u32;
    pub fn kctl_unit(h: *const kctl_t) -> u32;
    pub fn kctl_is_stream(h: *const kctl_t) -> c_int;
    pub fn kctl_set_timeout(h: *mut kctl_t, timeout_ms: i32) -> c_int;
    pub fn kctl_timeout(h: *const kctl_t) -> i32;
    pub fn kctl_send(h: *mut kctl_t, buf: *const c_void, len: usize, sent: *mut usize) -> c_int;
    pub fn kctl_recv(h: *mut kctl_t, buf: *mut c_void, cap: usize, got: *mut usize,
                     rflags: *mut u32) -> c_int;
    pub fn kctl_setopt(h: *mut kctl_t, opt: u32, val: *const c_void, len: usize) -> c_int;
    pub fn kctl_getopt(h: *mut kctl_t, opt: u32, buf: *mut c_void, cap: usize, len: *mut usize)
                       -> c_int;
    pub fn kctl_getopt_size(h: *mut kctl_t, opt: u32, size: *mut usize) -> c_int;
    pub fn kctl_set_u32(h: *mut kctl_t, opt: u32, value: u32) -> c_int;
    pub fn kctl_get_u32(h: *mut kctl_t, opt: u32, value: *mut u32) -> c_int;
    pub fn kctl_set_u64(h: *mut kctl_t, opt: u32, value: u64) -> c_int;
    pub fn kctl_get_u64(h: *mut kctl_t, opt: u32, value: *mut u64) -> c_int;
    pub fn kctl_set_str(h: *mut kctl_t, opt: u32, value: *const c_char) -> c_int;
    pub fn kctl_get_str(h: *mut kctl_t, opt: u32, buf: *mut c_char, cap: usize) -> c_int;
    pub fn kctl_msg_set_max_frame(h: *mut kctl_t, max_frame: u32) -> c_int;
    pub fn kctl_msg_max_frame(h: *const kctl_t) -> u32;
    pub fn kctl_msg_send(h: *mut kctl_t, flags: u8, type_: u16, seq: u32, aux: u32,
                         payload: *const c_void, len: usize) -> c_int;
    pub fn kctl_msg_sendv(h: *mut kctl_t, frames: *const iovec, n: c_int, sent: *mut usize)
                          -> c_int;
    pub fn kctl_msg_recv(h: *mut kctl_t, buf: *mut c_void, cap: usize, wire: *mut usize) -> c_int;
    pub fn kctl_msg_ready(h: *mut kctl_t) -> c_int;
    pub fn kctl_request(h: *mut kctl_t, type_: u16, payload: *const c_void, len: usize,
                        reply: *mut c_void, cap: usize, reply_len: *mut usize) -> c_int;
    pub fn kctl_msg_stats(h: *const kctl_t, st: *mut kctl_msg_stats) -> c_int;
    pub fn kctl_msg_detail(h: *const kctl_t) -> *const c_char;
    pub fn kctl_request_start(h: *mut kctl_t, type_: u16, payload: *const c_void, len: usize,
                              timeout_ms: i32, seq: *mut u32) -> c_int;
    pub fn kctl_request_cancel(h: *mut kctl_t, seq: u32) -> c_int;
    pub fn kctl_msg_recv_info(h: *mut kctl_t, buf: *mut c_void, cap: usize, wire: *mut usize,
                              info: *mut kctl_msg_info) -> c_int;
    pub fn kctl_msg_pending(h: *const kctl_t) -> c_int;
    pub fn kctl_msg_wait_ms(h: *const kctl_t) -> i32;
    pub fn kctl_msg_counter(h: *const kctl_t, which: u32, value: *mut u64) -> c_int;
    pub fn kctl_open_name_ex(be: *const kctl_backend_t, name: *const c_char, unit: u32,
                             flags: u32, out: *mut *mut kctl_t, why: *mut kctl_error) -> c_int;
    pub fn kctl_open_id_ex(be: *const kctl_backend_t, id: u32, unit: u32, flags: u32,
                           out: *mut *mut kctl_t, why: *mut kctl_error) -> c_int;
    pub fn kctl_lookup_ex(be: *const kctl_backend_t, name: *const c_char, id: *mut u32,
                          why: *mut kctl_error) -> c_int;
    pub fn kctl_last_error(h: *const kctl_t, call: u32, out: *mut kctl_error) -> c_int;
    pub fn kctl_error_str(e: *const kctl_error, buf: *mut c_char, cap: usize) -> c_int;
    pub fn kctl_explain(h: *const kctl_t, call: u32, err: c_int, buf: *mut c_char, cap: usize)
                        -> c_int;
    pub fn kctl_strerror(err: c_int) -> *const c_char;
    pub fn kctl_errno_name(err: c_int) -> *const c_char;
    pub fn kctl_trace_new(inner: *const kctl_backend_t, fn_: kctl_trace_fn, ctx: *mut c_void,
                          flags: u32, out: *mut *mut kctl_trace_t) -> c_int;
    pub fn kctl_trace_new_fd(inner: *const kctl_backend_t, fd: c_int, flags: u32,
                             out: *mut *mut kctl_trace_t) -> c_int;
    pub fn kctl_trace_backend(t: *const kctl_trace_t) -> *const kctl_backend_t;
    pub fn kctl_trace_free(t: *mut kctl_trace_t);
    pub fn kctl_version() -> *const c_char;
    pub fn kctl_list(be: *const kctl_backend_t, out: *mut kctl_ctl_desc, cap: u32,
                     count: *mut u32) -> c_int;
    pub fn kctl_list_each(be: *const kctl_backend_t, fn_: kctl_list_fn, arg: *mut c_void)
                          -> c_int;
    pub fn kctl_utun_open(be: *const kctl_backend_t, num: u32, flags: u32,
                          out: *mut *mut kctl_t) -> c_int;
    pub fn kctl_utun_open_range(be: *const kctl_backend_t, first: u32, last: u32, flags: u32,
                                out: *mut *mut kctl_t) -> c_int;
    pub fn kctl_utun_ifname(h: *mut kctl_t, buf: *mut c_char, cap: usize) -> c_int;
    pub fn kctl_utun_set_max_pending(h: *mut kctl_t, packets: u32) -> c_int;
    pub fn kctl_utun_write(h: *mut kctl_t, family: u32, pkt: *const c_void, len: usize) -> c_int;
    pub fn kctl_utun_writev(h: *mut kctl_t, family: u32, iov: *const iovec, iovcnt: c_int)
                            -> c_int;
    pub fn kctl_utun_read(h: *mut kctl_t, buf: *mut c_void, cap: usize, len: *mut usize,
                          family: *mut u32) -> c_int;
}

