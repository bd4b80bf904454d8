/*
 * help.c - `kctl --help` and `kctl COMMAND --help`. The same facts are in kctl.1, the
 * long version; tests/cli checks that each option listed here is in the man page.
 */
#include <string.h>

#include "cli.h"

const struct kctl_cli_cmd *const kctl_cli_cmds[] = {
	&kctl_cmd_list, &kctl_cmd_id,      &kctl_cmd_count,   &kctl_cmd_get,
	&kctl_cmd_set,  &kctl_cmd_send,    &kctl_cmd_recv,    &kctl_cmd_request,
	&kctl_cmd_monitor, &kctl_cmd_utun, NULL,
};

const struct kctl_cli_cmd *kctl_cli_find_cmd(const char *name)
{
	for (size_t i = 0; kctl_cli_cmds[i] != NULL; i++)
		if (strcmp(kctl_cli_cmds[i]->name, name) == 0)
			return kctl_cli_cmds[i];
	return NULL;
}

static const char common_help[] =
	"Options (before or after the command; -- ends them):\n"
	"  -u, --unit N        connect to unit N (default 0: the kernel chooses)\n"
	"  -s, --stream        open a SOCK_STREAM socket (default SOCK_DGRAM)\n"
	"  -t, --timeout MS    how long each call may wait (default 2000)\n"
	"  -j, --json          print one JSON object per line (see kctl(1))\n"
	"  -S, --sim           use a simulated kernel started inside kctl, with utun and\n"
	"                      the sample kext loaded (the default off macOS)\n"
	"      --native        use this system's kernel (macOS; elsewhere it has none,\n"
	"                      unless kctl runs under `kctl-sim run`)\n"
	"      --sim-kext MODULE.so\n"
	"                      also load this kext module into the simulated kernel\n"
	"      --sim-euid N    the effective uid the simulated kernel sees (default 0)\n"
	"      --kext-log      show the simulated kexts' printf lines on stderr\n"
	"      --trace[=FILE]  print every call to the kernel, as strace does (stderr,\n"
	"                      or appended to FILE)\n"
	"  -h, --help          this help, or the command's\n"
	"  -V, --version       the versions of kctl and libkctl\n";

static const char exit_help[] =
	"Exit status: 0 done, 1 failed, 2 usage error, 3 no such control, 4 permission\n"
	"denied (a privileged control), 5 the control answered with an error.\n";

void kctl_cli_help(FILE *out)
{
	fputs("usage: kctl [OPTIONS] COMMAND [ARGS...]\n"
	      "       kctl COMMAND --help | kctl --help | kctl --version\n"
	      "\n"
	      "Talks to macOS kernel controls (PF_SYSTEM sockets): lists them, opens one,\n"
	      "sends, receives, gets and sets options, makes framed requests, prints\n"
	      "events, reads a utun interface. Off macOS every command runs against a\n"
	      "simulated kernel with Apple's utun and the sample kext loaded.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; kctl_cli_cmds[i] != NULL; i++)
		fprintf(out, "  %-8s %s\n", kctl_cli_cmds[i]->name, kctl_cli_cmds[i]->summary);
	fputc('\n', out);
	fputs(common_help, out);
	fputc('\n', out);
	fputs(exit_help, out);
	fputs("See kctl(1) for the details and the JSON keys.\n", out);
}

void kctl_cli_cmd_help(FILE *out, const struct kctl_cli_cmd *cmd)
{
	char first = cmd->summary[0];

	/* the summary is a lowercase phrase in `kctl --help`, a sentence here (ASCII) */
	if (first >= 'a' && first <= 'z')
		first = (char)(first - 'a' + 'A');
	fprintf(out, "usage: kctl %s %s\n\n%c%s.\n", cmd->name, cmd->synopsis, first,
		cmd->summary + 1);
	if (cmd->help[0] != '\0')
		fprintf(out, "\n%s", cmd->help);
	fputc('\n', out);
	fputs(common_help, out);
	fputc('\n', out);
	fputs(exit_help, out);
}
