/*
 * kpi_load.c - loading kexts: kctl_kpi_load() and kctl_kpi_load_module() of kctl_kpi.h.
 *
 * A module is checked before any of its code runs: it must exist, it must not call into
 * a KPI family the simulator leaves out (refused with a sentence naming the call and the
 * family, see kpi_family.c), it must load, and it must export a kmod_info. Its start
 * routine then runs as the kext, in the kernel, with panics caught: a failed start or a
 * panic unloads it again, taking back what it registered.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mach/kmod.h>

#include "kpi_elf.h"
#include "kpi_family.h"
#include "kpi_kext_int.h"

/* Runs k's start routine as k, in the kernel, catching a panic. */
static int run_start(struct kctl_kpi_kext *k, kern_return_t *rc, char *panic_msg, size_t cap)
{
	struct kpi_catch c;
	struct kpi_frame f;
	volatile kern_return_t result = KERN_FAILURE;
	volatile int panicked = 0;

	kpi_enter(&f, k, 1);
	if (setjmp(c.jb) == 0) {
		kpi_catch_arm(&c);
		result = k->ki->start(k->ki, NULL);
		kpi_catch_disarm();
	} else {
		panicked = 1;
		snprintf(panic_msg, cap, "%s", c.message);
	}
	kpi_leave(&f);
	*rc = result;
	return panicked;
}

/* After a failed start: takes back what it left; k goes unless clients hold on. */
static void undo_start(struct kctl_kpi_kext *k, const char *when)
{
	struct kpi_reclaim r;

	k->stopped = 1;
	kpi_reclaim(k, when, &r);
	if (!r.attached)
		kpi_kext_finish(k, r.threads);
	else /* listed, stopped, until a later load or unload finds its clients gone */
		k->zombie = 1;
}

/* Under the load lock: checks, then runs start with sim as the kernel. */
static int load_locked(kctl_sim_t *sim, struct kctl_kpi_kext *k)
{
	char msg[KPI_PANIC_MAX];
	kern_return_t rc;

	if (kpi_kernel() != NULL && kpi_kernel() != sim) {
		kpi_error_add("cannot load %s: kexts are loaded into another simulated kernel "
			      "(one kernel per process, as on a Mac: unload them first)", k->name);
		return -EBUSY;
	}
	if (kpi_kext_named(k->name)) {
		kpi_error_add("cannot load %s: a kext of that name is already loaded", k->name);
		return -EEXIST;
	}
	kpi_set_kernel(sim);
	kpi_kext_add(k);
	if (run_start(k, &rc, msg, sizeof(msg))) {
		kpi_error_add("%s panicked in its start routine: %s", k->name, msg);
		undo_start(k, "panicking in its start routine");
		return -ENOTRECOVERABLE;
	}
	if (rc != KERN_SUCCESS) {
		kpi_error_add("%s did not start: its start routine returned %d (0x%x)", k->name,
			      rc, (unsigned)rc);
		undo_start(k, "its start routine failed");
		return -ECANCELED;
	}
	return 0;
}

/* The checks on a kmod_info the loader itself makes (the kernel stamps name and
 * version from Info.plist; here kmod_info is all there is). */
static int check_kmod_info(const struct kmod_info *ki)
{
	if (memchr(ki->name, '\0', sizeof(ki->name)) == NULL || ki->name[0] == '\0') {
		kpi_error_add("cannot load a kext whose kmod_info name is empty or not "
			      "terminated within %d bytes", KMOD_MAX_NAME);
		return -EINVAL;
	}
	if (ki->start == NULL) {
		kpi_error_add("cannot load %s: its kmod_info has no start routine (libkmod's "
			      "_start: link the module with -lkctl-kmod)", ki->name);
		return -EINVAL;
	}
	return 0;
}

