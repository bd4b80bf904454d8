/*
 * sysctlbyname.c - libkctl-darwin's sysctlbyname(): this system has no Darwin sysctl
 * names, so every name is ENOENT, as a Mac answers for a name it does not have. Under
 * `kctl-sim run` the preload's definition comes first and serves the simulated
 * kernel's names; this one stands in only so that Mac programs link.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/sysctl.h>

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
{
	(void)oldp;
	(void)oldlenp;
	(void)newp;
	(void)newlen;
	errno = name == NULL ? EFAULT : ENOENT;
	return -1;
}
