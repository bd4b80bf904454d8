/*
 * batch_kext.c - a kernel-private kern_control, as Apple's own controls and kexts built
 * with the private headers use it: CTL_FLAG_REG_EXTENDED for rcvd (a client read) and
 * send_list (a sendmsg_x batch in one call), CTL_FLAG_REG_SETUP for a setup callback
 * that numbers units itself, and bind (which xnu honours without any flag). Replies to a
 * batch go back in one ctl_enqueuembuf_list. Built with -DBATCH_NO_FLAGS the same code
 * registers without the two flags, and a Mac then ignores rcvd, send_list and setup.
 */
#define KERNEL_PRIVATE 1
#define PRIVATE 1

#include <mach/mach_types.h>
#include <libkern/OSAtomic.h>
#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/systm.h>

#include "batch_kext.h"

kern_return_t Batch_start(kmod_info_t *ki, void *d);
kern_return_t Batch_stop(kmod_info_t *ki, void *d);

static kern_ctl_ref g_ref;
static volatile SInt32 g_next_unit = BATCH_FIRST_UNIT;
static struct batch_stats g_stats;

#define BOUND_MARK ((void *)0x1)

static void count(volatile unsigned int *n)
{
	OSIncrementAtomic((volatile SInt32 *)n);
}

static errno_t batch_setup(u_int32_t *unit, void **unitinfo)
{
#pragma unused(unitinfo)
	count(&g_stats.setup_calls);
	if (*unit == BATCH_BUSY_UNIT)
		return EADDRINUSE;
	if (*unit == 0)
		*unit = (u_int32_t)OSIncrementAtomic(&g_next_unit);
	return 0;
}

static errno_t batch_bind(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(ref, sac)
	count(&g_stats.bind_calls);
	*unitinfo = BOUND_MARK;
	return 0;
}

static errno_t batch_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(ref, sac)
	count(&g_stats.connect_calls);
	if (*unitinfo == BOUND_MARK)
		count(&g_stats.bound_connects);
	return 0;
}

static errno_t batch_disconnect(kern_ctl_ref ref, u_int32_t unit, void *unitinfo)
{
#pragma unused(ref, unit, unitinfo)
	return 0;
}

/* A reply packet holding text. */
static mbuf_t reply(const char *text)
{
	size_t len = strlen(text);
	mbuf_t m = NULL;

	if (mbuf_allocpacket(MBUF_WAITOK, len, NULL, &m) != 0)
		return NULL;
	if (mbuf_copyback(m, 0, len, text, MBUF_WAITOK) != 0) {
		mbuf_freem(m);
		return NULL;
	}
	return m;
}

static errno_t batch_send(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m,
			  int flags)
{
#pragma unused(unitinfo, flags)
	char text[32];
	mbuf_t r;
	errno_t err;

	count(&g_stats.send_calls);
	snprintf(text, sizeof(text), "one:%zu", mbuf_pkthdr_len(m));
	mbuf_freem(m);
	r = reply(text);
	if (r == NULL)
		return ENOMEM;
	err = ctl_enqueuembuf(ref, unit, r, CTL_DATA_EOR);
	if (err != 0)
		mbuf_freem(r);
	return err;
}

static errno_t batch_send_list(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m,
			       int flags)
{
#pragma unused(unitinfo, flags)
	mbuf_t p, replies = NULL, last = NULL, remain = NULL;
	unsigned int n = 0, i = 0;
	char text[32];
	errno_t err;

	count(&g_stats.send_list_calls);
	for (p = m; p != NULL; p = mbuf_nextpkt(p))
		n++;
	for (p = m; p != NULL; p = mbuf_nextpkt(p)) {
		mbuf_t r;

		snprintf(text, sizeof(text), "list:%u/%u", ++i, n);
		r = reply(text);
		if (r == NULL)
			break;
		if (last != NULL)
			mbuf_setnextpkt(last, r);
		else
			replies = r;
		last = r;
	}
	OSAddAtomic((SInt32)n, (volatile SInt32 *)&g_stats.list_packets);
	mbuf_freem_list(m);
	err = ctl_enqueuembuf_list(ref, unit, replies, 0, &remain);
	if (remain != NULL)
		mbuf_freem_list(remain);
	return err;
}

static void batch_rcvd(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int flags)
{
#pragma unused(ref, unit, unitinfo, flags)
	count(&g_stats.rcvd_calls);
}

static errno_t batch_getopt(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int opt,
			    void *data, size_t *len)
{
#pragma unused(ref, unit, unitinfo)
	if (opt != BATCH_OPT_STATS)
		return ENOPROTOOPT;
	if (*len < sizeof(g_stats))
		return EINVAL;
	bcopy(&g_stats, data, sizeof(g_stats));
	*len = sizeof(g_stats);
	return 0;
}

kern_return_t Batch_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	struct kern_ctl_reg reg;

	bzero(&reg, sizeof(reg));
	strlcpy(reg.ctl_name, BATCH_CTL_NAME, sizeof(reg.ctl_name));
#ifndef BATCH_NO_FLAGS
	reg.ctl_flags = CTL_FLAG_REG_EXTENDED | CTL_FLAG_REG_SETUP;
#endif
	reg.ctl_connect = batch_connect;
	reg.ctl_disconnect = batch_disconnect;
	reg.ctl_send = batch_send;
	reg.ctl_getopt = batch_getopt;
	reg.ctl_rcvd = batch_rcvd;
	reg.ctl_send_list = batch_send_list;
	reg.ctl_bind = batch_bind;
	reg.ctl_setup = batch_setup;
	return ctl_register(&reg, &g_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}

kern_return_t Batch_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	return ctl_deregister(g_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}
