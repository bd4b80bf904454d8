/*
 * kpi_ctl_enqueue.c - ctl_enqueuedata, ctl_enqueuembuf, ctl_enqueuembuf_list and the
 * three queue queries, on the simulator's client sockets.
 *
 * A queued mbuf becomes the kernel's: it leaves the kext's count before the simulator
 * takes it, and comes back to the kext if the enqueue fails (the kext still owns it
 * then, as on a Mac). ctl_enqueuembuf_list follows xnu's: EINVAL with no client,
 * EOPNOTSUPP on a stream control, EINVAL with CTL_DATA_EOR (each packet is a record of
 * its own anyway), ENOBUFS at the first packet that does not fit; the packets not queued
 * go back through *m_remain or, without one, are freed by the kernel.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "kpi_ctl_int.h"
#include "kpi_mbuf_int.h"

errno_t ctl_enqueuedata(kern_ctl_ref kctlref, u_int32_t unit, void *data, size_t len,
			u_int32_t flags)
{
	struct kpi_ctl *c;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&kpi_ctl_lock);
	c = kpi_ctl_lookup(kctlref);
	if (c != NULL)
		err = kctl_sim_enqueue(c->sim_ctl, unit, data, len, flags);
	pthread_rwlock_unlock(&kpi_ctl_lock);
	return kpi_ctl_to_kpi(err);
}

/* Under the read lock: queues one packet, which the kernel then owns. */
static int enqueue_packet(struct kpi_ctl *c, u_int32_t unit, struct kctl_sim_mbuf *m,
			  u_int32_t flags)
{
	struct kctl_kpi_kext *owner = kpi_mbuf_owner(m);
	int err;

	kpi_mbuf_disown_chain(m);
	err = kctl_sim_enqueue_mbuf(c->sim_ctl, unit, m, flags);
	if (err != 0)
		kpi_mbuf_own_chain(m, owner);
	return err;
}

errno_t ctl_enqueuembuf(kern_ctl_ref kctlref, u_int32_t unit, mbuf_t m, u_int32_t flags)
{
	struct kpi_ctl *c;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&kpi_ctl_lock);
	c = kpi_ctl_lookup(kctlref);
	if (c != NULL && m != NULL)
		err = enqueue_packet(c, unit, M(m), flags);
	pthread_rwlock_unlock(&kpi_ctl_lock);
	return kpi_ctl_to_kpi(err);
}

/* Under the read lock: the checks xnu makes before the first packet. */
static int list_allowed(struct kpi_ctl *c, u_int32_t unit, u_int32_t flags)
{
	size_t space;

	if (c == NULL || kctl_sim_enqueue_space(c->sim_ctl, unit, &space) != 0)
		return -EINVAL;
	if (c->reg.ctl_flags & CTL_FLAG_REG_SOCK_STREAM)
		return -EOPNOTSUPP;
	if (flags & CTL_DATA_EOR)
		return -EINVAL;
	return 0;
}

/* Under the read lock: queues packets until one fails; *left gets the rest. */
static int enqueue_list(struct kpi_ctl *c, u_int32_t unit, struct kctl_sim_mbuf *m,
			u_int32_t flags, struct kctl_sim_mbuf **left)
{
	int err = 0;

	while (m != NULL) {
		struct kctl_sim_mbuf *next = m->nextpkt;

		m->nextpkt = NULL;
		err = enqueue_packet(c, unit, m, flags | CTL_DATA_EOR);
		if (err != 0) {
			m->nextpkt = next;
			break;
		}
		m = next;
	}
	*left = m;
	return err;
}

errno_t ctl_enqueuembuf_list(kern_ctl_ref kctlref, u_int32_t unit, mbuf_t m_list,
			     u_int32_t flags, mbuf_t *m_remain)
{
	struct kctl_sim_mbuf *left = M(m_list);
	struct kpi_ctl *c;
	int err;

	pthread_rwlock_rdlock(&kpi_ctl_lock);
	c = kpi_ctl_lookup(kctlref);
	err = list_allowed(c, unit, flags);
	if (err == 0)
		err = enqueue_list(c, unit, M(m_list), flags, &left);
	pthread_rwlock_unlock(&kpi_ctl_lock);
	if (m_remain != NULL)
		*m_remain = K(left);
	else
		(void)mbuf_freem_list(K(left));
	return kpi_ctl_to_kpi(err);
}

errno_t ctl_getenqueuespace(kern_ctl_ref kctlref, u_int32_t unit, size_t *space)
{
	struct kpi_ctl *c;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&kpi_ctl_lock);
	c = kpi_ctl_lookup(kctlref);
	if (c != NULL && space != NULL)
		err = kctl_sim_enqueue_space(c->sim_ctl, unit, space);
	pthread_rwlock_unlock(&kpi_ctl_lock);
	return kpi_ctl_to_kpi(err);
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

	pthread_rwlock_rdlock(&kpi_ctl_lock);
	c = kpi_ctl_lookup(kctlref);
	if (c != NULL && difference != NULL)
		err = kctl_sim_enqueue_readable(c->sim_ctl, unit, &diff);
	pthread_rwlock_unlock(&kpi_ctl_lock);
	if (err == 0)
		*difference = diff > UINT32_MAX ? UINT32_MAX : (u_int32_t)diff;
	return kpi_ctl_to_kpi(err);
}

errno_t ctl_getenqueuepacketcount(kern_ctl_ref kctlref, u_int32_t unit, u_int32_t *pcnt)
{
	struct kpi_ctl *c;
	size_t n = 0;
	int err = -EINVAL;

	pthread_rwlock_rdlock(&kpi_ctl_lock);
	c = kpi_ctl_lookup(kctlref);
	if (c != NULL && pcnt != NULL)
		err = kctl_sim_enqueue_packets(c->sim_ctl, unit, &n);
	pthread_rwlock_unlock(&kpi_ctl_lock);
	if (err == 0)
		*pcnt = n > UINT32_MAX ? UINT32_MAX : (u_int32_t)n;
	return kpi_ctl_to_kpi(err);
}
