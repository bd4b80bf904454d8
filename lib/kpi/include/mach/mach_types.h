/*
 * <mach/mach_types.h> for kext code running in the simulated kernel (libkctl-kpi): the
 * Mach basics a kext meets (kern_return_t, boolean_t, the vm_ types, thread_t and
 * task_t) and, as Apple's header does, <mach/kmod.h>, so that the kmod_info source
 * Xcode or kextbundle generates compiles with this one include. Values from osfmk/mach.
 */
#ifndef KCTL_KPI_MACH_TYPES_H
#define KCTL_KPI_MACH_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <sys/_kpi_cdefs.h>
#include <mach/boolean.h>
#include <mach/clock_types.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>

struct task;
struct thread;
struct host;
typedef struct task *task_t;
typedef struct thread *thread_t;
typedef struct thread *thread_act_t;
typedef struct host *host_t;
typedef struct host *host_priv_t;

#define TASK_NULL ((task_t)0)
#define THREAD_NULL ((thread_t)0)
#define HOST_NULL ((host_t)0)

#include <mach/kmod.h>

#endif