static int load(kctl_sim_t *sim, struct kmod_info *ki, void *dl, kctl_kpi_kext_t **out)
{
	struct kctl_kpi_kext *k;
	int err = check_kmod_info(ki);

	if (err != 0)
		return err;
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	k->ki = ki;
	k->dl = dl;
	memcpy(k->name, ki->name, sizeof(k->name));
	pthread_mutex_lock(&kpi_load_lock);
	kpi_sweep_stopped();
	kpi_error_clear(); /* what the sweep said belongs to earlier calls */
	err = load_locked(sim, k);
	pthread_mutex_unlock(&kpi_load_lock);
	if (err == -EBUSY || err == -EEXIST) /* never listed: ours to free */
		free(k);
	if (err == 0)
		*out = k;
	return err;
}

int kctl_kpi_load(kctl_sim_t *sim, struct kmod_info *ki, kctl_kpi_kext_t **out)
{
	kpi_error_clear();
	if (sim == NULL || ki == NULL || out == NULL) {
		kpi_error_add("kctl_kpi_load: NULL argument");
		return -EINVAL;
	}
	return load(sim, ki, NULL, out);
}

/* ---- modules ---- */

struct family_scan {
	const char *path;
	unsigned found;
};

static int note_family(void *ctx, const char *symbol)
{
	struct family_scan *s = ctx;
	const char *family = kpi_family_of(symbol);

	if (family == NULL)
		return 0;
	if (s->found++ < 3) /* enough to see what the kext is about */
		kpi_error_add("%s uses %s: %s", s->path, symbol, family);
	return 0;
}

/* A sentence for dlopen's failure; -ENOSYS for a kernel function we lack. */
static int explain_dlerror(const char *path, const char *why)
{
	const char *sym = why != NULL ? strstr(why, "undefined symbol: ") : NULL;

	if (sym != NULL) {
		sym += strlen("undefined symbol: ");
		kpi_error_add("%s uses %.*s, a kernel function the simulated kernel does not "
			      "provide", path, (int)strcspn(sym, " ,()\n"), sym);
		return -ENOSYS;
	}
	kpi_error_add("cannot load %s: %s", path, why != NULL ? why : "dlopen failed");
	return -ENOEXEC;
}

static int open_module(const char *path, void **out)
{
	struct family_scan scan = { path, 0 };
	struct stat st;
	void *dl;

	if (stat(path, &st) != 0) {
		int e = errno;

		kpi_error_add("cannot open %s: %s", path, strerror(e));
		return e == ENOENT || e == ENOTDIR ? -ENOENT : -ENOEXEC;
	}
	(void)kpi_elf_undefined(path, note_family, &scan); /* not ELF: dlopen will say */
	if (scan.found != 0) {
		if (scan.found > 3)
			kpi_error_add("and %u more calls of KPIs that are not simulated",
				      scan.found - 3);
		return -ENOSYS;
	}
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL)
		return explain_dlerror(path, dlerror());
	*out = dl;
	return 0;
}

int kctl_kpi_load_module(kctl_sim_t *sim, const char *path, kctl_kpi_kext_t **out)
{
	struct kmod_info *ki;
	void *dl = NULL;
	int err;

	kpi_error_clear();
	if (sim == NULL || path == NULL || out == NULL) {
		kpi_error_add("kctl_kpi_load_module: NULL argument");
		return -EINVAL;
	}
	err = open_module(path, &dl);
	if (err != 0)
		return err;
	ki = dlsym(dl, "kmod_info");
	if (ki == NULL) {
		kpi_error_add("%s exports no kmod_info: it is not a kext (a kext names itself "
			      "with the kmod_info source `kextbundle kmod` writes)", path);
		dlclose(dl);
		return -ENOEXEC;
	}
	err = load(sim, ki, dl, out);
	/* a failed start took the module along (or keeps it for a stopped kext); a
	 * refusal before the start leaves it to us */
	if (err == -EBUSY || err == -EEXIST || err == -EINVAL || err == -ENOMEM)
		dlclose(dl);
	return err;
}
