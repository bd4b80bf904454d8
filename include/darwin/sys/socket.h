/*
 * <sys/socket.h> - the system's header, plus the names Mac code expects that it lacks
 * (libkctl-darwin): PF_SYSTEM/AF_SYSTEM and Darwin's SOL_SOCKET options. Options take
 * Darwin's values; libkctl-preload recognises them at the host's SOL_SOCKET level.
 * Everything else (struct sockaddr, MSG_* flags, SOL_SOCKET) stays the host's, and the
 * preload translates at run time. Note that the host's struct sockaddr has no sa_len:
 * read a kernel-control peer as struct sockaddr_ctl (<sys/kern_control.h>).
 */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC system_header /* #include_next is an extension; keep -Wpedantic quiet */
#endif
#include_next <sys/socket.h>

#ifndef KCTL_DARWIN_SYS_SOCKET_H
#define KCTL_DARWIN_SYS_SOCKET_H

#ifndef AF_SYSTEM
#define AF_SYSTEM 32 /* the kernel's system domain (kernel controls, events) */
#endif
#ifndef PF_SYSTEM
#define PF_SYSTEM AF_SYSTEM
#endif

#ifndef SOCK_MAXADDRLEN
#define SOCK_MAXADDRLEN 255 /* longest address a socket call accepts */
#endif

#ifndef SO_NREAD
#define SO_NREAD 0x1020 /* bytes waiting to be read */
#endif
#ifndef SO_NOSIGPIPE
#define SO_NOSIGPIPE 0x1022 /* EPIPE without SIGPIPE on this socket */
#endif
#ifndef SO_NWRITE
#define SO_NWRITE 0x1024 /* bytes in the send buffer */
#endif

#endif /* KCTL_DARWIN_SYS_SOCKET_H */
