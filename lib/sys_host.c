/*
 * sys_none.c - the native backend where there are no kernel controls (not macOS).
 *
 * Every leaf answers -EAFNOSUPPORT, so kctl_open_* fails with an error whose
 * kctl_strerror() sentence points at the simulated kernel.
 */
#include <errno.h>

#include "kctl_sys.h"

static int none_socket(void *ctx, int domain, int type, int protocol, int *fd)
{
	(void)ctx; (void)domain; (void)type; (void)protocol; (void)fd;
	return -EAFNOSUPPORT;
}

static int none_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	(void)ctx; (void)fd; (void)req; (void)arg;
	return -EAFNOSUPPORT;
}

static int none_addr(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen)
{
	(void)ctx; (void)fd; (void)sa; (void)salen;
	return -EAFNOSUPPORT;
}

static int none_getpeername(void *ctx, int fd, struct kctl_abi_sockaddr_ctl *sa,
			    uint32_t *salen)
{
	(void)ctx; (void)fd; (void)sa; (void)salen;
	return -EAFNOSUPPORT;
}

static int none_sendmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
			size_t *sent)
{
	(void)ctx; (void)fd; (void)iov; (void)iovcnt; (void)flags; (void)sent;
	return -EAFNOSUPPORT;
}

static int none_recvmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
			size_t *got, int *rflags)
{
	(void)ctx; (void)fd; (void)iov; (void)iovcnt; (void)flags; (void)got; (void)rflags;
	return -EAFNOSUPPORT;
}

static int none_getsockopt(void *ctx, int fd, int level, int opt, void *val, uint32_t *len)
{
	(void)ctx; (void)fd; (void)level; (void)opt; (void)val; (void)len;
	return -EAFNOSUPPORT;
}

static int none_setsockopt(void *ctx, int fd, int level, int opt, const void *val,
			   uint32_t len)
{
	(void)ctx; (void)fd; (void)level; (void)opt; (void)val; (void)len;
	return -EAFNOSUPPORT;
}

static int none_close(void *ctx, int fd)
{
	(void)ctx; (void)fd;
	return -EBADF;
}

static int none_sysctl(void *ctx, const char *name, void *old, size_t *oldlen,
		       const void *newp, size_t newlen)
{
	(void)ctx; (void)name; (void)old; (void)oldlen; (void)newp; (void)newlen;
	return -EAFNOSUPPORT;
}

static const struct kctl_sys_ops none_ops = {
	.socket = none_socket,
	.ioctl = none_ioctl,
	.bind = none_addr,
	.connect = none_addr,
	.getpeername = none_getpeername,
	.sendmsg = none_sendmsg,
	.recvmsg = none_recvmsg,
	.getsockopt = none_getsockopt,
	.setsockopt = none_setsockopt,
	.close = none_close,
	.sysctl = none_sysctl,
};

const struct kctl_backend kctl_native_backend = { .ops = &none_ops, .ctx = 0 };
