/*
 * option.c - get/setsockopt at level SYSPROTO_CONTROL, raw and typed.
 *
 * Every answer's length is checked against what was asked for: a control (or a hostile
 * kernel) that reports a short or oversized value gets an error, never a read or write
 * past the caller's buffer.
 */
#include <errno.h>
#include <string.h>

#include "handle.h"

int kctl_setopt(kctl_t *h, uint32_t opt, const void *val, size_t len)
{
	if (!h || (!val && len))
		return -EINVAL;
	if (len > KCTL_OPT_MAX)
		return -EMSGSIZE;
	return h->be->ops->setsockopt(h->be->ctx, h->fd, KCTL_ABI_SYSPROTO_CONTROL, (int)opt,
				      len ? val : NULL, (uint32_t)len);
}

int kctl_getopt(kctl_t *h, uint32_t opt, void *buf, size_t cap, size_t *len)
{
	uint32_t l = (uint32_t)(cap > KCTL_OPT_MAX ? KCTL_OPT_MAX : cap);
	int rc;

	if (!h || !len || (!buf && cap))
		return -EINVAL;
	rc = h->be->ops->getsockopt(h->be->ctx, h->fd, KCTL_ABI_SYSPROTO_CONTROL, (int)opt,
				    buf, &l);
	if (rc < 0)
		return rc;
	if (buf && l > cap)
		return -EOVERFLOW;
	*len = l;
	return 0;
}

int kctl_getopt_size(kctl_t *h, uint32_t opt, size_t *size)
{
	return kctl_getopt(h, opt, NULL, 0, size);
}

int kctl_set_u32(kctl_t *h, uint32_t opt, uint32_t value)
{
	return kctl_setopt(h, opt, &value, sizeof(value));
}

int kctl_set_u64(kctl_t *h, uint32_t opt, uint64_t value)
{
	return kctl_setopt(h, opt, &value, sizeof(value));
}

/* Gets exactly `want` bytes into out, or -EBADMSG with out untouched. */
static int getopt_exact(kctl_t *h, uint32_t opt, void *out, size_t want)
{
	unsigned char tmp[8] = { 0 };
	size_t got = 0;
	int rc;

	if (!out)
		return -EINVAL;
	rc = kctl_getopt(h, opt, tmp, want, &got);
	if (rc < 0)
		return rc;
	if (got != want)
		return -EBADMSG;
	memcpy(out, tmp, want);
	return 0;
}

int kctl_get_u32(kctl_t *h, uint32_t opt, uint32_t *value)
{
	return getopt_exact(h, opt, value, sizeof(*value));
}

int kctl_get_u64(kctl_t *h, uint32_t opt, uint64_t *value)
{
	return getopt_exact(h, opt, value, sizeof(*value));
}

int kctl_set_str(kctl_t *h, uint32_t opt, const char *value)
{
	if (!value)
		return -EINVAL;
	return kctl_setopt(h, opt, value, strlen(value) + 1);
}

/* A string answer of len bytes: text, then optionally NULs only. */
static int str_validate(char *buf, size_t cap, size_t len)
{
	const char *nul = memchr(buf, '\0', len);

	if (!nul) {
		if (len >= cap)
			return -EMSGSIZE; /* no room left for the terminator */
		buf[len] = '\0';
		return 0;
	}
	for (const char *p = nul; p < buf + len; p++)
		if (*p != '\0')
			return -EBADMSG;
	return 0;
}

int kctl_get_str(kctl_t *h, uint32_t opt, char *buf, size_t cap)
{
	size_t len = 0;
	int rc;

	if (!buf || cap == 0)
		return -EINVAL;
	memset(buf, 0, cap);
	rc = kctl_getopt(h, opt, buf, cap, &len);
	if (rc == 0)
		rc = str_validate(buf, cap, len);
	if (rc < 0)
		buf[0] = '\0';
	return rc;
}
