/*
 * kpi_error.c - the sentence behind the last failed (or untidy) kctl_kpi_load*() or
 * kctl_kpi_unload() of this thread: kctl_kpi_last_error().
 *
 * Thread-local, so that an FFI caller reads it without locking and two threads never
 * see each other's: the buffer belongs to the thread and lives as long as it does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kpi_int.h"

size_t kctl_kpi_strlcpy(char *dst, const char *src, size_t size);

#define KPI_ERROR_MAX 1024

static _Thread_local char tl_error[KPI_ERROR_MAX];

const char *kctl_kpi_last_error(void)
{
	return tl_error;
}

void kpi_error_clear(void)
{
	tl_error[0] = '\0';
}

void kpi_error_add(const char *fmt, ...)
{
	size_t used = strlen(tl_error);
	char sentence[KPI_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sentence, sizeof(sentence), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	kpi_logf("kpi: %s", sentence);
	if (used != 0 && used + 2 < sizeof(tl_error)) {
		memcpy(tl_error + used, "; ", 3);
		used += 2;
	}
	/* cut rather than overflow: the first sentences are the ones that matter */
	kctl_kpi_strlcpy(tl_error + used, sentence, sizeof(tl_error) - used);
}
