/*
 * kpi_log.c - the kernel's printf for kext code, panics, and strlcpy (which glibc
 * lacks before 2.38).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <libkern/libkern.h>

#include "kpi_int.h"

#define KPI_LINE_MAX 512

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static kctl_kpi_log_fn log_fn;
static void *log_ctx;

void kctl_kpi_set_log(kctl_kpi_log_fn fn, void *ctx)
{
	pthread_mutex_lock(&log_lock);
	log_fn = fn;
	log_ctx = ctx;
	pthread_mutex_unlock(&log_lock);
}

/* Under log_lock, so lines from several threads never interleave. */
void kpi_log_line(const char *line)
{
	pthread_mutex_lock(&log_lock);
	if (log_fn != NULL)
		log_fn(log_ctx, line);
	else
		fprintf(stderr, "[kext] %s\n", line);
	pthread_mutex_unlock(&log_lock);
}

/* Each newline ends a line; a last line without one is logged as it is. */
int kctl_kpi_printf(const char *fmt, ...)
{
	char buf[KPI_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	/* clang-analyzer 14 loses track of va_start through the format attribute */
	n = vsnprintf(buf, sizeof(buf), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	if (n < 0)
		return n;
	for (char *line = buf; *line != '\0';) {
		char *nl = strchr(line, '\n');

		if (nl != NULL)
			*nl = '\0';
		kpi_log_line(line);
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return n;
}

_Noreturn void kpi_panic(const char *what)
{
	char line[KPI_LINE_MAX];

	snprintf(line, sizeof(line), "panic: %s", what);
	kpi_log_line(line);
	abort();
}

size_t kctl_kpi_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
