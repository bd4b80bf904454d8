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

#include "frame/frame_int.h"
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
 * NULL with *err set (and recorded) when there is none. Under m->lock.
 */
static inline __attribute__((always_inline)) /* every request: no call for it */
struct kctl_msg_waiter *request_claim(struct kctl *h, uint16_t type, void *dst, size_t cap,
				      int async, int32_t timeout_ms, int *err)
{
	struct kctl_msg *m = &h->msg;
	struct kctl_msg_waiter *w = NULL;
	int rc = kctl_msg_buffers(m, h->stream);

	if (rc == 0)
		w = kctl_msg_slot_claim(m, type);
	if (w) {
		w->dst = dst;
		w->cap = cap;
		w->async = (uint8_t)async;
		w->deadline_ms = async && timeout_ms > 0 ? kctl_now_ms() + timeout_ms : 0;
		m->timed += w->deadline_ms != 0;
	}
	if (rc < 0)
		*err = req_refused(h, rc, KCTL_R_NOMEM, 0, 0);
	else if (!w)
		*err = req_refused(h, -EBUSY, KCTL_R_INFLIGHT, 0, KCTL_MSG_MAX_INFLIGHT);
	return w;
}

/* A failed request send's record: who refused it, as a request. */
static int request_send_failed(struct kctl *h, struct kctl_error *e, int rc)
{
	e->call = REQ;
	kctl_errs_put(&h->errs, e);
	return rc;
}

/* Sends a started request's frame (kctl_msg_send's path); the record says who refused. */
static int request_send_frame(struct kctl *h, uint16_t type, uint32_t seq,
			      const void *payload, size_t len)
{
	struct kctl_error e;
	int rc = kctl_msg_send_why(h, KCTL_FRAME_F_REQUEST, type, seq, 0, payload, len, &e);

	return rc < 0 ? request_send_failed(h, &e, rc) : 0;
}

/*
 * Sends a blocking request's frame (lock not held); on failure the record says who
 * refused it. On a STREAM the caller holds the send turn (kctl_msg_tx_begin). A first
 * try does not wait (its clock has timeout 0): *done says how much went, and its
 * -EAGAIN is not recorded (the caller finishes the send).
 */
static int request_send(struct kctl *h, const struct iovec *iov, int n, size_t *done,
			struct kctl_clock *c, int first_try)
{
	struct kctl_error e;
	int rc = kctl_io_sendv_clock(h, iov, n, done, &e, c);

	if (rc < 0 && !(first_try && rc == -EAGAIN))
		return request_send_failed(h, &e, rc);
	if (rc == 0)
		atomic_fetch_add(&h->msg.frames_out, 1);
	return rc;
}

/* The rest of a send that could not go whole at once (iov advanced past done). */
static int request_send_rest(struct kctl *h, const struct iovec *iov, int n, size_t done,
			     struct kctl_clock *c, size_t *total)
{
	struct iovec rest[3];
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (done >= iov[i].iov_len) {
			done -= iov[i].iov_len;
			continue;
		}
		rest[k].iov_base = (char *)iov[i].iov_base + done;
		rest[k++].iov_len = iov[i].iov_len - done;
		done = 0;
	}
	return request_send(h, rest, k, total, c, 0);
}

/*
 * A request frame's header and the iovecs of its gathered send: kctl_msg_frame_iov()
 * for what a request is (flags REQUEST, aux 0: nothing to check there), inline.
 */
static inline int request_iov(struct kctl *h, struct kctl_frame_hdr *hdr, uint16_t type,
			      uint32_t seq, const void *payload, size_t len,
			      struct iovec iov[3], int *n, size_t *wire_out,
			      struct kctl_error *why)
{
	static const unsigned char pad[KCTL_FRAME_ALIGN];
	size_t wire;

	if (len > KCTL_FRAME_MAX - KCTL_FRAME_HDR_LEN) /* so the sums below cannot overflow */
		return kctl_err_fill(why, -EMSGSIZE, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_FRAME_SIZE, len, h->msg.max_frame);
	wire = KCTL_FRAME_WIRE_SIZE(KCTL_FRAME_HDR_LEN + len);
	if (wire > h->msg.max_frame)
		return kctl_err_fill(why, -EMSGSIZE, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_FRAME_SIZE, wire, h->msg.max_frame);
	*hdr = (struct kctl_frame_hdr){ .len = (uint32_t)(KCTL_FRAME_HDR_LEN + len),
					.version = KCTL_FRAME_VERSION,
					.flags = KCTL_FRAME_F_REQUEST, .type = type, .seq = seq };
	iov[0] = (struct iovec){ .iov_base = hdr, .iov_len = KCTL_FRAME_HDR_LEN };
	*n = 1;
	if (len)
		iov[(*n)++] = (struct iovec){ .iov_base = (void *)(uintptr_t)payload,
					      .iov_len = len };
	if (wire > hdr->len)
		iov[(*n)++] = (struct iovec){ .iov_base = (void *)(uintptr_t)pad,
					      .iov_len = wire - hdr->len };
	*wire_out = wire;
	return 0;
}

