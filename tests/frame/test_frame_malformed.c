/*
 * test_frame_malformed.c - every malformed-frame class is rejected with its documented
 * errno (include/kctl_frame.h), on the stream decoder and on the DGRAM record check, and
 * nothing is read outside the buffer (run under ASan: the frames sit at the very end of
 * a heap block).
 */
#include <errno.h>
#include <stdlib.h>

#include "frame_testutil.h"

/* A valid request with 5 payload bytes (len 21, wire 24) to corrupt. */
static void good_frame(unsigned char buf[24])
{
	assert_int_equal(ft_frame(buf, 24, KCTL_FRAME_F_REQUEST, 1, 2, 0, 5, 'p'), 24);
}

/* Copies n bytes to the end of an exact-size heap block, so ASan catches any read past
 * them, and runs both decoders. Returns kctl_frame_next's result; *rec gets the record
 * check's. */
static int decode(const void *bytes, size_t n, uint32_t max_frame, int *rec)
{
	unsigned char *block = malloc(n ? n : 1);
	const struct kctl_frame_hdr *f = (const void *)0x1;
	size_t size = 0x55, count = 0x55;
	int r;

	assert_non_null(block);
	assert_true(((uintptr_t)block & 7) == 0);
	memcpy(block, bytes, n);
	r = kctl_frame_next(block, n, max_frame, &f, &size);
	if (r != 0 && r != -EAGAIN) {
		assert_ptr_equal(f, (const void *)0x1); /* out-params untouched on error */
		assert_int_equal(size, 0x55);
	}
	*rec = kctl_frame_check_record(block, n, max_frame, &count);
	if (*rec != 0)
		assert_int_equal(count, 0x55);
	free(block);
	return r;
}

static void fewer_bytes_than_a_header_are_incomplete_on_a_stream_and_truncated_in_a_record(
	void **state)
{
	FT_ALIGNED unsigned char buf[24];
	const struct kctl_frame_hdr *f;
	size_t size;
	int rec;

	(void)state;
	good_frame(buf);
	for (size_t n = 0; n < 16; n++) {
		assert_int_equal(decode(buf, n, 0, &rec), -EAGAIN);
		assert_int_equal(rec, -ENODATA);
		assert_int_equal(kctl_frame_next(buf, n, 0, &f, &size), -EAGAIN);
		assert_int_equal(size, 16);
	}
}

static void a_frame_cut_short_is_incomplete_on_a_stream_and_truncated_in_a_record(
	void **state)
{
	FT_ALIGNED unsigned char buf[24];
	const struct kctl_frame_hdr *f;
	size_t size;
	int rec;

	(void)state;
	good_frame(buf);
	/* 16..23 bytes: the header is there, the body or the padding is not */
	for (size_t n = 16; n < 24; n++) {
		assert_int_equal(decode(buf, n, 0, &rec), -EAGAIN);
		assert_int_equal(rec, -ENODATA);
		assert_int_equal(kctl_frame_next(buf, n, 0, &f, &size), -EAGAIN);
		assert_int_equal(size, 24);
	}
	assert_int_equal(decode(buf, 24, 0, &rec), 0);
	assert_int_equal(rec, 0);
}

static void a_record_with_a_partial_frame_after_good_ones_is_truncated(void **state)
{
	FT_ALIGNED unsigned char buf[48];
	int rec;

	(void)state;
	good_frame(buf);
	good_frame(buf + 24);
	for (size_t n = 25; n < 48; n++) {
		assert_int_equal(decode(buf, n, 0, &rec), 0); /* the first frame is fine */
		assert_int_equal(rec, -ENODATA);
	}
	assert_int_equal(decode(buf, 48, 0, &rec), 0);
	assert_int_equal(rec, 0);
}

static void an_empty_record_is_truncated(void **state)
{
	FT_ALIGNED unsigned char buf[8] = { 0 };

	(void)state;
	assert_int_equal(kctl_frame_check_record(buf, 0, 0, NULL), -ENODATA);
}

static void a_length_below_the_header_size_is_EBADMSG(void **state)
{
	FT_ALIGNED unsigned char buf[24];
	int rec;

	(void)state;
	for (uint32_t len = 0; len < 16; len++) {
		good_frame(buf);
		ft_hdr(buf)->len = len;
		assert_int_equal(decode(buf, 24, 0, &rec), -EBADMSG);
		assert_int_equal(rec, -EBADMSG);
	}
}

