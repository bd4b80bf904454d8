/*
 * Errors of framed traffic that never mislead: an ERROR reply is the control's answer,
 * a timeout or a reply too big is libkctl's, a DGRAM record above the send size names
 * both the kernel's rule and the send callback.
 */
#include <stdatomic.h>

#include "msg_fixture.h"

static const char *explained(kctl_t *h, uint32_t call, int err)
{
	static char buf[512];

	assert_true(kctl_explain(h, call, err, buf, sizeof(buf)) < (int)sizeof(buf));
	return buf;
}

static uint32_t origin_of(kctl_t *h, uint32_t call)
{
	struct kctl_error e;

	assert_int_equal(kctl_last_error(h, call, &e), 0);
	return e.origin;
}

static void an_error_reply_is_the_controls_answer_not_a_kernel_rule(void **state)
{
	struct mfix *f = *state;
	uint32_t err = ENOENT;
	char reply[8];
	size_t len = 0;

	assert_int_equal(kctl_request(f->hd, FC_FAIL, &err, sizeof(err), reply, sizeof(reply),
				      &len), -ENOENT);
	assert_int_equal(origin_of(f->hd, KCTL_CALL_REQUEST), KCTL_ORIGIN_CONTROL);
	assert_string_equal(explained(f->hd, KCTL_CALL_REQUEST, -ENOENT),
			    "ENOENT (No such file or directory): the control answered ENOENT to "
			    "request type 2 (seq 1): an ERROR reply");
	/* the sentence the old library gave for any ENOENT */
	assert_null(strstr(explained(f->hd, KCTL_CALL_REQUEST, -ENOENT), "no such kernel"));
}

static void a_request_nobody_answers_is_libkctls_timeout(void **state)
{
	struct mfix *f = *state;
	char reply[8];
	size_t len = 0;

	kctl_set_timeout(f->hs, 30);
	assert_int_equal(kctl_request(f->hs, FC_SILENT, NULL, 0, reply, sizeof(reply), &len),
			 -ETIMEDOUT);
	assert_int_equal(origin_of(f->hs, KCTL_CALL_REQUEST), KCTL_ORIGIN_LIBRARY);
	assert_string_equal(explained(f->hs, KCTL_CALL_REQUEST, -ETIMEDOUT),
			    "ETIMEDOUT (Connection timed out): no reply came within 30 ms; libkctl "
			    "stopped waiting (a later reply is dropped and counted as late)");
}

static void a_reply_too_big_and_a_frame_too_big_are_refused_by_libkctl(void **state)
{
	struct mfix *f = *state;
	char big[9000] = { 0 }, reply[4];
	size_t len = 0;

	assert_int_equal(kctl_request(f->hd, FC_ECHO, "sixteen bytes!!!", 16, reply, sizeof(reply),
				      &len), -EMSGSIZE);
	assert_string_equal(explained(f->hd, KCTL_CALL_REQUEST, -EMSGSIZE),
			    "EMSGSIZE (Message too long): the reply needs at least 16 bytes and the "
			    "buffer has 4; libkctl consumed and dropped it");
	assert_int_equal(kctl_request(f->hd, FC_ECHO, big, sizeof(big), reply, sizeof(reply),
				      &len), -EMSGSIZE);
	assert_string_equal(explained(f->hd, KCTL_CALL_REQUEST, -EMSGSIZE),
			    "EMSGSIZE (Message too long): libkctl refused a 9016-byte frame before "
			    "any syscall: the handle's max frame is 8192 (kctl_msg_set_max_frame)");
}

static void a_dgram_record_above_the_send_size_names_both_possible_sources(void **state)
{
	struct mfix *f = *state;
	char big[4000] = { 0 }, reply[4];
	size_t len = 0;

	assert_int_equal(kctl_msg_set_max_frame(f->hd, 16384), 0);
	assert_int_equal(kctl_request(f->hd, FC_ECHO, big, sizeof(big), reply, sizeof(reply),
				      &len), -EMSGSIZE);
	assert_int_equal(origin_of(f->hd, KCTL_CALL_REQUEST), KCTL_ORIGIN_KERNEL_OR_CONTROL);
	assert_string_equal(explained(f->hd, KCTL_CALL_REQUEST, -EMSGSIZE),
			    "EMSGSIZE (Message too long): the kernel takes no DGRAM record above "
			    "the control's send size (this one: 4016 bytes), or the control's send "
			    "callback answered EMSGSIZE");
	assert_int_equal(kctl_send(f->hd, big, sizeof(big), NULL), -EMSGSIZE);
	assert_non_null(strstr(explained(f->hd, KCTL_CALL_SEND, -EMSGSIZE), "(this one: 4000 "));
}

static void a_refused_send_is_the_send_callbacks_answer(void **state)
{
	struct mfix *f = *state;
	char reply[4];
	uint32_t seq = 0;
	size_t len = 0;

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, -ENOBUFS), 0);
	assert_int_equal(kctl_request(f->hd, FC_ECHO, "x", 1, reply, sizeof(reply), &len),
			 -ENOBUFS);
	assert_string_equal(explained(f->hd, KCTL_CALL_REQUEST, -ENOBUFS),
			    "ENOBUFS (No buffer space available): the control's send callback "
			    "answered ENOBUFS to the request");
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, -ENOBUFS), 0);
	assert_int_equal(kctl_request_start(f->hd, FC_ECHO, "x", 1, 100, &seq), -ENOBUFS);
	assert_int_equal(origin_of(f->hd, KCTL_CALL_REQUEST), KCTL_ORIGIN_CONTROL);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, -ENOBUFS), 0);
	assert_int_equal(kctl_send(f->hd, "x", 1, NULL), -ENOBUFS);
	assert_string_equal(explained(f->hd, KCTL_CALL_SEND, -ENOBUFS),
			    "ENOBUFS (No buffer space available): the control's send callback "
			    "answered ENOBUFS to a 1-byte send");
}

