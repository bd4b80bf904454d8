/*
 * test_frame_attr.c - typed payload attributes: every put/get round-trips, every get
 * checks the value's length, malformed regions are rejected with their errno, unknown
 * types are skipped, nothing is read outside the region (heap-exact copies under ASan).
 */
#include <errno.h>
#include <stdlib.h>

#include "frame_testutil.h"

enum { A_U8 = 1, A_U16, A_U32, A_U64, A_STR, A_BIN, A_EMPTY, A_NEST, A_UNKNOWN = 999 };

/* Decodes the single frame in buf and returns its payload region. */
static const void *payload_of(const void *buf, size_t wire, size_t *len)
{
	const struct kctl_frame_hdr *f;
	size_t size;

	assert_int_equal(kctl_frame_next(buf, wire, 0, &f, &size), 0);
	assert_int_equal(size, wire);
	*len = kctl_frame_payload_len(f);
	return kctl_frame_payload(f);
}

static void every_typed_attribute_round_trips(void **state)
{
	FT_ALIGNED unsigned char buf[256];
	const unsigned char bin[7] = { 1, 2, 3, 4, 5, 6, 7 };
	const struct kctl_attr *a;
	const void *pl;
	const char *s;
	size_t plen, wire, off = 0;
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put_u8(buf, sizeof(buf), A_U8, 0xAB), 0);
	assert_int_equal(kctl_attr_put_u16(buf, sizeof(buf), A_U16, 0xBEEF), 0);
	assert_int_equal(kctl_attr_put_u32(buf, sizeof(buf), A_U32, 0xDEADBEEF), 0);
	assert_int_equal(kctl_attr_put_u64(buf, sizeof(buf), A_U64, 0x0102030405060708ULL), 0);
	assert_int_equal(kctl_attr_put_str(buf, sizeof(buf), A_STR, "utun3"), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), A_BIN, bin, sizeof(bin)), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), A_EMPTY, NULL, 0), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	/* 8 + 8 + 8 + 12 + 12 (4+6 padded) + 12 (4+7 padded) + 4 */
	assert_int_equal(ft_hdr(buf)->len, 16 + 64);

	pl = payload_of(buf, wire, &plen);
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 1);
	assert_int_equal(kctl_attr_type(a), A_U8);
	assert_int_equal(kctl_attr_get_u8(a, &v8), 0);
	assert_int_equal(v8, 0xAB);
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 1);
	assert_int_equal(kctl_attr_get_u16(a, &v16), 0);
	assert_int_equal(v16, 0xBEEF);
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 1);
	assert_int_equal(kctl_attr_get_u32(a, &v32), 0);
	assert_int_equal(v32, 0xDEADBEEF);
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 1);
	assert_int_equal(kctl_attr_get_u64(a, &v64), 0);
	assert_true(v64 == 0x0102030405060708ULL);
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 1);
	assert_int_equal(kctl_attr_get_str(a, &s), 0);
	assert_string_equal(s, "utun3");
	assert_int_equal(kctl_attr_payload_len(a), 6);
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 1);
	assert_int_equal(kctl_attr_type(a), A_BIN);
	assert_int_equal(kctl_attr_payload_len(a), sizeof(bin));
	assert_memory_equal(kctl_attr_payload(a), bin, sizeof(bin));
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 1);
	assert_int_equal(kctl_attr_type(a), A_EMPTY);
	assert_int_equal(kctl_attr_payload_len(a), 0);
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 0);
	assert_int_equal(off, plen);
	assert_int_equal(kctl_attr_next(pl, plen, &off, &a), 0); /* stays at the end */
}

