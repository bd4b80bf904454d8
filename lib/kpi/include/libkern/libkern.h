/*
 * <libkern/libkern.h> for kext code running in the simulated kernel (libkctl-kpi).
 * The kernel's printf goes to the kext log: stderr, each line prefixed "[kext] ", or
 * the hook set with kctl_kpi_set_log(). A library cannot own the process's printf, so
 * the name is routed by a macro; kext sources are unchanged.
 */
#ifndef KCTL_KPI_LIBKERN_LIBKERN_H
#define KCTL_KPI_LIBKERN_LIBKERN_H

#include <stddef.h>
#include <stdio.h> /* snprintf, which the kernel has too */
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

int kctl_kpi_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
size_t kctl_kpi_strlcpy(char *dst, const char *src, size_t size);

#define printf kctl_kpi_printf
#define strlcpy kctl_kpi_strlcpy

#ifdef __cplusplus
}
#endif

#endif
