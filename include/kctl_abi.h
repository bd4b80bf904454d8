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
#define KCTL_ABI_MAX_UNIT     65535u

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

#ifdef __cplusplus
}
#endif

#endif /* KCTL_ABI_H */
