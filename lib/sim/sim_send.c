/*
 * sim_send.c - sendmsg(): the checks in Darwin's order, then the data handed to the
 * control's send callback as mbuf chains (one per record, or per send-size piece on a
 * stream). Send never blocks: nothing is buffered on the way to the kext.
 */
#include <errno.h>
#include <signal.h>

#include "sim.h"
#include "sim_mbuf.h"

/* What the callbacks need, captured under the lock. */
struct send_plan {
	struct kctl_sim_ctl *ctl;
	uint32_t unit;
	void *unitinfo;
	size_t chunk; /* bytes per callback */
	size_t seg;   /* mbuf segment size */
	bool stream;
	int cbflags;  /* MSG_OOB reaches the kext as PRUS_OOB, the same bit */
};

/* sosend rejects these flags before looking at the connection. */
static int check_flags(const struct sim_sock *s, int flags)
{
	if (s->type != KCTL_ABI_SOCK_STREAM && (flags & KCTL_ABI_MSG_OOB))
		return -EOPNOTSUPP;
	if (s->type == KCTL_ABI_SOCK_STREAM && (flags & KCTL_ABI_MSG_EOR))
		return -EINVAL;
	return 0;
}

/*
 * The connection checks (lock held, s fenced); *sigpipe says whether to raise it:
 * sendit spares the sender when the socket has SO_NOSIGPIPE or the send passes
 * MSG_NOSIGNAL (macOS 11+).
 */
static int check_state(const struct sim_sock *s, size_t total, int flags, bool *sigpipe)
{
	if (s->closed)
		return -EBADF;
	if (s->state == SIM_SOCK_DEAD) {
		*sigpipe = !s->nosigpipe && !(flags & KCTL_ABI_MSG_NOSIGNAL);
		return -EPIPE;
	}
	if (s->state != SIM_SOCK_CONNECTED)
		return -ENOTCONN;
	if (s->type == KCTL_ABI_SOCK_DGRAM && total > s->sendsize)
		return -EMSGSIZE;
	if (s->ctl->reg.send == NULL)
		return -ENOTSUP;
	return 0;
}

static void make_plan(const struct sim_sock *s, size_t total, int flags, struct send_plan *p)
{
	p->ctl = s->ctl;
	p->unit = s->sac.sc_unit;
	p->unitinfo = s->unitinfo;
	p->chunk = s->type == KCTL_ABI_SOCK_STREAM ? s->sendsize : total;
	p->seg = s->sim->segsize;
	p->stream = s->type == KCTL_ABI_SOCK_STREAM;
	p->cbflags = flags & KCTL_ABI_MSG_OOB;
}

/*
 * Calls the send callback once per piece (lock not held); *moved gets the bytes handed
 * to callbacks, the refusing piece's included: sosend has copied a piece out of the
 * caller's buffer before the control sees it. A DGRAM send of 0 bytes is one empty
 * record; a STREAM send of 0 bytes reaches no callback.
 */
static int deliver(const struct send_plan *p, struct sim_iov_cursor *cur, size_t total,
		   size_t *moved)
{
	size_t done = 0;
	int err = 0;

	if (p->stream && total == 0)
		return 0;
	do {
		size_t n = total - done < p->chunk ? total - done : p->chunk;
		struct kctl_sim_mbuf *m;

		err = sim_mbuf_from_iov(p->seg, cur, n, &m);
		if (err != 0)
			break; /* no mbuf: nothing of this piece was moved */
		done += n;
		err = sim_cb_err(p->ctl->reg.send(p->ctl, p->unit, p->unitinfo, m, p->cbflags));
	} while (err == 0 && done < total);
	*moved = done;
	return err;
}

/*
 * What send() returns, as sendit decides it: an EWOULDBLOCK or EINTR after some bytes
 * left the caller's buffer becomes success with that count (the refusing piece counts,
 * so a control that says EWOULDBLOCK must keep the piece it was given); any other error
 * is returned with no count, whatever earlier pieces took.
 */
static int send_result(int err, size_t moved, size_t *sent)
{
	if (err == 0 || ((err == -EAGAIN || err == -EINTR) && moved > 0)) {
		*sent = moved;
		return 0;
	}
	*sent = 0;
	return err;
}

/* The send proper (lock held, dropped around the callbacks). */
static int send_locked(struct sim_sock *s, struct sim_iov_cursor *cur, size_t total,
		       int flags, size_t *done, bool *sigpipe)
{
	struct send_plan plan;
	int err = check_flags(s, flags);

	if (err != 0)
		return err;
	sim_sock_use_begin(s);
	err = check_state(s, total, flags, sigpipe);
	if (err == 0) {
		make_plan(s, total, flags, &plan);
		sim_unlock(s->sim);
		err = deliver(&plan, cur, total, done);
		sim_lock(s->sim);
	}
	sim_sock_use_end(s);
	return err;
}

int kctl_sim_sendmsg(kctl_sim_t *sim, int fd, const struct iovec *iov, int iovcnt,
		     int flags, size_t *sent)
{
	struct sim_iov_cursor cur = { iov, iovcnt, 0, 0 };
	struct sim_sock *s;
	bool sigpipe = false;
	size_t total = 0, done = 0;
	int err;

	if (sim == NULL)
		return -EINVAL;
	err = sim_enter(sim, KCTL_SIM_CALL_SEND);
	if (err == 0)
		err = sim_iov_total(iov, iovcnt, &total);
	if (err != 0)
		return err;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		err = send_locked(s, &cur, total, flags, &done, &sigpipe);
		sim_sock_put(s);
	}
	sim_unlock(sim);
	err = send_result(err, done, &done);
	if (sent != NULL)
		*sent = done;
	if (sigpipe)
		(void)raise(SIGPIPE); /* to this thread, as a Mac signals the sender */
	return err;
}
