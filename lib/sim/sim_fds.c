/*
 * sim_fds.c - where a socket's descriptors live, for embedders that hand out
 * descriptors of their own (libkctl-preload gives a program dups of the client end and
 * keeps the simulator's two descriptors out of its way).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sim.h"

/* Both ends dup'ed to >= floor, close-on-exec; the old numbers closed (lock held). */
static int move_locked(kctl_sim_t *sim, struct sim_sock *s, int floor)
{
	int nfd, nkfd, err;

	nfd = fcntl(s->fd, F_DUPFD_CLOEXEC, floor);
	if (nfd < 0)
		return -errno;
	nkfd = fcntl(s->kfd, F_DUPFD_CLOEXEC, floor);
	err = nkfd < 0 ? -errno : sim_table_reserve(sim, nfd);
	if (err != 0) {
		close(nfd);
		if (nkfd >= 0)
			close(nkfd);
		return err;
	}
	sim->socks[s->fd] = NULL;
	sim->socks[nfd] = s;
	close(s->fd);
	close(s->kfd);
	s->fd = nfd;
	s->kfd = nkfd;
	return 0;
}

int kctl_sim_move_fds(kctl_sim_t *sim, int fd, int floor, int *newfd, int *kfd)
{
	struct sim_sock *s;
	int err;

	if (sim == NULL || floor < 0 || newfd == NULL)
		return -EINVAL;
	sim_lock(sim);
	err = sim_sock_get(sim, fd, &s);
	if (err == 0) {
		err = s->closed ? -EBADF : move_locked(sim, s, floor);
		if (err == 0) {
			*newfd = s->fd;
			if (kfd != NULL)
				*kfd = s->kfd;
		}
		sim_sock_put(s);
	}
	sim_unlock(sim);
	return err;
}
