/*
 * msg_slots.c - the requests of a handle that wait for replies: one table for blocking
 * requests (kctl_request) and started ones (kctl_request_start), so both get their seqs,
 * their matching and their limit from the same place; and the ring of retired seqs, so
 * that a reply that comes too late is recognised, dropped and counted, never taken for
 * an unmatched one. Everything here runs under the handle's msg lock.
 */
#include <time.h>

#include "handle.h"

int kctl_msg_retired(const struct kctl_msg *m, uint32_t seq)
{
	for (int i = 0; i < KCTL_MSG_RETIRED; i++)
		if (m->retired[i] == seq && seq != 0)
			return 1;
	return 0;
}

struct kctl_msg_waiter *kctl_msg_slot_expired(struct kctl_msg *m, int64_t now_ms)
{
	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++) {
		struct kctl_msg_waiter *w = &m->waiters[i];

		if (w->active && w->async && w->deadline_ms && w->deadline_ms <= now_ms)
			return w;
	}
	return NULL;
}

int32_t kctl_msg_slot_wait_ms(const struct kctl_msg *m, int64_t now_ms)
{
	int64_t best = -1;

	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++) {
		const struct kctl_msg_waiter *w = &m->waiters[i];
		int64_t left;

		if (!w->active || !w->async || !w->deadline_ms)
			continue;
		left = w->deadline_ms > now_ms ? w->deadline_ms - now_ms : 0;
		if (best < 0 || left < best)
			best = left;
	}
	return best > INT32_MAX ? INT32_MAX : (int32_t)best;
}

/* Whether a frame in rx will reach kctl_msg_recv(): not a blocking request's, not late. */
static int rx_frame_delivered(const struct kctl_msg *m, const struct kctl_frame_hdr *f)
{
	const struct kctl_msg_waiter *w;

	if (!(f->flags & KCTL_FRAME_F_REPLY))
		return 1;
	w = kctl_msg_slot_find((struct kctl_msg *)m, f->seq);
	if (w)
		return w->async;
	return !kctl_msg_retired(m, f->seq);
}

size_t kctl_msg_buffered(const struct kctl *h)
{
	const struct kctl_msg *m = &h->msg;
	size_t n = 0;

	for (size_t off = m->bl_off; off < m->bl_len; n++) {
		const struct kctl_frame_hdr *f = (const void *)(m->bl + off);

		off += KCTL_FRAME_WIRE_SIZE(f->len);
	}
	if (m->broken)
		return n;
	for (size_t off = m->rx_off; off < m->rx_len;) {
		const struct kctl_frame_hdr *f;
		size_t size;

		if (kctl_frame_next(m->rx + off, m->rx_len - off, m->max_frame, &f, &size) < 0)
			break; /* incomplete, or an error the next receive reports: counts as one */
		n += rx_frame_delivered(m, f);
		off += size;
	}
	return n;
}
