/*
 * options.c - the command line: the options every command takes, each command's own
 * (getopt_long), numbers, and usage errors.
 *
 * The options every command takes may come before the command or after it, mixed with
 * its arguments: `kctl -j id NAME` and `kctl id NAME --json` are the same. getopt's own
 * messages are off (opterr = 0) so that every usage error reads the same way and says
 * where help is.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_NATIVE = 256,
	OPT_SIM_KEXT,
	OPT_SIM_EUID,
	OPT_KEXT_LOG,
	OPT_TRACE,
};

#define COMMON_SHORTOPTS "u:st:jShV"

static const struct option common_longopts[] = {
	{ "unit", required_argument, NULL, 'u' },
	{ "stream", no_argument, NULL, 's' },
	{ "timeout", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'j' },
	{ "sim", no_argument, NULL, 'S' },
	{ "native", no_argument, NULL, OPT_NATIVE },
	{ "sim-kext", required_argument, NULL, OPT_SIM_KEXT },
	{ "sim-euid", required_argument, NULL, OPT_SIM_EUID },
	{ "kext-log", no_argument, NULL, OPT_KEXT_LOG },
	{ "trace", optional_argument, NULL, OPT_TRACE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int kctl_cli_u64(const char *s, uint64_t *v)
{
	char *end = NULL;
	unsigned long long n;

	if (s == NULL || *s < '0' || *s > '9') /* no sign, no space: strtoull takes both */
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0')
		return -EINVAL;
	*v = (uint64_t)n;
	return 0;
}

