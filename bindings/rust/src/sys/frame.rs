//! `include/kctl_frame.h`: the frame and attribute codec.

use super::{c_char, c_int, c_void};

c_constants! { FRAME_CONSTANTS;
    pub const KCTL_FRAME_VERSION: u8 = 1;
    pub const KCTL_FRAME_HDR_LEN: usize = 16;
    pub const KCTL_FRAME_ALIGN: usize = 8;
    pub const KCTL_FRAME_MAX: u32 = 0x100_0000;
    pub const KCTL_FRAME_ERRNO_MAX: u32 = 4095;
    pub const KCTL_FRAME_F_REQUEST: u8 = 0x01;
    pub const KCTL_FRAME_F_REPLY: u8 = 0x02;
    pub const KCTL_FRAME_F_ERROR: u8 = 0x04;
    pub const KCTL_FRAME_F_EVENT: u8 = 0x08;
    pub const KCTL_FRAME_F_MORE: u8 = 0x10;
    pub const KCTL_FRAME_F_RESERVED: u8 = 0xE0;
    pub const KCTL_ATTR_ALIGN: usize = 4;
    pub const KCTL_ATTR_HDR_LEN: usize = 4;
    pub const KCTL_ATTR_PAYLOAD_MAX: usize = 65535 - 4;
}

c_structs! { frame_structs;
    /// `struct kctl_frame_hdr`: a frame's 16-byte header (host byte order).
    pub struct kctl_frame_hdr {
        pub len: u32,
        pub version: u8,
        pub flags: u8,
        pub type_: u16,
        pub seq: u32,
        pub aux: u32,
    }
    /// `struct kctl_attr`: an attribute header; the value follows it.
    pub struct kctl_attr {
        pub len: u16,
        pub type_: u16,
    }
}

c_functions! { FRAME_FUNCTIONS;
    pub fn kctl_frame_next(buf: *const c_void, len: usize, max_frame: u32,
                           out: *mut *const kctl_frame_hdr, size: *mut usize) -> c_int;
    pub fn kctl_frame_check_record(buf: *const c_void, len: usize, max_frame: u32,
                                   count: *mut usize) -> c_int;
    pub fn kctl_frame_payload(f: *const kctl_frame_hdr) -> *const c_void;
    pub fn kctl_frame_payload_len(f: *const kctl_frame_hdr) -> usize;
    pub fn kctl_frame_error(f: *const kctl_frame_hdr) -> c_int;
    pub fn kctl_frame_start(buf: *mut c_void, cap: usize, flags: u8, type_: u16, seq: u32,
                            aux: u32) -> c_int;
    pub fn kctl_frame_put(frame: *mut c_void, cap: usize, data: *const c_void, len: usize)
                          -> c_int;
    pub fn kctl_frame_reserve(frame: *mut c_void, cap: usize, len: usize, out: *mut *mut c_void)
                              -> c_int;
    pub fn kctl_frame_finish(frame: *mut c_void, cap: usize, wire: *mut usize) -> c_int;
    pub fn kctl_frame_put_error(buf: *mut c_void, cap: usize, type_: u16, seq: u32, errnum: c_int,
                                wire: *mut usize) -> c_int;
    pub fn kctl_attr_put(frame: *mut c_void, cap: usize, type_: u16, data: *const c_void,
                         len: usize) -> c_int;
    pub fn kctl_attr_put_u8(frame: *mut c_void, cap: usize, type_: u16, v: u8) -> c_int;
    pub fn kctl_attr_put_u16(frame: *mut c_void, cap: usize, type_: u16, v: u16) -> c_int;
    pub fn kctl_attr_put_u32(frame: *mut c_void, cap: usize, type_: u16, v: u32) -> c_int;
    pub fn kctl_attr_put_u64(frame: *mut c_void, cap: usize, type_: u16, v: u64) -> c_int;
    pub fn kctl_attr_put_str(frame: *mut c_void, cap: usize, type_: u16, s: *const c_char)
                             -> c_int;
    pub fn kctl_attr_nest_start(frame: *mut c_void, cap: usize, type_: u16, nest: *mut usize)
                                -> c_int;
    pub fn kctl_attr_nest_end(frame: *mut c_void, cap: usize, nest: usize) -> c_int;
    pub fn kctl_attr_nest_cancel(frame: *mut c_void, cap: usize, nest: usize) -> c_int;
    pub fn kctl_attr_next(region: *const c_void, len: usize, off: *mut usize,
                          out: *mut *const kctl_attr) -> c_int;
    pub fn kctl_attr_find(region: *const c_void, len: usize, type_: u16,
                          out: *mut *const kctl_attr) -> c_int;
    pub fn kctl_attr_type(a: *const kctl_attr) -> u16;
    pub fn kctl_attr_payload(a: *const kctl_attr) -> *const c_void;
    pub fn kctl_attr_payload_len(a: *const kctl_attr) -> usize;
    pub fn kctl_attr_get_u8(a: *const kctl_attr, v: *mut u8) -> c_int;
    pub fn kctl_attr_get_u16(a: *const kctl_attr, v: *mut u16) -> c_int;
    pub fn kctl_attr_get_u32(a: *const kctl_attr, v: *mut u32) -> c_int;
    pub fn kctl_attr_get_u64(a: *const kctl_attr, v: *mut u64) -> c_int;
    pub fn kctl_attr_get_str(a: *const kctl_attr, v: *mut *const c_char) -> c_int;
}
