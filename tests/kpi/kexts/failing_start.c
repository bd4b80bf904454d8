/* failing_start.c - a kext whose start routine registers its control, then fails for
 * another reason and returns without deregistering it: the classic unwinding bug. */
#include <mach/mach_types.h>
#include <sys/kern_control.h>
#include <sys/systm.h>

#include "misbehave.h"

kern_return_t failing_start(kmod_info_t *ki, void *d);
kern_return_t failing_stop(kmod_info_t *ki, void *d);

static kern_ctl_ref g_ref;

static errno_t f_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(ref, sac, unitinfo)
	return 0;
}

kern_return_t failing_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	struct kern_ctl_reg reg;

	bzero(&reg, sizeof(reg));
	strlcpy(reg.ctl_name, MISBEHAVE_CTL_NAME, sizeof(reg.ctl_name));
	reg.ctl_connect = f_connect;
	if (ctl_register(&reg, &g_ref) != 0)
		return KERN_FAILURE;
	printf("failing_start: registered, now failing\n");
	return KERN_NO_SPACE; /* "out of resources", and the control stays behind */
}

kern_return_t failing_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	return KERN_SUCCESS;
}
