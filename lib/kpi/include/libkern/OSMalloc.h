/*
 * <libkern/OSMalloc.h> for kext code running in the simulated kernel (libkctl-kpi):
 * tagged allocations on malloc. Each tag counts its live blocks; OSFree with
 * a size or tag other than the allocation's panics (aborts with a message). As in
 * XNU, a tag freed while it owns memory goes with its last block, so a leaking kext
 * leaks its tag too and the leak checkers (ASan, valgrind) fail the test.
 */
#ifndef KCTL_KPI_LIBKERN_OSMALLOC_H
#define KCTL_KPI_LIBKERN_OSMALLOC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct __OSMallocTag__ *OSMallocTag;
typedef struct __OSMallocTag__ *OSMallocTag_t;

#define OSMT_DEFAULT 0x00
#define OSMT_PAGEABLE 0x01

OSMallocTag OSMalloc_Tagalloc(const char *name, uint32_t flags);
void OSMalloc_Tagfree(OSMallocTag tag);
void *OSMalloc(uint32_t size, OSMallocTag tag);
void *OSMalloc_nowait(uint32_t size, OSMallocTag tag);
void *OSMalloc_noblock(uint32_t size, OSMallocTag tag);
void OSFree(void *addr, uint32_t size, OSMallocTag tag);

#ifdef __cplusplus
}
#endif

#endif
