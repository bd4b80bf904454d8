/*
 * msg_recv.c - pulling bytes, cutting them into frames, and handing frames out.
 *
 * One receive pulls as many bytes as the kernel has queued (up to the free part of rx)
 * and every complete frame in them is handed out before the next syscall: a burst of
 * small frames costs a handful of receives, not two per frame as header-then-body
 * readers pay.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "handle.h"

/* Moves a partial STREAM frame to the front of rx (reader only). */
static void rx_compact(struct kctl_msg *m)
{
	size_t left = m->rx_len - m->rx_off;

	if (m->rx_off == 0)
		return;
	memmove(m->rx, m->rx + m->rx_off, left);
	m->rx_off = 0;
	m->rx_len = left;
}

/*
 * The receive syscalls, with the lock released; counts each in *calls. After a receive
 * that left room in rx the kernel's queue was empty, so the next pull that may wait
 * polls first instead of spending a receive on EAGAIN.
 */
static int pull_unlocked(struct kctl *h, const struct kctl_clock *c, int wait, size_t *n,
			 int *fl, uint64_t *calls)
{
	struct kctl_msg *m = &h->msg;
	struct iovec iov = { .iov_base = m->rx + m->rx_len, .iov_len = m->rx_cap - m->rx_len };
	int rc;

	if (wait && m->drained && c->timeout_ms != 0) {
		rc = kctl_wait_fd(h->fd, POLLIN, c);
		if (rc < 0)
			return rc;
	}
	for (;;) {
		rc = h->be->ops->recvmsg(h->be->ctx, h->fd, &iov, 1, 0, n, fl);
		(*calls)++;
		if (rc == -EINTR)
			continue; /* consumed nothing: a waiting request must not see it */
		if (rc != -EAGAIN || !wait)
			break;
		rc = kctl_wait_fd(h->fd, POLLIN, c);
		if (rc < 0)
			return rc;
	}
	m->drained = rc == 0 && *n < iov.iov_len;
	return rc;
}

/* Accepts a DGRAM record just received, or drops it with the reason. */
static int dgram_accept(struct kctl_msg *m, size_t n, int fl)
{
	int rc;

	if (fl & KCTL_ABI_MSG_TRUNC) {
		m->st.bad_records++;
		kctl_msg_note(m, KCTL_ORIGIN_LIBRARY, KCTL_R_TRUNCATED, m->rx_cap, m->max_frame);
		kctl_msg_set_detail(m, "a DGRAM record longer than the %zu-byte receive buffer "
				    "was truncated and dropped (max frame %u; raise it with "
				    "kctl_msg_set_max_frame)", m->rx_cap, (unsigned)m->max_frame);
		return -EMSGSIZE;
	}
	rc = kctl_frame_check_record(m->rx, n, m->max_frame, NULL);
	if (rc < 0) {
		m->st.bad_records++;
		kctl_msg_note(m, KCTL_ORIGIN_LIBRARY, KCTL_R_MALFORMED, n, 0);
		kctl_msg_set_detail(m, "a malformed %zu-byte DGRAM record was dropped: %s", n,
				    kctl_strerror(rc));
		return rc;
	}
	m->rx_off = 0;
	m->rx_len = n;
	return 0;
}

int kctl_msg_pull(struct kctl *h, const struct kctl_clock *c, int wait)
{
	struct kctl_msg *m = &h->msg;
	uint64_t calls = 0;
	size_t n = 0;
	int fl = 0;
	int rc;

	if (m->broken)
		return -ENOTRECOVERABLE;
	if (h->stream)
		rx_compact(m);
	else
		m->rx_off = m->rx_len = 0; /* only called once the record is used up */
	m->reading = 1;
	pthread_mutex_unlock(&m->lock);
	rc = pull_unlocked(h, c, wait, &n, &fl, &calls);
	pthread_mutex_lock(&m->lock);
	m->reading = 0;
	m->st.recv_calls += calls;
	pthread_cond_broadcast(&m->cond);
	if (rc < 0)
		return rc;
	if (n == 0) {
		kctl_msg_note(m, KCTL_ORIGIN_KERNEL, KCTL_R_DEAD, 0, 0);
		kctl_msg_set_detail(m, "end of file: the connection is gone");
		return -EPIPE;
	}
	if (!h->stream)
		return dgram_accept(m, n, fl);
	m->rx_len += n;
	return 0;
}

