/*
 * conf.h - the one place a kext's bundle metadata is written down.
 *
 * Format (UTF-8 text, one setting per line):
 *   # a comment (only as the first non-blank character of a line)
 *   Key = value
 * Blank lines are ignored; spaces and tabs around the key, the '=' and the value are
 * trimmed; the value is taken literally up to the end of the line (no quoting, no
 * escapes, no trailing comments, so '#' and '"' may appear in a copyright). Each key
 * may appear once, except OSBundleLibraries, which appears once per library as
 * "OSBundleLibraries = <bundle id> <version>". Unknown keys are errors.
 */
#ifndef KEXTBUNDLE_CONF_H
#define KEXTBUNDLE_CONF_H

#include <stddef.h>

#include "diag.h"

/* The scalar keys; their spelling in the file is kb_key_name(). */
enum kb_key {
	KB_ID,            /* CFBundleIdentifier (required) */
	KB_VERSION,       /* CFBundleVersion (required) */
	KB_SHORT_VERSION, /* CFBundleShortVersionString (default: CFBundleVersion) */
	KB_COMPAT,        /* OSBundleCompatibleVersion (optional) */
	KB_EXECUTABLE,    /* CFBundleExecutable (required) */
	KB_NAME,          /* CFBundleName (default: CFBundleExecutable) */
	KB_COPYRIGHT,     /* NSHumanReadableCopyright (optional) */
	KB_REQUIRED,      /* OSBundleRequired (optional) */
	KB_START,         /* KextStart: the kext's start function (required) */
	KB_STOP,          /* KextStop: the kext's stop function (required) */
	KB_KEY_COUNT
};

/* One OSBundleLibraries entry. */
struct kb_lib {
	char *id;
	char *version;
	unsigned line;
};

/* A parsed config. Values are NULL when absent. */
struct kb_conf {
	char *value[KB_KEY_COUNT];
	unsigned line[KB_KEY_COUNT]; /* where each value was set, for messages */
	struct kb_lib *libs;
	size_t nlibs;
	const char *label[KB_KEY_COUNT]; /* names for messages, NULL: kb_key_name() */
};

/* kb_key_name - the key's spelling in the config file and in Info.plist. */
const char *kb_key_name(enum kb_key key);

/*
 * kb_conf_read - read d->path into *c. Syntax problems (no '=', unknown or duplicate
 * key, empty value, text that cannot go into XML) are reported through d and counted;
 * reading goes on so that all are listed. Returns 0, or -errno if the file cannot be
 * read (reported too). Free *c with kb_conf_free() in every case.
 */
int kb_conf_read(struct kb_conf *c, struct kb_diag *d);

/* kb_conf_free - release what kb_conf_read() allocated. */
void kb_conf_free(struct kb_conf *c);

/* kb_conf_get - a value with its documented default applied, or NULL. */
const char *kb_conf_get(const struct kb_conf *c, enum kb_key key);

#endif
