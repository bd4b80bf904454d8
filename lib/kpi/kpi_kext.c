/*
 * kpi_kext.c - the kernel kexts are loaded into, and the list of loaded kexts.
 *
 * One kernel at a time, as a Mac has one: the first load binds the process's KPI to a
 * simulated kernel, the last unload frees it for another. The kernel pointer has a lock
 * of its own because kext code asks for it (ctl_register, mbuf allocation) from inside
 * start and from its callbacks, while the load lock is held by the loader.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_kext_int.h"

pthread_mutex_t kpi_load_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kctl_kpi_kext *loaded; /* under kpi_load_lock */

static pthread_mutex_t kernel_lock = PTHREAD_MUTEX_INITIALIZER;
static kctl_sim_t *kernel; /* under kernel_lock */

kctl_sim_t *kpi_kernel(void)
{
	kctl_sim_t *s;

	pthread_mutex_lock(&kernel_lock);
	s = kernel;
	pthread_mutex_unlock(&kernel_lock);
	return s;
}

void kpi_set_kernel(kctl_sim_t *sim)
{
	pthread_mutex_lock(&kernel_lock);
	kernel = sim;
	pthread_mutex_unlock(&kernel_lock);
}

void kpi_kext_add(struct kctl_kpi_kext *k)
{
	k->next = loaded;
	loaded = k;
}

void kpi_kext_remove(struct kctl_kpi_kext *k)
{
	struct kctl_kpi_kext **p = &loaded;

	while (*p != NULL && *p != k)
		p = &(*p)->next;
	if (*p == k)
		*p = k->next;
}

int kpi_kext_named(const char *name)
{
	for (struct kctl_kpi_kext *k = loaded; k != NULL; k = k->next)
		if (strncmp(k->name, name, sizeof(k->name)) == 0)
			return 1;
	return 0;
}

void kpi_kernel_idle(void)
{
	if (loaded != NULL)
		return;
	kpi_thread_calls_shutdown();
	kpi_set_kernel(NULL);
}

void kpi_kext_finish(struct kctl_kpi_kext *k, int keep_mapped)
{
	kpi_kext_remove(k);
	kpi_kernel_idle();
	/* a kernel thread still running kext code: the module stays until it ends */
	if (keep_mapped && kpi_threads_adopt(k))
		return;
	if (k->dl != NULL)
		dlclose(k->dl);
	free(k);
}

void kpi_sweep_stopped(void)
{
	struct kctl_kpi_kext *k, *next;

	for (k = loaded; k != NULL; k = next) {
		struct kpi_reclaim r;

		next = k->next;
		if (!k->zombie)
			continue;
		kpi_reclaim(k, "it was stopped", &r);
		if (!r.attached)
			kpi_kext_finish(k, r.threads);
	}
}

const char *kctl_kpi_kext_name(const kctl_kpi_kext_t *k)
{
	return k != NULL ? k->name : "";
}
