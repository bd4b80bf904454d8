/*
 * frame_int.h - helpers shared by frame.c and attr.c (not installed, not exported).
 * Static inline so that a kext linking the codec gains no extra global symbols.
 */
#ifndef KCTL_FRAME_INT_H
#define KCTL_FRAME_INT_H

#include <stddef.h>
#include <stdint.h>

#ifdef KERNEL
#include <sys/errno.h>
#include <string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "kctl_frame.h"

/* Frames and frame buffers must start on an 8-byte boundary (NULL counts as aligned). */
static inline int kctl_frame_aligned(const void *p)
{
	return ((uintptr_t)p & (KCTL_FRAME_ALIGN - 1u)) == 0;
}

/* How many bytes a frame may occupy in cap bytes: cap, at most KCTL_FRAME_MAX, rounded
 * down to 8. A frame whose len fits in this also fits once padded. */
static inline size_t kctl_frame_room(size_t cap)
{
	if (cap > KCTL_FRAME_MAX)
		cap = KCTL_FRAME_MAX;
	return cap & ~(size_t)(KCTL_FRAME_ALIGN - 1u);
}

/* The header of a frame being built in frame[0..cap), or NULL if it does not look like
 * one kctl_frame_start() wrote (NULL, misaligned, wrong version, len out of range). */
static inline struct kctl_frame_hdr *kctl_frame_started(void *frame, size_t cap)
{
	struct kctl_frame_hdr *h = frame;

	if (!frame || !kctl_frame_aligned(frame))
		return NULL;
	if (kctl_frame_room(cap) < KCTL_FRAME_HDR_LEN || h->version != KCTL_FRAME_VERSION ||
	    h->len < KCTL_FRAME_HDR_LEN || h->len > kctl_frame_room(cap))
		return NULL;
	return h;
}

/*
 * The rule of the low five flag bits (the reserved ones are checked first): which
 * combinations are frames, and what each says of aux. Indexed by flags & 0x1F.
 */
enum { KCTL_FR_BAD = 0, KCTL_FR_AUX0 = 1, KCTL_FR_ERRNO = 2, KCTL_FR_ANY = 3 };
static const unsigned char kctl_frame_flag_rule[32] = {
	[KCTL_FRAME_F_REQUEST] = KCTL_FR_AUX0,
	[KCTL_FRAME_F_REPLY] = KCTL_FR_AUX0,
	[KCTL_FRAME_F_REPLY | KCTL_FRAME_F_MORE] = KCTL_FR_AUX0,
	[KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR] = KCTL_FR_ERRNO,
	[KCTL_FRAME_F_EVENT] = KCTL_FR_ANY,
};

/*
 * Flags and aux of a header: 0, -ENOTSUP (a reserved bit), -EPROTO (not exactly one
 * kind, ERROR or MORE without REPLY, ERROR with MORE) or -ERANGE (aux out of range for
 * the kind), in that order: a table lookup, no branch per rule.
 */
static inline int kctl_frame_flags_check(uint8_t flags, uint32_t aux)
{
	unsigned rule;

	if (flags & KCTL_FRAME_F_RESERVED)
		return -ENOTSUP;
	rule = kctl_frame_flag_rule[flags & 0x1Fu];
	if (rule == KCTL_FR_AUX0)
		return aux ? -ERANGE : 0;
	if (rule == KCTL_FR_ANY)
		return 0;
	if (rule == KCTL_FR_ERRNO)
		return aux - 1u < KCTL_FRAME_ERRNO_MAX ? 0 : -ERANGE;
	return -EPROTO;
}

/* Byte masks in memory order: the first k bytes of a word kept (k = 0..7). */
static const unsigned char kctl_frame_keep[8][8] = {
	{ 0 },
	{ 0xFF },
	{ 0xFF, 0xFF },
	{ 0xFF, 0xFF, 0xFF },
	{ 0xFF, 0xFF, 0xFF, 0xFF },
	{ 0xFF, 0xFF, 0xFF, 0xFF, 0xFF },
	{ 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF },
	{ 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF },
};

/*
 * The padding of a frame of length len at p (8-aligned; its last word readable): 1 if
 * the bytes from len to the next multiple of 8 are zero. One word, whatever the byte
 * order, instead of a loop.
 */
static inline int kctl_frame_pad_zero(const unsigned char *p, uint32_t len)
{
	uint32_t keep = len & (KCTL_FRAME_ALIGN - 1u);
	uint64_t word, mask;

	if (keep == 0)
		return 1;
	memcpy(&word, p + (len - keep), sizeof(word));
	memcpy(&mask, kctl_frame_keep[keep], sizeof(mask));
	return (word & ~mask) == 0;
}

/* Writes the zero padding of a frame of length len at p (its last word writable). */
static inline void kctl_frame_pad_write(unsigned char *p, uint32_t len)
{
	uint32_t keep = len & (KCTL_FRAME_ALIGN - 1u);
	uint64_t word, mask;

	if (keep == 0)
		return;
	memcpy(&word, p + (len - keep), sizeof(word));
	memcpy(&mask, kctl_frame_keep[keep], sizeof(mask));
	word &= mask;
	memcpy(p + (len - keep), &word, sizeof(word));
}

/* max_frame as the decoder applies it: 0 or above KCTL_FRAME_MAX is KCTL_FRAME_MAX. */
static inline size_t kctl_frame_limit(uint32_t max_frame)
{
	return max_frame == 0 || max_frame > KCTL_FRAME_MAX ? KCTL_FRAME_MAX : max_frame;
}

/*
 * The decoder proper, for callers whose arguments are known good (buf 8-aligned, limit
 * from kctl_frame_limit): kctl_frame_next()'s checks in its order, *size set as it
 * sets it. Inline, so libkctl's receive path validates without a call.
 */
static inline int kctl_frame_decode(const void *buf, size_t len, size_t limit, size_t *size)
{
	const struct kctl_frame_hdr *h = buf;
	size_t wire;
	int r;

	if (len < KCTL_FRAME_HDR_LEN) {
		*size = KCTL_FRAME_HDR_LEN;
		return -EAGAIN;
	}
	if (h->version != KCTL_FRAME_VERSION)
		return -EPROTONOSUPPORT;
	if (h->len < KCTL_FRAME_HDR_LEN)
		return -EBADMSG;
	/* h->len <= UINT32_MAX: the rounding cannot overflow a 64-bit size_t; on a 32-bit
	 * one, the comparison of len itself comes first */
	if (h->len > limit)
		return -EMSGSIZE;
	wire = KCTL_FRAME_WIRE_SIZE(h->len);
	if (wire > limit)
		return -EMSGSIZE;
	r = kctl_frame_flags_check(h->flags, h->aux);
	if (r)
		return r;
	if (len < wire) {
		*size = wire;
		return -EAGAIN;
	}
	if (!kctl_frame_pad_zero(buf, h->len))
		return -EILSEQ;
	*size = wire;
	return 0;
}

#endif /* KCTL_FRAME_INT_H */
