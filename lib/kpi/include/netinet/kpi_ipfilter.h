/*
 * <netinet/kpi_ipfilter.h> for kext code (libkctl-kpi): IP filters are NOT simulated. The
 * declarations are Apple's, so that a kext which also filters IP packets compiles;
 * loading it is refused with a sentence naming the call and its family ("uses
 * ipf_addv4: IP filters (ipf_*) are not simulated"). None of these functions exists in
 * libkctl-kpi.
 */
#ifndef KCTL_KPI_NETINET_KPI_IPFILTER_H
#define KCTL_KPI_NETINET_KPI_IPFILTER_H

#include <sys/_kpi_cdefs.h>
#include <sys/kernel_types.h>

__BEGIN_DECLS

struct ipf_pktopts {
	u_int32_t ippo_flags;
	ifnet_t ippo_mcast_ifnet;
	int ippo_mcast_loop;
	u_int8_t ippo_mcast_ttl;
};
#define IPPOF_MCAST_OPTS 0x1
typedef struct ipf_pktopts *ipf_pktopts_t;

typedef errno_t (*ipf_input_func)(void *cookie, mbuf_t *data, int offset, u_int8_t protocol);
typedef errno_t (*ipf_output_func)(void *cookie, mbuf_t *data, ipf_pktopts_t options);
typedef void (*ipf_detach_func)(void *cookie);

struct ipf_filter {
	void *cookie;
	const char *name;
	ipf_input_func ipf_input;
	ipf_output_func ipf_output;
	ipf_detach_func ipf_detach;
};

struct opaque_ipfilter;
typedef struct opaque_ipfilter *ipfilter_t;

errno_t ipf_addv4(const struct ipf_filter *filter, ipfilter_t *filter_ref);
errno_t ipf_addv6(const struct ipf_filter *filter, ipfilter_t *filter_ref);
errno_t ipf_remove(ipfilter_t filter_ref);
errno_t ipf_inject_input(mbuf_t data, ipfilter_t filter_ref);
errno_t ipf_inject_output(mbuf_t data, ipfilter_t filter_ref, ipf_pktopts_t options);

__END_DECLS

#endif
