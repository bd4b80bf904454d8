/*
 * cmd_data.c - `kctl send` and `kctl recv`: raw records (DGRAM) or bytes (STREAM), no
 * framing: what the control's send callback gets and what it enqueues.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

/* Room for one record: the largest receive buffer a control has (utun's 512 KiB). */
#define RECORD_CAP ((size_t)512 * 1024)

/* Where the stop flag is looked at while waiting without end (recv -n 0). */
#define SLICE_MS 200

/* Prints one record; rflags as kctl_recv() gave them. */
static void print_record(const struct kctl_cli *cli, const kctl_t *h, const char *name,
			 int fmt, const void *data, size_t len, uint32_t rflags)
{
	struct kctl_json j;

	if (!cli->json) {
		kctl_cli_print_data(stdout, fmt, data, len);
		if (rflags & KCTL_RECV_TRUNC)
			fprintf(stderr, "kctl: recv: the record was longer than %zu bytes: its tail "
				"is gone\n", RECORD_CAP);
		fflush(stdout);
		return;
	}
	kctl_json_begin(&j, stdout, "record");
	kctl_json_str(&j, "name", name);
	kctl_json_u64(&j, "unit", kctl_unit(h));
	kctl_cli_json_data(&j, fmt, data, len);
	kctl_json_bool(&j, "truncated", (rflags & KCTL_RECV_TRUNC) != 0);
	kctl_json_bool(&j, "eor", (rflags & KCTL_RECV_EOR) != 0);
	kctl_json_end(&j);
}

/*
 * Receives up to `count` records (0: until interrupted) and prints each. A wait without
 * end is made of short ones, so that SIGINT is seen.
 */
static int receive(struct kctl_cli *cli, kctl_t *h, const char *name, int fmt,
		   uint64_t count)
{
	uint64_t *buf = malloc(RECORD_CAP);
	int status = 0;

	if (buf == NULL)
		return kctl_cli_fail_msg(cli, "recv", "out of memory");
	if (count == 0) {
		kctl_cli_catch_signals();
		kctl_set_timeout(h, SLICE_MS);
	}
	for (uint64_t i = 0; count == 0 || i < count; i++) {
		size_t got = 0;
		uint32_t rflags = 0;
		int rc = kctl_recv(h, buf, RECORD_CAP, &got, &rflags);

		if (count == 0 && kctl_cli_stopped())
			break;
		if (rc == -ETIMEDOUT && count == 0) {
			i--; /* still waiting for the next one */
			continue;
		}
		if (rc == 0 && got == 0)
			rc = -EPIPE; /* end of file: the connection is dead */
		if (rc < 0) {
			status = kctl_cli_fail(cli, h, KCTL_CALL_RECV, "recv", rc);
			break;
		}
		print_record(cli, h, name, fmt, buf, got, rflags);
	}
	free(buf);
	return status;
}

static int send_payload(struct kctl_cli *cli, kctl_t *h, const char *name,
			const struct kctl_cli_payload *p)
{
	size_t sent = 0;
	int rc = kctl_send(h, p->data, p->len, &sent);

	if (rc < 0)
		return kctl_cli_fail(cli, h, KCTL_CALL_SEND, "send", rc);
	if (cli->json) {
		struct kctl_json j;

		kctl_json_begin(&j, stdout, "sent");
		kctl_json_str(&j, "name", name);
		kctl_json_u64(&j, "unit", kctl_unit(h));
		kctl_json_u64(&j, "len", sent);
		kctl_json_end(&j);
	}
	return 0;
}

