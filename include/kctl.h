/*
 * kctl.h - libkctl: talk to macOS kernel controls (PF_SYSTEM / SYSPROTO_CONTROL).
 *
 * Conventions for every function below:
 * - Returns 0 (or a documented non-negative value) on success and a negative errno
 *   (-ENOENT, ...) on failure; kctl_explain() turns it into a sentence that says what
 *   happened and, where the library knows, who said so and why (see "errors" below).
 * - On failure nothing changes: no handle is created, no fd is left open, out-params
 *   are left untouched unless stated otherwise.
 * - Buffers are the caller's; the library allocates only the handle (in kctl_open_*,
 *   freed by kctl_close) and its framing buffers (below), which grow with the traffic
 *   and then stay: the steady state allocates nothing on the send/receive path.
 * - Thread-safety: distinct handles are independent. One handle may be used by one
 *   sending thread and one receiving thread at the same time; any other concurrent use
 *   of one handle needs the caller's lock. Lookup functions are thread-safe.
 * - Blocking calls wait at most the handle's timeout (kctl_set_timeout); the fd is
 *   always non-blocking underneath and exposed (kctl_fd) for poll/kqueue.
 * - Sockets are close-on-exec and never raise SIGPIPE.
 * - EINTR and EAGAIN: each call says what it does with them ("EINTR/EAGAIN:"). The rule:
 *   the library retries an interrupted call only when the interrupted call cannot have
 *   acted (a receive consumes nothing, a send that fails with EINTR took nothing: a Mac
 *   turns an interrupted send that moved bytes into a short count); -EAGAIN only ever
 *   means "nothing was done, try again" (timeout 0).
 *
 * A backend is where the calls go: the real kernel (kctl_backend_native(), or NULL),
 * or a simulated kernel (kctl_sim_backend() in kctl_sim.h). On a platform other than
 * macOS the native backend makes the same libc calls, so the host's kernel answers
 * -EAFNOSUPPORT, and a program run under `kctl-sim run` reaches a simulated kernel.
 */
#ifndef KCTL_H
#define KCTL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "kctl_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* KCTL_API (default visibility for exported functions) comes from kctl_frame.h. */

/** Size of a control name field, NUL included: names are 1..95 bytes. */
#define KCTL_NAME_MAX 96

/**
 * Highest unit the kernel chooses when asked for unit 0 (XNU's ctl_maxunit - 1). An
 * explicit unit, or a REG_ID_UNIT control's unit, may be any 32-bit value but 0.
 */
#define KCTL_UNIT_MAX 65535u

/* Flags for kctl_open_name() / kctl_open_id(). */
#define KCTL_OPEN_DGRAM     0x0u /**< SOCK_DGRAM (the default): one record per send */
#define KCTL_OPEN_STREAM    0x1u /**< SOCK_STREAM, for controls registered as streams */
#define KCTL_OPEN_NONBLOCK  0x2u /**< start with a timeout of 0 (calls never wait) */
#define KCTL_OPEN_BIND_ONLY 0x4u /**< bind but do not connect; set options, then kctl_connect() */

/* Flags reported by kctl_recv(). */
#define KCTL_RECV_TRUNC 0x1u /**< DGRAM: the record was longer than the buffer; the rest is gone */
#define KCTL_RECV_EOR   0x2u /**< STREAM: the data read ends a record */

/** Largest option value the library passes (set) or asks for (get): 1 MiB. */
#define KCTL_OPT_MAX (1u << 20)

/** Timeout value meaning "wait as long as it takes". */
#define KCTL_TIMEOUT_INFINITE (-1)

/** An open kernel-control socket. Opaque; created by kctl_open_*, freed by kctl_close. */
typedef struct kctl kctl_t;

/** Where the calls go: the real kernel or a simulated one. Opaque, never freed by you. */
typedef struct kctl_backend kctl_backend_t;

/**
 * The platform's own kernel: libc's socket calls (Darwin's constants translated to the
 * host's off macOS, where the kernel answers -EAFNOSUPPORT, or, under `kctl-sim run`,
 * libkctl-preload's simulated kernel). Passing NULL as a backend means this one.
 * With KCTL_TRACE in the environment it is a tracer of that kernel ("the call tracer").
 * Never fails; the result is static and thread-safe.
 */
KCTL_API const kctl_backend_t *kctl_backend_native(void);

/**
 * Checks a control name without any syscall: 0 if it is 1..95 bytes and NUL-terminated
 * within KCTL_NAME_MAX bytes. Errors: -EINVAL (NULL, empty, or 96+ bytes, which leave
 * no room for the NUL: the same errno a Mac's CTLIOCGINFO gives). Thread-safe.
 */
KCTL_API int kctl_name_check(const char *name);

/**
 * Resolves a control name to its id (CTLIOCGINFO) on a short-lived socket.
 * Errors: -EINVAL (bad name, see kctl_name_check), -ENOENT (no such control: kext not
 * loaded or name misspelt; the match is exact and case-sensitive), -EAFNOSUPPORT (no
 * kernel controls here), or any errno of socket()/ioctl(). Thread-safe; does not block.
 * EINTR/EAGAIN: returned as the kernel gave them; nothing changed, calling again is safe.
 */
KCTL_API int kctl_lookup(const kctl_backend_t *be, const char *name, uint32_t *id);

/**
 * Counts the registered controls (CTLIOCGCOUNT) on a short-lived socket.
 * Errors: -EAFNOSUPPORT, or any errno of socket()/ioctl(). Thread-safe; does not block.
 * EINTR/EAGAIN: as kctl_lookup().
 */
KCTL_API int kctl_count(const kctl_backend_t *be, uint32_t *count);

/**
 * Opens the control called `name` on `unit` (0: the kernel chooses the lowest free unit,
 * at most KCTL_UNIT_MAX; read it back with kctl_unit(); any other 32-bit value is asked
 * for as it is). `flags` is KCTL_OPEN_*. On success *out is a new handle the caller
 * frees with kctl_close().
 * Errors: -EINVAL (bad name or flags), -ENOENT (control not registered, or a REG_ID_UNIT
 * control not on that unit), -EPROTOTYPE (DGRAM/STREAM differs from the control's
 * registration), -EPERM (privileged control and not root), -EBUSY (unit in use, or no
 * free unit), -ENOMEM, -EAFNOSUPPORT, or the errno the control's connect (or bind)
 * callback returned. Blocks only as long as the kernel's connect does.
 * EINTR/EAGAIN: returned, never retried: they come from an interrupted socket call or
 * from the control's connect (or bind) callback, which may have acted (a failed
 * connect also ran its disconnect callback); no handle is left, opening again is the
 * caller's choice.
 */
