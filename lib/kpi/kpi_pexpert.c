/*
 * kpi_pexpert.c - the platform expert's calls a kext meets (<pexpert/pexpert.h>):
 * kprintf to the kext log, and boot-args, of which the simulated machine has none.
 */
#include <stdarg.h>

#include <pexpert/pexpert.h>

#include "kpi_int.h"

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)kpi_log_vprintf(fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
}

boolean_t PE_parse_boot_argn(const char *arg_string, void *arg_ptr, int max_arg)
{
	(void)arg_string;
	(void)arg_ptr;
	(void)max_arg;
	return FALSE;
}
