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

/*
 * Events leave room for replies, but replies the client does not read fill the buffer
 * too: a request whose reply cannot fit is refused whole (ENOBUFS: it did nothing) and
 * goes through once the client has read.
 */
static void a_request_meeting_a_buffer_full_of_unread_replies_is_refused_until_read(
	void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	static uint64_t echo[SAMPLE_MAX_FRAME / 8], in[SAMPLE_MAX_FRAME / 8];
	const struct kctl_frame_hdr *last = (const void *)in;
	uint64_t counter[4];
	size_t wire = 0, cwire = 0, got = 0;
	void *pay = NULL;

	assert_int_equal(kctl_frame_start(echo, sizeof(echo), KCTL_FRAME_F_REQUEST,
					  SAMPLE_MSG_ECHO, 1, 0), 0);
	assert_int_equal(kctl_frame_reserve(echo, sizeof(echo),
					    SAMPLE_MAX_FRAME - KCTL_FRAME_HDR_LEN, &pay), 0);
	assert_int_equal(kctl_frame_finish(echo, sizeof(echo), &wire), 0);
	assert_int_equal(kctl_frame_start(counter, sizeof(counter), KCTL_FRAME_F_REQUEST,
					  SAMPLE_MSG_COUNTER, 2, 0), 0);
	assert_int_equal(kctl_frame_finish(counter, sizeof(counter), &cwire), 0);
	for (int i = 0; i < 4; i++) /* four 2048-byte replies: 8192, the whole buffer */
		assert_int_equal(kctl_send(h, echo, wire, NULL), 0);
	assert_int_equal(kctl_send(h, counter, cwire, NULL), -ENOBUFS);
	assert_int_equal(kctl_send(h, echo, wire, NULL), -ENOBUFS);
	assert_int_equal(kctl_recv(h, in, sizeof(in), &got, NULL), 0);
	assert_int_equal(got, wire);
	assert_int_equal(kctl_send(h, counter, cwire, NULL), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(kctl_recv(h, in, sizeof(in), &got, NULL), 0);
	assert_int_equal(kctl_recv(h, in, sizeof(in), &got, NULL), 0);
	assert_int_equal(last->seq, 2);
	assert_int_equal(kx_counter(h, 0), 2); /* the refused one did nothing */
	assert_int_equal(kx_stats(h).replies_dropped, 0);
	kctl_close(h);
}

/* Unsubscribes; returns the drops the reply announces (those no event reported). */
static uint32_t unsubscribe_drops(kctl_t *h)
{
	uint64_t reply[8];
	const struct kctl_attr *a;
	size_t rlen = 0;
	uint32_t drops = UINT32_MAX;

	assert_int_equal(kx_call(h, SAMPLE_MSG_UNSUBSCRIBE, NULL, reply, sizeof(reply), &rlen),
			 0);
	assert_int_equal(kctl_attr_find(reply, rlen, SAMPLE_ATTR_DROPS, &a), 0);
	assert_int_equal(kctl_attr_get_u32(a, &drops), 0);
	return drops;
}

/* Reads every event queued; counts them and the drops they report. */
static void read_all_events(kctl_t *h, uint64_t *events, uint64_t *drops)
{
	uint64_t buf[SAMPLE_MAX_FRAME / 8];
	const struct kctl_frame_hdr *f = (const void *)buf;
	size_t wire = 0;

	assert_int_equal(kctl_set_timeout(h, 0), 0);
	while (kctl_msg_recv(h, buf, sizeof(buf), &wire) == 0) {
		assert_true(f->flags & KCTL_FRAME_F_EVENT);
		(*events)++;
		*drops += f->aux;
	}
	assert_int_equal(kctl_set_timeout(h, KX_TIMEOUT_MS), 0);
}

/*
 * Drops still pending when the client unsubscribes are announced in the UNSUBSCRIBE
 * reply (DROPS), so events read + drops reported, in events and in that reply, account
 * for every event the kext generated, exactly.
 */
static void the_unsubscribe_reply_announces_the_drops_no_event_reported(void **state)
{
	struct kx *k = *state;

	for (int stream = 0; stream <= 1; stream++) {
		kctl_t *h = kx_open(k, stream);
		uint64_t events = 0, drops = 0;
		struct sample_stats st;
		struct kctl_msg_stats ms;
		uint32_t tail;

		assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, SAMPLE_BURST_MAX), 0);
		subscribe(h, 1);
		for (int i = 0; i < 500 && kx_stats(h).events_dropped == 0; i++)
			sleep_ms(2);
		tail = unsubscribe_drops(h);
		read_all_events(h, &events, &drops);
		st = kx_stats(h);
		assert_true(st.events_dropped > 0);
		assert_true(tail > 0); /* the buffer was full: drops were pending */
		assert_int_equal(events, st.events_sent);
		assert_int_equal(drops + tail, st.events_dropped);
		assert_int_equal(kctl_msg_stats(h, &ms), 0);
		assert_int_equal(ms.backlog_drops, 0);
		/* and a new subscription starts with nothing pending */
		subscribe(h, 1);
		assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, 1), 0);
		{
			struct ev e = next_event(h);

			assert_int_equal(e.drops, 0);
		}
		kctl_close(h);
	}
}

