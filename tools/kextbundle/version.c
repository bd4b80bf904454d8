/* version.c - kext version strings, following xnu's OSKextParseVersionString. */
#include "version.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/* The kernel's own parser accepts exactly these; isdigit()/isspace() would follow the
 * locale and let '\v' and '\f' end a version, which the kernel refuses. */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool ends_version(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_stage_letter(char c)
{
	return c == 'd' || c == 'a' || c == 'b' || c == 'f';
}

enum { FIELD_MAJOR, FIELD_MINOR, FIELD_REVISION, FIELD_COUNT };

/* Digits allowed per field and each field's weight in the ordering value. */
struct grammar {
	unsigned digits[FIELD_COUNT];
	uint64_t mult[FIELD_COUNT];
	const char *too_long[FIELD_COUNT];
};

static const struct grammar modern = {
	{ 4, 4, 4 },
	{ UINT64_C(1000000000000), UINT64_C(100000000), UINT64_C(10000) },
	{ "major version has more than 4 digits", "minor version has more than 4 digits",
	  "revision has more than 4 digits" },
};

static const struct grammar legacy = {
	{ 4, 2, 2 },
	{ UINT64_C(100000000), UINT64_C(1000000), UINT64_C(10000) },
	{ "major version has more than 4 digits",
	  "minor version has more than 2 digits (strict, pre-2018 rule)",
	  "revision has more than 2 digits (strict, pre-2018 rule)" },
};

#define STAGE_MULT 1000u
#define STAGE_RELEASE 9u
#define STAGE_CANDIDATE 7u
#define LEVEL_DIGITS 3u
#define LEVEL_MAX 255u

/* Parser state shared by the small steps below. */
struct scan {
	const char *p;
	const struct grammar *g;
	uint64_t field[FIELD_COUNT];
	unsigned stage;
	unsigned level;
	const char *reason;
};

static int fail(struct scan *s, int err, const char *reason)
{
	s->reason = reason;
	return -err;
}

/* Names the problem with a character that cannot continue a version. */
static int bad_char(struct scan *s, char c)
{
	if (c == 'D' || c == 'A' || c == 'B' || c == 'F')
		return fail(s, EINVAL, "stage letters are lowercase (d, a, b, f, fc)");
	return fail(s, EINVAL, "unexpected character (a version is digits and dots, "
			       "then an optional stage d, a, b, f or fc with a level)");
}

/* Reads one stage letter (or "fc") that must be followed by a digit. */
static int scan_stage_letter(struct scan *s)
{
	const char *p = s->p;
	unsigned stage = 0;

	switch (p[0]) {
	case 'd': stage = 1; p++; break;
	case 'a': stage = 3; p++; break;
	case 'b': stage = 5; p++; break;
	case 'f': stage = STAGE_CANDIDATE; p += (p[1] == 'c') ? 2 : 1; break;
	default:
		return bad_char(s, p[0]);
	}
	if (!is_digit(*p))
		return fail(s, EINVAL, "a stage must be followed directly by its level (digits)");
	s->stage = stage;
	s->p = p;
	return 0;
}

/* Reads the 1-3 digit level after a stage; only whitespace or the end may follow. */
static int scan_level(struct scan *s)
{
	unsigned n = 0, level = 0;

	while (n < LEVEL_DIGITS && is_digit(*s->p)) {
		level = level * 10u + (unsigned)(*s->p - '0');
		s->p++;
		n++;
	}
	if (!ends_version(*s->p)) {
		if (is_digit(*s->p))
			return fail(s, ERANGE, "stage level has more than 3 digits");
		return fail(s, EINVAL, "unexpected character after the stage level");
	}
	if (level > LEVEL_MAX)
		return fail(s, ERANGE, "stage level is above 255");
	if (s->stage == STAGE_CANDIDATE && level == 0)
		return fail(s, EINVAL, "a release candidate (f, fc) needs a level of at least 1");
	s->level = level;
	return 0;
}

static int scan_stage(struct scan *s)
{
	int rc;

	/* "1.2.3456." and "1.2.3456. x" arrive here at the end: a plain release. */
	if (ends_version(*s->p))
		return 0;
	rc = scan_stage_letter(s);
	return rc ? rc : scan_level(s);
}

/*
 * Decides what follows field f after n digits. Returns 1 to go on with the next
 * field, 0 when the stage (or the end) comes next, or a negative errno.
 */
static int after_field(struct scan *s, unsigned f, unsigned n)
{
	char c = *s->p;
	bool full = (n == s->g->digits[f]);

	if (ends_version(c) || is_stage_letter(c))
		return 0;
	if (is_digit(c))
		return fail(s, ERANGE, s->g->too_long[f]);
	if (c == '.' && f != FIELD_REVISION) {
		s->p++;
		return 1;
	}
	/* The kernel skips one '.' only after a revision of exactly the full width. */
	if (c == '.' && full) {
		s->p++;
		return 0;
	}
	if (c == '.')
		return fail(s, EINVAL, "a '.' after the revision is allowed only after exactly "
				       "4 revision digits (no fourth field)");
	return bad_char(s, c);
}

static int scan_fields(struct scan *s)
{
	for (unsigned f = 0; f < FIELD_COUNT; f++) {
		unsigned n = 0;
		int rc;

		while (n < s->g->digits[f] && is_digit(*s->p)) {
			s->field[f] = s->field[f] * 10u + (uint64_t)(*s->p - '0');
			s->p++;
			n++;
		}
		rc = after_field(s, f, n);
		if (rc <= 0)
			return rc;
	}
	return 0; /* not reached: the revision never answers 1 */
}

int kb_version_parse(const char *str, unsigned flags, uint64_t *value, const char **reason)
{
	struct scan s = { .p = str, .stage = STAGE_RELEASE };
	int rc;

	s.g = (flags & KB_VERSION_STRICT) ? &legacy : &modern;
	if (str == NULL || str[0] == '\0')
		rc = fail(&s, EINVAL, "empty version string");
	else if (!is_digit(str[0]))
		rc = fail(&s, EINVAL, "a version must start with a digit");
	else
		rc = scan_fields(&s);
	if (rc == 0)
		rc = scan_stage(&s);
	if (rc < 0) {
		if (reason)
			*reason = s.reason;
		return rc;
	}
	*value = s.field[FIELD_MAJOR] * s.g->mult[FIELD_MAJOR] +
		 s.field[FIELD_MINOR] * s.g->mult[FIELD_MINOR] +
		 s.field[FIELD_REVISION] * s.g->mult[FIELD_REVISION] +
		 (uint64_t)s.stage * STAGE_MULT + s.level;
	return 0;
}
