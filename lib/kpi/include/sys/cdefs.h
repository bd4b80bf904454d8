/*
 * <sys/cdefs.h> for kext code (libkctl-kpi): the host's own <sys/cdefs.h>, which its C
 * library needs, plus Apple's additions (__unused, __dead2, __printflike,
 * __private_extern__ for gcc, ...; see <sys/_kpi_cdefs.h>).
 */
#ifndef KCTL_KPI_SYS_CDEFS_H
#define KCTL_KPI_SYS_CDEFS_H
/* #include_next is an extension: keep -Wpedantic of the including code quiet */
#pragma GCC system_header
#if defined(__has_include_next)
#if __has_include_next(<sys/cdefs.h>)
#include_next <sys/cdefs.h>
#endif
#endif
#include <sys/_kpi_cdefs.h>
#endif