/* ---- soak: requests through a full event stream, bounded by a count ---- */

#define SOAK_ROUNDS 30

struct soak {
	int rounds, unsub_ok, unsub_refused, requests, refused;
	uint64_t events, reported_drops; /* events read, and the drops their aux reported */
	uint64_t tail_drops;             /* drops the UNSUBSCRIBE replies announced */
};

/* Waits (bounded) until the kext has dropped an event since `since`: the buffer is full. */
static void wait_full(kctl_t *h, uint64_t since)
{
	for (int i = 0; i < 500 && kx_stats(h).events_dropped <= since; i++)
		sleep_ms(2);
	assert_true(kx_stats(h).events_dropped > since);
}

/* Reads every frame queued (events, checked for numbering); returns the last seq seen. */
static uint64_t drain_events(kctl_t *h, struct soak *s, uint64_t last)
{
	uint64_t buf[SAMPLE_MAX_FRAME / 8];
	const struct kctl_frame_hdr *f = (const void *)buf;
	size_t wire = 0;

	assert_int_equal(kctl_set_timeout(h, 0), 0);
	while (kctl_msg_recv(h, buf, sizeof(buf), &wire) == 0) {
		const struct kctl_attr *a;
		uint64_t seq = 0;

		assert_true(f->flags & KCTL_FRAME_F_EVENT);
		assert_int_equal(kctl_attr_find(kctl_frame_payload(f), kctl_frame_payload_len(f),
						SAMPLE_ATTR_EVENT_SEQ, &a), 0);
		assert_int_equal(kctl_attr_get_u64(a, &seq), 0);
		if (last != 0)
			assert_int_equal(seq, last + f->aux + 1);
		s->events++;
		s->reported_drops += f->aux;
		last = seq;
	}
	assert_int_equal(kctl_set_timeout(h, KX_TIMEOUT_MS), 0);
	return last;
}

/* Adds the DROPS an UNSUBSCRIBE reply announced (the "before" kext sends none). */
static void count_tail(struct soak *s, const void *reply, size_t rlen)
{
	const struct kctl_attr *a;
	uint32_t drops = 0;

	if (kctl_attr_find(reply, rlen, SAMPLE_ATTR_DROPS, &a) == 0 &&
	    kctl_attr_get_u32(a, &drops) == 0)
		s->tail_drops += drops;
}

