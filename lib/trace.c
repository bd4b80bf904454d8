/*
 * trace.c - the tracer's syscall table: each leaf calls the traced backend's, then
 * prints the call with what it returned.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "handle.h"
#include "trace.h"

#define UTUN_CONTROL_NAME KCTL_ABI_UTUN_CONTROL_NAME

static const struct kctl_backend *inner_of(void *ctx)
{
	return ((struct kctl_trace *)ctx)->inner;
}

static int tr_socket(void *ctx, int domain, int type, int protocol, int *fd)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	int rc = in->ops->socket(in->ctx, domain, type, protocol, fd);

	kctl_tl_put(&l, "socket(");
	kctl_tl_domain(&l, domain);
	kctl_tl_put(&l, ", ");
	kctl_tl_type(&l, type);
	kctl_tl_put(&l, ", ");
	kctl_tl_protocol(&l, protocol);
	kctl_tl_put(&l, ")");
	kctl_tl_result(&l, rc, rc == 0 ? *fd : 0);
	kctl_trace_emit(ctx, &l);
	return rc;
}

/* CTLIOCGINFO: the name asked for, and the id on success. */
static void ioctl_info(struct kctl_trace *t, struct kctl_tline *l, const char *name,
		       const struct kctl_abi_ctl_info *info, int rc)
{
	kctl_tl_put(l, "{ctl_name=");
	kctl_tl_bytes(l, name, strnlen(name, KCTL_ABI_MAX_NAME), KCTL_ABI_MAX_NAME);
	kctl_tl_put(l, "}");
	if (rc == 0) {
		kctl_tl_put(l, " => {ctl_id=%u}", (unsigned)info->ctl_id);
		if (memcmp(name, UTUN_CONTROL_NAME, sizeof(UTUN_CONTROL_NAME)) == 0)
			kctl_trace_note_utun(t, info->ctl_id);
	}
}

static int tr_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	char name[KCTL_ABI_MAX_NAME] = { 0 };
	int before = 0;
	int rc;

	if (req == KCTL_ABI_CTLIOCGINFO && arg)
		memcpy(name, ((const struct kctl_abi_ctl_info *)arg)->ctl_name, sizeof(name));
	if (req == KCTL_ABI_FIONBIO && arg)
		memcpy(&before, arg, sizeof(before));
	rc = in->ops->ioctl(in->ctx, fd, req, arg);
	if (kctl_tl_ioctl_name(req))
		kctl_tl_put(&l, "ioctl(%d, %s", fd, kctl_tl_ioctl_name(req));
	else
		kctl_tl_put(&l, "ioctl(%d, 0x%lx", fd, req);
	if (req == KCTL_ABI_CTLIOCGINFO && arg) {
		kctl_tl_put(&l, ", ");
		ioctl_info(ctx, &l, name, arg, rc);
	} else if (req == KCTL_ABI_FIONBIO && arg) {
		kctl_tl_put(&l, ", [%d]", before);
	} else if ((req == KCTL_ABI_CTLIOCGCOUNT || req == KCTL_ABI_FIONREAD) && arg) {
		if (rc == 0)
			kctl_tl_put(&l, ", [%d]", *(const int *)arg);
		else
			kctl_tl_put(&l, ", ...");
	} else if (arg) {
		kctl_tl_put(&l, ", ...");
	}
	kctl_tl_put(&l, ")");
	kctl_tl_result(&l, rc, 0);
	kctl_trace_emit(ctx, &l);
	return rc;
}

static void tr_addr_line(void *ctx, const char *call, int fd,
			 const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen, int rc)
{
	struct kctl_tline l = { .len = 0 };

	kctl_tl_put(&l, "%s(%d, ", call, fd);
	if (sa)
		kctl_tl_sockaddr(&l, sa);
	else
		kctl_tl_put(&l, "NULL");
	kctl_tl_put(&l, ", %u)", (unsigned)salen);
	kctl_tl_result(&l, rc, 0);
	kctl_trace_emit(ctx, &l);
}

