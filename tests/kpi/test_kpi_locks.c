/*
 * Locks and sleeps with Apple's semantics: read-write locks (shared readers, a waiting
 * writer, the upgrade rule, downgrade), mutexes and their checks, sleeping on an event
 * with a lock dropped (lck_mtx_sleep, msleep, assert_wait/thread_block, IOLockSleep):
 * woken only by a wakeup of that event, or the deadline; misuse panics.
 */
#include <kern/clock.h>
#include <kern/locks.h>
#include <kern/sched_prim.h>
#include <sys/proc.h>
#include <IOKit/IOLocks.h>

#include "kpi_static.h"

static lck_grp_t *grp;

static int setup(void **state)
{
	if (static_setup(state) != 0)
		return -1;
	grp = lck_grp_alloc_init("test", LCK_GRP_ATTR_NULL);
	return grp != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	lck_grp_free(grp);
	return static_teardown(state);
}

static uint64_t ms_from_now(unsigned ms)
{
	uint64_t d;

	clock_interval_to_deadline(ms, 1000000, &d);
	return d;
}

static void pause_ms(unsigned ms)
{
	struct timespec ts = { 0, (long)ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- read-write locks ---- */

static void readers_share_and_a_writer_excludes(void **state)
{
	lck_rw_t *rw = lck_rw_alloc_init(grp, LCK_ATTR_NULL);

	(void)state;
	lck_rw_lock_shared(rw);
	assert_true(lck_rw_try_lock(rw, LCK_RW_TYPE_SHARED));
	assert_false(lck_rw_try_lock(rw, LCK_RW_TYPE_EXCLUSIVE));
	lck_rw_unlock(rw, LCK_RW_TYPE_SHARED);
	lck_rw_unlock_shared(rw);
	lck_rw_lock(rw, LCK_RW_TYPE_EXCLUSIVE);
	assert_false(lck_rw_try_lock(rw, LCK_RW_TYPE_SHARED));
	lck_rw_unlock_exclusive(rw);
	lck_rw_free(rw, grp);
}

struct upgrader {
	lck_rw_t *rw;
	boolean_t result;
	int done;
};

static void *upgrade_main(void *arg)
{
	struct upgrader *u = arg;

	u->result = lck_rw_lock_shared_to_exclusive(u->rw);
	__atomic_store_n(&u->done, 1, __ATOMIC_SEQ_CST);
	if (u->result)
		lck_rw_unlock_exclusive(u->rw);
	return NULL;
}

/* The first upgrader waits for the other readers; a second one fails and loses its
 * shared hold, which lets the first through: Apple's rule. */
static void the_second_upgrader_fails_and_lets_the_first_through(void **state)
{
	lck_rw_t *rw = lck_rw_alloc_init(grp, LCK_ATTR_NULL);
	struct upgrader u = { rw, FALSE, 0 };
	pthread_t t;

	(void)state;
	lck_rw_lock_shared(rw); /* the test thread's hold */
	lck_rw_lock_shared(rw); /* the upgrader's (taken for it) */
	assert_int_equal(pthread_create(&t, NULL, upgrade_main, &u), 0);
	/* a pending upgrade keeps new readers out: that is how we see it waiting */
	while (lck_rw_try_lock(rw, LCK_RW_TYPE_SHARED)) {
		lck_rw_unlock_shared(rw);
		pause_ms(1);
	}
	assert_int_equal(__atomic_load_n(&u.done, __ATOMIC_SEQ_CST), 0); /* waits for us */
	assert_false(lck_rw_lock_shared_to_exclusive(rw)); /* we are second: dropped */
	pthread_join(t, NULL);
	assert_true(u.result);
	/* nothing is held any more */
	assert_true(lck_rw_try_lock(rw, LCK_RW_TYPE_EXCLUSIVE));
	lck_rw_unlock_exclusive(rw);
	lck_rw_free(rw, grp);
}

static void a_downgrade_keeps_the_lock(void **state)
{
	lck_rw_t *rw = lck_rw_alloc_init(grp, LCK_ATTR_NULL);

	(void)state;
	lck_rw_lock_exclusive(rw);
	lck_rw_lock_exclusive_to_shared(rw);
	assert_false(lck_rw_try_lock(rw, LCK_RW_TYPE_EXCLUSIVE));
	assert_true(lck_rw_try_lock(rw, LCK_RW_TYPE_SHARED));
	lck_rw_unlock_shared(rw);
	lck_rw_unlock_shared(rw);
	lck_rw_free(rw, grp);
}

/* ---- mutexes and spin locks ---- */

static void mutexes_in_the_kexts_own_storage_work(void **state)
{
	static decl_lck_mtx_data(, mtx);
	static decl_lck_spin_data(, spin);

	(void)state;
	lck_mtx_init(&mtx, grp, LCK_ATTR_NULL);
	lck_mtx_lock(&mtx);
	lck_mtx_assert(&mtx, LCK_MTX_ASSERT_OWNED);
	assert_false(lck_mtx_try_lock(&mtx));
	lck_mtx_unlock(&mtx);
	lck_mtx_assert(&mtx, LCK_MTX_ASSERT_NOTOWNED);
	lck_mtx_destroy(&mtx, grp);
	lck_spin_init(&spin, grp, LCK_ATTR_NULL);
	assert_true(lck_spin_try_lock(&spin));
	lck_spin_unlock(&spin);
	lck_spin_lock(&spin);
	lck_spin_unlock(&spin);
	lck_spin_destroy(&spin, grp);
}

enum misuse { DOUBLE_LOCK, UNLOCK_NOT_HELD, ASSERT_OWNED, RW_UNLOCK_NOT_HELD, FREE_HELD };

static void misuse(void *arg)
{
	struct kpi *k = kpi_new();
	kctl_kpi_kext_t *x = NULL;
	lck_grp_t *g;
	lck_mtx_t *m;
	lck_rw_t *rw;

	kctl_kpi_set_log(NULL, NULL);
	if (k == NULL || kctl_kpi_load(k->sim, &kmod_info, &x) != 0)
		_exit(2);
	g = lck_grp_alloc_init("misuse", LCK_GRP_ATTR_NULL);
	m = lck_mtx_alloc_init(g, LCK_ATTR_NULL);
	rw = lck_rw_alloc_init(g, LCK_ATTR_NULL);
	switch (*(enum misuse *)arg) {
	case DOUBLE_LOCK:
		lck_mtx_lock(m);
		lck_mtx_lock(m);
		break;
	case UNLOCK_NOT_HELD:
		lck_mtx_unlock(m);
		break;
	case ASSERT_OWNED:
		lck_mtx_assert(m, LCK_MTX_ASSERT_OWNED);
		break;
	case RW_UNLOCK_NOT_HELD:
		lck_rw_unlock_exclusive(rw);
		break;
	case FREE_HELD:
		lck_mtx_lock(m);
		lck_mtx_free(m, g);
		break;
	}
	_exit(3);
}

static void lock_misuse_panics_as_a_debug_kernel_does(void **state)
{
	static const struct {
		enum misuse what;
		const char *message;
	} cases[] = {
		{ DOUBLE_LOCK, "lck_mtx_lock: lock already held by this thread" },
		{ UNLOCK_NOT_HELD, "lck_mtx_unlock: lock not held by this thread" },
		{ ASSERT_OWNED, "lck_mtx_assert: mutex not owned by this thread" },
		{ RW_UNLOCK_NOT_HELD, "lck_rw_unlock_exclusive: lock not held exclusively" },
		{ FREE_HELD, "lck_mtx_free: lock is held" },
	};
	char out[4096];
	int code = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum misuse what = cases[i].what;

		assert_int_equal(kpi_in_child(misuse, &what, out, sizeof(out), &code), SIGABRT);
		if (strstr(out, cases[i].message) == NULL)
			fail_msg("case %zu: \"%s\" not in: %s", i, cases[i].message, out);
	}
}

/* ---- sleeping on an event ---- */

struct sleeper {
	lck_mtx_t *mtx;
	int *event;
	uint64_t deadline;
	wait_result_t result;
	int held_after;
	int started;
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;

	lck_mtx_lock(s->mtx);
	__atomic_store_n(&s->started, 1, __ATOMIC_SEQ_CST);
	s->result = lck_mtx_sleep_deadline(s->mtx, LCK_SLEEP_DEFAULT, s->event, THREAD_UNINT,
					   s->deadline);
	s->held_after = !lck_mtx_try_lock(s->mtx); /* held by us: try fails */
	lck_mtx_unlock(s->mtx);
	return NULL;
}

static void a_sleep_ends_with_its_wakeup_holding_the_lock_again(void **state)
{
	lck_mtx_t *mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL);
	static int event, other;
	struct sleeper s = { mtx, &event, 0, -1, 0, 0 };
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, sleeper_main, &s), 0);
	while (!__atomic_load_n(&s.started, __ATOMIC_SEQ_CST))
		pause_ms(1);
	lck_mtx_lock(mtx); /* the sleeper has dropped it */
	lck_mtx_unlock(mtx);
	/* another event wakes nobody */
	assert_int_equal(thread_wakeup(&other), KERN_NOT_WAITING);
	assert_int_equal(thread_wakeup(&event), KERN_SUCCESS);
	pthread_join(t, NULL);
	assert_int_equal(s.result, THREAD_AWAKENED);
	assert_true(s.held_after);
	lck_mtx_free(mtx, grp);
}

