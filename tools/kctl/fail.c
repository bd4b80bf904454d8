/*
 * fail.c - how kctl reports a failure: libkctl's sentence (what happened first, then
 * who said so where the library knows: kctl_explain(), kctl_error_str()), and an exit
 * status a script can act on, chosen from the same record's origin, never from the
 * errno alone: an ENOENT from the kernel's CTLIOCGINFO is "no such control" (3), the
 * same ENOENT in a kext's error reply is the control's answer (5).
 */
#include <errno.h>

#include "cli.h"
#include "json.h"

#define SENTENCE_MAX 512

static const char *call_name(uint32_t call)
{
	switch (call) {
	case KCTL_CALL_OPEN: return "open";
	case KCTL_CALL_SEND: return "send";
	case KCTL_CALL_RECV: return "recv";
	case KCTL_CALL_OPTION: return "option";
	case KCTL_CALL_REQUEST: return "request";
	default: return "none";
	}
}

static const char *origin_name(uint32_t origin)
{
	switch (origin) {
	case KCTL_ORIGIN_LIBRARY: return "library";
	case KCTL_ORIGIN_KERNEL: return "kernel";
	case KCTL_ORIGIN_CONTROL: return "control";
	case KCTL_ORIGIN_KERNEL_OR_CONTROL: return "kernel_or_control";
	default: return "unknown";
	}
}

/*
 * Who refused, as the exit status says it. kctl_count(), kctl_list() and
 * kctl_utun_open() keep no record (origin NONE); what they document for ENOENT (no such
 * control, or list) and EPERM (a privileged control) is the kernel's, so those read
 * the same as the kernel's own.
 */
static int exit_status(const struct kctl_error *e)
{
	int err = e->err < 0 ? -e->err : e->err;
	int kernel = e->origin == KCTL_ORIGIN_KERNEL || e->origin == KCTL_ORIGIN_NONE;

	if (e->origin == KCTL_ORIGIN_CONTROL)
		return KCTL_EXIT_REFUSED;
	if (kernel && e->call == KCTL_CALL_OPEN && err == ENOENT)
		return KCTL_EXIT_NOT_FOUND;
	if (kernel && (err == EPERM || err == EACCES))
		return KCTL_EXIT_PERMISSION;
	return KCTL_EXIT_FAIL;
}

static int report(struct kctl_cli *cli, const struct kctl_error *e, const char *what,
		  const char *sentence)
{
	int status = exit_status(e);
	struct kctl_json j;
	const char *name;

	if (!cli->json) {
		fprintf(stderr, "kctl: %s: %s\n", what, sentence);
		return status;
	}
	name = kctl_errno_name(e->err);
	kctl_json_begin(&j, stdout, "error");
	kctl_json_str(&j, "command", cli->cmd != NULL ? cli->cmd : "");
	kctl_json_str(&j, "call", call_name(e->call));
	kctl_json_str(&j, "what", what);
	kctl_json_i64(&j, "errno", e->err < 0 ? -(int64_t)e->err : e->err);
	if (name != NULL)
		kctl_json_str(&j, "error", name);
	else
		kctl_json_null(&j, "error");
	kctl_json_str(&j, "origin", origin_name(e->origin));
	kctl_json_str(&j, "message", sentence);
	kctl_json_i64(&j, "exit", status);
	kctl_json_end(&j);
	return status;
}

int kctl_cli_fail(struct kctl_cli *cli, const kctl_t *h, uint32_t call, const char *what,
		  int rc)
{
	struct kctl_error e = { .err = rc, .call = call, .origin = KCTL_ORIGIN_NONE };
	struct kctl_error rec;
	char sentence[SENTENCE_MAX];

	/* the handle's record, when it is this failure's (kctl_explain's own rule) */
	if (h != NULL && kctl_last_error(h, call, &rec) == 0 && rec.err == rc)
		e = rec;
	kctl_explain(h, call, rc, sentence, sizeof(sentence));
	return report(cli, &e, what, sentence);
}

int kctl_cli_fail_why(struct kctl_cli *cli, const struct kctl_error *why, const char *what)
{
	char sentence[SENTENCE_MAX];

	kctl_error_str(why, sentence, sizeof(sentence));
	return report(cli, why, what, sentence);
}

int kctl_cli_fail_msg(struct kctl_cli *cli, const char *what, const char *msg)
{
	struct kctl_json j;

	if (!cli->json) {
		fprintf(stderr, "kctl: %s: %s\n", what, msg);
		return KCTL_EXIT_FAIL;
	}
	kctl_json_begin(&j, stdout, "error");
	kctl_json_str(&j, "command", cli->cmd != NULL ? cli->cmd : "");
	kctl_json_str(&j, "call", "none");
	kctl_json_str(&j, "what", what);
	kctl_json_i64(&j, "errno", 0);
	kctl_json_null(&j, "error");
	kctl_json_str(&j, "origin", "tool");
	kctl_json_str(&j, "message", msg);
	kctl_json_i64(&j, "exit", KCTL_EXIT_FAIL);
	kctl_json_end(&j);
	return KCTL_EXIT_FAIL;
}
