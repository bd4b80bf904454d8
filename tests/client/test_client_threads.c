/* Concurrency: many clients on many threads, and one handle shared by a sending and a
 * receiving thread, as documented in kctl.h. */
#include <pthread.h>

#include "fixture.h"

#define THREADS 8
#define MESSAGES 200

struct worker {
	const kctl_backend_t *be;
	int id;
	int errors;
	uint32_t unit;
};

static void *echo_worker(void *arg)
{
	struct worker *w = arg;
	kctl_t *h = NULL;

	if (kctl_open_name(w->be, ECHO_NAME, 0, 0, &h) != 0) {
		w->errors++;
		return NULL;
	}
	w->unit = kctl_unit(h);
	for (int i = 0; i < MESSAGES; i++) {
		char out[32], in[32];
		size_t got = 0;
		int n = snprintf(out, sizeof(out), "t%d-m%d", w->id, i);

		if (kctl_send(h, out, (size_t)n, NULL) != 0 ||
		    kctl_recv(h, in, sizeof(in), &got, NULL) != 0 || got != (size_t)n ||
		    memcmp(in, out, got) != 0)
			w->errors++;
	}
	kctl_close(h);
	return NULL;
}

static void many_threads_each_with_a_handle_get_only_their_own_echoes(void **state)
{
	struct fixture *f = *state;
	struct worker w[THREADS];
	pthread_t t[THREADS];

	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .be = f->be, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, echo_worker, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].errors, 0);
		assert_true(w[i].unit >= 1);
	}
	assert_int_equal(atomic_load(&f->st.sends), THREADS * MESSAGES);
	assert_int_equal(atomic_load(&f->st.connects), THREADS);
	assert_int_equal(atomic_load(&f->st.disconnects), THREADS);
}

struct pair {
	kctl_t *h;
	int errors;
};

static void *send_many(void *arg)
{
	struct pair *p = arg;

	for (uint32_t i = 0; i < 500; i++)
		if (kctl_send(p->h, &i, sizeof(i), NULL) != 0)
			p->errors++;
	return NULL;
}

static void one_thread_sends_while_another_receives_on_the_same_handle(void **state)
{
	struct fixture *f = *state;
	struct pair p = { 0 };
	pthread_t t;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &p.h), 0);
	assert_int_equal(kctl_set_timeout(p.h, 5000), 0);
	assert_int_equal(pthread_create(&t, NULL, send_many, &p), 0);
	for (uint32_t i = 0; i < 500; i++) {
		uint32_t v = 0;
		size_t got = 0;
		int rc;

		/* 500 records of 4 bytes fit the 8 KiB receive buffer: none is dropped */
		rc = kctl_recv(p.h, &v, sizeof(v), &got, NULL);
		assert_int_equal(rc, 0);
		assert_int_equal(got, sizeof(v));
		assert_int_equal(v, i);
	}
	pthread_join(t, NULL);
	assert_int_equal(p.errors, 0);
	kctl_close(p.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(many_threads_each_with_a_handle_get_only_their_own_echoes),
		T(one_thread_sends_while_another_receives_on_the_same_handle),
#undef T
	};

	return cmocka_run_group_tests_name("client_threads", tests, NULL, NULL);
}
