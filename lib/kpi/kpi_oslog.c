/*
 * kpi_oslog.c - os_log for kext code (<os/log.h>): one line in the kext log per message,
 * the format's privacy and type annotations ({public}, {private}, {bool}, ...) dropped
 * before it is formatted like printf's.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include <os/log.h>

#include "kpi_int.h"

struct os_log_s {
	int unused;
};

struct os_log_s _os_log_default;

os_log_t os_log_create(const char *subsystem, const char *category)
{
	(void)subsystem;
	(void)category;
	return OS_LOG_DEFAULT;
}

bool os_log_type_enabled(os_log_t oslog, os_log_type_t type)
{
	(void)type;
	return oslog != OS_LOG_DISABLED;
}

bool os_log_info_enabled(os_log_t log)
{
	return os_log_type_enabled(log, OS_LOG_TYPE_INFO);
}

bool os_log_debug_enabled(os_log_t log)
{
	return os_log_type_enabled(log, OS_LOG_TYPE_DEBUG);
}

/* Copies fmt into out without the "{...}" right after each '%' (cut to fit). */
static void strip_annotations(const char *fmt, char *out, size_t cap)
{
	size_t n = 0;

	for (const char *p = fmt; *p != '\0' && n + 1 < cap; p++) {
		out[n++] = *p;
		if (*p != '%')
			continue;
		if (p[1] == '%') { /* "%%" stays as it is */
			if (n + 1 < cap)
				out[n++] = *++p;
			continue;
		}
		if (p[1] == '{') {
			const char *end = strchr(p + 1, '}');

			if (end != NULL)
				p = end;
		}
	}
	out[n] = '\0';
}

void _os_log_internal(void *dso, os_log_t log, os_log_type_t type, const char *message, ...)
{
	char fmt[512];
	va_list ap;

	(void)dso;
	if (!os_log_type_enabled(log, type))
		return;
	strip_annotations(message, fmt, sizeof(fmt));
	va_start(ap, message);
	/* the format is the kext's own, minus annotations: as checked as on a Mac */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	(void)kpi_log_vprintf(fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
#pragma GCC diagnostic pop
	va_end(ap);
}
