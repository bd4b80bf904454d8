/*
 * sim_send_list.c - sendmsg_x(), Darwin's private batch send, and the list send callback
 * it reaches (xnu bsd/kern/uipc_syscalls.c sendmsg_x/sendit_x, uipc_socket.c sosend_list,
 * kern_control.c ctl_send_list).
 *
 * On a connected DGRAM socket the messages become one list of packets: the first that
 * is larger than the send size fails the call with EMSGSIZE, a later one ends the list
 * there. sosend_list then allows only MSG_DONTWAIT, MSG_NBIO and MSG_SKIPCFIL, and
 * ctl_send_list hands the list to send_list, or packet by packet to send until one
 * fails (the rest are freed). On any other socket (STREAM, not connected, dead) each
 * message is an ordinary send. Either way the count of messages taken is returned, and
 * an error after at least one is forgiven for ENOBUFS, EMSGSIZE, EWOULDBLOCK and EINTR.
 */
#include <errno.h>
#include <stdbool.h>

#include "sim.h"
#include "sim_mbuf.h"

#define DARWIN_MSG_NBIO 0x20000
#define DARWIN_MSG_SKIPCFIL 0x40000
#define SENDMSG_X_MAX 1024 /* UIO_MAXIOV: this simulator's bound for one call */

int kctl_sim_ctl_set_send_list(kctl_sim_ctl_t *ctl, kctl_sim_send_list_fn fn)
{
	int err = 0;

	if (ctl == NULL)
		return -EINVAL;
	sim_lock(ctl->sim);
	if (ctl->registered)
		ctl->send_list = fn;
	else
		err = -EINVAL;
	sim_unlock(ctl->sim);
	return err;
}

kctl_sim_mbuf_t *kctl_sim_mbuf_nextpkt(const kctl_sim_mbuf_t *m)
{
	return m != NULL ? m->nextpkt : NULL;
}

static void free_list(struct kctl_sim_mbuf *m)
{
	while (m != NULL) {
		struct kctl_sim_mbuf *next = m->nextpkt;

		kctl_sim_mbuf_free(m);
		m = next;
	}
}

/* What the callbacks need, captured under the lock. */
struct list_plan {
	struct kctl_sim_ctl *ctl;
	kctl_sim_send_list_fn send_list;
	uint32_t unit;
	void *unitinfo;
	size_t seg;
	size_t sendsize;
};

/* sendit_x: one packet per message, up to the first one that is too large. */
static int build_list(const struct list_plan *p, const struct iovec *msgs, uint32_t cnt,
		      struct kctl_sim_mbuf **out, uint32_t *npkts)
{
	struct kctl_sim_mbuf *head = NULL, **link = &head;
	uint32_t i;

	for (i = 0; i < cnt; i++) {
		struct sim_iov_cursor cur = { &msgs[i], 1, 0, 0 };
		struct kctl_sim_mbuf *m;
		int err;

		if (msgs[i].iov_base == NULL && msgs[i].iov_len > 0)
			err = -EFAULT;
		else if (msgs[i].iov_len > p->sendsize)
			err = i == 0 ? -EMSGSIZE : 1;
		else
			err = sim_mbuf_from_iov(p->seg, &cur, msgs[i].iov_len, &m);
		if (err == 1)
			break;
		if (err != 0) {
			free_list(head);
			return err;
		}
		*link = m;
		link = &m->nextpkt;
	}
	*out = head;
	*npkts = i;
	return 0;
}

/* ctl_send_list (lock not held): the whole list, or one send per packet. */
static int deliver_list(const struct list_plan *p, struct kctl_sim_mbuf *list,
			uint32_t npkts, uint32_t *sent)
{
	int err = 0;

	if (p->send_list != NULL) {
		*sent = npkts;
		return sim_cb_err(p->send_list(p->ctl, p->unit, p->unitinfo, list, 0));
	}
	*sent = 0;
	while (list != NULL && err == 0) {
		struct kctl_sim_mbuf *next = list->nextpkt;

		list->nextpkt = NULL;
		err = sim_cb_err(p->ctl->reg.send(p->ctl, p->unit, p->unitinfo, list, 0));
		if (err == 0)
			(*sent)++;
		list = next;
	}
	free_list(list);
	return err;
}

