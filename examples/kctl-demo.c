/*
 * kctl-demo - `make demo`: a kernel control registered in the simulated kernel, and a
 * client talking to it through libkctl, printed step by step.
 *
 * The control here is a tiny upper-casing echo written against kctl_sim.h; the same
 * client code, given kctl_backend_native() on a Mac, talks to a real kext.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kctl.h"
#include "kctl_sim.h"

#define DEMO_NAME "org.libkctl.demo"
#define DEMO_OPT_GREETING 1

struct demo_unit {
	char greeting[32];
};

static struct demo_unit demo_units[4];

static int demo_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			void **unitinfo)
{
	(void)ctl;
	if (sac->sc_unit >= 4)
		return -EBUSY;
	snprintf(demo_units[sac->sc_unit].greeting, sizeof(demo_units[0].greeting), "hello");
	*unitinfo = &demo_units[sac->sc_unit];
	printf("    [kext] connect: unit %u\n", (unsigned)sac->sc_unit);
	return 0;
}

static int demo_disconnect(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo)
{
	(void)ctl; (void)unitinfo;
	printf("    [kext] disconnect: unit %u\n", (unsigned)unit);
	return 0;
}

static int demo_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		     int flags)
{
	char buf[256];
	size_t len = kctl_sim_mbuf_pkthdr_len(m);
	int rc = -EMSGSIZE;

	(void)unitinfo; (void)flags;
	if (len <= sizeof(buf) && kctl_sim_mbuf_copydata(m, 0, len, buf) == 0) {
		printf("    [kext] send: %zu bytes from unit %u, answering in upper case\n",
		       len, (unsigned)unit);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)toupper((unsigned char)buf[i]);
		rc = kctl_sim_enqueue(ctl, unit, buf, len, KCTL_ABI_CTL_DATA_EOR);
	}
	kctl_sim_mbuf_free(m);
	return rc;
}

static int demo_setopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt,
		       void *data, size_t len)
{
	struct demo_unit *u = unitinfo;

	(void)ctl; (void)unit;
	if (opt != DEMO_OPT_GREETING)
		return -ENOPROTOOPT;
	if (len == 0 || len > sizeof(u->greeting) || ((char *)data)[len - 1] != '\0')
		return -EINVAL;
	memcpy(u->greeting, data, len);
	printf("    [kext] setopt %d: greeting is now \"%s\"\n", opt, u->greeting);
	return 0;
}

static int demo_getopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt,
		       void *data, size_t *len)
{
	struct demo_unit *u = unitinfo;
	size_t n = strlen(u->greeting) + 1;

	(void)ctl; (void)unit;
	if (opt != DEMO_OPT_GREETING)
		return -ENOPROTOOPT;
	if (data && *len < n)
		return -EMSGSIZE;
	if (data)
		memcpy(data, u->greeting, n);
	*len = n;
	return 0;
}

static int step(const char *what, int rc)
{
	printf("%-52s %s\n", what, rc == 0 ? "ok" : kctl_strerror(rc));
	return rc;
}

static int demo_client(const kctl_backend_t *be)
{
	char buf[64], greeting[32];
	size_t got = 0;
	uint32_t id = 0;
	kctl_t *h = NULL;

	if (step("client: look up " DEMO_NAME, kctl_lookup(be, DEMO_NAME, &id)))
		return 1;
	printf("        id %u\n", (unsigned)id);
	if (step("client: open it by name, unit 0 (kernel chooses)",
		 kctl_open_name(be, DEMO_NAME, 0, KCTL_OPEN_DGRAM, &h)))
		return 1;
	printf("        connected to unit %u, fd %d\n", (unsigned)kctl_unit(h), kctl_fd(h));
	if (step("client: send \"ping from libkctl\"", kctl_send(h, "ping from libkctl", 17, NULL)) ||
	    step("client: receive the answer", kctl_recv(h, buf, sizeof(buf), &got, NULL)))
		return 1;
	printf("        got %zu bytes: \"%.*s\"\n", got, (int)got, buf);
	if (step("client: set option 1 (greeting) to \"bonjour\"",
		 kctl_set_str(h, DEMO_OPT_GREETING, "bonjour")) ||
	    step("client: read option 1 back", kctl_get_str(h, DEMO_OPT_GREETING, greeting,
							     sizeof(greeting))))
		return 1;
	printf("        greeting = \"%s\"\n", greeting);
	step("client: read unknown option 9 (expect an error)",
	     kctl_getopt_size(h, 9, &got));
	step("client: close", kctl_close(h));
	return 0;
}

int main(void)
{
	struct kctl_sim_reg reg = {
		.name = DEMO_NAME, .connect = demo_connect, .disconnect = demo_disconnect,
		.send = demo_send, .setopt = demo_setopt, .getopt = demo_getopt,
	};
	kctl_sim_ctl_t *ctl = NULL;
	kctl_sim_t *sim = NULL;
	kctl_t *h = NULL;
	int rc;

	printf("libkctl %s demo: a control in the simulated kernel, a client through libkctl\n\n",
	       kctl_version());
	step("native kernel: open " DEMO_NAME " (no Mac here?)",
	     kctl_open_name(NULL, DEMO_NAME, 0, 0, &h));
	if (step("sim: create a simulated kernel", kctl_sim_new(&sim)) ||
	    step("kext: register " DEMO_NAME " (DGRAM)", kctl_sim_register(sim, &reg, &ctl)))
		return 1;
	printf("        id %u, send size %u, receive size %u\n", (unsigned)reg.id,
	       (unsigned)reg.sendsize, (unsigned)reg.recvsize);
	rc = demo_client(kctl_sim_backend(sim));
	step("kext: deregister", kctl_sim_deregister(ctl));
	kctl_sim_free(sim);
	printf("\n%s\n", rc == 0 ? "demo finished: every step as expected" : "demo FAILED");
	return rc;
}
