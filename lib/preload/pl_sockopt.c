/*
 * pl_sockopt.c - getsockopt() and setsockopt() on a simulated socket.
 *
 * Level SYSPROTO_CONTROL (2) is the control's own and goes to the simulator as it is.
 * SOL_SOCKET options arrive with the host's level and numbers (or Darwin's 0xffff and
 * numbers, or the Darwin-only names libkctl-darwin's <sys/socket.h> gives Darwin's
 * values: SO_NOSIGPIPE, SO_NREAD, SO_NWRITE) and are translated. Four are answered
 * here because the preload owns what they describe: SO_TYPE and SO_ERROR (a kernel
 * control never has a pending error), and SO_RCVTIMEO/SO_SNDTIMEO, kept on the program's
 * descriptor where the receive wait obeys them. The rest go to the simulator in
 * Darwin's numbering; a SOL_SOCKET option Darwin has no name for is ENOPROTOOPT, as
 * sosetopt/sogetopt answer. Any other level goes to the simulator too (EINVAL there).
 */
#include <string.h>

#include "abi_host.h"
#include "preload.h"

/* sooptcopyout: the head of the value that fits, and the length copied. */
static int copy_out_int(int v, void *val, socklen_t *len)
{
	if (len == NULL || val == NULL)
		return -EFAULT;
	if (*len > sizeof(v))
		*len = sizeof(v);
	memcpy(val, &v, *len);
	return 0;
}

/* The options the preload answers itself (> 0: not one of them). */
static int local_get(const struct pl_sock *s, int fd, int dopt, void *val, socklen_t *len)
{
	switch (dopt) {
	case KH_DARWIN_SO_TYPE:
		return copy_out_int(s->type, val, len);
	case KH_DARWIN_SO_ERROR:
		return copy_out_int(0, val, len);
	case KH_DARWIN_SO_RCVTIMEO:
	case KH_DARWIN_SO_SNDTIMEO:
		return pl_libc()->getsockopt(fd, SOL_SOCKET,
					     dopt == KH_DARWIN_SO_RCVTIMEO ? SO_RCVTIMEO : SO_SNDTIMEO,
					     val, len) < 0 ? -errno : 0;
	default:
		return 1;
	}
}

static int local_set(int fd, int dopt, const void *val, socklen_t len)
{
	switch (dopt) {
	case KH_DARWIN_SO_TYPE:
	case KH_DARWIN_SO_ERROR:
		return -ENOPROTOOPT; /* read-only: sosetopt does not know them */
	case KH_DARWIN_SO_RCVTIMEO:
	case KH_DARWIN_SO_SNDTIMEO:
		return pl_libc()->setsockopt(fd, SOL_SOCKET,
					     dopt == KH_DARWIN_SO_RCVTIMEO ? SO_RCVTIMEO : SO_SNDTIMEO,
					     val, len) < 0 ? -errno : 0;
	default:
		return 1;
	}
}

/* The level and name the simulator gets; -ENOPROTOOPT for a name Darwin lacks. */
static int sim_name(int level, int opt, int *dlevel, int *dopt, bool *sol)
{
	*sol = false;
	*dlevel = level;
	*dopt = opt;
	if (level == KCTL_ABI_SYSPROTO_CONTROL)
		return 0;
	if (kh_sockopt_to_darwin(level, opt, dopt)) {
		*dlevel = KCTL_ABI_SOL_SOCKET;
		*sol = true;
		return 0;
	}
	return level == SOL_SOCKET ? -ENOPROTOOPT : 0;
}

int getsockopt(int fd, int level, int opt, void *val, socklen_t *len)
{
	struct pl_sock *s;
	kctl_sim_t *sim;
	int dlevel, dopt, err, r = pl_take(fd, &s);
	bool sol;

	if (r == 0)
		return pl_libc()->getsockopt(fd, level, opt, val, len);
	if (r < 0)
		return pl_ret(r);
	err = sim_name(level, opt, &dlevel, &dopt, &sol);
	if (err == 0)
		err = sol ? local_get(s, fd, dopt, val, len) : 1; /* 1: the simulator's */
	if (err <= 0) {
		pl_sock_release(s);
		return pl_ret(err);
	}
	sim = pl_begin(s, &err);
	if (sim != NULL)
		err = kctl_sim_getsockopt(sim, s->simfd, dlevel, dopt, val, len);
	pl_end(s, sim != NULL);
	return pl_ret(err);
}

int setsockopt(int fd, int level, int opt, const void *val, socklen_t len)
{
	struct pl_sock *s;
	kctl_sim_t *sim;
	int dlevel, dopt, err, r = pl_take(fd, &s);
	bool sol;

	if (r == 0)
		return pl_libc()->setsockopt(fd, level, opt, val, len);
	if (r < 0)
		return pl_ret(r);
	err = sim_name(level, opt, &dlevel, &dopt, &sol);
	if (err == 0)
		err = sol ? local_set(fd, dopt, val, len) : 1; /* 1: the simulator's */
	if (err <= 0) {
		pl_sock_release(s);
		return pl_ret(err);
	}
	sim = pl_begin(s, &err);
	if (sim != NULL)
		err = kctl_sim_setsockopt(sim, s->simfd, dlevel, dopt, val, len);
	pl_end(s, sim != NULL);
	return pl_ret(err);
}
