/* handle.h - what a kctl_t holds, and the core's internal helpers (internal). */
#ifndef KCTL_HANDLE_H
#define KCTL_HANDLE_H

#include <stdint.h>

#include "error.h"
#include "kctl_sys.h"
#include "msg.h"

enum kctl_state {
	KCTL_STATE_BOUND = 1,     /* bind done, connect pending (KCTL_OPEN_BIND_ONLY) */
	KCTL_STATE_CONNECTED = 2, /* connect done */
	KCTL_STATE_FAILED = 3,    /* a deferred connect failed: only close is useful */
};

struct kctl {
	const struct kctl_backend *be;
	int fd;
	uint32_t id;
	uint32_t unit;
	int32_t timeout_ms;
	uint8_t stream;
	uint8_t state; /* enum kctl_state */
	struct kctl_msg msg; /* framed traffic; buffers allocated on first use */
	struct kctl_errs errs; /* the last failure of each kind of call (error.h) */
};

/* The backend to use for a caller's argument: NULL means the native one (traced when
 * KCTL_TRACE says so). */
const struct kctl_backend *kctl_backend_resolve(const kctl_backend_t *be);

/* The same, but NULL is the native backend itself (what a tracer wraps). */
const struct kctl_backend *kctl_backend_resolve_untraced(const kctl_backend_t *be);

/* The native backend, or the tracer of it that KCTL_TRACE asks for (trace_env.c). */
const struct kctl_backend *kctl_native_traced(void);

/* A new PF_SYSTEM socket of `type`, close-on-exec, non-blocking, without SIGPIPE. */
int kctl_socket_open(const struct kctl_backend *be, int type, int *fd);

/* Why a name fails kctl_name_check(): KCTL_R_NAME_* (error.h), or 0 if it is fine. */
uint32_t kctl_name_reason(const char *name);

/* Fills a ctl_info for CTLIOCGINFO: zeroed, then the (already checked) name. */
void kctl_ctl_info_fill(struct kctl_abi_ctl_info *info, const char *name);

/* Fills a sockaddr_ctl: zeroed, sc_len 32, AF_SYSTEM, AF_SYS_CONTROL, id, unit. */
void kctl_sockaddr_fill(struct kctl_abi_sockaddr_ctl *sa, uint32_t id, uint32_t unit);

/*
 * One call's time budget: every wait inside the call shares the same deadline. The
 * deadline is set when the call first has to wait (kctl_clock_arm), so a call that
 * never waits never reads the clock; the time spent before that first wait (a
 * non-blocking syscall or two) is not counted against the timeout.
 */
struct kctl_clock {
	int32_t timeout_ms; /* -1 forever, 0 never wait */
	int32_t spins;       /* waits of this call that only yielded (kctl_msg_cond_wait) */
	int64_t deadline_ms; /* monotonic, once armed with timeout_ms > 0; else 0 */
};

/* Waits on the handle's lock a call makes by yielding before it sleeps. */
#define KCTL_MSG_SPINS 16

/* Milliseconds of the monotonic clock. */
int64_t kctl_now_ms(void);

/* Starts a call's clock from the handle's timeout: no clock read until it must wait. */
static inline void kctl_clock_start(struct kctl_clock *c, int32_t timeout_ms)
{
	c->timeout_ms = timeout_ms;
	c->spins = 0;
	c->deadline_ms = 0;
}

/* Sets the deadline if it is not set yet: the call is about to wait. */
void kctl_clock_arm(struct kctl_clock *c);

/* 1 once an armed clock with a positive timeout has run out (never for 0 or -1). */
int kctl_clock_expired(struct kctl_clock *c);

/*
 * Waits until fd is readable (events POLLIN) or writable (POLLOUT) before the clock
 * runs out. 0 when ready, -EAGAIN for a zero timeout, -ETIMEDOUT when the time ran
 * out, or poll()'s errno. Retries on EINTR with the time that is left.
 */
int kctl_wait_fd(int fd, short events, struct kctl_clock *c);

/*
 * Gathers iov into one send: one record (DGRAM), or as many bytes as fit (STREAM). On
 * failure *why (may be NULL) says who refused it (a KCTL_CALL_SEND record).
 */
int kctl_io_sendv(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *sent,
		  struct kctl_error *why);

/* The record of a send the kernel refused with rc (bytes: what was offered). */
int kctl_io_send_refused(const struct kctl *h, int rc, size_t bytes, struct kctl_error *why);

/* kctl_io_sendv() on a clock the caller started (the call's, shared with its waits). */
int kctl_io_sendv_clock(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *sent,
			struct kctl_error *why, struct kctl_clock *clock);

/* One receive into iov, waiting per the handle's timeout; rflags get KCTL_RECV_*. */
int kctl_io_recvv(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *got,
		  uint32_t *rflags, struct kctl_error *why);

/* kctl_msg_send() filling *why (may be NULL) on failure instead of h's record. */
int kctl_msg_send_why(struct kctl *h, uint8_t flags, uint16_t type, uint32_t seq,
		      uint32_t aux, const void *payload, size_t len, struct kctl_error *why);

/*
 * A frame's header, payload and padding as the iovecs of one gathered send (the
 * payload is not copied); *n gets how many. hdr must stay alive until the send. 0, or
 * -errno with *why filled (a frame above the max frame, flags that would not decode).
 */
int kctl_msg_frame_iov(struct kctl *h, struct kctl_frame_hdr *hdr, uint8_t flags,
		       uint16_t type, uint32_t seq, uint32_t aux, const void *payload,
		       size_t len, struct iovec iov[3], int *n, struct kctl_error *why);

/*
 * STREAM: takes the handle's turn to send a frame, waiting on the call's clock while
 * another thread has it (so a sender that cannot send now never stalls the others
 * beyond their own timeouts). Under m->lock. 0, or -EAGAIN/-ETIMEDOUT, or
 * -ENOTRECOVERABLE after a torn frame, with *why filled.
 */
int kctl_msg_tx_begin(struct kctl *h, struct kctl_clock *c, struct kctl_error *why);

/* Gives the turn back; torn: the frame went out in part (done bytes). Under m->lock. */
void kctl_msg_tx_end(struct kctl *h, int torn, size_t done);

/* Whether the first `done` bytes of a gathered send end inside a frame (msg_send.c). */
int kctl_msg_cut_inside_frame(const struct iovec *iov, int n, int one_frame, size_t done);

#endif /* KCTL_HANDLE_H */
