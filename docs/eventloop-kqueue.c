/*
 * eventloop-kqueue.c - the event loop of kctl.h on macOS, with kqueue: a sketch to copy.
 *
 * Written for a Mac and never run on one (no Mac here): it is compiled against Apple's
 * published headers by scripts/darwin-check.sh (user mode), which proves the calls and
 * types exist, not that it works. examples/eventloop-poll.c is the same loop with
 * poll(), and that one runs in `make check` against the simulated sample kext.
 *
 * The rule is the one of kctl.h: frames libkctl has already read do not make the fd
 * readable, so each turn sleeps at most kctl_msg_wait_ms(h) (0 while a frame is ready,
 * else until the earliest request deadline, else forever), then drains
 * kctl_msg_recv_info() until -EAGAIN. The kqueue holds one EVFILT_READ on kctl_fd(h);
 * other sources of the program go into the same kqueue.
 *
 * Grand Central Dispatch: the same rule with a read source, sketched here only in this
 * comment, because GCD's headers are not among Apple's published sources this project
 * compiles against (so it could not be checked):
 *     src = dispatch_source_create(DISPATCH_SOURCE_TYPE_READ, kctl_fd(h), 0, queue);
 *     dispatch_source_set_event_handler(src, ^{ drain(h); rearm_timer(h); });
 * where drain() is the function below and rearm_timer() sets a dispatch timer source to
 * kctl_msg_wait_ms(h) so that request timeouts are delivered when no data comes; call
 * drain() once after any kctl_request() made on the queue, since it may buffer frames.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/event.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "kctl.h"

#define SAMPLE_CTL_NAME "org.libkctl.sample" /* kext-sample/sample_proto.h */
#define SAMPLE_MSG_SUBSCRIBE 6

/* Hands out every frame that is ready; -EAGAIN when none is left. */
static int drain(kctl_t *h, unsigned *events)
{
	uint64_t buf[2048 / 8];
	struct kctl_msg_info info;
	size_t wire = 0;
	int rc;

	while ((rc = kctl_msg_recv_info(h, buf, sizeof(buf), &wire, &info)) == 0) {
		if (info.kind == KCTL_MSG_EVENT)
			(*events)++;
		else if (info.kind == KCTL_MSG_REPLY && info.err)
			printf("request %u: %s\n", info.seq, kctl_strerror(info.err));
	}
	return rc;
}

/* One turn: sleep in kevent() no longer than libkctl allows, then drain. */
static int turn(int kq, kctl_t *h, unsigned *events)
{
	int32_t ms = kctl_msg_wait_ms(h);
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	struct kevent ev;

	if (kevent(kq, NULL, 0, &ev, 1, ms < 0 ? NULL : &ts) < 0 && errno != EINTR)
		return -errno;
	return drain(h, events);
}

int main(void)
{
	struct kctl_error why;
	struct kevent ev;
	unsigned events = 0;
	uint32_t seq = 0;
	char msg[256];
	kctl_t *h;
	int kq, rc;

	if (kctl_open_name_ex(NULL, SAMPLE_CTL_NAME, 0, 0, &h, &why) < 0) {
		kctl_error_str(&why, msg, sizeof(msg));
		fprintf(stderr, "open: %s\n", msg);
		return 1;
	}
	kctl_set_timeout(h, 0); /* receives never wait: kevent() does */
	kq = kqueue();
	EV_SET(&ev, kctl_fd(h), EVFILT_READ, EV_ADD, 0, 0, NULL);
	if (kq < 0 || kevent(kq, &ev, 1, NULL, 0, NULL) < 0) {
		perror("kqueue");
		return 1;
	}
	rc = kctl_request_start(h, SAMPLE_MSG_SUBSCRIBE, NULL, 0, 1000, &seq);
	while (rc == 0 && events < 100) {
		rc = turn(kq, h, &events);
		if (rc == -EAGAIN)
			rc = 0; /* drained: sleep again */
	}
	if (rc < 0) {
		kctl_explain(h, KCTL_CALL_RECV, rc, msg, sizeof(msg));
		fprintf(stderr, "loop: %s\n", msg);
	}
	printf("%u events\n", events);
	close(kq);
	kctl_close(h);
	return rc < 0;
}
