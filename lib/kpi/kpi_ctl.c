/*
 * kpi_ctl.c - ctl_register and ctl_deregister on the simulated kernel, and taking back
 * what a stopped kext left registered (see kpi_ctl_int.h for the registry).
 *
 * xnu's ctl_register reads the kernel-private tail of struct kern_ctl_reg by the flags
 * (rcvd and send_list with CTL_FLAG_REG_EXTENDED, setup with CTL_FLAG_REG_SETUP) except
 * bind, which it always reads. A third-party kext's struct has no tail, so the header
 * routes ctl_register() to kctl_kpi_ctl_register_sized(), which knows how much the kext
 * declared and reads nothing beyond it; with the tail present, the same rules as xnu's.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_ctl_int.h"

#define REG_PUBLIC_SIZE offsetof(struct kern_ctl_reg, ctl_rcvd)
#define REG_PRIVATE_SIZE sizeof(struct kern_ctl_reg)

_Static_assert(sizeof(struct sockaddr_ctl) == sizeof(struct kctl_abi_sockaddr_ctl),
	       "sockaddr_ctl is Darwin's 32 bytes");
_Static_assert(MAX_KCTL_NAME == KCTL_ABI_MAX_NAME, "same name size");

pthread_rwlock_t kpi_ctl_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct kpi_ctl *reg_list;

struct kpi_ctl *kpi_ctl_lookup(kern_ctl_ref ref)
{
	for (struct kpi_ctl *c = reg_list; c != NULL; c = c->next)
		if (c == ref)
			return c;
	return NULL;
}

/* The callbacks xnu's ctl_register keeps from a registration of reg_size bytes. */
static void take_registration(struct kern_ctl_reg *dst, const struct kern_ctl_reg *src,
			      size_t reg_size)
{
	memset(dst, 0, sizeof(*dst));
	memcpy(dst, src, REG_PUBLIC_SIZE);
	if (reg_size < REG_PRIVATE_SIZE)
		return;
	dst->ctl_bind = src->ctl_bind;
	if (src->ctl_flags & CTL_FLAG_REG_SETUP)
		dst->ctl_setup = src->ctl_setup;
	if (src->ctl_flags & CTL_FLAG_REG_EXTENDED) {
		dst->ctl_rcvd = src->ctl_rcvd;
		dst->ctl_send_list = src->ctl_send_list;
	}
}

/* Registers c with the simulator (under the write lock). */
static int register_locked(kctl_sim_t *sim, struct kpi_ctl *c, struct kctl_sim_reg *r)
{
	int err = kctl_sim_register(sim, r, &c->sim_ctl);

	if (err == 0 && c->reg.ctl_send_list != NULL)
		err = kctl_sim_ctl_set_send_list(c->sim_ctl, kpi_ctl_tr_send_list);
	if (err != 0)
		return err;
	c->next = reg_list;
	reg_list = c;
	return 0;
}

errno_t kctl_kpi_ctl_register_sized(struct kern_ctl_reg *userkctl, kern_ctl_ref *kctlref,
				    size_t reg_size)
{
	kctl_sim_t *sim = kpi_kernel();
	struct kctl_sim_reg r;
	struct kpi_ctl *c;
	int err;

	if (userkctl == NULL || kctlref == NULL || reg_size < REG_PUBLIC_SIZE)
		return EINVAL;
	if (sim == NULL)
		kpi_panic("ctl_register: no kernel (load the kext with kctl_kpi_load)");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return ENOMEM;
	take_registration(&c->reg, userkctl, reg_size);
	c->kext = kpi_current_kext();
	kpi_ctl_sim_reg(&r, c);
	pthread_rwlock_wrlock(&kpi_ctl_lock);
	err = register_locked(sim, c, &r);
	pthread_rwlock_unlock(&kpi_ctl_lock);
	if (err != 0) {
		if (c->sim_ctl != NULL)
			(void)kctl_sim_deregister(c->sim_ctl);
		free(c);
		return kpi_ctl_to_kpi(err);
	}
	userkctl->ctl_id = r.id;
	userkctl->ctl_sendsize = r.sendsize;
	userkctl->ctl_recvsize = r.recvsize;
	*kctlref = c;
	return 0;
}

/* Reached only through (ctl_register)(...) or a function pointer: the public size. */
errno_t (ctl_register)(struct kern_ctl_reg *userkctl, kern_ctl_ref *kctlref)
{
	return kctl_kpi_ctl_register_sized(userkctl, kctlref, REG_PUBLIC_SIZE);
}

/* Under the write lock: unlinks and frees c. */
static void drop_locked(struct kpi_ctl *c)
{
	struct kpi_ctl **p = &reg_list;

	while (*p != c)
		p = &(*p)->next;
	*p = c->next;
	free(c);
}

errno_t ctl_deregister(kern_ctl_ref kctlref)
{
	struct kpi_ctl *c;
	int err = -EINVAL;

	pthread_rwlock_wrlock(&kpi_ctl_lock);
	c = kpi_ctl_lookup(kctlref);
	if (c != NULL)
		err = kctl_sim_deregister(c->sim_ctl);
	if (err == 0)
		drop_locked(c);
	pthread_rwlock_unlock(&kpi_ctl_lock);
	return kpi_ctl_to_kpi(err);
}

static void add_name(char *names, size_t cap, const char *name)
{
	size_t used = strlen(names);

	snprintf(names + used, cap - used, "%s'%.*s'", used != 0 ? ", " : "",
		 MAX_KCTL_NAME, name);
}

void kpi_ctl_sweep(struct kctl_kpi_kext *k, struct kpi_ctl_sweep *out)
{
	struct kpi_ctl *c, *next;

	memset(out, 0, sizeof(*out));
	pthread_rwlock_wrlock(&kpi_ctl_lock);
	for (c = reg_list; c != NULL; c = next) {
		next = c->next;
		if (c->kext != k)
			continue;
		atomic_store(&c->orphan, 1);
		if (kctl_sim_deregister(c->sim_ctl) == 0) {
			add_name(out->removed_names, sizeof(out->removed_names), c->reg.ctl_name);
			drop_locked(c);
			out->removed++;
		} else {
			add_name(out->attached_names, sizeof(out->attached_names),
				 c->reg.ctl_name);
			out->attached++;
		}
	}
	pthread_rwlock_unlock(&kpi_ctl_lock);
}
