/*
 * bench_floor - the simulated kernel's round trip against this machine's floor.
 *
 * The simulator's round trip is a 64-byte request and its reply through the raw calls
 * (sendmsg, recvmsg) on a control that answers in its send callback; libkctl's is
 * kctl_request() on the same control. The floor is what any two parties in one process
 * pay to exchange 64 bytes each way: an AF_UNIX socketpair and a pair of pipes, each a
 * ping-pong between two threads. Wall time only (ns per round trip, median, min..max of
 * BENCH_RUNS runs), and each as a ratio to the socketpair's and the pipe's, pair by pair.
 * Usage: bench_floor [round trips per run (default 20000)]
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "kctl.h"
#include "kctl_sim.h"

#define NAME "org.libkctl.bench.floor"
#define MSG 64



/* ---- the simulator: raw calls, and libkctl ---- */

struct sim_case {
	kctl_sim_t *sim;
	kctl_t *h;
	int fd;
	uint64_t buf[16];
};

static int sim_round_trips(void *ctx, uint32_t n)
{
	struct sim_case *c = ctx;
	struct kctl_frame_hdr *f = (void *)c->buf;
	struct iovec iov = { c->buf, KCTL_FRAME_HDR_LEN + MSG };

	for (uint32_t i = 0; i < n; i++) {
		size_t k = 0;
		int fl = 0;

		*f = (struct kctl_frame_hdr){ .len = KCTL_FRAME_HDR_LEN + MSG,
					      .version = KCTL_FRAME_VERSION,
					      .flags = KCTL_FRAME_F_REQUEST, .type = 1, .seq = i + 1 };
		if (kctl_sim_sendmsg(c->sim, c->fd, &iov, 1, 0, &k) != 0 ||
		    kctl_sim_recvmsg(c->sim, c->fd, &iov, 1, 0, &k, &fl) != 0 ||
		    k != iov.iov_len || f->seq != i + 1)
			return -1;
	}
	return 0;
}

static int lib_round_trips(void *ctx, uint32_t n)
{
	struct sim_case *c = ctx;
	char out[MSG] = { 0 }, in[MSG];

	for (uint32_t i = 0; i < n; i++) {
		size_t got = 0;

		if (kctl_request(c->h, 1, out, sizeof(out), in, sizeof(in), &got) != 0)
			return -1;
	}
	return 0;
}

/* ---- the floor: a ping-pong between two threads ---- */

struct pingpong {
	int a_out, a_in;  /* the timed side writes a_out, reads a_in */
	int b_in, b_out;  /* the echoing thread */
	pthread_t echo;
};

static int full_read(int fd, char *buf, size_t n)
{
	for (size_t got = 0; got < n;) {
		ssize_t k = read(fd, buf + got, n - got);

		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

static void *echo_thread(void *arg)
{
	struct pingpong *p = arg;
	char buf[MSG];

	while (full_read(p->b_in, buf, MSG) == 0)
		if (write(p->b_out, buf, MSG) != MSG)
			break;
	return NULL;
}

static int ping_pongs(void *ctx, uint32_t n)
{
	struct pingpong *p = ctx;
	char buf[MSG] = { 0 };

	for (uint32_t i = 0; i < n; i++)
		if (write(p->a_out, buf, MSG) != MSG || full_read(p->a_in, buf, MSG) != 0)
			return -1;
	return 0;
}

static int pingpong_start(struct pingpong *p, int pipes)
{
	int sv[2], ab[2], ba[2];

	if (pipes) {
		if (pipe(ab) || pipe(ba))
			return -1;
		*p = (struct pingpong){ .a_out = ab[1], .b_in = ab[0], .b_out = ba[1],
					.a_in = ba[0] };
	} else {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return -1;
		*p = (struct pingpong){ .a_out = sv[0], .a_in = sv[0], .b_in = sv[1],
					.b_out = sv[1] };
	}
	return pthread_create(&p->echo, NULL, echo_thread, p) ? -1 : 0;
}

static void pingpong_stop(struct pingpong *p)
{
	if (p->a_out != p->a_in) {
		close(p->a_out); /* the echo thread reads end of file */
		pthread_join(p->echo, NULL);
		close(p->a_in);
		close(p->b_in);
		close(p->b_out);
	} else {
		shutdown(p->a_out, SHUT_WR);
		pthread_join(p->echo, NULL);
		close(p->a_out);
		close(p->b_in);
	}
}

static void row(const char *label, const char *floor, const struct bench_pair *p)
{
	printf("  %-26s %7.0f ns (%.0f..%.0f)  %-10s %7.0f ns (%.0f..%.0f)  ratio %.2f "
	       "(%.2f..%.2f)\n", label, p->lib.median, p->lib.min, p->lib.max, floor,
	       p->base.median, p->base.min, p->base.max, p->ratio.median, p->ratio.min,
	       p->ratio.max);
}

static int sim_open(struct sim_case *c)
{
	struct kctl_abi_ctl_info info = { 0 };
	struct kctl_abi_sockaddr_ctl sa = { .sc_len = KCTL_ABI_SOCKADDR_CTL_LEN,
					    .sc_family = KCTL_ABI_AF_SYSTEM,
					    .ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL };

	snprintf(info.ctl_name, sizeof(info.ctl_name), "%s", NAME);
	if (kctl_sim_socket(c->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
			    KCTL_ABI_SYSPROTO_CONTROL, &c->fd) ||
	    kctl_sim_ioctl(c->sim, c->fd, KCTL_ABI_CTLIOCGINFO, &info))
		return -1;
	sa.sc_id = info.ctl_id;
	if (kctl_sim_connect(c->sim, c->fd, &sa, KCTL_ABI_SOCKADDR_CTL_LEN))
		return -1;
	return kctl_open_name(kctl_sim_backend(c->sim), NAME, 0, KCTL_OPEN_DGRAM, &c->h);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 20000;
	struct kctl_sim_reg reg = { .name = NAME, .connect = bench_echo_connect,
				    .send = bench_echo_send };
	static struct sim_case c;
	struct pingpong sp, pp;
	struct bench_pair p;
	kctl_sim_ctl_t *ctl;

	if (n == 0 || kctl_sim_new(&c.sim) || kctl_sim_register(c.sim, &reg, &ctl) ||
	    sim_open(&c) || pingpong_start(&sp, 0) || pingpong_start(&pp, 1))
		return 1;
	printf("the simulated kernel's round trip (64 B each way) against the machine's floor: "
	       "a ping-pong between two threads;\nns per round trip, median (min..max) of %d "
	       "runs of %u (wall time)\n", BENCH_RUNS, n);
	if (bench_time_pair(sim_round_trips, &c, ping_pongs, &sp, n, &p))
		return 1;
	row("simulator, raw calls", "socketpair", &p);
	if (bench_time_pair(sim_round_trips, &c, ping_pongs, &pp, n, &p))
		return 1;
	row("simulator, raw calls", "pipes", &p);
	if (bench_time_pair(lib_round_trips, &c, ping_pongs, &sp, n, &p))
		return 1;
	row("kctl_request()", "socketpair", &p);
	if (bench_time_pair(lib_round_trips, &c, ping_pongs, &pp, n, &p))
		return 1;
	row("kctl_request()", "pipes", &p);
	pingpong_stop(&sp);
	pingpong_stop(&pp);
	kctl_close(c.h);
	kctl_sim_close(c.sim, c.fd);
	kctl_sim_deregister(ctl);
	kctl_sim_free(c.sim);
	return 0;
}
