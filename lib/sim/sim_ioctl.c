/*
 * sim_ioctl.c - ioctl() on a control socket: the 'N' group of kern_control
 * (CTLIOCGCOUNT, CTLIOCGINFO) and the generic file/socket ones libkctl uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "sim.h"

static int ctliocginfo(kctl_sim_t *sim, struct kctl_abi_ctl_info *user)
{
	struct kctl_abi_ctl_info info;
	const struct kctl_sim_ctl *c;
	size_t n;

	memcpy(&info, user, sizeof(info));
	n = strnlen(info.ctl_name, KCTL_ABI_MAX_NAME);
	if (n == 0 || n == KCTL_ABI_MAX_NAME)
		return -EINVAL;
	c = sim_ctl_by_name(sim, info.ctl_name);
	if (c == NULL)
		return -ENOENT;
	info.ctl_id = c->id;
	memcpy(user, &info, sizeof(info)); /* written back only on success */
	return 0;
}

/* FIONBIO: the simulator's flag decides; the client's end mirrors it for fcntl users. */
static int fionbio(struct sim_sock *s, const int *on)
{
	int fl = fcntl(s->fd, F_GETFL);

	s->nonblock = *on != 0;
	if (fl != -1)
		(void)fcntl(s->fd, F_SETFL, s->nonblock ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
	return 0;
}

static int fioclex(const struct sim_sock *s, bool on)
{
	return fcntl(s->fd, F_SETFD, on ? FD_CLOEXEC : 0) == 0 ? 0 : -errno;
}

/* FIONREAD answers an int: bytes queued across all records, capped like a Mac's. */
static int fionread(const struct sim_sock *s, int *out)
{
	*out = s->rq.bytes > (size_t)INT32_MAX ? INT32_MAX : (int)s->rq.bytes;
	return 0;
}

/* Lock held. */
static int ioctl_locked(struct sim_sock *s, unsigned long req, void *arg)
{
	switch (req) {
	case KCTL_ABI_CTLIOCGCOUNT:
		*(int *)arg = (int)sim_ctl_count(s->sim);
		return 0;
	case KCTL_ABI_CTLIOCGINFO:
		return ctliocginfo(s->sim, arg);
	case KCTL_ABI_FIONBIO:
		return fionbio(s, arg);
	case KCTL_ABI_FIOCLEX:
		return fioclex(s, true);
	case KCTL_ABI_FIONCLEX:
		return fioclex(s, false);
	case KCTL_ABI_FIONREAD:
		return fionread(s, arg);
	default:
		return ((req >> 8) & 0xff) == 'N' ? -ENOTSUP : -ENOTTY;
	}
}

/* The known requests that carry an argument fault on NULL, as copyin would. */
static bool needs_arg(unsigned long req)
{
	return req == KCTL_ABI_CTLIOCGCOUNT || req == KCTL_ABI_CTLIOCGINFO ||
	       req == KCTL_ABI_FIONBIO || req == KCTL_ABI_FIONREAD;
}

int kctl_sim_ioctl(kctl_sim_t *sim, int fd, unsigned long req, void *arg)
{
	struct sim_sock *s;
	int err;

	if (sim == NULL)
		return -EINVAL;
	err = sim_enter(sim, KCTL_SIM_CALL_IOCTL);
	if (err != 0)
		return err;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		if (arg == NULL && needs_arg(req))
			err = -EFAULT;
		else
			err = ioctl_locked(s, req, arg);
		sim_sock_put(s);
	}
	sim_unlock(sim);
	return err;
}
