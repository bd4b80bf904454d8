/*
 * kctl - talk to macOS kernel controls from the shell.
 *
 *   kctl [OPTIONS] COMMAND [ARGS...]      (kctl --help; kctl COMMAND --help; kctl(1))
 *
 * Commands: list, id, count, get, set, send, recv, request, monitor, utun; each in a
 * file cmd_*.c. Options every command takes are in options.c, the kernel they talk to
 * in backend.c (the system's on macOS; elsewhere a simulated one, sim.c), how failures
 * are reported and which exit status they give in fail.c, JSON in json.c.
 */
#include <string.h>

#include "cli.h"

/* stdout must have reached its reader: a full disk or a closed pipe is a failure. */
static int flush_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("kctl: cannot write the output\n", stderr);
		return status == 0 ? KCTL_EXIT_FAIL : status;
	}
	return status;
}

static int dispatch(struct kctl_cli *cli, int argc, char **argv)
{
	const struct kctl_cli_cmd *cmd;
	int status = 0;

	if (kctl_cli_global_opts(cli, argc, argv, &status) == KCTL_CLI_OPT_EXIT)
		return status;
	if (optind >= argc)
		return kctl_cli_usage(cli, "no command (list, id, count, get, set, send, recv, "
				      "request, monitor, utun)");
	argc -= optind;
	argv += optind;
	if (strcmp(argv[0], "help") == 0) {
		cmd = argc > 1 ? kctl_cli_find_cmd(argv[1]) : NULL;
		if (argc > 1 && cmd == NULL)
			return kctl_cli_usage(cli, "no command '%s'", argv[1]);
		if (cmd != NULL)
			kctl_cli_cmd_help(stdout, cmd);
		else
			kctl_cli_help(stdout);
		return KCTL_EXIT_OK;
	}
	cmd = kctl_cli_find_cmd(argv[0]);
	if (cmd == NULL)
		return kctl_cli_usage(cli, "no command '%s'", argv[0]);
	cli->cmd = cmd->name;
	return cmd->run(cli, argc, argv);
}

int main(int argc, char **argv)
{
	struct kctl_cli cli;
	int status;

	memset(&cli, 0, sizeof(cli));
	cli.timeout_ms = 2000;
	status = dispatch(&cli, argc, argv);
	kctl_cli_backend_stop(&cli);
	return flush_stdout(status);
}
