/* Sample's socket options: fixed and variable size, size queries, bounds, read-only. */
#include "kext_fixture.h"

static void the_label_starts_as_the_unit_and_its_size_query_counts_the_nul(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	char want[32], buf[64];
	size_t size = 0;

	snprintf(want, sizeof(want), "unit %u", kctl_unit(h));
	assert_int_equal(kctl_getopt_size(h, SAMPLE_OPT_LABEL, &size), 0);
	assert_int_equal(size, strlen(want) + 1);
	assert_int_equal(kctl_get_str(h, SAMPLE_OPT_LABEL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	kctl_close(h);
}

static void a_label_set_is_read_back_with_or_without_its_nul(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 1);
	char buf[SAMPLE_LABEL_MAX + 1];
	size_t size = 0;

	assert_int_equal(kctl_set_str(h, SAMPLE_OPT_LABEL, "sensor-7"), 0);
	assert_int_equal(kctl_get_str(h, SAMPLE_OPT_LABEL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "sensor-7");
	assert_int_equal(kctl_setopt(h, SAMPLE_OPT_LABEL, "raw", 3), 0);
	assert_int_equal(kctl_getopt_size(h, SAMPLE_OPT_LABEL, &size), 0);
	assert_int_equal(size, 4);
	kctl_close(h);
}

static void a_label_buffer_too_small_is_answered_emsgsize(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	char buf[4];
	size_t len = 0;

	assert_int_equal(kctl_set_str(h, SAMPLE_OPT_LABEL, "abcd"), 0);
	assert_int_equal(kctl_getopt(h, SAMPLE_OPT_LABEL, buf, 4, &len), -EMSGSIZE);
	assert_int_equal(kctl_getopt(h, SAMPLE_OPT_LABEL, buf, 5 - 1, &len), -EMSGSIZE);
	kctl_close(h);
}

static void labels_that_are_empty_too_long_or_hold_a_nul_are_refused(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	char longest[SAMPLE_LABEL_MAX + 1], too_long[SAMPLE_LABEL_MAX + 2];
	char buf[SAMPLE_LABEL_MAX + 1];

	memset(longest, 'L', SAMPLE_LABEL_MAX);
	longest[SAMPLE_LABEL_MAX] = '\0';
	memset(too_long, 'L', SAMPLE_LABEL_MAX + 1);
	too_long[SAMPLE_LABEL_MAX + 1] = '\0';
	assert_int_equal(kctl_set_str(h, SAMPLE_OPT_LABEL, longest), 0);
	assert_int_equal(kctl_set_str(h, SAMPLE_OPT_LABEL, too_long), -EMSGSIZE);
	assert_int_equal(kctl_set_str(h, SAMPLE_OPT_LABEL, ""), -EINVAL);
	assert_int_equal(kctl_setopt(h, SAMPLE_OPT_LABEL, NULL, 0), -EINVAL);
	assert_int_equal(kctl_setopt(h, SAMPLE_OPT_LABEL, "a\0b", 3), -EINVAL);
	assert_int_equal(kctl_get_str(h, SAMPLE_OPT_LABEL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, longest); /* the refusals changed nothing */
	kctl_close(h);
}

static void the_counter_option_reads_and_sets_the_request_counter(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t v = 1;
	size_t size = 0;

	assert_int_equal(kctl_get_u64(h, SAMPLE_OPT_COUNTER, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(kctl_set_u64(h, SAMPLE_OPT_COUNTER, 1000), 0);
	assert_int_equal(kx_counter(h, 0), 1001);
	assert_int_equal(kctl_getopt_size(h, SAMPLE_OPT_COUNTER, &size), 0);
	assert_int_equal(size, 8);
	assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_COUNTER, 5), -EINVAL);
	kctl_close(h);
}

static void burst_accepts_one_to_its_maximum_only(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint32_t v = 0;

	assert_int_equal(kctl_get_u32(h, SAMPLE_OPT_BURST, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, SAMPLE_BURST_MAX), 0);
	assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, SAMPLE_BURST_MAX + 1), -EINVAL);
	assert_int_equal(kctl_set_u32(h, SAMPLE_OPT_BURST, 0), -EINVAL);
	assert_int_equal(kctl_set_u64(h, SAMPLE_OPT_BURST, 3), -EINVAL);
	assert_int_equal(kctl_get_u32(h, SAMPLE_OPT_BURST, &v), 0);
	assert_int_equal(v, SAMPLE_BURST_MAX);
	kctl_close(h);
}

static void stats_count_requests_and_errors_and_cannot_be_set(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	struct sample_stats st;
	uint64_t reply[4];
	size_t rlen = 0;

	assert_int_equal(kx_counter(h, 0), 1);
	assert_int_equal(kctl_request(h, 999, NULL, 0, reply, sizeof(reply), &rlen), -EOPNOTSUPP);
	st = kx_stats(h);
	assert_int_equal(st.requests, 2);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.replies_dropped, 0);
	assert_int_equal(kctl_setopt(h, SAMPLE_OPT_STATS, &st, sizeof(st)), -EINVAL);
	kctl_close(h);
}

static void an_unknown_option_is_answered_enoprotoopt(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint32_t v = 0;

	assert_int_equal(kctl_set_u32(h, 77, 1), -ENOPROTOOPT);
	assert_int_equal(kctl_get_u32(h, 77, &v), -ENOPROTOOPT);
	kctl_close(h);
}

static void huge_option_buffers_are_answered_with_the_options_own_size(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	unsigned char *big = calloc(1, KCTL_OPT_MAX);
	size_t len = 0;

	assert_non_null(big);
	assert_int_equal(kctl_getopt(h, SAMPLE_OPT_STATS, big, KCTL_OPT_MAX, &len), 0);
	assert_int_equal(len, sizeof(struct sample_stats));
	assert_int_equal(kctl_getopt(h, SAMPLE_OPT_COUNTER, big, KCTL_OPT_MAX, &len), 0);
	assert_int_equal(len, 8);
	assert_int_equal(kctl_setopt(h, SAMPLE_OPT_COUNTER, big, KCTL_OPT_MAX), -EINVAL);
	memset(big, 'x', KCTL_OPT_MAX);
	assert_int_equal(kctl_setopt(h, SAMPLE_OPT_LABEL, big, KCTL_OPT_MAX), -EMSGSIZE);
	free(big);
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			the_label_starts_as_the_unit_and_its_size_query_counts_the_nul, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(a_label_set_is_read_back_with_or_without_its_nul,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(a_label_buffer_too_small_is_answered_emsgsize,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			labels_that_are_empty_too_long_or_hold_a_nul_are_refused, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(
			the_counter_option_reads_and_sets_the_request_counter, kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(burst_accepts_one_to_its_maximum_only, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(stats_count_requests_and_errors_and_cannot_be_set,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(an_unknown_option_is_answered_enoprotoopt, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(
			huge_option_buffers_are_answered_with_the_options_own_size, kx_setup,
			kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
