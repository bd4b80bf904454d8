/*
 * The sentence builder on its own: every reason the library records has a cause to
 * say, a record of an origin that never gives that reason says no cause (rather than a
 * wrong one), and the head is always the errno as the host names it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "error.h"

static const uint32_t origins[] = { KCTL_ORIGIN_LIBRARY, KCTL_ORIGIN_KERNEL,
				    KCTL_ORIGIN_CONTROL, KCTL_ORIGIN_KERNEL_OR_CONTROL };

static void every_reason_has_a_cause_for_some_origin(void **state)
{
	(void)state;
	for (uint32_t r = 1; r < KCTL_R_COUNT; r++) {
		int causes = 0;

		for (size_t i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
			struct kctl_error e = { .err = -EINVAL, .call = KCTL_CALL_SEND,
						.origin = origins[i], .reason = r, .arg = 3,
						.limit = 4 };
			char buf[512];
			int n = kctl_error_str(&e, buf, sizeof(buf));

			assert_true(n > 0 && n < (int)sizeof(buf));
			assert_int_equal(strncmp(buf, "EINVAL (Invalid argument)", 25), 0);
			causes += n > 25;
		}
		if (causes == 0)
			fail_msg("reason %u has no sentence (explain.c)", (unsigned)r);
	}
}

static void an_unknown_reason_or_origin_gives_the_head_alone(void **state)
{
	struct kctl_error e = { .err = -EPERM, .call = KCTL_CALL_OPEN,
				.origin = KCTL_ORIGIN_CONTROL, .reason = KCTL_R_NO_NAME };
	char buf[256];

	(void)state;
	/* NO_NAME is a kernel rule: as the control's answer it has nothing true to say */
	kctl_error_str(&e, buf, sizeof(buf));
	assert_string_equal(buf, "EPERM (Operation not permitted)");
	e.origin = 77;
	kctl_error_str(&e, buf, sizeof(buf));
	assert_string_equal(buf, "EPERM (Operation not permitted)");
	e.origin = KCTL_ORIGIN_LIBRARY;
	e.reason = KCTL_R_COUNT + 5;
	kctl_error_str(&e, buf, sizeof(buf));
	assert_string_equal(buf, "EPERM (Operation not permitted)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_reason_has_a_cause_for_some_origin),
		cmocka_unit_test(an_unknown_reason_or_origin_gives_the_head_alone),
	};

	return cmocka_run_group_tests_name("core_explain", tests, NULL, NULL);
}
