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
#include <stdlib.h>
#include <string.h>

#include "frame/frame_int.h"
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
 * STREAM: doubles rx (up to 2 x max_frame) when the last receive filled it (the kernel
 * had more: a burst) or the frame at its front needs more room than is left. The
 * steady state allocates nothing: growth stops at what the traffic needs. A failed
 * growth keeps the buffer as it is; only a frame that cannot fit is then an error.
 */
static int rx_grow(struct kctl_msg *m)
{
	size_t most = 2 * (size_t)m->max_frame, cap = m->rx_cap * 2, need = 0;
	int full = m->rx_len == m->rx_cap;
	unsigned char *rx;

	if (m->rx_len - m->rx_off >= KCTL_FRAME_HDR_LEN) {
		const struct kctl_frame_hdr *f = (const void *)(m->rx + m->rx_off);

		need = KCTL_FRAME_WIRE_SIZE(f->len);
		if (need > most)
			need = 0; /* not a frame of this handle: the decoder says so */
	}
	if ((!full && need <= m->rx_cap) || m->rx_cap >= most)
		return 0;
	if (cap > most)
		cap = most;
	rx_compact(m);
	rx = realloc(m->rx, cap);
	if (!rx)
		return need > m->rx_cap ? -ENOMEM : 0;
	m->rx = rx;
	m->rx_cap = cap;
	return 0;
}

void kctl_msg_pull_begin(struct kctl *h)
{
	struct kctl_msg *m = &h->msg;

	if (h->stream)
		rx_compact(m);
	else
		m->rx_off = m->rx_len = m->rx_valid = 0; /* called once the record is used up */
	m->reading = 1;
}

/*
 * The receive syscalls, with the lock released; counts each in *calls. Receives first:
 * a reply is usually queued already (the kext answers inside the send, as xnu's
 * ctl_send does), so the fd is polled only after a receive found nothing.
 */
int kctl_msg_pull_recv(struct kctl *h, struct kctl_clock *c, int wait, size_t *n, int *fl,
		       uint64_t *calls)
{
	struct kctl_msg *m = &h->msg;
	struct iovec iov = { .iov_base = m->rx + m->rx_len, .iov_len = m->rx_cap - m->rx_len };
	int rc;

	for (;;) {
		rc = h->be->ops->recvmsg(h->be->ctx, h->fd, &iov, 1, 0, n, fl);
		(*calls)++;
		if (rc == -EINTR)
			continue; /* consumed nothing: a waiting request must not see it */
		if (rc != -EAGAIN || !wait)
			return rc;
		rc = kctl_wait_fd(h->fd, POLLIN, c);
		if (rc < 0)
			return rc;
	}
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
	m->rx_len = m->rx_valid = n; /* every frame in it checked: take trusts them */
	return 0;
}

int kctl_msg_pull_end(struct kctl *h, int rc, size_t n, int fl, uint64_t calls)
{
	struct kctl_msg *m = &h->msg;

	m->reading = 0;
	m->st.recv_calls += calls;
	kctl_msg_wake(m);
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
	return rx_grow(m);
}

int kctl_msg_pull(struct kctl *h, struct kctl_clock *c, int wait)
{
	struct kctl_msg *m = &h->msg;
	uint64_t calls = 0;
	size_t n = 0;
	int fl = 0;
	int rc;

	if (m->broken)
		return -ENOTRECOVERABLE;
	kctl_msg_pull_begin(h);
	kctl_unlock(&m->lock);
	rc = kctl_msg_pull_recv(h, c, wait, &n, &fl, &calls);
	kctl_lock(&m->lock);
	return kctl_msg_pull_end(h, rc, n, fl, calls);
}

/*
 * Sorts a reply: 1 consumed (a blocking request's, or a late one: dropped and counted),
 * 0 left for the caller, with *cls saying whether a started request waits for it.
 */
