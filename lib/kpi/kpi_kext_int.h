/*
 * kpi_kext_int.h - the loader's own pieces (not installed): the list of loaded kexts and
 * the steps that start, stop and take back a kext. Everything here runs under the load
 * lock, which serialises loads and unloads as kextd/OSKext does on a Mac.
 */
#ifndef KCTL_KPI_KEXT_INT_H
#define KCTL_KPI_KEXT_INT_H

#include <pthread.h>

#include "kpi_int.h"

extern pthread_mutex_t kpi_load_lock;

/* kpi_kext.c */
void kpi_kext_add(struct kctl_kpi_kext *k);
void kpi_kext_remove(struct kctl_kpi_kext *k);
int kpi_kext_named(const char *name);
/* Called after the last kext is gone: stops the timer thread, frees the kernel. */
void kpi_kernel_idle(void);

/* kpi_reclaim.c */
struct kpi_reclaim {
	int attached;    /* controls with clients attached remain: the kext cannot go yet */
	int threads;     /* kernel threads still run: its code must stay mapped */
	unsigned problems;
};
/* Takes back what stopped kext k still holds, adding a sentence per problem; when
 * says what ran last ("its stop routine returned success", ...). */
void kpi_reclaim(struct kctl_kpi_kext *k, const char *when, struct kpi_reclaim *r);
/* Retries the kexts whose start failed while clients were attached to controls they
 * left (no handle was given out for them); frees those whose clients are gone. */
void kpi_sweep_stopped(void);
/* Removes k from the kernel and frees it (its module is closed unless threads run). */
void kpi_kext_finish(struct kctl_kpi_kext *k, int keep_mapped);

#endif
