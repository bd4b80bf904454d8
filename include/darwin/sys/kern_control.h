/*
 * <sys/kern_control.h> - Darwin's user-space kernel-control interface, for Mac client
 * code built on another system (libkctl-darwin; `pkg-config --cflags libkctl-darwin`).
 *
 * The names, values and layouts are those of macOS (xnu bsd/sys/kern_control.h; the
 * values are also in libkctl's kctl_abi.h), so code written for a Mac compiles here
 * unchanged; run it under `kctl-sim run` to reach a simulated kernel. The ioctl
 * numbers are Darwin's encodings written out: CTLIOCGCOUNT as Darwin's _IOR makes it
 * (0x40044E02) differs from what the host's _IOR would give. The kext side of this
 * header (struct kern_ctl_reg, ctl_register...) is libkctl-kpi's, not this one.
 * As on a Mac, the PRIVATE part (the registration list netstat reads) needs -DPRIVATE.
 */
#ifndef KPI_KERN_CONTROL_H
#define KPI_KERN_CONTROL_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel events (SYSPROTO_EVENT) about controls coming and going. */
#define KEV_CTL_SUBCLASS     2
#define KEV_CTL_REGISTERED   1
#define KEV_CTL_DEREGISTERED 2

struct ctl_event_data {
	uint32_t ctl_id;
	uint32_t ctl_unit;
};

/* ioctls on a PF_SYSTEM/SYSPROTO_CONTROL socket (Darwin's encodings). */
#define CTLIOCGCOUNT 0x40044E02U /* _IOR('N', 2, int): number of registered controls */
#define CTLIOCGINFO  0xC0644E03U /* _IOWR('N', 3, struct ctl_info): id from name */

/* A control name is 1..95 bytes and its NUL. */
#define MAX_KCTL_NAME 96

struct ctl_info {
	uint32_t ctl_id;                 /* the kernel's id for the name */
	char ctl_name[MAX_KCTL_NAME];    /* a C string */
};

/* Zero it all, then sc_len = sizeof, sc_family = AF_SYSTEM, ss_sysaddr = AF_SYS_CONTROL. */
struct sockaddr_ctl {
	unsigned char sc_len;
	unsigned char sc_family;
	uint16_t ss_sysaddr;
	uint32_t sc_id;
	uint32_t sc_unit;
	uint32_t sc_reserved[5];
};

#ifdef PRIVATE

#if defined(__GNUC__) || defined(__clang__)
#define KCTL_DARWIN_ALIGN8 __attribute__((aligned(8)))
#else
#define KCTL_DARWIN_ALIGN8
#endif

/* One registered control in net.systm.kctl.reg_list (kind XSO_KCREG). */
struct xkctl_reg {
	uint32_t xkr_len;
	uint32_t xkr_kind;
	uint32_t xkr_id;
	uint32_t xkr_reg_unit;
	uint32_t xkr_flags;
	uint64_t xkr_kctlref KCTL_DARWIN_ALIGN8;
	uint32_t xkr_recvbufsize;
	uint32_t xkr_sendbufsize;
	uint32_t xkr_lastunit;
	uint32_t xkr_pcbcount;
	uint64_t xkr_connect KCTL_DARWIN_ALIGN8;
	uint64_t xkr_disconnect KCTL_DARWIN_ALIGN8;
	uint64_t xkr_send KCTL_DARWIN_ALIGN8;
	uint64_t xkr_send_list KCTL_DARWIN_ALIGN8;
	uint64_t xkr_setopt KCTL_DARWIN_ALIGN8;
	uint64_t xkr_getopt KCTL_DARWIN_ALIGN8;
	uint64_t xkr_rcvd KCTL_DARWIN_ALIGN8;
	char xkr_name[MAX_KCTL_NAME];
};

/* One client socket in net.systm.kctl.pcblist. */
struct xkctlpcb {
	uint32_t xkp_len;
	uint32_t xkp_kind;
	uint64_t xkp_kctpcb KCTL_DARWIN_ALIGN8;
	uint32_t xkp_unit;
	uint32_t xkp_kctlid;
	uint64_t xkp_kctlref KCTL_DARWIN_ALIGN8;
	char xkp_kctlname[MAX_KCTL_NAME];
};

/* net.systm.kctl.stats */
struct kctlstat {
	uint64_t kcs_reg_total KCTL_DARWIN_ALIGN8;
	uint64_t kcs_reg_count KCTL_DARWIN_ALIGN8;
	uint64_t kcs_pcbcount KCTL_DARWIN_ALIGN8;
	uint64_t kcs_gencnt KCTL_DARWIN_ALIGN8;
	uint64_t kcs_connections KCTL_DARWIN_ALIGN8;
	uint64_t kcs_conn_fail KCTL_DARWIN_ALIGN8;
	uint64_t kcs_send_fail KCTL_DARWIN_ALIGN8;
	uint64_t kcs_send_list_fail KCTL_DARWIN_ALIGN8;
	uint64_t kcs_enqueue_fail KCTL_DARWIN_ALIGN8;
	uint64_t kcs_enqueue_fullsock KCTL_DARWIN_ALIGN8;
	uint64_t kcs_bad_kctlref KCTL_DARWIN_ALIGN8;
	uint64_t kcs_tbl_size_too_big KCTL_DARWIN_ALIGN8;
	uint64_t kcs_enqdata_mb_alloc_fail KCTL_DARWIN_ALIGN8;
	uint64_t kcs_enqdata_sbappend_fail KCTL_DARWIN_ALIGN8;
};

#endif /* PRIVATE */

#ifdef __cplusplus
}
#endif

#endif /* KPI_KERN_CONTROL_H */
