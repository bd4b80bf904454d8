/*
 * kpi_kernel.c - loading and unloading kexts: the loader API of kctl_kpi.h.
 *
 * Loads and unloads are serialised by one lock, as kextd/OSKext serialise them on a
 * Mac, so a kext's start and stop never overlap another's. The "current kernel" has a
 * lock of its own because kext code asks for it (ctl_register, mbuf_allocpacket) from
 * inside start and from its callbacks.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <mach/kmod.h>

#include "kpi_int.h"

struct kctl_kpi_kext {
	struct kctl_kpi_kext *next;
	kmod_info_t *ki;
	void *dl; /* from kctl_kpi_load_module(), else NULL */
};

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kctl_kpi_kext *loaded; /* under load_lock */

static pthread_mutex_t kernel_lock = PTHREAD_MUTEX_INITIALIZER;
static kctl_sim_t *kernel; /* under kernel_lock; written under load_lock too */

kctl_sim_t *kpi_kernel(void)
{
	kctl_sim_t *s;

	pthread_mutex_lock(&kernel_lock);
	s = kernel;
	pthread_mutex_unlock(&kernel_lock);
	return s;
}

static void set_kernel(kctl_sim_t *sim)
{
	pthread_mutex_lock(&kernel_lock);
	kernel = sim;
	pthread_mutex_unlock(&kernel_lock);
}

/* Under load_lock. */
static int name_loaded(const char *name)
{
	for (struct kctl_kpi_kext *k = loaded; k != NULL; k = k->next)
		if (strncmp(k->ki->name, name, KMOD_MAX_NAME) == 0)
			return 1;
	return 0;
}

/* Under load_lock: checks, then runs start with sim as the kernel. */
static int load_locked(kctl_sim_t *sim, kmod_info_t *ki, struct kctl_kpi_kext *k)
{
	if (kpi_kernel() != NULL && kpi_kernel() != sim)
		return -EBUSY;
	if (name_loaded(ki->name))
		return -EEXIST;
	set_kernel(sim);
	if (ki->start(ki, NULL) != KERN_SUCCESS) {
		if (loaded == NULL)
			set_kernel(NULL);
		return -ECANCELED;
	}
	k->ki = ki;
	k->next = loaded;
	loaded = k;
	return 0;
}

int kctl_kpi_load(kctl_sim_t *sim, struct kmod_info *ki, kctl_kpi_kext_t **out)
{
	struct kctl_kpi_kext *k;
	int err;

	if (sim == NULL || ki == NULL || ki->start == NULL || out == NULL)
		return -EINVAL;
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	pthread_mutex_lock(&load_lock);
	err = load_locked(sim, ki, k);
	pthread_mutex_unlock(&load_lock);
	if (err != 0) {
		free(k);
		return err;
	}
	*out = k;
	return 0;
}

int kctl_kpi_load_module(kctl_sim_t *sim, const char *path, kctl_kpi_kext_t **out)
{
	kmod_info_t *ki;
	void *dl;
	int err;

	if (sim == NULL || path == NULL || out == NULL)
		return -EINVAL;
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL)
		return -ENOENT;
	ki = dlsym(dl, "kmod_info");
	if (ki == NULL) {
		dlclose(dl);
		return -ENOEXEC;
	}
	err = kctl_kpi_load(sim, ki, out);
	if (err != 0) {
		dlclose(dl);
		return err;
	}
	(*out)->dl = dl;
	return 0;
}

/* Under load_lock. */
static void unlink_kext(struct kctl_kpi_kext *k)
{
	struct kctl_kpi_kext **p = &loaded;

	while (*p != k)
		p = &(*p)->next;
	*p = k->next;
}

int kctl_kpi_unload(kctl_kpi_kext_t *k)
{
	kmod_stop_func_t *stop;

	if (k == NULL)
		return -EINVAL;
	pthread_mutex_lock(&load_lock);
	stop = k->ki->stop;
	if (stop != NULL && stop(k->ki, NULL) != KERN_SUCCESS) {
		pthread_mutex_unlock(&load_lock);
		return -EBUSY;
	}
	/* the kext's code must not be running when its module goes */
	kpi_thread_calls_quiesce();
	unlink_kext(k);
	if (loaded == NULL) {
		kpi_thread_calls_shutdown();
		set_kernel(NULL);
	}
	pthread_mutex_unlock(&load_lock);
	if (k->dl != NULL)
		dlclose(k->dl);
	free(k);
	return 0;
}

const char *kctl_kpi_kext_name(const kctl_kpi_kext_t *k)
{
	return k != NULL ? k->ki->name : "";
}
