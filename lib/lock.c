/* lock.c - the contended halves of the handle's lock (lock.h). */
#include <errno.h>
#include <sched.h>

#include "lock.h"

/* Tries before a contender sleeps: the lock is held for a few hundred instructions. */
#define KCTL_LOCK_SPINS 100

int kctl_lock_init(struct kctl_lock *l)
{
	atomic_init(&l->state, 0);
	l->sleepers = 0;
	if (pthread_mutex_init(&l->park, NULL) != 0)
		return -ENOMEM;
	if (pthread_cond_init(&l->parked, NULL) != 0)
		goto no_parked;
	if (pthread_mutex_init(&l->sleep, NULL) != 0)
		goto no_sleep;
	if (pthread_cond_init(&l->woken, NULL) != 0)
		goto no_woken;
	return 0;
no_woken:
	pthread_mutex_destroy(&l->sleep);
no_sleep:
	pthread_cond_destroy(&l->parked);
no_parked:
	pthread_mutex_destroy(&l->park);
	return -ENOMEM;
}

void kctl_lock_destroy(struct kctl_lock *l)
{
	pthread_cond_destroy(&l->woken);
	pthread_mutex_destroy(&l->sleep);
	pthread_cond_destroy(&l->parked);
	pthread_mutex_destroy(&l->park);
}

void kctl_lock_slow(struct kctl_lock *l)
{
	for (int i = 0; i < KCTL_LOCK_SPINS; i++) {
		unsigned free_state = 0;

		if (atomic_load_explicit(&l->state, memory_order_relaxed) == 0 &&
		    atomic_compare_exchange_weak_explicit(&l->state, &free_state, 1,
							  memory_order_acquire,
							  memory_order_relaxed))
			return;
		sched_yield();
	}
	/*
	 * State 2 says "someone may sleep": the holder's unlock then signals. Set under
	 * park, so the holder's signal (taken under park too) cannot come between this
	 * exchange and the wait.
	 */
	pthread_mutex_lock(&l->park);
	while (atomic_exchange_explicit(&l->state, 2, memory_order_acquire) != 0)
		pthread_cond_wait(&l->parked, &l->park);
	pthread_mutex_unlock(&l->park);
}

void kctl_unlock_slow(struct kctl_lock *l)
{
	pthread_mutex_lock(&l->park);
	pthread_cond_signal(&l->parked);
	pthread_mutex_unlock(&l->park);
}

int kctl_lock_wait(struct kctl_lock *l, const struct timespec *until)
{
	int rc;

	l->sleepers++;
	pthread_mutex_lock(&l->sleep);
	kctl_unlock(l);
	rc = pthread_cond_timedwait(&l->woken, &l->sleep, until);
	pthread_mutex_unlock(&l->sleep);
	kctl_lock(l);
	l->sleepers--;
	return rc;
}

void kctl_lock_wake_slow(struct kctl_lock *l)
{
	pthread_mutex_lock(&l->sleep);
	pthread_cond_broadcast(&l->woken);
	pthread_mutex_unlock(&l->sleep);
}
