/* STREAM framing: bursts cost a handful of receives, and frames cut anywhere by the
 * kernel's pieces come out whole and in order. */
#include <pthread.h>

#include "msg_fixture.h"

#define BURST 1000

static void put_event(kctl_sim_ctl_t *ctl, uint32_t unit, uint32_t i, uint64_t *buf, size_t *w)
{
	assert_int_equal(fc_event(buf, i, w), 0);
	(void)ctl; (void)unit;
}

static void receive_events(kctl_t *h, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t buf[8];
		const struct kctl_frame_hdr *e = (const void *)buf;
		size_t wire = 0;
		uint32_t v = 0;

		assert_int_equal(kctl_msg_recv(h, buf, sizeof(buf), &wire), 0);
		memcpy(&v, kctl_frame_payload(e), sizeof(v));
		assert_int_equal(v, i);
	}
}

static void a_burst_of_1000_small_frames_costs_under_a_tenth_of_a_receive_each(void **state)
{
	struct mfix *f = *state;
	struct fc_state st = { .stream = 1 };
	kctl_sim_ctl_t *big = NULL;
	kctl_t *h = NULL;
	uint64_t before;
	struct kctl_msg_stats ms;

	assert_int_equal(fc_register(f->sim, "org.libkctl.test.burst", &st, 65536, &big), 0);
	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.burst", 0, KCTL_OPEN_STREAM, &h), 0);
	for (uint32_t i = 0; i < BURST; i++) {
		uint64_t buf[8];
		size_t w = 0;

		put_event(big, kctl_unit(h), i, buf, &w);
		assert_int_equal(kctl_sim_enqueue(big, kctl_unit(h), buf, w, 0), 0);
	}
	before = kctl_sim_call_count(f->sim, KCTL_SIM_CALL_RECV);
	receive_events(h, BURST);
	assert_int_equal(kctl_msg_stats(h, &ms), 0);
	print_message("burst: %llu receives for %d frames\n", (unsigned long long)ms.recv_calls,
		      BURST);
	assert_true(ms.recv_calls * 10 < BURST);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_RECV) - before, ms.recv_calls);
	kctl_close(h);
}

struct producer {
	kctl_sim_ctl_t *ctl;
	uint32_t unit;
	uint32_t n;
	int enobufs;
};

/*
 * As a kext bursts: batches of 50 frames, one wakeup each. A kext on a Mac would send
 * them with CTL_DATA_NOWAKEUP on all but the last; the simulator cannot keep such data
 * from waking a poll() already asleep (its readiness is a real fd's, level-triggered),
 * so here each batch is one enqueue, which wakes the reader once on both kernels.
 */
#define BATCH 50

static void *produce(void *arg)
{
	struct producer *p = arg;

	for (uint32_t i = 0; i < p->n; i += BATCH) {
		uint64_t buf[BATCH * 8];
		size_t len = 0;
		int rc;

		for (uint32_t j = i; j < i + BATCH && j < p->n; j++) {
			size_t w = 0;

			fc_event(buf + len / 8, j, &w);
			len += w;
		}
		while ((rc = kctl_sim_enqueue(p->ctl, p->unit, buf, len, 0)) == -ENOBUFS)
			p->enobufs++; /* the 8 KiB buffer is full: wait for the reader */
		if (rc != 0)
			return NULL;
	}
	return NULL;
}

static void a_burst_through_a_full_default_buffer_still_costs_few_receives(void **state)
{
	struct mfix *f = *state;
	struct producer p = { .ctl = f->stream, .unit = kctl_unit(f->hs), .n = BURST };
	struct kctl_msg_stats ms;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
	receive_events(f->hs, BURST);
	pthread_join(t, NULL);
	assert_int_equal(kctl_msg_stats(f->hs, &ms), 0);
	print_message("concurrent burst: %llu receives for %d frames (%d ENOBUFS retries)\n",
		      (unsigned long long)ms.recv_calls, BURST, p.enobufs);
	assert_true(ms.recv_calls * 10 < BURST);
}

static void frames_cut_anywhere_by_the_kernel_come_out_whole_and_in_order(void **state)
{
	struct mfix *f = *state;
	uint64_t stream[256];
	unsigned char *bytes = (unsigned char *)stream;
	size_t total = 0, off = 0, cut = 1;

	for (uint32_t i = 0; i < 40; i++) {
		size_t w = 0;

		assert_int_equal(kctl_frame_start((char *)stream + total, sizeof(stream) - total,
						  KCTL_FRAME_F_EVENT, FC_EVENT_TYPE, 0, 0), 0);
		assert_int_equal(kctl_frame_put((char *)stream + total, sizeof(stream) - total,
						&i, sizeof(i)), 0);
		assert_int_equal(kctl_frame_finish((char *)stream + total, sizeof(stream) - total,
						   &w), 0);
		total += w;
	}
	while (off < total) {
		size_t n = cut < total - off ? cut : total - off;

		assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(f->hs), bytes + off, n, 0), 0);
		off += n;
		cut = cut % 23 + 1;              /* pieces of 1..23 bytes, across headers */
		assert_true(kctl_msg_ready(f->hs) >= 0); /* pulls the piece: partial frames */
	}
	receive_events(f->hs, 40);
}

/* A control that keeps the first piece of a send with EWOULDBLOCK, then refuses. */
static atomic_int torn_pieces;

