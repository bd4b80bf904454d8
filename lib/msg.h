/*
 * msg.h - the per-handle state of framed traffic (internal).
 *
 * One thread at a time is the reader: it pulls bytes from the socket into rx with the
 * lock released, then, under the lock, sorts complete frames: replies go to the request
 * waiting for their seq, everything else to whoever called kctl_msg_recv() (directly,
 * or through the backlog when a request thread did the reading). Other threads wait on
 * the condition variable. Writes to rx beyond rx_len happen only in the reader, so
 * threads sorting frames in [rx_off, rx_len) under the lock never race with it.
 */
#ifndef KCTL_MSG_H
#define KCTL_MSG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "kctl.h"
#include "lock.h"

struct kctl;
struct kctl_clock;

/*
 * A request waiting for its reply. A blocking one (kctl_request) has its payloads
 * copied straight into dst; one started with kctl_request_start() has its reply frames
 * handed out by the receive path, and a deadline after which the receive path hands out
 * a timeout frame instead.
 */
struct kctl_msg_waiter {
	uint32_t seq;
	uint16_t type;       /* the request's type, echoed in a timeout frame */
	uint8_t active;
	uint8_t done;
	uint8_t overflow;
	uint8_t async;       /* started by kctl_request_start() */
	int err;
	unsigned char *dst;
	size_t cap;
	size_t len;
	size_t need;         /* with overflow: the payload bytes the reply had by then */
	int64_t deadline_ms; /* async: monotonic; 0 for none */
};

/* How kctl_msg_take() classified the frame it hands out (kctl_msg_info.kind). */
enum kctl_msg_class {
	KCTL_MSG_CLASS_OTHER = 0,   /* an event or a request from the control */
	KCTL_MSG_CLASS_REPLY = 1,   /* a reply to a request of kctl_request_start() */
	KCTL_MSG_CLASS_STRAY = 2,   /* a reply no request waits for */
};

/* What the library knew where a framed call's errno was produced (error.h reasons). */
struct kctl_msg_note {
	uint32_t origin, reason; /* reason 0: nothing noted */
	uint64_t arg, limit;
};

/* Seqs of requests that timed out or were cancelled, whose late replies are dropped. */
#define KCTL_MSG_RETIRED 32

struct kctl_msg {
	struct kctl_lock lock;     /* guards all of this but frames_out (lock.h) */
	int reading;               /* a thread is pulling from the socket */
	int broken;                /* STREAM: the errno that broke it, else 0 */
	int tx_busy;               /* STREAM: a thread is sending a frame (others wait) */
	int tx_torn;               /* STREAM: a frame went out in part */
	uint32_t max_frame;
	uint32_t next_seq;
	/*
	 * rx: DGRAM, one record (max_frame bytes); STREAM, from KCTL_MSG_RX_START bytes,
	 * doubled while bursts fill it, up to 2 x max_frame. Frames in [rx_off, rx_len);
	 * a DGRAM record is validated whole on arrival, so [rx_off, rx_valid) is trusted.
	 */
	unsigned char *rx;
	size_t rx_cap, rx_off, rx_len, rx_valid;
	/* backlog: allocated on its first frame, doubled up to 4 x max_frame; [bl_off, bl_len) */
	unsigned char *bl;
	size_t bl_cap, bl_off, bl_len;
	struct kctl_msg_waiter waiters[KCTL_MSG_MAX_INFLIGHT];
	unsigned timed;            /* active slots with a deadline: the clock matters only then */
	unsigned active;           /* active slots: requests waiting for replies */
	uint32_t retired[KCTL_MSG_RETIRED]; /* a ring; seq 0 is never used */
	unsigned int retired_pos;
	struct kctl_msg_stats st;
	uint64_t late_replies;     /* replies to retired seqs, dropped */
	struct kctl_msg_note note; /* the current call's, read before the lock is let go */
	atomic_uint_least64_t frames_out;
	char detail[192];
};

/* Sets up a handle's framing state (no buffers yet). 0 or -errno. */
int kctl_msg_init(struct kctl_msg *m);

/* Frees buffers and destroys the locks. */
void kctl_msg_destroy(struct kctl_msg *m);

/* First size of a STREAM receive buffer: a request-only handle needs no more. */
#define KCTL_MSG_RX_START 4096u

/*
 * Allocates the receive buffer if it is not there (DGRAM: max_frame; STREAM: the
 * smaller of KCTL_MSG_RX_START and 2 x max_frame). The backlog waits for its first
 * frame. Call under m->lock. Inline: every framed call passes here.
 */
int kctl_msg_buffers_alloc(struct kctl_msg *m, int stream);
static inline int kctl_msg_buffers(struct kctl_msg *m, int stream)
{
	return m->rx ? 0 : kctl_msg_buffers_alloc(m, stream);
}

/* Wakes the threads waiting in kctl_msg_cond_wait, if any (under m->lock). */
static inline void kctl_msg_wake(struct kctl_msg *m)
{
	kctl_lock_wake(&m->lock);
}

/* Notes why the current framed call fails (read into its record under the same lock). */
void kctl_msg_note(struct kctl_msg *m, uint32_t origin, uint32_t reason, uint64_t arg,
		   uint64_t limit);

