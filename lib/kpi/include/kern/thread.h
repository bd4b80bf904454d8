/*
 * <kern/thread.h> for kext code running in the simulated kernel (libkctl-kpi): kernel
 * threads, with Apple's semantics.
 *
 * kernel_thread_start() runs continuation(parameter, THREAD_AWAKENED) on a new thread and
 * hands back a reference the caller drops with thread_deallocate(). The thread ends when
 * the continuation returns or calls thread_terminate(current_thread()). Code on such a
 * thread, and on the thread-call thread, runs "in the kernel": proc_selfpid() is 0
 * there, as for kernel_task. A kext must end its threads before its stop routine
 * returns; one still running at unload is reported (kctl_kpi_unload() -ENOTEMPTY) and
 * its module is kept mapped so that the thread does not run into unmapped code.
 */
#ifndef KCTL_KPI_KERN_THREAD_H
#define KCTL_KPI_KERN_THREAD_H

#include <sys/_kpi_cdefs.h>
#include <mach/mach_types.h>
#include <kern/kern_types.h>

__BEGIN_DECLS

thread_t current_thread(void);
uint64_t thread_tid(thread_t thread);
void thread_reference(thread_t thread);
void thread_deallocate(thread_t thread);
kern_return_t kernel_thread_start(thread_continue_t continuation, void *parameter,
				  thread_t *new_thread);
/* Only for the calling kernel thread (current_thread()); KERN_FAILURE otherwise. */
kern_return_t thread_terminate(thread_act_t target_act);

__END_DECLS

#endif
