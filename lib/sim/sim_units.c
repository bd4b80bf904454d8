/*
 * sim_units.c - a control's attached sockets by unit: a hash table for the lookups of
 * every enqueue and query, and a bitmap of the units 1..65535 for the kernel's choice
 * of the lowest free one. Attaching, detaching and finding are O(1) on average, so n
 * clients cost O(n) in all and a request costs the same with 10,000 units as with one.
 * Lock held for all of it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define WORD_BITS 64u

static size_t slot_of(const struct sim_units *u, uint32_t unit)
{
	return (size_t)((unit * 2654435761u) & (uint32_t)(u->cap - 1));
}

struct sim_sock *sim_units_find(const struct sim_units *u, uint32_t unit)
{
	if (u->count == 0)
		return NULL;
	for (size_t i = slot_of(u, unit);; i = (i + 1) & (u->cap - 1)) {
		struct sim_sock *s = u->slot[i];

		if (s == NULL || s->sac.sc_unit == unit)
			return s;
	}
}

/* Doubles the table (at most half full, so a probe always ends). */
static int table_grow(struct sim_units *u)
{
	size_t cap = u->cap ? u->cap * 2 : 16, old = u->cap;
	struct sim_sock **t = calloc(cap, sizeof(struct sim_sock *)), **was = u->slot;

	if (t == NULL)
		return -ENOMEM;
	u->slot = t;
	u->cap = cap;
	for (size_t i = 0; i < old; i++) {
		size_t j;

		if (was[i] == NULL)
			continue;
		for (j = slot_of(u, was[i]->sac.sc_unit); t[j] != NULL; j = (j + 1) & (cap - 1))
			;
		t[j] = was[i];
	}
	free(was);
	return 0;
}

/* Marks unit (1..65535) used or free in the bitmap, growing it to cover the unit. */
static int bitmap_set(struct sim_units *u, uint32_t unit, bool used)
{
	size_t w = unit / WORD_BITS;

	if (unit == 0 || unit > KCTL_ABI_MAX_UNIT)
		return 0; /* an explicit unit the kernel would never choose */
	if (w >= u->words) {
		size_t n = u->words ? u->words : 4;
		uint64_t *b;

		if (!used)
			return 0;
		while (n <= w)
			n *= 2;
		b = realloc(u->used, n * sizeof(*b));
		if (b == NULL)
			return -ENOMEM;
		memset(b + u->words, 0, (n - u->words) * sizeof(*b));
		u->used = b;
		u->words = n;
	}
	if (used) {
		u->used[w] |= (uint64_t)1 << (unit % WORD_BITS);
	} else {
		u->used[w] &= ~((uint64_t)1 << (unit % WORD_BITS));
		if (w < u->hint)
			u->hint = w; /* no free unit below this word but maybe here now */
	}
	return 0;
}

int sim_units_add(struct sim_units *u, struct sim_sock *s)
{
	uint32_t unit = s->sac.sc_unit;
	size_t i;

	if ((u->count + 1) * 2 > u->cap && table_grow(u) != 0)
		return -ENOMEM;
	if (bitmap_set(u, unit, true) != 0)
		return -ENOMEM;
	for (i = slot_of(u, unit); u->slot[i] != NULL; i = (i + 1) & (u->cap - 1))
		;
	u->slot[i] = s;
	u->count++;
	return 0;
}

void sim_units_remove(struct sim_units *u, struct sim_sock *s)
{
	size_t i = slot_of(u, s->sac.sc_unit), j;

	while (u->slot[i] != s)
		i = (i + 1) & (u->cap - 1);
	u->slot[i] = NULL;
	/* backward-shift deletion: a later entry moves up unless its home lies in (i, j] */
	for (j = (i + 1) & (u->cap - 1); u->slot[j] != NULL; j = (j + 1) & (u->cap - 1)) {
		size_t home = slot_of(u, u->slot[j]->sac.sc_unit);

		if (((j - home) & (u->cap - 1)) >= ((j - i) & (u->cap - 1))) {
			u->slot[i] = u->slot[j];
			u->slot[j] = NULL;
			i = j;
		}
	}
	u->count--;
	(void)bitmap_set(u, s->sac.sc_unit, false); /* clearing never allocates */
}

int sim_units_lowest_free(struct sim_units *u, uint32_t *unit)
{
	for (size_t w = u->hint; w < u->words; w++) {
		uint64_t used = u->used[w] | (w == 0 ? 1u : 0u); /* unit 0 is no unit */

		if (used == UINT64_MAX)
			continue;
		u->hint = w;
		for (uint32_t b = 0; b < WORD_BITS; b++)
			if (!(used & ((uint64_t)1 << b))) {
				uint32_t found = (uint32_t)(w * WORD_BITS + b);

				if (found > KCTL_ABI_MAX_UNIT)
					return -EBUSY;
				*unit = found;
				return 0;
			}
	}
	if (u->words * WORD_BITS > KCTL_ABI_MAX_UNIT)
		return -EBUSY;
	u->hint = u->words;
	*unit = u->words == 0 ? 1 : (uint32_t)(u->words * WORD_BITS);
	return 0;
}

void sim_units_free(struct sim_units *u)
{
	free(u->slot);
	free(u->used);
	memset(u, 0, sizeof(*u));
}
