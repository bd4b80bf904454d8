/*
 * sys_darwin.c - the native backend on macOS: each leaf is the libc call of the same
 * name, with -1/errno turned into a negative errno. Nothing else lives here; the core
 * builds every structure and decides every step, so the tests on other platforms run
 * the same logic against the simulated kernel.
 *
 * Compiled only on macOS. Checked here (no Mac) with shared/tools/darwin-check user.
 */
#include <errno.h>
#include <net/if_utun.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/kern_control.h>
#include <sys/socket.h>
#include <sys/sys_domain.h>
#include <sys/sysctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kctl_sys.h"

/* The core speaks kctl_abi.h; it must be Darwin's ABI to the byte. */
_Static_assert(KCTL_ABI_AF_SYSTEM == AF_SYSTEM, "AF_SYSTEM");
_Static_assert(KCTL_ABI_SYSPROTO_CONTROL == SYSPROTO_CONTROL, "SYSPROTO_CONTROL");
_Static_assert(KCTL_ABI_AF_SYS_CONTROL == AF_SYS_CONTROL, "AF_SYS_CONTROL");
_Static_assert(KCTL_ABI_SOCK_STREAM == SOCK_STREAM && KCTL_ABI_SOCK_DGRAM == SOCK_DGRAM,
	       "socket types");
_Static_assert(KCTL_ABI_MAX_NAME == MAX_KCTL_NAME, "MAX_KCTL_NAME");
_Static_assert(KCTL_ABI_CTLIOCGCOUNT == CTLIOCGCOUNT, "CTLIOCGCOUNT");
_Static_assert(KCTL_ABI_CTLIOCGINFO == CTLIOCGINFO, "CTLIOCGINFO");
_Static_assert(KCTL_ABI_FIOCLEX == FIOCLEX && KCTL_ABI_FIONCLEX == FIONCLEX, "FIOCLEX");
_Static_assert(KCTL_ABI_FIONBIO == FIONBIO && KCTL_ABI_FIONREAD == FIONREAD, "FIONBIO");
_Static_assert(KCTL_ABI_SOL_SOCKET == SOL_SOCKET, "SOL_SOCKET");
_Static_assert(KCTL_ABI_SO_NOSIGPIPE == SO_NOSIGPIPE, "SO_NOSIGPIPE");
_Static_assert(KCTL_ABI_MSG_OOB == MSG_OOB && KCTL_ABI_MSG_PEEK == MSG_PEEK, "MSG_OOB");
_Static_assert(KCTL_ABI_MSG_EOR == MSG_EOR && KCTL_ABI_MSG_TRUNC == MSG_TRUNC, "MSG_EOR");
_Static_assert(KCTL_ABI_MSG_WAITALL == MSG_WAITALL && KCTL_ABI_MSG_DONTWAIT == MSG_DONTWAIT,
	       "MSG_DONTWAIT");

/*
 * MSG_NOSIGNAL: macOS 11 and later skip SIGPIPE for a send that passes it; 10.x kernels
 * have no such bit and ignore it (0x80000 is unused in xnu-6153's sendit and sosend),
 * so it is passed on every send, whatever the system. SO_NOSIGPIPE, which the core
 * sets on every socket, stays the guard on systems older than 11.
 */
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL KCTL_ABI_MSG_NOSIGNAL /* an SDK older than 11 */
#endif
_Static_assert(KCTL_ABI_MSG_NOSIGNAL == MSG_NOSIGNAL, "MSG_NOSIGNAL");
_Static_assert(sizeof(struct kctl_abi_ctl_info) == sizeof(struct ctl_info), "ctl_info");
_Static_assert(offsetof(struct kctl_abi_ctl_info, ctl_name) ==
	       offsetof(struct ctl_info, ctl_name), "ctl_name");
_Static_assert(sizeof(struct kctl_abi_sockaddr_ctl) == sizeof(struct sockaddr_ctl),
	       "sockaddr_ctl");
_Static_assert(offsetof(struct kctl_abi_sockaddr_ctl, sc_id) ==
	       offsetof(struct sockaddr_ctl, sc_id), "sc_id");
_Static_assert(offsetof(struct kctl_abi_sockaddr_ctl, sc_unit) ==
	       offsetof(struct sockaddr_ctl, sc_unit), "sc_unit");
_Static_assert(offsetof(struct kctl_abi_sockaddr_ctl, sc_reserved) ==
	       offsetof(struct sockaddr_ctl, sc_reserved), "sc_reserved");

/* utun's user ABI (net/if_utun.h) and the families its header carries. */
_Static_assert(KCTL_ABI_AF_INET == AF_INET && KCTL_ABI_AF_INET6 == AF_INET6, "AF_INET6");
_Static_assert(KCTL_ABI_UTUN_OPT_FLAGS == UTUN_OPT_FLAGS &&
	       KCTL_ABI_UTUN_OPT_IFNAME == UTUN_OPT_IFNAME, "UTUN_OPT_IFNAME");
