/* test_sim_utun_packets.c - packets through a simulated utun interface, both ways: the
 * 4-byte family in network byte order, what happens to a short packet or an unknown
 * family, the pending-packet limit and the send queue behind it, the flags that drop. */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "utun_fixture.h"

#define T(fn) cmocka_unit_test_setup_teardown(fn, ut_setup, ut_teardown)

static const unsigned char ip4[] = { 0x45, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8,
				     9, 10, 11, 12, 13, 14, 15, 16 };

static void a_packet_from_the_network_carries_af_inet_as_0_0_0_2(void **state)
{
	struct ut *u = *state;
	unsigned char buf[64];
	size_t got = 0;
	int fd = ut_open(u, 0);

	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", KCTL_ABI_AF_INET, ip4,
					      sizeof(ip4)), 0);
	assert_int_equal(ut_read(u, fd, buf, sizeof(buf), &got), 0);
	assert_int_equal(got, 4 + sizeof(ip4));
	assert_memory_equal(buf, "\0\0\0\2", 4);
	assert_memory_equal(buf + 4, ip4, sizeof(ip4));
	kctl_sim_close(u->sim, fd);
}

static void af_inet6_is_darwins_30_whatever_the_host_says(void **state)
{
	struct ut *u = *state;
	unsigned char buf[64];
	size_t got = 0;
	int fd = ut_open(u, 0);

	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 30, "\x60\0\0\0", 4), 0);
	assert_int_equal(ut_read(u, fd, buf, sizeof(buf), &got), 0);
	assert_int_equal(got, 8);
	assert_memory_equal(buf, "\0\0\0\x1e", 4);
	/* 10 is Linux's AF_INET6: not a family utun knows */
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 10, "x", 1), -EAFNOSUPPORT);
	kctl_sim_close(u->sim, fd);
}

static void a_packet_from_the_client_reaches_the_network_without_its_header(void **state)
{
	struct ut *u = *state;
	unsigned char buf[64];
	size_t len = 0;
	uint32_t fam = 0;
	int fd = ut_open(u, 0);
	struct kctl_sim_utun_if info;

	assert_int_equal(ut_write(u, fd, KCTL_ABI_AF_INET, ip4, sizeof(ip4)), 0);
	assert_int_equal(ut_write(u, fd, KCTL_ABI_AF_INET6, "v6", 2), 0);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &len, &fam, 0), 0);
	assert_int_equal(fam, 2);
	assert_int_equal(len, sizeof(ip4));
	assert_memory_equal(buf, ip4, sizeof(ip4));
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &len, &fam, 0), 0);
	assert_int_equal(fam, 30);
	assert_int_equal(len, 2);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &len, &fam, 0),
			 -EAGAIN);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.ipackets, 2);
	assert_int_equal(info.ibytes, 4 + sizeof(ip4) + 4 + 2);
	kctl_sim_close(u->sim, fd);
}

static void a_family_in_host_byte_order_is_accepted_by_write_and_dropped(void **state)
{
	struct ut *u = *state;
	static const unsigned char little[4] = { 2, 0, 0, 0 }; /* the classic mistake */
	unsigned char buf[64];
	size_t len = 0;
	int fd = ut_open(u, 0);
	struct kctl_sim_utun_if info;

	assert_int_equal(ut_write_raw(u, fd, little, 4, ip4, sizeof(ip4)), 0);
	assert_int_equal(ut_write(u, fd, 7, ip4, sizeof(ip4)), 0);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &len, NULL, 0),
			 -EAGAIN);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.ipackets, 2);
	assert_int_equal(info.in_dropped, 2);
	kctl_sim_close(u->sim, fd);
}

