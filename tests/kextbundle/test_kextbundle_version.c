/*
 * test_kextbundle_version.c - the kext version parser against a table drawn from the
 * rules of xnu's OSKextParseVersionString (libkern/OSKextVersion.c; listed in
 * tools/kextbundle/README.md), one group of rows per rule, with the rules' own examples
 * as literal numbers.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kextbundle/version.h"

/* The ordering value of the current grammar and of the pre-2018 (strict) one. */
#define V(maj, min, rev, stage, level)                                                   \
	((uint64_t)(maj) * UINT64_C(1000000000000) + (uint64_t)(min) * UINT64_C(100000000) + \
	 (uint64_t)(rev) * UINT64_C(10000) + (uint64_t)(stage) * 1000u + (uint64_t)(level))
#define OLD(maj, min, rev, stage, level)                                              \
	((uint64_t)(maj) * UINT64_C(100000000) + (uint64_t)(min) * UINT64_C(1000000) + \
	 (uint64_t)(rev) * UINT64_C(10000) + (uint64_t)(stage) * 1000u + (uint64_t)(level))
#define D 1 /* development */
#define A 3 /* alpha */
#define B 5 /* beta */
#define F 7 /* f, fc: release candidate */
#define R 9 /* release */

#define S KB_VERSION_STRICT

struct row {
	const char *s;
	unsigned flags;
	int rc;         /* 0, -EINVAL or -ERANGE */
	uint64_t value; /* when rc == 0 */
};

