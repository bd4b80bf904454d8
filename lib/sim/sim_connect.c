/*
 * sim_connect.c - bind(), connect() and getpeername(): finding the control, the
 * EPROTOTYPE/EPERM checks, unit allocation, and the bind/setup/connect callbacks.
 */
#include <errno.h>
#include <string.h>

#include "sim.h"

/* What the syscall layer checks before the protocol sees the address. */
static int check_addr(const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen)
{
	if (salen > 255)
		return -ENAMETOOLONG;
	if (salen < 2)
		return -EINVAL;
	if (sa == NULL)
		return -EFAULT;
	return 0;
}

/*
 * The kernel's choice of unit (lock held): an explicit unit (or REG_ID_UNIT's) must be
 * free; otherwise the lowest free unit from 1, filling gaps, below 65536.
 */
static int pick_unit(struct kctl_sim_ctl *c, uint32_t *unit)
{
	if ((c->reg.flags & KCTL_ABI_CTL_FLAG_REG_ID_UNIT) || *unit != 0)
		return sim_ctl_find_unit(c, *unit) != NULL ? -EBUSY : 0;
	return sim_units_lowest_free(&c->units, unit);
}

/*
 * The control's setup callback chooses the unit (lock held, dropped around the call).
 * `pending` keeps the control registered meanwhile: this socket counts as attached.
 */
static int run_setup(struct sim_sock *s, struct kctl_sim_ctl *c, uint32_t *unit)
{
	void *ui = s->unitinfo;
	int err;

	c->pending++;
	sim_unlock(s->sim);
	err = sim_cb_err(c->reg.setup(c, unit, &ui));
	sim_lock(s->sim);
	c->pending--;
	if (err == 0)
		s->unitinfo = ui;
	return err;
}

/*
 * Steps 1-6 shared by bind and connect (lock held, s fenced). A socket already
 * attached keeps its unit and its address is not even looked at, as on a Mac.
 */
static int attach(struct sim_sock *s, const struct kctl_abi_sockaddr_ctl *sa,
		  uint32_t salen)
{
	struct kctl_abi_sockaddr_ctl a;
	struct kctl_sim_ctl *c;
	int err;

	if (s->ctl != NULL)
		return 0;
	if (salen != KCTL_ABI_SOCKADDR_CTL_LEN)
		return -EINVAL;
	memcpy(&a, sa, sizeof(a));
	a.sc_len = KCTL_ABI_SOCKADDR_CTL_LEN; /* the kernel trusts the length passed */
	c = sim_ctl_by_id_unit(s->sim, a.sc_id, a.sc_unit);
	if (c == NULL)
		return -ENOENT;
	if (sim_ctl_is_stream(c) != (s->type == KCTL_ABI_SOCK_STREAM))
		return -EPROTOTYPE;
	if ((c->reg.flags & KCTL_ABI_CTL_FLAG_PRIVILEGED) && s->sim->euid != 0)
		return -EPERM;
	err = c->reg.setup != NULL ? run_setup(s, c, &a.sc_unit) : pick_unit(c, &a.sc_unit);
	if (err != 0)
		return err;
	s->sac = a;
	s->sendsize = c->reg.sendsize;
	s->recvsize = c->reg.recvsize;
	return sim_ctl_attach(c, s);
}

/* A failed connect: disconnect callback (result ignored), detach, dead socket. */
static void connect_failed(struct sim_sock *s, struct kctl_sim_ctl *c, void *ui)
{
	uint32_t unit = s->sac.sc_unit;

	if (c->reg.disconnect != NULL) {
		sim_unlock(s->sim);
		(void)c->reg.disconnect(c, unit, ui);
		sim_lock(s->sim);
	}
	sim_ctl_detach(s);
	sim_sock_kill(s);
}

/* Step 7 (lock held, dropped around the callback). */
static int run_connect(struct sim_sock *s)
{
	struct kctl_sim_ctl *c = s->ctl;
	struct kctl_abi_sockaddr_ctl a = s->sac;
	void *ui = s->unitinfo;
	int err;

	s->state = SIM_SOCK_CONNECTING;
	sim_unlock(s->sim);
	err = sim_cb_err(c->reg.connect(c, &a, &ui));
	sim_lock(s->sim);
	s->unitinfo = ui;
	if (err == 0) {
		s->state = SIM_SOCK_CONNECTED;
		return 0;
	}
	connect_failed(s, c, ui);
	return err;
}