int kctl_cli_u32(const char *s, uint32_t *v)
{
	uint64_t n;

	if (kctl_cli_u64(s, &n) != 0 || n > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

int kctl_cli_u16(const char *s, uint16_t *v)
{
	uint64_t n;

	if (kctl_cli_u64(s, &n) != 0 || n > UINT16_MAX)
		return -EINVAL;
	*v = (uint16_t)n;
	return 0;
}

int kctl_cli_usage(const struct kctl_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fputs("kctl: ", stderr);
	if (cli->cmd != NULL)
		fprintf(stderr, "%s: ", cli->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	fprintf(stderr, "\nTry 'kctl %s%s--help'.\n", cli->cmd ? cli->cmd : "",
		cli->cmd ? " " : "");
	return KCTL_EXIT_USAGE;
}

int kctl_cli_positionals(const struct kctl_cli *cli, int argc, char **argv, int min,
			 int max)
{
	const struct kctl_cli_cmd *cmd = kctl_cli_find_cmd(cli->cmd ? cli->cmd : "");
	int n = argc - optind;

	if (n < min)
		return kctl_cli_usage(cli, "missing argument: kctl %s %s", cli->cmd,
				      cmd ? cmd->synopsis : "");
	if (n > max)
		return kctl_cli_usage(cli, "unexpected argument '%s'", argv[optind + max]);
	return 0;
}

/* Another restart of getopt for a new argv (each libc spells it its own way). */
static void getopt_restart(void)
{
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
	defined(__OpenBSD__)
	optreset = 1;
	optind = 1;
#else
	optind = 0; /* glibc and musl: a full re-initialisation */
#endif
	opterr = 0;
}

static int version(void)
{
	printf("kctl %s (libkctl %s)\n", KCTL_VERSION_STRING, kctl_version());
	return KCTL_EXIT_OK;
}

/* One of the options every command takes: 1 handled, 0 not one, or -1 (*status set). */
static int common_opt(struct kctl_cli *cli, int c, const char *arg, int *status)
{
	switch (c) {
	case 'u':
		if (kctl_cli_u32(arg, &cli->unit) != 0)
			goto bad;
		return 1;
	case 's':
		cli->open_flags |= KCTL_OPEN_STREAM;
		return 1;
	case 't': {
		uint32_t ms;

		if (kctl_cli_u32(arg, &ms) != 0 || ms > INT32_MAX)
			goto bad;
		cli->timeout_ms = (int32_t)ms;
		return 1;
	}
	case 'j':
		cli->json = 1;
		return 1;
	case 'S':
		cli->kernel = KCTL_CLI_KERNEL_SIM;
		return 1;
	case OPT_NATIVE:
		cli->kernel = KCTL_CLI_KERNEL_NATIVE;
		return 1;
	case OPT_SIM_KEXT:
		if (cli->nkexts == KCTL_CLI_MAX_KEXTS) {
			*status = kctl_cli_usage(cli, "at most %d --sim-kext modules",
						 KCTL_CLI_MAX_KEXTS);
			return -1;
		}
		cli->kexts[cli->nkexts++] = arg;
		cli->kernel = KCTL_CLI_KERNEL_SIM;
		return 1;
	case OPT_SIM_EUID:
		if (kctl_cli_u32(arg, &cli->sim_euid) != 0)
			goto bad;
		return 1;
	case OPT_KEXT_LOG:
		cli->kext_log = 1;
		return 1;
	case OPT_TRACE:
		cli->trace = arg != NULL ? arg : "";
		return 1;
	case 'V':
		*status = version();
		return -1;
	default:
		return 0;
	}
bad:
	*status = kctl_cli_usage(cli, "not a valid number for this option: '%s'", arg);
	return -1;
}

/* getopt's '?' and ':' as a usage error that names the option. */
static int bad_option(const struct kctl_cli *cli, int c, char **argv)
{
	const char *what = argv[optind - 1];

	if (c == ':')
		return kctl_cli_usage(cli, "option '%s' needs an argument", what);
	if (optopt != 0)
		return kctl_cli_usage(cli, "unknown option '-%c'", optopt);
	return kctl_cli_usage(cli, "unknown option '%s'", what);
}

void kctl_cli_getopt_init(struct kctl_cli_getopt *g, const struct kctl_cli_cmd *cmd,
			  const char *shortopts, const struct option *longopts)
{
	size_t n = 0;

	memset(g, 0, sizeof(*g));
	g->cmd = cmd;
	snprintf(g->shorts, sizeof(g->shorts), ":%s%s", shortopts ? shortopts : "",
		 COMMON_SHORTOPTS);
	for (size_t i = 0; longopts != NULL && longopts[i].name != NULL; i++)
		if (n + 1 < sizeof(g->all) / sizeof(g->all[0]))
			g->all[n++] = longopts[i];
	for (size_t i = 0; common_longopts[i].name != NULL; i++)
		if (n + 1 < sizeof(g->all) / sizeof(g->all[0]))
			g->all[n++] = common_longopts[i];
	getopt_restart();
}

int kctl_cli_getopt(struct kctl_cli *cli, struct kctl_cli_getopt *g, int argc,
		    char **argv, const char **arg, int *status)
{
	for (;;) {
		int c = getopt_long(argc, argv, g->shorts, g->all, NULL);
		int r;

		if (c == -1)
			return KCTL_CLI_OPT_END;
		if (c == '?' || c == ':') {
			*status = bad_option(cli, c, argv);
			return KCTL_CLI_OPT_EXIT;
		}
		if (c == 'h') {
			kctl_cli_cmd_help(stdout, g->cmd);
			*status = KCTL_EXIT_OK;
			return KCTL_CLI_OPT_EXIT;
		}
		r = common_opt(cli, c, optarg, status);
		if (r < 0)
			return KCTL_CLI_OPT_EXIT;
		if (r == 0) {
			*arg = optarg;
			return c;
		}
	}
}

int kctl_cli_global_opts(struct kctl_cli *cli, int argc, char **argv, int *status)
{
	struct kctl_cli_getopt g;
	int c;

	kctl_cli_getopt_init(&g, NULL, NULL, NULL);
	g.shorts[0] = '+'; /* stop at the command: its options are its own */
	memmove(g.shorts + 2, g.shorts + 1, strlen(g.shorts + 1) + 1);
	g.shorts[1] = ':';
	while ((c = getopt_long(argc, argv, g.shorts, g.all, NULL)) != -1) {
		int r;

		if (c == '?' || c == ':') {
			*status = bad_option(cli, c, argv);
			return KCTL_CLI_OPT_EXIT;
		}
		if (c == 'h') {
			kctl_cli_help(stdout);
			*status = KCTL_EXIT_OK;
			return KCTL_CLI_OPT_EXIT;
		}
		r = common_opt(cli, c, optarg, status);
		if (r < 0)
			return KCTL_CLI_OPT_EXIT;
	}
	return KCTL_CLI_OPT_END;
}

int kctl_cli_no_options(struct kctl_cli *cli, const struct kctl_cli_cmd *cmd, int argc,
			char **argv, int *status)
{
	struct kctl_cli_getopt g;
	const char *arg;
	int c;

	kctl_cli_getopt_init(&g, cmd, NULL, NULL);
	while ((c = kctl_cli_getopt(cli, &g, argc, argv, &arg, status)) > 0)
		; /* no option of its own: none is returned */
	return c == KCTL_CLI_OPT_EXIT ? -1 : 0;
}
