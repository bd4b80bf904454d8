/*
 * kpi_mbuf.c - the mbuf KPI on the simulator's segmented packets (sim/sim_mbuf.h).
 *
 * Errors and edge cases follow XNU's bsd/kern/kpi_mbuf.c: mbuf_copydata accepts an
 * empty copy and answers EINVAL for a range past the chain; mbuf_allocpacket refuses a
 * zero length and answers ENOBUFS when the segments allowed cannot hold the packet;
 * mbuf_copyback grows the chain (the last segment first, then new segments).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sys/kpi_mbuf.h>

#include "kpi_int.h"
#include "sim/sim_mbuf.h"

static struct kctl_sim_mbuf *M(mbuf_t m)
{
	return (struct kctl_sim_mbuf *)(void *)m;
}

static mbuf_t K(struct kctl_sim_mbuf *m)
{
	return (mbuf_t)(void *)m;
}

void *mbuf_data(mbuf_t mbuf)
{
	return M(mbuf)->data;
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

errno_t mbuf_setnext(mbuf_t mbuf, mbuf_t next)
{
	M(mbuf)->next = M(next);
	return 0;
}

size_t mbuf_pkthdr_len(const mbuf_t mbuf)
{
	return M(mbuf)->pkthdr_len;
}

void mbuf_pkthdr_setlen(mbuf_t mbuf, size_t len)
{
	M(mbuf)->pkthdr_len = len;
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

/* A fresh chain of len bytes in the kernel's segment size. */
static errno_t chain_alloc(size_t len, struct kctl_sim_mbuf **out)
{
	kctl_sim_t *sim = kpi_kernel();

	if (sim == NULL)
		kpi_panic("mbuf: no kernel (load the kext with kctl_kpi_load)");
	return kctl_sim_mbuf_alloc(sim, len, out) == 0 ? 0 : ENOMEM;
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
	err = chain_alloc(packetlen, &m);
	if (err != 0)
		return err;
	for (struct kctl_sim_mbuf *s = m; s != NULL; s = s->next)
		n++;
	if (maxchunks != NULL && *maxchunks != 0 && n > *maxchunks) {
		kctl_sim_mbuf_free(m);
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
	errno_t err = chain_alloc(want, &n);

	if (err != 0)
		return ENOBUFS;
	/* keep only the first segment: one at a time, as XNU's loop does */
	kctl_sim_mbuf_free(n->next);
	n->next = NULL;
	n->pkthdr_len = 0;
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

mbuf_t mbuf_free(mbuf_t mbuf)
{
	struct kctl_sim_mbuf *m = M(mbuf);
	struct kctl_sim_mbuf *next;

	if (m == NULL)
		return NULL;
	next = m->next;
	m->next = NULL;
	kctl_sim_mbuf_free(m);
	return K(next);
}

void mbuf_freem(mbuf_t mbuf)
{
	kctl_sim_mbuf_free(M(mbuf));
}
