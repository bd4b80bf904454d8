/*
 * kpi_wait.c - events: assert_wait/thread_block, thread_wakeup_prim, and the waits the
 * lock sleeps, msleep and IOLockSleep are built on (kpi_wait.h).
 *
 * Waiters sit in one list under one lock, each with a condition variable of its own, so
 * a wakeup signals exactly the threads waiting for that event. Deadlines are absolute
 * times of <kern/clock.h> (CLOCK_MONOTONIC nanoseconds), which is the clock the
 * condition variables wait on.
 */
#include <errno.h>
#include <time.h>

#include <kern/clock.h>
#include <kern/sched_prim.h>

#include "kpi_int.h"
#include "kpi_wait.h"

static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kpi_waiter *waiters;

/* The wait assert_wait() sets up for thread_block(), per thread. */
static _Thread_local struct kpi_waiter tl_waiter;
static _Thread_local int tl_asserted;
static _Thread_local uint64_t tl_deadline;

void kpi_wait_prepare(struct kpi_waiter *w, event_t event)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	w->event = event;
	w->woken = 0;
	w->result = THREAD_WAITING;
	pthread_mutex_lock(&wait_lock);
	w->next = waiters;
	waiters = w;
	pthread_mutex_unlock(&wait_lock);
}

/* Under wait_lock. */
static void unlink_waiter(struct kpi_waiter *w)
{
	struct kpi_waiter **p = &waiters;

	while (*p != NULL && *p != w)
		p = &(*p)->next;
	if (*p == w)
		*p = w->next;
}

wait_result_t kpi_wait_block(struct kpi_waiter *w, uint64_t deadline)
{
	struct timespec ts = { (time_t)(deadline / 1000000000u), (long)(deadline % 1000000000u) };
	wait_result_t r;

	pthread_mutex_lock(&wait_lock);
	while (!w->woken) {
		if (deadline == 0) {
			pthread_cond_wait(&w->cond, &wait_lock);
		} else if (pthread_cond_timedwait(&w->cond, &wait_lock, &ts) == ETIMEDOUT &&
			   !w->woken) {
			w->result = THREAD_TIMED_OUT;
			break;
		}
	}
	unlink_waiter(w);
	r = w->result;
	pthread_mutex_unlock(&wait_lock);
	pthread_cond_destroy(&w->cond);
	return r;
}

uint64_t kpi_wait_deadline_in(uint64_t nanoseconds)
{
	uint64_t now;

	clock_get_uptime(&now);
	return now + nanoseconds;
}

int kpi_wait_deadline_passed(uint64_t deadline)
{
	uint64_t now;

	clock_get_uptime(&now);
	return deadline != 0 && now >= deadline;
}

kern_return_t thread_wakeup_prim(event_t event, boolean_t one_thread, wait_result_t result)
{
	kern_return_t kr = KERN_NOT_WAITING;

	pthread_mutex_lock(&wait_lock);
	for (struct kpi_waiter *w = waiters; w != NULL; w = w->next) {
		if (w->event != event || w->woken)
			continue;
		w->woken = 1;
		w->result = result;
		pthread_cond_signal(&w->cond);
		kr = KERN_SUCCESS;
		if (one_thread)
			break;
	}
	pthread_mutex_unlock(&wait_lock);
	return kr;
}

wait_result_t assert_wait_deadline(event_t event, wait_interrupt_t interruptible,
				   uint64_t deadline)
{
	(void)interruptible; /* nothing interrupts a wait here: no signals, no aborts */
	if (event == NO_EVENT)
		kpi_panic("assert_wait: NO_EVENT");
	if (tl_asserted) { /* a second assert replaces the first */
		pthread_mutex_lock(&wait_lock);
		unlink_waiter(&tl_waiter);
		pthread_mutex_unlock(&wait_lock);
		pthread_cond_destroy(&tl_waiter.cond);
	}
	kpi_wait_prepare(&tl_waiter, event);
	tl_asserted = 1;
	tl_deadline = deadline;
	return THREAD_WAITING;
}

wait_result_t assert_wait(event_t event, wait_interrupt_t interruptible)
{
	return assert_wait_deadline(event, interruptible, 0);
}

wait_result_t assert_wait_timeout(event_t event, wait_interrupt_t interruptible,
				  uint32_t interval, uint32_t scale_factor)
{
	return assert_wait_deadline(event, interruptible,
				    kpi_wait_deadline_in((uint64_t)interval * scale_factor));
}

wait_result_t thread_block(thread_continue_t continuation)
{
	if (continuation != THREAD_CONTINUE_NULL)
		kpi_panic("thread_block with a continuation is not simulated");
	if (!tl_asserted)
		return THREAD_AWAKENED; /* nothing to wait for: a mere reschedule */
	tl_asserted = 0;
	return kpi_wait_block(&tl_waiter, tl_deadline);
}
