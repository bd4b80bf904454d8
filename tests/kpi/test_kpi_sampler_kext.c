/*
 * A kext exporting data from a kernel thread (Sampler: kernel_thread_start, msleep with
 * a timeout, a STREAM control, assert): its thread runs as kernel_task, every client
 * gets the records, a slow one costs drops, stop ends the thread, and assert() is not
 * evaluated in a release build while a debug build (MACH_ASSERT) panics on a false one.
 */
#include "kpi_fixture.h"
#include "sampler_kext.h"

static int setup_release(void **state)
{
	struct kpi *k;

	if (kpi_setup(state) != 0)
		return -1;
	k = *state;
	return kpi_load(k, "Sampler", &k->kext);
}

static struct sampler_stats stats(kctl_t *h)
{
	struct sampler_stats st;
	size_t len = 0;

	assert_int_equal(kctl_getopt(h, SAMPLER_OPT_STATS, &st, sizeof(st), &len), 0);
	assert_int_equal(len, sizeof(st));
	return st;
}

/* Reads whole records from a STREAM client. */
static void read_record(kctl_t *h, struct sampler_record *rec)
{
	size_t have = 0;

	while (have < sizeof(*rec)) {
		size_t got = 0;
		uint32_t fl = 0;

		assert_int_equal(kctl_recv(h, (char *)rec + have, sizeof(*rec) - have, &got, &fl),
				 0);
		have += got;
	}
}

static void the_kernel_thread_exports_records_to_every_client(void **state)
{
	struct kpi *k = *state;
	kctl_t *a = kpi_open(k, SAMPLER_CTL_NAME, 0, 1), *b = kpi_open(k, SAMPLER_CTL_NAME, 0, 1);
	struct sampler_record ra, rb, next;

	read_record(a, &ra);
	read_record(b, &rb);
	assert_int_equal(ra.magic, SAMPLER_MAGIC);
	assert_int_equal(rb.magic, SAMPLER_MAGIC);
	/* the exporting thread is the kernel's: proc_selfpid() is kernel_task's 0 */
	assert_int_equal(ra.pid, 0);
	read_record(a, &next);
	assert_true(next.seq > ra.seq);
	assert_true(next.uptime > ra.uptime);
	assert_true(kpi_logged(k, "sampler: started, thread "));
	kctl_close(a);
	kctl_close(b);
}

static void a_release_build_does_not_evaluate_assert(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, SAMPLER_CTL_NAME, 0, 1);
	struct sampler_stats st = stats(h);

	assert_int_equal(st.assert_evaluated, 0);
	assert_int_equal(st.thread_running, 1);
	kctl_close(h);
}

static void a_slow_client_costs_drops_not_data_of_others(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, SAMPLER_CTL_NAME, 0, 1);
	struct sampler_record rec;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int waited = 0;

	/* its buffer holds 16 records, one every 5 ms: it fills while nobody reads (the
	 * wait is bounded generously, for slow runs under valgrind) */
	while (stats(h).drops == 0 && waited++ < 500)
		nanosleep(&pause, NULL);
	assert_true(stats(h).drops > 0);
	read_record(h, &rec);
	assert_int_equal(rec.magic, SAMPLER_MAGIC);
	kctl_close(h);
}

static void stop_ends_the_thread_and_unloads_cleanly(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, SAMPLER_CTL_NAME, 0, 1);

	assert_int_equal(kctl_kpi_unload(k->kext), -EBUSY); /* its stop refuses: a client */
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(k->kext), 0);
	k->kext = NULL;
	assert_string_equal(kctl_kpi_last_error(), "");
	assert_true(kpi_logged(k, "sampler: stopped after "));
}

static void a_debug_build_evaluates_assert(void **state)
{
	struct kpi *k = *state;
	kctl_t *h;

	assert_int_equal(kpi_load(k, "SamplerDebug", &k->kext), 0);
	h = kpi_open(k, SAMPLER_CTL_NAME, 0, 1);
	assert_int_equal(stats(h).assert_evaluated, 1);
	kctl_close(h);
}

static void connect_unit_13(void *arg)
{
	struct kpi *k = kpi_new();
	kctl_kpi_kext_t *x = NULL;
	kctl_t *h = NULL;

	(void)arg;
	kctl_kpi_set_log(NULL, NULL); /* the panic goes to stderr, to the parent */
	if (k == NULL || kpi_load(k, "SamplerDebug", &x) != 0)
		_exit(2);
	(void)kctl_open_name(k->be, SAMPLER_CTL_NAME, 13, KCTL_OPEN_STREAM, &h);
	_exit(3); /* not reached: the assertion panics the kernel */
}

static void a_false_assert_in_a_debug_build_panics_the_kernel(void **state)
{
	char out[8192];
	int code = 0;

	(void)state;
	assert_int_equal(kpi_in_child(connect_unit_13, NULL, out, sizeof(out), &code), SIGABRT);
	assert_non_null(strstr(out, "panic(org.example.sampler): "));
	assert_non_null(strstr(out, "Assertion failed: sac->sc_unit != 13"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_kernel_thread_exports_records_to_every_client,
						setup_release, kpi_teardown),
		cmocka_unit_test_setup_teardown(a_release_build_does_not_evaluate_assert,
						setup_release, kpi_teardown),
		cmocka_unit_test_setup_teardown(a_slow_client_costs_drops_not_data_of_others,
						setup_release, kpi_teardown),
		cmocka_unit_test_setup_teardown(stop_ends_the_thread_and_unloads_cleanly,
						setup_release, kpi_teardown),
		cmocka_unit_test_setup_teardown(a_debug_build_evaluates_assert, kpi_setup,
						kpi_teardown),
		cmocka_unit_test(a_false_assert_in_a_debug_build_panics_the_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
