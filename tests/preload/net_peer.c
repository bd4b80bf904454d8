/*
 * net_peer.c - the network at the other end of `kctl-sim run --net`, for tests.
 *
 *   net_peer [--icmp N] -- COMMAND [ARGS...]
 *
 * Binds a Unix datagram socket, runs COMMAND with every argument "@NET@" replaced by its
 * path (so COMMAND is `kctl-sim run --net @NET@ -- PROGRAM`), and serves it:
 *   - by default it reflects: every packet the program writes to utunN comes back into
 *     utunN, so the program reads what it wrote; net_peer exits with COMMAND's status;
 *   - with --icmp N, once an interface is up it sends N ICMPv4 and N ICMPv6 echo requests
 *     into it "from the network" and checks that each comes back as the matching echo
 *     reply (addresses swapped, checksums right), then stops COMMAND with SIGTERM.
 * It gives up after 20 s. Output ends with "net_peer: N passed, M failed".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define IFNAME 16
#define HDR (IFNAME + 4)
#define AF_DARWIN_INET 2u
#define AF_DARWIN_INET6 30u

static int passed, failed;

#define CHECK(cond, ...)                                                            \
	do {                                                                        \
		if (cond) {                                                         \
			passed++;                                                   \
		} else {                                                            \
			failed++;                                                   \
			printf("FAIL net_peer: " __VA_ARGS__);                      \
			printf("\n");                                               \
		}                                                                   \
	} while (0)

static const uint8_t v4_src[4] = { 10, 7, 0, 2 }, v4_dst[4] = { 10, 7, 0, 1 };
static const uint8_t v6_src[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t v6_dst[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const char ping_data[] = "kctl-sim ping";

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* An ICMPv4 echo request (id, seq) from v4_src to v4_dst. */
static size_t ping4(uint8_t *p, uint16_t seq)
{
	size_t icmp = 8 + sizeof(ping_data), len = 20 + icmp;

	memset(p, 0, len);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)len);
	p[8] = 64;
	p[9] = 1;
	memcpy(p + 12, v4_src, 4);
	memcpy(p + 16, v4_dst, 4);
	put16(p + 10, fold(sum16(p, 20, 0)));
	p[20] = 8;
	put16(p + 24, 0x4b43);
	put16(p + 26, seq);
	memcpy(p + 28, ping_data, sizeof(ping_data));
	put16(p + 22, fold(sum16(p + 20, icmp, 0)));
	return len;
}

