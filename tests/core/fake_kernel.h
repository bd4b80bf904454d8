/*
 * fake_kernel.h - a scripted syscall table for testing libkctl's core call by call.
 *
 * It records every call and answers as told, including as a hostile kernel would
 * (lengths larger than the buffer, a peer address of another control). Sockets are
 * real fds on /dev/null so fd leaks show. Header-only; one per test file.
 */
#ifndef KCTL_FAKE_KERNEL_H
#define KCTL_FAKE_KERNEL_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kctl_sys.h"

enum fk_call { FK_SOCKET, FK_IOCTL, FK_BIND, FK_CONNECT, FK_PEER, FK_SEND, FK_RECV,
	       FK_GETOPT, FK_SETOPT, FK_CLOSE, FK_SYSCTL, FK_NCALLS };

#define FK_MAX_ANSWERS 4

struct fake_kernel {
	int calls[FK_NCALLS];
	int fail_call;            /* enum fk_call to fail, or -1 */
	int fail_err;             /* negative errno */
	int fail_skip;            /* let this many such calls through first */
	unsigned long ioctls[8];  /* requests seen, in order */
	int nioctl;
	int nosigpipe_set;
	struct kctl_abi_sockaddr_ctl last_sa;
	uint32_t last_salen;
	uint32_t ctl_id;          /* answer to CTLIOCGINFO */
	uint32_t peer_id;         /* getpeername's sc_id (0: ctl id asked for) */
	uint32_t peer_unit;       /* getpeername's sc_unit */
	uint32_t peer_len;        /* getpeername's length (0: 32) */
	size_t send_claim;        /* 0: all bytes; else the count a send reports */
	size_t fail_sent;         /* the count a failing send reports with its error */
	size_t send_offered[8];   /* bytes offered to each send, in order */
	int send_zero;            /* a send reports 0 bytes */
	size_t recv_claim;        /* bytes a recv reports */
	int recv_flags;           /* msg flags a recv reports */
	int recv_eagain;          /* how many recvs answer -EAGAIN first */
	uint32_t getopt_claim;    /* length a getsockopt reports */
	unsigned char getopt_fill;/* byte written into the option buffer */
	const char *getopt_bytes; /* else these bytes (up to the asked length) */
	size_t getopt_nbytes;
	uint32_t setopt_len;      /* length of the last setsockopt */
	unsigned char setopt_data[64];
	const void *send_base[4]; /* the iovecs of the last send, as given */
	size_t send_len[4];
	int send_iovcnt;
	unsigned char send_head[8]; /* the first bytes of the last send's first iovec */
	const unsigned char *recv_bytes; /* if set, what a recv scatters into the iovecs */
	size_t recv_nbytes;
	/* sysctl: the answer to read k is sc_answer[k] (the last one repeats) */
	const unsigned char *sc_answer[FK_MAX_ANSWERS];
	size_t sc_answer_len[FK_MAX_ANSWERS];
	int sc_nanswers;
	int sc_reads;             /* reads made (a buffer given) */
	int sc_queries;           /* size queries made (no buffer) */
	size_t sc_size;           /* a size query's answer (0: the next answer's length) */
	size_t sc_size_once;      /* if set, the first size query's answer only */
	size_t sc_len_claim;      /* if set, the length a read reports, whatever it wrote */
	char sc_name[64];         /* the last name asked for */
	int sc_newp;              /* some call passed new data */
};

static inline void fk_init(struct fake_kernel *fk)
{
	memset(fk, 0, sizeof(*fk));
	fk->fail_call = -1;
	fk->ctl_id = 7;
	fk->peer_unit = 1;
}

static inline int fk_enter(struct fake_kernel *fk, enum fk_call c)
{
	fk->calls[c]++;
	if (fk->fail_call == (int)c && fk->fail_skip > 0) {
		fk->fail_skip--;
		return 0;
	}
	if (fk->fail_call == (int)c) {
		fk->fail_call = -1;
		return fk->fail_err;
	}
	return 0;
}

