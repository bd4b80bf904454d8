/* <mach/thread_act.h> for kext code (libkctl-kpi): of Mach's thread calls, what a kext
 * uses on its own kernel threads (see <kern/thread.h>). */
#ifndef KCTL_KPI_MACH_THREAD_ACT_H
#define KCTL_KPI_MACH_THREAD_ACT_H
#include <kern/thread.h>
#endif
