/*
 * <IOKit/IOLib.h> for kext code running in the simulated kernel (libkctl-kpi): the C part
 * of IOKit's library that plain C kexts use. IOLog writes a line to the kext log.
 * IOMalloc/IOMallocZero/IOMallocData allocate (IOMalloc(0) returns NULL); IOFree must get
 * the size given at allocation, or it panics (on a Mac a wrong size corrupts the heap).
 * IOSleep and IODelay wait the given milliseconds / microseconds. As in Apple's header,
 * min() and max() are macros here (libkern's inline versions are declared first).
 * IOKit's C++ classes (IOService, OSObject, ...) are not simulated: a module that uses
 * them is refused at load time.
 */
#ifndef KCTL_KPI_IOKIT_IOLIB_H
#define KCTL_KPI_IOKIT_IOLIB_H

#include <stdarg.h>

#include <sys/_kpi_cdefs.h>
#include <libkern/libkern.h>
#include <libkern/OSAtomic.h>
#include <IOKit/IOTypes.h>
#include <IOKit/IOReturn.h>
#include <IOKit/IOLocks.h>
#include <kern/thread_call.h>
#include <kern/clock.h>
#include <kern/thread.h>

__BEGIN_DECLS

#ifndef min
#define min(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) ((a) > (b) ? (a) : (b))
#endif

void *IOMalloc(vm_size_t size) __attribute__((alloc_size(1)));
void *IOMallocZero(vm_size_t size) __attribute__((alloc_size(1)));
void IOFree(void *address, vm_size_t size);
void *IOMallocData(vm_size_t size) __attribute__((alloc_size(1)));
void *IOMallocZeroData(vm_size_t size) __attribute__((alloc_size(1)));
void IOFreeData(void *address, vm_size_t size);
void *IOMallocAligned(vm_size_t size, vm_offset_t alignment) __attribute__((alloc_size(1)));
void IOFreeAligned(void *address, vm_size_t size);

#define IOThreadSelf() (current_thread())
void IOSleep(unsigned milliseconds);
void IOSleepWithLeeway(unsigned intervalMilliseconds, unsigned leewayMilliseconds);
void IODelay(unsigned microseconds);
void IOPause(unsigned nanoseconds);

__printflike(1, 2) void IOLog(const char *format, ...);
__printflike(1, 0) void IOLogv(const char *format, va_list ap);
#ifndef _FN_KPRINTF
#define _FN_KPRINTF
__printflike(1, 2) void kprintf(const char *fmt, ...);
#endif
#define IOPanic(reason) panic("%s", reason)

__END_DECLS

#endif
