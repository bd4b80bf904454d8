/*
 * sim_recv.c - recvmsg(): waiting for data (blocking sockets), reading one record or
 * up to an end of record, keeping the signal byte in step, and the rcvd callback.
 */
#include <errno.h>

#include "sim.h"
#include "sim_mbuf.h"

/*
 * Returns 1 when there is something to read, 0 for end of file (or a zero-byte read
 * with nothing queued), or an error (lock held; may sleep on s->cond). Queued data is
 * read even on a dead socket, as soreceive does before it reports EOF. A reader blocked
 * while another thread closes the fd gets -EBADF (a Mac would leave it asleep; a test
 * is better served by a return). MSG_WAITALL is not modelled: one record per read.
 */
static int wait_readable(struct sim_sock *s, size_t cap, int flags)
{
	for (;;) {
		if (s->closed)
			return -EBADF;
		if (s->rq.head != NULL)
			return 1;
		if (s->state == SIM_SOCK_DEAD)
			return 0;
		if (s->state != SIM_SOCK_CONNECTED && s->state != SIM_SOCK_CONNECTING)
			return -ENOTCONN;
		if (cap == 0)
			return 0;
		if (s->nonblock || (flags & KCTL_ABI_MSG_DONTWAIT))
			return -EAGAIN;
		pthread_cond_wait(&s->cond, &s->sim->lock);
	}
}

/* Tells the kext the client read (lock held, dropped around the callback). */
static void run_rcvd(struct sim_sock *s, int flags)
{
	sim_sock_use_begin(s);
	if (s->ctl != NULL && s->ctl->reg.rcvd != NULL) {
		struct kctl_sim_ctl *c = s->ctl;
		uint32_t unit = s->sac.sc_unit;
		void *ui = s->unitinfo;

		sim_unlock(s->sim);
		c->reg.rcvd(c, unit, ui, flags);
		sim_lock(s->sim);
	}
	sim_sock_use_end(s);
}

/* Reads and settles the signal byte (lock held); returns whether rcvd is owed. */
static bool read_queue(struct sim_sock *s, const struct iovec *iov, int iovcnt, int flags,
		       size_t *got, int *rflags)
{
	bool peek = (flags & KCTL_ABI_MSG_PEEK) != 0;
	struct sim_read r;

	sim_queue_read(&s->rq, s->type == KCTL_ABI_SOCK_DGRAM, peek, iov, iovcnt, &r);
	if (s->rq.head == NULL && s->state != SIM_SOCK_DEAD)
		sim_sock_signal(s, false);
	*got = r.got;
	*rflags = (r.eor ? KCTL_ABI_MSG_EOR : 0) | (r.trunc ? KCTL_ABI_MSG_TRUNC : 0);
	return r.consumed && s->ctl != NULL && s->ctl->reg.rcvd != NULL;
}

int kctl_sim_recvmsg(kctl_sim_t *sim, int fd, const struct iovec *iov, int iovcnt,
		     int flags, size_t *got, int *rflags)
{
	struct sim_sock *s;
	size_t cap = 0, n = 0;
	int err, rf = 0;

	if (sim == NULL)
		return -EINVAL;
	err = sim_enter(sim, KCTL_SIM_CALL_RECV);
	if (err == 0)
		err = sim_iov_total(iov, iovcnt, &cap);
	if (err == 0 && got == NULL)
		err = -EFAULT;
	if (err != 0)
		return err;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		err = wait_readable(s, cap, flags);
		if (err == 1) {
			err = 0;
			if (read_queue(s, iov, iovcnt, flags, &n, &rf))
				run_rcvd(s, flags);
		}
		sim_sock_put(s);
	}
	sim_unlock(sim);
	if (err != 0)
		return err;
	*got = n;
	if (rflags != NULL)
		*rflags = rf;
	return 0;
}