static uint32_t pseudo6(const uint8_t *src, const uint8_t *dst, size_t len)
{
	uint32_t s = sum16(src, 16, 0);

	s = sum16(dst, 16, s);
	return s + (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + 58;
}

/* An ICMPv6 echo request from v6_src to v6_dst. */
static size_t ping6(uint8_t *p, uint16_t seq)
{
	size_t icmp = 8 + sizeof(ping_data), len = 40 + icmp;

	memset(p, 0, len);
	p[0] = 0x60;
	put16(p + 4, (uint16_t)icmp);
	p[6] = 58;
	p[7] = 64;
	memcpy(p + 8, v6_src, 16);
	memcpy(p + 24, v6_dst, 16);
	p[40] = 128;
	put16(p + 44, 0x4b43);
	put16(p + 46, seq);
	memcpy(p + 48, ping_data, sizeof(ping_data));
	put16(p + 42, fold(sum16(p + 40, icmp, pseudo6(v6_src, v6_dst, icmp))));
	return len;
}

/* The echo reply to ping4/ping6(seq): which seq it answers, or -1. */
static int reply_seq(uint32_t family, const uint8_t *p, size_t n)
{
	if (family == AF_DARWIN_INET && n == 20 + 8 + sizeof(ping_data) && p[9] == 1 &&
	    fold(sum16(p, 20, 0)) == 0 && memcmp(p + 12, v4_dst, 4) == 0 &&
	    memcmp(p + 16, v4_src, 4) == 0 && p[20] == 0 &&
	    fold(sum16(p + 20, n - 20, 0)) == 0 && get16(p + 24) == 0x4b43 &&
	    memcmp(p + 28, ping_data, sizeof(ping_data)) == 0)
		return get16(p + 26);
	if (family == AF_DARWIN_INET6 && n == 40 + 8 + sizeof(ping_data) && p[6] == 58 &&
	    memcmp(p + 8, v6_dst, 16) == 0 && memcmp(p + 24, v6_src, 16) == 0 &&
	    p[40] == 129 && fold(sum16(p + 40, n - 40, pseudo6(p + 8, p + 24, n - 40))) == 0 &&
	    get16(p + 44) == 0x4b43 && memcmp(p + 48, ping_data, sizeof(ping_data)) == 0)
		return 0x8000 | get16(p + 46);
	return -1;
}

static void record(uint8_t *r, const char *ifname, uint32_t family)
{
	memset(r, 0, HDR);
	memcpy(r, ifname, strnlen(ifname, IFNAME));
	r[IFNAME] = (uint8_t)(family >> 24);
	r[IFNAME + 1] = (uint8_t)(family >> 16);
	r[IFNAME + 2] = (uint8_t)(family >> 8);
	r[IFNAME + 3] = (uint8_t)family;
}

struct peer {
	int fd;
	struct sockaddr_un kernel;
	socklen_t klen;
	char ifname[IFNAME + 1];
	int icmp;        /* echo requests per family; 0: reflect */
	int replies;     /* good replies seen */
	unsigned char seen[0x10000 / 8];
};

static void send_pings(struct peer *p)
{
	uint8_t r[HDR + 256];

	for (int i = 0; i < p->icmp; i++) {
		size_t n4, n6;

		record(r, p->ifname, AF_DARWIN_INET);
		n4 = ping4(r + HDR, (uint16_t)i);
		CHECK(sendto(p->fd, r, HDR + n4, 0, (struct sockaddr *)&p->kernel, p->klen) ==
		      (ssize_t)(HDR + n4), "sendto: %s", strerror(errno));
		record(r, p->ifname, AF_DARWIN_INET6);
		n6 = ping6(r + HDR, (uint16_t)i);
		CHECK(sendto(p->fd, r, HDR + n6, 0, (struct sockaddr *)&p->kernel, p->klen) ==
		      (ssize_t)(HDR + n6), "sendto: %s", strerror(errno));
	}
}

/* One datagram from the kernel. */
static void serve_one(struct peer *p)
{
	static uint8_t buf[HDR + 512 * 1024];
	struct sockaddr_un from;
	socklen_t flen = sizeof(from);
	ssize_t n = recvfrom(p->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	uint32_t family;

	if (n < HDR)
		return;
	family = (uint32_t)buf[IFNAME] << 24 | (uint32_t)buf[IFNAME + 1] << 16 |
		 (uint32_t)buf[IFNAME + 2] << 8 | buf[IFNAME + 3];
	if (family == 0) { /* an interface came up */
		memcpy(p->ifname, buf, IFNAME);
		p->ifname[IFNAME] = '\0';
		p->kernel = from;
		p->klen = flen;
		printf("net_peer: %s is up\n", p->ifname);
		if (p->icmp > 0)
			send_pings(p);
		return;
	}
	if (p->icmp == 0) {
		(void)sendto(p->fd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen);
		return;
	}
	{
		int seq = reply_seq(family, buf + HDR, (size_t)n - HDR);

		CHECK(seq >= 0, "a packet that is not a good echo reply (family %u, %zd bytes)",
		      family, n - HDR);
		if (seq >= 0 && !(p->seen[seq / 8] & (1u << (seq % 8)))) {
			p->seen[seq / 8] |= (unsigned char)(1u << (seq % 8));
			p->replies++;
		}
	}
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Serves until the child exits (or, with --icmp, all replies came and it was stopped). */
static int serve(struct peer *p, pid_t child)
{
	double deadline = now_s() + 20.0;
	int status = -1;
	bool stopped = false;

	for (;;) {
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };

		if (poll(&pf, 1, 50) > 0)
			serve_one(p);
		if (waitpid(child, &status, WNOHANG) == child)
			break;
		if (!stopped && p->icmp > 0 && p->replies == 2 * p->icmp) {
			kill(child, SIGTERM);
			stopped = true;
		}
		if (now_s() > deadline) {
			CHECK(0, "timed out: %d of %d replies", p->replies, 2 * p->icmp);
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			break;
		}
	}
	return status;
}

int main(int argc, char **argv)
{
	struct peer p;
	struct sockaddr_un sun;
	char dir[] = "/tmp/net_peer.XXXXXX";
	int first = 1, status;
	pid_t child;

	memset(&p, 0, sizeof(p));
	if (argc > 2 && strcmp(argv[1], "--icmp") == 0) {
		p.icmp = atoi(argv[2]);
		first = 3;
	}
	if (first >= argc || strcmp(argv[first], "--") != 0 || first + 1 >= argc) {
		fprintf(stderr, "usage: net_peer [--icmp N] -- COMMAND [ARGS...]\n");
		return 2;
	}
	if (mkdtemp(dir) == NULL)
		return 2;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/net", dir);
	p.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p.fd < 0 || bind(p.fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		return 2;
	for (int i = first + 1; i < argc; i++)
		if (strcmp(argv[i], "@NET@") == 0)
			argv[i] = sun.sun_path;
	fflush(stdout);
	child = fork();
	if (child == 0) {
		execvp(argv[first + 1], &argv[first + 1]);
		_exit(127);
	}
	status = serve(&p, child);
	unlink(sun.sun_path);
	rmdir(dir);
	if (p.icmp > 0) {
		CHECK(p.replies == 2 * p.icmp, "%d of %d echo replies", p.replies, 2 * p.icmp);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the program did not exit cleanly on SIGTERM (status %#x)", status);
	} else {
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the program failed (status %#x)",
		      status);
	}
	printf("net_peer: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
