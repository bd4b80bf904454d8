/*
 * pl_control.c - ioctl() and fcntl() on a simulated socket.
 *
 * What belongs to the descriptor stays with the real one, which the program's dups
 * and the simulator's client end share: O_NONBLOCK (FIONBIO, F_SETFL; the receive wait
 * in pl_io.c obeys it), close-on-exec (FIOCLEX, FIONCLEX, F_SETFD; exec honours it),
 * F_SETOWN/O_ASYNC (SIGIO when the socket becomes readable). What belongs to the
 * socket goes to the simulator: FIONREAD and kern_control's 'N' ioctls (CTLIOCGINFO,
 * CTLIOCGCOUNT), with the host's request numbers translated to Darwin's.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>

#include "abi_host.h"
#include "preload.h"

int fcntl64(int fd, int cmd, ...);

/* The ioctls of the descriptor itself, done on the program's descriptor. */
static int fd_ioctl(int fd, unsigned long dreq, void *arg)
{
	const struct pl_libc *c = pl_libc();

	switch (dreq) {
	case KCTL_ABI_FIONBIO:
		if (arg == NULL)
			return -EFAULT;
		return c->ioctl(fd, (unsigned long)FIONBIO, arg) < 0 ? -errno : 0;
	case KCTL_ABI_FIOCLEX:
		return c->fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -errno : 0;
	default: /* KCTL_ABI_FIONCLEX */
		return c->fcntl(fd, F_SETFD, 0) < 0 ? -errno : 0;
	}
}

static bool is_fd_ioctl(unsigned long dreq)
{
	return dreq == KCTL_ABI_FIONBIO || dreq == KCTL_ABI_FIOCLEX || dreq == KCTL_ABI_FIONCLEX;
}

int ioctl(int fd, unsigned long req, ...)
{
	unsigned long dreq;
	struct pl_sock *s;
	kctl_sim_t *sim;
	va_list ap;
	void *arg;
	int err, r;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	r = pl_take(fd, &s);
	if (r == 0)
		return pl_libc()->ioctl(fd, req, arg);
	if (r < 0)
		return pl_ret(r);
	dreq = kh_ioctl_to_darwin(req);
	if (is_fd_ioctl(dreq)) {
		pl_sock_release(s);
		return pl_ret(fd_ioctl(fd, dreq, arg));
	}
	sim = pl_begin(s, &err);
	if (sim != NULL)
		err = kctl_sim_ioctl(sim, s->simfd, dreq, arg);
	pl_end(s, sim != NULL);
	return pl_ret(err);
}

/* F_DUPFD names the new descriptor; everything else is the descriptor's own business. */
static int fcntl_common(int fd, int cmd, void *arg, int (*libc_fn)(int, int, ...))
{
	if (pl_fd_kind(fd) != PL_FD_LIBC && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC))
		return pl_dup(cmd == F_DUPFD ? PL_FDUP : PL_FDUP_CLOEXEC, fd,
			      (int)(intptr_t)arg, 0);
	return libc_fn(fd, cmd, arg);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return fcntl_common(fd, cmd, arg, pl_libc()->fcntl);
}

int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return fcntl_common(fd, cmd, arg, pl_libc()->fcntl64);
}
