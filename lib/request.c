/*
 * request.c - requests: sent with a fresh seq from the handle's table of slots, then
 * either waited for here (kctl_request) or left to the receive path (kctl_request_start).
 *
 * The blocking caller reads for everybody while it waits: replies go to the requests
 * they answer (perhaps another thread's), every other frame, replies to started requests
 * included, to the backlog, where kctl_msg_recv() finds it. Nothing is dropped unless the
 * backlog is full, and that is counted.
 */
#include <errno.h>

#include "handle.h"

#define REQ KCTL_CALL_REQUEST

static int req_refused(struct kctl *h, int err, uint32_t reason, uint64_t arg, uint64_t limit)
{
	return kctl_errs_set(&h->errs, err, REQ, KCTL_ORIGIN_LIBRARY, reason, arg, limit);
}

/*
 * Claims a slot, its buffers first: a blocking request's payloads go to dst, a started
 * one's (dst NULL) to the receive path, with a deadline after timeout_ms (-1: none).
 * The slot exists before the request is sent, so a reply that comes at once is matched.
 * NULL with *err set (and recorded) when there is none.
 */
static inline __attribute__((always_inline)) /* every request: no call for it */
struct kctl_msg_waiter *request_claim(struct kctl *h, uint16_t type, void *dst, size_t cap,
				      int async, int32_t timeout_ms, int *err)
{
	struct kctl_msg *m = &h->msg;
	struct kctl_msg_waiter *w = NULL;
	int rc;

	pthread_mutex_lock(&m->lock);
	rc = kctl_msg_buffers(m);
	if (rc == 0)
		w = kctl_msg_slot_claim(m, type);
	if (w) {
		w->dst = dst;
		w->cap = cap;
		w->async = (uint8_t)async;
		w->deadline_ms = async && timeout_ms > 0 ? kctl_now_ms() + timeout_ms : 0;
	}
	pthread_mutex_unlock(&m->lock);
	if (rc < 0)
		*err = req_refused(h, rc, KCTL_R_NOMEM, 0, 0);
	else if (!w)
		*err = req_refused(h, -EBUSY, KCTL_R_INFLIGHT, 0, KCTL_MSG_MAX_INFLIGHT);
	return w;
}

/* Sends the request frame; on failure the record says who refused it. */
static int request_send(struct kctl *h, uint16_t type, uint32_t seq, const void *payload,
			size_t len)
{
	struct kctl_error e;
	int rc = kctl_msg_send_why(h, KCTL_FRAME_F_REQUEST, type, seq, 0, payload, len, &e);

	if (rc < 0) {
		e.call = REQ;
		kctl_errs_put(&h->errs, &e);
	}
	return rc;
}

/* Reads (or waits for the reader) until w is answered or the clock runs out. */
static int request_wait(struct kctl *h, struct kctl_msg_waiter *w, const struct kctl_clock *c)
{
	struct kctl_msg *m = &h->msg;
	int rc = 0;

	while (!w->done && rc == 0) {
		const struct kctl_frame_hdr *f;
		size_t size;
		int cls = 0;

		rc = kctl_msg_take(h, &f, &size, &cls);
		if (rc == 1) {
			kctl_msg_backlog_push(m, f, size, cls);
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

/* The record of a blocking request that went out and then failed (under the lock). */
static void request_failed(struct kctl *h, const struct kctl_msg_waiter *w, int rc)
{
	const struct kctl_msg_note *n = &h->msg.note;

	if (w->done && w->err)
		kctl_errs_set(&h->errs, rc, REQ, KCTL_ORIGIN_CONTROL, KCTL_R_ERROR_REPLY, w->type,
			      w->seq);
	else if (w->done && w->overflow)
		req_refused(h, rc, KCTL_R_REPLY_FIT, w->need, w->cap);
	else if (rc == -ETIMEDOUT)
		req_refused(h, rc, KCTL_R_TIMEOUT, (uint64_t)h->timeout_ms, 0);
	else if (n->reason)
		kctl_errs_set(&h->errs, rc, REQ, n->origin, n->reason, n->arg, n->limit);
	else
		kctl_errs_set(&h->errs, rc, REQ, KCTL_ORIGIN_KERNEL, KCTL_R_KERNEL, 0, 0);
}

int kctl_request(kctl_t *h, uint16_t type, const void *payload, size_t len, void *reply,
		 size_t cap, size_t *reply_len)
{
	struct kctl_msg *m;
	struct kctl_msg_waiter *w;
	struct kctl_clock c;
	int sent;
	int rc;

	if (!h)
		return -EINVAL;
	if (!reply_len || (!reply && cap) || (!payload && len))
		return req_refused(h, -EINVAL, KCTL_R_ARG, 0, 0);
	m = &h->msg;
	kctl_clock_start(&c, h->timeout_ms);
	w = request_claim(h, type, reply, cap, 0, 0, &rc);
	if (!w)
		return rc;
	rc = request_send(h, type, w->seq, payload, len);
	sent = rc == 0;
	pthread_mutex_lock(&m->lock);
	m->note.reason = 0;
	if (sent) {
		rc = request_wait(h, w, &c);
		/* it went out: "try again" would apply it twice; no reply in time is a timeout */
		if (rc == -EAGAIN)
			rc = -ETIMEDOUT;
	}
	if (rc == 0 || rc == -EMSGSIZE || w->done)
		*reply_len = w->len;
	if (rc < 0 && sent)
		request_failed(h, w, rc);
	/* a request that went out and was not answered: its reply, if any, comes late */
	kctl_msg_slot_release(m, w, sent && !w->done);
	pthread_mutex_unlock(&m->lock);
	return rc;
}

int kctl_request_start(kctl_t *h, uint16_t type, const void *payload, size_t len,
		       int32_t timeout_ms, uint32_t *seq)
{
	struct kctl_msg_waiter *w;
	uint32_t s;
	int rc;

	if (!h)
		return -EINVAL;
	if (!seq || (!payload && len) || timeout_ms == 0 || timeout_ms < KCTL_TIMEOUT_INFINITE)
		return req_refused(h, -EINVAL, KCTL_R_ARG, 0, 0);
	w = request_claim(h, type, NULL, 0, 1, timeout_ms, &rc);
	if (!w)
		return rc;
	s = w->seq; /* the slot is ours until a reply or a timeout frees it: after the send */
	rc = request_send(h, type, s, payload, len);
	if (rc < 0) {
		pthread_mutex_lock(&h->msg.lock);
		if (w->active && w->seq == s) /* not timed out and reused meanwhile */
			kctl_msg_slot_release(&h->msg, w, 0); /* nothing went out: none comes late */
		pthread_mutex_unlock(&h->msg.lock);
		return rc;
	}
	*seq = s;
	return 0;
}

int kctl_request_cancel(kctl_t *h, uint32_t seq)
{
	struct kctl_msg_waiter *w;
	int found;

	if (!h)
		return -EINVAL;
	pthread_mutex_lock(&h->msg.lock);
	w = seq ? kctl_msg_slot_find(&h->msg, seq) : NULL;
	found = w && w->async;
	if (found)
		kctl_msg_slot_release(&h->msg, w, 1);
	pthread_mutex_unlock(&h->msg.lock);
	return found ? 0 : req_refused(h, -ENOENT, KCTL_R_NO_REQUEST, seq, 0);
}
