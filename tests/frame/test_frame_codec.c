/*
 * test_frame_codec.c - the frame header codec: every frame kind round-trips through
 * start/put/finish and kctl_frame_next; encoding never writes past its capacity.
 */
#include <errno.h>

#include "frame_testutil.h"

#define GUARD 64
#define GUARD_BYTE 0xA5

static void decode_one(const void *buf, size_t wire, const struct kctl_frame_hdr **f)
{
	size_t size = 0;

	assert_int_equal(kctl_frame_next(buf, wire, 0, f, &size), 0);
	assert_ptr_equal(*f, buf);
	assert_int_equal(size, wire);
	assert_int_equal(kctl_frame_check_record(buf, wire, 0, &size), 0);
	assert_int_equal(size, 1);
}

static void a_request_round_trips_with_its_type_seq_and_payload(void **state)
{
	FT_ALIGNED unsigned char buf[128];
	const struct kctl_frame_hdr *f;
	const char msg[] = "hello kext";
	size_t wire = 0;

	(void)state;
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 0x1234,
					  77, 0), 0);
	assert_int_equal(kctl_frame_put(buf, sizeof(buf), msg, sizeof(msg)), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	assert_int_equal(wire, 32); /* 16 + 11 = 27, padded to 32 */
	for (size_t i = 27; i < 32; i++)
		assert_int_equal(buf[i], 0);

	decode_one(buf, wire, &f);
	assert_int_equal(f->len, 27);
	assert_int_equal(f->version, KCTL_FRAME_VERSION);
	assert_int_equal(f->flags, KCTL_FRAME_F_REQUEST);
	assert_int_equal(f->type, 0x1234);
	assert_int_equal(f->seq, 77);
	assert_int_equal(f->aux, 0);
	assert_int_equal(kctl_frame_payload_len(f), sizeof(msg));
	assert_ptr_equal(kctl_frame_payload(f), buf + 16);
	assert_memory_equal(kctl_frame_payload(f), msg, sizeof(msg));
	assert_int_equal(kctl_frame_error(f), 0);
}

static void the_header_is_laid_out_byte_by_byte_as_documented(void **state)
{
	FT_ALIGNED unsigned char buf[16];
	uint32_t u32;
	uint16_t u16;

	(void)state;
	assert_int_equal(sizeof(struct kctl_frame_hdr), 16);
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_EVENT, 0xBEEF,
					  0x01020304, 0xA0B0C0D0), 0);
	memcpy(&u32, buf + 0, 4);
	assert_int_equal(u32, 16);
	assert_int_equal(buf[4], 1);
	assert_int_equal(buf[5], KCTL_FRAME_F_EVENT);
	memcpy(&u16, buf + 6, 2);
	assert_int_equal(u16, 0xBEEF);
	memcpy(&u32, buf + 8, 4);
	assert_int_equal(u32, 0x01020304);
	memcpy(&u32, buf + 12, 4);
	assert_int_equal(u32, 0xA0B0C0D0);
}

static void a_reply_round_trips_and_is_not_an_error(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	const struct kctl_frame_hdr *f;
	size_t wire;

	(void)state;
	wire = ft_frame(buf, sizeof(buf), KCTL_FRAME_F_REPLY, 9, 1000, 0, 8, 'a');
	assert_int_equal(wire, 24);
	decode_one(buf, wire, &f);
	assert_int_equal(f->flags, KCTL_FRAME_F_REPLY);
	assert_int_equal(f->seq, 1000);
	assert_int_equal(kctl_frame_payload_len(f), 8);
	assert_memory_equal(kctl_frame_payload(f), "abcdefgh", 8);
	assert_int_equal(kctl_frame_error(f), 0);
}

