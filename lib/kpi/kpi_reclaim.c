/*
 * kpi_reclaim.c - taking back what a kext still holds once its code will no longer run
 * (after its stop routine, a failed start or a panic in either), so that the simulated
 * kernel is consistent for the next load. Each thing left is also what would crash a
 * Mac, and is reported as such: a control still registered (the next client to connect
 * would call into unloaded code), a thread call still scheduled (it would fire there),
 * a kernel thread still running, mbufs never freed (a leak, with the count).
 */
#include <stddef.h>

#include "kpi_kext_int.h"

/* How long a kext's kernel threads get to finish after its stop routine returned. */
#define THREAD_GRACE_MS 2000

static void controls(struct kctl_kpi_kext *k, const char *when, struct kpi_reclaim *r)
{
	struct kpi_ctl_sweep sw;

	kpi_ctl_sweep(k, &sw);
	if (sw.removed != 0) {
		kpi_error_add("%s left %u control%s registered (%s) after %s; the kernel "
			      "removed %s (on a Mac the next client to connect would panic it)",
			      k->name, sw.removed, sw.removed == 1 ? "" : "s", sw.removed_names,
			      when, sw.removed == 1 ? "it" : "them");
		r->problems++;
	}
	if (sw.attached != 0) {
		kpi_error_add("%s left %u control%s registered (%s) after %s, with clients "
			      "attached: %s no longer calls the kext; close the clients and unload "
			      "it again", k->name, sw.attached, sw.attached == 1 ? "" : "s",
			      sw.attached_names, when, sw.attached == 1 ? "it" : "each");
		r->attached = 1;
		r->problems++;
	}
}

static void thread_calls(struct kctl_kpi_kext *k, const char *when, struct kpi_reclaim *r)
{
	unsigned scheduled = 0, left = kpi_thread_calls_reclaim(k, &scheduled);

	if (scheduled != 0) {
		kpi_error_add("%s left %u thread call%s scheduled after %s; the kernel cancelled "
			      "%s (on a Mac %s would fire into unloaded code)", k->name, scheduled,
			      scheduled == 1 ? "" : "s", when, scheduled == 1 ? "it" : "them",
			      scheduled == 1 ? "it" : "they");
		r->problems++;
	} else if (left != 0) {
		kpi_logf("kpi: %s did not free %u thread call%s; the kernel freed %s", k->name,
			 left, left == 1 ? "" : "s", left == 1 ? "it" : "them");
	}
}

static void threads_and_mbufs(struct kctl_kpi_kext *k, const char *when, struct kpi_reclaim *r)
{
	unsigned alive = kpi_threads_wait(k, THREAD_GRACE_MS);
	size_t mbufs;

	if (alive != 0) {
		kpi_error_add("%s left %u kernel thread%s running after %s; its module stays "
			      "mapped (and its mbufs held) until %s", k->name, alive,
			      alive == 1 ? "" : "s", when, alive == 1 ? "it ends" : "they end");
		r->threads = 1;
		r->problems++;
		return; /* a running thread may still use its mbufs */
	}
	mbufs = kpi_mbuf_reclaim(k);
	if (mbufs != 0) {
		kpi_error_add("%s leaked %zu mbuf%s (still held after %s); the kernel freed %s",
			      k->name, mbufs, mbufs == 1 ? "" : "s", when,
			      mbufs == 1 ? "it" : "them");
		r->problems++;
	}
}

void kpi_reclaim(struct kctl_kpi_kext *k, const char *when, struct kpi_reclaim *r)
{
	r->attached = 0;
	r->threads = 0;
	r->problems = 0;
	thread_calls(k, when, r);
	controls(k, when, r);
	threads_and_mbufs(k, when, r);
}
