/*
 * cmd_monitor.c - `kctl monitor NAME`: prints the framed events a control pushes, until
 * interrupted or COUNT events came. Many controls (the sample kext among them) push
 * events only to a client that asked: --subscribe TYPE sends that request first, and
 * --unsubscribe TYPE its opposite before the end, whose reply is printed too.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "json.h"

#define SLICE_MS 200 /* how often the stop flag is looked at */

struct monitor {
	struct kctl_cli *cli;
	kctl_t *h;
	const char *name;
	int fmt;
	uint64_t events, dropped;
};

static const char *frame_kind(const struct kctl_frame_hdr *f)
{
	if (f->flags & KCTL_FRAME_F_EVENT)
		return "event";
	if (f->flags & KCTL_FRAME_F_REQUEST)
		return "request"; /* a control may ask too */
	return "reply";           /* one no request of ours waits for */
}

static void print_frame(struct monitor *m, const struct kctl_frame_hdr *f)
{
	const void *data = kctl_frame_payload(f);
	size_t len = kctl_frame_payload_len(f);
	struct kctl_json j;

	if (!m->cli->json) {
		printf("%s type %u seq %u", frame_kind(f), (unsigned)f->type, (unsigned)f->seq);
		if (f->flags & KCTL_FRAME_F_EVENT)
			printf(" dropped %u", (unsigned)f->aux);
		if (f->flags & KCTL_FRAME_F_ERROR)
			printf(" error %u", (unsigned)f->aux);
		fputs(m->fmt == KCTL_CLI_FMT_ATTRS ? "\n" : ": ", stdout);
		kctl_cli_print_data(stdout, m->fmt, data, len);
		fflush(stdout);
		return;
	}
	kctl_json_begin(&j, stdout, frame_kind(f));
	kctl_json_str(&j, "name", m->name);
	kctl_json_u64(&j, "unit", kctl_unit(m->h));
	kctl_json_u64(&j, "type", f->type);
	kctl_json_u64(&j, "seq", f->seq);
	kctl_json_u64(&j, "flags", f->flags);
	if (f->flags & KCTL_FRAME_F_EVENT)
		kctl_json_u64(&j, "dropped", f->aux);
	if (f->flags & KCTL_FRAME_F_ERROR)
		kctl_json_u64(&j, "errno", f->aux);
	kctl_cli_json_data(&j, m->fmt, data, len);
	kctl_json_end(&j);
}

/* The subscribe or unsubscribe request; its reply is printed as a "subscribed" line. */
static int ask(struct monitor *m, uint16_t type, const char *kind)
{
	uint64_t reply[KCTL_MSG_DEFAULT_MAX / 8];
	size_t len = 0;
	int rc = kctl_request(m->h, type, NULL, 0, reply, sizeof(reply), &len);

	if (rc < 0)
		return kctl_cli_fail(m->cli, m->h, KCTL_CALL_REQUEST, kind, rc);
	if (m->cli->json) {
		struct kctl_json j;

		kctl_json_begin(&j, stdout, kind);
		kctl_json_str(&j, "name", m->name);
		kctl_json_u64(&j, "unit", kctl_unit(m->h));
		kctl_json_u64(&j, "type", type);
		kctl_cli_json_data(&j, m->fmt, reply, len);
		kctl_json_end(&j);
	} else {
		fprintf(stderr, "kctl: monitor: %s (request %u answered)\n", kind, (unsigned)type);
	}
	return 0;
}

/* Frames until `count` events (0: no end) or a signal; 0 or an exit status. */
static int watch(struct monitor *m, uint64_t count, int *interrupted)
{
	uint64_t buf[KCTL_MSG_DEFAULT_MAX / 8];

	kctl_set_timeout(m->h, SLICE_MS);
	while (count == 0 || m->events < count) {
		const struct kctl_frame_hdr *f = (const void *)buf;
		size_t wire = 0;
		int rc;

		if (kctl_cli_stopped()) {
			*interrupted = 1;
			return 0;
		}
		rc = kctl_msg_recv(m->h, buf, sizeof(buf), &wire);
		if (rc == -ETIMEDOUT)
			continue;
		if (rc < 0)
			return kctl_cli_fail(m->cli, m->h, KCTL_CALL_RECV, "receive", rc);
		print_frame(m, f);
		if (f->flags & KCTL_FRAME_F_EVENT) {
			m->events++;
			m->dropped += f->aux;
		}
	}
	return 0;
}

