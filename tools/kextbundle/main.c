/* main.c - kextbundle: generate and validate a kext bundle's metadata from one config. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "diag.h"
#include "infostrings.h"
#include "kmod.h"
#include "output.h"
#include "plist.h"
#include "validate.h"
#include "version.h"
#include "xcode.h"

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"usage: kextbundle check-version [--strict] [--] STRING\n"
	"       kextbundle check CONF\n"
	"       kextbundle plist CONF OUT\n"
	"       kextbundle strings [--utf8] CONF OUT\n"
	"       kextbundle kmod CONF OUT\n"
	"       kextbundle kmod MODULE_NAME=ID MODULE_VERSION=V [MODULE_START=F]\n"
	"                       [MODULE_STOP=F] OUT\n"
	"Exit status: 0 valid/written, 1 invalid (every problem listed), 2 usage error.\n";

static int usage(FILE *f, int status)
{
	fputs(usage_text, f);
	return status;
}

/* Options of one command: at most one known flag, then "--", then operands. */
struct args {
	int argc;
	char **argv;
	unsigned flags;
};

static int take_options(struct args *a, const char *flag_name, unsigned flag)
{
	while (a->argc > 0 && a->argv[0][0] == '-' && a->argv[0][1] != '\0') {
		const char *opt = a->argv[0];

		a->argc--;
		a->argv++;
		if (strcmp(opt, "--") == 0)
			return 0;
		if (flag_name == NULL || strcmp(opt, flag_name) != 0) {
			fprintf(stderr, "kextbundle: unknown option %s\n", opt);
			return -1;
		}
		a->flags |= flag;
	}
	return 0;
}

/* Echoes untrusted text with control and non-ASCII bytes as \xHH, so that a version
 * such as "1.0\v" is shown as it was given. */
static void put_visible(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			fputc(ch, f);
		else
			fprintf(f, "\\x%02x", ch);
	}
}

static int cmd_check_version(struct args *a)
{
	const char *reason = NULL;
	uint64_t value;

	if (take_options(a, "--strict", KB_VERSION_STRICT) != 0 || a->argc != 1)
		return usage(stderr, EXIT_USAGE);
	if (kb_version_parse(a->argv[0], a->flags, &value, &reason) != 0) {
		fputs("kextbundle: invalid kext version \"", stderr);
		put_visible(stderr, a->argv[0]);
		fprintf(stderr, "\": %s\n", reason);
		return EXIT_INVALID;
	}
	printf("%" PRIu64 "\n", value);
	return EXIT_OK;
}

/* Reads and validates; every problem is printed. Returns 0 when the config is good. */
static int load(const char *path, struct kb_conf *c)
{
	struct kb_diag d = { .path = path };

	if (kb_conf_read(c, &d) == 0)
		kb_validate(c, &d);
	if (d.problems == 0)
		return 0;
	fprintf(stderr, "%s: %u problem%s, nothing written\n", path, d.problems,
		d.problems == 1 ? "" : "s");
	return -1;
}

static int cmd_check(struct args *a)
{
	struct kb_conf c;
	int rc;

	if (take_options(a, NULL, 0) != 0 || a->argc != 1)
		return usage(stderr, EXIT_USAGE);
	rc = load(a->argv[0], &c);
	kb_conf_free(&c);
	return rc ? EXIT_INVALID : EXIT_OK;
}

static int generate(struct args *a, kb_writer w)
{
	struct kb_conf c;
	int rc;

	if (a->argc != 2)
		return usage(stderr, EXIT_USAGE);
	rc = load(a->argv[0], &c);
	if (rc == 0) {
		rc = kb_write_file(a->argv[1], w, &c, a->flags);
		if (rc != 0)
			fprintf(stderr, "kextbundle: cannot write %s: %s\n", a->argv[1],
				strerror(-rc));
	}
	kb_conf_free(&c);
	return rc ? EXIT_INVALID : EXIT_OK;
}

static int cmd_plist(struct args *a)
{
	return take_options(a, NULL, 0) ? usage(stderr, EXIT_USAGE) : generate(a, kb_write_plist);
}

static int cmd_strings(struct args *a)
{
	if (take_options(a, "--utf8", KB_STRINGS_UTF8) != 0)
		return usage(stderr, EXIT_USAGE);
	return generate(a, kb_write_strings);
}

/* kmod from Xcode's four build settings: validated as the loader would, then written. */
static int kmod_xcode(struct args *a)
{
	struct kb_diag d = { .path = "kextbundle kmod" };
	struct kb_conf c;
	int rc = kb_xcode_read(&c, &d, a->argc - 1, a->argv);

	if (rc == 0)
		kb_validate_kmod(&c, &d);
	if (rc == 0 && d.problems == 0) {
		rc = kb_write_file(a->argv[a->argc - 1], kb_write_kmod, &c, KB_KMOD_XCODE);
		if (rc != 0)
			fprintf(stderr, "kextbundle: cannot write %s: %s\n", a->argv[a->argc - 1],
				strerror(-rc));
	} else if (d.problems != 0) {
		fprintf(stderr, "kextbundle kmod: %u problem%s, nothing written\n", d.problems,
			d.problems == 1 ? "" : "s");
		rc = -EINVAL;
	}
	kb_conf_free(&c);
	return rc ? EXIT_INVALID : EXIT_OK;
}

static int cmd_kmod(struct args *a)
{
	if (take_options(a, NULL, 0) != 0)
		return usage(stderr, EXIT_USAGE);
	if (a->argc >= 1 && kb_xcode_is_setting(a->argv[0])) {
		/* the last operand is OUT: a setting there means OUT was forgotten */
		if (a->argc < 2 || kb_xcode_is_setting(a->argv[a->argc - 1]))
			return usage(stderr, EXIT_USAGE);
		return kmod_xcode(a);
	}
	return generate(a, kb_write_kmod);
}

static const struct command {
	const char *name;
	int (*run)(struct args *a);
} commands[] = {
	{ "check-version", cmd_check_version },
	{ "check", cmd_check },
	{ "plist", cmd_plist },
	{ "strings", cmd_strings },
	{ "kmod", cmd_kmod },
};

int main(int argc, char **argv)
{
	struct args a = { .argc = argc - 2, .argv = argv + 2 };

	if (argc < 2)
		return usage(stderr, EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return usage(stdout, EXIT_OK);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(&a);
	fprintf(stderr, "kextbundle: unknown command %s\n", argv[1]);
	return usage(stderr, EXIT_USAGE);
}
