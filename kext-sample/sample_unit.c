/*
 * sample_unit.c - per-unit state: allocated when a client connects (the connect
 * callback hands it to the kernel as unitinfo), freed when it disconnects.
 */
#include <string.h>

#include <libkern/libkern.h>

#include "sample.h"

/* "unit N": a unit's label until the client sets one. */
static void default_label(struct sample_unit *u)
{
	snprintf(u->label, sizeof(u->label), "unit %u", u->unit);
}

struct sample_unit *sample_unit_new(kern_ctl_ref ref, u_int32_t unit, int stream)
{
	struct sample_unit *u = OSMalloc((uint32_t)sizeof(*u), sample_g.tag);

	if (u == NULL)
		return NULL;
	/* zeroed: nothing of the allocator's previous contents may reach a client */
	memset(u, 0, sizeof(*u));
	u->lock = lck_mtx_alloc_init(sample_g.grp, LCK_ATTR_NULL);
	if (u->lock == NULL) {
		OSFree(u, (uint32_t)sizeof(*u), sample_g.tag);
		return NULL;
	}
	u->ref = ref;
	u->unit = unit;
	u->stream = stream;
	u->burst = 1;
	default_label(u);
	return u;
}

void sample_unit_free(struct sample_unit *u)
{
	lck_mtx_free(u->lock, sample_g.grp);
	OSFree(u, (uint32_t)sizeof(*u), sample_g.tag);
}
