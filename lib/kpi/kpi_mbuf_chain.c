/*
 * kpi_mbuf_chain.c - reshaping mbufs and chains: room before and after the data, trims
 * (mbuf_adj), joins and splits, copies (mbuf_copym, mbuf_dup), making the first bytes
 * contiguous (mbuf_pullup), making room in front (mbuf_prepend) and lists of packets.
 *
 * Semantics are xnu's (bsd/kern/uipc_mbuf.c behind bsd/kern/kpi_mbuf.c), including the
 * unkind ones a kext must handle: mbuf_pullup and mbuf_prepend free the whole chain and
 * set *mbuf to NULL when they fail; mbuf_concatenate does not update the packet
 * header's length; mbuf_copym of a range past the chain panics.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <sys/kpi_mbuf.h>

#include "kpi_int.h"
#include "kpi_mbuf_int.h"

static size_t chain_len(const struct kctl_sim_mbuf *m)
{
	size_t n = 0;

	for (; m != NULL; m = m->next)
		n += m->len;
	return n;
}

size_t mbuf_leadingspace(const mbuf_t mbuf)
{
	const struct kctl_sim_mbuf *m = M(mbuf);

	return (size_t)(m->data - m->buf);
}

size_t mbuf_trailingspace(const mbuf_t mbuf)
{
	const struct kctl_sim_mbuf *m = M(mbuf);

	return m->maxlen - (size_t)(m->data - m->buf) - m->len;
}

errno_t mbuf_setdata(mbuf_t mbuf, void *data, size_t len)
{
	struct kctl_sim_mbuf *m = M(mbuf);
	unsigned char *p = data;

	if (p < m->buf || p > m->buf + m->maxlen || len > (size_t)(m->buf + m->maxlen - p))
		return EINVAL;
	m->data = p;
	m->len = len;
	return 0;
}

/* As xnu: the data moves so that len bytes from it end on a 32-bit boundary. */
errno_t mbuf_align_32(mbuf_t mbuf, size_t len)
{
	struct kctl_sim_mbuf *m = M(mbuf);
	size_t trailing = m->maxlen - m->len;

	if (len > trailing)
		return EINVAL; /* xnu would move the data out of the mbuf */
	m->data = m->buf + ((trailing - len) & ~(sizeof(u_int32_t) - 1));
	return 0;
}

errno_t mbuf_adjustlen(mbuf_t mbuf, int amount)
{
	struct kctl_sim_mbuf *m = M(mbuf);

	if (amount > 0) {
		if ((size_t)amount > mbuf_trailingspace(mbuf))
			return EINVAL;
	} else if ((size_t)-(long)amount > m->len) {
		return EINVAL;
	}
	m->len = (size_t)((ptrdiff_t)m->len + amount);
	return 0;
}

static void trim_head(struct kctl_sim_mbuf *head, size_t want)
{
	size_t left = want;

	for (struct kctl_sim_mbuf *m = head; m != NULL && left > 0; m = m->next) {
		size_t k = m->len <= left ? m->len : left;

		m->data += k;
		m->len -= k;
		left -= k;
	}
	if (head->kpi.flags & MBUF_PKTHDR)
		head->pkthdr_len -= want - left;
}

static void trim_tail(struct kctl_sim_mbuf *head, size_t want)
{
	size_t total = chain_len(head);
	size_t keep = want < total ? total - want : 0;

	if (head->kpi.flags & MBUF_PKTHDR)
		head->pkthdr_len = want < total ? head->pkthdr_len - want : keep;
	for (struct kctl_sim_mbuf *m = head; m != NULL; m = m->next) {
		if (m->len > keep)
			m->len = keep;
		keep -= m->len;
	}
}

void mbuf_adj(mbuf_t mbuf, int len)
{
	struct kctl_sim_mbuf *m = M(mbuf);

	if (m == NULL)
		return;
	if (len >= 0)
		trim_head(m, (size_t)len);
	else
		trim_tail(m, (size_t)-(long)len);
}

