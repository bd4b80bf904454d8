/*
 * kctl-sim - run an unmodified program against a simulated macOS kernel.
 *
 *   kctl-sim run [--kext MODULE.so]... [--euid N] [--net SOCKET] -- PROGRAM [ARGS...]
 *
 * Execs PROGRAM (same process, same pid) with libkctl-preload.so preloaded, so that its
 * PF_SYSTEM sockets reach a simulated kernel with the named kext modules loaded and
 * the given effective uid (see lib/preload/pl_kernel.c for what the environment
 * carries). The preload is found relative to this executable: the installed layout
 * first (bindir -> libdir, fixed at build time), then the build tree's, so a --destdir
 * install tree works as well as the build folder. KCTL_SIM_PRELOAD overrides both.
 * PROGRAM comes after "--" (or is the first operand). kctl-sim(1) is the manual.
 * Exit status: PROGRAM's; 2 for a usage error; 126/127 when PROGRAM cannot be run or
 * the simulated kernel cannot start.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KCTL_SIM_BIN_TO_LIB
#define KCTL_SIM_BIN_TO_LIB "../lib"
#endif
#define PRELOAD_NAME "libkctl-preload.so"

static void usage(FILE *f)
{
	fputs("usage: kctl-sim run [--kext MODULE.so]... [--euid N] [--net SOCKET] -- PROGRAM [ARGS...]\n"
	      "       kctl-sim --help | --version      (kctl-sim(1))\n"
	      "\n"
	      "Runs PROGRAM unmodified against a simulated macOS kernel: its PF_SYSTEM\n"
	      "sockets (socket, ioctl CTLIOCGINFO, connect, send, recv, getsockopt...) reach\n"
	      "Apple's utun control and the kernel controls of the kext modules loaded with\n"
	      "--kext, as the effective uid N (default: yours; 0 reaches privileged controls).\n"
	      "Every other descriptor is left to the system. One kernel per process: a\n"
	      "forked child has none.\n"
	      "\n"
	      "--net SOCKET connects utun's network side to the Unix datagram socket bound\n"
	      "at SOCKET: one datagram per packet each way, a 16-byte interface name\n"
	      "(NUL-padded), the 4-byte protocol family in network byte order (2 IPv4,\n"
	      "30 IPv6; 0 from the kernel: that interface is up), then the packet.\n", f);
}

/* The directory of this executable, with a trailing slash. */
static int self_dir(char *dir, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= cap - 1)
		return -1;
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return -1;
	slash[1] = '\0';
	return 0;
}

/* The first candidate that exists: installed layout, then the build tree. */
static int find_preload(char *out, size_t cap)
{
	static const char *const rel[] = { KCTL_SIM_BIN_TO_LIB "/", "../../lib/preload/" };
	const char *env = getenv("KCTL_SIM_PRELOAD");
	char dir[PATH_MAX];

	if (env != NULL && *env != '\0')
		return realpath(env, out) != NULL ? 0 : -1;
	if (self_dir(dir, sizeof(dir)) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char path[PATH_MAX * 2];

		snprintf(path, sizeof(path), "%s%s%s", dir, rel[i], PRELOAD_NAME);
		if (strlen(path) < cap && realpath(path, out) != NULL)
			return 0;
	}
	(void)cap;
	return -1;
}

/* Appends an absolute kext path to the ':' list (the program may chdir). */
static int add_kext(char *list, size_t cap, const char *path)
{
	char abs[PATH_MAX];
	size_t n = strlen(list);

	if (realpath(path, abs) == NULL) {
		fprintf(stderr, "kctl-sim: --kext %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (strchr(abs, ':') != NULL) {
		fprintf(stderr, "kctl-sim: --kext %s: a path with ':' cannot be passed on\n", abs);
		return -1;
	}
	if (n + strlen(abs) + 2 > cap) {
		fprintf(stderr, "kctl-sim: too many --kext modules\n");
		return -1;
	}
	snprintf(list + n, cap - n, "%s%s", n > 0 ? ":" : "", abs);
	return 0;
}

static int parse_euid(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v > 0xffffffffUL || s[0] == '-') {
		fprintf(stderr, "kctl-sim: --euid %s: not a uid\n", s);
		return -1;
	}
	return 0;
}

