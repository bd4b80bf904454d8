/*
 * bench_stream - framed STREAM receive against hand-written readers, in the same run.
 *
 * Burst: a control queues bursts of 1000 event frames; the baseline is the 20-line
 * reader a careful client writes, one big kctl_recv() into a 16 KiB buffer and frames
 * cut out of it in place with kctl_frame_next(); libkctl's kctl_msg_recv() hands each
 * frame out into the caller's buffer. One at a time: a single frame is queued, then
 * read, against the naive reader most clients write (a 16-byte header, then the body:
 * two receives). Both read the first payload word of every frame. Queueing is left out
 * of the figures (bench_uncounted). Frames of 24 bytes (a u32 payload, as a counter
 * event) and of 256 bytes. Prints ns per frame (median, min..max of BENCH_RUNS runs),
 * the ratio pair by pair, callgrind's instructions per frame, and receives per frame.
 * Usage: bench_stream [bursts per run (default 40)]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kctl.h"
#include "kctl_sim.h"

#define BURST 1000u
#define MAX_FRAME 256u
#define COUNT_BURSTS 4u

static int bench_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			 void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return 0;
}

struct reader {
	kctl_sim_ctl_t *ctl;
	kctl_t *h;
	size_t frame;     /* wire size of each frame queued */
	uint32_t per;     /* frames per queueing: BURST, or 1 */
	uint64_t sum;     /* the payload words read */
	uint64_t bulk[16384 / 8];
	size_t off, len;  /* the bulk reader's frames in bulk[off, len) */
};

static uint64_t burst_buf[BURST * MAX_FRAME / 8];
static const unsigned char filler[MAX_FRAME];

/* Queues r->per frames of r->frame bytes for the client (the set-up of each round). */
static int queue(void *ctx, uint32_t n)
{
	struct reader *r = ctx;
	size_t off = 0;

	(void)n;
	for (uint32_t i = 0; i < r->per; i++) {
		char *f = (char *)burst_buf + off;
		uint32_t v = i;
		size_t w = 0;

		if (kctl_frame_start(f, r->frame, KCTL_FRAME_F_EVENT, 1, 0, 0) ||
		    kctl_frame_put(f, r->frame, &v, sizeof(v)) ||
		    kctl_frame_put(f, r->frame, filler, r->frame - KCTL_FRAME_HDR_LEN - 4) ||
		    kctl_frame_finish(f, r->frame, &w))
			return -1;
		off += w;
	}
	return kctl_sim_enqueue(r->ctl, kctl_unit(r->h), burst_buf, off, 0);
}

static uint32_t first_word(const void *frame)
{
	uint32_t v;

	memcpy(&v, (const char *)frame + KCTL_FRAME_HDR_LEN, sizeof(v));
	return v;
}

static int lib_one(struct reader *r)
{
	uint64_t buf[MAX_FRAME / 8];
	size_t wire = 0;

	if (kctl_msg_recv(r->h, buf, sizeof(buf), &wire) != 0)
		return -1;
	r->sum += first_word(buf);
	return 0;
}