static void an_error_reply_gives_the_caller_minus_errno(void **state)
{
	FT_ALIGNED unsigned char buf[32];
	const struct kctl_frame_hdr *f;
	size_t wire = 0;

	(void)state;
	assert_int_equal(kctl_frame_put_error(buf, sizeof(buf), 5, 42, EINVAL, &wire), 0);
	assert_int_equal(wire, 16);
	decode_one(buf, wire, &f);
	assert_int_equal(f->flags, KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR);
	assert_int_equal(f->type, 5);
	assert_int_equal(f->seq, 42);
	assert_int_equal(f->aux, EINVAL);
	assert_int_equal(kctl_frame_payload_len(f), 0);
	assert_int_equal(kctl_frame_error(f), -EINVAL);

	/* a negative errno is accepted too, and the largest one */
	assert_int_equal(kctl_frame_put_error(buf, sizeof(buf), 5, 43, -ENOENT, NULL), 0);
	decode_one(buf, 16, &f);
	assert_int_equal(kctl_frame_error(f), -ENOENT);
	assert_int_equal(kctl_frame_put_error(buf, sizeof(buf), 5, 44,
					      (int)KCTL_FRAME_ERRNO_MAX, NULL), 0);
	decode_one(buf, 16, &f);
	assert_int_equal(kctl_frame_error(f), -(int)KCTL_FRAME_ERRNO_MAX);
}

static void an_error_reply_may_carry_a_payload(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	const struct kctl_frame_hdr *f;
	size_t wire = 0;

	(void)state;
	assert_int_equal(kctl_frame_start(buf, sizeof(buf),
					  KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, 3, 8, EPERM), 0);
	assert_int_equal(kctl_attr_put_str(buf, sizeof(buf), 1, "not root"), 0);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), &wire), 0);
	decode_one(buf, wire, &f);
	assert_int_equal(kctl_frame_error(f), -EPERM);
	assert_int_equal(kctl_frame_payload_len(f), 4 + 12);
}

static void put_error_refuses_errno_zero_and_out_of_range(void **state)
{
	FT_ALIGNED unsigned char buf[32];

	(void)state;
	memset(buf, 0x5A, sizeof(buf));
	assert_int_equal(kctl_frame_put_error(buf, sizeof(buf), 1, 1, 0, NULL), -EINVAL);
	assert_int_equal(kctl_frame_put_error(buf, sizeof(buf), 1, 1,
					      (int)KCTL_FRAME_ERRNO_MAX + 1, NULL), -EINVAL);
	assert_int_equal(kctl_frame_put_error(buf, sizeof(buf), 1, 1,
					      -(int)KCTL_FRAME_ERRNO_MAX - 1, NULL), -EINVAL);
	assert_int_equal(kctl_frame_put_error(buf, 15, 1, 1, EIO, NULL), -EMSGSIZE);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0x5A);
}

static void an_event_carries_its_drop_count_up_to_the_saturated_maximum(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	const struct kctl_frame_hdr *f;
	const uint32_t drops[] = { 0, 1, 12345, UINT32_MAX };
	size_t wire;

	(void)state;
	for (size_t i = 0; i < sizeof(drops) / sizeof(drops[0]); i++) {
		wire = ft_frame(buf, sizeof(buf), KCTL_FRAME_F_EVENT, 7, (uint32_t)i, drops[i],
				3, 'x');
		decode_one(buf, wire, &f);
		assert_int_equal(f->flags, KCTL_FRAME_F_EVENT);
		assert_int_equal(f->aux, drops[i]);
		assert_int_equal(kctl_frame_error(f), 0);
	}
}

static void a_multi_part_reply_decodes_back_to_back_with_more_on_all_but_the_last(void **state)
{
	FT_ALIGNED unsigned char buf[256];
	const struct kctl_frame_hdr *f;
	size_t off = 0, size, count = 0;

	(void)state;
	for (int i = 0; i < 4; i++) {
		uint8_t fl = KCTL_FRAME_F_REPLY | (i < 3 ? KCTL_FRAME_F_MORE : 0);

		off += ft_frame(buf + off, sizeof(buf) - off, fl, 2, 99, 0, (size_t)i * 5, 'm');
	}
	assert_int_equal(kctl_frame_check_record(buf, off, 0, &count), 0);
	assert_int_equal(count, 4);
	for (size_t at = 0, i = 0; at < off; at += size, i++) {
		assert_int_equal(kctl_frame_next(buf + at, off - at, 0, &f, &size), 0);
		assert_int_equal(f->seq, 99);
		assert_int_equal(kctl_frame_payload_len(f), i * 5);
		assert_int_equal(!!(f->flags & KCTL_FRAME_F_MORE), i < 3);
		assert_int_equal(at % KCTL_FRAME_ALIGN, 0);
	}
}

