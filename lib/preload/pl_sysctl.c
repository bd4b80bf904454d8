/*
 * pl_sysctl.c - sysctlbyname(), which glibc does not have: a Mac program's
 * sysctlbyname("net.systm.kctl.reg_list") (what netstat and `kctl list` read) is
 * answered by the simulated kernel with the bytes xnu gives; every other name is
 * ENOENT, as this kernel has no other Darwin sysctl. libkctl-darwin's headers declare
 * the function and its library defines a stand-in (ENOENT for every name) so that Mac
 * programs link; this definition comes first under `kctl-sim run`. libkctl's own host
 * leaf finds it at run time.
 */
#include "preload.h"

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
{
	kctl_sim_t *sim = pl_where() == PL_HERE ? pl_kernel() : NULL;

	if (sim == NULL)
		return pl_ret(name == NULL ? -EFAULT : -ENOENT); /* no kernel: no such name */
	return pl_ret(kctl_sim_sysctl(sim, name, oldp, oldlenp, newp, newlen));
}
