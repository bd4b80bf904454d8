/*
 * sim_ctl.c - the registry of controls (ctl_register / ctl_deregister), lookups, and
 * each control's list of attached sockets.
 *
 * A control object lives until kctl_sim_free even after it is deregistered, so a stale
 * reference is detected (-EINVAL) instead of being a use after free.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* A name must be 1..95 bytes and NUL-terminated within 96 (so says ctl_register). */
static bool name_ok(const char *name)
{
	size_t n = strnlen(name, KCTL_ABI_MAX_NAME);

	return n > 0 && n < KCTL_ABI_MAX_NAME;
}

struct kctl_sim_ctl *sim_ctl_by_name(kctl_sim_t *sim, const char *name)
{
	for (struct kctl_sim_ctl *c = sim->ctls; c != NULL; c = c->next)
		if (strncmp(c->reg.name, name, KCTL_ABI_MAX_NAME) == 0)
			return c;
	return NULL;
}

/* As XNU: a plain control matches its id whatever the unit; REG_ID_UNIT needs both. */
struct kctl_sim_ctl *sim_ctl_by_id_unit(kctl_sim_t *sim, uint32_t id, uint32_t unit)
{
	for (struct kctl_sim_ctl *c = sim->ctls; c != NULL; c = c->next) {
		if (c->id != id)
			continue;
		if (!(c->reg.flags & KCTL_ABI_CTL_FLAG_REG_ID_UNIT) || c->reg.unit == unit)
			return c;
	}
	return NULL;
}

uint32_t sim_ctl_count(const kctl_sim_t *sim)
{
	uint32_t n = 0;

	for (const struct kctl_sim_ctl *c = sim->ctls; c != NULL; c = c->next)
		n++;
	return n;
}

bool sim_ctl_is_stream(const struct kctl_sim_ctl *ctl)
{
	return (ctl->reg.flags & KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM) != 0;
}

/* The last id plus one; after a wrap, the first gap from 1 (XNU's rule). */
static uint32_t dynamic_id(const kctl_sim_t *sim)
{
	const struct kctl_sim_ctl *c = sim->ctls;
	uint32_t id = 1;

	if (c == NULL)
		return 1;
	while (c->next != NULL)
		c = c->next;
	if (c->id + 1 != 0)
		return c->id + 1;
	for (c = sim->ctls; c != NULL && c->id <= id; c = c->next)
		id = c->id + 1;
	return id;
}

/* Inserts keeping the registry sorted by id (a new equal id goes after the others). */
static void registry_insert(kctl_sim_t *sim, struct kctl_sim_ctl *ctl)
{
	struct kctl_sim_ctl **link = &sim->ctls;

	while (*link != NULL && (*link)->id <= ctl->id)
		link = &(*link)->next;
	ctl->next = *link;
	*link = ctl;
}

/* Under the lock: picks the id or finds the clash. */
static int registry_add(kctl_sim_t *sim, struct kctl_sim_reg *reg, struct kctl_sim_ctl *ctl)
{
	if (!(reg->flags & KCTL_ABI_CTL_FLAG_REG_ID_UNIT)) {
		if (sim_ctl_by_name(sim, reg->name) != NULL)
			return -EEXIST;
		reg->id = dynamic_id(sim);
	} else if (sim_ctl_by_id_unit(sim, reg->id, reg->unit) != NULL) {
		return -EEXIST;
	}
	/* The caller learns the defaults (written back only on success, as XNU). */
	if (reg->sendsize == 0)
		reg->sendsize = KCTL_ABI_CTL_SENDSIZE;
	if (reg->recvsize == 0)
		reg->recvsize = KCTL_ABI_CTL_RECVSIZE;
	ctl->id = reg->id;
	ctl->reg = *reg;
	ctl->registered = true;
	ctl->kctlref = sim_kctlref_new(sim);
	registry_insert(sim, ctl);
	sim->kctl_gen++;
	ctl->all_next = sim->all;
	sim->all = ctl;
	return 0;
}

int kctl_sim_register(kctl_sim_t *sim, struct kctl_sim_reg *reg, kctl_sim_ctl_t **out)
{
	struct kctl_sim_ctl *ctl;
	int err;

	if (sim == NULL || reg == NULL || out == NULL || reg->connect == NULL ||
	    !name_ok(reg->name))
		return -EINVAL;
	ctl = calloc(1, sizeof(*ctl));
	if (ctl == NULL)
		return -ENOMEM;
	ctl->sim = sim;
	sim_lock(sim);
	err = registry_add(sim, reg, ctl);
	sim_unlock(sim);
	if (err != 0) {
		free(ctl);
		return err;
	}
	*out = ctl;
	return 0;
}

int kctl_sim_deregister(kctl_sim_ctl_t *ctl)
{
	kctl_sim_t *sim;
	int err = 0;

	if (ctl == NULL)
		return -EINVAL;
	sim = ctl->sim;
	sim_lock(sim);
	if (!ctl->registered) {
		err = -EINVAL;
	} else if (ctl->units.count > 0 || ctl->pending > 0) {
		err = -EBUSY;
	} else {
		struct kctl_sim_ctl **link = &sim->ctls;

		while (*link != ctl)
			link = &(*link)->next;
		*link = ctl->next;
		ctl->next = NULL;
		ctl->registered = false;
		sim->kctl_gen++;
	}
	sim_unlock(sim);
	return err;
}

void *kctl_sim_ctl_cookie(const kctl_sim_ctl_t *ctl)
{
	return ctl != NULL ? ctl->reg.cookie : NULL;
}

kctl_sim_t *kctl_sim_ctl_sim(const kctl_sim_ctl_t *ctl)
{
	return ctl != NULL ? ctl->sim : NULL;
}

uint32_t kctl_sim_ctl_id(const kctl_sim_ctl_t *ctl)
{
	return ctl != NULL ? ctl->id : 0;
}

struct sim_sock *sim_ctl_find_unit(const struct kctl_sim_ctl *ctl, uint32_t unit)
{
	return sim_units_find(&ctl->units, unit);
}

int sim_ctl_attach(struct kctl_sim_ctl *ctl, struct sim_sock *s)
{
	int err = sim_units_add(&ctl->units, s);

	if (err != 0)
		return err;
	s->ctl = ctl;
	ctl->sim->kctl_gen++;
	return 0;
}

void sim_ctl_detach(struct sim_sock *s)
{
	if (s->ctl == NULL)
		return;
	sim_units_remove(&s->ctl->units, s);
	s->ctl->sim->kctl_gen++;
	s->ctl = NULL;
}

void sim_ctl_free_all(kctl_sim_t *sim)
{
	while (sim->all != NULL) {
		struct kctl_sim_ctl *c = sim->all;

		sim->all = c->all_next;
		sim_units_free(&c->units);
		free(c);
	}
	sim->ctls = NULL;
}
