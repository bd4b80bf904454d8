/*
 * kctl_sim.h - a simulated macOS kernel (XNU's kern_control) in user space.
 *
 * A kctl_sim_t holds registered controls and client sockets, and behaves as a Mac does
 * call by call (errors, unit allocation, buffer limits, records). Use it as the mock
 * kernel of your unit tests: register a control with callbacks (the "kext side"), then
 * point libkctl at it with kctl_sim_backend() (the "client side"), or drive its syscall
 * surface directly with kctl_sim_socket() and friends.
 *
 * Conventions:
 * - Every function returns 0 (or a count) or a negative errno, like libkctl. Callbacks
 *   return 0 or a negative errno too (the KPI shim converts Apple's positive errno_t).
 * - Client sockets are real file descriptors (one end of a socketpair): poll() reports
 *   POLLIN exactly when data is queued or the connection is dead (end of file).
 * - Thread-safe: any function may be called from any thread, including from inside a
 *   callback (callbacks run without the simulator's lock held, so a connect callback may
 *   enqueue). Callbacks may run on several threads at once, as on a Mac.
 * - Structures and constants are Darwin's, from kctl_abi.h.
 * - Sockets are blocking unless made non-blocking (ioctl FIONBIO); a blocking recv
 *   waits for an enqueue from another thread.
 */
#ifndef KCTL_SIM_H
#define KCTL_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "kctl.h"
#include "kctl_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A simulated kernel. Created by kctl_sim_new(), freed by kctl_sim_free(). */
typedef struct kctl_sim kctl_sim_t;

/** A registered control (kern_ctl_ref). Valid until kctl_sim_deregister() succeeds. */
typedef struct kctl_sim_ctl kctl_sim_ctl_t;

/** A packet as a chain of segments (mbuf_t). */
typedef struct kctl_sim_mbuf kctl_sim_mbuf_t;

/**
 * A registration, as struct kern_ctl_reg. Callbacks left NULL behave as on a Mac
 * (no send callback: send fails with -ENOTSUP; no setopt/getopt: -ENOTSUP; no bind:
 * bind fails with -EINVAL). Unlike on a Mac, rcvd, bind and setup are honoured whenever
 * they are set, without the kernel-private flags.
 */
struct kctl_sim_reg {
	char name[KCTL_ABI_MAX_NAME]; /**< NUL-terminated, 1..95 bytes */
	uint32_t id;                  /**< with KCTL_ABI_CTL_FLAG_REG_ID_UNIT; else written back */
	uint32_t unit;                /**< with KCTL_ABI_CTL_FLAG_REG_ID_UNIT */
	uint32_t flags;               /**< KCTL_ABI_CTL_FLAG_* */
	uint32_t sendsize;            /**< 0: 2048, written back */
	uint32_t recvsize;            /**< 0: 8192, written back */
	void *cookie;                 /**< yours; see kctl_sim_ctl_cookie() */

	/** A client connects; sac->sc_unit is the chosen unit. Set *unitinfo as you like. */
	int (*connect)(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		       void **unitinfo);
	/** The client closed, or connect failed. The result is ignored. */
	int (*disconnect)(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo);
	/** Data from the client. The callback owns m (kctl_sim_mbuf_free) even on error. */
	int (*send)(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		    int flags);
	/** setsockopt at level 2; data is NULL when len is 0. */
	int (*setopt)(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		      size_t len);
	/** getsockopt at level 2; data is NULL for a size query; set *len. */
	int (*getopt)(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		      size_t *len);
	/** The client read data (flags as given to recv). */
	void (*rcvd)(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int flags);
	/** A client binds (10.14+). */
	int (*bind)(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		    void **unitinfo);
	/** Chooses the unit instead of the kernel (11+); *unit holds the asked unit. */
	int (*setup)(kctl_sim_ctl_t *ctl, uint32_t *unit, void **unitinfo);
};