/* Copies a reply's payload into a blocking request's buffer, or notes its failure. */
static void reply_to_blocking(struct kctl_msg *m, struct kctl_msg_waiter *w,
			      const struct kctl_frame_hdr *f)
{
	size_t plen = kctl_frame_payload_len(f);

	if (f->flags & KCTL_FRAME_F_ERROR)
		w->err = kctl_frame_error(f);
	else if (w->overflow || plen > w->cap - w->len) {
		w->need = (w->overflow ? w->need : w->len) + plen; /* for the sentence */
		w->overflow = 1;
	}
	else if (plen > 0) /* dst may be NULL (cap 0): no arithmetic on it, no memcpy */
		memcpy(w->dst + w->len, kctl_frame_payload(f), plen);
	if (!w->overflow && !(f->flags & KCTL_FRAME_F_ERROR))
		w->len += plen;
	w->done = (f->flags & KCTL_FRAME_F_ERROR) || !(f->flags & KCTL_FRAME_F_MORE);
	pthread_cond_broadcast(&m->cond);
}

/*
 * Sorts a reply: 1 consumed (a blocking request's, or a late one: dropped and counted),
 * 0 left for the caller, with *cls saying whether a started request waits for it.
 */
static int sort_reply(struct kctl_msg *m, const struct kctl_frame_hdr *f, int *cls)
{
	struct kctl_msg_waiter *w = kctl_msg_slot_find(m, f->seq);

	if (w && !w->async && !w->done) {
		reply_to_blocking(m, w, f);
		return 1;
	}
	if (w && w->async) {
		*cls = KCTL_MSG_CLASS_REPLY;
		if ((f->flags & KCTL_FRAME_F_ERROR) || !(f->flags & KCTL_FRAME_F_MORE))
			kctl_msg_slot_release(m, w, 0); /* answered: its last frame is on its way */
		return 0;
	}
	if (!w && kctl_msg_retired(m, f->seq)) {
		m->late_replies++;
		return 1;
	}
	m->st.unmatched_replies++;
	*cls = KCTL_MSG_CLASS_STRAY;
	return 0;
}

/* A frame that cannot be decoded: a DGRAM record is dropped, a STREAM is broken. */
static int take_failed(struct kctl *h, int rc)
{
	struct kctl_msg *m = &h->msg;

	kctl_msg_note(m, KCTL_ORIGIN_LIBRARY, KCTL_R_MALFORMED, m->rx_len - m->rx_off,
		      h->stream);
	m->rx_off = m->rx_len = 0;
	if (!h->stream) {
		m->st.bad_records++;
		return rc;
	}
	m->broken = rc;
	kctl_msg_set_detail(m, "malformed frame on a STREAM (%s): the byte stream cannot be "
			    "resynchronised; close and reopen", kctl_strerror(rc));
	return rc;
}

int kctl_msg_take(struct kctl *h, const struct kctl_frame_hdr **f, size_t *wire, int *cls)
{
	struct kctl_msg *m = &h->msg;

	for (;;) {
		const struct kctl_frame_hdr *fr;
		int c = KCTL_MSG_CLASS_OTHER;
		size_t size;
		int rc;

		if (m->broken)
			return -ENOTRECOVERABLE;
		if (m->rx_off == m->rx_len)
			return 0;
		rc = kctl_frame_next(m->rx + m->rx_off, m->rx_len - m->rx_off, m->max_frame, &fr,
				     &size);
		if (rc == -EAGAIN && h->stream)
			return 0;
		if (rc < 0)
			return take_failed(h, rc);
		m->rx_off += size;
		m->st.frames_in++;
		if (fr->flags & KCTL_FRAME_F_EVENT)
			m->st.kernel_drops += fr->aux;
		if ((fr->flags & KCTL_FRAME_F_REPLY) && sort_reply(m, fr, &c))
			continue;
		*f = fr;
		*wire = size;
		if (cls)
			*cls = c;
		return 1;
	}
}

/*
 * The backlog keeps each frame's class in its reserved flag bits (zero on the wire, so
 * free in a copy), and clears them when it hands the frame out.
 */
#define CLASS_SHIFT 6
#define CLASS_BITS (3u << CLASS_SHIFT)

void kctl_msg_backlog_push(struct kctl_msg *m, const struct kctl_frame_hdr *f, size_t wire,
			   int cls)
{
	struct kctl_frame_hdr *copy;

	if (m->bl_len - m->bl_off + wire > m->bl_cap) {
		m->st.backlog_drops++;
		return;
	}
	if (m->bl_len + wire > m->bl_cap) {
		memmove(m->bl, m->bl + m->bl_off, m->bl_len - m->bl_off);
		m->bl_len -= m->bl_off;
		m->bl_off = 0;
	}
	memcpy(m->bl + m->bl_len, f, wire);
	copy = (struct kctl_frame_hdr *)(void *)(m->bl + m->bl_len);
	copy->flags |= (uint8_t)(((unsigned)cls << CLASS_SHIFT) & CLASS_BITS);
	m->bl_len += wire;
	pthread_cond_broadcast(&m->cond);
}