/* Whether s takes the list path: a connected DGRAM socket (lock held). */
static bool list_path(const struct sim_sock *s)
{
	return !s->closed && s->type == KCTL_ABI_SOCK_DGRAM && s->state == SIM_SOCK_CONNECTED;
}

/* The list path (lock held, dropped around the callbacks). */
static int send_list_locked(struct sim_sock *s, const struct iovec *msgs, uint32_t cnt,
			    int flags, uint32_t *sent)
{
	struct list_plan p = { s->ctl, s->ctl->send_list, s->sac.sc_unit, s->unitinfo,
			       s->sim->segsize, s->sendsize };
	struct kctl_sim_mbuf *list = NULL;
	uint32_t npkts = 0;
	int err = build_list(&p, msgs, cnt, &list, &npkts);

	*sent = 0;
	if (err != 0)
		return err;
	if (flags & ~(KCTL_ABI_MSG_DONTWAIT | DARWIN_MSG_NBIO | DARWIN_MSG_SKIPCFIL)) {
		*sent = npkts; /* sendit_x counted them before sosend_list refused */
		free_list(list);
		return -EINVAL;
	}
	if (p.send_list == NULL && p.ctl->reg.send == NULL) {
		free_list(list);
		return -ENOTSUP;
	}
	sim_sock_use_begin(s);
	sim_unlock(s->sim);
	err = deliver_list(&p, list, npkts, sent);
	sim_lock(s->sim);
	sim_sock_use_end(s);
	return err;
}

/* Any other socket: one ordinary send per message. */
static int send_each(kctl_sim_t *sim, int fd, const struct iovec *msgs, uint32_t cnt,
		     int flags, uint32_t *sent)
{
	int err = 0;

	*sent = 0;
	for (uint32_t i = 0; i < cnt && err == 0; i++) {
		err = kctl_sim_sendmsg(sim, fd, &msgs[i], 1, flags, NULL);
		if (err == 0)
			(*sent)++;
	}
	return err;
}

/* Darwin forgives these once something was sent. */
static int forgiven(int err, uint32_t sent)
{
	if (sent != 0 && (err == -ENOBUFS || err == -EMSGSIZE || err == -EWOULDBLOCK ||
			  err == -EINTR))
		return 0;
	return err;
}

/* The list path, if fd is (still) a connected DGRAM socket; *list says if it was. */
static int try_list(kctl_sim_t *sim, int fd, const struct iovec *msgs, uint32_t cnt,
		    int flags, uint32_t *done, bool *list)
{
	struct sim_sock *s;
	int err = sim_enter(sim, KCTL_SIM_CALL_SEND);

	if (err != 0)
		return err;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		*list = list_path(s);
		if (*list)
			err = send_list_locked(s, msgs, cnt, flags, done);
		sim_sock_put(s);
	}
	sim_unlock(sim);
	return err;
}

int kctl_sim_sendmsg_x(kctl_sim_t *sim, int fd, const struct iovec *msgs, uint32_t cnt,
		       int flags, uint32_t *sent)
{
	struct sim_sock *s;
	uint32_t done = 0;
	bool list = false;
	int err;

	if (sim == NULL)
		return -EINVAL;
	if (sent != NULL)
		*sent = 0;
	if (flags & DARWIN_MSG_SKIPCFIL)
		return -EPERM;
	if (cnt > SENDMSG_X_MAX)
		return -EINVAL;
	if (msgs == NULL && cnt > 0)
		return -EFAULT;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		list = list_path(s);
		sim_sock_put(s);
	}
	sim_unlock(sim);
	if (err != 0 || cnt == 0) /* no message: nothing reaches the control */
		return err;
	if (list)
		err = try_list(sim, fd, msgs, cnt, flags, &done, &list);
	if (err == 0 && !list) /* not (or no longer) a connected DGRAM socket */
		err = send_each(sim, fd, msgs, cnt, flags, &done);
	if (sent != NULL)
		*sent = done;
	return forgiven(err, done);
}
