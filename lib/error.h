/*
 * error.h - errno names, failure records and the reasons behind them (internal).
 *
 * A failure is recorded as a struct kctl_error (kctl.h): the errno, the kind of call,
 * who produced the errno, and one of the reasons below with up to two numbers. The
 * sentence (explain.c) is built from the record alone, so a record can travel: in a
 * caller's struct for open failures, in the handle's per-call slots otherwise.
 */
#ifndef KCTL_ERROR_H
#define KCTL_ERROR_H

#include <pthread.h>
#include <stdint.h>

#include "kctl.h"

/* One errno of the host: its value, its C library's name and strerror() text. */
struct kctl_errno_entry {
	int value;
	const char *name; /* "EINVAL" */
	const char *desc; /* "Invalid argument" */
	const char *text; /* "EINVAL (Invalid argument)" */
};

/* The host's entry for err (negative or positive), or NULL if it is no errno here. */
const struct kctl_errno_entry *kctl_errno_find(int err);

/* What the library knows beyond the errno (struct kctl_error.reason). */
enum kctl_reason {
	KCTL_R_NONE = 0,
	/* the library decided */
	KCTL_R_ARG,          /* a NULL or inconsistent argument */
	KCTL_R_NAME_NULL,    /* the name is NULL */
	KCTL_R_NAME_EMPTY,   /* the name is "" */
	KCTL_R_NAME_LONG,    /* no NUL within 96 bytes */
	KCTL_R_FLAGS,        /* arg: the unknown flag bits */
	KCTL_R_NOMEM,        /* arg: bytes the library tried to allocate (0: unknown) */
	KCTL_R_STATE,        /* the handle's state forbids it; arg: enum kctl_state */
	KCTL_R_OPT_SIZE,     /* arg: option length; limit: KCTL_OPT_MAX */
	KCTL_R_OPT_OVERFLOW, /* arg: the length the kernel claimed; limit: the buffer */
	KCTL_R_OPT_LENGTH,   /* arg: the length the control answered; limit: the type's */
	KCTL_R_OPT_STR_FIT,  /* arg: the string's length; limit: the buffer */
	KCTL_R_OPT_STR_NUL,  /* a NUL inside the answer; arg: the answer's length */
	KCTL_R_FRAME_SIZE,   /* arg: the frame's wire size; limit: the max frame */
	KCTL_R_FRAME_BAD,    /* kctl_msg_sendv: arg: which iov is no valid frame */
	KCTL_R_INFLIGHT,     /* limit: KCTL_MSG_MAX_INFLIGHT */
	KCTL_R_REPLY_FIT,    /* arg: the reply's payload bytes (so far); limit: the buffer */
	KCTL_R_TIMEOUT,      /* arg: the timeout in ms */
	KCTL_R_MALFORMED,    /* a frame that does not decode; arg: its size */
	KCTL_R_TRUNCATED,    /* a DGRAM record cut; arg: the receive buffer; limit: max frame */
	KCTL_R_FRAME_CAP,    /* arg: the next frame's size; limit: the caller's buffer */
	KCTL_R_BROKEN,       /* the STREAM broke earlier */
	KCTL_R_TORN,         /* a frame went out in part earlier: no frame may follow it */
	KCTL_R_INSANE,       /* the kernel answered against the rules (claimed too much) */
	KCTL_R_NO_REQUEST,   /* no request with that seq is pending; arg: the seq */
	KCTL_R_UTUN_FAMILY,  /* utun: a family to send that is neither 2 nor 30; arg: it */
	KCTL_R_UTUN_FAMILY_IN, /* utun: a packet read with such a family; arg: it */
	KCTL_R_UTUN_SHORT,   /* utun: a record shorter than the header; arg: its length */
	KCTL_R_UTUN_TRUNC,   /* utun: a packet longer than the buffer; arg: the buffer */
	KCTL_R_UTUN_IFNAME,  /* utun: an interface name that is not "utun" and digits */
	/* the kernel's rule */
	KCTL_R_SOCKET,       /* socket() or its set-up (close-on-exec, non-blocking) */
	KCTL_R_NO_NAME,      /* CTLIOCGINFO: no control by that name */
	KCTL_R_CONNECT,      /* connect/bind refused before the control; arg: unit; limit: stream */
	KCTL_R_BIND,         /* bind: no bind callback, or it refused; arg: unit */
	KCTL_R_NOTCONN,      /* never connected */
	KCTL_R_DEAD,         /* the connection is gone */
	KCTL_R_SEND_SIZE,    /* DGRAM record above the send size; arg: bytes */
	KCTL_R_WOULDBLOCK,   /* timeout 0 and the call would wait */
	KCTL_R_KERNEL,       /* another errno of a syscall the kernel answered */
	/* the control answered */
	KCTL_R_CB_CONNECT,   /* its connect callback; arg: unit */
	KCTL_R_CB_SEND,      /* its send callback; arg: bytes */
	KCTL_R_CB_SETOPT,    /* its setopt callback; arg: option; limit: length */
	KCTL_R_CB_GETOPT,    /* its getopt callback; arg: option; limit: the buffer */
	KCTL_R_ERROR_REPLY,  /* an ERROR reply; arg: request type; limit: seq */
	KCTL_R_COUNT         /* not a reason: how many there are (tests check each) */
};

/* Fills *e (may be NULL) and returns err, so that a failing path reads `return ...`. */
int kctl_err_fill(struct kctl_error *e, int err, uint32_t call, uint32_t origin,
		  uint32_t reason, uint64_t arg, uint64_t limit);

/* A handle's records, one per KCTL_CALL_* kind. */
#define KCTL_CALL_KINDS 6

struct kctl_errs {
	pthread_mutex_t lock;
	struct kctl_error rec[KCTL_CALL_KINDS];
};

int kctl_errs_init(struct kctl_errs *r);
void kctl_errs_destroy(struct kctl_errs *r);

/*
 * Records a failure in h's slot for e->call and returns e->err. -EAGAIN and success
 * are not recorded (an event loop meets EAGAIN on every turn).
 */
int kctl_errs_put(struct kctl_errs *r, const struct kctl_error *e);

/* Shorthand: builds the record and puts it. */
int kctl_errs_set(struct kctl_errs *r, int err, uint32_t call, uint32_t origin,
		  uint32_t reason, uint64_t arg, uint64_t limit);

#endif /* KCTL_ERROR_H */
