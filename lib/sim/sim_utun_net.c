/*
 * sim_utun_net.c - the two packet paths of a utun interface, and the network side that
 * tests drive (inject, take, list).
 *
 * From the client (utun_ctl_send, then the interface's input): the first 4 bytes are the
 * protocol family in network byte order; the interface hands AF_INET and AF_INET6 packets
 * to the stack (here: to kctl_sim_utun_take) without the header, and drops one shorter
 * than the header or of another family (dlil finds no protocol for it). The write that
 * carried it succeeded all the same. UTUN_FLAGS_NO_INPUT drops everything.
 *
 * To the client (the stack's output, utun_framer, utun_start, utun_output): the family
 * goes in front in network byte order (with UTUN_FLAGS_ENABLE_PROC_UUID, then 16 bytes of
 * app UUID, zero here: the simulator has no NECP), and the packet is queued for the client
 * as one record, but only while fewer than UTUN_OPT_MAX_PENDING_PACKETS are queued there;
 * otherwise output stops and packets wait in the interface's send queue (128 packets,
 * then dropped) until the client reads and the rcvd callback restarts it. A packet the
 * receive buffer (512 KiB) cannot take is dropped and counted in oerrors.
 * UTUN_FLAGS_NO_OUTPUT drops everything. (utun_start also accepts a packet while the
 * socket holds less than its low-water mark of 1 byte; with at least one pending packet
 * of at least 4 bytes that never happens, so only the packet count is looked at.)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_utun.h"

static uint32_t be32_get(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void be32_put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static bool family_ok(uint32_t family)
{
	return family == KCTL_ABI_AF_INET || family == KCTL_ABI_AF_INET6;
}

static void pktq_push(struct utun_pktq *q, struct utun_pkt *p)
{
	p->next = NULL;
	if (q->tail != NULL)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->count++;
}

static struct utun_pkt *pktq_pop(struct utun_pktq *q)
{
	struct utun_pkt *p = q->head;

	if (p == NULL)
		return NULL;
	q->head = p->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->count--;
	return p;
}

/* ---- from the client ---- */

/* A packet the interface accepted: kept for the test (the oldest goes when full). */
static int keep_for_network(struct utun_pcb *pcb, const kctl_sim_mbuf_t *m, size_t hdr,
			    size_t len, uint32_t family)
{
	struct utun_pkt *p = malloc(sizeof(*p) + (len - hdr));

	if (p == NULL)
		return -ENOBUFS;
	p->family = family;
	p->len = len - hdr;
	(void)kctl_sim_mbuf_copydata(m, hdr, p->len, p->data);
	if (pcb->netq.count >= UTUN_NETQ_MAX)
		free(pktq_pop(&pcb->netq));
	pktq_push(&pcb->netq, p);
	pthread_cond_broadcast(&pcb->ut->cond);
	return 0;
}

/* utun_ctl_send and the interface's input (lock held). Takes m; the write succeeds. */
int utun_from_client(struct utun_pcb *pcb, kctl_sim_mbuf_t *m)
{
	size_t len = kctl_sim_mbuf_pkthdr_len(m), hdr = utun_header_len(pcb);
	unsigned char fam[KCTL_ABI_UTUN_HEADER_LEN];
	uint32_t family = 0;

	if (!(pcb->flags & KCTL_ABI_UTUN_FLAGS_NO_INPUT)) {
		if (!pcb->ext_stats) {
			pcb->st.ipackets++;
			pcb->st.ibytes += len;
		}
		if (len >= hdr && kctl_sim_mbuf_copydata(m, 0, sizeof(fam), fam) == 0)
			family = be32_get(fam);
		if (!family_ok(family) || keep_for_network(pcb, m, hdr, len, family) != 0)
			pcb->st.in_dropped++;
	}
	kctl_sim_mbuf_free(m);
	return 0;
}

/* ---- to the client ---- */