KCTL_API int kctl_open_name(const kctl_backend_t *be, const char *name, uint32_t unit,
			    uint32_t flags, kctl_t **out);

/**
 * As kctl_open_name(), for a control id already known (from kctl_lookup()).
 * Errors: as kctl_open_name().
 */
KCTL_API int kctl_open_id(const kctl_backend_t *be, uint32_t id, uint32_t unit,
			  uint32_t flags, kctl_t **out);

/**
 * Connects a handle opened with KCTL_OPEN_BIND_ONLY, keeping the unit chosen at bind.
 * Errors: -EISCONN (already connected), or the errors of kctl_open_name(). On failure
 * the handle stays usable only for kctl_close(). Not thread-safe with other calls on h.
 * EINTR/EAGAIN: as kctl_open_name(); the handle is then dead (close it).
 */
KCTL_API int kctl_connect(kctl_t *h);

/**
 * Closes the socket (the control's disconnect callback runs) and frees the handle.
 * NULL is accepted. Returns 0, or the errno of close(); the handle is freed and the fd
 * released either way. Not thread-safe with any other call on h.
 * EINTR: returned as close() gave it; the fd is released all the same, never retry.
 */
KCTL_API int kctl_close(kctl_t *h);

/** The socket's file descriptor, for poll/kqueue/select. Do not close it yourself. */
KCTL_API int kctl_fd(const kctl_t *h);

/** The control id of this handle. */
KCTL_API uint32_t kctl_id(const kctl_t *h);

/**
 * The unit of this handle. Once connected: the unit the kernel reported (getpeername),
 * its own choice if 0 was asked. Between KCTL_OPEN_BIND_ONLY and kctl_connect(), and
 * after a failed kctl_connect(): the unit that was asked for, so 0 if the kernel was to
 * choose: nothing on a Mac reveals that choice before connect (getpeername answers
 * ENOTCONN), so this does not either. 0 for NULL.
 */
KCTL_API uint32_t kctl_unit(const kctl_t *h);

/** 1 if the handle is a STREAM socket, 0 if DGRAM. */
KCTL_API int kctl_is_stream(const kctl_t *h);

/**
 * Sets how long blocking calls on h wait: milliseconds, 0 for never (-EAGAIN at once,
 * except a kctl_request() already sent: -ETIMEDOUT), or KCTL_TIMEOUT_INFINITE. A call
 * that runs out of time returns -ETIMEDOUT.
 * Errors: -EINVAL (below -1). Not thread-safe with calls in flight on h.
 */
KCTL_API int kctl_set_timeout(kctl_t *h, int32_t timeout_ms);

/** The handle's current timeout in milliseconds (see kctl_set_timeout). */
KCTL_API int32_t kctl_timeout(const kctl_t *h);

/**
 * Sends `len` bytes. DGRAM: one record, all or nothing. STREAM: the kernel cuts the
 * bytes at the control's send size; this keeps sending until all are sent, time runs
 * out or the control refuses a piece. *sent (may be NULL) says how many bytes went,
 * exactly, also on every error (a control that refused a piece after earlier ones took
 * bytes: send the rest, from *sent, never the whole buffer again).
 * Errors: -EMSGSIZE (DGRAM record above the control's send size), -ENOTCONN (never
 * connected), -EPIPE (connection dead; no SIGPIPE), -EAGAIN (timeout 0, would block),
 * -ETIMEDOUT, or the errno the control's send callback returned (-ENOTSUP: it has none).
 * EINTR/EAGAIN: an interrupted send is sent again (it took nothing), so -EINTR is never
 * returned; -EAGAIN only with timeout 0 when the kernel would block, *sent saying what
 * went before (send the rest, not the whole buffer).
 */
KCTL_API int kctl_send(kctl_t *h, const void *buf, size_t len, size_t *sent);

/**
 * Receives one record (DGRAM) or the bytes available up to the next end of record
 * (STREAM) into buf. *got is the number of bytes written; *rflags (may be NULL) gets
 * KCTL_RECV_TRUNC (DGRAM record longer than cap; its tail is discarded, as the kernel
 * does) and KCTL_RECV_EOR. A *got of 0 with return 0 and cap > 0 means end of file: the
 * connection is dead (failed connect). Waits up to the handle's timeout.
 * Errors: -ENOTCONN (never connected), -EAGAIN (timeout 0, nothing queued), -ETIMEDOUT,
 * -EINVAL (NULL buf with cap > 0, NULL got).
 * EINTR/EAGAIN: an interrupted receive is made again (it consumed nothing): never
 * -EINTR; -EAGAIN as above, with nothing consumed.
 */
KCTL_API int kctl_recv(kctl_t *h, void *buf, size_t cap, size_t *got, uint32_t *rflags);

/**
 * Sets option `opt` at level SYSPROTO_CONTROL to `len` bytes of `val` (len 0: NULL is
 * passed to the control). Errors: -EMSGSIZE (len above KCTL_OPT_MAX, nothing sent),
 * -EINVAL (NULL val with len > 0; not bound or connected, or dead), -ENOTSUP (the
 * control has no setopt callback), or the callback's errno (often -ENOPROTOOPT).
 * Thread-safe with send/recv on h.
 * EINTR/EAGAIN: returned as the kernel or the control's callback gave them, never
 * retried (the control may have acted on the option); the same for every option call
 * below (kctl_getopt, kctl_getopt_size, kctl_set_*, kctl_get_*).
 */
KCTL_API int kctl_setopt(kctl_t *h, uint32_t opt, const void *val, size_t len);

/**
 * Gets option `opt` into buf (cap bytes, pre-filled by the caller if the control reads
 * input from it; at most KCTL_OPT_MAX are offered); *len gets the length the control
 * returned. Errors: -EOVERFLOW (a hostile kernel claimed more than cap bytes; *len
 * untouched), -EINVAL (NULL len, or NULL buf with cap > 0), and kctl_setopt()'s.
 */
KCTL_API int kctl_getopt(kctl_t *h, uint32_t opt, void *buf, size_t cap, size_t *len);

/**
 * Asks the control how big option `opt` is (getsockopt with a NULL buffer).
 * Errors: as kctl_setopt().
 */
KCTL_API int kctl_getopt_size(kctl_t *h, uint32_t opt, size_t *size);

