//! `include/kctl_abi.h`: Darwin's kern_control ABI (values and layouts), and
//! `struct iovec` of `<sys/uio.h>`, which kctl.h and kctl_sim.h take.

use super::{c_char, c_ulong, c_void};

c_constants! { ABI_CONSTANTS;
    pub const KCTL_ABI_AF_SYSTEM: i32 = 32;
    pub const KCTL_ABI_SYSPROTO_EVENT: i32 = 1;
    pub const KCTL_ABI_SYSPROTO_CONTROL: i32 = 2;
    pub const KCTL_ABI_AF_SYS_CONTROL: u16 = 2;
    pub const KCTL_ABI_SOCK_STREAM: i32 = 1;
    pub const KCTL_ABI_SOCK_DGRAM: i32 = 2;
    pub const KCTL_ABI_MAX_NAME: usize = 96;
    pub const KCTL_ABI_CTLIOCGCOUNT: c_ulong = 0x4004_4E02;
    pub const KCTL_ABI_CTLIOCGINFO: c_ulong = 0xC064_4E03;
    pub const KCTL_ABI_FIOCLEX: c_ulong = 0x2000_6601;
    pub const KCTL_ABI_FIONCLEX: c_ulong = 0x2000_6602;
    pub const KCTL_ABI_FIONBIO: c_ulong = 0x8004_667E;
    pub const KCTL_ABI_FIONREAD: c_ulong = 0x4004_667F;
    pub const KCTL_ABI_SOL_SOCKET: i32 = 0xffff;
    pub const KCTL_ABI_SO_NOSIGPIPE: i32 = 0x1022;
    pub const KCTL_ABI_MSG_OOB: i32 = 0x1;
    pub const KCTL_ABI_MSG_PEEK: i32 = 0x2;
    pub const KCTL_ABI_MSG_EOR: i32 = 0x8;
    pub const KCTL_ABI_MSG_TRUNC: i32 = 0x10;
    pub const KCTL_ABI_MSG_WAITALL: i32 = 0x40;
    pub const KCTL_ABI_MSG_DONTWAIT: i32 = 0x80;
    pub const KCTL_ABI_MSG_NOSIGNAL: i32 = 0x80000;
    pub const KCTL_ABI_CTL_FLAG_PRIVILEGED: u32 = 0x1;
    pub const KCTL_ABI_CTL_FLAG_REG_ID_UNIT: u32 = 0x2;
    pub const KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM: u32 = 0x4;
    pub const KCTL_ABI_CTL_FLAG_REG_EXTENDED: u32 = 0x8;
    pub const KCTL_ABI_CTL_FLAG_REG_CRIT: u32 = 0x10;
    pub const KCTL_ABI_CTL_FLAG_REG_SETUP: u32 = 0x20;
    pub const KCTL_ABI_CTL_DATA_NOWAKEUP: u32 = 0x1;
    pub const KCTL_ABI_CTL_DATA_EOR: u32 = 0x2;
    pub const KCTL_ABI_CTL_DATA_CRIT: u32 = 0x4;
    pub const KCTL_ABI_CTL_SENDSIZE: u32 = 2048;
    pub const KCTL_ABI_CTL_RECVSIZE: u32 = 8192;
    pub const KCTL_ABI_MAX_UNIT: u32 = 65535;
    pub const KCTL_ABI_SOCKADDR_CTL_LEN: u32 = 32;
    pub const KCTL_ABI_XSO_KCREG: u32 = 0x40;
    pub const KCTL_ABI_XSYSTMGEN_LEN: u32 = 32;
    pub const KCTL_ABI_XKCTL_REG_LEN: u32 = 200;
    pub const KCTL_ABI_UTUN_OPT_FLAGS: i32 = 1;
    pub const KCTL_ABI_UTUN_OPT_IFNAME: i32 = 2;
    pub const KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS: i32 = 3;
    pub const KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_IN: i32 = 4;
    pub const KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_OUT: i32 = 5;
    pub const KCTL_ABI_UTUN_OPT_SET_DELEGATE_INTERFACE: i32 = 15;
    pub const KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS: i32 = 16;
    pub const KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL: i32 = 17;
    pub const KCTL_ABI_UTUN_OPT_GET_CHANNEL_UUID: i32 = 18;
    pub const KCTL_ABI_UTUN_OPT_ENABLE_FLOWSWITCH: i32 = 19;
    pub const KCTL_ABI_UTUN_OPT_ENABLE_NETIF: i32 = 20;
    pub const KCTL_ABI_UTUN_OPT_SLOT_SIZE: i32 = 21;
    pub const KCTL_ABI_UTUN_OPT_NETIF_RING_SIZE: i32 = 22;
    pub const KCTL_ABI_UTUN_OPT_TX_FSW_RING_SIZE: i32 = 23;
    pub const KCTL_ABI_UTUN_OPT_RX_FSW_RING_SIZE: i32 = 24;
    pub const KCTL_ABI_UTUN_OPT_KPIPE_TX_RING_SIZE: i32 = 25;
    pub const KCTL_ABI_UTUN_OPT_KPIPE_RX_RING_SIZE: i32 = 26;
    pub const KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH: i32 = 27;
    pub const KCTL_ABI_UTUN_FLAGS_NO_OUTPUT: u32 = 0x1;
    pub const KCTL_ABI_UTUN_FLAGS_NO_INPUT: u32 = 0x2;
    pub const KCTL_ABI_UTUN_FLAGS_ENABLE_PROC_UUID: u32 = 0x4;
    pub const KCTL_ABI_UTUN_HEADER_LEN: u32 = 4;
    pub const KCTL_ABI_AF_INET: i32 = 2;
    pub const KCTL_ABI_AF_INET6: i32 = 30;
}