static void extreme_values_and_the_empty_string_round_trip(void **state)
{
	FT_ALIGNED unsigned char buf[128];
	const struct kctl_attr *a;
	const void *pl;
	const char *s;
	size_t plen, wire;
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_EVENT, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put_u8(buf, sizeof(buf), 0, UINT8_MAX), 0);
	assert_int_equal(kctl_attr_put_u16(buf, sizeof(buf), UINT16_MAX, UINT16_MAX), 0);
	assert_int_equal(kctl_attr_put_u32(buf, sizeof(buf), 5, 0), 0);
	assert_int_equal(kctl_attr_put_u64(buf, sizeof(buf), 6, UINT64_MAX), 0);
	assert_int_equal(kctl_attr_put_str(buf, sizeof(buf), 7, ""), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	pl = payload_of(buf, wire, &plen);

	assert_int_equal(kctl_attr_find(pl, plen, 0, &a), 0);
	assert_int_equal(kctl_attr_get_u8(a, &v8), 0);
	assert_int_equal(v8, UINT8_MAX);
	assert_int_equal(kctl_attr_find(pl, plen, UINT16_MAX, &a), 0);
	assert_int_equal(kctl_attr_get_u16(a, &v16), 0);
	assert_int_equal(v16, UINT16_MAX);
	assert_int_equal(kctl_attr_find(pl, plen, 5, &a), 0);
	assert_int_equal(kctl_attr_get_u32(a, &v32), 0);
	assert_int_equal(v32, 0);
	assert_int_equal(kctl_attr_find(pl, plen, 6, &a), 0);
	assert_int_equal(kctl_attr_get_u64(a, &v64), 0);
	assert_true(v64 == UINT64_MAX);
	assert_int_equal(kctl_attr_find(pl, plen, 7, &a), 0);
	assert_int_equal(kctl_attr_get_str(a, &s), 0);
	assert_string_equal(s, "");
	assert_int_equal(kctl_attr_find(pl, plen, 8, &a), -ENOENT);
}

static void a_typed_get_of_the_wrong_length_is_EBADMSG_and_leaves_the_value(void **state)
{
	FT_ALIGNED unsigned char buf[256];
	const struct kctl_attr *a;
	const void *pl;
	size_t plen, wire, off = 0;
	int r;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	for (size_t n = 0; n <= 9; n++)
		assert_int_equal(kctl_attr_put(buf, sizeof(buf), (uint16_t)n, "ABCDEFGHI", n), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	pl = payload_of(buf, wire, &plen);
	while ((r = kctl_attr_next(pl, plen, &off, &a)) > 0) {
		size_t n = kctl_attr_payload_len(a);
		uint8_t v8 = 0x11;
		uint16_t v16 = 0x1111;
		uint32_t v32 = 0x11111111;
		uint64_t v64 = 0x1111111111111111ULL;

		assert_int_equal(n, kctl_attr_type(a));
		assert_int_equal(kctl_attr_get_u8(a, &v8), n == 1 ? 0 : -EBADMSG);
		assert_int_equal(kctl_attr_get_u16(a, &v16), n == 2 ? 0 : -EBADMSG);
		assert_int_equal(kctl_attr_get_u32(a, &v32), n == 4 ? 0 : -EBADMSG);
		assert_int_equal(kctl_attr_get_u64(a, &v64), n == 8 ? 0 : -EBADMSG);
		if (n != 1)
			assert_int_equal(v8, 0x11);
		if (n != 2)
			assert_int_equal(v16, 0x1111);
		if (n != 4)
			assert_int_equal(v32, 0x11111111);
		if (n != 8)
			assert_true(v64 == 0x1111111111111111ULL);
	}
	assert_int_equal(r, 0);
	assert_int_equal(kctl_attr_get_u8(NULL, NULL), -EINVAL);
}

static void a_string_without_its_nul_or_with_one_inside_is_EBADMSG(void **state)
{
	FT_ALIGNED unsigned char buf[128];
	const struct kctl_attr *a;
	const void *pl;
	const char *s = "untouched";
	size_t plen, wire;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), 1, "abc", 3), 0);      /* no NUL */
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), 2, "ab\0cd", 6), 0);   /* NUL inside */
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), 3, NULL, 0), 0);       /* empty */
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), 4, "abcd", 4), 0);     /* pad follows */
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	pl = payload_of(buf, wire, &plen);
	for (uint16_t t = 1; t <= 4; t++) {
		assert_int_equal(kctl_attr_find(pl, plen, t, &a), 0);
		assert_int_equal(kctl_attr_get_str(a, &s), -EBADMSG);
		assert_string_equal(s, "untouched");
	}
}

