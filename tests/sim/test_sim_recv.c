/* test_sim_recv.c - enqueue and recvmsg(): space, records, EOR, poll readiness
 * (scenarios 11, 15, 16, 17). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>

#include "sim_fixture.h"

static unsigned char big[9000];

/* Whether fd polls readable right now. */
static bool readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static bool writable(int fd)
{
	struct pollfd p = { fd, POLLOUT, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT);
}

static void recv_before_connect_is_enotconn(void **state)
{
	struct fx *f = *state;
	char buf[4];
	size_t got;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), -ENOTCONN);
	kctl_sim_close(f->sim, fd);
}

static void a_nonblocking_recv_with_nothing_queued_is_eagain(void **state)
{
	struct fx *f = *state;
	char buf[4];
	size_t got;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), KCTL_ABI_MSG_DONTWAIT, &got, NULL),
			 -EAGAIN);
	assert_int_equal(fx_nonblock(f, fd), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), -EAGAIN);
}

static void the_receive_size_is_accepted_exactly_and_one_byte_more_is_enobufs_until_read(
	void **state)
{
	struct fx *f = *state;
	size_t got = 0, space = 1;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 8192, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue_space(f->ctl, 1, &space), 0);
	assert_int_equal(space, 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 1, KCTL_ABI_CTL_DATA_EOR), -ENOBUFS);
	assert_int_equal(atomic_load(&f->rcvds), 0);
	assert_int_equal(fx_recv_buf(f, fd, big, sizeof(big), 0, &got, NULL), 0);
	assert_int_equal(got, 8192);
	assert_int_equal(atomic_load(&f->rcvds), 1);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 1, KCTL_ABI_CTL_DATA_EOR), 0);
}

static void enobufs_queues_nothing(void **state)
{
	struct fx *f = *state;
	size_t bytes = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	(void)fd;
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 8000, 0), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 193, 0), -ENOBUFS);
	assert_int_equal(kctl_sim_enqueue_space(f->ctl, 1, &bytes), 0);
	assert_int_equal(bytes, 192);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 192, 0), 0);
}

static void a_reg_crit_control_keeps_a_quarter_for_critical_data(void **state)
{
	struct fx *f = *state;
	int fd;

	fx_reg_init(f, "com.example.crit", KCTL_ABI_CTL_FLAG_REG_CRIT);
	assert_int_equal(fx_register(f), 0);
	fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	(void)fd;
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 6200, 0), 0);
	/* 1992 free, less than a quarter of 8192: only CTL_DATA_CRIT gets in */
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 10, 0), -ENOBUFS);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 10, KCTL_ABI_CTL_DATA_CRIT), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, big, 1983, KCTL_ABI_CTL_DATA_CRIT),
			 -ENOBUFS);
}

static void dgram_data_joins_the_open_record_until_eor(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got = 0, packets = 0;
	int rf = -1, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abc", 3, 0), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "def", 3, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue_packets(f->ctl, 1, &packets), 0);
	assert_int_equal(packets, 1);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, &rf), 0);
	assert_int_equal(got, 6);
	assert_memory_equal(buf, "abcdef", 6);
	assert_false(rf & KCTL_ABI_MSG_TRUNC);
}

static void two_eor_records_are_two_reads(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abc", 3, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "defg", 4, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 4);
	assert_memory_equal(buf, "defg", 4);
}

static void a_short_buffer_truncates_a_dgram_record_and_drops_its_tail(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got = 0;
	int rf = 0, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abcdef", 6, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "xyz", 3, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, 2, 0, &got, &rf), 0);
	assert_int_equal(got, 2);
	assert_memory_equal(buf, "ab", 2);
	assert_true(rf & KCTL_ABI_MSG_TRUNC);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, &rf), 0);
	assert_int_equal(got, 3);
	assert_memory_equal(buf, "xyz", 3);
	assert_false(rf & KCTL_ABI_MSG_TRUNC);
}

static void a_stream_read_stops_at_an_eor_boundary(void **state)
{
	struct fx *f = *state;
	char buf[100];
	size_t got = 0;
	int rf = 0, fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abc", 3, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "def", 3, 0), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, &rf), 0);
	assert_int_equal(got, 3);
	assert_memory_equal(buf, "abc", 3);
	assert_true(rf & KCTL_ABI_MSG_EOR);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, &rf), 0);
	assert_int_equal(got, 3);
	assert_memory_equal(buf, "def", 3);
	assert_false(rf & KCTL_ABI_MSG_EOR);
}

