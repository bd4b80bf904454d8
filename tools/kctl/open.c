/*
 * open.c - opening the control a command names, with the run's unit, socket type and
 * timeout, on the run's kernel.
 */
#include "cli.h"

int kctl_cli_open(struct kctl_cli *cli, const char *name, kctl_t **out)
{
	const kctl_backend_t *be;
	struct kctl_error why;
	kctl_t *h = NULL;
	int rc = kctl_cli_backend(cli, &be);

	if (rc != 0)
		return rc;
	/* the _ex form says who refused: libkctl, the kernel, or the control's connect */
	rc = kctl_open_name_ex(be, name, cli->unit, cli->open_flags, &h, &why);
	if (rc < 0)
		return kctl_cli_fail_why(cli, &why, name);
	rc = kctl_set_timeout(h, cli->timeout_ms); /* -t is 0..INT32_MAX: never refused */
	if (rc < 0) {
		kctl_close(h);
		return kctl_cli_fail(cli, NULL, KCTL_CALL_NONE, "timeout", rc);
	}
	*out = h;
	return 0;
}
