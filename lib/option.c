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

#define OPT KCTL_CALL_OPTION

static int opt_refused(struct kctl *h, uint32_t reason, int err, uint64_t arg, uint64_t limit)
{
	return kctl_errs_set(&h->errs, err, OPT, KCTL_ORIGIN_LIBRARY, reason, arg, limit);
}

/*
 * Who answered a get/setsockopt at level 2: the kernel itself refuses only a socket
 * that is not attached to the control (EINVAL: a failed connect) or a control without
 * the callback (ENOTSUP, which a callback may also answer); everything else is the
 * control's callback speaking.
 */
static int opt_answered(struct kctl *h, int rc, int set, uint32_t opt, size_t len)
{
	uint32_t origin = KCTL_ORIGIN_CONTROL;
	uint32_t reason = set ? KCTL_R_CB_SETOPT : KCTL_R_CB_GETOPT;

	if (rc == -EINVAL && h->state == KCTL_STATE_FAILED) {
		origin = KCTL_ORIGIN_KERNEL;
		reason = KCTL_R_DEAD;
	} else if (rc == -ENOTSUP || rc == -ENOMEM) {
		origin = KCTL_ORIGIN_KERNEL_OR_CONTROL;
	}
	return kctl_errs_set(&h->errs, rc, OPT, origin, reason, opt, len);
}

int kctl_setopt(kctl_t *h, uint32_t opt, const void *val, size_t len)
{
	int rc;

	if (!h)
		return -EINVAL;
	if (!val && len)
		return opt_refused(h, KCTL_R_ARG, -EINVAL, 0, 0);
	if (len > KCTL_OPT_MAX)
		return opt_refused(h, KCTL_R_OPT_SIZE, -EMSGSIZE, len, KCTL_OPT_MAX);
	rc = h->be->ops->setsockopt(h->be->ctx, h->fd, KCTL_ABI_SYSPROTO_CONTROL, (int)opt,
				    len ? val : NULL, (uint32_t)len);
	return rc < 0 ? opt_answered(h, rc, 1, opt, len) : 0;
}

int kctl_getopt(kctl_t *h, uint32_t opt, void *buf, size_t cap, size_t *len)
{
	uint32_t l = (uint32_t)(cap > KCTL_OPT_MAX ? KCTL_OPT_MAX : cap);
	int rc;

	if (!h)
		return -EINVAL;
	if (!len || (!buf && cap))
		return opt_refused(h, KCTL_R_ARG, -EINVAL, 0, 0);
	rc = h->be->ops->getsockopt(h->be->ctx, h->fd, KCTL_ABI_SYSPROTO_CONTROL, (int)opt,
				    buf, &l);
	if (rc < 0)
		return opt_answered(h, rc, 0, opt, buf ? cap : 0);
	if (buf && l > cap)
		return opt_refused(h, KCTL_R_OPT_OVERFLOW, -EOVERFLOW, l, cap);
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

	if (!h)
		return -EINVAL;
	if (!out)
		return opt_refused(h, KCTL_R_ARG, -EINVAL, 0, 0);
	rc = kctl_getopt(h, opt, tmp, want, &got);
	if (rc < 0)
		return rc;
	if (got != want)
		return opt_refused(h, KCTL_R_OPT_LENGTH, -EBADMSG, got, want);
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
	if (!h)
		return -EINVAL;
	if (!value)
		return opt_refused(h, KCTL_R_ARG, -EINVAL, 0, 0);
	return kctl_setopt(h, opt, value, strlen(value) + 1);
}

/* A string answer of len bytes: text, then optionally NULs only. */
static int str_validate(struct kctl *h, char *buf, size_t cap, size_t len)
{
	const char *nul = memchr(buf, '\0', len);

	if (!nul) {
		if (len >= cap) /* no room left for the terminator */
			return opt_refused(h, KCTL_R_OPT_STR_FIT, -EMSGSIZE, len, cap);
		buf[len] = '\0';
		return 0;
	}
	for (const char *p = nul; p < buf + len; p++)
		if (*p != '\0')
			return opt_refused(h, KCTL_R_OPT_STR_NUL, -EBADMSG, len, 0);
	return 0;
}

int kctl_get_str(kctl_t *h, uint32_t opt, char *buf, size_t cap)
{
	size_t len = 0;
	int rc;

	if (!h)
		return -EINVAL;
	if (!buf || cap == 0)
		return opt_refused(h, KCTL_R_ARG, -EINVAL, 0, 0);
	memset(buf, 0, cap);
	rc = kctl_getopt(h, opt, buf, cap, &len);
	if (rc == 0)
		rc = str_validate(h, buf, cap, len);
	if (rc < 0)
		buf[0] = '\0';
	return rc;
}
