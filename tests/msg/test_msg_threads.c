/* One handle, several threads: requests on some, events on another; nothing is lost or
 * handed to the wrong caller. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include "msg_fixture.h"

#define REQUESTS 300
#define EVENTS 300

struct req_worker {
	kctl_t *h;
	int id;
	int errors;
};

static void *do_requests(void *arg)
{
	struct req_worker *w = arg;

	for (int i = 0; i < REQUESTS; i++) {
		char out[32], in[32];
		size_t len = 0;
		int n = snprintf(out, sizeof(out), "w%d-%d", w->id, i);

		if (kctl_request(w->h, FC_ECHO, out, (size_t)n, in, sizeof(in), &len) != 0 ||
		    len != (size_t)n || memcmp(in, out, len) != 0)
			w->errors++;
	}
	return NULL;
}

struct emitter {
	kctl_sim_ctl_t *ctl;
	uint32_t unit;
	int stream;
	int failed;
};

static void *emit_events(void *arg)
{
	struct emitter *e = arg;

	for (uint32_t i = 0; i < EVENTS; i++) {
		uint64_t buf[8];
		size_t w = 0;
		int rc;

		fc_event(buf, i, &w);
		while ((rc = kctl_sim_enqueue(e->ctl, e->unit, buf, w,
					      e->stream ? 0 : KCTL_ABI_CTL_DATA_EOR)) == -ENOBUFS)
			sched_yield();
		if (rc != 0)
			e->failed++;
	}
	return NULL;
}

static void requests_and_events(kctl_t *h, kctl_sim_ctl_t *ctl, int stream, int nworkers)
{
	struct emitter em = { .ctl = ctl, .unit = kctl_unit(h), .stream = stream };
	struct req_worker w[4];
	pthread_t tw[4], te;
	struct kctl_msg_stats st;

	assert_int_equal(kctl_set_timeout(h, 10000), 0);
	for (int i = 0; i < nworkers; i++) {
		w[i] = (struct req_worker){ .h = h, .id = i };
		assert_int_equal(pthread_create(&tw[i], NULL, do_requests, &w[i]), 0);
	}
	assert_int_equal(pthread_create(&te, NULL, emit_events, &em), 0);
	for (uint32_t i = 0; i < EVENTS; i++) {
		uint64_t buf[8];
		const struct kctl_frame_hdr *e = (const void *)buf;
		size_t wire = 0;
		uint32_t v = 0;

		assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), 0);
		assert_true(e->flags & KCTL_FRAME_F_EVENT); /* never a reply meant for a request */
		memcpy(&v, kctl_frame_payload(e), sizeof(v));
		assert_int_equal(v, i);
	}
	for (int i = 0; i < nworkers; i++) {
		pthread_join(tw[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
	pthread_join(te, NULL);
	assert_int_equal(em.failed, 0);
	assert_int_equal(kctl_msg_stats(h, &st), 0);
	assert_int_equal(st.unmatched_replies, 0);
	assert_int_equal(st.backlog_drops, 0);
	assert_int_equal(st.frames_in, (uint64_t)EVENTS + (uint64_t)nworkers * REQUESTS);
}

static void one_thread_requests_while_another_receives_events_on_dgram(void **state)
{
	struct mfix *f = *state;

	requests_and_events(f->hd, f->dgram, 0, 1);
}

static void one_thread_requests_while_another_receives_events_on_stream(void **state)
{
	struct mfix *f = *state;

	requests_and_events(f->hs, f->stream, 1, 1);
}

static void four_requesting_threads_each_get_their_own_replies(void **state)
{
	struct mfix *f = *state;

	requests_and_events(f->hs, f->stream, 1, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)
		T(one_thread_requests_while_another_receives_events_on_dgram),
		T(one_thread_requests_while_another_receives_events_on_stream),
		T(four_requesting_threads_each_get_their_own_replies),
#undef T
	};

	return cmocka_run_group_tests_name("msg_threads", tests, NULL, NULL);
}
