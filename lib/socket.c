/*
 * socket.c - opening a PF_SYSTEM socket the way every handle needs it.
 *
 * Darwin has no SOCK_CLOEXEC, and MSG_NOSIGNAL only from macOS 11, so close-on-exec,
 * non-blocking mode and SO_NOSIGPIPE are set with three calls after socket(); they go
 * through the table like every other call, so the simulator sees (and can fail) each
 * of them. (The Darwin leaf also passes MSG_NOSIGNAL on every send.)
 */
#include <errno.h>

#include "handle.h"

static int socket_configure(const struct kctl_backend *be, int fd)
{
	int one = 1;
	int rc;

	rc = be->ops->ioctl(be->ctx, fd, KCTL_ABI_FIOCLEX, NULL);
	if (rc == 0)
		rc = be->ops->ioctl(be->ctx, fd, KCTL_ABI_FIONBIO, &one);
	if (rc == 0)
		rc = be->ops->setsockopt(be->ctx, fd, KCTL_ABI_SOL_SOCKET, KCTL_ABI_SO_NOSIGPIPE,
					 &one, (uint32_t)sizeof(one));
	return rc;
}

int kctl_socket_open(const struct kctl_backend *be, int type, int *fd)
{
	int s = -1;
	int rc;

	rc = be->ops->socket(be->ctx, KCTL_ABI_AF_SYSTEM, type, KCTL_ABI_SYSPROTO_CONTROL, &s);
	if (rc < 0)
		return rc;
	rc = socket_configure(be, s);
	if (rc < 0) {
		(void)be->ops->close(be->ctx, s);
		return rc;
	}
	*fd = s;
	return 0;
}
