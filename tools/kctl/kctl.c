/*
 * kctl - talk to a macOS kernel control from the shell.
 *
 *   kctl [-u UNIT] [-s] [-t MS] COMMAND NAME [ARGS]
 *     id NAME                    the control's id (CTLIOCGINFO)
 *     count                      how many controls are registered (CTLIOCGCOUNT)
 *     send NAME TEXT             send TEXT as one message, print the answer if any
 *     get NAME OPT u32|u64|str|size
 *     set NAME OPT u32|u64|str VALUE
 *     request NAME TYPE [TEXT]   a framed request (kctl_frame.h); print the reply
 *     events NAME COUNT          print COUNT framed events as they arrive
 *   -u UNIT  unit to connect to (default 0: the kernel chooses)
 *   -s       open as SOCK_STREAM (default SOCK_DGRAM)
 *   -t MS    timeout of each blocking call (default 2000)
 *
 * Exit status: 0 on success, 1 when the kernel or the control says no (the reason is
 * printed with kctl_explain: what happened and who said so), 2 on bad usage. Needs a Mac: elsewhere every command
 * reports that kernel controls exist only on macOS.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kctl.h"
#include "kctl_cli.h"

static int usage(void)
{
	fputs("usage: kctl [-u UNIT] [-s] [-t MS] id|count|send|get|set|request|events ...\n"
	      "       (see the comment at the top of tools/kctl/kctl.c)\n", stderr);
	return 2;
}

/* Prints what happened and who said so: h's record for that kind of call (h may be NULL). */
static int fail_on(const kctl_t *h, uint32_t call, const char *what, int rc)
{
	char why[512];

	kctl_explain(h, call, rc, why, sizeof(why));
	fprintf(stderr, "kctl: %s: %s\n", what, why);
	return 1;
}

static int fail_why(const char *what, const struct kctl_error *e)
{
	char why[512];

	kctl_error_str(e, why, sizeof(why));
	fprintf(stderr, "kctl: %s: %s\n", what, why);
	return 1;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end = NULL;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return (errno || !end || *end || !*s) ? -EINVAL : 0;
}

static int cmd_send(kctl_t *h, int argc, char **argv)
{
	char buf[8192];
	size_t got = 0;
	int rc;

	if (argc != 1)
		return usage();
	rc = kctl_send(h, argv[0], strlen(argv[0]), NULL);
	if (rc < 0)
		return fail_on(h, KCTL_CALL_SEND, "send", rc);
	rc = kctl_recv(h, buf, sizeof(buf), &got, NULL);
	if (rc == -ETIMEDOUT)
		return 0; /* a control that does not answer is not an error */
	if (rc < 0)
		return fail_on(h, KCTL_CALL_RECV, "recv", rc);
	printf("%.*s\n", (int)got, buf);
	return 0;
}

static int cmd_get(kctl_t *h, int argc, char **argv)
{
	const char *kind = argc == 2 ? argv[1] : "";
	uint64_t opt, v64 = 0;
	uint32_t o, v32 = 0;
	size_t size = 0;
	char str[1024];
	int rc;

	if (argc != 2 || parse_u64(argv[0], &opt) || opt > UINT32_MAX)
		return usage();
	o = (uint32_t)opt;
	if (!strcmp(kind, "u32")) {
		rc = kctl_get_u32(h, o, &v32);
		if (rc == 0)
			printf("%" PRIu32 "\n", v32);
	} else if (!strcmp(kind, "u64")) {
		rc = kctl_get_u64(h, o, &v64);
		if (rc == 0)
			printf("%" PRIu64 "\n", v64);
	} else if (!strcmp(kind, "str")) {
		rc = kctl_get_str(h, o, str, sizeof(str));
		if (rc == 0)
			printf("%s\n", str);
	} else if (!strcmp(kind, "size")) {
		rc = kctl_getopt_size(h, o, &size);
		if (rc == 0)
			printf("%zu\n", size);
	} else {
		return usage();
	}
	return rc < 0 ? fail_on(h, KCTL_CALL_OPTION, "getsockopt", rc) : 0;
}

