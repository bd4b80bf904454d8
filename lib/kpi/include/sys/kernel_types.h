/*
 * <sys/kernel_types.h> for kext code running in the simulated kernel (libkctl-kpi):
 * the opaque KPI types. An mbuf_t here points at one segment of the simulator's chains
 * (kctl_sim.h); kext code never sees inside it, as on a Mac.
 */
#ifndef KCTL_KPI_SYS_KERNEL_TYPES_H
#define KCTL_KPI_SYS_KERNEL_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef int errno_t;

struct mbuf;
typedef struct mbuf *mbuf_t;

#endif