static void a_sleep_times_out_at_its_deadline(void **state)
{
	lck_mtx_t *mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL);
	static int event;
	int ts = 0;
	struct timespec rel = { 0, 30 * 1000 * 1000 };

	(void)state;
	lck_mtx_lock(mtx);
	assert_int_equal(lck_mtx_sleep_deadline(mtx, LCK_SLEEP_DEFAULT, &event, THREAD_UNINT,
						ms_from_now(30)), THREAD_TIMED_OUT);
	lck_mtx_assert(mtx, LCK_MTX_ASSERT_OWNED);
	/* msleep: EWOULDBLOCK at the timeout; PDROP returns without the mutex */
	assert_int_equal(msleep(&ts, mtx, PZERO, "test", &rel), EWOULDBLOCK);
	lck_mtx_assert(mtx, LCK_MTX_ASSERT_OWNED);
	assert_int_equal(msleep(&ts, mtx, PZERO | PDROP, "test", &rel), EWOULDBLOCK);
	lck_mtx_assert(mtx, LCK_MTX_ASSERT_NOTOWNED);
	lck_mtx_lock(mtx);
	assert_int_equal(lck_mtx_sleep_deadline(mtx, LCK_SLEEP_UNLOCK, &event, THREAD_UNINT,
						ms_from_now(5)), THREAD_TIMED_OUT);
	lck_mtx_assert(mtx, LCK_MTX_ASSERT_NOTOWNED);
	lck_mtx_free(mtx, grp);
}

