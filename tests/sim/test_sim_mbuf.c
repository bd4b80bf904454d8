/* test_sim_mbuf.c - mbuf chains: segmentation, accessors, copydata bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_fixture.h"

static int setup(void **state)
{
	kctl_sim_t *sim = NULL;
	int err = kctl_sim_new(&sim);

	*state = sim;
	return err;
}

static int teardown(void **state)
{
	kctl_sim_free(*state);
	return 0;
}

static size_t segments(const kctl_sim_mbuf_t *m)
{
	size_t n = 0;

	for (; m != NULL; m = kctl_sim_mbuf_next(m))
		n++;
	return n;
}

static void a_packet_is_cut_into_segments_of_the_segment_size(void **state)
{
	kctl_sim_mbuf_t *m;

	assert_int_equal(kctl_sim_mbuf_alloc(*state, 300, &m), 0);
	assert_int_equal(segments(m), 3);
	assert_int_equal(kctl_sim_mbuf_len(m), 128);
	assert_int_equal(kctl_sim_mbuf_len(kctl_sim_mbuf_next(m)), 128);
	assert_int_equal(kctl_sim_mbuf_len(kctl_sim_mbuf_next(kctl_sim_mbuf_next(m))), 44);
	assert_int_equal(kctl_sim_mbuf_pkthdr_len(m), 300);
	kctl_sim_mbuf_free(m);
}

static void an_exact_multiple_has_no_empty_tail_segment(void **state)
{
	kctl_sim_mbuf_t *m;

	assert_int_equal(kctl_sim_mbuf_alloc(*state, 256, &m), 0);
	assert_int_equal(segments(m), 2);
	kctl_sim_mbuf_free(m);
}

static void an_empty_packet_is_one_empty_segment(void **state)
{
	kctl_sim_mbuf_t *m;

	assert_int_equal(kctl_sim_mbuf_alloc(*state, 0, &m), 0);
	assert_int_equal(segments(m), 1);
	assert_int_equal(kctl_sim_mbuf_len(m), 0);
	assert_int_equal(kctl_sim_mbuf_pkthdr_len(m), 0);
	assert_non_null(kctl_sim_mbuf_data(m));
	kctl_sim_mbuf_free(m);
}

static void the_segment_size_can_be_changed_within_bounds(void **state)
{
	kctl_sim_mbuf_t *m;

	assert_int_equal(kctl_sim_set_mbuf_segment(*state, 0), -EINVAL);
	assert_int_equal(kctl_sim_set_mbuf_segment(*state, 65537), -EINVAL);
	assert_int_equal(kctl_sim_set_mbuf_segment(*state, 1), 0);
	assert_int_equal(kctl_sim_mbuf_alloc(*state, 5, &m), 0);
	assert_int_equal(segments(m), 5);
	kctl_sim_mbuf_free(m);
	assert_int_equal(kctl_sim_set_mbuf_segment(*state, 65536), 0);
	assert_int_equal(kctl_sim_mbuf_alloc(*state, 65536, &m), 0);
	assert_int_equal(segments(m), 1);
	kctl_sim_mbuf_free(m);
}

/* Fills a chain with 0, 1, 2, ... across its segments. */
static void fill(kctl_sim_mbuf_t *m)
{
	unsigned char v = 0;

	for (; m != NULL; m = kctl_sim_mbuf_next(m)) {
		unsigned char *p = kctl_sim_mbuf_data(m);

		for (size_t i = 0; i < kctl_sim_mbuf_len(m); i++)
			p[i] = v++;
	}
}

static void copydata_reads_across_segment_boundaries(void **state)
{
	kctl_sim_mbuf_t *m;
	unsigned char out[100];

	assert_int_equal(kctl_sim_mbuf_alloc(*state, 300, &m), 0);
	fill(m);
	assert_int_equal(kctl_sim_mbuf_copydata(m, 120, 100, out), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(out[i], (unsigned char)(120 + i));
	kctl_sim_mbuf_free(m);
}

static void copydata_past_the_end_is_einval_and_copies_nothing(void **state)
{
	kctl_sim_mbuf_t *m;
	unsigned char out[8];

	assert_int_equal(kctl_sim_mbuf_alloc(*state, 10, &m), 0);
	fill(m);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(kctl_sim_mbuf_copydata(m, 5, 6, out), -EINVAL);
	assert_int_equal(kctl_sim_mbuf_copydata(m, 11, 0, out), -EINVAL);
	assert_int_equal(kctl_sim_mbuf_copydata(m, SIZE_MAX, 2, out), -EINVAL);
	assert_int_equal(kctl_sim_mbuf_copydata(m, 2, SIZE_MAX, out), -EINVAL);
	assert_int_equal(out[0], 0xee);
	assert_int_equal(kctl_sim_mbuf_copydata(m, 5, 5, out), 0);
	assert_int_equal(out[4], 9);
	assert_int_equal(kctl_sim_mbuf_copydata(m, 10, 0, out), 0);
	kctl_sim_mbuf_free(m);
}

static void the_accessors_accept_null(void **state)
{
	(void)state;
	assert_null(kctl_sim_mbuf_next(NULL));
	assert_null(kctl_sim_mbuf_data(NULL));
	assert_int_equal(kctl_sim_mbuf_len(NULL), 0);
	assert_int_equal(kctl_sim_mbuf_pkthdr_len(NULL), 0);
	kctl_sim_mbuf_free(NULL);
	assert_int_equal(kctl_sim_mbuf_copydata(NULL, 0, 0, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_packet_is_cut_into_segments_of_the_segment_size,
						setup, teardown),
		cmocka_unit_test_setup_teardown(an_exact_multiple_has_no_empty_tail_segment,
						setup, teardown),
		cmocka_unit_test_setup_teardown(an_empty_packet_is_one_empty_segment, setup,
						teardown),
		cmocka_unit_test_setup_teardown(the_segment_size_can_be_changed_within_bounds,
						setup, teardown),
		cmocka_unit_test_setup_teardown(copydata_reads_across_segment_boundaries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(copydata_past_the_end_is_einval_and_copies_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_accessors_accept_null, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
