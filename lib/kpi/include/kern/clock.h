/*
 * <kern/clock.h> for kext code running in the simulated kernel (libkctl-kpi). Absolute
 * time is CLOCK_MONOTONIC in nanoseconds (on a Mac its unit varies by machine, which
 * is why kexts convert through these calls instead of computing it themselves); the
 * calendar is CLOCK_REALTIME.
 */
#ifndef KCTL_KPI_KERN_CLOCK_H
#define KCTL_KPI_KERN_CLOCK_H

#include <sys/_kpi_cdefs.h>
#include <mach/mach_types.h>

__BEGIN_DECLS

uint64_t mach_absolute_time(void);
void clock_get_uptime(uint64_t *result);
void clock_get_calendar_microtime(clock_sec_t *secs, clock_usec_t *microsecs);
void clock_get_calendar_nanotime(clock_sec_t *secs, clock_nsec_t *nanosecs);
void clock_get_system_microtime(clock_sec_t *secs, clock_usec_t *microsecs);
void clock_get_system_nanotime(clock_sec_t *secs, clock_nsec_t *nanosecs);
void clock_interval_to_deadline(uint32_t interval, uint32_t scale_factor, uint64_t *result);
void clock_interval_to_absolutetime_interval(uint32_t interval, uint32_t scale_factor,
					     uint64_t *result);
void clock_absolutetime_interval_to_deadline(uint64_t abstime, uint64_t *result);
void clock_delay_until(uint64_t deadline);
void clock_delay_for_interval(uint32_t interval, uint32_t scale_factor);
void nanoseconds_to_absolutetime(uint64_t nanoseconds, uint64_t *result);
void absolutetime_to_nanoseconds(uint64_t abstime, uint64_t *result);

__END_DECLS

#endif
