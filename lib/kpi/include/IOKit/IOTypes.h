/* <IOKit/IOTypes.h> for kext code (libkctl-kpi): the IOKit scalar types C kexts use. */
#ifndef KCTL_KPI_IOKIT_IOTYPES_H
#define KCTL_KPI_IOKIT_IOTYPES_H

#include <stdbool.h>
#include <stdint.h>

#include <libkern/OSTypes.h>
#include <mach/mach_types.h>
#include <IOKit/IOReturn.h>

typedef UInt32 IOOptionBits;
typedef SInt32 IOFixed;
typedef UInt32 IOVersion;
typedef vm_address_t IOVirtualAddress;
typedef uint64_t IOPhysicalAddress;
typedef vm_size_t IOByteCount;
typedef vm_size_t IOPhysicalLength;
typedef thread_t IOThread;
typedef void (*IOThreadFunc)(void *argument);

#endif
