/*
 * frame_int.h - helpers shared by frame.c and attr.c (not installed, not exported).
 * Static inline so that a kext linking the codec gains no extra global symbols.
 */
#ifndef KCTL_FRAME_INT_H
#define KCTL_FRAME_INT_H

#include <stddef.h>
#include <stdint.h>

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

#endif /* KCTL_FRAME_INT_H */
