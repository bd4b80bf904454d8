/*
 * Many units at once from several threads, over both sockets, while the event timer
 * pushes to subscribers: every answer is the right one for its unit.
 */
#include "kext_fixture.h"

#define THREADS 8
#define ROUNDS 150

struct worker {
	struct kx *k;
	int index;
	int failures;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	kctl_t *h = NULL;
	char key[16], val[16], got[32];
	size_t glen = 0;
	int stream = w->index & 1;

	if (kctl_open_name(w->k->be, stream ? SAMPLE_CTL_STREAM_NAME : SAMPLE_CTL_NAME, 0,
			   stream ? KCTL_OPEN_STREAM : 0, &h) != 0) {
		w->failures++;
		return NULL;
	}
	kctl_set_timeout(h, KX_TIMEOUT_MS);
	if ((w->index % 4) == 0) { /* some units also take events meanwhile */
		uint64_t r[4];
		size_t rl;

		w->failures += kctl_request(h, SAMPLE_MSG_SUBSCRIBE, NULL, 0, r, sizeof(r), &rl) != 0;
	}
	for (int i = 0; i < ROUNDS; i++) {
		snprintf(key, sizeof(key), "k%d", i % 8);
		snprintf(val, sizeof(val), "w%d-%d", w->index, i);
		w->failures += kx_kv_set(h, key, val, strlen(val)) != 0;
		w->failures += kx_kv_get(h, key, got, sizeof(got), &glen) != 0;
		w->failures += glen != strlen(val) || memcmp(got, val, glen) != 0;
		w->failures += kx_counter(h, 2) != (uint64_t)(i + 1) * 2;
	}
	kctl_close(h);
	return NULL;
}

static void eight_threads_on_eight_units_each_see_only_their_own_state(void **state)
{
	struct kx *k = *state;
	pthread_t t[THREADS];
	struct worker w[THREADS];

	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ k, i, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
}

struct sharer {
	kctl_t *h;
	int failures;
};

static void *share(void *arg)
{
	struct sharer *s = arg;

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t reply[8];
		size_t rlen = 0;

		s->failures += kctl_request(s->h, SAMPLE_MSG_ECHO, "same unit", 9, reply,
					    sizeof(reply), &rlen) != 0 || rlen != 9;
	}
	return NULL;
}

/* The kext serialises one unit's callbacks with the unit's lock. */
static void four_threads_sharing_one_unit_get_their_own_replies(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	pthread_t t[4];
	struct sharer s[4];
	uint64_t v = 0;

	for (int i = 0; i < 4; i++) {
		s[i] = (struct sharer){ h, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, share, &s[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(s[i].failures, 0);
	}
	assert_int_equal(kctl_get_u64(h, SAMPLE_OPT_COUNTER, &v), 0);
	assert_int_equal(kx_stats(h).requests, 4 * ROUNDS);
	kctl_close(h);
}

struct churner {
	struct kx *k;
	int failures;
};

static void *churn(void *arg)
{
	struct churner *c = arg;

	for (int i = 0; i < 40; i++) {
		kctl_t *h = NULL;
		uint64_t r[4];
		size_t rl;

		if (kctl_open_name(c->k->be, SAMPLE_CTL_NAME, 0, 0, &h) != 0) {
			c->failures++;
			continue;
		}
		kctl_set_timeout(h, KX_TIMEOUT_MS);
		c->failures += kctl_request(h, SAMPLE_MSG_SUBSCRIBE, NULL, 0, r, sizeof(r), &rl) != 0;
		kctl_close(h); /* disconnect races the timer's next push */
	}
	return NULL;
}

static void units_connecting_and_closing_while_events_flow_leave_nothing_behind(void **state)
{
	struct kx *k = *state;
	pthread_t t[4];
	struct churner c[4];

	for (int i = 0; i < 4; i++) {
		c[i] = (struct churner){ k, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, churn, &c[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(c[i].failures, 0);
	}
	/* teardown's unload succeeds only if every unit was freed and none is attached */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			eight_threads_on_eight_units_each_see_only_their_own_state, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(four_threads_sharing_one_unit_get_their_own_replies,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			units_connecting_and_closing_while_events_flow_leave_nothing_behind, kx_setup,
			kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
