/*
 * Errors without context: kctl_strerror() says what happened, as the host names it,
 * for any int; every errno the headers document has its sentence; and the native
 * backend where there is no PF_SYSTEM.
 */
#define _GNU_SOURCE /* strerrorname_np, to compare names with GNU libc's own */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <cmocka.h>

#include "kctl.h"

static void a_sentence_says_what_happened_as_the_host_names_it(void **state)
{
	(void)state;
	assert_string_equal(kctl_strerror(-EINVAL), "EINVAL (Invalid argument)");
	assert_string_equal(kctl_strerror(-EPERM), "EPERM (Operation not permitted)");
	assert_string_equal(kctl_strerror(-ENOENT), "ENOENT (No such file or directory)");
	assert_string_equal(kctl_strerror(-EMSGSIZE), "EMSGSIZE (Message too long)");
	assert_string_equal(kctl_errno_name(-EAGAIN), "EAGAIN");
	assert_string_equal(kctl_errno_name(EPROTOTYPE), "EPROTOTYPE");
#ifdef __APPLE__
	/* two numbers on Darwin, each with its own name (never run here: no Mac) */
	assert_string_equal(kctl_errno_name(ENOTSUP), "ENOTSUP");
	assert_string_equal(kctl_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	assert_string_equal(kctl_strerror(ETIMEDOUT), "ETIMEDOUT (Operation timed out)");
#else
	/* one number on Linux, which GNU libc names EOPNOTSUPP */
	assert_string_equal(kctl_errno_name(ENOTSUP), "EOPNOTSUPP");
	assert_string_equal(kctl_strerror(ETIMEDOUT), "ETIMEDOUT (Connection timed out)");
#endif
}

static void no_errno_alone_is_given_a_cause(void **state)
{
	(void)state;
	/* the old sentences blamed names for any EINVAL and "no such control" for any ENOENT */
	assert_null(strstr(kctl_strerror(-EINVAL), "name"));
	assert_null(strstr(kctl_strerror(-ENOENT), "control"));
	assert_null(strchr(kctl_strerror(-EPERM), ':'));
}

static void any_int_is_safe_and_the_sign_does_not_matter(void **state)
{
	const int odd[] = { INT_MIN, INT_MIN + 1, -100000, -4096, 4096, 100000, INT_MAX };

	(void)state;
	assert_string_equal(kctl_strerror(EPERM), kctl_strerror(-EPERM));
	assert_string_equal(kctl_strerror(0), "success");
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		assert_string_equal(kctl_strerror(odd[i]),
				    "unknown error (not an errno of this system)");
		assert_null(kctl_errno_name(odd[i]));
	}
	assert_null(kctl_errno_name(0));
}

/* Every errno the public headers document, by name (a header that gains one fails the
 * test below until it is listed here, and then it must have its sentence). */
#define D(e) { #e, e }
static const struct { const char *name; int value; } documented[] = {
	D(EAFNOSUPPORT), D(EAGAIN), D(EBADMSG), D(EBUSY), D(ECANCELED), D(EILSEQ),
	D(EINVAL), D(EISCONN), D(EMSGSIZE), D(ENODATA), D(ENOENT), D(ENOMEM),
	D(ENOPROTOOPT), D(ENOTCONN), D(ENOTRECOVERABLE), D(ENOTSUP), D(EOVERFLOW),
	D(EPERM), D(EPIPE), D(EPROTO), D(EPROTONOSUPPORT), D(EPROTOTYPE), D(ERANGE),
	D(ETIMEDOUT), D(EINTR), D(EOPNOTSUPP), D(ENOSPC), D(EPFNOSUPPORT),
};
#undef D

static int documented_value(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
		if (strlen(documented[i].name) == n && strncmp(documented[i].name, name, n) == 0)
			return documented[i].value;
	return 0;
}

/* Checks every "-EXXX" in one header: listed above, and with a sentence naming it. */
static int check_header(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[512];
	int seen = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		for (char *p = strstr(line, "-E"); p; p = strstr(p + 1, "-E")) {
			size_t n = 1;
			int v;

			while (p[1 + n] >= 'A' && p[1 + n] <= 'Z')
				n++;
			if (n < 3 || (p[1 + n] >= 'a' && p[1 + n] <= 'z') ||
			    (p > line && isalnum((unsigned char)p[-1])))
				continue; /* not an errno ("-Example", "REPLY-ERROR") */
			v = documented_value(p + 1, n);
			if (v == 0)
				fail_msg("%s documents %.*s: add it to this test", path, (int)n, p + 1);
			assert_string_not_equal(kctl_strerror(-v),
						"unknown error (not an errno of this system)");
			assert_non_null(kctl_errno_name(v));
			assert_int_equal(strncmp(kctl_strerror(-v), kctl_errno_name(v),
						 strlen(kctl_errno_name(v))), 0);
			seen++;
		}
	}
	fclose(fp);
	return seen;
}

static void every_errno_the_headers_document_has_a_sentence(void **state)
{
	(void)state;
	assert_true(check_header(KCTL_SRC_INCLUDE "/kctl.h") > 20);
	assert_true(check_header(KCTL_SRC_INCLUDE "/kctl_frame.h") > 10);
}

#if defined(__GLIBC__)
static void names_and_descriptions_are_gnu_libcs_own(void **state)
{
	int named = 0;

	(void)state;
	for (int e = 1; e < 4096; e++) {
		const char *want = strerrorname_np(e);
		char sentence[256];

		if (!want) {
			assert_null(kctl_errno_name(e));
			continue;
		}
		assert_non_null(kctl_errno_name(e));
		assert_string_equal(kctl_errno_name(e), want);
		snprintf(sentence, sizeof(sentence), "%s (%s)", want, strerror(e));
		assert_string_equal(kctl_strerror(-e), sentence);
		named++;
	}
	assert_true(named > 120);
}
#endif

#ifndef __APPLE__
static void without_macos_the_native_backend_says_to_use_the_simulator(void **state)
{
	struct kctl_error why;
	char buf[256];
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
	assert_int_equal(kctl_open_name_ex(NULL, "x", 0, 0, &h, &why), -EAFNOSUPPORT);
	assert_int_equal(why.origin, KCTL_ORIGIN_KERNEL);
	assert_int_equal(why.call, KCTL_CALL_OPEN);
	kctl_error_str(&why, buf, sizeof(buf));
	assert_non_null(strstr(buf, "use the simulated kernel (kctl_sim.h)"));
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
		cmocka_unit_test(a_sentence_says_what_happened_as_the_host_names_it),
		cmocka_unit_test(no_errno_alone_is_given_a_cause),
		cmocka_unit_test(any_int_is_safe_and_the_sign_does_not_matter),
		cmocka_unit_test(every_errno_the_headers_document_has_a_sentence),
#if defined(__GLIBC__)
		cmocka_unit_test(names_and_descriptions_are_gnu_libcs_own),
#endif
#ifndef __APPLE__
		cmocka_unit_test(without_macos_the_native_backend_says_to_use_the_simulator),
#endif
		cmocka_unit_test(the_version_is_the_projects),
	};

	return cmocka_run_group_tests_name("core_errors", tests, NULL, NULL);
}