static void summary(const struct monitor *m, int interrupted)
{
	struct kctl_json j;

	if (!m->cli->json) {
		fprintf(stderr, "kctl: monitor: %llu events, %llu dropped (as the events said)\n",
			(unsigned long long)m->events, (unsigned long long)m->dropped);
		return;
	}
	kctl_json_begin(&j, stdout, "end");
	kctl_json_str(&j, "name", m->name);
	kctl_json_u64(&j, "events", m->events);
	kctl_json_u64(&j, "dropped", m->dropped);
	kctl_json_str(&j, "reason", interrupted ? "interrupted" : "count");
	kctl_json_end(&j);
}

static int monitor(struct monitor *m, int sub, uint16_t sub_type, int unsub,
		   uint16_t unsub_type, uint64_t count)
{
	int32_t timeout = m->cli->timeout_ms;
	int interrupted = 0, status = 0;

	kctl_cli_catch_signals();
	if (sub)
		status = ask(m, sub_type, "subscribed");
	if (status == 0)
		status = watch(m, count, &interrupted);
	if (status == 0 && unsub) {
		kctl_set_timeout(m->h, timeout);
		status = ask(m, unsub_type, "unsubscribed");
	}
	if (status == 0)
		summary(m, interrupted);
	return status;
}

static int run(struct kctl_cli *cli, int argc, char **argv)
{
	static const struct option own[] = {
		{ "subscribe", required_argument, NULL, 'b' },
		{ "unsubscribe", required_argument, NULL, 'B' },
		{ "count", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct monitor m = { .cli = cli, .fmt = KCTL_CLI_FMT_AUTO };
	uint16_t sub_type = 0, unsub_type = 0;
	int c = 0, status = 0, sub = 0, unsub = 0;
	struct kctl_cli_getopt g;
	uint64_t count = 0;
	const char *arg;

	kctl_cli_getopt_init(&g, &kctl_cmd_monitor, "b:B:n:o:", own);
	while (status == 0 && (c = kctl_cli_getopt(cli, &g, argc, argv, &arg, &status)) > 0) {
		int bad;

		switch (c) {
		case 'b':
			bad = kctl_cli_u16(arg, &sub_type);
			sub = 1;
			break;
		case 'B':
			bad = kctl_cli_u16(arg, &unsub_type);
			unsub = 1;
			break;
		case 'n':
			bad = kctl_cli_u64(arg, &count);
			break;
		default:
			bad = kctl_cli_format(arg, &m.fmt);
			break;
		}
		if (bad != 0)
			status = kctl_cli_usage(cli, "'%s' is not a valid %s", arg,
						c == 'o' ? "format (auto, text, hex, raw, attrs)" :
							   "number for this option");
	}
	if (c == KCTL_CLI_OPT_EXIT || status != 0)
		return status;
	status = kctl_cli_positionals(cli, argc, argv, 1, 1);
	m.name = argv[optind];
	if (status == 0)
		status = kctl_cli_open(cli, m.name, &m.h);
	if (status == 0)
		status = monitor(&m, sub, sub_type, unsub, unsub_type, count);
	kctl_close(m.h);
	return status;
}

const struct kctl_cli_cmd kctl_cmd_monitor = {
	.name = "monitor",
	.synopsis = "NAME [--subscribe TYPE] [--unsubscribe TYPE] [-n COUNT] [-o FORMAT]",
	.summary = "print the framed events the control pushes, until interrupted",
	.help = "Each frame that is not the reply to our own request is printed: events (with\n"
		"the drops the control announced before each), replies no request waits for,\n"
		"requests from the control. SIGINT or SIGTERM ends it (exit status 0), after\n"
		"--unsubscribe; a summary goes to stderr (with --json: an \"end\" line).\n"
		"  -b, --subscribe TYPE    first send a request of TYPE (the sample kext: 6)\n"
		"  -B, --unsubscribe TYPE  at the end send a request of TYPE (the sample: 7)\n"
		"  -n, --count N           stop after N events (default 0: no end)\n"
		"  -o, --output FORMAT     auto (default), text, hex, raw or attrs\n",
	.run = run,
};