_Static_assert(KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS == UTUN_OPT_EXT_IFDATA_STATS &&
	       KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_OUT == UTUN_OPT_INC_IFDATA_STATS_OUT,
	       "UTUN_OPT_*_IFDATA_STATS");
_Static_assert(KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS == UTUN_OPT_MAX_PENDING_PACKETS,
	       "UTUN_OPT_MAX_PENDING_PACKETS");
_Static_assert(KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH == UTUN_OPT_ATTACH_FLOWSWITCH,
	       "UTUN_OPT_ATTACH_FLOWSWITCH");
_Static_assert(KCTL_ABI_UTUN_FLAGS_ENABLE_PROC_UUID == UTUN_FLAGS_ENABLE_PROC_UUID,
	       "UTUN_FLAGS_ENABLE_PROC_UUID");
_Static_assert(sizeof(struct kctl_abi_utun_stats_param) == sizeof(struct utun_stats_param),
	       "utun_stats_param");

static int darwin_result(int rc)
{
	return rc < 0 ? -errno : 0;
}

static int darwin_socket(void *ctx, int domain, int type, int protocol, int *fd)
{
	int s;

	(void)ctx;
	s = socket(domain, type, protocol);
	if (s < 0)
		return -errno;
	*fd = s;
	return 0;
}

static int darwin_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	(void)ctx;
	return darwin_result(ioctl(fd, req, arg));
}

static int darwin_bind(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
		       uint32_t salen)
{
	(void)ctx;
	return darwin_result(bind(fd, (const struct sockaddr *)(const void *)sa, salen));
}

static int darwin_connect(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
			  uint32_t salen)
{
	(void)ctx;
	return darwin_result(connect(fd, (const struct sockaddr *)(const void *)sa, salen));
}

static int darwin_getpeername(void *ctx, int fd, struct kctl_abi_sockaddr_ctl *sa,
			      uint32_t *salen)
{
	socklen_t len = *salen;
	int rc;

	(void)ctx;
	rc = getpeername(fd, (struct sockaddr *)(void *)sa, &len);
	if (rc < 0)
		return -errno;
	*salen = len;
	return 0;
}

static int darwin_sendmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
			  size_t *sent)
{
	struct msghdr m = { .msg_iov = (struct iovec *)(uintptr_t)iov, .msg_iovlen = iovcnt };
	ssize_t n;

	(void)ctx;
	n = sendmsg(fd, &m, flags | MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	*sent = (size_t)n;
	return 0;
}

static int darwin_recvmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
			  size_t *got, int *rflags)
{
	struct msghdr m = { .msg_iov = (struct iovec *)(uintptr_t)iov, .msg_iovlen = iovcnt };
	ssize_t n;

	(void)ctx;
	n = recvmsg(fd, &m, flags);
	if (n < 0)
		return -errno;
	*got = (size_t)n;
	*rflags = m.msg_flags;
	return 0;
}

static int darwin_getsockopt(void *ctx, int fd, int level, int opt, void *val, uint32_t *len)
{
	socklen_t l = *len;
	int rc;

	(void)ctx;
	rc = getsockopt(fd, level, opt, val, &l);
	if (rc < 0)
		return -errno;
	*len = l;
	return 0;
}

static int darwin_setsockopt(void *ctx, int fd, int level, int opt, const void *val,
			     uint32_t len)
{
	(void)ctx;
	return darwin_result(setsockopt(fd, level, opt, val, len));
}

static int darwin_close(void *ctx, int fd)
{
	(void)ctx;
	return darwin_result(close(fd));
}

/* The kernel updates *oldlen on ENOMEM too (bytes written), so it is passed through. */
static int darwin_sysctl(void *ctx, const char *name, void *old, size_t *oldlen,
			 const void *newp, size_t newlen)
{
	(void)ctx;
	return darwin_result(sysctlbyname(name, old, oldlen, (void *)(uintptr_t)newp, newlen));
}

static const struct kctl_sys_ops darwin_ops = {
	.socket = darwin_socket,
	.ioctl = darwin_ioctl,
	.bind = darwin_bind,
	.connect = darwin_connect,
	.getpeername = darwin_getpeername,
	.sendmsg = darwin_sendmsg,
	.recvmsg = darwin_recvmsg,
	.getsockopt = darwin_getsockopt,
	.setsockopt = darwin_setsockopt,
	.close = darwin_close,
	.sysctl = darwin_sysctl,
};

const struct kctl_backend kctl_native_backend = { .ops = &darwin_ops, .ctx = NULL };