static void a_frame_above_max_frame_or_the_absolute_limit_is_EMSGSIZE(void **state)
{
	FT_ALIGNED unsigned char buf[24];
	const uint32_t lens[] = { KCTL_FRAME_MAX + 1, KCTL_FRAME_MAX + 8, 0x7FFFFFFF,
				  0xFFFFFFF9, 0xFFFFFFFF };
	int rec;

	(void)state;
	good_frame(buf);
	assert_int_equal(decode(buf, 24, 24, &rec), 0);
	assert_int_equal(decode(buf, 24, 23, &rec), -EMSGSIZE);
	assert_int_equal(rec, -EMSGSIZE);
	assert_int_equal(decode(buf, 24, 16, &rec), -EMSGSIZE);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		ft_hdr(buf)->len = lens[i];
		assert_int_equal(decode(buf, 24, 0, &rec), -EMSGSIZE);
		assert_int_equal(rec, -EMSGSIZE);
		assert_int_equal(decode(buf, 24, UINT32_MAX, &rec), -EMSGSIZE);
	}
	/* exactly the absolute limit is still acceptable (and incomplete here) */
	ft_hdr(buf)->len = KCTL_FRAME_MAX;
	assert_int_equal(decode(buf, 24, 0, &rec), -EAGAIN);
}

static void a_version_other_than_one_is_EPROTONOSUPPORT(void **state)
{
	FT_ALIGNED unsigned char buf[24];
	const uint8_t versions[] = { 0, 2, 3, 0x80, 0xFF };
	int rec;

	(void)state;
	for (size_t i = 0; i < sizeof(versions); i++) {
		good_frame(buf);
		ft_hdr(buf)->version = versions[i];
		assert_int_equal(decode(buf, 24, 0, &rec), -EPROTONOSUPPORT);
		assert_int_equal(rec, -EPROTONOSUPPORT);
		/* the version is judged first: a newer header may have another layout */
		ft_hdr(buf)->len = 3;
		assert_int_equal(decode(buf, 24, 0, &rec), -EPROTONOSUPPORT);
	}
}

static void each_reserved_flag_bit_is_ENOTSUP(void **state)
{
	FT_ALIGNED unsigned char buf[24];
	int rec;

	(void)state;
	for (unsigned bit = 0x20; bit <= 0x80; bit <<= 1) {
		good_frame(buf);
		ft_hdr(buf)->flags |= (uint8_t)bit;
		assert_int_equal(decode(buf, 24, 0, &rec), -ENOTSUP);
		assert_int_equal(rec, -ENOTSUP);
	}
}

static void contradictory_flags_are_EPROTO(void **state)
{
	FT_ALIGNED unsigned char buf[24];
	const uint8_t R = KCTL_FRAME_F_REQUEST, P = KCTL_FRAME_F_REPLY, E = KCTL_FRAME_F_ERROR,
		      V = KCTL_FRAME_F_EVENT, M = KCTL_FRAME_F_MORE;
	const uint8_t bad[] = {
		0,                 /* no kind */
		E, M, E | M,       /* modifiers alone */
		R | P, R | V, P | V, R | P | V, /* several kinds */
		R | E, V | E,      /* ERROR on a request or event */
		R | M, V | M,      /* MORE on a request or event */
		P | E | M,         /* an error reply is the last one */
	};
	int rec;

	(void)state;
	for (size_t i = 0; i < sizeof(bad); i++) {
		good_frame(buf);
		ft_hdr(buf)->flags = bad[i];
		ft_hdr(buf)->aux = (bad[i] & E) ? EINVAL : 0;
		assert_int_equal(decode(buf, 24, 0, &rec), -EPROTO);
		assert_int_equal(rec, -EPROTO);
	}
}

static void every_valid_flag_combination_is_accepted(void **state)
{
	FT_ALIGNED unsigned char buf[24];
	int accepted = 0, rec;

	(void)state;
	for (unsigned fl = 0; fl < 0x20; fl++) {
		good_frame(buf);
		ft_hdr(buf)->flags = (uint8_t)fl;
		ft_hdr(buf)->aux = (fl & KCTL_FRAME_F_ERROR) ? EIO : 0;
		if (decode(buf, 24, 0, &rec) == 0)
			accepted++;
	}
	/* REQUEST, EVENT, REPLY, REPLY|MORE, REPLY|ERROR */
	assert_int_equal(accepted, 5);
}

