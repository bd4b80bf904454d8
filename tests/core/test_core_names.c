/* Control names: checked before any syscall, passed to CTLIOCGINFO byte-exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_kernel.h"
#include "handle.h"

FAKE_KERNEL_FIXTURE

static void names_of_1_to_95_bytes_are_valid(void **state)
{
	char name[96];

	(void)state;
	memset(name, 'a', sizeof(name));
	name[95] = '\0';
	assert_int_equal(kctl_name_check("a"), 0);
	assert_int_equal(kctl_name_check(name), 0);
}

static void an_empty_a_null_or_a_96_byte_name_is_invalid(void **state)
{
	char name[97];

	(void)state;
	memset(name, 'a', sizeof(name));
	name[96] = '\0';
	assert_int_equal(kctl_name_check(""), -EINVAL);
	assert_int_equal(kctl_name_check(NULL), -EINVAL);
	assert_int_equal(kctl_name_check(name), -EINVAL);
}

static void a_bad_name_is_rejected_before_any_syscall(void **state)
{
	char name[97];
	uint32_t id = 55;
	kctl_t *h = NULL;

	(void)state;
	memset(name, 'b', sizeof(name));
	name[96] = '\0';
	assert_int_equal(kctl_lookup(&fb, name, &id), -EINVAL);
	assert_int_equal(kctl_lookup(&fb, "", &id), -EINVAL);
	assert_int_equal(kctl_open_name(&fb, name, 0, 0, &h), -EINVAL);
	assert_int_equal(fk.calls[FK_SOCKET], 0);
	assert_int_equal(id, 55);
	assert_null(h);
}

static void lookup_sends_the_name_in_a_zeroed_ctl_info_and_returns_the_id(void **state)
{
	uint32_t id = 0;

	(void)state;
	fk.ctl_id = 1234;
	assert_int_equal(kctl_lookup(&fb, "org.libkctl.x", &id), 0);
	assert_int_equal(id, 1234);
	assert_true(fk.ioctls[2] == KCTL_ABI_CTLIOCGINFO);
	assert_int_equal(fk.calls[FK_CLOSE], 1); /* the lookup socket is not kept */
}

static void a_failed_lookup_keeps_the_id_and_closes_its_socket(void **state)
{
	uint32_t id = 77;

	(void)state;
	fk.fail_call = FK_IOCTL;
	fk.fail_err = -ENOENT;
	fk.fail_skip = 2; /* FIOCLEX and FIONBIO go through; CTLIOCGINFO fails */
	assert_int_equal(kctl_lookup(&fb, "nope", &id), -ENOENT);
	assert_int_equal(id, 77);
	assert_int_equal(fk.calls[FK_CLOSE], 1);
}

static void count_returns_the_number_of_registered_controls(void **state)
{
	uint32_t n = 0;

	(void)state;
	assert_int_equal(kctl_count(&fb, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(kctl_count(&fb, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(names_of_1_to_95_bytes_are_valid, fk_setup),
		cmocka_unit_test_setup(an_empty_a_null_or_a_96_byte_name_is_invalid, fk_setup),
		cmocka_unit_test_setup(a_bad_name_is_rejected_before_any_syscall, fk_setup),
		cmocka_unit_test_setup(lookup_sends_the_name_in_a_zeroed_ctl_info_and_returns_the_id, fk_setup),
		cmocka_unit_test_setup(a_failed_lookup_keeps_the_id_and_closes_its_socket, fk_setup),
		cmocka_unit_test_setup(count_returns_the_number_of_registered_controls, fk_setup),
	};

	return cmocka_run_group_tests_name("core_names", tests, NULL, NULL);
}
