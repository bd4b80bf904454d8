/*
 * sim_option.c - getsockopt()/setsockopt(): SO_NOSIGPIPE at SOL_SOCKET, and level
 * SYSPROTO_CONTROL handed to the control's getopt/setopt callbacks. A dead socket
 * (failed connect) refuses every setsockopt with EINVAL, as sosetoptlock does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* ---- SOL_SOCKET: only what libkctl uses (lock held) ---- */

static int sol_socket_set(struct sim_sock *s, int opt, const void *val, uint32_t len)
{
	int v;

	if (opt != KCTL_ABI_SO_NOSIGPIPE)
		return -ENOPROTOOPT;
	if (len < sizeof(int))
		return -EINVAL;
	if (val == NULL)
		return -EFAULT;
	memcpy(&v, val, sizeof(v));
	s->nosigpipe = v != 0;
	return 0;
}

static int sol_socket_get(const struct sim_sock *s, int opt, void *val, uint32_t *len)
{
	int v = s->nosigpipe ? 1 : 0;

	if (opt != KCTL_ABI_SO_NOSIGPIPE)
		return -ENOPROTOOPT;
	if (*len > sizeof(v))
		*len = sizeof(v);
	if (val != NULL)
		memcpy(val, &v, *len);
	return 0;
}

/* ---- SYSPROTO_CONTROL ---- */

/* What a control option call needs, captured under the lock. */
struct opt_call {
	struct kctl_sim_ctl *ctl;
	uint32_t unit;
	void *unitinfo;
};

/* Not bound or connected (or dead): EINVAL; no callback: ENOTSUP (lock held, fenced). */
static int opt_ready(const struct sim_sock *s, bool set, struct opt_call *oc)
{
	if (s->closed)
		return -EBADF;
	if (s->ctl == NULL)
		return -EINVAL;
	if (set ? s->ctl->reg.setopt == NULL : s->ctl->reg.getopt == NULL)
		return -ENOTSUP;
	oc->ctl = s->ctl;
	oc->unit = s->sac.sc_unit;
	oc->unitinfo = s->unitinfo;
	return 0;
}

/* The data is copied in first, so the kext never sees the caller's memory. */
static int call_setopt(const struct opt_call *oc, int opt, const void *val, uint32_t len)
{
	void *data = NULL;
	int err;

	if (len > 0) {
		data = malloc(len);
		if (data == NULL)
			return -ENOMEM;
		memcpy(data, val, len);
	}
	err = sim_cb_err(oc->ctl->reg.setopt(oc->ctl, oc->unit, oc->unitinfo, opt, data, len));
	free(data);
	return err;
}

/*
 * A kernel buffer of the caller's length, pre-filled with the caller's bytes; the
 * caller gets min(the kext's length, its own). No buffer: a size query.
 */
static int call_getopt(const struct opt_call *oc, int opt, void *val, uint32_t *len)
{
	size_t cap = val != NULL ? *len : 0, klen = cap;
	void *data = NULL;
	int err;

	if (cap > 0) {
		data = malloc(cap);
		if (data == NULL)
			return -ENOMEM;
		memcpy(data, val, cap);
	}
	err = sim_cb_err(oc->ctl->reg.getopt(oc->ctl, oc->unit, oc->unitinfo, opt, data, &klen));
	if (err == 0 && data != NULL) {
		*len = (uint32_t)(klen < cap ? klen : cap);
		memcpy(val, data, *len);
	} else if (err == 0) {
		*len = klen > UINT32_MAX ? UINT32_MAX : (uint32_t)klen;
	}
	free(data);
	return err;
}

/* Level 2 (lock held, dropped around the callback). */
static int control_opt(struct sim_sock *s, bool set, int opt, void *val, const void *cval,
		       uint32_t *len)
{
	struct opt_call oc;
	int err;

	sim_sock_use_begin(s);
	err = opt_ready(s, set, &oc);
	if (err == 0) {
		sim_unlock(s->sim);
		err = set ? call_setopt(&oc, opt, cval, *len) : call_getopt(&oc, opt, val, len);
		sim_lock(s->sim);
	}
	sim_sock_use_end(s);
	return err;
}

/* The frame of both calls: count, fault, argument checks, level dispatch. */
static int sockopt(kctl_sim_t *sim, bool set, int fd, int level, int opt, void *val,
		   const void *cval, uint32_t *len)
{
	struct sim_sock *s;
	int err;

	err = sim_enter(sim, set ? KCTL_SIM_CALL_SETSOCKOPT : KCTL_SIM_CALL_GETSOCKOPT);
	if (err == 0 && set && cval == NULL && *len > 0)
		err = -EFAULT;
	if (err != 0)
		return err;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		/*
		 * EINVAL: a socket shut down both ways takes no option at any level
		 * (sosetoptlock), and a level other than these two is the control's EINVAL.
		 */
		bool dead = set && s->state == SIM_SOCK_DEAD;

		if (dead || (level != KCTL_ABI_SOL_SOCKET && level != KCTL_ABI_SYSPROTO_CONTROL))
			err = -EINVAL;
		else if (level == KCTL_ABI_SOL_SOCKET)
			err = set ? sol_socket_set(s, opt, cval, *len) : sol_socket_get(s, opt, val, len);
		else
			err = control_opt(s, set, opt, val, cval, len);
		sim_sock_put(s);
	}
	sim_unlock(sim);
	return err;
}

int kctl_sim_getsockopt(kctl_sim_t *sim, int fd, int level, int opt, void *val,
			uint32_t *len)
{
	if (sim == NULL)
		return -EINVAL;
	if (len == NULL) {
		(void)sim_enter(sim, KCTL_SIM_CALL_GETSOCKOPT);
		return -EFAULT;
	}
	return sockopt(sim, false, fd, level, opt, val, NULL, len);
}

int kctl_sim_setsockopt(kctl_sim_t *sim, int fd, int level, int opt, const void *val,
			uint32_t len)
{
	if (sim == NULL)
		return -EINVAL;
	return sockopt(sim, true, fd, level, opt, NULL, val, &len);
}
