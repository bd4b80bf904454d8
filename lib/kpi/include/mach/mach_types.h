/*
 * <mach/mach_types.h> for kext code running in the simulated kernel (libkctl-kpi).
 * Only the Mach basics a kern_control kext meets: kern_return_t, boolean_t and the
 * address types of kmod_info. Same names as Apple's; values from osfmk/mach.
 */
#ifndef KCTL_KPI_MACH_TYPES_H
#define KCTL_KPI_MACH_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef int kern_return_t;
#define KERN_SUCCESS 0
#define KERN_INVALID_ARGUMENT 4
#define KERN_FAILURE 5
#define KERN_RESOURCE_SHORTAGE 6

typedef int boolean_t;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;

#endif
