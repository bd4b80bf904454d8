/*
 * kpi_ctl.c - ctl_register and friends on the simulated kernel.
 *
 * A kern_ctl_ref handed to the kext is a struct kpi_ctl of ours: it keeps the kext's
 * registration (Apple-style callbacks returning positive errnos) and the simulator's
 * control, whose callbacks are the trampolines below (negative errnos). Refs live in a
 * registry so that a stale or bogus ref answers EINVAL, as XNU's kctlref table does,
 * instead of touching freed memory; the registry's read lock is held across each call
 * into the simulator, which never calls back from those, so deregistration cannot free
 * a control under an enqueue.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sys/kern_control.h>

#include "kpi_int.h"

/*
 * This file is built with KERNEL_PRIVATE, so its struct kern_ctl_reg is the long one;
 * a third-party kext passes the short, public one. As XNU does, read the private tail
 * (rcvd) only when CTL_FLAG_REG_EXTENDED says it is there.
 */
#define KPI_REG_PUBLIC_SIZE offsetof(struct kern_ctl_reg, ctl_rcvd)

_Static_assert(sizeof(struct sockaddr_ctl) == sizeof(struct kctl_abi_sockaddr_ctl),
	       "sockaddr_ctl is Darwin's 32 bytes");
_Static_assert(MAX_KCTL_NAME == KCTL_ABI_MAX_NAME, "same name size");

struct kpi_ctl {
	struct kpi_ctl *next;
	kctl_sim_ctl_t *sim_ctl;
	struct kern_ctl_reg reg; /* the kext's callbacks */
};

static pthread_rwlock_t reg_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct kpi_ctl *reg_list;

/* Apple's KPI returns positive errnos, the simulator takes negative ones. */
static int to_sim(errno_t e)
{
	return e > 0 ? -e : e;
}

static errno_t to_kpi(int e)
{
	return e < 0 ? -e : e;
}

static struct kpi_ctl *from_sim(kctl_sim_ctl_t *ctl)
{
	return kctl_sim_ctl_cookie(ctl);
}

/* ---- trampolines: the simulator calls these, they call the kext ---- */

static int tr_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		      void **unitinfo)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct sockaddr_ctl sa;

	memcpy(&sa, sac, sizeof(sa));
	return to_sim(c->reg.ctl_connect(c, &sa, unitinfo));
}

static int tr_disconnect(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo)
{
	struct kpi_ctl *c = from_sim(ctl);

	return to_sim(c->reg.ctl_disconnect(c, unit, unitinfo));
}

static int tr_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		   int flags)
{
	struct kpi_ctl *c = from_sim(ctl);

	return to_sim(c->reg.ctl_send(c, unit, unitinfo, (mbuf_t)(void *)m, flags));
}

static int tr_setopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		     size_t len)
{
	struct kpi_ctl *c = from_sim(ctl);

	return to_sim(c->reg.ctl_setopt(c, unit, unitinfo, opt, data, len));
}

static int tr_getopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		     size_t *len)
{
	struct kpi_ctl *c = from_sim(ctl);

	return to_sim(c->reg.ctl_getopt(c, unit, unitinfo, opt, data, len));
}

static void tr_rcvd(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int flags)
{
	struct kpi_ctl *c = from_sim(ctl);

	c->reg.ctl_rcvd(c, unit, unitinfo, flags);
}

/* ---- registration ---- */

static void sim_reg_from(struct kctl_sim_reg *r, const struct kern_ctl_reg *k)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->name, k->ctl_name, sizeof(r->name));
	r->id = k->ctl_id;
	r->unit = k->ctl_unit;
	r->flags = k->ctl_flags;
	r->sendsize = k->ctl_sendsize;
	r->recvsize = k->ctl_recvsize;
	/* a callback the kext leaves NULL stays NULL: the simulator then answers as XNU */
	r->connect = k->ctl_connect != NULL ? tr_connect : NULL;
	r->disconnect = k->ctl_disconnect != NULL ? tr_disconnect : NULL;
	r->send = k->ctl_send != NULL ? tr_send : NULL;
	r->setopt = k->ctl_setopt != NULL ? tr_setopt : NULL;
	r->getopt = k->ctl_getopt != NULL ? tr_getopt : NULL;
	r->rcvd = k->ctl_rcvd != NULL ? tr_rcvd : NULL;
}

