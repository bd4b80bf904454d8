/* <mach/clock_types.h> for kext code (libkctl-kpi): clock value types and unit ratios. */
#ifndef KCTL_KPI_MACH_CLOCK_TYPES_H
#define KCTL_KPI_MACH_CLOCK_TYPES_H

#include <stdint.h>

typedef unsigned long clock_sec_t;
typedef uint32_t clock_usec_t;
typedef uint32_t clock_nsec_t;

#define NSEC_PER_USEC 1000ull
#define USEC_PER_SEC 1000000ull
#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_MSEC 1000000ull

#endif