c_structs! { abi_structs;
    /// `struct kctl_abi_ctl_info` (Darwin's `struct ctl_info`): 100 bytes.
    pub struct kctl_abi_ctl_info {
        pub ctl_id: u32,
        pub ctl_name: [c_char; KCTL_ABI_MAX_NAME],
    }
    /// `struct kctl_abi_sockaddr_ctl` (Darwin's `struct sockaddr_ctl`): 32 bytes.
    pub struct kctl_abi_sockaddr_ctl {
        pub sc_len: u8,
        pub sc_family: u8,
        pub ss_sysaddr: u16,
        pub sc_id: u32,
        pub sc_unit: u32,
        pub sc_reserved: [u32; 5],
    }
    /// `struct kctl_abi_xsystmgen` (Darwin's `struct xsystmgen`): 32 bytes.
    pub struct kctl_abi_xsystmgen {
        pub xg_len: u32,
        pub xg_pad: u32,
        pub xg_count: u64,
        pub xg_gen: u64,
        pub xg_sogen: u64,
    }
    /// `struct kctl_abi_xkctl_reg` (Darwin's `struct xkctl_reg`): 200 bytes.
    pub struct kctl_abi_xkctl_reg {
        pub xkr_len: u32,
        pub xkr_kind: u32,
        pub xkr_id: u32,
        pub xkr_reg_unit: u32,
        pub xkr_flags: u32,
        pub xkr_pad: u32,
        pub xkr_kctlref: u64,
        pub xkr_recvbufsize: u32,
        pub xkr_sendbufsize: u32,
        pub xkr_lastunit: u32,
        pub xkr_pcbcount: u32,
        pub xkr_connect: u64,
        pub xkr_disconnect: u64,
        pub xkr_send: u64,
        pub xkr_send_list: u64,
        pub xkr_setopt: u64,
        pub xkr_getopt: u64,
        pub xkr_rcvd: u64,
        pub xkr_name: [c_char; KCTL_ABI_MAX_NAME],
    }
    /// `struct kctl_abi_utun_stats_param` (Darwin's `struct utun_stats_param`): 24 bytes.
    pub struct kctl_abi_utun_stats_param {
        pub utsp_packets: u64,
        pub utsp_bytes: u64,
        pub utsp_errors: u64,
    }
    /// `struct iovec` of `<sys/uio.h>` (the same layout as `std::io::IoSlice`).
    pub struct iovec {
        pub iov_base: *mut c_void,
        pub iov_len: usize,
    }
}
