/*
 * Requests that do not block: started, answered through the receive path with the
 * events, timed out, cancelled; and the calls an event loop trusts before it sleeps.
 * On DGRAM and on STREAM.
 */
#include <poll.h>
#include <pthread.h>
#include <time.h>

#include "msg_fixture.h"

static void for_both(void **state, void (*check)(kctl_t *h, kctl_sim_ctl_t *ctl))
{
	struct mfix *f = *state;

	check(f->hd, f->dgram);
	check(f->hs, f->stream);
}

static uint64_t counter(kctl_t *h, uint32_t which)
{
	uint64_t v = 12345;

	assert_int_equal(kctl_msg_counter(h, which, &v), 0);
	return v;
}

static struct kctl_frame_hdr hdr_of(const void *p)
{
	struct kctl_frame_hdr h;

	memcpy(&h, p, sizeof(h));
	return h;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Receives one frame and its info, which must be of `kind` (and for replies, seq). */
static struct kctl_msg_info recv_one(kctl_t *h, uint64_t *buf, size_t cap, uint32_t kind)
{
	struct kctl_msg_info info;
	size_t wire = 0;

	memset(&info, 0xee, sizeof(info));
	assert_int_equal(kctl_msg_recv_info(h, buf, cap, &wire, &info), 0);
	assert_int_equal(info.kind, kind);
	assert_int_equal(info.seq, hdr_of(buf).seq);
	assert_int_equal(info.reserved, 0);
	return info;
}

static void events_then_reply(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	uint32_t n = 3, seq = 0;
	uint64_t buf[8];
	struct kctl_msg_info info;

	(void)ctl;
	assert_int_equal(kctl_request_start(h, FC_EVENTS, &n, sizeof(n), 2000, &seq), 0);
	assert_true(seq != 0);
	for (uint32_t i = 0; i < 3; i++) {
		info = recv_one(h, buf, sizeof(buf), KCTL_MSG_EVENT);
		assert_int_equal(info.last, 0);
		assert_int_equal(fc_u32((const void *)buf), i);
	}
	info = recv_one(h, buf, sizeof(buf), KCTL_MSG_REPLY);
	assert_int_equal(info.seq, seq);
	assert_int_equal(info.last, 1);
	assert_int_equal(info.err, 0);
	assert_int_equal(counter(h, KCTL_MSG_UNMATCHED_REPLIES), 0);
	assert_int_equal(counter(h, KCTL_MSG_IN_FLIGHT), 0);
}

static void a_started_request_returns_at_once_and_its_reply_comes_with_the_events(void **state)
{
	for_both(state, events_then_reply);
}

static void multi(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	static const char *const parts[] = { "one", "two", "three" };
	uint64_t buf[8];
	uint32_t seq = 0;

	(void)ctl;
	assert_int_equal(kctl_request_start(h, FC_MULTI, NULL, 0, KCTL_TIMEOUT_INFINITE, &seq),
			 0);
	for (int i = 0; i < 3; i++) {
		struct kctl_msg_info info = recv_one(h, buf, sizeof(buf), KCTL_MSG_REPLY);
		const struct kctl_frame_hdr *f = (const void *)buf;

		assert_int_equal(info.seq, seq);
		assert_int_equal(info.last, i == 2);
		assert_int_equal(kctl_frame_payload_len(f), strlen(parts[i]));
		assert_memory_equal(kctl_frame_payload(f), parts[i], strlen(parts[i]));
	}
}

static void a_reply_in_parts_comes_frame_by_frame_and_the_last_says_so(void **state)
{
	for_both(state, multi);
}

static void error_reply(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	uint32_t err = ENOENT, seq = 0;
	uint64_t buf[8];
	struct kctl_msg_info info;

	(void)ctl;
	assert_int_equal(kctl_request_start(h, FC_FAIL, &err, sizeof(err), 2000, &seq), 0);
	info = recv_one(h, buf, sizeof(buf), KCTL_MSG_REPLY);
	assert_int_equal(info.last, 1);
	assert_int_equal(info.err, -ENOENT);
	assert_int_equal(info.origin, KCTL_ORIGIN_CONTROL);
	assert_true(hdr_of(buf).flags & KCTL_FRAME_F_ERROR);
}

static void an_error_reply_is_the_controls_answer(void **state)
{
	for_both(state, error_reply);
}

static void silent(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	uint64_t buf[8];
	uint32_t seq = 0;
	struct kctl_msg_info info;
	struct kctl_frame_hdr fh;

	(void)ctl;
	assert_int_equal(kctl_request_start(h, FC_SILENT, "x", 1, 30, &seq), 0);
	assert_int_equal(counter(h, KCTL_MSG_IN_FLIGHT), 1);
	/* the handle waits up to 2 s; the request's 30 ms end the wait first */
	info = recv_one(h, buf, sizeof(buf), KCTL_MSG_REPLY);
	fh = hdr_of(buf);
	assert_int_equal(fh.flags, KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR);
	assert_int_equal(fh.aux, ETIMEDOUT);
	assert_int_equal(fh.type, FC_SILENT);
	assert_int_equal(fh.seq, seq);
	assert_int_equal(fh.len, KCTL_FRAME_HDR_LEN);
	assert_int_equal(info.err, -ETIMEDOUT);
	assert_int_equal(info.origin, KCTL_ORIGIN_LIBRARY);
	assert_int_equal(info.last, 1);
	assert_int_equal(counter(h, KCTL_MSG_IN_FLIGHT), 0);
	/* the reply that comes after is recognised: dropped and counted, not unmatched */
	assert_int_equal(fc_put(ctl, kctl_unit(h), KCTL_FRAME_F_REPLY, FC_SILENT, seq, 0, "late",
				4), 0);
	kctl_set_timeout(h, 0);
	assert_int_equal(kctl_msg_recv_info(h, buf, sizeof(buf), &(size_t){ 0 }, &info), -EAGAIN);
	assert_int_equal(counter(h, KCTL_MSG_LATE_REPLIES), 1);
	assert_int_equal(counter(h, KCTL_MSG_UNMATCHED_REPLIES), 0);
	kctl_set_timeout(h, 2000);
}

static void a_silent_control_gets_a_timeout_frame_made_by_libkctl(void **state)
{
	for_both(state, silent);
}

static void queued_beats_deadline(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	uint64_t buf[8];
	uint32_t seq = 0;
	struct kctl_msg_info info;

	(void)ctl;
	assert_int_equal(kctl_request_start(h, FC_ECHO, "on time", 7, 10, &seq), 0);
	sleep_ms(40); /* the reply was queued at once; nobody read it before the deadline */
	info = recv_one(h, buf, sizeof(buf), KCTL_MSG_REPLY);
	assert_int_equal(info.err, 0);
	assert_int_equal(info.last, 1);
	assert_memory_equal(kctl_frame_payload((const void *)buf), "on time", 7);
	assert_int_equal(counter(h, KCTL_MSG_LATE_REPLIES), 0);
}

static void a_reply_queued_before_the_deadline_is_never_a_timeout(void **state)
{
	for_both(state, queued_beats_deadline);
}

static void cancelled(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	uint64_t buf[8];
	uint32_t seq = 0;
	size_t wire = 0;

	assert_int_equal(kctl_request_start(h, FC_SILENT, NULL, 0, 20, &seq), 0);
	assert_int_equal(kctl_request_cancel(h, seq), 0);
	assert_int_equal(kctl_request_cancel(h, seq), -ENOENT);
	assert_int_equal(kctl_request_cancel(h, 0), -ENOENT);
	assert_int_equal(kctl_msg_wait_ms(h), -1);
	sleep_ms(30);
	kctl_set_timeout(h, 0);
	assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), -EAGAIN); /* no timeout */
	assert_int_equal(fc_put(ctl, kctl_unit(h), KCTL_FRAME_F_REPLY, FC_SILENT, seq, 0, NULL,
				0), 0);
	assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), -EAGAIN);
	assert_int_equal(counter(h, KCTL_MSG_LATE_REPLIES), 1);
	kctl_set_timeout(h, 2000);
}

