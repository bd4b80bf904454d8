/*
 * abi_host.h - Darwin's socket constants and the host's, both ways (internal).
 *
 * libkctl's core speaks Darwin's numbers (kctl_abi.h). Where the kernel is not Darwin's,
 * two places meet the host's numbers: libkctl's host leaves (lib/sys_host.c), which hand
 * the core's calls to the host's libc, and libkctl-preload, which takes a program's libc
 * calls (host numbers, from the host's headers) to the simulated kernel (Darwin numbers).
 * Both translate with these functions, so the two directions cannot drift apart.
 *
 * Only values both systems name are mapped; a bit or option the other side has no name
 * for is said so by the return value. Pure functions: no state, thread-safe.
 */
#ifndef KCTL_ABI_HOST_H
#define KCTL_ABI_HOST_H

#include <stdbool.h>

/* Darwin's numbers that kctl_abi.h does not carry (xnu bsd/sys/socket.h, filio.h). */
#define KH_DARWIN_MSG_DONTROUTE 0x4
#define KH_DARWIN_MSG_CTRUNC    0x20
#define KH_DARWIN_MSG_NOSIGNAL  0x80000
#define KH_DARWIN_SO_SNDBUF     0x1001
#define KH_DARWIN_SO_RCVBUF     0x1002
#define KH_DARWIN_SO_SNDLOWAT   0x1003
#define KH_DARWIN_SO_RCVLOWAT   0x1004
#define KH_DARWIN_SO_SNDTIMEO   0x1005
#define KH_DARWIN_SO_RCVTIMEO   0x1006
#define KH_DARWIN_SO_ERROR      0x1007
#define KH_DARWIN_SO_TYPE       0x1008
#define KH_DARWIN_SO_NREAD      0x1020
#define KH_DARWIN_SO_NWRITE     0x1024
#define KH_DARWIN_CTLIOCGCOUNT_LINUX_IOR 0x80044E02UL /* _IOR('N', 2, int) with Linux's _IOR */

/* send/recv flags: host -> Darwin; bits Darwin has no name for are dropped (*dropped). */
int kh_msg_to_darwin(int host, int *dropped);
/* send/recv flags: Darwin -> host (the flags recvmsg reports, or the core's send flags). */
int kh_msg_from_darwin(int darwin);

/*
 * A SOL_SOCKET option: host level/name -> Darwin's (level 0xffff). Darwin-only names that
 * the Darwin headers of libkctl-darwin define (SO_NOSIGPIPE, SO_NREAD, SO_NWRITE) pass
 * as they are; Darwin's own level 0xffff is accepted with Darwin's names. Returns false
 * when the level is not SOL_SOCKET (either system's) or the name has no Darwin twin.
 */
bool kh_sockopt_to_darwin(int level, int opt, int *dopt);
/* A Darwin SOL_SOCKET option name -> the host's; false when the host has none. */
bool kh_sockopt_from_darwin(int dopt, int *hopt);

/*
 * An ioctl request: host -> Darwin. The file ioctls (FIONBIO, FIONREAD, FIOCLEX,
 * FIONCLEX) map from the host's numbers; Darwin's own numbers, and the 'N' group of
 * kern_control, pass unchanged (plus CTLIOCGCOUNT as Linux's _IOR would encode it).
 */
unsigned long kh_ioctl_to_darwin(unsigned long req);
/* A Darwin file ioctl -> the host's; other requests unchanged. */
unsigned long kh_ioctl_from_darwin(unsigned long req);

#endif
