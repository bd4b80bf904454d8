/* Loading and unloading Sample in the simulated kernel: start, stop, refusal to stop. */
#include "kext_fixture.h"

static void loading_registers_both_controls_and_logs_the_start(void **state)
{
	struct kx *k = *state;
	uint32_t id = 0, sid = 0;

	assert_int_equal(kctl_lookup(k->be, SAMPLE_CTL_NAME, &id), 0);
	assert_int_equal(kctl_lookup(k->be, SAMPLE_CTL_STREAM_NAME, &sid), 0);
	assert_int_not_equal(id, sid);
	assert_string_equal(kctl_kpi_kext_name(k->kext), "org.libkctl.sample");
	assert_true(kx_logged(k, "sample: started"));
}

static void unload_is_refused_while_a_client_is_connected_then_allowed_after_close(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint32_t id = 0;

	assert_int_equal(kctl_kpi_unload(k->kext), -EBUSY);
	assert_true(kx_logged(k, "clients are connected"));
	/* still loaded and serving */
	assert_int_equal(kctl_lookup(k->be, SAMPLE_CTL_NAME, &id), 0);
	assert_int_equal(kx_counter(h, 0), 1);
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(k->kext), 0);
	k->kext = NULL;
	assert_int_equal(kctl_lookup(k->be, SAMPLE_CTL_NAME, &id), -ENOENT);
	assert_int_equal(kctl_lookup(k->be, SAMPLE_CTL_STREAM_NAME, &id), -ENOENT);
	assert_true(kx_logged(k, "sample: stopped"));
}

static void a_refused_stop_with_only_a_stream_client_keeps_the_dgram_control(void **state)
{
	struct kx *k = *state;
	kctl_t *s = kx_open(k, 1);
	kctl_t *d;
	uint32_t id = 0;

	assert_int_equal(kctl_kpi_unload(k->kext), -EBUSY);
	assert_int_equal(kctl_lookup(k->be, SAMPLE_CTL_NAME, &id), 0);
	d = kx_open(k, 0);
	assert_int_equal(kx_counter(d, 5), 5);
	assert_int_equal(kx_counter(s, 2), 2);
	kctl_close(d);
	kctl_close(s);
}

static void a_subscribed_client_does_not_keep_the_kext_from_stopping_once_closed(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	uint64_t reply[4];

	assert_int_equal(kx_call(h, SAMPLE_MSG_SUBSCRIBE, NULL, reply, sizeof(reply), NULL), 0);
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(k->kext), 0);
	k->kext = NULL;
}

static void the_same_kext_cannot_be_loaded_twice(void **state)
{
	struct kx *k = *state;
	kctl_kpi_kext_t *again = NULL;

	assert_int_equal(kctl_kpi_load_module(k->sim, SAMPLE_KEXT_PATH, &again), -EEXIST);
	assert_null(again);
}

static void kexts_cannot_be_loaded_into_a_second_kernel_at_once(void **state)
{
	struct kx *k = *state;
	kctl_kpi_kext_t *other = NULL;
	kctl_sim_t *sim2 = NULL;

	assert_int_equal(kctl_sim_new(&sim2), 0);
	assert_int_equal(kctl_kpi_load_module(sim2, SAMPLE_KEXT_PATH, &other), -EBUSY);
	kctl_sim_free(sim2);
	(void)k;
}

static void a_missing_module_or_one_without_kmod_info_is_refused(void **state)
{
	struct kx *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kctl_kpi_load_module(k->sim, "/nonexistent/Sample.so", &x), -ENOENT);
	assert_int_equal(kctl_kpi_load_module(k->sim, NULL, &x), -EINVAL);
	assert_int_equal(kctl_kpi_unload(NULL), -EINVAL);
	assert_null(x);
}

static void the_kext_can_be_loaded_again_after_an_unload(void **state)
{
	struct kx *k = *state;
	kctl_t *h;

	assert_int_equal(kctl_kpi_unload(k->kext), 0);
	k->kext = NULL;
	assert_int_equal(kctl_kpi_load_module(k->sim, SAMPLE_KEXT_PATH, &k->kext), 0);
	h = kx_open(k, 1);
	assert_int_equal(kx_counter(h, 0), 1);
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(loading_registers_both_controls_and_logs_the_start,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			unload_is_refused_while_a_client_is_connected_then_allowed_after_close,
			kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			a_refused_stop_with_only_a_stream_client_keeps_the_dgram_control, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(
			a_subscribed_client_does_not_keep_the_kext_from_stopping_once_closed,
			kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(the_same_kext_cannot_be_loaded_twice, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(
			kexts_cannot_be_loaded_into_a_second_kernel_at_once, kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			a_missing_module_or_one_without_kmod_info_is_refused, kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(the_kext_can_be_loaded_again_after_an_unload,
						kx_setup, kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
