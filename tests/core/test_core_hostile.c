/* A hostile or broken kernel: every answer that claims more than was asked for, or
 * less than a typed option needs, is an error and never an overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_kernel.h"
#include "handle.h"

FAKE_KERNEL_FIXTURE
static kctl_t *h;

static int setup(void **state)
{
	fk_setup(state);
	return kctl_open_id(&fb, 3, 0, 0, &h);
}

static int teardown(void **state)
{
	(void)state;
	return kctl_close(h);
}

static void a_receive_claiming_more_bytes_than_the_buffer_is_rejected(void **state)
{
	char buf[8];
	size_t got = 1234;

	(void)state;
	fk.recv_claim = 9;
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), -EPROTO);
	assert_int_equal(got, 1234);
}

static void a_send_claiming_more_bytes_than_given_is_rejected(void **state)
{
	size_t sent = 0;

	(void)state;
	fk.send_claim = 100;
	assert_int_equal(kctl_send(h, "abc", 3, &sent), -EPROTO);
	assert_int_equal(sent, 0);
}

static void a_stream_send_that_makes_no_progress_fails_instead_of_spinning(void **state)
{
	kctl_t *s = NULL;
	size_t sent = 5;

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 3, 0, KCTL_OPEN_STREAM, &s), 0);
	fk.send_zero = 1;
	assert_int_equal(kctl_send(s, "abcd", 4, &sent), -EPROTO);
	assert_int_equal(sent, 0);
	assert_int_equal(fk.calls[FK_SEND], 1);
	kctl_close(s);
}

static void a_stream_send_taken_in_pieces_goes_on_until_every_byte_is_sent(void **state)
{
	kctl_t *s = NULL;
	size_t sent = 0;

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 3, 0, KCTL_OPEN_STREAM, &s), 0);
	fk.send_claim = 1;
	assert_int_equal(kctl_send(s, "abcd", 4, &sent), 0);
	assert_int_equal(sent, 4);
	assert_int_equal(fk.calls[FK_SEND], 4);
	kctl_close(s);
}

/* A kernel that says EAGAIN but took part: the rest follows, the taken part never again. */
static void a_stream_send_that_would_block_after_taking_part_sends_only_the_rest(void **state)
{
	kctl_t *s = NULL;
	size_t sent = 0;

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 3, 0, KCTL_OPEN_STREAM, &s), 0);
	fk.fail_call = FK_SEND;
	fk.fail_err = -EAGAIN;
	fk.fail_sent = 2;
	assert_int_equal(kctl_send(s, "abcdef", 6, &sent), 0);
	assert_int_equal(sent, 6);
	assert_int_equal(fk.calls[FK_SEND], 2);
	assert_int_equal(fk.send_offered[0], 6);
	assert_int_equal(fk.send_offered[1], 4);
	kctl_close(s);
}

/* A failing send's own count is kept: the caller must resend only what did not go. */
static void a_failing_stream_send_reports_what_the_kernel_took(void **state)
{
	kctl_t *s = NULL;
	size_t sent = 0;

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 3, 0, KCTL_OPEN_STREAM, &s), 0);
	fk.fail_call = FK_SEND;
	fk.fail_err = -ENOBUFS;
	fk.fail_sent = 2;
	assert_int_equal(kctl_send(s, "abcdef", 6, &sent), -ENOBUFS);
	assert_int_equal(sent, 2);
	fk.fail_call = FK_SEND;
	fk.fail_err = -ENOBUFS;
	fk.fail_sent = 7; /* more than was offered: a lie, refused */
	assert_int_equal(kctl_send(s, "abcdef", 6, &sent), -EPROTO);
	kctl_close(s);
}

static void a_getsockopt_claiming_more_than_the_buffer_is_an_overflow_error(void **state)
{
	unsigned char buf[16];
	size_t len = 77;

	(void)state;
	fk.getopt_claim = 17;
	assert_int_equal(kctl_getopt(h, 1, buf, sizeof(buf), &len), -EOVERFLOW);
	assert_int_equal(len, 77);
}

static void a_u32_option_answered_with_two_bytes_is_bad_and_leaves_the_value(void **state)
{
	uint32_t v = 0xdeadbeef;
	uint64_t w = 5;

	(void)state;
	fk.getopt_claim = 2;
	assert_int_equal(kctl_get_u32(h, 1, &v), -EBADMSG);
	assert_int_equal(v, 0xdeadbeef);
	fk.getopt_claim = 4;
	assert_int_equal(kctl_get_u64(h, 1, &w), -EBADMSG);
	assert_int_equal(w, 5);
	fk.getopt_fill = 0x11;
	assert_int_equal(kctl_get_u32(h, 1, &v), 0);
	assert_int_equal(v, 0x11111111);
}

