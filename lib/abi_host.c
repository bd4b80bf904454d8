/*
 * abi_host.c - the tables behind abi_host.h: each row pairs a Darwin number with the
 * host's macro of the same name, so the host side follows whatever libc is compiled
 * against (Linux, a BSD) instead of numbers typed in here.
 */
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "abi_host.h"
#include "kctl_abi.h"

struct kh_pair {
	unsigned long darwin;
	unsigned long host;
};

#define KH_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct kh_pair msg_flags[] = {
	{ KCTL_ABI_MSG_OOB, MSG_OOB },
	{ KCTL_ABI_MSG_PEEK, MSG_PEEK },
	{ KH_DARWIN_MSG_DONTROUTE, MSG_DONTROUTE },
	{ KCTL_ABI_MSG_EOR, MSG_EOR },
	{ KCTL_ABI_MSG_TRUNC, MSG_TRUNC },
	{ KH_DARWIN_MSG_CTRUNC, MSG_CTRUNC },
	{ KCTL_ABI_MSG_WAITALL, MSG_WAITALL },
	{ KCTL_ABI_MSG_DONTWAIT, MSG_DONTWAIT },
#ifdef MSG_NOSIGNAL
	{ KH_DARWIN_MSG_NOSIGNAL, MSG_NOSIGNAL },
#endif
};

/* SOL_SOCKET options both systems name (xnu bsd/sys/socket.h for the left column). */
static const struct kh_pair so_opts[] = {
	{ 0x0001, SO_DEBUG },
	{ 0x0002, SO_ACCEPTCONN },
	{ 0x0004, SO_REUSEADDR },
	{ 0x0008, SO_KEEPALIVE },
	{ 0x0010, SO_DONTROUTE },
	{ 0x0020, SO_BROADCAST },
	{ 0x1080, SO_LINGER }, /* Darwin's user-space SO_LINGER is SO_LINGER_SEC */
	{ 0x0100, SO_OOBINLINE },
#ifdef SO_REUSEPORT
	{ 0x0200, SO_REUSEPORT },
#endif
#ifdef SO_TIMESTAMP
	{ 0x0400, SO_TIMESTAMP },
#endif
	{ KH_DARWIN_SO_SNDBUF, SO_SNDBUF },
	{ KH_DARWIN_SO_RCVBUF, SO_RCVBUF },
	{ KH_DARWIN_SO_SNDLOWAT, SO_SNDLOWAT },
	{ KH_DARWIN_SO_RCVLOWAT, SO_RCVLOWAT },
	{ KH_DARWIN_SO_SNDTIMEO, SO_SNDTIMEO },
	{ KH_DARWIN_SO_RCVTIMEO, SO_RCVTIMEO },
	{ KH_DARWIN_SO_ERROR, SO_ERROR },
	{ KH_DARWIN_SO_TYPE, SO_TYPE },
};

/* Names only Darwin has; libkctl-darwin's <sys/socket.h> gives them Darwin's values. */
static bool darwin_only_opt(int opt)
{
	return opt == KCTL_ABI_SO_NOSIGPIPE || opt == KH_DARWIN_SO_NREAD ||
	       opt == KH_DARWIN_SO_NWRITE;
}

static const struct kh_pair file_ioctls[] = {
	{ KCTL_ABI_FIONBIO, FIONBIO },
	{ KCTL_ABI_FIONREAD, FIONREAD },
	{ KCTL_ABI_FIOCLEX, FIOCLEX },
	{ KCTL_ABI_FIONCLEX, FIONCLEX },
};

int kh_msg_to_darwin(int host, int *dropped)
{
	unsigned long h = (unsigned int)host, d = 0;

	for (size_t i = 0; i < KH_COUNT(msg_flags); i++) {
		if (h & msg_flags[i].host) {
			d |= msg_flags[i].darwin;
			h &= ~msg_flags[i].host;
		}
	}
	if (dropped != NULL)
		*dropped = (int)h;
	return (int)d;
}

int kh_msg_from_darwin(int darwin)
{
	unsigned long d = (unsigned int)darwin, h = 0;

	for (size_t i = 0; i < KH_COUNT(msg_flags); i++)
		if (d & msg_flags[i].darwin)
			h |= msg_flags[i].host;
	return (int)h;
}

bool kh_sockopt_to_darwin(int level, int opt, int *dopt)
{
	if (level == KCTL_ABI_SOL_SOCKET) {
		*dopt = opt;
		return true;
	}
	if (level != SOL_SOCKET)
		return false;
	if (darwin_only_opt(opt)) {
		*dopt = opt;
		return true;
	}
	for (size_t i = 0; i < KH_COUNT(so_opts); i++) {
		if ((unsigned long)(unsigned int)opt == so_opts[i].host) {
			*dopt = (int)so_opts[i].darwin;
			return true;
		}
	}
	return false;
}

bool kh_sockopt_from_darwin(int dopt, int *hopt)
{
	if (darwin_only_opt(dopt)) {
		*hopt = dopt; /* no host twin: the Darwin number travels as it is */
		return true;
	}
	for (size_t i = 0; i < KH_COUNT(so_opts); i++) {
		if ((unsigned long)(unsigned int)dopt == so_opts[i].darwin) {
			*hopt = (int)so_opts[i].host;
			return true;
		}
	}
	return false;
}

unsigned long kh_ioctl_to_darwin(unsigned long req)
{
	if (req == KH_DARWIN_CTLIOCGCOUNT_LINUX_IOR)
		return KCTL_ABI_CTLIOCGCOUNT;
	for (size_t i = 0; i < KH_COUNT(file_ioctls); i++)
		if (req == file_ioctls[i].host)
			return file_ioctls[i].darwin;
	return req;
}

unsigned long kh_ioctl_from_darwin(unsigned long req)
{
	for (size_t i = 0; i < KH_COUNT(file_ioctls); i++)
		if (req == file_ioctls[i].darwin)
			return file_ioctls[i].host;
	return req;
}
