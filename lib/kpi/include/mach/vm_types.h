/*
 * <mach/vm_types.h> for kext code (libkctl-kpi): the address and size types of the
 * kernel (vm_offset_t, vm_size_t, ...). Same names as Apple's; pointer-sized here as on
 * every 64-bit Mac.
 */
#ifndef KCTL_KPI_MACH_VM_TYPES_H
#define KCTL_KPI_MACH_VM_TYPES_H

#include <stdint.h>

typedef unsigned int natural_t;
typedef int integer_t;
typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_size_t;
typedef uintptr_t vm_address_t;
typedef vm_offset_t pointer_t;
typedef uint64_t mach_vm_address_t;
typedef uint64_t mach_vm_offset_t;
typedef uint64_t mach_vm_size_t;
typedef uint64_t addr64_t;
typedef uint32_t reg64_t;
typedef uint32_t ppnum_t;
typedef uint64_t vm_object_offset_t;
typedef uint64_t vm_object_size_t;

struct ipc_port;
typedef struct ipc_port *ipc_port_t;
typedef ipc_port_t mach_port_t;
typedef mach_port_t vm_map_t;
#define VM_MAP_NULL ((vm_map_t)0)

#endif
