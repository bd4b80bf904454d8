/*
 * sample_kv.c - a small key/value store per unit, bounded in every dimension
 * (SAMPLE_KV_ENTRIES keys of at most SAMPLE_KV_KEY_MAX bytes, values of at most
 * SAMPLE_KV_VALUE_MAX bytes), so a client cannot make the kernel allocate.
 *
 * Errors answered: EINVAL (no KEY, or a key that is empty, too long or not a string;
 * SET without VALUE), EMSGSIZE (value too long), ENOSPC (store full), ENOENT (no such
 * key), and the codec's errno for a malformed attribute region.
 */
#include <string.h>

#include <sys/errno.h>

#include "sample.h"

/* The request's KEY: a NUL-terminated string of 1..SAMPLE_KV_KEY_MAX bytes. */
static errno_t get_key(const struct kctl_frame_hdr *f, const char **key, size_t *klen)
{
	const struct kctl_attr *a;
	int r = kctl_attr_find(kctl_frame_payload(f), kctl_frame_payload_len(f),
			       SAMPLE_ATTR_KEY, &a);

	if (r == 0)
		r = kctl_attr_get_str(a, key);
	/* a malformed attribute region keeps the codec's errno; anything else is EINVAL */
	if (r == -ENODATA || r == -EILSEQ)
		return r == -ENODATA ? ENODATA : EILSEQ;
	if (r != 0 || *key == NULL)
		return EINVAL;
	/* get_str checked the NUL lies inside the attribute, so strlen stays inside too */
	*klen = strlen(*key);
	return *klen >= 1 && *klen <= SAMPLE_KV_KEY_MAX ? 0 : EINVAL;
}

static struct sample_kv_entry *find(struct sample_unit *u, const char *key, size_t klen)
{
	for (size_t i = 0; i < SAMPLE_KV_ENTRIES; i++)
		if (u->kv[i].klen == klen && memcmp(u->kv[i].key, key, klen) == 0)
			return &u->kv[i];
	return NULL;
}

static struct sample_kv_entry *find_free(struct sample_unit *u)
{
	for (size_t i = 0; i < SAMPLE_KV_ENTRIES; i++)
		if (u->kv[i].klen == 0)
			return &u->kv[i];
	return NULL;
}

static errno_t kv_set(struct sample_unit *u, const struct kctl_frame_hdr *f,
		      const char *key, size_t klen)
{
	const struct kctl_attr *a;
	struct sample_kv_entry *e;
	size_t vlen;
	int r = kctl_attr_find(kctl_frame_payload(f), kctl_frame_payload_len(f),
			       SAMPLE_ATTR_VALUE, &a);

	if (r != 0)
		return r == -ENOENT ? EINVAL : (errno_t)-r;
	vlen = kctl_attr_payload_len(a);
	if (vlen > SAMPLE_KV_VALUE_MAX)
		return EMSGSIZE;
	e = find(u, key, klen);
	if (e == NULL)
		e = find_free(u);
	if (e == NULL)
		return ENOSPC;
	memset(e, 0, sizeof(*e));
	memcpy(e->key, key, klen);
	e->klen = (uint32_t)klen;
	memcpy(e->value, kctl_attr_payload(a), vlen);
	e->vlen = (uint32_t)vlen;
	return 0;
}

static errno_t kv_reply(struct sample_unit *u, const struct kctl_frame_hdr *f,
			const struct sample_kv_entry *value)
{
	errno_t err = sample_reply_start(u, f);

	if (err == 0 && value != NULL)
		err = (errno_t)-kctl_attr_put(u->tx, SAMPLE_TX_CAP, SAMPLE_ATTR_VALUE,
					      value->value, value->vlen);
	if (err == 0)
		sample_reply_send(u);
	return err;
}

errno_t sample_kv_request(struct sample_unit *u, const struct kctl_frame_hdr *f)
{
	struct sample_kv_entry *e;
	const char *key = NULL;
	size_t klen = 0;
	errno_t err = get_key(f, &key, &klen);

	if (err != 0)
		return err;
	if (f->type == SAMPLE_MSG_KV_SET) {
		err = kv_set(u, f, key, klen);
		return err != 0 ? err : kv_reply(u, f, NULL);
	}
	e = find(u, key, klen);
	if (e == NULL)
		return ENOENT;
	if (f->type == SAMPLE_MSG_KV_GET)
		return kv_reply(u, f, e);
	memset(e, 0, sizeof(*e));
	return kv_reply(u, f, NULL);
}
