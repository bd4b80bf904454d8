/*
 * request-reply - framed requests and events with libkctl, against the sample kext
 * (kext-sample/sample_proto.h says what it understands): a request whose payload is
 * attributes, its reply read back, an error reply from the kext explained as the kext's
 * answer, then events, which libkctl keeps aside while a request waits for its reply.
 *
 * On a Mac with Sample.kext loaded it runs as it is; here it runs against the simulated
 * kernel: kctl-sim run --kext Sample.so -- ./request-reply
 * Build: cc -I. request-reply.c $(pkg-config --cflags --libs libkctl)
 * (-I. for sample_proto.h, beside it in the installed examples)
 * Exit status 0 when every answer was the one the sample gives.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kctl.h>

#include "sample_proto.h"

/* Prints what happened and who said so (h's record for that kind of call). */
static int fail(const kctl_t *h, uint32_t call, const char *what, int rc)
{
	char msg[256];

	kctl_explain(h, call, rc, msg, sizeof msg);
	printf("%s: %s\n", what, msg);
	return 1;
}

/* COUNTER with an ADD attribute: the reply's VALUE attribute is the new total. */
static int counter_add(kctl_t *h, uint32_t n, uint64_t *total)
{
	uint64_t frame[8], reply[8];  /* frames are built and read 8-byte aligned */
	const struct kctl_frame_hdr *f = (const void *)frame;
	const struct kctl_attr *value;
	size_t len;
	int rc;

	kctl_frame_start(frame, sizeof frame, KCTL_FRAME_F_REQUEST, 0, 0, 0);
	kctl_attr_put_u32(frame, sizeof frame, SAMPLE_ATTR_ADD, n);
	rc = kctl_request(h, SAMPLE_MSG_COUNTER, kctl_frame_payload(f),
			  kctl_frame_payload_len(f), reply, sizeof reply, &len);
	if (rc == 0)
		rc = kctl_attr_find(reply, len, SAMPLE_ATTR_VALUE, &value);
	if (rc == 0)
		rc = kctl_attr_get_u64(value, total);
	return rc;
}

/* KV_GET of a key: the reply's VALUE, or the kext's ERROR reply (ENOENT: no such key). */
static int kv_get(kctl_t *h, const char *key, char *out, size_t cap)
{
	uint64_t frame[16], reply[40];
	const struct kctl_frame_hdr *f = (const void *)frame;
	const struct kctl_attr *value;
	size_t len;
	int rc;

	kctl_frame_start(frame, sizeof frame, KCTL_FRAME_F_REQUEST, 0, 0, 0);
	kctl_attr_put_str(frame, sizeof frame, SAMPLE_ATTR_KEY, key);
	rc = kctl_request(h, SAMPLE_MSG_KV_GET, kctl_frame_payload(f),
			  kctl_frame_payload_len(f), reply, sizeof reply, &len);
	if (rc == 0)
		rc = kctl_attr_find(reply, len, SAMPLE_ATTR_VALUE, &value);
	if (rc == 0)
		snprintf(out, cap, "%.*s", (int)kctl_attr_payload_len(value),
			 (const char *)kctl_attr_payload(value));
	return rc;
}

static int kv_set(kctl_t *h, const char *key, const char *val)
{
	uint64_t frame[16], reply[8];
	const struct kctl_frame_hdr *f = (const void *)frame;
	size_t len;

	kctl_frame_start(frame, sizeof frame, KCTL_FRAME_F_REQUEST, 0, 0, 0);
	kctl_attr_put_str(frame, sizeof frame, SAMPLE_ATTR_KEY, key);
	kctl_attr_put(frame, sizeof frame, SAMPLE_ATTR_VALUE, val, strlen(val));
	return kctl_request(h, SAMPLE_MSG_KV_SET, kctl_frame_payload(f),
			    kctl_frame_payload_len(f), reply, sizeof reply, &len);
}

/* Subscribes, reads `n` events, unsubscribes: every event numbered, none lost unsaid. */
static int events(kctl_t *h, int n)
{
	uint64_t ev[SAMPLE_MAX_FRAME / 8], reply[8];
	uint64_t seen = 0, dropped = 0, num = 0;
	size_t wire, len;
	int rc = kctl_request(h, SAMPLE_MSG_SUBSCRIBE, NULL, 0, reply, sizeof reply, &len);

	if (rc < 0)
		return fail(h, KCTL_CALL_REQUEST, "subscribe", rc);
	while (seen < (uint64_t)n && (rc = kctl_msg_recv(h, ev, sizeof ev, &wire)) == 0) {
		const struct kctl_frame_hdr *e = (const void *)ev;
		const struct kctl_attr *a;

		if (!(e->flags & KCTL_FRAME_F_EVENT))
			continue; /* only events come unasked from the sample */
		if (kctl_attr_find(kctl_frame_payload(e), kctl_frame_payload_len(e),
				   SAMPLE_ATTR_EVENT_SEQ, &a) != 0 || kctl_attr_get_u64(a, &num) != 0) {
			printf("an event without its number\n");
			return 1;
		}
		dropped += e->aux; /* events the kext could not queue just before this one */
		seen++;
	}
	if (rc < 0)
		return fail(h, KCTL_CALL_RECV, "event", rc);
	rc = kctl_request(h, SAMPLE_MSG_UNSUBSCRIBE, NULL, 0, reply, sizeof reply, &len);
	if (rc < 0)
		return fail(h, KCTL_CALL_REQUEST, "unsubscribe", rc);
	printf("%llu events, the last #%llu, %llu dropped\n", (unsigned long long)seen,
	       (unsigned long long)num, (unsigned long long)dropped);
	return num == seen + dropped ? 0 : 1;
}

/* The error reply: the kext's own ENOENT, reported as its answer. */
static int missing_key(kctl_t *h)
{
	struct kctl_error e;
	char val[64];
	int rc = kv_get(h, "size", val, sizeof val);

	if (rc != -ENOENT) {
		printf("get size: %d, want -ENOENT\n", rc);
		return 1;
	}
	fail(h, KCTL_CALL_REQUEST, "get size", rc);
	kctl_last_error(h, KCTL_CALL_REQUEST, &e);
	return e.origin == KCTL_ORIGIN_CONTROL ? 0 : 1;
}

static int run(kctl_t *h)
{
	uint64_t total = 0;
	char val[64];
	int rc;

	rc = counter_add(h, 5, &total);
	if (rc == 0)
		rc = counter_add(h, 2, &total);
	if (rc < 0)
		return fail(h, KCTL_CALL_REQUEST, "counter", rc);
	printf("counter: %llu\n", (unsigned long long)total);
	rc = kv_set(h, "colour", "teal");
	if (rc == 0)
		rc = kv_get(h, "colour", val, sizeof val);
	if (rc < 0)
		return fail(h, KCTL_CALL_REQUEST, "key/value", rc);
	printf("colour: %s\n", val);
	if (total != 7 || strcmp(val, "teal") != 0 || missing_key(h) != 0)
		return 1;
	return events(h, 5);
}

int main(void)
{
	struct kctl_error why;
	char msg[256];
	kctl_t *h;
	int rc = kctl_open_name_ex(NULL, SAMPLE_CTL_NAME, 0, KCTL_OPEN_DGRAM, &h, &why);

	if (rc < 0) {
		kctl_error_str(&why, msg, sizeof msg);
		printf("open %s: %s\n", SAMPLE_CTL_NAME, msg);
		return 1;
	}
	kctl_set_timeout(h, 2000);
	rc = run(h);
	kctl_close(h);
	printf("%s\n", rc == 0 ? "ok" : "FAILED");
	return rc;
}
