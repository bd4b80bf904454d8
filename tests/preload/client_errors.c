/*
 * client_errors.c - the errno a Mac gives, for each mistake a client can make on a
 * kernel-control socket, and bad input (NULL, short or long addresses, wrong lengths,
 * descriptors never opened or already closed) answered with an errno, never a crash.
 * Run under `kctl-sim run --kext Sample.so` as a non-root euid.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/uio.h>

#include "check.h"
#include "frames.h"

/* Bad arguments the compiler cannot see through (it would refuse the calls). */
static void *volatile nothing;
static volatile int too_many = 1025;

static void fill_addr(struct sockaddr_ctl *sc, uint32_t id, uint32_t unit)
{
	memset(sc, 0, sizeof(*sc));
	sc->sc_len = sizeof(*sc);
	sc->sc_family = AF_SYSTEM;
	sc->ss_sysaddr = AF_SYS_CONTROL;
	sc->sc_id = id;
	sc->sc_unit = unit;
}

static uint32_t lookup(int fd, const char *name)
{
	struct ctl_info info;

	memset(&info, 0, sizeof(info));
	strncpy(info.ctl_name, name, sizeof(info.ctl_name) - 1);
	return ioctl(fd, CTLIOCGINFO, &info) == 0 ? info.ctl_id : 0;
}

static void sockets(void)
{
	CHECK_ERRNO(socket(PF_SYSTEM, SOCK_RAW, SYSPROTO_CONTROL), EPROTOTYPE);
	CHECK_ERRNO(socket(PF_SYSTEM, SOCK_DGRAM, 7), EPROTONOSUPPORT);
	CHECK_ERRNO(socketpair(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL, NULL), EFAULT);
	{
		int sv[2];

		CHECK_ERRNO(socketpair(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL, sv), EOPNOTSUPP);
	}
}

static void lookups(int fd)
{
	struct ctl_info info;

	memset(&info, 0, sizeof(info));
	CHECK_ERRNO(ioctl(fd, CTLIOCGINFO, &info), EINVAL); /* empty name */
	memset(info.ctl_name, 'a', sizeof(info.ctl_name));     /* 96 bytes, no NUL */
	info.ctl_id = 77;
	CHECK_ERRNO(ioctl(fd, CTLIOCGINFO, &info), EINVAL);
	CHECK(info.ctl_id == 77, "struct written on failure: id %u", info.ctl_id);
	memset(&info, 0, sizeof(info));
	strcpy(info.ctl_name, "org.libkctl.sampl"); /* a prefix is not the name */
	CHECK_ERRNO(ioctl(fd, CTLIOCGINFO, &info), ENOENT);
	CHECK_ERRNO(ioctl(fd, CTLIOCGINFO, NULL), EFAULT);
	CHECK_ERRNO(ioctl(fd, FIONREAD, NULL), EFAULT);
	CHECK_ERRNO(ioctl(fd, 0xC0044E07U /* another 'N' ioctl */, &info), EOPNOTSUPP);
}

static void connects(int fd, uint32_t id)
{
	struct sockaddr_ctl sc;
	char big[300];
	int s;

	fill_addr(&sc, id, 0);
	memset(big, 0, sizeof(big));
	CHECK_ERRNO(connect(fd, (struct sockaddr *)&sc, 16), EINVAL);
	CHECK_ERRNO(connect(fd, (struct sockaddr *)&sc, 33), EINVAL);
	CHECK_ERRNO(connect(fd, (struct sockaddr *)big, sizeof(big)), ENAMETOOLONG);
	CHECK_ERRNO(connect(fd, NULL, sizeof(sc)), EFAULT);
	CHECK_ERRNO(connect(fd, (struct sockaddr *)&sc, 1), EINVAL);
	fill_addr(&sc, 4242, 0);
	CHECK_ERRNO(connect(fd, (struct sockaddr *)&sc, sizeof(sc)), ENOENT);
	s = socket(PF_SYSTEM, SOCK_STREAM, SYSPROTO_CONTROL);
	fill_addr(&sc, id, 0);
	CHECK_ERRNO(connect(s, (struct sockaddr *)&sc, sizeof(sc)), EPROTOTYPE);
	close(s);
}

static void unconnected(int fd)
{
	struct sockaddr_ctl sc;
	socklen_t len = sizeof(sc);
	char b[8];
	int v = 0;

	CHECK_ERRNO(send(fd, "x", 1, 0), ENOTCONN);
	CHECK_ERRNO(recv(fd, b, sizeof(b), 0), ENOTCONN);
	CHECK_ERRNO(getpeername(fd, (struct sockaddr *)&sc, &len), ENOTCONN);
	CHECK_ERRNO(setsockopt(fd, SYSPROTO_CONTROL, SAMPLE_OPT_BURST, &v, sizeof(v)), EINVAL);
	CHECK_ERRNO(getsockname(fd, (struct sockaddr *)&sc, &len), EOPNOTSUPP);
	CHECK_ERRNO(listen(fd, 1), EOPNOTSUPP);
	CHECK_ERRNO(accept(fd, NULL, NULL), EINVAL);
	CHECK_ERRNO(shutdown(fd, SHUT_RDWR), ENOTCONN);
}