static void a_cancelled_request_ends_without_a_frame_and_its_reply_is_late(void **state)
{
	for_both(state, cancelled);
}

static void pending(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	struct pollfd p = { .fd = kctl_fd(h), .events = POLLIN };
	uint32_t n = 3, seq = 0;
	char reply[8];
	uint64_t buf[8];
	size_t len = 0, wire = 0;
	int32_t ms;

	(void)ctl;
	assert_int_equal(kctl_msg_pending(h), 0);
	assert_int_equal(kctl_msg_wait_ms(h), -1);
	/* a blocking request reads the events that come before its reply, and keeps them */
	assert_int_equal(kctl_request(h, FC_EVENTS, &n, sizeof(n), reply, sizeof(reply), &len), 0);
	assert_int_equal(poll(&p, 1, 0), 0); /* the fd says nothing: they are read already */
	assert_int_equal(kctl_msg_pending(h), 3);
	assert_int_equal(kctl_msg_wait_ms(h), 0);
	for (int i = 3; i > 0; i--) {
		assert_int_equal(kctl_msg_pending(h), i);
		assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), 0);
	}
	assert_int_equal(kctl_msg_pending(h), 0);
	assert_int_equal(kctl_request_start(h, FC_SILENT, NULL, 0, 500, &seq), 0);
	ms = kctl_msg_wait_ms(h);
	assert_true(ms > 0 && ms <= 500);
	sleep_ms(20);
	assert_true(kctl_msg_wait_ms(h) < ms);
	assert_int_equal(kctl_request_cancel(h, seq), 0);
	assert_int_equal(kctl_msg_wait_ms(h), -1);
}

