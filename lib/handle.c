/* handle.c - opening, connecting and closing a kernel-control handle. */
#include <errno.h>
#include <stdlib.h>

#include "handle.h"

#define KCTL_OPEN_KNOWN (KCTL_OPEN_STREAM | KCTL_OPEN_NONBLOCK | KCTL_OPEN_BIND_ONLY)

/* Learns the unit the kernel chose (getpeername is the only way a Mac tells it). */
static int handle_learn_unit(struct kctl *h)
{
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t len = (uint32_t)sizeof(sa);
	int rc;

	rc = h->be->ops->getpeername(h->be->ctx, h->fd, &sa, &len);
	if (rc < 0)
		return rc;
	/* any 32-bit unit is possible (explicit, REG_ID_UNIT, a setup callback's); 0 is not */
	if (len != KCTL_ABI_SOCKADDR_CTL_LEN || sa.sc_id != h->id || sa.sc_unit == 0)
		return -EPROTO; /* a peer address that is not the control we connected to */
	h->unit = sa.sc_unit;
	return 0;
}

/*
 * Who refused a connect: a socket whose connect callback failed is dead and reads end
 * of file (or the data the callback queued first); one the kernel refused before the
 * control was asked is merely not connected. One non-blocking receive tells them apart.
 */
static uint32_t connect_refuser(struct kctl *h)
{
	unsigned char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	size_t n = 0;
	int fl = 0;
	int rc = h->be->ops->recvmsg(h->be->ctx, h->fd, &iov, 1, 0, &n, &fl);

	if (rc == 0)
		return KCTL_ORIGIN_CONTROL;
	return rc == -ENOTCONN ? KCTL_ORIGIN_KERNEL : KCTL_ORIGIN_KERNEL_OR_CONTROL;
}

/* The record of a refused connect or bind (rc from the kernel's call). */
static int attach_failed(struct kctl *h, int rc, int bind_only, struct kctl_error *why)
{
	uint64_t where = h->id | (uint64_t)h->stream << 32;
	uint32_t origin, reason;

	if (bind_only) {
		/* a refused bind leaves no trace to tell the kernel from the bind callback */
		int rule = rc == -ENOENT || rc == -EPROTOTYPE || rc == -EPERM || rc == -EBUSY ||
			   rc == -EINVAL;

		origin = rule ? KCTL_ORIGIN_KERNEL_OR_CONTROL : KCTL_ORIGIN_CONTROL;
		return kctl_err_fill(why, rc, KCTL_CALL_OPEN, origin, KCTL_R_BIND, h->unit,
				     where);
	}
	origin = connect_refuser(h);
	reason = origin == KCTL_ORIGIN_CONTROL ? KCTL_R_CB_CONNECT : KCTL_R_CONNECT;
	return kctl_err_fill(why, rc, KCTL_CALL_OPEN, origin, reason, h->unit, where);
}

static int handle_attach(struct kctl *h, int bind_only, struct kctl_error *why)
{
	struct kctl_abi_sockaddr_ctl sa;
	int rc;

	kctl_sockaddr_fill(&sa, h->id, h->unit);
	if (bind_only) {
		rc = h->be->ops->bind(h->be->ctx, h->fd, &sa, KCTL_ABI_SOCKADDR_CTL_LEN);
		if (rc == 0)
			h->state = KCTL_STATE_BOUND;
		return rc == 0 ? 0 : attach_failed(h, rc, 1, why);
	}
	rc = h->be->ops->connect(h->be->ctx, h->fd, &sa, KCTL_ABI_SOCKADDR_CTL_LEN);
	if (rc < 0) {
		h->state = KCTL_STATE_FAILED;
		return attach_failed(h, rc, 0, why);
	}
	rc = handle_learn_unit(h);
	h->state = rc == 0 ? KCTL_STATE_CONNECTED : KCTL_STATE_FAILED;
	if (rc < 0)
		kctl_err_fill(why, rc, KCTL_CALL_OPEN,
			      rc == -EPROTO ? KCTL_ORIGIN_LIBRARY : KCTL_ORIGIN_KERNEL,
			      rc == -EPROTO ? KCTL_R_INSANE : KCTL_R_KERNEL, 0, 0);
	return rc;
}

/* The checks every open makes before any syscall (any 32-bit unit may be asked for). */
static int open_args_check(uint32_t flags, kctl_t **out, struct kctl_error *why)
{
	const uint32_t O = KCTL_CALL_OPEN, L = KCTL_ORIGIN_LIBRARY;

	if (!out)
		return kctl_err_fill(why, -EINVAL, O, L, KCTL_R_ARG, 0, 0);
	if (flags & ~KCTL_OPEN_KNOWN)
		return kctl_err_fill(why, -EINVAL, O, L, KCTL_R_FLAGS, flags & ~KCTL_OPEN_KNOWN,
				     0);
	return 0;
}

