/*
 * attr.c - typed payload attributes (TLV, 4-byte aligned), see include/kctl_frame.h.
 *
 * Freestanding like frame.c. Values are only 4-byte aligned, so every value is read and
 * written through memcpy; attribute headers (two u16) are always 4-byte aligned.
 */
#include "kctl_frame.h"
#include "frame_int.h"

_Static_assert(sizeof(struct kctl_attr) == KCTL_ATTR_HDR_LEN, "attribute header is 4 bytes");
_Static_assert(KCTL_FRAME_HDR_LEN % KCTL_ATTR_ALIGN == 0, "payload starts attribute-aligned");

static size_t align4(size_t n)
{
	return (n + (KCTL_ATTR_ALIGN - 1u)) & ~(size_t)(KCTL_ATTR_ALIGN - 1u);
}

static int aligned4(const void *p)
{
	return ((uintptr_t)p & (KCTL_ATTR_ALIGN - 1u)) == 0;
}

/* Zeroes the 0..3 bytes p[from..to): no call to memset for so few. */
static inline void zero_few(unsigned char *p, size_t from, size_t to)
{
	if (from < to)
		p[from] = 0;
	if (from + 1 < to)
		p[from + 1] = 0;
	if (from + 2 < to)
		p[from + 2] = 0;
}

/*
 * Appends one attribute; *at (may be NULL) gets its offset in the frame. Inline: each
 * typed put becomes its own copy with a constant length, so its value is a store, not a
 * call to memcpy.
 */
static inline int attr_put(void *frame, size_t cap, uint16_t type, const void *data,
			   size_t len, size_t *at)
{
	struct kctl_frame_hdr *h = kctl_frame_started(frame, cap);
	unsigned char *p = frame;
	struct kctl_attr ah;
	size_t start, end, end4;

	if (!h || len > KCTL_ATTR_PAYLOAD_MAX || (!data && len > 0))
		return -EINVAL;
	start = align4(h->len);
	end = start + KCTL_ATTR_HDR_LEN + len;
	end4 = align4(end);
	if (end4 > kctl_frame_room(cap))
		return -EMSGSIZE;
	zero_few(p, h->len, start);
	ah.len = (uint16_t)(KCTL_ATTR_HDR_LEN + len);
	ah.type = type;
	memcpy(p + start, &ah, sizeof(ah));
	if (len > 0)
		memcpy(p + start + KCTL_ATTR_HDR_LEN, data, len);
	zero_few(p, end, end4);
	h->len = (uint32_t)end4;
	if (at)
		*at = start;
	return 0;
}

int kctl_attr_put(void *frame, size_t cap, uint16_t type, const void *data, size_t len)
{
	return attr_put(frame, cap, type, data, len, NULL);
}

int kctl_attr_put_u8(void *frame, size_t cap, uint16_t type, uint8_t v)
{
	return attr_put(frame, cap, type, &v, sizeof(v), NULL);
}

int kctl_attr_put_u16(void *frame, size_t cap, uint16_t type, uint16_t v)
{
	return attr_put(frame, cap, type, &v, sizeof(v), NULL);
}

int kctl_attr_put_u32(void *frame, size_t cap, uint16_t type, uint32_t v)
{
	return attr_put(frame, cap, type, &v, sizeof(v), NULL);
}

int kctl_attr_put_u64(void *frame, size_t cap, uint16_t type, uint64_t v)
{
	return attr_put(frame, cap, type, &v, sizeof(v), NULL);
}

int kctl_attr_put_str(void *frame, size_t cap, uint16_t type, const char *str)
{
	size_t n = 0;

	if (!str)
		return -EINVAL;
	/* bounded strlen: never walk further than the longest string that could fit */
	while (str[n] != '\0') {
		if (++n >= KCTL_ATTR_PAYLOAD_MAX)
			return -EINVAL;
	}
	return attr_put(frame, cap, type, str, n + 1, NULL);
}

int kctl_attr_nest_start(void *frame, size_t cap, uint16_t type, size_t *nest)
{
	if (!nest)
		return -EINVAL;
	return attr_put(frame, cap, type, NULL, 0, nest);
}

/* The nest header at offset `nest` of a started frame, or NULL if that cannot be one. */
static struct kctl_frame_hdr *nest_hdr(void *frame, size_t cap, size_t nest)
{
	struct kctl_frame_hdr *h = kctl_frame_started(frame, cap);
	unsigned char *p = frame;
	struct kctl_attr ah;

