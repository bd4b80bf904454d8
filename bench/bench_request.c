/*
 * bench_request - the kctl_request() round trip against the same exchange written by
 * hand on the same handle, in the same run.
 *
 * A frame-echo control in the simulated kernel answers every request inside its send
 * callback (as a kext does on a Mac). The baseline sends a prebuilt request frame with
 * kctl_send() and reads the reply with kctl_recv(); libkctl's kctl_request() builds the
 * frame, sends it, and sorts the reply out by seq. Prints nanoseconds per request as
 * the median (min, max) of RUNS runs, for a 64-byte payload on DGRAM and STREAM, and the
 * ratio libkctl/baseline.
 * Usage: bench_request [requests per run (default 20000)]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kctl.h"
#include "kctl_sim.h"

#define RUNS 7
#define PAYLOAD 64

struct echo {
	int stream;
};

static int echo_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return 0;
}

/* Answers one request frame with a REPLY carrying the same payload. */
static int echo_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		     int flags)
{
	const struct echo *e = kctl_sim_ctl_cookie(ctl);
	uint64_t buf[64];
	size_t len = kctl_sim_mbuf_pkthdr_len(m);
	struct kctl_frame_hdr h;
	int rc = len <= sizeof(buf) ? kctl_sim_mbuf_copydata(m, 0, len, buf) : -EMSGSIZE;

	(void)unitinfo; (void)flags;
	kctl_sim_mbuf_free(m);
	if (rc != 0 || len < sizeof(h))
		return rc ? rc : -EBADMSG;
	memcpy(&h, buf, sizeof(h));
	h.flags = KCTL_FRAME_F_REPLY;
	memcpy(buf, &h, sizeof(h));
	return kctl_sim_enqueue(ctl, unit, buf, KCTL_FRAME_WIRE_SIZE(h.len),
				e->stream ? 0 : KCTL_ABI_CTL_DATA_EOR);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The hand-written exchange: a prebuilt frame out, the reply read until complete. */
static int by_hand(kctl_t *h, uint64_t *req, size_t wire, uint32_t seq)
{
	uint64_t in[32];
	struct kctl_frame_hdr fh;
	size_t got = 0;

	memcpy(&fh, req, sizeof(fh));
	fh.seq = seq;
	memcpy(req, &fh, sizeof(fh));
	if (kctl_send(h, req, wire, NULL) != 0)
		return -1;
	while (got < wire) {
		size_t n = 0;

		if (kctl_recv(h, (char *)in + got, sizeof(in) - got, &n, NULL) != 0 || n == 0)
			return -1;
		got += n;
	}
	memcpy(&fh, in, sizeof(fh));
	return fh.seq == seq ? 0 : -1;
}

static int with_libkctl(kctl_t *h, uint64_t *req, size_t wire, uint32_t seq)
{
	char payload[PAYLOAD], reply[PAYLOAD];
	size_t len = 0;

	(void)req; (void)wire; (void)seq;
	memset(payload, 'x', sizeof(payload));
	if (kctl_request(h, 1, payload, sizeof(payload), reply, sizeof(reply), &len) != 0)
		return -1;
	return len == sizeof(reply) ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct figure {
	double median, min, max;
};

static int measure(kctl_t *h, uint32_t n, int (*one)(kctl_t *, uint64_t *, size_t, uint32_t),
		   struct figure *fig)
{
	uint64_t req[16];
	double runs[RUNS];
	size_t wire = 0;
	char payload[PAYLOAD];

	memset(payload, 'x', sizeof(payload));
	if (kctl_frame_start(req, sizeof(req), KCTL_FRAME_F_REQUEST, 1, 1, 0) ||
	    kctl_frame_put(req, sizeof(req), payload, sizeof(payload)) ||
	    kctl_frame_finish(req, sizeof(req), &wire))
		return -1;
	for (int r = 0; r < RUNS; r++) {
		double t0 = now_ns();

		for (uint32_t i = 0; i < n; i++)
			if (one(h, req, wire, 0x80000000u + i) != 0)
				return -1;
		runs[r] = (now_ns() - t0) / n;
	}
	qsort(runs, RUNS, sizeof(runs[0]), cmp_double);
	*fig = (struct figure){ runs[RUNS / 2], runs[0], runs[RUNS - 1] };
	return 0;
}

static int bench(kctl_sim_t *sim, const char *name, int stream, uint32_t n)
{
	uint32_t flags = stream ? KCTL_OPEN_STREAM : KCTL_OPEN_DGRAM;
	struct figure hand, lib;
	kctl_t *h;

	if (kctl_open_name(kctl_sim_backend(sim), name, 0, flags, &h) != 0)
		return -1;
	if (measure(h, n, by_hand, &hand) || measure(h, n, with_libkctl, &lib)) {
		kctl_close(h);
		return -1;
	}
	printf("  %-6s by hand: %7.0f ns (%.0f..%.0f)   kctl_request: %7.0f ns (%.0f..%.0f)"
	       "   ratio %.2f\n", stream ? "STREAM" : "DGRAM", hand.median, hand.min, hand.max,
	       lib.median, lib.min, lib.max, lib.median / hand.median);
	return kctl_close(h);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 20000;
	struct echo ed = { 0 }, es = { 1 };
	struct kctl_sim_reg rd = { .name = "org.libkctl.bench.echo", .connect = echo_connect,
				   .send = echo_send, .cookie = &ed };
	struct kctl_sim_reg rs = { .name = "org.libkctl.bench.echo.stream",
				   .connect = echo_connect, .send = echo_send, .cookie = &es,
				   .flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM };
	kctl_sim_ctl_t *cd, *cs;
	kctl_sim_t *sim;

	if (n == 0 || kctl_sim_new(&sim) || kctl_sim_register(sim, &rd, &cd) ||
	    kctl_sim_register(sim, &rs, &cs))
		return 1;
	printf("request/response round trip, %d-byte payload, median (min..max) of %d runs "
	       "of %u (simulated kernel)\n", PAYLOAD, RUNS, n);
	if (bench(sim, rd.name, 0, n) || bench(sim, rs.name, 1, n))
		return 1;
	kctl_sim_deregister(cd);
	kctl_sim_deregister(cs);
	kctl_sim_free(sim);
	return 0;
}