static int run_send(struct kctl_cli *cli, int argc, char **argv)
{
	static const struct option own[] = {
		KCTL_CLI_PAYLOAD_LONGOPTS,
		{ "recv", no_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct kctl_cli_payload p = { 0 };
	struct kctl_cli_getopt g;
	int c = 0, status = 0, fmt = KCTL_CLI_FMT_AUTO, reply = 0;
	const char *arg, *name;
	kctl_t *h = NULL;

	kctl_cli_getopt_init(&g, &kctl_cmd_send, KCTL_CLI_PAYLOAD_SHORTOPTS "ro:", own);
	while (status == 0 && (c = kctl_cli_getopt(cli, &g, argc, argv, &arg, &status)) > 0) {
		if (c == 'r')
			reply = 1;
		else if (c == 'o' && kctl_cli_format(arg, &fmt) != 0)
			status = kctl_cli_usage(cli, "-o '%s': want auto, text, hex, raw or attrs",
						arg);
		else if (c != 'o')
			status = kctl_cli_payload_opt(cli, &p, c, arg);
	}
	if (c == KCTL_CLI_OPT_EXIT || status != 0) {
		kctl_cli_payload_free(&p);
		return status;
	}
	status = kctl_cli_positionals(cli, argc, argv, 1, 2);
	if (status == 0)
		status = kctl_cli_payload_arg(cli, &p, optind + 1 < argc ? argv[optind + 1] : NULL);
	if (status == 0 && p.sources == 0)
		status = kctl_cli_usage(cli, "nothing to send: give TEXT, -, --hex or --file");
	name = status == 0 ? argv[optind] : NULL;
	if (status == 0)
		status = kctl_cli_open(cli, name, &h);
	if (status == 0)
		status = send_payload(cli, h, name, &p);
	if (status == 0 && reply)
		status = receive(cli, h, name, fmt, 1);
	kctl_close(h);
	kctl_cli_payload_free(&p);
	return status;
}

static int run_recv(struct kctl_cli *cli, int argc, char **argv)
{
	static const struct option own[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct kctl_cli_getopt g;
	int c = 0, status = 0, fmt = KCTL_CLI_FMT_AUTO;
	uint64_t count = 1;
	const char *arg;
	kctl_t *h = NULL;

	kctl_cli_getopt_init(&g, &kctl_cmd_recv, "n:o:", own);
	while (status == 0 && (c = kctl_cli_getopt(cli, &g, argc, argv, &arg, &status)) > 0) {
		if (c == 'n' && kctl_cli_u64(arg, &count) != 0)
			status = kctl_cli_usage(cli, "--count '%s' is not a number", arg);
		else if (c == 'o' && kctl_cli_format(arg, &fmt) != 0)
			status = kctl_cli_usage(cli, "-o '%s': want auto, text, hex, raw or attrs",
						arg);
	}
	if (c == KCTL_CLI_OPT_EXIT || status != 0)
		return status;
	status = kctl_cli_positionals(cli, argc, argv, 1, 1);
	if (status == 0)
		status = kctl_cli_open(cli, argv[optind], &h);
	if (status == 0)
		status = receive(cli, h, argv[optind], fmt, count);
	kctl_close(h);
	return status;
}

const struct kctl_cli_cmd kctl_cmd_send = {
	.name = "send",
	.synopsis = "NAME [TEXT | - | --hex HEX | --file F] [-r] [-o FORMAT]",
	.summary = "send one message (raw, no framing) to the control",
	.help = "The message is TEXT as given (no NUL added), the bytes of a file (- or\n"
		"--file -: stdin), or bytes written in hex. On a DGRAM socket it is one record.\n"
		"  -x, --hex HEX      the bytes, two hex digits each (spaces and : allowed)\n"
		"  -f, --file F       the bytes of file F (- for stdin)\n"
		"  -r, --recv         then receive one record and print it\n"
		"  -o, --output FORMAT  auto (default), text, hex, raw or attrs\n",
	.run = run_send,
};

const struct kctl_cli_cmd kctl_cmd_recv = {
	.name = "recv",
	.synopsis = "NAME [-n COUNT] [-o FORMAT]",
	.summary = "receive records from the control and print them",
	.help = "Each receive waits up to the timeout (-t); with -n 0 it waits until\n"
		"interrupted (SIGINT, SIGTERM: exit status 0).\n"
		"  -n, --count N      how many records (default 1; 0: until interrupted)\n"
		"  -o, --output FORMAT  auto (default), text, hex, raw or attrs\n",
	.run = run_recv,
};