static void put_str_refuses_null_and_strings_too_long_for_an_attribute(void **state)
{
	FT_ALIGNED static unsigned char buf[70000];
	static char big[KCTL_ATTR_PAYLOAD_MAX + 2];

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put_str(buf, sizeof(buf), 1, NULL), -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	assert_int_equal(kctl_attr_put_str(buf, sizeof(buf), 1, big), -EINVAL);
	big[KCTL_ATTR_PAYLOAD_MAX] = '\0'; /* one too long with its NUL */
	assert_int_equal(kctl_attr_put_str(buf, sizeof(buf), 1, big), -EINVAL);
	big[KCTL_ATTR_PAYLOAD_MAX - 1] = '\0'; /* just fits */
	assert_int_equal(kctl_attr_put_str(buf, sizeof(buf), 1, big), 0);
	assert_int_equal(ft_hdr(buf)->len, 16 + KCTL_ATTR_SPACE(KCTL_ATTR_PAYLOAD_MAX));
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), 1, big, KCTL_ATTR_PAYLOAD_MAX + 1),
			 -EINVAL);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), 1, NULL, 1), -EINVAL);
}

/* A reader built for version N of a message meets version N+1 with new attributes
 * interleaved: it reads what it knows and skips the rest. */
static void unknown_attribute_types_are_skipped_by_readers(void **state)
{
	FT_ALIGNED unsigned char buf[256];
	const struct kctl_attr *a;
	const void *pl;
	const char *name = NULL;
	size_t plen, wire, off = 0, unknown = 0;
	uint32_t mtu = 0;
	int r;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REPLY, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), A_UNKNOWN, "future", 6), 0);
	assert_int_equal(kctl_attr_put_u32(buf, sizeof(buf), A_U32, 1500), 0);
	assert_int_equal(kctl_attr_put_u64(buf, sizeof(buf), A_UNKNOWN + 1, 5), 0);
	assert_int_equal(kctl_attr_put_str(buf, sizeof(buf), A_STR, "en0"), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), A_UNKNOWN + 2, NULL, 0), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	pl = payload_of(buf, wire, &plen);

	while ((r = kctl_attr_next(pl, plen, &off, &a)) > 0) {
		switch (kctl_attr_type(a)) {
		case A_U32:
			assert_int_equal(kctl_attr_get_u32(a, &mtu), 0);
			break;
		case A_STR:
			assert_int_equal(kctl_attr_get_str(a, &name), 0);
			break;
		default:
			unknown++;
			break;
		}
	}
	assert_int_equal(r, 0);
	assert_int_equal(mtu, 1500);
	assert_string_equal(name, "en0");
	assert_int_equal(unknown, 3);
	assert_int_equal(kctl_attr_find(pl, plen, A_STR, &a), 0);
	assert_int_equal(kctl_attr_find(pl, plen, A_U64, &a), -ENOENT);
}

/* Runs kctl_attr_find over n bytes copied to the end of an exact-size heap block. */
static int find_in_exact_copy(const void *region, size_t n, uint16_t type)
{
	unsigned char *block = malloc(n ? n : 1);
	const struct kctl_attr *a = NULL;
	int r;

	assert_non_null(block);
	memcpy(block, region, n);
	r = kctl_attr_find(block, n, type, &a);
	free(block);
	return r;
}

static void a_truncated_attribute_is_ENODATA(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	const void *pl;
	size_t plen, wire;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put_u32(buf, sizeof(buf), A_U32, 7), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), A_BIN, "12345", 5), 0); /* 9, pad 3 */
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	pl = payload_of(buf, wire, &plen);
	assert_int_equal(plen, 20);
	assert_int_equal(find_in_exact_copy(pl, plen, A_U32), 0);
	/* every cut inside the second attribute: header, value or padding */
	for (size_t n = 9; n < 20; n++)
		assert_int_equal(find_in_exact_copy(pl, n, A_U32), -ENODATA);
	for (size_t n = 1; n < 8; n++)
		assert_int_equal(find_in_exact_copy(pl, n, A_U32), -ENODATA);
	assert_int_equal(find_in_exact_copy(pl, 8, A_U32), 0);
	assert_int_equal(find_in_exact_copy(pl, 0, A_U32), -ENOENT);
}