/* Copies the backlog's first frame out: 1 done, 0 empty, -EMSGSIZE (it stays). */
static int backlog_pop(struct kctl_msg *m, void *buf, size_t cap, size_t *wire, int *cls)
{
	const struct kctl_frame_hdr *f = (const void *)(m->bl + m->bl_off);
	struct kctl_frame_hdr *out = buf;
	size_t w;

	if (m->bl_off == m->bl_len)
		return 0;
	w = KCTL_FRAME_WIRE_SIZE(f->len);
	if (w > cap) {
		kctl_msg_note(m, KCTL_ORIGIN_LIBRARY, KCTL_R_FRAME_CAP, w, cap);
		kctl_msg_set_detail(m, "the next frame needs %zu bytes; the buffer has %zu", w,
				    cap);
		return -EMSGSIZE;
	}
	memcpy(buf, f, w);
	*cls = (int)((out->flags & CLASS_BITS) >> CLASS_SHIFT);
	out->flags &= (uint8_t)~CLASS_BITS;
	m->bl_off += w;
	if (m->bl_off == m->bl_len)
		m->bl_off = m->bl_len = 0;
	*wire = w;
	return 1;
}

/* Where one receive call puts the frame it hands out. */
struct recv_out {
	void *buf;
	size_t cap;
	size_t *wire;
	int cls; /* enum kctl_msg_class, or -1 for a timeout frame */
};

/* The frame libkctl hands out for a started request whose time ran out. */
static int timeout_frame(struct kctl_msg *m, struct kctl_msg_waiter *w, struct recv_out *o)
{
	struct kctl_frame_hdr hdr = { .len = KCTL_FRAME_HDR_LEN, .version = KCTL_FRAME_VERSION,
				      .flags = KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR,
				      .type = w->type, .seq = w->seq, .aux = ETIMEDOUT };

	if (o->cap < sizeof(hdr)) {
		kctl_msg_note(m, KCTL_ORIGIN_LIBRARY, KCTL_R_FRAME_CAP, sizeof(hdr), o->cap);
		return -EMSGSIZE; /* the request stays expired: the next call gets the frame */
	}
	memcpy(o->buf, &hdr, sizeof(hdr)); /* memcpy: buf need not be aligned for this */
	*o->wire = sizeof(hdr);
	o->cls = -1;
	kctl_msg_slot_release(m, w, 1);
	return 1;
}

/* The clock a wait may use: the call's, cut short by the earliest request deadline. */
static void wait_clock(const struct kctl_msg *m, const struct kctl_clock *c,
		       struct kctl_clock *wc)
{
	int32_t left = kctl_msg_slot_wait_ms(m, kctl_now_ms());

	*wc = *c;
	if (left < 0 || c->timeout_ms == 0)
		return;
	if (c->timeout_ms < 0 || c->deadline_ms > kctl_now_ms() + left) {
		wc->timeout_ms = left > 0 ? left : 1;
		wc->deadline_ms = kctl_now_ms() + left;
	}
}

/* Nothing read is left: a timeout frame if one is due, else wait for more. */
static int recv_wait(struct kctl *h, struct recv_out *o, const struct kctl_clock *c)
{
	struct kctl_msg *m = &h->msg;
	struct kctl_msg_waiter *w = kctl_msg_slot_expired(m, kctl_now_ms());
	struct kctl_clock wc;
	int rc;

	if (w && !m->reading) {
		struct kctl_clock now;

		kctl_clock_start(&now, 0);
		rc = kctl_msg_pull(h, &now, 0); /* a queued reply beats its timeout */
		if (rc != -EAGAIN)
			return rc;
	}
	if (w)
		return timeout_frame(m, w, o);
	wait_clock(m, c, &wc);
	rc = m->reading ? kctl_msg_cond_wait(m, &wc) : kctl_msg_pull(h, &wc, 1);
	if (rc == -ETIMEDOUT && !kctl_clock_expired(c))
		return 0; /* a request's deadline, not the call's: go round */
	return rc;
}

