/*
 * sim.c - the simulated kernel kctl starts inside itself where there is no Mac: made
 * "like a Mac" (Apple's utun registered), with the sample kext and the --sim-kext
 * modules loaded through libkctl-kpi, as root unless --sim-euid says otherwise. It
 * lives as long as the command; every run of kctl is a new kernel.
 */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "kctl_kpi.h"
#include "kctl_sim.h"
#include "sample_path.h"

struct kctl_cli_sim {
	kctl_sim_t *sim;
	kctl_kpi_kext_t *kexts[KCTL_CLI_MAX_KEXTS + 1]; /* the sample first */
	int n;
	char sample[4096];
};

static void quiet(void *ctx, const char *line)
{
	(void)ctx;
	(void)line; /* the kexts' log would mix with the tool's output: --kext-log shows it */
}

static int load(struct kctl_cli *cli, struct kctl_cli_sim *s, const char *path)
{
	int rc = kctl_kpi_load_module(s->sim, path, &s->kexts[s->n]);

	if (rc < 0) {
		/* the loader's sentence says why: which KPI is missing, what start returned */
		fprintf(stderr, "kctl: cannot load kext %s into the simulated kernel: %s\n", path,
			kctl_kpi_last_error());
		(void)cli;
		return KCTL_EXIT_FAIL;
	}
	s->n++;
	return 0;
}

int kctl_cli_sim_start(struct kctl_cli *cli, const kctl_backend_t **be)
{
	struct kctl_cli_sim *s = calloc(1, sizeof(*s));
	int rc;

	if (s == NULL)
		return kctl_cli_fail(cli, NULL, KCTL_CALL_NONE, "simulated kernel", -ENOMEM);
	cli->sim = s;
	rc = kctl_sim_new_mac(&s->sim);
	if (rc < 0)
		return kctl_cli_fail(cli, NULL, KCTL_CALL_NONE, "simulated kernel", rc);
	kctl_sim_set_euid(s->sim, cli->sim_euid);
	kctl_kpi_set_log(cli->kext_log ? NULL : quiet, NULL);
	rc = load(cli, s, kctl_cli_sample_path(s->sample, sizeof(s->sample)));
	for (int i = 0; rc == 0 && i < cli->nkexts; i++)
		rc = load(cli, s, cli->kexts[i]);
	if (rc != 0)
		return rc; /* kctl_cli_sim_stop() takes back what did load */
	*be = kctl_sim_backend(s->sim);
	return 0;
}

void kctl_cli_sim_describe(const struct kctl_cli *cli, FILE *out)
{
	fputs("utun and the sample kext", out);
	for (int i = 0; i < cli->nkexts; i++)
		fprintf(out, ", %s", cli->kexts[i]);
	fputs(" loaded", out);
}

/*
 * Unloads every kext, the last loaded first. Only -EBUSY leaves a kext loaded (its stop
 * routine refused, or a client is still attached): then the kernel cannot be freed, and
 * the process's exit takes it. Any other result means the kext is gone; an untidy one
 * (-ENOTEMPTY: it left something behind; -ENOTRECOVERABLE: it panicked) is reported
 * with the loader's sentence, since that is a bug in the kext the user wants to see.
 */
void kctl_cli_sim_stop(struct kctl_cli *cli)
{
	struct kctl_cli_sim *s = cli->sim;
	int busy = 0;

	if (s == NULL)
		return;
	while (s->n > 0) {
		kctl_kpi_kext_t *k = s->kexts[--s->n];
		const char *name = kctl_kpi_kext_name(k);
		char kept[128];
		int rc;

		snprintf(kept, sizeof(kept), "%s", name);
		rc = kctl_kpi_unload(k);
		if (rc == -EBUSY)
			busy = 1;
		if (rc < 0)
			fprintf(stderr, "kctl: unloading kext %s: %s\n", kept, kctl_kpi_last_error());
	}
	if (!busy)
		kctl_sim_free(s->sim);
	free(s);
	cli->sim = NULL;
}
