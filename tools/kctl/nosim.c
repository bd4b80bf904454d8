/* nosim.c - `kctl -S` where the simulated sample kext is not built (macOS): refused. */
#include <errno.h>
#include <stdio.h>

#include "kctl_cli.h"

int kctl_cli_sim_start(const kctl_backend_t **be)
{
	(void)be;
	fputs("kctl: -S (the simulated sample kext) is built only on non-macOS hosts\n", stderr);
	return -EOPNOTSUPP;
}

void kctl_cli_sim_stop(void)
{
}
