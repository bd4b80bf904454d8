/*
 * preload.h - libkctl-preload's internals, shared by the files of lib/preload.
 *
 * libkctl-preload is an LD_PRELOAD library: it defines libc's socket calls, so that an
 * unmodified program's calls on PF_SYSTEM sockets reach a simulated kernel (kctl_sim.h)
 * living in the program's own process, and every other descriptor goes straight to
 * libc. `kctl-sim run` (tools/kctl-sim) starts programs with it.
 *
 * Descriptors. A simulated socket is a socketpair inside the simulator; the simulator's
 * two ends are moved to high numbers ("hidden": close-on-exec, refused to the program's
 * close/dup2) and the program gets a dup of the client end at the lowest free number, as
 * socket() would give. The program's fds are only names: every call on one is sent to
 * the simulator by the socket's hidden number, so the simulator's own libc calls on its
 * ends (the signal byte, fcntl) are never taken for the program's. poll/select/epoll
 * need no interposition: the client end is readable exactly when the socket is.
 *
 * Threads. The table lookup that every interposed call makes is lock-free, so calls on
 * other descriptors (from signal handlers too) never wait for the preload; calls on a
 * simulated socket take the table lock briefly, and the simulator's, so they are not
 * async-signal-safe (a signal handler must not use a kernel-control socket here).
 *
 * Processes. The simulated kernel is memory of the process that started it: see
 * pl_kernel.c for fork and exec (a socket inherited by a forked child, or by the image
 * after exec, fails with EBADF there; the client end carries an abstract AF_UNIX name
 * so that a new image can tell it from other sockets).
 *
 * Everything here is hidden (-fvisibility=hidden); the exported symbols are exactly
 * the libc names in libkctl-preload.map.
 */
#ifndef KCTL_PRELOAD_H
#define KCTL_PRELOAD_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "kctl_sim.h"

/* ---- libc's own functions (pl_libc.c) ---------------------------------------------- */

