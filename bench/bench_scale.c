/*
 * bench_scale - a request's cost with many units open, and the cost of opening them.
 *
 * The sample kext (DGRAM) in the simulated kernel; n-1 other clients hold units of the
 * same control while one makes echo requests (64 bytes). The baseline is the same
 * request with that client alone, in the same run (the others closed in between).
 * Then the time to open (and close) n units, per unit, against the same for 1000
 * units: about 1 when opening n units costs O(n) in all, n/1000 when O(n^2). 10,000 units need 20,000+ descriptors
 * (a socketpair per simulated socket): the limit is raised when the process may, else
 * the most units the limit allows are measured and the line says so.
 * Usage: bench_scale [requests per run (default 20000)]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "kctl.h"
#include "kctl_kpi.h"
#include "kctl_sim.h"

#define NAME "org.libkctl.sample"
#define COUNT_N 2000u

/* The kext's printf (a line per connect): not part of the figures. */
static void quiet(void *ctx, const char *line)
{
	(void)ctx; (void)line;
}

struct world {
	kctl_sim_t *sim;
	kctl_kpi_kext_t *kext;
	kctl_t **others;
	uint32_t nothers;
	kctl_t *h;
	unsigned char payload[64], reply[64];
};

static int requests(void *ctx, uint32_t n)
{
	struct world *w = ctx;

	for (uint32_t i = 0; i < n; i++) {
		size_t got = 0;

		if (kctl_request(w->h, 1, w->payload, sizeof(w->payload), w->reply,
				 sizeof(w->reply), &got) || got != sizeof(w->payload))
			return -1;
	}
	return 0;
}

static int world_up(struct world *w)
{
	memset(w, 0, sizeof(*w));
	memset(w->payload, 'x', sizeof(w->payload));
	kctl_kpi_set_log(quiet, NULL);
	if (kctl_sim_new(&w->sim))
		return -1;
	if (kctl_kpi_load_module(w->sim, SAMPLE_KEXT_PATH, &w->kext) != 0) {
		fprintf(stderr, "bench_scale: %s\n", kctl_kpi_last_error());
		return -1;
	}
	return 0;
}

/* Opens n more units (the others); 0 or -1. */
static int open_units(struct world *w, uint32_t n)
{
	const kctl_backend_t *be = kctl_sim_backend(w->sim);

	w->others = calloc(n ? n : 1, sizeof(*w->others));
	if (!w->others)
		return -1;
	for (; w->nothers < n; w->nothers++)
		if (kctl_open_name(be, NAME, 0, KCTL_OPEN_DGRAM, &w->others[w->nothers]) != 0)
			return -1;
	return 0;
}

static void close_units(struct world *w)
{
	while (w->nothers > 0)
		kctl_close(w->others[--w->nothers]);
	free(w->others);
	w->others = NULL;
}

static void world_down(struct world *w)
{
	if (w->h)
		kctl_close(w->h);
	close_units(w);
	kctl_kpi_unload(w->kext);
	kctl_sim_free(w->sim);
}

/* The client that makes the requests, opened after the others (the highest unit). */
static int open_client(struct world *w)
{
	return kctl_open_name(kctl_sim_backend(w->sim), NAME, 0, KCTL_OPEN_DGRAM, &w->h) ||
	       kctl_set_timeout(w->h, 5000);
}

/* The most units the descriptor limit allows (two descriptors each, 64 spare). */
static uint32_t units_fit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_max < 128)
		return 0;
	return (uint32_t)((rl.rlim_max - 64) / 2);
}

/* Whether the process can hold n units (two descriptors each), raising its limit. */
static int room_for(uint32_t n)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)n * 2 + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	if (rl.rlim_cur >= need)
		return 1;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need; /* only a privileged process may */
	return setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

static int count_one(const char *name, uint32_t n)
{
	static struct world w;
	unsigned units = 0;

	if (sscanf(name, "units-%u", &units) != 1 || units == 0 || !room_for(units) ||
	    world_up(&w) || open_units(&w, units - 1) || open_client(&w))
		return 1;
	return bench_counted(requests, &w, n) != 0;
}

static int time_requests(struct world *w, uint32_t n, double *ns)
{
	double t0 = bench_now_ns();

	if (bench_counted(requests, w, n) != 0)
		return -1;
	*ns = (bench_now_ns() - t0) / n;
	return 0;
}

/*
 * The request with `units` open against the request alone, in one kernel (a process
 * has one, as a Mac). Each run opens the others first, then the client (so its unit is
 * the last of the control's), times it, closes the others and times it alone.
 */