static inline int fk_socket(void *ctx, int domain, int type, int protocol, int *fd)
{
	int rc = fk_enter(ctx, FK_SOCKET);

	(void)domain; (void)type; (void)protocol;
	if (rc)
		return rc;
	*fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	return *fd < 0 ? -errno : 0;
}

static inline int fk_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	struct fake_kernel *fk = ctx;
	int rc = fk_enter(fk, FK_IOCTL);

	(void)fd;
	if (fk->nioctl < 8)
		fk->ioctls[fk->nioctl++] = req;
	if (rc)
		return rc;
	if (req == KCTL_ABI_CTLIOCGINFO)
		((struct kctl_abi_ctl_info *)arg)->ctl_id = fk->ctl_id;
	if (req == KCTL_ABI_CTLIOCGCOUNT)
		*(int *)arg = 3;
	return 0;
}

static inline int fk_addr(struct fake_kernel *fk, enum fk_call c,
			  const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen)
{
	int rc = fk_enter(fk, c);

	fk->last_sa = *sa;
	fk->last_salen = salen;
	return rc;
}

static inline int fk_bind(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
			  uint32_t salen)
{
	(void)fd;
	return fk_addr(ctx, FK_BIND, sa, salen);
}

static inline int fk_connect(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
			     uint32_t salen)
{
	(void)fd;
	return fk_addr(ctx, FK_CONNECT, sa, salen);
}

static inline int fk_peer(void *ctx, int fd, struct kctl_abi_sockaddr_ctl *sa,
			  uint32_t *salen)
{
	struct fake_kernel *fk = ctx;
	int rc = fk_enter(fk, FK_PEER);

	(void)fd;
	if (rc)
		return rc;
	*sa = fk->last_sa;
	sa->sc_id = fk->peer_id ? fk->peer_id : fk->last_sa.sc_id;
	sa->sc_unit = fk->peer_unit;
	*salen = fk->peer_len ? fk->peer_len : KCTL_ABI_SOCKADDR_CTL_LEN;
	return 0;
}

static inline int fk_send(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
			  size_t *sent)
{
	struct fake_kernel *fk = ctx;
	int rc = fk_enter(fk, FK_SEND);
	size_t n = 0;

	(void)fd; (void)flags;
	for (int i = 0; i < iovcnt; i++)
		n += iov[i].iov_len;
	if (fk->calls[FK_SEND] <= 8)
		fk->send_offered[fk->calls[FK_SEND] - 1] = n;
	if (rc) {
		*sent = fk->fail_sent;
		return rc;
	}
	fk->send_iovcnt = iovcnt;
	if (iovcnt > 0 && iov[0].iov_base)
		memcpy(fk->send_head, iov[0].iov_base,
		       iov[0].iov_len < sizeof(fk->send_head) ? iov[0].iov_len
							  : sizeof(fk->send_head));
	for (int i = 0; i < iovcnt && i < 4; i++) {
		fk->send_base[i] = iov[i].iov_base;
		fk->send_len[i] = iov[i].iov_len;
	}
	*sent = fk->send_zero ? 0 : fk->send_claim ? fk->send_claim : n;
	return 0;
}

static inline int fk_recv(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
			  size_t *got, int *rflags)
{
	struct fake_kernel *fk = ctx;
	int rc = fk_enter(fk, FK_RECV);

	(void)fd; (void)flags;
	if (rc)
		return rc;
	if (fk->recv_eagain > 0) {
		fk->recv_eagain--;
		return -EAGAIN;
	}
	for (size_t i = 0, off = 0; fk->recv_bytes && i < (size_t)iovcnt; i++) {
		size_t k = fk->recv_nbytes - off < iov[i].iov_len ? fk->recv_nbytes - off
								   : iov[i].iov_len;

		if (k > 0)
			memcpy(iov[i].iov_base, fk->recv_bytes + off, k);
		off += k;
	}
	*got = fk->recv_claim;
	*rflags = fk->recv_flags;
	return 0;
}

