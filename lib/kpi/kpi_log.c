/*
 * kpi_log.c - the kext log: the kernel's printf and vprintf for kext code, and the
 * lines the shim itself writes. Each line goes, whole, to the hook set with
 * kctl_kpi_set_log() or to stderr with a "[kext] " prefix.
 */
#include <stdarg.h>
#include <stdio.h>
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

void kpi_logf(const char *fmt, ...)
{
	char buf[KPI_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	kpi_log_line(buf);
}

/* Each newline ends a line; a last line without one is logged as it is. */
int kpi_log_vprintf(const char *fmt, va_list ap)
{
	char buf[KPI_LINE_MAX];
	/* every caller's ap comes from va_start; clang-analyzer 14 loses it on the way in */
	int n = vsnprintf(buf, sizeof(buf), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */

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

int kctl_kpi_vprintf(const char *fmt, va_list ap)
{
	return kpi_log_vprintf(fmt, ap);
}

int kctl_kpi_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	/* clang-analyzer 14 loses track of va_start through the format attribute */
	n = kpi_log_vprintf(fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	return n;
}