/** Sets a 32-bit option (host byte order). Errors: as kctl_setopt(). */
KCTL_API int kctl_set_u32(kctl_t *h, uint32_t opt, uint32_t value);

/**
 * Gets a 32-bit option. Errors: -EBADMSG (the control answered with a length other than
 * 4; *value untouched), and the errors of kctl_getopt().
 */
KCTL_API int kctl_get_u32(kctl_t *h, uint32_t opt, uint32_t *value);

/** Sets a 64-bit option (host byte order). Errors: as kctl_setopt(). */
KCTL_API int kctl_set_u64(kctl_t *h, uint32_t opt, uint64_t value);

/** Gets a 64-bit option. Errors: -EBADMSG (length other than 8), and kctl_getopt()'s. */
KCTL_API int kctl_get_u64(kctl_t *h, uint32_t opt, uint64_t *value);

/**
 * Sets a string option, sending its bytes and the terminating NUL.
 * Errors: -EINVAL (NULL), and the errors of kctl_setopt().
 */
KCTL_API int kctl_set_str(kctl_t *h, uint32_t opt, const char *value);

/**
 * Gets a string option into buf (cap bytes); the result is always NUL-terminated.
 * The control may or may not count a NUL in its length; both are accepted.
 * Errors: -EMSGSIZE (the string and its NUL do not fit in cap; buf holds ""),
 * -EBADMSG (a NUL inside the answer's length other than at its end), kctl_getopt()'s.
 */
KCTL_API int kctl_get_str(kctl_t *h, uint32_t opt, char *buf, size_t cap);

/* ---- framed messages (kctl_frame.h) -------------------------------------------------
 * A handle can carry frames: requests, replies, events. The library keeps, per handle:
 * a receive buffer that pulls as many bytes as the kernel has per recv and yields every
 * complete frame in it (DGRAM: one record, max frame bytes; STREAM: 4 KiB at first,
 * doubled while bursts fill it, up to 2 x max frame); a backlog where frames that
 * arrive while a request waits for its reply are kept for kctl_msg_recv() (allocated
 * for its first frame, doubled as needed up to 4 x max frame); and counters. The
 * receive buffer is allocated by kctl_msg_set_max_frame() or the first framed call, so
 * a handle that only makes requests holds at most 8 KiB (the default max frame) beyond
 * the handle. Buffers grow only to what the traffic needs: once they have, no framed
 * call allocates.
 *
 * Thread-safety: one thread may call kctl_request() while another calls kctl_msg_recv()
 * on the same handle (events and replies are sorted out under the handle's lock); any
 * number of threads may call kctl_request() and kctl_request_start() at once (up to 16
 * requests in flight, both kinds together). Framed receives and raw kctl_recv() must
 * not be mixed on one handle.
 *
 * STREAM: a malformed frame cannot be skipped safely, so the call that meets it returns
 * its precise error (see kctl_frame.h) and the handle is broken: every later framed
 * receive returns -ENOTRECOVERABLE. DGRAM: a malformed or truncated record is dropped,
 * its error returned, and the next call goes on with the next record.
 */

/** Default largest frame (wire size) a handle accepts: Darwin's default receive size. */
#define KCTL_MSG_DEFAULT_MAX 8192u

/** Most requests one handle waits for at once. */
#define KCTL_MSG_MAX_INFLIGHT 16

/** What a handle's framed traffic has seen (kctl_msg_stats). */
struct kctl_msg_stats {
	uint64_t frames_in;        /**< valid frames received */
	uint64_t frames_out;       /**< frames sent */
	uint64_t recv_calls;       /**< receive syscalls made for framed traffic */
	uint64_t kernel_drops;     /**< events the sender said it dropped (EVENT aux) */
	uint64_t backlog_drops;    /**< frames dropped because the backlog was full */
	uint64_t unmatched_replies;/**< replies whose seq no waiting request had */
	uint64_t bad_records;      /**< DGRAM records dropped as malformed or truncated */
};

/**
 * Sets the largest frame (wire size, 16..KCTL_FRAME_MAX) h accepts, and allocates the
 * handle's receive buffer for it (the backlog waits for its first frame). Keep it at
 * or below the control's receive size: the kernel cannot queue a bigger record (on
 * DGRAM a record, all its frames together, must fit in max frame). Errors: -EINVAL (out of range), -EBUSY
 * (frames are buffered), -ENOMEM. Not thread-safe with framed calls on h.
 */
KCTL_API int kctl_msg_set_max_frame(kctl_t *h, uint32_t max_frame);

/** The largest frame h accepts (KCTL_MSG_DEFAULT_MAX unless set). */
KCTL_API uint32_t kctl_msg_max_frame(const kctl_t *h);

/**
 * Sends one frame built from its parts with no copy of the payload: a header (flags,
 * type, seq, aux as kctl_frame_start() takes them), `len` payload bytes and padding go
 * out in one gathered send. Errors: -EINVAL (flags/aux that would not decode),
 * -EMSGSIZE (above the max frame, or a DGRAM record above the control's send size),
 * and those of kctl_send(). On a STREAM, a send that fails after part of the frame went
 * out (a control refusing a later piece of a frame above its send size, or timeout 0)
 * leaves the peer mid-frame: the call returns its error and every later framed send
 * on h returns -ENOTRECOVERABLE (kctl_msg_detail() says so), since a next frame would
 * be read as the rest of this one. EINTR/EAGAIN: as kctl_send().
 */
KCTL_API int kctl_msg_send(kctl_t *h, uint8_t flags, uint16_t type, uint32_t seq,
			   uint32_t aux, const void *payload, size_t len);

/**
 * Sends `n` finished frames (each iov one frame as kctl_frame_finish() left it) in one
 * syscall: on DGRAM as one record, on STREAM back to back. Each is validated first.
 * *sent (may be NULL) gets the bytes sent: with timeout 0 on a STREAM that is what
 * could be sent now, and the caller sends the rest later (kctl_send()) before any other
 * frame; with sent NULL, a send that stopped inside a frame breaks the handle's sending
 * side as in kctl_msg_send(). Errors: -EINVAL (n outside 1..64, an iov that is not a
 * valid frame), and those of kctl_msg_send(). EINTR/EAGAIN: as kctl_send().
 */
KCTL_API int kctl_msg_sendv(kctl_t *h, const struct iovec *frames, int n, size_t *sent);

