/*
 * <kern/locks.h> for kext code running in the simulated kernel (libkctl-kpi): lock
 * groups and attributes, mutexes, read-write locks and spin locks, with Apple's names,
 * signatures and semantics, and the sleep calls that drop a lock while waiting for an
 * event (wakeup() in <sys/proc.h>, thread_wakeup() in <kern/sched_prim.h>).
 *
 * Misuse that a DEBUG kernel catches panics here (see <kern/debug.h>): locking a mutex
 * or spin lock this thread already holds, unlocking one it does not hold, freeing a held
 * lock, unlocking a read-write lock in a mode it is not held in. A spin lock is a mutex
 * here (nothing spins), so holding one across a sleep is not caught.
 *
 * lck_rw_lock_shared_to_exclusive() keeps Apple's contract: TRUE when the caller now
 * holds the lock exclusively (it waits for other readers to leave), FALSE when another
 * reader is already upgrading, in which case the caller's shared hold is gone.
 *
 * The lock types are complete here (Apple's are opaque outside the kernel), so that
 * lck_mtx_init() and decl_lck_mtx_data() of kernel-private code have storage to use.
 */
#ifndef KCTL_KPI_KERN_LOCKS_H
#define KCTL_KPI_KERN_LOCKS_H

#include <stdint.h>

#include <sys/_kpi_cdefs.h>
#include <mach/mach_types.h>
#include <kern/kern_types.h>

__BEGIN_DECLS

typedef struct _lck_grp_attr_ lck_grp_attr_t;
typedef struct _lck_grp_ lck_grp_t;
typedef struct __lck_attr__ lck_attr_t;
typedef struct __lck_mtx_t__ lck_mtx_t;
typedef struct __lck_rw_t__ lck_rw_t;
typedef struct __lck_spin_t__ lck_spin_t;

/* Storage only: libkctl-kpi keeps a mutex and a condition variable in it. */
struct __lck_mtx_t__ {
	uint64_t opaque[16];
};
struct __lck_rw_t__ {
	uint64_t opaque[24];
};
struct __lck_spin_t__ {
	uint64_t opaque[16];
};

#define LCK_GRP_ATTR_NULL ((lck_grp_attr_t *)0)
#define LCK_GRP_NULL ((lck_grp_t *)0)
#define LCK_ATTR_NULL ((lck_attr_t *)0)
#define LCK_MTX_NULL ((lck_mtx_t *)0)

#define decl_lck_mtx_data(class, name) class lck_mtx_t name
#define decl_lck_rw_data(class, name) class lck_rw_t name
#define decl_lck_spin_data(class, name) class lck_spin_t name

typedef unsigned int lck_sleep_action_t;
#define LCK_SLEEP_DEFAULT 0x00   /* drop the lock while waiting, take it back after */
#define LCK_SLEEP_UNLOCK 0x01    /* drop the lock and return without it */
#define LCK_SLEEP_SHARED 0x02    /* take a read-write lock back shared */
#define LCK_SLEEP_EXCLUSIVE 0x04 /* take a read-write lock back exclusive */
#define LCK_SLEEP_SPIN 0x08
#define LCK_SLEEP_PROMOTED_PRI 0x10
#define LCK_SLEEP_SPIN_ALWAYS 0x20
#define LCK_SLEEP_MASK 0x3f

typedef unsigned int lck_rw_type_t;
#define LCK_RW_TYPE_SHARED 0x01
#define LCK_RW_TYPE_EXCLUSIVE 0x02

#define LCK_ASSERT_OWNED 1
#define LCK_ASSERT_NOTOWNED 2
#define LCK_MTX_ASSERT_OWNED LCK_ASSERT_OWNED
#define LCK_MTX_ASSERT_NOTOWNED LCK_ASSERT_NOTOWNED

lck_grp_attr_t *lck_grp_attr_alloc_init(void);
void lck_grp_attr_setdefault(lck_grp_attr_t *attr);
void lck_grp_attr_setstat(lck_grp_attr_t *attr);
void lck_grp_attr_free(lck_grp_attr_t *attr);
lck_grp_t *lck_grp_alloc_init(const char *grp_name, lck_grp_attr_t *attr);
void lck_grp_free(lck_grp_t *grp);