/* utun_output: queues one packet (with its header) for the client as a record. */
static int utun_output(struct utun_pcb *pcb, struct utun_pkt *p)
{
	int err = 0;

	if (!(pcb->flags & KCTL_ABI_UTUN_FLAGS_NO_OUTPUT)) {
		err = kctl_sim_enqueue(pcb->ut->ctl, pcb->unit, p->data, p->len,
				       KCTL_ABI_CTL_DATA_EOR);
		if (err != 0)
			pcb->st.oerrors++;
		else if (!pcb->ext_stats) {
			pcb->st.opackets++;
			pcb->st.obytes += p->len;
		}
	}
	free(p);
	return err;
}

/*
 * utun_start (lock held): moves packets from the send queue to the client while fewer
 * than the limit are queued there; at the limit, output stops until rcvd. Returns the
 * error of the last packet that could not be queued, or 0.
 */
int utun_start(struct utun_pcb *pcb)
{
	int last = 0;

	while (pcb->sndq.head != NULL) {
		size_t queued = 0;
		int err;

		if (kctl_sim_enqueue_packets(pcb->ut->ctl, pcb->unit, &queued) != 0)
			queued = 0;
		if (queued >= pcb->max_pending) {
			pcb->output_off = true;
			break;
		}
		err = utun_output(pcb, pktq_pop(&pcb->sndq));
		if (err != 0)
			last = err;
	}
	return last;
}

/* The framed packet: header (family, then the app UUID when asked) and payload. */
static struct utun_pkt *frame(const struct utun_pcb *pcb, uint32_t family, const void *pkt,
			      size_t len)
{
	size_t hdr = utun_header_len(pcb);
	struct utun_pkt *p = malloc(sizeof(*p) + hdr + len);

	if (p == NULL)
		return NULL;
	p->family = family;
	p->len = hdr + len;
	memset(p->data, 0, hdr);
	be32_put(p->data, family);
	if (len > 0)
		memcpy(p->data + hdr, pkt, len);
	return p;
}

/* The stack's output into the interface (lock held). */
static int output_locked(struct utun_pcb *pcb, uint32_t family, const void *pkt, size_t len)
{
	struct utun_pkt *p;

	if (len > UTUN_SIZE - utun_header_len(pcb))
		return -EMSGSIZE;
	if (pcb->sndq.count >= UTUN_SNDQ_MAX) {
		pcb->st.oerrors++;
		return -ENOBUFS;
	}
	p = frame(pcb, family, pkt, len);
	if (p == NULL)
		return -ENOMEM;
	pktq_push(&pcb->sndq, p);
	return pcb->output_off ? 0 : utun_start(pcb);
}

int kctl_sim_utun_inject(kctl_sim_t *sim, const char *ifname, uint32_t family,
			 const void *pkt, size_t len)
{
	struct sim_utun *ut;
	struct utun_pcb *pcb;
	int err = -ENXIO;

	if (sim == NULL || ifname == NULL || (pkt == NULL && len > 0))
		return -EINVAL;
	if (!family_ok(family))
		return -EAFNOSUPPORT;
	ut = utun_of(sim);
	if (ut == NULL)
		return -ENXIO;
	pthread_mutex_lock(&ut->lock);
	pcb = utun_find_if(ut, ifname);
	if (pcb != NULL)
		err = output_locked(pcb, family, pkt, len);
	pthread_mutex_unlock(&ut->lock);
	return err;
}

/* ---- the test takes what the client wrote ---- */

/* The absolute time timeout_ms from now, for pthread_cond_timedwait's clock. */
static struct timespec deadline_after(int32_t timeout_ms)
{
	struct timespec ts;

