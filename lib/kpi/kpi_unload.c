/*
 * kpi_unload.c - unloading kexts: kctl_kpi_unload() of kctl_kpi.h.
 *
 * The stop routine runs as the kext, in the kernel, with panics caught. If it refuses
 * (as the sample does while clients are connected) the kext stays, exactly as loaded.
 * Once it has run, whatever the kext left behind is taken back and reported; only
 * controls with clients still attached can keep it (stopped) until a later unload.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>

#include <mach/kmod.h>

#include "kpi_kext_int.h"

/* Runs k's stop routine; returns 1 if it panicked (message in msg). */
static int run_stop(struct kctl_kpi_kext *k, kern_return_t *rc, char *msg, size_t cap)
{
	kmod_stop_func_t *stop = k->ki->stop;
	volatile kern_return_t result = KERN_SUCCESS;
	volatile int panicked = 0;
	struct kpi_catch c;
	struct kpi_frame f;

	if (stop == NULL) {
		*rc = KERN_SUCCESS;
		return 0;
	}
	kpi_enter(&f, k, 1);
	if (setjmp(c.jb) == 0) {
		kpi_catch_arm(&c);
		result = stop(k->ki, NULL);
		kpi_catch_disarm();
	} else {
		panicked = 1;
		snprintf(msg, cap, "%s", c.message);
	}
	kpi_leave(&f);
	*rc = result;
	return panicked;
}

/* Under the load lock: stops k if it was not yet; 0, -EBUSY (stays), or 1 (panicked). */
static int stop_locked(struct kctl_kpi_kext *k)
{
	char msg[KPI_PANIC_MAX];
	kern_return_t rc;

	if (k->stopped)
		return 0;
	if (run_stop(k, &rc, msg, sizeof(msg))) {
		kpi_error_add("%s panicked in its stop routine: %s", k->name, msg);
		k->stopped = 1;
		return 1;
	}
	if (rc != KERN_SUCCESS) {
		kpi_error_add("%s did not stop: its stop routine returned %d (0x%x); it stays "
			      "loaded (a kext refuses while it is in use: close its clients)",
			      k->name, rc, (unsigned)rc);
		return -EBUSY;
	}
	k->stopped = 1;
	return 0;
}

int kctl_kpi_unload(kctl_kpi_kext_t *k)
{
	struct kpi_reclaim r;
	int stopped;

	kpi_error_clear();
	if (k == NULL) {
		kpi_error_add("kctl_kpi_unload: NULL kext");
		return -EINVAL;
	}
	pthread_mutex_lock(&kpi_load_lock);
	stopped = stop_locked(k);
	if (stopped == -EBUSY) {
		pthread_mutex_unlock(&kpi_load_lock);
		return -EBUSY;
	}
	kpi_reclaim(k, stopped == 1 ? "panicking in its stop routine" :
		    "its stop routine returned success", &r);
	if (r.attached) {
		pthread_mutex_unlock(&kpi_load_lock);
		return -EBUSY;
	}
	kpi_kext_finish(k, r.threads);
	pthread_mutex_unlock(&kpi_load_lock);
	if (stopped == 1)
		return -ENOTRECOVERABLE;
	return r.problems != 0 ? -ENOTEMPTY : 0;
}
