/*
 * <kern/assert.h> for kext code running in the simulated kernel (libkctl-kpi), with
 * Apple's semantics:
 * - A kext built without MACH_ASSERT or APPLE_KEXT_ASSERTIONS (every release build) gets
 *   assert(ex) as ((void)0): ex is not evaluated, side effects included.
 * - With MACH_ASSERT (a debug build), a false assert panics:
 *   "<file>:<line> Assertion failed: <ex>" (see <kern/debug.h> for what a panic does).
 * - With APPLE_KEXT_ASSERTIONS, assertions are compiled in but checked only while
 *   kext_assertions_enable is set (0 by default, as on a release kernel; a test may set
 *   it); while it is 0, ex is not evaluated.
 * release_assert(ex) is always checked. assertf, assert3u, assert3s and assert3p follow
 * the same rules.
 */
#ifndef KCTL_KPI_KERN_ASSERT_H
#define KCTL_KPI_KERN_ASSERT_H
/* assertf uses ##__VA_ARGS__, an extension: keep -Wpedantic of the including code quiet */
#pragma GCC system_header

#include <sys/_kpi_cdefs.h>
#include <kern/debug.h>

__BEGIN_DECLS

__abortlike void Assert(const char *file, int line, const char *expression);
extern int kext_assertions_enable;

__END_DECLS

#if defined(MACH_ASSERT) && MACH_ASSERT
#define mach_assert_enabled() 1
#elif defined(APPLE_KEXT_ASSERTIONS) && APPLE_KEXT_ASSERTIONS
#define mach_assert_enabled() __builtin_expect(kext_assertions_enable, 0L)
#else
#define mach_assert_enabled() 0
#endif

#define release_assert(ex) \
	(__builtin_expect(!(ex), 0L) ? Assert(__FILE__, __LINE__, #ex) : (void)0)

#if (defined(MACH_ASSERT) && MACH_ASSERT) || \
	(defined(APPLE_KEXT_ASSERTIONS) && APPLE_KEXT_ASSERTIONS)

#define __assert_only

#define assert(ex) \
	((mach_assert_enabled() && !(ex)) ? Assert(__FILE__, __LINE__, #ex) : (void)0)

#define assertf(ex, fmt, ...)                                                        \
	((mach_assert_enabled() && !(ex))                                            \
	 ? panic("%s:%d Assertion failed: %s : " fmt, __FILE__, __LINE__, #ex,       \
		 ##__VA_ARGS__)                                                      \
	 : (void)0)

#define kctl_kpi_assert3(a, op, b, type, pfmt)                                       \
	((mach_assert_enabled() && !((type)(a) op (type)(b)))                        \
	 ? panic("%s:%d Assertion failed: %s %s %s (" pfmt " %s " pfmt ")",          \
		 __FILE__, __LINE__, #a, #op, #b, (type)(a), #op, (type)(b))         \
	 : (void)0)
#define assert3u(a, op, b) kctl_kpi_assert3(a, op, b, unsigned long long, "%llu")
#define assert3s(a, op, b) kctl_kpi_assert3(a, op, b, long long, "%lld")
#define assert3p(a, op, b) kctl_kpi_assert3(a, op, b, const void *, "%p")

#else

#define __assert_only __unused

#define assert(ex) ((void)0)
#define assertf(ex, fmt, ...) ((void)0)
#define assert3u(a, op, b) ((void)0)
#define assert3s(a, op, b) ((void)0)
#define assert3p(a, op, b) ((void)0)

#endif

#endif
