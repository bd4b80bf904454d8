/* <mach/boolean.h> for kext code (libkctl-kpi): boolean_t as the kernel has it. */
#ifndef KCTL_KPI_MACH_BOOLEAN_H
#define KCTL_KPI_MACH_BOOLEAN_H

typedef int boolean_t;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif
