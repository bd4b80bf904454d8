/*
 * bench_threads - requests from 1, 2, 4 and 8 threads on one handle, against the same
 * threads each with a handle (a socket) of its own, in the same run.
 *
 * A frame-echo control answers inside its send callback. Every reply is checked against
 * its request (the payload carries the thread and the request's number), so a lost,
 * doubled or misdelivered reply fails the run. Prints requests per second in all
 * (median, min..max of BENCH_RUNS runs), the ratio shared/own pair by pair, and each
 * one's scaling against its own single thread. Wall time only: this machine's cores are
 * shared, so the absolute figures move; the pairing keeps the ratio honest.
 * Usage: bench_threads [requests per thread per run (default 10000)]
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kctl.h"
#include "kctl_sim.h"

#define MAX_THREADS 8
#define NAME "org.libkctl.bench.threads"



struct worker {
	pthread_t tid;
	kctl_t *h;
	uint32_t id, n;
	int failed;
};

static void *work(void *arg)
{
	struct worker *w = arg;

	for (uint32_t i = 0; i < w->n; i++) {
		uint32_t out[2] = { w->id, i }, in[2] = { 0, 0 };
		size_t got = 0;

		if (kctl_request(w->h, 1, out, sizeof(out), in, sizeof(in), &got) != 0 ||
		    got != sizeof(in) || in[0] != w->id || in[1] != i) {
			w->failed = 1;
			break;
		}
	}
	return NULL;
}

/* Requests per second from k threads; shared: one handle for all. 0 or -1 (a loss). */
static int run(kctl_t *shared, kctl_t **own, int k, uint32_t n, double *rps)
{
	struct worker w[MAX_THREADS];
	double t0 = bench_now_ns();
	int failed = 0;

	for (int i = 0; i < k; i++) {
		w[i] = (struct worker){ .h = shared ? shared : own[i], .id = (uint32_t)i, .n = n };
		if (pthread_create(&w[i].tid, NULL, work, &w[i]) != 0)
			return -1;
	}
	for (int i = 0; i < k; i++) {
		pthread_join(w[i].tid, NULL);
		failed |= w[i].failed;
	}
	*rps = (double)k * n / ((bench_now_ns() - t0) / 1e9);
	return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct kctl_sim_reg reg = { .name = NAME, .connect = bench_echo_connect,
				    .send = bench_echo_send,
				    .recvsize = 65536 };
	static const int threads[] = { 1, 2, 4, 8 };
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 10000;
	kctl_t *shared, *own[MAX_THREADS];
	struct bench_stat one_shared = { 0 }, one_own = { 0 };
	kctl_sim_ctl_t *ctl;
	kctl_sim_t *sim;

	if (n == 0 || kctl_sim_new(&sim) || kctl_sim_register(sim, &reg, &ctl) ||
	    kctl_open_name(kctl_sim_backend(sim), NAME, 0, KCTL_OPEN_DGRAM, &shared))
		return 1;
	for (int i = 0; i < MAX_THREADS; i++)
		if (kctl_open_name(kctl_sim_backend(sim), NAME, 0, KCTL_OPEN_DGRAM, &own[i]))
			return 1;
	printf("threads: requests per second in all (DGRAM, 8 B), one handle shared by every "
	       "thread against a handle per thread;\nmedian (min..max) of %d runs of %u "
	       "requests per thread; every reply checked against its request\n", BENCH_RUNS, n);
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		double s[BENCH_RUNS], o[BENCH_RUNS], r[BENCH_RUNS];
		struct bench_stat ss, so, sr;
		int k = threads[t];

		for (int i = 0; i < BENCH_RUNS; i++) {
			if (run(shared, own, k, n, &s[i]) || run(NULL, own, k, n, &o[i])) {
				printf("  %d threads: a reply was lost or misdelivered\n", k);
				return 1;
			}
			r[i] = s[i] / o[i];
		}
		bench_stat_of(s, BENCH_RUNS, &ss);
		bench_stat_of(o, BENCH_RUNS, &so);
		bench_stat_of(r, BENCH_RUNS, &sr);
		if (k == 1) {
			one_shared = ss;
			one_own = so;
		}
		printf("  %d thread%s  one handle %8.0f/s (%.0f..%.0f) x%.2f   a handle each "
		       "%8.0f/s (%.0f..%.0f) x%.2f   ratio %.2f (%.2f..%.2f)\n", k,
		       k > 1 ? "s" : " ", ss.median, ss.min, ss.max, ss.median / one_shared.median,
		       so.median, so.min, so.max, so.median / one_own.median, sr.median, sr.min,
		       sr.max);
	}
	printf("  (xN: against the same kind with one thread; ratio: one handle / a handle each, "
	       "nothing lost in any run)\n");
	kctl_close(shared);
	for (int i = 0; i < MAX_THREADS; i++)
		kctl_close(own[i]);
	kctl_sim_deregister(ctl);
	kctl_sim_free(sim);
	return 0;
}
