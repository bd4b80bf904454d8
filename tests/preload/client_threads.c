/*
 * client_threads.c - threads, as a VPN client has them: several threads each with
 * their own socket doing requests at once; one socket shared by a reader blocked in
 * recv and a writer; and a reader blocked while another thread closes the socket
 * (it comes back with EBADF, as the simulated kernel promises; a Mac would leave it
 * asleep).
 */
#include <pthread.h>
#include <time.h>

#include "check.h"
#include "frames.h"

#define THREADS 4
#define ROUNDS 200

static void *worker(void *arg)
{
	int fd = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL), ok = 0;

	(void)arg;
	for (uint32_t i = 0; fd >= 0 && i < ROUNDS; i++) {
		unsigned char req[32], rep[64];
		size_t n = frame_request(req, SAMPLE_MSG_ECHO, i, "th", 2);
		ssize_t got;

		if (send(fd, req, n, 0) != (ssize_t)n)
			break;
		got = recv(fd, rep, sizeof(rep), 0);
		if (got <= 0 || !frame_is_echo(rep, (size_t)got, i, "th", 2))
			break;
		ok++;
	}
	if (fd >= 0)
		close(fd);
	return (void *)(intptr_t)ok;
}

static void *reader(void *arg)
{
	unsigned char rep[64];
	ssize_t got = recv(*(int *)arg, rep, sizeof(rep), 0);

	return (void *)(intptr_t)(got >= 0 ? got : -errno);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000L };

	nanosleep(&ts, NULL);
}

int main(void)
{
	pthread_t t[THREADS], r;
	unsigned char req[32];
	void *res;
	int fd;

	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], &res);
		CHECK((intptr_t)res == ROUNDS, "thread %d: %ld of %d rounds", i, (long)(intptr_t)res,
		      ROUNDS);
	}
	fd = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	CHECK(fd >= 0, "open");
	pthread_create(&r, NULL, reader, &fd);
	sleep_ms(50);
	{
		size_t n = frame_request(req, SAMPLE_MSG_ECHO, 77, "wk", 2);

		CHECK(send(fd, req, n, 0) == (ssize_t)n, "send while another thread reads");
	}
	pthread_join(r, &res);
	CHECK((intptr_t)res == 24, "the blocked reader got %ld", (long)(intptr_t)res);
	pthread_create(&r, NULL, reader, &fd);
	sleep_ms(50);
	CHECK(close(fd) == 0, "close under a blocked reader");
	pthread_join(r, &res);
	CHECK((intptr_t)res == -EBADF, "the reader came back with %ld", (long)(intptr_t)res);
	return checks_done("client_threads");
}