lck_attr_t *lck_attr_alloc_init(void);
void lck_attr_setdefault(lck_attr_t *attr);
void lck_attr_setdebug(lck_attr_t *attr);
void lck_attr_cleardebug(lck_attr_t *attr);
void lck_attr_free(lck_attr_t *attr);

lck_mtx_t *lck_mtx_alloc_init(lck_grp_t *grp, lck_attr_t *attr);
void lck_mtx_init(lck_mtx_t *lck, lck_grp_t *grp, lck_attr_t *attr);
void lck_mtx_lock(lck_mtx_t *lck);
boolean_t lck_mtx_try_lock(lck_mtx_t *lck);
void lck_mtx_unlock(lck_mtx_t *lck);
void lck_mtx_destroy(lck_mtx_t *lck, lck_grp_t *grp);
void lck_mtx_free(lck_mtx_t *lck, lck_grp_t *grp);
void lck_mtx_assert(lck_mtx_t *lck, unsigned int type);
wait_result_t lck_mtx_sleep(lck_mtx_t *lck, lck_sleep_action_t lck_sleep_action,
			    event_t event, wait_interrupt_t interruptible);
wait_result_t lck_mtx_sleep_deadline(lck_mtx_t *lck, lck_sleep_action_t lck_sleep_action,
				     event_t event, wait_interrupt_t interruptible,
				     uint64_t deadline);

lck_rw_t *lck_rw_alloc_init(lck_grp_t *grp, lck_attr_t *attr);
void lck_rw_init(lck_rw_t *lck, lck_grp_t *grp, lck_attr_t *attr);
void lck_rw_free(lck_rw_t *lck, lck_grp_t *grp);
void lck_rw_destroy(lck_rw_t *lck, lck_grp_t *grp);
void lck_rw_lock(lck_rw_t *lck, lck_rw_type_t lck_rw_type);
boolean_t lck_rw_try_lock(lck_rw_t *lck, lck_rw_type_t lck_rw_type);
void lck_rw_unlock(lck_rw_t *lck, lck_rw_type_t lck_rw_type);
void lck_rw_lock_shared(lck_rw_t *lck);
void lck_rw_unlock_shared(lck_rw_t *lck);
void lck_rw_lock_exclusive(lck_rw_t *lck);
void lck_rw_unlock_exclusive(lck_rw_t *lck);
boolean_t lck_rw_lock_shared_to_exclusive(lck_rw_t *lck);
void lck_rw_lock_exclusive_to_shared(lck_rw_t *lck);
wait_result_t lck_rw_sleep(lck_rw_t *lck, lck_sleep_action_t lck_sleep_action,
			   event_t event, wait_interrupt_t interruptible);
wait_result_t lck_rw_sleep_deadline(lck_rw_t *lck, lck_sleep_action_t lck_sleep_action,
				    event_t event, wait_interrupt_t interruptible,
				    uint64_t deadline);

lck_spin_t *lck_spin_alloc_init(lck_grp_t *grp, lck_attr_t *attr);
void lck_spin_init(lck_spin_t *lck, lck_grp_t *grp, lck_attr_t *attr);
void lck_spin_lock(lck_spin_t *lck);
void lck_spin_lock_grp(lck_spin_t *lck, lck_grp_t *grp);
boolean_t lck_spin_try_lock(lck_spin_t *lck);
void lck_spin_unlock(lck_spin_t *lck);
void lck_spin_destroy(lck_spin_t *lck, lck_grp_t *grp);
void lck_spin_free(lck_spin_t *lck, lck_grp_t *grp);
wait_result_t lck_spin_sleep(lck_spin_t *lck, lck_sleep_action_t lck_sleep_action,
			     event_t event, wait_interrupt_t interruptible);
wait_result_t lck_spin_sleep_deadline(lck_spin_t *lck, lck_sleep_action_t lck_sleep_action,
				      event_t event, wait_interrupt_t interruptible,
				      uint64_t deadline);

__END_DECLS

#endif