static int tr_bind(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen)
{
	const struct kctl_backend *in = inner_of(ctx);
	int rc = in->ops->bind(in->ctx, fd, sa, salen);

	tr_addr_line(ctx, "bind", fd, sa, salen, rc);
	return rc;
}

static int tr_connect(void *ctx, int fd, const struct kctl_abi_sockaddr_ctl *sa,
		      uint32_t salen)
{
	const struct kctl_backend *in = inner_of(ctx);
	int rc = in->ops->connect(in->ctx, fd, sa, salen);

	tr_addr_line(ctx, "connect", fd, sa, salen, rc);
	if (rc == 0 && sa)
		kctl_trace_note_fd(ctx, fd, sa->sc_id);
	return rc;
}

static int tr_getpeername(void *ctx, int fd, struct kctl_abi_sockaddr_ctl *sa,
			  uint32_t *salen)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	uint32_t asked = salen ? *salen : 0;
	int rc = in->ops->getpeername(in->ctx, fd, sa, salen);

	kctl_tl_put(&l, "getpeername(%d, ", fd);
	if (rc == 0 && sa && salen && *salen >= KCTL_ABI_SOCKADDR_CTL_LEN &&
	    asked >= KCTL_ABI_SOCKADDR_CTL_LEN)
		kctl_tl_sockaddr(&l, sa);
	else
		kctl_tl_put(&l, "...");
	if (rc == 0 && salen && *salen != asked)
		kctl_tl_put(&l, ", [%u => %u])", (unsigned)asked, (unsigned)*salen);
	else
		kctl_tl_put(&l, ", [%u])", (unsigned)asked);
	kctl_tl_result(&l, rc, 0);
	kctl_trace_emit(ctx, &l);
	return rc;
}

static int tr_sendmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
		      size_t *sent)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	size_t total = 0;
	int rc = in->ops->sendmsg(in->ctx, fd, iov, iovcnt, flags, sent);

	for (int i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	kctl_tl_put(&l, "sendmsg(%d, ", fd);
	kctl_tl_data(&l, iov, iovcnt, total, kctl_trace_is_utun(ctx, fd), 1);
	kctl_tl_put(&l, ", ");
	kctl_tl_msgflags(&l, flags);
	kctl_tl_put(&l, ")");
	kctl_tl_result(&l, rc, rc == 0 ? (long long)*sent : 0);
	kctl_trace_emit(ctx, &l);
	return rc;
}

static int tr_recvmsg(void *ctx, int fd, const struct iovec *iov, int iovcnt, int flags,
		      size_t *got, int *rflags)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	size_t cap = 0;
	int rc = in->ops->recvmsg(in->ctx, fd, iov, iovcnt, flags, got, rflags);

	for (int i = 0; i < iovcnt; i++)
		cap += iov[i].iov_len;
	kctl_tl_put(&l, "recvmsg(%d, %zu bytes, ", fd, cap);
	kctl_tl_msgflags(&l, flags);
	kctl_tl_put(&l, ")");
	kctl_tl_result(&l, rc, rc == 0 ? (long long)*got : 0);
	if (rc == 0 && *got > 0 && *got <= cap)
		kctl_tl_data(&l, iov, iovcnt, *got, kctl_trace_is_utun(ctx, fd), 0);
	if (rc == 0 && *rflags) {
		kctl_tl_put(&l, " msg_flags=");
		kctl_tl_msgflags(&l, *rflags);
	}
	kctl_trace_emit(ctx, &l);
	return rc;
}

static int tr_getsockopt(void *ctx, int fd, int level, int opt, void *val, uint32_t *len)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	uint32_t asked = len ? *len : 0;
	int rc = in->ops->getsockopt(in->ctx, fd, level, opt, val, len);

	kctl_tl_put(&l, "getsockopt(%d, ", fd);
	kctl_tl_level_opt(&l, level, opt, kctl_trace_is_utun(ctx, fd));
	if (!val) {
		kctl_tl_put(&l, ", NULL");
	} else if (rc == 0 && len && *len <= asked) {
		kctl_tl_put(&l, ", ");
		kctl_tl_optval(&l, val, *len);
	} else {
		kctl_tl_put(&l, ", ...");
	}
	if (rc == 0 && len && *len != asked)
		kctl_tl_put(&l, ", [%u => %u])", (unsigned)asked, (unsigned)*len);
	else
		kctl_tl_put(&l, ", [%u])", (unsigned)asked);
	kctl_tl_result(&l, rc, 0);
	kctl_trace_emit(ctx, &l);
	return rc;
}