	if (!h || nest < KCTL_FRAME_HDR_LEN || nest % KCTL_ATTR_ALIGN != 0 ||
	    nest > h->len || h->len - nest < KCTL_ATTR_HDR_LEN)
		return NULL;
	memcpy(&ah, p + nest, sizeof(ah));
	if (ah.len != KCTL_ATTR_HDR_LEN) /* an open nest still has an empty value */
		return NULL;
	return h;
}

int kctl_attr_nest_end(void *frame, size_t cap, size_t nest)
{
	struct kctl_frame_hdr *h = nest_hdr(frame, cap, nest);
	struct kctl_attr *a;
	size_t total;

	if (!h)
		return -EINVAL;
	total = h->len - nest;
	if (total > 65535u)
		return -EMSGSIZE;
	a = (struct kctl_attr *)(void *)((unsigned char *)frame + nest);
	a->len = (uint16_t)total;
	return 0;
}

int kctl_attr_nest_cancel(void *frame, size_t cap, size_t nest)
{
	struct kctl_frame_hdr *h = nest_hdr(frame, cap, nest);

	if (!h)
		return -EINVAL;
	h->len = (uint32_t)nest;
	return 0;
}

/* ---- reading ---- */

/* One step of the iteration, arguments known good: 1, 0 at the end, or an error. */
static inline int attr_step(const unsigned char *p, size_t len, size_t *off,
			    const struct kctl_attr **out)
{
	const struct kctl_attr *a;
	size_t rem, space;
	uint16_t alen;

	if (*off == len)
		return 0;
	rem = len - *off;
	if (rem < KCTL_ATTR_HDR_LEN)
		return -ENODATA;
	a = (const struct kctl_attr *)(const void *)(p + *off);
	alen = a->len;
	if (alen < KCTL_ATTR_HDR_LEN)
		return -EBADMSG;
	space = align4(alen);
	if (space > rem)
		return -ENODATA;
	if (space != alen) { /* 1..3 padding bytes, in the attribute's last word */
		uint32_t word, mask = 0;

		memcpy(&word, p + *off + space - KCTL_ATTR_ALIGN, sizeof(word));
		memcpy(&mask, kctl_frame_keep[alen & (KCTL_ATTR_ALIGN - 1u)], sizeof(mask));
		if (word & ~mask)
			return -EILSEQ;
	}
	*out = a;
	*off += space;
	return 1;
}

int kctl_attr_next(const void *region, size_t len, size_t *off,
		   const struct kctl_attr **out)
{
	if (!off || !out || (!region && len > 0) || !aligned4(region) || *off > len ||
	    *off % KCTL_ATTR_ALIGN != 0)
		return -EINVAL;
	return attr_step(region, len, off, out);
}

int kctl_attr_find(const void *region, size_t len, uint16_t type,
		   const struct kctl_attr **out)
{
	const struct kctl_attr *a, *found = NULL;
	size_t off = 0;
	int r;

	if (!out || (!region && len > 0) || !aligned4(region))
		return -EINVAL;
	while ((r = attr_step(region, len, &off, &a)) > 0)
		if (!found && a->type == type)
			found = a;
	if (r < 0)
		return r;
	if (!found)
		return -ENOENT;
	*out = found;
	return 0;
}

uint16_t kctl_attr_type(const struct kctl_attr *a)
{
	return a->type;
}

const void *kctl_attr_payload(const struct kctl_attr *a)
{
	return a + 1;
}

size_t kctl_attr_payload_len(const struct kctl_attr *a)
{
	return a->len >= KCTL_ATTR_HDR_LEN ? (size_t)a->len - KCTL_ATTR_HDR_LEN : 0;
}

/* Copies the value into v if it is exactly n bytes long. */
static int get_fixed(const struct kctl_attr *a, void *v, size_t n)
{
	if (!a || !v)
		return -EINVAL;
	if (kctl_attr_payload_len(a) != n)
		return -EBADMSG;
	memcpy(v, a + 1, n);
	return 0;
}

int kctl_attr_get_u8(const struct kctl_attr *a, uint8_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

int kctl_attr_get_u16(const struct kctl_attr *a, uint16_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

int kctl_attr_get_u32(const struct kctl_attr *a, uint32_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

int kctl_attr_get_u64(const struct kctl_attr *a, uint64_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

int kctl_attr_get_str(const struct kctl_attr *a, const char **v)
{
	const char *s;
	size_t n;

	if (!a || !v)
		return -EINVAL;
	n = kctl_attr_payload_len(a);
	s = (const char *)(a + 1);
	if (n == 0 || s[n - 1] != '\0')
		return -EBADMSG; /* empty, or not NUL-terminated */
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '\0')
			return -EBADMSG; /* a NUL inside would cut the string short */
	*v = s;
	return 0;
}
