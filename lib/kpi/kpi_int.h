/*
 * kpi_int.h - what the parts of libkctl-kpi share (not installed, not exported).
 *
 * The kernel side of the simulator keeps, for each loaded kext, what it holds of the
 * kernel's (controls, mbufs, thread calls, kernel threads), so that a kext that fails,
 * panics or forgets to give something back is reported and the kernel taken back to a
 * consistent state. Code running "for" a kext (its start and stop routines, the
 * callbacks of its controls, its thread calls and kernel threads) runs with that kext
 * as the thread's current kext (kpi_enter/kpi_leave).
 */
#ifndef KCTL_KPI_INT_H
#define KCTL_KPI_INT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kctl_kpi.h"

struct kmod_info;
struct kctl_sim_mbuf;

struct kctl_kpi_kext {
	struct kctl_kpi_kext *next;   /* in the loaded list, under the load lock */
	struct kmod_info *ki;
	char name[64];                /* kmod_info's name, kept for messages */
	void *dl;                     /* from kctl_kpi_load_module(), else NULL */
	int stopped;                  /* stop ran or start failed: only reclaiming is left */
	int zombie;                   /* start failed with clients attached: no handle out */
	int finished;                 /* unloaded while kernel threads ran (kpi_thread.c) */
	struct kctl_sim_mbuf *mbufs;  /* mbufs the kext holds (kpi_mbuf_own.c's lock) */
	size_t nmbufs;
};

/* ---- kpi_kext.c: the kernel kexts are loaded into ---- */

/* The simulated kernel kexts are loaded into, or NULL when none is loaded. */
kctl_sim_t *kpi_kernel(void);
/* Sets it (under the load lock). */
void kpi_set_kernel(kctl_sim_t *sim);

/* ---- kpi_context.c: whose code this thread runs ---- */

struct kpi_catch; /* kpi_panic.c */

struct kpi_frame {
	struct kctl_kpi_kext *kext;
	int kernel;
	struct kpi_catch *catcher;
};

/*
 * Makes kext the current kext of this thread; kernel says the thread runs as the
 * kernel (a kernel thread, the thread-call thread, a start or stop routine). A panic
 * is not caught inside (only the loader arms a catcher). *saved gets what was there.
 */
void kpi_enter(struct kpi_frame *saved, struct kctl_kpi_kext *kext, int kernel);
/* Puts back what kpi_enter() saved. */
void kpi_leave(const struct kpi_frame *saved);
/* The current kext of this thread, or NULL (a client's own code, a test). */
struct kctl_kpi_kext *kpi_current_kext(void);
/* Whether this thread runs as the kernel (proc_selfpid() is then 0). */
int kpi_in_kernel_context(void);

/* ---- kpi_panic.c ---- */

#define KPI_PANIC_MAX 512

struct kpi_catch {
	jmp_buf jb;
	char message[KPI_PANIC_MAX];
};

/*
 * A kernel panic: a kext did something that corrupts a real kernel. Logs why. If the
 * loader armed a catcher on this thread (a start or stop routine), returns to it;
 * otherwise aborts, so the test that provoked it fails loudly. Called without any lock
 * of the shim held. (The attribute, not C11's _Noreturn: cppcheck only knows the first.)
 */
__attribute__((__noreturn__)) void kpi_panic(const char *what);
__attribute__((__noreturn__, format(printf, 1, 2))) void kpi_panicf(const char *fmt, ...);
/* Arms c on this thread (after setjmp(c->jb) returned 0); disarm after the call. */
void kpi_catch_arm(struct kpi_catch *c);
void kpi_catch_disarm(void);
struct kpi_catch *kpi_catch_current(void);
void kpi_catch_set(struct kpi_catch *c);

/* ---- kpi_log.c ---- */

/* Writes one line to the kext log (the hook, or stderr with the "[kext] " prefix). */
void kpi_log_line(const char *line);
/* printf-style, one line (cut at 511 bytes). */
void kpi_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Formats fmt with ap and logs each line of it. Returns vsnprintf's count. */
int kpi_log_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* ---- kpi_error.c: the sentence of kctl_kpi_last_error() ---- */

void kpi_error_clear(void);
/* Appends a sentence (separated by "; ") and logs it with a "kpi: " prefix. */
void kpi_error_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- kpi_errno.c ---- */

/*
 * The negative errno the simulator gets for what a kext returned (0 or an errno of
 * <sys/errno.h>): host errnos as they are, Darwin's own names mapped to the host's
 * nearest, EJUSTRETURN success, ERESTART EINTR. what names the callback, for the log.
 */
int kpi_errno_to_sim(int e, const char *ctl_name, const char *what);

/* ---- kpi_ctl.c ---- */

struct kpi_ctl_sweep {
	unsigned removed;         /* deregistered now */
	unsigned attached;        /* still registered: clients attached */
	char removed_names[256];  /* their names, quoted, comma-separated (cut if long) */
	char attached_names[256];
};

/*
 * Takes back the controls kext k left registered: each stops calling into the kext
 * (an orphan answers its clients with errors) and is deregistered if no client is
 * attached (a control with clients stays until a later sweep finds them gone).
 */
void kpi_ctl_sweep(struct kctl_kpi_kext *k, struct kpi_ctl_sweep *out);

/* ---- kpi_mbuf_own.c: which kext holds which mbuf ---- */

/* Records that k holds every segment of chain m (k NULL: nobody tracked). */
void kpi_mbuf_own_chain(struct kctl_sim_mbuf *m, struct kctl_kpi_kext *k);
/* The same for every packet of a list linked by nextpkt. */
void kpi_mbuf_own_list(struct kctl_sim_mbuf *m, struct kctl_kpi_kext *k);
/* The kext holding m, or NULL. */
struct kctl_kpi_kext *kpi_mbuf_owner(const struct kctl_sim_mbuf *m);
/* Forgets who holds one segment, or every segment of a chain. */
void kpi_mbuf_disown(struct kctl_sim_mbuf *m);
void kpi_mbuf_disown_chain(struct kctl_sim_mbuf *m);
/* Frees every mbuf k still holds; returns how many there were. */
size_t kpi_mbuf_reclaim(struct kctl_kpi_kext *k);
/* A new, empty segment of the kernel's segment size held by the current kext. */
int kpi_mbuf_segment(struct kctl_sim_mbuf **out);

/* ---- kpi_thread_call.c ---- */

/* Waits until no thread-call callback is running (before a module is closed). */
void kpi_thread_calls_quiesce(void);
/* Stops the timer thread once nothing is scheduled (after the last kext unloads). */
void kpi_thread_calls_shutdown(void);
/* Waits for k's running callbacks, cancels and frees k's calls; *scheduled gets how
 * many were still scheduled. Returns how many calls k had left allocated. */
unsigned kpi_thread_calls_reclaim(struct kctl_kpi_kext *k, unsigned *scheduled);

/* ---- kpi_thread.c ---- */

/* Waits up to ms for k's kernel threads to end; returns how many still run. */
unsigned kpi_threads_wait(struct kctl_kpi_kext *k, unsigned ms);
/*
 * k is unloaded but some of its kernel threads still run: if so, the last of them to
 * end closes k's module, frees the mbufs it still holds and frees k (returns 1);
 * returns 0 when none runs any more (the caller frees k).
 */
int kpi_threads_adopt(struct kctl_kpi_kext *k);

/* ---- kpi_wait.c: waiting for an event ---- */

struct kpi_waiter;
/* Absolute deadline 0 is "forever". */
int kpi_wait_deadline_passed(uint64_t deadline);

#endif