static int wake_one_event;
static int woken_count;

static void *msleeper_main(void *arg)
{
	lck_mtx_t *mtx = arg;

	lck_mtx_lock(mtx);
	(void)msleep(&wake_one_event, mtx, PZERO, "one", NULL);
	woken_count++;
	lck_mtx_unlock(mtx);
	return NULL;
}

static void wakeup_one_wakes_exactly_one(void **state)
{
	lck_mtx_t *mtx = lck_mtx_alloc_init(grp, LCK_ATTR_NULL);
	pthread_t a, b;
	int n;

	(void)state;
	woken_count = 0;
	assert_int_equal(pthread_create(&a, NULL, msleeper_main, mtx), 0);
	assert_int_equal(pthread_create(&b, NULL, msleeper_main, mtx), 0);
	/* both asleep: a wakeup_one until one reports, then make sure only one did */
	while (thread_wakeup_one(&wake_one_event) == KERN_NOT_WAITING)
		pause_ms(1);
	pause_ms(30);
	lck_mtx_lock(mtx);
	n = woken_count;
	lck_mtx_unlock(mtx);
	assert_int_equal(n, 1);
	while (thread_wakeup_one(&wake_one_event) == KERN_NOT_WAITING)
		pause_ms(1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert_int_equal(woken_count, 2);
	lck_mtx_free(mtx, grp);
}

static void a_wakeup_between_assert_wait_and_thread_block_is_kept(void **state)
{
	static int event;

	(void)state;
	assert_int_equal(assert_wait(&event, THREAD_UNINT), THREAD_WAITING);
	assert_int_equal(thread_wakeup(&event), KERN_SUCCESS);
	assert_int_equal(thread_block(THREAD_CONTINUE_NULL), THREAD_AWAKENED);
	assert_int_equal(assert_wait_timeout(&event, THREAD_UNINT, 10, 1000000), THREAD_WAITING);
	assert_int_equal(thread_block(THREAD_CONTINUE_NULL), THREAD_TIMED_OUT);
}

static void iolock_sleeps_and_wakes_like_lck_mtx(void **state)
{
	IOLock *l = IOLockAlloc();
	IORWLock *rw = IORWLockAlloc();
	IOSimpleLock *sl = IOSimpleLockAlloc();
	static int event;

	(void)state;
	assert_non_null(l);
	IOLockLock(l);
	assert_false(IOLockTryLock(l));
	assert_int_equal(IOLockSleepDeadline(l, &event, ms_from_now(10), THREAD_UNINT),
			 THREAD_TIMED_OUT);
	lck_mtx_assert(IOLockGetMachLock(l), LCK_MTX_ASSERT_OWNED);
	IOLockUnlock(l);
	IOLockWakeup(l, &event, true); /* nobody waits: nothing happens */
	IOLockFree(l);
	IORWLockRead(rw);
	IORWLockUnlock(rw);
	IORWLockWrite(rw);
	assert_false(lck_rw_try_lock(IORWLockGetMachLock(rw), LCK_RW_TYPE_SHARED));
	IORWLockUnlock(rw);
	IORWLockFree(rw);
	assert_true(IOSimpleLockTryLock(sl));
	IOSimpleLockUnlock(sl);
	IOSimpleLockFree(sl);
	assert_non_null(IOLockGroup);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(readers_share_and_a_writer_excludes),
		T(the_second_upgrader_fails_and_lets_the_first_through),
		T(a_downgrade_keeps_the_lock),
		T(mutexes_in_the_kexts_own_storage_work),
		cmocka_unit_test(lock_misuse_panics_as_a_debug_kernel_does),
		T(a_sleep_ends_with_its_wakeup_holding_the_lock_again),
		T(a_sleep_times_out_at_its_deadline),
		T(wakeup_one_wakes_exactly_one),
		T(a_wakeup_between_assert_wait_and_thread_block_is_kept),
		T(iolock_sleeps_and_wakes_like_lck_mtx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
