/*
 * sys_host.c - the native backend where the kernel is not Darwin's: each leaf is the
 * host libc call of the same name, with the core's Darwin constants translated to the
 * host's (abi_host.h) and -1/errno turned into a negative errno.
 *
 * The host's kernel has no PF_SYSTEM, so it answers socket(32, ...) itself (Linux:
 * EAFNOSUPPORT) and kctl_open_* fails with that errno. Under `kctl-sim run` the same
 * calls reach libkctl-preload, which sends them to a simulated kernel: a program linked
 * with libkctl then runs there unchanged, exactly like a program making raw BSD calls.
 * Address structures are Darwin's bytes (struct sockaddr_ctl) and pass untouched.
 */
/* RTLD_DEFAULT */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "abi_host.h"
#include "kctl_sys.h"

static int host_result(int rc)
{
	return rc < 0 ? -errno : 0;
}

static int host_type(int type)
{
	if (type == KCTL_ABI_SOCK_STREAM)
		return SOCK_STREAM;
	if (type == KCTL_ABI_SOCK_DGRAM)
		return SOCK_DGRAM;
	return type;
}

static int host_socket(void *ctx, int domain, int type, int protocol, int *fd)
{
	int s;

	(void)ctx;
	s = socket(domain, host_type(type), protocol); /* domain 32: Darwin's AF_SYSTEM */
	if (s < 0)
		return -errno;
	*fd = s;
	return 0;
}

static int host_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	(void)ctx;
	return host_result(ioctl(fd, kh_ioctl_from_darwin(req), arg));
}

static int host_bind(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
		     uint32_t salen)
{
	(void)ctx;
	return host_result(bind(fd, (const struct sockaddr *)(const void *)sa, salen));
}

static int host_connect(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
			uint32_t salen)
{
	(void)ctx;
	return host_result(connect(fd, (const struct sockaddr *)(const void *)sa, salen));
}

static int host_getpeername(void *ctx, int fd, struct kctl_abi_sockaddr_ctl *sa,
			    uint32_t *salen)
{
	socklen_t len = *salen;

	(void)ctx;
	if (getpeername(fd, (struct sockaddr *)(void *)sa, &len) < 0)
		return -errno;
	*salen = len;
	return 0;
}

static int host_sendmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
			size_t *sent)
{
	struct msghdr m = { .msg_iov = (struct iovec *)(uintptr_t)iov,
			    .msg_iovlen = (size_t)iovcnt };
	ssize_t n;

	(void)ctx;
	n = sendmsg(fd, &m, kh_msg_from_darwin(flags));
	if (n < 0)
		return -errno;
	*sent = (size_t)n;
	return 0;
}

static int host_recvmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
			size_t *got, int *rflags)
{
	struct msghdr m = { .msg_iov = (struct iovec *)(uintptr_t)iov,
			    .msg_iovlen = (size_t)iovcnt };
	ssize_t n;

	(void)ctx;
	n = recvmsg(fd, &m, kh_msg_from_darwin(flags));
	if (n < 0)
		return -errno;
	*got = (size_t)n;
	*rflags = kh_msg_to_darwin(m.msg_flags, NULL);
	return 0;
}

/* Darwin's SOL_SOCKET (0xffff) and its option names become the host's. */
static int host_level(int level, int opt, int *hlevel, int *hopt)
{
	*hlevel = level;
	*hopt = opt;
	if (level != KCTL_ABI_SOL_SOCKET)
		return 0;
	*hlevel = SOL_SOCKET;
	return kh_sockopt_from_darwin(opt, hopt) ? 0 : -ENOPROTOOPT;
}

static int host_getsockopt(void *ctx, int fd, int level, int opt, void *val, uint32_t *len)
{
	socklen_t l = *len;
	int hl, ho, rc;

	(void)ctx;
	rc = host_level(level, opt, &hl, &ho);
	if (rc < 0)
		return rc;
	if (getsockopt(fd, hl, ho, val, &l) < 0)
		return -errno;
	*len = l;
	return 0;
}

static int host_setsockopt(void *ctx, int fd, int level, int opt, const void *val,
			   uint32_t len)
{
	int hl, ho, rc;

	(void)ctx;
	rc = host_level(level, opt, &hl, &ho);
	if (rc < 0)
		return rc;
	return host_result(setsockopt(fd, hl, ho, val, len));
}

static int host_close(void *ctx, int fd)
{
	(void)ctx;
	return host_result(close(fd));
}

/*
 * glibc has no sysctl interface: sysctlbyname() is looked up at run time, where the
 * preload (or libkctl-darwin) defines it; without one there are no Darwin sysctl names
 * here, as there are no kernel controls: -EAFNOSUPPORT, like every other leaf.
 */
typedef int (*sysctlbyname_fn)(const char *, void *, size_t *, void *, size_t);

static int host_sysctl(void *ctx, const char *name, void *old, size_t *oldlen,
		       const void *newp, size_t newlen)
{
	void *sym = dlsym(RTLD_DEFAULT, "sysctlbyname");
	sysctlbyname_fn fn;

	(void)ctx;
	if (sym == NULL)
		return -EAFNOSUPPORT;
	memcpy(&fn, &sym, sizeof(fn));
	return host_result(fn(name, old, oldlen, (void *)(uintptr_t)newp, newlen));
}

static const struct kctl_sys_ops host_ops = {
	.socket = host_socket,
	.ioctl = host_ioctl,
	.bind = host_bind,
	.connect = host_connect,
	.getpeername = host_getpeername,
	.sendmsg = host_sendmsg,
	.recvmsg = host_recvmsg,
	.getsockopt = host_getsockopt,
	.setsockopt = host_setsockopt,
	.close = host_close,
	.sysctl = host_sysctl,
};

const struct kctl_backend kctl_native_backend = { .ops = &host_ops, .ctx = NULL };