static void an_aux_out_of_range_for_the_frame_kind_is_ERANGE(void **state)
{
	FT_ALIGNED unsigned char buf[24];
	const struct {
		uint8_t flags;
		uint32_t aux;
		int want;
	} cases[] = {
		{ KCTL_FRAME_F_REQUEST, 1, -ERANGE },
		{ KCTL_FRAME_F_REPLY, 0x80000000u, -ERANGE },
		{ KCTL_FRAME_F_REPLY | KCTL_FRAME_F_MORE, 7, -ERANGE },
		{ KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, 0, -ERANGE },
		{ KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, KCTL_FRAME_ERRNO_MAX + 1, -ERANGE },
		{ KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, UINT32_MAX, -ERANGE },
		{ KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, 1, 0 },
		{ KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, KCTL_FRAME_ERRNO_MAX, 0 },
		{ KCTL_FRAME_F_EVENT, UINT32_MAX, 0 },
	};
	int rec;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		good_frame(buf);
		ft_hdr(buf)->flags = cases[i].flags;
		ft_hdr(buf)->aux = cases[i].aux;
		assert_int_equal(decode(buf, 24, 0, &rec), cases[i].want);
		assert_int_equal(rec, cases[i].want);
	}
}

static void a_nonzero_padding_byte_is_EILSEQ(void **state)
{
	FT_ALIGNED unsigned char buf[24];
	int rec;

	(void)state;
	for (size_t at = 21; at < 24; at++) {
		good_frame(buf);
		buf[at] = 0x01;
		assert_int_equal(decode(buf, 24, 0, &rec), -EILSEQ);
		assert_int_equal(rec, -EILSEQ);
	}
}

static void a_bad_frame_after_good_ones_fails_the_whole_record(void **state)
{
	FT_ALIGNED unsigned char buf[72];
	int rec;

	(void)state;
	good_frame(buf);
	good_frame(buf + 24);
	good_frame(buf + 48);
	ft_hdr(buf + 48)->version = 9;
	assert_int_equal(decode(buf, 72, 0, &rec), 0);
	assert_int_equal(rec, -EPROTONOSUPPORT);
}

static void bad_arguments_are_EINVAL(void **state)
{
	FT_ALIGNED unsigned char buf[32];
	const struct kctl_frame_hdr *f;
	size_t size;

	(void)state;
	good_frame(buf);
	assert_int_equal(kctl_frame_next(NULL, 24, 0, &f, &size), -EINVAL);
	assert_int_equal(kctl_frame_next(buf, 24, 0, NULL, &size), -EINVAL);
	assert_int_equal(kctl_frame_next(buf, 24, 0, &f, NULL), -EINVAL);
	for (size_t mis = 1; mis < 8; mis++)
		assert_int_equal(kctl_frame_next(buf + mis, 24, 0, &f, &size), -EINVAL);
	assert_int_equal(kctl_frame_check_record(NULL, 24, 0, NULL), -EINVAL);
	assert_int_equal(kctl_frame_check_record(buf + 4, 16, 0, NULL), -EINVAL);
	/* an empty buffer, even NULL, is just incomplete */
	assert_int_equal(kctl_frame_next(NULL, 0, 0, &f, &size), -EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			fewer_bytes_than_a_header_are_incomplete_on_a_stream_and_truncated_in_a_record),
		cmocka_unit_test(a_frame_cut_short_is_incomplete_on_a_stream_and_truncated_in_a_record),
		cmocka_unit_test(a_record_with_a_partial_frame_after_good_ones_is_truncated),
		cmocka_unit_test(an_empty_record_is_truncated),
		cmocka_unit_test(a_length_below_the_header_size_is_EBADMSG),
		cmocka_unit_test(a_frame_above_max_frame_or_the_absolute_limit_is_EMSGSIZE),
		cmocka_unit_test(a_version_other_than_one_is_EPROTONOSUPPORT),
		cmocka_unit_test(each_reserved_flag_bit_is_ENOTSUP),
		cmocka_unit_test(contradictory_flags_are_EPROTO),
		cmocka_unit_test(every_valid_flag_combination_is_accepted),
		cmocka_unit_test(an_aux_out_of_range_for_the_frame_kind_is_ERANGE),
		cmocka_unit_test(a_nonzero_padding_byte_is_EILSEQ),
		cmocka_unit_test(a_bad_frame_after_good_ones_fails_the_whole_record),
		cmocka_unit_test(bad_arguments_are_EINVAL),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
