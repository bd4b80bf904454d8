/*
 * kpi_thread_call.c - thread calls on one timer thread of the shim.
 *
 * Pending calls wait in a list sorted by deadline. The timer thread runs each callback
 * without the shim's lock, so a callback may enter, cancel or free any call, its own
 * included. A call freed while its callback runs is released by the timer thread when
 * the callback returns, which makes thread_call_free safe against a running callback
 * (the kext's own data is another matter: see sample_events.c for the stop dance).
 *
 * Each call belongs to the kext that allocated it and its callback runs as that kext,
 * in the kernel. When the kext unloads, its calls are taken back: a call still
 * scheduled then would fire into unloaded code on a Mac, so it is reported.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <kern/clock.h>
#include <kern/thread_call.h>

#include "kpi_int.h"

struct thread_call {
	struct thread_call *next; /* in the pending list */
	struct thread_call *all_next; /* every call not yet freed, under tc_lock */
	struct kctl_kpi_kext *owner;  /* the kext that allocated it, or NULL */
	thread_call_func_t func;
	thread_call_param_t param0;
	thread_call_param_t param1;
	uint64_t deadline;
	int pending;
	int running;
	int freed; /* freed while running: the timer thread releases it */
};

static pthread_mutex_t tc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tc_wake; /* CLOCK_MONOTONIC; set up with the thread */
static pthread_cond_t tc_idle = PTHREAD_COND_INITIALIZER;
static struct thread_call *tc_pending;
static struct thread_call *tc_all;
static pthread_t tc_thread;
static int tc_thread_up;
static int tc_stop;
static int tc_running;

static void pending_remove(thread_call_t call)
{
	struct thread_call **p = &tc_pending;

	while (*p != NULL && *p != call)
		p = &(*p)->next;
	if (*p == call)
		*p = call->next;
	call->next = NULL;
	call->pending = 0;
}

static void pending_insert(thread_call_t call)
{
	struct thread_call **p = &tc_pending;

	while (*p != NULL && (*p)->deadline <= call->deadline)
		p = &(*p)->next;
	call->next = *p;
	*p = call;
	call->pending = 1;
}

static struct timespec abs_to_timespec(uint64_t t)
{
	struct timespec ts = { (time_t)(t / 1000000000u), (long)(t % 1000000000u) };

	return ts;
}

/* Runs c's callback as its kext, in the kernel (lock not held). */
static void run(thread_call_t c)
{
	struct kpi_frame f;

	kpi_enter(&f, c->owner, 1);
	c->func(c->param0, c->param1);
	kpi_leave(&f);
}

/* Under tc_lock. */
static void all_remove(thread_call_t call)
{
	struct thread_call **p = &tc_all;

	while (*p != NULL && *p != call)
		p = &(*p)->all_next;
	if (*p == call)
		*p = call->all_next;
}

/* Runs the first call if its time has come; else waits for it or for news. */
static void timer_step(void)
{
	thread_call_t c = tc_pending;
	uint64_t now;

	if (c == NULL) {
		pthread_cond_wait(&tc_wake, &tc_lock);
		return;
	}
	clock_get_uptime(&now);
	if (c->deadline > now) {
		struct timespec ts = abs_to_timespec(c->deadline);

		pthread_cond_timedwait(&tc_wake, &tc_lock, &ts);
		return;
	}
	pending_remove(c);
	c->running = 1;
	tc_running++;
	pthread_mutex_unlock(&tc_lock);
	run(c);
	pthread_mutex_lock(&tc_lock);
	c->running = 0;
	tc_running--;
	if (c->freed)
		free(c);
	pthread_cond_broadcast(&tc_idle);
}

static void *timer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&tc_lock);
	while (!tc_stop)
		timer_step();
	pthread_mutex_unlock(&tc_lock);
	return NULL;
}

/* Under tc_lock. A failure to start the thread is a panic: the kext cannot cope. */
static void timer_ensure(void)
{
	pthread_condattr_t ca;

	if (tc_thread_up)
		return;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&tc_wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&tc_thread, NULL, timer_main, NULL) != 0) {
		/* tc_lock is held: no jumping out of here, even inside a start routine */
		kpi_log_line("panic(kernel): thread_call: cannot start the timer thread");
		abort();
	}
	tc_thread_up = 1;
}

thread_call_t thread_call_allocate(thread_call_func_t func, thread_call_param_t param0)
{
	thread_call_t c;

	if (func == NULL)
		kpi_panic("thread_call_allocate: NULL function");
	c = calloc(1, sizeof(*c));
	if (c != NULL) {
		c->func = func;
		c->param0 = param0;
		c->owner = kpi_current_kext();
		pthread_mutex_lock(&tc_lock);
		c->all_next = tc_all;
		tc_all = c;
		pthread_mutex_unlock(&tc_lock);
	}
	return c;
}