/* Writes a printf-style sentence into m->detail. */
void kctl_msg_set_detail(struct kctl_msg *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Waits for kctl_msg_wake or the clock; call under m->lock, which it lets go. 0 when
 * woken (or after a slice: look again), -EAGAIN for timeout 0, -ETIMEDOUT. */
int kctl_msg_cond_wait(struct kctl_msg *m, struct kctl_clock *c);

/*
 * The reader's step, called under m->lock with m->reading clear: makes one receive
 * (waiting up to the clock when told to), releasing the lock around the syscall, and
 * leaves the bytes in rx. 0, or -errno (-EAGAIN, -ETIMEDOUT, -EPIPE at end of file,
 * a DGRAM record's error, which has then been dropped).
 */
int kctl_msg_pull(struct kctl *h, struct kctl_clock *c, int wait);

/*
 * kctl_msg_pull() in its two halves, for a caller that does something between taking
 * the reader's role and receiving (kctl_request sends its request): begin under the
 * lock (sets m->reading; the caller then drops the lock), kctl_msg_pull_recv() without
 * it, kctl_msg_pull_end() under it again with what the receive gave.
 */
void kctl_msg_pull_begin(struct kctl *h);
int kctl_msg_pull_recv(struct kctl *h, struct kctl_clock *c, int wait, size_t *n, int *fl,
		       uint64_t *calls);
int kctl_msg_pull_end(struct kctl *h, int rc, size_t n, int fl, uint64_t calls);

/*
 * The next complete frame in rx, validated; replies for blocking requests are handed to
 * them on the way, late replies (to retired seqs) dropped and counted. 1 with *f, *wire
 * and *cls (may be NULL) when a frame is left for the caller, 0 when rx holds no
 * complete frame, or -errno (a STREAM is then broken). Under m->lock.
 */
int kctl_msg_take(struct kctl *h, const struct kctl_frame_hdr **f, size_t *wire, int *cls);

/* Keeps a frame (and its class) for kctl_msg_recv(); counts it as dropped when full. */
void kctl_msg_backlog_push(struct kctl_msg *m, const struct kctl_frame_hdr *f, size_t wire,
			   int cls);

/* ---- requests waiting for replies (msg_slots.c); all under m->lock ---- */

/* Claims a slot with a fresh seq; NULL if KCTL_MSG_MAX_INFLIGHT are in use. Inline:
 * every request passes here. */
static inline struct kctl_msg_waiter *kctl_msg_slot_claim(struct kctl_msg *m, uint16_t type)
{
	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++) {
		struct kctl_msg_waiter *w = &m->waiters[i];

		if (w->active)
			continue;
		w->seq = m->next_seq++;
		w->type = type;
		w->active = 1;
		m->active++;
		w->done = w->overflow = w->async = 0;
		w->err = 0;
		w->len = w->need = 0;
		w->deadline_ms = 0; /* dst and cap: the caller's */
		if (m->next_seq == 0)
			m->next_seq = 1; /* seq 0 is never used: it marks "no request" */
		return w;
	}
	return NULL;
}

/* The active slot of seq, or NULL. Inline: every reply passes here. */
static inline struct kctl_msg_waiter *kctl_msg_slot_find(struct kctl_msg *m, uint32_t seq)
{
	for (int i = 0; i < KCTL_MSG_MAX_INFLIGHT; i++)
		if (m->waiters[i].active && m->waiters[i].seq == seq)
			return &m->waiters[i];
	return NULL;
}

/* Frees a slot; with retire, its seq's late replies will be dropped and counted. */
static inline void kctl_msg_slot_release(struct kctl_msg *m, struct kctl_msg_waiter *w,
					 int retire)
{
	if (retire) {
		m->retired[m->retired_pos] = w->seq;
		m->retired_pos = (m->retired_pos + 1) % KCTL_MSG_RETIRED;
	}
	m->timed -= w->deadline_ms != 0;
	m->active--;
	w->active = 0;
}

/* Copies a reply's payload into a blocking request's buffer, or notes its failure
 * (under m->lock; f validated). Inline: every blocking request's reply passes here. */
static inline void kctl_msg_reply_to(struct kctl_msg *m, struct kctl_msg_waiter *w,
				     const struct kctl_frame_hdr *f)
{
	size_t plen = f->len - KCTL_FRAME_HDR_LEN; /* validated: len >= 16 */

	if (f->flags & KCTL_FRAME_F_ERROR)
		w->err = -(int)f->aux;
	else if (w->overflow || plen > w->cap - w->len) {
		w->need = (w->overflow ? w->need : w->len) + plen; /* for the sentence */
		w->overflow = 1;
	}
	else if (plen > 0) /* dst may be NULL (cap 0): no arithmetic on it, no memcpy */
		memcpy(w->dst + w->len, f + 1, plen);
	if (!w->overflow && !(f->flags & KCTL_FRAME_F_ERROR))
		w->len += plen;
	w->done = (f->flags & KCTL_FRAME_F_ERROR) || !(f->flags & KCTL_FRAME_F_MORE);
	kctl_msg_wake(m);
}

/* 1 if seq belongs to a request that timed out or was cancelled. */
int kctl_msg_retired(const struct kctl_msg *m, uint32_t seq);

/* The first async request whose deadline has passed at now_ms, or NULL. */
struct kctl_msg_waiter *kctl_msg_slot_expired(struct kctl_msg *m, int64_t now_ms);

/* Milliseconds until the earliest async deadline: -1 for none, 0 if one has passed. */
int32_t kctl_msg_slot_wait_ms(const struct kctl_msg *m, int64_t now_ms);

/* Frames kctl_msg_recv() would hand out without a syscall (backlog, complete rx frames). */
size_t kctl_msg_buffered(const struct kctl *h);

#endif /* KCTL_MSG_H */
