/*
 * kpi_ctl_tramp.c - the trampolines: the simulator calls these, they call the kext.
 *
 * Each runs the kext's callback with the control's kext as the thread's current kext
 * (what it allocates is its own), turns the errno it returns into what the client sees
 * (kpi_errno.c), and records that the kext now holds the mbufs it is given. Once the
 * kext is stopped (an orphan control it left registered), nothing is called: its
 * clients get errors (connect ECONNREFUSED, send EPIPE, sockopts EINVAL) until they go.
 */
#include <errno.h>
#include <string.h>

#include "kpi_ctl_int.h"
#include "kpi_mbuf_int.h"

static struct kpi_ctl *from_sim(kctl_sim_ctl_t *ctl)
{
	return kctl_sim_ctl_cookie(ctl);
}

static int orphan(struct kpi_ctl *c)
{
	return atomic_load(&c->orphan);
}

static int ret(struct kpi_ctl *c, errno_t e, const char *what)
{
	return kpi_errno_to_sim(e, c->reg.ctl_name, what);
}

/* A packet from the kernel: a packet header on its first segment, data mbufs. */
static void take_packet(struct kctl_sim_mbuf *m, struct kctl_kpi_kext *k)
{
	for (struct kctl_sim_mbuf *s = m; s != NULL; s = s->next)
		s->kpi.type = MBUF_TYPE_DATA;
	m->kpi.flags |= MBUF_PKTHDR;
	kpi_mbuf_own_chain(m, k);
}

/* connect and bind: the kext's callback on its own copy of the client's address */
static int tr_addr(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		   void **unitinfo, int bind)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct sockaddr_ctl sa;
	struct kpi_frame f;
	errno_t e;

	if (orphan(c))
		return -ECONNREFUSED;
	memcpy(&sa, sac, sizeof(sa));
	kpi_enter(&f, c->kext, 0);
	e = bind ? c->reg.ctl_bind(c, &sa, unitinfo) : c->reg.ctl_connect(c, &sa, unitinfo);
	kpi_leave(&f);
	return ret(c, e, bind ? "bind" : "connect");
}

static int tr_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		      void **unitinfo)
{
	return tr_addr(ctl, sac, unitinfo, 0);
}

static int tr_disconnect(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct kpi_frame f;
	errno_t e;

	if (orphan(c))
		return 0;
	kpi_enter(&f, c->kext, 0);
	e = c->reg.ctl_disconnect(c, unit, unitinfo);
	kpi_leave(&f);
	return ret(c, e, "disconnect");
}

static int tr_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		   int flags)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct kpi_frame f;
	errno_t e;

	if (orphan(c)) {
		kctl_sim_mbuf_free(m);
		return -EPIPE;
	}
	take_packet(m, c->kext);
	kpi_enter(&f, c->kext, 0);
	e = c->reg.ctl_send(c, unit, unitinfo, K(m), flags);
	kpi_leave(&f);
	return ret(c, e, "send");
}

int kpi_ctl_tr_send_list(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo,
			 kctl_sim_mbuf_t *list, int flags)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct kpi_frame f;
	errno_t e;

	if (orphan(c)) {
		for (struct kctl_sim_mbuf *m = list, *n; m != NULL; m = n) {
			n = m->nextpkt;
			kctl_sim_mbuf_free(m);
		}
		return -EPIPE;
	}
	for (struct kctl_sim_mbuf *m = list; m != NULL; m = m->nextpkt)
		take_packet(m, c->kext);
	kpi_enter(&f, c->kext, 0);
	e = c->reg.ctl_send_list(c, unit, unitinfo, K(list), flags);
	kpi_leave(&f);
	return ret(c, e, "send_list");
}

static int tr_setopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		     size_t len)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct kpi_frame f;
	errno_t e;

	if (orphan(c))
		return -EINVAL;
	kpi_enter(&f, c->kext, 0);
	e = c->reg.ctl_setopt(c, unit, unitinfo, opt, data, len);
	kpi_leave(&f);
	return ret(c, e, "setopt");
}

static int tr_getopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		     size_t *len)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct kpi_frame f;
	errno_t e;

	if (orphan(c))
		return -EINVAL;
	kpi_enter(&f, c->kext, 0);
	e = c->reg.ctl_getopt(c, unit, unitinfo, opt, data, len);
	kpi_leave(&f);
	return ret(c, e, "getopt");
}

static void tr_rcvd(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int flags)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct kpi_frame f;

	if (orphan(c))
		return;
	kpi_enter(&f, c->kext, 0);
	c->reg.ctl_rcvd(c, unit, unitinfo, flags);
	kpi_leave(&f);
}

/* EJUSTRETURN from ctl_bind is 0 to the client, as xnu's sobindlock makes it */
static int tr_bind(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		   void **unitinfo)
{
	return tr_addr(ctl, sac, unitinfo, 1);
}

static int tr_setup(kctl_sim_ctl_t *ctl, uint32_t *unit, void **unitinfo)
{
	struct kpi_ctl *c = from_sim(ctl);
	struct kpi_frame f;
	errno_t e;

	if (orphan(c))
		return -ECONNREFUSED;
	kpi_enter(&f, c->kext, 0);
	e = c->reg.ctl_setup(unit, unitinfo);
	kpi_leave(&f);
	return ret(c, e, "setup");
}

void kpi_ctl_sim_reg(struct kctl_sim_reg *r, struct kpi_ctl *c)
{
	const struct kern_ctl_reg *k = &c->reg;

	memset(r, 0, sizeof(*r));
	memcpy(r->name, k->ctl_name, sizeof(r->name));
	r->id = k->ctl_id;
	r->unit = k->ctl_unit;
	r->flags = k->ctl_flags;
	r->sendsize = k->ctl_sendsize;
	r->recvsize = k->ctl_recvsize;
	r->cookie = c;
	/* a callback the kext leaves NULL stays NULL: the simulator then answers as xnu */
	r->connect = k->ctl_connect != NULL ? tr_connect : NULL;
	r->disconnect = k->ctl_disconnect != NULL ? tr_disconnect : NULL;
	r->send = k->ctl_send != NULL ? tr_send : NULL;
	r->setopt = k->ctl_setopt != NULL ? tr_setopt : NULL;
	r->getopt = k->ctl_getopt != NULL ? tr_getopt : NULL;
	r->rcvd = k->ctl_rcvd != NULL ? tr_rcvd : NULL;
	r->bind = k->ctl_bind != NULL ? tr_bind : NULL;
	r->setup = k->ctl_setup != NULL ? tr_setup : NULL;
}
