/*
 * list.c - every registered control, from the kernel's registration list
 * (sysctl net.systm.kctl.reg_list; the layout is in kctl_abi.h).
 *
 * One read: ask the size, allocate it plus what the kernel's estimate leaves out (its
 * (n + n/8) records count neither of the two headers, so below 8 controls it is short),
 * read, then check the whole answer before decoding any of it. The kernel fills the
 * answer under its own lock, so the two generations differ only if it was changed in
 * between by a kernel that does not hold it (or a future one); a buffer that turned out
 * too small means the list grew between the two calls. Both are read again, a bounded
 * number of times. The buffer is freed before the caller sees anything.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"

/* Reads of a list that keeps changing before giving up with -EAGAIN. */
#define LIST_TRIES 8

#define ROUNDUP64(x) (((x) + 7u) & ~(uint64_t)7u)

/* The largest size query any kernel answers: its estimate for a full reference table. */
#define LIST_MAX_QUERY ((uint64_t)(KCTL_LIST_MAX + KCTL_LIST_MAX / 8) * KCTL_ABI_XKCTL_REG_LEN)

/* What the estimate leaves out: both headers, and room for one control more. */
#define LIST_SLACK (2u * KCTL_ABI_XSYSTMGEN_LEN + KCTL_ABI_XKCTL_REG_LEN)

_Static_assert(sizeof(struct kctl_abi_xsystmgen) == KCTL_ABI_XSYSTMGEN_LEN, "xsystmgen");
_Static_assert(sizeof(struct kctl_abi_xkctl_reg) == KCTL_ABI_XKCTL_REG_LEN, "xkctl_reg");
_Static_assert(offsetof(struct kctl_abi_xkctl_reg, xkr_name) == 104, "xkr_name");
_Static_assert(sizeof(((struct kctl_ctl_desc *)0)->name) == KCTL_ABI_MAX_NAME, "name");

/* A checked answer: its bytes and how many controls it holds. */
struct list_answer {
	unsigned char *buf;
	size_t len;
	uint32_t count;
};

static int gen_read(const unsigned char *p, struct kctl_abi_xsystmgen *g)
{
	memcpy(g, p, sizeof(*g));
	return g->xg_len == KCTL_ABI_XSYSTMGEN_LEN ? 0 : -EBADMSG;
}

/*
 * The record at p, with `room` bytes before the trailer: a length that covers every
 * field we read (a later kernel may append fields), padded to 8 within the room, the
 * right kind, a name of 1..95 bytes. *step gets the padded length.
 */
static int reg_check(const unsigned char *p, size_t room, size_t *step)
{
	struct kctl_abi_xkctl_reg r;
	uint64_t padded;

	if (room < sizeof(r))
		return -EBADMSG;
	memcpy(&r, p, sizeof(r));
	padded = ROUNDUP64((uint64_t)r.xkr_len);
	if (r.xkr_len < sizeof(r) || padded > room)
		return -EBADMSG;
	if (r.xkr_kind != KCTL_ABI_XSO_KCREG)
		return -EBADMSG;
	if (kctl_name_check(r.xkr_name) != 0)
		return -EBADMSG;
	*step = (size_t)padded;
	return 0;
}

/* The whole answer: header, exactly its count of records, trailer, nothing after. */
static int answer_check(const unsigned char *buf, size_t len, uint32_t *count)
{
	struct kctl_abi_xsystmgen head, tail;
	size_t off = sizeof(head);
	int rc;

	if (len < sizeof(head))
		return -EBADMSG;
	rc = gen_read(buf, &head);
	if (rc < 0)
		return rc;
	if (head.xg_count > KCTL_LIST_MAX)
		return -EPROTO;
	if (head.xg_count == 0 && len == off) {
		*count = 0; /* no control: the kernel sends the header alone */
		return 0;
	}
	for (uint64_t i = 0; i < head.xg_count; i++) {
		size_t step = 0;

		if (len - off < sizeof(tail))
			return -EBADMSG;
		rc = reg_check(buf + off, len - off - sizeof(tail), &step);
		if (rc < 0)
			return rc;
		off += step;
	}
	if (len - off != sizeof(tail))
		return -EBADMSG;
	rc = gen_read(buf + off, &tail);
	if (rc < 0)
		return rc;
	if (tail.xg_gen != head.xg_gen)
		return -EAGAIN; /* changed while it was read */
	if (tail.xg_count != head.xg_count)
		return -EBADMSG;
	*count = (uint32_t)head.xg_count;
	return 0;
}

