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

/* One call's time budget: every wait inside the call shares the same deadline. */
struct kctl_clock {
	int32_t timeout_ms; /* -1 forever, 0 never wait */
	int64_t deadline_ms; /* monotonic, when timeout_ms > 0 */
};

/* Milliseconds of the monotonic clock. */
int64_t kctl_now_ms(void);

/* Starts a call's clock from the handle's timeout. */
void kctl_clock_start(struct kctl_clock *c, int32_t timeout_ms);

/* 1 once a clock with a positive timeout has run out (never for 0 or -1). */
int kctl_clock_expired(const struct kctl_clock *c);

/*
 * Waits until fd is readable (events POLLIN) or writable (POLLOUT) before the clock
 * runs out. 0 when ready, -EAGAIN for a zero timeout, -ETIMEDOUT when the time ran
 * out, or poll()'s errno. Retries on EINTR with the time that is left.
 */
int kctl_wait_fd(int fd, short events, const struct kctl_clock *c);

/*
 * Gathers iov into one send: one record (DGRAM), or as many bytes as fit (STREAM). On
 * failure *why (may be NULL) says who refused it (a KCTL_CALL_SEND record).
 */
int kctl_io_sendv(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *sent,
		  struct kctl_error *why);

/* One receive into iov, waiting per the handle's timeout; rflags get KCTL_RECV_*. */
int kctl_io_recvv(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *got,
		  uint32_t *rflags, struct kctl_error *why);

/* kctl_msg_send() filling *why (may be NULL) on failure instead of h's record. */
int kctl_msg_send_why(struct kctl *h, uint8_t flags, uint16_t type, uint32_t seq,
		      uint32_t aux, const void *payload, size_t len, struct kctl_error *why);

#endif /* KCTL_HANDLE_H */
