/*
 * load.c - loads the Minimal kext module into a simulated kernel and talks to it with
 * libkctl, as a client on a Mac would talk to the real kext. Usage: load ./Minimal.so
 * Exit status 0 when the kext answered "hello, libkctl".
 */
#include <stdio.h>
#include <string.h>

#include <kctl.h>
#include <kctl_kpi.h>
#include <kctl_sim.h>

static int talk(const kctl_backend_t *be)
{
	char reply[300];
	size_t got = 0;
	kctl_t *h = NULL;
	int rc = kctl_open_name(be, "org.libkctl.example.minimal", 0, 0, &h);

	if (rc == 0)
		rc = kctl_set_timeout(h, 2000);
	if (rc == 0)
		rc = kctl_send(h, "libkctl", 7, NULL);
	if (rc == 0)
		rc = kctl_recv(h, reply, sizeof(reply) - 1, &got, NULL);
	if (rc != 0) {
		fprintf(stderr, "load: %s\n", kctl_strerror(rc));
		kctl_close(h);
		return 1;
	}
	reply[got] = '\0';
	printf("%s\n", reply);
	kctl_close(h);
	return strcmp(reply, "hello, libkctl") == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	kctl_kpi_kext_t *kext = NULL;
	kctl_sim_t *sim = NULL;
	int rc, status;

	if (argc != 2) {
		fprintf(stderr, "usage: load MODULE.so\n");
		return 2;
	}
	if (kctl_sim_new(&sim) != 0)
		return 1;
	rc = kctl_kpi_load_module(sim, argv[1], &kext);
	if (rc != 0) {
		fprintf(stderr, "load: %s: %s\n", argv[1], kctl_kpi_last_error());
		kctl_sim_free(sim);
		return 1;
	}
	printf("loaded %s\n", kctl_kpi_kext_name(kext));
	status = talk(kctl_sim_backend(sim));
	rc = kctl_kpi_unload(kext);
	if (rc != 0) {
		fprintf(stderr, "unload: %s\n", kctl_kpi_last_error());
		status = 1;
	}
	kctl_sim_free(sim);
	return status;
}