/* One attempt. A kernel ENOMEM (the list grew since the size query) becomes -EAGAIN. */
static int list_read_once(const struct kctl_backend *b, struct list_answer *a)
{
	size_t size = 0, cap;
	int rc;

	rc = b->ops->sysctl(b->ctx, KCTL_ABI_SYSCTL_REG_LIST, NULL, &size, NULL, 0);
	if (rc < 0)
		return rc;
	if (size > LIST_MAX_QUERY)
		return -EPROTO;
	cap = size + LIST_SLACK;
	a->buf = malloc(cap);
	if (!a->buf)
		return -ENOMEM;
	a->len = cap;
	rc = b->ops->sysctl(b->ctx, KCTL_ABI_SYSCTL_REG_LIST, a->buf, &a->len, NULL, 0);
	if (rc == -ENOMEM)
		rc = -EAGAIN;
	else if (rc == 0 && a->len > cap)
		rc = -EPROTO; /* claims to have written past the buffer */
	if (rc == 0)
		rc = answer_check(a->buf, a->len, &a->count);
	if (rc < 0) {
		free(a->buf);
		a->buf = NULL;
	}
	return rc;
}

static int list_read(const kctl_backend_t *be, struct list_answer *a)
{
	const struct kctl_backend *b = kctl_backend_resolve(be);
	int rc = -EAGAIN;

	if (!b->ops->sysctl)
		return -ENOTSUP;
	for (int i = 0; i < LIST_TRIES && rc == -EAGAIN; i++)
		rc = list_read_once(b, a);
	return rc;
}

/* Decodes a checked record; returns its padded length. */
static size_t reg_decode(const unsigned char *p, struct kctl_ctl_desc *d)
{
	struct kctl_abi_xkctl_reg r;

	memcpy(&r, p, sizeof(r));
	memset(d, 0, sizeof(*d));
	d->id = r.xkr_id;
	d->flags = r.xkr_flags;
	d->reg_unit = r.xkr_reg_unit;
	d->units_in_use = r.xkr_pcbcount;
	d->sendsize = r.xkr_sendbufsize;
	d->recvsize = r.xkr_recvbufsize;
	/* up to the NUL only: whatever a kernel left after it stays out */
	memcpy(d->name, r.xkr_name, strnlen(r.xkr_name, sizeof(r.xkr_name)));
	return (size_t)ROUNDUP64((uint64_t)r.xkr_len);
}

int kctl_list(const kctl_backend_t *be, struct kctl_ctl_desc *out, uint32_t cap,
	      uint32_t *count)
{
	struct list_answer a;
	size_t off = KCTL_ABI_XSYSTMGEN_LEN;
	int rc;

	if (!count || (!out && cap))
		return -EINVAL;
	rc = list_read(be, &a);
	if (rc < 0)
		return rc;
	if (out && a.count > cap)
		rc = -ENOSPC;
	for (uint32_t i = 0; rc == 0 && out && i < a.count; i++)
		off += reg_decode(a.buf + off, &out[i]);
	free(a.buf);
	*count = a.count;
	return rc;
}

int kctl_list_each(const kctl_backend_t *be, kctl_list_fn fn, void *arg)
{
	struct list_answer a;
	struct kctl_ctl_desc d;
	size_t off = KCTL_ABI_XSYSTMGEN_LEN;
	int rc;

	if (!fn)
		return -EINVAL;
	rc = list_read(be, &a);
	if (rc < 0)
		return rc;
	for (uint32_t i = 0; rc == 0 && i < a.count; i++) {
		off += reg_decode(a.buf + off, &d);
		rc = fn(&d, arg);
	}
	free(a.buf);
	return rc;
}
