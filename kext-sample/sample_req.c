/*
 * sample_req.c - requests: each REQUEST frame gets exactly one reply frame, a REPLY with
 * its type and seq, or an ERROR reply carrying the errno.
 */
#include <sys/errno.h>

#include "sample.h"

static errno_t req_echo(struct sample_unit *u, const struct kctl_frame_hdr *f)
{
	errno_t err = sample_reply_start(u, f);

	if (err == 0)
		err = (errno_t)-kctl_frame_put(u->tx, SAMPLE_TX_CAP, kctl_frame_payload(f),
					       kctl_frame_payload_len(f));
	if (err == 0)
		sample_reply_send_mbuf(u);
	return err;
}

/* Adds ADD (default 1) to the unit's counter and answers the new value. */
static errno_t req_counter(struct sample_unit *u, const struct kctl_frame_hdr *f)
{
	const struct kctl_attr *a;
	uint32_t add = 1;
	errno_t err;
	int r = kctl_attr_find(kctl_frame_payload(f), kctl_frame_payload_len(f),
			       SAMPLE_ATTR_ADD, &a);

	if (r == 0)
		r = kctl_attr_get_u32(a, &add);
	else if (r == -ENOENT)
		r = 0;
	if (r != 0)
		return (errno_t)-r;
	u->counter += add;
	err = sample_reply_start(u, f);
	if (err == 0)
		err = (errno_t)-kctl_attr_put_u64(u->tx, SAMPLE_TX_CAP, SAMPLE_ATTR_VALUE,
						  u->counter);
	if (err == 0)
		sample_reply_send(u);
	return err;
}

/*
 * The flag is changed under the global lock, which the event timer holds while it
 * sends: after UNSUBSCRIBE's reply no event follows; after SUBSCRIBE's, the next tick's.
 * Drops no event has reported yet would never be announced once events stop, so the
 * UNSUBSCRIBE reply carries them (DROPS) and the count starts again from 0.
 */
static errno_t req_subscribe(struct sample_unit *u, const struct kctl_frame_hdr *f, int on)
{
	uint32_t drops = 0;
	errno_t err;

	lck_mtx_lock(sample_g.lock);
	u->subscribed = on;
	if (!on) {
		drops = u->pending_drops;
		u->pending_drops = 0;
	}
	lck_mtx_unlock(sample_g.lock);
	err = sample_reply_start(u, f);
	if (err == 0 && !on)
		err = (errno_t)-kctl_attr_put_u32(u->tx, SAMPLE_TX_CAP, SAMPLE_ATTR_DROPS, drops);
	if (err == 0)
		sample_reply_send(u);
	return err;
}

static errno_t route(struct sample_unit *u, const struct kctl_frame_hdr *f)
{
	/* a client has no business sending replies or events */
	if ((f->flags & KCTL_FRAME_F_REQUEST) == 0)
		return EINVAL;
	switch (f->type) {
	case SAMPLE_MSG_ECHO:
		return req_echo(u, f);
	case SAMPLE_MSG_COUNTER:
		return req_counter(u, f);
	case SAMPLE_MSG_KV_SET:
	case SAMPLE_MSG_KV_GET:
	case SAMPLE_MSG_KV_DEL:
		return sample_kv_request(u, f);
	case SAMPLE_MSG_SUBSCRIBE:
		return req_subscribe(u, f, 1);
	case SAMPLE_MSG_UNSUBSCRIBE:
		return req_subscribe(u, f, 0);
	default:
		return EOPNOTSUPP;
	}
}

/* Wire size of a reply carrying `payload` bytes of attributes. */
#define REPLY_WIRE(payload) ((size_t)KCTL_FRAME_WIRE_SIZE(KCTL_FRAME_HDR_LEN + (payload)))

/*
 * The largest reply (or error reply, 16 bytes) a frame can cause: an echo gives back
 * its own payload, a counter one u64, a key/value get the largest value; the rest an
 * empty reply. Reading a request only when this much is free means its reply is never
 * dropped for lack of room.
 */
size_t sample_reply_bound(const struct kctl_frame_hdr *f)
{
	if ((f->flags & KCTL_FRAME_F_REQUEST) == 0)
		return REPLY_WIRE(0);
	switch (f->type) {
	case SAMPLE_MSG_ECHO:
		return KCTL_FRAME_WIRE_SIZE(f->len);
	case SAMPLE_MSG_COUNTER:
		return REPLY_WIRE(KCTL_ATTR_SPACE(sizeof(uint64_t)));
	case SAMPLE_MSG_KV_GET:
		return REPLY_WIRE(KCTL_ATTR_SPACE(SAMPLE_KV_VALUE_MAX));
	case SAMPLE_MSG_UNSUBSCRIBE:
		return REPLY_WIRE(KCTL_ATTR_SPACE(sizeof(uint32_t)));
	default:
		return REPLY_WIRE(0);
	}
}

void sample_dispatch(struct sample_unit *u, const struct kctl_frame_hdr *f)
{
	errno_t err;

	u->requests++;
	err = route(u, f);
	if (err != 0)
		sample_reply_error(u, f, err);
}
