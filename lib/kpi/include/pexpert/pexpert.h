/*
 * <pexpert/pexpert.h> for kext code running in the simulated kernel (libkctl-kpi): the
 * platform expert calls a kext meets. kprintf writes to the kext log (on a Mac it goes
 * to the serial console, when one is enabled). The simulated machine was booted without
 * boot-args, so PE_parse_boot_argn() finds none and returns FALSE.
 */
#ifndef KCTL_KPI_PEXPERT_PEXPERT_H
#define KCTL_KPI_PEXPERT_PEXPERT_H

#include <sys/_kpi_cdefs.h>
#include <mach/mach_types.h>
#include <kern/kern_types.h>

__BEGIN_DECLS

#ifndef _FN_KPRINTF
#define _FN_KPRINTF
__printflike(1, 2) void kprintf(const char *fmt, ...);
#endif
boolean_t PE_parse_boot_argn(const char *arg_string, void *arg_ptr, int max_arg);

__END_DECLS

#endif