static const struct row table[] = {
	/* The doc's examples, as written there. */
	{ "1.0.0d1", 0, 0, UINT64_C(1000000001001) },
	{ "10.1.2b3", 0, 0, UINT64_C(10000100025003) },
	{ "1.0.0fc4", 0, 0, UINT64_C(1000000007004) },
	{ "0", 0, 0, 9000 },
	{ "10000", 0, -ERANGE, 0 },
	{ "1.0.0b256", 0, -ERANGE, 0 },
	{ "1.0.0fc0", 0, -EINVAL, 0 },
	{ "1.0.0-beta", 0, -EINVAL, 0 },
	{ "v1.0", 0, -EINVAL, 0 },
	{ "1.2.3.4", 0, -EINVAL, 0 },

	/* major[.minor[.revision]]: each part optional after the major. */
	{ "1", 0, 0, V(1, 0, 0, R, 0) },
	{ "1.2", 0, 0, V(1, 2, 0, R, 0) },
	{ "1.2.3", 0, 0, V(1, 2, 3, R, 0) },
	{ "01.002.0003", 0, 0, V(1, 2, 3, R, 0) },
	{ "0.0.0", 0, 0, V(0, 0, 0, R, 0) },

	/* Field widths: at most 4 digits each. */
	{ "9999", 0, 0, V(9999, 0, 0, R, 0) },
	{ "1.9999", 0, 0, V(1, 9999, 0, R, 0) },
	{ "1.2.9999", 0, 0, V(1, 2, 9999, R, 0) },
	{ "9999.9999.9999fc255", 0, 0, V(9999, 9999, 9999, F, 255) },
	{ "1.12345", 0, -ERANGE, 0 },
	{ "1.2.12345", 0, -ERANGE, 0 },
	{ "00000", 0, -ERANGE, 0 },

	/* Empty fields are allowed. */
	{ "1.", 0, 0, V(1, 0, 0, R, 0) },
	{ "1..", 0, 0, V(1, 0, 0, R, 0) },
	{ "1..5", 0, 0, V(1, 0, 5, R, 0) },
	{ "1.2.", 0, 0, V(1, 2, 0, R, 0) },
	{ "1.d1", 0, 0, V(1, 0, 0, D, 1) },
	{ "1..b2", 0, 0, V(1, 0, 0, B, 2) },
	{ "1...", 0, -EINVAL, 0 },
	{ "1.2..", 0, -EINVAL, 0 },

	/* One '.' is skipped after exactly four revision digits, and only then. */
	{ "1.2.3456.", 0, 0, V(1, 2, 3456, R, 0) },
	{ "1.2.3456.b1", 0, 0, V(1, 2, 3456, B, 1) },
	{ "1.2.3456. junk", 0, 0, V(1, 2, 3456, R, 0) },
	{ "1.2.345.", 0, -EINVAL, 0 },
	{ "1.2.3.", 0, -EINVAL, 0 },
	{ "1.2.3456..", 0, -EINVAL, 0 },
	{ "1.2.3456.5", 0, -EINVAL, 0 },
	{ "1.0.0.0", 0, -EINVAL, 0 },

	/* Whitespace (space, tab, CR, LF only) ends the string; the rest is ignored. */
	{ "1.0 junk", 0, 0, V(1, 0, 0, R, 0) },
	{ "1.0\tjunk", 0, 0, V(1, 0, 0, R, 0) },
	{ "1.0\r\n", 0, 0, V(1, 0, 0, R, 0) },
	{ "1.0 ", 0, 0, V(1, 0, 0, R, 0) },
	{ "1 2", 0, 0, V(1, 0, 0, R, 0) },
	{ "1.0 b1", 0, 0, V(1, 0, 0, R, 0) },
	{ "1.0b1 junk", 0, 0, V(1, 0, 0, B, 1) },
	{ "1.0b123\tx", 0, 0, V(1, 0, 0, B, 123) },
	{ "1.0\vjunk", 0, -EINVAL, 0 },
	{ "1.0\f", 0, -EINVAL, 0 },
	{ " 1.0", 0, -EINVAL, 0 },

	/* Stages d, a, b, f, fc; d0, a0, b0 valid; f0, fc0 not. */
	{ "1.0d0", 0, 0, V(1, 0, 0, D, 0) },
	{ "1.0a0", 0, 0, V(1, 0, 0, A, 0) },
	{ "1.0b0", 0, 0, V(1, 0, 0, B, 0) },
	{ "1.0d000", 0, 0, V(1, 0, 0, D, 0) },
	{ "1.0f1", 0, 0, V(1, 0, 0, F, 1) },
	{ "1.0fc1", 0, 0, V(1, 0, 0, F, 1) },
	{ "1d1", 0, 0, V(1, 0, 0, D, 1) },
	{ "1234b5", 0, 0, V(1234, 0, 0, B, 5) },
	{ "1.2.3456fc7", 0, 0, V(1, 2, 3456, F, 7) },
	{ "1.0f0", 0, -EINVAL, 0 },
	{ "1.0fc0", 0, -EINVAL, 0 },
	{ "1.0fc000", 0, -EINVAL, 0 },
	{ "1.0d", 0, -EINVAL, 0 },
	{ "1.0fc", 0, -EINVAL, 0 },
	{ "1.0c1", 0, -EINVAL, 0 },
	{ "1.0fcc1", 0, -EINVAL, 0 },
	{ "1.0b1a1", 0, -EINVAL, 0 },
	{ "1.0.0a", 0, -EINVAL, 0 },

	/* Stage letters are lowercase. */
	{ "1.0B1", 0, -EINVAL, 0 },
	{ "1.0D1", 0, -EINVAL, 0 },
	{ "1.0FC1", 0, -EINVAL, 0 },
	{ "1.0fC1", 0, -EINVAL, 0 },

	/* The level: 1-3 digits, at most 255. */
	{ "1.0b255", 0, 0, V(1, 0, 0, B, 255) },
	{ "1.0b025", 0, 0, V(1, 0, 0, B, 25) },
	{ "1.0b256", 0, -ERANGE, 0 },
	{ "1.0b999", 0, -ERANGE, 0 },
	{ "1.0b1000", 0, -ERANGE, 0 },
	{ "1.0b0255", 0, -ERANGE, 0 },
	{ "1.0b1x", 0, -EINVAL, 0 },

	/* It must start with a digit; nothing else is a version. */
	{ "", 0, -EINVAL, 0 },
	{ ".1", 0, -EINVAL, 0 },
	{ ".", 0, -EINVAL, 0 },
	{ "-1", 0, -EINVAL, 0 },
	{ "+1", 0, -EINVAL, 0 },
	{ "a1", 0, -EINVAL, 0 },
	{ "1,0", 0, -EINVAL, 0 },
	{ "1.0_1", 0, -EINVAL, 0 },

	/* Strict: the pre-2018 parser, 2-digit minor and revision, its own encoding. */
	{ "1.23.45", S, 0, OLD(1, 23, 45, R, 0) },
	{ "1.0.0d1", S, 0, OLD(1, 0, 0, D, 1) },
	{ "9999.99.99fc255", S, 0, OLD(9999, 99, 99, F, 255) },
	{ "1.2.34.", S, 0, OLD(1, 2, 34, R, 0) },
	{ "1.2.34.", 0, -EINVAL, 0 },
	{ "1.234", S, -ERANGE, 0 },
	{ "1.2.345", S, -ERANGE, 0 },
	{ "1.2.3.", S, -EINVAL, 0 },
	{ "10000", S, -ERANGE, 0 },
	{ "1.0.0fc0", S, -EINVAL, 0 },
	{ "1.0 junk", S, 0, OLD(1, 0, 0, R, 0) },
};

