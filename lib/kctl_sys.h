/*
 * kctl_sys.h - the syscall table between libkctl's core and a kernel (internal).
 *
 * The core builds every structure itself (kctl_abi.h) and makes each call through one
 * of these leaves; a backend only adapts them to a real kernel (lib/darwin/) or to the
 * simulated one (lib/sim/). Each leaf returns 0 or a negative errno and takes Darwin's
 * constants (KCTL_ABI_*), whatever the host.
 */
#ifndef KCTL_SYS_H
#define KCTL_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "kctl.h"
#include "kctl_abi.h"

struct kctl_sys_ops {
	int (*socket)(void *ctx, int domain, int type, int protocol, int *fd);
	int (*ioctl)(void *ctx, int fd, unsigned long req, void *arg);
	int (*bind)(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen);
	int (*connect)(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
		       uint32_t salen);
	int (*getpeername)(void *ctx, int fd, struct kctl_abi_sockaddr_ctl *sa,
			   uint32_t *salen);
	int (*sendmsg)(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
		       size_t *sent);
	int (*recvmsg)(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
		       size_t *got, int *rflags);
	int (*getsockopt)(void *ctx, int fd, int level, int opt, void *val, uint32_t *len);
	int (*setsockopt)(void *ctx, int fd, int level, int opt, const void *val,
			  uint32_t len);
	int (*close)(void *ctx, int fd);
	/*
	 * sysctlbyname(name, old, oldlen, newp, newlen). With old NULL, *oldlen gets the
	 * size the kernel suggests. -ENOMEM: old was too small, *oldlen holds the bytes
	 * written (whole records only, as Darwin's SYSCTL_OUT). oldlen may be NULL.
	 */
	int (*sysctl)(void *ctx, const char *name, void *old, size_t *oldlen,
		      const void *newp, size_t newlen);
};

/* What kctl_backend_t is: a table and the kernel it talks to. */
struct kctl_backend {
	const struct kctl_sys_ops *ops;
	void *ctx;
};

/* The platform's table: Darwin's libc leaves, or the host's (lib/sys_host.c). */
extern const struct kctl_backend kctl_native_backend;

#endif /* KCTL_SYS_H */
