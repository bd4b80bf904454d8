/*
 * kpi_fixture.h - a simulated kernel with one test kext of tests/kpi/kexts loaded, its
 * log captured, and helpers for clients and for death tests (header-only).
 *
 * The modules come from KPI_KEXT_DIR: the build tree's by default (built there as an
 * out-of-tree kext is built), or, when the environment sets it, the ones the install
 * test built against the installed tree with pkg-config alone.
 */
#ifndef KPI_FIXTURE_H
#define KPI_FIXTURE_H

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "kctl.h"
#include "kctl_kpi.h"
#include "kctl_sim.h"
#include "kext_log.h"
#include "testutil.h"

#define KPI_TIMEOUT_MS 5000

struct kpi {
	kctl_sim_t *sim;
	const kctl_backend_t *be;
	kctl_kpi_kext_t *kext;
	int fds_before;
	struct kext_log log; /* the kext's printf lines */
};

/* Whether the kext has logged a line containing s. */
static inline int kpi_logged(struct kpi *k, const char *s)
{
	return kext_log_has(&k->log, s);
}

/* The path of test kext `name` (KPI_KEXT_DIR/name.so), in buf. */
static inline const char *kpi_module(const char *name, char *buf, size_t cap)
{
	const char *dir = getenv("KPI_KEXT_DIR");

	snprintf(buf, cap, "%s/%s.so", dir != NULL && *dir != '\0' ? dir : KPI_KEXT_DIR, name);
	return buf;
}

/* A fresh kernel (root), logging into k; no kext loaded. */
static inline struct kpi *kpi_new(void)
{
	struct kpi *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return NULL;
	kext_log_init(&k->log);
	k->fds_before = tu_open_fds();
	if (kctl_sim_new(&k->sim) != 0) {
		free(k);
		return NULL;
	}
	kctl_sim_set_euid(k->sim, 0);
	k->be = kctl_sim_backend(k->sim);
	kctl_kpi_set_log(kext_log_line, &k->log);
	return k;
}

/* Loads test kext name into k's kernel: 0 or the loader's negative errno. */
static inline int kpi_load(struct kpi *k, const char *name, kctl_kpi_kext_t **out)
{
	char path[4096];

	return kctl_kpi_load_module(k->sim, kpi_module(name, path, sizeof(path)), out);
}

/* Frees k; -1 if a file descriptor leaked. */
static inline int kpi_free(struct kpi *k)
{
	int bad = 0;

	kctl_kpi_set_log(NULL, NULL);
	kctl_sim_free(k->sim);
	if (tu_open_fds() != k->fds_before)
		bad = 1;
	kext_log_destroy(&k->log);
	free(k);
	return bad ? -1 : 0;
}

/* cmocka setup/teardown for a suite whose tests each load one kext. */
static inline int kpi_setup(void **state)
{
	*state = kpi_new();
	return *state != NULL ? 0 : -1;
}

static inline int kpi_teardown(void **state)
{
	struct kpi *k = *state;
	int bad = 0;

	if (k->kext != NULL && kctl_kpi_unload(k->kext) != 0) {
		fprintf(stderr, "teardown: unload: %s\n", kctl_kpi_last_error());
		bad = 1;
	}
	return kpi_free(k) != 0 || bad ? -1 : 0;
}

/* A client of control name, with a timeout. */
static inline kctl_t *kpi_open(struct kpi *k, const char *name, uint32_t unit, int stream)
{
	kctl_t *h = NULL;

	assert_int_equal(kctl_open_name(k->be, name, unit, stream ? KCTL_OPEN_STREAM : 0, &h), 0);
	assert_int_equal(kctl_set_timeout(h, KPI_TIMEOUT_MS), 0);
	return h;
}

/* Receives one record into buf (NUL-terminated); returns its length. */
static inline size_t kpi_recv_text(kctl_t *h, char *buf, size_t cap)
{
	size_t got = 0;
	uint32_t fl = 0;

	assert_int_equal(kctl_recv(h, buf, cap - 1, &got, &fl), 0);
	buf[got] = '\0';
	return got;
}

/*
 * Runs fn(arg) in a child process and reports how it ended: the signal that killed it
 * (0 if it exited; *code then has the status). The child's stderr (where an aborting
 * kext log goes) is captured in out. For panics, which abort the kernel as they would
 * stop a Mac.
 */
static inline int kpi_in_child(void (*fn)(void *), void *arg, char *out, size_t cap, int *code)
{
	int pipefd[2], status = 0;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		signal(SIGABRT, SIG_DFL);
		fn(arg);
		_exit(0);
	}
	close(pipefd[1]);
	while (n + 1 < cap && (r = read(pipefd[0], out + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	*code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

#endif
