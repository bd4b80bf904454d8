/*
 * <sys/systm.h> for kext code running in the simulated kernel (libkctl-kpi): what the
 * BSD kernel's "everything header" brings in, as Apple's does: <sys/types.h>,
 * <sys/time.h>, <sys/malloc.h>, <sys/proc.h> (and through it <sys/queue.h>),
 * <libkern/libkern.h> (printf, bzero, bcopy, min, max, imin, lmin, ulmin, ...),
 * <kern/thread.h> and <kern/debug.h> (panic).
 */
#ifndef KCTL_KPI_SYS_SYSTM_H
#define KCTL_KPI_SYS_SYSTM_H

#include <sys/cdefs.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <libkern/libkern.h>
#include <kern/thread.h>
#include <kern/debug.h>

/* FreeBSD-isms that Apple's header keeps as no-ops. */
#define SYSINIT(a, b, c, d, e)
#define MALLOC_DEFINE(a, b, c)
#define getenv_int(a, b) (*(b) = 0)
#define KASSERT(exp, msg)

#endif
