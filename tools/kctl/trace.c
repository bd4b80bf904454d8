/*
 * trace.c - --trace[=FILE]: every call kctl makes to the kernel, printed as strace does
 * by libkctl's call tracer (kctl_trace_new_fd), to stderr or appended to FILE. The
 * tracer wraps whichever kernel kctl talks to, the simulated one included, and is freed
 * after the command's handles are closed and before the simulated kernel goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct kctl_cli_trace {
	kctl_trace_t *tracer;
	int fd;     /* the file of --trace=FILE, or 2 */
};

int kctl_cli_trace_start(struct kctl_cli *cli, const kctl_backend_t **be)
{
	struct kctl_cli_trace *t = calloc(1, sizeof(*t));
	int rc;

	if (t == NULL)
		return kctl_cli_fail_msg(cli, "--trace", "out of memory");
	t->fd = STDERR_FILENO;
	if (cli->trace[0] != '\0') {
		t->fd = open(cli->trace, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (t->fd < 0) {
			free(t);
			return kctl_cli_fail_msg(cli, cli->trace, strerror(errno));
		}
	}
	rc = kctl_trace_new_fd(*be, t->fd, 0, &t->tracer);
	if (rc < 0) {
		if (t->fd != STDERR_FILENO)
			close(t->fd);
		free(t);
		return kctl_cli_fail(cli, NULL, KCTL_CALL_NONE, "--trace", rc);
	}
	cli->tracer = t;
	*be = kctl_trace_backend(t->tracer);
	return 0;
}

void kctl_cli_trace_stop(struct kctl_cli *cli)
{
	struct kctl_cli_trace *t = cli->tracer;

	if (t == NULL)
		return;
	kctl_trace_free(t->tracer);
	if (t->fd != STDERR_FILENO)
		close(t->fd);
	free(t);
	cli->tracer = NULL;
}