static void start_refuses_flags_and_aux_that_would_not_decode(void **state)
{
	FT_ALIGNED unsigned char buf[32];
	const struct {
		uint8_t flags;
		uint32_t aux;
	} bad[] = {
		{ 0, 0 },
		{ KCTL_FRAME_F_REQUEST | KCTL_FRAME_F_REPLY, 0 },
		{ KCTL_FRAME_F_ERROR, EIO },
		{ KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR | KCTL_FRAME_F_MORE, EIO },
		{ KCTL_FRAME_F_REQUEST | KCTL_FRAME_F_MORE, 0 },
		{ KCTL_FRAME_F_REQUEST | 0x20, 0 },
		{ KCTL_FRAME_F_REQUEST, 1 },
		{ KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR, 0 },
	};

	(void)state;
	memset(buf, 0x5A, sizeof(buf));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kctl_frame_start(buf, sizeof(buf), bad[i].flags, 1, 1, bad[i].aux),
				 -EINVAL);
	assert_int_equal(kctl_frame_start(NULL, 32, KCTL_FRAME_F_REQUEST, 1, 1, 0), -EINVAL);
	assert_int_equal(kctl_frame_start(buf + 4, 16, KCTL_FRAME_F_REQUEST, 1, 1, 0), -EINVAL);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0x5A);
}

static void builder_calls_on_a_frame_never_started_are_refused(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	void *p;

	(void)state;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(kctl_frame_put(buf, sizeof(buf), "x", 1), -EINVAL);
	assert_int_equal(kctl_frame_reserve(buf, sizeof(buf), 1, &p), -EINVAL);
	assert_int_equal(kctl_frame_finish(buf, sizeof(buf), NULL), -EINVAL);
	assert_int_equal(kctl_attr_put_u8(buf, sizeof(buf), 1, 1), -EINVAL);
	/* a started frame with cap shrunk below its len is refused too */
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0), 0);
	assert_int_equal(kctl_frame_put(buf, sizeof(buf), "0123456789", 10), 0);
	assert_int_equal(kctl_frame_finish(buf, 24, NULL), -EINVAL);
	assert_int_equal(kctl_frame_put(buf, sizeof(buf), NULL, 1), -EINVAL);
	assert_int_equal(kctl_frame_put(buf, sizeof(buf), NULL, 0), 0);
}

/* Builds the same frame (20 payload bytes: wire 40) into every capacity from 0 to 48
 * with a guard region after cap: success exactly from cap 40, never a byte written at or
 * beyond cap, and a failed step leaves the frame as it was. */
static void encoding_never_writes_beyond_cap_and_fails_cleanly_one_byte_short(void **state)
{
	FT_ALIGNED unsigned char buf[48 + GUARD];
	FT_ALIGNED unsigned char before[48 + GUARD];
	const unsigned char data[20] = "abcdefghijklmnopqrs";

	(void)state;
	for (size_t cap = 0; cap <= 48; cap++) {
		size_t wire = 0;
		int r;

		memset(buf, GUARD_BYTE, sizeof(buf));
		r = kctl_frame_start(buf, cap, KCTL_FRAME_F_REQUEST, 1, 2, 0);
		if (cap < 16) {
			assert_int_equal(r, -EMSGSIZE);
		} else {
			assert_int_equal(r, 0);
			memcpy(before, buf, sizeof(buf));
			r = kctl_frame_put(buf, cap, data, sizeof(data));
			if (cap < 40) {
				assert_int_equal(r, -EMSGSIZE);
				assert_memory_equal(buf, before, sizeof(buf));
			} else {
				assert_int_equal(r, 0);
			}
			assert_int_equal(kctl_frame_finish(buf, cap, &wire), 0);
			assert_int_equal(wire, cap < 40 ? 16 : 40);
		}
		for (size_t i = wire; i < sizeof(buf); i++) /* wire <= cap */
			assert_int_equal(buf[i], GUARD_BYTE);
	}
}

