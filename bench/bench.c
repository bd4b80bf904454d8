/* bench.c - timing, statistics and callgrind counts for the benchmarks (bench.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_stat_of(double *v, int n, struct bench_stat *st)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	st->min = v[0];
	st->max = v[n - 1];
	st->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

__attribute__((noinline)) int bench_counted(bench_fn fn, void *ctx, uint32_t n)
{
	int rc = fn(ctx, n);

	__asm__ volatile("" ::: "memory"); /* keeps the call a call, not a tail jump */
	return rc;
}

/* Wall time spent in bench_uncounted() since the current run started. */
static double uncounted_ns;

__attribute__((noinline)) int bench_uncounted(bench_fn fn, void *ctx, uint32_t n)
{
	double t0 = bench_now_ns();
	int rc = fn(ctx, n);

	__asm__ volatile("" ::: "memory");
	uncounted_ns += bench_now_ns() - t0;
	return rc;
}

static int time_one(bench_fn fn, void *ctx, uint32_t n, double *ns)
{
	double t0;

	uncounted_ns = 0;
	t0 = bench_now_ns();
	if (bench_counted(fn, ctx, n) != 0)
		return -1;
	*ns = (bench_now_ns() - t0 - uncounted_ns) / n;
	return 0;
}

int bench_time_pair(bench_fn lib, void *lib_ctx, bench_fn base, void *base_ctx, uint32_t n,
		    struct bench_pair *p)
{
	double l[BENCH_RUNS], b[BENCH_RUNS], r[BENCH_RUNS];

	/* one unmeasured round of each first: caches, buffers, lazy binding */
	if (bench_counted(lib, lib_ctx, n / 10 + 1) || bench_counted(base, base_ctx, n / 10 + 1))
		return -1;
	for (int i = 0; i < BENCH_RUNS; i++) {
		/* alternate which goes first, so neither always inherits a warm cache */
		if (i % 2 ? time_one(base, base_ctx, n, &b[i]) || time_one(lib, lib_ctx, n, &l[i])
			  : time_one(lib, lib_ctx, n, &l[i]) || time_one(base, base_ctx, n, &b[i]))
			return -1;
		r[i] = l[i] / b[i];
	}
	bench_stat_of(l, BENCH_RUNS, &p->lib);
	bench_stat_of(b, BENCH_RUNS, &p->base);
	bench_stat_of(r, BENCH_RUNS, &p->ratio);
	p->lib_ir = p->base_ir = -1;
	return 0;
}

int bench_have_valgrind(void)
{
	const char *off = getenv("KCTL_BENCH_NO_VALGRIND");

	if (off && *off && strcmp(off, "0") != 0)
		return 0;
	return system("valgrind --version >/dev/null 2>&1") == 0;
}

/* The "summary:" line of a callgrind output file: the instructions counted. */
static double read_summary(const char *path)
{
	char line[256];
	double ir = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "summary:", 8) == 0)
			ir = strtod(line + 8, NULL);
	fclose(f);
	return ir;
}

double bench_instructions(const char *self, const char *name, uint32_t n)
{
	static int have = -1;
	char out[64], count[16];
	double ir;
	pid_t pid;
	int st;

	if (have < 0)
		have = bench_have_valgrind();
	if (!have)
		return -1;
	snprintf(out, sizeof(out), "/tmp/kctl-bench-cg.%ld", (long)getpid());
	snprintf(count, sizeof(count), "%u", n);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char file[96];

		snprintf(file, sizeof(file), "--callgrind-out-file=%s", out);
		if (!freopen("/dev/null", "w", stderr) || !freopen("/dev/null", "w", stdout))
			_exit(127);
		execlp("valgrind", "valgrind", "--tool=callgrind", "--toggle-collect=bench_counted",
		       "--toggle-collect=bench_uncounted", file, self, "--count", name, count, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		unlink(out);
		return -1;
	}
	ir = read_summary(out);
	unlink(out);
	return ir < 0 ? -1 : ir / n;
}

void bench_count_pair(const char *self, const char *lib_name, const char *base_name,
		      uint32_t n, struct bench_pair *p)
{
	p->lib_ir = bench_instructions(self, lib_name, n);
	p->base_ir = bench_instructions(self, base_name, n);
}

int bench_count_mode(int argc, char **argv, uint32_t *n, const char **name)
{
	if (argc != 4 || strcmp(argv[1], "--count") != 0)
		return 0;
	*name = argv[2];
	*n = (uint32_t)strtoul(argv[3], NULL, 10);
	return 1;
}

void bench_print_head(const char *lib, const char *base)
{
	printf("  %-22s %-26s %-26s %-22s %s\n", "", lib, base, "ratio (min..max)",
	       "instructions: lib/base = ratio");
}

void bench_print_pair(const char *label, const char *unit, const struct bench_pair *p)
{
	char l[40], b[40], r[40];

	snprintf(l, sizeof(l), "%.1f %s (%.1f..%.1f)", p->lib.median, unit, p->lib.min,
		 p->lib.max);
	snprintf(b, sizeof(b), "%.1f %s (%.1f..%.1f)", p->base.median, unit, p->base.min,
		 p->base.max);
	snprintf(r, sizeof(r), "%.2f (%.2f..%.2f)", p->ratio.median, p->ratio.min,
		 p->ratio.max);
	printf("  %-22s %-26s %-26s %-22s ", label, l, b, r);
	if (p->lib_ir >= 0 && p->base_ir > 0)
		printf("%.0f/%.0f = %.3f\n", p->lib_ir, p->base_ir, p->lib_ir / p->base_ir);
	else
		printf("not counted (no valgrind)\n");
	fflush(stdout);
}

const int bench_echo_stream = 1;

int bench_echo_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		       void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return 0;
}

int bench_echo_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		    int flags)
{
	uint64_t buf[BENCH_ECHO_MAX / 8];
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
				kctl_sim_ctl_cookie(ctl) ? 0 : KCTL_ABI_CTL_DATA_EOR);
}