static void a_packet_shorter_than_the_header_is_accepted_and_dropped(void **state)
{
	struct ut *u = *state;
	unsigned char buf[16];
	size_t len = 0;
	int fd = ut_open(u, 0);
	struct kctl_sim_utun_if info;

	assert_int_equal(ut_write_raw(u, fd, (const unsigned char *)"\0\0\0", 3, NULL, 0), 0);
	assert_int_equal(ut_write_raw(u, fd, NULL, 0, NULL, 0), 0); /* an empty record */
	assert_int_equal(ut_write(u, fd, 2, NULL, 0), 0); /* a bare header is a packet */
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.ipackets, 3);
	assert_int_equal(info.ibytes, 3 + 0 + 4);
	assert_int_equal(info.in_dropped, 2);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &len, NULL, 0), 0);
	assert_int_equal(len, 0);
	kctl_sim_close(u->sim, fd);
}

static void only_one_packet_is_pending_by_default_the_rest_wait(void **state)
{
	struct ut *u = *state;
	unsigned char buf[64];
	size_t got = 0;
	struct kctl_sim_utun_if info;
	int fd = ut_open(u, 0), queued = 0;

	for (int i = 0; i < 3; i++) {
		unsigned char p = (unsigned char)('a' + i);

		assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, &p, 1), 0);
	}
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.queued, 2);
	assert_int_equal(info.opackets, 1);
	assert_int_equal(kctl_sim_ioctl(u->sim, fd, KCTL_ABI_FIONREAD, &queued), 0);
	assert_int_equal(queued, 5); /* one record of header + 1 byte */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ut_read(u, fd, buf, sizeof(buf), &got), 0);
		assert_int_equal(got, 5);
		assert_int_equal(buf[4], 'a' + i); /* in order: each read lets the next in */
	}
	assert_int_equal(ut_read(u, fd, buf, sizeof(buf), &got), -EAGAIN);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.queued, 0);
	assert_int_equal(info.opackets, 3);
	assert_int_equal(info.obytes, 15);
	kctl_sim_close(u->sim, fd);
}

static void a_higher_limit_lets_that_many_packets_queue(void **state)
{
	struct ut *u = *state;
	struct kctl_sim_utun_if info;
	int fd = ut_open(u, 0);
	int records = 0;

	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, 4), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "pkt", 3), 0);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.queued, 2);
	assert_int_equal(info.max_pending, 4);
	assert_int_equal(kctl_sim_ioctl(u->sim, fd, KCTL_ABI_FIONREAD, &records), 0);
	assert_int_equal(records, 4 * 7);
	kctl_sim_close(u->sim, fd);
}

static void raising_the_limit_waits_for_the_next_read_to_resume(void **state)
{
	struct ut *u = *state;
	struct kctl_sim_utun_if info;
	unsigned char buf[16];
	size_t got = 0;
	int fd = ut_open(u, 0);

	for (int i = 0; i < 4; i++)
		assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "x", 1), 0);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, 8), 0);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.queued, 3); /* output stays off until rcvd turns it on */
	assert_int_equal(ut_read(u, fd, buf, sizeof(buf), &got), 0);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.queued, 0);
	kctl_sim_close(u->sim, fd);
}

static void a_full_send_queue_drops_with_enobufs(void **state)
{
	struct ut *u = *state;
	struct kctl_sim_utun_if info;
	int fd = ut_open(u, 0);

	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "first", 5), 0);
	for (int i = 0; i < 128; i++)
		assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "q", 1), 0);
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "drop", 4), -ENOBUFS);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.queued, 128);
	assert_int_equal(info.oerrors, 1);
	kctl_sim_close(u->sim, fd);
}

static void a_full_receive_buffer_drops_and_counts_oerrors(void **state)
{
	struct ut *u = *state;
	struct kctl_sim_utun_if info;
	size_t chunk = 64 * 1024 - 4; /* records of exactly 64 KiB */
	unsigned char *p = calloc(1, chunk);
	int fd = ut_open(u, 0), dropped = 0;

	assert_non_null(p);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, 100), 0);
	for (int i = 0; i < 9; i++)
		dropped += kctl_sim_utun_inject(u->sim, "utun0", 2, p, chunk) == -ENOBUFS;
	assert_int_equal(dropped, 1); /* 8 x 64 KiB fill the 512 KiB exactly */
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.opackets, 8);
	assert_int_equal(info.oerrors, 1);
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, p, 512 * 1024), -EMSGSIZE);
	free(p);
	kctl_sim_close(u->sim, fd);
}

