/*
 * pl_addr.c - addresses and connections: bind, connect, getpeername, and the calls a
 * kernel control does not support (getsockname, listen, accept, accept4, shutdown).
 *
 * Addresses are Darwin's struct sockaddr_ctl, byte for byte, as libkctl-darwin's
 * <sys/kern_control.h> lays it out (sc_len, sc_family, ss_sysaddr, ...): they pass to
 * the simulator untouched, and the simulator makes a Mac's checks (ENAMETOOLONG above
 * 255 bytes, EINVAL for any length but 32, EFAULT for NULL).
 */
#include "preload.h"

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags); /* GNU */

static const struct kctl_abi_sockaddr_ctl *ctl_addr(const struct sockaddr *sa)
{
	return (const struct kctl_abi_sockaddr_ctl *)(const void *)sa;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct pl_sock *s;
	kctl_sim_t *sim;
	int err, r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->bind(fd, addr, len);
	if (r < 0)
		return pl_ret(r);
	sim = pl_begin(s, &err);
	if (sim != NULL)
		err = kctl_sim_bind(sim, s->simfd, ctl_addr(addr), len);
	pl_end(s, sim != NULL);
	return pl_ret(err);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct pl_sock *s;
	kctl_sim_t *sim;
	int err, r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->connect(fd, addr, len);
	if (r < 0)
		return pl_ret(r);
	sim = pl_begin(s, &err);
	if (sim != NULL)
		err = kctl_sim_connect(sim, s->simfd, ctl_addr(addr), len);
	pl_end(s, sim != NULL);
	return pl_ret(err);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct pl_sock *s;
	kctl_sim_t *sim;
	int err, r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->getpeername(fd, addr, len);
	if (r < 0)
		return pl_ret(r);
	sim = pl_begin(s, &err);
	if (sim != NULL)
		err = kctl_sim_getpeername(sim, s->simfd, (struct kctl_abi_sockaddr_ctl *)(void *)addr,
					   len);
	pl_end(s, sim != NULL);
	return pl_ret(err);
}

/* A call a kernel control answers with one errno whatever its state. */
static int unsupported(int fd, int err)
{
	struct pl_sock *s;
	int r = pl_take(fd, &s);

	if (r <= 0)
		return r;
	pl_sock_release(s);
	return err;
}

/* No pru_sockaddr in kern_control.c: EOPNOTSUPP. */
int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	int r = unsupported(fd, -EOPNOTSUPP);

	return r == 0 ? pl_libc()->getsockname(fd, addr, len) : pl_ret(r);
}

/* No pru_listen: EOPNOTSUPP. */
int listen(int fd, int backlog)
{
	int r = unsupported(fd, -EOPNOTSUPP);

	return r == 0 ? pl_libc()->listen(fd, backlog) : pl_ret(r);
}

/* Not listening, and a PR_CONNREQUIRED protocol: EINVAL (uipc_syscalls.c accept). */
int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	int r = unsupported(fd, -EINVAL);

	return r == 0 ? pl_libc()->accept(fd, addr, len) : pl_ret(r);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	int r = unsupported(fd, -EINVAL);

	return r == 0 ? pl_libc()->accept4(fd, addr, len, flags) : pl_ret(r);
}

/*
 * soshutdown: EINVAL for an unknown `how`, ENOTCONN when not connected; then a Mac
 * flushes the receive side (SHUT_RD) and asks the protocol to shut the send side,
 * which kern_control does not support (EOPNOTSUPP). The simulator models neither half,
 * so a connected socket answers EOPNOTSUPP for every `how` and stays as it was.
 */
int shutdown(int fd, int how)
{
	struct kctl_abi_sockaddr_ctl peer;
	uint32_t plen = sizeof(peer);
	struct pl_sock *s;
	kctl_sim_t *sim;
	int err, r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->shutdown(fd, how);
	if (r < 0)
		return pl_ret(r);
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
		pl_sock_release(s);
		return pl_ret(-EINVAL);
	}
	sim = pl_begin(s, &err);
	if (sim != NULL)
		err = kctl_sim_getpeername(sim, s->simfd, &peer, &plen);
	pl_end(s, sim != NULL);
	if (err == -EBADF)
		return pl_ret(err);
	return pl_ret(err == 0 ? -EOPNOTSUPP : -ENOTCONN);
}
