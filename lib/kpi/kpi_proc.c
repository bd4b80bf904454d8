/*
 * kpi_proc.c - <sys/proc.h>: sleeping on a channel (msleep, wakeup) and who the current
 * process is. A client's calls reach a kext on the client's thread, as a system call
 * runs in its process on a Mac, so proc_selfpid() there is this process; on the
 * kernel's own threads (kernel threads, thread calls, start and stop routines) it is 0,
 * kernel_task.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/proc.h>
#include <kern/sched_prim.h>
#include <libkern/libkern.h>

#include "kpi_int.h"
#include "kpi_wait.h"

int msleep(void *chan, lck_mtx_t *mtx, int pri, const char *wmesg, struct timespec *ts)
{
	struct kpi_waiter w;
	uint64_t deadline = 0;
	wait_result_t r;

	(void)wmesg;
	if (ts != NULL && (ts->tv_sec != 0 || ts->tv_nsec != 0))
		deadline = kpi_wait_deadline_in((uint64_t)ts->tv_sec * 1000000000u +
						(uint64_t)ts->tv_nsec);
	/* no channel: a plain timed sleep, which no wakeup can end */
	kpi_wait_prepare(&w, chan != NULL ? chan : (void *)&w);
	if (mtx != NULL)
		lck_mtx_unlock(mtx);
	r = kpi_wait_block(&w, deadline);
	if (mtx != NULL && !(pri & PDROP))
		lck_mtx_lock(mtx);
	return r == THREAD_TIMED_OUT ? EWOULDBLOCK : 0;
}

void wakeup(void *chan)
{
	(void)thread_wakeup_prim(chan, FALSE, THREAD_AWAKENED);
}

void wakeup_one(caddr_t chan)
{
	(void)thread_wakeup_prim(chan, TRUE, THREAD_AWAKENED);
}

int proc_selfpid(void)
{
	return kpi_in_kernel_context() ? 0 : (int)getpid();
}

int proc_selfppid(void)
{
	return kpi_in_kernel_context() ? 0 : (int)getppid();
}

/* The name of another process, from /proc where the host has one; 0 if found. */
static int name_from_proc(int pid, char *buf, int size)
{
	char path[64], name[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	n = fread(name, 1, sizeof(name) - 1, f);
	fclose(f);
	while (n > 0 && name[n - 1] == '\n')
		n--;
	name[n] = '\0';
	kctl_kpi_strlcpy(buf, name, (size_t)size);
	return 0;
}

void proc_name(int pid, char *buf, int size)
{
	if (buf == NULL || size <= 0)
		return;
	if (pid == 0)
		kctl_kpi_strlcpy(buf, "kernel_task", (size_t)size);
	else if (pid > 0)
		(void)name_from_proc(pid, buf, size); /* unknown pid: buf untouched, as Apple's */
}

void proc_selfname(char *buf, int size)
{
	proc_name(proc_selfpid(), buf, size);
}