static int tr_setsockopt(void *ctx, int fd, int level, int opt, const void *val,
			 uint32_t len)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	int rc = in->ops->setsockopt(in->ctx, fd, level, opt, val, len);

	kctl_tl_put(&l, "setsockopt(%d, ", fd);
	kctl_tl_level_opt(&l, level, opt, kctl_trace_is_utun(ctx, fd));
	kctl_tl_put(&l, ", ");
	if (val)
		kctl_tl_optval(&l, val, len);
	else
		kctl_tl_put(&l, "NULL");
	kctl_tl_put(&l, ", %u)", (unsigned)len);
	kctl_tl_result(&l, rc, 0);
	kctl_trace_emit(ctx, &l);
	return rc;
}

static int tr_close(void *ctx, int fd)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	int rc;

	kctl_trace_note_fd(ctx, fd, 0); /* before: the number may be reused at once */
	rc = in->ops->close(in->ctx, fd);
	kctl_tl_put(&l, "close(%d)", fd);
	kctl_tl_result(&l, rc, 0);
	kctl_trace_emit(ctx, &l);
	return rc;
}

static int tr_sysctl(void *ctx, const char *name, void *old, size_t *oldlen,
		     const void *newp, size_t newlen)
{
	const struct kctl_backend *in = inner_of(ctx);
	struct kctl_tline l = { .len = 0 };
	size_t asked = oldlen ? *oldlen : 0;
	int rc = in->ops->sysctl(in->ctx, name, old, oldlen, newp, newlen);

	kctl_tl_put(&l, "sysctl(");
	if (name)
		kctl_tl_bytes(&l, name, strnlen(name, 256), 256);
	else
		kctl_tl_put(&l, "NULL");
	if (old)
		kctl_tl_put(&l, ", %zu bytes", asked);
	else
		kctl_tl_put(&l, ", NULL");
	if (!oldlen)
		kctl_tl_put(&l, ", NULL");
	else if (*oldlen != asked)
		kctl_tl_put(&l, ", [%zu => %zu]", asked, *oldlen);
	else
		kctl_tl_put(&l, ", [%zu]", asked);
	kctl_tl_put(&l, ", ");
	if (newp)
		kctl_tl_bytes(&l, newp, newlen, 32);
	else
		kctl_tl_put(&l, "NULL");
	kctl_tl_put(&l, ", %zu)", newlen);
	kctl_tl_result(&l, rc, 0);
	if (rc == 0 && old && oldlen && *oldlen <= asked && name &&
	    strcmp(name, KCTL_ABI_SYSCTL_REG_LIST) == 0)
		kctl_tl_reg_list(&l, old, *oldlen);
	kctl_trace_emit(ctx, &l);
	return rc;
}

/* A leaf added to the table without a tracer here would be NULL: the build says so. */
_Static_assert(sizeof(struct kctl_sys_ops) == 11 * sizeof(int (*)(void)),
	       "every leaf of kctl_sys_ops needs its tracer in trace.c");

static const struct kctl_sys_ops trace_ops = {
	.socket = tr_socket,
	.ioctl = tr_ioctl,
	.bind = tr_bind,
	.connect = tr_connect,
	.getpeername = tr_getpeername,
	.sendmsg = tr_sendmsg,
	.recvmsg = tr_recvmsg,
	.getsockopt = tr_getsockopt,
	.setsockopt = tr_setsockopt,
	.close = tr_close,
	.sysctl = tr_sysctl,
};

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int kctl_trace_init(struct kctl_trace *t, const kctl_backend_t *inner, kctl_trace_fn fn,
		    void *ctx, int fd, uint32_t flags)
{
	memset(t, 0, sizeof(*t));
	if (pthread_mutex_init(&t->lock, NULL) != 0)
		return -ENOMEM;
	t->be.ops = &trace_ops;
	t->be.ctx = t;
	t->inner = kctl_backend_resolve_untraced(inner);
	t->fn = fn;
	t->fn_ctx = ctx;
	t->fd = fd;
	t->flags = flags;
	t->t0_us = mono_us();
	for (int i = 0; i < KCTL_TRACE_FDS; i++)
		t->fds[i].fd = -1;
	return 0;
}