static void pending_and_wait_ms_tell_the_loop_what_the_fd_cannot(void **state)
{
	for_both(state, pending);
}

static void shared(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	uint32_t seq[KCTL_MSG_MAX_INFLIGHT], extra = 0;
	char reply[8];
	size_t len = 0;

	(void)ctl;
	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++)
		assert_int_equal(kctl_request_start(h, FC_SILENT, NULL, 0, 5000, &seq[i]), 0);
	assert_int_equal(counter(h, KCTL_MSG_IN_FLIGHT), KCTL_MSG_MAX_INFLIGHT);
	assert_int_equal(kctl_request_start(h, FC_SILENT, NULL, 0, 5000, &extra), -EBUSY);
	assert_int_equal(kctl_request(h, FC_ECHO, "a", 1, reply, sizeof(reply), &len), -EBUSY);
	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++)
		assert_int_equal(kctl_request_cancel(h, seq[i]), 0);
	assert_int_equal(counter(h, KCTL_MSG_IN_FLIGHT), 0);
	assert_int_equal(kctl_request(h, FC_ECHO, "a", 1, reply, sizeof(reply), &len), 0);
}

static void blocking_and_started_requests_share_the_slots(void **state)
{
	for_both(state, shared);
}

static void mixed(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	uint64_t buf[8];
	uint32_t seq = 0;
	char reply[8];
	size_t len = 0;
	struct kctl_msg_info info;

	(void)ctl;
	/* the blocking request reads the started one's reply first and keeps it as a reply */
	assert_int_equal(kctl_request_start(h, FC_ECHO, "async", 5, 2000, &seq), 0);
	assert_int_equal(kctl_request(h, FC_ECHO, "sync", 4, reply, sizeof(reply), &len), 0);
	assert_memory_equal(reply, "sync", 4);
	assert_int_equal(kctl_msg_pending(h), 1);
	info = recv_one(h, buf, sizeof(buf), KCTL_MSG_REPLY);
	assert_int_equal(info.seq, seq);
	assert_int_equal(info.last, 1);
	assert_int_equal(hdr_of(buf).flags, KCTL_FRAME_F_REPLY); /* the class bits are gone */
	assert_memory_equal(kctl_frame_payload((const void *)buf), "async", 5);
	assert_int_equal(counter(h, KCTL_MSG_UNMATCHED_REPLIES), 0);
}

static void a_started_reply_read_by_a_blocking_request_is_still_a_reply(void **state)
{
	for_both(state, mixed);
}

static void small_buffer(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	uint64_t buf[8];
	uint32_t seq = 0;
	size_t wire = 0;

	(void)ctl;
	assert_int_equal(kctl_request_start(h, FC_SILENT, NULL, 0, 1, &seq), 0);
	sleep_ms(10);
	assert_int_equal(kctl_msg_pending(h), 1);
	assert_int_equal(kctl_msg_recv(h, buf, 8, &wire), -EMSGSIZE);
	assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), 0);
	assert_int_equal(wire, KCTL_FRAME_HDR_LEN);
	assert_int_equal(hdr_of(buf).seq, seq);
}

static void a_timeout_frame_waits_for_a_buffer_it_fits(void **state)
{
	for_both(state, small_buffer);
}

