/*
 * pl_fdtable.c - which descriptors are simulated sockets, and the life of each socket
 * as the program's descriptors share it.
 *
 * The table maps a descriptor number to a tagged pointer: nothing (libc's), a socket
 * (struct pl_sock), one of the simulator's hidden ends, or an orphan (a socket a forked
 * child inherited). It is two levels of pages so that reads are one atomic load each
 * and never take a lock: every interposed call reads it, for every descriptor, and
 * must stay cheap and async-signal-safe for the ones that are not ours. Changes are
 * made under one mutex; pages are never freed.
 *
 * A socket outlives its last descriptor only while calls still hold it: the last close
 * marks it closing (new calls get EBADF), waits for the calls inside the simulator to
 * come out, and closes it there (the kext's disconnect runs); a call blocked waiting for
 * data is woken by that close and comes back with EBADF, as the simulator promises.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "preload.h"

#define PL_PAGE_BITS 10
#define PL_PAGE (1u << PL_PAGE_BITS)
#define PL_DIR 1024u /* descriptors below 2^20 can be simulated sockets */
#define PL_TAG_MASK ((uintptr_t)3)

typedef _Atomic uintptr_t pl_entry;

static _Atomic(pl_entry *) dir[PL_DIR];
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t table_cv = PTHREAD_COND_INITIALIZER; /* inflight reached 0 */
static int fd_max = -1; /* under table_mu */

/* The entry of fd, or NULL where no page exists (create: make it; lock held). */
static pl_entry *entry_of(int fd, bool create)
{
	unsigned int u = (unsigned int)fd, d = u >> PL_PAGE_BITS;
	pl_entry *page;

	if (fd < 0 || d >= PL_DIR)
		return NULL;
	page = atomic_load_explicit(&dir[d], memory_order_acquire);
	if (page == NULL && create) {
		page = calloc(PL_PAGE, sizeof(*page));
		if (page == NULL)
			return NULL;
		atomic_store_explicit(&dir[d], page, memory_order_release);
	}
	return page != NULL ? &page[u & (PL_PAGE - 1)] : NULL;
}

static uintptr_t load(int fd)
{
	pl_entry *e = entry_of(fd, false);

	return e != NULL ? atomic_load_explicit(e, memory_order_acquire) : 0;
}

static struct pl_sock *sock_of(uintptr_t v)
{
	return (struct pl_sock *)(v & ~PL_TAG_MASK);
}

static enum pl_kind kind_of(uintptr_t v)
{
	return (enum pl_kind)(v & PL_TAG_MASK);
}

/* Lock held; the page exists for fds already named, else it is made (can fail). */
static int store(int fd, struct pl_sock *s, enum pl_kind kind)
{
	pl_entry *e = entry_of(fd, kind != PL_FD_LIBC);

	if (e == NULL)
		return kind == PL_FD_LIBC ? 0 : -ENOMEM;
	atomic_store_explicit(e, kind == PL_FD_LIBC ? 0 : (uintptr_t)s | (uintptr_t)kind,
			      memory_order_release);
	if (kind != PL_FD_LIBC && fd > fd_max)
		fd_max = fd;
	return 0;
}

enum pl_kind pl_fd_kind(int fd)
{
	return kind_of(load(fd));
}

void pl_table_lock(void)
{
	pthread_mutex_lock(&table_mu);
}

void pl_table_unlock(void)
{
	pthread_mutex_unlock(&table_mu);
}

int pl_fd_max_locked(void)
{
	return fd_max;
}

/* Lock held: frees s once nothing names or holds it any more. */
static void maybe_free(struct pl_sock *s)
{
	if (s->gone && s->fds == 0 && s->holds == 0)
		free(s);
}

struct pl_sock *pl_sock_hold(int fd, int *err)
{
	enum pl_where where = pl_where();
	struct pl_sock *s = NULL;
	uintptr_t v;

	*err = 0;
	if (where == PL_VFORK)
		return NULL; /* the parent's memory: touch nothing, let libc answer */
	pl_table_lock();
	v = load(fd);
	if (kind_of(v) == PL_FD_SOCK && where == PL_HERE && !sock_of(v)->closing) {
		s = sock_of(v);
		s->holds++;
	} else if (kind_of(v) == PL_FD_SOCK || kind_of(v) == PL_FD_ORPHAN) {
		*err = -EBADF;
	}
	pl_table_unlock();
	if (*err != 0 && (where == PL_CHILD || kind_of(v) == PL_FD_ORPHAN))
		pl_note_orphan(fd, where == PL_CHILD);
	return s;
}

void pl_sock_release(struct pl_sock *s)
{
	pl_table_lock();
	s->holds--;
	maybe_free(s);
	pl_table_unlock();
}

int pl_sock_enter(struct pl_sock *s)
{
	int err = 0;

	pl_table_lock();
	if (s->closing)
		err = -EBADF;
	else
		s->inflight++;
	pl_table_unlock();
	return err;
}

