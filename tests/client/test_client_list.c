/* kctl_list() against the simulated kernel: the same registration list a Mac gives,
 * read through the sysctl leaf of the syscall table. */
#include "fixture.h"

static void both_echo_controls_are_listed_with_their_registration(void **state)
{
	struct fixture *f = *state;
	struct kctl_ctl_desc d[4];
	uint32_t n = 0, count = 0, id = 0;

	assert_int_equal(kctl_list(f->be, d, 4, &n), 0);
	assert_int_equal(kctl_count(f->be, &count), 0);
	assert_int_equal(n, count);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].name, ECHO_NAME);
	assert_int_equal(kctl_lookup(f->be, ECHO_NAME, &id), 0);
	assert_int_equal(d[0].id, id);
	assert_int_equal(d[0].flags, 0);
	assert_int_equal(d[0].reg_unit, KCTL_LIST_NO_UNIT);
	assert_int_equal(d[0].sendsize, KCTL_ABI_CTL_SENDSIZE);
	assert_int_equal(d[0].recvsize, KCTL_ABI_CTL_RECVSIZE);
	assert_string_equal(d[1].name, ECHO_STREAM_NAME);
	assert_int_equal(d[1].flags, KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);
	assert_true(d[1].id > d[0].id);
}

static void units_in_use_follow_the_open_handles(void **state)
{
	struct fixture *f = *state;
	struct kctl_ctl_desc d[2];
	kctl_t *a = NULL, *b = NULL;
	uint32_t n = 0;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &a), 0);
	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &b), 0);
	assert_int_equal(kctl_list(f->be, d, 2, &n), 0);
	assert_int_equal(d[0].units_in_use, 2);
	assert_int_equal(d[1].units_in_use, 0);
	kctl_close(a);
	kctl_close(b);
	assert_int_equal(kctl_list(f->be, d, 2, &n), 0);
	assert_int_equal(d[0].units_in_use, 0);
}

static void a_registration_and_a_deregistration_show_at_once(void **state)
{
	struct fixture *f = *state;
	struct kctl_ctl_desc d[3];
	kctl_sim_ctl_t *extra = NULL;
	struct echo_stats st;
	uint32_t n = 0;

	memset(&st, 0, sizeof(st));
	assert_int_equal(echo_register(f->sim, "org.libkctl.test.extra", 0, &st, &extra), 0);
	assert_int_equal(kctl_list(f->be, d, 3, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(d[2].name, "org.libkctl.test.extra");
	assert_int_equal(kctl_sim_deregister(extra), 0);
	assert_int_equal(kctl_list(f->be, d, 3, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(kctl_list(f->be, d, 1, &n), -ENOSPC);
	assert_int_equal(n, 2);
}

static void many_controls_need_no_retry_and_come_in_id_order(void **state)
{
	struct fixture *f = *state;
	struct kctl_ctl_desc d[40];
	struct echo_stats st;
	uint32_t n = 0;

	memset(&st, 0, sizeof(st));
	for (int i = 0; i < 30; i++) {
		char name[64];
		kctl_sim_ctl_t *c = NULL;

		snprintf(name, sizeof(name), "org.libkctl.test.many.%d", i);
		assert_int_equal(echo_register(f->sim, name, 0, &st, &c), 0);
	}
	assert_int_equal(kctl_list(f->be, d, 40, &n), 0);
	assert_int_equal(n, 32);
	for (uint32_t i = 1; i < n; i++)
		assert_true(d[i].id > d[i - 1].id);
	/* one size query and one read: the kernel's estimate had room for 32 */
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SYSCTL), 2);
}

static int count_names(const struct kctl_ctl_desc *c, void *arg)
{
	int *n = arg;

	if (strncmp(c->name, "org.libkctl.test.", 17) == 0)
		(*n)++;
	return 0;
}

static void the_callback_walk_sees_the_same_controls(void **state)
{
	struct fixture *f = *state;
	int n = 0;

	assert_int_equal(kctl_list_each(f->be, count_names, &n), 0);
	assert_int_equal(n, 2);
}

static void a_failing_sysctl_is_returned_and_leaves_no_fd(void **state)
{
	struct fixture *f = *state;
	struct kctl_ctl_desc d[2];
	uint32_t n = 7;
	int fds = tu_open_fds();

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SYSCTL, -EIO), 0);
	assert_int_equal(kctl_list(f->be, d, 2, &n), -EIO);
	assert_int_equal(n, 7);
	assert_int_equal(tu_open_fds(), fds);
}

#ifndef __APPLE__
static void without_macos_the_native_list_says_to_use_the_simulator(void **state)
{
	uint32_t n = 3;

	(void)state;
	assert_int_equal(kctl_list(NULL, NULL, 0, &n), -EAFNOSUPPORT);
	assert_int_equal(n, 3);
}
#endif

#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(both_echo_controls_are_listed_with_their_registration),
		T(units_in_use_follow_the_open_handles),
		T(a_registration_and_a_deregistration_show_at_once),
		T(many_controls_need_no_retry_and_come_in_id_order),
		T(the_callback_walk_sees_the_same_controls),
		T(a_failing_sysctl_is_returned_and_leaves_no_fd),
#ifndef __APPLE__
		T(without_macos_the_native_list_says_to_use_the_simulator),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
