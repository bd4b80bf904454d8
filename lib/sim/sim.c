/*
 * sim.c - the kernel object: its lock, effective uid, mbuf segment size, injected
 * faults and call counters.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim.h"

int kctl_sim_new(kctl_sim_t **out)
{
	kctl_sim_t *sim;

	if (out == NULL)
		return -EINVAL;
	sim = calloc(1, sizeof(*sim));
	if (sim == NULL)
		return -ENOMEM;
	if (pthread_mutex_init(&sim->lock, NULL) != 0) {
		free(sim);
		return -ENOMEM;
	}
	sim->backend.ops = &sim_sys_ops;
	sim->backend.ctx = sim;
	sim->euid = (uint32_t)geteuid();
	sim->segsize = 128;
	for (int i = 0; i < KCTL_SIM_CALL_COUNT; i++) {
		atomic_init(&sim->calls[i], 0);
		atomic_init(&sim->faults[i], 0);
	}
	*out = sim;
	return 0;
}

void kctl_sim_free(kctl_sim_t *sim)
{
	if (sim == NULL)
		return;
	sim_sock_close_all(sim);
	sim_utun_free(sim);
	sim_ctl_free_all(sim);
	free(sim->socks);
	pthread_mutex_destroy(&sim->lock);
	free(sim);
}

const kctl_backend_t *kctl_sim_backend(kctl_sim_t *sim)
{
	return sim != NULL ? &sim->backend : NULL;
}

void sim_lock(kctl_sim_t *sim)
{
	pthread_mutex_lock(&sim->lock);
}

void sim_unlock(kctl_sim_t *sim)
{
	pthread_mutex_unlock(&sim->lock);
}

void kctl_sim_set_euid(kctl_sim_t *sim, uint32_t euid)
{
	if (sim == NULL)
		return;
	sim_lock(sim);
	sim->euid = euid;
	sim_unlock(sim);
}

int kctl_sim_set_mbuf_segment(kctl_sim_t *sim, size_t size)
{
	if (sim == NULL || size == 0 || size > 65536)
		return -EINVAL;
	sim_lock(sim);
	sim->segsize = size;
	sim_unlock(sim);
	return 0;
}

int kctl_sim_fail_next(kctl_sim_t *sim, int call, int err)
{
	if (sim == NULL || call < 0 || call >= KCTL_SIM_CALL_COUNT || err >= 0)
		return -EINVAL;
	atomic_store(&sim->faults[call], err);
	return 0;
}

uint64_t kctl_sim_call_count(const kctl_sim_t *sim, int call)
{
	if (sim == NULL || call < 0 || call >= KCTL_SIM_CALL_COUNT)
		return 0;
	return atomic_load(&sim->calls[call]);
}

/*
 * The first thing every counted call does: counts it (failed calls included) and
 * consumes an injected fault, which the call then returns before any effect. No lock:
 * a fault is armed rarely and consumed once (the exchange), so a plain load decides.
 */
int sim_enter(kctl_sim_t *sim, int call)
{
	atomic_fetch_add(&sim->calls[call], 1);
	if (atomic_load_explicit(&sim->faults[call], memory_order_acquire) == 0)
		return 0;
	return atomic_exchange(&sim->faults[call], 0);
}

/* Callbacks are told to return a negative errno; Apple's positive one is accepted too. */
int sim_cb_err(int err)
{
	return err > 0 ? -err : err;
}
