/*
 * kctl_kpi.h - load kext code into the simulated kernel (libkctl-kpi).
 *
 * libkctl-kpi implements, in user space, the kernel programming interfaces a
 * kern_control kext calls (ctl_*, mbuf_*, lck_*, OSMalloc, thread_call_*, msleep,
 * printf), under Apple's names, on top of the simulator of kctl_sim.h. Compile the
 * kext's unchanged sources with lib/kpi/include first on the include path,
 * link them with libkctl-kpi (and kmod_start.c, which plays libkmod's part), and load
 * them here: the kext's start routine runs with `sim` as the kernel its ctl_register
 * calls go to; clients then reach its controls through kctl_sim_backend(sim).
 *
 * One kernel at a time: the shim is the kernel of the process, as a Mac has one. Every
 * kext loaded at once must be loaded into the same sim (-EBUSY otherwise); after the
 * last one is unloaded another sim may be used.
 *
 * Conventions as in kctl.h: 0 or a negative errno. Thread-safe, except that load and
 * unload of one kext must not race each other.
 */
#ifndef KCTL_KPI_H
#define KCTL_KPI_H

#include "kctl_sim.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kmod_info;

/** A loaded kext. Created by kctl_kpi_load*(), freed by a successful kctl_kpi_unload(). */
typedef struct kctl_kpi_kext kctl_kpi_kext_t;

/**
 * Loads the kext described by `ki` (its `kmod_info`) into sim: calls its start routine
 * (ki->start, i.e. libkmod's, which calls the kext's own) and keeps it loaded.
 * Errors: -EINVAL (NULL argument, no start routine), -EBUSY (kexts are loaded into
 * another sim), -EEXIST (a kext of the same name is loaded), -ENOMEM, -ECANCELED (the
 * start routine returned a failure; nothing stays loaded).
 */
KCTL_API int kctl_kpi_load(kctl_sim_t *sim, struct kmod_info *ki, kctl_kpi_kext_t **out);

/**
 * As kctl_kpi_load() for a kext built as a loadable module (the simulator's Sample.kext):
 * dlopen()s `path`, finds its exported `kmod_info` and loads it; the module is closed
 * again by a successful unload. Errors: those of kctl_kpi_load(), -ENOENT (cannot open
 * the module), -ENOEXEC (it exports no kmod_info).
 */
KCTL_API int kctl_kpi_load_module(kctl_sim_t *sim, const char *path, kctl_kpi_kext_t **out);

/**
 * Unloads: calls the kext's stop routine. On success the kext is gone (its thread
 * calls are waited for; the module, if any, is closed) and k is freed. If stop fails
 * (as the sample's does while clients are connected: ctl_deregister answers EBUSY) the
 * kext stays loaded, k stays valid and -EBUSY is returned: close the clients and try
 * again. Errors: -EINVAL (NULL), -EBUSY.
 */
KCTL_API int kctl_kpi_unload(kctl_kpi_kext_t *k);

/** The kext's name (kmod_info name: its bundle id). */
KCTL_API const char *kctl_kpi_kext_name(const kctl_kpi_kext_t *k);

/** Where the kext's printf lines go: each complete line, without its newline. */
typedef void (*kctl_kpi_log_fn)(void *ctx, const char *line);

/**
 * Sends kext printf output to fn (NULL: back to stderr, prefixed "[kext] ").
 * Lines longer than 511 bytes are cut. Thread-safe.
 */
KCTL_API void kctl_kpi_set_log(kctl_kpi_log_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
