/*
 * <sys/time.h> for kext code (libkctl-kpi): the host's struct timeval and timespec, and
 * the kernel's clocks: microtime/nanotime (the calendar, CLOCK_REALTIME) and
 * microuptime/nanouptime (time since boot, CLOCK_MONOTONIC here).
 */
#ifndef KCTL_KPI_SYS_TIME_H
#define KCTL_KPI_SYS_TIME_H
/* #include_next is an extension: keep -Wpedantic of the including code quiet */
#pragma GCC system_header
#include_next <sys/time.h>
#include <time.h>

#include <sys/_kpi_cdefs.h>

__BEGIN_DECLS

void microtime(struct timeval *tv);
void microuptime(struct timeval *tv);
void nanotime(struct timespec *ts);
void nanouptime(struct timespec *ts);

__END_DECLS

#endif
