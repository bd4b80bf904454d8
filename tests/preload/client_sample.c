/*
 * client_sample.c - a client of the sample kext written with BSD calls only, in the
 * style of Mac code: socket, CTLIOCGINFO, connect, getpeername for the unit, frames
 * through send/recv, write/read, sendmsg/recvmsg and writev/readv, MSG_PEEK and
 * MSG_TRUNC, FIONREAD, CTLIOCGCOUNT, options at level SYSPROTO_CONTROL, and a STREAM
 * control. Run under `kctl-sim run --kext Sample.so`.
 */
#include <poll.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "check.h"
#include "frames.h"

static void wait_in(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	CHECK(poll(&p, 1, 2000) == 1 && (p.revents & POLLIN), "no reply within 2 s");
}

static void echo_send_recv(int fd)
{
	unsigned char req[64], rep[64];
	size_t n = frame_request(req, SAMPLE_MSG_ECHO, 7, "ping", 4);
	ssize_t got;
	int avail = -1;

	CHECK(send(fd, req, n, 0) == (ssize_t)n, "send: %s", strerror(errno));
	wait_in(fd);
	CHECK(ioctl(fd, FIONREAD, &avail) == 0 && avail == 24, "FIONREAD %d", avail);
	got = recv(fd, rep, sizeof(rep), MSG_PEEK);
	CHECK(frame_is_echo(rep, (size_t)got, 7, "ping", 4), "peeked %zd bytes", got);
	memset(rep, 0, sizeof(rep));
	got = recv(fd, rep, sizeof(rep), 0);
	CHECK(frame_is_echo(rep, (size_t)got, 7, "ping", 4), "recv %zd bytes", got);
	CHECK(ioctl(fd, FIONREAD, &avail) == 0 && avail == 0, "FIONREAD after %d", avail);
}

static void echo_write_read(int fd)
{
	unsigned char req[64], rep[64];
	size_t n = frame_request(req, SAMPLE_MSG_ECHO, 8, "hello!", 6);
	ssize_t got;

	CHECK(write(fd, req, n) == (ssize_t)n, "write: %s", strerror(errno));
	got = read(fd, rep, sizeof(rep)); /* blocking: the reply is on its way */
	CHECK(frame_is_echo(rep, (size_t)got, 8, "hello!", 6), "read %zd bytes", got);
}

/* Header and payload gathered from two iovecs; the reply scattered over two. */
static void echo_msg(int fd)
{
	unsigned char req[64], a[10], b[54], rep[64];
	size_t n = frame_request(req, SAMPLE_MSG_ECHO, 9, "gathered", 8);
	struct iovec out[2] = { { req, 16 }, { req + 16, n - 16 } };
	struct iovec in[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct msghdr m = { .msg_iov = out, .msg_iovlen = 2 };
	ssize_t got;

	CHECK(sendmsg(fd, &m, 0) == (ssize_t)n, "sendmsg: %s", strerror(errno));
	memset(&m, 0, sizeof(m));
	m.msg_iov = in;
	m.msg_iovlen = 2;
	m.msg_flags = -1;
	got = recvmsg(fd, &m, 0);
	memcpy(rep, a, sizeof(a));
	memcpy(rep + sizeof(a), b, sizeof(b));
	CHECK(frame_is_echo(rep, (size_t)got, 9, "gathered", 8), "recvmsg %zd", got);
	CHECK(m.msg_flags == MSG_EOR, "msg_flags %#x (the kext ends records: the host's MSG_EOR)",
	      m.msg_flags);
	CHECK(writev(fd, out, 2) == (ssize_t)n, "writev: %s", strerror(errno));
	memset(a, 0, sizeof(a));
	got = readv(fd, in, 2);
	memcpy(rep, a, sizeof(a));
	memcpy(rep + sizeof(a), b, sizeof(b));
	CHECK(frame_is_echo(rep, (size_t)got, 9, "gathered", 8), "readv %zd", got);
}

/* A DGRAM record longer than the buffer: the head, MSG_TRUNC, the rest gone. */
static void truncated(int fd)
{
	unsigned char req[64], small[8];
	size_t n = frame_request(req, SAMPLE_MSG_ECHO, 10, "0123456789", 10);
	struct iovec v = { small, sizeof(small) };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };
	int avail = -1;

	CHECK(send(fd, req, n, 0) == (ssize_t)n, "send: %s", strerror(errno));
	CHECK(recvmsg(fd, &m, 0) == 8, "recvmsg: %s", strerror(errno));
	CHECK(m.msg_flags & MSG_TRUNC, "msg_flags %#x (want the host's MSG_TRUNC %#x)",
	      m.msg_flags, MSG_TRUNC);
	CHECK(ioctl(fd, FIONREAD, &avail) == 0 && avail == 0, "rest not discarded: %d", avail);
}

