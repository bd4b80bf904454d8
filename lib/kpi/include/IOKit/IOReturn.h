/* <IOKit/IOReturn.h> for kext code (libkctl-kpi): IOReturn and its common codes. */
#ifndef KCTL_KPI_IOKIT_IORETURN_H
#define KCTL_KPI_IOKIT_IORETURN_H

#include <mach/kern_return.h>

typedef kern_return_t IOReturn;

#define sys_iokit (0x38u << 26)
#define sub_iokit_common (0u << 14)
#define iokit_common_err(return) ((IOReturn)(sys_iokit | sub_iokit_common | (return)))

#define kIOReturnSuccess KERN_SUCCESS
#define kIOReturnError iokit_common_err(0x2bc)
#define kIOReturnNoMemory iokit_common_err(0x2bd)
#define kIOReturnNoResources iokit_common_err(0x2be)
#define kIOReturnBadArgument iokit_common_err(0x2c2)
#define kIOReturnBusy iokit_common_err(0x2d5)
#define kIOReturnTimeout iokit_common_err(0x2d6)
#define kIOReturnUnsupported iokit_common_err(0x2c7)
#define kIOReturnNotPermitted iokit_common_err(0x2e2)

#endif
