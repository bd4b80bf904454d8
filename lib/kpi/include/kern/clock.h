/*
 * <kern/clock.h> for kext code running in the simulated kernel (libkctl-kpi). Absolute
 * time is CLOCK_MONOTONIC in nanoseconds (on a Mac its unit varies by machine, which
 * is why kexts convert through these calls instead of computing it themselves).
 */
#ifndef KCTL_KPI_KERN_CLOCK_H
#define KCTL_KPI_KERN_CLOCK_H

#include <mach/mach_types.h>

#ifdef __cplusplus
extern "C" {
#endif

void clock_get_uptime(uint64_t *result);
void clock_interval_to_deadline(uint32_t interval, uint32_t scale_factor, uint64_t *result);
void clock_interval_to_absolutetime_interval(uint32_t interval, uint32_t scale_factor,
					     uint64_t *result);
void nanoseconds_to_absolutetime(uint64_t nanoseconds, uint64_t *result);
void absolutetime_to_nanoseconds(uint64_t abstime, uint64_t *result);

#ifdef __cplusplus
}
#endif

#endif
