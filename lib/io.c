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
 * One send, retried while it is interrupted or would block, until it takes something
 * or fails. A send that fails with EINTR took nothing (once a Mac has moved any byte
 * towards the control, sendit turns EINTR and EWOULDBLOCK into a short count), so
 * sending again cannot deliver anything twice; a kernel that reports a count along
 * with EAGAIN or EINTR has taken that much, which is progress, never sent again.
 * *n is what the kernel reported, also with an error.
 */
static int io_send_once(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *n,
			const struct kctl_clock *c)
{
	for (;;) {
		int rc;

		*n = 0;
		rc = h->be->ops->sendmsg(h->be->ctx, h->fd, iov, iovcnt, 0, n);
		if ((rc == -EAGAIN || rc == -EINTR) && *n > 0)
			return 0;
		if (rc == -EINTR)
			continue;
		if (rc != -EAGAIN)
			return rc;
		rc = kctl_wait_fd(h->fd, POLLOUT, c);
		if (rc < 0)
			return rc;
	}
}

int kctl_io_sendv(struct kctl *h, const struct iovec *iov, int iovcnt, size_t *sent)
{
	struct iovec cur[KCTL_IOV_MAX];
	struct kctl_clock c;
	size_t total, done = 0;
	int rc = 0;

	if (iovcnt < 1 || iovcnt > KCTL_IOV_MAX)
		return -EINVAL;
	kctl_clock_start(&c, h->timeout_ms);
	total = iov_total(iov, iovcnt);
	memcpy(cur, iov, (size_t)iovcnt * sizeof(*iov));
	do {
		size_t n = 0;

		rc = io_send_once(h, cur, iovcnt, &n, &c);
		if (n > total - done) {
			rc = -EPROTO; /* more than we gave: not a sane kernel */
			break;
		}
		done += n; /* a failing call's count too: those bytes are gone, never resent */
		if (rc < 0)
			break;
		if (n == 0 && done < total && h->stream) {
			rc = -EPROTO; /* no progress and no error: not a sane kernel either */
			break;
		}
		iovcnt = iov_advance(cur, iovcnt, n);
	} while (h->stream && done < total);
	if (sent)
		*sent = done;
	return rc;
}

int kctl_send(kctl_t *h, const void *buf, size_t len, size_t *sent)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };

	if (!h || (!buf && len))
		return -EINVAL;
	return kctl_io_sendv(h, &iov, 1, sent);
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
		  uint32_t *rflags)
{
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
			return rc;
	}
	if (rc < 0)
		return rc;
	if (n > iov_total(iov, iovcnt))
		return -EPROTO; /* a kernel claiming to have written past our buffer */
	*got = n;
	if (rflags)
		*rflags = recv_flags(fl);
	return 0;
}

int kctl_recv(kctl_t *h, void *buf, size_t cap, size_t *got, uint32_t *rflags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = cap };

	if (!h || !got || (!buf && cap))
		return -EINVAL;
	return kctl_io_recvv(h, &iov, 1, got, rflags);
}
