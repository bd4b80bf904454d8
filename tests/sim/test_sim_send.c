/* test_sim_send.c - sendmsg(): checks, sizes, chunking, mbuf chains (scenarios 11-13). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_fixture.h"

static unsigned char pattern[8192];

static int group_setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)(i * 7 + 3);
	return 0;
}

static void send_before_connect_is_enotconn(void **state)
{
	struct fx *f = *state;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(fx_send_buf(f, fd, "x", 1, 0, NULL), -ENOTCONN);
	assert_int_equal(atomic_load(&f->sends), 0);
	kctl_sim_close(f->sim, fd);
}

static void a_dgram_send_of_exactly_the_send_size_is_one_callback(void **state)
{
	struct fx *f = *state;
	size_t sent = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(fx_send_buf(f, fd, pattern, 2048, 0, &sent), 0);
	assert_int_equal(sent, 2048);
	assert_int_equal(atomic_load(&f->sends), 1);
	assert_int_equal(f->send_lens[0], 2048);
	assert_memory_equal(f->sent, pattern, 2048);
}

static void a_dgram_send_above_the_send_size_is_emsgsize(void **state)
{
	struct fx *f = *state;
	size_t sent = 99;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(fx_send_buf(f, fd, pattern, 2049, 0, &sent), -EMSGSIZE);
	assert_int_equal(sent, 0);
	assert_int_equal(atomic_load(&f->sends), 0);
}

static void a_stream_send_is_cut_at_the_send_size(void **state)
{
	struct fx *f = *state;
	size_t sent = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	assert_int_equal(fx_send_buf(f, fd, pattern, 5000, 0, &sent), 0);
	assert_int_equal(sent, 5000);
	assert_int_equal(atomic_load(&f->sends), 3);
	assert_int_equal(f->send_lens[0], 2048);
	assert_int_equal(f->send_lens[1], 2048);
	assert_int_equal(f->send_lens[2], 904);
	assert_memory_equal(f->sent, pattern, 5000);
}

static void a_custom_send_size_limits_dgrams(void **state)
{
	struct fx *f = *state;
	int fd;

	fx_reg_init(f, "com.example.small", 0);
	f->reg.sendsize = 100;
	assert_int_equal(fx_register(f), 0);
	fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(fx_send_buf(f, fd, pattern, 100, 0, NULL), 0);
	assert_int_equal(fx_send_buf(f, fd, pattern, 101, 0, NULL), -EMSGSIZE);
}

static void send_without_a_send_callback_is_enotsup(void **state)
{
	struct fx *f = *state;
	int fd;

	fx_reg_init(f, "com.example.mute", 0);
	f->reg.send = NULL;
	assert_int_equal(fx_register(f), 0);
	fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(fx_send_buf(f, fd, "abc", 3, 0, NULL), -ENOTSUP);
}

static void msg_oob_on_a_dgram_socket_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(fx_send_buf(f, fd, "a", 1, KCTL_ABI_MSG_OOB, NULL), -EOPNOTSUPP);
	assert_int_equal(atomic_load(&f->sends), 0);
}

static void msg_eor_on_a_stream_socket_is_einval(void **state)
{
	struct fx *f = *state;
	int fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	assert_int_equal(fx_send_buf(f, fd, "a", 1, KCTL_ABI_MSG_EOR, NULL), -EINVAL);
	assert_int_equal(atomic_load(&f->sends), 0);
}

static void the_send_callbacks_errno_is_what_send_returns(void **state)
{
	struct fx *f = *state;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	f->send_err = -ENOBUFS;
	assert_int_equal(fx_send_buf(f, fd, "abc", 3, 0, NULL), -ENOBUFS);
	assert_int_equal(atomic_load(&f->sends), 1);
}

static void a_stream_send_stops_at_the_first_failing_piece(void **state)
{
	struct fx *f = *state;
	size_t sent = 99;
	int fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	f->send_err = -EIO;
	assert_int_equal(fx_send_buf(f, fd, pattern, 5000, 0, &sent), -EIO);
	assert_int_equal(sent, 0);
	assert_int_equal(atomic_load(&f->sends), 1);
}

/*
 * sendit: a send that fails with EWOULDBLOCK or EINTR after sosend moved bytes out of
 * the caller's buffer returns the count instead, and sosend has moved the piece whose
 * callback refused too: 2048 + 2048 of 5000 when the second piece says EWOULDBLOCK.
 */
static void a_stream_piece_refused_ewouldblock_ends_the_send_with_a_short_count(void **state)
{
	struct fx *f = *state;
	size_t sent = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	f->send_err = -EAGAIN;
	f->send_err_at = 2;
	assert_int_equal(fx_send_buf(f, fd, pattern, 5000, 0, &sent), 0);
	assert_int_equal(sent, 4096);
	assert_int_equal(atomic_load(&f->sends), 2);
	assert_int_equal(f->sent_len, 4096);
	assert_memory_equal(f->sent, pattern, 4096);
	f->send_err = -EINTR;
	f->send_err_at = 1;
	atomic_store(&f->sends, 0);
	assert_int_equal(fx_send_buf(f, fd, pattern, 5000, 0, &sent), 0);
	assert_int_equal(sent, 2048); /* the refusing piece counts: sosend moved it */
	assert_int_equal(atomic_load(&f->sends), 1);
}

