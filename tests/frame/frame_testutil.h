/* frame_testutil.h - helpers shared by the frame codec suites (header-only). */
#ifndef KCTL_FRAME_TESTUTIL_H
#define KCTL_FRAME_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kctl_frame.h"

/* An 8-byte aligned scratch buffer. */
#define FT_ALIGNED _Alignas(8)

/* The header at p (p must be 8-byte aligned). */
static inline struct kctl_frame_hdr *ft_hdr(void *p)
{
	return (struct kctl_frame_hdr *)p;
}

/* Deterministic PRNG (xorshift64*), so a failing seed can be replayed. */
static inline uint64_t ft_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* A uniformly-ish random number in [0, n) (n > 0). */
static inline size_t ft_below(uint64_t *s, size_t n)
{
	return (size_t)(ft_rand(s) % n);
}

/* Writes a complete frame with `plen` payload bytes of pattern into buf (cap bytes);
 * returns its wire size and fails the test on any error. */
static inline size_t ft_frame(void *buf, size_t cap, uint8_t flags, uint16_t type,
			      uint32_t seq, uint32_t aux, size_t plen, unsigned char pattern)
{
	void *dst;
	size_t wire = 0;

	assert_int_equal(kctl_frame_start(buf, cap, flags, type, seq, aux), 0);
	assert_int_equal(kctl_frame_reserve(buf, cap, plen, &dst), 0);
	for (size_t i = 0; i < plen; i++)
		((unsigned char *)dst)[i] = (unsigned char)(pattern + i);
	assert_int_equal(kctl_frame_finish(buf, cap, &wire), 0);
	assert_int_equal(wire, KCTL_FRAME_WIRE_SIZE(KCTL_FRAME_HDR_LEN + plen));
	return wire;
}

#endif
