/*
 * kpi_iolocks.c - IOKit's C locks (<IOKit/IOLocks.h>) on the lck_* locks: IOLock a
 * mutex, IORWLock a read-write lock, IOSimpleLock a spin lock, each with their checks.
 */
#include <stdlib.h>

#include <IOKit/IOLocks.h>
#include <kern/sched_prim.h>

#include "kpi_int.h"
#include "kpi_locks_int.h"

static struct _lck_grp_ io_lock_group = { "IOKit" };
lck_grp_t *IOLockGroup = &io_lock_group;

struct _IOLock {
	lck_mtx_t mtx;
};

struct _IORWLock {
	lck_rw_t rw;
};

struct _IOSimpleLock {
	lck_spin_t spin;
};

IOLock *IOLockAlloc(void)
{
	IOLock *l = calloc(1, sizeof(*l));

	if (l != NULL)
		lck_mtx_init(&l->mtx, IOLockGroup, LCK_ATTR_NULL);
	return l;
}

void IOLockFree(IOLock *lock)
{
	if (lock == NULL)
		return;
	lck_mtx_destroy(&lock->mtx, IOLockGroup);
	free(lock);
}

lck_mtx_t *IOLockGetMachLock(IOLock *lock)
{
	return &lock->mtx;
}

void IOLockLock(IOLock *lock)
{
	lck_mtx_lock(&lock->mtx);
}

boolean_t IOLockTryLock(IOLock *lock)
{
	return lck_mtx_try_lock(&lock->mtx);
}

void IOLockUnlock(IOLock *lock)
{
	lck_mtx_unlock(&lock->mtx);
}

int IOLockSleep(IOLock *lock, void *event, UInt32 interType)
{
	return lck_mtx_sleep(&lock->mtx, LCK_SLEEP_DEFAULT, event, (wait_interrupt_t)interType);
}

int IOLockSleepDeadline(IOLock *lock, void *event, AbsoluteTime deadline, UInt32 interType)
{
	return lck_mtx_sleep_deadline(&lock->mtx, LCK_SLEEP_DEFAULT, event,
				      (wait_interrupt_t)interType, deadline);
}

void IOLockWakeup(IOLock *lock, void *event, bool oneThread)
{
	(void)lock;
	(void)thread_wakeup_prim(event, oneThread ? TRUE : FALSE, THREAD_AWAKENED);
}

IORWLock *IORWLockAlloc(void)
{
	IORWLock *l = calloc(1, sizeof(*l));

	if (l != NULL)
		lck_rw_init(&l->rw, IOLockGroup, LCK_ATTR_NULL);
	return l;
}

void IORWLockFree(IORWLock *lock)
{
	if (lock == NULL)
		return;
	lck_rw_destroy(&lock->rw, IOLockGroup);
	free(lock);
}

lck_rw_t *IORWLockGetMachLock(IORWLock *lock)
{
	return &lock->rw;
}

void IORWLockRead(IORWLock *lock)
{
	lck_rw_lock_shared(&lock->rw);
}

void IORWLockWrite(IORWLock *lock)
{
	lck_rw_lock_exclusive(&lock->rw);
}

/* IOKit's unlock does not say the mode: the lock knows whether this thread writes. */
void IORWLockUnlock(IORWLock *lock)
{
	struct kpi_rw *rw = (struct kpi_rw *)(void *)&lock->rw;
	int writer;

	pthread_mutex_lock(&rw->m);
	writer = rw->writer == kpi_self();
	pthread_mutex_unlock(&rw->m);
	lck_rw_unlock(&lock->rw, writer ? LCK_RW_TYPE_EXCLUSIVE : LCK_RW_TYPE_SHARED);
}

IOSimpleLock *IOSimpleLockAlloc(void)
{
	IOSimpleLock *l = calloc(1, sizeof(*l));

	if (l != NULL)
		lck_spin_init(&l->spin, IOLockGroup, LCK_ATTR_NULL);
	return l;
}

void IOSimpleLockFree(IOSimpleLock *lock)
{
	if (lock == NULL)
		return;
	lck_spin_destroy(&lock->spin, IOLockGroup);
	free(lock);
}

lck_spin_t *IOSimpleLockGetMachLock(IOSimpleLock *lock)
{
	return &lock->spin;
}

void IOSimpleLockLock(IOSimpleLock *lock)
{
	lck_spin_lock(&lock->spin);
}

boolean_t IOSimpleLockTryLock(IOSimpleLock *lock)
{
	return lck_spin_try_lock(&lock->spin);
}

void IOSimpleLockUnlock(IOSimpleLock *lock)
{
	lck_spin_unlock(&lock->spin);
}