static void a_short_stream_read_leaves_the_rest_for_the_next(void **state)
{
	struct fx *f = *state;
	char buf[100];
	size_t got = 0, bytes = 0;
	int rf = 0, fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abcdef", 6, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, 4, 0, &got, &rf), 0);
	assert_int_equal(got, 4);
	assert_false(rf & (KCTL_ABI_MSG_EOR | KCTL_ABI_MSG_TRUNC));
	assert_int_equal(kctl_sim_enqueue_space(f->ctl, 1, &bytes), 0);
	assert_int_equal(bytes, 8192 - 2);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, &rf), 0);
	assert_int_equal(got, 2);
	assert_memory_equal(buf, "ef", 2);
	assert_true(rf & KCTL_ABI_MSG_EOR);
}

static void msg_peek_reads_without_consuming_or_calling_rcvd(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "peek", 4, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), KCTL_ABI_MSG_PEEK, &got, NULL), 0);
	assert_int_equal(got, 4);
	assert_int_equal(atomic_load(&f->rcvds), 0);
	assert_true(readable(fd));
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 4);
	assert_memory_equal(buf, "peek", 4);
	assert_int_equal(atomic_load(&f->rcvds), 1);
}

static void a_scatter_list_receives_one_record_across_buffers(void **state)
{
	struct fx *f = *state;
	char a[2], b[8];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	size_t got = 0;
	int rf = 0, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "scatter", 7, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_recvmsg(f->sim, fd, iov, 2, 0, &got, &rf), 0);
	assert_int_equal(got, 7);
	assert_memory_equal(a, "sc", 2);
	assert_memory_equal(b, "atter", 5);
}

static void poll_is_readable_exactly_while_data_is_queued(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_false(readable(fd));
	assert_true(writable(fd));
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "a", 1, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "b", 1, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_true(readable(fd));
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_true(readable(fd)); /* "b" is still there */
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_memory_equal(buf, "b", 1);
	assert_false(readable(fd));
	assert_true(writable(fd));
}

static void poll_is_readable_at_end_of_file(void **state)
{
	struct fx *f = *state;
	char buf[4];
	size_t got = 1;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	f->connect_err = -ECONNREFUSED;
	assert_false(readable(fd));
	assert_int_equal(fx_connect_fd(f, fd, 0), -ECONNREFUSED);
	assert_true(readable(fd));
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 0);
	assert_true(readable(fd)); /* end of file stays readable */
	kctl_sim_close(f->sim, fd);
}

/*
 * CTL_DATA_NOWAKEUP only skips sorwakeup: the data is in so_rcv, and readiness is
 * level-triggered (soreadable), so a poll made afterwards sees it.
 */
static void a_nowakeup_enqueue_is_seen_by_a_poll_made_afterwards(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "ab", 2, KCTL_ABI_CTL_DATA_NOWAKEUP), 0);
	assert_true(readable(fd));
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "cd", 2, 0), 0);
	assert_true(readable(fd));
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 4);
	assert_memory_equal(buf, "abcd", 4);
	assert_false(readable(fd));
}

static void data_queued_without_wakeup_is_still_read_by_recv(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "q", 1,
					  KCTL_ABI_CTL_DATA_NOWAKEUP | KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), KCTL_ABI_MSG_DONTWAIT, &got, NULL),
			 0);
	assert_int_equal(got, 1);
}

static void enqueue_to_a_unit_without_a_client_is_einval(void **state)
{
	struct fx *f = *state;

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "x", 1, 0), -EINVAL);
	assert_true(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0) >= 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 2, "x", 1, 0), -EINVAL);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "x", 1, 0), 0);
}

static void the_queue_queries_report_space_readability_and_records(void **state)
{
	struct fx *f = *state;
	size_t space = 0, diff = 0, packets = 1;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	(void)fd;
	assert_int_equal(kctl_sim_enqueue_space(f->ctl, 1, &space), 0);
	assert_int_equal(space, 8192);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abc", 3, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "de", 2, 0), 0);
	assert_int_equal(kctl_sim_enqueue_space(f->ctl, 1, &space), 0);
	assert_int_equal(kctl_sim_enqueue_readable(f->ctl, 1, &diff), 0);
	assert_int_equal(kctl_sim_enqueue_packets(f->ctl, 1, &packets), 0);
	assert_int_equal(space, 8187);
	assert_int_equal(diff, 0);
	assert_int_equal(packets, 2);
	assert_int_equal(kctl_sim_enqueue_space(f->ctl, 1, NULL), -EINVAL);
	assert_int_equal(kctl_sim_enqueue_readable(f->ctl, 1, NULL), -EINVAL);
}

