/*
 * <sys/sysctl.h> - Darwin's sysctlbyname(), for Mac code built on another system
 * (libkctl-darwin). glibc has no sysctl interface (its <sys/sysctl.h> went in 2.32).
 * libkctl-darwin defines sysctlbyname() answering ENOENT, as for a name this system
 * does not have; under `kctl-sim run`, libkctl-preload answers the simulated kernel's
 * names (net.systm.kctl.*) instead. Where the system still has a <sys/sysctl.h>, it is
 * included as well.
 */
#ifndef KCTL_DARWIN_SYS_SYSCTL_H
#define KCTL_DARWIN_SYS_SYSCTL_H

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC system_header /* #include_next is an extension */
#endif
#if defined(__has_include_next)
#if __has_include_next(<sys/sysctl.h>)
#include_next <sys/sysctl.h>
#endif
#endif

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reads (oldp, *oldlenp) and/or writes (newp, newlen) the variable `name`, as on a Mac:
 * 0, or -1 with errno (ENOENT: no such name; ENOMEM: *oldlenp too small; EPERM:
 * read-only). A NULL oldp with oldlenp asks for the size.
 */
int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

#ifdef __cplusplus
}
#endif

#endif /* KCTL_DARWIN_SYS_SYSCTL_H */
