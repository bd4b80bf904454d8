/*
 * bench.h - what every benchmark of `make bench` shares: figures as the median, min and
 * max of at least BENCH_RUNS runs, each libkctl figure paired run by run with its
 * baseline from the same process, and instruction counts from callgrind.
 *
 * Wall time on a shared machine drifts, so a ratio is taken pair by pair (the libkctl
 * run and the baseline run next to each other) and its median, min and max printed.
 * Instruction counts do not drift: when valgrind is on the PATH the program runs itself
 * once per case under callgrind (--toggle-collect=bench_counted, so only the measured
 * loop counts: not the set-up, nor bench_uncounted inside it) and divides by the
 * iterations. KCTL_BENCH_NO_VALGRIND=1 skips that; without valgrind the rows say so.
 */
#ifndef KCTL_BENCH_H
#define KCTL_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "kctl_sim.h"

#define BENCH_RUNS 7

/* One case of a benchmark: run `n` iterations of the measured work. 0 or -1. */
typedef int (*bench_fn)(void *ctx, uint32_t n);

/* A figure: median, min and max over the runs. */
struct bench_stat {
	double median, min, max;
};

/* A libkctl figure against its baseline, with the pairwise ratio lib/base. */
struct bench_pair {
	struct bench_stat lib, base, ratio;
	double lib_ir, base_ir; /* instructions per iteration; < 0 when not counted */
};

/* Monotonic nanoseconds. */
double bench_now_ns(void);

/* Median, min and max of v[0..n) (sorts v). */
void bench_stat_of(double *v, int n, struct bench_stat *st);

/*
 * The measured loop: calls fn(ctx, n) and returns its result. Not inlined and not
 * static: callgrind collects only while it runs (--toggle-collect=bench_counted).
 */
int bench_counted(bench_fn fn, void *ctx, uint32_t n);

/*
 * Runs fn(ctx, n) outside the measured figures: callgrind stops collecting while it runs
 * (--toggle-collect=bench_uncounted) and its wall time is taken off the run's. For the
 * set-up a case repeats inside its loop (queueing a burst for the reader to read).
 */
int bench_uncounted(bench_fn fn, void *ctx, uint32_t n);

/*
 * Times lib and base alternately, BENCH_RUNS runs of n iterations each, in ns per
 * iteration; the ratio lib/base is taken per pair of runs. 0 or -1 (a case failed).
 */
int bench_time_pair(bench_fn lib, void *lib_ctx, bench_fn base, void *base_ctx, uint32_t n,
		    struct bench_pair *p);

/*
 * Instructions per iteration of case `name` (argv of a --count run: the program itself
 * with "--count name n"), counted by callgrind; -1 when valgrind is missing, disabled,
 * or the run failed.
 */
double bench_instructions(const char *self, const char *name, uint32_t n);

/* Fills p->lib_ir and p->base_ir from cases lib_name and base_name. */
void bench_count_pair(const char *self, const char *lib_name, const char *base_name,
		      uint32_t n, struct bench_pair *p);

/*
 * 1 if argv is "--count NAME N" (the run under callgrind that bench_instructions()
 * starts): *name and *n get them, and the caller runs that case through bench_counted.
 * Else 0.
 */
int bench_count_mode(int argc, char **argv, uint32_t *n, const char **name);

/* Prints one row: label, libkctl and baseline medians (min..max), ratio, instructions. */
void bench_print_pair(const char *label, const char *unit, const struct bench_pair *p);

/* Prints the column heads for bench_print_pair() rows. */
void bench_print_head(const char *lib, const char *base);

/*
 * The frame-echo control of the benchmarks: its send callback answers each request
 * frame (up to BENCH_ECHO_MAX bytes) with a REPLY of the same payload, as a kext answers
 * inside ctl_send. Register with .connect = bench_echo_connect, .send = bench_echo_send
 * and .cookie = &bench_echo_stream for a STREAM control (NULL for DGRAM: EOR records).
 */
#define BENCH_ECHO_MAX (16u + 8192u)
extern const int bench_echo_stream;
int bench_echo_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		       void **unitinfo);
int bench_echo_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		    int flags);

/* Whether instruction counts will be taken (valgrind found and not disabled). */
int bench_have_valgrind(void);

#endif
