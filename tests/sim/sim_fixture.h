/*
 * sim_fixture.h - a small test control and helpers shared by the simulator's suites
 * (header-only). The control records every callback it gets; what it answers is set
 * in its struct before the client acts.
 */
#ifndef KCTL_SIM_FIXTURE_H
#define KCTL_SIM_FIXTURE_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "kctl_sim.h"

#define FX_NAME "com.example.kctl.simtest"
#define FX_MAX_SENDS 64

/* The test control: its answers, and a record of what it saw. */
struct fx {
	kctl_sim_t *sim;
	kctl_sim_ctl_t *ctl;
	struct kctl_sim_reg reg;

	/* answers */
	int connect_err;   /* returned by connect */
	int send_err;      /* returned by send */
	int send_err_at;   /* 0: send_err from every send; n: only from the n-th (from 1) */
	int setopt_err, getopt_err, bind_err, setup_err;
	uint32_t setup_unit; /* setup's choice when non-zero */
	size_t getopt_len;   /* what getopt reports */
	unsigned char getopt_fill; /* getopt writes this byte over the buffer */
	const char *connect_enqueue; /* connect enqueues this string (EOR) */

	/* record */
	atomic_int connects, disconnects, sends, rcvds, binds, setups, setopts, getopts;
	uint32_t last_unit;             /* unit of the last connect */
	uint32_t last_disconnect_unit;
	size_t send_lens[FX_MAX_SENDS]; /* packet length of each send callback */
	size_t send_segs[FX_MAX_SENDS]; /* segments in each packet */
	unsigned char sent[16384];      /* every byte sent, in order */
	size_t sent_len;
	int last_send_flags;
	int last_opt;
	size_t last_opt_len;
	bool last_opt_null;
	unsigned char opt_seen[64];     /* the bytes the opt callback found in its buffer */
	int last_rcvd_flags;
	pthread_mutex_t lock;           /* guards the record fields that are not atomic */
};

static inline struct fx *fx_of(kctl_sim_ctl_t *ctl)
{
	return kctl_sim_ctl_cookie(ctl);
}

static inline int fx_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			     void **unitinfo)
{
	struct fx *f = fx_of(ctl);

	atomic_fetch_add(&f->connects, 1);
	pthread_mutex_lock(&f->lock);
	f->last_unit = sac->sc_unit;
	pthread_mutex_unlock(&f->lock);
	*unitinfo = f;
	if (f->connect_enqueue != NULL)
		(void)kctl_sim_enqueue(ctl, sac->sc_unit, f->connect_enqueue,
				       strlen(f->connect_enqueue), KCTL_ABI_CTL_DATA_EOR);
	return f->connect_err;
}

static inline int fx_disconnect(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo)
{
	struct fx *f = fx_of(ctl);

	(void)unitinfo;
	pthread_mutex_lock(&f->lock);
	f->last_disconnect_unit = unit;
	pthread_mutex_unlock(&f->lock);
	atomic_fetch_add(&f->disconnects, 1);
	return 0;
}

static inline int fx_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo,
			  kctl_sim_mbuf_t *m, int flags)
{
	struct fx *f = fx_of(ctl);
	int n = atomic_fetch_add(&f->sends, 1);
	size_t len = kctl_sim_mbuf_pkthdr_len(m), segs = 0;

	(void)unit;
	(void)unitinfo;
	for (kctl_sim_mbuf_t *s = m; s != NULL; s = kctl_sim_mbuf_next(s))
		segs++;
	pthread_mutex_lock(&f->lock);
	if (n < FX_MAX_SENDS) {
		f->send_lens[n] = len;
		f->send_segs[n] = segs;
	}
	if (f->sent_len + len <= sizeof(f->sent) &&
	    kctl_sim_mbuf_copydata(m, 0, len, f->sent + f->sent_len) == 0)
		f->sent_len += len;
	f->last_send_flags = flags;
	pthread_mutex_unlock(&f->lock);
	kctl_sim_mbuf_free(m);
	return f->send_err_at == 0 || f->send_err_at == n + 1 ? f->send_err : 0;
}

