/*
 * sim_utun.c - Apple's utun control in the simulated kernel: its registration, the unit
 * its setup callback chooses, bind, connect (the interface comes to life), disconnect
 * (it goes away), rcvd, and what the option and packet files share.
 *
 * The model is bsd/net/if_utun.c of xnu-11417.101.15 (macOS 15), read from Apple's
 * published source (no code taken from it). Older macOS differs where a client sees it:
 * - macOS 11 (xnu-7195) added the setup callback; before it kern_control chose the unit,
 *   with the same outcome (N > 0: that unit, 0: the lowest free one, taken: EBUSY).
 * - Before macOS 11, UTUN_OPT_FLAGS could be set only after connect (EINVAL before it);
 *   from 11 on only before connect, which leaves the time between bind and connect.
 * - Before macOS 10.14 (xnu-4903) there was no bind at all: a client could only connect,
 *   then set options.
 * Not modelled, and what happens instead:
 * - the Skywalk nexus: UTUN_OPT_ENABLE_NETIF and the ring and slot sizes are checked,
 *   stored and reported, but packets keep going through the control socket;
 * - kernel-pipe channels: enabling one needs a private entitlement, so EPERM;
 * - the flowswitch agent: UTUN_OPT_ENABLE_FLOWSWITCH finds none (ENOENT);
 * - IP addresses and routes: every AF_INET or AF_INET6 packet the client writes reaches
 *   the test (a Mac drops it when that family has no address on the interface);
 * - the interface's asynchronous detach: the unit is free again when close returns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_utun.h"

#define UTUN_CTL_MAXUNIT 65536u /* kern_control's ctl_maxunit */

/* Defaults utun_ctl_bind gives (if_utun_ring_size and friends, UTUN_IF_DEFAULT_*). */
#define UTUN_DEF_SLOT_SIZE   2048u
#define UTUN_DEF_RING        64u
#define UTUN_DEF_TX_FSW_RING 64u
#define UTUN_DEF_RX_FSW_RING 128u

size_t utun_header_len(const struct utun_pcb *pcb)
{
	return KCTL_ABI_UTUN_HEADER_LEN +
	       ((pcb->flags & KCTL_ABI_UTUN_FLAGS_ENABLE_PROC_UUID) ? UTUN_UUID_LEN : 0);
}

/* kauth_cred_issuser for the caller: the kernel's effective uid is 0. */
bool utun_caller_is_root(const struct sim_utun *ut)
{
	bool root;

	sim_lock(ut->sim);
	root = ut->sim->euid == 0;
	sim_unlock(ut->sim);
	return root;
}

struct sim_utun *utun_of(kctl_sim_t *sim)
{
	struct sim_utun *ut;

	sim_lock(sim);
	ut = sim->utun;
	sim_unlock(sim);
	return ut;
}

struct utun_pcb *utun_find_if(struct sim_utun *ut, const char *ifname)
{
	for (struct utun_pcb *p = ut->pcbs; p != NULL; p = p->next)
		if (p->has_if && strncmp(p->ifname, ifname, sizeof(p->ifname)) == 0)
			return p;
	return NULL;
}

void utun_pktq_free(struct utun_pktq *q)
{
	while (q->head != NULL) {
		struct utun_pkt *p = q->head;

		q->head = p->next;
		free(p);
	}
	q->tail = NULL;
	q->count = 0;
}

/* ---- control blocks (lock held) ---- */

static void pcb_insert(struct sim_utun *ut, struct utun_pcb *pcb)
{
	struct utun_pcb **link = &ut->pcbs;

	while (*link != NULL && (*link)->unit < pcb->unit)
		link = &(*link)->next;
	pcb->next = *link;
	*link = pcb;
}

static void pcb_destroy(struct utun_pcb *pcb)
{
	utun_pktq_free(&pcb->sndq);
	utun_pktq_free(&pcb->netq);
	free(pcb);
}

static void pcb_free(struct utun_pcb *pcb)
{
	struct utun_pcb **link = &pcb->ut->pcbs;

	while (*link != NULL && *link != pcb)
		link = &(*link)->next;
	if (*link == pcb)
		*link = pcb->next;
	pthread_cond_broadcast(&pcb->ut->cond); /* a take waiting on this interface gives up */
	pcb_destroy(pcb);
}

/* utun_ctl_setup's rule: 0 picks the lowest free unit from 1, another must be free. */
static int pick_unit(const struct sim_utun *ut, uint32_t *unit)
{
	uint32_t u = 1;

	if (*unit != 0) {
		for (const struct utun_pcb *p = ut->pcbs; p != NULL; p = p->next)
			if (p->unit == *unit)
				return -EBUSY;
		return 0;
	}
	for (const struct utun_pcb *p = ut->pcbs; p != NULL && p->unit <= u; p = p->next)
		u = p->unit + 1; /* the list is sorted and has each unit once */
	if (u >= UTUN_CTL_MAXUNIT)
		return -EBUSY;
	*unit = u;
	return 0;
}