/* What an answered blocking request returns: the ERROR reply's errno, -EMSGSIZE, 0. */
static inline int request_result(const struct kctl_msg_waiter *w)
{
	if (w->err)
		return w->err;
	return w->overflow ? -EMSGSIZE : 0;
}

/* Reads (or waits for the reader) until w is answered or the clock runs out. */
static int request_wait(struct kctl *h, struct kctl_msg_waiter *w, struct kctl_clock *c)
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
	return w->done ? request_result(w) : rc;
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

/*
 * Whether the bytes one receive brought are exactly one frame, the last reply to w:
 * then it is w's, consumed, and rx stays empty (under m->lock).
 */
static int fast_reply(struct kctl_msg *m, struct kctl_msg_waiter *w, size_t got, int fl)
{
	const struct kctl_frame_hdr *f = (const void *)m->rx;
	size_t size = 0;

	if ((fl & KCTL_ABI_MSG_TRUNC) ||
	    kctl_frame_decode(f, got, m->max_frame, &size) != 0 || /* 16..FRAME_MAX: a limit */
	    size != got || f->seq != w->seq ||
	    (f->flags & (KCTL_FRAME_F_REPLY | KCTL_FRAME_F_MORE)) != KCTL_FRAME_F_REPLY)
		return 0;
	m->st.frames_in++;
	kctl_msg_reply_to(m, w, f);
	return 1;
}

/*
 * After the fast path's send went out only in part, or would block: gives the reader's
 * role back (so other threads' replies are not held back while this one waits for
 * room) and sends the rest, waiting on the call's clock; a DGRAM record is sent again
 * whole (none of it went). Called and returns with the lock not held.
 */
static int fast_send_rest(struct kctl *h, const struct iovec *iov, int n, size_t done,
			  struct kctl_clock *c, int *torn)
{
	size_t more = 0;
	int rc;

	kctl_lock(&h->msg.lock);
	kctl_msg_pull_end(h, -EAGAIN, 0, 0, 0);
	kctl_unlock(&h->msg.lock);
	rc = request_send_rest(h, iov, n, h->stream ? done : 0, c, &more);
	*torn = rc < 0 && h->stream && kctl_msg_cut_inside_frame(iov, n, 1, done + more);
	return rc;
}

/*
 * The common case, when no other thread reads and nothing read waits to be sorted
 * (checked, and the reader's role and the STREAM's send turn taken, under the lock by
 * the caller): the request goes out in one non-blocking send, and its reply, which
 * the kernel has usually queued by then (the kext answers inside ctl_send), comes in
 * one receive as one frame. That is two trips through the lock and no wait. Whatever
 * else happens (the send not whole, no reply yet, other frames) is handed to the
 * general path with what it did. Called with the lock held, returns with it held:
 * 0 (sent; w->done if answered), or -errno; *sent: the request went out whole.
 */
static int request_fast(struct kctl *h, struct kctl_msg_waiter *w, const struct iovec *iov,
			int n, size_t wire, struct kctl_clock *c, int *sent)
{
	struct kctl_msg *m = &h->msg;
	const struct kctl_sys_ops *ops = h->be->ops;
	struct iovec in = { .iov_base = m->rx, .iov_len = m->rx_cap };
	struct kctl_error e;
	size_t done, got = 0;
	int rc, fl = 0, torn = 0;
	uint64_t calls = 1;

	kctl_unlock(&m->lock);
	do {
		done = 0;
		rc = ops->sendmsg(h->be->ctx, h->fd, iov, n, 0, &done);
	} while (rc == -EINTR && done == 0); /* an interrupted send took nothing */
	if ((rc == 0 && done == wire) ||
	    (done <= wire && (rc == 0 || ((rc == -EAGAIN || rc == -EINTR) && done > 0)) &&
	     (done == wire || !h->stream))) {
		/* whole (a DGRAM record goes whole or not at all): the reply */
		while ((rc = ops->recvmsg(h->be->ctx, h->fd, &in, 1, 0, &got, &fl)) == -EINTR)
			calls++;
		*sent = 1;
		atomic_fetch_add(&m->frames_out, 1);
		kctl_lock(&m->lock);
		m->tx_busy = 0; /* the turn (STREAM) ends with the frame sent whole */
		if (rc == 0 && got > 0 && fast_reply(m, w, got, fl)) {
			m->reading = 0;
			m->st.recv_calls += calls;
			kctl_msg_wake(m);
			return 0;
		}
		rc = kctl_msg_pull_end(h, rc, got, fl, calls);
		return rc == -EAGAIN ? 0 : rc; /* no reply yet: wait for it as usual */
	}
	if (done <= wire && (rc == -EAGAIN || (rc == 0 && h->stream))) {
		rc = fast_send_rest(h, iov, n, done, c, &torn); /* records its own failure */
		kctl_lock(&m->lock);
	} else {
		if (done > wire) /* more than we gave: not a sane kernel */
			rc = kctl_err_fill(&e, -EPROTO, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
					   KCTL_R_INSANE, 0, 0);
		else
			rc = kctl_io_send_refused(h, rc, wire, &e);
		request_send_failed(h, &e, rc);
		torn = h->stream && done <= wire && kctl_msg_cut_inside_frame(iov, n, 1, done);
		kctl_lock(&m->lock);
		kctl_msg_pull_end(h, -EAGAIN, 0, 0, 0); /* the reader's role back, nothing read */
	}
	if (h->stream)
		kctl_msg_tx_end(h, torn, done);
	*sent = rc == 0;
	if (rc == 0)
		atomic_fetch_add(&m->frames_out, 1);
	return rc;
}

