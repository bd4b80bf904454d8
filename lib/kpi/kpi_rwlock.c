/*
 * kpi_rwlock.c - lck_rw_* (see <kern/locks.h>), on a mutex and a condition variable, so
 * that Apple's rules hold exactly: writers are preferred over new readers; an upgrade
 * waits for the other readers to leave and holds the lock exclusively when it returns
 * TRUE, or fails (returning FALSE, the shared hold dropped) when another reader is
 * already upgrading; a downgrade keeps the lock held throughout. Unlocking in a mode the
 * lock is not held in panics; a shared hold is counted, not tracked per thread.
 */
#include <stdlib.h>

#include <kern/locks.h>

#include "kpi_int.h"
#include "kpi_locks_int.h"
#include "kpi_wait.h"

static struct kpi_rw *RW(lck_rw_t *l)
{
	struct kpi_rw *rw = (struct kpi_rw *)(void *)l;

	if (rw == NULL)
		kpi_panic("lck_rw: NULL lock");
	if (rw->magic != KPI_LOCK_MAGIC)
		kpi_panic("lck_rw: lock not initialised (or destroyed)");
	return rw;
}

static void rw_init(struct kpi_rw *rw)
{
	pthread_mutex_init(&rw->m, NULL);
	pthread_cond_init(&rw->c, NULL);
	rw->readers = rw->writers_waiting = 0;
	rw->writer = 0;
	rw->upgrading = 0;
	rw->magic = KPI_LOCK_MAGIC;
}

lck_rw_t *lck_rw_alloc_init(lck_grp_t *grp, lck_attr_t *attr)
{
	lck_rw_t *l;

	(void)attr;
	if (grp == NULL)
		kpi_panic("lck_rw_alloc_init: NULL lock group");
	l = calloc(1, sizeof(*l));
	if (l != NULL)
		rw_init((struct kpi_rw *)(void *)l);
	return l;
}

void lck_rw_init(lck_rw_t *lck, lck_grp_t *grp, lck_attr_t *attr)
{
	(void)grp;
	(void)attr;
	if (lck == NULL)
		kpi_panic("lck_rw_init: NULL lock");
	rw_init((struct kpi_rw *)(void *)lck);
}

void lck_rw_destroy(lck_rw_t *lck, lck_grp_t *grp)
{
	struct kpi_rw *rw = RW(lck);
	int busy;

	(void)grp;
	pthread_mutex_lock(&rw->m);
	busy = rw->readers != 0 || rw->writer != 0 || rw->writers_waiting != 0;
	pthread_mutex_unlock(&rw->m);
	if (busy)
		kpi_panic("lck_rw_destroy: lock is held");
	pthread_cond_destroy(&rw->c);
	pthread_mutex_destroy(&rw->m);
	rw->magic = 0;
}

void lck_rw_free(lck_rw_t *lck, lck_grp_t *grp)
{
	if (lck == NULL)
		return;
	lck_rw_destroy(lck, grp);
	free(lck);
}

void lck_rw_lock_shared(lck_rw_t *lck)
{
	struct kpi_rw *rw = RW(lck);

	pthread_mutex_lock(&rw->m);
	if (rw->writer == kpi_self()) {
		pthread_mutex_unlock(&rw->m);
		kpi_panic("lck_rw_lock_shared: lock held exclusively by this thread");
	}
	while (rw->writer != 0 || rw->writers_waiting != 0 || rw->upgrading)
		pthread_cond_wait(&rw->c, &rw->m);
	rw->readers++;
	pthread_mutex_unlock(&rw->m);
}

void lck_rw_lock_exclusive(lck_rw_t *lck)
{
	struct kpi_rw *rw = RW(lck);

	pthread_mutex_lock(&rw->m);
	if (rw->writer == kpi_self()) {
		pthread_mutex_unlock(&rw->m);
		kpi_panic("lck_rw_lock_exclusive: lock already held by this thread");
	}
	rw->writers_waiting++;
	while (rw->writer != 0 || rw->readers != 0 || rw->upgrading)
		pthread_cond_wait(&rw->c, &rw->m);
	rw->writers_waiting--;
	rw->writer = kpi_self();
	pthread_mutex_unlock(&rw->m);
}

void lck_rw_unlock_shared(lck_rw_t *lck)
{
	struct kpi_rw *rw = RW(lck);

	pthread_mutex_lock(&rw->m);
	if (rw->readers == 0) {
		pthread_mutex_unlock(&rw->m);
		kpi_panic("lck_rw_unlock_shared: lock not held shared");
	}
	rw->readers--;
	pthread_cond_broadcast(&rw->c);
	pthread_mutex_unlock(&rw->m);
}

void lck_rw_unlock_exclusive(lck_rw_t *lck)
{
	struct kpi_rw *rw = RW(lck);

	pthread_mutex_lock(&rw->m);
	if (rw->writer != kpi_self()) {
		pthread_mutex_unlock(&rw->m);
		kpi_panic("lck_rw_unlock_exclusive: lock not held exclusively by this thread");
	}
	rw->writer = 0;
	pthread_cond_broadcast(&rw->c);
	pthread_mutex_unlock(&rw->m);
}