void pl_sock_leave(struct pl_sock *s)
{
	pl_table_lock();
	if (--s->inflight == 0 && s->closing)
		pthread_cond_broadcast(&table_cv);
	pl_table_unlock();
}

kctl_sim_t *pl_begin(struct pl_sock *s, int *err)
{
	kctl_sim_t *sim = pl_kernel();

	*err = sim != NULL ? pl_sock_enter(s) : -EBADF;
	return *err == 0 ? sim : NULL;
}

void pl_end(struct pl_sock *s, bool entered)
{
	if (entered)
		pl_sock_leave(s);
	pl_sock_release(s);
}

int pl_sock_add(int fd, int simfd, int kfd, int type)
{
	struct pl_sock *s = calloc(1, sizeof(*s));
	int err;

	if (s == NULL)
		return -ENOMEM;
	s->simfd = simfd;
	s->kfd = kfd;
	s->type = type;
	pl_table_lock();
	err = store(simfd, s, PL_FD_HIDDEN);
	if (err == 0)
		err = store(kfd, s, PL_FD_HIDDEN);
	if (err == 0)
		err = store(fd, s, PL_FD_SOCK);
	if (err == 0)
		s->fds = 1;
	pl_table_unlock();
	if (err != 0) {
		pl_table_lock();
		(void)store(simfd, NULL, PL_FD_LIBC);
		(void)store(kfd, NULL, PL_FD_LIBC);
		pl_table_unlock();
		free(s);
	}
	return err;
}

struct pl_sock *pl_fd_sock_locked(int fd)
{
	uintptr_t v = load(fd);

	return kind_of(v) == PL_FD_SOCK || kind_of(v) == PL_FD_ORPHAN ? sock_of(v) : NULL;
}

void pl_fd_name_locked(int fd, struct pl_sock *s, enum pl_kind kind)
{
	if (store(fd, s, kind) == 0 && (kind == PL_FD_SOCK || kind == PL_FD_ORPHAN))
		s->fds++;
}

struct pl_sock *pl_fd_forget_locked(int fd)
{
	uintptr_t v = load(fd);
	struct pl_sock *s = sock_of(v);

	if (kind_of(v) == PL_FD_LIBC)
		return NULL;
	(void)store(fd, NULL, PL_FD_LIBC);
	if (kind_of(v) == PL_FD_HIDDEN)
		return NULL;
	if (--s->fds > 0 || kind_of(v) == PL_FD_ORPHAN) {
		maybe_free(s);
		return NULL;
	}
	s->closing = true;
	return s;
}

void pl_sock_finish(struct pl_sock *s)
{
	kctl_sim_t *sim = pl_kernel();

	pl_table_lock();
	while (s->inflight > 0)
		pthread_cond_wait(&table_cv, &table_mu);
	s->holds++;
	/* the simulator closes these numbers itself: its close() must reach libc */
	(void)store(s->simfd, NULL, PL_FD_LIBC);
	(void)store(s->kfd, NULL, PL_FD_LIBC);
	pl_table_unlock();
	if (sim != NULL)
		(void)kctl_sim_close(sim, s->simfd);
	pl_table_lock();
	s->gone = true;
	s->holds--;
	maybe_free(s);
	pl_table_unlock();
}

int pl_fd_hide(int fd)
{
	int err;

	pl_table_lock();
	err = store(fd, NULL, PL_FD_HIDDEN);
	pl_table_unlock();
	return err;
}

int pl_fd_adopt_orphan(int fd)
{
	struct pl_sock *s = calloc(1, sizeof(*s));
	int err;

	if (s == NULL)
		return -ENOMEM;
	s->simfd = -1;
	s->kfd = -1;
	s->gone = true; /* nothing to close in a kernel: it was another process's */
	pl_table_lock();
	err = store(fd, s, PL_FD_ORPHAN);
	if (err == 0)
		s->fds = 1;
	pl_table_unlock();
	if (err != 0)
		free(s);
	return err;
}

void pl_table_orphan_all(void)
{
	for (int fd = 0; fd <= fd_max; fd++) {
		uintptr_t v = load(fd);

		if (kind_of(v) == PL_FD_SOCK)
			(void)store(fd, sock_of(v), PL_FD_ORPHAN);
	}
}

void pl_table_close_all(void)
{
	pl_table_lock();
	for (int fd = 0; fd <= fd_max; fd++) {
		struct pl_sock *s;

		if (kind_of(load(fd)) != PL_FD_SOCK)
			continue;
		s = pl_fd_forget_locked(fd); /* non-NULL at the socket's last descriptor */
		if (s == NULL)
			continue;
		pl_table_unlock();
		pl_sock_finish(s);
		pl_table_lock();
	}
	pl_table_unlock();
}
