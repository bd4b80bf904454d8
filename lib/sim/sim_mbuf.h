/*
 * sim_mbuf.h - the layout of a simulated mbuf (internal; the KPI shim needs it for
 * mbuf_setlen, mbuf_maxlen and friends).
 *
 * A packet is a chain of segments linked by `next`; only the first segment's pkthdr_len
 * is meaningful (the whole packet's length), as with M_PKTHDR on a Mac.
 */
#ifndef KCTL_SIM_MBUF_H
#define KCTL_SIM_MBUF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "kctl_sim.h"

/* What only the KPI shim reads and writes (mbuf_flags, mbuf_type, which kext holds the
 * segment); the simulator zeroes it when it makes a segment. */
struct kctl_sim_mbuf_kpi {
	uint32_t flags;                 /* MBUF_PKTHDR, MBUF_EOR, ... */
	uint32_t type;                  /* MBUF_TYPE_DATA, ... */
	void *owner;                    /* the kext holding it, or NULL */
	struct kctl_sim_mbuf *own_prev; /* in the owner's list */
	struct kctl_sim_mbuf *own_next;
	void *header;                   /* mbuf_pkthdr_header */
	void *rcvif;                    /* mbuf_pkthdr_rcvif */
};

struct kctl_sim_mbuf {
	struct kctl_sim_mbuf *next;
	struct kctl_sim_mbuf *nextpkt; /* the next packet of a list (sendmsg_x), or NULL */
	unsigned char *data; /* start of the valid bytes, inside buf */
	size_t len;          /* valid bytes in this segment */
	size_t maxlen;       /* bytes of buf */
	size_t pkthdr_len;   /* the packet's length (first segment only) */
	struct kctl_sim_mbuf_kpi kpi;
	unsigned char buf[]; /* the segment's storage */
};

/* A read position in a gather list. */
struct sim_iov_cursor {
	const struct iovec *iov;
	int iovcnt;
	int i;      /* current iovec */
	size_t off; /* offset inside it */
};

/*
 * Checks a gather/scatter list as the syscall layer does and sums it: -EINVAL (count
 * outside 0..1024, total above INT_MAX), -EFAULT (NULL list or NULL base with a length).
 */
int sim_iov_total(const struct iovec *iov, int iovcnt, size_t *total);

/* Allocates a chain of `len` bytes in segments of `seg` bytes (len 0: one empty). */
int sim_mbuf_alloc(size_t seg, size_t len, struct kctl_sim_mbuf **out);

/* The bytes of the whole chain: the sum of the segments' lengths. */
size_t sim_mbuf_chain_len(const struct kctl_sim_mbuf *m);

/* Allocates a chain of `len` bytes and fills it from the cursor, advancing it. */
int sim_mbuf_from_iov(size_t seg, struct sim_iov_cursor *cur, size_t len,
		      struct kctl_sim_mbuf **out);

#endif
