//
//  EchoKext.c
//  EchoKext
//
//  A kern_control kext in the shape Xcode's "Generic Kernel Extension" template gives
//  (MODULE_START/MODULE_STOP entry points, IOLog), grown the way people grow one: a
//  DGRAM control that echoes what a client sends with an optional prefix, a statistics
//  option, os_log for the unusual cases. Written for libkctl's tests; public KPI only.
//

#include <mach/mach_types.h>
#include <libkern/libkern.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/proc.h>
#include <kern/locks.h>
#include <IOKit/IOLib.h>
#include <os/log.h>

#include "echo_kext.h"

kern_return_t EchoKext_start(kmod_info_t * ki, void *d);
kern_return_t EchoKext_stop(kmod_info_t *ki, void *d);

static kern_ctl_ref gCtlRef = NULL;
static lck_grp_t *gLockGroup = NULL;
static lck_mtx_t *gLock = NULL;
static struct echo_stats gStats;
static char gPrefix[ECHO_PREFIX_MAX + 1];
static size_t gPrefixLen;

__private_extern__ void echo_count_bytes(size_t n);

#pragma mark - Helpers

__private_extern__ void echo_count_bytes(size_t n)
{
	lck_mtx_lock(gLock);
	gStats.packets++;
	gStats.bytes += n;
	lck_mtx_unlock(gLock);
}

/* The reply: the prefix, then the packet, in a fresh mbuf chain. */
static errno_t echo_reply(kern_ctl_ref ref, u_int32_t unit, mbuf_t m)
{
	size_t len = mbuf_pkthdr_len(m), total;
	mbuf_t reply = NULL;
	char buf[ECHO_MAX_PACKET + ECHO_PREFIX_MAX];
	errno_t err;

	if (len > ECHO_MAX_PACKET)
		return EMSGSIZE;
	lck_mtx_lock(gLock);
	bcopy(gPrefix, buf, gPrefixLen);
	total = gPrefixLen;
	lck_mtx_unlock(gLock);
	err = mbuf_copydata(m, 0, len, buf + total);
	if (err != 0)
		return err;
	total += len;
	err = mbuf_allocpacket(MBUF_WAITOK, total, NULL, &reply);
	if (err != 0)
		return err;
	err = mbuf_copyback(reply, 0, total, buf, MBUF_WAITOK);
	if (err == 0)
		err = ctl_enqueuembuf(ref, unit, reply, CTL_DATA_EOR);
	if (err != 0)
		mbuf_freem(reply);	/* ctl_enqueuembuf leaves it to us when it fails */
	return err;
}

#pragma mark - kern_control callbacks

static errno_t EchoKext_connect(kern_ctl_ref kctlref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(kctlref, unitinfo)
	char name[32] = "?";

	proc_name(proc_selfpid(), name, sizeof(name));
	IOLog("EchoKext: unit %u connected by %s (pid %d)\n", sac->sc_unit, name,
	      proc_selfpid());
	lck_mtx_lock(gLock);
	gStats.clients++;
	lck_mtx_unlock(gLock);
	return 0;
}

static errno_t EchoKext_disconnect(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo)
{
#pragma unused(kctlref, unitinfo)
	os_log(OS_LOG_DEFAULT, "EchoKext: unit %{public}u disconnected", unit);
	lck_mtx_lock(gLock);
	gStats.clients--;
	lck_mtx_unlock(gLock);
	return 0;
}

static errno_t EchoKext_send(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, mbuf_t m,
			     int flags)
{
#pragma unused(unitinfo, flags)
	errno_t err;

	echo_count_bytes(mbuf_pkthdr_len(m));
	err = echo_reply(kctlref, unit, m);
	if (err != 0)
		os_log_error(OS_LOG_DEFAULT, "EchoKext: no echo for unit %u: error %d", unit, err);
	mbuf_freem(m);
	return err;
}

static errno_t EchoKext_setopt(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, int opt,
			       void *data, size_t len)
{
#pragma unused(kctlref, unit, unitinfo)
	switch (opt) {
	case ECHO_OPT_PREFIX:
		if (len > ECHO_PREFIX_MAX)
			return EINVAL;
		lck_mtx_lock(gLock);
		if (len > 0)
			bcopy(data, gPrefix, len);
		gPrefixLen = len;
		lck_mtx_unlock(gLock);
		return 0;
	default:
		return ENOTSUP;
	}
}

static errno_t EchoKext_getopt(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, int opt,
			       void *data, size_t *len)
{
#pragma unused(kctlref, unit, unitinfo)
	switch (opt) {
	case ECHO_OPT_STATS:
		if (data == NULL) {
			*len = sizeof(gStats);
			return 0;
		}
		if (*len < sizeof(gStats))
			return EINVAL;
		lck_mtx_lock(gLock);
		bcopy(&gStats, data, sizeof(gStats));
		lck_mtx_unlock(gLock);
		*len = sizeof(gStats);
		return 0;
	default:
		return ENOTSUP;
	}
}

static struct kern_ctl_reg gCtlReg = {
	ECHO_CTL_NAME,		/* use a reverse dns name */
	0,			/* set to 0 for dynamically assigned control ID */
	0,			/* ctl_unit - ignored when CTL_FLAG_REG_ID_UNIT not set */
	0,			/* no privileges needed, datagram control */
	0,			/* use default send size buffer */
	0,			/* use default receive size buffer */
	EchoKext_connect,
	EchoKext_disconnect,
	EchoKext_send,
	EchoKext_setopt,
	EchoKext_getopt
};

#pragma mark - Start and stop

kern_return_t EchoKext_start(kmod_info_t * ki, void *d)
{
#pragma unused(d)
	errno_t err;

	IOLog("EchoKext: %s %s starting\n", ki->name, ki->version);
	gLockGroup = lck_grp_alloc_init("EchoKext", LCK_GRP_ATTR_NULL);
	gLock = lck_mtx_alloc_init(gLockGroup, LCK_ATTR_NULL);
	if (gLock == NULL)
		goto fail;
	err = ctl_register(&gCtlReg, &gCtlRef);
	if (err != 0) {
		IOLog("EchoKext: ctl_register failed: %d\n", err);
		goto fail;
	}
	os_log_info(OS_LOG_DEFAULT, "EchoKext: control %{public}s has id %u", ECHO_CTL_NAME,
		    gCtlReg.ctl_id);
	return KERN_SUCCESS;
fail:
	if (gLock != NULL)
		lck_mtx_free(gLock, gLockGroup);
	if (gLockGroup != NULL)
		lck_grp_free(gLockGroup);
	gLock = NULL;
	gLockGroup = NULL;
	return KERN_FAILURE;
}

kern_return_t EchoKext_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	if (gCtlRef != NULL) {
		if (ctl_deregister(gCtlRef) != 0) {
			IOLog("EchoKext: still in use, refusing to stop\n");
			return KERN_FAILURE;
		}
		gCtlRef = NULL;
	}
	lck_mtx_free(gLock, gLockGroup);
	lck_grp_free(gLockGroup);
	gLock = NULL;
	gLockGroup = NULL;
	IOLog("EchoKext: stopped\n");
	return KERN_SUCCESS;
}
