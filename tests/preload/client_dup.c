/*
 * client_dup.c - one socket under several descriptors: dup, dup2, dup3, F_DUPFD and
 * F_DUPFD_CLOEXEC name the same socket; closing one name leaves the socket connected
 * (same unit, requests still answered); the last close disconnects; dup2 over a
 * socket's last name closes it; dup2(fd, fd) changes nothing.
 */
#define _GNU_SOURCE /* dup3 */
#include <fcntl.h>

#include "check.h"
#include "frames.h"

static int echo_on(int out, int in, uint32_t seq)
{
	unsigned char req[32], rep[64];
	size_t n = frame_request(req, SAMPLE_MSG_ECHO, seq, "dd", 2);
	ssize_t got;

	if (send(out, req, n, 0) != (ssize_t)n)
		return 0;
	got = recv(in, rep, sizeof(rep), 0);
	return got > 0 && frame_is_echo(rep, (size_t)got, seq, "dd", 2);
}

int main(void)
{
	int fd = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	int a, b, c, d, other, p[2];

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	a = dup(fd);
	b = fcntl(fd, F_DUPFD, 40);
	c = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	d = dup3(fd, 50, O_CLOEXEC);
	CHECK(a > fd && b >= 40 && c > a && d == 50, "dups %d %d %d %d", a, b, c, d);
	CHECK(fcntl(c, F_GETFD) == FD_CLOEXEC && fcntl(a, F_GETFD) == 0 &&
	      fcntl(d, F_GETFD) == FD_CLOEXEC, "close-on-exec per descriptor");
	CHECK(ctl_unit(a) == 1 && ctl_unit(b) == 1 && ctl_unit(d) == 1, "same unit everywhere");
	CHECK(echo_on(a, b, 1) && echo_on(c, fd, 2) && echo_on(fd, d, 3), "echo across names");
	CHECK(fcntl(a, F_SETFL, fcntl(a, F_GETFL) | O_NONBLOCK) == 0, "F_SETFL");
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK is shared by the dups");
	CHECK_ERRNO(recv(fd, p, sizeof(p), 0), EAGAIN);
	CHECK(fcntl(a, F_SETFL, fcntl(a, F_GETFL) & ~O_NONBLOCK) == 0, "F_SETFL");
	CHECK(close(fd) == 0 && close(a) == 0 && close(c) == 0, "closing three names");
	CHECK(echo_on(b, d, 4), "the socket lives on under its other names");
	other = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	CHECK(ctl_unit(other) != 1, "unit 1 still in use: the new socket got %u", ctl_unit(other));
	CHECK(dup2(b, b) == b && echo_on(b, d, 5), "dup2(fd, fd)");
	CHECK(pipe(p) == 0, "pipe");
	CHECK(dup2(p[0], b) == b, "dup2 over one name: %s", strerror(errno));
	CHECK(echo_on(d, d, 6), "still alive under d");
	CHECK(dup2(p[0], d) == d, "dup2 over the last name: %s", strerror(errno));
	CHECK(write(p[1], "z", 1) == 1, "pipe write");
	{
		char ch = 0;

		CHECK(read(d, &ch, 1) == 1 && ch == 'z', "d is the pipe now");
	}
	close(other);
	other = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	CHECK(ctl_unit(other) == 1, "unit 1 free again after the last name went: %u",
	      ctl_unit(other));
	close(other);
	close(b);
	close(d);
	close(p[0]);
	close(p[1]);
	return checks_done("client_dup");
}