/**
 * Receives the next frame into buf (cap bytes, 8-byte aligned): a frame kept in the
 * backlog, else one already buffered, else as many bytes as one receive brings.
 * *wire gets the frame's wire size; read it with kctl_frame_payload() etc. on buf.
 * Frames include the replies to requests of kctl_request_start() and their timeout
 * frames (see "non-blocking requests" below; kctl_msg_recv_info() tells them apart).
 * Waits up to the handle's timeout, or until a started request's deadline passes.
 * Errors: -EAGAIN (timeout 0, no complete frame),
 * -ETIMEDOUT, -EMSGSIZE (the frame is bigger than cap: it stays queued; or a DGRAM
 * record was truncated: see kctl_msg_detail()), -EPIPE (end of file), the malformed
 * classes of kctl_frame.h, -ENOTRECOVERABLE (a broken STREAM), kctl_recv()'s errors.
 * EINTR/EAGAIN: as kctl_recv(): never -EINTR; -EAGAIN consumed no frame.
 */
KCTL_API int kctl_msg_recv(kctl_t *h, void *buf, size_t cap, size_t *wire);

/**
 * Whether a complete frame (or a started request's timeout frame) can be received now
 * without waiting: 1 yes, 0 no, or a negative errno. Makes at most one non-blocking
 * receive to pull what the kernel has queued. kctl_msg_pending() and kctl_msg_wait_ms()
 * answer without a syscall; the event loop below uses them.
 * EINTR/EAGAIN: an interrupted receive is made again; "would block" is the answer 0.
 */
KCTL_API int kctl_msg_ready(kctl_t *h);

/**
 * Sends a request (flags REQUEST, a fresh seq) with `len` payload bytes and waits up to
 * the handle's timeout for its reply. The payloads of the reply frames (several when
 * the peer sets MORE) are copied back to back into reply (cap bytes); *reply_len gets
 * their total. Frames that arrive meanwhile (events, other replies) are kept for
 * kctl_msg_recv(). Errors: -errno of an ERROR reply (a kext answering EINVAL gives
 * -EINVAL), -EMSGSIZE (the reply does not fit; it is consumed and dropped), -ETIMEDOUT
 * (a late reply is then dropped and counted: KCTL_MSG_LATE_REPLIES), -EBUSY (16
 * requests already in flight, those of kctl_request_start() included), and those of
 * kctl_msg_send() and kctl_msg_recv(). It shares its machinery (seqs, the in-flight
 * slots, the sorting of replies) with kctl_request_start() and allocates nothing.
 * EINTR/EAGAIN: interrupted sends and receives are made again, so -EINTR is never
 * returned. -EAGAIN means the request was not sent (timeout 0 and the send would
 * block): sending it again is safe. Once it went out, no reply in time is -ETIMEDOUT,
 * with timeout 0 too: the control may have acted on it, so do not resend it blindly.
 */
KCTL_API int kctl_request(kctl_t *h, uint16_t type, const void *payload, size_t len,
			  void *reply, size_t cap, size_t *reply_len);

/* ---- non-blocking requests and event loops ------------------------------------------
 * kctl_request_start() sends a request and returns at once with its seq; its reply
 * comes through the receive path, kctl_msg_recv() (or kctl_msg_recv_info(), which also
 * says what each frame is), in order with events. A request started this way ends with
 * exactly one last frame: a REPLY without MORE, a REPLY|ERROR from the control, or, if
 * its timeout runs out first, a REPLY|ERROR frame made by libkctl with aux ETIMEDOUT
 * (kctl_msg_recv_info says origin LIBRARY) - unless it is cancelled, which ends it
 * without a frame. Its replies are matched, never counted as unmatched; a reply that
 * comes after the timeout or the cancel is dropped and counted (KCTL_MSG_LATE_REPLIES).
 * A timeout frame is handed out only once nothing read earlier is left and a
 * non-blocking receive brought no frame: a reply already queued when the deadline
 * passed is never reported as a timeout. (While another thread is reading from the
 * socket, that receive is not made: the timeout frame comes at once, so that a loop
 * never spins waiting for the other thread.)
 *
 * The event loop (poll here; kqueue, libuv, asyncio alike). Frames the library has
 * already read do not make the fd readable, so the loop asks the library how long it
 * may sleep instead of trusting the fd alone:
 *
 *     kctl_set_timeout(h, 0);                     // receives never wait: the loop does
 *     for (;;) {
 *         struct pollfd p = { .fd = kctl_fd(h), .events = POLLIN };
 *         if (poll(&p, 1, kctl_msg_wait_ms(h)) < 0 && errno != EINTR)
 *             break;
 *         while ((rc = kctl_msg_recv_info(h, buf, sizeof buf, &wire, &info)) == 0)
 *             handle(buf, &info);                 // events, replies, timeouts
 *         if (rc != -EAGAIN)
 *             break;                              // a real error: kctl_explain()
 *     }
 *
 * kctl_msg_wait_ms() is 0 while a frame (or a timeout frame) is ready, else the time to
 * the earliest request deadline, else -1. After kctl_msg_recv*() returned -EAGAIN
 * nothing is buffered and the kernel had no complete frame: the fd is then the truth.
 * Other calls that read (kctl_request(), kctl_msg_ready()) may buffer frames; the loop
 * above sees them because it asks kctl_msg_wait_ms() every turn. A thread blocked in
 * kctl_request() on the same handle may buffer events while the loop sleeps in poll():
 * in an event loop, start requests with kctl_request_start() instead.
 * examples/eventloop-poll.c is this loop in full; docs/eventloop-kqueue.c a kqueue one.
 */

/** What kctl_msg_recv_info() says about the frame it returned (kind). */
#define KCTL_MSG_EVENT   1u /**< an EVENT frame */
#define KCTL_MSG_REPLY   2u /**< a reply to a request of kctl_request_start(): seq */
#define KCTL_MSG_STRAY   3u /**< a REPLY that no request of this handle waits for */
#define KCTL_MSG_REQUEST 4u /**< a REQUEST frame sent by the control */

/** Per-frame detail of kctl_msg_recv_info(). Fixed layout (24 bytes) for FFI. */
struct kctl_msg_info {
	uint32_t kind;   /**< KCTL_MSG_* */
	uint32_t seq;    /**< the frame's seq (for a reply: its request's) */
	uint32_t last;   /**< 1: the last frame of its request (no more will come for seq) */
	int32_t err;     /**< 0, or on a last frame of a failed request: -errno */
	uint32_t origin; /**< with err: KCTL_ORIGIN_CONTROL (an ERROR reply) or
			      KCTL_ORIGIN_LIBRARY (timed out: the frame is libkctl's) */
	uint32_t reserved; /**< 0 */
};