static void no_output_and_no_input_flags_drop_their_direction(void **state)
{
	struct ut *u = *state;
	unsigned char buf[16];
	size_t got = 0;
	struct kctl_sim_utun_if info;
	int out = ut_socket(u), in = ut_socket(u);

	assert_int_equal(ut_bind(u, out, 0), 0);
	assert_int_equal(ut_set_u32(u, out, KCTL_ABI_UTUN_OPT_FLAGS,
				    KCTL_ABI_UTUN_FLAGS_NO_OUTPUT), 0);
	assert_int_equal(ut_connect(u, out, 0), 0);
	assert_int_equal(ut_bind(u, in, 0), 0);
	assert_int_equal(ut_set_u32(u, in, KCTL_ABI_UTUN_OPT_FLAGS, KCTL_ABI_UTUN_FLAGS_NO_INPUT),
			 0);
	assert_int_equal(ut_connect(u, in, 0), 0);

	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "x", 1), 0);
	assert_int_equal(ut_read(u, out, buf, sizeof(buf), &got), -EAGAIN);
	assert_int_equal(ut_write(u, out, 2, "y", 1), 0); /* the other direction works */
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, NULL, 0), 0);

	assert_int_equal(ut_write(u, in, 2, "z", 1), 0);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun1", buf, sizeof(buf), &got, NULL, 0),
			 -EAGAIN);
	assert_int_equal(ut_info(u, in, &info), 0);
	assert_int_equal(info.ipackets, 0); /* flushed before it was counted */
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun1", 2, "w", 1), 0);
	assert_int_equal(ut_read(u, in, buf, sizeof(buf), &got), 0);
	kctl_sim_close(u->sim, out);
	kctl_sim_close(u->sim, in);
}

static void the_proc_uuid_flag_makes_the_header_20_bytes(void **state)
{
	struct ut *u = *state;
	unsigned char buf[64], zero[16] = { 0 };
	size_t got = 0;
	uint32_t fam = 0;
	int fd = ut_socket(u);

	assert_int_equal(ut_bind(u, fd, 0), 0);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_FLAGS,
				    KCTL_ABI_UTUN_FLAGS_ENABLE_PROC_UUID), 0);
	assert_int_equal(ut_connect(u, fd, 0), 0);
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "abc", 3), 0);
	assert_int_equal(ut_read(u, fd, buf, sizeof(buf), &got), 0);
	assert_int_equal(got, 20 + 3);
	assert_memory_equal(buf, "\0\0\0\2", 4);
	assert_memory_equal(buf + 4, zero, 16);
	assert_memory_equal(buf + 20, "abc", 3);
	/* from the client: 20 header bytes are stripped, a 19-byte packet is too short */
	memset(buf, 0, sizeof(buf));
	buf[3] = 30;
	memcpy(buf + 20, "v6", 2);
	assert_int_equal(ut_write_raw(u, fd, buf, 22, NULL, 0), 0);
	assert_int_equal(ut_write_raw(u, fd, buf, 19, NULL, 0), 0);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, &fam, 0), 0);
	assert_int_equal(fam, 30);
	assert_int_equal(got, 2);
	assert_memory_equal(buf, "v6", 2);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, &fam, 0),
			 -EAGAIN);
	kctl_sim_close(u->sim, fd);
}

static void take_reports_the_size_a_too_small_buffer_needs(void **state)
{
	struct ut *u = *state;
	unsigned char buf[32];
	size_t got = 0;
	int fd = ut_open(u, 0);

	assert_int_equal(ut_write(u, fd, 2, ip4, sizeof(ip4)), 0);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, 4, &got, NULL, 0), -EMSGSIZE);
	assert_int_equal(got, sizeof(ip4));
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, NULL, 0), 0);
	assert_int_equal(got, sizeof(ip4)); /* the packet stayed for the second try */
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, NULL, 20),
			 -ETIMEDOUT);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun7", buf, sizeof(buf), &got, NULL, 0),
			 -ENXIO);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), NULL, NULL, 0),
			 -EINVAL);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, NULL, -2),
			 -EINVAL);
	kctl_sim_close(u->sim, fd);
}

