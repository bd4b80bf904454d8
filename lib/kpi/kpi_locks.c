/*
 * kpi_locks.c - lck_grp_*, lck_attr_*, lck_mtx_* on pthread mutexes, and msleep/wakeup.
 *
 * Mutexes are error-checking so that the two classic kext bugs, locking a mutex twice on
 * one thread and unlocking one not held, panic here instead of deadlocking a test.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kern/locks.h>
#include <sys/proc.h>
#include <libkern/libkern.h>

#include "kpi_int.h"

struct _lck_grp_attr_ {
	int unused;
};

struct _lck_attr_ {
	int unused;
};

struct _lck_grp_ {
	char name[64];
};

struct _lck_mtx_ {
	pthread_mutex_t m; /* error-checking: misuse is reported, not undefined */
};

lck_grp_attr_t *lck_grp_attr_alloc_init(void)
{
	return calloc(1, sizeof(lck_grp_attr_t));
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

void lck_attr_free(lck_attr_t *attr)
{
	free(attr);
}

lck_mtx_t *lck_mtx_alloc_init(lck_grp_t *grp, lck_attr_t *attr)
{
	pthread_mutexattr_t ma;
	lck_mtx_t *l;

	(void)attr;
	if (grp == NULL)
		kpi_panic("lck_mtx_alloc_init: NULL lock group");
	l = calloc(1, sizeof(*l));
	if (l == NULL || pthread_mutexattr_init(&ma) != 0) {
		free(l);
		return NULL;
	}
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	if (pthread_mutex_init(&l->m, &ma) != 0) {
		free(l);
		l = NULL;
	}
	pthread_mutexattr_destroy(&ma);
	return l;
}

void lck_mtx_free(lck_mtx_t *lck, lck_grp_t *grp)
{
	(void)grp;
	if (lck == NULL)
		return;
	if (pthread_mutex_trylock(&lck->m) != 0)
		kpi_panic("lck_mtx_free: mutex is held");
	pthread_mutex_unlock(&lck->m);
	pthread_mutex_destroy(&lck->m);
	free(lck);
}

void lck_mtx_lock(lck_mtx_t *lck)
{
	if (pthread_mutex_lock(&lck->m) != 0)
		kpi_panic("lck_mtx_lock: mutex already held by this thread");
}

boolean_t lck_mtx_try_lock(lck_mtx_t *lck)
{
	int rc = pthread_mutex_trylock(&lck->m);

	if (rc != 0 && rc != EBUSY)
		kpi_panic("lck_mtx_try_lock: bad mutex");
	return rc == 0 ? TRUE : FALSE;
}

void lck_mtx_unlock(lck_mtx_t *lck)
{
	if (pthread_mutex_unlock(&lck->m) != 0)
		kpi_panic("lck_mtx_unlock: mutex not held by this thread");
}

/*
 * Sleep channels: one process-wide condition variable and a generation counter bumped
 * by every wakeup. Sleepers on other channels wake up too and go back to their loop,
 * which msleep's callers have anyway (a wakeup never promises the condition holds).
 * The counter is read before the kext's mutex is dropped, so no wakeup is lost.
 */
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleep_cond = PTHREAD_COND_INITIALIZER;
static uint64_t sleep_gen;

static int sleep_until(uint64_t gen, const struct timespec *ts)
{
	struct timespec end;
	int rc = 0;

	if (ts != NULL) {
		clock_gettime(CLOCK_REALTIME, &end);
		end.tv_sec += ts->tv_sec + (end.tv_nsec + ts->tv_nsec) / 1000000000L;
		end.tv_nsec = (end.tv_nsec + ts->tv_nsec) % 1000000000L;
	}
	while (sleep_gen == gen && rc == 0) {
		if (ts == NULL)
			pthread_cond_wait(&sleep_cond, &sleep_lock);
		else if (pthread_cond_timedwait(&sleep_cond, &sleep_lock, &end) == ETIMEDOUT)
			rc = EWOULDBLOCK;
	}
	return rc;
}

int msleep(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, struct timespec *ts)
{
	uint64_t gen;
	int rc;

	(void)chan;
	(void)pri;
	(void)wmesg;
	pthread_mutex_lock(&sleep_lock);
	gen = sleep_gen;
	if (mtx != NULL)
		lck_mtx_unlock(mtx);
	rc = sleep_until(gen, ts);
	pthread_mutex_unlock(&sleep_lock);
	if (mtx != NULL)
		lck_mtx_lock(mtx);
	return rc;
}

void wakeup(void *chan)
{
	(void)chan;
	pthread_mutex_lock(&sleep_lock);
	sleep_gen++;
	pthread_cond_broadcast(&sleep_cond);
	pthread_mutex_unlock(&sleep_lock);
}