/**
 * Starts a request: sends a REQUEST frame (a fresh seq, `len` payload bytes) and returns
 * without waiting for the reply; *seq gets the seq its reply frames carry. timeout_ms:
 * how long the reply may take (> 0), or KCTL_TIMEOUT_INFINITE; when it runs out, the
 * receive path hands out a timeout frame (above). The send itself waits as kctl_send()
 * does (the handle's timeout). Errors: -EINVAL (NULL h or seq, NULL payload with len,
 * timeout 0 or below -1), -EBUSY (KCTL_MSG_MAX_INFLIGHT requests in flight, blocking
 * ones included), -ENOMEM, and those of kctl_msg_send() (the request is then not
 * started). EINTR/EAGAIN: as kctl_msg_send(): never -EINTR; -EAGAIN (timeout 0 and no
 * room to send) means nothing went out and the request is not started: start it again
 * later. Thread-safe: any thread, with any other framed call on h.
 */
KCTL_API int kctl_request_start(kctl_t *h, uint16_t type, const void *payload, size_t len,
				int32_t timeout_ms, uint32_t *seq);

/**
 * Cancels a request of kctl_request_start(): no frame is handed out for it any more, and
 * its later replies are dropped and counted (KCTL_MSG_LATE_REPLIES). Reply frames the
 * library had already read before the cancel are still handed out. Errors: -EINVAL
 * (NULL h), -ENOENT (no such request pending: it ended, or seq is no request of
 * kctl_request_start). Thread-safe.
 */
KCTL_API int kctl_request_cancel(kctl_t *h, uint32_t seq);

/**
 * kctl_msg_recv() that also fills *info (may be NULL) about the frame: an event, a
 * reply to a started request (and whether it is the last), a stray reply; a timeout
 * frame made by libkctl says so (err -ETIMEDOUT, origin LIBRARY). Errors, blocking:
 * as kctl_msg_recv(); a wait also ends when a started request's deadline passes.
 * EINTR/EAGAIN: as kctl_msg_recv(). Thread-safety: the receiving thread of h.
 */
KCTL_API int kctl_msg_recv_info(kctl_t *h, void *buf, size_t cap, size_t *wire,
				struct kctl_msg_info *info);

/**
 * How many frames kctl_msg_recv() would hand out now without a syscall: complete frames
 * already read, and timeout frames of requests whose deadline has passed. Never makes a
 * syscall; a negative errno only for NULL h. Thread-safe.
 */
KCTL_API int kctl_msg_pending(const kctl_t *h);

/**
 * How long an event loop may sleep on kctl_fd() before calling kctl_msg_recv() again,
 * for poll()/kevent() timeouts: 0 when kctl_msg_pending() is not 0, else milliseconds
 * until the earliest deadline of a started request, else -1 (only the fd can wake it).
 * Never makes a syscall; 0 for NULL h. Thread-safe.
 */
KCTL_API int32_t kctl_msg_wait_ms(const kctl_t *h);

/* Counters of kctl_msg_counter(). struct kctl_msg_stats keeps its seven for the ABI;
 * counters added later are read only through kctl_msg_counter(). */
#define KCTL_MSG_FRAMES_IN         0u /**< as kctl_msg_stats.frames_in */
#define KCTL_MSG_FRAMES_OUT        1u
#define KCTL_MSG_RECV_CALLS        2u
#define KCTL_MSG_KERNEL_DROPS      3u
#define KCTL_MSG_BACKLOG_DROPS     4u
#define KCTL_MSG_UNMATCHED_REPLIES 5u
#define KCTL_MSG_BAD_RECORDS       6u
#define KCTL_MSG_LATE_REPLIES      7u /**< replies that came after their request timed
					   out or was cancelled (dropped) */
#define KCTL_MSG_IN_FLIGHT         8u /**< requests waiting for replies now */

/**
 * Reads one counter (KCTL_MSG_*) of h into *value. Errors: -EINVAL (NULL, unknown
 * counter). Thread-safe.
 */
KCTL_API int kctl_msg_counter(const kctl_t *h, uint32_t which, uint64_t *value);

/** Copies h's framing counters into *st. Errors: -EINVAL (NULL). Thread-safe. */
KCTL_API int kctl_msg_stats(const kctl_t *h, struct kctl_msg_stats *st);

/**
 * A sentence about the last framing error on h, with the sizes involved (for example
 * a truncated record and the max frame), or "" if none. Valid until the next framed
 * call on h.
 */
KCTL_API const char *kctl_msg_detail(const kctl_t *h);

/* ---- errors: what happened, and who said so --------------------------------------
 * Every call returns a bare negative errno. The same errno means different things by
 * where it came from: EINVAL may be libkctl refusing a 96-byte name before any syscall,
 * or the control's own setopt callback refusing a value. So libkctl keeps, for each
 * failure, what it knows: which call failed, who produced the errno (the origin), and
 * the detail (the unit, option, request type or size involved). A sentence built from
 * that says what happened first, "EINVAL (Invalid argument)" as the host's strerror
 * names it, then the cause only where the library knows it: an errno that came from
 * the control is reported as the control's answer, never explained as a kernel rule.
 *
 * Where the record lives:
 * - kctl_open_name_ex(), kctl_open_id_ex(), kctl_lookup_ex(): in the caller's struct
 *   kctl_error (no handle exists when opening fails). kctl_count(), kctl_list*() and
 *   kctl_utun_open*() keep no record: their header comments say what each errno means.
 * - Calls on a handle: in the handle, one record per kind of call (KCTL_CALL_*), each
 *   overwritten by the next failure of that kind. The kinds follow the handle's
 *   thread rules (one sending and one receiving thread, options from a third), so a
 *   thread reads back its own failure; several threads making requests at once share the
 *   REQUEST record (last failure wins: kctl_explain() then falls back to the bare errno
 *   if the errno differs). A completion of kctl_request_start() carries its own origin.
 * EAGAIN is not recorded (an event loop meets it on every turn); its sentence does not
 * need a record. kctl_set_timeout(), kctl_msg_set_max_frame() and kctl_close() keep no
 * record: each of their errnos has one meaning, written at the call.
 */

/* Who produced an error (struct kctl_error.origin). */
#define KCTL_ORIGIN_NONE    0u /**< nothing recorded */
#define KCTL_ORIGIN_LIBRARY 1u /**< libkctl decided: an argument, a name, a unit, a size
				    limit, the handle's state, a timeout, a malformed frame */
