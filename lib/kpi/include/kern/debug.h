/*
 * <kern/debug.h> for kext code running in the simulated kernel (libkctl-kpi): panic().
 *
 * A panic stops the simulated kernel as it stops a Mac: the message goes to the kext log
 * ("panic(<kext>): ...") and the process aborts, so the test that provoked it fails
 * loudly. One exception keeps the kernel usable: a panic inside a kext's start or stop
 * routine, on the thread that loads or unloads it, makes that load or unload fail
 * instead (-ENOTRECOVERABLE, with the message in kctl_kpi_last_error()), and the
 * simulated kernel takes back what the kext registered.
 *
 * Calls are routed by a macro to libkctl-kpi's kctl_kpi_panic(), so that a host
 * program's own panic() is never taken for the kernel's (or the other way round).
 */
#ifndef KCTL_KPI_KERN_DEBUG_H
#define KCTL_KPI_KERN_DEBUG_H

#include <sys/_kpi_cdefs.h>

__BEGIN_DECLS

__abortlike __printflike(1, 2) void kctl_kpi_panic(const char *string, ...);
#define panic(...) kctl_kpi_panic(__VA_ARGS__)

__END_DECLS

#endif
