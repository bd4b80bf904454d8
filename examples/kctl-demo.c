/*
 * kctl-demo - `make demo`: the sample kext (kext-sample/) loaded into the simulated
 * kernel, and a client talking to it through libkctl, printed as a transcript.
 *
 * Lines starting with [kext] are the kext's own printf output. Everything the client
 * does here is what it would do on a Mac with Sample.kext loaded: replace the simulated
 * backend with kctl_backend_native() (or NULL) and drop the load/unload steps.
 *
 * Usage: kctl-demo [PATH-TO-Sample.so]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kctl.h"
#include "kctl_frame.h"
#include "kctl_kpi.h"
#include "kctl_sim.h"
#include "sample_proto.h"

/* The kext's printf lines, indented under the client step that caused them. */
static void kext_line(void *ctx, const char *line)
{
	(void)ctx;
	printf("      [kext] %s\n", line);
}

static void step(const char *what)
{
	printf("\n> %s\n", what);
}

/* Prints "ok: ..." or the library's sentence for the error; returns rc. */
static int result(int rc, const char *ok)
{
	if (rc == 0)
		printf("  ok: %s\n", ok);
	else
		printf("  error: %s\n", kctl_strerror(rc));
	return rc;
}

/*
 * For calls the kext may refuse (a request, an option): libkctl's sentence says who
 * answered (here the control: an ERROR reply, a setopt callback's errno), then what the
 * sample means by that errno (sample_proto.h).
 */
static void kext_result(kctl_t *h, uint32_t call, int rc, const char *ok,
			const char *meaning)
{
	char why[256];

	if (rc == 0) {
		printf("  ok: %s\n", ok);
		return;
	}
	kctl_explain(h, call, rc, why, sizeof(why));
	printf("  error: %s\n  (the sample's meaning: %s)\n", why, meaning);
}

/* A request payload of attributes, built with the codec in a scratch frame. */
struct payload {
	uint64_t buf[64];
};

static void payload_init(struct payload *p)
{
	kctl_frame_start(p->buf, sizeof(p->buf), KCTL_FRAME_F_REQUEST, 0, 0, 0);
}

static int call(kctl_t *h, uint16_t type, const struct payload *p, void *reply, size_t cap,
		size_t *rlen)
{
	const struct kctl_frame_hdr *f;

	if (p == NULL)
		return kctl_request(h, type, NULL, 0, reply, cap, rlen);
	f = (const void *)p->buf;
	return kctl_request(h, type, kctl_frame_payload(f), kctl_frame_payload_len(f), reply,
			    cap, rlen);
}

static void demo_echo(kctl_t *h)
{
	char reply[64], msg[96];
	size_t rlen = 0;
	int rc;

	step("echo \"hello, kernel\"");
	rc = kctl_request(h, SAMPLE_MSG_ECHO, "hello, kernel", 13, reply, sizeof(reply), &rlen);
	snprintf(msg, sizeof(msg), "the kext sent back \"%.*s\"", (int)rlen, reply);
	result(rc, msg);
}

static void demo_counter(kctl_t *h)
{
	uint32_t adds[] = { 1, 10, 100 };

	for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++) {
		struct payload p;
		uint64_t reply[8], v = 0;
		const struct kctl_attr *a;
		size_t rlen = 0;
		char msg[64];
		int rc;

		printf("\n> counter: add %u\n", adds[i]);
		payload_init(&p);
		kctl_attr_put_u32(p.buf, sizeof(p.buf), SAMPLE_ATTR_ADD, adds[i]);
		rc = call(h, SAMPLE_MSG_COUNTER, &p, reply, sizeof(reply), &rlen);
		if (rc == 0 && kctl_attr_find(reply, rlen, SAMPLE_ATTR_VALUE, &a) == 0)
			kctl_attr_get_u64(a, &v);
		snprintf(msg, sizeof(msg), "the counter is now %llu", (unsigned long long)v);
		result(rc, msg);
	}
}

static int kv(kctl_t *h, uint16_t type, const char *key, const char *val, char *out,
	      size_t cap)
{
	struct payload p;
	uint64_t reply[64];
	const struct kctl_attr *a;
	size_t rlen = 0;
	int rc;

	payload_init(&p);
	kctl_attr_put_str(p.buf, sizeof(p.buf), SAMPLE_ATTR_KEY, key);
	if (val != NULL)
		kctl_attr_put(p.buf, sizeof(p.buf), SAMPLE_ATTR_VALUE, val, strlen(val));
	rc = call(h, type, &p, reply, sizeof(reply), &rlen);
	if (rc == 0 && out != NULL && kctl_attr_find(reply, rlen, SAMPLE_ATTR_VALUE, &a) == 0)
		snprintf(out, cap, "%.*s", (int)kctl_attr_payload_len(a),
			 (const char *)kctl_attr_payload(a));
	return rc;
}