#define KCTL_ORIGIN_KERNEL  2u /**< the kernel's own rule: socket(), CTLIOCGINFO, a
				    connect refused before the control was asked, a dead socket */
#define KCTL_ORIGIN_CONTROL 3u /**< the control answered: an ERROR reply, or the errno of
				    its connect, bind, send, setopt or getopt callback */
#define KCTL_ORIGIN_KERNEL_OR_CONTROL 4u /**< an errno both give and nothing tells apart
				    (a send's EMSGSIZE, an option's ENOTSUP) */

/* Kinds of call (struct kctl_error.call, and the record to read on a handle). */
#define KCTL_CALL_NONE    0u /**< none: kctl_explain() gives the bare errno's sentence */
#define KCTL_CALL_OPEN    1u /**< kctl_open_*, kctl_lookup*, kctl_count, kctl_connect,
				  kctl_list*, kctl_utun_open* */
#define KCTL_CALL_SEND    2u /**< kctl_send, kctl_msg_send, kctl_msg_sendv,
				  kctl_utun_write* */
#define KCTL_CALL_RECV    3u /**< kctl_recv, kctl_msg_recv*, kctl_msg_ready,
				  kctl_msg_pending, kctl_utun_read */
#define KCTL_CALL_OPTION  4u /**< kctl_setopt, kctl_getopt*, kctl_set_*, kctl_get_*,
				  kctl_utun_ifname, kctl_utun_set_max_pending */
#define KCTL_CALL_REQUEST 5u /**< kctl_request, kctl_request_start, kctl_request_cancel */

/**
 * What libkctl knows about one failure. Caller-owned, fixed layout (32 bytes) for FFI.
 * err, call and origin are for programs to test; reason, arg and limit feed the
 * sentence of kctl_error_str() (their codes are internal and may grow: do not test them).
 */
struct kctl_error {
	int32_t err;     /**< the negative errno returned; 0: no failure recorded */
	uint32_t call;   /**< KCTL_CALL_* */
	uint32_t origin; /**< KCTL_ORIGIN_* */
	uint32_t reason; /**< internal: which rule or answer */
	uint64_t arg;    /**< internal: the unit, option, request type or size involved */
	uint64_t limit;  /**< internal: the limit crossed, or a second detail */
};

/**
 * kctl_open_name() that also says why it failed: on failure *why (may be NULL) gets the
 * record (origin LIBRARY for a name or flags refused before any syscall; KERNEL
 * for socket(), CTLIOCGINFO or a connect the kernel refused; CONTROL when the control's
 * connect or bind callback refused). On success why->err is 0. To tell the kernel's
 * refusal from the control's, a failed connect is followed by one non-blocking receive
 * on the doomed socket (a socket the connect callback refused is dead and reads end of
 * file; one the kernel refused is not connected). Errors, blocking, EINTR/EAGAIN: as
 * kctl_open_name().
 */
KCTL_API int kctl_open_name_ex(const kctl_backend_t *be, const char *name, uint32_t unit,
			       uint32_t flags, kctl_t **out, struct kctl_error *why);

/** kctl_open_id() with the failure recorded in *why (may be NULL), as the _name_ex. */
KCTL_API int kctl_open_id_ex(const kctl_backend_t *be, uint32_t id, uint32_t unit,
			     uint32_t flags, kctl_t **out, struct kctl_error *why);

/** kctl_lookup() with the failure recorded in *why (may be NULL); errors as it. */
KCTL_API int kctl_lookup_ex(const kctl_backend_t *be, const char *name, uint32_t *id,
			    struct kctl_error *why);

/**
 * Copies h's record for `call` (KCTL_CALL_*) into *out: the last failure of that kind
 * of call on h (err 0 if none). Errors: -EINVAL (NULL h or out, unknown call).
 * Thread-safe with every call on h but kctl_close().
 */
KCTL_API int kctl_last_error(const kctl_t *h, uint32_t call, struct kctl_error *out);

/**
 * Writes the sentence for a record into buf (cap bytes, always NUL-terminated when cap
 * > 0): "NAME (description)" as the host's strerror names the errno, then what the
 * library knows, e.g. "EINVAL (Invalid argument): the control answered EINVAL to
 * setopt 2 (4 bytes): its setopt callback's errno". Returns the sentence's length (as
 * snprintf: a result >= cap means it was cut), or -EINVAL (NULL e, or NULL buf with
 * cap > 0).
 * A record with err 0 reads "no error". Thread-safe; does not block.
 */
KCTL_API int kctl_error_str(const struct kctl_error *e, char *buf, size_t cap);

/**
 * The sentence for `err` as a call of kind `call` on h returned it: h's record for that
 * call when its errno is err, else what the errno alone says for that kind of call
 * (never a guessed cause). h may be NULL (no record: open failures, or no handle) and
 * call KCTL_CALL_NONE (the bare errno). Any int is accepted; an unknown one reads
 * "errno N (unknown to this system)". Returns as kctl_error_str().
 * Thread-safe as kctl_last_error().
 */
KCTL_API int kctl_explain(const kctl_t *h, uint32_t call, int err, char *buf, size_t cap);

/**
 * What happened, without context: "EINVAL (Invalid argument)", naming the errno and its
 * description as the host's C library does (the numbers differ between Darwin and
 * Linux; the names are the host's). A negative or positive errno gives the same; 0 gives
 * "success"; any other int (INT_MIN included) that is no errno of this system gives
 * "unknown error (not an errno of this system)". It says no cause, because an errno
 * alone does not tell who produced it: use kctl_explain() or kctl_error_str().
 * Never NULL; static storage; thread-safe.
 */
KCTL_API const char *kctl_strerror(int err);

/**
 * The host's name of an errno ("EINVAL", "EOPNOTSUPP"), negative or positive, or NULL if
 * it is none. Static storage; thread-safe.
 */
KCTL_API const char *kctl_errno_name(int err);

