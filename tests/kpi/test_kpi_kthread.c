/*
 * Kernel threads: kernel_thread_start runs the continuation as the kernel (pid 0) with
 * a thread_t that current_thread() knows; thread_terminate ends the calling thread
 * only; a kext unloaded with a thread still running is reported, and the thread may
 * finish later without harm.
 */
#include <kern/locks.h>
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <sys/proc.h>

#include "kpi_static.h"

struct seen {
	thread_t self;
	int pid;
	wait_result_t wr;
	void *param;
	int after_terminate;
	int done;
};

static void observe(void *param, wait_result_t wr)
{
	struct seen *s = param;

	s->self = current_thread();
	s->pid = proc_selfpid();
	s->wr = wr;
	s->param = param;
	__atomic_store_n(&s->done, 1, __ATOMIC_SEQ_CST);
}

static void wait_done(const int *done)
{
	struct timespec ts = { 0, 1000000 };

	while (!__atomic_load_n(done, __ATOMIC_SEQ_CST))
		nanosleep(&ts, NULL);
}

static void the_continuation_runs_as_the_kernel(void **state)
{
	struct seen s;
	thread_t t = THREAD_NULL;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(kernel_thread_start(observe, &s, &t), KERN_SUCCESS);
	wait_done(&s.done);
	assert_ptr_equal(s.self, t);
	assert_ptr_equal(s.param, &s);
	assert_int_equal(s.wr, THREAD_AWAKENED);
	assert_int_equal(s.pid, 0); /* kernel_task */
	assert_true(thread_tid(t) != 0);
	assert_true(thread_tid(t) != thread_tid(current_thread()));
	thread_deallocate(t);
	assert_int_equal(proc_selfpid(), (int)getpid()); /* this thread is not the kernel */
	assert_int_equal(kernel_thread_start(NULL, NULL, &t), KERN_INVALID_ARGUMENT);
}

static void terminating(void *param, wait_result_t wr)
{
	struct seen *s = param;

	(void)wr;
	__atomic_store_n(&s->done, 1, __ATOMIC_SEQ_CST);
	thread_terminate(current_thread());
	s->after_terminate = 1; /* not reached */
}

static void thread_terminate_ends_the_calling_thread(void **state)
{
	struct seen s;
	thread_t t = THREAD_NULL;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(kernel_thread_start(terminating, &s, &t), KERN_SUCCESS);
	wait_done(&s.done);
	nanosleep(&ts, NULL);
	assert_int_equal(s.after_terminate, 0);
	/* not the calling kernel thread: refused */
	assert_int_equal(thread_terminate(t), KERN_FAILURE);
	assert_int_equal(thread_terminate(current_thread()), KERN_FAILURE);
	thread_deallocate(t);
}

/* ---- a kext that leaves its thread running ---- */

static int release_event;
static int lingering_done;

static void linger(void *param, wait_result_t wr)
{
	(void)param;
	(void)wr;
	(void)assert_wait(&release_event, THREAD_UNINT);
	(void)thread_block(THREAD_CONTINUE_NULL);
	__atomic_store_n(&lingering_done, 1, __ATOMIC_SEQ_CST);
}

static kern_return_t start_lingering(void)
{
	thread_t t;

	if (kernel_thread_start(linger, NULL, &t) != KERN_SUCCESS)
		return KERN_FAILURE;
	thread_deallocate(t);
	return KERN_SUCCESS;
}

static void a_thread_left_running_is_reported_and_may_end_later(void **state)
{
	struct kpi *k = *state;

	static_start_hook = start_lingering;
	assert_int_equal(kctl_kpi_load(k->sim, &kmod_info, &k->kext), 0);
	assert_int_equal(kctl_kpi_unload(k->kext), -ENOTEMPTY);
	k->kext = NULL;
	assert_non_null(strstr(kctl_kpi_last_error(), "org.libkctl.test.static left 1 kernel "
						       "thread running after its stop routine"));
	/* the kernel is free for the next kext meanwhile */
	static_start_hook = NULL;
	assert_int_equal(kctl_kpi_load(k->sim, &kmod_info, &k->kext), 0);
	/* the thread ends when it likes: its kext's leftovers go with it */
	while (thread_wakeup(&release_event) == KERN_NOT_WAITING)
		;
	wait_done(&lingering_done);
	assert_int_equal(kctl_kpi_unload(k->kext), 0);
	k->kext = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_continuation_runs_as_the_kernel, static_setup,
						static_teardown),
		cmocka_unit_test_setup_teardown(thread_terminate_ends_the_calling_thread,
						static_setup, static_teardown),
		cmocka_unit_test_setup_teardown(a_thread_left_running_is_reported_and_may_end_later,
						kpi_setup, static_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
