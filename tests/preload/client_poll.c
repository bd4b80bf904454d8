/*
 * client_poll.c - waiting as event loops do: poll, select and epoll report POLLIN
 * exactly when a reply is queued and the socket always writable; non-blocking sockets
 * (FIONBIO, O_NONBLOCK, MSG_DONTWAIT) say EAGAIN; SO_RCVTIMEO bounds a blocking read
 * (EAGAIN); a signal interrupts a blocking read with EINTR, or the read restarts under
 * SA_RESTART and gets the data that comes later.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

#include "check.h"
#include "frames.h"

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	if (poll(&p, 1, ms) < 0)
		return -1;
	return (p.revents & POLLIN) != 0;
}

static size_t request(int fd, uint32_t seq)
{
	unsigned char req[32];
	size_t n = frame_request(req, SAMPLE_MSG_ECHO, seq, "pp", 2);

	return send(fd, req, n, 0) == (ssize_t)n ? n : 0;
}

static void readiness(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	unsigned char rep[64];
	struct timeval tv = { 0, 0 };
	fd_set rs, ws;
	int ep = epoll_create1(0);

	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "idle: revents %#x", p.revents);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "epoll_ctl");
	CHECK(epoll_wait(ep, &out, 1, 0) == 0, "epoll: readable while idle");
	CHECK(request(fd, 1) > 0, "send");
	CHECK(readable(fd, 2000) == 1, "no POLLIN after a request");
	CHECK(epoll_wait(ep, &out, 1, 1000) == 1 && (out.events & EPOLLIN), "epoll: no EPOLLIN");
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(fd, &rs);
	FD_SET(fd, &ws);
	CHECK(select(fd + 1, &rs, &ws, NULL, &tv) == 2 && FD_ISSET(fd, &rs), "select");
	CHECK(recv(fd, rep, sizeof(rep), 0) == 24, "recv");
	CHECK(readable(fd, 0) == 0, "POLLIN after the queue was drained");
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	tv.tv_usec = 1000;
	CHECK(select(fd + 1, &rs, NULL, NULL, &tv) == 0, "select: readable while empty");
	close(ep);
}

static void nonblocking(int fd)
{
	unsigned char rep[64];
	int on = 1, fl;

	CHECK_ERRNO(recv(fd, rep, sizeof(rep), MSG_DONTWAIT), EAGAIN);
	CHECK(ioctl(fd, FIONBIO, &on) == 0, "FIONBIO: %s", strerror(errno));
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "FIONBIO is O_NONBLOCK");
	CHECK_ERRNO(read(fd, rep, sizeof(rep)), EAGAIN);
	on = 0;
	CHECK(ioctl(fd, FIONBIO, &on) == 0 && !(fcntl(fd, F_GETFL) & O_NONBLOCK), "FIONBIO off");
	fl = fcntl(fd, F_GETFL);
	CHECK(fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0, "F_SETFL");
	CHECK_ERRNO(recv(fd, rep, sizeof(rep), 0), EAGAIN);
	CHECK(request(fd, 2) > 0 && readable(fd, 2000) == 1, "reply");
	CHECK(recv(fd, rep, sizeof(rep), 0) == 24, "a non-blocking recv with data");
	CHECK(fcntl(fd, F_SETFL, fl) == 0, "F_SETFL back");
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void timeout(int fd)
{
	struct timeval tv = { 0, 100000 }, got;
	socklen_t len = sizeof(got);
	unsigned char rep[64];
	struct timespec t0;

	CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0, "SO_RCVTIMEO");
	CHECK(getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &got, &len) == 0 && got.tv_sec == 0 &&
	      got.tv_usec >= 100000 && got.tv_usec < 110000, "reads back %ld us",
	      (long)got.tv_usec);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_ERRNO(recv(fd, rep, sizeof(rep), 0), EAGAIN);
	CHECK(ms_since(&t0) >= 90, "timed out after %ld ms", ms_since(&t0));
	tv.tv_usec = 0;
	CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0, "SO_RCVTIMEO off");
}

static void on_alarm(int sig)
{
	(void)sig;
}

struct late {
	int fd;
	int ms;
};

static void *send_later(void *arg)
{
	const struct late *l = arg;
	struct timespec ts = { 0, (long)l->ms * 1000000L };

	nanosleep(&ts, NULL);
	(void)request(l->fd, 9);
	return NULL;
}

static void signals(int fd)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	struct late l = { fd, 250 };
	unsigned char rep[64];
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: the read is interrupted */
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERRNO(read(fd, rep, sizeof(rep)), EINTR);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pthread_create(&t, NULL, send_later, &l);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK(read(fd, rep, sizeof(rep)) == 24, "SA_RESTART: the read goes on: %s",
	      strerror(errno));
	pthread_join(t, NULL);
}

int main(void)
{
	int fd = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);

	CHECK(fd >= 0, "open: %s", strerror(-fd));
	readiness(fd);
	nonblocking(fd);
	timeout(fd);
	signals(fd);
	close(fd);
	return checks_done("client_poll");
}
