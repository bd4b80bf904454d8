/* lookup.c - name to id (CTLIOCGINFO) and the number of controls (CTLIOCGCOUNT). */
#include <errno.h>

#include "handle.h"

int kctl_lookup(const kctl_backend_t *be, const char *name, uint32_t *id)
{
	const struct kctl_backend *b = kctl_backend_resolve(be);
	struct kctl_abi_ctl_info info;
	int fd;
	int rc;

	rc = kctl_name_check(name);
	if (rc < 0)
		return rc;
	if (!id)
		return -EINVAL;
	rc = kctl_socket_open(b, KCTL_ABI_SOCK_DGRAM, &fd);
	if (rc < 0)
		return rc;
	kctl_ctl_info_fill(&info, name);
	rc = b->ops->ioctl(b->ctx, fd, KCTL_ABI_CTLIOCGINFO, &info);
	(void)b->ops->close(b->ctx, fd);
	if (rc == 0)
		*id = info.ctl_id;
	return rc;
}

int kctl_count(const kctl_backend_t *be, uint32_t *count)
{
	const struct kctl_backend *b = kctl_backend_resolve(be);
	int n = 0;
	int fd;
	int rc;

	if (!count)
		return -EINVAL;
	rc = kctl_socket_open(b, KCTL_ABI_SOCK_DGRAM, &fd);
	if (rc < 0)
		return rc;
	rc = b->ops->ioctl(b->ctx, fd, KCTL_ABI_CTLIOCGCOUNT, &n);
	(void)b->ops->close(b->ctx, fd);
	if (rc == 0 && n < 0)
		rc = -EPROTO; /* a kernel that counts below zero is not one we understand */
	if (rc == 0)
		*count = (uint32_t)n;
	return rc;
}
