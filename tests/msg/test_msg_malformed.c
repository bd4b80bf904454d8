/* Hostile or broken frames from the kernel: a precise error, no overflow; a STREAM is
 * then broken for good, a DGRAM goes on with the next record. */
#include "msg_fixture.h"

/* A valid 24-byte event frame in buf, with one field changed by `poke`. */
static size_t bad_frame(uint64_t *buf, void (*poke)(struct kctl_frame_hdr *, unsigned char *))
{
	uint32_t v = 1;
	size_t w = 0;

	fc_event(buf, v, &w);
	if (poke)
		poke((struct kctl_frame_hdr *)(void *)buf, (unsigned char *)buf);
	return w;
}

static void poke_version(struct kctl_frame_hdr *h, unsigned char *b)
{
	(void)b;
	h->version = 9;
}

static void poke_padding(struct kctl_frame_hdr *h, unsigned char *b)
{
	(void)h;
	b[23] = 0x5a;
}

static void poke_huge_len(struct kctl_frame_hdr *h, unsigned char *b)
{
	(void)b;
	h->len = 1u << 20;
}

static void a_bad_version_on_a_stream_is_reported_then_the_handle_is_broken(void **state)
{
	struct mfix *f = *state;
	uint64_t buf[8], out[8];
	size_t w = bad_frame(buf, poke_version), wire = 0;
	char reply[8];
	size_t len = 0;

	assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(f->hs), buf, w, 0), 0);
	assert_int_equal(kctl_msg_recv(f->hs, out, sizeof(out), &wire), -EPROTONOSUPPORT);
	assert_non_null(strstr(kctl_msg_detail(f->hs), "resynchronised"));
	assert_int_equal(kctl_msg_recv(f->hs, out, sizeof(out), &wire), -ENOTRECOVERABLE);
	assert_int_equal(kctl_request(f->hs, FC_ECHO, "x", 1, reply, sizeof(reply), &len),
			 -ENOTRECOVERABLE);
}

static void a_stream_frame_longer_than_the_max_is_refused_before_its_body_arrives(void **state)
{
	struct mfix *f = *state;
	uint64_t buf[8], out[8];
	size_t w = bad_frame(buf, poke_huge_len), wire = 0;

	/* only the header is sent: the length alone condemns it */
	assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(f->hs), buf, 16, 0), 0);
	(void)w;
	assert_int_equal(kctl_msg_recv(f->hs, out, sizeof(out), &wire), -EMSGSIZE);
	assert_int_equal(kctl_msg_recv(f->hs, out, sizeof(out), &wire), -ENOTRECOVERABLE);
}

static void a_bad_dgram_record_is_dropped_and_the_next_one_is_read(void **state)
{
	struct mfix *f = *state;
	uint64_t bad[8], good[8], out[8];
	size_t wb = bad_frame(bad, poke_padding), wg = bad_frame(good, NULL), wire = 0;
	struct kctl_msg_stats st;

	assert_int_equal(kctl_sim_enqueue(f->dgram, kctl_unit(f->hd), bad, wb,
					  KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->dgram, kctl_unit(f->hd), "junk", 4,
					  KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->dgram, kctl_unit(f->hd), good, wg,
					  KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_msg_recv(f->hd, out, sizeof(out), &wire), -EILSEQ);
	assert_int_equal(kctl_msg_recv(f->hd, out, sizeof(out), &wire), -ENODATA);
	assert_int_equal(kctl_msg_recv(f->hd, out, sizeof(out), &wire), 0);
	assert_int_equal(wire, wg);
	assert_memory_equal(out, good, wg);
	assert_int_equal(kctl_msg_stats(f->hd, &st), 0);
	assert_int_equal(st.bad_records, 2);
}

static void a_truncated_dgram_record_is_an_error_that_names_the_sizes(void **state)
{
	struct mfix *f = *state;
	static char big[1000];
	uint64_t good[8], out[8];
	size_t wg = bad_frame(good, NULL), wire = 0;

	assert_int_equal(kctl_msg_set_max_frame(f->hd, 64), 0);
	assert_int_equal(kctl_sim_enqueue(f->dgram, kctl_unit(f->hd), big, sizeof(big),
					  KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->dgram, kctl_unit(f->hd), good, wg,
					  KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_msg_recv(f->hd, out, sizeof(out), &wire), -EMSGSIZE);
	assert_non_null(strstr(kctl_msg_detail(f->hd), "64-byte")); /* DGRAM: max frame */
	assert_non_null(strstr(kctl_msg_detail(f->hd), "max frame 64"));
	assert_int_equal(kctl_msg_recv(f->hd, out, sizeof(out), &wire), 0);
	assert_int_equal(wire, wg);
}

static void a_frame_bigger_than_the_callers_buffer_waits_for_a_bigger_one(void **state)
{
	struct mfix *f = *state;
	uint64_t good[8], out[8];
	size_t wg = bad_frame(good, NULL), wire = 0;

	assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(f->hs), good, wg, 0), 0);
	assert_int_equal(kctl_msg_recv(f->hs, out, 16, &wire), -EMSGSIZE);
	assert_non_null(strstr(kctl_msg_detail(f->hs), "needs 24 bytes"));
	assert_int_equal(kctl_msg_recv(f->hs, out, sizeof(out), &wire), 0);
	assert_memory_equal(out, good, wg);
}

static void the_max_frame_is_bounded_and_frames_above_it_are_not_sent(void **state)
{
	struct mfix *f = *state;
	static char payload[100];

	assert_int_equal(kctl_msg_set_max_frame(f->hd, 8), -EINVAL);
	assert_int_equal(kctl_msg_set_max_frame(f->hd, KCTL_FRAME_MAX + 1), -EINVAL);
	assert_int_equal(kctl_msg_set_max_frame(f->hd, 64), 0);
	assert_int_equal(kctl_msg_max_frame(f->hd), 64);
	assert_int_equal(kctl_msg_send(f->hd, KCTL_FRAME_F_EVENT, 1, 0, 0, payload, 100),
			 -EMSGSIZE);
	assert_int_equal(atomic_load(&f->st_dgram.sends), 0);
}

static void frames_given_to_sendv_are_validated_before_anything_is_sent(void **state)
{
	struct mfix *f = *state;
	uint64_t bad[8];
	size_t w = bad_frame(bad, poke_padding);
	struct iovec iov = { .iov_base = bad, .iov_len = w };

	assert_int_equal(kctl_msg_sendv(f->hs, &iov, 1, NULL), -EINVAL);
	iov.iov_len = 7;
	assert_int_equal(kctl_msg_sendv(f->hs, &iov, 1, NULL), -EINVAL);
	assert_int_equal(kctl_msg_sendv(f->hs, &iov, 0, NULL), -EINVAL);
	assert_int_equal(atomic_load(&f->st_stream.sends), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)
		T(a_bad_version_on_a_stream_is_reported_then_the_handle_is_broken),
		T(a_stream_frame_longer_than_the_max_is_refused_before_its_body_arrives),
		T(a_bad_dgram_record_is_dropped_and_the_next_one_is_read),
		T(a_truncated_dgram_record_is_an_error_that_names_the_sizes),
		T(a_frame_bigger_than_the_callers_buffer_waits_for_a_bigger_one),
		T(the_max_frame_is_bounded_and_frames_above_it_are_not_sent),
		T(frames_given_to_sendv_are_validated_before_anything_is_sent),
#undef T
	};

	return cmocka_run_group_tests_name("msg_malformed", tests, NULL, NULL);
}