static int torn_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		     int flags)
{
	(void)ctl; (void)unit; (void)unitinfo; (void)flags;
	kctl_sim_mbuf_free(m);
	return atomic_fetch_add(&torn_pieces, 1) == 0 ? -EAGAIN : -ENOBUFS;
}

/*
 * A frame above the control's send size that went out in part cannot be finished by a
 * later frame: the handle refuses to send more frames rather than glue two together.
 */
static void a_frame_sent_in_part_stops_the_handle_from_sending_more_frames(void **state)
{
	struct mfix *f = *state;
	static unsigned char big[3000];
	struct kctl_sim_reg reg = { .name = "org.libkctl.test.torn", .connect = fc_connect,
				    .flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM, .send = torn_send };
	kctl_sim_ctl_t *ctl = NULL;
	kctl_t *h = NULL;

	atomic_store(&torn_pieces, 0);
	assert_int_equal(kctl_sim_register(f->sim, &reg, &ctl), 0);
	assert_int_equal(kctl_open_name(f->be, reg.name, 0, KCTL_OPEN_STREAM, &h), 0);
	assert_int_equal(kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, big, sizeof(big)),
			 -ENOBUFS);
	assert_int_equal(atomic_load(&torn_pieces), 2); /* 2048 kept, the rest refused */
	assert_non_null(strstr(kctl_msg_detail(h), "torn"));
	assert_int_equal(kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "x", 1),
			 -ENOTRECOVERABLE);
	assert_int_equal(atomic_load(&torn_pieces), 2); /* nothing more went out */
	kctl_close(h);
	assert_int_equal(kctl_sim_deregister(ctl), 0);
}

/* A batch sent without *sent: torn only when the send stopped inside a frame. */
static void a_batch_cut_at_a_frame_boundary_is_not_torn_one_cut_inside_is(void **state)
{
	struct mfix *f = *state;
	static uint64_t a[2048 / 8], b[2048 / 8], c[1024 / 8];
	struct iovec whole[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec cut[2] = { { c, sizeof(c) }, { b, sizeof(b) } };
	struct kctl_sim_reg reg = { .name = "org.libkctl.test.torn", .connect = fc_connect,
				    .flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM, .send = torn_send };
	kctl_sim_ctl_t *ctl = NULL;
	kctl_t *h = NULL;
	void *p = NULL;

	assert_int_equal(kctl_frame_start(a, sizeof(a), KCTL_FRAME_F_EVENT, 1, 0, 0), 0);
	assert_int_equal(kctl_frame_reserve(a, sizeof(a), sizeof(a) - KCTL_FRAME_HDR_LEN, &p), 0);
	assert_int_equal(kctl_frame_finish(a, sizeof(a), NULL), 0);
	memcpy(b, a, sizeof(b));
	assert_int_equal(kctl_frame_start(c, sizeof(c), KCTL_FRAME_F_EVENT, 1, 0, 0), 0);
	assert_int_equal(kctl_frame_reserve(c, sizeof(c), sizeof(c) - KCTL_FRAME_HDR_LEN, &p), 0);
	assert_int_equal(kctl_frame_finish(c, sizeof(c), NULL), 0);
	assert_int_equal(kctl_sim_register(f->sim, &reg, &ctl), 0);
	assert_int_equal(kctl_open_name(f->be, reg.name, 0, KCTL_OPEN_STREAM, &h), 0);
	atomic_store(&torn_pieces, 0);
	assert_int_equal(kctl_msg_sendv(h, whole, 2, NULL), -ENOBUFS); /* cut after frame 1 */
	atomic_store(&torn_pieces, 0);
	assert_int_equal(kctl_msg_sendv(h, cut, 2, NULL), -ENOBUFS); /* cut inside frame 2 */
	assert_int_equal(kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "x", 1), -ENOTRECOVERABLE);
	kctl_close(h);
	assert_int_equal(kctl_sim_deregister(ctl), 0);
}

/* Refused before any byte went: nothing is torn, the next frame goes out. */
static void a_frame_refused_whole_leaves_the_stream_usable(void **state)
{
	struct mfix *f = *state;

	atomic_store(&torn_pieces, 1); /* every piece refused */
	{
		struct kctl_sim_reg reg = { .name = "org.libkctl.test.refuse",
					    .connect = fc_connect, .send = torn_send,
					    .flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM };
		kctl_sim_ctl_t *ctl = NULL;
		kctl_t *h = NULL;

		assert_int_equal(kctl_sim_register(f->sim, &reg, &ctl), 0);
		assert_int_equal(kctl_open_name(f->be, reg.name, 0, KCTL_OPEN_STREAM, &h), 0);
		assert_int_equal(kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "x", 1), -ENOBUFS);
		assert_int_equal(kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "x", 1), -ENOBUFS);
		kctl_close(h);
		assert_int_equal(kctl_sim_deregister(ctl), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)
		T(a_burst_of_1000_small_frames_costs_under_a_tenth_of_a_receive_each),
		T(a_burst_through_a_full_default_buffer_still_costs_few_receives),
		T(frames_cut_anywhere_by_the_kernel_come_out_whole_and_in_order),
		T(a_frame_sent_in_part_stops_the_handle_from_sending_more_frames),
		T(a_frame_refused_whole_leaves_the_stream_usable),
		T(a_batch_cut_at_a_frame_boundary_is_not_torn_one_cut_inside_is),
#undef T
	};

	return cmocka_run_group_tests_name("msg_stream", tests, NULL, NULL);
}