/* One step of kctl_msg_recv under the lock: 1 delivered, 0 go on, or -errno. */
static int recv_step(struct kctl *h, struct recv_out *o, const struct kctl_clock *c)
{
	struct kctl_msg *m = &h->msg;
	const struct kctl_frame_hdr *f;
	size_t w;
	int rc;

	rc = backlog_pop(m, o->buf, o->cap, o->wire, &o->cls);
	if (rc != 0)
		return rc;
	rc = kctl_msg_take(h, &f, &w, &o->cls);
	if (rc == 1 && w <= o->cap) {
		memcpy(o->buf, f, w); /* the backlog is empty here: order is kept */
		*o->wire = w;
		return 1;
	}
	if (rc == 1) {
		kctl_msg_backlog_push(m, f, w, o->cls); /* kept until a big enough buffer */
		return backlog_pop(m, o->buf, o->cap, o->wire, &o->cls);
	}
	if (rc < 0)
		return rc;
	return recv_wait(h, o, c);
}

/* What the frame handed out is, for kctl_msg_recv_info(). */
static void recv_info(const struct recv_out *o, struct kctl_msg_info *info)
{
	const struct kctl_frame_hdr *f = o->buf;
	struct kctl_frame_hdr hdr;

	memcpy(&hdr, f, sizeof(hdr));
	*info = (struct kctl_msg_info){ .seq = hdr.seq };
	if (o->cls < 0) {
		*info = (struct kctl_msg_info){ .kind = KCTL_MSG_REPLY, .seq = hdr.seq, .last = 1,
						.err = -ETIMEDOUT, .origin = KCTL_ORIGIN_LIBRARY };
		return;
	}
	if (hdr.flags & KCTL_FRAME_F_EVENT)
		info->kind = KCTL_MSG_EVENT;
	else if (hdr.flags & KCTL_FRAME_F_REQUEST)
		info->kind = KCTL_MSG_REQUEST;
	else
		info->kind = o->cls == KCTL_MSG_CLASS_REPLY ? KCTL_MSG_REPLY : KCTL_MSG_STRAY;
	if (info->kind == KCTL_MSG_REPLY)
		info->last = (hdr.flags & KCTL_FRAME_F_ERROR) || !(hdr.flags & KCTL_FRAME_F_MORE);
	if (hdr.flags & KCTL_FRAME_F_ERROR) {
		info->err = -(int32_t)hdr.aux;
		info->origin = KCTL_ORIGIN_CONTROL;
	}
}

/* The record of a failed receive: what the step noted, else what the errno says. */
static int recv_failed(struct kctl *h, int rc)
{
	const struct kctl_msg_note *n = &h->msg.note;
	uint32_t origin = KCTL_ORIGIN_KERNEL, reason = KCTL_R_KERNEL;
	uint64_t arg = 0, limit = 0;

	if (n->reason) {
		origin = n->origin;
		reason = n->reason;
		arg = n->arg;
		limit = n->limit;
	} else if (rc == -ETIMEDOUT) {
		origin = KCTL_ORIGIN_LIBRARY;
		reason = KCTL_R_TIMEOUT;
		arg = (uint64_t)h->timeout_ms;
	} else if (rc == -ENOTRECOVERABLE) {
		origin = KCTL_ORIGIN_LIBRARY;
		reason = KCTL_R_BROKEN;
	} else if (rc == -ENOMEM) {
		origin = KCTL_ORIGIN_LIBRARY;
		reason = KCTL_R_NOMEM;
	} else if (rc == -ENOTCONN) {
		reason = KCTL_R_NOTCONN;
	}
	return kctl_errs_set(&h->errs, rc, KCTL_CALL_RECV, origin, reason, arg, limit);
}

/* Both receive calls (a direct call: an exported one would go through the PLT). */
static int msg_recv(struct kctl *h, void *buf, size_t cap, size_t *wire,
		    struct kctl_msg_info *info)
{
	struct recv_out o = { .buf = buf, .cap = cap, .wire = wire };
	struct kctl_clock c;
	int rc;

	if (!h)
		return -EINVAL;
	if (!buf || !wire)
		return kctl_errs_set(&h->errs, -EINVAL, KCTL_CALL_RECV, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_ARG, 0, 0);
	kctl_clock_start(&c, h->timeout_ms);
	pthread_mutex_lock(&h->msg.lock);
	rc = kctl_msg_buffers(&h->msg);
	h->msg.detail[0] = '\0';
	h->msg.note.reason = 0;
	while (rc == 0)
		rc = recv_step(h, &o, &c);
	if (rc == 1 && info)
		recv_info(&o, info);
	if (rc < 0)
		recv_failed(h, rc);
	pthread_mutex_unlock(&h->msg.lock);
	return rc == 1 ? 0 : rc;
}

int kctl_msg_recv_info(kctl_t *h, void *buf, size_t cap, size_t *wire,
		       struct kctl_msg_info *info)
{
	return msg_recv(h, buf, cap, wire, info);
}

int kctl_msg_recv(kctl_t *h, void *buf, size_t cap, size_t *wire)
{
	return msg_recv(h, buf, cap, wire, NULL);
}
