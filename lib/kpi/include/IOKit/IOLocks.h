/*
 * <IOKit/IOLocks.h> for kext code running in the simulated kernel (libkctl-kpi): the C
 * locks of IOKit on the lck_* locks of <kern/locks.h> (IOLock a mutex, IORWLock a
 * read-write lock, IOSimpleLock a spin lock), with their checks. IOLockSleep and
 * IOLockSleepDeadline drop the lock while waiting for an event (deadline: absolute time
 * of <kern/clock.h>) and return THREAD_AWAKENED or THREAD_TIMED_OUT; IOLockWakeup wakes
 * one or every thread sleeping on the event.
 */
#ifndef KCTL_KPI_IOKIT_IOLOCKS_H
#define KCTL_KPI_IOKIT_IOLOCKS_H

#include <stdbool.h>

#include <sys/_kpi_cdefs.h>
#include <IOKit/IOTypes.h>
#include <libkern/locks.h>

__BEGIN_DECLS

extern lck_grp_t *IOLockGroup;

typedef struct _IOLock IOLock;
IOLock *IOLockAlloc(void);
void IOLockFree(IOLock *lock);
lck_mtx_t *IOLockGetMachLock(IOLock *lock);
void IOLockLock(IOLock *lock);
boolean_t IOLockTryLock(IOLock *lock);
void IOLockUnlock(IOLock *lock);
int IOLockSleep(IOLock *lock, void *event, UInt32 interType);
int IOLockSleepDeadline(IOLock *lock, void *event, AbsoluteTime deadline, UInt32 interType);
void IOLockWakeup(IOLock *lock, void *event, bool oneThread);

typedef struct _IORWLock IORWLock;
IORWLock *IORWLockAlloc(void);
void IORWLockFree(IORWLock *lock);
lck_rw_t *IORWLockGetMachLock(IORWLock *lock);
void IORWLockRead(IORWLock *lock);
void IORWLockWrite(IORWLock *lock);
void IORWLockUnlock(IORWLock *lock);

typedef struct _IOSimpleLock IOSimpleLock;
IOSimpleLock *IOSimpleLockAlloc(void);
void IOSimpleLockFree(IOSimpleLock *lock);
lck_spin_t *IOSimpleLockGetMachLock(IOSimpleLock *lock);
void IOSimpleLockLock(IOSimpleLock *lock);
boolean_t IOSimpleLockTryLock(IOSimpleLock *lock);
void IOSimpleLockUnlock(IOSimpleLock *lock);

__END_DECLS

#endif
