/*
 * kpi_malloc.c - OSMalloc on malloc, with tags that count what they own.
 *
 * As in XNU, OSMalloc_Tagfree on a tag that still owns memory does not free it at once:
 * the tag goes when its last block does. A kext that leaks therefore leaks its tag too,
 * which ASan/valgrind report at the end of the test. OSFree with the wrong size or tag
 * panics (on a Mac it corrupts the zone).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libkern/OSMalloc.h>
#include <libkern/libkern.h>

#include "kpi_int.h"

struct __OSMallocTag__ {
	pthread_mutex_t lock;
	uint64_t blocks;
	int released;
	char name[64];
};

/* Each block starts with this header, so OSFree can check size and tag. */
struct block_hdr {
	OSMallocTag tag;
	uint64_t size;
};

OSMallocTag OSMalloc_Tagalloc(const char *name, uint32_t flags)
{
	OSMallocTag t = calloc(1, sizeof(*t));

	(void)flags;
	if (t == NULL)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	if (name != NULL)
		kctl_kpi_strlcpy(t->name, name, sizeof(t->name));
	return t;
}

static void tag_destroy(OSMallocTag t)
{
	pthread_mutex_destroy(&t->lock);
	free(t);
}

void OSMalloc_Tagfree(OSMallocTag tag)
{
	int gone;

	if (tag == NULL)
		return;
	pthread_mutex_lock(&tag->lock);
	if (tag->released) {
		pthread_mutex_unlock(&tag->lock);
		kpi_panic("OSMalloc_Tagfree: tag freed twice");
	}
	tag->released = 1;
	gone = tag->blocks == 0;
	pthread_mutex_unlock(&tag->lock);
	if (gone)
		tag_destroy(tag);
}

void *OSMalloc(uint32_t size, OSMallocTag tag)
{
	struct block_hdr *h;

	if (tag == NULL)
		kpi_panic("OSMalloc: NULL tag");
	/* 16 bytes of header keep the block as aligned as malloc's */
	h = malloc(sizeof(*h) + (size_t)size);
	if (h == NULL)
		return NULL;
	h->tag = tag;
	h->size = size;
	pthread_mutex_lock(&tag->lock);
	tag->blocks++;
	pthread_mutex_unlock(&tag->lock);
	return h + 1;
}

void *OSMalloc_nowait(uint32_t size, OSMallocTag tag)
{
	return OSMalloc(size, tag);
}

void *OSMalloc_noblock(uint32_t size, OSMallocTag tag)
{
	return OSMalloc(size, tag);
}

void OSFree(void *addr, uint32_t size, OSMallocTag tag)
{
	struct block_hdr *h;
	int gone;

	if (addr == NULL)
		return;
	h = (struct block_hdr *)addr - 1;
	if (h->tag != tag)
		kpi_panic("OSFree: block freed with another tag than it was allocated with");
	if (h->size != size)
		kpi_panic("OSFree: size differs from the allocation's");
	free(h);
	pthread_mutex_lock(&tag->lock);
	tag->blocks--;
	gone = tag->released && tag->blocks == 0;
	pthread_mutex_unlock(&tag->lock);
	if (gone)
		tag_destroy(tag);
}
