/*
 * sim_queue.c - the receive queue of records and its byte accounting.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_queue.h"

static void record_link(struct sim_queue *q, struct sim_record *r)
{
	if (q->tail != NULL)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
	q->records++;
}

/* Grows geometrically so a stream of small enqueues stays linear; never leaves data NULL. */
static int record_grow(struct sim_record *r, size_t need)
{
	size_t cap = r->cap ? r->cap : 64;
	unsigned char *p;

	if (need <= r->cap && r->data != NULL)
		return 0;
	while (cap < need)
		cap *= 2;
	p = realloc(r->data, cap);
	if (p == NULL)
		return -1;
	r->data = p;
	r->cap = cap;
	return 0;
}

int sim_queue_reserve(struct sim_queue *q, size_t len, unsigned char **dst)
{
	struct sim_record *r = q->tail;

	if (r != NULL && !r->eor) {
		if (record_grow(r, r->len + len) != 0)
			return -1;
	} else {
		/* Linked only once it has room, so a failure leaves no phantom record. */
		r = calloc(1, sizeof(*r));
		if (r == NULL || record_grow(r, len) != 0) {
			free(r);
			return -1;
		}
		record_link(q, r);
	}
	*dst = r->data + r->len;
	return 0;
}

void sim_queue_commit(struct sim_queue *q, size_t len, bool eor)
{
	struct sim_record *r = q->tail;

	r->len += len;
	r->eor = r->eor || eor;
	q->bytes += len;
}

static void record_pop(struct sim_queue *q)
{
	struct sim_record *r = q->head;

	q->head = r->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->bytes -= r->len - r->off;
	q->records--;
	free(r->data);
	free(r);
}

/* Copies up to the iovecs' room from src; returns the bytes copied. */
static size_t copy_out(const unsigned char *src, size_t n, const struct iovec *iov,
		       int iovcnt)
{
	size_t done = 0;

	for (int i = 0; i < iovcnt && done < n; i++) {
		size_t k = iov[i].iov_len < n - done ? iov[i].iov_len : n - done;

		if (k != 0)
			memcpy(iov[i].iov_base, src + done, k);
		done += k;
	}
	return done;
}

void sim_queue_read(struct sim_queue *q, bool dgram, bool peek, const struct iovec *iov,
		    int iovcnt, struct sim_read *out)
{
	struct sim_record *r = q->head;
	size_t avail;

	memset(out, 0, sizeof(*out));
	if (r == NULL)
		return;
	avail = r->len - r->off;
	out->got = copy_out(r->data + r->off, avail, iov, iovcnt);
	if (out->got == avail)
		out->eor = r->eor;
	else if (dgram)
		out->trunc = true;
	if (peek)
		return;
	out->consumed = out->got > 0 || dgram;
	if (dgram || out->got == avail) {
		record_pop(q);
		return;
	}
	r->off += out->got;
	q->bytes -= out->got;
}

void sim_queue_clear(struct sim_queue *q)
{
	while (q->head != NULL)
		record_pop(q);
}
