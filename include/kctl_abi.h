/*
 * kctl_abi.h - Darwin's kernel-control ABI as plain C, usable on any platform.
 *
 * These are the values and layouts a Mac's kernel uses (xnu bsd/sys/kern_control.h,
 * bsd/sys/sys_domain.h, bsd/sys/socket.h, bsd/sys/filio.h). libkctl's core builds its
 * structures and makes its calls with these on every platform; the Darwin backend
 * checks at compile time that they equal the system's, and the simulated kernel
 * (kctl_sim.h) speaks exactly this ABI. Nothing here allocates or has state.
 */
#ifndef KCTL_ABI_H
#define KCTL_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Socket family and protocol. */
#define KCTL_ABI_AF_SYSTEM        32 /* AF_SYSTEM == PF_SYSTEM */
#define KCTL_ABI_SYSPROTO_EVENT   1
#define KCTL_ABI_SYSPROTO_CONTROL 2  /* also the sockopt level of a control */
#define KCTL_ABI_AF_SYS_CONTROL   2  /* ss_sysaddr of a sockaddr_ctl */
#define KCTL_ABI_SOCK_STREAM      1  /* same value on Linux and Darwin */
#define KCTL_ABI_SOCK_DGRAM       2

/* Names: 1..95 bytes plus the NUL. */
#define KCTL_ABI_MAX_NAME 96

/* ioctls (Darwin encodings). */
#define KCTL_ABI_CTLIOCGCOUNT 0x40044E02UL /* _IOR('N', 2, int) */
#define KCTL_ABI_CTLIOCGINFO  0xC0644E03UL /* _IOWR('N', 3, struct ctl_info) */
#define KCTL_ABI_FIOCLEX      0x20006601UL /* _IO('f', 1) */
#define KCTL_ABI_FIONCLEX     0x20006602UL /* _IO('f', 2) */
#define KCTL_ABI_FIONBIO      0x8004667EUL /* _IOW('f', 126, int) */
#define KCTL_ABI_FIONREAD     0x4004667FUL /* _IOR('f', 127, int) */

/* Generic socket options the core uses (Darwin values). */
#define KCTL_ABI_SOL_SOCKET   0xffff
#define KCTL_ABI_SO_NOSIGPIPE 0x1022

/* send/recv flags (Darwin values; Linux's differ). */
#define KCTL_ABI_MSG_OOB      0x1
#define KCTL_ABI_MSG_PEEK     0x2
#define KCTL_ABI_MSG_EOR      0x8
#define KCTL_ABI_MSG_TRUNC    0x10
#define KCTL_ABI_MSG_WAITALL  0x40
#define KCTL_ABI_MSG_DONTWAIT 0x80
#define KCTL_ABI_MSG_NOSIGNAL 0x80000 /* macOS 11+; an unused bit that 10.x ignores */

/* Registration flags (ctl_flags of struct kern_ctl_reg). */
#define KCTL_ABI_CTL_FLAG_PRIVILEGED      0x1
#define KCTL_ABI_CTL_FLAG_REG_ID_UNIT     0x2
#define KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM 0x4
#define KCTL_ABI_CTL_FLAG_REG_EXTENDED    0x8  /* kernel-private */
#define KCTL_ABI_CTL_FLAG_REG_CRIT        0x10 /* kernel-private */
#define KCTL_ABI_CTL_FLAG_REG_SETUP       0x20 /* kernel-private */

/* Enqueue flags (ctl_enqueuedata / ctl_enqueuembuf). */
#define KCTL_ABI_CTL_DATA_NOWAKEUP 0x1
#define KCTL_ABI_CTL_DATA_EOR      0x2
#define KCTL_ABI_CTL_DATA_CRIT     0x4 /* kernel-private */

/* Buffer defaults and limits. */
#define KCTL_ABI_CTL_SENDSIZE 2048u
#define KCTL_ABI_CTL_RECVSIZE 8192u
#define KCTL_ABI_MAX_UNIT     65535u /* the kernel's own choice; explicit units: any u32 */

/* struct ctl_info: 100 bytes. */
struct kctl_abi_ctl_info {
	uint32_t ctl_id;
	char ctl_name[KCTL_ABI_MAX_NAME];
};

/* struct sockaddr_ctl: 32 bytes. Zero it all, then fill sc_len, sc_family, ss_sysaddr. */
struct kctl_abi_sockaddr_ctl {
	uint8_t sc_len;      /* 32 */
	uint8_t sc_family;   /* KCTL_ABI_AF_SYSTEM */
	uint16_t ss_sysaddr; /* KCTL_ABI_AF_SYS_CONTROL */
	uint32_t sc_id;
	uint32_t sc_unit;
	uint32_t sc_reserved[5];
};

#define KCTL_ABI_SOCKADDR_CTL_LEN 32u

/* ---- the registration list: sysctl net.systm.kctl.reg_list (xnu bsd/kern/kern_control.c,
 * structs from bsd/sys/sys_domain.h and bsd/sys/kern_control.h, both under PRIVATE).
 * The answer is an xsystmgen, one xkctl_reg per registered control (each padded to a
 * multiple of 8 bytes), then a second xsystmgen; a list with no control has only the
 * first. The two xg_gen differ when the list changed while it was read. Layouts are
 * those of arm64 and x86_64 (64-bit Darwin), padding made explicit. */
