/*
 * <sys/malloc.h> for kext code running in the simulated kernel (libkctl-kpi): BSD's
 * _MALLOC/_FREE and their MALLOC/FREE macros, with xnu's semantics: M_ZERO zeroes, a size
 * of 0 returns NULL, a failed M_WAITOK allocation panics (xnu's does too) while M_NOWAIT
 * or M_NULL returns NULL, and _FREE(NULL) does nothing. The type only labels the
 * allocation. (These calls are deprecated on macOS; kexts still use them.)
 */
#ifndef KCTL_KPI_SYS_MALLOC_H
#define KCTL_KPI_SYS_MALLOC_H

#include <stddef.h>

#include <sys/_kpi_cdefs.h>

__BEGIN_DECLS

#define M_WAITOK 0x0000
#define M_NOWAIT 0x0001
#define M_ZERO 0x0004 /* bzero the allocation */
#define M_NULL 0x0008 /* return NULL if space is unavailable */

#define M_PCB 4
#define M_RTABLE 5
#define M_IFADDR 9
#define M_SONAME 11
#define M_LOCKF 40
#define M_TEMP 80
#define M_UDFNODE 84
#define M_UDFMNT 85
#define M_KAUTH 100
#ifdef KERNEL_PRIVATE
#define M_DEVBUF 2
#endif

#define MALLOC(space, cast, size, type, flags) \
	(space) = (cast)_MALLOC(size, type, flags)
#define FREE(addr, type) \
	_FREE((void *)addr, type)
#define MALLOC_ZONE(space, cast, size, type, flags) \
	(space) = (cast)_MALLOC_ZONE(size, type, flags)
#define FREE_ZONE(addr, size, type) \
	_FREE_ZONE((void *)addr, size, type)

void *_MALLOC(size_t size, int type, int flags);
void _FREE(void *addr, int type);
void *_MALLOC_ZONE(size_t size, int type, int flags);
void _FREE_ZONE(void *elem, size_t size, int type);

__END_DECLS

#endif
