/*
 * The kernel's little library as kext code sees it: OSAtomic, min/max, strlcpy and
 * strlcat, printf/IOLog/kprintf/os_log lines (annotations dropped), IOMalloc and
 * _MALLOC rules, proc_selfpid/proc_name, clocks, the BSD queue macros, boot-args, and
 * Apple's compiler vocabulary (__private_extern__, #pragma unused and mark, __unused),
 * which this file uses under the project's -Wpedantic -Werror. (#pragma unused does not
 * silence gcc's -Wunused-parameter of -Wextra, which this file also has, so it casts as
 * well; the test kexts, built with a kext's -Wall, rely on the pragma alone.)
 */
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/queue.h>
#include <sys/time.h>
#include <kern/clock.h>
#include <libkern/OSAtomic.h>
#include <libkern/OSByteOrder.h>
#include <os/log.h>
#include <pexpert/pexpert.h>
#include <IOKit/IOLib.h>

#include "kpi_static.h"

__private_extern__ int private_helper(int x);

__private_extern__ int private_helper(int x)
{
#pragma unused(x)
	(void)x;
	return 7;
}

static void osatomic_returns_the_value_before(void **state)
{
	volatile SInt32 v = 5;
	volatile SInt64 w = -1;
	volatile UInt32 bits = 0x0f;
	volatile UInt8 bytes[2] = { 0, 0 };
	void *volatile p = NULL;
	int here;

	(void)state;
	assert_int_equal(OSAddAtomic(3, &v), 5);
	assert_int_equal(OSIncrementAtomic(&v), 8);
	assert_int_equal(OSDecrementAtomic(&v), 9);
	assert_int_equal(v, 8);
	assert_int_equal(OSAddAtomic64(10, &w), -1);
	assert_int_equal(w, 9);
	assert_true(OSCompareAndSwap(0x0f, 0xf0, &bits));
	assert_false(OSCompareAndSwap(0x0f, 0x00, &bits));
	assert_int_equal(OSBitOrAtomic(0x01, &bits), 0xf0);
	assert_int_equal(OSBitAndAtomic(0x01, &bits), 0xf1);
	assert_int_equal(OSBitXorAtomic(0x03, &bits), 0x01);
	assert_int_equal(bits, 0x02);
	assert_true(OSCompareAndSwapPtr(NULL, &here, &p));
	assert_ptr_equal(p, &here);
	/* Apple numbers bits from the top of the first byte */
	assert_false(OSTestAndSet(0, bytes));
	assert_int_equal(bytes[0], 0x80);
	assert_false(OSTestAndSet(9, bytes));
	assert_int_equal(bytes[1], 0x40);
	assert_true(OSTestAndSet(9, bytes));
	assert_true(OSTestAndClear(0, bytes));
	assert_int_equal(bytes[0], 0);
	assert_int_equal(OSSwapInt32(0x11223344u), 0x44332211u);
	assert_int_equal(OSSwapBigToHostInt16(OSSwapHostToBigInt16(0x1234)), 0x1234);
}

static void the_min_max_family_and_bsd_strings(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(min(3u, 9u), 3);
	assert_int_equal(max(3u, 9u), 9);
	assert_int_equal(imin(-3, 2), -3);
	assert_int_equal(imax(-3, 2), 2);
	assert_int_equal(lmin(-30L, 2L), -30);
	assert_int_equal(lmax(-30L, 2L), 2);
	assert_int_equal(ulmin(7u, 4u), 4);
	assert_int_equal(ulmax(7u, 4u), 7);
	assert_int_equal(strlcpy(buf, "truncated", sizeof(buf)), 9);
	assert_string_equal(buf, "truncat");
	strlcpy(buf, "ab", sizeof(buf));
	assert_int_equal(strlcat(buf, "cdefghij", sizeof(buf)), 10);
	assert_string_equal(buf, "abcdefg");
	memset(buf, 'x', sizeof(buf)); /* no NUL inside: strlcat reports size + strlen */
	assert_int_equal(strlcat(buf, "yz", sizeof(buf)), sizeof(buf) + 2);
	bzero(buf, sizeof(buf));
	bcopy("hi", buf, 2);
	assert_int_equal(bcmp(buf, "hi", 2), 0);
	assert_int_equal(private_helper(1), 7);
}

static void every_log_call_writes_whole_lines(void **state)
{
	struct kpi *k = *state;

	printf("first %d\nsecond %s\n", 1, "two");
	IOLog("from IOLog %u\n", 3u);
	kprintf("from kprintf\n");
	os_log(OS_LOG_DEFAULT, "os_log %{public}s %{private}d %{bool}d 100%% %s", "pub", 5, 1,
	       "plain");
	os_log_error(os_log_create("com.example", "test"), "error %{public}sx", "y");
	os_log_debug(OS_LOG_DEFAULT, "debug %d", 9);
	assert_true(kpi_logged(k, "first 1\nsecond two\n"));
	assert_true(kpi_logged(k, "from IOLog 3\n"));
	assert_true(kpi_logged(k, "from kprintf\n"));
	assert_true(kpi_logged(k, "os_log pub 5 1 100% plain\n"));
	assert_true(kpi_logged(k, "error yx\n"));
	assert_true(kpi_logged(k, "debug 9\n"));
	assert_true(os_log_debug_enabled(OS_LOG_DEFAULT));
}

