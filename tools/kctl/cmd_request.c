/*
 * cmd_request.c - `kctl request NAME TYPE [PAYLOAD]`: one framed request (kctl_frame.h,
 * docs/protocol.md) and its reply, the payloads of a multi-part reply joined.
 */
#include <stdlib.h>

#include "cli.h"
#include "json.h"

/* Room for a reply: the payloads of all its frames together. */
#define REPLY_CAP (1u << 20)

static int request(struct kctl_cli *cli, kctl_t *h, const char *name, uint16_t type,
		   const struct kctl_cli_payload *p, int fmt)
{
	uint64_t *reply = malloc(REPLY_CAP);
	size_t len = 0;
	int rc;

	if (reply == NULL)
		return kctl_cli_fail_msg(cli, "request", "out of memory");
	rc = kctl_request(h, type, p->data, p->len, reply, REPLY_CAP, &len);
	if (rc < 0) {
		free(reply);
		return kctl_cli_fail(cli, h, KCTL_CALL_REQUEST, "request", rc);
	}
	if (cli->json) {
		struct kctl_json j;

		kctl_json_begin(&j, stdout, "reply");
		kctl_json_str(&j, "name", name);
		kctl_json_u64(&j, "unit", kctl_unit(h));
		kctl_json_u64(&j, "type", type);
		kctl_cli_json_data(&j, fmt, reply, len);
		kctl_json_end(&j);
	} else {
		kctl_cli_print_data(stdout, fmt, reply, len);
	}
	free(reply);
	return 0;
}

static int run(struct kctl_cli *cli, int argc, char **argv)
{
	static const struct option own[] = {
		KCTL_CLI_PAYLOAD_LONGOPTS,
		{ "attr", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct kctl_cli_payload p = { 0 };
	struct kctl_cli_getopt g;
	int c = 0, status = 0, fmt = KCTL_CLI_FMT_AUTO;
	const char *arg;
	uint16_t type = 0;
	kctl_t *h = NULL;

	kctl_cli_getopt_init(&g, &kctl_cmd_request, KCTL_CLI_PAYLOAD_SHORTOPTS "a:o:", own);
	while (status == 0 && (c = kctl_cli_getopt(cli, &g, argc, argv, &arg, &status)) > 0) {
		if (c == 'o' && kctl_cli_format(arg, &fmt) != 0)
			status = kctl_cli_usage(cli, "-o '%s': want auto, text, hex, raw or attrs",
						arg);
		else if (c != 'o')
			status = kctl_cli_payload_opt(cli, &p, c, arg);
	}
	if (c == KCTL_CLI_OPT_EXIT || status != 0) {
		kctl_cli_payload_free(&p);
		return status;
	}
	status = kctl_cli_positionals(cli, argc, argv, 2, 3);
	if (status == 0 && kctl_cli_u16(argv[optind + 1], &type) != 0)
		status = kctl_cli_usage(cli, "TYPE '%s' is not a number 0..65535",
					argv[optind + 1]);
	if (status == 0)
		status = kctl_cli_payload_arg(cli, &p, optind + 2 < argc ? argv[optind + 2] : NULL);
	if (status == 0)
		status = kctl_cli_open(cli, argv[optind], &h);
	if (status == 0)
		status = request(cli, h, argv[optind], type, &p, fmt);
	kctl_close(h);
	kctl_cli_payload_free(&p);
	return status;
}

const struct kctl_cli_cmd kctl_cmd_request = {
	.name = "request",
	.synopsis = "NAME TYPE [TEXT | - | --hex HEX | --file F | --attr SPEC...] [-o FORMAT]",
	.summary = "send a framed request of type TYPE and print its reply",
	.help = "The request is a frame of libkctl's protocol (docs/protocol.md); its\n"
		"payload is TEXT as given (no NUL added), a file's bytes (- or --file -:\n"
		"stdin), bytes in hex, or attributes. The reply's payload is printed; an\n"
		"error reply is the control's answer (exit status 5).\n"
		"  -x, --hex HEX      the payload, two hex digits a byte (spaces and : allowed)\n"
		"  -f, --file F       the payload is file F's bytes (- for stdin)\n"
		"  -a, --attr TYPE:KIND:VALUE\n"
		"                     append an attribute; KIND u8, u16, u32, u64 (a number),\n"
		"                     str (a string and its NUL) or hex (bytes); repeatable\n"
		"  -o, --output FORMAT  auto (default: text if it is text, else hex), text,\n"
		"                     hex, raw (the bytes alone) or attrs (one per line)\n",
	.run = run,
};
