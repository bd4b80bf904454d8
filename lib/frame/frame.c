/*
 * frame.c - the frame header: decode/validate and encode (see include/kctl_frame.h).
 *
 * Freestanding: no allocation, no stdio, nothing from libc but memcpy/memset. The same
 * file compiles into libkctl and into kernel code (-mkernel -DKERNEL).
 */
#ifdef KERNEL
#include <sys/errno.h>
#include <string.h>
#else
#include <errno.h>
#include <string.h>
#endif

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

#define KIND_MASK (KCTL_FRAME_F_REQUEST | KCTL_FRAME_F_REPLY | KCTL_FRAME_F_EVENT)

/* Flags and aux of a header: 0, -ENOTSUP, -EPROTO or -ERANGE (the table's order). */
static int check_flags_aux(uint8_t flags, uint32_t aux)
{
	uint8_t kind = flags & KIND_MASK;

	if (flags & KCTL_FRAME_F_RESERVED)
		return -ENOTSUP;
	if (kind != KCTL_FRAME_F_REQUEST && kind != KCTL_FRAME_F_REPLY &&
	    kind != KCTL_FRAME_F_EVENT)
		return -EPROTO; /* none, or more than one kind */
	if ((flags & (KCTL_FRAME_F_ERROR | KCTL_FRAME_F_MORE)) && kind != KCTL_FRAME_F_REPLY)
		return -EPROTO;
	if ((flags & KCTL_FRAME_F_ERROR) && (flags & KCTL_FRAME_F_MORE))
		return -EPROTO; /* an error reply is always the last one */
	if (flags & KCTL_FRAME_F_ERROR) {
		if (aux == 0 || aux > KCTL_FRAME_ERRNO_MAX)
			return -ERANGE;
	} else if (kind != KCTL_FRAME_F_EVENT && aux != 0) {
		return -ERANGE;
	}
	return 0;
}

static size_t clamp_max(uint32_t max_frame)
{
	if (max_frame == 0 || max_frame > KCTL_FRAME_MAX)
		return KCTL_FRAME_MAX;
	return max_frame;
}

int kctl_frame_next(const void *buf, size_t len, uint32_t max_frame,
		    const struct kctl_frame_hdr **out, size_t *size)
{
	const struct kctl_frame_hdr *h = buf;
	const unsigned char *p = buf;
	size_t wire;
	int r;

	if (!out || !size || (!buf && len > 0) || !kctl_frame_aligned(buf))
		return -EINVAL;
	if (len < KCTL_FRAME_HDR_LEN) {
		*size = KCTL_FRAME_HDR_LEN;
		return -EAGAIN;
	}
	if (h->version != KCTL_FRAME_VERSION)
		return -EPROTONOSUPPORT;
	if (h->len < KCTL_FRAME_HDR_LEN)
		return -EBADMSG;
	/* h->len <= UINT32_MAX: the rounding cannot overflow a 64-bit size_t, and on a
	 * 32-bit size_t the comparison with KCTL_FRAME_MAX comes first. */
	if (h->len > clamp_max(max_frame))
		return -EMSGSIZE;
	wire = KCTL_FRAME_WIRE_SIZE(h->len);
	if (wire > clamp_max(max_frame))
		return -EMSGSIZE;
	r = check_flags_aux(h->flags, h->aux);
	if (r)
		return r;
	if (len < wire) {
		*size = wire;
		return -EAGAIN;
	}
	for (size_t i = h->len; i < wire; i++)
		if (p[i] != 0)
			return -EILSEQ;
	*out = h;
	*size = wire;
	return 0;
}

int kctl_frame_check_record(const void *buf, size_t len, uint32_t max_frame,
			    size_t *count)
{
	const unsigned char *p = buf;
	size_t off = 0, n = 0;

	if (!buf || !kctl_frame_aligned(buf))
		return -EINVAL;
	if (len == 0)
		return -ENODATA;
	while (off < len) {
		const struct kctl_frame_hdr *f;
		size_t size;
		int r = kctl_frame_next(p + off, len - off, max_frame, &f, &size);

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

	if (!buf || !kctl_frame_aligned(buf) || check_flags_aux(flags, aux) != 0)
		return -EINVAL;
	if (kctl_frame_room(cap) < KCTL_FRAME_HDR_LEN)
		return -EMSGSIZE;
	h->len = KCTL_FRAME_HDR_LEN;
	h->version = KCTL_FRAME_VERSION;
	h->flags = flags;
	h->type = type;
	h->seq = seq;
	h->aux = aux;
	return 0;
}

int kctl_frame_reserve(void *frame, size_t cap, size_t len, void **out)
{
	struct kctl_frame_hdr *h = kctl_frame_started(frame, cap);
	unsigned char *p = frame;

	if (!h || !out)
		return -EINVAL;
	if (len > kctl_frame_room(cap) - h->len)
		return -EMSGSIZE;
	memset(p + h->len, 0, len);
	*out = p + h->len;
	h->len += (uint32_t)len;
	return 0;
}

int kctl_frame_put(void *frame, size_t cap, const void *data, size_t len)
{
	void *dst;
	int r;

	if (!data && len > 0)
		return -EINVAL;
	r = kctl_frame_reserve(frame, cap, len, &dst);
	if (r == 0 && len > 0)
		memcpy(dst, data, len);
	return r;
}

int kctl_frame_finish(void *frame, size_t cap, size_t *wire)
{
	struct kctl_frame_hdr *h = kctl_frame_started(frame, cap);
	unsigned char *p = frame;
	size_t w;

	if (!h)
		return -EINVAL;
	w = KCTL_FRAME_WIRE_SIZE(h->len); /* <= room(cap), a multiple of 8 */
	memset(p + h->len, 0, w - h->len);
	if (wire)
		*wire = w;
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