/* LD_PRELOAD gets the preload after whatever is already there (a sanitizer first). */
static int set_env(const char *preload, const char *kexts, const char *euid,
		   const char *netpath)
{
	const char *old = getenv("LD_PRELOAD");
	char pid[32], *ld;
	size_t n = strlen(preload) + (old ? strlen(old) : 0) + 2;

	ld = malloc(n);
	if (ld == NULL)
		return -1;
	if (old != NULL && *old != '\0')
		snprintf(ld, n, "%s:%s", old, preload);
	else
		snprintf(ld, n, "%s", preload);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	if (setenv("LD_PRELOAD", ld, 1) != 0 || setenv("KCTL_SIM_KEXTS", kexts, 1) != 0 ||
	    setenv("KCTL_SIM_MAIN_PID", pid, 1) != 0 ||
	    (euid != NULL ? setenv("KCTL_SIM_EUID", euid, 1) : unsetenv("KCTL_SIM_EUID")) != 0 ||
	    (netpath != NULL ? setenv("KCTL_SIM_NET", netpath, 1) : unsetenv("KCTL_SIM_NET")) != 0) {
		free(ld);
		return -1;
	}
	free(ld);
	return 0;
}

/* The options of `run`; 0 with *prog_at set, or an exit status. */
static int run_options(int argc, char **argv, char *kexts, size_t kcap, char *netpath,
		       const char **euid, const char **net, int *prog_at)
{
	static const struct option opts[] = {
		{ "kext", required_argument, NULL, 'k' },
		{ "euid", required_argument, NULL, 'e' },
		{ "net", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return -1;
		} else if (c == 'k') {
			if (add_kext(kexts, kcap, optarg) != 0)
				return 2;
		} else if (c == 'n') {
			if (realpath(optarg, netpath) == NULL) {
				fprintf(stderr, "kctl-sim: --net %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			*net = netpath;
		} else if (c == 'e') {
			*euid = optarg;
			if (parse_euid(optarg) != 0)
				return 2;
		} else {
			fprintf(stderr, "kctl-sim: run: %s '%s'\n", c == ':' ?
				"this option needs an argument:" : "unexpected", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "kctl-sim: run: no program after --\n");
		usage(stderr);
		return 2;
	}
	*prog_at = optind;
	return 0;
}

/* argv[0] is "run"; PROGRAM follows the options (after "--", or the first operand). */
static int run(int argc, char **argv)
{
	static char kexts[16 * PATH_MAX];
	static char netpath[PATH_MAX];
	const char *euid = NULL, *net = NULL;
	char preload[PATH_MAX];
	int prog = 0, rc;

	rc = run_options(argc, argv, kexts, sizeof(kexts), netpath, &euid, &net, &prog);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (find_preload(preload, sizeof(preload)) != 0) {
		fprintf(stderr, "kctl-sim: cannot find %s next to this kctl-sim (set "
			"KCTL_SIM_PRELOAD)\n", PRELOAD_NAME);
		return 127;
	}
	if (set_env(preload, kexts, euid, net) != 0) {
		fprintf(stderr, "kctl-sim: cannot set the environment: %s\n", strerror(errno));
		return 127;
	}
	execvp(argv[prog], &argv[prog]);
	fprintf(stderr, "kctl-sim: cannot run %s: %s\n", argv[prog], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("kctl-sim %s\n", KCTL_VERSION_STRING);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run(argc - 1, argv + 1);
	if (argc >= 2)
		fprintf(stderr, "kctl-sim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
