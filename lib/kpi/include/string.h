/*
 * <string.h> for kext code (libkctl-kpi): the host's, plus what the kernel's adds:
 * strlcpy and strlcat (a host C library may lack them; the names are routed by macro
 * to libkctl-kpi's copies, so the host's, where it has them, are left alone), strnlen,
 * and bzero, bcopy and bcmp, which the kernel declares here (the host in <strings.h>).
 */
#ifndef KCTL_KPI_STRING_H
#define KCTL_KPI_STRING_H
/* #include_next is an extension: keep -Wpedantic of the including code quiet */
#pragma GCC system_header
#include_next <string.h>
#include <strings.h>

#include <sys/_kpi_cdefs.h>

__BEGIN_DECLS

size_t kctl_kpi_strlcpy(char *dst, const char *src, size_t size);
size_t kctl_kpi_strlcat(char *dst, const char *src, size_t size);
#define strlcpy(...) kctl_kpi_strlcpy(__VA_ARGS__)
#define strlcat(...) kctl_kpi_strlcat(__VA_ARGS__)

__END_DECLS

#endif