mbuf_t mbuf_concatenate(mbuf_t dst, mbuf_t src)
{
	struct kctl_sim_mbuf *m = M(dst);

	if (m == NULL)
		return NULL;
	while (m->next != NULL)
		m = m->next;
	m->next = M(src);
	return dst;
}

/* A new chain holding len bytes copied from offset off of src. */
static errno_t copy_range(const struct kctl_sim_mbuf *src, size_t off, size_t len,
			  struct kctl_sim_mbuf **out)
{
	struct kctl_sim_mbuf *n;
	errno_t err = kpi_mbuf_chain(len, &n);

	if (err != 0)
		return err;
	for (struct kctl_sim_mbuf *d = n; d != NULL; d = d->next) {
		(void)kctl_sim_mbuf_copydata(src, off, d->len, d->data);
		off += d->len;
	}
	*out = n;
	return 0;
}

errno_t mbuf_copym(const mbuf_t src, size_t offset, size_t len, mbuf_how_t how,
		   mbuf_t *new_mbuf)
{
	const struct kctl_sim_mbuf *s = M(src);
	size_t total = chain_len(s);
	struct kctl_sim_mbuf *n;
	int all = len == MBUF_COPYALL;
	errno_t err;

	(void)how;
	*new_mbuf = NULL;
	if (offset >= total || (!all && len > total - offset))
		kpi_panicf("mbuf_copym: offset %zu and length %zu run past the chain's %zu bytes",
			   offset, len, total);
	if (len == 0)
		return ENOMEM; /* xnu copies nothing and returns no chain */
	err = copy_range(s, offset, all ? total - offset : len, &n);
	if (err != 0)
		return err;
	if (offset == 0 && (s->kpi.flags & MBUF_PKTHDR)) {
		(void)mbuf_copy_pkthdr(K(n), src);
		n->pkthdr_len = all ? s->pkthdr_len : len;
	} else {
		n->kpi.flags &= ~(mbuf_flags_t)MBUF_PKTHDR;
		n->pkthdr_len = 0;
	}
	*new_mbuf = K(n);
	return 0;
}

errno_t mbuf_dup(const mbuf_t src, mbuf_how_t how, mbuf_t *new_mbuf)
{
	const struct kctl_sim_mbuf *s = M(src);
	struct kctl_sim_mbuf *n;
	errno_t err;

	(void)how;
	*new_mbuf = NULL;
	err = copy_range(s, 0, chain_len(s), &n);
	if (err != 0)
		return err;
	if (s->kpi.flags & MBUF_PKTHDR)
		(void)mbuf_copy_pkthdr(K(n), src);
	else
		n->kpi.flags &= ~(mbuf_flags_t)MBUF_PKTHDR;
	n->kpi.type = s->kpi.type;
	*new_mbuf = K(n);
	return 0;
}

errno_t mbuf_prepend(mbuf_t *mbuf, size_t len, mbuf_how_t how)
{
	struct kctl_sim_mbuf *m, *n;

	(void)how;
	if (mbuf == NULL || *mbuf == NULL)
		return EINVAL;
	m = M(*mbuf);
	if (mbuf_leadingspace(*mbuf) >= len) {
		m->data -= len;
		m->len += len;
		if (m->kpi.flags & MBUF_PKTHDR)
			m->pkthdr_len += len;
		return 0;
	}
	if (kpi_mbuf_segment(&n) != 0)
		n = NULL;
	if (n == NULL || len > n->maxlen) {
		if (n != NULL)
			kpi_mbuf_free_segment(n);
		kpi_mbuf_free_chain(m); /* as xnu's M_PREPEND: the chain is gone */
		*mbuf = NULL;
		return ENOMEM;
	}
	/* at the end of the new storage, leaving room for further prepends */
	n->data = n->buf + n->maxlen - len;
	n->len = len;
	n->kpi.type = m->kpi.type;
	if (m->kpi.flags & MBUF_PKTHDR) { /* the packet header moves to the new front */
		(void)mbuf_copy_pkthdr(K(n), *mbuf);
		n->pkthdr_len += len;
		m->kpi.flags &= ~(mbuf_flags_t)MBUF_PKTHDR;
	}
	n->next = m;
	*mbuf = K(n);
	return 0;
}

