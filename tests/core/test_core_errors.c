/* Error sentences and the native backend where there is no PF_SYSTEM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <cmocka.h>

#include "kctl.h"

static void the_errors_users_hit_come_with_the_fix(void **state)
{
	(void)state;
	assert_non_null(strstr(kctl_strerror(-EPERM), "root"));
	assert_non_null(strstr(kctl_strerror(-ENOENT), "not loaded"));
	assert_non_null(strstr(kctl_strerror(-EBUSY), "unit 0"));
	assert_non_null(strstr(kctl_strerror(-EPROTOTYPE), "STREAM"));
	assert_non_null(strstr(kctl_strerror(-ENOBUFS), "drops"));
	assert_non_null(strstr(kctl_strerror(-EMSGSIZE), "send size"));
	assert_non_null(strstr(kctl_strerror(-EAFNOSUPPORT), "simulated kernel"));
}

static void positive_and_negative_errnos_give_the_same_sentence(void **state)
{
	(void)state;
	assert_string_equal(kctl_strerror(EPERM), kctl_strerror(-EPERM));
	assert_string_equal(kctl_strerror(0), "success");
	assert_non_null(kctl_strerror(-100000));
	/* -INT_MIN does not exist: still a sentence, no overflow (UBSan checks) */
	assert_string_equal(kctl_strerror(INT_MIN), kctl_strerror(-100000));
	assert_string_equal(kctl_strerror(INT_MAX), kctl_strerror(-100000));
	assert_non_null(kctl_strerror(-ENOTSUP));
	assert_non_null(kctl_strerror(-EOPNOTSUPP));
}

#ifndef __APPLE__
static void without_macos_the_native_backend_says_to_use_the_simulator(void **state)
{
	kctl_t *h = NULL;
	uint32_t v = 9;

	(void)state;
	assert_int_equal(kctl_open_name(NULL, "com.apple.net.utun_control", 0, 0, &h),
			 -EAFNOSUPPORT);
	assert_int_equal(kctl_open_id(kctl_backend_native(), 1, 0, 0, &h), -EAFNOSUPPORT);
	assert_int_equal(kctl_lookup(NULL, "x", &v), -EAFNOSUPPORT);
	assert_int_equal(kctl_count(NULL, &v), -EAFNOSUPPORT);
	assert_int_equal(v, 9);
	assert_null(h);
}
#endif

static void the_version_is_the_projects(void **state)
{
	(void)state;
	assert_string_equal(kctl_version(), KCTL_TEST_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_errors_users_hit_come_with_the_fix),
		cmocka_unit_test(positive_and_negative_errnos_give_the_same_sentence),
#ifndef __APPLE__
		cmocka_unit_test(without_macos_the_native_backend_says_to_use_the_simulator),
#endif
		cmocka_unit_test(the_version_is_the_projects),
	};

	return cmocka_run_group_tests_name("core_errors", tests, NULL, NULL);
}
