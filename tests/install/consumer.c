/* A program built only from the installed tree (pkg-config), as a user would build one. */
#include <stdio.h>
#include <string.h>

#include <kctl.h>
#include <kctl_sim.h>

static int noop_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return 0;
}

int main(void)
{
	struct kctl_sim_reg reg = { .name = "org.libkctl.consumer", .connect = noop_connect };
	kctl_sim_t *sim = NULL;
	kctl_sim_ctl_t *ctl = NULL;
	kctl_t *h = NULL;
	int rc;

	if (kctl_sim_new(&sim) || kctl_sim_register(sim, &reg, &ctl))
		return 1;
	rc = kctl_open_name(kctl_sim_backend(sim), reg.name, 0, 0, &h);
	printf("libkctl %s: open %s -> %d (unit %u)\n", kctl_version(), reg.name, rc,
	       (unsigned)kctl_unit(h));
	if (rc != 0 || kctl_unit(h) != 1)
		return 1;
	kctl_close(h);
	if (kctl_sim_deregister(ctl) != 0)
		return 1;
	kctl_sim_free(sim);
	return 0;
}
