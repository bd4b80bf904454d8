/*
 * kpi_context.c - whose code a thread is running: the kext (for attributing what it
 * allocates and registers) and whether it runs as the kernel (for proc_selfpid()).
 * Thread-local, so that callbacks of different kexts on different threads never mix.
 */
#include <stddef.h>

#include "kpi_int.h"

static _Thread_local struct kctl_kpi_kext *tl_kext;
static _Thread_local int tl_kernel;

void kpi_enter(struct kpi_frame *saved, struct kctl_kpi_kext *kext, int kernel)
{
	saved->kext = tl_kext;
	saved->kernel = tl_kernel;
	saved->catcher = kpi_catch_current();
	tl_kext = kext;
	tl_kernel = kernel;
	/* a panic in a callback must not jump into a loader frame further up */
	kpi_catch_set(NULL);
}

void kpi_leave(const struct kpi_frame *saved)
{
	tl_kext = saved->kext;
	tl_kernel = saved->kernel;
	kpi_catch_set(saved->catcher);
}

struct kctl_kpi_kext *kpi_current_kext(void)
{
	return tl_kext;
}

int kpi_in_kernel_context(void)
{
	return tl_kernel;
}
