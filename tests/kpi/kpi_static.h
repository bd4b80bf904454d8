/*
 * kpi_static.h - a kext compiled into the test itself, for suites that call the KPI
 * directly: its kmod_info is this file's, its start routine runs the suite's hook (so
 * code can run as a kext, in the kernel), and nothing of it needs a module.
 */
#ifndef KPI_STATIC_H
#define KPI_STATIC_H

#include <mach/mach_types.h>
#include <mach/kmod.h>

#include "kpi_fixture.h"

/* Set by a test before loading: run inside the start routine, as the kext. */
static kern_return_t (*static_start_hook)(void);
static kern_return_t (*static_stop_hook)(void);

static kern_return_t static_start(kmod_info_t *ki, void *d)
{
	(void)ki;
	(void)d;
	return static_start_hook != NULL ? static_start_hook() : KERN_SUCCESS;
}

static kern_return_t static_stop(kmod_info_t *ki, void *d)
{
	(void)ki;
	(void)d;
	return static_stop_hook != NULL ? static_stop_hook() : KERN_SUCCESS;
}

KMOD_EXPLICIT_DECL(org.libkctl.test.static, "1.0", static_start, static_stop)

/* Setup: a kernel with the static kext loaded (hooks as the test left them). */
static inline int static_setup(void **state)
{
	struct kpi *k;

	if (kpi_setup(state) != 0)
		return -1;
	k = *state;
	return kctl_kpi_load(k->sim, &kmod_info, &k->kext);
}

static inline int static_teardown(void **state)
{
	int rc = kpi_teardown(state);

	static_start_hook = NULL;
	static_stop_hook = NULL;
	return rc;
}

#endif
