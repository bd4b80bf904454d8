/* forgetful_stop.c - a kext whose stop routine returns success without deregistering
 * its control (on a Mac, the next client to connect panics the kernel). */
#include <mach/mach_types.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/systm.h>

#include "misbehave.h"

kern_return_t forgetful_start(kmod_info_t *ki, void *d);
kern_return_t forgetful_stop(kmod_info_t *ki, void *d);

static kern_ctl_ref g_ref;

static errno_t fg_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(ref, sac, unitinfo)
	return 0;
}

static errno_t fg_send(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m, int flags)
{
#pragma unused(unitinfo, flags)
	errno_t err = ctl_enqueuembuf(ref, unit, m, CTL_DATA_EOR);

	if (err != 0)
		mbuf_freem(m);
	return err;
}

kern_return_t forgetful_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	struct kern_ctl_reg reg;

	bzero(&reg, sizeof(reg));
	strlcpy(reg.ctl_name, MISBEHAVE_CTL_NAME, sizeof(reg.ctl_name));
	reg.ctl_connect = fg_connect;
	reg.ctl_send = fg_send;
	return ctl_register(&reg, &g_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}

kern_return_t forgetful_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	printf("forgetful_stop: done (forgot the control)\n");
	return KERN_SUCCESS;
}
