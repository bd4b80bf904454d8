/*
 * sim_sysctl.c - sysctlbyname() on the simulated kernel: net.systm.kctl.reg_list, the
 * registration list that netstat and kctl_list() read.
 *
 * The bytes are those of xnu-11417's kctl_reg_list handler (bsd/kern/kern_control.c):
 * an xsystmgen, one xkctl_reg per registered control in the registry's order (by id),
 * each padded to a multiple of 8 (ROUNDUP64), then a second xsystmgen; nothing after the
 * first one when no control is registered. The copy-out follows the sysctl layer
 * (bsd/kern/kern_newsysctl.c): a piece that does not fit is not copied at all and the
 * call fails with ENOMEM, the length then being the bytes copied; a size query answers
 * (n + n/8) * sizeof(struct xkctl_reg), which for fewer than 8 controls is less than the
 * answer needs (the two xsystmgen are not counted), exactly as on a Mac.
 *
 * Where the simulator cannot be byte-exact, and what it does instead:
 * - callback addresses (xkr_connect ...) are placeholders that look like unslid kernel
 *   text: non-zero exactly when the simulator will call that callback, 0 otherwise;
 * - xg_sogen counts the socket() calls made on this kernel; a Mac counts every socket it
 *   ever allocated, of any family;
 * - every other name answers ENOENT (a Mac has thousands of sysctls).
 * The generation (xg_gen) moves where kern_control's kcs_gencnt does: a registration, a
 * deregistration, a socket attaching to a control (bind or connect) and one detaching.
 */
#include <errno.h>
#include <string.h>

#include "sim.h"

#define ROUNDUP64(x) (((x) + 7u) & ~(size_t)7u)

/* Where kctlref values live in xnu: a table index plus one, salted with a generation. */
#define KCTLREF_INDEX_MASK  0x0000FFFFu
#define KCTLREF_GENCNT_MASK 0xFFFF0000u
#define KCTLREF_GENCNT_SHIFT 16

/* Placeholder "kernel text" for callback addresses (see the header comment). */
#define SIM_KTEXT_BASE 0xFFFFFF8000200000ull

_Static_assert(sizeof(struct kctl_abi_xsystmgen) == KCTL_ABI_XSYSTMGEN_LEN, "xsystmgen");
_Static_assert(sizeof(struct kctl_abi_xkctl_reg) == KCTL_ABI_XKCTL_REG_LEN, "xkctl_reg");

/* Lock held: is index i (0-based) of the reference table used by a registered control? */
static bool kctlref_index_used(const kctl_sim_t *sim, uint64_t i)
{
	for (const struct kctl_sim_ctl *c = sim->ctls; c != NULL; c = c->next)
		if ((c->kctlref & KCTLREF_INDEX_MASK) == i + 1)
			return true;
	return false;
}

/* The lowest free table slot, salted with the next reference generation (lock held). */
uint64_t sim_kctlref_new(kctl_sim_t *sim)
{
	uint64_t i = 0;

	while (i < KCTLREF_INDEX_MASK - 1 && kctlref_index_used(sim, i))
		i++;
	sim->kctlref_gen++;
	return ((sim->kctlref_gen << KCTLREF_GENCNT_SHIFT) & KCTLREF_GENCNT_MASK) +
	       ((i + 1) & KCTLREF_INDEX_MASK);
}

/* The copy-out of one request, as the sysctl layer's sysctl_old_user does it. */
struct sysctl_out {
	unsigned char *old; /* NULL: a size query */
	size_t oldlen;      /* room in old */
	size_t idx;         /* bytes produced */
};

/* Appends len bytes; a piece that does not fit is not copied at all: -ENOMEM. */
static int out_put(struct sysctl_out *o, const void *p, size_t len)
{
	if (o->old != NULL) {
		if (o->oldlen - o->idx < len)
			return -ENOMEM;
		memcpy(o->old + o->idx, p, len);
	}
	o->idx += len;
	return 0;
}

static void fill_gen(const kctl_sim_t *sim, uint64_t n, struct kctl_abi_xsystmgen *g)
{
	memset(g, 0, sizeof(*g));
	g->xg_len = (uint32_t)sizeof(*g);
	g->xg_count = n;
	g->xg_gen = sim->kctl_gen;
	g->xg_sogen = kctl_sim_call_count(sim, KCTL_SIM_CALL_SOCKET);
}

