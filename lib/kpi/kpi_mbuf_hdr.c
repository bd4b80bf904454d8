/*
 * kpi_mbuf_hdr.c - what an mbuf says about itself: its flags and type, the packet
 * header (length, header pointer, receiving interface), the packet list it is in, and
 * single-mbuf allocation. Rules as in xnu's bsd/kern/kpi_mbuf.c: only the public flags
 * can be set and MBUF_EXT never changes; MBUF_TYPE_FREE cannot be set; a packet header
 * is copied only from an mbuf that has one. There are no interfaces in the simulator,
 * so the receiving interface is whatever the kext set (NULL otherwise).
 */
#include <errno.h>
#include <stddef.h>

#include <sys/kpi_mbuf.h>

#include "kpi_int.h"
#include "kpi_mbuf_int.h"

#define FLAGS_PUBLIC (MBUF_EXT | MBUF_PKTHDR | MBUF_EOR | MBUF_LOOP | MBUF_BCAST | \
		      MBUF_MCAST | MBUF_FRAG | MBUF_FIRSTFRAG | MBUF_LASTFRAG |        \
		      MBUF_PROMISC | MBUF_HASFCS)
#define FLAGS_FIXED MBUF_EXT

mbuf_t mbuf_nextpkt(const mbuf_t mbuf)
{
	return K(M(mbuf)->nextpkt);
}

void mbuf_setnextpkt(mbuf_t mbuf, mbuf_t nextpkt)
{
	M(mbuf)->nextpkt = M(nextpkt);
}

mbuf_type_t mbuf_type(const mbuf_t mbuf)
{
	return M(mbuf)->kpi.type;
}

errno_t mbuf_settype(mbuf_t mbuf, mbuf_type_t new_type)
{
	if (new_type == MBUF_TYPE_FREE)
		return EINVAL;
	M(mbuf)->kpi.type = new_type;
	return 0;
}

mbuf_flags_t mbuf_flags(const mbuf_t mbuf)
{
	return M(mbuf)->kpi.flags & FLAGS_PUBLIC;
}

/* A packet header appears or goes: xnu's m_reinit starts it empty. */
static void pkthdr_toggled(struct kctl_sim_mbuf *m, mbuf_flags_t before)
{
	if (((before ^ m->kpi.flags) & MBUF_PKTHDR) == 0)
		return;
	m->pkthdr_len = 0;
	m->kpi.header = NULL;
	m->kpi.rcvif = NULL;
}

errno_t mbuf_setflags(mbuf_t mbuf, mbuf_flags_t flags)
{
	struct kctl_sim_mbuf *m = M(mbuf);
	mbuf_flags_t before = m->kpi.flags;

	if (((flags ^ before) & FLAGS_FIXED) != 0 || (flags & ~FLAGS_PUBLIC) != 0)
		return EINVAL;
	m->kpi.flags = flags | (before & ~FLAGS_PUBLIC);
	pkthdr_toggled(m, before);
	return 0;
}

errno_t mbuf_setflags_mask(mbuf_t mbuf, mbuf_flags_t flags, mbuf_flags_t mask)
{
	struct kctl_sim_mbuf *m = M(mbuf);
	mbuf_flags_t before = m->kpi.flags;

	if ((mask & (~FLAGS_PUBLIC | FLAGS_FIXED)) != 0)
		return EINVAL;
	m->kpi.flags = (flags & mask) | (before & ~mask);
	pkthdr_toggled(m, before);
	return 0;
}

errno_t mbuf_copy_pkthdr(mbuf_t dest, const mbuf_t src)
{
	struct kctl_sim_mbuf *d = M(dest), *s = M(src);

	if ((s->kpi.flags & MBUF_PKTHDR) == 0)
		return EINVAL;
	d->kpi.flags = (s->kpi.flags & ~MBUF_EXT) | (d->kpi.flags & MBUF_EXT);
	d->pkthdr_len = s->pkthdr_len;
	d->kpi.header = s->kpi.header;
	d->kpi.rcvif = s->kpi.rcvif;
	return 0;
}

ifnet_t mbuf_pkthdr_rcvif(const mbuf_t mbuf)
{
	return (ifnet_t)M(mbuf)->kpi.rcvif;
}

errno_t mbuf_pkthdr_setrcvif(mbuf_t mbuf, ifnet_t ifp)
{
	M(mbuf)->kpi.rcvif = ifp;
	return 0;
}

void *mbuf_pkthdr_header(const mbuf_t mbuf)
{
	return M(mbuf)->kpi.header;
}

void mbuf_pkthdr_setheader(mbuf_t mbuf, void *header)
{
	M(mbuf)->kpi.header = header;
}

/* One empty mbuf of the kernel's segment size. */
static errno_t one(mbuf_type_t type, int pkthdr, mbuf_t *mbuf)
{
	struct kctl_sim_mbuf *m;

	if (mbuf == NULL)
		return EINVAL;
	*mbuf = NULL;
	if (type == MBUF_TYPE_FREE)
		return EINVAL;
	if (kpi_mbuf_segment(&m) != 0)
		return ENOMEM;
	m->kpi.type = type;
	if (pkthdr)
		m->kpi.flags |= MBUF_PKTHDR;
	*mbuf = K(m);
	return 0;
}

errno_t mbuf_get(mbuf_how_t how, mbuf_type_t type, mbuf_t *mbuf)
{
	(void)how;
	return one(type, 0, mbuf);
}

errno_t mbuf_gethdr(mbuf_how_t how, mbuf_type_t type, mbuf_t *mbuf)
{
	(void)how;
	return one(type, 1, mbuf);
}

/* A packet mbuf: on a Mac one with a 2 KiB cluster; here a segment, as every mbuf. */
errno_t mbuf_getpacket(mbuf_how_t how, mbuf_t *mbuf)
{
	errno_t err = one(MBUF_TYPE_DATA, 1, mbuf);

	return err == ENOMEM && how != MBUF_WAITOK ? EWOULDBLOCK : err;
}

/* The storage of one mbuf: the kernel's segment size. */
static u_int32_t segment_size(void)
{
	struct kctl_sim_mbuf *m;
	u_int32_t size;

	if (kpi_kernel() == NULL || kctl_sim_mbuf_alloc(kpi_kernel(), 0, &m) != 0)
		return 0;
	size = (u_int32_t)m->maxlen;
	kctl_sim_mbuf_free(m);
	return size;
}

u_int32_t mbuf_get_mlen(void)
{
	return segment_size();
}

u_int32_t mbuf_get_mhlen(void)
{
	return segment_size();
}

u_int32_t mbuf_get_minclsize(void)
{
	return 2 * segment_size();
}