static int utun_setup(kctl_sim_ctl_t *ctl, uint32_t *unit, void **unitinfo)
{
	struct sim_utun *ut = kctl_sim_ctl_cookie(ctl);
	struct utun_pcb *pcb;
	int err;

	if (unit == NULL || unitinfo == NULL)
		return -EINVAL;
	pthread_mutex_lock(&ut->lock);
	err = pick_unit(ut, unit);
	pcb = err == 0 ? calloc(1, sizeof(*pcb)) : NULL;
	if (err == 0 && pcb == NULL)
		err = -ENOMEM;
	if (err == 0) {
		pcb->ut = ut;
		pcb->unit = *unit;
		pcb_insert(ut, pcb);
		*unitinfo = pcb;
	}
	pthread_mutex_unlock(&ut->lock);
	return err;
}

/* utun_ctl_bind proper (lock held): once per pcb. */
static int pcb_bind(struct utun_pcb *pcb)
{
	if (pcb->bound)
		return -EINVAL;
	pcb->bound = true;
	pcb->max_pending = 1;
	pcb->nx.use_netif = false;
	pcb->nx.attach_fsw = true;
	pcb->nx.slot_size = UTUN_DEF_SLOT_SIZE;
	pcb->nx.netif_ring = UTUN_DEF_RING;
	pcb->nx.tx_fsw_ring = UTUN_DEF_TX_FSW_RING;
	pcb->nx.rx_fsw_ring = UTUN_DEF_RX_FSW_RING;
	return 0;
}

static int utun_bind(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		     void **unitinfo)
{
	struct sim_utun *ut = kctl_sim_ctl_cookie(ctl);
	struct utun_pcb *pcb;
	int err;

	if (*unitinfo == NULL) { /* setup did not run: make the pcb as utun does */
		uint32_t unit = sac->sc_unit;

		(void)utun_setup(ctl, &unit, unitinfo);
	}
	pcb = *unitinfo;
	if (pcb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&ut->lock);
	err = pcb_bind(pcb);
	pthread_mutex_unlock(&ut->lock);
	return err;
}

/* The interface comes to life; a unit it cannot have frees the pcb (lock held). */
static int pcb_attach_if(struct utun_pcb *pcb)
{
	if (!pcb->bound)
		(void)pcb_bind(pcb);
	if (pcb->unit - 1 > UTUN_IFUNIT_MAX)
		return -EINVAL; /* ifnet_allocate_extended: unit above SHRT_MAX */
	(void)snprintf(pcb->ifname, sizeof(pcb->ifname), "utun%u", (unsigned)(pcb->unit - 1));
	memset(&pcb->st, 0, sizeof(pcb->st)); /* ifnet_set_stat: a recycled interface restarts */
	pcb->has_if = true;
	return 0;
}

static int utun_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			void **unitinfo)
{
	struct sim_utun *ut = kctl_sim_ctl_cookie(ctl);
	struct utun_pcb *pcb;
	int err;

	if (*unitinfo == NULL)
		(void)utun_bind(ctl, sac, unitinfo);
	pcb = *unitinfo;
	if (pcb == NULL)
		return -EINVAL;
	pthread_mutex_lock(&ut->lock);
	err = pcb_attach_if(pcb);
	if (err != 0) {
		pcb_free(pcb);
		*unitinfo = NULL; /* the disconnect that follows gets NULL, as from utun */
	}
	pthread_mutex_unlock(&ut->lock);
	return err;
}

/* Bound or connected, the pcb and its interface go (EINVAL for none, ignored anyway). */
static int utun_disconnect(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo)
{
	struct sim_utun *ut = kctl_sim_ctl_cookie(ctl);

	(void)unit;
	if (unitinfo == NULL)
		return -EINVAL;
	pthread_mutex_lock(&ut->lock);
	pcb_free(unitinfo);
	pthread_mutex_unlock(&ut->lock);
	return 0;
}

static int utun_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		     int flags)
{
	struct sim_utun *ut = kctl_sim_ctl_cookie(ctl);
	int err;

	(void)unit;
	(void)flags;
	if (unitinfo == NULL) {
		kctl_sim_mbuf_free(m);
		return -EINVAL;
	}
	pthread_mutex_lock(&ut->lock);
	err = utun_from_client(unitinfo, m);
	pthread_mutex_unlock(&ut->lock);
	return err;
}

