/*
 * kpi_int.h - what the parts of libkctl-kpi share (not installed, not exported).
 */
#ifndef KCTL_KPI_INT_H
#define KCTL_KPI_INT_H

#include <stddef.h>

#include "kctl_kpi.h"

/* The simulated kernel kexts are loaded into, or NULL when none is loaded. */
kctl_sim_t *kpi_kernel(void);

/*
 * A kernel panic: a kext did something that corrupts a real kernel. Prints why (to the
 * kext log) and aborts, so the test that provoked it fails loudly.
 */
_Noreturn void kpi_panic(const char *what);

/* Writes one line to the kext log (the hook, or stderr with the "[kext] " prefix). */
void kpi_log_line(const char *line);

/* Waits until no thread-call callback is running (before a module is closed). */
void kpi_thread_calls_quiesce(void);

/* Stops the timer thread once nothing is scheduled (after the last kext unloads);
 * pending calls a kext left behind are dropped and reported. */
void kpi_thread_calls_shutdown(void);

#endif
