/*
 * sampler_kext.c - a kext that exports data from a kernel thread, in the style of
 * coverage and statistics exporters: kernel_thread_start() at start, a loop that wakes
 * every few milliseconds (msleep with a timeout), samples, and pushes one record to
 * each connected client of a STREAM control, counting drops when a client's buffer is
 * full. Stop tells the thread to end and sleeps until it has. assert() guards the
 * invariants; in a release build (no MACH_ASSERT) its expression is not evaluated,
 * which the statistics make visible. Written for libkctl's tests; public KPI only.
 */
#include <mach/mach_types.h>
#include <kern/assert.h>
#include <kern/clock.h>
#include <kern/locks.h>
#include <kern/thread.h>
#include <libkern/OSAtomic.h>
#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include "sampler_kext.h"

kern_return_t sampler_start(kmod_info_t *ki, void *data);
kern_return_t sampler_stop(kmod_info_t *ki, void *data);

static lck_grp_t *g_grp;
static lck_mtx_t *g_mtx;
static kern_ctl_ref g_ref;
static thread_t g_thread;
static int g_stop_requested;
static int g_thread_done;
static u_int32_t g_units[SAMPLER_MAX_UNITS];
static u_int32_t g_nunits;
static volatile SInt32 g_samples, g_drops, g_assert_evaluated;

/* Counts its own evaluations: an assert() around it shows whether asserts run (and it
 * is used only by asserts, hence __assert_only: no unused warning in a release build). */
static __assert_only int evaluated(int value)
{
	OSIncrementAtomic(&g_assert_evaluated);
	return value;
}

static void export_sample(u_int32_t seq)
{
	struct sampler_record rec;
	u_int32_t i;

	bzero(&rec, sizeof(rec));
	rec.magic = SAMPLER_MAGIC;
	rec.seq = seq;
	rec.pid = proc_selfpid();
	clock_get_uptime(&rec.uptime);
	lck_mtx_lock(g_mtx);
	rec.units = g_nunits;
	for (i = 0; i < g_nunits; i++) {
		errno_t err = ctl_enqueuedata(g_ref, g_units[i], &rec, sizeof(rec), 0);

		if (err == ENOBUFS)
			OSIncrementAtomic(&g_drops);
	}
	lck_mtx_unlock(g_mtx);
	OSIncrementAtomic(&g_samples);
}

static void sampler_thread(void *param, wait_result_t wr)
{
#pragma unused(param, wr)
	struct timespec period = { 0, SAMPLER_PERIOD_MS * 1000 * 1000 };
	u_int32_t seq = 0;

	lck_mtx_lock(g_mtx);
	while (!g_stop_requested) {
		lck_mtx_unlock(g_mtx);
		export_sample(seq++);
		lck_mtx_lock(g_mtx);
		if (!g_stop_requested)
			(void)msleep(&g_stop_requested, g_mtx, PZERO, "sampler", &period);
	}
	g_thread_done = 1;
	wakeup(&g_thread_done);
	lck_mtx_unlock(g_mtx);
	/* returning from the continuation ends a kernel thread */
}

static errno_t sampler_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(ref, unitinfo)
	errno_t err = 0;

	assert(evaluated(sac->sc_unit != 0));
	/* a debug build (MACH_ASSERT) panics here; a release build does not look */
	assert(sac->sc_unit != 13);
	lck_mtx_lock(g_mtx);
	if (g_nunits == SAMPLER_MAX_UNITS)
		err = EBUSY;
	else
		g_units[g_nunits++] = sac->sc_unit;
	lck_mtx_unlock(g_mtx);
	return err;
}

static errno_t sampler_disconnect(kern_ctl_ref ref, u_int32_t unit, void *unitinfo)
{
#pragma unused(ref, unitinfo)
	u_int32_t i;

	lck_mtx_lock(g_mtx);
	for (i = 0; i < g_nunits; i++) {
		if (g_units[i] == unit) {
			g_units[i] = g_units[--g_nunits];
			break;
		}
	}
	lck_mtx_unlock(g_mtx);
	return 0;
}

static errno_t sampler_getopt(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int opt,
			      void *data, size_t *len)
{
#pragma unused(ref, unit, unitinfo)
	struct sampler_stats st;

	if (opt != SAMPLER_OPT_STATS)
		return ENOPROTOOPT;
	if (*len < sizeof(st))
		return EINVAL;
	st.samples = (unsigned int)g_samples;
	st.drops = (unsigned int)g_drops;
	st.assert_evaluated = (unsigned int)g_assert_evaluated;
	lck_mtx_lock(g_mtx);
	st.thread_running = g_thread != THREAD_NULL && !g_thread_done;
	lck_mtx_unlock(g_mtx);
	bcopy(&st, data, sizeof(st));
	*len = sizeof(st);
	return 0;
}

kern_return_t sampler_start(kmod_info_t *ki, void *data)
{
#pragma unused(ki, data)
	struct kern_ctl_reg reg;

	g_grp = lck_grp_alloc_init("sampler", LCK_GRP_ATTR_NULL);
	g_mtx = lck_mtx_alloc_init(g_grp, LCK_ATTR_NULL);
	bzero(&reg, sizeof(reg));
	strlcpy(reg.ctl_name, SAMPLER_CTL_NAME, sizeof(reg.ctl_name));
	reg.ctl_flags = CTL_FLAG_REG_SOCK_STREAM;
	reg.ctl_recvsize = 16 * sizeof(struct sampler_record);
	reg.ctl_connect = sampler_connect;
	reg.ctl_disconnect = sampler_disconnect;
	reg.ctl_getopt = sampler_getopt;
	if (ctl_register(&reg, &g_ref) != 0)
		goto fail;
	if (kernel_thread_start(sampler_thread, NULL, &g_thread) != KERN_SUCCESS) {
		ctl_deregister(g_ref);
		goto fail;
	}
	printf("sampler: started, thread %llu\n", (unsigned long long)thread_tid(g_thread));
	return KERN_SUCCESS;
fail:
	lck_mtx_free(g_mtx, g_grp);
	lck_grp_free(g_grp);
	return KERN_FAILURE;
}

kern_return_t sampler_stop(kmod_info_t *ki, void *data)
{
#pragma unused(ki, data)
	if (ctl_deregister(g_ref) != 0)
		return KERN_FAILURE; /* clients connected: the thread keeps sampling */
	lck_mtx_lock(g_mtx);
	g_stop_requested = 1;
	wakeup(&g_stop_requested);
	while (!g_thread_done)
		(void)msleep(&g_thread_done, g_mtx, PZERO, "sampler_stop", NULL);
	lck_mtx_unlock(g_mtx);
	thread_deallocate(g_thread);
	g_thread = THREAD_NULL;
	lck_mtx_free(g_mtx, g_grp);
	lck_grp_free(g_grp);
	printf("sampler: stopped after %d samples\n", (int)g_samples);
	return KERN_SUCCESS;
}
