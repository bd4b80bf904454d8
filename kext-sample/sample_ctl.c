/*
 * sample_ctl.c - the two controls (DGRAM and STREAM) and their connect, disconnect and
 * send callbacks. Options are in sample_opt.c.
 */
#include <string.h>

#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <libkern/libkern.h>

#include "sample.h"

static errno_t do_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo,
			  int stream)
{
	struct sample_unit *u;

	lck_mtx_lock(sample_g.lock);
	if (sample_g.closing) {
		lck_mtx_unlock(sample_g.lock);
		return ECONNREFUSED;
	}
	lck_mtx_unlock(sample_g.lock);
	u = sample_unit_new(ref, sac->sc_unit, stream);
	if (u == NULL)
		return ENOMEM;
	lck_mtx_lock(sample_g.lock);
	u->next = sample_g.units;
	if (u->next != NULL)
		u->next->link = &u->next;
	u->link = &sample_g.units;
	sample_g.units = u;
	lck_mtx_unlock(sample_g.lock);
	*unitinfo = u;
	printf("sample: unit %u connected (%s)\n", sac->sc_unit, stream ? "stream" : "dgram");
	return 0;
}

/* Two connect callbacks, so a unit knows its kind without comparing refs (a client can
 * connect before ctl_register has returned the ref to us). */
static errno_t connect_dgram(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
	return do_connect(ref, sac, unitinfo, 0);
}

static errno_t connect_stream(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
	return do_connect(ref, sac, unitinfo, 1);
}

/*
 * Also runs after a failed connect, with unitinfo as connect left it (maybe NULL).
 * Once unlinked, the timer cannot find the unit again; one visiting it now has it
 * pinned, and the unit is freed only after that visit.
 */
static errno_t sample_disconnect(kern_ctl_ref ref, u_int32_t unit, void *unitinfo)
{
	struct sample_unit *u = unitinfo;

	(void)ref;
	if (u == NULL)
		return 0;
	lck_mtx_lock(sample_g.lock);
	if (u->link != NULL) { /* linked by connect: out in O(1), whatever the unit count */
		*u->link = u->next;
		if (u->next != NULL)
			u->next->link = u->link;
		u->link = NULL;
	}
	while (u->pins > 0)
		msleep(&u->pins, sample_g.lock, PZERO, "sample_unpin", NULL);
	lck_mtx_unlock(sample_g.lock);
	printf("sample: unit %u disconnected\n", unit);
	sample_unit_free(u);
	return 0;
}

/* The callback owns m whatever it returns. */
static errno_t sample_send(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m,
			   int flags)
{
	struct sample_unit *u = unitinfo;
	errno_t err;

	(void)ref;
	(void)unit;
	(void)flags;
	lck_mtx_lock(u->lock);
	err = sample_input(u, m);
	lck_mtx_unlock(u->lock);
	mbuf_freem(m);
	return err;
}

static void fill_reg(struct kern_ctl_reg *r, const char *name, u_int32_t flags,
		     ctl_connect_func connect)
{
	memset(r, 0, sizeof(*r));
	strlcpy(r->ctl_name, name, sizeof(r->ctl_name));
	r->ctl_flags = flags;
	r->ctl_sendsize = SAMPLE_MAX_FRAME;
	r->ctl_recvsize = SAMPLE_RECVSIZE; /* what the reply-room rules count on */
	r->ctl_connect = connect;
	r->ctl_disconnect = sample_disconnect;
	r->ctl_send = sample_send;
	r->ctl_setopt = sample_setopt;
	r->ctl_getopt = sample_getopt;
}

static errno_t register_dgram(void)
{
	struct kern_ctl_reg r;

	fill_reg(&r, SAMPLE_CTL_NAME, 0, connect_dgram);
	return ctl_register(&r, &sample_g.dgram_ref);
}

static errno_t register_stream(void)
{
	struct kern_ctl_reg r;

	fill_reg(&r, SAMPLE_CTL_STREAM_NAME, CTL_FLAG_REG_SOCK_STREAM, connect_stream);
	return ctl_register(&r, &sample_g.stream_ref);
}

errno_t sample_ctl_register(void)
{
	errno_t err = register_dgram();

	if (err != 0)
		return err;
	err = register_stream();
	if (err != 0) {
		ctl_deregister(sample_g.dgram_ref);
		sample_g.dgram_ref = NULL;
	}
	return err;
}

/*
 * Both or neither: if the second control is busy, the first is registered again, so a
 * failed stop leaves the kext as it was (its DGRAM control may get a new id; clients
 * find it by name).
 */
errno_t sample_ctl_deregister(void)
{
	errno_t err = ctl_deregister(sample_g.dgram_ref);

	if (err != 0)
		return err;
	sample_g.dgram_ref = NULL;
	err = ctl_deregister(sample_g.stream_ref);
	if (err == 0) {
		sample_g.stream_ref = NULL;
		return 0;
	}
	if (register_dgram() != 0)
		printf("sample: could not register %s again\n", SAMPLE_CTL_NAME);
	return err;
}
