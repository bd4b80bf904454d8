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

static int handle_attach(struct kctl *h, int bind_only)
{
	struct kctl_abi_sockaddr_ctl sa;
	int rc;

	kctl_sockaddr_fill(&sa, h->id, h->unit);
	if (bind_only) {
		rc = h->be->ops->bind(h->be->ctx, h->fd, &sa, KCTL_ABI_SOCKADDR_CTL_LEN);
		if (rc == 0)
			h->state = KCTL_STATE_BOUND;
		return rc;
	}
	rc = h->be->ops->connect(h->be->ctx, h->fd, &sa, KCTL_ABI_SOCKADDR_CTL_LEN);
	if (rc == 0)
		rc = handle_learn_unit(h);
	h->state = rc == 0 ? KCTL_STATE_CONNECTED : KCTL_STATE_FAILED;
	return rc;
}

int kctl_open_id(const kctl_backend_t *be, uint32_t id, uint32_t unit, uint32_t flags,
		 kctl_t **out)
{
	struct kctl *h;
	int type = (flags & KCTL_OPEN_STREAM) ? KCTL_ABI_SOCK_STREAM : KCTL_ABI_SOCK_DGRAM;
	int rc;

	if (!out || (flags & ~KCTL_OPEN_KNOWN))
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	rc = kctl_msg_init(&h->msg);
	if (rc < 0) {
		free(h);
		return rc;
	}
	h->be = kctl_backend_resolve(be);
	h->id = id;
	h->unit = unit;
	h->stream = (flags & KCTL_OPEN_STREAM) != 0;
	h->timeout_ms = (flags & KCTL_OPEN_NONBLOCK) ? 0 : KCTL_TIMEOUT_INFINITE;
	rc = kctl_socket_open(h->be, type, &h->fd);
	if (rc == 0) {
		rc = handle_attach(h, (flags & KCTL_OPEN_BIND_ONLY) != 0);
		if (rc < 0)
			(void)h->be->ops->close(h->be->ctx, h->fd);
	}
	if (rc < 0) {
		kctl_msg_destroy(&h->msg);
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

int kctl_open_name(const kctl_backend_t *be, const char *name, uint32_t unit,
		   uint32_t flags, kctl_t **out)
{
	uint32_t id;
	int rc;

	if (!out || (flags & ~KCTL_OPEN_KNOWN))
		return -EINVAL;
	rc = kctl_lookup(be, name, &id);
	if (rc < 0)
		return rc;
	return kctl_open_id(be, id, unit, flags, out);
}

int kctl_connect(kctl_t *h)
{
	if (!h)
		return -EINVAL;
	if (h->state == KCTL_STATE_CONNECTED)
		return -EISCONN;
	if (h->state != KCTL_STATE_BOUND)
		return -EINVAL;
	return handle_attach(h, 0);
}

int kctl_close(kctl_t *h)
{
	int rc;

	if (!h)
		return 0;
	rc = h->be->ops->close(h->be->ctx, h->fd);
	kctl_msg_destroy(&h->msg);
	free(h);
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
