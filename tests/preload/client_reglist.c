/*
 * client_reglist.c - reading the kernel's registration list as netstat does on a Mac:
 * sysctlbyname("net.systm.kctl.reg_list") with a size query, a buffer grown on ENOMEM,
 * then the xsystmgen / xkctl_reg records (Darwin's private structs, -DPRIVATE as on a
 * Mac). Under `kctl-sim run --kext Sample.so` the kernel is "like a Mac": Apple's utun
 * is registered before the sample's two controls.
 */
#define PRIVATE 1
#include <stdlib.h>
#include <sys/sysctl.h>

#include <net/if_utun.h>

#include "check.h"
#include "sample_proto.h"

#define REG_LIST "net.systm.kctl.reg_list"

/* The whole list in a malloc'ed buffer (*len bytes), growing it on ENOMEM. */
static unsigned char *read_list(size_t *len)
{
	size_t want = 0;
	unsigned char *buf = NULL;

	if (sysctlbyname(REG_LIST, NULL, &want, NULL, 0) != 0)
		return NULL;
	for (int i = 0; i < 8; i++) {
		size_t got = want;
		unsigned char *b = realloc(buf, want);

		if (b == NULL)
			break;
		buf = b;
		if (sysctlbyname(REG_LIST, buf, &got, NULL, 0) == 0) {
			*len = got;
			return buf;
		}
		if (errno != ENOMEM)
			break;
		want *= 2;
	}
	free(buf);
	return NULL;
}

/* The record of the control `name`, or NULL. */
static const struct xkctl_reg *find(const unsigned char *buf, size_t len, const char *name,
				    int *count)
{
	const struct xsystmgen *head = (const void *)buf;
	const struct xkctl_reg *found = NULL;
	size_t off = head->xg_len;

	*count = 0;
	while (off + sizeof(struct xsystmgen) < len) {
		const struct xkctl_reg *r = (const void *)(buf + off);

		if (r->xkr_len != sizeof(*r))
			break;
		(*count)++;
		if (strcmp(r->xkr_name, name) == 0)
			found = r;
		off += (r->xkr_len + 7u) & ~7u;
	}
	return found;
}

int main(void)
{
	const struct xkctl_reg *utun, *sample;
	const struct xsystmgen *head, *tail;
	unsigned char *buf;
	size_t len = 0, size = 0;
	int count = 0, fd;

	fd = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	CHECK(fd >= 0, "open the sample: %s", strerror(-fd));
	CHECK(sysctlbyname(REG_LIST, NULL, &size, NULL, 0) == 0 && size == 3 * 200,
	      "size query: %zu, want (n + n/8) * 200 = 600", size);
	buf = read_list(&len);
	CHECK(buf != NULL, "sysctlbyname: %s", strerror(errno));
	if (buf == NULL)
		return checks_done("client_reglist");
	head = (const void *)buf;
	tail = (const void *)(buf + len - sizeof(*tail));
	CHECK(head->xg_len == sizeof(*head) && head->xg_count == 3, "header: len %u count %llu",
	      head->xg_len, (unsigned long long)head->xg_count);
	CHECK(len == 2 * sizeof(*head) + 3 * sizeof(struct xkctl_reg) &&
	      tail->xg_gen == head->xg_gen, "%zu bytes, generations %llu/%llu", len,
	      (unsigned long long)head->xg_gen, (unsigned long long)tail->xg_gen);
	utun = find(buf, len, UTUN_CONTROL_NAME, &count);
	sample = find(buf, len, SAMPLE_CTL_NAME, &count);
	CHECK(count == 3, "%d records", count);
	CHECK(utun != NULL && (utun->xkr_flags & 0x1) && utun->xkr_sendbufsize == 512 * 1024 &&
	      utun->xkr_pcbcount == 0, "utun: privileged, 512 KiB, no client");
	CHECK(sample != NULL && sample->xkr_pcbcount == 1 && sample->xkr_recvbufsize == 8192 &&
	      sample->xkr_sendbufsize == SAMPLE_MAX_FRAME, "the sample: one client, its sizes");
	CHECK_ERRNO(sysctlbyname(REG_LIST, NULL, NULL, buf, 8), EPERM);
	CHECK_ERRNO(sysctlbyname("net.systm.kctl.nonesuch", buf, &len, NULL, 0), ENOENT);
	free(buf);
	close(fd);
	return checks_done("client_reglist");
}
