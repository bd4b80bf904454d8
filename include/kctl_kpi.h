/*
 * kctl_kpi.h - load kext code into the simulated kernel (libkctl-kpi).
 *
 * libkctl-kpi implements, in user space and under Apple's names, the kernel programming
 * interfaces a kern_control kext calls (ctl_*, mbuf_*, lck_*, OSMalloc, _MALLOC,
 * IOMalloc, thread_call_*, kernel threads, msleep, printf, IOLog, os_log, panic, ...) on
 * top of the simulator of kctl_sim.h. A kext's unchanged sources compile with
 * `pkg-config --cflags libkctl-kpi` (Apple's header names, in a folder of their own) and
 * link with `pkg-config --libs libkctl-kpi` into a loadable module; its kmod_info source
 * comes from `kextbundle kmod`. This header is the loader's side: the program that loads
 * such modules builds with `pkg-config --cflags --libs libkctl-kpi-loader`. Clients
 * then reach the kext's controls through kctl_sim_backend(sim), as they would a real
 * kext on a Mac.
 *
 * One kernel at a time: the shim is the kernel of the process, as a Mac has one. Every
 * kext loaded at once must be loaded into the same sim (-EBUSY otherwise); after the
 * last one is unloaded another sim may be used. Unload every kext (a call other than
 * -EBUSY) before freeing its sim.
 *
 * When a load or unload fails, or succeeds untidily, kctl_kpi_last_error() says why in
 * a sentence: which KPI a module needs that is not simulated, what a start routine
 * returned, what a kext left behind.
 *
 * Conventions as in kctl.h: 0 or a negative errno. Thread-safe: loads and unloads are
 * serialised, as kextd serialises them on a Mac.
 */
#ifndef KCTL_KPI_H
#define KCTL_KPI_H

#include "kctl_sim.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kmod_info;

/** A loaded kext. Created by kctl_kpi_load*(), freed by kctl_kpi_unload(). */
typedef struct kctl_kpi_kext kctl_kpi_kext_t;

/**
 * Loads the kext described by `ki` (its `kmod_info`) into sim: calls its start routine
 * (ki->start, i.e. libkmod's, which calls the kext's own) as the kernel would, and keeps
 * it loaded. Errors (each with a sentence in kctl_kpi_last_error()):
 * -EINVAL (NULL argument; a kmod_info with no start routine or an unterminated name),
 * -EBUSY (kexts are loaded into another sim), -EEXIST (a kext of the same name is
 * loaded), -ENOMEM,
 * -ECANCELED (the start routine returned a failure),
 * -ENOTRECOVERABLE (the kext panicked in its start routine).
 * After -ECANCELED or -ENOTRECOVERABLE nothing of the kext stays loaded: what it had
 * registered is taken back and listed in the sentence.
 */
KCTL_API int kctl_kpi_load(kctl_sim_t *sim, struct kmod_info *ki, kctl_kpi_kext_t **out);

/**
 * As kctl_kpi_load() for a kext built as a loadable module: checks the module, opens it
 * (dlopen), finds its exported `kmod_info` and loads it; the module is closed again when
 * the kext is unloaded. Errors: those of kctl_kpi_load(), and
 * -ENOENT (no such module file),
 * -ENOSYS (the module calls a KPI the simulated kernel does not provide: a family left
 *          out, such as socket filters or IOKit's C++ classes, or an unknown function;
 *          refused before any of its code runs, the call and its family named),
 * -ENOEXEC (not a loadable module, or it exports no kmod_info).
 */
KCTL_API int kctl_kpi_load_module(kctl_sim_t *sim, const char *path, kctl_kpi_kext_t **out);

/**
 * Unloads: calls the kext's stop routine, then takes back what it still holds.
 * Returns 0 when the kext is gone cleanly. If the stop routine fails (as the sample's
 * does while clients are connected: ctl_deregister answers EBUSY) the kext stays loaded
 * and -EBUSY is returned: close the clients and try again. After the stop routine, what
 * the kext left is reported and taken back: controls still registered are removed, thread
 * calls still scheduled cancelled, leaked mbufs freed (with their count); the kext is then
 * gone and -ENOTEMPTY says it was untidy (a kernel thread it left running also keeps its
 * module mapped). The only exception: a control it left with clients attached cannot be
 * removed, so -EBUSY is returned with the kext stopped (its callbacks are no longer
 * called): close those clients and unload again. -ENOTRECOVERABLE: the kext panicked in
 * its stop routine; it is gone. Errors: -EINVAL (NULL). After any result but -EBUSY, k
 * is freed.
 */
KCTL_API int kctl_kpi_unload(kctl_kpi_kext_t *k);

/** The kext's name (kmod_info name: its bundle id). Valid while k is. "" for NULL. */
KCTL_API const char *kctl_kpi_kext_name(const kctl_kpi_kext_t *k);

/**
 * Why the last kctl_kpi_load(), kctl_kpi_load_module() or kctl_kpi_unload() made by the
 * calling thread failed, or what it reported though it succeeded (-ENOTEMPTY): one or
 * more sentences, "" after a clean success. The string belongs to the calling thread and
 * stays valid until that thread's next call of one of those three (or its end); copy it
 * to keep it. Never NULL. Each sentence is also written to the kext log.
 */
KCTL_API const char *kctl_kpi_last_error(void);

/** Where the kext's printf lines go: each complete line, without its newline. */
typedef void (*kctl_kpi_log_fn)(void *ctx, const char *line);

/**
 * Sends the kext log (printf, IOLog, os_log, kprintf, panics and the loader's own
 * reports) to fn (NULL: back to stderr, prefixed "[kext] "). Lines longer than 511
 * bytes are cut. Thread-safe; fn may be called from any thread.
 */
KCTL_API void kctl_kpi_set_log(kctl_kpi_log_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