void lck_rw_lock(lck_rw_t *lck, lck_rw_type_t lck_rw_type)
{
	if (lck_rw_type == LCK_RW_TYPE_SHARED)
		lck_rw_lock_shared(lck);
	else if (lck_rw_type == LCK_RW_TYPE_EXCLUSIVE)
		lck_rw_lock_exclusive(lck);
	else
		kpi_panicf("lck_rw_lock: invalid type %u", lck_rw_type);
}

void lck_rw_unlock(lck_rw_t *lck, lck_rw_type_t lck_rw_type)
{
	if (lck_rw_type == LCK_RW_TYPE_SHARED)
		lck_rw_unlock_shared(lck);
	else if (lck_rw_type == LCK_RW_TYPE_EXCLUSIVE)
		lck_rw_unlock_exclusive(lck);
	else
		kpi_panicf("lck_rw_unlock: invalid type %u", lck_rw_type);
}

boolean_t lck_rw_try_lock(lck_rw_t *lck, lck_rw_type_t lck_rw_type)
{
	struct kpi_rw *rw = RW(lck);
	boolean_t got = FALSE;

	if (lck_rw_type != LCK_RW_TYPE_SHARED && lck_rw_type != LCK_RW_TYPE_EXCLUSIVE)
		kpi_panicf("lck_rw_try_lock: invalid type %u", lck_rw_type);
	pthread_mutex_lock(&rw->m);
	if (rw->writer == 0 && !rw->upgrading) {
		if (lck_rw_type == LCK_RW_TYPE_SHARED && rw->writers_waiting == 0) {
			rw->readers++;
			got = TRUE;
		} else if (lck_rw_type == LCK_RW_TYPE_EXCLUSIVE && rw->readers == 0) {
			rw->writer = kpi_self();
			got = TRUE;
		}
	}
	pthread_mutex_unlock(&rw->m);
	return got;
}

boolean_t lck_rw_lock_shared_to_exclusive(lck_rw_t *lck)
{
	struct kpi_rw *rw = RW(lck);

	pthread_mutex_lock(&rw->m);
	if (rw->readers == 0) {
		pthread_mutex_unlock(&rw->m);
		kpi_panic("lck_rw_lock_shared_to_exclusive: lock not held shared");
	}
	if (rw->upgrading) { /* another reader is first: ours goes, as on a Mac */
		rw->readers--;
		pthread_cond_broadcast(&rw->c);
		pthread_mutex_unlock(&rw->m);
		return FALSE;
	}
	rw->upgrading = 1;
	while (rw->readers > 1)
		pthread_cond_wait(&rw->c, &rw->m);
	rw->readers = 0;
	rw->upgrading = 0;
	rw->writer = kpi_self();
	pthread_mutex_unlock(&rw->m);
	return TRUE;
}

void lck_rw_lock_exclusive_to_shared(lck_rw_t *lck)
{
	struct kpi_rw *rw = RW(lck);

	pthread_mutex_lock(&rw->m);
	if (rw->writer != kpi_self()) {
		pthread_mutex_unlock(&rw->m);
		kpi_panic("lck_rw_lock_exclusive_to_shared: lock not held exclusively");
	}
	rw->writer = 0;
	rw->readers = 1;
	pthread_cond_broadcast(&rw->c);
	pthread_mutex_unlock(&rw->m);
}

/* The mode this thread holds the lock in (shared when not the writer). */
static lck_rw_type_t held_mode(struct kpi_rw *rw)
{
	lck_rw_type_t t;

	pthread_mutex_lock(&rw->m);
	t = rw->writer == kpi_self() ? LCK_RW_TYPE_EXCLUSIVE : LCK_RW_TYPE_SHARED;
	pthread_mutex_unlock(&rw->m);
	return t;
}

static wait_result_t rw_sleep(lck_rw_t *lck, lck_sleep_action_t action, event_t event,
			      uint64_t deadline)
{
	lck_rw_type_t held = held_mode(RW(lck)), back = held;
	struct kpi_waiter w;
	wait_result_t r;

	if ((action & ~(lck_sleep_action_t)LCK_SLEEP_MASK) != 0)
		kpi_panicf("lck_rw_sleep: invalid sleep action 0x%x", action);
	if (action & LCK_SLEEP_SHARED)
		back = LCK_RW_TYPE_SHARED;
	if (action & LCK_SLEEP_EXCLUSIVE)
		back = LCK_RW_TYPE_EXCLUSIVE;
	kpi_wait_prepare(&w, event);
	lck_rw_unlock(lck, held);
	r = kpi_wait_block(&w, deadline);
	if (!(action & LCK_SLEEP_UNLOCK))
		lck_rw_lock(lck, back);
	return r;
}

wait_result_t lck_rw_sleep(lck_rw_t *lck, lck_sleep_action_t lck_sleep_action,
			   event_t event, wait_interrupt_t interruptible)
{
	(void)interruptible;
	return rw_sleep(lck, lck_sleep_action, event, 0);
}

wait_result_t lck_rw_sleep_deadline(lck_rw_t *lck, lck_sleep_action_t lck_sleep_action,
				    event_t event, wait_interrupt_t interruptible,
				    uint64_t deadline)
{
	(void)interruptible;
	return rw_sleep(lck, lck_sleep_action, event, deadline);
}