static void iomalloc_and_malloc_follow_their_rules(void **state)
{
	unsigned char *p, *z;
	void *a;
	int *m;

	(void)state;
	assert_null(IOMalloc(0));
	p = IOMalloc(100);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	memset(p, 1, 100);
	IOFree(p, 100);
	z = IOMallocZero(64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	IOFree(z, 64);
	a = IOMallocAligned(100, 256);
	assert_int_equal((uintptr_t)a % 256, 0);
	IOFreeAligned(a, 100);
	IOFree(NULL, 5);
	assert_null(_MALLOC(0, M_TEMP, M_WAITOK));
	MALLOC(m, int *, 16 * sizeof(int), M_TEMP, M_WAITOK | M_ZERO);
	for (int i = 0; i < 16; i++)
		assert_int_equal(m[i], 0);
	FREE(m, M_TEMP);
	_FREE(NULL, M_TEMP);
}

static void iofree_with_another_size(void *arg)
{
	struct kpi *k = kpi_new();
	void *p;

	(void)arg;
	kctl_kpi_set_log(NULL, NULL);
	if (k == NULL)
		_exit(2);
	p = IOMalloc(32);
	IOFree(p, 33);
	_exit(3);
}

static void iofree_with_another_size_panics(void **state)
{
	char out[4096];
	int code = 0;

	(void)state;
	assert_int_equal(kpi_in_child(iofree_with_another_size, NULL, out, sizeof(out), &code),
			 SIGABRT);
	assert_non_null(strstr(out, "IOFree: size 33 differs from the allocation's 32"));
}

static void who_is_running_and_what_time_it_is(void **state)
{
	char name[32] = "untouched";
	struct timeval tv;
	struct timespec ts;
	uint64_t a, b, ns;
	clock_sec_t secs;
	clock_usec_t usecs;

	(void)state;
	assert_int_equal(proc_selfpid(), (int)getpid());
	assert_int_equal(proc_selfppid(), (int)getppid());
	proc_name(0, name, sizeof(name));
	assert_string_equal(name, "kernel_task");
	strcpy(name, "untouched");
	proc_name(0x7ffffff0, name, sizeof(name)); /* no such process: left alone */
	assert_string_equal(name, "untouched");
	a = mach_absolute_time();
	clock_get_uptime(&b);
	assert_true(b >= a);
	absolutetime_to_nanoseconds(b - a, &ns);
	assert_int_equal(ns, b - a);
	microtime(&tv);
	clock_get_calendar_microtime(&secs, &usecs);
	assert_true((time_t)secs - tv.tv_sec <= 1);
	assert_true(usecs < 1000000);
	nanouptime(&ts);
	assert_true(ts.tv_nsec < 1000000000L);
	assert_false(PE_parse_boot_argn("debug", &secs, sizeof(secs)));
}

struct item {
	int v;
	TAILQ_ENTRY(item) tq;
	LIST_ENTRY(item) l;
	STAILQ_ENTRY(item) stq;
	SLIST_ENTRY(item) sl;
};
TAILQ_HEAD(tqh, item);
STAILQ_HEAD(stqh, item);

static void the_bsd_queue_macros_work_as_apples(void **state)
{
	struct item it[5];
	struct tqh tq = TAILQ_HEAD_INITIALIZER(tq);
	struct stqh a = STAILQ_HEAD_INITIALIZER(a), b = STAILQ_HEAD_INITIALIZER(b);
	LIST_HEAD(, item) l = LIST_HEAD_INITIALIZER(l);
	SLIST_HEAD(, item) sl = SLIST_HEAD_INITIALIZER(sl);
	struct item *x, *tmp;
	int sum = 0;

	(void)state;
	for (int i = 0; i < 5; i++) {
		it[i].v = i;
		TAILQ_INSERT_TAIL(&tq, &it[i], tq);
		SLIST_INSERT_HEAD(&sl, &it[i], sl);
	}
	TAILQ_FOREACH_SAFE(x, &tq, tq, tmp)
		if (x->v % 2 == 0)
			TAILQ_REMOVE(&tq, x, tq);
	TAILQ_FOREACH(x, &tq, tq)
		sum += x->v;
	assert_int_equal(sum, 1 + 3);
	x = TAILQ_LAST(&tq, tqh);
	assert_non_null(x);
	assert_int_equal(x->v, 3);
	x = TAILQ_PREV(x, tqh, tq);
	assert_non_null(x);
	assert_int_equal(x->v, 1);
	STAILQ_INSERT_TAIL(&a, &it[0], stq);
	STAILQ_INSERT_TAIL(&b, &it[1], stq);
	STAILQ_INSERT_TAIL(&b, &it[2], stq);
	STAILQ_CONCAT(&a, &b);
	assert_true(STAILQ_EMPTY(&b));
	x = STAILQ_LAST(&a, item, stq);
	assert_int_equal(x != NULL ? x->v : -1, 2);
	LIST_INSERT_HEAD(&l, &it[3], l);
	LIST_INSERT_BEFORE(&it[3], &it[4], l);
	assert_int_equal(LIST_FIRST(&l)->v, 4);
	LIST_REMOVE(&it[4], l);
	assert_int_equal(LIST_FIRST(&l)->v, 3);
	SLIST_REMOVE(&sl, &it[2], item, sl);
	sum = 0;
	SLIST_FOREACH(x, &sl, sl)
		sum += x->v;
	assert_int_equal(sum, 0 + 1 + 3 + 4);
}

static void unused_parameters(int a, int b __unused)
{
#pragma unused(a)
#pragma mark - nothing else
	(void)a;
}

static void apples_compiler_vocabulary_is_quiet(void **state)
{
	(void)state;
	unused_parameters(1, 2); /* compiling this file is the test */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, static_setup, static_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(osatomic_returns_the_value_before),
		T(the_min_max_family_and_bsd_strings),
		T(every_log_call_writes_whole_lines),
		T(iomalloc_and_malloc_follow_their_rules),
		cmocka_unit_test(iofree_with_another_size_panics),
		T(who_is_running_and_what_time_it_is),
		T(the_bsd_queue_macros_work_as_apples),
		T(apples_compiler_vocabulary_is_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
