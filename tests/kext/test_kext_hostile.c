/*
 * Hostile input: garbage, truncated and lying frames, sent raw with kctl_send. The kext
 * answers with errors (the send fails with the codec's errno, or an ERROR reply) and
 * keeps serving; under ASan/UBSan any out-of-bounds access would fail the suite.
 */
#include "kext_fixture.h"

/* A valid one-frame COUNTER request, to be spoiled by the tests. */
static size_t good_frame(uint64_t *buf, size_t cap)
{
	size_t wire = 0;

	assert_int_equal(kctl_frame_start(buf, cap, KCTL_FRAME_F_REQUEST, SAMPLE_MSG_COUNTER, 9, 0),
			 0);
	assert_int_equal(kctl_frame_finish(buf, cap, &wire), 0);
	return wire;
}

static struct kctl_frame_hdr *hdr(uint64_t *buf)
{
	return (struct kctl_frame_hdr *)(void *)buf;
}

static void malformed_dgram_records_fail_the_send_with_the_codecs_errno(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t b[8];
	size_t n;

	assert_int_equal(kctl_send(h, "abc", 3, NULL), -ENODATA);
	n = good_frame(b, sizeof(b));
	hdr(b)->version = 2;
	assert_int_equal(kctl_send(h, b, n, NULL), -EPROTONOSUPPORT);
	n = good_frame(b, sizeof(b));
	hdr(b)->len = 8;
	assert_int_equal(kctl_send(h, b, n, NULL), -EBADMSG);
	n = good_frame(b, sizeof(b));
	hdr(b)->len = 40; /* claims more than the record holds */
	assert_int_equal(kctl_send(h, b, n, NULL), -ENODATA);
	n = good_frame(b, sizeof(b));
	hdr(b)->len = 0xFFFFFFF0u;
	assert_int_equal(kctl_send(h, b, n, NULL), -EMSGSIZE);
	n = good_frame(b, sizeof(b));
	hdr(b)->flags |= 0x80;
	assert_int_equal(kctl_send(h, b, n, NULL), -ENOTSUP);
	n = good_frame(b, sizeof(b));
	hdr(b)->flags = KCTL_FRAME_F_REQUEST | KCTL_FRAME_F_REPLY;
	assert_int_equal(kctl_send(h, b, n, NULL), -EPROTO);
	n = good_frame(b, sizeof(b));
	hdr(b)->aux = 5;
	assert_int_equal(kctl_send(h, b, n, NULL), -ERANGE);
	assert_int_equal(kx_counter(h, 0), 1); /* none of them counted */
	assert_true(kx_stats(h).errors >= 8);
	kctl_close(h);
}

static void nonzero_padding_and_a_trailing_partial_frame_are_refused(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t b[8];
	size_t wire = 0;

	assert_int_equal(kctl_frame_start(b, sizeof(b), KCTL_FRAME_F_REQUEST, SAMPLE_MSG_ECHO, 1, 0),
			 0);
	assert_int_equal(kctl_frame_put(b, sizeof(b), "abc", 3), 0);
	assert_int_equal(kctl_frame_finish(b, sizeof(b), &wire), 0);
	((unsigned char *)b)[wire - 1] = 1;
	assert_int_equal(kctl_send(h, b, wire, NULL), -EILSEQ);
	((unsigned char *)b)[wire - 1] = 0;
	assert_int_equal(kctl_send(h, b, wire + 5, NULL), -ENODATA);
	assert_int_equal(kctl_send(h, b, 0, NULL), -ENODATA);
	kctl_close(h);
}

static void a_malformed_attribute_region_gets_an_error_reply(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t reply[4];
	size_t rlen = 0;
	/* an attribute header claiming 200 bytes in a 8-byte payload */
	struct kctl_attr bad[2] = { { 200, SAMPLE_ATTR_KEY }, { 0, 0 } };
	struct kctl_attr tiny[1] = { { 2, SAMPLE_ATTR_ADD } };

	assert_int_equal(kctl_request(h, SAMPLE_MSG_KV_GET, bad, sizeof(bad), reply,
				      sizeof(reply), &rlen), -ENODATA);
	assert_int_equal(kctl_request(h, SAMPLE_MSG_COUNTER, tiny, sizeof(tiny), reply,
				      sizeof(reply), &rlen), -EBADMSG);
	assert_int_equal(kx_counter(h, 0), 1);
	kctl_close(h);
}

