/*
 * <kern/kern_types.h> for kext code (libkctl-kpi): wait events and results, the
 * continuation type of kernel threads. Apple's names and values.
 */
#ifndef KCTL_KPI_KERN_KERN_TYPES_H
#define KCTL_KPI_KERN_KERN_TYPES_H

#include <stdint.h>

typedef void *event_t;
#define NO_EVENT ((event_t)0)
typedef uint64_t event64_t;
#define NO_EVENT64 ((event64_t)0)
#define CAST_EVENT64_T(a_ptr) ((event64_t)((uintptr_t)(a_ptr)))

typedef int wait_result_t;
#define THREAD_WAITING -1     /* thread is waiting */
#define THREAD_AWAKENED 0     /* normal wakeup */
#define THREAD_TIMED_OUT 1    /* timeout expired */
#define THREAD_INTERRUPTED 2  /* aborted/interrupted */
#define THREAD_RESTART 3      /* restart operation entirely */
#define THREAD_NOT_WAITING 10 /* thread didn't need to wait */

typedef void (*thread_continue_t)(void *parameter, wait_result_t result);
#define THREAD_CONTINUE_NULL ((thread_continue_t)0)

typedef int wait_interrupt_t;
#define THREAD_UNINT 0x00000000
#define THREAD_INTERRUPTIBLE 0x00000001
#define THREAD_ABORTSAFE 0x00000002

#endif
