/*
 * backend.c - which kernel kctl talks to.
 *
 * On macOS, the system's. Elsewhere there are no kernel controls, so unless told
 * otherwise kctl starts a simulated macOS kernel inside itself (sim.c), with Apple's
 * utun and the sample kext loaded, and says so once on stderr; under `kctl-sim run`
 * the program's own calls already reach the simulated kernel of libkctl-preload, so
 * there the native backend is the right one (and is what `kctl-sim run` is for).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr, RTLD_DEFAULT */
#endif
#include <string.h>

#ifdef __linux__
#include <dlfcn.h>
#endif

#include "cli.h"

#ifndef __APPLE__
/*
 * Whether libkctl-preload stands in for libc in this process (kctl-sim run): glibc has
 * no sysctlbyname, the preload exports one, so the process's sysctlbyname, if any, says.
 */
static int under_preload(void)
{
#ifdef __linux__
	void *sym = dlsym(RTLD_DEFAULT, "sysctlbyname");
	Dl_info info;

	if (sym == NULL || dladdr(sym, &info) == 0 || info.dli_fname == NULL)
		return 0;
	return strstr(info.dli_fname, "libkctl-preload") != NULL;
#else
	return 0; /* the preload is Linux-only */
#endif
}
#endif

static int choose(struct kctl_cli *cli, const kctl_backend_t **be)
{
	int kernel = cli->kernel;
	int rc;

	if (kernel == KCTL_CLI_KERNEL_AUTO) {
#ifdef __APPLE__
		kernel = KCTL_CLI_KERNEL_NATIVE;
#else
		kernel = under_preload() ? KCTL_CLI_KERNEL_NATIVE : KCTL_CLI_KERNEL_SIM;
#endif
	}
	if (kernel == KCTL_CLI_KERNEL_NATIVE) {
		*be = kctl_backend_native();
		return 0;
	}
	rc = kctl_cli_sim_start(cli, be);
	if (rc == 0 && cli->kernel == KCTL_CLI_KERNEL_AUTO) {
		fputs("kctl: this system has no kernel controls: using a simulated macOS kernel "
		      "with ", stderr);
		kctl_cli_sim_describe(cli, stderr);
		fputs(" (--native: this system's)\n", stderr);
	}
	return rc;
}

int kctl_cli_backend(struct kctl_cli *cli, const kctl_backend_t **be)
{
	if (!cli->be_chosen) {
		int rc = choose(cli, &cli->be);

		if (rc == 0 && cli->trace != NULL)
			rc = kctl_cli_trace_start(cli, &cli->be);
		if (rc != 0)
			return rc;
		cli->be_chosen = 1;
	}
	*be = cli->be;
	return 0;
}

void kctl_cli_backend_stop(struct kctl_cli *cli)
{
	kctl_cli_trace_stop(cli);
	kctl_cli_sim_stop(cli);
	cli->be = NULL;
	cli->be_chosen = 0;
}