static int latency(const char *self, struct world *w, uint32_t units, uint32_t n)
{
	double many[BENCH_RUNS], one[BENCH_RUNS], r[BENCH_RUNS];
	struct bench_pair p;
	char label[40], ln[32];

	if (!room_for(units)) {
		uint32_t fit = units_fit() - 32; /* valgrind keeps some descriptors for itself */

		printf("  %u units: not measurable here: they need %u descriptors (two per "
		       "simulated socket), the hard limit is lower; measuring %u\n", units,
		       units * 2 + 64, fit);
		units = fit;
		if (units < 2 || !room_for(units))
			return 0;
	}
	for (int i = 0; i < BENCH_RUNS; i++) {
		if (open_units(w, units - 1) || open_client(w) || requests(w, n / 10 + 1) ||
		    time_requests(w, n, &many[i]))
			return -1;
		close_units(w);
		if (time_requests(w, n, &one[i]))
			return -1;
		kctl_close(w->h);
		w->h = NULL;
		r[i] = many[i] / one[i];
	}
	bench_stat_of(many, BENCH_RUNS, &p.lib);
	bench_stat_of(one, BENCH_RUNS, &p.base);
	bench_stat_of(r, BENCH_RUNS, &p.ratio);
	snprintf(ln, sizeof(ln), "units-%u", units);
	bench_count_pair(self, ln, "units-1", COUNT_N, &p);
	snprintf(label, sizeof(label), "request, %u units", units);
	bench_print_pair(label, "ns", &p);
	return 0;
}

/* ns per unit to open n units, then to close them. */
static int open_cost(struct world *w, uint32_t n, double *open_ns, double *close_ns)
{
	double t0 = bench_now_ns();

	if (open_units(w, n))
		return -1;
	*open_ns = (bench_now_ns() - t0) / n;
	t0 = bench_now_ns();
	close_units(w);
	*close_ns = (bench_now_ns() - t0) / n;
	return 0;
}

static int opening(struct world *w, uint32_t n)
{
	double o[BENCH_RUNS], c[BENCH_RUNS], base_o[BENCH_RUNS], base_c[BENCH_RUNS];
	double ro[BENCH_RUNS], rc[BENCH_RUNS];
	struct bench_stat so, sc, sbo, sbc, sro, src;

	if (!room_for(n)) {
		n = units_fit();
		if (n < 1000 || !room_for(n))
			return 0;
	}
	for (int i = 0; i < BENCH_RUNS; i++) {
		if (open_cost(w, n, &o[i], &c[i]) || open_cost(w, 1000, &base_o[i], &base_c[i]))
			return -1;
		ro[i] = o[i] / base_o[i];
		rc[i] = c[i] / base_c[i];
	}
	bench_stat_of(o, BENCH_RUNS, &so);
	bench_stat_of(c, BENCH_RUNS, &sc);
	bench_stat_of(base_o, BENCH_RUNS, &sbo);
	bench_stat_of(base_c, BENCH_RUNS, &sbc);
	bench_stat_of(ro, BENCH_RUNS, &sro);
	bench_stat_of(rc, BENCH_RUNS, &src);
	printf("  open %u units: %.0f ns/unit (%.0f..%.0f), 1000 units: %.0f ns/unit; "
	       "ratio %.2f (%.2f..%.2f)\n", n, so.median, so.min, so.max, sbo.median, sro.median,
	       sro.min, sro.max);
	printf("  close %u units: %.0f ns/unit (%.0f..%.0f), 1000 units: %.0f ns/unit; "
	       "ratio %.2f (%.2f..%.2f)\n", n, sc.median, sc.min, sc.max, sbc.median, src.median,
	       src.min, src.max);
	return 0;
}

int main(int argc, char **argv)
{
	static struct world w;
	uint32_t n = 20000;
	const char *name;

	if (bench_count_mode(argc, argv, &n, &name))
		return count_one(name, n);
	if (argc > 1)
		n = (uint32_t)strtoul(argv[1], NULL, 10);
	if (n == 0 || world_up(&w))
		return 1;
	printf("scale: a request (sample kext, DGRAM, 64 B) with many units open against one "
	       "unit alone;\nns per request, median (min..max) of %d runs of %u; instructions: "
	       "callgrind\n", BENCH_RUNS, n);
	bench_print_head("n units open", "1 unit");
	if (latency(argv[0], &w, 1000, n) || latency(argv[0], &w, 10000, n))
		return 1;
	printf("opening and closing units: per unit, n units against 1000 (1.0: O(n) in all, "
	       "10: O(n^2))\n");
	if (opening(&w, 10000))
		return 1;
	world_down(&w);
	return 0;
}
