/*
 * pl_io.c - moving data: send, sendto, sendmsg, write, writev; recv, recvfrom,
 * recvmsg, read, readv, and glibc's _FORTIFY_SOURCE twins (__read_chk, __recv_chk,
 * __recvfrom_chk), which programs built with -D_FORTIFY_SOURCE call instead.
 *
 * Flags arrive in the host's numbering and go to the simulator in Darwin's; recvmsg's
 * msg_flags come back the other way. A kernel control has no peer address, so a
 * receive reports an address length of 0 and a send ignores the address it is given
 * once its length has passed the checks a Mac makes (ENAMETOOLONG, EINVAL).
 *
 * Blocking: the simulator is always asked with MSG_DONTWAIT; when it has nothing, a
 * blocking receive waits in libc's recv(MSG_PEEK) on the program's own descriptor for
 * the simulator's signal byte. That wait is a real socket call, so it honours the
 * descriptor's O_NONBLOCK, its SO_RCVTIMEO (EAGAIN when it runs out, as a Mac's
 * EWOULDBLOCK) and signals (EINTR, or restarted under SA_RESTART) exactly as a Mac's
 * recv on the socket would.
 */
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "abi_host.h"
#include "preload.h"

#define PL_UIO_MAXIOV 1024 /* Darwin's UIO_MAXIOV */

extern void __chk_fail(void) __attribute__((noreturn));
ssize_t __read_chk(int fd, void *buf, size_t nbytes, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
		       struct sockaddr *from, socklen_t *fromlen);

/* ---- the two paths into the simulator ---- */

int pl_send(struct pl_sock *s, const struct iovec *iov, int iovcnt, int dflags,
	    size_t *sent)
{
	kctl_sim_t *sim = pl_kernel();
	int err = pl_sock_enter(s);

	if (err != 0)
		return err;
	err = sim != NULL ? kctl_sim_sendmsg(sim, s->simfd, iov, iovcnt, dflags, sent) : -EBADF;
	pl_sock_leave(s);
	return err;
}

/* Waits for the signal byte on the program's descriptor: 0 to try again, or errno. */
static int wait_readable(int fd)
{
	unsigned char b;
	ssize_t n = pl_libc()->recv(fd, &b, 1, MSG_PEEK);

	return n < 0 ? -errno : 0; /* 0 bytes: the simulator closed it; the retry says EBADF */
}

int pl_recv(struct pl_sock *s, int fd, const struct iovec *iov, int iovcnt, int dflags,
	    size_t *got, int *rflags)
{
	kctl_sim_t *sim = pl_kernel();

	for (;;) {
		int err = pl_sock_enter(s);

		if (err != 0)
			return err;
		err = sim == NULL ? -EBADF
				  : kctl_sim_recvmsg(sim, s->simfd, iov, iovcnt,
						     dflags | KCTL_ABI_MSG_DONTWAIT, got, rflags);
		pl_sock_leave(s);
		if (err != -EAGAIN || (dflags & KCTL_ABI_MSG_DONTWAIT))
			return err;
		err = wait_readable(fd);
		if (err != 0)
			return err;
	}
}

/* ---- sends ---- */

/* The address checks of Darwin's getsockaddr; the address itself is not used. */
static int check_dest(const void *addr, socklen_t len)
{
	if (addr == NULL)
		return 0;
	if (len > 255)
		return -ENAMETOOLONG;
	if (len < 2)
		return -EINVAL;
	return 0;
}

/* A send of iov; a STREAM send cut short by an error reports what went, as POSIX. */
static ssize_t do_send(struct pl_sock *s, const struct iovec *iov, int iovcnt, int hflags)
{
	size_t sent = 0;
	int err = pl_send(s, iov, iovcnt, kh_msg_to_darwin(hflags, NULL), &sent);

	pl_sock_release(s);
	if (err < 0 && sent > 0)
		err = 0;
	return pl_ret_n(err, sent);
}

/*
 * What every send does once pl_take() answered r (1: s held, < 0: its error): the
 * caller's own argument check `pre` (0 or a negative errno), then the send.
 */
static ssize_t send_taken(int r, struct pl_sock *s, int pre, const struct iovec *iov,
			  int iovcnt, int hflags)
{
	if (r < 0)
		return pl_ret_n(r, 0);
	if (pre < 0) {
		pl_sock_release(s);
		return pl_ret_n(pre, 0);
	}
	return do_send(s, iov, iovcnt, hflags);
}

/* What sendmsg/recvmsg check in the header before anything else, as a Mac does. */
static int check_msghdr(const struct msghdr *m)
{
	if (m == NULL)
		return -EFAULT;
	if (m->msg_iovlen == 0 || m->msg_iovlen > PL_UIO_MAXIOV)
		return -EMSGSIZE;
	if (m->msg_iov == NULL)
		return -EFAULT;
	return 0;
}

