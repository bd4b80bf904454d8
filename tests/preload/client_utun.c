/*
 * client_utun.c - a utun client written as VPN clients on a Mac write it: walk the unit
 * numbers skipping EBUSY (stopping at any other error: EPERM is not "busy"), read the
 * interface name with UTUN_OPT_IFNAME, move packets with write/read (and writev/readv)
 * and the 4-byte protocol family header. Run under net_peer (which reflects every
 * packet back into its interface) and `kctl-sim run --euid 0`; `--as-user` checks what
 * a non-root client gets instead.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/uio.h>

#include <net/if_utun.h>

#include "check.h"

/* Connects to utun unit (sc_unit = N + 1 for utunN), -errno on failure. */
static int utun_connect(uint32_t sc_unit)
{
	return ctl_open(UTUN_CONTROL_NAME, SOCK_DGRAM, sc_unit, NULL);
}

/* The first free utun from utun0, as OpenVPN-style openers do; *tries counts connects. */
static int utun_open_any(int *tries)
{
	for (uint32_t unit = 0; unit < 255; unit++) {
		int fd = utun_connect(unit + 1);

		(*tries)++;
		if (fd >= 0 || fd != -EBUSY)
			return fd;
	}
	return -EBUSY;
}

static void ifname_of(int fd, char *name, size_t cap)
{
	socklen_t len = (socklen_t)cap;

	name[0] = '\0';
	if (getsockopt(fd, SYSPROTO_CONTROL, UTUN_OPT_IFNAME, name, &len) != 0)
		name[0] = '\0';
	else
		CHECK(len == strlen(name) + 1, "IFNAME length %u for '%s'", (unsigned)len, name);
}

static int wait_in(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 3000) == 1 && (p.revents & POLLIN);
}

/* A fake IPv4 packet of n bytes (version nibble 4). */
static void fake_ip(uint8_t *p, size_t n, uint8_t tag)
{
	memset(p, tag, n);
	p[0] = 0x45;
}

static void packets(int fd)
{
	uint8_t out[4 + 64], in[4 + 256], hdr[4], body[256];
	uint32_t fam = htonl(2), fam6 = htonl(30);
	struct iovec ov[2], iv[2];
	ssize_t n;

	memcpy(out, &fam, 4);
	fake_ip(out + 4, 64, 0xa1);
	CHECK(write(fd, out, sizeof(out)) == (ssize_t)sizeof(out), "write: %s", strerror(errno));
	CHECK(wait_in(fd), "the packet did not come back");
	n = read(fd, in, sizeof(in));
	CHECK(n == (ssize_t)sizeof(out) && memcmp(in, out, sizeof(out)) == 0,
	      "read %zd bytes, want the %zu written (header included)", n, sizeof(out));

	memset(body, 0x60, 40); /* an "IPv6" packet through gathered/scattered calls */
	body[0] = 0x60;
	ov[0].iov_base = &fam6;
	ov[0].iov_len = 4;
	ov[1].iov_base = body;
	ov[1].iov_len = 40;
	CHECK(writev(fd, ov, 2) == 44, "writev: %s", strerror(errno));
	CHECK(wait_in(fd), "the IPv6 packet did not come back");
	iv[0].iov_base = hdr;
	iv[0].iov_len = 4;
	iv[1].iov_base = in;
	iv[1].iov_len = sizeof(in);
	n = readv(fd, iv, 2);
	CHECK(n == 44 && memcmp(hdr, &fam6, 4) == 0 && in[0] == 0x60,
	      "readv %zd bytes, family %02x%02x%02x%02x", n, hdr[0], hdr[1], hdr[2], hdr[3]);
}

/* With room for 8 packets pending, 5 written come back in order. */
static void pending(int fd)
{
	uint32_t max = 8, fam = htonl(2);
	uint8_t out[4 + 32], in[64];
	int got = 0;

	CHECK(setsockopt(fd, SYSPROTO_CONTROL, UTUN_OPT_MAX_PENDING_PACKETS, &max, sizeof(max)) == 0,
	      "MAX_PENDING_PACKETS: %s", strerror(errno));
	memcpy(out, &fam, 4);
	for (uint8_t i = 0; i < 5; i++) {
		fake_ip(out + 4, 32, i);
		out[5] = i;
		CHECK(write(fd, out, sizeof(out)) == (ssize_t)sizeof(out), "write %u", i);
	}
	for (uint8_t i = 0; i < 5 && wait_in(fd); i++) {
		ssize_t n = read(fd, in, sizeof(in));

		got += n == (ssize_t)sizeof(out) && in[5] == i;
	}
	CHECK(got == 5, "%d of 5 packets back in order", got);
}

static int as_root(void)
{
	char name0[32], name1[32], tiny[3];
	socklen_t len = sizeof(tiny);
	int tries = 0;
	int fd0 = utun_connect(1); /* utun0, asked for by number */
	int fd1 = utun_open_any(&tries);

	CHECK(fd0 >= 0, "utun0: %s", strerror(-fd0));
	CHECK(fd1 >= 0 && tries == 2, "walking the units: %s after %d tries",
	      fd1 < 0 ? strerror(-fd1) : "ok", tries);
	if (fd0 < 0 || fd1 < 0)
		return checks_done("client_utun");
	ifname_of(fd0, name0, sizeof(name0));
	ifname_of(fd1, name1, sizeof(name1));
	CHECK(strcmp(name0, "utun0") == 0 && strcmp(name1, "utun1") == 0, "names %s %s", name0,
	      name1);
	CHECK_ERRNO(utun_connect(1) == -EBUSY ? (errno = EBUSY, -1) : 0, EBUSY);
	CHECK_ERRNO(getsockopt(fd0, SYSPROTO_CONTROL, UTUN_OPT_IFNAME, tiny, &len), EMSGSIZE);
	CHECK(ctl_unit(fd1) == 2, "getpeername unit %u", ctl_unit(fd1));
	packets(fd1);
	pending(fd0);
	close(fd0);
	fd0 = utun_connect(1);
	CHECK(fd0 >= 0, "utun0 free again after close: %s", fd0 < 0 ? strerror(-fd0) : "ok");
	close(fd0);
	close(fd1);
	return checks_done("client_utun");
}

static int as_user(void)
{
	int tries = 0;
	int fd = utun_open_any(&tries);

	CHECK(fd == -EPERM && tries == 1, "a non-root open: %s after %d tries (EPERM at once)",
	      fd < 0 ? strerror(-fd) : "opened", tries);
	return checks_done("client_utun --as-user");
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--as-user") == 0)
		return as_user();
	return as_root();
}
