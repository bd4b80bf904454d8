/* test_sim_threads.c - blocking recv, wakeups, and concurrent clients on one control. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "sim_fixture.h"
#include "testutil.h"

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

struct reader {
	struct fx *f;
	int fd;
	int err;
	size_t got;
	char buf[32];
	atomic_int done;
};

static void *read_once(void *arg)
{
	struct reader *r = arg;

	r->err = fx_recv_buf(r->f, r->fd, r->buf, sizeof(r->buf), 0, &r->got, NULL);
	atomic_store(&r->done, 1);
	return NULL;
}

static void a_blocking_recv_is_woken_by_an_enqueue_from_another_thread(void **state)
{
	struct fx *f = *state;
	struct reader r = { .f = f, .err = -1 };
	pthread_t t;

	r.fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(pthread_create(&t, NULL, read_once, &r), 0);
	sleep_ms(50);
	assert_int_equal(atomic_load(&r.done), 0); /* still waiting */
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "wake", 4, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.got, 4);
	assert_memory_equal(r.buf, "wake", 4);
}

static void a_blocking_recv_returns_ebadf_when_another_thread_closes(void **state)
{
	struct fx *f = *state;
	struct reader r = { .f = f, .err = 1 };
	pthread_t t;

	r.fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(pthread_create(&t, NULL, read_once, &r), 0);
	sleep_ms(30);
	assert_int_equal(kctl_sim_close(f->sim, r.fd), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.err, -EBADF);
	assert_int_equal(atomic_load(&f->disconnects), 1);
}

/* ---- close waits for a send callback in flight on the same socket ---- */

static atomic_int in_send, overlap, send_entered;

static int slow_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *ui, kctl_sim_mbuf_t *m, int fl)
{
	(void)ctl; (void)unit; (void)ui; (void)fl;
	atomic_store(&in_send, 1);
	atomic_store(&send_entered, 1);
	sleep_ms(60);
	atomic_store(&in_send, 0);
	kctl_sim_mbuf_free(m);
	return 0;
}

static int watch_disconnect(kctl_sim_ctl_t *ctl, uint32_t unit, void *ui)
{
	if (atomic_load(&in_send))
		atomic_store(&overlap, 1);
	return fx_disconnect(ctl, unit, ui);
}

struct sender {
	struct fx *f;
	int fd;
	int err;
};

static void *send_once(void *arg)
{
	struct sender *s = arg;

	s->err = fx_send_buf(s->f, s->fd, "slow", 4, 0, NULL);
	return NULL;
}

static void close_waits_for_a_send_callback_in_flight(void **state)
{
	struct fx *f = *state;
	struct sender s = { .f = f, .err = 1 };
	pthread_t t;

	fx_reg_init(f, "com.example.slow", 0);
	f->reg.send = slow_send;
	f->reg.disconnect = watch_disconnect;
	assert_int_equal(fx_register(f), 0);
	atomic_store(&overlap, 0);
	atomic_store(&send_entered, 0);
	s.fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(pthread_create(&t, NULL, send_once, &s), 0);
	while (!atomic_load(&send_entered))
		sleep_ms(1);
	assert_int_equal(kctl_sim_close(f->sim, s.fd), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(s.err, 0);
	assert_int_equal(atomic_load(&overlap), 0);
	assert_int_equal(atomic_load(&f->disconnects), 1);
}

/* ---- many clients at once ---- */

#define CLIENTS 6
#define ROUNDS 40
#define SENDS 5

static atomic_int stop_enqueuing;
static atomic_long enqueued;

static void *client(void *arg)
{
	struct fx *f = arg;
	char buf[64];
	size_t got;

	for (int r = 0; r < ROUNDS; r++) {
		int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

		if (fd < 0)
			return (void *)(intptr_t)fd;
		(void)fx_nonblock(f, fd);
		for (int i = 0; i < SENDS; i++)
			if (fx_send_buf(f, fd, "0123456789", 10, 0, NULL) != 0)
				return (void *)(intptr_t)-EIO;
		while (fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL) == 0)
			;
		if (kctl_sim_close(f->sim, fd) != 0)
			return (void *)(intptr_t)-EIO;
	}
	return NULL;
}

static void *enqueuer(void *arg)
{
	struct fx *f = arg;
	uint32_t unit = 1;

	while (!atomic_load(&stop_enqueuing)) {
		if (kctl_sim_enqueue(f->ctl, unit, "kernel", 6, KCTL_ABI_CTL_DATA_EOR) == 0)
			atomic_fetch_add(&enqueued, 1);
		unit = unit % CLIENTS + 1;
	}
	return NULL;
}

static void clients_connect_send_and_close_concurrently_while_the_kext_enqueues(void **state)
{
	struct fx *f = *state;
	int before = tu_open_fds();
	pthread_t c[CLIENTS], e;
	void *res;

	atomic_store(&stop_enqueuing, 0);
	atomic_store(&enqueued, 0);
	assert_int_equal(pthread_create(&e, NULL, enqueuer, f), 0);
	for (int i = 0; i < CLIENTS; i++)
		assert_int_equal(pthread_create(&c[i], NULL, client, f), 0);
	for (int i = 0; i < CLIENTS; i++) {
		assert_int_equal(pthread_join(c[i], &res), 0);
		assert_null(res);
	}
	atomic_store(&stop_enqueuing, 1);
	assert_int_equal(pthread_join(e, NULL), 0);
	assert_int_equal(atomic_load(&f->connects), CLIENTS * ROUNDS);
	assert_int_equal(atomic_load(&f->disconnects), CLIENTS * ROUNDS);
	assert_int_equal(atomic_load(&f->sends), CLIENTS * ROUNDS * SENDS);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SEND),
			 CLIENTS * ROUNDS * SENDS);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_ENQUEUE) >=
				 (uint64_t)atomic_load(&enqueued), 1);
	assert_int_equal(kctl_sim_deregister(f->ctl), 0);
	assert_int_equal(tu_open_fds(), before);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dgram, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_blocking_recv_is_woken_by_an_enqueue_from_another_thread),
		T(a_blocking_recv_returns_ebadf_when_another_thread_closes),
		T(close_waits_for_a_send_callback_in_flight),
		T(clients_connect_send_and_close_concurrently_while_the_kext_enqueues),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
