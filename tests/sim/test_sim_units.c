/* test_sim_units.c - many units on one control: the kernel's choice of the lowest free
 * unit, explicit units, and data reaching the right unit whatever the count. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_fixture.h"

#define MANY 300

/* A datagram enqueued to each unit comes out of that unit's socket, and no other. */
static void check_delivery(struct fx *f, const int *fd, int n)
{
	for (int i = 0; i < n; i++) {
		uint32_t unit = fx_unit(f, fd[i]), got = 0;
		size_t len = 0;

		assert_int_not_equal(unit, 0);
		assert_int_equal(kctl_sim_enqueue(f->ctl, unit, &unit, sizeof(unit),
						  KCTL_ABI_CTL_DATA_EOR), 0);
		assert_int_equal(fx_recv_buf(f, fd[i], &got, sizeof(got), KCTL_ABI_MSG_DONTWAIT,
					     &len, NULL), 0);
		assert_int_equal(len, sizeof(got));
		assert_int_equal(got, unit);
	}
}

static void hundreds_of_units_get_one_to_n_and_each_gets_its_own_data(void **state)
{
	struct fx *f = *state;
	int fd[MANY];

	for (int i = 0; i < MANY; i++) {
		fd[i] = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
		assert_true(fd[i] >= 0);
		assert_int_equal(fx_unit(f, fd[i]), (uint32_t)i + 1);
	}
	check_delivery(f, fd, MANY);
	for (int i = 0; i < MANY; i++)
		kctl_sim_close(f->sim, fd[i]);
}

static void closed_units_are_reused_lowest_first_whatever_the_order_of_closing(void **state)
{
	struct fx *f = *state;
	static const int gone[] = { 250, 7, 129, 64, 63, 0, 191 };
	int fd[MANY], extra;
	uint32_t want[sizeof(gone) / sizeof(gone[0])];
	size_t n = sizeof(gone) / sizeof(gone[0]);

	for (int i = 0; i < MANY; i++)
		fd[i] = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	for (size_t k = 0; k < n; k++) {
		want[k] = (uint32_t)gone[k] + 1;
		kctl_sim_close(f->sim, fd[gone[k]]);
	}
	for (size_t a = 0; a < n; a++) /* the units freed, in ascending order */
		for (size_t b = a + 1; b < n; b++)
			if (want[b] < want[a]) {
				uint32_t t = want[a];

				want[a] = want[b];
				want[b] = t;
			}
	for (size_t k = 0; k < n; k++) {
		fd[gone[k]] = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
		assert_int_equal(fx_unit(f, fd[gone[k]]), want[k]);
	}
	extra = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(fx_unit(f, extra), MANY + 1);
	check_delivery(f, fd, MANY);
	for (int i = 0; i < MANY; i++)
		kctl_sim_close(f->sim, fd[i]);
	kctl_sim_close(f->sim, extra);
}

static void explicit_units_far_apart_and_the_kernels_choice_live_side_by_side(void **state)
{
	struct fx *f = *state;
	static const uint32_t units[] = { 70000, 2, 0xFFFFFFF0u, 65535, 1 };
	int fd[6];

	for (int i = 0; i < 5; i++) {
		fd[i] = fx_open(f, KCTL_ABI_SOCK_DGRAM, units[i]);
		assert_true(fd[i] >= 0);
		assert_int_equal(fx_unit(f, fd[i]), units[i]);
	}
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 70000), -EBUSY);
	fd[5] = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(fx_unit(f, fd[5]), 3); /* 1 and 2 are taken */
	check_delivery(f, fd, 6);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 4, "x", 1, 0), -EINVAL); /* nobody on 4 */
	for (int i = 0; i < 6; i++)
		kctl_sim_close(f->sim, fd[i]);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup_dgram, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hundreds_of_units_get_one_to_n_and_each_gets_its_own_data),
		T(closed_units_are_reused_lowest_first_whatever_the_order_of_closing),
		T(explicit_units_far_apart_and_the_kernels_choice_live_side_by_side),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
