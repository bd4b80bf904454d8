/*
 * sim.c - `kctl -S`: the sample kext loaded into a simulated kernel inside the tool, so
 * its commands can be tried where there is no Mac (and in the tool's tests).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "kctl_cli.h"
#include "kctl_kpi.h"
#include "kctl_sim.h"
#include "sample_path.h"

static kctl_sim_t *cli_sim;
static kctl_kpi_kext_t *cli_kext;

static void quiet(void *ctx, const char *line)
{
	(void)ctx;
	(void)line; /* the kext's log would mix with the tool's output */
}

int kctl_cli_sim_start(const kctl_backend_t **be)
{
	char path[4096];
	int rc;

	if (cli_sim)
		return -EALREADY;
	rc = kctl_sim_new(&cli_sim);
	if (rc < 0)
		return rc;
	kctl_sim_set_euid(cli_sim, 0);
	kctl_kpi_set_log(quiet, NULL);
	rc = kctl_kpi_load_module(cli_sim, kctl_cli_sample_path(path, sizeof(path)), &cli_kext);
	if (rc < 0) {
		fprintf(stderr, "kctl: -S: %s\n", kctl_kpi_last_error());
		kctl_sim_free(cli_sim);
		cli_sim = NULL;
		return rc;
	}
	*be = kctl_sim_backend(cli_sim);
	return 0;
}

void kctl_cli_sim_stop(void)
{
	if (!cli_sim)
		return;
	if (kctl_kpi_unload(cli_kext) == 0)
		cli_kext = NULL;
	kctl_sim_free(cli_sim);
	cli_sim = NULL;
}
