/*
 * bench_stream - framed STREAM receive against the naive reader, in the same run.
 *
 * A control in the simulated kernel queues bursts of small event frames; the baseline
 * reads each frame as most clients do (a 16-byte header, then the body: two receives),
 * libkctl's kctl_msg_recv() pulls what is queued and cuts frames out of its buffer.
 * Prints receive syscalls per frame and nanoseconds per frame for both, and the ratios.
 * Usage: bench_stream [frames (default 200000)]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kctl.h"
#include "kctl_sim.h"

#define BURST 1000

static int bench_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			 void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Queues one burst of BURST event frames (24 bytes each) for the client. */
static int queue_burst(kctl_sim_ctl_t *ctl, uint32_t unit, uint32_t base)
{
	static uint64_t buf[BURST * 3];
	size_t off = 0;

	for (uint32_t i = 0; i < BURST; i++) {
		uint32_t v = base + i;
		size_t w = 0;
		char *f = (char *)buf + off;

		if (kctl_frame_start(f, 24, KCTL_FRAME_F_EVENT, 1, 0, 0) ||
		    kctl_frame_put(f, 24, &v, sizeof(v)) || kctl_frame_finish(f, 24, &w))
			return -1;
		off += w;
	}
	return kctl_sim_enqueue(ctl, unit, buf, off, 0);
}

/* The baseline: header, then body, each with its own receive. */
static int naive_read(kctl_t *h, size_t want)
{
	uint64_t buf[8];
	size_t got = 0;

	while (got < want) {
		size_t n = 0;

		if (kctl_recv(h, (char *)buf + got, want - got, &n, NULL) != 0 || n == 0)
			return -1;
		got += n;
	}
	return 0;
}

static int naive_frame(kctl_t *h)
{
	uint64_t hdr[2];
	struct kctl_frame_hdr fh;
	size_t got = 0;

	if (kctl_recv(h, hdr, sizeof(hdr), &got, NULL) != 0 || got != sizeof(hdr))
		return -1;
	memcpy(&fh, hdr, sizeof(fh));
	return naive_read(h, KCTL_FRAME_WIRE_SIZE(fh.len) - sizeof(hdr));
}

static int framed_frame(kctl_t *h)
{
	uint64_t buf[8];
	size_t wire = 0;

	return kctl_msg_recv(h, buf, sizeof(buf), &wire);
}

struct result {
	double recv_per_frame;
	double ns_per_frame;
};

static int run(kctl_sim_t *sim, kctl_sim_ctl_t *ctl, kctl_t *h, uint32_t frames,
	       int (*read_one)(kctl_t *), struct result *r)
{
	uint64_t calls0 = kctl_sim_call_count(sim, KCTL_SIM_CALL_RECV);
	double t = 0;

	for (uint32_t base = 0; base < frames; base += BURST) {
		double t0;

		if (queue_burst(ctl, kctl_unit(h), base) != 0)
			return -1;
		t0 = now_ns();
		for (uint32_t i = 0; i < BURST; i++)
			if (read_one(h) != 0)
				return -1;
		t += now_ns() - t0;
	}
	r->recv_per_frame = (double)(kctl_sim_call_count(sim, KCTL_SIM_CALL_RECV) - calls0) /
			    frames;
	r->ns_per_frame = t / frames;
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t frames = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 200000;
	struct kctl_sim_reg reg = { .name = "org.libkctl.bench", .connect = bench_connect,
				    .flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM, .recvsize = 65536 };
	struct result naive, framed;
	kctl_sim_ctl_t *ctl;
	kctl_sim_t *sim;
	kctl_t *h;

	frames = (frames + BURST - 1) / BURST * BURST;
	if (kctl_sim_new(&sim) || kctl_sim_register(sim, &reg, &ctl) ||
	    kctl_open_name(kctl_sim_backend(sim), reg.name, 0, KCTL_OPEN_STREAM, &h))
		return 1;
	if (run(sim, ctl, h, frames, naive_frame, &naive) ||
	    run(sim, ctl, h, frames, framed_frame, &framed))
		return 1;
	printf("STREAM receive of %u frames of 24 bytes, in bursts of %d (simulated kernel)\n",
	       frames, BURST);
	printf("  baseline (header, then body):  %.4f receives/frame  %8.1f ns/frame\n",
	       naive.recv_per_frame, naive.ns_per_frame);
	printf("  libkctl kctl_msg_recv():       %.4f receives/frame  %8.1f ns/frame\n",
	       framed.recv_per_frame, framed.ns_per_frame);
	printf("  ratio baseline/libkctl:        %.0fx fewer receives, %.1fx faster\n",
	       naive.recv_per_frame / framed.recv_per_frame,
	       naive.ns_per_frame / framed.ns_per_frame);
	kctl_close(h);
	kctl_sim_deregister(ctl);
	kctl_sim_free(sim);
	return 0;
}
