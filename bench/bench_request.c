/*
 * bench_request - kctl_request() against the same exchange written by hand on the same
 * syscall table, control and simulated kernel, in the same run.
 *
 * The hand-written exchange is what a careful client writes without libkctl: a socket
 * opened with the simulator's raw calls (socket, CTLIOCGINFO, connect), the request's
 * header, payload and padding in one gathered sendmsg, the reply read (until complete
 * on a STREAM), its header checked (a reply, our seq, a sane length) and its payload
 * copied to the caller. libkctl's kctl_request() does that and also matches replies to
 * requests among other threads' and keeps events. Both talk to a frame-echo control
 * that answers inside its send callback (as a kext does on a Mac), with 64-byte, 2 KiB
 * and 4 KiB payloads on DGRAM and STREAM, and to the sample kext (64 bytes: its frames
 * are at most 2 KiB). Prints ns per request (median, min..max of BENCH_RUNS runs), the
 * ratio pair by pair, and callgrind's user-space instructions per request.
 * Usage: bench_request [requests per run (default 20000)]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kctl.h"
#include "kctl_kpi.h"
#include "kctl_sim.h"

#define ECHO_NAME "org.libkctl.bench.echo"
#define ECHO_STREAM_NAME "org.libkctl.bench.echo.stream"
#define SAMPLE_NAME "org.libkctl.sample"
#define SAMPLE_STREAM_NAME "org.libkctl.sample.stream"
#define MAX_PAYLOAD 4096u
#define MAX_WIRE (KCTL_FRAME_HDR_LEN + MAX_PAYLOAD)
#define COUNT_N 2000u

/* The kext's printf (a line per connect): not part of the figures. */
static void quiet(void *ctx, const char *line)
{
	(void)ctx; (void)line;
}



/* One side of a case: a handle for libkctl, or a raw socket for the hand-written one. */
struct req_case {
	kctl_sim_t *sim;
	kctl_t *h;
	int fd, stream;
	uint32_t seq;
	size_t len;
	unsigned char payload[MAX_PAYLOAD];
	unsigned char reply[MAX_PAYLOAD];
	uint64_t in[(MAX_WIRE + 64) / 8];
};

static int lib_requests(void *ctx, uint32_t n)
{
	struct req_case *c = ctx;

	for (uint32_t i = 0; i < n; i++) {
		size_t got = 0;

		if (kctl_request(c->h, 1, c->payload, c->len, c->reply, sizeof(c->reply), &got) ||
		    got != c->len)
			return -1;
	}
	return 0;
}

/* Reads one reply frame: one receive on DGRAM, until the frame is complete on STREAM. */
static int hand_read(struct req_case *c, size_t *got)
{
	const struct kctl_frame_hdr *f = (const void *)c->in;
	size_t have = 0;

	do {
		struct iovec iov = { (char *)c->in + have, sizeof(c->in) - have };
		size_t k = 0;
		int fl = 0;

		if (kctl_sim_recvmsg(c->sim, c->fd, &iov, 1, 0, &k, &fl) != 0 || k == 0)
			return -1;
		have += k;
	} while (c->stream && (have < sizeof(*f) || have < KCTL_FRAME_WIRE_SIZE(f->len)));
	*got = have;
	return 0;
}

