/*
 * EINTR and EAGAIN: what the library retries by itself (only what cannot apply twice)
 * and what it hands back. Interrupts are injected with kctl_sim_fail_next, which fails
 * the next call of a kind before it has any effect, as an interrupted sleep in sblock
 * or sbwait does on a Mac (an interrupted send that took bytes is a short count there).
 */
#include "msg_fixture.h"

static kctl_t *handle(struct mfix *f, int stream)
{
	return stream ? f->hs : f->hd;
}

static struct fc_state *state_of(struct mfix *f, int stream)
{
	return stream ? &f->st_stream : &f->st_dgram;
}

static void a_request_interrupted_while_it_waits_is_answered_and_sent_once(void **state)
{
	struct mfix *f = *state;

	for (int stream = 0; stream <= 1; stream++) {
		char reply[16];
		size_t len = 0;

		assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_RECV, -EINTR), 0);
		assert_int_equal(kctl_request(handle(f, stream), FC_ECHO, "once", 4, reply,
					      sizeof(reply), &len), 0);
		assert_int_equal(len, 4);
		assert_memory_equal(reply, "once", 4);
		assert_int_equal(atomic_load(&state_of(f, stream)->requests), 1);
	}
}

static void a_request_whose_send_is_interrupted_goes_out_exactly_once(void **state)
{
	struct mfix *f = *state;

	for (int stream = 0; stream <= 1; stream++) {
		char reply[16];
		size_t len = 0;

		assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, -EINTR), 0);
		assert_int_equal(kctl_request(handle(f, stream), FC_ECHO, "one", 3, reply,
					      sizeof(reply), &len), 0);
		assert_int_equal(len, 3);
		assert_int_equal(atomic_load(&state_of(f, stream)->requests), 1);
	}
}

/*
 * With timeout 0 a request that went out and found no reply yet is -ETIMEDOUT, never
 * -EAGAIN: -EAGAIN would invite the caller to send it again.
 */
static void a_request_sent_with_timeout_zero_and_no_reply_yet_is_etimedout(void **state)
{
	struct mfix *f = *state;

	for (int stream = 0; stream <= 1; stream++) {
		kctl_t *h = handle(f, stream);
		char reply[16];
		size_t len = 0;

		assert_int_equal(kctl_set_timeout(h, 0), 0);
		assert_int_equal(kctl_request(h, FC_SILENT, NULL, 0, reply, sizeof(reply), &len),
				 -ETIMEDOUT);
		assert_int_equal(atomic_load(&state_of(f, stream)->requests), 1);
		/* a control that answers at once is still answered with timeout 0 */
		assert_int_equal(kctl_request(h, FC_ECHO, "now", 3, reply, sizeof(reply), &len),
				 0);
		assert_int_equal(len, 3);
	}
}

static void an_interrupted_frame_receive_is_retried(void **state)
{
	struct mfix *f = *state;
	uint64_t buf[8];
	size_t wire = 0;

	assert_int_equal(fc_put(f->dgram, kctl_unit(f->hd), KCTL_FRAME_F_EVENT, FC_EVENT_TYPE,
				0, 0, "ev", 2), 0);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_RECV, -EINTR), 0);
	assert_int_equal(kctl_msg_recv(f->hd, buf, sizeof(buf), &wire), 0);
	assert_int_equal(wire, 24);
}

static void raw_sends_and_receives_retry_an_interrupt_and_deliver_once(void **state)
{
	struct mfix *f = *state;
	uint64_t fr[4], in[4];
	size_t wire = 0, sent = 0, got = 0;

	assert_int_equal(kctl_frame_start(fr, sizeof(fr), KCTL_FRAME_F_REQUEST, FC_ECHO, 9, 0),
			 0);
	assert_int_equal(kctl_frame_finish(fr, sizeof(fr), &wire), 0);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, -EINTR), 0);
	assert_int_equal(kctl_send(f->hd, fr, wire, &sent), 0);
	assert_int_equal(sent, wire);
	assert_int_equal(atomic_load(&f->st_dgram.requests), 1);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_RECV, -EINTR), 0);
	assert_int_equal(kctl_recv(f->hd, in, sizeof(in), &got, NULL), 0);
	assert_int_equal(got, wire);
}

/* Calls that may have acted return EINTR as they got it: the caller decides. */
static void an_interrupted_option_call_is_returned_as_it_is(void **state)
{
	struct mfix *f = *state;

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SETSOCKOPT, -EINTR), 0);
	assert_int_equal(kctl_set_u32(f->hd, 1, 1), -EINTR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)
		T(a_request_interrupted_while_it_waits_is_answered_and_sent_once),
		T(a_request_whose_send_is_interrupted_goes_out_exactly_once),
		T(a_request_sent_with_timeout_zero_and_no_reply_yet_is_etimedout),
		T(an_interrupted_frame_receive_is_retried),
		T(raw_sends_and_receives_retry_an_interrupt_and_deliver_once),
		T(an_interrupted_option_call_is_returned_as_it_is),
#undef T
	};

	return cmocka_run_group_tests_name("msg_retry", tests, NULL, NULL);
}