/* The bulk reader: frames cut in place from one big receive, more read when needed. */
static int bulk_one(struct reader *r)
{
	for (;;) {
		const struct kctl_frame_hdr *f;
		size_t size = 0, got = 0;
		int rc = kctl_frame_next((char *)r->bulk + r->off, r->len - r->off, 0, &f, &size);

		if (rc == 0) {
			r->sum += first_word(f);
			r->off += size;
			return 0;
		}
		if (rc != -EAGAIN)
			return -1;
		memmove(r->bulk, (char *)r->bulk + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
		if (kctl_recv(r->h, (char *)r->bulk + r->len, sizeof(r->bulk) - r->len, &got,
			      NULL) != 0 || got == 0)
			return -1;
		r->len += got;
	}
}

static int read_exact(kctl_t *h, void *buf, size_t want)
{
	for (size_t got = 0; got < want;) {
		size_t n = 0;

		if (kctl_recv(h, (char *)buf + got, want - got, &n, NULL) != 0 || n == 0)
			return -1;
		got += n;
	}
	return 0;
}

/* The naive reader: the header, then the body, each with its own receive. */
static int naive_one(struct reader *r)
{
	uint64_t buf[MAX_FRAME / 8];
	struct kctl_frame_hdr fh;

	if (read_exact(r->h, buf, KCTL_FRAME_HDR_LEN) != 0)
		return -1;
	memcpy(&fh, buf, sizeof(fh));
	if (fh.len < KCTL_FRAME_HDR_LEN + 4 || KCTL_FRAME_WIRE_SIZE(fh.len) > sizeof(buf) ||
	    read_exact(r->h, (char *)buf + KCTL_FRAME_HDR_LEN,
		       KCTL_FRAME_WIRE_SIZE(fh.len) - KCTL_FRAME_HDR_LEN) != 0)
		return -1;
	r->sum += first_word(buf);
	return 0;
}

/* n rounds: queue r->per frames (not measured), read them all with one_fn. */
static int rounds(struct reader *r, uint32_t n, int (*one)(struct reader *))
{
	for (uint32_t k = 0; k < n; k++) {
		if (bench_uncounted(queue, r, 0) != 0)
			return -1;
		for (uint32_t i = 0; i < r->per; i++)
			if (one(r) != 0)
				return -1;
	}
	return 0;
}

static int lib_rounds(void *ctx, uint32_t n) { return rounds(ctx, n, lib_one); }
static int bulk_rounds(void *ctx, uint32_t n) { return rounds(ctx, n, bulk_one); }
static int naive_rounds(void *ctx, uint32_t n) { return rounds(ctx, n, naive_one); }

struct kernel {
	kctl_sim_t *sim;
	kctl_sim_ctl_t *ctl;
};

static int kernel_up(struct kernel *k)
{
	struct kctl_sim_reg reg = { .name = "org.libkctl.bench", .connect = bench_connect,
				    .flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM,
				    .recvsize = BURST * MAX_FRAME };

	return kctl_sim_new(&k->sim) || kctl_sim_register(k->sim, &reg, &k->ctl);
}

static int reader_open(struct kernel *k, struct reader *r, size_t frame, uint32_t per)
{
	memset(r, 0, sizeof(*r));
	r->ctl = k->ctl;
	r->frame = frame;
	r->per = per;
	return kctl_open_name(kctl_sim_backend(k->sim), "org.libkctl.bench", 0,
			      KCTL_OPEN_STREAM, &r->h);
}

/* A case by name: "lib|bulk|naive-FRAME-PER". */
struct spec {
	char who[8];
	size_t frame;
	uint32_t per;
};

static bench_fn spec_fn(const struct spec *s)
{
	if (strcmp(s->who, "lib") == 0)
		return lib_rounds;
	return strcmp(s->who, "bulk") == 0 ? bulk_rounds : naive_rounds;
}

static int count_one(const char *name, uint32_t n)
{
	static struct reader r;
	struct kernel k;
	struct spec s;

	if (sscanf(name, "%7[a-z]-%zu-%u", s.who, &s.frame, &s.per) != 3 ||
	    s.frame > MAX_FRAME || s.frame < 24 || kernel_up(&k) ||
	    reader_open(&k, &r, s.frame, s.per))
		return 1;
	return bench_counted(spec_fn(&s), &r, n) != 0;
}

static double recvs_per_frame(struct kernel *k, struct reader *r, bench_fn fn)
{
	uint64_t c0 = kctl_sim_call_count(k->sim, KCTL_SIM_CALL_RECV);

	if (fn(r, 2) != 0)
		return -1;
	return (double)(kctl_sim_call_count(k->sim, KCTL_SIM_CALL_RECV) - c0) / (2.0 * r->per);
}

static int run_pair(const char *self, struct kernel *k, const char *base, size_t frame,
		    uint32_t per, uint32_t n)
{
	static struct reader lib, other;
	struct spec s = { "lib", frame, per };
	struct bench_pair p;
	char label[48], ln[32], bn[32];
	double lr, br;

	if (reader_open(k, &lib, frame, per) || reader_open(k, &other, frame, per))
		return -1;
	snprintf(s.who, sizeof(s.who), "%s", base);
	if (bench_time_pair(lib_rounds, &lib, spec_fn(&s), &other, n, &p) != 0)
		return -1;
	lr = recvs_per_frame(k, &lib, lib_rounds);
	br = recvs_per_frame(k, &other, spec_fn(&s));
	kctl_close(lib.h);
	kctl_close(other.h);
	p.lib.median /= per, p.lib.min /= per, p.lib.max /= per;
	p.base.median /= per, p.base.min /= per, p.base.max /= per;
	snprintf(ln, sizeof(ln), "lib-%zu-%u", frame, per);
	snprintf(bn, sizeof(bn), "%s-%zu-%u", base, frame, per);
	bench_count_pair(self, ln, bn, per > 1 ? COUNT_BURSTS : COUNT_BURSTS * BURST, &p);
	if (p.lib_ir >= 0)
		p.lib_ir /= per;
	if (p.base_ir >= 0)
		p.base_ir /= per;
	snprintf(label, sizeof(label), "%s %zu B vs %s", per > 1 ? "burst" : "one", frame, base);
	bench_print_pair(label, "ns", &p);
	printf("  %-22s receives per frame: kctl_msg_recv %.4f, %s %.4f\n", "", lr, base, br);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t n = 40;
	struct kernel k;
	const char *name;

	if (bench_count_mode(argc, argv, &n, &name))
		return count_one(name, n);
	if (argc > 1)
		n = (uint32_t)strtoul(argv[1], NULL, 10);
	if (n == 0 || kernel_up(&k))
		return 1;
	printf("STREAM receive: kctl_msg_recv() against hand-written readers (simulated kernel)\n"
	       "(ns per frame: median (min..max) of %d runs; instructions per frame: callgrind)\n",
	       BENCH_RUNS);
	bench_print_head("kctl_msg_recv", "hand-written");
	if (run_pair(argv[0], &k, "bulk", 24, BURST, n) ||
	    run_pair(argv[0], &k, "bulk", 256, BURST, n / 4 + 1) ||
	    run_pair(argv[0], &k, "naive", 24, 1, n * BURST / 4) ||
	    run_pair(argv[0], &k, "naive", 256, 1, n * BURST / 4))
		return 1;
	kctl_sim_deregister(k.ctl);
	kctl_sim_free(k.sim);
	return 0;
}