static void only_the_last_1024_untaken_packets_are_kept(void **state)
{
	struct ut *u = *state;
	struct kctl_sim_utun_if info;
	unsigned char buf[8];
	size_t got = 0;
	uint32_t first = 0;
	int fd = ut_open(u, 0);

	for (uint32_t i = 0; i < 1030; i++)
		assert_int_equal(ut_write(u, fd, 2, &i, sizeof(i)), 0);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.untaken, 1024);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, NULL, 0), 0);
	memcpy(&first, buf, sizeof(first));
	assert_int_equal(first, 6); /* the six oldest made room */
	kctl_sim_close(u->sim, fd);
}

struct writer {
	struct ut *u;
	int fd;
};

static void *write_later(void *arg)
{
	struct writer *w = arg;
	struct timespec ts = { 0, 30 * 1000000L };

	nanosleep(&ts, NULL);
	(void)ut_write(w->u, w->fd, 2, "late", 4);
	return NULL;
}

static void take_waits_for_a_packet_written_by_another_thread(void **state)
{
	struct ut *u = *state;
	struct writer w = { u, ut_open(u, 0) };
	unsigned char buf[16];
	size_t got = 0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, write_later, &w), 0);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, NULL, -1), 0);
	assert_int_equal(got, 4);
	assert_memory_equal(buf, "late", 4);
	pthread_join(t, NULL);
	kctl_sim_close(u->sim, w.fd);
}

static void *close_later(void *arg)
{
	struct writer *w = arg;
	struct timespec ts = { 0, 30 * 1000000L };

	nanosleep(&ts, NULL);
	(void)kctl_sim_close(w->u->sim, w->fd);
	return NULL;
}

static void a_take_waiting_on_an_interface_that_goes_away_gets_enxio(void **state)
{
	struct ut *u = *state;
	struct writer w = { u, ut_open(u, 0) };
	unsigned char buf[16];
	size_t got = 0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, close_later, &w), 0);
	assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &got, NULL, 5000),
			 -ENXIO);
	pthread_join(t, NULL);
}

static void injected_enqueue_faults_reach_utun_output_as_drops(void **state)
{
	struct ut *u = *state;
	struct kctl_sim_utun_if info;
	int fd = ut_open(u, 0);

	assert_int_equal(kctl_sim_fail_next(u->sim, KCTL_SIM_CALL_ENQUEUE, -ENOMEM), 0);
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "x", 1), -ENOMEM);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.oerrors, 1);
	assert_int_equal(info.opackets, 0);
	kctl_sim_close(u->sim, fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_packet_from_the_network_carries_af_inet_as_0_0_0_2),
		T(af_inet6_is_darwins_30_whatever_the_host_says),
		T(a_packet_from_the_client_reaches_the_network_without_its_header),
		T(a_family_in_host_byte_order_is_accepted_by_write_and_dropped),
		T(a_packet_shorter_than_the_header_is_accepted_and_dropped),
		T(only_one_packet_is_pending_by_default_the_rest_wait),
		T(a_higher_limit_lets_that_many_packets_queue),
		T(raising_the_limit_waits_for_the_next_read_to_resume),
		T(a_full_send_queue_drops_with_enobufs),
		T(a_full_receive_buffer_drops_and_counts_oerrors),
		T(no_output_and_no_input_flags_drop_their_direction),
		T(the_proc_uuid_flag_makes_the_header_20_bytes),
		T(take_reports_the_size_a_too_small_buffer_needs),
		T(only_the_last_1024_untaken_packets_are_kept),
		T(take_waits_for_a_packet_written_by_another_thread),
		T(a_take_waiting_on_an_interface_that_goes_away_gets_enxio),
		T(injected_enqueue_faults_reach_utun_output_as_drops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
