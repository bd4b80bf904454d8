/*
 * kpi_locks.c - lck_grp_*, lck_attr_*, lck_mtx_* and lck_spin_* (see <kern/locks.h>).
 * Groups and attributes carry nothing the simulator uses; mutexes and spin locks are
 * the checked mutex of kpi_mutex.c (a spin lock does not spin here).
 */
#include <stdlib.h>
#include <string.h>

#include <kern/locks.h>
#include <libkern/libkern.h>

#include "kpi_int.h"
#include "kpi_locks_int.h"

struct _lck_grp_attr_ {
	int unused;
};

struct __lck_attr__ {
	int unused;
};

static struct kpi_mtx *MTX(lck_mtx_t *l)
{
	return (struct kpi_mtx *)(void *)l;
}

static struct kpi_mtx *SPIN(lck_spin_t *l)
{
	return (struct kpi_mtx *)(void *)l;
}

lck_grp_attr_t *lck_grp_attr_alloc_init(void)
{
	return calloc(1, sizeof(lck_grp_attr_t));
}

void lck_grp_attr_setdefault(lck_grp_attr_t *attr)
{
	(void)attr;
}

void lck_grp_attr_setstat(lck_grp_attr_t *attr)
{
	(void)attr;
}

void lck_grp_attr_free(lck_grp_attr_t *attr)
{
	free(attr);
}

lck_grp_t *lck_grp_alloc_init(const char *grp_name, lck_grp_attr_t *attr)
{
	lck_grp_t *g = calloc(1, sizeof(*g));

	(void)attr;
	if (g != NULL && grp_name != NULL)
		kctl_kpi_strlcpy(g->name, grp_name, sizeof(g->name));
	return g;
}

void lck_grp_free(lck_grp_t *grp)
{
	free(grp);
}

lck_attr_t *lck_attr_alloc_init(void)
{
	return calloc(1, sizeof(lck_attr_t));
}

void lck_attr_setdefault(lck_attr_t *attr)
{
	(void)attr;
}

void lck_attr_setdebug(lck_attr_t *attr)
{
	(void)attr;
}

void lck_attr_cleardebug(lck_attr_t *attr)
{
	(void)attr;
}

void lck_attr_free(lck_attr_t *attr)
{
	free(attr);
}

/* ---- mutexes ---- */

lck_mtx_t *lck_mtx_alloc_init(lck_grp_t *grp, lck_attr_t *attr)
{
	lck_mtx_t *l;

	(void)attr;
	if (grp == NULL)
		kpi_panic("lck_mtx_alloc_init: NULL lock group");
	l = calloc(1, sizeof(*l));
	if (l != NULL)
		kpi_mtx_init(MTX(l), "lck_mtx_alloc_init");
	return l;
}

void lck_mtx_init(lck_mtx_t *lck, lck_grp_t *grp, lck_attr_t *attr)
{
	(void)attr;
	if (grp == NULL)
		kpi_panic("lck_mtx_init: NULL lock group");
	kpi_mtx_init(MTX(lck), "lck_mtx_init");
}

void lck_mtx_destroy(lck_mtx_t *lck, lck_grp_t *grp)
{
	(void)grp;
	kpi_mtx_destroy(MTX(lck), "lck_mtx_destroy");
}

void lck_mtx_free(lck_mtx_t *lck, lck_grp_t *grp)
{
	(void)grp;
	if (lck == NULL)
		return;
	kpi_mtx_destroy(MTX(lck), "lck_mtx_free");
	free(lck);
}

void lck_mtx_lock(lck_mtx_t *lck)
{
	kpi_mtx_lock(MTX(lck), "lck_mtx_lock");
}

boolean_t lck_mtx_try_lock(lck_mtx_t *lck)
{
	return kpi_mtx_try_lock(MTX(lck), "lck_mtx_try_lock") ? TRUE : FALSE;
}

