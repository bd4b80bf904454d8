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
		kctl_msg_set_detail(m, "a DGRAM record longer than the %zu-byte receive buffer "
				    "was truncated and dropped (max frame %u; raise it with "
				    "kctl_msg_set_max_frame)", m->rx_cap, (unsigned)m->max_frame);
		return -EMSGSIZE;
	}
	rc = kctl_frame_check_record(m->rx, n, m->max_frame, NULL);
	if (rc < 0) {
		m->st.bad_records++;
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
		kctl_msg_set_detail(m, "end of file: the connection is gone");
		return -EPIPE;
	}
	if (!h->stream)
		return dgram_accept(m, n, fl);
	m->rx_len += n;
	return 0;
}

/* Hands a reply to the request waiting for its seq; 0 if none is. */
static int deliver_reply(struct kctl_msg *m, const struct kctl_frame_hdr *f)
{
	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++) {
		struct kctl_msg_waiter *w = &m->waiters[i];
		size_t plen = kctl_frame_payload_len(f);

		if (!w->active || w->done || w->seq != f->seq)
			continue;
		if (f->flags & KCTL_FRAME_F_ERROR)
			w->err = kctl_frame_error(f);
		else if (plen > w->cap - w->len)
			w->overflow = 1;
		else if (plen > 0) /* dst may be NULL (cap 0): no arithmetic on it, no memcpy */
			memcpy(w->dst + w->len, kctl_frame_payload(f), plen);
		if (!w->overflow && !(f->flags & KCTL_FRAME_F_ERROR))
			w->len += plen;
		w->done = (f->flags & KCTL_FRAME_F_ERROR) || !(f->flags & KCTL_FRAME_F_MORE);
		pthread_cond_broadcast(&m->cond);
		return 1;
	}
	return 0;
}

/* A frame that cannot be decoded: a DGRAM record is dropped, a STREAM is broken. */
static int take_failed(struct kctl *h, int rc)
{
	struct kctl_msg *m = &h->msg;

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

int kctl_msg_take(struct kctl *h, const struct kctl_frame_hdr **f, size_t *wire)
{
	struct kctl_msg *m = &h->msg;

	for (;;) {
		const struct kctl_frame_hdr *fr;
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
		if ((fr->flags & KCTL_FRAME_F_REPLY) && deliver_reply(m, fr))
			continue;
		if (fr->flags & KCTL_FRAME_F_REPLY)
			m->st.unmatched_replies++;
		*f = fr;
		*wire = size;
		return 1;
	}
}

void kctl_msg_backlog_push(struct kctl_msg *m, const struct kctl_frame_hdr *f, size_t wire)
{
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
	m->bl_len += wire;
	pthread_cond_broadcast(&m->cond);
}

/* Copies the backlog's first frame out: 1 done, 0 empty, -EMSGSIZE (it stays). */
static int backlog_pop(struct kctl_msg *m, void *buf, size_t cap, size_t *wire)
{
	const struct kctl_frame_hdr *f = (const void *)(m->bl + m->bl_off);
	size_t w;

	if (m->bl_off == m->bl_len)
		return 0;
	w = KCTL_FRAME_WIRE_SIZE(f->len);
	if (w > cap) {
		kctl_msg_set_detail(m, "the next frame needs %zu bytes; the buffer has %zu", w,
				    cap);
		return -EMSGSIZE;
	}
	memcpy(buf, f, w);
	m->bl_off += w;
	if (m->bl_off == m->bl_len)
		m->bl_off = m->bl_len = 0;
	*wire = w;
	return 1;
}

/* One step of kctl_msg_recv under the lock: 1 delivered, 0 go on, or -errno. */
static int recv_step(struct kctl *h, void *buf, size_t cap, size_t *wire,
		     const struct kctl_clock *c)
{
	struct kctl_msg *m = &h->msg;
	const struct kctl_frame_hdr *f;
	size_t w;
	int rc;

	rc = backlog_pop(m, buf, cap, wire);
	if (rc != 0)
		return rc;
	rc = kctl_msg_take(h, &f, &w);
	if (rc == 1 && w <= cap) {
		memcpy(buf, f, w); /* the backlog is empty here: order is kept */
		*wire = w;
		return 1;
	}
	if (rc == 1) {
		kctl_msg_backlog_push(m, f, w); /* kept until a big enough buffer comes */
		return backlog_pop(m, buf, cap, wire);
	}
	if (rc < 0)
		return rc;
	if (m->reading)
		return kctl_msg_cond_wait(m, c);
	return kctl_msg_pull(h, c, 1);
}

int kctl_msg_recv(kctl_t *h, void *buf, size_t cap, size_t *wire)
{
	struct kctl_clock c;
	int rc;

	if (!h || !buf || !wire)
		return -EINVAL;
	kctl_clock_start(&c, h->timeout_ms);
	pthread_mutex_lock(&h->msg.lock);
	rc = kctl_msg_buffers(&h->msg);
	h->msg.detail[0] = '\0';
	while (rc == 0)
		rc = recv_step(h, buf, cap, wire, &c);
	pthread_mutex_unlock(&h->msg.lock);
	return rc == 1 ? 0 : rc;
}

/* Moves every complete frame from rx into the backlog: 1 if any is there, or -errno. */
static int ready_scan(struct kctl *h)
{
	struct kctl_msg *m = &h->msg;
	const struct kctl_frame_hdr *f;
	size_t w;
	int rc;

	while ((rc = kctl_msg_take(h, &f, &w)) == 1)
		kctl_msg_backlog_push(m, f, w);
	if (rc < 0)
		return rc;
	return m->bl_len > m->bl_off;
}

int kctl_msg_ready(kctl_t *h)
{
	struct kctl_clock c;
	int rc;

	if (!h)
		return -EINVAL;
	kctl_clock_start(&c, 0);
	pthread_mutex_lock(&h->msg.lock);
	rc = kctl_msg_buffers(&h->msg);
	if (rc == 0)
		rc = ready_scan(h);
	if (rc == 0 && !h->msg.reading) {
		rc = kctl_msg_pull(h, &c, 0);
		if (rc == 0)
			rc = ready_scan(h);
		else if (rc == -EAGAIN)
			rc = 0;
	}
	pthread_mutex_unlock(&h->msg.lock);
	return rc;
}
