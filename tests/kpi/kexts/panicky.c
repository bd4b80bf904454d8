/* panicky.c - a kext that panics: in its start routine (-DPANIC_IN_START), in its stop
 * routine (-DPANIC_IN_STOP) or in its send callback (-DPANIC_IN_SEND). */
#include <mach/mach_types.h>
#include <kern/debug.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/systm.h>

#include "misbehave.h"

kern_return_t panicky_start(kmod_info_t *ki, void *d);
kern_return_t panicky_stop(kmod_info_t *ki, void *d);

static kern_ctl_ref g_ref;

static errno_t pk_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(ref, sac, unitinfo)
	return 0;
}

static errno_t pk_send(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m, int flags)
{
#pragma unused(ref, unitinfo, flags)
#ifdef PANIC_IN_SEND
	panic("panicky: %zu bytes on unit %u is more than I can take", mbuf_pkthdr_len(m), unit);
#else
#pragma unused(unit)
	mbuf_freem(m);
	return 0;
#endif
}

kern_return_t panicky_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	struct kern_ctl_reg reg;

	bzero(&reg, sizeof(reg));
	strlcpy(reg.ctl_name, MISBEHAVE_CTL_NAME, sizeof(reg.ctl_name));
	reg.ctl_connect = pk_connect;
	reg.ctl_send = pk_send;
	if (ctl_register(&reg, &g_ref) != 0)
		return KERN_FAILURE;
#ifdef PANIC_IN_START
	panic("panicky: start cannot go on (%d)", 42);
#endif
	return KERN_SUCCESS;
}

kern_return_t panicky_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
#ifdef PANIC_IN_STOP
	panic("panicky: stop went wrong");
#endif
	return ctl_deregister(g_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}