/** Calls whose next invocation can be made to fail (kctl_sim_fail_next). */
enum kctl_sim_call {
	KCTL_SIM_CALL_SOCKET = 0,
	KCTL_SIM_CALL_IOCTL,
	KCTL_SIM_CALL_BIND,
	KCTL_SIM_CALL_CONNECT,
	KCTL_SIM_CALL_GETPEERNAME,
	KCTL_SIM_CALL_SEND,
	KCTL_SIM_CALL_RECV,
	KCTL_SIM_CALL_GETSOCKOPT,
	KCTL_SIM_CALL_SETSOCKOPT,
	KCTL_SIM_CALL_CLOSE,
	KCTL_SIM_CALL_ENQUEUE,
	KCTL_SIM_CALL_SYSCTL,
	KCTL_SIM_CALL_COUNT
};

/* ---- the kernel object ---------------------------------------------------------- */

/**
 * Creates an empty simulated kernel. Its effective uid starts as the process's.
 * Errors: -ENOMEM. The caller frees it with kctl_sim_free().
 */
KCTL_API int kctl_sim_new(kctl_sim_t **out);

/**
 * Frees the kernel: closes every client socket still open (running disconnect
 * callbacks), then drops every control. NULL is accepted. Not thread-safe with any
 * other call on sim; no callback may be running.
 */
KCTL_API void kctl_sim_free(kctl_sim_t *sim);

/** The backend that sends libkctl's calls to this kernel. Valid as long as sim. */
KCTL_API const kctl_backend_t *kctl_sim_backend(kctl_sim_t *sim);

/** Sets the effective uid the kernel sees for callers (0 is root). */
KCTL_API void kctl_sim_set_euid(kctl_sim_t *sim, uint32_t euid);

/**
 * Sets the size of each mbuf segment handed to send callbacks (default 128), so kext
 * code that assumes one contiguous buffer fails as it would under load on a Mac.
 * Errors: -EINVAL (0 or above 65536).
 */
KCTL_API int kctl_sim_set_mbuf_segment(kctl_sim_t *sim, size_t size);

/**
 * Makes the next call of kind `call` fail with `err` (a negative errno) before it has
 * any effect (a failing close still releases the fd, as POSIX close does). One-shot.
 * Errors: -EINVAL (unknown call, err >= 0).
 */
KCTL_API int kctl_sim_fail_next(kctl_sim_t *sim, int call, int err);

/** How many calls of kind `call` were made (failed ones included); 0 if unknown. */
KCTL_API uint64_t kctl_sim_call_count(const kctl_sim_t *sim, int call);

/* ---- the kext side ---------------------------------------------------------------- */

/**
 * Registers a control (ctl_register). Writes the id (dynamic ids count from 1) and the
 * default sizes back into reg. On success *out is the control's reference.
 * Errors: -EINVAL (NULL reg, no connect callback, bad name), -EEXIST (name already
 * registered, or REG_ID_UNIT with an (id, unit) taken), -ENOMEM.
 */
KCTL_API int kctl_sim_register(kctl_sim_t *sim, struct kctl_sim_reg *reg,
			       kctl_sim_ctl_t **out);

/**
 * Deregisters a control (ctl_deregister). Errors: -EINVAL (NULL or stale ref), -EBUSY
 * (a client socket is attached; the control stays registered).
 */
KCTL_API int kctl_sim_deregister(kctl_sim_ctl_t *ctl);

/** The cookie given at registration. */
KCTL_API void *kctl_sim_ctl_cookie(const kctl_sim_ctl_t *ctl);

/** The kernel a control is registered in. */
KCTL_API kctl_sim_t *kctl_sim_ctl_sim(const kctl_sim_ctl_t *ctl);

/** The id the control got at registration. */
KCTL_API uint32_t kctl_sim_ctl_id(const kctl_sim_ctl_t *ctl);

/**
 * Queues `len` bytes for the client on `unit` (ctl_enqueuedata); flags are
 * KCTL_ABI_CTL_DATA_EOR / _NOWAKEUP. NOWAKEUP leaves a reader asleep in recv asleep;
 * the data is queued all the same and a poll made afterwards reports it (readiness is
 * level-triggered; a poll already asleep in another thread is woken, unlike on a Mac).
 * Errors: -EINVAL (no client on that unit), -ENOBUFS (free space smaller than len;
 * nothing queued).
 */
KCTL_API int kctl_sim_enqueue(kctl_sim_ctl_t *ctl, uint32_t unit, const void *data,
			      size_t len, uint32_t flags);

