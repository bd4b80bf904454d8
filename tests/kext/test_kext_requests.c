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

static void subscribe_answers_empty_and_unsubscribe_with_the_drops_left(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t reply[4];
	const struct kctl_attr *a;
	uint32_t drops = 99;
	size_t rlen = 99;

	assert_int_equal(kx_call(h, SAMPLE_MSG_SUBSCRIBE, NULL, reply, sizeof(reply), &rlen), 0);
	assert_int_equal(rlen, 0);
	rlen = 99;
	assert_int_equal(kx_call(h, SAMPLE_MSG_UNSUBSCRIBE, NULL, reply, sizeof(reply), &rlen), 0);
	assert_int_equal(rlen, KCTL_ATTR_SPACE(sizeof(uint32_t)));
	assert_int_equal(kctl_attr_find(reply, rlen, SAMPLE_ATTR_DROPS, &a), 0);
	assert_int_equal(kctl_attr_get_u32(a, &drops), 0);
	assert_int_equal(drops, 0); /* nothing was dropped */
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

/* ---- one STREAM send whose replies need more room than the client's buffer has ---- */

#define MANY 20
#define MANY_WIRE 1000 /* each request's wire size: 10 send-size pieces in all */

/* Request i (seq i + 1): an echo whose payload is the byte i + 1, repeated. */
static size_t many_requests(uint64_t *out)
{
	size_t off = 0, wire = 0;

	for (uint32_t i = 0; i < MANY; i++) {
		unsigned char pay[MANY_WIRE - KCTL_FRAME_HDR_LEN];
		unsigned char *at = (unsigned char *)out + off;

		memset(pay, (int)(i + 1), sizeof(pay));
		assert_int_equal(kctl_frame_start(at, MANY_WIRE, KCTL_FRAME_F_REQUEST,
						  SAMPLE_MSG_ECHO, i + 1, 0), 0);
		assert_int_equal(kctl_frame_put(at, MANY_WIRE, pay, sizeof(pay)), 0);
		assert_int_equal(kctl_frame_finish(at, MANY_WIRE, &wire), 0);
		assert_int_equal(wire, MANY_WIRE);
		off += wire;
	}
	return off;
}

/* Reads replies for up to wait_ms; counts each seq; fails on anything but a good echo. */
static void read_replies(kctl_t *h, int *seen, int32_t wait_ms)
{
	static uint64_t in[SAMPLE_MAX_FRAME / 8];
	const struct kctl_frame_hdr *f = (const void *)in;
	size_t wire = 0;

	assert_int_equal(kctl_set_timeout(h, wait_ms), 0);
	while (kctl_msg_recv(h, in, sizeof(in), &wire) == 0) {
		const unsigned char *p = kctl_frame_payload(f);

		assert_int_equal(f->flags, KCTL_FRAME_F_REPLY); /* no error reply */
		assert_true(f->seq >= 1 && f->seq <= MANY);
		assert_int_equal(kctl_frame_payload_len(f), MANY_WIRE - KCTL_FRAME_HDR_LEN);
		for (size_t j = 0; j < kctl_frame_payload_len(f); j++)
			assert_int_equal(p[j], f->seq);
		seen[f->seq]++;
	}
}

/*
 * Twenty 1000-byte echo requests in one send: 20000 bytes in ten pieces, whose replies
 * (20000 bytes) cannot all fit the 8 KiB receive buffer. The kext must take or refuse
 * whole pieces so the client learns exactly what went (*sent), and answer every
 * request exactly once: no frame lost, none glued from two frames' bytes.
 */
static void a_stream_send_needing_more_reply_room_than_there_is_loses_and_merges_nothing(
	void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 1);
	static uint64_t out[MANY * MANY_WIRE / 8];
	int seen[MANY + 1] = { 0 }, total_seen = 0, sends = 0, refused = 0;
	size_t total = many_requests(out), off = 0;
	struct sample_stats st;

	while (off < total && sends < 500) {
		size_t sent = 0;
		int rc;

		assert_int_equal(kctl_set_timeout(h, KX_TIMEOUT_MS), 0);
		rc = kctl_send(h, (unsigned char *)out + off, total - off, &sent);
		assert_true(rc == 0 || rc == -ENOBUFS);
		assert_true(sent <= total - off);
		off += sent;
		sends++;
		refused += rc == -ENOBUFS;
		read_replies(h, seen, 0); /* make room, as a client must */
	}
	print_message("%zu bytes in %d kctl_send calls, %d refused with ENOBUFS\n", total,
		      sends, refused);
	assert_int_equal(off, total);
	for (int tries = 0; tries < 100; tries++) {
		total_seen = 0;
		for (int i = 1; i <= MANY; i++)
			total_seen += seen[i];
		if (total_seen >= MANY)
			break;
		read_replies(h, seen, 50);
	}
	for (int i = 1; i <= MANY; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(kctl_set_timeout(h, KX_TIMEOUT_MS), 0);
	st = kx_stats(h);
	assert_int_equal(st.requests, MANY);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.replies_dropped, 0);
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
			subscribe_answers_empty_and_unsubscribe_with_the_drops_left, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(
			every_frame_of_a_multi_frame_record_gets_its_reply, kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			a_stream_send_needing_more_reply_room_than_there_is_loses_and_merges_nothing,
			kx_setup, kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