static void an_attribute_length_past_the_region_is_ENODATA_and_below_four_EBADMSG(
	void **state)
{
	FT_ALIGNED unsigned char buf[64];
	struct kctl_attr *a = (struct kctl_attr *)(void *)(buf + 16);
	const void *pl;
	size_t plen, wire;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put_u64(buf, sizeof(buf), A_U64, 7), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	pl = payload_of(buf, wire, &plen);
	assert_int_equal(plen, 12);
	for (uint16_t len = 0; len < 4; len++) {
		a->len = len;
		assert_int_equal(find_in_exact_copy(pl, plen, A_U64), -EBADMSG);
	}
	for (uint16_t len = 13; len < 40; len++) {
		a->len = len;
		assert_int_equal(find_in_exact_copy(pl, plen, A_U64), -ENODATA);
	}
	a->len = UINT16_MAX;
	assert_int_equal(find_in_exact_copy(pl, plen, A_U64), -ENODATA);
	/* len 9..11 would leave nonzero "padding" (value bytes of 7 are zero there, so
	 * make them nonzero first) */
	a->len = 9;
	buf[16 + 9] = 0xFF;
	assert_int_equal(find_in_exact_copy(pl, plen, A_U64), -EILSEQ);
}

static void a_nonzero_attribute_padding_byte_is_EILSEQ(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	const void *pl;
	size_t plen, wire;

	(void)state;
	for (size_t at = 5; at < 8; at++) {
		assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
		assert_int_equal(kctl_attr_put_u8(buf, sizeof(buf), A_U8, 1), 0);
		assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
		pl = payload_of(buf, wire, &plen);
		buf[16 + at] = 0x80;
		assert_int_equal(find_in_exact_copy(pl, plen, A_U8), -EILSEQ);
	}
}

static void iteration_refuses_bad_arguments_and_stops_at_the_first_damage(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	const struct kctl_attr *a = NULL;
	size_t off = 0;

	(void)state;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(kctl_attr_next(buf + 2, 8, &off, &a), -EINVAL);
	assert_int_equal(kctl_attr_next(NULL, 8, &off, &a), -EINVAL);
	assert_int_equal(kctl_attr_next(buf, 8, NULL, &a), -EINVAL);
	assert_int_equal(kctl_attr_next(buf, 8, &off, NULL), -EINVAL);
	off = 12;
	assert_int_equal(kctl_attr_next(buf, 8, &off, &a), -EINVAL);
	off = 2;
	assert_int_equal(kctl_attr_next(buf, 8, &off, &a), -EINVAL);
	off = 0;
	assert_int_equal(kctl_attr_next(NULL, 0, &off, &a), 0);
	/* all zeros: an attribute of len 0 */
	assert_int_equal(kctl_attr_next(buf, 8, &off, &a), -EBADMSG);
	assert_int_equal(off, 0);
	assert_null(a);
	assert_int_equal(kctl_attr_find(buf, 8, 1, NULL), -EINVAL);
}

static void an_attribute_after_an_odd_length_payload_starts_aligned_behind_zeros(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	const struct kctl_attr *a;
	const unsigned char *pl;
	size_t plen, wire;
	uint32_t v;

	(void)state;
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_frame_put(buf, sizeof(buf), "xyz", 3), 0); /* fixed header */
	assert_int_equal(kctl_attr_put_u32(buf, sizeof(buf), A_U32, 99), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	pl = payload_of(buf, wire, &plen);
	assert_int_equal(plen, 4 + 8);
	assert_int_equal(pl[3], 0);
	assert_int_equal(kctl_attr_find(pl + 4, plen - 4, A_U32, &a), 0);
	assert_int_equal(kctl_attr_get_u32(a, &v), 0);
	assert_int_equal(v, 99);
}

