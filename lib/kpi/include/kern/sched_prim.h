/*
 * <kern/sched_prim.h> for kext code running in the simulated kernel (libkctl-kpi): the
 * Mach way to wait for an event (assert_wait, then thread_block) and to wake waiters.
 * A wakeup that comes between assert_wait and thread_block is not lost. Only
 * thread_block(THREAD_CONTINUE_NULL) is simulated: a continuation (a stack-less wait)
 * panics. Deadlines are absolute times of <kern/clock.h>.
 */
#ifndef KCTL_KPI_KERN_SCHED_PRIM_H
#define KCTL_KPI_KERN_SCHED_PRIM_H

#include <sys/_kpi_cdefs.h>
#include <mach/mach_types.h>
#include <kern/kern_types.h>

__BEGIN_DECLS

wait_result_t assert_wait(event_t event, wait_interrupt_t interruptible);
wait_result_t assert_wait_timeout(event_t event, wait_interrupt_t interruptible,
				  uint32_t interval, uint32_t scale_factor);
wait_result_t assert_wait_deadline(event_t event, wait_interrupt_t interruptible,
				   uint64_t deadline);
wait_result_t thread_block(thread_continue_t continuation);
/* KERN_SUCCESS, or KERN_NOT_WAITING when no thread waited on event. */
kern_return_t thread_wakeup_prim(event_t event, boolean_t one_thread, wait_result_t result);

#define thread_wakeup(x) thread_wakeup_prim((x), FALSE, THREAD_AWAKENED)
#define thread_wakeup_with_result(x, z) thread_wakeup_prim((x), FALSE, (z))
#define thread_wakeup_one(x) thread_wakeup_prim((x), TRUE, THREAD_AWAKENED)

__END_DECLS

#endif
