/*
 * frame.c - the frame header: decode/validate and encode (see include/kctl_frame.h).
 *
 * Freestanding: no allocation, no stdio, nothing from libc but memcpy/memset. The same
 * file compiles into libkctl and into kernel code (-mkernel -DKERNEL).
 */
#include "kctl_frame.h"
#include "frame_int.h"

_Static_assert(sizeof(struct kctl_frame_hdr) == KCTL_FRAME_HDR_LEN, "header is 16 bytes");
_Static_assert(offsetof(struct kctl_frame_hdr, len) == 0, "len at 0");
_Static_assert(offsetof(struct kctl_frame_hdr, version) == 4, "version at 4");
_Static_assert(offsetof(struct kctl_frame_hdr, flags) == 5, "flags at 5");
_Static_assert(offsetof(struct kctl_frame_hdr, type) == 6, "type at 6");
_Static_assert(offsetof(struct kctl_frame_hdr, seq) == 8, "seq at 8");
_Static_assert(offsetof(struct kctl_frame_hdr, aux) == 12, "aux at 12");
_Static_assert(KCTL_FRAME_HDR_LEN % KCTL_FRAME_ALIGN == 0, "payload stays aligned");
_Static_assert(KCTL_FRAME_MAX % KCTL_FRAME_ALIGN == 0, "limit is aligned");

int kctl_frame_next(const void *buf, size_t len, uint32_t max_frame,
		    const struct kctl_frame_hdr **out, size_t *size)
{
	int r;

	if (!out || !size || (!buf && len > 0) || !kctl_frame_aligned(buf))
		return -EINVAL;
	r = kctl_frame_decode(buf, len, kctl_frame_limit(max_frame), size);
	if (r == 0)
		*out = buf;
	return r;
}

int kctl_frame_check_record(const void *buf, size_t len, uint32_t max_frame,
			    size_t *count)
{
	const unsigned char *p = buf;
	size_t off = 0, n = 0, limit = kctl_frame_limit(max_frame);

	if (!buf || !kctl_frame_aligned(buf))
		return -EINVAL;
	if (len == 0)
		return -ENODATA;
	while (off < len) {
		size_t size;
		int r = kctl_frame_decode(p + off, len - off, limit, &size);

		if (r == -EAGAIN)
			return -ENODATA; /* a record cannot continue in the next one */
		if (r)
			return r;
		off += size;
		n++;
	}
	if (count)
		*count = n;
	return 0;
}

const void *kctl_frame_payload(const struct kctl_frame_hdr *f)
{
	return f + 1;
}

size_t kctl_frame_payload_len(const struct kctl_frame_hdr *f)
{
	return f->len >= KCTL_FRAME_HDR_LEN ? f->len - KCTL_FRAME_HDR_LEN : 0;
}

int kctl_frame_error(const struct kctl_frame_hdr *f)
{
	if (!f || !(f->flags & KCTL_FRAME_F_ERROR))
		return 0;
	return -(int)f->aux;
}

/* ---- encoding ---- */

int kctl_frame_start(void *buf, size_t cap, uint8_t flags, uint16_t type, uint32_t seq,
		     uint32_t aux)
{
	struct kctl_frame_hdr *h = buf;

	if (!buf || !kctl_frame_aligned(buf) || kctl_frame_flags_check(flags, aux) != 0)
		return -EINVAL;
	if (kctl_frame_room(cap) < KCTL_FRAME_HDR_LEN)
		return -EMSGSIZE;
	*h = (struct kctl_frame_hdr){ .len = KCTL_FRAME_HDR_LEN, .version = KCTL_FRAME_VERSION,
				      .flags = flags, .type = type, .seq = seq, .aux = aux };
	return 0;
}

/*
 * Grows a started frame by len bytes: the new bytes' offset in *at, their padding
 * already zero (so only the bytes themselves are left to write). Nothing is written on
 * failure.
 */
static inline int frame_grow(void *frame, size_t cap, size_t len, size_t *at)
{
	struct kctl_frame_hdr *h = kctl_frame_started(frame, cap);

	if (!h)
		return -EINVAL;
	if (len > kctl_frame_room(cap) - h->len)
		return -EMSGSIZE;
	*at = h->len;
	h->len += (uint32_t)len;
	kctl_frame_pad_write(frame, h->len);
	return 0;
}

int kctl_frame_reserve(void *frame, size_t cap, size_t len, void **out)
{
	size_t at;
	int r;

	if (!out)
		return -EINVAL;
	r = frame_grow(frame, cap, len, &at);
	if (r == 0) {
		/* zeroed: nothing stale (kernel memory) may reach the peer */
		if (len > 0)
			memset((unsigned char *)frame + at, 0, len);
		*out = (unsigned char *)frame + at;
	}
	return r;
}

int kctl_frame_put(void *frame, size_t cap, const void *data, size_t len)
{
	size_t at;
	int r;

	if (!data && len > 0)
		return -EINVAL;
	r = frame_grow(frame, cap, len, &at);
	if (r == 0 && len > 0)
		memcpy((unsigned char *)frame + at, data, len); /* no zeroing first: all written */
	return r;
}

int kctl_frame_finish(void *frame, size_t cap, size_t *wire)
{
	struct kctl_frame_hdr *h = kctl_frame_started(frame, cap);

	if (!h)
		return -EINVAL;
	kctl_frame_pad_write(frame, h->len); /* the last word: len <= room(cap), 8-aligned */
	if (wire)
		*wire = KCTL_FRAME_WIRE_SIZE(h->len);
	return 0;
}

int kctl_frame_put_error(void *buf, size_t cap, uint16_t type, uint32_t seq, int errnum,
			 size_t *wire)
{
	uint32_t e;
	int r;

	if (errnum == 0 || errnum < -(int)KCTL_FRAME_ERRNO_MAX ||
	    errnum > (int)KCTL_FRAME_ERRNO_MAX)
		return -EINVAL;
	e = (uint32_t)(errnum < 0 ? -errnum : errnum);
	r = kctl_frame_start(buf, cap, KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, type, seq, e);
	if (r)
		return r;
	return kctl_frame_finish(buf, cap, wire);
}
