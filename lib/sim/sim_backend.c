/*
 * sim_backend.c - the syscall table that sends libkctl's calls to a simulated kernel
 * (ctx is the kctl_sim_t).
 */
#include "sim.h"

static int be_socket(void *ctx, int domain, int type, int protocol, int *fd)
{
	return kctl_sim_socket(ctx, domain, type, protocol, fd);
}

static int be_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	return kctl_sim_ioctl(ctx, fd, req, arg);
}

static int be_bind(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen)
{
	return kctl_sim_bind(ctx, fd, sa, salen);
}

static int be_connect(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
		      uint32_t salen)
{
	return kctl_sim_connect(ctx, fd, sa, salen);
}

static int be_getpeername(void *ctx, int fd, struct kctl_abi_sockaddr_ctl *sa,
			  uint32_t *salen)
{
	return kctl_sim_getpeername(ctx, fd, sa, salen);
}

static int be_sendmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
		      size_t *sent)
{
	return kctl_sim_sendmsg(ctx, fd, iov, iovcnt, flags, sent);
}

static int be_recvmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
		      size_t *got, int *rflags)
{
	return kctl_sim_recvmsg(ctx, fd, iov, iovcnt, flags, got, rflags);
}

static int be_getsockopt(void *ctx, int fd, int level, int opt, void *val, uint32_t *len)
{
	return kctl_sim_getsockopt(ctx, fd, level, opt, val, len);
}

static int be_setsockopt(void *ctx, int fd, int level, int opt, const void *val,
			 uint32_t len)
{
	return kctl_sim_setsockopt(ctx, fd, level, opt, val, len);
}

static int be_close(void *ctx, int fd)
{
	return kctl_sim_close(ctx, fd);
}

static int be_sysctl(void *ctx, const char *name, void *old, size_t *oldlen,
		     const void *newp, size_t newlen)
{
	return kctl_sim_sysctl(ctx, name, old, oldlen, newp, newlen);
}

const struct kctl_sys_ops sim_sys_ops = {
	.socket = be_socket,
	.ioctl = be_ioctl,
	.bind = be_bind,
	.connect = be_connect,
	.getpeername = be_getpeername,
	.sendmsg = be_sendmsg,
	.recvmsg = be_recvmsg,
	.getsockopt = be_getsockopt,
	.setsockopt = be_setsockopt,
	.close = be_close,
	.sysctl = be_sysctl,
};
