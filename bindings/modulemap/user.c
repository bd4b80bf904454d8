/*
 * user.c - a program that uses libkctl through its Clang modules only: no #include of a
 * libkctl header. Built by run.sh with -fmodules against the installed tree; it echoes
 * a record through a simulated control and prints what it did.
 */
#pragma clang module import CKctl
#pragma clang module import CKctlSim

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int echo_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		     int flags)
{
	char buf[64];
	size_t n = kctl_sim_mbuf_pkthdr_len(m);
	int rc = n <= sizeof(buf) ? kctl_sim_mbuf_copydata(m, 0, n, buf) : -EMSGSIZE;

	(void)unitinfo;
	(void)flags;
	kctl_sim_mbuf_free(m);
	return rc < 0 ? rc : kctl_sim_enqueue(ctl, unit, buf, n, KCTL_ABI_CTL_DATA_EOR);
}

static int accept_all(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac, void **ui)
{
	(void)ctl;
	(void)sac;
	(void)ui;
	return 0;
}

int main(void)
{
	struct kctl_sim_reg reg = { .name = "org.libkctl.modules", .connect = accept_all,
				    .send = echo_send };
	kctl_sim_t *sim;
	kctl_sim_ctl_t *ctl;
	kctl_t *h;
	char got[16] = { 0 };
	size_t n = 0;
	int rc;

	if (kctl_sim_new(&sim) != 0 || kctl_sim_register(sim, &reg, &ctl) != 0)
		return 1;
	rc = kctl_open_name(kctl_sim_backend(sim), reg.name, 0, KCTL_OPEN_DGRAM, &h);
	if (rc == 0) {
		kctl_set_timeout(h, 1000);
		rc = kctl_send(h, "module", 6, NULL);
	}
	if (rc == 0)
		rc = kctl_recv(h, got, sizeof(got) - 1, &n, NULL);
	if (rc != 0 || n != 6 || strcmp(got, "module") != 0) {
		fprintf(stderr, "modules: %s\n", kctl_strerror(rc));
		return 1;
	}
	/* macros come through the module too */
	printf("modules: libkctl %s echoed \"%s\" (name max %d, frame of 5 bytes: %zu on the wire)\n",
	       kctl_version(), got, KCTL_NAME_MAX, KCTL_FRAME_WIRE_SIZE(KCTL_FRAME_HDR_LEN + 5));
	kctl_close(h);
	kctl_sim_free(sim);
	return 0;
}