static int connect_locked(struct sim_sock *s, const struct kctl_abi_sockaddr_ctl *sa,
			  uint32_t salen)
{
	int err;

	if (s->state == SIM_SOCK_CONNECTED || s->state == SIM_SOCK_CONNECTING)
		return -EISCONN;
	/* A Mac would attach a dead socket again, yet it could never send or receive. */
	if (s->state == SIM_SOCK_DEAD)
		return -EINVAL;
	err = attach(s, sa, salen);
	if (err != 0)
		return err;
	return run_connect(s);
}

/* Bind stays attached even when the bind callback is missing or fails, as on a Mac. */
static int bind_locked(struct sim_sock *s, const struct kctl_abi_sockaddr_ctl *sa,
		       uint32_t salen)
{
	struct kctl_sim_ctl *c;
	struct kctl_abi_sockaddr_ctl a;
	void *ui;
	int err;

	if (s->state == SIM_SOCK_DEAD)
		return -EINVAL;
	err = attach(s, sa, salen);
	if (err != 0)
		return err;
	if (s->state == SIM_SOCK_IDLE)
		s->state = SIM_SOCK_BOUND;
	c = s->ctl;
	if (c->reg.bind == NULL)
		return -EINVAL;
	a = s->sac;
	ui = s->unitinfo;
	sim_unlock(s->sim);
	err = sim_cb_err(c->reg.bind(c, &a, &ui));
	sim_lock(s->sim);
	s->unitinfo = ui;
	return err;
}

typedef int (*addr_call)(struct sim_sock *, const struct kctl_abi_sockaddr_ctl *, uint32_t);

/* The frame of bind and connect: count, fault, address, fence, call. */
static int addr_syscall(kctl_sim_t *sim, int kind, int fd,
			const struct kctl_abi_sockaddr_ctl *sa, uint32_t salen, addr_call fn)
{
	struct sim_sock *s;
	int err;

	if (sim == NULL)
		return -EINVAL;
	err = sim_enter(sim, kind);
	if (err == 0)
		err = check_addr(sa, salen);
	if (err != 0)
		return err;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		sim_sock_clear_begin(s);
		err = s->closed ? -EBADF : fn(s, sa, salen);
		sim_sock_clear_end(s);
		sim_sock_put(s);
	}
	sim_unlock(sim);
	return err;
}

int kctl_sim_bind(kctl_sim_t *sim, int fd, const struct kctl_abi_sockaddr_ctl *sa,
		  uint32_t salen)
{
	return addr_syscall(sim, KCTL_SIM_CALL_BIND, fd, sa, salen, bind_locked);
}

int kctl_sim_connect(kctl_sim_t *sim, int fd, const struct kctl_abi_sockaddr_ctl *sa,
		     uint32_t salen)
{
	return addr_syscall(sim, KCTL_SIM_CALL_CONNECT, fd, sa, salen, connect_locked);
}

/*
 * The peer of a connected socket (lock held). A dead socket is shut down both ways
 * (soisdisconnected), which getpeername checks before "not connected": EINVAL.
 */
static int peer_addr(const struct sim_sock *s, struct kctl_abi_sockaddr_ctl *a)
{
	if (s->state == SIM_SOCK_DEAD)
		return -EINVAL;
	if (s->state != SIM_SOCK_CONNECTED)
		return -ENOTCONN;
	memset(a, 0, sizeof(*a));
	a->sc_len = KCTL_ABI_SOCKADDR_CTL_LEN;
	a->sc_family = KCTL_ABI_AF_SYSTEM;
	a->ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL;
	a->sc_id = s->ctl->id;
	a->sc_unit = s->sac.sc_unit;
	return 0;
}

/*
 * Copies min(*salen, 32) bytes, then sets *salen to 32, the untruncated length, as
 * Darwin's getpeername does (a caller can tell it was cut short).
 */
int kctl_sim_getpeername(kctl_sim_t *sim, int fd, struct kctl_abi_sockaddr_ctl *sa,
			 uint32_t *salen)
{
	struct kctl_abi_sockaddr_ctl a;
	struct sim_sock *s;
	int err;

	if (sim == NULL)
		return -EINVAL;
	err = sim_enter(sim, KCTL_SIM_CALL_GETPEERNAME);
	if (err == 0 && (sa == NULL || salen == NULL))
		err = -EFAULT;
	if (err != 0)
		return err;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		err = peer_addr(s, &a);
		sim_sock_put(s);
	}
	sim_unlock(sim);
	if (err != 0)
		return err;
	memcpy(sa, &a, *salen < sizeof(a) ? *salen : sizeof(a));
	*salen = (uint32_t)sizeof(a);
	return 0;
}
