/* filters.c - a kext that, besides its kern_control, filters sockets and IP packets and
 * opens a kernel socket, as network monitors do. None of those KPIs is simulated, so
 * the module must be refused at load time with the calls named. */
#include <mach/mach_types.h>
#include <sys/kern_control.h>
#include <sys/kpi_socket.h>
#include <sys/kpi_socketfilter.h>
#include <sys/systm.h>
/* after the headers that bring <sys/kernel_types.h>: Apple's does not include it */
#include <netinet/kpi_ipfilter.h>

kern_return_t filters_start(kmod_info_t *ki, void *d);
kern_return_t filters_stop(kmod_info_t *ki, void *d);

static struct sflt_filter g_filter;
static struct ipf_filter g_ipf;
static ipfilter_t g_ipf_ref;
static socket_t g_so;

static errno_t sf_attach(void **cookie, socket_t so)
{
#pragma unused(so)
	*cookie = NULL;
	return 0;
}

static void sf_detach(void *cookie, socket_t so)
{
#pragma unused(cookie, so)
}

kern_return_t filters_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	g_filter.sf_handle = 0x46494c54;
	g_filter.sf_name = (char *)"org.example.filters";
	g_filter.sf_attach = sf_attach;
	g_filter.sf_detach = sf_detach;
	if (sflt_register(&g_filter, PF_INET, SOCK_STREAM, 6) != 0)
		return KERN_FAILURE;
	g_ipf.name = "org.example.filters";
	if (ipf_addv4(&g_ipf, &g_ipf_ref) != 0)
		return KERN_FAILURE;
	if (sock_socket(PF_INET, SOCK_DGRAM, 17, NULL, NULL, &g_so) != 0)
		return KERN_FAILURE;
	return KERN_SUCCESS;
}

kern_return_t filters_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	sock_close(g_so);
	ipf_remove(g_ipf_ref);
	return sflt_unregister(g_filter.sf_handle) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}
