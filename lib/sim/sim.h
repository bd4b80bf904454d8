/*
 * sim.h - internals of the simulated kernel, shared by the files of lib/sim.
 *
 * Locking: one mutex per kernel (sim->lock) guards the registry, the socket table and
 * every socket's state and queue. It is never held while a callback runs; callbacks are
 * fenced per socket instead, as XNU does with its kcb use counts: bind, connect and
 * close are "clearing" calls that wait until no other call is inside a callback of
 * that socket, while send, the sockopt calls and rcvd are "use" calls that may run
 * together but wait while a clearing call is in progress. So a callback must not close
 * (or connect) its own socket: that would wait for itself.
 *
 * Readiness: see sim_socket.c (the signal byte) and sim_enqueue.c (CTL_DATA_NOWAKEUP).
 * Everything here is hidden from the library's users by -fvisibility=hidden.
 */
#ifndef KCTL_SIM_INTERNAL_H
#define KCTL_SIM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kctl_sim.h"
#include "kctl_sys.h"
#include "sim_queue.h"

/* Where a client socket is in its life. */
enum sim_sock_state {
	SIM_SOCK_IDLE,       /* created, no control */
	SIM_SOCK_BOUND,      /* bind chose a unit; attached */
	SIM_SOCK_CONNECTING, /* inside the connect callback; attached */
	SIM_SOCK_CONNECTED,  /* attached */
	SIM_SOCK_DEAD,       /* connect failed: EOF for recv, EPIPE for send */
};

struct sim_sock {
	kctl_sim_t *sim;
	int fd;  /* the client's end of the socketpair (the fd number the user holds) */
	int kfd; /* the simulator's end: the signal byte is written here */
	int type;
	unsigned refs; /* the table's reference plus one per call in flight */
	enum sim_sock_state state;
	bool closed;     /* kctl_sim_close ran: calls still in flight must give up */
	bool nonblock;   /* FIONBIO */
	bool nosigpipe;  /* SO_NOSIGPIPE */
	bool signalled;  /* the signal byte sits in the client's end */
	struct kctl_sim_ctl *ctl; /* the control while attached (bound, connecting, connected) */
	struct kctl_abi_sockaddr_ctl sac; /* the address as the callbacks see it */
	void *unitinfo;
	uint32_t sendsize, recvsize; /* reserved at bind/connect */
	struct sim_queue rq;
	unsigned users;    /* calls inside a callback ("use") */
	unsigned clearing; /* clearing calls waiting or running */
	pthread_cond_t cond; /* readers, users and clearing calls wait here */
};

/* A control's attached sockets by unit (sim_units.c). */
struct sim_units {
	struct sim_sock **slot; /* open addressing by unit, cap a power of 2, half full at most */
	size_t cap, count;
	uint64_t *used;         /* bit u: unit u (1..65535) attached */
	size_t words, hint;     /* words of used; no free unit below word hint */
};

struct kctl_sim_ctl {
	kctl_sim_t *sim;
	struct kctl_sim_ctl *next; /* the registry, sorted by id as XNU keeps it */
	struct kctl_sim_ctl *all_next; /* every control ever registered, freed by sim_free */
	struct kctl_sim_reg reg;   /* a copy: name, flags, sizes, callbacks */
	uint32_t id;
	bool registered; /* false once deregistered: the ref is stale */
	unsigned pending; /* connects inside the setup callback: count as attached */
	struct sim_units units; /* attached sockets */
	uint64_t kctlref; /* the reference value the registration list reports (sim_sysctl.c) */
	kctl_sim_send_list_fn send_list; /* kctl_sim_ctl_set_send_list(), or NULL */
};

struct kctl_sim {
	pthread_mutex_t lock;
	struct kctl_backend backend;
	struct kctl_sim_ctl *ctls; /* registered controls, sorted by id */
	struct kctl_sim_ctl *all;  /* every control, registered or stale */
	struct sim_sock **socks;   /* indexed by client fd */
	size_t nsocks;             /* capacity of socks */
	uint32_t euid;
	size_t segsize;
	_Atomic int faults[KCTL_SIM_CALL_COUNT]; /* atomic: read by every call without the lock */
	_Atomic uint64_t calls[KCTL_SIM_CALL_COUNT];
	uint64_t kctl_gen;    /* kern_control's generation count: registry or attachments changed */
	uint64_t kctlref_gen; /* salt of the next kctlref (sim_sysctl.c) */
	struct sim_utun *utun; /* Apple's utun control, once registered (sim_utun.c) */
};

/* sim_backend.c: the syscall table whose leaves are the kctl_sim_* calls */
extern const struct kctl_sys_ops sim_sys_ops;

/* sim.c */
int sim_enter(kctl_sim_t *sim, int call);
void sim_lock(kctl_sim_t *sim);
void sim_unlock(kctl_sim_t *sim);
int sim_cb_err(int err);

/* sim_ctl.c (lock held) */
struct kctl_sim_ctl *sim_ctl_by_name(kctl_sim_t *sim, const char *name);
struct kctl_sim_ctl *sim_ctl_by_id_unit(kctl_sim_t *sim, uint32_t id,
						   uint32_t unit);
uint32_t sim_ctl_count(const kctl_sim_t *sim);
bool sim_ctl_is_stream(const struct kctl_sim_ctl *ctl);
struct sim_sock *sim_ctl_find_unit(const struct kctl_sim_ctl *ctl, uint32_t unit);
int sim_ctl_attach(struct kctl_sim_ctl *ctl, struct sim_sock *s); /* 0 or -ENOMEM */
void sim_ctl_detach(struct sim_sock *s);
void sim_ctl_free_all(kctl_sim_t *sim);

/* sim_units.c (lock held) */
struct sim_sock *sim_units_find(const struct sim_units *u, uint32_t unit);
int sim_units_add(struct sim_units *u, struct sim_sock *s); /* 0 or -ENOMEM */
void sim_units_remove(struct sim_units *u, struct sim_sock *s);
/* The lowest unit from 1 no socket holds: 0, or -EBUSY when 1..65535 are all taken. */
int sim_units_lowest_free(struct sim_units *u, uint32_t *unit);
void sim_units_free(struct sim_units *u);

/* sim_socket.c (lock held unless noted) */
/* Grows the socket table so that index fd exists. 0 or -ENOMEM. */
int sim_table_reserve(kctl_sim_t *sim, int fd);
int sim_sock_get(kctl_sim_t *sim, int fd, struct sim_sock **out);
void sim_sock_put(struct sim_sock *s);
void sim_sock_use_begin(struct sim_sock *s);
void sim_sock_use_end(struct sim_sock *s);
void sim_sock_clear_begin(struct sim_sock *s);
void sim_sock_clear_end(struct sim_sock *s);
void sim_sock_signal(struct sim_sock *s, bool on);
void sim_sock_wake(struct sim_sock *s);
void sim_sock_kill(struct sim_sock *s);
bool sim_sock_attached(const struct sim_sock *s);
void sim_sock_close_all(kctl_sim_t *sim); /* lock not held */

/* sim_sysctl.c (lock held): a new control's kctlref */
uint64_t sim_kctlref_new(kctl_sim_t *sim);

/* sim_utun.c: frees the utun state, once every socket is closed (lock not held) */
void sim_utun_free(kctl_sim_t *sim);

#endif
