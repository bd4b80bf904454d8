/*
 * trace.h - the call tracer: a backend that passes every call of the syscall table to
 * another backend and prints it, strace-like, with decoded arguments and results
 * (internal).
 *
 * A line is formatted on the stack after the call returns and emitted whole (one
 * write(2), or one callback under the tracer's lock), so lines of concurrent calls never
 * interleave and nothing is allocated per call.
 */
#ifndef KCTL_TRACE_H
#define KCTL_TRACE_H

#include <pthread.h>
#include <stdint.h>

#include "kctl_sys.h"

/* Longest line; a longer one is cut and ends with "...". */
#define KCTL_TRACE_LINE_MAX 1024

/* Sockets the tracer learned something about at connect (utun, by the id it was told). */
#define KCTL_TRACE_FDS 64

struct kctl_trace_fd {
	int fd;        /* -1: free */
	uint32_t id;   /* the control it connected to */
	uint8_t utun;  /* that control is Apple's utun (4-byte family header, UTUN_OPT_*) */
};

struct kctl_trace {
	struct kctl_backend be;      /* what callers use: ops below, ctx = this tracer */
	const struct kctl_backend *inner;
	kctl_trace_fn fn;            /* NULL: write to fd */
	void *fn_ctx;
	int fd;
	uint32_t flags;
	int64_t t0_us;               /* KCTL_TRACE_TIME: when the tracer was made */
	pthread_mutex_t lock;        /* emission and the tables below */
	uint32_t utun_id;            /* utun's id once a CTLIOCGINFO told it; 0: unknown */
	struct kctl_trace_fd fds[KCTL_TRACE_FDS];
};

/* A line being written; `len` counts what would have been written (it may be cut). */
struct kctl_tline {
	char buf[KCTL_TRACE_LINE_MAX];
	size_t len;
};

/* Sets up a tracer in place (the environment's tracer is static). 0 or -errno. */
int kctl_trace_init(struct kctl_trace *t, const kctl_backend_t *inner, kctl_trace_fn fn,
		    void *ctx, int fd, uint32_t flags);

/* Emits a finished line (with the time prefix when asked). */
void kctl_trace_emit(struct kctl_trace *t, struct kctl_tline *l);

/* The socket the tracer knows as utun (1) or not (0). */
int kctl_trace_is_utun(struct kctl_trace *t, int fd);

/* Remembers (or forgets, id 0 on close) what a socket is connected to. */
void kctl_trace_note_fd(struct kctl_trace *t, int fd, uint32_t id);

/* Remembers utun's id when a CTLIOCGINFO for its name answered. */
void kctl_trace_note_utun(struct kctl_trace *t, uint32_t id);

/* ---- formatting (trace_fmt.c) ---- */

void kctl_tl_put(struct kctl_tline *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* " = 0", " = N" or " = -1 EAGAIN (Resource temporarily unavailable)". */
void kctl_tl_result(struct kctl_tline *l, int rc, long long value);

/* AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL or the number. */
void kctl_tl_domain(struct kctl_tline *l, int domain);
void kctl_tl_type(struct kctl_tline *l, int type);
void kctl_tl_protocol(struct kctl_tline *l, int protocol);

/* MSG_* flags (Darwin values), "|"-joined; "0" for none. */
void kctl_tl_msgflags(struct kctl_tline *l, int flags);

/* A sockaddr_ctl, every field named; sc_reserved only when not zero. */
void kctl_tl_sockaddr(struct kctl_tline *l, const struct kctl_abi_sockaddr_ctl *sa);

/* An ioctl request's name (CTLIOCGINFO, FIONBIO, ...), or NULL. */
const char *kctl_tl_ioctl_name(unsigned long req);

/* SOL_SOCKET / SYSPROTO_CONTROL and, for SOL_SOCKET (and utun), option names. */
void kctl_tl_level_opt(struct kctl_tline *l, int level, int opt, int utun);

/* An option value: an int for 4 bytes, a u64 for 8, else a quoted preview. */
void kctl_tl_optval(struct kctl_tline *l, const void *val, size_t len);

/*
 * Data sent or received (n bytes in iov), after "N bytes" when count is set: the frames
 * of kctl_frame.h when it starts with one (headers decoded, a payload preview), utun's
 * family header on a utun socket, else a quoted preview of the bytes. Each part after
 * the count starts with a space.
 */
void kctl_tl_data(struct kctl_tline *l, const struct iovec *iov, int iovcnt, size_t n,
		  int utun, int count);

/* The registration list (net.systm.kctl.reg_list): its count, generation, first names. */
void kctl_tl_reg_list(struct kctl_tline *l, const void *buf, size_t len);

/* A quoted, C-escaped preview of at most `max` of the n bytes at p. */
void kctl_tl_bytes(struct kctl_tline *l, const void *p, size_t n, size_t max);

#endif /* KCTL_TRACE_H */
