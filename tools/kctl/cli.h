/*
 * cli.h - what the kctl tool's files share: the run's settings, its kernel, its
 * commands, and how they report.
 *
 * One struct kctl_cli per run, made by main() (kctl.c) and handed to the command; no
 * file keeps state of its own but the signal flag of the commands that run until
 * interrupted (signal.c).
 */
#ifndef KCTL_CLI_H
#define KCTL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kctl.h"

/* Exit statuses, as kctl.1 lists them (EXIT STATUS). */
enum kctl_cli_exit {
	KCTL_EXIT_OK = 0,
	KCTL_EXIT_FAIL = 1,       /* anything else: a timeout, I/O, a malformed answer */
	KCTL_EXIT_USAGE = 2,      /* the command line is wrong */
	KCTL_EXIT_NOT_FOUND = 3,  /* no such control (the kernel's ENOENT) */
	KCTL_EXIT_PERMISSION = 4, /* the kernel's EPERM or EACCES: a privileged control */
	KCTL_EXIT_REFUSED = 5,    /* the control answered with an error */
};

/* Which kernel the commands talk to (--native, --sim, or the default). */
enum kctl_cli_kernel {
	KCTL_CLI_KERNEL_AUTO = 0, /* macOS's; elsewhere kctl-sim's preload, or --sim's */
	KCTL_CLI_KERNEL_NATIVE,
	KCTL_CLI_KERNEL_SIM,
};

/* How payloads are printed (-o). */
enum kctl_cli_format {
	KCTL_CLI_FMT_AUTO = 0, /* text when it is text, else hex */
	KCTL_CLI_FMT_TEXT,     /* text, anything unprintable escaped as \xNN */
	KCTL_CLI_FMT_HEX,      /* hex bytes */
	KCTL_CLI_FMT_RAW,      /* the bytes themselves, nothing added */
	KCTL_CLI_FMT_ATTRS,    /* frame attributes (kctl_frame.h), one per line */
};

#define KCTL_CLI_MAX_KEXTS 16

/* The simulated kernel of --sim (sim.c), when one was started. */
struct kctl_cli_sim;

/* The call tracer of --trace (trace.c), when one was made. */
struct kctl_cli_trace;

struct kctl_cli {
	/* settings, from the command line */
	uint32_t unit;         /* -u */
	uint32_t open_flags;   /* KCTL_OPEN_STREAM with -s */
	int32_t timeout_ms;    /* -t */
	int json;              /* -j */
	int kernel;            /* enum kctl_cli_kernel */
	const char *kexts[KCTL_CLI_MAX_KEXTS]; /* --sim-kext */
	int nkexts;
	uint32_t sim_euid;     /* --sim-euid (default 0: root) */
	int kext_log;          /* --kext-log */
	const char *trace;     /* --trace: NULL, "" (stderr) or a file */
	const char *cmd;       /* the command's name, for messages */

	/* state */
	const kctl_backend_t *be;     /* once chosen (kctl_cli_backend) */
	int be_chosen;
	struct kctl_cli_sim *sim;
	struct kctl_cli_trace *tracer;
};

/* A command: its name, how it is called, and what it does. */
struct kctl_cli_cmd {
	const char *name;
	const char *synopsis; /* after "kctl NAME " */
	const char *summary;  /* one line for `kctl --help` */
	const char *help;     /* its own options and details for `kctl NAME --help` */
	/* argv[0] is the command's name; returns an exit status */
	int (*run)(struct kctl_cli *cli, int argc, char **argv);
};

extern const struct kctl_cli_cmd kctl_cmd_list, kctl_cmd_id, kctl_cmd_count,
	kctl_cmd_get, kctl_cmd_set, kctl_cmd_send, kctl_cmd_recv, kctl_cmd_request,
	kctl_cmd_monitor, kctl_cmd_utun;

/* Every command, in the order `kctl --help` lists them; NULL-terminated. */
extern const struct kctl_cli_cmd *const kctl_cli_cmds[];

/* The command called `name`, or NULL. */
const struct kctl_cli_cmd *kctl_cli_find_cmd(const char *name);

/* ---- options (options.c) ---------------------------------------------------------- */

#include <getopt.h>

/* What kctl_cli_getopt() returns besides a command's own option character. */
#define KCTL_CLI_OPT_END  0    /* no more options: positionals start at optind */
#define KCTL_CLI_OPT_EXIT (-1) /* stop: exit with *status (help shown, or usage error) */

/* A command's option parser: its own options and those every command takes. */
struct kctl_cli_getopt {
	const struct kctl_cli_cmd *cmd;
	struct option all[40];
	char shorts[64];
};

/*
 * Prepares the parse of a command's argv (argv[0] the command): its own options, in
 * `shortopts` (getopt syntax) and `longopts` (ended by a zero entry, may be NULL), and
 * the options every command takes (kctl.1, OPTIONS).
 */
void kctl_cli_getopt_init(struct kctl_cli_getopt *g, const struct kctl_cli_cmd *cmd,
			  const char *shortopts, const struct option *longopts);

/*
 * The next option: every command's options are handled here; the command's own are
 * returned as their character with the argument in *arg. Options and positionals may
 * be mixed; "--" ends the options.
 */
int kctl_cli_getopt(struct kctl_cli *cli, struct kctl_cli_getopt *g, int argc,
		    char **argv, const char **arg, int *status);

/*
 * The options of a command that has none of its own: 0 when parsed (positionals at
 * optind), -1 to stop with *status (help printed, or a usage error).
 */
int kctl_cli_no_options(struct kctl_cli *cli, const struct kctl_cli_cmd *cmd, int argc,
			char **argv, int *status);

/* The options before the command (argv[0] "kctl"); the command is at optind. */
int kctl_cli_global_opts(struct kctl_cli *cli, int argc, char **argv, int *status);

