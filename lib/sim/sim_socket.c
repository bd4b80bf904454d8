/*
 * sim_socket.c - client sockets: the fd table, socket() and close(), reference counts,
 * the per-socket fencing of callbacks, and the signal byte that makes poll() exact.
 *
 * Each socket is a socketpair: the client holds one end (its fd), the simulator the
 * other. Exactly one byte sits in the client's end while the socket should poll
 * readable (data queued and announced, or the connection dead), none otherwise; the
 * simulator writes it from its end and takes it back by reading the client's end, so
 * a recv never returns it and the client's end always polls writable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: the simulator's end has SO_NOSIGPIPE instead */
#endif

/* ---- the fd table (lock held) ---- */

int sim_table_reserve(kctl_sim_t *sim, int fd)
{
	size_t need = (size_t)fd + 1, n = sim->nsocks ? sim->nsocks : 16;
	struct sim_sock **t;

	if (need <= sim->nsocks)
		return 0;
	while (n < need)
		n *= 2;
	t = realloc(sim->socks, n * sizeof(*t)); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
	if (t == NULL)
		return -ENOMEM;
	for (size_t i = sim->nsocks; i < n; i++)
		t[i] = NULL;
	sim->socks = t;
	sim->nsocks = n;
	return 0;
}

static int table_put(kctl_sim_t *sim, struct sim_sock *s)
{
	int err = sim_table_reserve(sim, s->fd);

	if (err != 0)
		return err;
	sim->socks[s->fd] = s;
	s->refs++;
	return 0;
}

int sim_sock_get(kctl_sim_t *sim, int fd, struct sim_sock **out)
{
	struct sim_sock *s;

	if (fd < 0 || (size_t)fd >= sim->nsocks || sim->socks[fd] == NULL)
		return -EBADF;
	s = sim->socks[fd];
	s->refs++;
	*out = s;
	return 0;
}

static void sock_free(struct sim_sock *s)
{
	pthread_cond_destroy(&s->cond);
	free(s);
}

void sim_sock_put(struct sim_sock *s)
{
	if (--s->refs > 0)
		return;
	sim_queue_clear(&s->rq);
	sock_free(s);
}

/* ---- fencing callbacks (lock held; see sim.h) ---- */

void sim_sock_use_begin(struct sim_sock *s)
{
	while (s->clearing > 0)
		pthread_cond_wait(&s->cond, &s->sim->lock);
	s->users++;
}

void sim_sock_use_end(struct sim_sock *s)
{
	s->users--;
	if (s->clearing > 0)
		pthread_cond_broadcast(&s->cond);
}

void sim_sock_clear_begin(struct sim_sock *s)
{
	sim_sock_use_begin(s);
	s->clearing++;
	s->users--;
	while (s->users > 0)
		pthread_cond_wait(&s->cond, &s->sim->lock);
	s->users++;
}

void sim_sock_clear_end(struct sim_sock *s)
{
	s->clearing--;
	s->users--;
	pthread_cond_broadcast(&s->cond);
}

/* ---- readiness (lock held) ---- */

void sim_sock_signal(struct sim_sock *s, bool on)
{
	unsigned char b = 0;

	if (s->closed || s->signalled == on)
		return;
	if (on)
		(void)send(s->kfd, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	else
		(void)recv(s->fd, &b, 1, MSG_DONTWAIT);
	s->signalled = on;
}

void sim_sock_wake(struct sim_sock *s)
{
	pthread_cond_broadcast(&s->cond);
}

/* The connection is gone for good: recv sees end of file, send EPIPE. */
void sim_sock_kill(struct sim_sock *s)
{
	s->state = SIM_SOCK_DEAD;
	sim_sock_signal(s, true);
	sim_sock_wake(s);
}

bool sim_sock_attached(const struct sim_sock *s)
{
	return s->ctl != NULL;
}

/* ---- socket() ---- */

#define SIM_SOCK_RAW 3 /* SYSPROTO_EVENT's type, the same on Linux and Darwin */

/*
 * socreate's lookup in PF_SYSTEM, whose protocols are SYSPROTO_EVENT (SOCK_RAW) and
 * SYSPROTO_CONTROL (SOCK_DGRAM, SOCK_STREAM). Protocol 0 takes the first protocol of
 * the type (pffindtype), so DGRAM or STREAM with 0 is a control socket. A protocol the
 * domain has with another type is EPROTOTYPE; anything else EPROTONOSUPPORT. Event
 * sockets (SOCK_RAW, protocol 0 or 1) exist on a Mac but are not modelled here: they
 * answer EPROTONOSUPPORT.
 */
static int check_socket_args(int domain, int type, int protocol)
{
	bool control_type = type == KCTL_ABI_SOCK_STREAM || type == KCTL_ABI_SOCK_DGRAM;

	if (domain != KCTL_ABI_AF_SYSTEM)
		return -EAFNOSUPPORT;
	if (protocol != 0 && protocol != KCTL_ABI_SYSPROTO_CONTROL &&
	    protocol != KCTL_ABI_SYSPROTO_EVENT)
		return -EPROTONOSUPPORT;
	if (protocol == KCTL_ABI_SYSPROTO_CONTROL)
		return control_type ? 0 : -EPROTOTYPE;
	if (protocol == KCTL_ABI_SYSPROTO_EVENT)
		return type == SIM_SOCK_RAW ? -EPROTONOSUPPORT : -EPROTOTYPE;
	return control_type ? 0 : -EPROTONOSUPPORT;
}

/* Both ends close-on-exec; ours never raises SIGPIPE and never blocks. */
static int make_pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return -errno;
	for (int i = 0; i < 2; i++)
		(void)fcntl(sv[i], F_SETFD, FD_CLOEXEC);
	(void)fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);