/* ---- the call tracer: strace for kernel controls ------------------------------------
 * A tracer is a backend that passes every call of libkctl's syscall table to another
 * backend and prints it once it has returned, one line per call, as strace does:
 * decoded arguments (socket family, type and protocol, ioctl names, every sockaddr_ctl
 * field, option levels and numbers, MSG_* flags, the frame headers of kctl_frame.h in
 * the data sent and received, utun's family header) and the result, errno by name:
 *   socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = 3
 *   ioctl(3, CTLIOCGINFO, {ctl_name="org.libkctl.sample"} => {ctl_id=1}) = 0
 *   connect(3, {sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, sc_id=1,
 *           sc_unit=0}, 32) = 0                                  (one line in the trace)
 *   sendmsg(3, 24 bytes [{REQUEST type=1 seq=1 len=21 "hello"}], 0) = 24
 *   recvmsg(3, 16384 bytes, 0) = -1 EAGAIN (Resource temporarily unavailable)
 * Numbers are Darwin's (the table speaks Darwin's ABI on every host); errnos are named
 * as the host names them. The core's own waits (poll) are not calls of the table and do
 * not appear. A STREAM read that starts inside a frame shows its bytes, not a header.
 * Lines are emitted whole (never interleaved between threads) and formatted on the
 * stack: tracing allocates nothing per call.
 *
 * The environment: KCTL_TRACE=1 traces the native backend to stderr, KCTL_TRACE=/path
 * appends to that file (created 0644): kctl_backend_native(), and NULL wherever a
 * backend is asked for, are then a tracer for the whole process. It is read once, at
 * the first use of the native backend, and ignored in set-uid/set-gid processes (a path
 * would let the caller write where the program may). Other backends (a simulated
 * kernel) are traced through the calls below.
 */

/** A tracer. Created by kctl_trace_new*(), freed by kctl_trace_free(). */
typedef struct kctl_trace kctl_trace_t;

/** Receives one line of trace, without its newline. `line` is valid during the call. */
typedef void (*kctl_trace_fn)(void *ctx, const char *line);

/** Flags of kctl_trace_new*(). */
#define KCTL_TRACE_TIME 0x1u /**< start each line with the seconds since the tracer was
				  made ("+0.001234 ") */

/**
 * A tracer of `inner` (NULL: the native backend) that hands each line to fn(ctx, line),
 * one call at a time (under the tracer's lock, in the order the calls returned: fn must
 * not call libkctl on a handle of this tracer). flags: KCTL_TRACE_TIME or 0.
 * Errors: -EINVAL (NULL fn or out, unknown flags), -ENOMEM. The tracer must outlive
 * every handle opened through it; free it with kctl_trace_free(). Thread-safe.
 */
KCTL_API int kctl_trace_new(const kctl_backend_t *inner, kctl_trace_fn fn, void *ctx,
			    uint32_t flags, kctl_trace_t **out);

/**
 * A tracer of `inner` that writes each line, newline included, with one write(2) to fd
 * (not closed by the tracer; a failed write is ignored). Errors, lifetime: as
 * kctl_trace_new() (-EINVAL also for fd < 0).
 */
KCTL_API int kctl_trace_new_fd(const kctl_backend_t *inner, int fd, uint32_t flags,
			       kctl_trace_t **out);

/** The backend to pass to kctl_open_*() etc.; valid as long as t. NULL for NULL t. */
KCTL_API const kctl_backend_t *kctl_trace_backend(const kctl_trace_t *t);

/** Frees a tracer; no handle may still use it. NULL is accepted. */
KCTL_API void kctl_trace_free(kctl_trace_t *t);

/** The library version as "MAJOR.MINOR.PATCH". Static storage. */
KCTL_API const char *kctl_version(void);

/* ---- listing the registered controls ------------------------------------------------
 * What `netstat` and `kctl list` show: the kernel's registration list (sysctl
 * net.systm.kctl.reg_list on macOS, the same bytes from a simulated kernel). The whole
 * answer is read into a temporary buffer the library allocates and frees before it
 * returns, and is checked before anything reaches the caller: every length in it, the
 * 8-byte padding of its records, and its two generation counts (a list that changed
 * while it was read is read again, at most 8 times). No socket is opened.
 */

/** Most controls a kernel can have registered (the size of its reference table). */
#define KCTL_LIST_MAX 65535u

/** reg_unit of a control registered without CTL_FLAG_REG_ID_UNIT. */
#define KCTL_LIST_NO_UNIT 0xFFFFFFFFu

/** One registered control, as the registration list describes it. */
struct kctl_ctl_desc {
	uint32_t id;           /**< the control's id (what kctl_lookup() returns) */
	uint32_t flags;        /**< registration flags, kernel-private ones included
				    (KCTL_ABI_CTL_FLAG_* of kctl_abi.h: 0x1 privileged, ...) */
	uint32_t reg_unit;     /**< the unit fixed at registration, or KCTL_LIST_NO_UNIT */
	uint32_t units_in_use; /**< client sockets attached now (bound or connected) */
	uint32_t sendsize;     /**< send buffer in bytes: the largest DGRAM record */
	uint32_t recvsize;     /**< receive buffer in bytes */
	char name[KCTL_NAME_MAX]; /**< NUL-terminated, zero-padded */
};

/**
 * Called once per control by kctl_list_each(), in the kernel's order (by id). Return 0
 * to go on; any other value stops the walk and is returned by kctl_list_each().
 */
typedef int (*kctl_list_fn)(const struct kctl_ctl_desc *ctl, void *arg);

/**
 * Lists every registered control into the caller's array `out` of `cap` entries;
 * *count gets the number of controls. out NULL with cap 0 only counts them.
 * Errors: -ENOSPC (more than cap controls: *count gets how many, out is untouched),
 * -EBADMSG (a malformed answer: a bad length, kind or name, truncated, trailing bytes),
 * -EPROTO (an answer larger than the buffer or than any kernel's, or a count above
 * KCTL_LIST_MAX), -EAGAIN (the list kept changing while it was read), -ENOMEM,
 * -EINVAL (NULL count, NULL out with cap > 0), -EAFNOSUPPORT (no kernel controls
 * here), or the sysctl's errno (-ENOENT: the kernel has no such list). On failure out
 * is untouched. Thread-safe; does not block beyond the sysctl calls.
 * EINTR/EAGAIN: -EINTR as the sysctl gave it (nothing changed: calling again is safe);
 * -EAGAIN only as above, after the library's own retries.
 */
KCTL_API int kctl_list(const kctl_backend_t *be, struct kctl_ctl_desc *out, uint32_t cap,
		       uint32_t *count);

/**
 * Calls fn(ctl, arg) for every registered control, after the whole answer was read and
 * checked (so a bad answer reaches no callback); ctl is valid during the call only.
 * Returns 0, the first non-zero value fn returned, -EINVAL (NULL fn), or the errors of
 * kctl_list() other than -ENOSPC. fn runs on the caller's thread and may call libkctl.
 * EINTR/EAGAIN: as kctl_list().
 */
KCTL_API int kctl_list_each(const kctl_backend_t *be, kctl_list_fn fn, void *arg);