thread_call_t thread_call_allocate_with_priority(thread_call_func_t func,
						 thread_call_param_t param0,
						 thread_call_priority_t pri)
{
	(void)pri;
	return thread_call_allocate(func, param0);
}

static boolean_t enter(thread_call_t call, int set1, thread_call_param_t param1,
		       uint64_t deadline)
{
	boolean_t was;

	pthread_mutex_lock(&tc_lock);
	if (call->freed) {
		pthread_mutex_unlock(&tc_lock);
		kpi_panic("thread_call_enter: call already freed");
	}
	was = call->pending ? TRUE : FALSE;
	if (call->pending)
		pending_remove(call);
	if (set1)
		call->param1 = param1;
	call->deadline = deadline;
	pending_insert(call);
	timer_ensure();
	pthread_cond_signal(&tc_wake);
	pthread_mutex_unlock(&tc_lock);
	return was;
}

boolean_t thread_call_enter(thread_call_t call)
{
	return enter(call, 0, NULL, 0);
}

boolean_t thread_call_enter1(thread_call_t call, thread_call_param_t param1)
{
	return enter(call, 1, param1, 0);
}

boolean_t thread_call_enter_delayed(thread_call_t call, uint64_t deadline)
{
	return enter(call, 0, NULL, deadline);
}

boolean_t thread_call_enter1_delayed(thread_call_t call, thread_call_param_t param1,
				     uint64_t deadline)
{
	return enter(call, 1, param1, deadline);
}

boolean_t thread_call_cancel(thread_call_t call)
{
	boolean_t was;

	pthread_mutex_lock(&tc_lock);
	was = call->pending ? TRUE : FALSE;
	if (call->pending)
		pending_remove(call);
	pthread_mutex_unlock(&tc_lock);
	return was;
}

boolean_t thread_call_free(thread_call_t call)
{
	pthread_mutex_lock(&tc_lock);
	if (call->pending) {
		pthread_mutex_unlock(&tc_lock);
		return FALSE;
	}
	all_remove(call);
	if (call->running)
		call->freed = 1;
	else
		free(call);
	pthread_mutex_unlock(&tc_lock);
	return TRUE;
}

boolean_t thread_call_isactive(thread_call_t call)
{
	boolean_t active;

	pthread_mutex_lock(&tc_lock);
	active = call->pending || call->running ? TRUE : FALSE;
	pthread_mutex_unlock(&tc_lock);
	return active;
}

void kpi_thread_calls_quiesce(void)
{
	pthread_mutex_lock(&tc_lock);
	while (tc_running > 0)
		pthread_cond_wait(&tc_idle, &tc_lock);
	pthread_mutex_unlock(&tc_lock);
}

void kpi_thread_calls_shutdown(void)
{
	int up;

	pthread_mutex_lock(&tc_lock);
	while (tc_running > 0)
		pthread_cond_wait(&tc_idle, &tc_lock);
	if (tc_pending != NULL)
		kpi_log_line("kpi: a kext unloaded with thread calls still scheduled; "
			     "they will not run");
	while (tc_pending != NULL)
		pending_remove(tc_pending);
	up = tc_thread_up;
	tc_stop = 1;
	if (up)
		pthread_cond_signal(&tc_wake);
	pthread_mutex_unlock(&tc_lock);
	if (up) {
		pthread_join(tc_thread, NULL);
		pthread_cond_destroy(&tc_wake);
	}
	pthread_mutex_lock(&tc_lock);
	tc_thread_up = 0;
	tc_stop = 0;
	pthread_mutex_unlock(&tc_lock);
}

/* Under tc_lock: whether a callback of k is running. */
static int running_for(const struct kctl_kpi_kext *k)
{
	for (thread_call_t c = tc_all; c != NULL; c = c->all_next)
		if (c->owner == k && c->running)
			return 1;
	return 0;
}

unsigned kpi_thread_calls_reclaim(struct kctl_kpi_kext *k, unsigned *scheduled)
{
	struct thread_call **p;
	unsigned left = 0;

	*scheduled = 0;
	pthread_mutex_lock(&tc_lock);
	while (running_for(k))
		pthread_cond_wait(&tc_idle, &tc_lock);
	for (p = &tc_all; *p != NULL;) {
		thread_call_t c = *p;

		if (c->owner != k) {
			p = &c->all_next;
			continue;
		}
		*p = c->all_next;
		if (c->pending) {
			pending_remove(c);
			(*scheduled)++;
		}
		left++;
		free(c);
	}
	pthread_mutex_unlock(&tc_lock);
	return left;
}
