/* wait.c - bounded waiting on the handle's fd, the one place the core blocks. */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "handle.h"

int64_t kctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kctl_clock_arm(struct kctl_clock *c)
{
	if (c->timeout_ms > 0 && c->deadline_ms == 0)
		c->deadline_ms = kctl_now_ms() + c->timeout_ms;
}

/* Milliseconds poll() may wait: -1 forever, or what is left (0: time is up). */
static int clock_left(struct kctl_clock *c)
{
	int64_t rem;

	if (c->timeout_ms < 0)
		return -1;
	kctl_clock_arm(c);
	rem = c->deadline_ms - kctl_now_ms();
	return rem > 0 ? (int)rem : 0;
}

int kctl_clock_expired(struct kctl_clock *c)
{
	return c->timeout_ms > 0 && c->deadline_ms != 0 && clock_left(c) == 0;
}

int kctl_wait_fd(int fd, short events, struct kctl_clock *c)
{
	struct pollfd p = { .fd = fd, .events = events, .revents = 0 };

	if (c->timeout_ms == 0)
		return -EAGAIN;
	for (;;) {
		int left = clock_left(c);
		int n;

		if (left == 0)
			return -ETIMEDOUT;
		n = poll(&p, 1, left);
		if (n > 0)
			return 0; /* POLLERR/POLLHUP too: the next call reports the error */
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}