void lck_mtx_unlock(lck_mtx_t *lck)
{
	kpi_mtx_unlock(MTX(lck), "lck_mtx_unlock");
}

void lck_mtx_assert(lck_mtx_t *lck, unsigned int type)
{
	int mine = atomic_load(&MTX(lck)->owner) == kpi_self();

	if (type == LCK_MTX_ASSERT_OWNED && !mine)
		kpi_panic("lck_mtx_assert: mutex not owned by this thread");
	if (type == LCK_MTX_ASSERT_NOTOWNED && mine)
		kpi_panic("lck_mtx_assert: mutex owned by this thread");
}

wait_result_t lck_mtx_sleep(lck_mtx_t *lck, lck_sleep_action_t lck_sleep_action,
			    event_t event, wait_interrupt_t interruptible)
{
	(void)interruptible;
	return kpi_mtx_sleep(MTX(lck), lck_sleep_action, event, 0, "lck_mtx_sleep");
}

wait_result_t lck_mtx_sleep_deadline(lck_mtx_t *lck, lck_sleep_action_t lck_sleep_action,
				     event_t event, wait_interrupt_t interruptible,
				     uint64_t deadline)
{
	(void)interruptible;
	return kpi_mtx_sleep(MTX(lck), lck_sleep_action, event, deadline,
			     "lck_mtx_sleep_deadline");
}

/* ---- spin locks ---- */

lck_spin_t *lck_spin_alloc_init(lck_grp_t *grp, lck_attr_t *attr)
{
	lck_spin_t *l;

	(void)attr;
	if (grp == NULL)
		kpi_panic("lck_spin_alloc_init: NULL lock group");
	l = calloc(1, sizeof(*l));
	if (l != NULL)
		kpi_mtx_init(SPIN(l), "lck_spin_alloc_init");
	return l;
}

void lck_spin_init(lck_spin_t *lck, lck_grp_t *grp, lck_attr_t *attr)
{
	(void)grp;
	(void)attr;
	kpi_mtx_init(SPIN(lck), "lck_spin_init");
}

void lck_spin_destroy(lck_spin_t *lck, lck_grp_t *grp)
{
	(void)grp;
	kpi_mtx_destroy(SPIN(lck), "lck_spin_destroy");
}

void lck_spin_free(lck_spin_t *lck, lck_grp_t *grp)
{
	(void)grp;
	if (lck == NULL)
		return;
	kpi_mtx_destroy(SPIN(lck), "lck_spin_free");
	free(lck);
}

void lck_spin_lock(lck_spin_t *lck)
{
	kpi_mtx_lock(SPIN(lck), "lck_spin_lock");
}

void lck_spin_lock_grp(lck_spin_t *lck, lck_grp_t *grp)
{
	(void)grp;
	kpi_mtx_lock(SPIN(lck), "lck_spin_lock_grp");
}

boolean_t lck_spin_try_lock(lck_spin_t *lck)
{
	return kpi_mtx_try_lock(SPIN(lck), "lck_spin_try_lock") ? TRUE : FALSE;
}

void lck_spin_unlock(lck_spin_t *lck)
{
	kpi_mtx_unlock(SPIN(lck), "lck_spin_unlock");
}

wait_result_t lck_spin_sleep(lck_spin_t *lck, lck_sleep_action_t lck_sleep_action,
			     event_t event, wait_interrupt_t interruptible)
{
	(void)interruptible;
	return kpi_mtx_sleep(SPIN(lck), lck_sleep_action, event, 0, "lck_spin_sleep");
}

wait_result_t lck_spin_sleep_deadline(lck_spin_t *lck, lck_sleep_action_t lck_sleep_action,
				      event_t event, wait_interrupt_t interruptible,
				      uint64_t deadline)
{
	(void)interruptible;
	return kpi_mtx_sleep(SPIN(lck), lck_sleep_action, event, deadline,
			     "lck_spin_sleep_deadline");
}
