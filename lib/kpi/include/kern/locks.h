/*
 * <kern/locks.h> for kext code running in the simulated kernel (libkctl-kpi): lock
 * groups, attributes and mutexes with Apple's names. A lck_mtx_t is an error-checking
 * pthread mutex: unlocking a mutex this thread does not hold, or locking one it
 * already holds, panics (aborts with a message) as a DEBUG kernel does.
 */
#ifndef KCTL_KPI_KERN_LOCKS_H
#define KCTL_KPI_KERN_LOCKS_H

#include <mach/mach_types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _lck_grp_attr_ lck_grp_attr_t;
typedef struct _lck_grp_ lck_grp_t;
typedef struct _lck_attr_ lck_attr_t;
typedef struct _lck_mtx_ lck_mtx_t;

#define LCK_GRP_ATTR_NULL ((lck_grp_attr_t *)NULL)
#define LCK_GRP_NULL ((lck_grp_t *)NULL)
#define LCK_ATTR_NULL ((lck_attr_t *)NULL)
#define LCK_MTX_NULL ((lck_mtx_t *)NULL)

lck_grp_attr_t *lck_grp_attr_alloc_init(void);
void lck_grp_attr_free(lck_grp_attr_t *attr);
lck_grp_t *lck_grp_alloc_init(const char *grp_name, lck_grp_attr_t *attr);
void lck_grp_free(lck_grp_t *grp);
lck_attr_t *lck_attr_alloc_init(void);
void lck_attr_free(lck_attr_t *attr);
lck_mtx_t *lck_mtx_alloc_init(lck_grp_t *grp, lck_attr_t *attr);
void lck_mtx_free(lck_mtx_t *lck, lck_grp_t *grp);
void lck_mtx_lock(lck_mtx_t *lck);
void lck_mtx_unlock(lck_mtx_t *lck);
boolean_t lck_mtx_try_lock(lck_mtx_t *lck);

#ifdef __cplusplus
}
#endif

#endif