static void a_client_sending_replies_or_events_gets_einval(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t b[4], in[8];
	const struct kctl_frame_hdr *f = (const void *)in;
	size_t wire = 0, got = 0;

	assert_int_equal(kctl_frame_start(b, sizeof(b), KCTL_FRAME_F_EVENT, SAMPLE_MSG_ECHO, 4, 0),
			 0);
	assert_int_equal(kctl_frame_finish(b, sizeof(b), &wire), 0);
	assert_int_equal(kctl_send(h, b, wire, NULL), 0);
	assert_int_equal(kctl_recv(h, in, sizeof(in), &got, NULL), 0);
	assert_int_equal(kctl_frame_check_record(in, got, 0, NULL), 0);
	assert_int_equal(kctl_frame_error(f), -EINVAL);
	assert_int_equal(f->seq, 4);
	kctl_close(h);
}

static void a_malformed_stream_breaks_only_that_unit(void **state)
{
	struct kx *k = *state;
	kctl_t *bad = kx_open(k, 1), *other = kx_open(k, 1);
	uint64_t b[8];
	size_t n = good_frame(b, sizeof(b));

	hdr(b)->version = 7;
	assert_int_equal(kctl_send(bad, b, n, NULL), -EPROTONOSUPPORT);
	n = good_frame(b, sizeof(b));
	assert_int_equal(kctl_send(bad, b, n, NULL), -EPROTO); /* no resync on a stream */
	assert_int_equal(kx_counter(other, 0), 1);
	kctl_close(bad);
	kctl_close(other);
}

static void a_stream_frame_split_across_sends_is_reassembled(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 1);
	uint64_t b[16], in[16];
	const struct kctl_frame_hdr *f = (const void *)in;
	size_t wire = 0, got = 0;

	assert_int_equal(kctl_frame_start(b, sizeof(b), KCTL_FRAME_F_REQUEST, SAMPLE_MSG_ECHO, 3, 0),
			 0);
	assert_int_equal(kctl_frame_put(b, sizeof(b), "split me please", 15), 0);
	assert_int_equal(kctl_frame_finish(b, sizeof(b), &wire), 0);
	for (size_t i = 0; i < wire; i++) /* one byte per send */
		assert_int_equal(kctl_send(h, (unsigned char *)b + i, 1, NULL), 0);
	assert_int_equal(kctl_recv(h, in, sizeof(in), &got, NULL), 0);
	assert_int_equal(got, wire);
	assert_int_equal(f->seq, 3);
	assert_memory_equal(kctl_frame_payload(f), "split me please", 15);
	kctl_close(h);
}

/* Random records and random stream bytes from a fixed seed: no crash, still serving. */
static void thousands_of_random_records_leave_the_kext_serving(void **state)
{
	struct kx *k = *state;
	kctl_t *d = kx_open(k, 0), *s = kx_open(k, 1);
	uint64_t b[SAMPLE_MAX_FRAME / 8];
	unsigned char *p = (unsigned char *)b;
	unsigned seed = 12345;

	for (int i = 0; i < 3000; i++) {
		size_t n = (size_t)(rand_r(&seed) % 200);

		for (size_t j = 0; j < n; j++)
			p[j] = (unsigned char)rand_r(&seed);
		if (n >= KCTL_FRAME_HDR_LEN && (i & 1)) { /* a plausible header, random rest */
			hdr(b)->version = 1;
			hdr(b)->len = (uint32_t)(rand_r(&seed) % (n + 8));
			hdr(b)->flags = KCTL_FRAME_F_REQUEST;
			hdr(b)->aux = 0;
		}
		(void)kctl_send(d, b, n, NULL);
		(void)kctl_send(s, b, n, NULL);
	}
	kctl_close(s);
	s = kx_open(k, 1);
	assert_int_equal(kx_counter(s, 0), 1);
	assert_int_equal(kctl_set_timeout(d, 0), 0);
	while (kctl_recv(d, b, sizeof(b), &(size_t){ 0 }, NULL) == 0)
		; /* error replies to the plausible ones */
	assert_int_equal(kctl_set_timeout(d, KX_TIMEOUT_MS), 0);
	assert_true(kx_counter(d, 0) >= 1);
	kctl_close(d);
	kctl_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			malformed_dgram_records_fail_the_send_with_the_codecs_errno, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(
			nonzero_padding_and_a_trailing_partial_frame_are_refused, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(a_malformed_attribute_region_gets_an_error_reply,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(a_client_sending_replies_or_events_gets_einval,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(a_malformed_stream_breaks_only_that_unit, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(a_stream_frame_split_across_sends_is_reassembled,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(thousands_of_random_records_leave_the_kext_serving,
						kx_setup, kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
