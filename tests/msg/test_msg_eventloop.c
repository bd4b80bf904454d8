/* Fitting an event loop: "is a frame ready", several frames per syscall, and drops
 * counted instead of the session torn down. */
#include <poll.h>

#include "msg_fixture.h"

static size_t request_frame(void *buf, size_t cap, uint32_t seq, const char *text)
{
	size_t w = 0;

	assert_int_equal(kctl_frame_start(buf, cap, KCTL_FRAME_F_REQUEST, FC_ECHO, seq, 0), 0);
	assert_int_equal(kctl_frame_put(buf, cap, text, strlen(text)), 0);
	assert_int_equal(kctl_frame_finish(buf, cap, &w), 0);
	return w;
}

/* Header fields read and written through memcpy: the buffers are uint64_t arrays. */
static struct kctl_frame_hdr hdr_of(const void *p)
{
	struct kctl_frame_hdr h;

	memcpy(&h, p, sizeof(h));
	return h;
}

static void ready_says_no_until_a_whole_frame_has_arrived(void **state)
{
	struct mfix *f = *state;
	uint64_t buf[8], out[8];
	size_t w = request_frame(buf, sizeof(buf), 1, "abc"), wire = 0;
	struct pollfd p = { .fd = kctl_fd(f->hs), .events = POLLIN };

	struct kctl_frame_hdr h = hdr_of(buf);

	(void)w;
	h.flags = KCTL_FRAME_F_EVENT;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(kctl_msg_ready(f->hs), 0);
	assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(f->hs), buf, 10, 0), 0);
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(kctl_msg_ready(f->hs), 0); /* 10 of 24 bytes: not yet */
	assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(f->hs), (char *)buf + 10, 14, 0), 0);
	assert_int_equal(kctl_msg_ready(f->hs), 1);
	assert_int_equal(kctl_msg_ready(f->hs), 1); /* asking twice takes nothing */
	kctl_set_timeout(f->hs, 0);
	assert_int_equal(kctl_msg_recv(f->hs, out, sizeof(out), &wire), 0);
	assert_int_equal(wire, 24);
	assert_int_equal(kctl_msg_ready(f->hs), 0);
}

static void three_frames_go_out_in_one_send_on_stream_and_on_dgram(void **state)
{
	struct mfix *f = *state;
	kctl_t *hs[2] = { f->hs, f->hd };
	struct fc_state *st[2] = { &f->st_stream, &f->st_dgram };

	for (int k = 0; k < 2; k++) {
		uint64_t a[8], b[8], c[8], out[8];
		struct iovec iov[3];
		uint64_t sends = kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SEND);
		struct kctl_msg_stats ms;
		size_t sent = 0, wire = 0;

		iov[0] = (struct iovec){ a, request_frame(a, sizeof(a), 10, "one") };
		iov[1] = (struct iovec){ b, request_frame(b, sizeof(b), 11, "two") };
		iov[2] = (struct iovec){ c, request_frame(c, sizeof(c), 12, "three") };
		assert_int_equal(kctl_msg_sendv(hs[k], iov, 3, &sent), 0);
		assert_int_equal(sent, iov[0].iov_len + iov[1].iov_len + iov[2].iov_len);
		assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SEND) - sends, 1);
		assert_int_equal(atomic_load(&st[k]->requests), 3);
		for (uint32_t seq = 10; seq < 13; seq++) {
			assert_int_equal(kctl_msg_recv(hs[k], out, sizeof(out), &wire), 0);
			assert_int_equal(hdr_of(out).seq, seq);
		}
		assert_int_equal(kctl_msg_stats(hs[k], &ms), 0);
		assert_int_equal(ms.frames_out, 3);
	}
}

static void drops_reported_in_band_by_the_kernel_are_summed(void **state)
{
	struct mfix *f = *state;
	uint64_t out[8];
	size_t wire = 0;
	struct kctl_msg_stats st;

	for (uint32_t d = 5; d <= 7; d++)
		assert_int_equal(fc_put(f->dgram, kctl_unit(f->hd), KCTL_FRAME_F_EVENT,
					FC_EVENT_TYPE, 0, d, NULL, 0), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(kctl_msg_recv(f->hd, out, sizeof(out), &wire), 0);
	assert_int_equal(kctl_msg_stats(f->hd, &st), 0);
	assert_int_equal(st.kernel_drops, 18);
	assert_int_equal(st.frames_in, 3);
}

static void a_full_backlog_drops_and_counts_frames_but_the_reply_still_arrives(void **state)
{
	struct mfix *f = *state;
	uint32_t n = 30; /* 30 events of 24 bytes; the backlog holds 4 x 64 = 256 bytes */
	char reply[8];
	size_t len = 0, wire = 0;
	struct kctl_msg_stats st;
	uint64_t out[8];
	int kept = 0;

	assert_int_equal(kctl_msg_set_max_frame(f->hs, 64), 0);
	assert_int_equal(kctl_request(f->hs, FC_EVENTS, &n, sizeof(n), reply, sizeof(reply), &len),
			 0);
	assert_int_equal(kctl_msg_stats(f->hs, &st), 0);
	assert_true(st.backlog_drops > 0);
	kctl_set_timeout(f->hs, 0);
	while (kctl_msg_recv(f->hs, out, sizeof(out), &wire) == 0)
		kept++;
	assert_int_equal((uint64_t)kept + st.backlog_drops, 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)
		T(ready_says_no_until_a_whole_frame_has_arrived),
		T(three_frames_go_out_in_one_send_on_stream_and_on_dgram),
		T(drops_reported_in_band_by_the_kernel_are_summed),
		T(a_full_backlog_drops_and_counts_frames_but_the_reply_still_arrives),
#undef T
	};

	return cmocka_run_group_tests_name("msg_eventloop", tests, NULL, NULL);
}