	/* the condition variable's default clock: CLOCK_MONOTONIC cannot be chosen on macOS */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Lock held: 1 when a packet was taken or an error is final, 0 to wait on. */
static int take_now(struct sim_utun *ut, const char *ifname, void *buf, size_t cap,
		    size_t *len, uint32_t *family, int *err)
{
	struct utun_pcb *pcb = utun_find_if(ut, ifname);
	struct utun_pkt *p;

	if (pcb == NULL) {
		*err = -ENXIO;
		return 1;
	}
	p = pcb->netq.head;
	if (p == NULL)
		return 0;
	if (p->len > cap) {
		*len = p->len;
		*err = -EMSGSIZE;
		return 1;
	}
	(void)pktq_pop(&pcb->netq);
	if (p->len > 0)
		memcpy(buf, p->data, p->len);
	*len = p->len;
	if (family != NULL)
		*family = p->family;
	free(p);
	*err = 0;
	return 1;
}

int kctl_sim_utun_take(kctl_sim_t *sim, const char *ifname, void *buf, size_t cap,
		       size_t *len, uint32_t *family, int32_t timeout_ms)
{
	struct timespec until = deadline_after(timeout_ms > 0 ? timeout_ms : 0);
	struct sim_utun *ut;
	int err = 0;

	if (sim == NULL || ifname == NULL || len == NULL || (buf == NULL && cap > 0) ||
	    timeout_ms < -1)
		return -EINVAL;
	ut = utun_of(sim);
	if (ut == NULL)
		return -ENXIO;
	pthread_mutex_lock(&ut->lock);
	for (;;) {
		if (take_now(ut, ifname, buf, cap, len, family, &err))
			break;
		if (timeout_ms == 0) {
			err = -EAGAIN;
			break;
		}
		if (timeout_ms < 0) {
			pthread_cond_wait(&ut->cond, &ut->lock);
		} else if (pthread_cond_timedwait(&ut->cond, &ut->lock, &until) == ETIMEDOUT) {
			if (!take_now(ut, ifname, buf, cap, len, family, &err))
				err = -ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&ut->lock);
	return err;
}

/* ---- listing ---- */

static void if_fill(const struct utun_pcb *pcb, struct kctl_sim_utun_if *out)
{
	*out = pcb->st;
	memset(out->name, 0, sizeof(out->name));
	memcpy(out->name, pcb->ifname, strnlen(pcb->ifname, sizeof(out->name) - 1));
	out->unit = pcb->unit;
	out->flags = pcb->flags;
	out->max_pending = pcb->max_pending;
	out->queued = pcb->sndq.count;
	out->untaken = pcb->netq.count;
	out->reserved = 0;
}

int kctl_sim_utun_list(kctl_sim_t *sim, struct kctl_sim_utun_if *out, uint32_t cap,
		       uint32_t *count)
{
	struct sim_utun *ut;
	uint32_t n = 0;

	if (sim == NULL || count == NULL || (out == NULL && cap > 0))
		return -EINVAL;
	ut = utun_of(sim);
	if (ut != NULL) {
		pthread_mutex_lock(&ut->lock);
		for (const struct utun_pcb *p = ut->pcbs; p != NULL; p = p->next)
			n += p->has_if ? 1 : 0;
		for (const struct utun_pcb *p = ut->pcbs; out != NULL && n <= cap && p != NULL;
		     p = p->next)
			if (p->has_if)
				if_fill(p, out++);
		pthread_mutex_unlock(&ut->lock);
	}
	*count = n;
	return out != NULL && n > cap ? -ENOSPC : 0;
}

int kctl_sim_utun_info(kctl_sim_t *sim, const char *ifname, struct kctl_sim_utun_if *out)
{
	struct sim_utun *ut;
	const struct utun_pcb *pcb;
	int err = -ENXIO;

	if (sim == NULL || ifname == NULL || out == NULL)
		return -EINVAL;
	ut = utun_of(sim);
	if (ut == NULL)
		return -ENXIO;
	pthread_mutex_lock(&ut->lock);
	pcb = utun_find_if(ut, ifname);
	if (pcb != NULL) {
		if_fill(pcb, out);
		err = 0;
	}
	pthread_mutex_unlock(&ut->lock);
	return err;
}