static void connected(int fd, uint32_t id)
{
	struct sockaddr_ctl sc, peer;
	struct msghdr m;
	struct iovec v[2];
	socklen_t len = 4;
	int type = 0;

	fill_addr(&sc, id, 0);
	CHECK(connect(fd, (struct sockaddr *)&sc, sizeof(sc)) == 0, "connect: %s", strerror(errno));
	CHECK_ERRNO(connect(fd, (struct sockaddr *)&sc, sizeof(sc)), EISCONN);
	CHECK_ERRNO(getpeername(fd, (struct sockaddr *)&peer, NULL), EFAULT);
	CHECK_ERRNO(getpeername(fd, NULL, &len), EFAULT);
	memset(&peer, 0xee, sizeof(peer));
	CHECK(getpeername(fd, (struct sockaddr *)&peer, &len) == 0 && peer.sc_len == 32 &&
	      peer.sc_family == AF_SYSTEM && peer.ss_sysaddr == AF_SYS_CONTROL &&
	      (unsigned char)((char *)&peer)[4] == 0xee, "short getpeername: head only");
	CHECK_ERRNO(write(fd, nothing, 8), EFAULT);
	CHECK_ERRNO(read(fd, nothing, 8), EFAULT);
	CHECK_ERRNO(sendmsg(fd, NULL, 0), EFAULT);
	memset(&m, 0, sizeof(m));
	CHECK_ERRNO(sendmsg(fd, &m, 0), EMSGSIZE);      /* msg_iovlen 0 */
	m.msg_iovlen = 1;
	CHECK_ERRNO(recvmsg(fd, &m, 0), EFAULT);        /* msg_iov NULL */
	m.msg_iov = v;
	m.msg_iovlen = 1025;
	CHECK_ERRNO(sendmsg(fd, &m, 0), EMSGSIZE);
	CHECK_ERRNO(writev(fd, v, 0), EINVAL);
	CHECK_ERRNO(readv(fd, v, too_many), EINVAL);
	CHECK_ERRNO(sendto(fd, "x", 1, 0, (struct sockaddr *)&sc, 1), EINVAL);
	CHECK_ERRNO(send(fd, "x", 1, MSG_OOB), EOPNOTSUPP);
	{
		char big[4096];

		memset(big, 0, sizeof(big));
		CHECK_ERRNO(send(fd, big, SAMPLE_MAX_FRAME + 1, 0), EMSGSIZE); /* above the send size */
	}
	CHECK_ERRNO(getsockopt(fd, SYSPROTO_CONTROL, SAMPLE_OPT_BURST, &type, NULL), EFAULT);
	CHECK_ERRNO(getsockopt(fd, 7, 1, &type, &len), EINVAL);
	CHECK_ERRNO(setsockopt(fd, 7, 1, &type, sizeof(type)), EINVAL);
	CHECK_ERRNO(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &type, &len), ENOPROTOOPT);
	len = sizeof(type);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM &&
	      len == sizeof(type), "SO_TYPE %d", type);
	CHECK(setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &(int){ 1 }, sizeof(int)) == 0,
	      "SO_NOSIGPIPE: %s", strerror(errno));
	len = sizeof(type);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &type, &len) == 0 && type == 1,
	      "SO_NOSIGPIPE reads %d", type);
	CHECK_ERRNO(setsockopt(fd, SOL_SOCKET, SO_TYPE, &type, sizeof(type)), ENOPROTOOPT);
	CHECK_ERRNO(shutdown(fd, 9), EINVAL);
	CHECK_ERRNO(shutdown(fd, SHUT_WR), EOPNOTSUPP);
}

/* Descriptors never opened or already closed. */
static void bad_fds(void)
{
	int fd = socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL);
	int v;

	CHECK(close(fd) == 0, "close: %s", strerror(errno));
	CHECK_ERRNO(close(fd), EBADF);
	CHECK_ERRNO(send(fd, "x", 1, 0), EBADF);
	CHECK_ERRNO(ioctl(fd, FIONREAD, &v), EBADF);
	CHECK_ERRNO(connect(fd, NULL, 0), EBADF);
	CHECK_ERRNO(read(900, &v, 1), EBADF);
	CHECK_ERRNO(getpeername(-1, NULL, NULL), EBADF);
}

#define MAX_SCAN 4096

static void open_fds(unsigned char *set)
{
	for (int i = 0; i < MAX_SCAN; i++)
		set[i] = fcntl(i, F_GETFD) != -1;
}

/*
 * A socket costs the program one descriptor; the simulator's two are out of its way
 * (high, close-on-exec) and refused to close() and dup2(), as numbers it never had.
 */
static void hidden_fds(void)
{
	unsigned char before[MAX_SCAN], after[MAX_SCAN];
	int fd, n = 0, pipefd[2];

	open_fds(before);
	fd = socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL);
	open_fds(after);
	CHECK(pipe(pipefd) == 0, "pipe");
	for (int i = 0; i < MAX_SCAN; i++) {
		if (before[i] || !after[i] || i == fd)
			continue;
		n++;
		CHECK(i >= 256, "a hidden descriptor at %d", i);
		CHECK(fcntl(i, F_GETFD) == FD_CLOEXEC, "hidden %d not close-on-exec", i);
		CHECK_ERRNO(close(i), EBADF);
		CHECK_ERRNO(dup2(pipefd[0], i), EBADF);
		CHECK(fcntl(i, F_GETFD) == FD_CLOEXEC, "hidden %d was closed", i);
	}
	CHECK(n == 2, "%d hidden descriptors, want 2", n);
	close(pipefd[0]);
	close(pipefd[1]);
	close(fd);
	open_fds(after);
	CHECK(memcmp(before, after, sizeof(before)) == 0, "descriptors left after close");
}

int main(void)
{
	int fd = socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL);
	uint32_t id;

	CHECK(fd >= 0, "socket: %s", strerror(errno));
	id = lookup(fd, SAMPLE_CTL_NAME);
	CHECK(id != 0, "lookup: %s", strerror(errno));
	sockets();
	lookups(fd);
	connects(fd, id);
	unconnected(fd);
	connected(fd, id);
	close(fd);
	bad_fds();
	hidden_fds();
	return checks_done("client_errors");
}