/* One request while the buffer is full: 0, or -ENOBUFS counted as refused. */
static int soak_request(kctl_t *h, struct soak *s, uint16_t type)
{
	uint64_t reply[8];
	size_t rlen = 0;
	int rc;

	rc = kx_call(h, type, NULL, reply, sizeof(reply), &rlen);
	s->requests++;
	if (rc == -ENOBUFS)
		s->refused++;
	else
		assert_int_equal(rc, 0);
	if (rc == 0 && type == SAMPLE_MSG_UNSUBSCRIBE)
		count_tail(s, reply, rlen);
	return rc;
}

/* Unsubscribes however long it takes a client to get through (the "before" escape). */
static void unsubscribe_the_hard_way(kctl_t *h, struct soak *s, uint64_t *last)
{
	uint64_t reply[8];
	size_t rlen = 0;
	int rc = -ENOBUFS;

	assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, 1), 0);
	for (int i = 0; i < 100 && rc == -ENOBUFS; i++) {
		*last = drain_events(h, s, *last);
		rc = kx_call(h, SAMPLE_MSG_UNSUBSCRIBE, NULL, reply, sizeof(reply), &rlen);
	}
	assert_int_equal(rc, 0);
	count_tail(s, reply, rlen);
	assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, SAMPLE_BURST_MAX), 0);
}

static void soak_round(kctl_t *h, struct soak *s)
{
	uint64_t last = 0;

	subscribe(h, 1);
	wait_full(h, kx_stats(h).events_dropped);
	(void)soak_request(h, s, SAMPLE_MSG_COUNTER);
	wait_full(h, kx_stats(h).events_dropped);
	if (soak_request(h, s, SAMPLE_MSG_UNSUBSCRIBE) == 0) {
		s->unsub_ok++;
	} else {
		s->unsub_refused++;
		unsubscribe_the_hard_way(h, s, &last);
	}
	(void)drain_events(h, s, last);
	s->rounds++;
}

/*
 * A subscriber that reads events more slowly than they come (here: not at all between
 * requests, so each request meets a full buffer) must still get every request through,
 * UNSUBSCRIBE included. Bounded by a count of rounds, not by time.
 */
static void requests_get_through_a_full_event_stream(void **state)
{
	struct kx *k = *state;

	for (int stream = 0; stream <= 1; stream++) {
		kctl_t *h = kx_open(k, stream);
		struct soak s = { 0 };
		struct sample_stats st;
		struct kctl_msg_stats ms;

		assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, SAMPLE_BURST_MAX), 0);
		for (int r = 0; r < SOAK_ROUNDS; r++)
			soak_round(h, &s);
		st = kx_stats(h);
		assert_int_equal(kctl_msg_stats(h, &ms), 0);
		print_message("soak %s: %d rounds; unsubscribe %d of %d got through; %d of %d "
			      "requests refused; events: %llu generated, %llu read, %llu drops "
			      "reported by events, %llu by UNSUBSCRIBE replies\n",
			      stream ? "stream" : "dgram", s.rounds, s.unsub_ok, s.rounds,
			      s.refused, s.requests,
			      (unsigned long long)(st.events_sent + st.events_dropped),
			      (unsigned long long)s.events, (unsigned long long)s.reported_drops,
			      (unsigned long long)s.tail_drops);
		assert_int_equal(s.unsub_ok, SOAK_ROUNDS);
		assert_int_equal(s.refused, 0);
		assert_true(s.events > 0);
		/* every event generated is read or reported dropped, exactly */
		assert_int_equal(ms.backlog_drops, 0);
		assert_int_equal(s.events, st.events_sent);
		assert_int_equal(s.reported_drops + s.tail_drops, st.events_dropped);
		assert_int_equal(ms.kernel_drops, s.reported_drops);
		kctl_close(h);
	}
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
			a_request_meeting_a_buffer_full_of_unread_replies_is_refused_until_read,
			kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(requests_get_through_a_full_event_stream, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(
			the_unsubscribe_reply_announces_the_drops_no_event_reported, kx_setup,
			kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