static inline int fk_getopt(void *ctx, int fd, int level, int opt, void *val, uint32_t *len)
{
	struct fake_kernel *fk = ctx;
	int rc = fk_enter(fk, FK_GETOPT);

	(void)fd; (void)level; (void)opt;
	if (rc)
		return rc;
	/* an honest kernel writes at most *len bytes; the claimed length may lie */
	if (val && fk->getopt_bytes)
		memcpy(val, fk->getopt_bytes,
		       fk->getopt_nbytes < *len ? fk->getopt_nbytes : *len);
	else if (val)
		memset(val, fk->getopt_fill, *len);
	*len = fk->getopt_claim;
	return 0;
}

static inline int fk_setopt(void *ctx, int fd, int level, int opt, const void *val,
			    uint32_t len)
{
	struct fake_kernel *fk = ctx;
	int rc = fk_enter(fk, FK_SETOPT);

	(void)fd; (void)opt;
	if (rc)
		return rc;
	if (level == KCTL_ABI_SOL_SOCKET) {
		fk->nosigpipe_set = 1;
		return 0;
	}
	fk->setopt_len = len;
	if (val && len <= sizeof(fk->setopt_data))
		memcpy(fk->setopt_data, val, len);
	return 0;
}

static inline int fk_close(void *ctx, int fd)
{
	int rc = fk_enter(ctx, FK_CLOSE);

	close(fd); /* released whatever the answer, as POSIX close does */
	return rc;
}

/* An honest copy-out (nothing past *oldlen); the reported length may lie (sc_len_claim). */
static inline int fk_sysctl(void *ctx, const char *name, void *old, size_t *oldlen,
			    const void *newp, size_t newlen)
{
	struct fake_kernel *fk = ctx;
	int rc = fk_enter(fk, FK_SYSCTL);
	int k = fk->sc_reads < fk->sc_nanswers ? fk->sc_reads : fk->sc_nanswers - 1;
	size_t n = strnlen(name, sizeof(fk->sc_name) - 1);

	memcpy(fk->sc_name, name, n);
	fk->sc_name[n] = '\0';
	fk->sc_newp |= newp != NULL || newlen != 0;
	if (rc)
		return rc;
	if (k < 0)
		return -ENOENT;
	if (!old) {
		fk->sc_queries++;
		*oldlen = fk->sc_size ? fk->sc_size : fk->sc_answer_len[k];
		if (fk->sc_size_once) {
			*oldlen = fk->sc_size_once;
			fk->sc_size_once = 0;
		}
		return 0;
	}
	fk->sc_reads++;
	if (fk->sc_answer_len[k] > *oldlen)
		return -ENOMEM;
	memcpy(old, fk->sc_answer[k], fk->sc_answer_len[k]);
	*oldlen = fk->sc_len_claim ? fk->sc_len_claim : fk->sc_answer_len[k];
	return 0;
}

static const struct kctl_sys_ops fake_kernel_ops = {
	.socket = fk_socket, .ioctl = fk_ioctl, .bind = fk_bind, .connect = fk_connect,
	.getpeername = fk_peer, .sendmsg = fk_send, .recvmsg = fk_recv,
	.getsockopt = fk_getopt, .setsockopt = fk_setopt, .close = fk_close,
	.sysctl = fk_sysctl,
};

/* One scripted kernel per test file, reset before each test by fk_setup. */
#define FAKE_KERNEL_FIXTURE                                                   \
	static struct fake_kernel fk;                                         \
	static struct kctl_backend fb = { .ops = &fake_kernel_ops, .ctx = &fk }; \
	static int fk_setup(void **state)                                     \
	{                                                                     \
		(void)state;                                                  \
		fk_init(&fk);                                                 \
		return 0;                                                     \
	}

#endif
