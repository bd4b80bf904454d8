/* Every frame type through a handle, on DGRAM and on STREAM. */
#include "msg_fixture.h"

static void for_both(void **state, void (*check)(kctl_t *h, struct mfix *f))
{
	struct mfix *f = *state;

	check(f->hd, f);
	check(f->hs, f);
}

static void echo(kctl_t *h, struct mfix *f)
{
	char reply[64];
	size_t len = 0;

	(void)f;
	assert_int_equal(kctl_request(h, FC_ECHO, "marco", 5, reply, sizeof(reply), &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(reply, "marco", 5);
}

static void a_request_gets_its_reply_on_dgram_and_stream(void **state)
{
	for_both(state, echo);
}

static void error_reply(kctl_t *h, struct mfix *f)
{
	uint32_t err = EACCES;
	char reply[8];
	size_t len = 0;

	(void)f;
	assert_int_equal(kctl_request(h, FC_FAIL, &err, sizeof(err), reply, sizeof(reply), &len),
			 -EACCES);
	assert_int_equal(kctl_request(h, 77, NULL, 0, reply, sizeof(reply), &len), -EOPNOTSUPP);
}

static void an_error_reply_becomes_the_callers_negative_errno(void **state)
{
	for_both(state, error_reply);
}

static void events_kept(kctl_t *h, struct mfix *f)
{
	uint64_t buf[8];
	uint32_t n = 3;
	char reply[8];
	size_t len = 9, wire = 0;
	struct kctl_msg_stats st;

	(void)f;
	assert_int_equal(kctl_request(h, FC_EVENTS, &n, sizeof(n), reply, sizeof(reply), &len), 0);
	assert_int_equal(len, 0);
	for (uint32_t i = 0; i < n; i++) {
		const struct kctl_frame_hdr *e = (const void *)buf;
		uint32_t v = 99;

		assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), 0);
		assert_true(e->flags & KCTL_FRAME_F_EVENT);
		assert_int_equal(e->type, FC_EVENT_TYPE);
		memcpy(&v, kctl_frame_payload(e), sizeof(v));
		assert_int_equal(v, i);
	}
	kctl_set_timeout(h, 0);
	assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), -EAGAIN);
	kctl_set_timeout(h, 2000);
	assert_int_equal(kctl_msg_stats(h, &st), 0);
	assert_int_equal(st.frames_in, 4);
	assert_int_equal(st.backlog_drops, 0);
}

static void events_arriving_before_a_reply_are_kept_in_order_for_the_caller(void **state)
{
	for_both(state, events_kept);
}

static void multi(kctl_t *h, struct mfix *f)
{
	char reply[64];
	char tiny[5];
	size_t len = 0;

	(void)f;
	assert_int_equal(kctl_request(h, FC_MULTI, NULL, 0, reply, sizeof(reply), &len), 0);
	assert_int_equal(len, 11);
	assert_memory_equal(reply, "onetwothree", 11);
	assert_int_equal(kctl_request(h, FC_MULTI, NULL, 0, tiny, sizeof(tiny), &len), -EMSGSIZE);
	/* the oversized reply was consumed whole: the next request is not confused by it */
	assert_int_equal(kctl_request(h, FC_ECHO, "ok", 2, reply, sizeof(reply), &len), 0);
	assert_int_equal(len, 2);
}

static void a_reply_in_several_frames_is_joined_and_one_too_big_is_emsgsize(void **state)
{
	for_both(state, multi);
}

/* kctl.h allows no reply buffer at all (NULL, cap 0): an empty reply fits, others not. */
static void no_reply_buffer(kctl_t *h, struct mfix *f)
{
	size_t len = 99;

	(void)f;
	assert_int_equal(kctl_request(h, FC_ECHO, NULL, 0, NULL, 0, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(kctl_request(h, FC_ECHO, "x", 1, NULL, 0, &len), -EMSGSIZE);
	assert_int_equal(kctl_request(h, FC_MULTI, NULL, 0, NULL, 0, &len), -EMSGSIZE);
	assert_int_equal(kctl_request(h, FC_ECHO, NULL, 0, NULL, 0, &len), 0);
}

static void a_request_without_a_reply_buffer_takes_an_empty_reply(void **state)
{
	for_both(state, no_reply_buffer);
}

static void stray(kctl_t *h, struct mfix *f)
{
	uint64_t buf[8];
	char reply[8];
	size_t len = 0, wire = 0;
	struct kctl_msg_stats st;
	const struct kctl_frame_hdr *s = (const void *)buf;

	(void)f;
	assert_int_equal(kctl_request(h, FC_STRAY, NULL, 0, reply, sizeof(reply), &len), 0);
	assert_memory_equal(reply, "real", 4);
	assert_int_equal(kctl_msg_stats(h, &st), 0);
	assert_int_equal(st.unmatched_replies, 1);
	assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), 0);
	assert_true(s->flags & KCTL_FRAME_F_REPLY);
	assert_memory_equal(kctl_frame_payload(s), "stray", 5);
}

static void a_reply_that_matches_no_request_is_counted_and_kept(void **state)
{
	for_both(state, stray);
}

static void silent(kctl_t *h, struct mfix *f)
{
	char reply[8];
	size_t len = 0;

	(void)f;
	kctl_set_timeout(h, 50);
	assert_int_equal(kctl_request(h, FC_SILENT, NULL, 0, reply, sizeof(reply), &len),
			 -ETIMEDOUT);
	kctl_set_timeout(h, 2000);
	assert_int_equal(kctl_request(h, FC_ECHO, "a", 1, reply, sizeof(reply), &len), 0);
}

static void an_unanswered_request_times_out_and_the_handle_goes_on(void **state)
{
	for_both(state, silent);
}

static void frames_sent_one_by_one_reach_the_control_as_frames(void **state)
{
	struct mfix *f = *state;
	uint64_t buf[8];
	const struct kctl_frame_hdr *r = (const void *)buf;
	size_t wire = 0;

	assert_int_equal(kctl_msg_send(f->hd, KCTL_FRAME_F_REQUEST, FC_ECHO, 41, 0, "xyz", 3), 0);
	assert_int_equal(kctl_msg_recv(f->hd, buf, sizeof(buf), &wire), 0);
	assert_int_equal(wire, 24);
	assert_int_equal(r->seq, 41);
	assert_int_equal(kctl_msg_send(f->hd, 0xE0, 1, 1, 0, NULL, 0), -EINVAL);
	assert_int_equal(kctl_msg_send(f->hd, KCTL_FRAME_F_EVENT, 1, 0, 0, NULL, 9000), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)
		T(a_request_gets_its_reply_on_dgram_and_stream),
		T(an_error_reply_becomes_the_callers_negative_errno),
		T(events_arriving_before_a_reply_are_kept_in_order_for_the_caller),
		T(a_reply_in_several_frames_is_joined_and_one_too_big_is_emsgsize),
		T(a_request_without_a_reply_buffer_takes_an_empty_reply),
		T(a_reply_that_matches_no_request_is_counted_and_kept),
		T(an_unanswered_request_times_out_and_the_handle_goes_on),
		T(frames_sent_one_by_one_reach_the_control_as_frames),
#undef T
	};

	return cmocka_run_group_tests_name("msg_roundtrip", tests, NULL, NULL);
}
