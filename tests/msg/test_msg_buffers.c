/* The framing buffers grow with the traffic: bursts bigger than the first receive
 * buffer, a frame bigger than it, events kept while a request waits, and the backlog's
 * limit. Nothing is lost, reordered or handed out twice on the way. */
#include "msg_fixture.h"

/* A STREAM and a DGRAM frame control with room for big bursts, and a handle on each. */
struct big {
	struct fc_state st_s, st_d;
	kctl_sim_ctl_t *cs, *cd;
	kctl_t *hs, *hd;
};

static void big_up(struct mfix *f, struct big *b)
{
	memset(b, 0, sizeof(*b));
	b->st_s.stream = 1;
	assert_int_equal(fc_register(f->sim, "org.libkctl.test.big.stream", &b->st_s, 65536,
				     &b->cs), 0);
	assert_int_equal(fc_register(f->sim, "org.libkctl.test.big", &b->st_d, 65536, &b->cd),
			 0);
	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.big.stream", 0,
					KCTL_OPEN_STREAM, &b->hs), 0);
	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.big", 0, 0, &b->hd), 0);
	kctl_set_timeout(b->hs, 2000);
	kctl_set_timeout(b->hd, 2000);
}

static void big_down(struct big *b)
{
	kctl_close(b->hs);
	kctl_close(b->hd);
	assert_int_equal(kctl_sim_deregister(b->cs), 0);
	assert_int_equal(kctl_sim_deregister(b->cd), 0);
}

/* Queues events first..first+n-1 (24 bytes each): one record each on DGRAM. */
static void queue_events(kctl_sim_ctl_t *ctl, kctl_t *h, uint32_t first, uint32_t n,
			 int stream)
{
	for (uint32_t i = first; i < first + n; i++) {
		uint64_t ev[8];
		size_t w = 0;

		assert_int_equal(fc_event(ev, i, &w), 0);
		assert_int_equal(kctl_sim_enqueue(ctl, kctl_unit(h), ev, w,
						  stream ? 0 : KCTL_ABI_CTL_DATA_EOR), 0);
	}
}

/* Reads n events and checks they are first, first+1, ... in order. */
static void read_events(kctl_t *h, uint32_t first, uint32_t n)
{
	for (uint32_t i = first; i < first + n; i++) {
		uint64_t buf[8];
		size_t wire = 0;

		assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), 0);
		assert_int_equal(fc_u32((const struct kctl_frame_hdr *)buf), i);
	}
}

static void a_stream_burst_bigger_than_the_first_buffer_comes_out_whole_in_order(void **state)
{
	struct mfix *f = *state;
	struct kctl_msg_stats st;
	uint64_t left[8];
	size_t wire;
	struct big b;

	big_up(f, &b);
	queue_events(b.cs, b.hs, 0, 2000, 1); /* 48000 bytes: far above 4 KiB */
	read_events(b.hs, 0, 2000);
	assert_int_equal(kctl_msg_stats(b.hs, &st), 0);
	assert_int_equal(st.frames_in, 2000);
	assert_true(st.recv_calls < 20); /* the buffer grew: not one receive per 4 KiB */
	kctl_set_timeout(b.hs, 0);
	assert_int_equal(kctl_msg_recv(b.hs, left, sizeof(left), &wire), -EAGAIN);
	big_down(&b);
}

static void a_stream_frame_bigger_than_the_first_buffer_is_read_whole(void **state)
{
	struct mfix *f = *state;
	static uint64_t frame[8192 / 8], out[8192 / 8];
	static char payload[6000];
	size_t wire = 0, got = 0;
	struct big b;

	big_up(f, &b);
	memset(payload, 0x5a, sizeof(payload));
	assert_int_equal(kctl_frame_start(frame, sizeof(frame), KCTL_FRAME_F_EVENT,
					  FC_EVENT_TYPE, 0, 0), 0);
	assert_int_equal(kctl_frame_put(frame, sizeof(frame), payload, sizeof(payload)), 0);
	assert_int_equal(kctl_frame_finish(frame, sizeof(frame), &wire), 0);
	assert_int_equal(kctl_sim_enqueue(b.cs, kctl_unit(b.hs), frame, wire, 0), 0);
	queue_events(b.cs, b.hs, 1, 1, 1);
	assert_int_equal(kctl_msg_recv(b.hs, out, sizeof(out), &got), 0);
	assert_int_equal(got, wire);
	assert_memory_equal(out, frame, wire);
	read_events(b.hs, 1, 1);
	big_down(&b);
}

static void events_that_come_while_a_request_waits_are_all_kept_in_order(void **state)
{
	struct mfix *f = *state;
	struct kctl_msg_stats st;
	char reply[8];
	size_t len = 0;
	struct big b;

	big_up(f, &b);
	queue_events(b.cd, b.hd, 0, 600, 0); /* 600 records: the backlog grows past 4 KiB */
	assert_int_equal(kctl_request(b.hd, FC_ECHO, "ping", 4, reply, sizeof(reply), &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(reply, "ping", 4);
	assert_int_equal(kctl_msg_pending(b.hd), 600);
	read_events(b.hd, 0, 600);
	assert_int_equal(kctl_msg_stats(b.hd, &st), 0);
	assert_int_equal(st.backlog_drops, 0);
	big_down(&b);
}

static void the_backlog_stops_at_four_max_frames_and_counts_what_it_drops(void **state)
{
	struct mfix *f = *state;
	struct kctl_msg_stats st;
	char reply[8];
	size_t len = 0, wire = 0;
	uint32_t kept = 0, last = 0;
	uint64_t buf[8];
	struct big b;

	big_up(f, &b);
	assert_int_equal(kctl_msg_set_max_frame(b.hd, 1024), 0); /* backlog: 4096 at most */
	queue_events(b.cd, b.hd, 0, 400, 0);			 /* 9600 bytes of events */
	assert_int_equal(kctl_request(b.hd, FC_ECHO, "x", 1, reply, sizeof(reply), &len), 0);
	kctl_set_timeout(b.hd, 0);
	while (kctl_msg_recv(b.hd, buf, sizeof(buf), &wire) == 0) {
		uint32_t i = fc_u32((const struct kctl_frame_hdr *)buf);

		assert_true(kept == 0 || i > last); /* in order, none twice */
		last = i;
		kept++;
	}
	assert_int_equal(kctl_msg_stats(b.hd, &st), 0);
	assert_int_equal(kept, 4096 / 24);
	assert_int_equal(st.backlog_drops + kept, 400);
	big_down(&b);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_stream_burst_bigger_than_the_first_buffer_comes_out_whole_in_order),
		T(a_stream_frame_bigger_than_the_first_buffer_is_read_whole),
		T(events_that_come_while_a_request_waits_are_all_kept_in_order),
		T(the_backlog_stops_at_four_max_frames_and_counts_what_it_drops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
