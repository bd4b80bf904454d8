/*
 * kpi_mutex.c - the mutex behind lck_mtx_t and lck_spin_t (kpi_locks_int.h).
 *
 * The kernel's lock misuse that a DEBUG kernel catches panics here: locking a lock this
 * thread holds, unlocking one it does not hold, destroying one that is held or was never
 * initialised. A lock initialised in place (lck_mtx_init) lives in the kext's storage.
 */
#include <errno.h>

#include "kpi_int.h"
#include "kpi_locks_int.h"
#include "kpi_wait.h"

static _Thread_local char tl_self;

uintptr_t kpi_self(void)
{
	return (uintptr_t)&tl_self;
}

static void check(const struct kpi_mtx *l, const char *what)
{
	if (l == NULL)
		kpi_panicf("%s: NULL lock", what);
	if (l->magic != KPI_LOCK_MAGIC)
		kpi_panicf("%s: lock not initialised (or destroyed)", what);
}

void kpi_mtx_init(struct kpi_mtx *l, const char *what)
{
	pthread_mutexattr_t ma;

	if (l == NULL)
		kpi_panicf("%s: NULL lock", what);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	if (pthread_mutex_init(&l->m, &ma) != 0)
		kpi_panicf("%s: cannot initialise the mutex", what);
	pthread_mutexattr_destroy(&ma);
	atomic_store(&l->owner, 0);
	l->magic = KPI_LOCK_MAGIC;
}

void kpi_mtx_destroy(struct kpi_mtx *l, const char *what)
{
	check(l, what);
	if (atomic_load(&l->owner) != 0)
		kpi_panicf("%s: lock is held", what);
	pthread_mutex_destroy(&l->m);
	l->magic = 0;
}

void kpi_mtx_lock(struct kpi_mtx *l, const char *what)
{
	check(l, what);
	if (atomic_load(&l->owner) == kpi_self())
		kpi_panicf("%s: lock already held by this thread", what);
	if (pthread_mutex_lock(&l->m) != 0)
		kpi_panicf("%s: cannot lock", what);
	atomic_store(&l->owner, kpi_self());
}

int kpi_mtx_try_lock(struct kpi_mtx *l, const char *what)
{
	int rc;

	check(l, what);
	rc = pthread_mutex_trylock(&l->m);
	if (rc != 0 && rc != EBUSY)
		kpi_panicf("%s: bad lock", what);
	if (rc == 0)
		atomic_store(&l->owner, kpi_self());
	return rc == 0;
}

void kpi_mtx_unlock(struct kpi_mtx *l, const char *what)
{
	check(l, what);
	if (atomic_load(&l->owner) != kpi_self())
		kpi_panicf("%s: lock not held by this thread", what);
	atomic_store(&l->owner, 0);
	if (pthread_mutex_unlock(&l->m) != 0)
		kpi_panicf("%s: cannot unlock", what);
}

wait_result_t kpi_mtx_sleep(struct kpi_mtx *l, lck_sleep_action_t action, event_t event,
			    uint64_t deadline, const char *what)
{
	struct kpi_waiter w;
	wait_result_t r;

	if ((action & ~(lck_sleep_action_t)LCK_SLEEP_MASK) != 0)
		kpi_panicf("%s: invalid sleep action 0x%x", what, action);
	kpi_wait_prepare(&w, event);
	kpi_mtx_unlock(l, what);
	r = kpi_wait_block(&w, deadline);
	if (!(action & LCK_SLEEP_UNLOCK))
		kpi_mtx_lock(l, what);
	return r;
}