static uint64_t fake_addr(const struct kctl_sim_ctl *c, bool set, unsigned slot)
{
	return set ? SIM_KTEXT_BASE + ((uint64_t)c->id << 12) + (uint64_t)slot * 0x40u : 0;
}

static uint32_t pcbcount(const struct kctl_sim_ctl *c)
{
	return (uint32_t)c->units.count;
}

/* One record (lock held); buf is ROUNDUP64(sizeof) bytes, zeroed padding included. */
static void fill_reg(const struct kctl_sim_ctl *c, unsigned char *buf, size_t item)
{
	struct kctl_abi_xkctl_reg r;

	memset(&r, 0, sizeof(r));
	r.xkr_len = (uint32_t)sizeof(r);
	r.xkr_kind = KCTL_ABI_XSO_KCREG;
	r.xkr_id = c->id;
	r.xkr_reg_unit = (c->reg.flags & KCTL_ABI_CTL_FLAG_REG_ID_UNIT) ? c->reg.unit : UINT32_MAX;
	r.xkr_flags = c->reg.flags;
	r.xkr_kctlref = c->kctlref;
	r.xkr_recvbufsize = c->reg.recvsize;
	r.xkr_sendbufsize = c->reg.sendsize;
	r.xkr_pcbcount = pcbcount(c);
	r.xkr_connect = fake_addr(c, c->reg.connect != NULL, 0);
	r.xkr_disconnect = fake_addr(c, c->reg.disconnect != NULL, 1);
	r.xkr_send = fake_addr(c, c->reg.send != NULL, 2);
	r.xkr_send_list = 0; /* the simulator has no send_list callback */
	r.xkr_setopt = fake_addr(c, c->reg.setopt != NULL, 4);
	r.xkr_getopt = fake_addr(c, c->reg.getopt != NULL, 5);
	r.xkr_rcvd = fake_addr(c, c->reg.rcvd != NULL, 6);
	/* the name up to its NUL, the rest zero (xnu's strbufcpy into a zeroed record) */
	memcpy(r.xkr_name, c->reg.name, strnlen(c->reg.name, sizeof(r.xkr_name) - 1));
	memset(buf, 0, item);
	memcpy(buf, &r, sizeof(r));
}

/* The handler (lock held). Like xnu's loop, a record that does not fit does not stop it. */
static int reg_list(const kctl_sim_t *sim, struct sysctl_out *o)
{
	const size_t item = ROUNDUP64(sizeof(struct kctl_abi_xkctl_reg));
	unsigned char buf[ROUNDUP64(sizeof(struct kctl_abi_xkctl_reg))];
	struct kctl_abi_xsystmgen g;
	uint64_t n = sim_ctl_count(sim);
	int err;

	if (o->old == NULL) {
		o->idx = (size_t)(n + n / 8) * sizeof(struct kctl_abi_xkctl_reg);
		return 0;
	}
	fill_gen(sim, n, &g);
	err = out_put(o, &g, sizeof(g));
	if (err != 0 || n == 0)
		return err;
	for (const struct kctl_sim_ctl *c = sim->ctls; c != NULL; c = c->next) {
		fill_reg(c, buf, item);
		err = out_put(o, buf, item);
	}
	if (err == 0) {
		fill_gen(sim, n, &g);
		err = out_put(o, &g, sizeof(g));
	}
	return err;
}

int kctl_sim_sysctl(kctl_sim_t *sim, const char *name, void *old, size_t *oldlen,
		    const void *newp, size_t newlen)
{
	struct sysctl_out o = { old, oldlen != NULL ? *oldlen : 0, 0 };
	int err;

	if (sim == NULL)
		return -EINVAL;
	err = sim_enter(sim, KCTL_SIM_CALL_SYSCTL);
	if (err != 0)
		return err;
	if (name == NULL)
		return -EFAULT;
	if (strcmp(name, KCTL_ABI_SYSCTL_REG_LIST) != 0)
		return -ENOENT;
	if (newp != NULL && newlen > 0)
		return -EPERM; /* the node is read-only (CTLFLAG_RD): refused before the handler */
	sim_lock(sim);
	err = reg_list(sim, &o);
	sim_unlock(sim);
	if (err != 0 && err != -ENOMEM)
		return err;
	if (oldlen != NULL)
		*oldlen = o.idx;
	return err;
}
