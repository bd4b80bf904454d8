/*
 * sim_utun.h - Apple's utun control inside the simulated kernel (internal to lib/sim).
 *
 * One struct sim_utun per kernel (sim->utun) holds the control and its control blocks,
 * one per client socket from the setup callback on (as xnu's struct utun_pcb). Its lock
 * is utun_lock and every pcb lock at once; it is taken before the simulator's own lock
 * (the utun code calls kctl_sim_enqueue and friends while holding it) and never the
 * other way round: the simulator calls the utun callbacks without its lock held.
 *
 * A pcb lives from the setup callback to the disconnect callback. While it lives the
 * socket is attached, so the simulator's fencing keeps the use callbacks (send, rcvd,
 * setopt, getopt) from running at the same time as the disconnect that frees it.
 */
#ifndef KCTL_SIM_UTUN_H
#define KCTL_SIM_UTUN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#define UTUN_SIZE        524288u        /* 512 KiB: ctl_sendsize and ctl_recvsize */
#define UTUN_IFXNAMSIZ   24u            /* utun_if_xname: IFNAMSIZ + 8 */
#define UTUN_IFUNIT_MAX  32767u         /* ifnet_allocate_extended: unit <= SHRT_MAX */
#define UTUN_SNDQ_MAX    128u           /* the interface's send queue (IFQ_MAXLEN) */
#define UTUN_NETQ_MAX    1024u          /* client packets kept for kctl_sim_utun_take */
#define UTUN_UUID_LEN    16u            /* UTUN_FLAGS_ENABLE_PROC_UUID's header part */

/* A packet held by the simulator: to the client with its header, from it without. */
struct utun_pkt {
	struct utun_pkt *next;
	uint32_t family; /* Darwin's numbering (from the client) */
	size_t len;
	unsigned char data[];
};

struct utun_pktq {
	struct utun_pkt *head, *tail;
	uint32_t count;
};

/* The options of bsd/net/if_utun.c that only configure a nexus: stored and reported. */
struct utun_nexus_opts {
	bool use_netif;   /* UTUN_OPT_ENABLE_NETIF */
	bool attach_fsw;  /* UTUN_OPT_ATTACH_FLOWSWITCH */
	uint32_t slot_size, netif_ring, tx_fsw_ring, rx_fsw_ring, kpipe_tx_ring, kpipe_rx_ring;
};

struct utun_pcb {
	struct utun_pcb *next; /* sim_utun.pcbs, sorted by unit */
	struct sim_utun *ut;
	uint32_t unit;     /* the control unit; the interface is utun(unit - 1) */
	bool bound;        /* utun_ctl_bind ran (xnu: utun_ctlref set) */
	bool has_if;       /* the interface exists (xnu: utun_ifp != NULL) */
	bool output_off;   /* ifnet_disable_output: the pending-packet limit was reached */
	uint32_t flags;    /* UTUN_OPT_FLAGS */
	bool ext_stats;    /* UTUN_OPT_EXT_IFDATA_STATS */
	uint32_t max_pending; /* UTUN_OPT_MAX_PENDING_PACKETS */
	char ifname[UTUN_IFXNAMSIZ];
	char delegate[16]; /* UTUN_OPT_SET_DELEGATE_INTERFACE */
	struct utun_nexus_opts nx;
	struct kctl_sim_utun_if st; /* counters (the name and settings are filled on read) */
	struct utun_pktq sndq; /* to the client, waiting while output is off */
	struct utun_pktq netq; /* from the client, waiting for kctl_sim_utun_take */
};

struct sim_utun {
	kctl_sim_t *sim;
	kctl_sim_ctl_t *ctl;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* kctl_sim_utun_take waits here for the client's packets */
	struct utun_pcb *pcbs;
};

/* sim_utun.c */
size_t utun_header_len(const struct utun_pcb *pcb);
bool utun_caller_is_root(const struct sim_utun *ut);
struct utun_pcb *utun_find_if(struct sim_utun *ut, const char *ifname); /* lock held */
struct sim_utun *utun_of(kctl_sim_t *sim); /* NULL when utun is not registered */
void utun_pktq_free(struct utun_pktq *q);

/* sim_utun_opt.c: the setopt and getopt callbacks */
int utun_setopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		size_t len);
int utun_getopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		size_t *len);

/* sim_utun_net.c: the packet paths (lock held) */
int utun_from_client(struct utun_pcb *pcb, kctl_sim_mbuf_t *m);
int utun_start(struct utun_pcb *pcb);

#endif
