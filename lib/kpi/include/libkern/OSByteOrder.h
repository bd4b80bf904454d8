/* <libkern/OSByteOrder.h> for kext code (libkctl-kpi): byte swaps and host/big/little
 * endian conversions, as inline functions and macros with Apple's names. */
#ifndef KCTL_KPI_LIBKERN_OSBYTEORDER_H
#define KCTL_KPI_LIBKERN_OSBYTEORDER_H

#include <stdint.h>

static __inline__ uint16_t OSSwapInt16(uint16_t data)
{
	return __builtin_bswap16(data);
}

static __inline__ uint32_t OSSwapInt32(uint32_t data)
{
	return __builtin_bswap32(data);
}

static __inline__ uint64_t OSSwapInt64(uint64_t data)
{
	return __builtin_bswap64(data);
}

#define OSUnknownByteOrder 0
#define OSLittleEndian 1
#define OSBigEndian 2

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define OSHostByteOrder() OSLittleEndian
#define OSSwapHostToBigInt16(x) OSSwapInt16(x)
#define OSSwapHostToBigInt32(x) OSSwapInt32(x)
#define OSSwapHostToBigInt64(x) OSSwapInt64(x)
#define OSSwapHostToLittleInt16(x) ((uint16_t)(x))
#define OSSwapHostToLittleInt32(x) ((uint32_t)(x))
#define OSSwapHostToLittleInt64(x) ((uint64_t)(x))
#else
#define OSHostByteOrder() OSBigEndian
#define OSSwapHostToBigInt16(x) ((uint16_t)(x))
#define OSSwapHostToBigInt32(x) ((uint32_t)(x))
#define OSSwapHostToBigInt64(x) ((uint64_t)(x))
#define OSSwapHostToLittleInt16(x) OSSwapInt16(x)
#define OSSwapHostToLittleInt32(x) OSSwapInt32(x)
#define OSSwapHostToLittleInt64(x) OSSwapInt64(x)
#endif
#define OSSwapBigToHostInt16(x) OSSwapHostToBigInt16(x)
#define OSSwapBigToHostInt32(x) OSSwapHostToBigInt32(x)
#define OSSwapBigToHostInt64(x) OSSwapHostToBigInt64(x)
#define OSSwapLittleToHostInt16(x) OSSwapHostToLittleInt16(x)
#define OSSwapLittleToHostInt32(x) OSSwapHostToLittleInt32(x)
#define OSSwapLittleToHostInt64(x) OSSwapHostToLittleInt64(x)

#endif