/**
 * Queues a packet (ctl_enqueuembuf). On success the kernel owns m; on failure the
 * caller still does. Errors: as kctl_sim_enqueue().
 */
KCTL_API int kctl_sim_enqueue_mbuf(kctl_sim_ctl_t *ctl, uint32_t unit, kctl_sim_mbuf_t *m,
				   uint32_t flags);

/** Free receive space of the client on unit (ctl_getenqueuespace). Errors: -EINVAL. */
KCTL_API int kctl_sim_enqueue_space(kctl_sim_ctl_t *ctl, uint32_t unit, size_t *space);

/**
 * How many more bytes must be queued on unit before the client's socket is readable
 * (ctl_getenqueuereadable): the receive low-water mark (1) minus the bytes queued, or
 * 0 once readable; so 1 when empty, 0 with data. It is not the bytes queued: those are
 * the receive size minus kctl_sim_enqueue_space(), or FIONREAD on the client.
 * Errors: -EINVAL (no client on unit, NULL difference).
 */
KCTL_API int kctl_sim_enqueue_readable(kctl_sim_ctl_t *ctl, uint32_t unit,
				       size_t *difference);

/** Records queued on unit (ctl_getenqueuepacketcount). Errors: -EINVAL. */
KCTL_API int kctl_sim_enqueue_packets(kctl_sim_ctl_t *ctl, uint32_t unit, size_t *count);

/* ---- lists of packets (xnu's send_list and sendmsg_x) ------------------------------ */

/**
 * A control's list send (xnu's ctl_send_list_func): the packets of one
 * kctl_sim_sendmsg_x() call, linked by kctl_sim_mbuf_nextpkt(). The callback owns the
 * whole list, even on error. Return 0 or a negative errno.
 */
typedef int (*kctl_sim_send_list_fn)(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo,
				     kctl_sim_mbuf_t *list, int flags);

/**
 * Gives ctl a list send callback (NULL removes it): a kctl_sim_sendmsg_x() on a
 * connected DGRAM socket then reaches it with every packet at once, as xnu's
 * ctl_send_list does; without one, each packet goes to the send callback. Set it right
 * after kctl_sim_register(), before clients connect. Errors: -EINVAL (NULL or stale ctl).
 */
KCTL_API int kctl_sim_ctl_set_send_list(kctl_sim_ctl_t *ctl, kctl_sim_send_list_fn fn);

/** The next packet of a list (see kctl_sim_send_list_fn), or NULL. */
KCTL_API kctl_sim_mbuf_t *kctl_sim_mbuf_nextpkt(const kctl_sim_mbuf_t *m);

/**
 * sendmsg_x(fd, msgs, cnt, flags) (Darwin's private batch send): msgs[i] is one message.
 * On a connected DGRAM socket the messages become one list of packets for the control's
 * send_list callback (or, without one, a send callback per packet, stopping at the first
 * error), as xnu's sendmsg_x/sosend_list/ctl_send_list do: the first message above the
 * send size is -EMSGSIZE (a later one ends the batch there), flags other than
 * MSG_DONTWAIT (and Darwin's MSG_NBIO) are -EINVAL. On any other socket each message is
 * a kctl_sim_sendmsg() of its own. *sent gets the messages accepted; an error after at
 * least one (ENOBUFS, EMSGSIZE, EAGAIN, EINTR) is reported as success with the count,
 * as Darwin does. Errors: those of kctl_sim_sendmsg(), -EINVAL (cnt above 1024),
 * -EFAULT (NULL msgs with cnt > 0), -EPERM (Darwin's MSG_SKIPCFIL).
 */
KCTL_API int kctl_sim_sendmsg_x(kctl_sim_t *sim, int fd, const struct iovec *msgs,
				uint32_t cnt, int flags, uint32_t *sent);

/* ---- mbufs ------------------------------------------------------------------------- */

/**
 * Allocates a packet of `len` bytes as a chain of segments of the kernel's segment
 * size (len 0: one empty segment). Errors: -ENOMEM. Free with kctl_sim_mbuf_free().
 */
KCTL_API int kctl_sim_mbuf_alloc(kctl_sim_t *sim, size_t len, kctl_sim_mbuf_t **out);

