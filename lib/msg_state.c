/* msg_state.c - a handle's framing state: locks, buffers, limits, counters, detail. */
#include <errno.h>
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
	if (pthread_mutex_init(&m->lock, NULL) != 0)
		return -ENOMEM;
	if (pthread_mutex_init(&m->send_lock, NULL) != 0) {
		pthread_mutex_destroy(&m->lock);
		return -ENOMEM;
	}
	if (pthread_cond_init(&m->cond, NULL) != 0) {
		pthread_mutex_destroy(&m->send_lock);
		pthread_mutex_destroy(&m->lock);
		return -ENOMEM;
	}
	return 0;
}

void kctl_msg_destroy(struct kctl_msg *m)
{
	free(m->rx);
	free(m->bl);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->send_lock);
	pthread_mutex_destroy(&m->lock);
}

int kctl_msg_buffers(struct kctl_msg *m)
{
	size_t rx_cap = 2 * (size_t)m->max_frame;
	size_t bl_cap = 4 * (size_t)m->max_frame;
	unsigned char *rx, *bl;

	if (m->rx && m->rx_cap == rx_cap)
		return 0;
	rx = malloc(rx_cap);
	bl = malloc(bl_cap);
	if (!rx || !bl) {
		free(rx);
		free(bl);
		return -ENOMEM;
	}
	free(m->rx);
	free(m->bl);
	m->rx = rx;
	m->rx_cap = rx_cap;
	m->bl = bl;
	m->bl_cap = bl_cap;
	m->rx_off = m->rx_len = m->bl_off = m->bl_len = 0;
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

int kctl_msg_cond_wait(struct kctl_msg *m, const struct kctl_clock *c)
{
	struct timespec ts;
	int rc;

	if (c->timeout_ms == 0)
		return -EAGAIN;
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
	rc = pthread_cond_timedwait(&m->cond, &m->lock, &ts);
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
	pthread_mutex_lock(&m->lock);
	if (m->rx_len > m->rx_off || m->bl_len > m->bl_off || m->reading) {
		pthread_mutex_unlock(&m->lock);
		return -EBUSY;
	}
	old = m->max_frame;
	m->max_frame = max_frame;
	rc = kctl_msg_buffers(m);
	if (rc < 0)
		m->max_frame = old;
	pthread_mutex_unlock(&m->lock);
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
	pthread_mutex_lock(&m->lock);
	*st = m->st;
	pthread_mutex_unlock(&m->lock);
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
		pthread_mutex_lock((pthread_mutex_t *)&m->lock);
		v = which == KCTL_MSG_LATE_REPLIES ? m->late_replies : 0;
		for (int i = 0; which == KCTL_MSG_IN_FLIGHT && i < KCTL_MSG_MAX_INFLIGHT; i++)
			v += m->waiters[i].active;
		pthread_mutex_unlock((pthread_mutex_t *)&m->lock);
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