static inline void fx_note_opt(struct fx *f, int opt, const void *data, size_t len)
{
	pthread_mutex_lock(&f->lock);
	f->last_opt = opt;
	f->last_opt_len = len;
	f->last_opt_null = data == NULL;
	if (data != NULL)
		memcpy(f->opt_seen, data, len < sizeof(f->opt_seen) ? len : sizeof(f->opt_seen));
	pthread_mutex_unlock(&f->lock);
}

static inline int fx_setopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt,
			    void *data, size_t len)
{
	struct fx *f = fx_of(ctl);

	(void)unit;
	(void)unitinfo;
	atomic_fetch_add(&f->setopts, 1);
	fx_note_opt(f, opt, data, len);
	return f->setopt_err;
}

static inline int fx_getopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt,
			    void *data, size_t *len)
{
	struct fx *f = fx_of(ctl);

	(void)unit;
	(void)unitinfo;
	atomic_fetch_add(&f->getopts, 1);
	fx_note_opt(f, opt, data, *len);
	if (f->getopt_err != 0)
		return f->getopt_err;
	if (data != NULL && f->getopt_fill != 0)
		memset(data, f->getopt_fill, *len < f->getopt_len ? *len : f->getopt_len);
	*len = f->getopt_len;
	return 0;
}

static inline void fx_rcvd(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int flags)
{
	struct fx *f = fx_of(ctl);

	(void)unit;
	(void)unitinfo;
	pthread_mutex_lock(&f->lock);
	f->last_rcvd_flags = flags;
	pthread_mutex_unlock(&f->lock);
	atomic_fetch_add(&f->rcvds, 1);
}

static inline int fx_bind(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			  void **unitinfo)
{
	struct fx *f = fx_of(ctl);

	pthread_mutex_lock(&f->lock);
	f->last_unit = sac->sc_unit;
	pthread_mutex_unlock(&f->lock);
	atomic_fetch_add(&f->binds, 1);
	*unitinfo = f;
	return f->bind_err;
}

static inline int fx_setup(kctl_sim_ctl_t *ctl, uint32_t *unit, void **unitinfo)
{
	struct fx *f = fx_of(ctl);

	(void)unitinfo;
	atomic_fetch_add(&f->setups, 1);
	if (f->setup_err != 0)
		return f->setup_err;
	if (f->setup_unit != 0)
		*unit = f->setup_unit;
	return 0;
}

/* Copies a name into a 96-byte field, cut at 95 bytes, NUL-terminated. */
static inline void fx_copy_name(char *dst, const char *name)
{
	size_t n = strnlen(name, KCTL_ABI_MAX_NAME - 1);

	memcpy(dst, name, n);
	dst[n] = '\0';
}

/* A registration with every callback except bind and setup. */
static inline void fx_reg_init(struct fx *f, const char *name, uint32_t flags)
{
	memset(&f->reg, 0, sizeof(f->reg));
	fx_copy_name(f->reg.name, name);
	f->reg.flags = flags;
	f->reg.cookie = f;
	f->reg.connect = fx_connect;
	f->reg.disconnect = fx_disconnect;
	f->reg.send = fx_send;
	f->reg.setopt = fx_setopt;
	f->reg.getopt = fx_getopt;
	f->reg.rcvd = fx_rcvd;
}

/* A kernel with no control; returns NULL on failure (tests assert it). */
static inline struct fx *fx_alloc(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	pthread_mutex_init(&f->lock, NULL);
	if (kctl_sim_new(&f->sim) != 0) {
		free(f);
		return NULL;
	}
	return f;
}

/* Registers f->reg (after fx_reg_init and any tweaks). */
static inline int fx_register(struct fx *f)
{
	return kctl_sim_register(f->sim, &f->reg, &f->ctl);
}