/** Frees a whole chain. NULL is accepted. */
KCTL_API void kctl_sim_mbuf_free(kctl_sim_mbuf_t *m);

/** The next segment of the chain, or NULL. */
KCTL_API kctl_sim_mbuf_t *kctl_sim_mbuf_next(const kctl_sim_mbuf_t *m);

/** This segment's data. */
KCTL_API void *kctl_sim_mbuf_data(const kctl_sim_mbuf_t *m);

/** This segment's length. */
KCTL_API size_t kctl_sim_mbuf_len(const kctl_sim_mbuf_t *m);

/** The whole packet's length (the first segment's packet header). */
KCTL_API size_t kctl_sim_mbuf_pkthdr_len(const kctl_sim_mbuf_t *m);

/**
 * Copies len bytes from offset off of the chain into out (mbuf_copydata).
 * Errors: -EINVAL (the range runs past the end of the chain; nothing copied).
 */
KCTL_API int kctl_sim_mbuf_copydata(const kctl_sim_mbuf_t *m, size_t off, size_t len,
				    void *out);

/* ---- the client side: Darwin's syscall surface ---------------------------------------
 * Each behaves as the Darwin call of the same name on a PF_SYSTEM socket, returning
 * 0 or a negative errno instead of -1/errno. Structures and flags are Darwin's.
 */

/**
 * socket(domain, type, protocol): *fd gets a new blocking, close-on-exec socket.
 * SOCK_DGRAM or SOCK_STREAM with protocol SYSPROTO_CONTROL or 0 is a control socket;
 * event sockets (SOCK_RAW, SYSPROTO_EVENT) are not modelled (-EPROTONOSUPPORT).
 */
KCTL_API int kctl_sim_socket(kctl_sim_t *sim, int domain, int type, int protocol, int *fd);
/** ioctl: CTLIOCGCOUNT, CTLIOCGINFO, FIONBIO, FIOCLEX, FIONCLEX, FIONREAD. */
KCTL_API int kctl_sim_ioctl(kctl_sim_t *sim, int fd, unsigned long req, void *arg);
/** bind(fd, sa, salen). */
KCTL_API int kctl_sim_bind(kctl_sim_t *sim, int fd, const struct kctl_abi_sockaddr_ctl *sa,
			   uint32_t salen);
/** connect(fd, sa, salen). */
KCTL_API int kctl_sim_connect(kctl_sim_t *sim, int fd,
			      const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen);
/** getpeername(fd, sa, &salen). */
KCTL_API int kctl_sim_getpeername(kctl_sim_t *sim, int fd, struct kctl_abi_sockaddr_ctl *sa,
				  uint32_t *salen);
/**
 * sendmsg with a gather list; *sent gets the bytes sent. As on a Mac, a send callback
 * answering -EAGAIN (EWOULDBLOCK) or -EINTR ends the send with success and the count
 * of bytes handed to callbacks, that piece's included (the kernel has moved it: a
 * control saying so must keep it); any other callback errno is returned with *sent 0,
 * whatever earlier pieces of a STREAM send took. A send on a dead socket
 * fails with -EPIPE and raises SIGPIPE in the calling thread unless the socket has
 * SO_NOSIGPIPE or flags has KCTL_ABI_MSG_NOSIGNAL.
 */
KCTL_API int kctl_sim_sendmsg(kctl_sim_t *sim, int fd, const struct iovec *iov, int iovcnt,
			      int flags, size_t *sent);
/** recvmsg with a scatter list; *got gets the bytes read, *rflags Darwin MSG_* flags. */
KCTL_API int kctl_sim_recvmsg(kctl_sim_t *sim, int fd, const struct iovec *iov, int iovcnt,
			      int flags, size_t *got, int *rflags);
/** getsockopt(fd, level, opt, val, &len); val NULL is the size query. */
KCTL_API int kctl_sim_getsockopt(kctl_sim_t *sim, int fd, int level, int opt, void *val,
				 uint32_t *len);
/** setsockopt(fd, level, opt, val, len). */
KCTL_API int kctl_sim_setsockopt(kctl_sim_t *sim, int fd, int level, int opt,
				 const void *val, uint32_t len);
