/*
 * nosim.c - macOS: kctl talks to the real kernel. The simulated kernel with the sample
 * kext is not built there (libkctl-kpi loads kexts as shared modules, which is no
 * Mac's way: there the kext is a real bundle), so --sim and --sim-kext are refused.
 */
#include "cli.h"

int kctl_cli_sim_start(struct kctl_cli *cli, const kctl_backend_t **be)
{
	(void)be;
	return kctl_cli_fail_msg(cli, "--sim", "the simulated kernel with the sample kext is "
				 "built only where there is no Mac; here kctl talks to macOS's "
				 "own kernel (load Sample.kext with kmutil)");
}

void kctl_cli_sim_describe(const struct kctl_cli *cli, FILE *out)
{
	(void)cli;
	(void)out;
}

void kctl_cli_sim_stop(struct kctl_cli *cli)
{
	(void)cli;
}