static void a_string_option_that_fills_the_buffer_without_nul_is_too_long(void **state)
{
	char buf[6];

	(void)state;
	fk.getopt_fill = 'x';
	fk.getopt_claim = 6;
	assert_int_equal(kctl_get_str(h, 2, buf, sizeof(buf)), -EMSGSIZE);
	assert_string_equal(buf, "");
	fk.getopt_claim = 5;
	assert_int_equal(kctl_get_str(h, 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "xxxxx");
}

static void a_string_option_with_bytes_after_its_nul_is_malformed(void **state)
{
	char buf[8];

	(void)state;
	fk.getopt_bytes = "ab\0cd";
	fk.getopt_nbytes = 5;
	fk.getopt_claim = 5;
	assert_int_equal(kctl_get_str(h, 2, buf, sizeof(buf)), -EBADMSG);
	assert_string_equal(buf, "");
	fk.getopt_bytes = "ab\0\0";
	fk.getopt_nbytes = 4;
	fk.getopt_claim = 4;
	assert_int_equal(kctl_get_str(h, 2, buf, sizeof(buf)), 0); /* NUL padding is fine */
	assert_string_equal(buf, "ab");
	assert_int_equal(kctl_get_str(h, 2, NULL, 4), -EINVAL);
	assert_int_equal(kctl_get_str(h, 2, buf, 0), -EINVAL);
}

static void an_oversized_option_is_refused_before_any_syscall(void **state)
{
	static unsigned char big[KCTL_OPT_MAX + 1];

	(void)state;
	assert_int_equal(kctl_setopt(h, 1, big, sizeof(big)), -EMSGSIZE);
	assert_int_equal(kctl_setopt(h, 1, NULL, 4), -EINVAL);
	assert_int_equal(fk.calls[FK_SETOPT], 1); /* only the SO_NOSIGPIPE of the open */
}

static void typed_setters_send_exactly_the_value_bytes(void **state)
{
	uint64_t v64 = 0x0102030405060708ULL;
	uint32_t v32 = 0xa1b2c3d4;

	(void)state;
	assert_int_equal(kctl_set_u32(h, 1, v32), 0);
	assert_int_equal(fk.setopt_len, 4);
	assert_memory_equal(fk.setopt_data, &v32, 4);
	assert_int_equal(kctl_set_u64(h, 1, v64), 0);
	assert_int_equal(fk.setopt_len, 8);
	assert_memory_equal(fk.setopt_data, &v64, 8);
	assert_int_equal(kctl_set_str(h, 1, "utun"), 0);
	assert_int_equal(fk.setopt_len, 5);
	assert_memory_equal(fk.setopt_data, "utun", 5);
	assert_int_equal(kctl_set_str(h, 1, NULL), -EINVAL);
}

static void the_size_query_passes_a_null_buffer_and_returns_the_reported_size(void **state)
{
	size_t size = 0;

	(void)state;
	fk.getopt_claim = 300;
	assert_int_equal(kctl_getopt_size(h, 9, &size), 0);
	assert_int_equal(size, 300);
}

static void receive_flags_are_translated_from_darwin_values(void **state)
{
	char buf[4];
	size_t got = 0;
	uint32_t fl = 0;

	(void)state;
	fk.recv_claim = 4;
	fk.recv_flags = KCTL_ABI_MSG_TRUNC;
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, &fl), 0);
	assert_int_equal(got, 4);
	assert_int_equal(fl, KCTL_RECV_TRUNC);
	fk.recv_flags = KCTL_ABI_MSG_EOR;
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, &fl), 0);
	assert_int_equal(fl, KCTL_RECV_EOR);
}

static void a_receive_retries_after_eagain_when_the_fd_is_ready(void **state)
{
	char buf[4];
	size_t got = 0;

	(void)state;
	fk.recv_eagain = 3;
	fk.recv_claim = 2;
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), 0);
	assert_int_equal(got, 2);
	assert_int_equal(fk.calls[FK_RECV], 4);
	kctl_set_timeout(h, 0);
	fk.recv_eagain = 1;
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), -EAGAIN);
	assert_int_equal(fk.calls[FK_RECV], 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(a_receive_claiming_more_bytes_than_the_buffer_is_rejected),
		T(a_send_claiming_more_bytes_than_given_is_rejected),
		T(a_stream_send_that_would_block_after_taking_part_sends_only_the_rest),
		T(a_failing_stream_send_reports_what_the_kernel_took),
		T(a_stream_send_that_makes_no_progress_fails_instead_of_spinning),
		T(a_stream_send_taken_in_pieces_goes_on_until_every_byte_is_sent),
		T(a_getsockopt_claiming_more_than_the_buffer_is_an_overflow_error),
		T(a_u32_option_answered_with_two_bytes_is_bad_and_leaves_the_value),
		T(a_string_option_that_fills_the_buffer_without_nul_is_too_long),
		T(a_string_option_with_bytes_after_its_nul_is_malformed),
		T(an_oversized_option_is_refused_before_any_syscall),
		T(typed_setters_send_exactly_the_value_bytes),
		T(the_size_query_passes_a_null_buffer_and_returns_the_reported_size),
		T(receive_flags_are_translated_from_darwin_values),
		T(a_receive_retries_after_eagain_when_the_fd_is_ready),
#undef T
	};

	return cmocka_run_group_tests_name("core_hostile", tests, NULL, NULL);
}
