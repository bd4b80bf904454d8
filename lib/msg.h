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

#include "kctl.h"

struct kctl;
struct kctl_clock;

/* A request waiting for its reply; its payloads are copied straight into dst. */
struct kctl_msg_waiter {
	uint32_t seq;
	uint8_t active;
	uint8_t done;
	uint8_t overflow;
	int err;
	unsigned char *dst;
	size_t cap;
	size_t len;
};

struct kctl_msg {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_mutex_t send_lock; /* frames of concurrent senders never interleave */
	int reading;               /* a thread is pulling from the socket */
	int broken;                /* STREAM: the errno that broke it, else 0 */
	int tx_torn;               /* STREAM: a frame went out in part; under send_lock */
	int drained;               /* the last receive emptied the kernel's queue */
	uint32_t max_frame;
	uint32_t next_seq;
	unsigned char *rx;         /* 2 x max_frame; frames in [rx_off, rx_len) */
	size_t rx_cap, rx_off, rx_len;
	unsigned char *bl;         /* backlog: 4 x max_frame; frames in [bl_off, bl_len) */
	size_t bl_cap, bl_off, bl_len;
	struct kctl_msg_waiter waiters[KCTL_MSG_MAX_INFLIGHT];
	struct kctl_msg_stats st;
	atomic_uint_least64_t frames_out;
	char detail[192];
};

/* Sets up a handle's framing state (no buffers yet). 0 or -errno. */
int kctl_msg_init(struct kctl_msg *m);

/* Frees buffers and destroys the locks. */
void kctl_msg_destroy(struct kctl_msg *m);

/* Allocates the buffers for m->max_frame if they are not there. Call under m->lock. */
int kctl_msg_buffers(struct kctl_msg *m);

/* Writes a printf-style sentence into m->detail. */
void kctl_msg_set_detail(struct kctl_msg *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Waits on m->cond until woken or the clock runs out; call under m->lock. */
int kctl_msg_cond_wait(struct kctl_msg *m, const struct kctl_clock *c);

/*
 * The reader's step, called under m->lock with m->reading clear: makes one receive
 * (waiting up to the clock when told to), releasing the lock around the syscall, and
 * leaves the bytes in rx. 0, or -errno (-EAGAIN, -ETIMEDOUT, -EPIPE at end of file,
 * a DGRAM record's error, which has then been dropped).
 */
int kctl_msg_pull(struct kctl *h, const struct kctl_clock *c, int wait);

/*
 * The next complete frame in rx, validated; replies for waiting requests are handed to
 * them on the way. 1 with *f and *wire when a frame is left for the caller, 0 when rx
 * holds no complete frame, or -errno (a STREAM is then broken). Under m->lock.
 */
int kctl_msg_take(struct kctl *h, const struct kctl_frame_hdr **f, size_t *wire);

/* Keeps a frame for kctl_msg_recv(); counts it as dropped when the backlog is full. */
void kctl_msg_backlog_push(struct kctl_msg *m, const struct kctl_frame_hdr *f, size_t wire);

#endif /* KCTL_MSG_H */
