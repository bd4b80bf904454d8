/* leaky.c - a kext that loses track of mbufs (it keeps two from its start routine and
 * never frees what its send callback gets) and of a thread call it left scheduled, but
 * deregisters its control properly. */
#include <mach/mach_types.h>
#include <kern/clock.h>
#include <kern/thread_call.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/systm.h>

#include "misbehave.h"

kern_return_t leaky_start(kmod_info_t *ki, void *d);
kern_return_t leaky_stop(kmod_info_t *ki, void *d);

static kern_ctl_ref g_ref;
static mbuf_t g_kept[LEAKY_HELD_AT_START];
static thread_call_t g_call;

static void never(thread_call_param_t p0, thread_call_param_t p1)
{
#pragma unused(p0, p1)
	printf("leaky: the forgotten thread call ran\n");
}

static errno_t lk_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(ref, sac, unitinfo)
	return 0;
}

static errno_t lk_send(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m, int flags)
{
#pragma unused(ref, unit, unitinfo, flags, m)
	return 0; /* the mbuf is ours now, and we forget it */
}

kern_return_t leaky_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	struct kern_ctl_reg reg;
	uint64_t deadline;
	int i;

	for (i = 0; i < LEAKY_HELD_AT_START; i++)
		if (mbuf_gethdr(MBUF_WAITOK, MBUF_TYPE_DATA, &g_kept[i]) != 0)
			return KERN_FAILURE;
	bzero(&reg, sizeof(reg));
	strlcpy(reg.ctl_name, MISBEHAVE_CTL_NAME, sizeof(reg.ctl_name));
	reg.ctl_connect = lk_connect;
	reg.ctl_send = lk_send;
	if (ctl_register(&reg, &g_ref) != 0)
		return KERN_FAILURE;
	g_call = thread_call_allocate(never, NULL);
	clock_interval_to_deadline(3600, NSEC_PER_SEC, &deadline); /* in an hour */
	thread_call_enter_delayed(g_call, deadline);
	return KERN_SUCCESS;
}

kern_return_t leaky_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	return ctl_deregister(g_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}
