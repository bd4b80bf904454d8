/*
 * <sys/proc.h> for kext code running in the simulated kernel (libkctl-kpi): sleeping on
 * a channel under a lck_mtx_t (msleep, wakeup, wakeup_one) and who the current process
 * is (proc_selfpid, proc_name, ...).
 *
 * The simulated kernel runs a client's calls on the client's own thread, as a Mac runs
 * a system call, so inside a callback proc_selfpid() is the client's pid; on a kernel
 * thread or the thread-call thread it is 0, kernel_task. proc_name() knows this process
 * and kernel_task; for any other pid it reads /proc where the host has one, and leaves
 * the buffer untouched for a pid it cannot find, as Apple's does.
 */
#ifndef KCTL_KPI_SYS_PROC_H
#define KCTL_KPI_SYS_PROC_H

#include <time.h>

#include <sys/_kpi_cdefs.h>
#include <sys/kernel_types.h>
#include <sys/queue.h>
#include <kern/locks.h>

__BEGIN_DECLS

#ifndef PZERO
#define PZERO 22
#endif
#ifndef PRIBIO
#define PRIBIO 16
#endif
#ifndef PSOCK
#define PSOCK 24
#endif
#ifndef PWAIT
#define PWAIT 32
#endif
#ifndef PCATCH
#define PCATCH 0x100   /* OR'd with pri: a signal ends the sleep (no signals here) */
#endif
#ifndef PDROP
#define PDROP 0x400    /* OR'd with pri: return without the mutex */
#endif

/* 0 when woken, EWOULDBLOCK when ts (relative; NULL or zero: forever) runs out. */
int msleep(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, struct timespec *ts);
void wakeup(void *chan);
void wakeup_one(caddr_t chan);

int proc_selfpid(void);
int proc_selfppid(void);
void proc_name(int pid, char *buf, int size);
void proc_selfname(char *buf, int size);

__END_DECLS

#endif