static void a_start_with_bad_arguments_sends_nothing(void **state)
{
	struct mfix *f = *state;
	uint64_t sends = kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SEND);
	uint32_t seq = 7;

	assert_int_equal(kctl_request_start(f->hd, FC_ECHO, NULL, 0, 0, &seq), -EINVAL);
	assert_int_equal(kctl_request_start(f->hd, FC_ECHO, NULL, 0, -2, &seq), -EINVAL);
	assert_int_equal(kctl_request_start(f->hd, FC_ECHO, NULL, 1, 10, &seq), -EINVAL);
	assert_int_equal(kctl_request_start(f->hd, FC_ECHO, NULL, 0, 10, NULL), -EINVAL);
	assert_int_equal(kctl_request_start(NULL, FC_ECHO, NULL, 0, 10, &seq), -EINVAL);
	assert_int_equal(kctl_request_cancel(NULL, 1), -EINVAL);
	assert_int_equal(kctl_msg_pending(NULL), -EINVAL);
	assert_int_equal(kctl_msg_wait_ms(NULL), 0);
	assert_int_equal(kctl_msg_counter(f->hd, 99, &(uint64_t){ 0 }), -EINVAL);
	assert_int_equal(seq, 7);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SEND), sends);
	assert_int_equal(counter(f->hd, KCTL_MSG_IN_FLIGHT), 0);
}

static void a_start_that_cannot_be_sent_is_not_started(void **state)
{
	struct mfix *f = *state;
	uint32_t seq = 7;

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, -ENOBUFS), 0);
	assert_int_equal(kctl_request_start(f->hd, FC_ECHO, "x", 1, 100, &seq), -ENOBUFS);
	assert_int_equal(seq, 7);
	assert_int_equal(counter(f->hd, KCTL_MSG_IN_FLIGHT), 0);
	assert_int_equal(kctl_msg_wait_ms(f->hd), -1);
}

struct starter {
	kctl_t *h;
	int n, started;
};

/* Starts n echo requests, retrying while all slots are taken. */
static void *start_many(void *arg)
{
	struct starter *st = arg;

	while (st->started < st->n) {
		uint32_t seq = 0;
		int rc = kctl_request_start(st->h, FC_ECHO, "t", 1, 5000, &seq);

		if (rc == 0)
			st->started++;
		else if (rc != -EBUSY)
			return arg;
		else
			sleep_ms(1);
	}
	return NULL;
}

static void other_thread(kctl_t *h, kctl_sim_ctl_t *ctl)
{
	struct starter st = { .h = h, .n = 100, .started = 0 };
	pthread_t th;
	int replies = 0, turns = 0;
	void *r = &r;

	(void)ctl;
	kctl_set_timeout(h, 0);
	assert_int_equal(pthread_create(&th, NULL, start_many, &st), 0);
	while (replies < st.n && turns++ < 100000) {
		struct pollfd p = { .fd = kctl_fd(h), .events = POLLIN };
		uint64_t buf[8];
		struct kctl_msg_info info;
		size_t wire = 0;
		int rc;

		/* the starter's requests do not wake poll(): bound the sleep for this test */
		int32_t ms = kctl_msg_wait_ms(h);

		poll(&p, 1, ms < 0 || ms > 5 ? 5 : ms);
		while ((rc = kctl_msg_recv_info(h, buf, sizeof(buf), &wire, &info)) == 0) {
			assert_int_equal(info.kind, KCTL_MSG_REPLY);
			assert_int_equal(info.last, 1);
			replies++;
		}
		assert_int_equal(rc, -EAGAIN);
	}
	assert_int_equal(pthread_join(th, &r), 0);
	assert_null(r);
	assert_int_equal(replies, 100);
	assert_int_equal(counter(h, KCTL_MSG_UNMATCHED_REPLIES), 0);
	assert_int_equal(counter(h, KCTL_MSG_IN_FLIGHT), 0);
	kctl_set_timeout(h, 2000);
}

static void requests_started_by_another_thread_are_answered_in_the_loop(void **state)
{
	for_both(state, other_thread);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)
		T(a_started_request_returns_at_once_and_its_reply_comes_with_the_events),
		T(a_reply_in_parts_comes_frame_by_frame_and_the_last_says_so),
		T(an_error_reply_is_the_controls_answer),
		T(a_silent_control_gets_a_timeout_frame_made_by_libkctl),
		T(a_reply_queued_before_the_deadline_is_never_a_timeout),
		T(a_cancelled_request_ends_without_a_frame_and_its_reply_is_late),
		T(pending_and_wait_ms_tell_the_loop_what_the_fd_cannot),
		T(blocking_and_started_requests_share_the_slots),
		T(a_started_reply_read_by_a_blocking_request_is_still_a_reply),
		T(a_timeout_frame_waits_for_a_buffer_it_fits),
		T(a_start_with_bad_arguments_sends_nothing),
		T(a_start_that_cannot_be_sent_is_not_started),
		T(requests_started_by_another_thread_are_answered_in_the_loop),
#undef T
	};

	return cmocka_run_group_tests_name("msg_async", tests, NULL, NULL);
}
