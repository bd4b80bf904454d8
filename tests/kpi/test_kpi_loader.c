/*
 * Kexts that cannot load or misbehave, each a clear error with a sentence
 * (kctl_kpi_last_error), and the simulated kernel consistent for the next load: a
 * module that is no kext, KPI families that are not simulated, a start that fails, a
 * stop that forgets its control (with and without clients), mbufs and a thread call
 * left behind, panics in start, stop and a callback.
 */
#include "kpi_fixture.h"
#include "misbehave.h"

static const char *err(void)
{
	return kctl_kpi_last_error();
}

static int has(const char *needle)
{
	if (strstr(kctl_kpi_last_error(), needle) != NULL)
		return 1;
	fprintf(stderr, "last error lacks \"%s\": \"%s\"\n", needle, kctl_kpi_last_error());
	return 0;
}

/* The kernel works afterwards: a good kext loads, serves and unloads. */
static void kernel_still_works(struct kpi *k)
{
	kctl_kpi_kext_t *x = NULL;
	kctl_t *h;
	char buf[16];

	assert_int_equal(kpi_load(k, "ForgetfulStop", &x), 0); /* registers MISBEHAVE */
	h = kpi_open(k, MISBEHAVE_CTL_NAME, 0, 0);
	assert_int_equal(kctl_send(h, "ok", 2, NULL), 0);
	kpi_recv_text(h, buf, sizeof(buf));
	assert_string_equal(buf, "ok");
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(x), -ENOTEMPTY); /* it forgets, we know */
}

static void control_is_gone(struct kpi *k)
{
	uint32_t id;

	assert_int_equal(kctl_lookup(k->be, MISBEHAVE_CTL_NAME, &id), -ENOENT);
}

static void a_module_with_no_kmod_info_is_not_a_kext(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kpi_load(k, "NoKmodInfo", &x), -ENOEXEC);
	assert_true(has("NoKmodInfo.so exports no kmod_info: it is not a kext"));
	assert_null(x);
	assert_int_equal(kpi_load(k, "NoSuchKext", &x), -ENOENT);
	assert_true(has("NoSuchKext.so"));
	kernel_still_works(k);
}

static void socket_and_ip_filters_are_refused_with_their_family(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kpi_load(k, "Filters", &x), -ENOSYS);
	assert_true(has("uses sflt_register: socket filters (sflt_*) are not simulated"));
	assert_true(has("uses ipf_addv4: IP filters (ipf_*) are not simulated"));
	assert_true(has("kernel sockets (sock_*) are not simulated"));
	assert_false(kpi_logged(k, "filters_start")); /* none of its code ran */
	kernel_still_works(k);
}

static void iokit_cxx_and_the_mac_framework_are_refused(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kpi_load(k, "CxxAndMac", &x), -ENOSYS);
	assert_true(has("uses _ZN9IOService5startEPS_: IOKit and libkern C++"));
	assert_true(has("uses mac_policy_register: the MAC framework (mac_policy_*) is not "
			"simulated"));
	kernel_still_works(k);
}

static void a_kernel_function_nobody_provides_is_named(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kpi_load(k, "UnknownKpi", &x), -ENOSYS);
	assert_true(has("uses bsd_timeout_not_simulated, a kernel function the simulated "
			"kernel does not provide"));
	kernel_still_works(k);
}

static void a_failing_start_leaves_nothing_registered(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kpi_load(k, "FailingStart", &x), -ECANCELED);
	assert_true(has("org.example.failing_start did not start: its start routine returned "
			"3 (0x3)"));
	assert_true(has("left 1 control registered ('" MISBEHAVE_CTL_NAME "')"));
	control_is_gone(k);
	kernel_still_works(k);
}

static void a_stop_that_forgets_its_control_is_reported_and_cleaned_up(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kpi_load(k, "ForgetfulStop", &x), 0);
	assert_int_equal(kctl_kpi_unload(x), -ENOTEMPTY);
	assert_true(has("org.example.forgetful left 1 control registered ('"
			MISBEHAVE_CTL_NAME "') after its stop routine returned success"));
	assert_true(kpi_logged(k, "forgetful_stop: done"));
	control_is_gone(k);
	/* the same kext loads again: its name and its control's are free */
	kernel_still_works(k);
}

static void a_forgotten_control_with_clients_waits_for_them(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL, *again = NULL;
	kctl_t *h;

	assert_int_equal(kpi_load(k, "ForgetfulStop", &x), 0);
	h = kpi_open(k, MISBEHAVE_CTL_NAME, 0, 0);
	assert_int_equal(kctl_kpi_unload(x), -EBUSY);
	assert_true(has("with clients attached"));
	/* the stopped kext is not called again: its client gets errors, not a crash */
	assert_int_equal(kctl_send(h, "x", 1, NULL), -EPIPE);
	/* and it is not gone yet: the same kext cannot load again meanwhile */
	assert_int_equal(kpi_load(k, "ForgetfulStop", &again), -EEXIST);
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(x), -ENOTEMPTY);
	control_is_gone(k);
	kernel_still_works(k);
}