void kctl_trace_emit(struct kctl_trace *t, struct kctl_tline *l)
{
	char line[KCTL_TRACE_LINE_MAX + 32];
	size_t n = 0, body = l->len < sizeof(l->buf) ? l->len : sizeof(l->buf) - 1;

	if (t->flags & KCTL_TRACE_TIME) {
		int64_t us = mono_us() - t->t0_us;

		n = (size_t)snprintf(line, sizeof(line), "+%lld.%06lld ",
				     (long long)(us / 1000000), (long long)(us % 1000000));
	}
	memcpy(line + n, l->buf, body);
	n += body;
	if (l->len >= sizeof(l->buf)) { /* cut: say so */
		memcpy(line + n - 3, "...", 3);
	}
	line[n] = '\0';
	pthread_mutex_lock(&t->lock);
	if (t->fn) {
		t->fn(t->fn_ctx, line);
	} else {
		line[n] = '\n';
		/* one write (a line is below PIPE_BUF): lines never interleave */
		while (write(t->fd, line, n + 1) < 0 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&t->lock);
}

int kctl_trace_is_utun(struct kctl_trace *t, int fd)
{
	int utun = 0;

	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < KCTL_TRACE_FDS; i++)
		if (t->fds[i].fd == fd)
			utun = t->fds[i].utun;
	pthread_mutex_unlock(&t->lock);
	return utun;
}

void kctl_trace_note_fd(struct kctl_trace *t, int fd, uint32_t id)
{
	struct kctl_trace_fd *slot = NULL;

	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < KCTL_TRACE_FDS && !slot; i++)
		if (t->fds[i].fd == fd)
			slot = &t->fds[i];
	for (int i = 0; i < KCTL_TRACE_FDS && !slot && id; i++)
		if (t->fds[i].fd == -1)
			slot = &t->fds[i];
	if (slot && id) /* a table full of sockets only loses utun's decoding */
		*slot = (struct kctl_trace_fd){ .fd = fd, .id = id,
						.utun = t->utun_id != 0 && id == t->utun_id };
	else if (slot)
		slot->fd = -1;
	pthread_mutex_unlock(&t->lock);
}

void kctl_trace_note_utun(struct kctl_trace *t, uint32_t id)
{
	pthread_mutex_lock(&t->lock);
	t->utun_id = id;
	pthread_mutex_unlock(&t->lock);
}

/* ---- the public calls ---- */

static int trace_new(const kctl_backend_t *inner, kctl_trace_fn fn, void *ctx, int fd,
		     uint32_t flags, kctl_trace_t **out)
{
	struct kctl_trace *t;
	int rc;

	if (!out || (flags & ~KCTL_TRACE_TIME))
		return -EINVAL;
	t = malloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	rc = kctl_trace_init(t, inner, fn, ctx, fd, flags);
	if (rc < 0) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int kctl_trace_new(const kctl_backend_t *inner, kctl_trace_fn fn, void *ctx, uint32_t flags,
		   kctl_trace_t **out)
{
	if (!fn)
		return -EINVAL;
	return trace_new(inner, fn, ctx, -1, flags, out);
}

int kctl_trace_new_fd(const kctl_backend_t *inner, int fd, uint32_t flags, kctl_trace_t **out)
{
	if (fd < 0)
		return -EINVAL;
	return trace_new(inner, NULL, NULL, fd, flags, out);
}

const kctl_backend_t *kctl_trace_backend(const kctl_trace_t *t)
{
	return t ? &t->be : NULL;
}

void kctl_trace_free(kctl_trace_t *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t);
}