static struct kctl *handle_new(void)
{
	struct kctl *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	if (kctl_msg_init(&h->msg) < 0) {
		free(h);
		return NULL;
	}
	if (kctl_errs_init(&h->errs) < 0) {
		kctl_msg_destroy(&h->msg);
		free(h);
		return NULL;
	}
	return h;
}

static void handle_free(struct kctl *h)
{
	kctl_errs_destroy(&h->errs);
	kctl_msg_destroy(&h->msg);
	free(h);
}

int kctl_open_id_ex(const kctl_backend_t *be, uint32_t id, uint32_t unit, uint32_t flags,
		    kctl_t **out, struct kctl_error *why)
{
	struct kctl *h;
	int type = (flags & KCTL_OPEN_STREAM) ? KCTL_ABI_SOCK_STREAM : KCTL_ABI_SOCK_DGRAM;
	int rc;

	kctl_err_fill(why, 0, KCTL_CALL_OPEN, KCTL_ORIGIN_NONE, KCTL_R_NONE, 0, 0);
	rc = open_args_check(flags, out, why);
	if (rc < 0)
		return rc;
	h = handle_new();
	if (!h)
		return kctl_err_fill(why, -ENOMEM, KCTL_CALL_OPEN, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_NOMEM, sizeof(*h), 0);
	h->be = kctl_backend_resolve(be);
	h->id = id;
	h->unit = unit;
	h->stream = (flags & KCTL_OPEN_STREAM) != 0;
	h->timeout_ms = (flags & KCTL_OPEN_NONBLOCK) ? 0 : KCTL_TIMEOUT_INFINITE;
	rc = kctl_socket_open(h->be, type, &h->fd);
	if (rc < 0) {
		kctl_err_fill(why, rc, KCTL_CALL_OPEN, KCTL_ORIGIN_KERNEL, KCTL_R_SOCKET, 0, 0);
	} else {
		rc = handle_attach(h, (flags & KCTL_OPEN_BIND_ONLY) != 0, why);
		if (rc < 0)
			(void)h->be->ops->close(h->be->ctx, h->fd);
	}
	if (rc < 0) {
		handle_free(h);
		return rc;
	}
	*out = h;
	return 0;
}

int kctl_open_id(const kctl_backend_t *be, uint32_t id, uint32_t unit, uint32_t flags,
		 kctl_t **out)
{
	return kctl_open_id_ex(be, id, unit, flags, out, NULL);
}

int kctl_open_name_ex(const kctl_backend_t *be, const char *name, uint32_t unit,
		      uint32_t flags, kctl_t **out, struct kctl_error *why)
{
	uint32_t id;
	int rc;

	kctl_err_fill(why, 0, KCTL_CALL_OPEN, KCTL_ORIGIN_NONE, KCTL_R_NONE, 0, 0);
	rc = open_args_check(flags, out, why);
	if (rc < 0)
		return rc;
	rc = kctl_lookup_ex(be, name, &id, why);
	if (rc < 0)
		return rc;
	return kctl_open_id_ex(be, id, unit, flags, out, why);
}

int kctl_open_name(const kctl_backend_t *be, const char *name, uint32_t unit,
		   uint32_t flags, kctl_t **out)
{
	return kctl_open_name_ex(be, name, unit, flags, out, NULL);
}

int kctl_connect(kctl_t *h)
{
	struct kctl_error e;
	int rc;

	if (!h)
		return -EINVAL;
	if (h->state == KCTL_STATE_CONNECTED)
		return kctl_errs_set(&h->errs, -EISCONN, KCTL_CALL_OPEN, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_STATE, h->state, 0);
	if (h->state != KCTL_STATE_BOUND)
		return kctl_errs_set(&h->errs, -EINVAL, KCTL_CALL_OPEN, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_STATE, h->state, 0);
	rc = handle_attach(h, 0, &e);
	return rc < 0 ? kctl_errs_put(&h->errs, &e) : 0;
}

int kctl_close(kctl_t *h)
{
	int rc;

	if (!h)
		return 0;
	rc = h->be->ops->close(h->be->ctx, h->fd);
	handle_free(h);
	return rc;
}

int kctl_fd(const kctl_t *h)
{
	return h ? h->fd : -1;
}

uint32_t kctl_id(const kctl_t *h)
{
	return h ? h->id : 0;
}

uint32_t kctl_unit(const kctl_t *h)
{
	return h ? h->unit : 0;
}

int kctl_is_stream(const kctl_t *h)
{
	return h ? h->stream : 0;
}

int kctl_set_timeout(kctl_t *h, int32_t timeout_ms)
{
	if (!h || timeout_ms < KCTL_TIMEOUT_INFINITE)
		return -EINVAL;
	h->timeout_ms = timeout_ms;
	return 0;
}

int32_t kctl_timeout(const kctl_t *h)
{
	return h ? h->timeout_ms : 0;
}