static int hand_one(struct req_case *c)
{
	static const unsigned char pad[KCTL_FRAME_ALIGN];
	const struct kctl_frame_hdr *r = (const void *)c->in;
	struct kctl_frame_hdr h = { .len = (uint32_t)(KCTL_FRAME_HDR_LEN + c->len),
				    .version = KCTL_FRAME_VERSION,
				    .flags = KCTL_FRAME_F_REQUEST, .type = 1, .seq = ++c->seq };
	size_t wire = KCTL_FRAME_WIRE_SIZE(h.len), sent = 0, got = 0;
	struct iovec iov[3] = { { &h, sizeof(h) }, { c->payload, c->len },
				{ (void *)(uintptr_t)pad, wire - h.len } };

	if (kctl_sim_sendmsg(c->sim, c->fd, iov, wire > h.len ? 3 : 2, 0, &sent) != 0 ||
	    sent != wire || hand_read(c, &got) != 0)
		return -1;
	if (got < sizeof(*r) || r->seq != h.seq || !(r->flags & KCTL_FRAME_F_REPLY) ||
	    (r->flags & KCTL_FRAME_F_ERROR) || r->len < KCTL_FRAME_HDR_LEN ||
	    KCTL_FRAME_WIRE_SIZE(r->len) != got || r->len - KCTL_FRAME_HDR_LEN > sizeof(c->reply))
		return -1;
	memcpy(c->reply, r + 1, r->len - KCTL_FRAME_HDR_LEN);
	return r->len - KCTL_FRAME_HDR_LEN == c->len ? 0 : -1;
}

static int hand_requests(void *ctx, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (hand_one(ctx) != 0)
			return -1;
	return 0;
}

/* The raw open: socket, CTLIOCGINFO, connect (unit chosen by the kernel). */
static int hand_open(struct req_case *c, const char *name)
{
	struct kctl_abi_ctl_info info = { 0 };
	struct kctl_abi_sockaddr_ctl sa = { 0 };

	if (kctl_sim_socket(c->sim, KCTL_ABI_AF_SYSTEM,
			    c->stream ? KCTL_ABI_SOCK_STREAM : KCTL_ABI_SOCK_DGRAM,
			    KCTL_ABI_SYSPROTO_CONTROL, &c->fd) != 0)
		return -1;
	strncpy(info.ctl_name, name, sizeof(info.ctl_name) - 1);
	if (kctl_sim_ioctl(c->sim, c->fd, KCTL_ABI_CTLIOCGINFO, &info) != 0)
		return -1;
	sa.sc_len = KCTL_ABI_SOCKADDR_CTL_LEN;
	sa.sc_family = KCTL_ABI_AF_SYSTEM;
	sa.ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL;
	sa.sc_id = info.ctl_id;
	return kctl_sim_connect(c->sim, c->fd, &sa, KCTL_ABI_SOCKADDR_CTL_LEN);
}

/* The kernel every case runs in: the echo controls and the sample kext. */
struct kernel {
	kctl_sim_t *sim;
	kctl_sim_ctl_t *echo, *echo_stream;
	kctl_kpi_kext_t *sample;
};

static int kernel_up(struct kernel *k)
{
	struct kctl_sim_reg rd = { .name = ECHO_NAME, .connect = bench_echo_connect,
				   .send = bench_echo_send, .sendsize = 8192,
				   .recvsize = 65536 };
	struct kctl_sim_reg rs = rd;

	snprintf(rs.name, sizeof(rs.name), "%s", ECHO_STREAM_NAME);
	rs.cookie = (void *)(uintptr_t)&bench_echo_stream;
	rs.flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM;
	if (kctl_sim_new(&k->sim) || kctl_sim_register(k->sim, &rd, &k->echo) ||
	    kctl_sim_register(k->sim, &rs, &k->echo_stream))
		return -1;
	kctl_kpi_set_log(quiet, NULL);
	if (kctl_kpi_load_module(k->sim, SAMPLE_KEXT_PATH, &k->sample) != 0) {
		fprintf(stderr, "bench_request: %s\n", kctl_kpi_last_error());
		return -1;
	}
	return 0;
}

static void kernel_down(struct kernel *k)
{
	kctl_kpi_unload(k->sample);
	kctl_sim_deregister(k->echo);
	kctl_sim_deregister(k->echo_stream);
	kctl_sim_free(k->sim);
}

/* A case by name: "lib|hand", "echo|sample", "dgram|stream", payload bytes. */
struct spec {
	int lib, sample, stream;
	size_t len;
};

static int spec_name(const struct spec *s, char *buf, size_t cap)
{
	return snprintf(buf, cap, "%s-%s-%s-%zu", s->lib ? "lib" : "hand",
			s->sample ? "sample" : "echo", s->stream ? "stream" : "dgram", s->len);
}

