/*
 * kpi_mbuf.c - the mbuf KPI on the simulator's segmented packets (sim/sim_mbuf.h): data
 * and lengths, allocation and freeing, copying in and out.
 *
 * Errors and edge cases follow xnu's bsd/kern/kpi_mbuf.c: mbuf_copydata accepts an
 * empty copy and answers EINVAL for a range past the chain; mbuf_allocpacket refuses a
 * zero length and answers ENOBUFS when the segments allowed cannot hold the packet;
 * mbuf_copyback grows the chain (the last segment first, then new segments). Every
 * segment a kext allocates is recorded as held by it (kpi_mbuf_own.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sys/kpi_mbuf.h>

#include "kpi_int.h"
#include "kpi_mbuf_int.h"

void *mbuf_data(mbuf_t mbuf)
{
	return M(mbuf)->data;
}

void *mbuf_datastart(mbuf_t mbuf)
{
	return M(mbuf)->buf;
}

size_t mbuf_len(const mbuf_t mbuf)
{
	return M(mbuf)->len;
}

/* Room from the data pointer to the end of the segment's storage. */
size_t mbuf_maxlen(const mbuf_t mbuf)
{
	struct kctl_sim_mbuf *m = M(mbuf);

	return m->maxlen - (size_t)(m->data - m->buf);
}

void mbuf_setlen(mbuf_t mbuf, size_t len)
{
	if (len > mbuf_maxlen(mbuf))
		kpi_panic("mbuf_setlen: length beyond the mbuf's storage");
	M(mbuf)->len = len;
}

mbuf_t mbuf_next(const mbuf_t mbuf)
{
	return K(M(mbuf)->next);
}

/* As xnu: the next mbuf may not be a packet of a list, nor a freed one. */
errno_t mbuf_setnext(mbuf_t mbuf, mbuf_t next)
{
	if (next != NULL && (M(next)->nextpkt != NULL || M(next)->kpi.type == MBUF_TYPE_FREE))
		return EINVAL;
	M(mbuf)->next = M(next);
	return 0;
}

size_t mbuf_pkthdr_len(const mbuf_t mbuf)
{
	return M(mbuf)->pkthdr_len;
}

void mbuf_pkthdr_setlen(mbuf_t mbuf, size_t len)
{
	M(mbuf)->pkthdr_len = len > INT32_MAX ? INT32_MAX : len;
}

void mbuf_pkthdr_adjustlen(mbuf_t mbuf, int amount)
{
	M(mbuf)->pkthdr_len += (size_t)(ptrdiff_t)amount;
}

errno_t mbuf_copydata(const mbuf_t mbuf, size_t offset, size_t length, void *out_data)
{
	if (offset >= INT_MAX || length >= INT_MAX)
		return EINVAL;
	if (out_data == NULL || length == 0)
		return 0;
	return kctl_sim_mbuf_copydata(M(mbuf), offset, length, out_data) == 0 ? 0 : EINVAL;
}

/* A fresh chain of len bytes in the kernel's segment size, held by the current kext:
 * a packet (MBUF_PKTHDR on its first segment) of data mbufs. Never NULL on success. */
errno_t kpi_mbuf_chain(size_t len, struct kctl_sim_mbuf **out)
{
	kctl_sim_t *sim = kpi_kernel();
	struct kctl_sim_mbuf *m = NULL;

	if (sim == NULL)
		kpi_panic("mbuf: no kernel (load the kext with kctl_kpi_load)");
	if (kctl_sim_mbuf_alloc(sim, len, &m) != 0 || m == NULL)
		return ENOMEM;
	for (struct kctl_sim_mbuf *s = m; s != NULL; s = s->next)
		s->kpi.type = MBUF_TYPE_DATA;
	m->kpi.flags |= MBUF_PKTHDR;
	kpi_mbuf_own_chain(m, kpi_current_kext());
	*out = m;
	return 0;
}

