/*
 * io.c - raw send and receive on a handle.
 *
 * The fd is always non-blocking; a blocking call is "try, wait on the fd, try again"
 * under one deadline, so a timeout holds whatever the kernel does. Nothing here
 * allocates.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "handle.h"

/* Most iovecs a gathered send takes: enough for framed batches, bounded for the stack. */
#define KCTL_IOV_MAX 64

static size_t iov_total(const struct iovec *iov, int iovcnt)
{
	size_t n = 0;

	for (int i = 0; i < iovcnt; i++)
		n += iov[i].iov_len;
	return n;
}

/* Drops the first `done` bytes of a private copy of an iovec array. */
static int iov_advance(struct iovec *iov, int iovcnt, size_t done)
{
	int i = 0;

	while (i < iovcnt && done >= iov[i].iov_len)
		done -= iov[i++].iov_len;
	if (i < iovcnt) {
		iov[i].iov_base = (char *)iov[i].iov_base + done;
		iov[i].iov_len -= done;
	}
	memmove(iov, iov + i, (size_t)(iovcnt - i) * sizeof(*iov));
	return iovcnt - i;
}

/*
 * Who refused a send the kernel was asked for: the kernel's own rules (not connected, a
 * dead connection, a DGRAM record above the send size, which a send callback may also
 * answer), else the control's send callback, whose errno send() returns.
 */
int kctl_io_send_refused(const struct kctl *h, int rc, size_t bytes, struct kctl_error *why)
{
	const uint32_t S = KCTL_CALL_SEND;

	switch (-rc) {
	case EAGAIN:
		return kctl_err_fill(why, rc, S, KCTL_ORIGIN_KERNEL, KCTL_R_WOULDBLOCK, 0, 0);
	case ENOTCONN:
		return kctl_err_fill(why, rc, S, KCTL_ORIGIN_KERNEL, KCTL_R_NOTCONN, 0, 0);
	case EPIPE:
		return kctl_err_fill(why, rc, S, KCTL_ORIGIN_KERNEL, KCTL_R_DEAD, 0, 0);
	case EMSGSIZE:
		if (!h->stream)
			return kctl_err_fill(why, rc, S, KCTL_ORIGIN_KERNEL_OR_CONTROL,
					     KCTL_R_SEND_SIZE, bytes, 0);
		break;
	case ENOTSUP: /* no send callback, or its answer */
		return kctl_err_fill(why, rc, S, KCTL_ORIGIN_KERNEL_OR_CONTROL, KCTL_R_CB_SEND,
				     bytes, 0);
	default:
		break;
	}
	return kctl_err_fill(why, rc, S, KCTL_ORIGIN_CONTROL, KCTL_R_CB_SEND, bytes, 0);
}

/* A wait on the fd that ended the call: out of time, would block, or poll()'s errno. */
static int wait_failed(const struct kctl *h, uint32_t call, int rc, struct kctl_error *why)
{
	if (rc == -ETIMEDOUT)
		return kctl_err_fill(why, rc, call, KCTL_ORIGIN_LIBRARY, KCTL_R_TIMEOUT,
				     (uint64_t)h->timeout_ms, 0);
	if (rc == -EAGAIN)
		return kctl_err_fill(why, rc, call, KCTL_ORIGIN_KERNEL, KCTL_R_WOULDBLOCK, 0, 0);
	return kctl_err_fill(why, rc, call, KCTL_ORIGIN_KERNEL, KCTL_R_KERNEL, 0, 0);
}

/*
 * One send, retried while it is interrupted or would block, until it takes something
 * or fails. A send that fails with EINTR took nothing (once a Mac has moved any byte
 * towards the control, sendit turns EINTR and EWOULDBLOCK into a short count), so
 * sending again cannot deliver anything twice; a kernel that reports a count along
 * with EAGAIN or EINTR has taken that much, which is progress, never sent again.
 * *n is what the kernel reported, also with an error.
 */
static int io_send_once(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *n,
			struct kctl_clock *c, struct kctl_error *why)
{
	for (;;) {
		int rc;

		*n = 0;
		rc = h->be->ops->sendmsg(h->be->ctx, h->fd, iov, iovcnt, 0, n);
		if ((rc == -EAGAIN || rc == -EINTR) && *n > 0)
			return 0;
		if (rc == -EINTR)
			continue;
		if (rc == 0)
			return 0;
		if (rc != -EAGAIN)
			return kctl_io_send_refused(h, rc, iov_total(iov, iovcnt), why);
		rc = kctl_wait_fd(h->fd, POLLOUT, c);
		if (rc < 0)
			return wait_failed(h, KCTL_CALL_SEND, rc, why);
	}
}

