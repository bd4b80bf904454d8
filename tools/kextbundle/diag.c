/* diag.c - problem reporting in the compiler style editors can jump to. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void kb_diag_error(struct kb_diag *d, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "%s:%u: ", d->path, line);
	else
		fprintf(stderr, "%s: ", d->path);
	va_start(ap, fmt);
	/* clang-analyzer 14 loses track of va_start through the format attribute */
	vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	fputc('\n', stderr);
	d->problems++;
}