static int cmd_set(kctl_t *h, int argc, char **argv)
{
	uint64_t opt, v = 0;
	int rc;

	if (argc != 3 || parse_u64(argv[0], &opt) || opt > UINT32_MAX)
		return usage();
	if (!strcmp(argv[1], "str"))
		rc = kctl_set_str(h, (uint32_t)opt, argv[2]);
	else if (parse_u64(argv[2], &v) == 0 && !strcmp(argv[1], "u32") && v <= UINT32_MAX)
		rc = kctl_set_u32(h, (uint32_t)opt, (uint32_t)v);
	else if (parse_u64(argv[2], &v) == 0 && !strcmp(argv[1], "u64"))
		rc = kctl_set_u64(h, (uint32_t)opt, v);
	else
		return usage();
	return rc < 0 ? fail_on(h, KCTL_CALL_OPTION, "setsockopt", rc) : 0;
}

static int cmd_request(kctl_t *h, int argc, char **argv)
{
	char reply[8192];
	uint64_t type;
	size_t len = 0;
	const char *text = argc > 1 ? argv[1] : "";
	int rc;

	if (argc < 1 || argc > 2 || parse_u64(argv[0], &type) || type > UINT16_MAX)
		return usage();
	rc = kctl_request(h, (uint16_t)type, text, strlen(text), reply, sizeof(reply), &len);
	if (rc < 0)
		return fail_on(h, KCTL_CALL_REQUEST, "request", rc);
	kctl_cli_print_payload(stdout, reply, len);
	return 0;
}

static int cmd_events(kctl_t *h, int argc, char **argv)
{
	uint64_t n;

	if (argc != 1 || parse_u64(argv[0], &n))
		return usage();
	for (uint64_t i = 0; i < n; i++) {
		uint64_t buf[1024] = { 0 };
		const struct kctl_frame_hdr *f = (const void *)buf;
		size_t wire = 0;
		int rc = kctl_msg_recv(h, buf, sizeof(buf), &wire);

		if (rc < 0)
			return fail_on(h, KCTL_CALL_RECV, "receive", rc);
		printf("type %u seq %u flags 0x%02x aux %u: ", (unsigned)f->type, (unsigned)f->seq,
		       (unsigned)f->flags, (unsigned)f->aux);
		kctl_cli_print_payload(stdout, kctl_frame_payload(f), kctl_frame_payload_len(f));
	}
	return 0;
}

struct kctl_cli_opts {
	uint32_t unit;
	uint32_t flags;
	int32_t timeout;
};

static int run(const kctl_backend_t *be, const struct kctl_cli_opts *o, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(kctl_t *, int, char **);
	} cmds[] = { { "send", cmd_send }, { "get", cmd_get }, { "set", cmd_set },
		     { "request", cmd_request }, { "events", cmd_events } };
	struct kctl_error why;
	uint32_t v = 0;
	kctl_t *h = NULL;
	int rc;

	if (argc == 1 && !strcmp(argv[0], "count")) {
		rc = kctl_count(be, &v);
		return rc < 0 ? fail_on(NULL, KCTL_CALL_OPEN, "count", rc)
			      : (printf("%" PRIu32 "\n", v), 0);
	}
	if (argc < 2)
		return usage();
	if (!strcmp(argv[0], "id")) {
		rc = kctl_lookup_ex(be, argv[1], &v, &why);
		return rc < 0 ? fail_why(argv[1], &why) : (printf("%" PRIu32 "\n", v), 0);
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[0], cmds[i].name) != 0)
			continue;
		rc = kctl_open_name_ex(be, argv[1], o->unit, o->flags, &h, &why);
		if (rc < 0)
			return fail_why(argv[1], &why);
		kctl_set_timeout(h, o->timeout);
		rc = cmds[i].fn(h, argc - 2, argv + 2);
		kctl_close(h);
		return rc;
	}
	return usage();
}

int main(int argc, char **argv)
{
	struct kctl_cli_opts o = { .unit = 0, .flags = 0, .timeout = 2000 };
	const kctl_backend_t *be = NULL;
	uint64_t v;
	int c, rc;

	while ((c = getopt(argc, argv, "+u:st:S")) != -1) {
		if (c == 'u' && parse_u64(optarg, &v) == 0 && v <= UINT32_MAX)
			o.unit = (uint32_t)v;
		else if (c == 's')
			o.flags |= KCTL_OPEN_STREAM;
		else if (c == 't' && parse_u64(optarg, &v) == 0 && v <= INT32_MAX)
			o.timeout = (int32_t)v;
		else if (c == 'S' && kctl_cli_sim_start(&be) == 0)
			continue;
		else
			return usage();
	}
	rc = run(be, &o, argc - optind, argv + optind);
	kctl_cli_sim_stop();
	return rc;
}
