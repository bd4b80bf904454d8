/*
 * sim_mbuf.c - packets as chains of fixed-size segments, so kext code that assumes one
 * contiguous buffer breaks here as it would on a Mac.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_mbuf.h"

static struct kctl_sim_mbuf *segment_new(size_t seg)
{
	struct kctl_sim_mbuf *m = malloc(sizeof(*m) + seg);

	if (m == NULL)
		return NULL;
	m->next = NULL;
	m->nextpkt = NULL;
	memset(&m->kpi, 0, sizeof(m->kpi));
	m->data = m->buf;
	m->len = 0;
	m->maxlen = seg;
	m->pkthdr_len = 0;
	return m;
}

int sim_mbuf_alloc(size_t seg, size_t len, struct kctl_sim_mbuf **out)
{
	struct kctl_sim_mbuf *head = NULL, **link = &head;
	size_t left = len;

	do {
		struct kctl_sim_mbuf *m = segment_new(seg);

		if (m == NULL) {
			kctl_sim_mbuf_free(head);
			return -ENOMEM;
		}
		m->len = left < seg ? left : seg;
		left -= m->len;
		*link = m;
		link = &m->next;
	} while (left > 0);
	head->pkthdr_len = len;
	*out = head;
	return 0;
}

int sim_iov_total(const struct iovec *iov, int iovcnt, size_t *total)
{
	size_t sum = 0;

	if (iovcnt < 0 || iovcnt > 1024)
		return -EINVAL;
	if (iov == NULL && iovcnt > 0)
		return -EFAULT;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_base == NULL && iov[i].iov_len > 0)
			return -EFAULT;
		if (iov[i].iov_len > (size_t)INT_MAX - sum)
			return -EINVAL;
		sum += iov[i].iov_len;
	}
	*total = sum;
	return 0;
}

/* Copies n bytes from the cursor to dst, advancing past empty iovecs too. */
static void cursor_copy(struct sim_iov_cursor *cur, unsigned char *dst, size_t n)
{
	while (n > 0) {
		const struct iovec *v = &cur->iov[cur->i];
		size_t k = v->iov_len - cur->off;

		if (k > n)
			k = n;
		if (k > 0)
			memcpy(dst, (const unsigned char *)v->iov_base + cur->off, k);
		dst += k;
		n -= k;
		cur->off += k;
		if (cur->off == v->iov_len) {
			cur->i++;
			cur->off = 0;
		}
	}
}

int sim_mbuf_from_iov(size_t seg, struct sim_iov_cursor *cur, size_t len,
		      struct kctl_sim_mbuf **out)
{
	struct kctl_sim_mbuf *m;
	int err = sim_mbuf_alloc(seg, len, &m);

	if (err != 0)
		return err;
	for (struct kctl_sim_mbuf *n = m; n != NULL; n = n->next)
		cursor_copy(cur, n->data, n->len);
	*out = m;
	return 0;
}

int kctl_sim_mbuf_alloc(kctl_sim_t *sim, size_t len, kctl_sim_mbuf_t **out)
{
	size_t seg;

	if (sim == NULL || out == NULL)
		return -EINVAL;
	sim_lock(sim);
	seg = sim->segsize;
	sim_unlock(sim);
	return sim_mbuf_alloc(seg, len, out);
}

void kctl_sim_mbuf_free(kctl_sim_mbuf_t *m)
{
	while (m != NULL) {
		kctl_sim_mbuf_t *next = m->next;

		free(m);
		m = next;
	}
}

kctl_sim_mbuf_t *kctl_sim_mbuf_next(const kctl_sim_mbuf_t *m)
{
	return m != NULL ? m->next : NULL;
}

void *kctl_sim_mbuf_data(const kctl_sim_mbuf_t *m)
{
	return m != NULL ? m->data : NULL;
}

size_t kctl_sim_mbuf_len(const kctl_sim_mbuf_t *m)
{
	return m != NULL ? m->len : 0;
}

size_t kctl_sim_mbuf_pkthdr_len(const kctl_sim_mbuf_t *m)
{
	return m != NULL ? m->pkthdr_len : 0;
}

/* Segment lengths, not pkthdr_len: a kext may have changed either. */
size_t sim_mbuf_chain_len(const kctl_sim_mbuf_t *m)
{
	size_t n = 0;

	for (; m != NULL; m = m->next)
		n += m->len;
	return n;
}

int kctl_sim_mbuf_copydata(const kctl_sim_mbuf_t *m, size_t off, size_t len, void *out)
{
	unsigned char *dst = out;

	if (m == NULL || (out == NULL && len > 0))
		return -EINVAL;
	if (off > sim_mbuf_chain_len(m) || len > sim_mbuf_chain_len(m) - off)
		return -EINVAL;
	for (; m != NULL && len > 0; m = m->next) {
		size_t k;

		if (off >= m->len) {
			off -= m->len;
			continue;
		}
		k = m->len - off < len ? m->len - off : len;
		memcpy(dst, m->data + off, k);
		dst += k;
		len -= k;
		off = 0;
	}
	return 0;
}