/* A kernel with the test control registered with `flags`. */
static inline struct fx *fx_new(uint32_t flags)
{
	struct fx *f = fx_alloc();

	if (f == NULL)
		return NULL;
	fx_reg_init(f, FX_NAME, flags);
	if (fx_register(f) != 0) {
		kctl_sim_free(f->sim);
		free(f);
		return NULL;
	}
	return f;
}

static inline void fx_free(struct fx *f)
{
	if (f == NULL)
		return;
	kctl_sim_free(f->sim);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static inline struct kctl_abi_sockaddr_ctl fx_addr(uint32_t id, uint32_t unit)
{
	struct kctl_abi_sockaddr_ctl sa;

	memset(&sa, 0, sizeof(sa));
	sa.sc_len = sizeof(sa);
	sa.sc_family = KCTL_ABI_AF_SYSTEM;
	sa.ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL;
	sa.sc_id = id;
	sa.sc_unit = unit;
	return sa;
}

/* socket() of the given type; the fd or a negative errno. */
static inline int fx_socket(struct fx *f, int type)
{
	int fd = -1, err = kctl_sim_socket(f->sim, KCTL_ABI_AF_SYSTEM, type,
					   KCTL_ABI_SYSPROTO_CONTROL, &fd);

	return err != 0 ? err : fd;
}

static inline int fx_connect_fd(struct fx *f, int fd, uint32_t unit)
{
	struct kctl_abi_sockaddr_ctl sa = fx_addr(f->reg.id, unit);

	return kctl_sim_connect(f->sim, fd, &sa, sizeof(sa));
}

/* A socket of `type` connected to the test control on `unit`; fd or negative errno. */
static inline int fx_open(struct fx *f, int type, uint32_t unit)
{
	int fd = fx_socket(f, type), err;

	if (fd < 0)
		return fd;
	err = fx_connect_fd(f, fd, unit);
	if (err != 0) {
		kctl_sim_close(f->sim, fd);
		return err;
	}
	return fd;
}

/* The unit the kernel gave fd (getpeername), or 0. */
static inline uint32_t fx_unit(struct fx *f, int fd)
{
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t len = sizeof(sa);

	memset(&sa, 0, sizeof(sa));
	if (kctl_sim_getpeername(f->sim, fd, &sa, &len) != 0)
		return 0;
	return sa.sc_unit;
}

static inline int fx_send_buf(struct fx *f, int fd, const void *buf, size_t len, int flags,
			      size_t *sent)
{
	struct iovec iov = { (void *)(uintptr_t)buf, len };
	size_t dummy;

	return kctl_sim_sendmsg(f->sim, fd, &iov, 1, flags, sent != NULL ? sent : &dummy);
}

static inline int fx_recv_buf(struct fx *f, int fd, void *buf, size_t cap, int flags,
			      size_t *got, int *rflags)
{
	struct iovec iov = { buf, cap };
	int dummy;

	return kctl_sim_recvmsg(f->sim, fd, &iov, 1, flags, got,
				rflags != NULL ? rflags : &dummy);
}

static inline int fx_nonblock(struct fx *f, int fd)
{
	int on = 1;

	return kctl_sim_ioctl(f->sim, fd, KCTL_ABI_FIONBIO, &on);
}

static inline int fx_nosigpipe(struct fx *f, int fd)
{
	int on = 1;

	return kctl_sim_setsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET, KCTL_ABI_SO_NOSIGPIPE, &on,
				   sizeof(on));
}

/* cmocka setup/teardown: *state is a struct fx with a DGRAM control registered. */
static inline int fx_setup_dgram(void **state)
{
	*state = fx_new(0);
	return *state != NULL ? 0 : -1;
}

static inline int fx_setup_stream(void **state)
{
	*state = fx_new(KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);
	return *state != NULL ? 0 : -1;
}

static inline int fx_teardown(void **state)
{
	fx_free(*state);
	return 0;
}

#endif
