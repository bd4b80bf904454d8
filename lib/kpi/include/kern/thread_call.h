/*
 * <kern/thread_call.h> for kext code running in the simulated kernel (libkctl-kpi):
 * thread calls run on the shim's timer thread, one at a time, with Apple's semantics:
 * enter on a pending call reschedules it and returns TRUE; cancel returns FALSE once
 * the callback has started; free returns FALSE (and does nothing) while the call is
 * pending, and a call freed while its callback runs is released when it returns.
 * Deadlines are absolute times in nanoseconds of CLOCK_MONOTONIC (<kern/clock.h>).
 */
#ifndef KCTL_KPI_KERN_THREAD_CALL_H
#define KCTL_KPI_KERN_THREAD_CALL_H

#include <mach/mach_types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct thread_call *thread_call_t;
typedef void *thread_call_param_t;
typedef void (*thread_call_func_t)(thread_call_param_t param0, thread_call_param_t param1);

typedef enum {
	THREAD_CALL_PRIORITY_HIGH = 0,
	THREAD_CALL_PRIORITY_KERNEL = 1,
	THREAD_CALL_PRIORITY_USER = 2,
	THREAD_CALL_PRIORITY_LOW = 3,
	THREAD_CALL_PRIORITY_KERNEL_HIGH = 4
} thread_call_priority_t;

boolean_t thread_call_enter(thread_call_t call);
boolean_t thread_call_enter1(thread_call_t call, thread_call_param_t param1);
boolean_t thread_call_enter_delayed(thread_call_t call, uint64_t deadline);
boolean_t thread_call_enter1_delayed(thread_call_t call, thread_call_param_t param1,
				     uint64_t deadline);
boolean_t thread_call_cancel(thread_call_t call);
thread_call_t thread_call_allocate(thread_call_func_t func, thread_call_param_t param0);
thread_call_t thread_call_allocate_with_priority(thread_call_func_t func,
						 thread_call_param_t param0,
						 thread_call_priority_t pri);
boolean_t thread_call_free(thread_call_t call);
boolean_t thread_call_isactive(thread_call_t call);

#ifdef __cplusplus
}
#endif

#endif