static void too_many_requests_and_an_unknown_cancel_are_libkctls(void **state)
{
	struct mfix *f = *state;
	uint32_t seq[KCTL_MSG_MAX_INFLIGHT + 1];

	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++)
		assert_int_equal(kctl_request_start(f->hd, FC_SILENT, NULL, 0, 5000, &seq[i]), 0);
	assert_int_equal(kctl_request_start(f->hd, FC_SILENT, NULL, 0, 5000, &seq[16]), -EBUSY);
	assert_string_equal(explained(f->hd, KCTL_CALL_REQUEST, -EBUSY),
			    "EBUSY (Device or resource busy): libkctl refused the request: 16 "
			    "requests are already waiting for replies on this handle");
	assert_int_equal(kctl_request_cancel(f->hd, 4242), -ENOENT);
	assert_string_equal(explained(f->hd, KCTL_CALL_REQUEST, -ENOENT),
			    "ENOENT (No such file or directory): no request with seq 4242 is "
			    "pending (it was answered, timed out or cancelled)");
}

static void receive_failures_say_what_libkctl_or_the_kernel_saw(void **state)
{
	struct mfix *f = *state;
	uint64_t buf[8], out[8];
	size_t wire = 0;

	/* a frame from the control that breaks the STREAM */
	assert_int_equal(fc_event(buf, 1, &wire), 0);
	((unsigned char *)buf)[4] = 9; /* the version byte */
	assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(f->hs), buf, wire, 0), 0);
	assert_int_equal(kctl_msg_recv(f->hs, out, sizeof(out), &wire), -EPROTONOSUPPORT);
	assert_string_equal(explained(f->hs, KCTL_CALL_RECV, -EPROTONOSUPPORT),
			    "EPROTONOSUPPORT (Protocol not supported): libkctl rejected a malformed "
			    "24-byte frame from the control: its version is not 1; a STREAM cannot "
			    "be resynchronised after that: close and reopen");
	assert_int_equal(kctl_msg_recv(f->hs, out, sizeof(out), &wire), -ENOTRECOVERABLE);
	assert_int_equal(origin_of(f->hs, KCTL_CALL_RECV), KCTL_ORIGIN_LIBRARY);
	/* a frame that does not fit the caller's buffer stays queued */
	assert_int_equal(fc_put(f->dgram, kctl_unit(f->hd), KCTL_FRAME_F_EVENT, FC_EVENT_TYPE, 0,
				0, "0123456789", 10), 0);
	assert_int_equal(kctl_msg_recv(f->hd, out, 16, &wire), -EMSGSIZE);
	assert_string_equal(explained(f->hd, KCTL_CALL_RECV, -EMSGSIZE),
			    "EMSGSIZE (Message too long): the next frame needs 32 bytes and the "
			    "buffer has 16; it stays queued");
	assert_int_equal(kctl_msg_recv(f->hd, out, sizeof(out), &wire), 0);
	kctl_set_timeout(f->hd, 20);
	assert_int_equal(kctl_msg_recv(f->hd, out, sizeof(out), &wire), -ETIMEDOUT);
	assert_string_equal(explained(f->hd, KCTL_CALL_RECV, -ETIMEDOUT),
			    "ETIMEDOUT (Connection timed out): nothing arrived within the handle's "
			    "timeout of 20 ms");
}

/* A control that keeps the first piece of a STREAM send, then refuses the rest. */
static atomic_int torn_pieces;

static int torn_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		     int flags)
{
	(void)ctl; (void)unit; (void)unitinfo; (void)flags;
	kctl_sim_mbuf_free(m);
	return atomic_fetch_add(&torn_pieces, 1) == 0 ? -EAGAIN : -ENOBUFS;
}

static void a_stream_torn_by_a_partial_frame_says_why_it_sends_no_more(void **state)
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
	assert_int_equal(origin_of(h, KCTL_CALL_SEND), KCTL_ORIGIN_CONTROL);
	assert_int_equal(kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "x", 1),
			 -ENOTRECOVERABLE);
	assert_string_equal(explained(h, KCTL_CALL_SEND, -ENOTRECOVERABLE),
			    "ENOTRECOVERABLE (State not recoverable): an earlier frame went out "
			    "only in part, so the control would read the next one as its rest: "
			    "this STREAM sends no more frames; close and reopen");
	kctl_close(h);
	assert_int_equal(kctl_sim_deregister(ctl), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)
		T(an_error_reply_is_the_controls_answer_not_a_kernel_rule),
		T(a_request_nobody_answers_is_libkctls_timeout),
		T(a_reply_too_big_and_a_frame_too_big_are_refused_by_libkctl),
		T(a_dgram_record_above_the_send_size_names_both_possible_sources),
		T(a_refused_send_is_the_send_callbacks_answer),
		T(too_many_requests_and_an_unknown_cancel_are_libkctls),
		T(receive_failures_say_what_libkctl_or_the_kernel_saw),
		T(a_stream_torn_by_a_partial_frame_says_why_it_sends_no_more),
#undef T
	};

	return cmocka_run_group_tests_name("msg_errors", tests, NULL, NULL);
}
