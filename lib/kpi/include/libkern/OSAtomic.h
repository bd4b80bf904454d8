/*
 * <libkern/OSAtomic.h> for kext code running in the simulated kernel (libkctl-kpi):
 * Apple's atomic operations, each a full barrier as on a Mac. They return the value
 * before the operation (the OSAdd/Increment/Decrement family and the bit operations);
 * the compare-and-swaps return whether they swapped; OSTestAndSet/OSTestAndClear take
 * bit n as Apple numbers it (bit 0 is the high bit of the first byte) and return its
 * old value.
 */
#ifndef KCTL_KPI_LIBKERN_OSATOMIC_H
#define KCTL_KPI_LIBKERN_OSATOMIC_H

#include <sys/_kpi_cdefs.h>
#include <libkern/OSBase.h>

__BEGIN_DECLS

Boolean OSCompareAndSwap64(UInt64 oldValue, UInt64 newValue, volatile UInt64 *address);
SInt64 OSAddAtomic64(SInt64 theAmount, volatile SInt64 *address);
SInt64 OSIncrementAtomic64(volatile SInt64 *address);
SInt64 OSDecrementAtomic64(volatile SInt64 *address);
Boolean OSCompareAndSwap(UInt32 oldValue, UInt32 newValue, volatile UInt32 *address);
Boolean OSCompareAndSwapPtr(void *oldValue, void *newValue, void *volatile *address);
SInt32 OSAddAtomic(SInt32 amount, volatile SInt32 *address);
SInt16 OSAddAtomic16(SInt32 amount, volatile SInt16 *address);
SInt8 OSAddAtomic8(SInt32 amount, volatile SInt8 *address);
SInt32 OSIncrementAtomic(volatile SInt32 *address);
SInt16 OSIncrementAtomic16(volatile SInt16 *address);
SInt8 OSIncrementAtomic8(volatile SInt8 *address);
SInt32 OSDecrementAtomic(volatile SInt32 *address);
SInt16 OSDecrementAtomic16(volatile SInt16 *address);
SInt8 OSDecrementAtomic8(volatile SInt8 *address);
UInt32 OSBitAndAtomic(UInt32 mask, volatile UInt32 *address);
UInt16 OSBitAndAtomic16(UInt32 mask, volatile UInt16 *address);
UInt8 OSBitAndAtomic8(UInt32 mask, volatile UInt8 *address);
UInt32 OSBitOrAtomic(UInt32 mask, volatile UInt32 *address);
UInt16 OSBitOrAtomic16(UInt32 mask, volatile UInt16 *address);
UInt8 OSBitOrAtomic8(UInt32 mask, volatile UInt8 *address);
UInt32 OSBitXorAtomic(UInt32 mask, volatile UInt32 *address);
UInt16 OSBitXorAtomic16(UInt32 mask, volatile UInt16 *address);
UInt8 OSBitXorAtomic8(UInt32 mask, volatile UInt8 *address);
Boolean OSTestAndSet(UInt32 bit, volatile UInt8 *startAddress);
Boolean OSTestAndClear(UInt32 bit, volatile UInt8 *startAddress);

/* Apple's macros cast the address argument, so a pointer to any 32/64-bit integer (or
 * pointer, for OSCompareAndSwapPtr) of the right size is accepted without a warning. */
#define OSCompareAndSwap64(a, b, c) (OSCompareAndSwap64(a, b, (volatile UInt64 *)(c)))
#define OSAddAtomic64(a, b) (OSAddAtomic64(a, (volatile SInt64 *)(b)))
#define OSCompareAndSwap(a, b, c) (OSCompareAndSwap(a, b, (volatile UInt32 *)(c)))
#define OSCompareAndSwapPtr(a, b, c) (OSCompareAndSwapPtr(a, b, (void *volatile *)(c)))
#define OSAddAtomic(a, b) (OSAddAtomic(a, (volatile SInt32 *)(b)))
#define OSIncrementAtomic(a) (OSIncrementAtomic((volatile SInt32 *)(a)))
#define OSDecrementAtomic(a) (OSDecrementAtomic((volatile SInt32 *)(a)))
#define OSBitAndAtomic(a, b) (OSBitAndAtomic(a, (volatile UInt32 *)(b)))
#define OSBitOrAtomic(a, b) (OSBitOrAtomic(a, (volatile UInt32 *)(b)))
#define OSBitXorAtomic(a, b) (OSBitXorAtomic(a, (volatile UInt32 *)(b)))

static __inline__ void OSSynchronizeIO(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

__END_DECLS

#endif
