/* xcode.c - MODULE_NAME, MODULE_VERSION, MODULE_START, MODULE_STOP (format in xcode.h). */
#include "xcode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define PREFIX "MODULE_"

static const struct {
	const char *name;
	enum kb_key key;
} settings[] = {
	{ "MODULE_NAME", KB_ID },
	{ "MODULE_VERSION", KB_VERSION },
	{ "MODULE_START", KB_START },
	{ "MODULE_STOP", KB_STOP },
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

bool kb_xcode_is_setting(const char *arg)
{
	return strncmp(arg, PREFIX, strlen(PREFIX)) == 0 && strchr(arg, '=') != NULL;
}

/* The setting named by the first len bytes of arg, or -1. */
static int find(const char *arg, size_t len)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strlen(settings[i].name) == len && strncmp(arg, settings[i].name, len) == 0)
			return (int)i;
	return -1;
}

static int take(struct kb_conf *c, struct kb_diag *d, unsigned pos, const char *arg)
{
	size_t len = strcspn(arg, "=");
	const char *value = arg + len + 1, *problem;
	int i = kb_xcode_is_setting(arg) ? find(arg, len) : -1;

	if (i < 0) {
		kb_diag_error(d, 0, "argument %u: \"%.*s\" is not one of MODULE_NAME, "
			      "MODULE_VERSION, MODULE_START, MODULE_STOP", pos, (int)len, arg);
		return 0;
	}
	if (c->line[settings[i].key] != 0) {
		kb_diag_error(d, 0, "argument %u: %s given twice (first as argument %u)", pos,
			      settings[i].name, c->line[settings[i].key]);
		return 0;
	}
	c->line[settings[i].key] = pos;
	problem = kb_text_problem(value);
	if (problem) {
		kb_diag_error(d, 0, "argument %u: the value of %s %s", pos, settings[i].name,
			      problem);
		return 0;
	}
	if (*value == '\0')
		return 0; /* empty: absent (MODULE_START of an IOKit kext) */
	c->value[settings[i].key] = strdup(value);
	return c->value[settings[i].key] != NULL ? 0 : -ENOMEM;
}

int kb_xcode_read(struct kb_conf *c, struct kb_diag *d, int n, char *const *args)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < NSETTINGS; i++)
		c->label[settings[i].key] = settings[i].name;
	for (int i = 0; i < n; i++) {
		int rc = take(c, d, (unsigned)i + 1, args[i]);

		if (rc != 0)
			return rc;
	}
	/* c->line held argument positions for the duplicate check; messages have none */
	memset(c->line, 0, sizeof(c->line));
	return 0;
}