#define KCTL_ABI_SYSCTL_REG_LIST "net.systm.kctl.reg_list"
#define KCTL_ABI_XSO_KCREG       0x40 /* xkr_kind of an xkctl_reg */

/* struct xsystmgen: 32 bytes. */
struct kctl_abi_xsystmgen {
	uint32_t xg_len;   /* 32 */
	uint32_t xg_pad;   /* alignment of the next field (not named in xnu) */
	uint64_t xg_count; /* controls in the list */
	uint64_t xg_gen;   /* kern_control's generation count (kcs_gencnt) */
	uint64_t xg_sogen; /* the socket generation count (so_gencnt) */
};

/* struct xkctl_reg: 200 bytes (already a multiple of 8). */
struct kctl_abi_xkctl_reg {
	uint32_t xkr_len;  /* 200 */
	uint32_t xkr_kind; /* KCTL_ABI_XSO_KCREG */
	uint32_t xkr_id;
	uint32_t xkr_reg_unit; /* REG_ID_UNIT's unit, else 0xffffffff */
	uint32_t xkr_flags;    /* as registered */
	uint32_t xkr_pad;      /* alignment of the next field (not named in xnu) */
	uint64_t xkr_kctlref;
	uint32_t xkr_recvbufsize;
	uint32_t xkr_sendbufsize;
	uint32_t xkr_lastunit; /* never set by xnu-11417: 0 */
	uint32_t xkr_pcbcount; /* client sockets attached (bound or connected) */
	uint64_t xkr_connect;  /* callback addresses, unslid; 0 when absent */
	uint64_t xkr_disconnect;
	uint64_t xkr_send;
	uint64_t xkr_send_list;
	uint64_t xkr_setopt;
	uint64_t xkr_getopt;
	uint64_t xkr_rcvd;
	char xkr_name[KCTL_ABI_MAX_NAME];
};

#define KCTL_ABI_XSYSTMGEN_LEN 32u
#define KCTL_ABI_XKCTL_REG_LEN 200u

/* ---- utun (xnu bsd/net/if_utun.h): Apple's kernel control for tunnel interfaces ---- */
#define KCTL_ABI_UTUN_CONTROL_NAME "com.apple.net.utun_control"

/* Socket options at level SYSPROTO_CONTROL. */
#define KCTL_ABI_UTUN_OPT_FLAGS                  1  /* u32: before connect (macOS 11+) */
#define KCTL_ABI_UTUN_OPT_IFNAME                 2  /* get: "utunN" and its NUL */
#define KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS       3  /* int: after connect */
#define KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_IN    4  /* struct utun_stats_param */
#define KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_OUT   5  /* struct utun_stats_param */
#define KCTL_ABI_UTUN_OPT_SET_DELEGATE_INTERFACE 15 /* char[], up to 15 bytes */
#define KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS    16 /* u32, at least 1 (default 1) */
#define KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL         17
#define KCTL_ABI_UTUN_OPT_GET_CHANNEL_UUID       18
#define KCTL_ABI_UTUN_OPT_ENABLE_FLOWSWITCH      19
#define KCTL_ABI_UTUN_OPT_ENABLE_NETIF           20 /* 20..27: before connect only */
#define KCTL_ABI_UTUN_OPT_SLOT_SIZE              21
#define KCTL_ABI_UTUN_OPT_NETIF_RING_SIZE        22
#define KCTL_ABI_UTUN_OPT_TX_FSW_RING_SIZE       23
#define KCTL_ABI_UTUN_OPT_RX_FSW_RING_SIZE       24
#define KCTL_ABI_UTUN_OPT_KPIPE_TX_RING_SIZE     25
#define KCTL_ABI_UTUN_OPT_KPIPE_RX_RING_SIZE     26
#define KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH      27

/* UTUN_OPT_FLAGS bits. */
#define KCTL_ABI_UTUN_FLAGS_NO_OUTPUT        0x1 /* packets to the client are dropped */
#define KCTL_ABI_UTUN_FLAGS_NO_INPUT         0x2 /* packets from the client are dropped */
#define KCTL_ABI_UTUN_FLAGS_ENABLE_PROC_UUID 0x4 /* header grows to 4 + 16 bytes */

/* struct utun_stats_param: 24 bytes. */
struct kctl_abi_utun_stats_param {
	uint64_t utsp_packets;
	uint64_t utsp_bytes;
	uint64_t utsp_errors;
};

/* Every utun packet starts with the protocol family, 4 bytes in network byte order, in
 * Darwin's numbering (whatever the host's AF_INET6 is). */
#define KCTL_ABI_UTUN_HEADER_LEN 4u
#define KCTL_ABI_AF_INET         2
#define KCTL_ABI_AF_INET6        30

#ifdef __cplusplus
}
#endif

#endif /* KCTL_ABI_H */