/** close(fd): the disconnect callback runs, the fd is released. */
KCTL_API int kctl_sim_close(kctl_sim_t *sim, int fd);

/* ---- descriptors, for embedders (libkctl-preload) ------------------------------------ */

/**
 * Moves socket fd's two descriptors (the client's end of its socketpair and the
 * kernel's end) to the lowest free numbers >= floor, both close-on-exec, and closes the
 * old ones. The socket is then known by *newfd in every call; *kfd (may be NULL) gets
 * the kernel end's number, which its owner must leave alone. For a program's own
 * descriptors, dup the client end: every dup polls as the socket does. The socket's
 * state, queue and readiness are unchanged. Errors: -EINVAL (NULL sim or newfd, floor
 * below 0), -EBADF (no such socket), -EMFILE/-EINVAL (no free number >= floor),
 * -ENOMEM. Thread-safe.
 */
KCTL_API int kctl_sim_move_fds(kctl_sim_t *sim, int fd, int floor, int *newfd, int *kfd);

/**
 * sysctlbyname(name, old, oldlen, newp, newlen), as Darwin answers it for the names this
 * kernel has: only "net.systm.kctl.reg_list" (KCTL_ABI_SYSCTL_REG_LIST), the registration
 * list, with the bytes xnu's handler produces (an xsystmgen, one 200-byte xkctl_reg per
 * control in id order, a second xsystmgen; see kctl_abi.h). old NULL is the size query:
 * *oldlen gets (n + n/8) * 200, as on a Mac (less than the answer needs when n < 8).
 * Errors: -ENOENT (any other name), -EPERM (newp with newlen > 0: the list is
 * read-only), -ENOMEM (old too small: *oldlen gets the bytes copied, which are the
 * header and the whole records that fitted), -EFAULT (NULL name). oldlen may be NULL
 * (then nothing fits). Callback addresses in the records are placeholders, non-zero
 * exactly when the callback is set; xg_sogen counts this kernel's socket() calls.
 */
KCTL_API int kctl_sim_sysctl(kctl_sim_t *sim, const char *name, void *old, size_t *oldlen,
			     const void *newp, size_t newlen);

/* ---- Apple's utun control (com.apple.net.utun_control) ------------------------------
 * The simulated kernel can have the control every VPN on a Mac opens, behaving as
 * xnu-11417's bsd/net/if_utun.c (macOS 15) does: privileged, DGRAM, 512 KiB send and
 * receive sizes, the unit chosen by its setup callback (sc_unit N > 0 makes interface
 * utun(N-1), 0 the lowest free one, a taken one EBUSY; interfaces above utun32767
 * cannot be created: connect fails with EINVAL), the level-2 options with their rules
 * (UTUN_OPT_FLAGS only between bind and connect, UTUN_OPT_IFNAME after connect, ...),
 * the 4-byte protocol family in network byte order in front of every packet both ways,
 * at most UTUN_OPT_MAX_PENDING_PACKETS packets queued for the client at a time (default
 * 1; the rest wait in the interface's 128-packet send queue), the interface removed when
 * the socket closes. A packet the client writes that is shorter than the header or
 * carries a family other than AF_INET (2) or AF_INET6 (30) is accepted by the write and
 * dropped by the interface, as on a Mac. Older macOS differs: before 11 there was no
 * setup callback (kern_control chose the unit, with the same outcome) and UTUN_OPT_FLAGS
 * could be set only after connect; before 10.14 there was no bind at all (details and
 * what is not simulated: lib/sim/sim_utun.c).
 *
 * The network side, for tests: inject a packet "from the network" into utunN (the
 * client reads it), take the packets the client wrote, list the interfaces. Families
 * are Darwin's numbers (KCTL_ABI_AF_INET 2, KCTL_ABI_AF_INET6 30) on every host.
 */

/** Room for an interface name ("utun32767" and its NUL), as IFNAMSIZ. */
#define KCTL_SIM_IFNAMSIZ 16

