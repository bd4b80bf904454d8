/*
 * kpi_bsd_malloc.c - _MALLOC, _FREE, _MALLOC_ZONE and _FREE_ZONE (<sys/malloc.h>), with
 * xnu's bsd/kern/kern_malloc.c semantics: size 0 gives NULL, M_ZERO zeroes, a failure
 * is NULL with M_NOWAIT or M_NULL and a panic otherwise (xnu: "potential leak").
 */
#include <stdlib.h>

#include <sys/malloc.h>

#include "kpi_int.h"

void *_MALLOC(size_t size, int type, int flags)
{
	void *p;

	(void)type;
	if (size == 0)
		return NULL;
	p = (flags & M_ZERO) ? calloc(1, size) : malloc(size);
	if (p == NULL && !(flags & (M_NOWAIT | M_NULL)))
		kpi_panicf("_MALLOC: allocation of %zu bytes failed (potential leak)", size);
	return p;
}

void _FREE(void *addr, int type)
{
	(void)type;
	free(addr);
}

void *_MALLOC_ZONE(size_t size, int type, int flags)
{
	return _MALLOC(size, type, flags);
}

void _FREE_ZONE(void *elem, size_t size, int type)
{
	(void)size;
	_FREE(elem, type);
}
