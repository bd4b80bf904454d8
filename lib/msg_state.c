/* msg_state.c - a handle's framing state: locks, buffers, limits, counters, detail. */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handle.h"

int kctl_msg_init(struct kctl_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->max_frame = KCTL_MSG_DEFAULT_MAX;
	m->next_seq = 1;
	atomic_init(&m->frames_out, 0);
	return kctl_lock_init(&m->lock);
}

void kctl_msg_destroy(struct kctl_msg *m)
{
	free(m->rx);
	free(m->bl);
	kctl_lock_destroy(&m->lock);
}

/* The receive buffer a handle starts with (see msg.h). */
static size_t rx_start(const struct kctl_msg *m, int stream)
{
	size_t most = 2 * (size_t)m->max_frame;

	if (!stream)
		return m->max_frame; /* one record at a time, and a record fits in a frame */
	return most < KCTL_MSG_RX_START ? most : KCTL_MSG_RX_START;
}

int kctl_msg_buffers_alloc(struct kctl_msg *m, int stream)
{
	size_t cap = rx_start(m, stream);
	unsigned char *rx = malloc(cap);

	if (!rx)
		return -ENOMEM;
	free(m->rx);
	free(m->bl);
	m->rx = rx;
	m->rx_cap = cap;
	m->bl = NULL;
	m->bl_cap = 0;
	m->rx_off = m->rx_len = m->rx_valid = m->bl_off = m->bl_len = 0;
	return 0;
}

void kctl_msg_note(struct kctl_msg *m, uint32_t origin, uint32_t reason, uint64_t arg,
		   uint64_t limit)
{
	m->note = (struct kctl_msg_note){ .origin = origin, .reason = reason, .arg = arg,
					  .limit = limit };
}

void kctl_msg_set_detail(struct kctl_msg *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* clang-analyzer 14 loses track of va_start through the format attribute */
	vsnprintf(m->detail, sizeof(m->detail), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
}

int kctl_msg_cond_wait(struct kctl_msg *m, struct kctl_clock *c)
{
	struct timespec ts;
	int rc;

	if (c->timeout_ms == 0)
		return -EAGAIN;
	kctl_clock_arm(c);
	/*
	 * What is waited for (a reply the reading thread is about to sort, the send turn)
	 * usually comes within a syscall or two: the first waits of a call only yield the
	 * processor, so that threads sharing a handle do not pay a sleep and a wake-up each.
	 */
	if (c->spins < KCTL_MSG_SPINS) {
		c->spins++;
		kctl_unlock(&m->lock);
		sched_yield();
		kctl_lock(&m->lock);
		return kctl_clock_expired(c) ? -ETIMEDOUT : 0;
	}
	/*
	 * Waits in slices of at most 50 ms on the realtime clock (macOS has no
	 * pthread_condattr_setclock), re-checking the monotonic deadline after each, so a
	 * clock change cannot stretch a timeout. A broadcast wakes the waiter at once.
	 */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	rc = kctl_lock_wait(&m->lock, &ts);
	if (rc != 0 && rc != ETIMEDOUT)
		return -rc;
	return kctl_clock_expired(c) ? -ETIMEDOUT : 0;
}

int kctl_msg_set_max_frame(kctl_t *h, uint32_t max_frame)
{
	struct kctl_msg *m;
	uint32_t old;
	int rc;

	if (!h || max_frame < KCTL_FRAME_HDR_LEN || max_frame > KCTL_FRAME_MAX)
		return -EINVAL;
	m = &h->msg;
	kctl_lock(&m->lock);
	if (m->rx_len > m->rx_off || m->bl_len > m->bl_off || m->reading) {
		kctl_unlock(&m->lock);
		return -EBUSY;
	}
	old = m->max_frame;
	m->max_frame = max_frame;
	rc = kctl_msg_buffers_alloc(m, h->stream);
	if (rc < 0)
		m->max_frame = old;
	kctl_unlock(&m->lock);
	return rc;
}

uint32_t kctl_msg_max_frame(const kctl_t *h)
{
	return h ? h->msg.max_frame : 0;
}

int kctl_msg_stats(const kctl_t *h, struct kctl_msg_stats *st)
{
	struct kctl_msg *m;

	if (!h || !st)
		return -EINVAL;
	m = (struct kctl_msg *)&h->msg; /* the lock is not part of the value */
	kctl_lock(&m->lock);
	*st = m->st;
	kctl_unlock(&m->lock);
	st->frames_out = atomic_load(&m->frames_out);
	return 0;
}

int kctl_msg_counter(const kctl_t *h, uint32_t which, uint64_t *value)
{
	struct kctl_msg_stats st;
	const struct kctl_msg *m;
	uint64_t v;

	if (!h || !value || kctl_msg_stats(h, &st) < 0)
		return -EINVAL;
	m = &h->msg;
	switch (which) {
	case KCTL_MSG_FRAMES_IN: v = st.frames_in; break;
	case KCTL_MSG_FRAMES_OUT: v = st.frames_out; break;
	case KCTL_MSG_RECV_CALLS: v = st.recv_calls; break;
	case KCTL_MSG_KERNEL_DROPS: v = st.kernel_drops; break;
	case KCTL_MSG_BACKLOG_DROPS: v = st.backlog_drops; break;
	case KCTL_MSG_UNMATCHED_REPLIES: v = st.unmatched_replies; break;
	case KCTL_MSG_BAD_RECORDS: v = st.bad_records; break;
	case KCTL_MSG_LATE_REPLIES:
	case KCTL_MSG_IN_FLIGHT:
		kctl_lock((struct kctl_lock *)&m->lock);
		v = which == KCTL_MSG_LATE_REPLIES ? m->late_replies : 0;
		for (int i = 0; which == KCTL_MSG_IN_FLIGHT && i < KCTL_MSG_MAX_INFLIGHT; i++)
			v += m->waiters[i].active;
		kctl_unlock((struct kctl_lock *)&m->lock);
		break;
	default:
		return -EINVAL;
	}
	*value = v;
	return 0;
}

const char *kctl_msg_detail(const kctl_t *h)
{
	return h ? h->msg.detail : "";
}
