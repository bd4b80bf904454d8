/*
 * error.c - errno names without context, and the failure records of a handle.
 *
 * kctl_strerror() says only what happened ("EINVAL (Invalid argument)"): an errno alone
 * does not tell whether libkctl, the kernel or the control produced it, and a guess
 * would mislead (a kext's "burst must be 1..256" is not a name rule). The causes come
 * from records (explain.c), filled where the errno is produced.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "error.h"

const char *kctl_strerror(int err)
{
	const struct kctl_errno_entry *e;

	if (err == 0)
		return "success";
	e = kctl_errno_find(err);
	return e ? e->text : "unknown error (not an errno of this system)";
}

const char *kctl_errno_name(int err)
{
	const struct kctl_errno_entry *e = err ? kctl_errno_find(err) : NULL;

	return e ? e->name : NULL;
}

int kctl_err_fill(struct kctl_error *e, int err, uint32_t call, uint32_t origin,
		  uint32_t reason, uint64_t arg, uint64_t limit)
{
	if (e)
		*e = (struct kctl_error){ .err = err, .call = call, .origin = origin,
					  .reason = reason, .arg = arg, .limit = limit };
	return err;
}

int kctl_errs_init(struct kctl_errs *r)
{
	memset(r, 0, sizeof(*r));
	return pthread_mutex_init(&r->lock, NULL) == 0 ? 0 : -ENOMEM;
}

void kctl_errs_destroy(struct kctl_errs *r)
{
	pthread_mutex_destroy(&r->lock);
}

int kctl_errs_put(struct kctl_errs *r, const struct kctl_error *e)
{
	if (e->err >= 0 || e->err == -EAGAIN || e->call >= KCTL_CALL_KINDS)
		return e->err;
	pthread_mutex_lock(&r->lock);
	r->rec[e->call] = *e;
	pthread_mutex_unlock(&r->lock);
	return e->err;
}

int kctl_errs_set(struct kctl_errs *r, int err, uint32_t call, uint32_t origin,
		  uint32_t reason, uint64_t arg, uint64_t limit)
{
	struct kctl_error e;

	kctl_err_fill(&e, err, call, origin, reason, arg, limit);
	return kctl_errs_put(r, &e);
}