static void attribute_puts_never_write_beyond_cap(void **state)
{
	FT_ALIGNED unsigned char buf[64 + GUARD];

	(void)state;
	/* frame 16 + u64 attribute (12) = 28, wire 32: fits from cap 32 */
	for (size_t cap = 16; cap <= 64; cap++) {
		int r;

		memset(buf, GUARD_BYTE, sizeof(buf));
		assert_int_equal(kctl_frame_start(buf, cap, KCTL_FRAME_F_EVENT, 1, 2, 0), 0);
		r = kctl_attr_put_u64(buf, cap, 3, 0x1122334455667788ULL);
		assert_int_equal(r, cap < 32 ? -EMSGSIZE : 0);
		assert_int_equal(ft_hdr(buf)->len, cap < 32 ? 16 : 28);
		assert_int_equal(kctl_frame_finish(buf, cap, NULL), 0);
		for (size_t i = cap < 32 ? 16 : 32; i < sizeof(buf); i++)
			assert_int_equal(buf[i], GUARD_BYTE);
	}
}

static void frames_can_be_built_back_to_back_and_validated_as_one_record(void **state)
{
	FT_ALIGNED unsigned char buf[512];
	size_t off = 0, count = 0;

	(void)state;
	off += ft_frame(buf + off, sizeof(buf) - off, KCTL_FRAME_F_REQUEST, 1, 1, 0, 1, 'a');
	off += ft_frame(buf + off, sizeof(buf) - off, KCTL_FRAME_F_EVENT, 2, 0, 3, 0, 'b');
	assert_int_equal(kctl_frame_put_error(buf + off, sizeof(buf) - off, 3, 1, EAGAIN, NULL), 0);
	off += 16;
	off += ft_frame(buf + off, sizeof(buf) - off, KCTL_FRAME_F_REPLY, 4, 1, 0, 100, 'c');
	assert_int_equal(kctl_frame_check_record(buf, off, 0, &count), 0);
	assert_int_equal(count, 4);
	assert_int_equal(kctl_frame_check_record(buf, off, 0, NULL), 0);
}

static void max_frame_applies_to_the_wire_size_including_padding(void **state)
{
	FT_ALIGNED unsigned char buf[64];
	const struct kctl_frame_hdr *f;
	size_t wire, size;

	(void)state;
	wire = ft_frame(buf, sizeof(buf), KCTL_FRAME_F_REQUEST, 1, 1, 0, 17, 'q'); /* len 33 */
	assert_int_equal(wire, 40);
	assert_int_equal(kctl_frame_next(buf, wire, 40, &f, &size), 0);
	assert_int_equal(kctl_frame_next(buf, wire, 39, &f, &size), -EMSGSIZE);
	assert_int_equal(kctl_frame_next(buf, wire, 33, &f, &size), -EMSGSIZE);
	assert_int_equal(kctl_frame_next(buf, wire, UINT32_MAX, &f, &size), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_request_round_trips_with_its_type_seq_and_payload),
		cmocka_unit_test(the_header_is_laid_out_byte_by_byte_as_documented),
		cmocka_unit_test(a_reply_round_trips_and_is_not_an_error),
		cmocka_unit_test(an_error_reply_gives_the_caller_minus_errno),
		cmocka_unit_test(an_error_reply_may_carry_a_payload),
		cmocka_unit_test(put_error_refuses_errno_zero_and_out_of_range),
		cmocka_unit_test(an_event_carries_its_drop_count_up_to_the_saturated_maximum),
		cmocka_unit_test(a_multi_part_reply_decodes_back_to_back_with_more_on_all_but_the_last),
		cmocka_unit_test(start_refuses_flags_and_aux_that_would_not_decode),
		cmocka_unit_test(builder_calls_on_a_frame_never_started_are_refused),
		cmocka_unit_test(encoding_never_writes_beyond_cap_and_fails_cleanly_one_byte_short),
		cmocka_unit_test(attribute_puts_never_write_beyond_cap),
		cmocka_unit_test(frames_can_be_built_back_to_back_and_validated_as_one_record),
		cmocka_unit_test(max_frame_applies_to_the_wire_size_including_padding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
