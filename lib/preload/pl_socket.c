/*
 * pl_socket.c - a descriptor's life: socket(), socketpair(), close(), close_range(),
 * closefrom(), dup(), dup2(), dup3() (and fcntl's F_DUPFD through pl_dup).
 *
 * Every call that changes what a descriptor number names makes its libc call and the
 * table update under the table lock, so no other thread sees a number that libc has
 * given a new meaning still named as the old one.
 */
/* close_range() and closefrom() are GNU extensions of <unistd.h>. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <sys/resource.h>
#include <unistd.h>

#include "preload.h"

/* Where the simulator's own descriptors go: above what select() and fd scanners see. */
int pl_hidden_floor(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1024;
	if (rl.rlim_cur >= 2048)
		return 1024;
	return (int)(rl.rlim_cur * 3 / 4);
}

/* The host's socket type and flags -> Darwin's type; close-on-exec and O_NONBLOCK. */
static int split_type(int type, bool *cloexec, bool *nonblock)
{
	int base = type;

	*cloexec = false;
	*nonblock = false;
#ifdef SOCK_CLOEXEC
	*cloexec = (type & SOCK_CLOEXEC) != 0;
	base &= ~SOCK_CLOEXEC;
#endif
#ifdef SOCK_NONBLOCK
	*nonblock = (type & SOCK_NONBLOCK) != 0;
	base &= ~SOCK_NONBLOCK;
#endif
	if (base == SOCK_STREAM)
		return KCTL_ABI_SOCK_STREAM;
	if (base == SOCK_DGRAM)
		return KCTL_ABI_SOCK_DGRAM;
	return base; /* the simulator answers EPROTOTYPE, as a Mac does */
}

/* The simulator's socket moved out of the way; *simfd, *kfd its hidden ends. */
static int sim_socket(kctl_sim_t *sim, int dtype, int protocol, int *simfd, int *kfd)
{
	int fd, err = kctl_sim_socket(sim, KCTL_ABI_AF_SYSTEM, dtype, protocol, &fd);

	if (err != 0)
		return err;
	err = kctl_sim_move_fds(sim, fd, pl_hidden_floor(), simfd, kfd);
	if (err == -EMFILE || err == -EINVAL)
		err = kctl_sim_move_fds(sim, fd, 0, simfd, kfd); /* no room up there */
	if (err != 0)
		(void)kctl_sim_close(sim, fd);
	return err;
}

/*
 * Names the client end "\0kctl-sim.<pid>.<fd>" (abstract, gone with the socket), so
 * that an image exec'd with a copy of it recognises it (pl_kernel.c). Best effort.
 */
static void mark_client_end(int simfd)
{
	struct sockaddr_un sun;
	int n;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	n = snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, PL_SOCK_NAME "%ld.%d",
		     (long)getpid(), simfd);
	(void)pl_libc()->bind(simfd, (struct sockaddr *)&sun,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n));
}

/* The program's descriptor: a dup of the client end at the lowest free number. */
static int user_fd(int simfd, bool cloexec, bool nonblock)
{
	const struct pl_libc *c = pl_libc();
	int fd = c->fcntl(simfd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 0);

	if (fd < 0)
		return -errno;
	if (nonblock) {
		int fl = c->fcntl(fd, F_GETFL);

		if (fl < 0 || c->fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
			int err = -errno;

			c->close(fd);
			return err;
		}
	}
	return fd;
}

static int pl_socket(int type, int protocol)
{
	bool cloexec, nonblock;
	int dtype = split_type(type, &cloexec, &nonblock);
	int simfd, kfd, fd, err;
	kctl_sim_t *sim;

	if (pl_where() == PL_CHILD) {
		pl_note_orphan(-1, true);
		return -EAFNOSUPPORT;
	}
	sim = pl_kernel();
	if (sim == NULL)
		return -EAFNOSUPPORT;
	err = sim_socket(sim, dtype, protocol, &simfd, &kfd);
	if (err != 0)
		return err;
	mark_client_end(simfd);
	fd = user_fd(simfd, cloexec, nonblock);
	err = fd < 0 ? fd : pl_sock_add(fd, simfd, kfd, dtype);
	if (err != 0) {
		if (fd >= 0)
			pl_libc()->close(fd);
		(void)kctl_sim_close(sim, simfd);
		return err;
	}
	return fd;
}

int socket(int domain, int type, int protocol)
{
	if (domain != KCTL_ABI_AF_SYSTEM || pl_where() == PL_VFORK)
		return pl_libc()->socket(domain, type, protocol);
	return pl_ret(pl_socket(type, protocol));
}

/* A Mac creates both sockets, then has no way to connect two controls: EOPNOTSUPP. */
int socketpair(int domain, int type, int protocol, int sv[2])
{
	int fd;

	if (domain != KCTL_ABI_AF_SYSTEM || pl_where() == PL_VFORK)
		return pl_libc()->socketpair(domain, type, protocol, sv);
	if (sv == NULL)
		return pl_ret(-EFAULT);
	fd = pl_socket(type, protocol);
	if (fd < 0)
		return pl_ret(fd);
	(void)close(fd);
	return pl_ret(-EOPNOTSUPP);
}

/* ---- close ---- */

/* Lock held: closes fd in libc and forgets it; *last gets a socket to finish. */
static int close_locked(int fd, struct pl_sock **last)
{
	int rc = pl_libc()->close(fd), err = rc < 0 ? -errno : 0;

	*last = pl_fd_forget_locked(fd); /* closed even on EINTR/EIO, as Linux does */
	return err;
}

