/* kpi_mbuf_int.h - what the mbuf files of libkctl-kpi share (not installed). */
#ifndef KCTL_KPI_MBUF_INT_H
#define KCTL_KPI_MBUF_INT_H

#include <sys/kpi_mbuf.h>

#include "sim/sim_mbuf.h"

/* An mbuf_t is a segment of the simulator's chains. */
static inline struct kctl_sim_mbuf *M(mbuf_t m)
{
	return (struct kctl_sim_mbuf *)(void *)m;
}

static inline mbuf_t K(struct kctl_sim_mbuf *m)
{
	return (mbuf_t)(void *)m;
}

/* A packet of len bytes (len 0: one empty segment) held by the current kext. */
errno_t kpi_mbuf_chain(size_t len, struct kctl_sim_mbuf **out);
/* Frees one segment (its next is not followed) or a whole chain, forgetting the owner. */
void kpi_mbuf_free_segment(struct kctl_sim_mbuf *m);
void kpi_mbuf_free_chain(struct kctl_sim_mbuf *m);

#endif
