/*
 * kpi_panic.c - kernel panics: panic(), Assert() and the shim's own checks.
 *
 * A panic is logged as "panic(<kext>): <message>" and then either aborts the process
 * (the test fails loudly, as the machine would go down) or, inside a start or stop
 * routine run by the loader on this thread, returns to the loader, which unloads the
 * kext. No lock of the shim is held where a panic is raised, so jumping out leaves the
 * shim consistent; what the kext itself held is what it loses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kern/assert.h>

#include "kpi_int.h"

int kext_assertions_enable; /* off, as on a release kernel */

static _Thread_local struct kpi_catch *tl_catch;

struct kpi_catch *kpi_catch_current(void)
{
	return tl_catch;
}

void kpi_catch_set(struct kpi_catch *c)
{
	tl_catch = c;
}

void kpi_catch_arm(struct kpi_catch *c)
{
	c->message[0] = '\0';
	tl_catch = c;
}

void kpi_catch_disarm(void)
{
	tl_catch = NULL;
}

void kpi_panic(const char *what)
{
	struct kctl_kpi_kext *k = kpi_current_kext();
	struct kpi_catch *c = tl_catch;

	kpi_logf("panic(%s): %s", k != NULL ? k->name : "kernel", what);
	if (c != NULL) {
		tl_catch = NULL;
		snprintf(c->message, sizeof(c->message), "%s", what);
		longjmp(c->jb, 1);
	}
	abort();
}

void kpi_panicf(const char *fmt, ...)
{
	char msg[KPI_PANIC_MAX];
	va_list ap;

	va_start(ap, fmt);
	/* clang-analyzer 14 loses track of va_start through the format attribute */
	vsnprintf(msg, sizeof(msg), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	kpi_panic(msg);
}

void kctl_kpi_panic(const char *fmt, ...)
{
	char msg[KPI_PANIC_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	kpi_panic(msg);
}

void Assert(const char *file, int line, const char *expression)
{
	kpi_panicf("%s:%d Assertion failed: %s", file, line, expression);
}
