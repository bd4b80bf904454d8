/*
 * sim_queue.h - a socket's receive queue: records of bytes, as XNU's so_rcv holds them.
 *
 * Data joins the last record unless that record was closed by CTL_DATA_EOR. Reads take
 * bytes from the first record only: a DGRAM read consumes the whole record (the tail it
 * could not copy is dropped), a STREAM read may leave a remainder for the next read.
 */
#ifndef KCTL_SIM_QUEUE_H
#define KCTL_SIM_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

struct sim_record {
	struct sim_record *next;
	unsigned char *data;
	size_t len; /* bytes stored */
	size_t cap; /* bytes allocated */
	size_t off; /* bytes already read (STREAM) */
	bool eor;   /* closed by CTL_DATA_EOR */
};

struct sim_queue {
	struct sim_record *head, *tail;
	size_t bytes;   /* unread bytes across all records */
	size_t records;
};

/* What one read did. */
struct sim_read {
	size_t got;     /* bytes copied out */
	bool eor;       /* the read ended a record closed by EOR (MSG_EOR) */
	bool trunc;     /* DGRAM: the record did not fit, its tail is gone (MSG_TRUNC) */
	bool consumed;  /* something left the queue (data or a dropped record) */
};

/*
 * Makes room for `len` more bytes in the open last record (a new record if there is
 * none) and points *dst there; -1 on ENOMEM (queue unchanged). Nothing is accounted
 * until sim_queue_commit().
 */
int sim_queue_reserve(struct sim_queue *q, size_t len, unsigned char **dst);

/* Accounts the `len` bytes written after sim_queue_reserve(); eor closes the record. */
void sim_queue_commit(struct sim_queue *q, size_t len, bool eor);

/* Copies from the first record into iov; consumes unless peek. */
void sim_queue_read(struct sim_queue *q, bool dgram, bool peek, const struct iovec *iov,
		    int iovcnt, struct sim_read *r);

/* Frees every record. */
void sim_queue_clear(struct sim_queue *q);

#endif