/* ---- utun: Apple's tunnel interfaces (com.apple.net.utun_control) -------------------
 * The control every VPN on a Mac opens: each connected socket is an interface utunN
 * (privileged: root only), and every packet either way starts with a 4-byte header, the
 * protocol family in network byte order, in Darwin's numbering whatever the host's
 * (KCTL_UTUN_AF_INET 2, KCTL_UTUN_AF_INET6 30). These helpers add and strip that header
 * with an iovec, never copying the packet. A handle from kctl_utun_open*() is an
 * ordinary handle: kctl_fd(), kctl_set_timeout(), kctl_close() and the option calls work
 * on it. With UTUN_FLAGS_ENABLE_PROC_UUID (kctl_abi.h) the header is 20 bytes and
 * kctl_utun_read()/kctl_utun_write() do not apply: use kctl_recv()/kctl_send().
 */

#define KCTL_UTUN_CONTROL_NAME "com.apple.net.utun_control"
#define KCTL_UTUN_AF_INET    2u  /**< IPv4 (Darwin's AF_INET) */
#define KCTL_UTUN_AF_INET6   30u /**< IPv6 (Darwin's AF_INET6; Linux's is 10) */
#define KCTL_UTUN_HEADER_LEN 4u  /**< the family in front of every packet */
#define KCTL_UTUN_ANY        0xFFFFFFFFu /**< kctl_utun_open(): the lowest free utunN */
#define KCTL_UTUN_MAX        32767u /**< highest N a Mac makes utunN for */
#define KCTL_UTUN_IFNAME_MAX 16  /**< room for "utun32767" and its NUL (IFNAMSIZ) */

/**
 * Opens interface utun`num` (0..KCTL_UTUN_MAX), or the lowest free one with
 * KCTL_UTUN_ANY. flags: KCTL_OPEN_NONBLOCK, KCTL_OPEN_BIND_ONLY (to set UTUN_OPT_FLAGS
 * with kctl_set_u32() before kctl_connect(): the only time macOS 11+ takes it). On
 * success *out is a new handle (kctl_close() frees it and removes the interface).
 * Errors: -EBUSY (utun`num` exists), -EPERM (not root), -ENOENT (no utun control: a
 * simulated kernel made without it), -EINVAL (num above KCTL_UTUN_MAX, KCTL_OPEN_STREAM
 * or unknown flags, NULL out), -EAFNOSUPPORT (not macOS), and kctl_open_name()'s.
 * EINTR/EAGAIN: as kctl_open_name().
 */
KCTL_API int kctl_utun_open(const kctl_backend_t *be, uint32_t num, uint32_t flags,
			    kctl_t **out);

/**
 * Opens the first free interface among utun`first`..utun`last`, trying each in order
 * and skipping only -EBUSY, as VPN clients walk unit numbers; any other error (-EPERM
 * above all) is returned at once. Errors: -EBUSY (all of them exist), -EINVAL (first >
 * last, last above KCTL_UTUN_MAX), and kctl_utun_open()'s. EINTR/EAGAIN: as
 * kctl_open_name() (neither is skipped like -EBUSY).
 */
KCTL_API int kctl_utun_open_range(const kctl_backend_t *be, uint32_t first, uint32_t last,
				  uint32_t flags, kctl_t **out);

/**
 * The interface's name ("utun3", UTUN_OPT_IFNAME) into buf (cap bytes, NUL-terminated;
 * KCTL_UTUN_IFNAME_MAX is enough). Errors: -EMSGSIZE (cap too small for the name and
 * its NUL), -EINVAL (not connected yet: a KCTL_OPEN_BIND_ONLY handle), -EBADMSG (the
 * kernel answered something other than "utun" and digits; buf holds ""), and
 * kctl_getopt()'s. On error buf holds "". EINTR/EAGAIN: as kctl_setopt().
 */
KCTL_API int kctl_utun_ifname(kctl_t *h, char *buf, size_t cap);

/**
 * Sets how many packets may wait in the socket for the client to read
 * (UTUN_OPT_MAX_PENDING_PACKETS, default 1); further packets wait in the interface's
 * send queue, then are dropped. Errors: -EINVAL (0), and kctl_setopt()'s.
 * EINTR/EAGAIN: as kctl_setopt().
 */
KCTL_API int kctl_utun_set_max_pending(kctl_t *h, uint32_t packets);

/**
 * Sends one IP packet of `len` bytes with its 4-byte header in front (one gathered
 * send, the packet is not copied). Errors: -EPFNOSUPPORT (family other than
 * KCTL_UTUN_AF_INET or KCTL_UTUN_AF_INET6; nothing sent), -EINVAL (NULL pkt with len >
 * 0), -EMSGSIZE (above utun's 512 KiB send size), and kctl_send()'s. Waits up to the
 * handle's timeout. EINTR/EAGAIN: as kctl_send() (a record: all of it or nothing).
 */
KCTL_API int kctl_utun_write(kctl_t *h, uint32_t family, const void *pkt, size_t len);

/**
 * As kctl_utun_write(), for a packet in `iovcnt` pieces (1..63), sent as one record.
 * Errors: -EINVAL (iovcnt out of range, NULL iov), and kctl_utun_write()'s.
 * EINTR/EAGAIN: as kctl_utun_write().
 */
KCTL_API int kctl_utun_writev(kctl_t *h, uint32_t family, const struct iovec *iov,
			      int iovcnt);

/**
 * Receives one packet: its header is read into the library's own 4 bytes and stripped,
 * the packet itself lands in buf (cap bytes) directly. *len gets its length, *family
 * (may be NULL) its family (KCTL_UTUN_AF_*). Waits up to the handle's timeout.
 * Errors: -EBADMSG (a record shorter than the header: dropped, *len untouched),
 * -EPFNOSUPPORT (a family other than 2 or 30: the packet was read anyway, *len and
 * *family say what it was), -EMSGSIZE (the packet was longer than cap: buf holds its
 * first cap bytes, *len is cap, the rest is gone), -EPIPE (end of file: the connection
 * is dead), -EAGAIN, -ETIMEDOUT, -EINVAL (NULL len, NULL buf with cap > 0).
 * EINTR/EAGAIN: as kctl_recv(): never -EINTR; -EAGAIN (timeout 0) consumed nothing.
 */
KCTL_API int kctl_utun_read(kctl_t *h, void *buf, size_t cap, size_t *len, uint32_t *family);

#ifdef __cplusplus
}
#endif

#endif /* KCTL_H */
