/*
 * kpi_mbuf_own.c - which kext holds which mbuf, so that a kext unloaded while still
 * holding some is reported with the count and the mbufs given back to the kernel.
 *
 * Every segment a kext receives (a send callback's chain) or allocates (mbuf_* calls
 * made for it) goes on its kext's list; a segment leaves it when it is freed or handed
 * back to the kernel (ctl_enqueuembuf). Segments taken by code that is no kext's (a
 * test calling the KPI directly) are not tracked. One lock for every list: the cost is
 * a few pointer writes per segment on the message path, no allocation.
 */
#include <pthread.h>
#include <stddef.h>

#include "kpi_int.h"
#include "sim/sim_mbuf.h"

static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;

/* Under own_lock. */
static void link_segment(struct kctl_sim_mbuf *m, struct kctl_kpi_kext *k)
{
	m->kpi.owner = k;
	m->kpi.own_prev = NULL;
	m->kpi.own_next = k->mbufs;
	if (k->mbufs != NULL)
		k->mbufs->kpi.own_prev = m;
	k->mbufs = m;
	k->nmbufs++;
}

/* Under own_lock. */
static void unlink_segment(struct kctl_sim_mbuf *m)
{
	struct kctl_kpi_kext *k = m->kpi.owner;

	if (k == NULL)
		return;
	if (m->kpi.own_prev != NULL)
		m->kpi.own_prev->kpi.own_next = m->kpi.own_next;
	else
		k->mbufs = m->kpi.own_next;
	if (m->kpi.own_next != NULL)
		m->kpi.own_next->kpi.own_prev = m->kpi.own_prev;
	m->kpi.owner = NULL;
	m->kpi.own_prev = m->kpi.own_next = NULL;
	k->nmbufs--;
}

void kpi_mbuf_own_chain(struct kctl_sim_mbuf *m, struct kctl_kpi_kext *k)
{
	pthread_mutex_lock(&own_lock);
	for (; m != NULL; m = m->next) {
		unlink_segment(m);
		if (k != NULL)
			link_segment(m, k);
	}
	pthread_mutex_unlock(&own_lock);
}

void kpi_mbuf_own_list(struct kctl_sim_mbuf *m, struct kctl_kpi_kext *k)
{
	for (; m != NULL; m = m->nextpkt)
		kpi_mbuf_own_chain(m, k);
}

struct kctl_kpi_kext *kpi_mbuf_owner(const struct kctl_sim_mbuf *m)
{
	struct kctl_kpi_kext *k;

	pthread_mutex_lock(&own_lock);
	k = m->kpi.owner;
	pthread_mutex_unlock(&own_lock);
	return k;
}

void kpi_mbuf_disown(struct kctl_sim_mbuf *m)
{
	pthread_mutex_lock(&own_lock);
	unlink_segment(m);
	pthread_mutex_unlock(&own_lock);
}

void kpi_mbuf_disown_chain(struct kctl_sim_mbuf *m)
{
	pthread_mutex_lock(&own_lock);
	for (; m != NULL; m = m->next)
		unlink_segment(m);
	pthread_mutex_unlock(&own_lock);
}

size_t kpi_mbuf_reclaim(struct kctl_kpi_kext *k)
{
	struct kctl_sim_mbuf *m;
	size_t n;

	pthread_mutex_lock(&own_lock);
	m = k->mbufs;
	n = k->nmbufs;
	k->mbufs = NULL;
	k->nmbufs = 0;
	pthread_mutex_unlock(&own_lock);
	/* each segment on its own: the kext may have linked them any way it liked */
	while (m != NULL) {
		struct kctl_sim_mbuf *next = m->kpi.own_next;

		m->next = NULL;
		kctl_sim_mbuf_free(m);
		m = next;
	}
	return n;
}

int kpi_mbuf_segment(struct kctl_sim_mbuf **out)
{
	kctl_sim_t *sim = kpi_kernel();
	struct kctl_sim_mbuf *m;

	if (sim == NULL)
		kpi_panic("mbuf: no kernel (load the kext with kctl_kpi_load)");
	if (kctl_sim_mbuf_alloc(sim, 0, &m) != 0)
		return -1;
	m->pkthdr_len = 0;
	m->kpi.type = 1; /* MBUF_TYPE_DATA */
	kpi_mbuf_own_chain(m, kpi_current_kext());
	*out = m;
	return 0;
}
