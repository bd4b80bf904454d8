/*
 * sample_proto.h - what the sample kext and its clients agree on: control names,
 * message types, attributes and socket options. Included by the kext, the tests and
 * the demo; plain C, no kernel or libc headers beyond <stdint.h>.
 *
 * Every message is a frame of kctl_frame.h. A client sends REQUEST frames; the kext
 * answers each with one REPLY frame of the same type and seq, or an ERROR reply whose
 * aux is the errno. Subscribed units also receive EVENT frames (type SAMPLE_MSG_EVENT)
 * whose aux counts the events dropped just before it because the unit's receive buffer
 * was full. Events always leave room for replies (docs/protocol.md); a request whose
 * reply cannot fit because the client left replies unread is, on DGRAM, refused whole
 * (the send fails with ENOBUFS, nothing done), on STREAM answered once there is room
 * (a send fails with ENOBUFS only before any byte of it was taken).
 *
 * Integers in attributes are in host byte order (kctl_frame.h explains why).
 */
#ifndef SAMPLE_PROTO_H
#define SAMPLE_PROTO_H

#include <stdint.h>

/* The two controls: the same service over a DGRAM and a STREAM socket. */
#define SAMPLE_CTL_NAME "org.libkctl.sample"
#define SAMPLE_CTL_STREAM_NAME "org.libkctl.sample.stream"

/* Largest frame (wire size) either side sends: the controls' send size. */
#define SAMPLE_MAX_FRAME 2048u

/* Message types (frame type field). */
enum sample_msg {
	SAMPLE_MSG_ECHO = 1,        /* payload: any bytes; reply: the same bytes */
	SAMPLE_MSG_COUNTER = 2,     /* [SAMPLE_ATTR_ADD u32, default 1]; reply: VALUE u64 */
	SAMPLE_MSG_KV_SET = 3,      /* KEY str, VALUE bytes; reply: empty */
	SAMPLE_MSG_KV_GET = 4,      /* KEY str; reply: VALUE bytes */
	SAMPLE_MSG_KV_DEL = 5,      /* KEY str; reply: empty */
	SAMPLE_MSG_SUBSCRIBE = 6,   /* reply: empty; events follow */
	SAMPLE_MSG_UNSUBSCRIBE = 7, /* reply: DROPS u32; no event after the reply */
	SAMPLE_MSG_EVENT = 8        /* kext -> client only: EVENT_SEQ u64 */
};

/* Attribute types. */
enum sample_attr {
	SAMPLE_ATTR_ADD = 1,       /* u32: amount to add to the counter */
	SAMPLE_ATTR_VALUE = 2,     /* COUNTER: u64; KV: 0..SAMPLE_KV_VALUE_MAX bytes */
	SAMPLE_ATTR_KEY = 3,       /* string of 1..SAMPLE_KV_KEY_MAX bytes plus its NUL */
	SAMPLE_ATTR_EVENT_SEQ = 4, /* u64: the unit's event number, from 1 */
	SAMPLE_ATTR_DROPS = 5      /* u32: UNSUBSCRIBE reply: drops no event announced */
};

/*
 * Counting every event: each event generated is either delivered or dropped. A drop is
 * announced by the aux of the next event delivered or, when the client unsubscribes
 * first, by the DROPS attribute of the UNSUBSCRIBE reply (after which the count starts
 * from 0 again). So events read + the sum of their aux + the DROPS of each UNSUBSCRIBE
 * reply = events generated, exactly (SAMPLE_OPT_STATS: events_sent + events_dropped).
 * A client that closes without unsubscribing can read the totals from SAMPLE_OPT_STATS
 * before it closes.
 */

/* Bounds of the per-unit key/value store. */
#define SAMPLE_KV_KEY_MAX 31u      /* bytes of a key, NUL excluded */
#define SAMPLE_KV_VALUE_MAX 256u   /* bytes of a value */
#define SAMPLE_KV_ENTRIES 16u      /* keys per unit; one more: ENOSPC */

/* Events: the kext's timer ticks this often and pushes `burst` events per unit. */
#define SAMPLE_TICK_MS 20u
#define SAMPLE_BURST_MAX 256u

/* Socket options (level SYSPROTO_CONTROL). */
enum sample_opt {
	SAMPLE_OPT_COUNTER = 1, /* u64, get and set: the unit's counter */
	SAMPLE_OPT_BURST = 2,   /* u32, get and set: events per tick, 1..SAMPLE_BURST_MAX */
	SAMPLE_OPT_LABEL = 3,   /* string, get and set, variable size: see below */
	SAMPLE_OPT_STATS = 4    /* struct sample_stats, get only */
};

/*
 * SAMPLE_OPT_LABEL: set with 1..SAMPLE_LABEL_MAX bytes (a trailing NUL is allowed, any
 * other NUL is EINVAL; longer is EMSGSIZE). Get answers strlen+1 bytes, NUL included; a
 * size query (NULL buffer) answers that length; a smaller buffer gets EMSGSIZE.
 * A unit's label starts as "unit N".
 */
#define SAMPLE_LABEL_MAX 63u

/* SAMPLE_OPT_STATS: what the kext did for this unit. */
struct sample_stats {
	uint64_t requests;        /* frames received */
	uint64_t errors;          /* ERROR replies sent, and malformed input refused */
	uint64_t events_sent;
	uint64_t events_dropped;  /* ENOBUFS on an event */
	uint64_t replies_dropped; /* ENOBUFS on a reply (the send failed with ENOBUFS) */
};

#endif