/* readv/writev's count check (EINVAL, not sendmsg's EMSGSIZE). */
static int check_iovcnt(const struct iovec *iov, int iovcnt)
{
	if (iovcnt <= 0 || iovcnt > PL_UIO_MAXIOV)
		return -EINVAL;
	return iov == NULL ? -EFAULT : 0;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	struct iovec v = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct pl_sock *s;
	int r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->send(fd, buf, len, flags);
	return send_taken(r, s, 0, &v, 1, flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
	       socklen_t tolen)
{
	struct iovec v = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct pl_sock *s;
	int r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->sendto(fd, buf, len, flags, to, tolen);
	return send_taken(r, s, check_dest(to, tolen), &v, 1, flags);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct pl_sock *s;
	int pre, r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->sendmsg(fd, msg, flags);
	pre = check_msghdr(msg);
	if (pre == 0)
		pre = check_dest(msg->msg_name, msg->msg_namelen);
	/* control data is dropped, as kern_control's ctl_send does */
	return send_taken(r, s, pre, pre == 0 ? msg->msg_iov : NULL,
			  pre == 0 ? (int)msg->msg_iovlen : 0, flags);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	struct iovec v = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct pl_sock *s;
	int r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->write(fd, buf, len);
	return send_taken(r, s, 0, &v, 1, 0);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	struct pl_sock *s;
	int r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->writev(fd, iov, iovcnt);
	return send_taken(r, s, check_iovcnt(iov, iovcnt), iov, iovcnt, 0);
}

/* ---- receives ---- */

/* As send_taken(), for a receive; *hrflags (may be NULL) gets the host's MSG_* flags. */
static ssize_t recv_taken(int r, struct pl_sock *s, int pre, int fd, const struct iovec *iov,
			  int iovcnt, int hflags, int *hrflags)
{
	size_t got = 0;
	int rf = 0, err;

	if (r < 0)
		return pl_ret_n(r, 0);
	if (pre < 0) {
		pl_sock_release(s);
		return pl_ret_n(pre, 0);
	}
	err = pl_recv(s, fd, iov, iovcnt, kh_msg_to_darwin(hflags, NULL), &got, &rf);
	pl_sock_release(s);
	if (err == 0 && hrflags != NULL)
		*hrflags = kh_msg_from_darwin(rf);
	return pl_ret_n(err, got);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	struct iovec v = { .iov_base = buf, .iov_len = len };
	struct pl_sock *s;
	int r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->recv(fd, buf, len, flags);
	return recv_taken(r, s, 0, fd, &v, 1, flags, NULL);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
		 socklen_t *fromlen)
{
	struct iovec v = { .iov_base = buf, .iov_len = len };
	struct pl_sock *s;
	ssize_t n;
	int r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->recvfrom(fd, buf, len, flags, from, fromlen);
	n = recv_taken(r, s, 0, fd, &v, 1, flags, NULL);
	if (n >= 0 && from != NULL && fromlen != NULL)
		*fromlen = 0; /* no source address on a kernel control */
	return n;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct pl_sock *s;
	ssize_t n;
	int rf = 0, pre, r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->recvmsg(fd, msg, flags);
	pre = check_msghdr(msg);
	n = recv_taken(r, s, pre, fd, pre == 0 ? msg->msg_iov : NULL,
		       pre == 0 ? (int)msg->msg_iovlen : 0, flags, &rf);
	if (n >= 0) {
		msg->msg_namelen = 0;
		msg->msg_controllen = 0;
		msg->msg_flags = rf;
	}
	return n;
}

ssize_t read(int fd, void *buf, size_t len)
{
	struct iovec v = { .iov_base = buf, .iov_len = len };
	struct pl_sock *s;
	int r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->read(fd, buf, len);
	return recv_taken(r, s, 0, fd, &v, 1, 0, NULL);
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	struct pl_sock *s;
	int r = pl_take(fd, &s);

	if (r == 0)
		return pl_libc()->readv(fd, iov, iovcnt);
	return recv_taken(r, s, check_iovcnt(iov, iovcnt), fd, iov, iovcnt, 0, NULL);
}

/* ---- _FORTIFY_SOURCE: the same calls after glibc's buffer-size check ---- */

ssize_t __read_chk(int fd, void *buf, size_t nbytes, size_t buflen)
{
	if (nbytes > buflen)
		__chk_fail();
	return read(fd, buf, nbytes);
}

ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
	if (len > buflen)
		__chk_fail();
	return recv(fd, buf, len, flags);
}

ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
		       struct sockaddr *from, socklen_t *fromlen)
{
	if (len > buflen)
		__chk_fail();
	return recvfrom(fd, buf, len, flags, from, fromlen);
}
