/*
 * kpi_locks_int.h - the layout libkctl-kpi keeps inside the storage of lck_mtx_t,
 * lck_spin_t and lck_rw_t (not installed), and the operations the sleeps share.
 */
#ifndef KCTL_KPI_LOCKS_INT_H
#define KCTL_KPI_LOCKS_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <kern/locks.h>

/* A mutex (lck_mtx_t and lck_spin_t): error-checking, so that locking it twice on one
 * thread or unlocking it from another is reported instead of undefined. */
struct kpi_mtx {
	pthread_mutex_t m;
	atomic_uintptr_t owner; /* kpi_self() of the holder, or 0 */
	uint32_t magic;
};

/* A read-write lock with Apple's upgrade rule (see <kern/locks.h>). */
struct kpi_rw {
	pthread_mutex_t m;
	pthread_cond_t c;
	unsigned readers;
	unsigned writers_waiting;
	uintptr_t writer; /* kpi_self() of the holder, or 0 */
	int upgrading;    /* a reader waits to become the writer */
	uint32_t magic;
};

/* A lock group: only its name, for messages. */
struct _lck_grp_ {
	char name[64];
};

#define KPI_LOCK_MAGIC 0x6c636b21u /* "lck!": set by init, cleared by destroy */

_Static_assert(sizeof(struct kpi_mtx) <= sizeof(lck_mtx_t), "lck_mtx_t holds a kpi_mtx");
_Static_assert(sizeof(struct kpi_mtx) <= sizeof(lck_spin_t), "lck_spin_t holds a kpi_mtx");
_Static_assert(sizeof(struct kpi_rw) <= sizeof(lck_rw_t), "lck_rw_t holds a kpi_rw");

/* An identity of the calling thread (never 0). */
uintptr_t kpi_self(void);

void kpi_mtx_init(struct kpi_mtx *l, const char *what);
void kpi_mtx_destroy(struct kpi_mtx *l, const char *what);
void kpi_mtx_lock(struct kpi_mtx *l, const char *what);
int kpi_mtx_try_lock(struct kpi_mtx *l, const char *what);
void kpi_mtx_unlock(struct kpi_mtx *l, const char *what);
/* Waits for event with l dropped; takes it back unless LCK_SLEEP_UNLOCK. */
wait_result_t kpi_mtx_sleep(struct kpi_mtx *l, lck_sleep_action_t action, event_t event,
			    uint64_t deadline, const char *what);

#endif