int close(int fd)
{
	enum pl_where where;
	struct pl_sock *last = NULL;
	int err;

	if (pl_fd_kind(fd) == PL_FD_LIBC)
		return pl_libc()->close(fd);
	where = pl_where();
	if (where == PL_VFORK)
		return pl_libc()->close(fd);
	pl_table_lock();
	if (pl_fd_kind(fd) == PL_FD_HIDDEN && where == PL_HERE)
		err = -EBADF; /* the simulator's: not a descriptor the program has */
	else
		err = close_locked(fd, &last);
	pl_table_unlock();
	if (last != NULL)
		pl_sock_finish(last);
	return pl_ret(err);
}

/* libc's close_range over [lo, hi], or one close at a time where libc has none. */
static int libc_close_range(unsigned int lo, unsigned int hi, int flags)
{
	const struct pl_libc *c = pl_libc();

	if (lo > hi)
		return 0;
	if (c->close_range != NULL)
		return c->close_range(lo, hi, flags) < 0 ? -errno : 0;
	return -ENOSYS;
}

/* One of ours inside the range (lock held, dropped to finish a socket). */
static void range_one(int fd, int flags, enum pl_where where)
{
	struct pl_sock *last = NULL;

	if (pl_fd_kind(fd) == PL_FD_HIDDEN && where == PL_HERE)
		return;
#ifdef CLOSE_RANGE_CLOEXEC
	if (flags & CLOSE_RANGE_CLOEXEC) {
		(void)pl_libc()->fcntl(fd, F_SETFD, FD_CLOEXEC);
		return;
	}
#else
	(void)flags;
#endif
	(void)close_locked(fd, &last);
	if (last != NULL) {
		pl_table_unlock();
		pl_sock_finish(last);
		pl_table_lock();
	}
}

/* The range in pieces: libc for the gaps between our descriptors, ours one by one. */
static int close_range_split(unsigned int lo, unsigned int hi, int flags)
{
	enum pl_where where = pl_where();
	unsigned int gap = lo;
	int err = 0, max;

	pl_table_lock();
	max = pl_fd_max_locked();
	for (unsigned int fd = lo; max >= 0 && fd <= hi && fd <= (unsigned int)max; fd++) {
		if (pl_fd_kind((int)fd) == PL_FD_LIBC)
			continue;
		if (fd > gap && err == 0)
			err = libc_close_range(gap, fd - 1, flags);
		range_one((int)fd, flags, where);
		gap = fd + 1;
		max = pl_fd_max_locked();
	}
	if (err == 0)
		err = libc_close_range(gap, hi, flags);
	pl_table_unlock();
	return err;
}

int close_range(unsigned int first, unsigned int last, int flags)
{
	if (first > last)
		return pl_ret(-EINVAL);
	if (pl_where() == PL_VFORK)
		return pl_ret(libc_close_range(first, last, flags));
	return pl_ret(close_range_split(first, last, flags));
}

void closefrom(int lowfd)
{
	if (lowfd < 0)
		lowfd = 0;
	(void)close_range_split((unsigned int)lowfd, UINT_MAX, 0);
}

/* ---- dup ---- */

/* The libc call of each kind of dup (lock held). */
static int libc_dup(int how, int oldfd, int arg, int flags)
{
	const struct pl_libc *c = pl_libc();

	switch (how) {
	case PL_DUP:
		return c->dup(oldfd);
	case PL_DUP2:
		return c->dup2(oldfd, arg);
	case PL_DUP3:
		return c->dup3(oldfd, arg, flags);
	case PL_FDUP:
		return c->fcntl(oldfd, F_DUPFD, arg);
	default:
		return c->fcntl(oldfd, F_DUPFD_CLOEXEC, arg);
	}
}

/* dup2(fd, fd) on a valid fd answers fd and changes nothing. */
static bool same_fd_noop(int how, int oldfd, int arg)
{
	return how == PL_DUP2 && oldfd == arg;
}

int pl_dup(int how, int oldfd, int arg, int flags)
{
	enum pl_where where = pl_where();
	struct pl_sock *stale = NULL, *s;
	bool targeted = how == PL_DUP2 || how == PL_DUP3;
	int nfd;

	if (where == PL_VFORK)
		return libc_dup(how, oldfd, arg, flags);
	pl_table_lock();
	if (where == PL_HERE && (pl_fd_kind(oldfd) == PL_FD_HIDDEN ||
				 (targeted && pl_fd_kind(arg) == PL_FD_HIDDEN))) {
		pl_table_unlock();
		errno = EBADF;
		return -1;
	}
	nfd = libc_dup(how, oldfd, arg, flags);
	if (nfd >= 0 && !same_fd_noop(how, oldfd, arg)) {
		int err = errno;

		stale = pl_fd_forget_locked(nfd); /* what dup2 closed, or a stale name */
		s = pl_fd_sock_locked(oldfd);
		if (s != NULL)
			pl_fd_name_locked(nfd, s, pl_fd_kind(oldfd));
		errno = err;
	}
	pl_table_unlock();
	if (stale != NULL)
		pl_sock_finish(stale);
	return nfd;
}

int dup(int oldfd)
{
	if (pl_fd_kind(oldfd) == PL_FD_LIBC)
		return pl_libc()->dup(oldfd);
	return pl_dup(PL_DUP, oldfd, 0, 0);
}

int dup2(int oldfd, int newfd)
{
	if (pl_fd_kind(oldfd) == PL_FD_LIBC && pl_fd_kind(newfd) == PL_FD_LIBC)
		return pl_libc()->dup2(oldfd, newfd);
	return pl_dup(PL_DUP2, oldfd, newfd, 0);
}

int dup3(int oldfd, int newfd, int flags)
{
	if (pl_fd_kind(oldfd) == PL_FD_LIBC && pl_fd_kind(newfd) == PL_FD_LIBC)
		return pl_libc()->dup3(oldfd, newfd, flags);
	return pl_dup(PL_DUP3, oldfd, newfd, flags);
}
