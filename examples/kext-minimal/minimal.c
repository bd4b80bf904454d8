/*
 * minimal.c - the smallest useful kern_control kext: it registers a control and
 * answers every message with "hello, " and the message. The same file builds as a real
 * kext on a Mac (Kernel.framework, -mkernel) and, with `pkg-config --cflags --libs
 * libkctl-kpi`, as a module of libkctl's simulated kernel (see Makefile and README).
 */
#include <mach/mach_types.h>
#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/systm.h>

#define MINIMAL_CTL_NAME "org.libkctl.example.minimal"
#define MINIMAL_MAX 256

kern_return_t minimal_start(kmod_info_t *ki, void *data);
kern_return_t minimal_stop(kmod_info_t *ki, void *data);

static kern_ctl_ref minimal_ref;

static errno_t minimal_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
	(void)ref;
	(void)unitinfo;
	printf("minimal: unit %u connected\n", sac->sc_unit);
	return 0;
}

static errno_t minimal_disconnect(kern_ctl_ref ref, u_int32_t unit, void *unitinfo)
{
	(void)ref;
	(void)unitinfo;
	printf("minimal: unit %u disconnected\n", unit);
	return 0;
}

static errno_t minimal_send(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m,
			    int flags)
{
	char reply[7 + MINIMAL_MAX] = "hello, ";
	size_t len = mbuf_pkthdr_len(m);
	errno_t err;

	(void)unitinfo;
	(void)flags;
	if (len > MINIMAL_MAX)
		err = EMSGSIZE;
	else
		err = mbuf_copydata(m, 0, len, reply + 7); /* the mbuf may be a chain */
	mbuf_freem(m);
	if (err == 0)
		err = ctl_enqueuedata(ref, unit, reply, 7 + len, CTL_DATA_EOR);
	return err;
}

kern_return_t minimal_start(kmod_info_t *ki, void *data)
{
	struct kern_ctl_reg reg;

	(void)ki;
	(void)data;
	memset(&reg, 0, sizeof(reg));
	strlcpy(reg.ctl_name, MINIMAL_CTL_NAME, sizeof(reg.ctl_name));
	reg.ctl_connect = minimal_connect;
	reg.ctl_disconnect = minimal_disconnect;
	reg.ctl_send = minimal_send;
	return ctl_register(&reg, &minimal_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}

kern_return_t minimal_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	/* EBUSY while a client is connected: the kext stays loaded, as it must */
	return ctl_deregister(minimal_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}
