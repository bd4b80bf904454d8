/*
 * kpi_wait.h - waiting for an event, the kernel's way (not installed): a waiter is
 * registered first, then the caller drops whatever lock it holds, then it blocks, so a
 * wakeup between the two is not lost. Only wakeups of the waiter's own event end its
 * wait (no spurious wakeups), or its deadline.
 */
#ifndef KCTL_KPI_WAIT_H
#define KCTL_KPI_WAIT_H

#include <pthread.h>
#include <stdint.h>

#include <kern/kern_types.h>

struct kpi_waiter {
	struct kpi_waiter *next;
	event_t event;
	int woken;
	wait_result_t result;
	pthread_cond_t cond;
};

/* Registers w as waiting for event. */
void kpi_wait_prepare(struct kpi_waiter *w, event_t event);
/* Blocks until w is woken (its wakeup's result) or the absolute deadline passes
 * (THREAD_TIMED_OUT; 0 is no deadline). w is unregistered when it returns. */
wait_result_t kpi_wait_block(struct kpi_waiter *w, uint64_t deadline);
/* A relative timeout in nanoseconds as an absolute deadline. */
uint64_t kpi_wait_deadline_in(uint64_t nanoseconds);

#endif