static void options(int fd)
{
	char label[64];
	socklen_t len = 0;
	uint64_t counter = 1;

	CHECK(setsockopt(fd, SYSPROTO_CONTROL, SAMPLE_OPT_LABEL, "mine", 5) == 0, "set: %s",
	      strerror(errno));
	CHECK(getsockopt(fd, SYSPROTO_CONTROL, SAMPLE_OPT_LABEL, NULL, &len) == 0 && len == 5,
	      "size query: %u", (unsigned)len);
	len = sizeof(label);
	CHECK(getsockopt(fd, SYSPROTO_CONTROL, SAMPLE_OPT_LABEL, label, &len) == 0 && len == 5 &&
	      strcmp(label, "mine") == 0, "label '%s' len %u", label, (unsigned)len);
	len = sizeof(counter);
	CHECK(getsockopt(fd, SYSPROTO_CONTROL, SAMPLE_OPT_COUNTER, &counter, &len) == 0 &&
	      len == 8 && counter == 0, "counter %llu", (unsigned long long)counter);
}

/* Two requests in one write on a STREAM; the replies come back to back. */
static void stream(void)
{
	unsigned char req[128], rep[128];
	size_t a = frame_request(req, SAMPLE_MSG_ECHO, 1, "one", 3);
	size_t b = frame_request(req + a, SAMPLE_MSG_ECHO, 2, "two", 3);
	size_t got = 0;
	int fd = ctl_open(SAMPLE_CTL_STREAM_NAME, SOCK_STREAM, 0, NULL);

	CHECK(fd >= 0, "open stream: %s", strerror(-fd));
	if (fd < 0)
		return;
	CHECK(write(fd, req, a + b) == (ssize_t)(a + b), "write: %s", strerror(errno));
	while (got < a + b) {
		ssize_t n = read(fd, rep + got, sizeof(rep) - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	CHECK(got == 48 && frame_is_echo(rep, 24, 1, "one", 3) &&
	      frame_is_echo(rep + 24, 24, 2, "two", 3), "stream replies: %zu bytes", got);
	CHECK(close(fd) == 0, "close: %s", strerror(errno));
}

int main(void)
{
	const char *want = getenv("EXPECT_CONTROLS");
	uint32_t id = 0;
	int count = -1;
	int fd = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, &id);

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	if (fd < 0)
		return checks_done("client_sample");
	CHECK(fd == 3, "the first socket gets the lowest free descriptor, got %d", fd);
	CHECK(id >= 1 && ctl_unit(fd) == 1, "id %u unit %u", id, ctl_unit(fd));
	CHECK(ioctl(fd, CTLIOCGCOUNT, &count) == 0 && want != NULL && count == atoi(want),
	      "CTLIOCGCOUNT %d, want %s", count, want ? want : "?");
	echo_send_recv(fd);
	echo_write_read(fd);
	echo_msg(fd);
	truncated(fd);
	options(fd);
	stream();
	CHECK(close(fd) == 0, "close: %s", strerror(errno));
	return checks_done("client_sample");
}