static int spec_parse(const char *name, struct spec *s)
{
	char who[8], ctl[8], type[8];

	if (sscanf(name, "%7[a-z]-%7[a-z]-%7[a-z]-%zu", who, ctl, type, &s->len) != 4 ||
	    s->len > MAX_PAYLOAD)
		return -1;
	s->lib = strcmp(who, "lib") == 0;
	s->sample = strcmp(ctl, "sample") == 0;
	s->stream = strcmp(type, "stream") == 0;
	return 0;
}

static int case_open(struct kernel *k, const struct spec *s, struct req_case *c)
{
	const char *name = s->sample ? (s->stream ? SAMPLE_STREAM_NAME : SAMPLE_NAME)
				     : (s->stream ? ECHO_STREAM_NAME : ECHO_NAME);

	memset(c, 0, sizeof(*c));
	c->sim = k->sim;
	c->stream = s->stream;
	c->len = s->len;
	c->fd = -1;
	memset(c->payload, 'x', sizeof(c->payload));
	if (!s->lib)
		return hand_open(c, name);
	if (kctl_open_name(kctl_sim_backend(k->sim), name, 0,
			   s->stream ? KCTL_OPEN_STREAM : KCTL_OPEN_DGRAM, &c->h) != 0)
		return -1;
	return kctl_set_timeout(c->h, 5000);
}

static void case_close(struct req_case *c)
{
	if (c->h)
		kctl_close(c->h);
	else if (c->fd >= 0)
		kctl_sim_close(c->sim, c->fd);
}

/* The run under callgrind: one case, n requests inside bench_counted. */
static int count_one(const char *name, uint32_t n)
{
	static struct req_case c;
	struct kernel k;
	struct spec s;
	int rc;

	if (spec_parse(name, &s) || kernel_up(&k) || case_open(&k, &s, &c))
		return 1;
	rc = bench_counted(s.lib ? lib_requests : hand_requests, &c, n);
	case_close(&c);
	kernel_down(&k);
	return rc != 0;
}

static int run_pair(const char *self, struct kernel *k, struct spec s, uint32_t n)
{
	static struct req_case lib, hand;
	struct bench_pair p;
	char label[48], ln[48], hn[48];

	s.lib = 1;
	spec_name(&s, ln, sizeof(ln));
	if (case_open(k, &s, &lib))
		return -1;
	s.lib = 0;
	spec_name(&s, hn, sizeof(hn));
	if (case_open(k, &s, &hand))
		return -1;
	if (bench_time_pair(lib_requests, &lib, hand_requests, &hand, n, &p) != 0)
		return -1;
	case_close(&lib);
	case_close(&hand);
	bench_count_pair(self, ln, hn, COUNT_N, &p);
	snprintf(label, sizeof(label), "%s %s %zu B", s.sample ? "sample" : "echo",
		 s.stream ? "STREAM" : "DGRAM", s.len);
	bench_print_pair(label, "ns", &p);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 2048, 4096 };
	uint32_t n = 20000;
	struct kernel k;
	const char *name;

	if (bench_count_mode(argc, argv, &n, &name))
		return count_one(name, n);
	if (argc > 1)
		n = (uint32_t)strtoul(argv[1], NULL, 10);
	if (n == 0 || kernel_up(&k))
		return 1;
	printf("request/response: kctl_request() against the hand-written exchange on the "
	       "simulator's raw calls\n(ns per request: median (min..max) of %d runs of %u; "
	       "instructions: callgrind, user space, per request)\n", BENCH_RUNS, n);
	bench_print_head("kctl_request", "by hand");
	for (int stream = 0; stream < 2; stream++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			if (run_pair(argv[0], &k, (struct spec){ 1, 0, stream, sizes[i] }, n))
				return 1;
	for (int stream = 0; stream < 2; stream++)
		if (run_pair(argv[0], &k, (struct spec){ 1, 1, stream, 64 }, n))
			return 1;
	kernel_down(&k);
	return 0;
}
