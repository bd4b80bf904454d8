/*
 * sim_enqueue.c - the kext's side of the receive path: ctl_enqueuedata,
 * ctl_enqueuembuf and the three queue queries.
 */
#include <errno.h>
#include <string.h>

#include "sim.h"
#include "sim_mbuf.h"

/* The client on (ctl, unit), attached to a still-registered control (lock held). */
static int find_client(const struct kctl_sim_ctl *ctl, uint32_t unit, struct sim_sock **out)
{
	struct sim_sock *s;

	if (!ctl->registered)
		return -EINVAL;
	s = sim_ctl_find_unit(ctl, unit);
	if (s == NULL || s->closed)
		return -EINVAL;
	*out = s;
	return 0;
}

static size_t free_space(const struct sim_sock *s)
{
	return s->rq.bytes < s->recvsize ? s->recvsize - s->rq.bytes : 0;
}

/*
 * ENOBUFS exactly when the free space is smaller than the data. A REG_CRIT control
 * also refuses ordinary data once less than a quarter is free, keeping that quarter
 * for CTL_DATA_CRIT (the Mac's extra 25% overcommit for critical data is not modelled).
 */
static int room_for(const struct sim_sock *s, size_t len, uint32_t flags)
{
	size_t space = free_space(s);

	if (space < len)
		return -ENOBUFS;
	if ((s->ctl->reg.flags & KCTL_ABI_CTL_FLAG_REG_CRIT) &&
	    !(flags & KCTL_ABI_CTL_DATA_CRIT) && space < s->recvsize / 4)
		return -ENOBUFS;
	return 0;
}

/*
 * Appends data (or the chain m) to the queue (lock held). The signal byte goes up with
 * any data, since readiness is level-triggered: a poll made after a CTL_DATA_NOWAKEUP
 * enqueue sees it, as soreadable does on a Mac. NOWAKEUP only leaves a reader already
 * asleep in recv asleep (XNU skips sorwakeup); a poll already asleep in another thread
 * does wake here, since a socketpair cannot hold data back from it.
 */
static int append(struct sim_sock *s, const void *data, const kctl_sim_mbuf_t *m,
		  size_t len, uint32_t flags)
{
	bool eor = (flags & KCTL_ABI_CTL_DATA_EOR) != 0;
	unsigned char *dst;
	int err = room_for(s, len, flags);

	if (err != 0)
		return err;
	if (len == 0 && !eor)
		return 0; /* an empty mbuf without EOR adds nothing, as sbcompress drops it */
	if (sim_queue_reserve(&s->rq, len, &dst) != 0)
		return -ENOMEM;
	/* data is non-NULL whenever len > 0 (kctl_sim_enqueue checks); testing data, not
	 * len, also lets an optimiser that inlines the mbuf path see memcpy never gets NULL */
	if (m != NULL)
		(void)kctl_sim_mbuf_copydata(m, 0, len, dst);
	else if (data != NULL)
		memcpy(dst, data, len);
	sim_queue_commit(&s->rq, len, eor);
	sim_sock_signal(s, true);
	if (!(flags & KCTL_ABI_CTL_DATA_NOWAKEUP))
		sim_sock_wake(s);
	return 0;
}

static int enqueue(kctl_sim_ctl_t *ctl, uint32_t unit, const void *data,
		   const kctl_sim_mbuf_t *m, size_t len, uint32_t flags)
{
	kctl_sim_t *sim;
	struct sim_sock *s;
	int err;

	if (ctl == NULL)
		return -EINVAL;
	sim = ctl->sim;
	err = sim_enter(sim, KCTL_SIM_CALL_ENQUEUE);
	if (err != 0)
		return err;
	sim_lock(sim);
	err = find_client(ctl, unit, &s);
	if (err == 0)
		err = append(s, data, m, len, flags);
	sim_unlock(sim);
	return err;
}

int kctl_sim_enqueue(kctl_sim_ctl_t *ctl, uint32_t unit, const void *data, size_t len,
		     uint32_t flags)
{
	if (data == NULL && len > 0)
		return -EINVAL;
	return enqueue(ctl, unit, data, NULL, len, flags);
}

int kctl_sim_enqueue_mbuf(kctl_sim_ctl_t *ctl, uint32_t unit, kctl_sim_mbuf_t *m,
			  uint32_t flags)
{
	int err;

	if (m == NULL)
		return -EINVAL;
	err = enqueue(ctl, unit, NULL, m, sim_mbuf_chain_len(m), flags);
	if (err == 0)
		kctl_sim_mbuf_free(m); /* the kernel owns it only on success */
	return err;
}

/* A receive buffer's low-water mark: soreserve's default, which nothing here changes. */
#define SIM_RCV_LOWAT 1u

/* ctl_getenqueuereadable: bytes still missing before the socket polls readable. */
static size_t readable_diff(const struct sim_sock *s)
{
	return s->rq.bytes >= SIM_RCV_LOWAT ? 0 : SIM_RCV_LOWAT - s->rq.bytes;
}

/* The three queries: what `what` reads from the client's queue. */
enum query { Q_SPACE, Q_READABLE, Q_PACKETS };

static int query(kctl_sim_ctl_t *ctl, uint32_t unit, size_t *out, enum query what)
{
	struct sim_sock *s;
	int err;

	if (ctl == NULL || out == NULL)
		return -EINVAL;
	sim_lock(ctl->sim);
	err = find_client(ctl, unit, &s);
	if (err == 0)
		*out = what == Q_SPACE	  ? free_space(s)
		       : what == Q_READABLE ? readable_diff(s)
					    : s->rq.records;
	sim_unlock(ctl->sim);
	return err;
}

int kctl_sim_enqueue_space(kctl_sim_ctl_t *ctl, uint32_t unit, size_t *space)
{
	return query(ctl, unit, space, Q_SPACE);
}

int kctl_sim_enqueue_readable(kctl_sim_ctl_t *ctl, uint32_t unit, size_t *difference)
{
	return query(ctl, unit, difference, Q_READABLE);
}

int kctl_sim_enqueue_packets(kctl_sim_ctl_t *ctl, uint32_t unit, size_t *count)
{
	return query(ctl, unit, count, Q_PACKETS);
}