#ifdef SO_NOSIGPIPE
	(void)setsockopt(sv[1], SOL_SOCKET, SO_NOSIGPIPE, &(int){ 1 }, sizeof(int));
#endif
	return 0;
}

static struct sim_sock *sock_new(kctl_sim_t *sim, int type)
{
	struct sim_sock *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	if (pthread_cond_init(&s->cond, NULL) != 0) {
		free(s);
		return NULL;
	}
	s->sim = sim;
	s->type = type;
	s->state = SIM_SOCK_IDLE;
	return s;
}

int kctl_sim_socket(kctl_sim_t *sim, int domain, int type, int protocol, int *fd)
{
	struct sim_sock *s;
	int sv[2], err;

	if (sim == NULL)
		return -EINVAL;
	err = sim_enter(sim, KCTL_SIM_CALL_SOCKET);
	if (err == 0 && fd == NULL)
		err = -EFAULT;
	if (err == 0)
		err = check_socket_args(domain, type, protocol);
	if (err != 0)
		return err;
	s = sock_new(sim, type);
	if (s == NULL)
		return -ENOMEM;
	err = make_pair(sv);
	if (err != 0) {
		sock_free(s);
		return err;
	}
	s->fd = sv[0];
	s->kfd = sv[1];
	sim_lock(sim);
	err = table_put(sim, s);
	sim_unlock(sim);
	if (err != 0) {
		close(sv[0]);
		close(sv[1]);
		sock_free(s);
		return err;
	}
	*fd = s->fd;
	return 0;
}

/* ---- close() ---- */

/*
 * Which disconnect callback close owes (lock held). A connected socket always gets
 * one; a socket only bound gets one when its control has a bind callback that set a
 * unitinfo (XNU's ctl_detach); idle and dead sockets have nothing to tell.
 */
static bool close_owes_disconnect(const struct sim_sock *s)
{
	const struct kctl_sim_ctl *c = s->ctl;

	if (c == NULL || c->reg.disconnect == NULL)
		return false;
	if (s->state == SIM_SOCK_CONNECTED)
		return true;
	return s->state == SIM_SOCK_BOUND && c->reg.bind != NULL && s->unitinfo != NULL;
}

/* Runs the disconnect callback if owed, then detaches (lock held, dropped inside). */
static void close_detach(struct sim_sock *s)
{
	if (close_owes_disconnect(s)) {
		struct kctl_sim_ctl *c = s->ctl;
		uint32_t unit = s->sac.sc_unit;
		void *ui = s->unitinfo;

		sim_unlock(s->sim);
		(void)c->reg.disconnect(c, unit, ui);
		sim_lock(s->sim);
	}
	sim_ctl_detach(s);
}

/* The whole close; the fd is released whatever happens (lock not held). */
static int close_fd(kctl_sim_t *sim, int fd)
{
	struct sim_sock *s;
	int err;

	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err != 0) {
		sim_unlock(sim);
		return err;
	}
	sim->socks[fd] = NULL; /* new calls on this fd now fail with EBADF */
	sim_sock_clear_begin(s);
	close_detach(s);
	s->closed = true; /* after this nobody touches the fds */
	s->state = SIM_SOCK_DEAD;
	sim_sock_wake(s);
	sim_sock_clear_end(s);
	close(s->fd);
	close(s->kfd);
	s->refs--; /* the table's reference; ours from sim_sock_get is the last */
	sim_sock_put(s);
	sim_unlock(sim);
	return 0;
}

int kctl_sim_close(kctl_sim_t *sim, int fd)
{
	int fault, err;

	if (sim == NULL)
		return -EINVAL;
	fault = sim_enter(sim, KCTL_SIM_CALL_CLOSE);
	err = close_fd(sim, fd);
	return fault != 0 ? fault : err;
}

void sim_sock_close_all(kctl_sim_t *sim)
{
	for (size_t fd = 0; fd < sim->nsocks; fd++)
		if (sim->socks[fd] != NULL)
			(void)close_fd(sim, (int)fd);
}
