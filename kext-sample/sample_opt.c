/*
 * sample_opt.c - socket options (see sample_proto.h). The kernel hands setopt a copy of
 * the client's bytes (NULL when len is 0) and getopt a buffer of the client's size
 * (NULL for a size query); every length is checked against the option's before any
 * byte is read or written.
 */
#include <string.h>

#include <sys/errno.h>
#include <sys/kern_control.h>

#include "sample.h"

/* Copies a fixed-size value out, or answers its size to a size query. */
static errno_t put_fixed(void *data, size_t *len, const void *v, size_t size)
{
	if (data != NULL) {
		if (*len < size)
			return EMSGSIZE;
		memcpy(data, v, size);
	}
	*len = size;
	return 0;
}

/* 1..SAMPLE_LABEL_MAX bytes, no NUL inside; one trailing NUL is allowed. */
static errno_t set_label(struct sample_unit *u, const char *s, size_t len)
{
	if (len > 0 && s[len - 1] == '\0')
		len--;
	if (len == 0 || strnlen(s, len) != len) /* the kernel has no memchr */
		return EINVAL;
	if (len > SAMPLE_LABEL_MAX)
		return EMSGSIZE;
	memcpy(u->label, s, len);
	u->label[len] = '\0';
	return 0;
}

static errno_t set_burst(struct sample_unit *u, const void *data, size_t len)
{
	uint32_t v;

	if (len != sizeof(v))
		return EINVAL;
	memcpy(&v, data, sizeof(v));
	if (v < 1 || v > SAMPLE_BURST_MAX)
		return EINVAL;
	lck_mtx_lock(sample_g.lock);
	u->burst = v;
	lck_mtx_unlock(sample_g.lock);
	return 0;
}

errno_t sample_setopt(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int opt,
		      void *data, size_t len)
{
	struct sample_unit *u = unitinfo;
	errno_t err = 0;

	(void)ref;
	(void)unit;
	if (opt == SAMPLE_OPT_BURST) /* event state: the global lock only */
		return set_burst(u, data, len);
	lck_mtx_lock(u->lock);
	switch (opt) {
	case SAMPLE_OPT_COUNTER:
		if (len != sizeof(u->counter))
			err = EINVAL;
		else
			memcpy(&u->counter, data, sizeof(u->counter));
		break;
	case SAMPLE_OPT_LABEL:
		err = len > 0 ? set_label(u, data, len) : EINVAL;
		break;
	case SAMPLE_OPT_STATS:
		err = EINVAL; /* read-only */
		break;
	default:
		err = ENOPROTOOPT;
		break;
	}
	lck_mtx_unlock(u->lock);
	return err;
}

static void get_stats(struct sample_unit *u, struct sample_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->requests = u->requests;
	st->errors = u->errors;
	st->replies_dropped = u->replies_dropped;
	lck_mtx_lock(sample_g.lock);
	st->events_sent = u->events_sent;
	st->events_dropped = u->events_dropped;
	lck_mtx_unlock(sample_g.lock);
}

static errno_t get_locked(struct sample_unit *u, int opt, void *data, size_t *len)
{
	struct sample_stats st;
	uint32_t burst;

	switch (opt) {
	case SAMPLE_OPT_COUNTER:
		return put_fixed(data, len, &u->counter, sizeof(u->counter));
	case SAMPLE_OPT_BURST:
		lck_mtx_lock(sample_g.lock);
		burst = u->burst;
		lck_mtx_unlock(sample_g.lock);
		return put_fixed(data, len, &burst, sizeof(burst));
	case SAMPLE_OPT_LABEL: /* variable size: strlen + 1, the size query answers it */
		return put_fixed(data, len, u->label, strlen(u->label) + 1);
	case SAMPLE_OPT_STATS:
		get_stats(u, &st);
		return put_fixed(data, len, &st, sizeof(st));
	default:
		return ENOPROTOOPT;
	}
}

errno_t sample_getopt(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int opt,
		      void *data, size_t *len)
{
	struct sample_unit *u = unitinfo;
	errno_t err;

	(void)ref;
	(void)unit;
	lck_mtx_lock(u->lock);
	err = get_locked(u, opt, data, len);
	lck_mtx_unlock(u->lock);
	return err;
}
