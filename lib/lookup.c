/* lookup.c - name to id (CTLIOCGINFO) and the number of controls (CTLIOCGCOUNT). */
#include <errno.h>

#include "handle.h"

int kctl_lookup_ex(const kctl_backend_t *be, const char *name, uint32_t *id,
		   struct kctl_error *why)
{
	const struct kctl_backend *b = kctl_backend_resolve(be);
	const uint32_t O = KCTL_CALL_OPEN;
	struct kctl_abi_ctl_info info;
	uint32_t bad = kctl_name_reason(name);
	int fd;
	int rc;

	kctl_err_fill(why, 0, O, KCTL_ORIGIN_NONE, KCTL_R_NONE, 0, 0);
	if (bad)
		return kctl_err_fill(why, -EINVAL, O, KCTL_ORIGIN_LIBRARY, bad, 0, 0);
	if (!id)
		return kctl_err_fill(why, -EINVAL, O, KCTL_ORIGIN_LIBRARY, KCTL_R_ARG, 0, 0);
	rc = kctl_socket_open(b, KCTL_ABI_SOCK_DGRAM, &fd);
	if (rc < 0)
		return kctl_err_fill(why, rc, O, KCTL_ORIGIN_KERNEL, KCTL_R_SOCKET, 0, 0);
	kctl_ctl_info_fill(&info, name);
	rc = b->ops->ioctl(b->ctx, fd, KCTL_ABI_CTLIOCGINFO, &info);
	(void)b->ops->close(b->ctx, fd);
	if (rc == 0)
		*id = info.ctl_id;
	else
		kctl_err_fill(why, rc, O, KCTL_ORIGIN_KERNEL,
			      rc == -ENOENT ? KCTL_R_NO_NAME : KCTL_R_KERNEL, 0, 0);
	return rc;
}

int kctl_lookup(const kctl_backend_t *be, const char *name, uint32_t *id)
{
	return kctl_lookup_ex(be, name, id, NULL);
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