static int sort_reply(struct kctl_msg *m, const struct kctl_frame_hdr *f, int *cls)
{
	struct kctl_msg_waiter *w = kctl_msg_slot_find(m, f->seq);

	if (w && !w->async && !w->done) {
		kctl_msg_reply_to(m, w, f);
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
	m->rx_off = m->rx_len = m->rx_valid = 0;
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
		size_t size = 0;
		int rc;

		if (m->broken)
			return -ENOTRECOVERABLE;
		if (m->rx_off == m->rx_len)
			return 0;
		fr = (const void *)(m->rx + m->rx_off);
		if (m->rx_off < m->rx_valid) { /* a DGRAM record, checked whole on arrival */
			size = KCTL_FRAME_WIRE_SIZE(fr->len);
		} else {
			rc = kctl_frame_decode(fr, m->rx_len - m->rx_off, m->max_frame, &size);
			if (rc == -EAGAIN && h->stream)
				return 0;
			if (rc < 0)
				return take_failed(h, rc);
		}
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

/*
 * Makes room for `wire` more bytes at the end of the backlog: compacts, then doubles it
 * (from 4 KiB, up to 4 x max_frame) if that is not enough. 0, or -1 when full.
 */
static int backlog_room(struct kctl_msg *m, size_t wire)
{
	size_t most = 4 * (size_t)m->max_frame, used = m->bl_len - m->bl_off, cap;
	unsigned char *bl;

	if (m->bl_len + wire <= m->bl_cap)
		return 0;
	if (m->bl_off > 0) {
		memmove(m->bl, m->bl + m->bl_off, used);
		m->bl_len = used;
		m->bl_off = 0;
	}
	if (used + wire <= m->bl_cap)
		return 0;
	if (used + wire > most)
		return -1;
	cap = m->bl_cap ? m->bl_cap : 4096;
	while (cap < used + wire)
		cap *= 2;
	if (cap > most)
		cap = most;
	bl = realloc(m->bl, cap);
	if (!bl)
		return -1;
	m->bl = bl;
	m->bl_cap = cap;
	return 0;
}

void kctl_msg_backlog_push(struct kctl_msg *m, const struct kctl_frame_hdr *f, size_t wire,
			   int cls)
{
	struct kctl_frame_hdr *copy;

	if (backlog_room(m, wire) != 0) {
		m->st.backlog_drops++;
		return;
	}
	memcpy(m->bl + m->bl_len, f, wire);
	copy = (struct kctl_frame_hdr *)(void *)(m->bl + m->bl_len);
	copy->flags |= (uint8_t)(((unsigned)cls << CLASS_SHIFT) & CLASS_BITS);
	m->bl_len += wire;
	kctl_msg_wake(m);
}

/* Copies the backlog's first frame out: 1 done, 0 empty, -EMSGSIZE (it stays). */
static int backlog_pop(struct kctl_msg *m, void *buf, size_t cap, size_t *wire, int *cls)
{
	struct kctl_frame_hdr *out = buf;
	const struct kctl_frame_hdr *f;
	size_t w;

	if (m->bl_off == m->bl_len)
		return 0; /* also when there is no backlog yet (bl NULL) */
	f = (const void *)(m->bl + m->bl_off);
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
static void wait_clock(const struct kctl_msg *m, struct kctl_clock *c,
		       struct kctl_clock *wc)
{
	int32_t left = m->timed ? kctl_msg_slot_wait_ms(m, kctl_now_ms()) : -1;

	kctl_clock_arm(c); /* the copy must not restart the call's time */
	*wc = *c;
	if (left < 0 || c->timeout_ms == 0)
		return;
	if (c->timeout_ms < 0 || c->deadline_ms > kctl_now_ms() + left) {
		wc->timeout_ms = left > 0 ? left : 1;
		wc->deadline_ms = kctl_now_ms() + left;
	}
}

/* Nothing read is left: a timeout frame if one is due, else wait for more. */
static int recv_wait(struct kctl *h, struct recv_out *o, struct kctl_clock *c)
{
	struct kctl_msg *m = &h->msg;
	struct kctl_msg_waiter *w = m->timed ? kctl_msg_slot_expired(m, kctl_now_ms()) : NULL;
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
static int recv_step(struct kctl *h, struct recv_out *o, struct kctl_clock *c)
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

/* Copies a frame out: word by word when small (a burst's events), else memcpy. */
static inline void copy_frame(void *dst, const void *src, size_t wire)
{
	char *d = dst;
	const char *s = src;

	if (wire > 48) {
		memcpy(dst, src, wire);
		return;
	}
	memcpy(d, s, KCTL_FRAME_HDR_LEN); /* every frame has its header; 8 | wire */
	if (wire >= 24)
		memcpy(d + 16, s + 16, 8);
	if (wire >= 32)
		memcpy(d + 24, s + 24, 8);
	if (wire >= 40)
		memcpy(d + 32, s + 32, 8);
	if (wire >= 48)
		memcpy(d + 40, s + 40, 8);
}

/*
 * The common case of a burst, in one pass: nothing in the backlog and a complete frame
 * that is no reply (an event, or a request from the control) at the front of rx. 1 when
 * it was handed out; 0 leaves everything to the general path (which sorts replies,
 * keeps the backlog's order, reports a bad frame, waits).
 */
static inline int recv_fast(struct kctl_msg *m, void *buf, size_t cap, size_t *wire)
{
	const struct kctl_frame_hdr *f;
	size_t size = 0;

	if (m->bl_off != m->bl_len || m->rx_off == m->rx_len || m->broken)
		return 0;
	f = (const void *)(m->rx + m->rx_off);
	if (m->rx_off < m->rx_valid)
		size = KCTL_FRAME_WIRE_SIZE(f->len); /* a DGRAM record checked on arrival */
	else if (kctl_frame_decode(f, m->rx_len - m->rx_off, m->max_frame, &size) != 0)
		return 0;
	if ((f->flags & KCTL_FRAME_F_REPLY) || size > cap)
		return 0;
	m->rx_off += size;
	m->st.frames_in++;
	if (f->flags & KCTL_FRAME_F_EVENT)
		m->st.kernel_drops += f->aux;
	copy_frame(buf, f, size);
	*wire = size;
	return 1;
}

/*
 * Both receive calls past the fast path, with the lock held (it unlocks): a direct
 * call, kept out of line so the fast path stays small.
 */
static __attribute__((noinline)) int msg_recv_slow(struct kctl *h, void *buf, size_t cap,
						   size_t *wire, struct kctl_msg_info *info)
{
	struct recv_out o = { .buf = buf, .cap = cap, .wire = wire };
	struct kctl_clock c;
	int rc;

	kctl_clock_start(&c, h->timeout_ms);
	rc = kctl_msg_buffers(&h->msg, h->stream);
	while (rc == 0)
		rc = recv_step(h, &o, &c);
	if (rc == 1 && info)
		recv_info(&o, info);
	if (rc < 0)
		recv_failed(h, rc);
	kctl_unlock(&h->msg.lock);
	return rc == 1 ? 0 : rc;
}

static __attribute__((noinline)) int msg_recv_bad_args(struct kctl *h)
{
	if (!h)
		return -EINVAL;
	return kctl_errs_set(&h->errs, -EINVAL, KCTL_CALL_RECV, KCTL_ORIGIN_LIBRARY, KCTL_R_ARG,
			     0, 0);
}

/* Both receive calls: the fast path inline, the rest in msg_recv_slow. */
static inline int msg_recv(struct kctl *h, void *buf, size_t cap, size_t *wire,
			   struct kctl_msg_info *info)
{
	if (!h || !buf || !wire)
		return msg_recv_bad_args(h);
	kctl_lock(&h->msg.lock);
	h->msg.detail[0] = '\0';
	h->msg.note.reason = 0;
	if (!recv_fast(&h->msg, buf, cap, wire))
		return msg_recv_slow(h, buf, cap, wire, info); /* a tail call */
	if (info) {
		struct recv_out o = { .buf = buf, .cap = cap, .wire = wire,
				      .cls = KCTL_MSG_CLASS_OTHER };

		recv_info(&o, info);
	}
	kctl_unlock(&h->msg.lock);
	return 0;
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
