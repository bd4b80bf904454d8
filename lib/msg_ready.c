/*
 * msg_ready.c - what an event loop asks before it sleeps: is a frame (or a request's
 * timeout frame) ready without the fd, and for how long may it wait.
 *
 * Frames the library has read do not make the fd readable, so a loop that polls only
 * the fd could sleep on a frame already here; these calls tell it.
 */
#include <errno.h>

#include "handle.h"

/* Moves every complete frame from rx into the backlog: 1 if any is there, or -errno. */
static int ready_scan(struct kctl *h)
{
	struct kctl_msg *m = &h->msg;
	const struct kctl_frame_hdr *f;
	int cls = 0;
	size_t w;
	int rc;

	while ((rc = kctl_msg_take(h, &f, &w, &cls)) == 1)
		kctl_msg_backlog_push(m, f, w, cls);
	if (rc < 0)
		return rc;
	return m->bl_len > m->bl_off || kctl_msg_slot_expired(m, kctl_now_ms()) != NULL;
}

int kctl_msg_ready(kctl_t *h)
{
	struct kctl_clock c;
	int rc;

	if (!h)
		return -EINVAL;
	kctl_clock_start(&c, 0);
	kctl_lock(&h->msg.lock);
	rc = kctl_msg_buffers(&h->msg, h->stream);
	if (rc == 0)
		rc = ready_scan(h);
	if (rc == 0 && !h->msg.reading) {
		rc = kctl_msg_pull(h, &c, 0);
		if (rc == 0)
			rc = ready_scan(h);
		else if (rc == -EAGAIN)
			rc = 0;
	}
	kctl_unlock(&h->msg.lock);
	return rc;
}

int kctl_msg_pending(const kctl_t *h)
{
	struct kctl_msg *m;
	size_t n;

	if (!h)
		return -EINVAL;
	m = (struct kctl_msg *)&h->msg; /* the lock is not part of the value */
	kctl_lock(&m->lock);
	n = kctl_msg_buffered(h);
	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++) {
		const struct kctl_msg_waiter *w = &m->waiters[i];

		n += w->active && w->async && w->deadline_ms && w->deadline_ms <= kctl_now_ms();
	}
	kctl_unlock(&m->lock);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int32_t kctl_msg_wait_ms(const kctl_t *h)
{
	struct kctl_msg *m;
	int32_t ms;

	if (!h)
		return 0;
	m = (struct kctl_msg *)&h->msg;
	kctl_lock(&m->lock);
	/* a broken STREAM has an error to report at once */
	ms = kctl_msg_buffered(h) || m->broken ? 0 : kctl_msg_slot_wait_ms(m, kctl_now_ms());
	kctl_unlock(&m->lock);
	return ms;
}
