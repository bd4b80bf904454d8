/*
 * sample.h - the sample kext's state and the functions its files share.
 *
 * Locking, in one place:
 * - sample_g.lock (global) guards the list of units, every unit's event state
 *   (subscribed, burst, drops, event counters) and the stop flags. The event timer
 *   runs under it.
 * - a unit's own lock guards the rest of that unit (counter, label, key/value store,
 *   receive and reply buffers, request counters). Callbacks for one unit (send, setopt,
 *   getopt) take it, so two client threads on one socket are serialised.
 * - Order: a unit's lock, then the global lock, never the other way round.
 * - The timer visits units without the global lock held (it takes each unit's lock
 *   first), so it pins them (pins, under the global lock) and disconnect waits until a
 *   unit it unlinked is no longer pinned before freeing it.
 * Nothing is held across ctl_register/ctl_deregister. Enqueueing under a lock is
 * fine: ctl_enqueuedata never calls back into the kext.
 *
 * Room for replies, in one place (the client's receive buffer is SAMPLE_RECVSIZE):
 * - a request is read only when the buffer has room for the largest reply it can
 *   cause (sample_reply_bound); a DGRAM record is refused whole (ENOBUFS) otherwise, a
 *   STREAM frame waits in u->rx until there is room (the next send or the timer
 *   answers it);
 * - events never take the last SAMPLE_REPLY_RESERVE bytes, and a unit with a request
 *   waiting for room gets no events at all, so replies get through a full event stream.
 * - STREAM input: u->rx holds up to two send-size pieces. A piece is taken whole or
 *   refused whole; after taking one the kext asks the kernel to stop the send
 *   (EWOULDBLOCK: the piece is kept and counted as sent) unless a whole next piece
 *   would still fit, so the only piece it ever refuses (ENOBUFS) is the first of a
 *   send, and the client always knows exactly what went.
 */
#ifndef SAMPLE_H
#define SAMPLE_H

#include <stdint.h>

#include <mach/mach_types.h>
#include <mach/kmod.h>
#include <sys/kern_control.h>
#include <kern/locks.h>
#include <kern/thread_call.h>
#include <libkern/OSMalloc.h>

#include "kctl_frame.h"
#include "sample_proto.h"

/* The client's receive buffer: registered explicitly, Darwin's default size. */
#define SAMPLE_RECVSIZE 8192u

/* STREAM input held per unit: two send-size pieces (see "Room for replies" above). */
#define SAMPLE_RX_CAP ((size_t)2 * SAMPLE_MAX_FRAME)

/* Receive-buffer bytes events leave free for replies: one largest reply. */
#define SAMPLE_REPLY_RESERVE SAMPLE_MAX_FRAME

struct sample_kv_entry {
	uint32_t klen; /* 0: free slot */
	uint32_t vlen;
	char key[SAMPLE_KV_KEY_MAX + 1];
	uint8_t value[SAMPLE_KV_VALUE_MAX];
};

struct sample_unit {
	struct sample_unit *next;  /* in sample_g.units */
	struct sample_unit **link; /* what points at this unit: unlinked in O(1) */
	kern_ctl_ref ref;         /* fixed from connect to disconnect */
	u_int32_t unit;
	int stream;

	lck_mtx_t *lock; /* guards what follows, up to the global part */
	uint64_t counter;
	char label[SAMPLE_LABEL_MAX + 1];
	struct sample_kv_entry kv[SAMPLE_KV_ENTRIES];
	uint64_t rx[SAMPLE_RX_CAP / 8]; /* a DGRAM record, or STREAM bytes not yet answered */
	size_t rx_len;
	uint64_t tx[SAMPLE_MAX_FRAME / 8]; /* the reply being built */
	int broken;  /* STREAM: a malformed frame arrived; the stream cannot resync */
	int stalled; /* STREAM: a complete request in rx waits for reply room */
	uint64_t requests, errors, replies_dropped;

	/* under sample_g.lock */
	unsigned pins;                 /* the timer is visiting this unit */
	struct sample_unit *tick_next; /* the timer's list of units to visit */
	int subscribed;
	uint32_t burst;
	uint32_t pending_drops; /* events dropped since the last one delivered */
	uint64_t event_seq;     /* events generated, delivered or not */
	uint64_t events_sent, events_dropped;
};

struct sample_globals {
	OSMallocTag tag;
	lck_grp_t *grp;
	lck_mtx_t *lock;
	kern_ctl_ref dgram_ref, stream_ref;
	struct sample_unit *units;
	int closing;      /* stop in progress: connects are refused */
	thread_call_t tick;
	int tick_stop;    /* the timer must not re-arm */
	int tick_pending; /* the timer is armed or running */
};

extern struct sample_globals sample_g;

/* sample_main.c: the kext's entry points (named in bundle.conf). */
kern_return_t sample_start(kmod_info_t *ki, void *data);
kern_return_t sample_stop(kmod_info_t *ki, void *data);

/* sample_ctl.c: the two controls. */
errno_t sample_ctl_register(void);
errno_t sample_ctl_deregister(void);

/* sample_unit.c: per-unit state, allocated in connect, freed in disconnect. */
struct sample_unit *sample_unit_new(kern_ctl_ref ref, u_int32_t unit, int stream);
void sample_unit_free(struct sample_unit *u);

/* sample_opt.c: socket options. */
errno_t sample_setopt(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int opt,
		      void *data, size_t len);
errno_t sample_getopt(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int opt,
		      void *data, size_t *len);

/* sample_input.c: bytes from the client to frames (unit lock held). */
errno_t sample_input(struct sample_unit *u, mbuf_t m);
/* Answers the STREAM frames waiting in u->rx while their replies fit; 0 or an errno. */
errno_t sample_serve(struct sample_unit *u);

/* sample_req.c: one request frame -> one reply or error reply (unit lock held). */
void sample_dispatch(struct sample_unit *u, const struct kctl_frame_hdr *f);
/* The most receive-buffer bytes the reply to frame f can take (its wire size). */
size_t sample_reply_bound(const struct kctl_frame_hdr *f);

/* sample_kv.c: the key/value requests; 0 when replied, else the errno to answer. */
errno_t sample_kv_request(struct sample_unit *u, const struct kctl_frame_hdr *f);

/* sample_reply.c: building replies in u->tx and queueing them (unit lock held). */
errno_t sample_reply_start(struct sample_unit *u, const struct kctl_frame_hdr *req);
void sample_reply_send(struct sample_unit *u);
void sample_reply_send_mbuf(struct sample_unit *u);
void sample_reply_error(struct sample_unit *u, const struct kctl_frame_hdr *req,
			errno_t err);
/* The reply buffer's capacity. */
#define SAMPLE_TX_CAP sizeof(((struct sample_unit *)0)->tx)

/* sample_events.c: the event timer. */
errno_t sample_events_start(void);
void sample_events_stop(void);

#endif