int kctl_io_sendv(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *sent,
		  struct kctl_error *why)
{
	struct kctl_clock c;

	kctl_clock_start(&c, h->timeout_ms);
	return kctl_io_sendv_clock(h, iov, iovcnt, sent, why, &c);
}

int kctl_io_sendv_clock(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *sent,
			struct kctl_error *why, struct kctl_clock *clock)
{
	struct iovec cur[KCTL_IOV_MAX];
	const struct iovec *at = iov; /* the caller's until a send goes in part */
	size_t total, done = 0;
	int rc = 0;

	if (iovcnt < 1 || iovcnt > KCTL_IOV_MAX)
		return kctl_err_fill(why, -EINVAL, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_ARG, 0, 0);
	total = iov_total(iov, iovcnt);
	do {
		size_t n = 0;

		rc = io_send_once(h, at, iovcnt, &n, clock, why);
		if (n > total - done) { /* more than we gave: not a sane kernel */
			rc = kctl_err_fill(why, -EPROTO, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
					   KCTL_R_INSANE, 0, 0);
			break;
		}
		done += n; /* a failing call's count too: those bytes are gone, never resent */
		if (rc < 0)
			break;
		if (n == 0 && done < total && h->stream) {
			/* no progress and no error: not a sane kernel either */
			rc = kctl_err_fill(why, -EPROTO, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
					   KCTL_R_INSANE, 0, 0);
			break;
		}
		if (done == total || !h->stream)
			break; /* usually at the first send: nothing copied */
		if (at == iov) {
			memcpy(cur, iov, (size_t)iovcnt * sizeof(*iov));
			at = cur;
		}
		iovcnt = iov_advance(cur, iovcnt, n);
	} while (done < total);
	if (sent)
		*sent = done;
	return rc;
}

int kctl_send(kctl_t *h, const void *buf, size_t len, size_t *sent)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct kctl_error e;
	int rc;

	if (!h)
		return -EINVAL;
	if (!buf && len)
		return kctl_errs_set(&h->errs, -EINVAL, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_ARG, 0, 0);
	rc = kctl_io_sendv(h, &iov, 1, sent, &e);
	return rc < 0 ? kctl_errs_put(&h->errs, &e) : 0;
}

static uint32_t recv_flags(int msg_flags)
{
	uint32_t f = 0;

	if (msg_flags & KCTL_ABI_MSG_TRUNC)
		f |= KCTL_RECV_TRUNC;
	if (msg_flags & KCTL_ABI_MSG_EOR)
		f |= KCTL_RECV_EOR;
	return f;
}

int kctl_io_recvv(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *got,
		  uint32_t *rflags, struct kctl_error *why)
{
	const uint32_t R = KCTL_CALL_RECV;
	struct kctl_clock c;
	size_t n = 0;
	int fl = 0;
	int rc;

	kctl_clock_start(&c, h->timeout_ms);
	for (;;) {
		rc = h->be->ops->recvmsg(h->be->ctx, h->fd, iov, iovcnt, 0, &n, &fl);
		if (rc == -EINTR)
			continue; /* an interrupted receive consumed nothing */
		if (rc != -EAGAIN)
			break;
		rc = kctl_wait_fd(h->fd, POLLIN, &c);
		if (rc < 0)
			return wait_failed(h, R, rc, why);
	}
	if (rc < 0) /* a receive has no callback: whatever refuses it is the kernel */
		return kctl_err_fill(why, rc, R, KCTL_ORIGIN_KERNEL,
				     rc == -ENOTCONN ? KCTL_R_NOTCONN : KCTL_R_KERNEL, 0, 0);
	if (n > iov_total(iov, iovcnt)) /* a kernel claiming to have written past our buffer */
		return kctl_err_fill(why, -EPROTO, R, KCTL_ORIGIN_LIBRARY, KCTL_R_INSANE, 0, 0);
	*got = n;
	if (rflags)
		*rflags = recv_flags(fl);
	return 0;
}

int kctl_recv(kctl_t *h, void *buf, size_t cap, size_t *got, uint32_t *rflags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct kctl_error e;
	int rc;

	if (!h)
		return -EINVAL;
	if (!got || (!buf && cap))
		return kctl_errs_set(&h->errs, -EINVAL, KCTL_CALL_RECV, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_ARG, 0, 0);
	rc = kctl_io_recvv(h, &iov, 1, got, rflags, &e);
	return rc < 0 ? kctl_errs_put(&h->errs, &e) : 0;
}
