/* conf.c - reading the bundle config (format in conf.h). */
#include "conf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define LIBRARIES_KEY "OSBundleLibraries"

static const char *const key_names[KB_KEY_COUNT] = {
	[KB_ID] = "CFBundleIdentifier",
	[KB_VERSION] = "CFBundleVersion",
	[KB_SHORT_VERSION] = "CFBundleShortVersionString",
	[KB_COMPAT] = "OSBundleCompatibleVersion",
	[KB_EXECUTABLE] = "CFBundleExecutable",
	[KB_NAME] = "CFBundleName",
	[KB_COPYRIGHT] = "NSHumanReadableCopyright",
	[KB_REQUIRED] = "OSBundleRequired",
	[KB_START] = "KextStart",
	[KB_STOP] = "KextStop",
};

const char *kb_key_name(enum kb_key key)
{
	return key_names[key];
}

const char *kb_conf_get(const struct kb_conf *c, enum kb_key key)
{
	if (c->value[key] == NULL && key == KB_SHORT_VERSION)
		return c->value[KB_VERSION];
	if (c->value[key] == NULL && key == KB_NAME)
		return c->value[KB_EXECUTABLE];
	return c->value[key];
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trims spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Edit distance of two short strings, for "did you mean" on a mistyped key. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65];

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + ((a[i - 1] | 0x20) != (b[j - 1] | 0x20));

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void unknown_key(struct kb_diag *d, unsigned line, const char *key)
{
	const char *best = LIBRARIES_KEY;
	size_t best_dist = distance(key, LIBRARIES_KEY);

	for (int k = 0; k < KB_KEY_COUNT; k++) {
		size_t dist = distance(key, key_names[k]);

		if (dist < best_dist) {
			best = key_names[k];
			best_dist = dist;
		}
	}
	if (best_dist <= 3)
		kb_diag_error(d, line, "unknown key %s (did you mean %s?)", key, best);
	else
		kb_diag_error(d, line, "unknown key %s", key);
}

static int set_value(struct kb_conf *c, struct kb_diag *d, unsigned line, enum kb_key k,
		     const char *value)
{
	const char *problem = kb_text_problem(value);

	if (c->value[k]) {
		kb_diag_error(d, line, "duplicate key %s (first set on line %u)", key_names[k],
			      c->line[k]);
		return 0;
	}
	if (problem) {
		kb_diag_error(d, line, "the value of %s %s", key_names[k], problem);
		return 0;
	}
	c->value[k] = strdup(value);
	c->line[k] = line;
	return c->value[k] ? 0 : -ENOMEM;
}

static int append_lib(struct kb_conf *c, unsigned line, const char *id, const char *version)
{
	struct kb_lib *libs = realloc(c->libs, (c->nlibs + 1) * sizeof(*libs));
	struct kb_lib *lib;

	if (libs == NULL)
		return -ENOMEM;
	c->libs = libs;
	lib = &libs[c->nlibs];
	lib->id = strdup(id);
	lib->version = strdup(version);
	lib->line = line;
	c->nlibs++; /* counted even on failure so that kb_conf_free() sees it */
	return (lib->id && lib->version) ? 0 : -ENOMEM;
}

/* "OSBundleLibraries = <id> <version>": one library per line, each id once. */
static int add_lib(struct kb_conf *c, struct kb_diag *d, unsigned line, char *value)
{
	char *id = value, *version = value + strcspn(value, " \t");

	if (*version != '\0')
		*version++ = '\0';
	version = trim(version);
	if (*version == '\0' || version[strcspn(version, " \t")] != '\0') {
		kb_diag_error(d, line, "expected %s = <bundle id> <version>", LIBRARIES_KEY);
		return 0;
	}
	for (size_t i = 0; i < c->nlibs; i++) {
		if (strcmp(c->libs[i].id, id) == 0) {
			kb_diag_error(d, line, "duplicate library %s in %s (first on line %u)", id,
				      LIBRARIES_KEY, c->libs[i].line);
			return 0;
		}
	}
	return append_lib(c, line, id, version);
}

static int set_key(struct kb_conf *c, struct kb_diag *d, unsigned line, const char *key,
		   char *value)
{
	if (*value == '\0') {
		kb_diag_error(d, line, "%s has an empty value", key);
		return 0;
	}
	if (strcmp(key, LIBRARIES_KEY) == 0)
		return add_lib(c, d, line, value);
	for (int k = 0; k < KB_KEY_COUNT; k++)
		if (strcmp(key, key_names[k]) == 0)
			return set_value(c, d, line, (enum kb_key)k, value);
	unknown_key(d, line, key);
	return 0;
}

static int parse_line(struct kb_conf *c, struct kb_diag *d, unsigned line, char *text,
		      size_t len)
{
	char *eq, *key;

	if (strlen(text) != len) {
		kb_diag_error(d, line, "contains a NUL byte");
		return 0;
	}
	text[strcspn(text, "\r\n")] = '\0';
	text = trim(text);
	if (*text == '\0' || *text == '#')
		return 0;
	eq = strchr(text, '=');
	if (eq == NULL) {
		kb_diag_error(d, line, "expected KEY = VALUE");
		return 0;
	}
	*eq = '\0';
	key = trim(text);
	if (*key == '\0') {
		kb_diag_error(d, line, "missing key before '='");
		return 0;
	}
	return set_key(c, d, line, key, trim(eq + 1));
}

static int read_lines(struct kb_conf *c, struct kb_diag *d, FILE *f)
{
	char *text = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned line = 0;
	int rc = 0;

	while (rc == 0 && (len = getline(&text, &cap, f)) >= 0)
		rc = parse_line(c, d, ++line, text, (size_t)len);
	if (rc == 0 && ferror(f))
		rc = -EIO;
	free(text);
	return rc;
}

int kb_conf_read(struct kb_conf *c, struct kb_diag *d)
{
	FILE *f;
	int rc;

	memset(c, 0, sizeof(*c));
	f = fopen(d->path, "r");
	if (f == NULL) {
		rc = -errno;
		kb_diag_error(d, 0, "cannot open: %s", strerror(-rc));
		return rc;
	}
	rc = read_lines(c, d, f);
	fclose(f);
	if (rc < 0)
		kb_diag_error(d, 0, "cannot read: %s", strerror(-rc));
	return rc;
}

void kb_conf_free(struct kb_conf *c)
{
	for (int k = 0; k < KB_KEY_COUNT; k++)
		free(c->value[k]);
	for (size_t i = 0; i < c->nlibs; i++) {
		free(c->libs[i].id);
		free(c->libs[i].version);
	}
	free(c->libs);
	memset(c, 0, sizeof(*c));
}