errno_t mbuf_allocpacket(mbuf_how_t how, size_t packetlen, unsigned int *maxchunks,
			 mbuf_t *mbuf)
{
	struct kctl_sim_mbuf *m;
	unsigned int n = 0;
	errno_t err;

	(void)how;
	if (packetlen == 0 || mbuf == NULL)
		return EINVAL;
	err = kpi_mbuf_chain(packetlen, &m);
	if (err != 0)
		return err;
	for (struct kctl_sim_mbuf *s = m; s != NULL; s = s->next)
		n++;
	if (maxchunks != NULL && *maxchunks != 0 && n > *maxchunks) {
		kpi_mbuf_free_chain(m);
		return ENOBUFS;
	}
	if (maxchunks != NULL)
		*maxchunks = n;
	*mbuf = K(m);
	return 0;
}

/* Appends a segment of up to `want` bytes (the segment size at most) after last. */
static errno_t grow(struct kctl_sim_mbuf *last, size_t want)
{
	struct kctl_sim_mbuf *n;

	if (kpi_mbuf_segment(&n) != 0)
		return ENOBUFS;
	n->len = want < n->maxlen ? want : n->maxlen;
	last->next = n;
	return 0;
}

/* Copies into the chain from offset off, growing it; *total gets the bytes covered. */
static errno_t copy_in(struct kctl_sim_mbuf *m, size_t off, const unsigned char *cp,
		       size_t len, size_t *total)
{
	*total = 0;
	while (off > m->len) { /* skip (and if need be create) the bytes before off */
		off -= m->len;
		*total += m->len;
		if (m->next == NULL && grow(m, off + len) != 0)
			return ENOBUFS;
		m = m->next;
	}
	for (;;) {
		size_t room = m->maxlen - (size_t)(m->data - m->buf);
		size_t k = m->len - off < len ? m->len - off : len;

		if (k < len && m->next == NULL && room > m->len) { /* use the tail first */
			size_t g = room - m->len < len - k ? room - m->len : len - k;

			m->len += g;
			k += g;
		}
		memcpy(m->data + off, cp, k);
		cp += k;
		len -= k;
		*total += off + k;
		off = 0;
		if (len == 0)
			return 0;
		if (m->next == NULL && grow(m, len) != 0)
			return ENOBUFS;
		m = m->next;
	}
}

errno_t mbuf_copyback(mbuf_t mbuf, size_t offset, size_t length, const void *data,
		      mbuf_how_t how)
{
	struct kctl_sim_mbuf *m = M(mbuf);
	size_t total = 0;
	errno_t err;

	(void)how;
	if (m == NULL || length == 0 || data == NULL)
		return EINVAL;
	err = copy_in(m, offset, data, length, &total);
	if (m->pkthdr_len < total)
		m->pkthdr_len = total;
	return err;
}

void kpi_mbuf_free_segment(struct kctl_sim_mbuf *m)
{
	kpi_mbuf_disown(m);
	m->next = NULL;
	kctl_sim_mbuf_free(m);
}

void kpi_mbuf_free_chain(struct kctl_sim_mbuf *m)
{
	kpi_mbuf_disown_chain(m);
	kctl_sim_mbuf_free(m);
}

mbuf_t mbuf_free(mbuf_t mbuf)
{
	struct kctl_sim_mbuf *m = M(mbuf);
	struct kctl_sim_mbuf *next;

	if (m == NULL)
		return NULL;
	next = m->next;
	kpi_mbuf_free_segment(m);
	return K(next);
}

void mbuf_freem(mbuf_t mbuf)
{
	kpi_mbuf_free_chain(M(mbuf));
}

int mbuf_freem_list(mbuf_t mbuf)
{
	struct kctl_sim_mbuf *m = M(mbuf);
	int packets = 0;

	while (m != NULL) {
		struct kctl_sim_mbuf *nextpkt = m->nextpkt;

		m->nextpkt = NULL;
		kpi_mbuf_free_chain(m);
		packets++;
		m = nextpkt;
	}
	return packets;
}
