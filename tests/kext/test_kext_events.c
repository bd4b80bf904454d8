/* Sample's events: delivery to subscribers, and drops counted under a full buffer. */
#include <time.h>

#include "kext_fixture.h"

struct ev {
	uint64_t seq;
	uint32_t drops;
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Receives the next frame, which must be an event; returns its seq and drop count. */
static struct ev next_event(kctl_t *h)
{
	uint64_t buf[SAMPLE_MAX_FRAME / 8];
	const struct kctl_frame_hdr *f = (const void *)buf;
	const struct kctl_attr *a;
	struct ev e = { 0, 0 };
	size_t wire = 0;

	assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), 0);
	assert_true(f->flags & KCTL_FRAME_F_EVENT);
	assert_int_equal(f->type, SAMPLE_MSG_EVENT);
	assert_int_equal(kctl_attr_find(kctl_frame_payload(f), kctl_frame_payload_len(f),
					SAMPLE_ATTR_EVENT_SEQ, &a), 0);
	assert_int_equal(kctl_attr_get_u64(a, &e.seq), 0);
	e.drops = f->aux;
	return e;
}

static void subscribe(kctl_t *h, int on)
{
	uint64_t reply[4];

	assert_int_equal(kx_call(h, on ? SAMPLE_MSG_SUBSCRIBE : SAMPLE_MSG_UNSUBSCRIBE, NULL,
				 reply, sizeof(reply), NULL), 0);
}

static void a_subscriber_receives_numbered_events_without_drops(void **state)
{
	struct kx *k = *state;

	for (int stream = 0; stream <= 1; stream++) {
		kctl_t *h = kx_open(k, stream);

		subscribe(h, 1);
		for (uint64_t want = 1; want <= 5; want++) {
			struct ev e = next_event(h);

			assert_int_equal(e.seq, want);
			assert_int_equal(e.drops, 0);
		}
		kctl_close(h);
	}
}

static void a_unit_that_did_not_subscribe_gets_no_events(void **state)
{
	struct kx *k = *state;
	kctl_t *quiet = kx_open(k, 0), *loud = kx_open(k, 0);
	uint64_t buf[8];
	size_t wire = 0;

	subscribe(loud, 1);
	(void)next_event(loud);
	(void)next_event(loud);
	assert_int_equal(kctl_set_timeout(quiet, 0), 0);
	assert_int_equal(kctl_msg_recv(quiet, buf, sizeof(buf), &wire), -EAGAIN);
	kctl_close(quiet);
	kctl_close(loud);
}

static void no_event_follows_the_reply_to_unsubscribe(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t buf[8];
	size_t wire = 0;
	struct kctl_msg_stats st;

	subscribe(h, 1);
	(void)next_event(h);
	subscribe(h, 0);
	/* events that came before the reply are in the backlog; drain them */
	assert_int_equal(kctl_set_timeout(h, 0), 0);
	while (kctl_msg_recv(h, buf, sizeof(buf), &wire) == 0)
		;
	sleep_ms(5 * SAMPLE_TICK_MS);
	assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), -EAGAIN);
	assert_int_equal(kctl_msg_stats(h, &st), 0);
	assert_int_equal(st.kernel_drops, 0);
	kctl_close(h);
}

/*
 * A burst of 256 events per tick overflows the 8 KiB receive buffer within a tick or
 * two. Drops are counted; after the client reads, events resume and the first one
 * carries the drop count, so seq numbers account for every event generated.
 */
static void events_dropped_on_a_full_buffer_are_counted_and_reported_in_band(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	struct sample_stats st;
	struct kctl_msg_stats ms;
	struct ev prev = { 0, 0 }, e;
	uint64_t reported = 0;
	int resumed = 0;

	assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, SAMPLE_BURST_MAX), 0);
	subscribe(h, 1);
	sleep_ms(4 * SAMPLE_TICK_MS);
	st = kx_stats(h);
	assert_true(st.events_dropped > 0);
	assert_true(st.events_sent > 0);
	/* read until an event reports drops, checking the numbering all along */
	for (int i = 0; i < 100000 && !resumed; i++) {
		e = next_event(h);
		if (prev.seq != 0)
			assert_int_equal(e.seq, prev.seq + e.drops + 1);
		reported += e.drops;
		resumed = e.drops > 0;
		prev = e;
	}
	assert_true(resumed);
	/* no unsubscribe: with the buffer filling again it would meet ENOBUFS; close */
	assert_int_equal(kctl_msg_stats(h, &ms), 0);
	assert_true(ms.kernel_drops >= reported);
	assert_true(reported > 0);
	kctl_close(h);
}

static void a_request_meeting_a_full_buffer_is_refused_enobufs_and_works_after_reading(
	void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	unsigned char buf[SAMPLE_MAX_FRAME];
	size_t got = 0;
	int r;

	assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, SAMPLE_BURST_MAX), 0);
	subscribe(h, 1);
	sleep_ms(4 * SAMPLE_TICK_MS);
	/* raw: a frame that would need a reply while the buffer is full */
	{
		uint64_t fr[4];
		size_t wire = 0;

		assert_int_equal(kctl_frame_start(fr, sizeof(fr), KCTL_FRAME_F_REQUEST,
						  SAMPLE_MSG_COUNTER, 1, 0), 0);
		assert_int_equal(kctl_frame_finish(fr, sizeof(fr), &wire), 0);
		assert_int_equal(kctl_send(h, fr, wire, NULL), -ENOBUFS);
	}
	assert_int_equal(kctl_setopt(h, SAMPLE_OPT_BURST, &(uint32_t){ 1 }, 4), 0);
	/* unsubscribe cannot get through either: read everything first, then ask */
	assert_int_equal(kctl_set_timeout(h, 0), 0);
	do
		r = kctl_recv(h, buf, sizeof(buf), &got, NULL);
	while (r == 0);
	assert_int_equal(r, -EAGAIN);
	assert_int_equal(kctl_set_timeout(h, KX_TIMEOUT_MS), 0);
	assert_int_equal(kx_counter(h, 0), 1); /* the refused one did nothing */
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_subscriber_receives_numbered_events_without_drops,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(a_unit_that_did_not_subscribe_gets_no_events,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(no_event_follows_the_reply_to_unsubscribe, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(
			events_dropped_on_a_full_buffer_are_counted_and_reported_in_band, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(
			a_request_meeting_a_full_buffer_is_refused_enobufs_and_works_after_reading,
			kx_setup, kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