errno_t ctl_register(struct kern_ctl_reg *userkctl, kern_ctl_ref *kctlref)
{
	kctl_sim_t *sim = kpi_kernel();
	struct kctl_sim_reg r;
	struct kpi_ctl *c;
	int err;

	if (userkctl == NULL || kctlref == NULL)
		return EINVAL;
	if (sim == NULL)
		kpi_panic("ctl_register: no kernel (load the kext with kctl_kpi_load)");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return ENOMEM;
	memcpy(&c->reg, userkctl, KPI_REG_PUBLIC_SIZE);
	if ((userkctl->ctl_flags & CTL_FLAG_REG_EXTENDED) != 0)
		c->reg.ctl_rcvd = userkctl->ctl_rcvd;
	sim_reg_from(&r, &c->reg);
	r.cookie = c;
	pthread_rwlock_wrlock(&reg_lock);
	err = kctl_sim_register(sim, &r, &c->sim_ctl);
	if (err == 0) {
		c->next = reg_list;
		reg_list = c;
	}
	pthread_rwlock_unlock(&reg_lock);
	if (err != 0) {
		free(c);
		return to_kpi(err);
	}
	userkctl->ctl_id = r.id;
	userkctl->ctl_sendsize = r.sendsize;
	userkctl->ctl_recvsize = r.recvsize;
	*kctlref = c;
	return 0;
}

/* Under reg_lock: the registered control behind ref, or NULL. */
static struct kpi_ctl *lookup(kern_ctl_ref ref)
{
	for (struct kpi_ctl *c = reg_list; c != NULL; c = c->next)
		if (c == ref)
			return c;
	return NULL;
}

errno_t ctl_deregister(kern_ctl_ref kctlref)
{
	struct kpi_ctl *c, **p;
	int err = -EINVAL;

	pthread_rwlock_wrlock(&reg_lock);
	c = lookup(kctlref);
	if (c != NULL)
		err = kctl_sim_deregister(c->sim_ctl);
	if (err == 0) {
		for (p = &reg_list; *p != c; p = &(*p)->next)
			;
		*p = c->next;
		free(c);
	}
	pthread_rwlock_unlock(&reg_lock);
	return to_kpi(err);
}

errno_t ctl_enqueuedata(kern_ctl_ref kctlref, u_int32_t unit, void *data, size_t len,
			u_int32_t flags)
{
	struct kpi_ctl *c;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&reg_lock);
	c = lookup(kctlref);
	if (c != NULL)
		err = kctl_sim_enqueue(c->sim_ctl, unit, data, len, flags);
	pthread_rwlock_unlock(&reg_lock);
	return to_kpi(err);
}

errno_t ctl_enqueuembuf(kern_ctl_ref kctlref, u_int32_t unit, mbuf_t m, u_int32_t flags)
{
	struct kpi_ctl *c;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&reg_lock);
	c = lookup(kctlref);
	if (c != NULL && m != NULL)
		err = kctl_sim_enqueue_mbuf(c->sim_ctl, unit, (kctl_sim_mbuf_t *)(void *)m,
					    flags);
	pthread_rwlock_unlock(&reg_lock);
	return to_kpi(err);
}

errno_t ctl_getenqueuespace(kern_ctl_ref kctlref, u_int32_t unit, size_t *space)
{
	struct kpi_ctl *c;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&reg_lock);
	c = lookup(kctlref);
	if (c != NULL && space != NULL)
		err = kctl_sim_enqueue_space(c->sim_ctl, unit, space);
	pthread_rwlock_unlock(&reg_lock);
	return to_kpi(err);
}

/*
 * kern_control.c's meaning: the bytes still missing before the client's socket is
 * readable (low-water mark minus bytes queued, 0 once readable), which the simulator's
 * kctl_sim_enqueue_readable computes; it is not the number of bytes queued.
 */
errno_t ctl_getenqueuereadable(kern_ctl_ref kctlref, u_int32_t unit, u_int32_t *difference)
{
	struct kpi_ctl *c;
	size_t diff = 0;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&reg_lock);
	c = lookup(kctlref);
	if (c != NULL && difference != NULL)
		err = kctl_sim_enqueue_readable(c->sim_ctl, unit, &diff);
	pthread_rwlock_unlock(&reg_lock);
	if (err == 0)
		*difference = diff > UINT32_MAX ? UINT32_MAX : (u_int32_t)diff;
	return to_kpi(err);
}

errno_t ctl_getenqueuepacketcount(kern_ctl_ref kctlref, u_int32_t unit, u_int32_t *pcnt)
{
	struct kpi_ctl *c;
	size_t n = 0;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&reg_lock);
	c = lookup(kctlref);
	if (c != NULL && pcnt != NULL)
		err = kctl_sim_enqueue_packets(c->sim_ctl, unit, &n);
	pthread_rwlock_unlock(&reg_lock);
	if (err == 0)
		*pcnt = n > UINT32_MAX ? UINT32_MAX : (u_int32_t)n;
	return to_kpi(err);
}
