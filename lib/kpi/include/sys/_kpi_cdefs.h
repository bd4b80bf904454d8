/*
 * <sys/_kpi_cdefs.h> - Apple's compiler vocabulary (<sys/cdefs.h> on a Mac) for kext code
 * built with gcc or clang on another system, used by every header of libkctl-kpi. Kext
 * code includes <sys/cdefs.h> (or any KPI header), not this file.
 *
 * - `#pragma unused(x)` and `#pragma mark`: Apple's clang knows them, and so does clang
 *   here; gcc does not and warns under -Wall (-Wunknown-pragmas), so for gcc this header
 *   turns that warning off for the rest of the file, as Apple's compiler would never
 *   raise it. (gcc has no equivalent of `#pragma unused` itself: an unused local named
 *   in one still draws gcc's -Wunused-variable; parameters draw nothing under -Wall.)
 * - `__private_extern__` ("extern, hidden outside this binary") is a keyword of clang on
 *   every target and is left to it. gcc lacks it, so it is a macro giving hidden
 *   visibility: exact for functions and for definitions (`__private_extern__ int x = 1;`,
 *   as the generated kmod_info source has); a variable *declaration* repeated in several
 *   files becomes a tentative definition under gcc, which -fno-common reports as a
 *   duplicate at link time. Write `extern` there, or build with clang.
 */
#ifndef KCTL_KPI_SYS_KPI_CDEFS_H
#define KCTL_KPI_SYS_KPI_CDEFS_H

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wunknown-pragmas"
#ifndef __private_extern__
#define __private_extern__ __attribute__((__visibility__("hidden")))
#endif
#endif

#ifndef __BEGIN_DECLS
#ifdef __cplusplus
#define __BEGIN_DECLS extern "C" {
#define __END_DECLS }
#else
#define __BEGIN_DECLS
#define __END_DECLS
#endif
#endif

#ifndef __CONCAT
#define __CONCAT(x, y) x ## y
#endif
#ifndef __STRING
#define __STRING(x) #x
#endif

#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#ifndef __used
#define __used __attribute__((__used__))
#endif
#ifndef __dead2
#define __dead2 __attribute__((__noreturn__))
#endif
#ifndef __pure2
#define __pure2 __attribute__((__const__))
#endif
#ifndef __cold
#define __cold __attribute__((__cold__))
#endif
#ifndef __abortlike
#define __abortlike __attribute__((__noreturn__, __cold__))
#endif
#ifndef __printflike
#define __printflike(fmtarg, firstvararg) \
	__attribute__((__format__(__printf__, fmtarg, firstvararg)))
#endif
#ifndef __printf0like
#define __printf0like(fmtarg, firstvararg) \
	__attribute__((__format__(__printf__, fmtarg, firstvararg)))
#endif
#ifndef __scanflike
#define __scanflike(fmtarg, firstvararg) \
	__attribute__((__format__(__scanf__, fmtarg, firstvararg)))
#endif
#ifndef __deprecated
#define __deprecated __attribute__((__deprecated__))
#endif
#ifndef __deprecated_msg
#define __deprecated_msg(msg) __attribute__((__deprecated__(msg)))
#endif
#ifndef __result_use_check
#define __result_use_check __attribute__((__warn_unused_result__))
#endif
#ifndef OS_WARN_RESULT
#define OS_WARN_RESULT __attribute__((__warn_unused_result__))
#endif
#ifndef __probable
#define __probable(x) __builtin_expect(!!(x), 1)
#define __improbable(x) __builtin_expect(!!(x), 0)
#endif
#ifndef __XNU_PRIVATE_EXTERN
#define __XNU_PRIVATE_EXTERN __attribute__((__visibility__("hidden")))
#endif

/* Availability and bounds-safety annotations: meaningful to Apple's clang only. */
#ifndef __API_AVAILABLE
#define __API_AVAILABLE(...)
#define __API_UNAVAILABLE(...)
#define __API_DEPRECATED(...)
#define __API_DEPRECATED_WITH_REPLACEMENT(...)
#endif
#ifndef __OSX_AVAILABLE
#define __OSX_AVAILABLE(v)
#define __OSX_AVAILABLE_STARTING(m, i)
#define __OSX_AVAILABLE_BUT_DEPRECATED(a, b, c, d)
#define __OSX_AVAILABLE_BUT_DEPRECATED_MSG(a, b, c, d, m)
#define __OSX_DEPRECATED(a, b, m)
#define __IOS_AVAILABLE(v)
#endif
#ifndef __DARWIN_ALIAS
#define __DARWIN_ALIAS(sym)
#define __DARWIN14_ALIAS(sym)
#endif
#ifndef __counted_by
#define __counted_by(n)
#define __sized_by(n)
#define __sized_by_or_null(n)
#define __counted_by_or_null(n)
#define __single
#define __indexable
#define __bidi_indexable
#define __unsafe_indexable
#define __null_terminated
#endif
#ifndef __kernel_ptr_semantics
#define __kernel_ptr_semantics
#endif

#endif