/*
 * ctl_getenqueuereadable: how many more bytes must be queued before the socket is
 * readable, the receive low-water mark (1) minus the bytes queued, 0 once readable.
 */
static void the_readable_query_is_the_low_water_mark_minus_the_bytes_queued(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t diff = 99, got = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_STREAM, 0);

	assert_int_equal(kctl_sim_enqueue_readable(f->ctl, 1, &diff), 0);
	assert_int_equal(diff, 1);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abcdef", 6, 0), 0);
	assert_int_equal(kctl_sim_enqueue_readable(f->ctl, 1, &diff), 0);
	assert_int_equal(diff, 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, 5, 0, &got, NULL), 0);
	assert_int_equal(kctl_sim_enqueue_readable(f->ctl, 1, &diff), 0);
	assert_int_equal(diff, 0); /* one byte left is still readable */
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(kctl_sim_enqueue_readable(f->ctl, 1, &diff), 0);
	assert_int_equal(diff, 1);
	assert_int_equal(kctl_sim_enqueue_readable(f->ctl, 2, &diff), -EINVAL);
}

static void enqueue_mbuf_takes_the_packet_only_on_success(void **state)
{
	struct fx *f = *state;
	kctl_sim_mbuf_t *m;
	char buf[400];
	size_t got = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_mbuf_alloc(f->sim, 300, &m), 0);
	for (kctl_sim_mbuf_t *s = m; s != NULL; s = kctl_sim_mbuf_next(s))
		memset(kctl_sim_mbuf_data(s), 'm', kctl_sim_mbuf_len(s));
	assert_int_equal(kctl_sim_enqueue_mbuf(f->ctl, 2, m, KCTL_ABI_CTL_DATA_EOR), -EINVAL);
	/* still ours: enqueue it properly (ASan would catch a double free or a leak) */
	assert_int_equal(kctl_sim_enqueue_mbuf(f->ctl, 1, m, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 300);
	assert_int_equal(buf[0], 'm');
	assert_int_equal(buf[299], 'm');
}

static void rcvd_runs_after_each_read_that_took_data(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(fx_nonblock(f, fd), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "a", 1, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "b", 1, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), -EAGAIN);
	assert_int_equal(atomic_load(&f->rcvds), 2);
}

static void recv_without_a_got_pointer_is_efault(void **state)
{
	struct fx *f = *state;
	char buf[4];
	struct iovec iov = { buf, sizeof(buf) };
	int rf, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_recvmsg(f->sim, fd, &iov, 1, 0, NULL, &rf), -EFAULT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dgram, fx_teardown)
#define TS(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_stream, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(recv_before_connect_is_enotconn),
		T(a_nonblocking_recv_with_nothing_queued_is_eagain),
		T(the_receive_size_is_accepted_exactly_and_one_byte_more_is_enobufs_until_read),
		T(enobufs_queues_nothing),
		T(a_reg_crit_control_keeps_a_quarter_for_critical_data),
		T(dgram_data_joins_the_open_record_until_eor),
		T(two_eor_records_are_two_reads),
		T(a_short_buffer_truncates_a_dgram_record_and_drops_its_tail),
		TS(a_stream_read_stops_at_an_eor_boundary),
		TS(a_short_stream_read_leaves_the_rest_for_the_next),
		T(msg_peek_reads_without_consuming_or_calling_rcvd),
		T(a_scatter_list_receives_one_record_across_buffers),
		T(poll_is_readable_exactly_while_data_is_queued),
		T(poll_is_readable_at_end_of_file),
		TS(a_nowakeup_enqueue_is_seen_by_a_poll_made_afterwards),
		T(data_queued_without_wakeup_is_still_read_by_recv),
		T(enqueue_to_a_unit_without_a_client_is_einval),
		T(the_queue_queries_report_space_readability_and_records),
		TS(the_readable_query_is_the_low_water_mark_minus_the_bytes_queued),
		T(enqueue_mbuf_takes_the_packet_only_on_success),
		T(rcvd_runs_after_each_read_that_took_data),
		T(recv_without_a_got_pointer_is_efault),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
