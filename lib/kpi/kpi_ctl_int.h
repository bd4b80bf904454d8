/*
 * kpi_ctl_int.h - the kern_control part of libkctl-kpi (kpi_ctl*.c): a kern_ctl_ref
 * handed to a kext is a struct kpi_ctl of ours. It keeps the kext's registration
 * (Apple-style callbacks returning errnos) and the simulator's control, whose callbacks
 * are the trampolines of kpi_ctl_tramp.c (negative errnos). Refs live in a registry so
 * that a stale or bogus ref answers EINVAL, as xnu's kctlref table does, instead of
 * touching freed memory; the registry's read lock is held across each call into the
 * simulator, which never calls back from those, so deregistration cannot free a control
 * under an enqueue.
 */
#ifndef KCTL_KPI_CTL_INT_H
#define KCTL_KPI_CTL_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include <sys/kern_control.h>

#include "kpi_int.h"

struct kpi_ctl {
	struct kpi_ctl *next;
	kctl_sim_ctl_t *sim_ctl;
	struct kern_ctl_reg reg;    /* the kext's callbacks, private ones as xnu keeps them */
	struct kctl_kpi_kext *kext; /* the kext that registered it (NULL: not a kext's) */
	atomic_int orphan;          /* its kext is stopped: the kext is not called again */
};

extern pthread_rwlock_t kpi_ctl_lock;

/* Under kpi_ctl_lock: the registered control behind ref, or NULL. */
struct kpi_ctl *kpi_ctl_lookup(kern_ctl_ref ref);

/* Fills the simulator's registration for c, with the trampolines (kpi_ctl_tramp.c). */
void kpi_ctl_sim_reg(struct kctl_sim_reg *r, struct kpi_ctl *c);
/* The trampoline for a kext's send_list (set after registration). */
int kpi_ctl_tr_send_list(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo,
			 kctl_sim_mbuf_t *list, int flags);

/* Apple's KPI returns positive errnos, the simulator takes negative ones. */
static inline errno_t kpi_ctl_to_kpi(int e)
{
	return e < 0 ? -e : e;
}

#endif
