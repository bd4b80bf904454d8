/*
 * request.c - send a request, wait for the reply with its seq.
 *
 * The waiting thread reads for everybody while it waits: replies go to the requests
 * they answer (perhaps another thread's), every other frame to the backlog, where
 * kctl_msg_recv() finds it. Nothing is dropped unless the backlog is full, and that is
 * counted.
 */
#include <errno.h>

#include "handle.h"

/* Claims a waiter slot with a fresh seq, under the lock; NULL if all are in use. */
static struct kctl_msg_waiter *waiter_claim(struct kctl_msg *m, void *dst, size_t cap)
{
	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++) {
		struct kctl_msg_waiter *w = &m->waiters[i];

		if (w->active)
			continue;
		*w = (struct kctl_msg_waiter){ .seq = m->next_seq++, .active = 1, .dst = dst,
					       .cap = cap };
		if (m->next_seq == 0)
			m->next_seq = 1; /* seq 0 is never used: it marks "no request" */
		return w;
	}
	return NULL;
}

/* Reads (or waits for the reader) until w is answered or the clock runs out. */
static int request_wait(struct kctl *h, struct kctl_msg_waiter *w, const struct kctl_clock *c)
{
	struct kctl_msg *m = &h->msg;
	int rc = 0;

	while (!w->done && rc == 0) {
		const struct kctl_frame_hdr *f;
		size_t size;

		rc = kctl_msg_take(h, &f, &size);
		if (rc == 1) {
			kctl_msg_backlog_push(m, f, size);
			rc = 0;
		} else if (rc == 0 && !w->done) {
			rc = m->reading ? kctl_msg_cond_wait(m, c) : kctl_msg_pull(h, c, 1);
		}
	}
	if (!w->done)
		return rc;
	if (w->err)
		return w->err;
	return w->overflow ? -EMSGSIZE : 0;
}

int kctl_request(kctl_t *h, uint16_t type, const void *payload, size_t len, void *reply,
		 size_t cap, size_t *reply_len)
{
	struct kctl_msg *m;
	struct kctl_msg_waiter *w;
	struct kctl_clock c;
	int rc;

	if (!h || !reply_len || (!reply && cap) || (!payload && len))
		return -EINVAL;
	m = &h->msg;
	kctl_clock_start(&c, h->timeout_ms);
	pthread_mutex_lock(&m->lock);
	rc = kctl_msg_buffers(m);
	w = rc == 0 ? waiter_claim(m, reply, cap) : NULL;
	pthread_mutex_unlock(&m->lock);
	if (!w)
		return rc < 0 ? rc : -EBUSY;
	rc = kctl_msg_send(h, KCTL_FRAME_F_REQUEST, type, w->seq, 0, payload, len);
	pthread_mutex_lock(&m->lock);
	if (rc == 0) {
		rc = request_wait(h, w, &c);
		/* it went out: "try again" would apply it twice; no reply in time is a timeout */
		if (rc == -EAGAIN)
			rc = -ETIMEDOUT;
	}
	if (rc == 0 || rc == -EMSGSIZE || w->done)
		*reply_len = w->len;
	w->active = 0;
	pthread_mutex_unlock(&m->lock);
	return rc;
}