/* Numbers as the options and arguments give them (decimal, 0x hex): 0 or -EINVAL. */
int kctl_cli_u64(const char *s, uint64_t *v);
int kctl_cli_u32(const char *s, uint32_t *v);
int kctl_cli_u16(const char *s, uint16_t *v);

/* A usage error: prints "kctl CMD: MESSAGE" and where help is; KCTL_EXIT_USAGE. */
int kctl_cli_usage(const struct kctl_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Checks that the positionals (argv[optind..argc)) are min..max: 0 or a usage error. */
int kctl_cli_positionals(const struct kctl_cli *cli, int argc, char **argv, int min,
			 int max);

/* ---- help (help.c) ---------------------------------------------------------------- */

/* `kctl --help` on out. */
void kctl_cli_help(FILE *out);

/* `kctl CMD --help` on out. */
void kctl_cli_cmd_help(FILE *out, const struct kctl_cli_cmd *cmd);

/* ---- the kernel (backend.c, sim.c or nosim.c, trace.c) -------------------------- */

/*
 * The backend the commands use, chosen and started on first use: macOS's kernel; off
 * macOS the simulated kernel of libkctl-preload under `kctl-sim run`, else one started
 * here (--sim), said once on stderr. Errors are printed; returns 0 or an exit status.
 */
int kctl_cli_backend(struct kctl_cli *cli, const kctl_backend_t **be);

/* Stops what kctl_cli_backend() started (the tracer, the simulated kernel). */
void kctl_cli_backend_stop(struct kctl_cli *cli);

/* sim.c: starts the simulated kernel with utun, the sample kext and --sim-kext. */
int kctl_cli_sim_start(struct kctl_cli *cli, const kctl_backend_t **be);
void kctl_cli_sim_stop(struct kctl_cli *cli);
/* sim.c: what the simulated kernel has loaded, for the note on stderr. */
void kctl_cli_sim_describe(const struct kctl_cli *cli, FILE *out);

/* trace.c: wraps *be in a tracer writing to cli->trace. 0 or an exit status. */
int kctl_cli_trace_start(struct kctl_cli *cli, const kctl_backend_t **be);
void kctl_cli_trace_stop(struct kctl_cli *cli);

/* ---- opening and failing (open.c, fail.c) ---------------------------------------- */

/*
 * Opens the control `name` with the run's unit, socket type and timeout. On failure
 * prints why and returns its exit status (*out untouched); 0 on success.
 */
int kctl_cli_open(struct kctl_cli *cli, const char *name, kctl_t **out);

/*
 * Reports that `what` failed with rc, a call of kind `call` (KCTL_CALL_*) on h, or on no
 * handle (h NULL: kctl_count, kctl_list, kctl_utun_open keep no record): libkctl's
 * sentence on stderr, or an "error" line with --json. Returns the exit status that says
 * who refused (KCTL_EXIT_*).
 */
int kctl_cli_fail(struct kctl_cli *cli, const kctl_t *h, uint32_t call, const char *what,
		  int rc);

/* As kctl_cli_fail(), for the record an open or a lookup filled in (*why). */
int kctl_cli_fail_why(struct kctl_cli *cli, const struct kctl_error *why,
		      const char *what);

/* Reports the tool's own failure (a file it cannot read...): exit status 1. */
int kctl_cli_fail_msg(struct kctl_cli *cli, const char *what, const char *msg);

/* ---- payloads (payload.c, output.c) ---------------------------------------------- */

/* Largest payload read from a file or stdin: 1 MiB, far above any control's buffer. */
#define KCTL_CLI_PAYLOAD_MAX (1u << 20)

/* A payload to send, from the command line. */
struct kctl_cli_payload {
	const void *data;   /* into buf, or an argument */
	size_t len;
	uint64_t *buf;      /* allocated (file, stdin, hex, attributes); free with _free */
	int sources;        /* how many of TEXT, -, --hex, --file, --attr were given */
	int attrs;          /* --attr were given (built in a scratch frame) */
};

/*
 * Handles a payload option of the commands that send (--hex, --file, --attr): -1 if
 * `c` is none of them, 0 when it was taken, or an exit status after a message.
 */
int kctl_cli_payload_opt(struct kctl_cli *cli, struct kctl_cli_payload *p, int c,
			 const char *arg);

/* The payload options' letters and long names, for the commands' option tables. */
#define KCTL_CLI_PAYLOAD_SHORTOPTS "x:f:"
#define KCTL_CLI_PAYLOAD_LONGOPTS \
	{ "hex", required_argument, NULL, 'x' }, { "file", required_argument, NULL, 'f' }

/* The positional TEXT (or "-" for stdin), if any. 0 or an exit status. */
int kctl_cli_payload_arg(struct kctl_cli *cli, struct kctl_cli_payload *p,
			 const char *arg);

void kctl_cli_payload_free(struct kctl_cli_payload *p);

/* -o FORMAT: 0 and *fmt set, or -EINVAL. */
int kctl_cli_format(const char *s, int *fmt);

/* Prints data in the format fmt, then a newline (nothing added for RAW). */
void kctl_cli_print_data(FILE *out, int fmt, const void *data, size_t len);

struct kctl_json;
/* Adds "len", "hex", "text" (when it is text) and with ATTRS "attrs" to a JSON line. */
void kctl_cli_json_data(struct kctl_json *j, int fmt, const void *data, size_t len);

/* ---- running until interrupted (signal.c) ----------------------------------------- */

/* Makes SIGINT and SIGTERM set the stop flag instead of ending the process. */
void kctl_cli_catch_signals(void);

/* Whether SIGINT or SIGTERM came. */
int kctl_cli_stopped(void);

#endif