static void leaked_mbufs_are_counted_and_a_scheduled_call_cancelled(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;
	kctl_t *h;

	assert_int_equal(kpi_load(k, "Leaky", &x), 0);
	h = kpi_open(k, MISBEHAVE_CTL_NAME, 0, 0);
	for (int i = 0; i < 3; i++) /* each a packet of one mbuf, kept by the kext */
		assert_int_equal(kctl_send(h, "leak", 4, NULL), 0);
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(x), -ENOTEMPTY);
	assert_true(has("org.example.leaky leaked 5 mbufs"));
	assert_true(has("left 1 thread call scheduled"));
	assert_false(kpi_logged(k, "the forgotten thread call ran"));
	kernel_still_works(k);
}

static void a_panic_in_start_fails_the_load_and_takes_everything_back(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kpi_load(k, "PanicInStart", &x), -ENOTRECOVERABLE);
	assert_true(has("org.example.panicky panicked in its start routine: panicky: start "
			"cannot go on (42)"));
	assert_true(kpi_logged(k, "panic(org.example.panicky): panicky: start cannot go on"));
	control_is_gone(k);
	kernel_still_works(k);
}

static void a_panic_in_stop_unloads_the_kext(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL;

	assert_int_equal(kpi_load(k, "PanicInStop", &x), 0);
	assert_int_equal(kctl_kpi_unload(x), -ENOTRECOVERABLE);
	assert_true(has("panicked in its stop routine: panicky: stop went wrong"));
	assert_true(has("left 1 control registered"));
	control_is_gone(k);
	kernel_still_works(k);
}

static void send_to_panicking_kext(void *arg)
{
	struct kpi *k = kpi_new();
	kctl_kpi_kext_t *x = NULL;
	kctl_t *h = NULL;

	(void)arg;
	kctl_kpi_set_log(NULL, NULL);
	if (k == NULL || kpi_load(k, "PanicInSend", &x) != 0 ||
	    kctl_open_name(k->be, MISBEHAVE_CTL_NAME, 0, 0, &h) != 0)
		_exit(2);
	(void)kctl_send(h, "boom", 4, NULL);
	_exit(3); /* not reached: a panic stops the kernel */
}

static void a_panic_in_a_callback_stops_the_kernel_loudly(void **state)
{
	char out[8192];
	int code = 0;

	(void)state;
	assert_int_equal(kpi_in_child(send_to_panicking_kext, NULL, out, sizeof(out), &code),
			 SIGABRT);
	assert_non_null(strstr(out, "panic(org.example.panicky): panicky: 4 bytes on unit 1 is "
				    "more than I can take"));
}

static void loads_into_another_kernel_wait_for_the_last_unload(void **state)
{
	struct kpi *k = *state;
	kctl_kpi_kext_t *x = NULL, *y = NULL;
	kctl_sim_t *other = NULL;
	char path[4096];

	assert_int_equal(kctl_sim_new(&other), 0);
	assert_int_equal(kpi_load(k, "Leaky", &x), 0);
	assert_int_equal(kctl_kpi_load_module(other, kpi_module("ForgetfulStop", path,
								sizeof(path)), &y), -EBUSY);
	assert_true(has("kexts are loaded into another simulated kernel"));
	assert_int_equal(kctl_kpi_unload(x), -ENOTEMPTY);
	assert_int_equal(kctl_kpi_load_module(other, path, &y), 0);
	assert_string_equal(err(), "");
	assert_int_equal(kctl_kpi_unload(y), -ENOTEMPTY);
	kctl_sim_free(other);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kpi_setup, kpi_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_module_with_no_kmod_info_is_not_a_kext),
		T(socket_and_ip_filters_are_refused_with_their_family),
		T(iokit_cxx_and_the_mac_framework_are_refused),
		T(a_kernel_function_nobody_provides_is_named),
		T(a_failing_start_leaves_nothing_registered),
		T(a_stop_that_forgets_its_control_is_reported_and_cleaned_up),
		T(a_forgotten_control_with_clients_waits_for_them),
		T(leaked_mbufs_are_counted_and_a_scheduled_call_cancelled),
		T(a_panic_in_start_fails_the_load_and_takes_everything_back),
		T(a_panic_in_stop_unloads_the_kext),
		cmocka_unit_test(a_panic_in_a_callback_stops_the_kernel_loudly),
		T(loads_into_another_kernel_wait_for_the_last_unload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