/* The client read: below the pending-packet limit, output resumes (ifnet_enable_output). */
static void utun_rcvd(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int flags)
{
	struct sim_utun *ut = kctl_sim_ctl_cookie(ctl);
	struct utun_pcb *pcb = unitinfo;
	size_t queued = 0;

	(void)flags;
	if (pcb == NULL)
		return;
	pthread_mutex_lock(&ut->lock);
	if (pcb->has_if) {
		if (kctl_sim_enqueue_packets(ctl, unit, &queued) != 0)
			queued = 0;
		if (queued < pcb->max_pending) {
			pcb->output_off = false;
			(void)utun_start(pcb);
		}
	}
	pthread_mutex_unlock(&ut->lock);
}

/* ---- registration ---- */

static struct sim_utun *utun_state_new(kctl_sim_t *sim)
{
	struct sim_utun *ut = calloc(1, sizeof(*ut));

	if (ut == NULL)
		return NULL;
	if (pthread_mutex_init(&ut->lock, NULL) != 0) {
		free(ut);
		return NULL;
	}
	if (pthread_cond_init(&ut->cond, NULL) != 0) {
		pthread_mutex_destroy(&ut->lock);
		free(ut);
		return NULL;
	}
	ut->sim = sim;
	return ut;
}

static void utun_state_free(struct sim_utun *ut)
{
	while (ut->pcbs != NULL) { /* none once every socket closed; kept safe anyway */
		struct utun_pcb *p = ut->pcbs;

		ut->pcbs = p->next;
		pcb_destroy(p);
	}
	pthread_cond_destroy(&ut->cond);
	pthread_mutex_destroy(&ut->lock);
	free(ut);
}

static void utun_reg_fill(struct kctl_sim_reg *reg, struct sim_utun *ut)
{
	memset(reg, 0, sizeof(*reg));
	memcpy(reg->name, KCTL_ABI_UTUN_CONTROL_NAME, sizeof(KCTL_ABI_UTUN_CONTROL_NAME));
	reg->flags = KCTL_ABI_CTL_FLAG_PRIVILEGED | KCTL_ABI_CTL_FLAG_REG_SETUP |
		     KCTL_ABI_CTL_FLAG_REG_EXTENDED;
	reg->sendsize = UTUN_SIZE;
	reg->recvsize = UTUN_SIZE;
	reg->cookie = ut;
	reg->setup = utun_setup;
	reg->bind = utun_bind;
	reg->connect = utun_connect;
	reg->disconnect = utun_disconnect;
	reg->send = utun_send;
	reg->setopt = utun_setopt;
	reg->getopt = utun_getopt;
	reg->rcvd = utun_rcvd;
}

/* The kernel's utun state, made on first use; *fresh says whether this call made it. */
static int utun_state_get(kctl_sim_t *sim, struct sim_utun **out, bool *fresh)
{
	struct sim_utun *ut;
	int err = 0;

	sim_lock(sim);
	ut = sim->utun;
	if (ut != NULL && ut->ctl != NULL && ut->ctl->registered)
		err = -EEXIST;
	sim_unlock(sim);
	*fresh = ut == NULL;
	if (err == 0 && ut == NULL)
		ut = utun_state_new(sim);
	if (err == 0 && ut == NULL)
		err = -ENOMEM;
	*out = ut;
	return err;
}

int kctl_sim_utun_register(kctl_sim_t *sim, kctl_sim_ctl_t **out)
{
	struct kctl_sim_reg reg;
	struct sim_utun *ut = NULL;
	kctl_sim_ctl_t *ctl = NULL;
	bool fresh = false;
	int err;

	if (sim == NULL)
		return -EINVAL;
	err = utun_state_get(sim, &ut, &fresh);
	if (err != 0)
		return err;
	utun_reg_fill(&reg, ut);
	err = kctl_sim_register(sim, &reg, &ctl);
	if (err != 0) {
		if (fresh)
			utun_state_free(ut);
		return err;
	}
	pthread_mutex_lock(&ut->lock);
	ut->ctl = ctl;
	pthread_mutex_unlock(&ut->lock);
	sim_lock(sim);
	sim->utun = ut;
	sim_unlock(sim);
	if (out != NULL)
		*out = ctl;
	return 0;
}

int kctl_sim_new_mac(kctl_sim_t **out)
{
	kctl_sim_t *sim = NULL;
	int err;

	if (out == NULL)
		return -EINVAL;
	err = kctl_sim_new(&sim);
	if (err == 0)
		err = kctl_sim_utun_register(sim, NULL);
	if (err != 0) {
		kctl_sim_free(sim);
		return err;
	}
	*out = sim;
	return 0;
}

void sim_utun_free(kctl_sim_t *sim)
{
	if (sim->utun == NULL)
		return;
	utun_state_free(sim->utun);
	sim->utun = NULL;
}
