/*
 * eventloop-poll - a poll() event loop: requests started without waiting, their replies
 * and the kext's events handled as they come, and the frames libkctl already holds
 * drained before the loop sleeps again.
 *
 * It runs against the sample kext (kext-sample/) loaded into a simulated kernel. On a
 * Mac with Sample.kext loaded the client part is the same: open with the native backend
 * (NULL) and drop the load/unload steps.
 *
 * What it does: subscribes to events, starts five counter requests at once (add 1..5),
 * handles events and replies in whatever order they come, unsubscribes after ten
 * events, and stops when the unsubscribe is answered. It exits 0 only if every request
 * was answered, the counter reached 15, and the events' numbers and the drops the kext
 * announced add up (no event lost or seen twice).
 *
 * Usage: eventloop-poll [PATH-TO-Sample.so]
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kctl.h"
#include "kctl_frame.h"
#include "kctl_kpi.h"
#include "kctl_sim.h"
#include "sample_proto.h"

#define COUNTER_REQUESTS 5
#define EVENTS_WANTED 10

struct app {
	kctl_t *h;
	uint32_t subscribe_seq, unsubscribe_seq;
	int replies;            /* counter replies */
	uint64_t counter;       /* the highest value a reply showed */
	uint64_t events, last_event, dropped;
	int done;
	int failed;
};

static int fail(struct app *a, const char *what, int rc)
{
	char why[256];

	kctl_explain(a->h, KCTL_CALL_REQUEST, rc, why, sizeof(why));
	printf("%s: %s\n", what, why);
	a->failed = 1;
	return rc;
}

/* Starts a request whose payload is at most one u32 attribute (type 0: none). */
static int start(struct app *a, uint16_t type, uint16_t attr, uint32_t v, uint32_t *seq)
{
	uint64_t p[4];
	const struct kctl_frame_hdr *f = (const void *)p;
	int rc;

	kctl_frame_start(p, sizeof(p), KCTL_FRAME_F_REQUEST, 0, 0, 0);
	if (attr)
		kctl_attr_put_u32(p, sizeof(p), attr, v);
	rc = kctl_request_start(a->h, type, kctl_frame_payload(f), kctl_frame_payload_len(f),
				1000, seq);
	return rc < 0 ? fail(a, "start", rc) : 0;
}

static void on_event(struct app *a, const struct kctl_frame_hdr *f)
{
	const struct kctl_attr *at;
	uint64_t n = 0;

	if (kctl_attr_find(kctl_frame_payload(f), kctl_frame_payload_len(f),
			   SAMPLE_ATTR_EVENT_SEQ, &at) != 0 || kctl_attr_get_u64(at, &n) != 0) {
		printf("event without a number\n");
		a->failed = 1;
		return;
	}
	/* every event is numbered; aux counts the ones dropped just before this one */
	if (n != a->last_event + 1 + f->aux) {
		printf("event #%llu after #%llu with %u announced drops: a gap\n",
		       (unsigned long long)n, (unsigned long long)a->last_event, f->aux);
		a->failed = 1;
	}
	a->last_event = n;
	a->dropped += f->aux;
	a->events++;
	if (a->events == EVENTS_WANTED && a->unsubscribe_seq == 0) {
		printf("%d events: unsubscribing\n", EVENTS_WANTED);
		start(a, SAMPLE_MSG_UNSUBSCRIBE, 0, 0, &a->unsubscribe_seq);
	}
}