errno_t mbuf_split(mbuf_t src, size_t offset, mbuf_how_t how, mbuf_t *new_mbuf)
{
	struct kctl_sim_mbuf *head = M(src), *m = head, *n, *tail;
	size_t off = offset, remain, done = 0;
	int pkthdr = (head->kpi.flags & MBUF_PKTHDR) != 0;

	(void)how;
	*new_mbuf = NULL;
	while (m != NULL && off > m->len) { /* the segment holding byte offset */
		off -= m->len;
		m = m->next;
	}
	if (m == NULL)
		return ENOMEM;
	remain = m->len - off;
	if (!pkthdr && remain == 0) { /* a clean cut between segments: no copy */
		*new_mbuf = K(m->next);
		m->next = NULL;
		return *new_mbuf != NULL ? 0 : ENOMEM;
	}
	if (kpi_mbuf_chain(remain, &n) != 0 || n == NULL)
		return ENOMEM;
	for (struct kctl_sim_mbuf *d = n; d != NULL; d = d->next) {
		memcpy(d->data, m->data + off + done, d->len);
		done += d->len;
	}
	n->kpi.type = m->kpi.type;
	if (pkthdr) { /* both halves are packets, as xnu's m_split makes them */
		(void)mbuf_copy_pkthdr(K(n), src);
		n->pkthdr_len = head->pkthdr_len > offset ? head->pkthdr_len - offset : 0;
		head->pkthdr_len = offset;
	} else {
		n->kpi.flags &= ~(mbuf_flags_t)MBUF_PKTHDR;
		n->pkthdr_len = 0;
	}
	m->len = off;
	for (tail = n; tail->next != NULL; tail = tail->next)
		;
	tail->next = m->next;
	m->next = NULL;
	*new_mbuf = K(n);
	return 0;
}

/* Moves bytes from the following segments into head until it holds want bytes;
 * segments left empty are freed, as xnu's m_pullup frees them. */
static void gather(struct kctl_sim_mbuf *head, size_t want)
{
	if (head->data != head->buf) {
		memmove(head->buf, head->data, head->len);
		head->data = head->buf;
	}
	while (head->len < want) {
		struct kctl_sim_mbuf *n = head->next;
		size_t k = want - head->len < n->len ? want - head->len : n->len;

		memcpy(head->data + head->len, n->data, k);
		head->len += k;
		n->data += k;
		n->len -= k;
		if (n->len == 0) {
			head->next = n->next;
			kpi_mbuf_free_segment(n);
		}
	}
}

errno_t mbuf_pullup(mbuf_t *mbuf, size_t len)
{
	struct kctl_sim_mbuf *m;

	if (mbuf == NULL || *mbuf == NULL)
		return EINVAL;
	m = M(*mbuf);
	if (m->len >= len)
		return 0;
	if (len > m->maxlen || chain_len(m) < len) {
		kpi_mbuf_free_chain(m); /* as xnu's m_pullup: the chain is gone */
		*mbuf = NULL;
		return ENOMEM;
	}
	gather(m, len);
	return 0;
}

errno_t mbuf_allocpacket_list(unsigned int numpkts, mbuf_how_t how, size_t packetlen,
			      unsigned int *maxchunks, mbuf_t *mbuf)
{
	mbuf_t first = NULL, last = NULL;
	unsigned int chunks = 0;

	if (numpkts == 0 || packetlen == 0 || mbuf == NULL)
		return EINVAL;
	for (unsigned int i = 0; i < numpkts; i++) {
		mbuf_t p;
		errno_t err;

		chunks = maxchunks != NULL ? *maxchunks : 0;
		err = mbuf_allocpacket(how, packetlen, &chunks, &p);
		if (err != 0) {
			mbuf_freem_list(first);
			return err;
		}
		if (last != NULL)
			mbuf_setnextpkt(last, p);
		else
			first = p;
		last = p;
	}
	if (maxchunks != NULL)
		*maxchunks = chunks;
	*mbuf = first;
	return 0;
}