/** A utun interface as the simulated network sees it (kctl_sim_utun_list/_info). */
struct kctl_sim_utun_if {
	char name[KCTL_SIM_IFNAMSIZ]; /**< "utunN" */
	uint32_t unit;        /**< the client's control unit: N + 1 */
	uint32_t flags;       /**< UTUN_OPT_FLAGS (KCTL_ABI_UTUN_FLAGS_*) */
	uint32_t max_pending; /**< UTUN_OPT_MAX_PENDING_PACKETS */
	uint32_t queued;      /**< packets waiting in the send queue (the client is behind) */
	uint32_t untaken;     /**< packets the client wrote that no test has taken yet */
	uint32_t reserved;    /**< 0 */
	uint64_t ipackets;    /**< from the client (the interface's input), header included */
	uint64_t ibytes;
	uint64_t ierrors;     /**< only through UTUN_OPT_INC_IFDATA_STATS_IN */
	uint64_t opackets;    /**< to the client (the interface's output), header included */
	uint64_t obytes;
	uint64_t oerrors;     /**< to the client, dropped: send queue or receive buffer full */
	uint64_t in_dropped;  /**< from the client, dropped: short, or an unknown family */
};

/**
 * Creates a kernel "like a Mac": as kctl_sim_new(), with Apple's utun control
 * registered (the only Apple control simulated). Errors: -ENOMEM. Free with
 * kctl_sim_free().
 */
KCTL_API int kctl_sim_new_mac(kctl_sim_t **out);

/**
 * Registers Apple's utun control in sim (flags PRIVILEGED | REG_SETUP | REG_EXTENDED,
 * 512 KiB sizes). *out (may be NULL) gets its reference. Errors: -EEXIST (registered
 * already, or another control has its name), -ENOMEM, -EINVAL. Thread-safe.
 */
KCTL_API int kctl_sim_utun_register(kctl_sim_t *sim, kctl_sim_ctl_t **out);

/**
 * A packet "from the network" for the client of interface `ifname` ("utun3"): utun puts
 * the 4-byte family (network byte order; 20 bytes with UTUN_FLAGS_ENABLE_PROC_UUID, the
 * 16-byte app UUID zero) in front of `len` bytes of pkt and queues it for the client,
 * or keeps it in the send queue while the pending-packet limit is reached. Returns 0
 * also when UTUN_FLAGS_NO_OUTPUT drops it, as a Mac does silently.
 * Errors: -ENXIO (no such interface), -EAFNOSUPPORT (family other than 2 or 30),
 * -EMSGSIZE (larger than the 512 KiB receive buffer), -ENOBUFS (dropped: the send queue
 * holds 128 packets, or the receive buffer is full; counted in oerrors), -EINVAL,
 * -ENOMEM. Thread-safe; never blocks.
 */
KCTL_API int kctl_sim_utun_inject(kctl_sim_t *sim, const char *ifname, uint32_t family,
				  const void *pkt, size_t len);

/**
 * Takes the oldest packet the client of `ifname` wrote (and the interface accepted):
 * its payload, header stripped, into buf (cap bytes); *len its length, *family (may be
 * NULL) its family in Darwin's numbering. Waits up to timeout_ms (0: not at all,
 * -1: forever) for one. The interface keeps the last 1024 packets not taken.
 * Errors: -EAGAIN (timeout 0, none), -ETIMEDOUT, -EMSGSIZE (cap too small: *len gets
 * the length needed, the packet stays), -ENXIO (no such interface, or it went away
 * while waiting), -EINVAL. Thread-safe.
 */
KCTL_API int kctl_sim_utun_take(kctl_sim_t *sim, const char *ifname, void *buf, size_t cap,
				size_t *len, uint32_t *family, int32_t timeout_ms);

/**
 * Lists the utun interfaces (sockets connected to utun) by unit into out (cap entries);
 * *count gets how many there are. out NULL with cap 0 only counts.
 * Errors: -ENOSPC (more than cap: *count says how many, out untouched), -EINVAL.
 */
KCTL_API int kctl_sim_utun_list(kctl_sim_t *sim, struct kctl_sim_utun_if *out, uint32_t cap,
				uint32_t *count);

/** One interface by name into *out. Errors: -ENXIO (no such interface), -EINVAL. */
KCTL_API int kctl_sim_utun_info(kctl_sim_t *sim, const char *ifname,
				struct kctl_sim_utun_if *out);

#ifdef __cplusplus
}
#endif

#endif /* KCTL_SIM_H */
