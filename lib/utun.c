/*
 * utun.c - helpers for Apple's utun control: opening an interface by number or the
 * first free one, its name, the pending-packet limit, and packets with their 4-byte
 * header (the protocol family, network byte order, Darwin's numbering) added and
 * stripped through an iovec, so the packet itself is never copied.
 */
#include <errno.h>
#include <string.h>

#include "handle.h"

/* Most pieces a packet may come in: io.c gathers at most 64 iovecs, one is the header. */
#define UTUN_IOV_MAX 63

#define UTUN_OPEN_KNOWN (KCTL_OPEN_NONBLOCK | KCTL_OPEN_BIND_ONLY)

_Static_assert(KCTL_UTUN_AF_INET == KCTL_ABI_AF_INET, "AF_INET");
_Static_assert(KCTL_UTUN_AF_INET6 == KCTL_ABI_AF_INET6, "AF_INET6");
_Static_assert(KCTL_UTUN_HEADER_LEN == KCTL_ABI_UTUN_HEADER_LEN, "header");
_Static_assert(sizeof(KCTL_UTUN_CONTROL_NAME) == sizeof(KCTL_ABI_UTUN_CONTROL_NAME), "name");

static int utun_args_ok(uint32_t flags, kctl_t **out)
{
	return out && !(flags & ~(uint32_t)UTUN_OPEN_KNOWN);
}

int kctl_utun_open(const kctl_backend_t *be, uint32_t num, uint32_t flags, kctl_t **out)
{
	if (!utun_args_ok(flags, out) || (num != KCTL_UTUN_ANY && num > KCTL_UTUN_MAX))
		return -EINVAL;
	/* the control's unit is N + 1 for utunN; unit 0 lets utun pick the lowest free */
	return kctl_open_name(be, KCTL_UTUN_CONTROL_NAME, num == KCTL_UTUN_ANY ? 0 : num + 1,
			      flags, out);
}

int kctl_utun_open_range(const kctl_backend_t *be, uint32_t first, uint32_t last,
			 uint32_t flags, kctl_t **out)
{
	uint32_t id = 0;
	int rc;

	if (!utun_args_ok(flags, out) || first > last || last > KCTL_UTUN_MAX)
		return -EINVAL;
	rc = kctl_lookup(be, KCTL_UTUN_CONTROL_NAME, &id);
	if (rc < 0)
		return rc;
	rc = -EBUSY;
	for (uint32_t n = first; n <= last && rc == -EBUSY; n++)
		rc = kctl_open_id(be, id, n + 1, flags, out);
	return rc;
}

/* "utun" and 1..5 digits: what if_utun.c names its interfaces. */
static int ifname_ok(const char *name)
{
	size_t n = strlen(name);

	if (n < 5 || n > 9 || memcmp(name, "utun", 4) != 0)
		return 0;
	for (size_t i = 4; i < n; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return 1;
}

/* Records a failure libkctl decided about utun (error.h reasons). */
static int utun_refused(struct kctl *h, uint32_t call, int err, uint32_t reason, uint64_t arg)
{
	return kctl_errs_set(&h->errs, err, call, KCTL_ORIGIN_LIBRARY, reason, arg, 0);
}

int kctl_utun_ifname(kctl_t *h, char *buf, size_t cap)
{
	int rc = kctl_get_str(h, KCTL_ABI_UTUN_OPT_IFNAME, buf, cap);

	if (rc == 0 && !ifname_ok(buf))
		rc = utun_refused(h, KCTL_CALL_OPTION, -EBADMSG, KCTL_R_UTUN_IFNAME, 0);
	if (rc < 0 && buf && cap)
		buf[0] = '\0';
	return rc;
}

int kctl_utun_set_max_pending(kctl_t *h, uint32_t packets)
{
	if (!h)
		return -EINVAL;
	if (!packets)
		return utun_refused(h, KCTL_CALL_OPTION, -EINVAL, KCTL_R_ARG, 0);
	return kctl_set_u32(h, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, packets);
}

static int family_ok(uint32_t family)
{
	return family == KCTL_UTUN_AF_INET || family == KCTL_UTUN_AF_INET6;
}

static void be32_put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t be32_get(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int kctl_utun_writev(kctl_t *h, uint32_t family, const struct iovec *iov, int iovcnt)
{
	struct iovec v[UTUN_IOV_MAX + 1];
	unsigned char hdr[KCTL_UTUN_HEADER_LEN];
	struct kctl_error e;
	int rc;

	if (!h)
		return -EINVAL;
	if (!iov || iovcnt < 1 || iovcnt > UTUN_IOV_MAX)
		return utun_refused(h, KCTL_CALL_SEND, -EINVAL, KCTL_R_ARG, 0);
	for (int i = 0; i < iovcnt; i++)
		if (!iov[i].iov_base && iov[i].iov_len)
			return utun_refused(h, KCTL_CALL_SEND, -EINVAL, KCTL_R_ARG, 0);
	if (!family_ok(family))
		return utun_refused(h, KCTL_CALL_SEND, -EPFNOSUPPORT, KCTL_R_UTUN_FAMILY, family);
	be32_put(hdr, family);
	v[0].iov_base = hdr;
	v[0].iov_len = sizeof(hdr);
	memcpy(v + 1, iov, (size_t)iovcnt * sizeof(*iov));
	rc = kctl_io_sendv(h, v, iovcnt + 1, NULL, &e);
	return rc < 0 ? kctl_errs_put(&h->errs, &e) : 0;
}

int kctl_utun_write(kctl_t *h, uint32_t family, const void *pkt, size_t len)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)pkt, .iov_len = len };

	if (!h)
		return -EINVAL;
	if (!pkt && len)
		return utun_refused(h, KCTL_CALL_SEND, -EINVAL, KCTL_R_ARG, 0);
	return kctl_utun_writev(h, family, &iov, 1);
}

int kctl_utun_read(kctl_t *h, void *buf, size_t cap, size_t *len, uint32_t *family)
{
	unsigned char hdr[KCTL_UTUN_HEADER_LEN];
	struct iovec iov[2] = { { .iov_base = hdr, .iov_len = sizeof(hdr) },
				{ .iov_base = buf, .iov_len = cap } };
	const uint32_t R = KCTL_CALL_RECV;
	uint32_t fl = 0, fam;
	struct kctl_error e;
	size_t got = 0;
	int rc;

	if (!h)
		return -EINVAL;
	if (!len || (!buf && cap))
		return utun_refused(h, R, -EINVAL, KCTL_R_ARG, 0);
	rc = kctl_io_recvv(h, iov, cap ? 2 : 1, &got, &fl, &e);
	if (rc < 0)
		return kctl_errs_put(&h->errs, &e);
	if (got == 0) /* a utun record is never empty: this is end of file */
		return kctl_errs_set(&h->errs, -EPIPE, R, KCTL_ORIGIN_KERNEL, KCTL_R_DEAD, 0, 0);
	if (got < sizeof(hdr))
		return utun_refused(h, R, -EBADMSG, KCTL_R_UTUN_SHORT, got);
	fam = be32_get(hdr);
	*len = got - sizeof(hdr);
	if (family)
		*family = fam;
	if (!family_ok(fam))
		return utun_refused(h, R, -EPFNOSUPPORT, KCTL_R_UTUN_FAMILY_IN, fam);
	return (fl & KCTL_RECV_TRUNC) ? utun_refused(h, R, -EMSGSIZE, KCTL_R_UTUN_TRUNC, cap) : 0;
}