/* The general path: another thread reads, or frames wait to be sorted. Lock held. */
static int request_slow(struct kctl *h, const struct iovec *iov, int n,
			struct kctl_clock *c, int *sent)
{
	size_t done = 0;
	int rc;

	kctl_unlock(&h->msg.lock);
	rc = request_send(h, iov, n, &done, c, 0);
	kctl_lock(&h->msg.lock);
	if (h->stream)
		kctl_msg_tx_end(h, rc < 0 && kctl_msg_cut_inside_frame(iov, n, 1, done), done);
	*sent = rc == 0;
	return rc;
}

int kctl_request(kctl_t *h, uint16_t type, const void *payload, size_t len, void *reply,
		 size_t cap, size_t *reply_len)
{
	struct kctl_frame_hdr hdr;
	struct kctl_msg_waiter *w;
	struct kctl_error e;
	struct kctl_clock c;
	struct iovec iov[3];
	struct kctl_msg *m;
	int n = 0, sent = 0, fast;
	size_t wire = 0;
	int rc;

	if (!h)
		return -EINVAL;
	if (!reply_len || (!reply && cap) || (!payload && len))
		return req_refused(h, -EINVAL, KCTL_R_ARG, 0, 0);
	m = &h->msg;
	kctl_clock_start(&c, h->timeout_ms);
	kctl_lock(&m->lock);
	w = request_claim(h, type, reply, cap, 0, 0, &rc);
	if (!w) {
		kctl_unlock(&m->lock);
		return rc;
	}
	rc = request_iov(h, &hdr, type, w->seq, payload, len, iov, &n, &wire, &e);
	/* the only request in flight: with others, sends must not wait for this receive */
	fast = rc == 0 && m->active == 1 && !m->reading && !m->broken &&
	       m->rx_off == m->rx_len && !m->tx_busy && !m->tx_torn;
	if (rc == 0 && h->stream && !fast)
		rc = kctl_msg_tx_begin(h, &c, &e); /* the send turn */
	if (rc < 0) {
		kctl_msg_slot_release(m, w, 0);
		kctl_unlock(&m->lock);
		return request_send_failed(h, &e, rc);
	}
	if (fast) {
		/* the reader's role (rx holds nothing) and, on a STREAM, the free send turn */
		m->reading = 1;
		m->rx_off = m->rx_len = m->rx_valid = 0;
		m->tx_busy = h->stream;
		rc = request_fast(h, w, iov, n, wire, &c, &sent);
	} else {
		rc = request_slow(h, iov, n, &c, &sent);
	}
	m->note.reason = 0;
	if (sent && rc == 0) {
		rc = w->done ? request_result(w) : request_wait(h, w, &c); /* done: the fast path */
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
	kctl_unlock(&m->lock);
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
	kctl_lock(&h->msg.lock);
	w = request_claim(h, type, NULL, 0, 1, timeout_ms, &rc);
	s = w ? w->seq : 0; /* the slot is ours until a reply or a timeout frees it */
	kctl_unlock(&h->msg.lock);
	if (!w)
		return rc;
	rc = request_send_frame(h, type, s, payload, len);
	if (rc < 0) {
		kctl_lock(&h->msg.lock);
		if (w->active && w->seq == s) /* not timed out and reused meanwhile */
			kctl_msg_slot_release(&h->msg, w, 0); /* nothing went out: none comes late */
		kctl_unlock(&h->msg.lock);
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
	kctl_lock(&h->msg.lock);
	w = seq ? kctl_msg_slot_find(&h->msg, seq) : NULL;
	found = w && w->async;
	if (found)
		kctl_msg_slot_release(&h->msg, w, 1);
	kctl_unlock(&h->msg.lock);
	return found ? 0 : req_refused(h, -ENOENT, KCTL_R_NO_REQUEST, seq, 0);
}