/* Checks one row; prints what differs so that a failure names every bad row. */
static int check_row(const struct row *r)
{
	uint64_t value = UINT64_MAX;
	const char *reason = NULL;
	int rc = kb_version_parse(r->s, r->flags, &value, &reason);

	if (rc != r->rc || (rc == 0 && value != r->value) ||
	    (rc != 0 && (reason == NULL || reason[0] == '\0'))) {
		print_error("\"%s\"%s: got rc %d value %" PRIu64 " (%s), want rc %d value %" PRIu64
			    "\n", r->s, r->flags ? " strict" : "", rc, value,
			    reason ? reason : "-", r->rc, r->value);
		return 1;
	}
	return 0;
}

static void test_table(void **state)
{
	size_t n = sizeof(table) / sizeof(table[0]), failures = 0;

	(void)state;
	for (size_t i = 0; i < n; i++)
		failures += (size_t)check_row(&table[i]);
	print_message("%zu rows, %zu failed\n", n, failures);
	assert_int_equal(failures, 0);
}

static uint64_t parse_ok(const char *s)
{
	uint64_t value = 0;

	assert_int_equal(kb_version_parse(s, 0, &value, NULL), 0);
	return value;
}

/* 1.0d1 < 1.0a1 < 1.0b1 < 1.0fc1 < 1.0, and f is fc. */
static void test_ordering(void **state)
{
	static const char *const order[] = { "1.0d1", "1.0a1", "1.0b1", "1.0fc1", "1.0",
					     "1.0.1d1", "1.1", "2" };

	(void)state;
	for (size_t i = 1; i < sizeof(order) / sizeof(order[0]); i++)
		assert_true(parse_ok(order[i - 1]) < parse_ok(order[i]));
	assert_true(parse_ok("1.0f1") == parse_ok("1.0fc1"));
	assert_true(parse_ok("1.0b9") < parse_ok("1.0b10"));
}

/* A failure leaves the value alone and the reason pointer is optional. */
static void test_failure_contract(void **state)
{
	uint64_t value = 42;
	const char *reason = NULL;

	(void)state;
	assert_int_equal(kb_version_parse("1.0.0b256", 0, &value, NULL), -ERANGE);
	assert_int_equal(kb_version_parse(NULL, 0, &value, &reason), -EINVAL);
	assert_non_null(reason);
	assert_int_equal(value, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_failure_contract),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
