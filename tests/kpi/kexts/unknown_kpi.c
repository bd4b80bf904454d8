/* unknown_kpi.c - a kext calling a kernel function that is in no family the simulator
 * leaves out, but that it does not provide either: refused at load time, named. */
#include <mach/mach_types.h>

kern_return_t unknown_start(kmod_info_t *ki, void *d);
kern_return_t unknown_stop(kmod_info_t *ki, void *d);

extern void bsd_timeout_not_simulated(void);

kern_return_t unknown_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	bsd_timeout_not_simulated();
	return KERN_SUCCESS;
}

kern_return_t unknown_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	return KERN_SUCCESS;
}
