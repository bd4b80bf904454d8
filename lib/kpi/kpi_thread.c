/*
 * kpi_thread.c - kernel threads (<kern/thread.h>): kernel_thread_start, current_thread,
 * thread_terminate and the references that keep a thread_t valid.
 *
 * A kernel thread is a detached pthread that runs its continuation as the kernel, for
 * the kext that started it. Its thread_t lives until the thread has ended and the
 * creator has dropped the reference kernel_thread_start gave it. thread_terminate of
 * the calling thread jumps back to the thread's start instead of unwinding, so kext code
 * built without unwind tables is fine. Every other thread (a client's, a test's, the
 * thread-call thread) has a thread_t of its own for current_thread(), valid while the
 * thread lives, which references do not affect.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include <kern/thread.h>

#include "kpi_int.h"

struct thread {
	struct thread *next; /* kernel threads only, under th_lock */
	thread_continue_t fn;
	void *param;
	struct kctl_kpi_kext *kext;
	uint64_t tid;
	int refs;  /* the creator's and the running thread's */
	int alive;
	jmp_buf exit_jb;
};

static pthread_mutex_t th_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t th_ended = PTHREAD_COND_INITIALIZER;
static struct thread *kthreads;
static atomic_uint_fast64_t next_tid = 1;

static _Thread_local struct thread *tl_thread; /* this thread's, if a kernel thread */
static _Thread_local struct thread tl_plain;   /* any other thread's */

thread_t current_thread(void)
{
	if (tl_thread != NULL)
		return tl_thread;
	if (tl_plain.tid == 0)
		tl_plain.tid = atomic_fetch_add(&next_tid, 1);
	return &tl_plain;
}

uint64_t thread_tid(thread_t thread)
{
	return thread != NULL ? thread->tid : 0;
}

/* Under th_lock: whether t is a live kernel thread object. */
static int known(const struct thread *t)
{
	for (const struct thread *k = kthreads; k != NULL; k = k->next)
		if (k == t)
			return 1;
	return 0;
}

/* Under th_lock: drops one reference; frees t when none is left. */
static void unref_locked(struct thread *t)
{
	struct thread **p = &kthreads;

	if (--t->refs > 0)
		return;
	while (*p != t)
		p = &(*p)->next;
	*p = t->next;
	free(t);
}

void thread_reference(thread_t thread)
{
	pthread_mutex_lock(&th_lock);
	if (thread != NULL && known(thread))
		thread->refs++;
	pthread_mutex_unlock(&th_lock);
}

void thread_deallocate(thread_t thread)
{
	pthread_mutex_lock(&th_lock);
	if (thread != NULL && known(thread))
		unref_locked(thread);
	pthread_mutex_unlock(&th_lock);
}

/* Under th_lock: how many kernel threads of k still run. */
static unsigned alive_for(const struct kctl_kpi_kext *k)
{
	unsigned n = 0;

	for (const struct thread *t = kthreads; t != NULL; t = t->next)
		n += t->alive && t->kext == k;
	return n;
}

int kpi_threads_adopt(struct kctl_kpi_kext *k)
{
	int adopted;

	pthread_mutex_lock(&th_lock);
	adopted = alive_for(k) != 0;
	if (adopted)
		k->finished = 1;
	pthread_mutex_unlock(&th_lock);
	return adopted;
}

/* The last thread of an unloaded kext is gone: the rest of its unloading. */
static void finish_kext(struct kctl_kpi_kext *k)
{
	size_t mbufs = kpi_mbuf_reclaim(k);

	kpi_logf("kpi: the last kernel thread of %s ended; its module is unloaded now%s",
		 k->name, mbufs != 0 ? " and the mbufs it held are freed" : "");
	if (k->dl != NULL)
		dlclose(k->dl);
	free(k);
}

/* Runs t's continuation; thread_terminate() jumps back here. */
static void run(struct thread *t)
{
	struct kpi_frame f;

	kpi_enter(&f, t->kext, 1);
	if (setjmp(t->exit_jb) == 0)
		t->fn(t->param, THREAD_AWAKENED);
	kpi_leave(&f);
}

static void *kthread_main(void *arg)
{
	struct thread *t = arg;
	struct kctl_kpi_kext *done = NULL;

	tl_thread = t;
	run(t);
	tl_thread = NULL;
	pthread_mutex_lock(&th_lock);
	t->alive = 0;
	if (t->kext != NULL && t->kext->finished && alive_for(t->kext) == 0)
		done = t->kext;
	pthread_cond_broadcast(&th_ended);
	unref_locked(t);
	pthread_mutex_unlock(&th_lock);
	if (done != NULL) /* out of the kext's code: its module may go */
		finish_kext(done);
	return NULL;
}

kern_return_t kernel_thread_start(thread_continue_t continuation, void *parameter,
				  thread_t *new_thread)
{
	struct thread *t;
	pthread_attr_t pa;
	pthread_t pt;
	int rc;

	if (continuation == NULL || new_thread == NULL)
		return KERN_INVALID_ARGUMENT;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return KERN_RESOURCE_SHORTAGE;
	t->fn = continuation;
	t->param = parameter;
	t->kext = kpi_current_kext();
	t->tid = atomic_fetch_add(&next_tid, 1);
	t->refs = 2;
	t->alive = 1;
	pthread_mutex_lock(&th_lock);
	t->next = kthreads;
	kthreads = t;
	*new_thread = t; /* before it runs: the continuation may look at it */
	pthread_attr_init(&pa);
	pthread_attr_setdetachstate(&pa, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&pt, &pa, kthread_main, t);
	pthread_attr_destroy(&pa);
	if (rc != 0) {
		t->refs = 1;
		unref_locked(t);
		*new_thread = THREAD_NULL;
	}
	pthread_mutex_unlock(&th_lock);
	return rc == 0 ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t thread_terminate(thread_act_t target_act)
{
	struct thread *t = tl_thread;

	if (t == NULL || target_act != t) {
		kpi_logf("kpi: thread_terminate of a thread other than the calling kernel "
			 "thread is not simulated");
		return KERN_FAILURE;
	}
	longjmp(t->exit_jb, 1);
}

unsigned kpi_threads_wait(struct kctl_kpi_kext *k, unsigned ms)
{
	struct timespec end;
	unsigned alive;

	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&th_lock);
	for (int late = 0;;) {
		alive = alive_for(k);
		if (alive == 0 || late)
			break;
		late = pthread_cond_timedwait(&th_ended, &th_lock, &end) == ETIMEDOUT;
	}
	pthread_mutex_unlock(&th_lock);
	return alive;
}
