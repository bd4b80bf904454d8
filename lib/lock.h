/*
 * lock.h - the handle's lock: a word that an uncontended lock and unlock each change
 * with one atomic instruction, and a mutex and condition variable where contenders
 * sleep (internal).
 *
 * Every framed call takes the handle's lock at least once, and a burst of frames takes
 * it once per frame, so its cost is the library's floor: a pthread mutex pair costs
 * some 50 instructions through libc, this one a handful inline. Contention falls back
 * to pthread: a thread that finds the lock held spins briefly, then sleeps on the
 * mutex's condition variable until the holder, seeing it waits (state 2), wakes it.
 * Waiting for a condition of the handle (kctl_lock_wait) releases the lock and sleeps
 * on a second condition variable, so that no wake-up is lost: the waiter takes the
 * sleeping mutex before it lets the lock go, and a waker takes the lock, then the
 * sleeping mutex, so it can only signal once the waiter sleeps.
 */
#ifndef KCTL_LOCK_H
#define KCTL_LOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

struct kctl_lock {
	atomic_uint state;     /* 0 free, 1 held, 2 held and someone may sleep on it */
	pthread_mutex_t park;  /* contenders of the lock sleep here ... */
	pthread_cond_t parked; /* ... until the holder lets go */
	pthread_mutex_t sleep; /* threads in kctl_lock_wait sleep here ... */
	pthread_cond_t woken;  /* ... until kctl_lock_wake */
	unsigned sleepers;     /* threads in kctl_lock_wait (under the lock) */
};

/* 0, or -ENOMEM. */
int kctl_lock_init(struct kctl_lock *l);
void kctl_lock_destroy(struct kctl_lock *l);

/* The contended halves (lock.c). */
void kctl_lock_slow(struct kctl_lock *l);
void kctl_unlock_slow(struct kctl_lock *l);

static inline void kctl_lock(struct kctl_lock *l)
{
	unsigned free_state = 0;

	if (!atomic_compare_exchange_strong_explicit(&l->state, &free_state, 1,
						     memory_order_acquire,
						     memory_order_relaxed))
		kctl_lock_slow(l);
}

static inline void kctl_unlock(struct kctl_lock *l)
{
	if (atomic_exchange_explicit(&l->state, 0, memory_order_release) == 2)
		kctl_unlock_slow(l);
}

/*
 * Releases the lock, sleeps until kctl_lock_wake() or the realtime deadline `until`,
 * and takes the lock again. pthread_cond_timedwait's result: 0 or ETIMEDOUT (or its
 * error). Call with the lock held.
 */
int kctl_lock_wait(struct kctl_lock *l, const struct timespec *until);

/* Wakes every thread in kctl_lock_wait (call with the lock held): none, no cost. */
void kctl_lock_wake_slow(struct kctl_lock *l);
static inline void kctl_lock_wake(struct kctl_lock *l)
{
	if (l->sleepers)
		kctl_lock_wake_slow(l);
}

#endif /* KCTL_LOCK_H */
