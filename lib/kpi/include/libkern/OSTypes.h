/* <libkern/OSTypes.h> for kext code (libkctl-kpi): Apple's fixed-width type names. */
#ifndef KCTL_KPI_LIBKERN_OSTYPES_H
#define KCTL_KPI_LIBKERN_OSTYPES_H

#include <stdint.h>

typedef uint64_t UInt64;
typedef int64_t SInt64;
typedef uint32_t UInt32;
typedef int32_t SInt32;
typedef uint16_t UInt16;
typedef int16_t SInt16;
typedef uint8_t UInt8;
typedef int8_t SInt8;
typedef unsigned char Boolean;
typedef UInt32 OptionBits;
typedef SInt32 OSStatus;
typedef UInt64 AbsoluteTime;
typedef UInt32 IOItemCount;

#endif
