/*
 * kpi_atomic.c - <libkern/OSAtomic.h> on the compiler's atomics, each a full barrier as
 * Apple's are. The names are defined in parentheses: the header also has macros of
 * the same names that cast their arguments.
 */
#include <libkern/OSAtomic.h>

#define SEQ __ATOMIC_SEQ_CST

Boolean (OSCompareAndSwap64)(UInt64 oldValue, UInt64 newValue, volatile UInt64 *address)
{
	return __atomic_compare_exchange_n(address, &oldValue, newValue, 0, SEQ, SEQ);
}

SInt64 (OSAddAtomic64)(SInt64 theAmount, volatile SInt64 *address)
{
	return __atomic_fetch_add(address, theAmount, SEQ);
}

SInt64 OSIncrementAtomic64(volatile SInt64 *address)
{
	return __atomic_fetch_add(address, 1, SEQ);
}

SInt64 OSDecrementAtomic64(volatile SInt64 *address)
{
	return __atomic_fetch_sub(address, 1, SEQ);
}

Boolean (OSCompareAndSwap)(UInt32 oldValue, UInt32 newValue, volatile UInt32 *address)
{
	return __atomic_compare_exchange_n(address, &oldValue, newValue, 0, SEQ, SEQ);
}

Boolean (OSCompareAndSwapPtr)(void *oldValue, void *newValue, void *volatile *address)
{
	return __atomic_compare_exchange_n(address, &oldValue, newValue, 0, SEQ, SEQ);
}

SInt32 (OSAddAtomic)(SInt32 amount, volatile SInt32 *address)
{
	return __atomic_fetch_add(address, amount, SEQ);
}

SInt16 OSAddAtomic16(SInt32 amount, volatile SInt16 *address)
{
	return __atomic_fetch_add(address, (SInt16)amount, SEQ);
}

SInt8 OSAddAtomic8(SInt32 amount, volatile SInt8 *address)
{
	return __atomic_fetch_add(address, (SInt8)amount, SEQ);
}

SInt32 (OSIncrementAtomic)(volatile SInt32 *address)
{
	return __atomic_fetch_add(address, 1, SEQ);
}

SInt16 OSIncrementAtomic16(volatile SInt16 *address)
{
	return __atomic_fetch_add(address, 1, SEQ);
}

SInt8 OSIncrementAtomic8(volatile SInt8 *address)
{
	return __atomic_fetch_add(address, 1, SEQ);
}

SInt32 (OSDecrementAtomic)(volatile SInt32 *address)
{
	return __atomic_fetch_sub(address, 1, SEQ);
}

SInt16 OSDecrementAtomic16(volatile SInt16 *address)
{
	return __atomic_fetch_sub(address, 1, SEQ);
}

SInt8 OSDecrementAtomic8(volatile SInt8 *address)
{
	return __atomic_fetch_sub(address, 1, SEQ);
}

UInt32 (OSBitAndAtomic)(UInt32 mask, volatile UInt32 *address)
{
	return __atomic_fetch_and(address, mask, SEQ);
}

UInt16 OSBitAndAtomic16(UInt32 mask, volatile UInt16 *address)
{
	return __atomic_fetch_and(address, (UInt16)mask, SEQ);
}

UInt8 OSBitAndAtomic8(UInt32 mask, volatile UInt8 *address)
{
	return __atomic_fetch_and(address, (UInt8)mask, SEQ);
}

UInt32 (OSBitOrAtomic)(UInt32 mask, volatile UInt32 *address)
{
	return __atomic_fetch_or(address, mask, SEQ);
}

UInt16 OSBitOrAtomic16(UInt32 mask, volatile UInt16 *address)
{
	return __atomic_fetch_or(address, (UInt16)mask, SEQ);
}

UInt8 OSBitOrAtomic8(UInt32 mask, volatile UInt8 *address)
{
	return __atomic_fetch_or(address, (UInt8)mask, SEQ);
}

UInt32 (OSBitXorAtomic)(UInt32 mask, volatile UInt32 *address)
{
	return __atomic_fetch_xor(address, mask, SEQ);
}

UInt16 OSBitXorAtomic16(UInt32 mask, volatile UInt16 *address)
{
	return __atomic_fetch_xor(address, (UInt16)mask, SEQ);
}

UInt8 OSBitXorAtomic8(UInt32 mask, volatile UInt8 *address)
{
	return __atomic_fetch_xor(address, (UInt8)mask, SEQ);
}

/* Apple numbers bits from the most significant bit of the first byte. */
static UInt8 bit_mask(UInt32 bit)
{
	return (UInt8)(0x80u >> (bit & 7u));
}

Boolean OSTestAndSet(UInt32 bit, volatile UInt8 *startAddress)
{
	UInt8 m = bit_mask(bit);

	return (__atomic_fetch_or(startAddress + (bit >> 3), m, SEQ) & m) != 0;
}

Boolean OSTestAndClear(UInt32 bit, volatile UInt8 *startAddress)
{
	UInt8 m = bit_mask(bit);

	return (__atomic_fetch_and(startAddress + (bit >> 3), (UInt8)~m, SEQ) & m) != 0;
}
