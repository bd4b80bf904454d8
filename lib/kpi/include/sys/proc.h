/*
 * <sys/proc.h> for kext code running in the simulated kernel (libkctl-kpi): only the
 * sleep/wakeup pair (msleep on a lck_mtx_t, wakeup of every sleeper on a channel), the
 * way a third-party kext waits for its own thread call to finish.
 */
#ifndef KCTL_KPI_SYS_PROC_H
#define KCTL_KPI_SYS_PROC_H

#include <time.h>

#include <kern/locks.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef PZERO
#define PZERO 22
#endif

/* Returns 0 when woken, EWOULDBLOCK when ts (relative, NULL: forever) runs out. */
int msleep(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, struct timespec *ts);
void wakeup(void *chan);

#ifdef __cplusplus
}
#endif

#endif
