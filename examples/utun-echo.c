/*
 * utun-echo - a tiny "network" behind a utun interface: answers ICMP echo requests
 * (ping, IPv4 and IPv6) and sends every other packet back as it came.
 *
 *   utun-echo [N]     use utunN (default: the first free one); runs until SIGINT/SIGTERM
 *
 * On a Mac, as root: `sudo utun-echo`, then give the interface addresses (e.g.
 * `ifconfig utun3 10.7.0.1 10.7.0.2`) and `ping 10.7.0.2`. Here, against the simulated
 * kernel: `kctl-sim run --euid 0 --net SOCKET -- utun-echo` (tests/preload does that).
 * Uses libkctl's utun helpers: the 4-byte family header is added and stripped by them,
 * the packet is never copied, errors are kctl_strerror()'s sentences.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* sigaction, also under -std=c11 */
#endif
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kctl.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The ones' complement sum of n bytes, big-endian 16-bit words, added to s. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static void put_sum(uint8_t *at, uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	at[0] = (uint8_t)(s >> 8);
	at[1] = (uint8_t)s;
}

static void swap(uint8_t *a, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

/* An IPv4 ICMP echo request becomes its reply, in place. 1 if it was one. */
static int answer_v4(uint8_t *p, size_t n)
{
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;

	if (n < 20 || (p[0] >> 4) != 4 || ihl < 20 || n < ihl + 8 || p[9] != 1 || p[ihl] != 8)
		return 0;
	swap(p + 12, p + 16, 4);
	p[ihl] = 0; /* echo reply */
	p[ihl + 2] = p[ihl + 3] = 0;
	put_sum(p + ihl + 2, sum16(p + ihl, n - ihl, 0));
	p[10] = p[11] = 0; /* same header, addresses swapped: recompute anyway */
	put_sum(p + 10, sum16(p, ihl, 0));
	return 1;
}

/* An ICMPv6 echo request (no extension headers) becomes its reply, in place. */
static int answer_v6(uint8_t *p, size_t n)
{
	size_t len;
	uint32_t s;

	if (n < 48 || (p[0] >> 4) != 6 || p[6] != 58 || p[40] != 128)
		return 0;
	len = n - 40;
	swap(p + 8, p + 24, 16);
	p[40] = 129; /* echo reply */
	p[42] = p[43] = 0;
	s = sum16(p + 8, 32, 0) + (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + 58;
	put_sum(p + 42, sum16(p + 40, len, s));
	return 1;
}

static int run(kctl_t *h)
{
	static uint8_t pkt[65536];
	unsigned long answered = 0, echoed = 0;

	while (!stop) {
		size_t len = 0;
		uint32_t family = 0;
		int rc = kctl_utun_read(h, pkt, sizeof(pkt), &len, &family);

		if (rc == -ETIMEDOUT || rc == -EAGAIN || rc == -EBADMSG || rc == -EPFNOSUPPORT)
			continue; /* nothing yet, or a packet no network would carry */
		if (rc < 0) {
			fprintf(stderr, "utun-echo: read: %s\n", kctl_strerror(rc));
			return 1;
		}
		if ((family == KCTL_UTUN_AF_INET && answer_v4(pkt, len)) ||
		    (family == KCTL_UTUN_AF_INET6 && answer_v6(pkt, len)))
			answered++;
		else
			echoed++;
		rc = kctl_utun_write(h, family, pkt, len);
		if (rc < 0 && rc != -ENOBUFS) /* a full queue drops the packet, as a network would */
			fprintf(stderr, "utun-echo: write: %s\n", kctl_strerror(rc));
	}
	printf("utun-echo: %lu echo requests answered, %lu packets sent back\n", answered, echoed);
	return 0;
}

int main(int argc, char **argv)
{
	char name[KCTL_UTUN_IFNAME_MAX];
	struct sigaction sa;
	kctl_t *h;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = kctl_utun_open(NULL, argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : KCTL_UTUN_ANY,
			    0, &h);
	if (rc < 0) {
		fprintf(stderr, "utun-echo: cannot open a utun interface: %s\n", kctl_strerror(rc));
		return 1;
	}
	rc = kctl_utun_ifname(h, name, sizeof(name));
	printf("utun-echo: %s up\n", rc == 0 ? name : "utun?");
	fflush(stdout);
	kctl_set_timeout(h, 100); /* wake up to look at the stop flag */
	(void)kctl_utun_set_max_pending(h, 16);
	rc = run(h);
	kctl_close(h);
	return rc;
}