static void nested_attributes_round_trip_and_iterate_inside_their_parent(void **state)
{
	FT_ALIGNED unsigned char buf[256];
	const struct kctl_attr *a, *in;
	const void *pl;
	size_t plen, wire, nest, off = 0, n = 0;
	uint32_t v;
	int r;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REPLY, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put_u8(buf, sizeof(buf), A_U8, 1), 0);
	assert_int_equal(kctl_attr_nest_start(buf, sizeof(buf), A_NEST, &nest), 0);
	assert_int_equal(nest, 16 + 8);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(kctl_attr_put_u32(buf, sizeof(buf), A_U32, i * 10), 0);
	assert_int_equal(kctl_attr_nest_end(buf, sizeof(buf), nest), 0);
	assert_int_equal(kctl_attr_put_u8(buf, sizeof(buf), A_U8, 2), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);

	pl = payload_of(buf, wire, &plen);
	assert_int_equal(kctl_attr_find(pl, plen, A_NEST, &a), 0);
	assert_int_equal(kctl_attr_payload_len(a), 24);
	while ((r = kctl_attr_next(kctl_attr_payload(a), kctl_attr_payload_len(a), &off,
				   &in)) > 0) {
		assert_int_equal(kctl_attr_get_u32(in, &v), 0);
		assert_int_equal(v, n * 10);
		n++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(n, 3);
}

static void a_cancelled_nest_leaves_the_frame_as_before_it(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	size_t nest;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_put_u8(buf, sizeof(buf), A_U8, 1), 0);
	assert_int_equal(kctl_attr_nest_start(buf, sizeof(buf), A_NEST, &nest), 0);
	assert_int_equal(kctl_attr_put_u32(buf, sizeof(buf), A_U32, 1), 0);
	assert_int_equal(kctl_attr_nest_cancel(buf, sizeof(buf), nest), 0);
	assert_int_equal(ft_hdr(buf)->len, 24);
	/* offsets that are not an open nest are refused */
	assert_int_equal(kctl_attr_nest_end(buf, sizeof(buf), 16), -EINVAL); /* closed u8 */
	assert_int_equal(kctl_attr_nest_end(buf, sizeof(buf), 18), -EINVAL);
	assert_int_equal(kctl_attr_nest_end(buf, sizeof(buf), 8), -EINVAL);
	assert_int_equal(kctl_attr_nest_end(buf, sizeof(buf), 400), -EINVAL);
	assert_int_equal(kctl_attr_nest_start(buf, sizeof(buf), A_NEST, NULL), -EINVAL);
}

static void a_nest_grown_beyond_65535_bytes_cannot_be_closed(void **state)
{
	FT_ALIGNED static unsigned char buf[100000];
	static unsigned char big[40000];
	size_t nest;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_attr_nest_start(buf, sizeof(buf), A_NEST, &nest), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), A_BIN, big, 30000), 0);
	assert_int_equal(kctl_attr_nest_end(buf, sizeof(buf), nest), 0);
	assert_int_equal(kctl_attr_nest_start(buf, sizeof(buf), A_NEST, &nest), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), A_BIN, big, 33000), 0);
	assert_int_equal(kctl_attr_put(buf, sizeof(buf), A_BIN, big, 33000), 0);
	assert_int_equal(kctl_attr_nest_end(buf, sizeof(buf), nest), -EMSGSIZE);
	assert_int_equal(kctl_attr_nest_cancel(buf, sizeof(buf), nest), 0);
	assert_int_equal(ft_hdr(buf)->len, 16 + 4 + KCTL_ATTR_SPACE(30000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_typed_attribute_round_trips),
		cmocka_unit_test(extreme_values_and_the_empty_string_round_trip),
		cmocka_unit_test(a_typed_get_of_the_wrong_length_is_EBADMSG_and_leaves_the_value),
		cmocka_unit_test(a_string_without_its_nul_or_with_one_inside_is_EBADMSG),
		cmocka_unit_test(put_str_refuses_null_and_strings_too_long_for_an_attribute),
		cmocka_unit_test(unknown_attribute_types_are_skipped_by_readers),
		cmocka_unit_test(a_truncated_attribute_is_ENODATA),
		cmocka_unit_test(an_attribute_length_past_the_region_is_ENODATA_and_below_four_EBADMSG),
		cmocka_unit_test(a_nonzero_attribute_padding_byte_is_EILSEQ),
		cmocka_unit_test(iteration_refuses_bad_arguments_and_stops_at_the_first_damage),
		cmocka_unit_test(an_attribute_after_an_odd_length_payload_starts_aligned_behind_zeros),
		cmocka_unit_test(nested_attributes_round_trip_and_iterate_inside_their_parent),
		cmocka_unit_test(a_cancelled_nest_leaves_the_frame_as_before_it),
		cmocka_unit_test(a_nest_grown_beyond_65535_bytes_cannot_be_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
