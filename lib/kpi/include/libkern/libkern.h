/*
 * <libkern/libkern.h> for kext code running in the simulated kernel (libkctl-kpi): the
 * kernel's little C library. printf and vprintf go to the kext log (stderr, each line
 * prefixed "[kext] ", or the hook set with kctl_kpi_set_log()); a library cannot own
 * the process's printf, so calls to those names are routed by macro and kext sources
 * stay unchanged. snprintf, vsnprintf, sscanf, strtol and the string functions are the
 * host's, which behave the same for the formats the kernel supports. The integer
 * min/max helpers are Apple's static inline functions.
 */
#ifndef KCTL_KPI_LIBKERN_LIBKERN_H
#define KCTL_KPI_LIBKERN_LIBKERN_H

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h> /* snprintf and friends, which the kernel has too */
#include <stdlib.h> /* strtol, strtoul */
#include <string.h>
#include <sys/types.h>

#include <sys/_kpi_cdefs.h>
#include <mach/vm_types.h>

__BEGIN_DECLS

static __inline__ int imax(int a, int b)
{
	return a > b ? a : b;
}

static __inline__ int imin(int a, int b)
{
	return a < b ? a : b;
}

static __inline__ long lmax(long a, long b)
{
	return a > b ? a : b;
}

static __inline__ long lmin(long a, long b)
{
	return a < b ? a : b;
}

static __inline__ u_int max(u_int a, u_int b)
{
	return a > b ? a : b;
}

static __inline__ u_int min(u_int a, u_int b)
{
	return a < b ? a : b;
}

static __inline__ u_int32_t ulmax(u_int32_t a, u_int32_t b)
{
	return a > b ? a : b;
}

static __inline__ u_int32_t ulmin(u_int32_t a, u_int32_t b)
{
	return a < b ? a : b;
}

__printflike(1, 2) int kctl_kpi_printf(const char *fmt, ...);
__printflike(1, 0) int kctl_kpi_vprintf(const char *fmt, va_list ap);
/* Function-like, so that only calls are routed: format(printf, 1, 2) in a kext's own
 * attributes still names the printf format. */
#define printf(...) kctl_kpi_printf(__VA_ARGS__)
#define vprintf(...) kctl_kpi_vprintf(__VA_ARGS__)

__END_DECLS

#endif
