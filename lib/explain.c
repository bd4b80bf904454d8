/*
 * explain.c - the sentence for a failure record: what happened, then who said so.
 *
 * The first words are always the errno as the host names it ("EINVAL (Invalid
 * argument)"). A cause follows only from the record's reason, i.e. from what the
 * library saw where the errno was produced: its own checks, the kernel's rules for a
 * call it made, or the control's answer, which is reported as that ("the control
 * answered EINVAL to setopt 2") and never explained as a kernel rule.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "handle.h"

/* A growing sentence in the caller's buffer; `len` counts what would have been written. */
struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *dst = o->len < o->cap ? o->buf + o->len : NULL;
	size_t room = o->len < o->cap ? o->cap - o->len : 0;

	va_start(ap, fmt);
	/* vsnprintf with a size of 0 only counts, so a full buffer keeps counting;
	 * clang-analyzer 14 loses track of va_start through the format attribute */
	n = vsnprintf(dst, room, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static const char *errname(int err, char *tmp, size_t cap)
{
	const char *n = kctl_errno_name(err);

	if (n)
		return n;
	snprintf(tmp, cap, "errno %lld", err < 0 ? -(long long)err : (long long)err);
	return tmp;
}

static void head(struct out *o, int err)
{
	const struct kctl_errno_entry *e = kctl_errno_find(err);

	if (err == 0)
		put(o, "no error");
	else if (e)
		put(o, "%s", e->text);
	else /* in long long, so that INT_MIN has a magnitude too */
		put(o, "errno %lld (unknown to this system)",
		    err < 0 ? -(long long)err : (long long)err);
}

static const char *frame_defect(int err)
{
	switch (-err) {
	case EBADMSG: return "its length is below the 16-byte header";
	case EPROTONOSUPPORT: return "its version is not 1";
	case EMSGSIZE: return "it is bigger than the handle's max frame";
	case ENOTSUP: return "a reserved flag bit is set";
	case EPROTO: return "its flags contradict each other";
	case ERANGE: return "its aux field is out of range";
	case EILSEQ: return "its padding is not zero";
	case ENODATA: return "the record ends inside a frame";
	default: return "it does not decode";
	}
}

static const char *call_verb(uint32_t call)
{
	switch (call) {
	case KCTL_CALL_OPEN: return "open";
	case KCTL_CALL_SEND: return "send";
	case KCTL_CALL_RECV: return "receive";
	case KCTL_CALL_OPTION: return "option";
	case KCTL_CALL_REQUEST: return "request";
	default: return "call";
	}
}

static void cause_state(struct out *o, uint64_t state)
{
	if (state == KCTL_STATE_BOUND)
		put(o, "the handle is bound, not connected (KCTL_OPEN_BIND_ONLY): call "
		       "kctl_connect() first");
	else if (state == KCTL_STATE_FAILED)
		put(o, "this handle's connect failed: only kctl_close() is left to do");
	else
		put(o, "the handle is already connected");
}

/* utun's causes (lib/utun.c): its header and names. */
static int cause_utun(struct out *o, const struct kctl_error *e)
{
	unsigned long long a = e->arg;

	switch (e->reason) {
	case KCTL_R_UTUN_FAMILY:
		put(o, "libkctl refused protocol family %llu before any syscall: utun carries "
		       "AF_INET (2) and AF_INET6 (30, Darwin's number) in its 4-byte header", a);
		return 1;
	case KCTL_R_UTUN_FAMILY_IN:
		put(o, "the kernel sent a utun packet of protocol family %llu, neither AF_INET "
		       "(2) nor AF_INET6 (30); it was handed out with this error", a);
		return 1;
	case KCTL_R_UTUN_SHORT:
		put(o, "libkctl rejected a %llu-byte utun record: shorter than its 4-byte "
		       "header", a);
		return 1;
	case KCTL_R_UTUN_TRUNC:
		put(o, "the packet was longer than the %llu-byte buffer; the kernel discarded "
		       "its tail", a);
		return 1;
	case KCTL_R_UTUN_IFNAME:
		put(o, "the control's interface name is not \"utun\" and digits; libkctl "
		       "rejected it");
		return 1;
	default:
		return 0;
	}
}

/* Causes libkctl itself decided. */
static int cause_library(struct out *o, const struct kctl_error *e)
{
	unsigned long long a = e->arg, l = e->limit;

	switch (e->reason) {
	case KCTL_R_ARG:
		put(o, "libkctl refused the arguments before any syscall (a NULL pointer, a "
		       "length without a buffer, or a value out of range)");
		return 1;
	case KCTL_R_NAME_NULL:
		put(o, "libkctl refused the control name before any syscall: it is NULL");
		return 1;
	case KCTL_R_NAME_EMPTY:
		put(o, "libkctl refused the control name before any syscall: it is empty (a "
		       "name is 1..95 bytes)");
		return 1;
	case KCTL_R_NAME_LONG:
		put(o, "libkctl refused the control name before any syscall: it has no NUL "
		       "within %d bytes (a name is 1..95 bytes)", KCTL_NAME_MAX);
		return 1;
	case KCTL_R_FLAGS:
		put(o, "libkctl refused the flags before any syscall: 0x%llx are not known "
		       "flag bits", a);
		return 1;
	case KCTL_R_NOMEM:
		put(o, "libkctl could not allocate memory");
		return 1;
	case KCTL_R_STATE:
		cause_state(o, a);
		return 1;
	case KCTL_R_OPT_SIZE:
		put(o, "libkctl refused an option value of %llu bytes before any syscall: the "
		       "limit is %llu (KCTL_OPT_MAX)", a, l);
		return 1;
	case KCTL_R_OPT_OVERFLOW:
		put(o, "libkctl rejected the kernel's answer: it claimed %llu bytes for a "
		       "%llu-byte buffer", a, l);
		return 1;
	case KCTL_R_OPT_LENGTH:
		put(o, "the control answered the option with %llu bytes where %llu were "
		       "expected; libkctl rejected the value", a, l);
		return 1;
	case KCTL_R_OPT_STR_FIT:
		put(o, "the control's %llu-byte string and its NUL do not fit the %llu-byte "
		       "buffer", a, l);
		return 1;
	case KCTL_R_OPT_STR_NUL:
		put(o, "the control's %llu-byte answer has a NUL before its end: libkctl "
		       "rejected it as a string", a);
		return 1;
	case KCTL_R_FRAME_SIZE:
		put(o, "libkctl refused a %llu-byte frame before any syscall: the handle's max "
		       "frame is %llu (kctl_msg_set_max_frame)", a, l);
		return 1;
	case KCTL_R_FRAME_BAD:
		put(o, "libkctl refused the batch before any syscall: frame %llu is not a "
		       "valid finished frame", a);
		return 1;
	case KCTL_R_INFLIGHT:
		put(o, "libkctl refused the request: %llu requests are already waiting for "
		       "replies on this handle", l);
		return 1;
	case KCTL_R_REPLY_FIT:
		put(o, "the reply needs at least %llu bytes and the buffer has %llu; libkctl "
		       "consumed and dropped it", a, l);
		return 1;
	case KCTL_R_TIMEOUT:
		if (e->call == KCTL_CALL_REQUEST)
			put(o, "no reply came within %llu ms; libkctl stopped waiting (a later "
			       "reply is dropped and counted as late)", a);
		else if (e->call == KCTL_CALL_SEND)
			put(o, "there was no room to send within the handle's timeout of %llu ms",
			    a);
		else
			put(o, "nothing arrived within the handle's timeout of %llu ms", a);
		return 1;
	case KCTL_R_MALFORMED:
		put(o, "libkctl rejected a malformed %llu-byte frame from the control: %s%s", a,
		    frame_defect(e->err), l ? "; a STREAM cannot be resynchronised after "
		    "that: close and reopen" : "; the record was dropped");
		return 1;
	case KCTL_R_TRUNCATED:
		put(o, "libkctl dropped a DGRAM record longer than its %llu-byte receive buffer "
		       "(max frame %llu; raise it with kctl_msg_set_max_frame)", a, l);
		return 1;
	case KCTL_R_FRAME_CAP:
		put(o, "the next frame needs %llu bytes and the buffer has %llu; it stays "
		       "queued", a, l);
		return 1;
	case KCTL_R_BROKEN:
		put(o, "an earlier malformed frame broke this STREAM: close and reopen");
		return 1;
	case KCTL_R_TORN:
		put(o, "an earlier frame went out only in part, so the control would read the "
		       "next one as its rest: this STREAM sends no more frames; close and reopen");
		return 1;
	case KCTL_R_INSANE:
		put(o, "libkctl rejected the kernel's answer to the %s: it broke the call's "
		       "rules (more bytes than given, or no progress)", call_verb(e->call));
		return 1;
	case KCTL_R_NO_REQUEST:
		put(o, "no request with seq %llu is pending (it was answered, timed out or "
		       "cancelled)", a);
		return 1;
	default:
		return cause_utun(o, e);
	}
}

static void cause_connect(struct out *o, const struct kctl_error *e, const char *verb)
{
	unsigned long long unit = e->arg, id = e->limit & 0xffffffffu;
	int stream = (e->limit >> 32) != 0;

	put(o, "the kernel's %s refused ", verb);
	switch (-e->err) {
	case ENOENT:
		put(o, "it: no control has id %llu (deregistered since the lookup, or, for a "
		       "control registered with a fixed unit, not unit %llu)", id, unit);
		break;
	case EPROTOTYPE:
		put(o, stream ? "a STREAM socket: the control is registered as DGRAM; open it "
				"without KCTL_OPEN_STREAM"
			      : "a DGRAM socket: the control is registered as STREAM "
				"(CTL_FLAG_REG_SOCK_STREAM); open it with KCTL_OPEN_STREAM");
		break;
	case EPERM:
		put(o, "it: the control is privileged (CTL_FLAG_PRIVILEGED) and this process "
		       "is not root; run as root");
		break;
	case EBUSY:
		if (unit)
			put(o, "unit %llu: it is in use (ask for unit 0 to let the kernel "
			       "choose)", unit);
		else
			put(o, "it: the control has no free unit");
		break;
	case EISCONN:
		put(o, "it: the socket is already connected");
		break;
	default:
		put(o, "it before the control was asked");
		break;
	}
}

/* Causes that are the kernel's rules. */
static int cause_kernel(struct out *o, const struct kctl_error *e)
{
	switch (e->reason) {
	case KCTL_R_SOCKET:
		if (e->err == -EAFNOSUPPORT)
			put(o, "this system's kernel has no PF_SYSTEM sockets: kernel controls "
			       "exist only on macOS; elsewhere use the simulated kernel "
			       "(kctl_sim.h)");
		else
			put(o, "the kernel refused a new PF_SYSTEM socket");
		return 1;
	case KCTL_R_NO_NAME:
		put(o, "the kernel has no control registered under this name (its kext is not "
		       "loaded, or the name is misspelt: names are exact and case-sensitive)");
		return 1;
	case KCTL_R_CONNECT:
		cause_connect(o, e, "connect");
		return 1;
	case KCTL_R_NOTCONN:
		put(o, "the kernel says the socket is not connected");
		return 1;
	case KCTL_R_DEAD:
		put(o, "the connection is gone (its connect failed, or the control went away): "
		       "close the handle and open a new one");
		return 1;
	case KCTL_R_WOULDBLOCK:
		if (e->call == KCTL_CALL_SEND || e->call == KCTL_CALL_REQUEST)
			put(o, "there is no room to send now and the handle's timeout is 0: poll "
			       "kctl_fd() for POLLOUT, then try again");
		else
			put(o, "nothing is queued and the handle's timeout is 0: poll kctl_fd() "
			       "for POLLIN, then call again");
		return 1;
	case KCTL_R_KERNEL:
		put(o, "the kernel refused the %s", call_verb(e->call));
		return 1;
	default:
		return 0;
	}
}

/* Causes that are the control's answers. */
static int cause_control(struct out *o, const struct kctl_error *e)
{
	unsigned long long a = e->arg, l = e->limit;
	char tmp[24];
	const char *n = errname(e->err, tmp, sizeof(tmp));

	switch (e->reason) {
	case KCTL_R_CB_CONNECT:
		put(o, "the control refused the connection: its connect callback answered %s", n);
		return 1;
	case KCTL_R_BIND:
		put(o, "the control refused the bind: its bind callback answered %s", n);
		return 1;
	case KCTL_R_CB_SEND:
		if (e->call == KCTL_CALL_REQUEST)
			put(o, "the control's send callback answered %s to the request", n);
		else
			put(o, "the control's send callback answered %s to a %llu-byte send", n,
			    a);
		return 1;
	case KCTL_R_CB_SETOPT:
		put(o, "the control answered %s to setopt %llu (%llu bytes): its setopt "
		       "callback's errno", n, a, l);
		return 1;
	case KCTL_R_CB_GETOPT:
		put(o, "the control answered %s to getopt %llu (a %llu-byte buffer): its getopt "
		       "callback's errno", n, a, l);
		return 1;
	case KCTL_R_ERROR_REPLY:
		put(o, "the control answered %s to request type %llu (seq %llu): an ERROR "
		       "reply", n, a, l);
		return 1;
	default:
		return 0;
	}
}

/* Both the kernel and the control give these; say both. */
static int cause_either(struct out *o, const struct kctl_error *e)
{
	char tmp[24];
	const char *n = errname(e->err, tmp, sizeof(tmp));

	switch (e->reason) {
	case KCTL_R_SEND_SIZE:
		put(o, "the kernel takes no DGRAM record above the control's send size (this "
		       "one: %llu bytes), or the control's send callback answered %s",
		    (unsigned long long)e->arg, n);
		return 1;
	case KCTL_R_CB_SEND:
		put(o, "the control has no send callback, or its send callback answered %s", n);
		return 1;
	case KCTL_R_CB_SETOPT:
		put(o, "the control has no setopt callback, or it answered %s to setopt %llu", n,
		    (unsigned long long)e->arg);
		return 1;
	case KCTL_R_CB_GETOPT:
		put(o, "the control has no getopt callback, or it answered %s to getopt %llu", n,
		    (unsigned long long)e->arg);
		return 1;
	case KCTL_R_CONNECT:
		cause_connect(o, e, "connect");
		put(o, ", unless the control's connect callback answered %s", n);
		return 1;
	case KCTL_R_BIND:
		if (e->err == -EINVAL) {
			put(o, "the control has no bind callback, or its bind callback answered "
			       "EINVAL");
			return 1;
		}
		cause_connect(o, e, "bind");
		put(o, ", unless the control's bind callback answered %s", n);
		return 1;
	default:
		return 0;
	}
}

int kctl_error_str(const struct kctl_error *e, char *buf, size_t cap)
{
	struct out o = { .buf = buf, .cap = cap, .len = 0 };
	size_t mark;
	int said = 0;

	if (!e || (!buf && cap))
		return -EINVAL;
	if (cap)
		buf[0] = '\0';
	head(&o, e->err);
	mark = o.len;
	put(&o, ": ");
	if (e->err != 0) {
		if (e->origin == KCTL_ORIGIN_LIBRARY)
			said = cause_library(&o, e);
		else if (e->origin == KCTL_ORIGIN_KERNEL)
			said = cause_kernel(&o, e);
		else if (e->origin == KCTL_ORIGIN_CONTROL)
			said = cause_control(&o, e);
		else if (e->origin == KCTL_ORIGIN_KERNEL_OR_CONTROL)
			said = cause_either(&o, e);
	}
	if (!said) { /* no cause known: the head alone */
		o.len = mark;
		if (mark < cap)
			buf[mark] = '\0';
	}
	if (cap && o.len >= cap)
		buf[cap - 1] = '\0';
	return o.len > (size_t)INT32_MAX ? INT32_MAX : (int)o.len;
}

/* What the errno alone says for a kind of call, when no record matches. */
static void errno_only(struct kctl_error *e, uint32_t call, int err)
{
	kctl_err_fill(e, err, call, KCTL_ORIGIN_NONE, KCTL_R_NONE, 0, 0);
	if (err == -EAGAIN && call != KCTL_CALL_NONE && call != KCTL_CALL_OPEN) {
		e->origin = KCTL_ORIGIN_KERNEL; /* only a would-block wait gives it there */
		e->reason = KCTL_R_WOULDBLOCK;
	}
}

int kctl_last_error(const kctl_t *h, uint32_t call, struct kctl_error *out)
{
	struct kctl_errs *r;

	if (!h || !out || call >= KCTL_CALL_KINDS)
		return -EINVAL;
	r = (struct kctl_errs *)&h->errs; /* the lock is not part of the value */
	pthread_mutex_lock(&r->lock);
	*out = r->rec[call];
	pthread_mutex_unlock(&r->lock);
	return 0;
}

int kctl_explain(const kctl_t *h, uint32_t call, int err, char *buf, size_t cap)
{
	struct kctl_error e = { 0 };

	if (err > 0)
		err = -err; /* both signs mean the same errno */
	if (h && call != KCTL_CALL_NONE && kctl_last_error(h, call, &e) == 0 && e.err == err &&
	    err != 0)
		return kctl_error_str(&e, buf, cap);
	errno_only(&e, call, err);
	return kctl_error_str(&e, buf, cap);
}
