/* Timeouts, non-blocking use and the fd for poll: a blocking call waits no longer than
 * the handle's timeout and wakes as soon as the kernel queues data. */
#include <poll.h>
#include <pthread.h>
#include <time.h>

#include "fixture.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct later {
	kctl_sim_ctl_t *ctl;
	uint32_t unit;
	int delay_ms;
	int rc;
};

static void *enqueue_later(void *arg)
{
	struct later *l = arg;
	struct timespec d = { .tv_sec = 0, .tv_nsec = (long)l->delay_ms * 1000000L };

	nanosleep(&d, NULL);
	l->rc = kctl_sim_enqueue(l->ctl, l->unit, "late", 4, KCTL_ABI_CTL_DATA_EOR);
	return NULL;
}

static void a_receive_gives_up_with_etimedout_after_the_handles_timeout(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	char buf[8];
	size_t got = 3;
	int64_t t0, dt;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_set_timeout(h, 60), 0);
	t0 = now_ms();
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), -ETIMEDOUT);
	dt = now_ms() - t0;
	assert_true(dt >= 55);
	assert_int_equal(got, 3);
	kctl_close(h);
}

static void a_blocking_receive_wakes_when_another_thread_enqueues(void **state)
{
	struct fixture *f = *state;
	struct later l = { .ctl = f->dgram, .delay_ms = 30, .rc = -1 };
	kctl_t *h = NULL;
	pthread_t t;
	char buf[8];
	size_t got = 0;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	l.unit = kctl_unit(h);
	assert_int_equal(pthread_create(&t, NULL, enqueue_later, &l), 0);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), 0);
	pthread_join(t, NULL);
	assert_int_equal(l.rc, 0);
	assert_int_equal(got, 4);
	assert_memory_equal(buf, "late", 4);
	kctl_close(h);
}

static void the_fd_polls_readable_exactly_while_a_record_is_queued(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	struct pollfd p;
	char buf[8];
	size_t got = 0;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, KCTL_OPEN_NONBLOCK, &h), 0);
	p = (struct pollfd){ .fd = kctl_fd(h), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(kctl_send(h, "ping", 4, NULL), 0);
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_true(p.revents & POLLIN);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), 0);
	assert_int_equal(poll(&p, 1, 0), 0);
	kctl_close(h);
}

static void a_nonblocking_handle_never_waits(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	char buf[8];
	size_t got = 0;
	int64_t t0;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, KCTL_OPEN_NONBLOCK, &h), 0);
	t0 = now_ms();
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), -EAGAIN);
	assert_true(now_ms() - t0 < 50);
	assert_int_equal(kctl_set_timeout(h, KCTL_TIMEOUT_INFINITE), 0);
	assert_int_equal(kctl_send(h, "x", 1, NULL), 0);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), 0);
	assert_int_equal(got, 1);
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(a_receive_gives_up_with_etimedout_after_the_handles_timeout),
		T(a_blocking_receive_wakes_when_another_thread_enqueues),
		T(the_fd_polls_readable_exactly_while_a_record_is_queued),
		T(a_nonblocking_handle_never_waits),
#undef T
	};

	return cmocka_run_group_tests_name("client_timeout", tests, NULL, NULL);
}