struct pl_libc {
	int (*socket)(int, int, int);
	int (*socketpair)(int, int, int, int *);
	int (*close)(int);
	int (*close_range)(unsigned int, unsigned int, int);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
	int (*fcntl)(int, int, ...);
	int (*fcntl64)(int, int, ...); /* glibc 2.28 and later; else fcntl */
	int (*ioctl)(int, unsigned long, ...);
	int (*bind)(int, const struct sockaddr *, socklen_t);
	int (*connect)(int, const struct sockaddr *, socklen_t);
	int (*getpeername)(int, struct sockaddr *, socklen_t *);
	int (*getsockname)(int, struct sockaddr *, socklen_t *);
	int (*listen)(int, int);
	int (*accept)(int, struct sockaddr *, socklen_t *);
	int (*accept4)(int, struct sockaddr *, socklen_t *, int);
	int (*shutdown)(int, int);
	ssize_t (*send)(int, const void *, size_t, int);
	ssize_t (*sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
	ssize_t (*sendmsg)(int, const struct msghdr *, int);
	ssize_t (*write)(int, const void *, size_t);
	ssize_t (*writev)(int, const struct iovec *, int);
	ssize_t (*recv)(int, void *, size_t, int);
	ssize_t (*recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
	ssize_t (*recvmsg)(int, struct msghdr *, int);
	ssize_t (*read)(int, void *, size_t);
	ssize_t (*readv)(int, const struct iovec *, int);
	int (*getsockopt)(int, int, int, void *, socklen_t *);
	int (*setsockopt)(int, int, int, const void *, socklen_t);
};

/* libc's functions, found once (dlsym RTLD_NEXT). Never NULL except close_range. */
const struct pl_libc *pl_libc(void);

/* ---- the fd table (pl_fdtable.c) ---------------------------------------------------- */

/* A simulated socket as the program's descriptors share it. */
struct pl_sock {
	int simfd;      /* the simulator's client end: the socket's name in kctl_sim_* */
	int kfd;        /* the simulator's kernel end */
	int type;       /* Darwin's SOCK_STREAM or SOCK_DGRAM */
	unsigned fds;   /* program descriptors naming it */
	unsigned holds; /* calls holding a pointer to it */
	unsigned inflight; /* calls inside the simulator on it */
	bool closing;   /* the last descriptor went: no new call may enter */
	bool gone;      /* the simulator closed it */
};

/* What a descriptor is to the preload. */
enum pl_kind {
	PL_FD_LIBC = 0, /* not ours: straight to libc */
	PL_FD_SOCK,     /* a simulated socket */
	PL_FD_HIDDEN,   /* one of the simulator's own ends: the program's close/dup2 refused */
	PL_FD_ORPHAN,   /* a simulated socket inherited by a forked child: unusable */
};

/* Lock-free: what fd is. */
enum pl_kind pl_fd_kind(int fd);

/*
 * The socket named by fd, held (pl_sock_release), or NULL with *err: -EBADF when fd is
 * not a simulated socket that may be used here.
 */
struct pl_sock *pl_sock_hold(int fd, int *err);
void pl_sock_release(struct pl_sock *s);

/* Brackets a call into the simulator on a held socket: -EBADF once it is closing. */
int pl_sock_enter(struct pl_sock *s);
void pl_sock_leave(struct pl_sock *s);

/*
 * Enters the simulator for one call on a held socket: the kernel, or NULL with *err
 * (-EBADF: closing, or no kernel). pl_end() leaves (if entered) and releases s.
 */
kctl_sim_t *pl_begin(struct pl_sock *s, int *err);
void pl_end(struct pl_sock *s, bool entered);

/* A new socket: its record, named by fd, its hidden ends marked. Errors: -ENOMEM. */
int pl_sock_add(int fd, int simfd, int kfd, int type);

/*
 * The table lock, for calls that change what descriptors name (close, dup2...) and
 * must do their libc call and the table update as one step.
 */
void pl_table_lock(void);
void pl_table_unlock(void);

/* Lock held: fd now names s as well (a dup); any earlier entry for fd is dropped. */
struct pl_sock *pl_fd_sock_locked(int fd);
void pl_fd_name_locked(int fd, struct pl_sock *s, enum pl_kind kind);

/*
 * Lock held: fd no longer names anything. Returns the socket whose last descriptor it
 * was (the caller closes it in the simulator with pl_sock_finish, lock not held), or
 * NULL.
 */
struct pl_sock *pl_fd_forget_locked(int fd);
void pl_sock_finish(struct pl_sock *s);

/* Lock held: the highest descriptor the table knows, or -1. */
int pl_fd_max_locked(void);

/* A descriptor inherited across exec from a simulated socket: an orphan from now on. */
int pl_fd_adopt_orphan(int fd);

/* Marks one of the preload's own descriptors hidden (the program may not close it). */
int pl_fd_hide(int fd);

/* In a forked child: every simulated socket becomes an orphan (no lock: one thread). */
void pl_table_orphan_all(void);

/* Every socket closed in the simulator, for process exit (lock not held). */
void pl_table_close_all(void);

/* ---- the simulated kernel (pl_kernel.c) --------------------------------------------- */

/*
 * The kernel of this process, started on first use (or at start-up in the process
 * `kctl-sim run` launched), or NULL: in a forked child, or if it could not start.
 */
kctl_sim_t *pl_kernel(void);

/* Where calls on simulated descriptors go: the kernel's process, a fork child, vfork. */
enum pl_where {
	PL_HERE,  /* the process that owns the kernel */
	PL_CHILD, /* a forked child: sockets are orphans */
	PL_VFORK, /* a vfork child sharing the parent's memory: libc only, touch nothing */
};
enum pl_where pl_where(void);

/*
 * One line on stderr, once per process, saying why a call on an orphan failed (fd, or
 * -1 for socket() in a fork child): the socket's kernel is in another process.
 */
void pl_note_orphan(int fd, bool fork_child);

/* The abstract AF_UNIX name prefix that marks a simulated socket's client end. */
#define PL_SOCK_NAME "kctl-sim."

/* Where the simulator's own descriptors go (pl_socket.c). */
int pl_hidden_floor(void);

/* ---- the network side of utun (pl_net.c) ------------------------------------------- */

/* Connects utun's network side to the datagram socket at path; starts its thread. */
int pl_net_start(kctl_sim_t *sim, const char *path, int floor);
/* Stops the thread (at exit), after a last pass over the interfaces. */
void pl_net_stop(void);

/* ---- helpers shared by the interposed calls ----------------------------------------- */

/* The kinds of dup (pl_socket.c): dup, dup2, dup3, fcntl F_DUPFD and F_DUPFD_CLOEXEC. */
enum pl_dup_how { PL_DUP, PL_DUP2, PL_DUP3, PL_FDUP, PL_FDUP_CLOEXEC };

/*
 * A dup whose old or new descriptor may be ours: libc makes it, the table names the
 * new number as the old one's socket. arg is dup2/dup3's newfd or F_DUPFD's floor.
 * Returns the new descriptor, or -1 with errno (EBADF for a hidden one).
 */
int pl_dup(int how, int oldfd, int arg, int flags);

/* Sets errno from a negative errno and returns -1, or returns rc. */
static inline int pl_ret(int rc)
{
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return rc;
}

/* A byte count, or -1 with errno from a negative errno. */
static inline ssize_t pl_ret_n(int rc, size_t n)
{
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return (ssize_t)n;
}

/*
 * For an interposed call on fd: 1 with *s held (release it) when fd is a simulated
 * socket to serve here, 0 when libc should answer (not ours, a hidden end, a vfork
 * child), or a negative errno (an orphan in a fork child, a socket being closed).
 */
static inline int pl_take(int fd, struct pl_sock **s)
{
	enum pl_kind k = pl_fd_kind(fd);
	int err;

	if (k == PL_FD_LIBC || k == PL_FD_HIDDEN)
		return 0;
	*s = pl_sock_hold(fd, &err);
	if (*s != NULL)
		return 1;
	return err;
}

/*
 * recvmsg on a simulated socket with Darwin flags: waits as a blocking socket does
 * (on the program's descriptor, so signals interrupt it as they would a Mac's recv and
 * SO_RCVTIMEO bounds it); *rflags gets Darwin's flags.
 */
int pl_recv(struct pl_sock *s, int fd, const struct iovec *iov, int iovcnt, int dflags,
	    size_t *got, int *rflags);

/* sendmsg on a simulated socket with Darwin flags. */
int pl_send(struct pl_sock *s, const struct iovec *iov, int iovcnt, int dflags,
	    size_t *sent);

#endif
