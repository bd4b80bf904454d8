/*
 * pl_net.c - the network side of the simulated kernel's utun interfaces, for a
 * program run with `kctl-sim run --net PATH`: what the program writes to utunN comes
 * out of a Unix datagram socket connected to PATH (which the caller has bound), and
 * what arrives there is injected into the interface, as if from the network.
 *
 * The kernel's socket has an autobound abstract name: answer it with sendto() to the
 * address recvfrom() gave. One datagram per packet, both ways:
 *   16 bytes  the interface name ("utun3"), NUL-padded
 *    4 bytes  the protocol family, network byte order, Darwin's numbers (2 IPv4,
 *             30 IPv6); 0 in a datagram from the kernel announces that the interface
 *             has come up (no packet follows)
 *    the packet, without utun's 4-byte header
 * A datagram for an interface that does not exist, or that the interface refuses
 * (unknown family, full queue), is dropped, as the network would drop it.
 *
 * A thread started with the kernel moves the packets: it waits on the socket for at
 * most 5 ms at a time, then takes whatever the interfaces have. Its socket is one of
 * the hidden descriptors (high, close-on-exec, refused to the program's close).
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "preload.h"

#define NET_IFNAME 16
#define NET_HDR (NET_IFNAME + 4)
#define NET_MAX_PACKET ((size_t)512 * 1024)
#define NET_MAX_IFS 64

struct net {
	kctl_sim_t *sim;
	int fd;
	pthread_t thread;
	atomic_bool stop;
	unsigned char *buf; /* NET_HDR + NET_MAX_PACKET, allocated once */
	char up[NET_MAX_IFS][NET_IFNAME]; /* interfaces announced */
};

static struct net net = { .fd = -1 };

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One datagram from the network: into its interface. */
static void inject_one(void)
{
	ssize_t n = pl_libc()->recv(net.fd, net.buf, NET_HDR + NET_MAX_PACKET, MSG_DONTWAIT);
	char ifname[NET_IFNAME + 1];

	if (n < NET_HDR)
		return;
	memcpy(ifname, net.buf, NET_IFNAME);
	ifname[NET_IFNAME] = '\0';
	(void)kctl_sim_utun_inject(net.sim, ifname, get_be32(net.buf + NET_IFNAME),
				   net.buf + NET_HDR, (size_t)n - NET_HDR);
}

static void send_record(const char *ifname, uint32_t family, size_t len)
{
	memset(net.buf, 0, NET_IFNAME);
	memcpy(net.buf, ifname, strnlen(ifname, NET_IFNAME));
	put_be32(net.buf + NET_IFNAME, family);
	(void)pl_libc()->send(net.fd, net.buf, NET_HDR + len, MSG_NOSIGNAL);
}

/* Announces interfaces not seen before; forgets the ones that went away. */
static void announce(const struct kctl_sim_utun_if *ifs, uint32_t n)
{
	for (int i = 0; i < NET_MAX_IFS; i++) {
		bool present = false;

		for (uint32_t j = 0; j < n && net.up[i][0] != '\0'; j++)
			present = present || strncmp(net.up[i], ifs[j].name, NET_IFNAME) == 0;
		if (!present)
			net.up[i][0] = '\0';
	}
	for (uint32_t j = 0; j < n; j++) {
		int free_slot = -1;
		bool known = false;

		for (int i = 0; i < NET_MAX_IFS; i++) {
			known = known || strncmp(net.up[i], ifs[j].name, NET_IFNAME) == 0;
			if (net.up[i][0] == '\0' && free_slot < 0)
				free_slot = i;
		}
		if (known || free_slot < 0)
			continue;
		memcpy(net.up[free_slot], ifs[j].name, NET_IFNAME);
		send_record(ifs[j].name, 0, 0);
	}
}

/* Every packet the program wrote, out to the network. */
static void take_all(void)
{
	struct kctl_sim_utun_if ifs[NET_MAX_IFS];
	uint32_t n = 0;

	if (kctl_sim_utun_list(net.sim, ifs, NET_MAX_IFS, &n) != 0)
		return;
	announce(ifs, n);
	for (uint32_t i = 0; i < n; i++) {
		size_t len;
		uint32_t family;

		while (kctl_sim_utun_take(net.sim, ifs[i].name, net.buf + NET_HDR, NET_MAX_PACKET,
					  &len, &family, 0) == 0)
			send_record(ifs[i].name, family, len);
	}
}

static void *net_loop(void *arg)
{
	(void)arg;
	while (!atomic_load(&net.stop)) {
		struct pollfd p = { .fd = net.fd, .events = POLLIN };

		if (poll(&p, 1, 5) > 0 && (p.revents & POLLIN))
			inject_one();
		take_all();
	}
	return NULL;
}

/* A datagram socket connected to path, moved among the hidden descriptors. */
static int net_socket(const char *path, int floor)
{
	const struct pl_libc *c = pl_libc();
	struct sockaddr_un sun;
	int fd, hi;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	fd = c->socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* an autobound (abstract) name, so that the other side can answer with sendto */
	if (c->bind(fd, (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX },
		    sizeof(sa_family_t)) != 0 ||
	    c->connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		int err = -errno;

		c->close(fd);
		return err;
	}
	hi = c->fcntl(fd, F_DUPFD_CLOEXEC, floor);
	if (hi >= 0) {
		c->close(fd);
		fd = hi;
	}
	return fd;
}

int pl_net_start(kctl_sim_t *sim, const char *path, int floor)
{
	int fd = net_socket(path, floor);

	if (fd < 0)
		return fd;
	net.buf = malloc(NET_HDR + NET_MAX_PACKET);
	if (net.buf == NULL || pl_fd_hide(fd) != 0) {
		free(net.buf);
		net.buf = NULL;
		pl_libc()->close(fd);
		return -ENOMEM;
	}
	net.sim = sim;
	net.fd = fd;
	atomic_init(&net.stop, false);
	if (pthread_create(&net.thread, NULL, net_loop, NULL) != 0) {
		net.fd = -1;
		return -EAGAIN;
	}
	return 0;
}

void pl_net_stop(void)
{
	if (net.fd < 0)
		return;
	atomic_store(&net.stop, true);
	(void)pthread_join(net.thread, NULL);
	take_all(); /* what the program wrote last still goes out */
	net.fd = -1;
}