static void on_reply(struct app *a, const struct kctl_frame_hdr *f,
		     const struct kctl_msg_info *info)
{
	const struct kctl_attr *at;
	uint64_t v = 0;

	if (info->err) { /* an ERROR reply (origin CONTROL) or a timeout (origin LIBRARY) */
		struct kctl_error e = { .err = info->err, .call = KCTL_CALL_REQUEST,
					.origin = info->origin };
		char why[256];

		kctl_error_str(&e, why, sizeof(why));
		printf("request seq %u failed: %s\n", info->seq, why);
		a->failed = 1;
		return;
	}
	if (info->seq == a->subscribe_seq) {
		printf("subscribed\n");
	} else if (info->seq == a->unsubscribe_seq) {
		printf("unsubscribed after %llu events\n", (unsigned long long)a->events);
		a->done = 1;
	} else if (kctl_attr_find(kctl_frame_payload(f), kctl_frame_payload_len(f),
				  SAMPLE_ATTR_VALUE, &at) == 0 && kctl_attr_get_u64(at, &v) == 0) {
		a->replies++;
		if (v > a->counter)
			a->counter = v;
	}
}

/* Hands out every frame that is ready now; -EAGAIN when none is left. */
static int drain(struct app *a)
{
	uint64_t buf[SAMPLE_MAX_FRAME / 8];
	const struct kctl_frame_hdr *f = (const void *)buf;
	struct kctl_msg_info info;
	size_t wire = 0;
	int rc;

	while ((rc = kctl_msg_recv_info(a->h, buf, sizeof(buf), &wire, &info)) == 0) {
		if (info.kind == KCTL_MSG_EVENT)
			on_event(a, f);
		else if (info.kind == KCTL_MSG_REPLY)
			on_reply(a, f, &info);
	}
	/* after -EAGAIN nothing is buffered: the fd alone tells when more comes */
	if (rc == -EAGAIN && kctl_msg_pending(a->h) != 0) {
		printf("frames left behind after EAGAIN\n");
		a->failed = 1;
	}
	return rc;
}

static int loop(struct app *a)
{
	int turns = 0;

	while (!a->done && !a->failed && turns++ < 1000) {
		struct pollfd p = { .fd = kctl_fd(a->h), .events = POLLIN };
		int rc;

		if (poll(&p, 1, kctl_msg_wait_ms(a->h)) < 0 && errno != EINTR)
			return -errno;
		rc = drain(a);
		if (rc != -EAGAIN) {
			char why[256];

			kctl_explain(a->h, KCTL_CALL_RECV, rc, why, sizeof(why));
			printf("receive: %s\n", why);
			return rc;
		}
	}
	return a->done ? 0 : -ETIMEDOUT;
}

static int run(struct app *a)
{
	uint32_t seq;

	kctl_set_timeout(a->h, 0); /* receives never wait: poll() does */
	if (start(a, SAMPLE_MSG_SUBSCRIBE, 0, 0, &a->subscribe_seq) < 0)
		return 1;
	for (uint32_t i = 1; i <= COUNTER_REQUESTS; i++)
		if (start(a, SAMPLE_MSG_COUNTER, SAMPLE_ATTR_ADD, i, &seq) < 0)
			return 1;
	printf("%d requests in flight\n", COUNTER_REQUESTS + 1);
	if (loop(a) < 0 || a->failed)
		return 1;
	printf("%d counter replies, counter = %llu, %llu events, %llu dropped\n", a->replies,
	       (unsigned long long)a->counter, (unsigned long long)a->events,
	       (unsigned long long)a->dropped);
	return a->replies == COUNTER_REQUESTS && a->counter == 15 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : SAMPLE_KEXT_PATH;
	struct app a = { 0 };
	kctl_kpi_kext_t *kext = NULL;
	kctl_sim_t *sim = NULL;
	struct kctl_error why;
	char msg[256];
	int rc;

	if (kctl_sim_new(&sim) != 0 || kctl_kpi_load_module(sim, path, &kext) != 0) {
		printf("cannot load %s\n", path);
		return 1;
	}
	if (kctl_open_name_ex(kctl_sim_backend(sim), SAMPLE_CTL_NAME, 0, 0, &a.h, &why) < 0) {
		kctl_error_str(&why, msg, sizeof(msg));
		printf("open: %s\n", msg);
		return 1;
	}
	rc = run(&a);
	kctl_close(a.h);
	kctl_kpi_unload(kext);
	kctl_sim_free(sim);
	printf("%s\n", rc == 0 ? "ok" : "FAILED");
	return rc;
}