static void demo_kv(kctl_t *h)
{
	char val[64] = "", msg[96];

	step("key/value: set colour = blue");
	result(kv(h, SAMPLE_MSG_KV_SET, "colour", "blue", NULL, 0), "stored");
	step("key/value: get colour");
	{
		int rc = kv(h, SAMPLE_MSG_KV_GET, "colour", NULL, val, sizeof(val));

		snprintf(msg, sizeof(msg), "colour = %s", val);
		result(rc, msg);
	}
	step("key/value: get size (never set; the kext answers with an error reply)");
	kext_result(h, KCTL_CALL_REQUEST, kv(h, SAMPLE_MSG_KV_GET, "size", NULL, val, sizeof(val)),
		    "found",
		    "no such key");
}

static void demo_events(kctl_t *h)
{
	uint64_t buf[SAMPLE_MAX_FRAME / 8], reply[4];
	const struct kctl_frame_hdr *f = (const void *)buf;
	size_t rlen = 0, wire = 0;

	step("subscribe to events (the kext's timer pushes one every 20 ms)");
	result(call(h, SAMPLE_MSG_SUBSCRIBE, NULL, reply, sizeof(reply), &rlen), "subscribed");
	for (int i = 0; i < 3; i++) {
		const struct kctl_attr *a;
		uint64_t seq = 0;
		char msg[96];
		int rc = kctl_msg_recv(h, buf, sizeof(buf), &wire);

		if (rc == 0 && kctl_attr_find(kctl_frame_payload(f), kctl_frame_payload_len(f),
					      SAMPLE_ATTR_EVENT_SEQ, &a) == 0)
			kctl_attr_get_u64(a, &seq);
		snprintf(msg, sizeof(msg), "event #%llu (%u dropped before it)",
			 (unsigned long long)seq, rc == 0 ? f->aux : 0);
		result(rc, msg);
	}
	step("unsubscribe");
	result(call(h, SAMPLE_MSG_UNSUBSCRIBE, NULL, reply, sizeof(reply), &rlen),
	       "no more events");
}

static void demo_options(kctl_t *h)
{
	char label[SAMPLE_LABEL_MAX + 1] = "", msg[128];
	struct sample_stats st;
	size_t size = 0, len = 0;
	int rc;

	step("option LABEL: ask its size, then read it");
	rc = kctl_getopt_size(h, SAMPLE_OPT_LABEL, &size);
	if (rc == 0)
		rc = kctl_get_str(h, SAMPLE_OPT_LABEL, label, sizeof(label));
	snprintf(msg, sizeof(msg), "%zu bytes: \"%s\"", size, label);
	result(rc, msg);
	step("option LABEL: set \"demo client\"");
	rc = kctl_set_str(h, SAMPLE_OPT_LABEL, "demo client");
	if (rc == 0)
		rc = kctl_get_str(h, SAMPLE_OPT_LABEL, label, sizeof(label));
	snprintf(msg, sizeof(msg), "read back \"%s\"", label);
	result(rc, msg);
	step("option BURST: set 0 (out of range)");
	kext_result(h, KCTL_CALL_OPTION, kctl_set_u32(h, SAMPLE_OPT_BURST, 0), "set",
		    "burst must be 1..256");
	step("option STATS");
	memset(&st, 0, sizeof(st));
	rc = kctl_getopt(h, SAMPLE_OPT_STATS, &st, sizeof(st), &len);
	snprintf(msg, sizeof(msg), "%llu requests, %llu errors, %llu events sent, %llu dropped",
		 (unsigned long long)st.requests, (unsigned long long)st.errors,
		 (unsigned long long)st.events_sent, (unsigned long long)st.events_dropped);
	result(rc, msg);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : SAMPLE_KEXT_PATH;
	kctl_kpi_kext_t *kext = NULL;
	kctl_sim_t *sim = NULL;
	kctl_t *h = NULL;
	char msg[128];

	printf("libkctl %s demo: the sample kext in a simulated kernel, a client via libkctl\n",
	       kctl_version());
	if (kctl_sim_new(&sim) != 0)
		return 1;
	kctl_kpi_set_log(kext_line, NULL);
	step("kernel: load Sample.kext");
	if (result(kctl_kpi_load_module(sim, path, &kext), "loaded org.libkctl.sample") != 0)
		return 1;

	step("client: open " SAMPLE_CTL_NAME " (DGRAM), the kernel picks the unit");
	if (result(kctl_open_name(kctl_sim_backend(sim), SAMPLE_CTL_NAME, 0, 0, &h), "open") != 0)
		return 1;
	kctl_set_timeout(h, 2000);
	printf("  connected to control id %u, unit %u\n", kctl_id(h), kctl_unit(h));

	demo_echo(h);
	demo_counter(h);
	demo_kv(h);
	demo_events(h);
	demo_options(h);

	step("kernel: unload while the client is connected");
	result(kctl_kpi_unload(kext), "unloaded");
	step("client: close");
	result(kctl_close(h), "closed");
	step("kernel: unload again");
	snprintf(msg, sizeof(msg), "unloaded; %s is gone", SAMPLE_CTL_NAME);
	result(kctl_kpi_unload(kext), msg);
	kctl_kpi_set_log(NULL, NULL);
	kctl_sim_free(sim);
	return 0;
}
