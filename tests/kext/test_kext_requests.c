/* Sample's requests over DGRAM and STREAM: echo, counter, subscribe, and error replies. */
#include "kext_fixture.h"

static void echo(kctl_t *h, size_t n)
{
	static unsigned char out[SAMPLE_MAX_FRAME], back[SAMPLE_MAX_FRAME];
	size_t rlen = 0;

	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)(i * 7 + n);
	assert_int_equal(kctl_request(h, SAMPLE_MSG_ECHO, out, n, back, sizeof(back), &rlen), 0);
	assert_int_equal(rlen, n);
	assert_memory_equal(back, out, n);
}

static void echo_returns_the_payload_byte_for_byte_on_both_sockets(void **state)
{
	struct kx *k = *state;

	for (int stream = 0; stream <= 1; stream++) {
		kctl_t *h = kx_open(k, stream);

		echo(h, 0);
		echo(h, 1);
		echo(h, 127);
		echo(h, 129);
		echo(h, 1000);
		kctl_close(h);
	}
}

static void the_largest_echo_fills_a_whole_frame(void **state)
{
	struct kx *k = *state;

	for (int stream = 0; stream <= 1; stream++) {
		kctl_t *h = kx_open(k, stream);

		echo(h, SAMPLE_MAX_FRAME - KCTL_FRAME_HDR_LEN);
		kctl_close(h);
	}
}

static void an_echo_beyond_the_send_size_is_refused_by_the_kernel(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	static unsigned char big[SAMPLE_MAX_FRAME];
	uint64_t reply[4];
	size_t rlen = 0;

	assert_int_equal(kctl_request(h, SAMPLE_MSG_ECHO, big, sizeof(big), reply, sizeof(reply),
				      &rlen), -EMSGSIZE);
	echo(h, 10); /* and the unit still works */
	kctl_close(h);
}

static void the_counter_adds_one_by_default_and_add_otherwise(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t v = 0;

	assert_int_equal(kx_counter(h, 0), 1);
	assert_int_equal(kx_counter(h, 0), 2);
	assert_int_equal(kx_counter(h, 40), 42);
	assert_int_equal(kctl_get_u64(h, SAMPLE_OPT_COUNTER, &v), 0);
	assert_int_equal(v, 42);
	kctl_close(h);
}

static void each_unit_has_its_own_counter(void **state)
{
	struct kx *k = *state;
	kctl_t *a = kx_open(k, 0), *b = kx_open(k, 0), *s = kx_open(k, 1);

	assert_int_equal(kx_counter(a, 10), 10);
	assert_int_equal(kx_counter(b, 0), 1);
	assert_int_equal(kx_counter(s, 3), 3);
	assert_int_equal(kx_counter(a, 0), 11);
	kctl_close(a);
	kctl_close(b);
	kctl_close(s);
}

static void a_counter_add_of_the_wrong_size_is_answered_ebadmsg(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	struct kx_msg m;
	uint64_t reply[4];

	kx_msg_init(&m);
	assert_int_equal(kctl_attr_put_u16(m.buf, sizeof(m.buf), SAMPLE_ATTR_ADD, 5), 0);
	assert_int_equal(kx_call(h, SAMPLE_MSG_COUNTER, &m, reply, sizeof(reply), NULL),
			 -EBADMSG);
	assert_int_equal(kx_counter(h, 0), 1); /* the bad request changed nothing */
	kctl_close(h);
}

static void an_unknown_message_type_is_answered_eopnotsupp(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 1);
	uint64_t reply[4];
	size_t rlen = 0;

	assert_int_equal(kctl_request(h, 999, "x", 1, reply, sizeof(reply), &rlen), -EOPNOTSUPP);
	assert_int_equal(kctl_request(h, SAMPLE_MSG_EVENT, NULL, 0, reply, sizeof(reply), &rlen),
			 -EOPNOTSUPP);
	kctl_close(h);
}

static void subscribe_and_unsubscribe_answer_with_an_empty_reply(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t reply[4];
	size_t rlen = 99;

	assert_int_equal(kx_call(h, SAMPLE_MSG_SUBSCRIBE, NULL, reply, sizeof(reply), &rlen), 0);
	assert_int_equal(rlen, 0);
	rlen = 99;
	assert_int_equal(kx_call(h, SAMPLE_MSG_UNSUBSCRIBE, NULL, reply, sizeof(reply), &rlen), 0);
	assert_int_equal(rlen, 0);
	kctl_close(h);
}

/* Several requests in one DGRAM record: one reply each, in order. */
static void every_frame_of_a_multi_frame_record_gets_its_reply(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t rec[64], in[64];
	size_t off = 0, wire = 0, got = 0;

	for (uint32_t seq = 1; seq <= 3; seq++) {
		assert_int_equal(kctl_frame_start((unsigned char *)rec + off, sizeof(rec) - off,
						  KCTL_FRAME_F_REQUEST, SAMPLE_MSG_ECHO, seq, 0), 0);
		assert_int_equal(kctl_frame_put((unsigned char *)rec + off, sizeof(rec) - off,
						"abc", seq), 0);
		assert_int_equal(kctl_frame_finish((unsigned char *)rec + off, sizeof(rec) - off,
						   &wire), 0);
		off += wire;
	}
	assert_int_equal(kctl_send(h, rec, off, NULL), 0);
	for (uint32_t seq = 1; seq <= 3; seq++) {
		const struct kctl_frame_hdr *f = (const void *)in;

		assert_int_equal(kctl_recv(h, in, sizeof(in), &got, NULL), 0);
		assert_int_equal(kctl_frame_check_record(in, got, 0, NULL), 0);
		assert_int_equal(f->seq, seq);
		assert_true(f->flags & KCTL_FRAME_F_REPLY);
		assert_int_equal(kctl_frame_payload_len(f), seq);
		assert_memory_equal(kctl_frame_payload(f), "abc", seq);
	}
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			echo_returns_the_payload_byte_for_byte_on_both_sockets, kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(the_largest_echo_fills_a_whole_frame, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(
			an_echo_beyond_the_send_size_is_refused_by_the_kernel, kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(the_counter_adds_one_by_default_and_add_otherwise,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(each_unit_has_its_own_counter, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(a_counter_add_of_the_wrong_size_is_answered_ebadmsg,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(an_unknown_message_type_is_answered_eopnotsupp,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			subscribe_and_unsubscribe_answer_with_an_empty_reply, kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			every_frame_of_a_multi_frame_record_gets_its_reply, kx_setup, kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
