/* test_sim_utun_threads.c - a utun interface with the network and the client on
 * different threads: nothing lost, nothing twice, order kept, under the pending limit. */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "utun_fixture.h"

#define T(fn) cmocka_unit_test_setup_teardown(fn, ut_setup, ut_teardown)
#define PACKETS 2000
#define WRITES 1000 /* below the 1024 untaken packets an interface keeps: none lost */

struct side {
	struct ut *u;
	int fd;
	int errors;
};

/* The network sends PACKETS numbered packets, waiting briefly whenever utun drops. */
static void *network_sends(void *arg)
{
	struct side *s = arg;
	struct timespec pause = { 0, 100000L };

	for (uint32_t i = 0; i < PACKETS; i++) {
		int err;

		while ((err = kctl_sim_utun_inject(s->u->sim, "utun0", 2, &i, sizeof(i))) ==
		       -ENOBUFS)
			nanosleep(&pause, NULL);
		if (err != 0)
			s->errors++;
	}
	return NULL;
}

/* The client writes WRITES numbered packets. */
static void *client_writes(void *arg)
{
	struct side *s = arg;

	for (uint32_t i = 0; i < WRITES; i++)
		if (ut_write(s->u, s->fd, 30, &i, sizeof(i)) != 0)
			s->errors++;
	return NULL;
}

static void packets_from_the_network_arrive_all_and_in_order(void **state)
{
	struct ut *u = *state;
	struct side net = { u, -1, 0 };
	int fd = ut_open(u, 0);
	pthread_t t;

	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, 3), 0);
	assert_int_equal(pthread_create(&t, NULL, network_sends, &net), 0);
	for (uint32_t i = 0; i < PACKETS; i++) {
		unsigned char buf[16];
		struct iovec iov = { buf, sizeof(buf) };
		size_t got = 0;
		int rflags = 0;
		uint32_t v = 0;

		/* a blocking read: the socket wakes when a packet is let in */
		assert_int_equal(kctl_sim_recvmsg(u->sim, fd, &iov, 1, 0, &got, &rflags), 0);
		assert_int_equal(got, 8);
		assert_memory_equal(buf, "\0\0\0\2", 4);
		memcpy(&v, buf + 4, sizeof(v));
		assert_int_equal(v, i);
	}
	pthread_join(t, NULL);
	assert_int_equal(net.errors, 0);
	kctl_sim_close(u->sim, fd);
}

static void packets_from_the_client_are_taken_all_and_in_order(void **state)
{
	struct ut *u = *state;
	struct side cli = { u, ut_open(u, 0), 0 };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, client_writes, &cli), 0);
	for (uint32_t i = 0; i < WRITES; i++) {
		unsigned char buf[16];
		size_t len = 0;
		uint32_t fam = 0, v = 0;

		assert_int_equal(kctl_sim_utun_take(u->sim, "utun0", buf, sizeof(buf), &len, &fam,
						    5000), 0);
		assert_int_equal(fam, 30);
		assert_int_equal(len, 4);
		memcpy(&v, buf, sizeof(v));
		assert_int_equal(v, i);
	}
	pthread_join(t, NULL);
	assert_int_equal(cli.errors, 0);
	kctl_sim_close(u->sim, cli.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(packets_from_the_network_arrive_all_and_in_order),
		T(packets_from_the_client_are_taken_all_and_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
