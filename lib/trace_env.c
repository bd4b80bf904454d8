/*
 * trace_env.c - KCTL_TRACE: tracing the native backend of a whole process from its
 * environment, with no change to the program.
 *
 * The tracer is made once, at the first use of the native backend, and lives as long
 * as the process (a handle may be open until exit); after that it is only read.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "handle.h"
#include "trace.h"

static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static struct kctl_trace env_tracer;
static const struct kctl_backend *env_native = &kctl_native_backend;

/* Where KCTL_TRACE sends lines: -1 for none. */
static int env_fd(void)
{
	const char *v;
	int fd;

	/* a set-uid program must not write where its caller names */
	if (getuid() != geteuid() || getgid() != getegid())
		return -1;
	v = getenv("KCTL_TRACE");
	if (!v || !*v || strcmp(v, "0") == 0)
		return -1;
	if (strcmp(v, "1") == 0)
		return STDERR_FILENO;
	fd = open(v, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		/* said once, then the trace goes where the user looks anyway */
		dprintf(STDERR_FILENO, "libkctl: KCTL_TRACE: cannot open %s: %s; tracing to "
			"stderr\n", v, kctl_strerror(-errno));
		return STDERR_FILENO;
	}
	return fd;
}

static void env_init(void)
{
	int fd = env_fd();

	if (fd < 0)
		return;
	if (kctl_trace_init(&env_tracer, &kctl_native_backend, NULL, NULL, fd, 0) == 0)
		env_native = &env_tracer.be;
}

const struct kctl_backend *kctl_native_traced(void)
{
	pthread_once(&env_once, env_init);
	return env_native;
}
