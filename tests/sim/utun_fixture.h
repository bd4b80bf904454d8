/*
 * utun_fixture.h - a kernel "like a Mac" and the raw calls a utun client makes on it,
 * for the simulator's utun suites (header-only). The kernel's effective uid is root
 * unless a test says otherwise; teardown fails the test if an fd leaked.
 */
#ifndef KCTL_UTUN_FIXTURE_H
#define KCTL_UTUN_FIXTURE_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "kctl_sim.h"
#include "testutil.h"

struct ut {
	kctl_sim_t *sim;
	uint32_t id; /* utun's control id */
	int fds_before;
};

static inline int ut_setup(void **state)
{
	struct ut *u = calloc(1, sizeof(*u));
	struct kctl_abi_ctl_info info;
	int fd = -1;

	if (u == NULL)
		return -1;
	u->fds_before = tu_open_fds();
	if (kctl_sim_new_mac(&u->sim) != 0)
		return -1;
	kctl_sim_set_euid(u->sim, 0);
	memset(&info, 0, sizeof(info));
	strcpy(info.ctl_name, KCTL_ABI_UTUN_CONTROL_NAME);
	if (kctl_sim_socket(u->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
			    KCTL_ABI_SYSPROTO_CONTROL, &fd) != 0 ||
	    kctl_sim_ioctl(u->sim, fd, KCTL_ABI_CTLIOCGINFO, &info) != 0)
		return -1;
	(void)kctl_sim_close(u->sim, fd);
	u->id = info.ctl_id;
	*state = u;
	return 0;
}

static inline int ut_teardown(void **state)
{
	struct ut *u = *state;
	int leaked;

	kctl_sim_free(u->sim);
	leaked = tu_open_fds() - u->fds_before;
	free(u);
	return leaked == 0 ? 0 : -1;
}

static inline struct kctl_abi_sockaddr_ctl ut_addr(const struct ut *u, uint32_t unit)
{
	struct kctl_abi_sockaddr_ctl sa;

	memset(&sa, 0, sizeof(sa));
	sa.sc_len = sizeof(sa);
	sa.sc_family = KCTL_ABI_AF_SYSTEM;
	sa.ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL;
	sa.sc_id = u->id;
	sa.sc_unit = unit;
	return sa;
}

static inline int ut_socket(struct ut *u)
{
	int fd = -1, err = kctl_sim_socket(u->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
					   KCTL_ABI_SYSPROTO_CONTROL, &fd);

	return err != 0 ? err : fd;
}

static inline int ut_connect(struct ut *u, int fd, uint32_t unit)
{
	struct kctl_abi_sockaddr_ctl sa = ut_addr(u, unit);

	return kctl_sim_connect(u->sim, fd, &sa, sizeof(sa));
}

static inline int ut_bind(struct ut *u, int fd, uint32_t unit)
{
	struct kctl_abi_sockaddr_ctl sa = ut_addr(u, unit);

	return kctl_sim_bind(u->sim, fd, &sa, sizeof(sa));
}

/* A connected utun socket on `unit` (0: the lowest free); the fd or a negative errno. */
static inline int ut_open(struct ut *u, uint32_t unit)
{
	int fd = ut_socket(u), err;

	if (fd < 0)
		return fd;
	err = ut_connect(u, fd, unit);
	if (err != 0) {
		(void)kctl_sim_close(u->sim, fd);
		return err;
	}
	return fd;
}

static inline int ut_nonblock(struct ut *u, int fd)
{
	int on = 1;

	return kctl_sim_ioctl(u->sim, fd, KCTL_ABI_FIONBIO, &on);
}

/* UTUN_OPT_IFNAME into buf (cap bytes); *len (may be NULL) gets the returned length. */
static inline int ut_ifname(struct ut *u, int fd, char *buf, uint32_t cap, uint32_t *len)
{
	uint32_t l = cap;
	int err = kctl_sim_getsockopt(u->sim, fd, KCTL_ABI_SYSPROTO_CONTROL,
				      KCTL_ABI_UTUN_OPT_IFNAME, buf, &l);

	if (err == 0 && len != NULL)
		*len = l;
	return err;
}

static inline int ut_set_u32(struct ut *u, int fd, int opt, uint32_t v)
{
	return kctl_sim_setsockopt(u->sim, fd, KCTL_ABI_SYSPROTO_CONTROL, opt, &v, sizeof(v));
}

static inline int ut_get_u32(struct ut *u, int fd, int opt, uint32_t *v)
{
	uint32_t len = sizeof(*v);
	int err = kctl_sim_getsockopt(u->sim, fd, KCTL_ABI_SYSPROTO_CONTROL, opt, v, &len);

	if (err == 0 && len != sizeof(*v))
		return -EBADMSG;
	return err;
}

/* Writes a packet as a raw client does: the 4 header bytes given, then the payload. */
static inline int ut_write_raw(struct ut *u, int fd, const unsigned char *hdr, size_t hlen,
			       const void *payload, size_t len)
{
	struct iovec iov[2] = { { (void *)(uintptr_t)hdr, hlen },
				{ (void *)(uintptr_t)payload, len } };
	size_t sent = 0;

	return kctl_sim_sendmsg(u->sim, fd, iov, 2, 0, &sent);
}

/* The family in network byte order, then the payload. */
static inline int ut_write(struct ut *u, int fd, uint32_t family, const void *payload,
			   size_t len)
{
	unsigned char h[4] = { (unsigned char)(family >> 24), (unsigned char)(family >> 16),
			       (unsigned char)(family >> 8), (unsigned char)family };

	return ut_write_raw(u, fd, h, sizeof(h), payload, len);
}

/* One record from the client's socket; *got its length (header included). */
static inline int ut_read(struct ut *u, int fd, void *buf, size_t cap, size_t *got)
{
	struct iovec iov = { buf, cap };
	int rflags = 0;

	return kctl_sim_recvmsg(u->sim, fd, &iov, 1, KCTL_ABI_MSG_DONTWAIT, got, &rflags);
}

/* The interface of the client on fd, by name from UTUN_OPT_IFNAME. */
static inline int ut_info(struct ut *u, int fd, struct kctl_sim_utun_if *info)
{
	char name[KCTL_SIM_IFNAMSIZ];
	int err = ut_ifname(u, fd, name, sizeof(name), NULL);

	return err != 0 ? err : kctl_sim_utun_info(u->sim, name, info);
}

#endif
