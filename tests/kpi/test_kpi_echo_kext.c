/*
 * An Xcode-template kext (EchoKext: MODULE_START/MODULE_STOP, IOLog, os_log, a public
 * kern_ctl_reg written positionally) loaded from its module and driven through libkctl:
 * it behaves as on a Mac, its log lines arrive, and the kernel reads nothing of its
 * registration beyond the public struct.
 */
#include "kpi_fixture.h"
#include "echo_kext.h"

static int setup(void **state)
{
	struct kpi *k;

	if (kpi_setup(state) != 0)
		return -1;
	k = *state;
	if (kpi_load(k, "EchoKext", &k->kext) != 0) {
		fprintf(stderr, "load: %s\n", kctl_kpi_last_error());
		return -1;
	}
	return 0;
}

static void the_kext_echoes_and_counts_what_clients_send(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, ECHO_CTL_NAME, 0, 0);
	struct echo_stats st;
	char buf[64];
	size_t len = 0;

	assert_int_equal(kctl_send(h, "hello", 5, NULL), 0);
	assert_int_equal(kpi_recv_text(h, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(kctl_setopt(h, ECHO_OPT_PREFIX, "> ", 2), 0);
	assert_int_equal(kctl_send(h, "x", 1, NULL), 0);
	kpi_recv_text(h, buf, sizeof(buf));
	assert_string_equal(buf, "> x");
	assert_int_equal(kctl_getopt(h, ECHO_OPT_STATS, &st, sizeof(st), &len), 0);
	assert_int_equal(len, sizeof(st));
	assert_int_equal(st.clients, 1);
	assert_int_equal(st.packets, 2);
	assert_int_equal(st.bytes, 6);
	kctl_close(h);
}

static void its_iolog_and_os_log_lines_reach_the_kext_log(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, ECHO_CTL_NAME, 0, 0);
	char want[128], name[16] = "";
	FILE *f = fopen("/proc/self/comm", "r");

	/* IOLog with the kmod_info kextbundle generated from MODULE_NAME/MODULE_VERSION */
	assert_true(kpi_logged(k, "EchoKext: com.example.kctl_echo 1.0.0 starting"));
	/* os_log_info with %{public}s: the annotation is gone, the value is there */
	assert_true(kpi_logged(k, "EchoKext: control com.example.kctl_echo has id "));
	/* proc_selfpid() and proc_name() inside a callback: the client's process */
	if (f != NULL) {
		if (fgets(name, sizeof(name), f) != NULL)
			name[strcspn(name, "\n")] = '\0';
		fclose(f);
	}
	snprintf(want, sizeof(want), "unit 1 connected by %s (pid %d)", name, (int)getpid());
	assert_true(kpi_logged(k, want));
	kctl_close(h);
	assert_true(kpi_logged(k, "EchoKext: unit 1 disconnected"));
	assert_false(kpi_logged(k, "{public}"));
}

static void an_unknown_option_is_enotsup_as_on_a_mac(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, ECHO_CTL_NAME, 0, 0);
	char big[ECHO_PREFIX_MAX + 1];
	uint32_t v = 0;

	memset(big, 'p', sizeof(big));
	assert_int_equal(kctl_get_u32(h, 99, &v), -ENOTSUP);
	assert_int_equal(kctl_set_u32(h, 99, 1), -ENOTSUP);
	assert_int_equal(kctl_setopt(h, ECHO_OPT_PREFIX, big, sizeof(big)), -EINVAL);
	kctl_close(h);
}

static void its_stop_refuses_while_a_client_is_connected(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, ECHO_CTL_NAME, 0, 0);
	uint32_t id;

	assert_int_equal(kctl_kpi_unload(k->kext), -EBUSY);
	assert_non_null(strstr(kctl_kpi_last_error(), "com.example.kctl_echo did not stop"));
	assert_true(kpi_logged(k, "EchoKext: still in use, refusing to stop"));
	assert_int_equal(kctl_lookup(k->be, ECHO_CTL_NAME, &id), 0);
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(k->kext), 0);
	k->kext = NULL;
	assert_string_equal(kctl_kpi_last_error(), "");
	assert_int_equal(kctl_lookup(k->be, ECHO_CTL_NAME, &id), -ENOENT);
	assert_true(kpi_logged(k, "EchoKext: stopped"));
}

/* The kext's struct is the public one: nothing after ctl_getopt may be taken for bind. */
static void the_kernel_reads_nothing_past_the_public_registration(void **state)
{
	struct kpi *k = *state;
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t id = 0;
	int fd = -1;

	assert_int_equal(kctl_lookup(k->be, ECHO_CTL_NAME, &id), 0);
	assert_int_equal(kctl_sim_socket(k->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
					 KCTL_ABI_SYSPROTO_CONTROL, &fd), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sc_len = sizeof(sa);
	sa.sc_family = KCTL_ABI_AF_SYSTEM;
	sa.ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL;
	sa.sc_id = id;
	/* no bind callback: EINVAL, as xnu answers a control without one */
	assert_int_equal(kctl_sim_bind(k->sim, fd, &sa, sizeof(sa)), -EINVAL);
	assert_int_equal(kctl_sim_close(k->sim, fd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_kext_echoes_and_counts_what_clients_send,
						setup, kpi_teardown),
		cmocka_unit_test_setup_teardown(its_iolog_and_os_log_lines_reach_the_kext_log,
						setup, kpi_teardown),
		cmocka_unit_test_setup_teardown(an_unknown_option_is_enotsup_as_on_a_mac, setup,
						kpi_teardown),
		cmocka_unit_test_setup_teardown(its_stop_refuses_while_a_client_is_connected,
						setup, kpi_teardown),
		cmocka_unit_test_setup_teardown(the_kernel_reads_nothing_past_the_public_registration,
						setup, kpi_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