/* Any other errno fails the send with no count, whatever earlier pieces took. */
static void a_stream_piece_refused_with_another_errno_fails_the_send_without_a_count(
	void **state)
{
	struct fx *f = *state;
	size_t sent = 99;
	int fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	f->send_err = -ENOBUFS;
	f->send_err_at = 2;
	assert_int_equal(fx_send_buf(f, fd, pattern, 5000, 0, &sent), -ENOBUFS);
	assert_int_equal(sent, 0);
	assert_int_equal(atomic_load(&f->sends), 2);
	assert_int_equal(f->sent_len, 4096); /* yet the control has the first two pieces */
}

/* The same rule on a DGRAM: the whole record was moved, so EWOULDBLOCK reads as sent. */
static void a_dgram_refused_ewouldblock_reads_as_sent(void **state)
{
	struct fx *f = *state;
	size_t sent = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	f->send_err = -EAGAIN;
	assert_int_equal(fx_send_buf(f, fd, "abc", 3, 0, &sent), 0);
	assert_int_equal(sent, 3);
	assert_int_equal(fx_send_buf(f, fd, "", 0, 0, &sent), -EAGAIN); /* nothing moved */
}

static void the_packet_is_a_chain_of_segments_of_the_segment_size(void **state)
{
	struct fx *f = *state;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(fx_send_buf(f, fd, pattern, 300, 0, NULL), 0);
	assert_int_equal(f->send_segs[0], 3); /* 128 + 128 + 44 */
	assert_int_equal(kctl_sim_set_mbuf_segment(f->sim, 1000), 0);
	assert_int_equal(fx_send_buf(f, fd, pattern, 300, 0, NULL), 0);
	assert_int_equal(f->send_segs[1], 1);
	assert_memory_equal(f->sent + 300, pattern, 300);
}

static void a_gather_list_becomes_one_record(void **state)
{
	struct fx *f = *state;
	struct iovec iov[3] = { { (void *)"ab", 2 }, { NULL, 0 }, { (void *)"cde", 3 } };
	size_t sent = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_sendmsg(f->sim, fd, iov, 3, 0, &sent), 0);
	assert_int_equal(sent, 5);
	assert_int_equal(atomic_load(&f->sends), 1);
	assert_memory_equal(f->sent, "abcde", 5);
}

static void an_empty_dgram_is_one_empty_record_and_an_empty_stream_send_is_nothing(
	void **state)
{
	struct fx *f = *state;
	int d = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	struct fx *g = fx_new(KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);
	int s;

	assert_int_equal(fx_send_buf(f, d, "", 0, 0, NULL), 0);
	assert_int_equal(atomic_load(&f->sends), 1);
	assert_int_equal(f->send_lens[0], 0);
	assert_non_null(g);
	if (g == NULL)
		return;
	s = fx_open(g, KCTL_ABI_SOCK_STREAM, 0);
	assert_int_equal(fx_send_buf(g, s, "", 0, 0, NULL), 0);
	assert_int_equal(atomic_load(&g->sends), 0);
	fx_free(g);
}

static void msg_oob_on_a_stream_reaches_the_callback(void **state)
{
	struct fx *f = *state;
	int fd;

	fx_reg_init(f, "com.example.stream", KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);
	assert_int_equal(fx_register(f), 0);
	fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);
	assert_int_equal(fx_send_buf(f, fd, "!", 1, KCTL_ABI_MSG_OOB, NULL), 0);
	assert_int_equal(f->last_send_flags, KCTL_ABI_MSG_OOB);
}

static void bad_gather_lists_are_rejected(void **state)
{
	struct fx *f = *state;
	struct iovec bad = { NULL, 4 };
	size_t sent;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_sendmsg(f->sim, fd, NULL, 1, 0, &sent), -EFAULT);
	assert_int_equal(kctl_sim_sendmsg(f->sim, fd, &bad, 1, 0, &sent), -EFAULT);
	assert_int_equal(kctl_sim_sendmsg(f->sim, fd, &bad, -1, 0, &sent), -EINVAL);
	assert_int_equal(kctl_sim_sendmsg(f->sim, fd, &bad, 1025, 0, &sent), -EINVAL);
	assert_int_equal(atomic_load(&f->sends), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dgram, fx_teardown)
#define TS(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_stream, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(send_before_connect_is_enotconn),
		T(a_dgram_send_of_exactly_the_send_size_is_one_callback),
		T(a_dgram_send_above_the_send_size_is_emsgsize),
		TS(a_stream_send_is_cut_at_the_send_size),
		T(a_custom_send_size_limits_dgrams),
		T(send_without_a_send_callback_is_enotsup),
		T(msg_oob_on_a_dgram_socket_is_eopnotsupp),
		TS(msg_eor_on_a_stream_socket_is_einval),
		T(the_send_callbacks_errno_is_what_send_returns),
		TS(a_stream_send_stops_at_the_first_failing_piece),
		TS(a_stream_piece_refused_ewouldblock_ends_the_send_with_a_short_count),
		TS(a_stream_piece_refused_with_another_errno_fails_the_send_without_a_count),
		T(a_dgram_refused_ewouldblock_reads_as_sent),
		T(the_packet_is_a_chain_of_segments_of_the_segment_size),
		T(a_gather_list_becomes_one_record),
		T(an_empty_dgram_is_one_empty_record_and_an_empty_stream_send_is_nothing),
		T(msg_oob_on_a_stream_reaches_the_callback),
		T(bad_gather_lists_are_rejected),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
