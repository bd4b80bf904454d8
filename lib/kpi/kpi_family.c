/*
 * kpi_family.c - what the simulated kernel leaves out, by KPI family: a module that
 * calls into one of these is refused at load time with a sentence naming the call and
 * its family, before any of its code runs, instead of a bare undefined-symbol error.
 *
 * Families go by Apple's name prefixes (the .exports files of xnu's config folder). A C++ symbol (mangled,
 * "_Z...") means IOKit or libkern's C++ runtime (IOService, OSObject, OSMetaClass,
 * operator new), none of which is simulated.
 */
#include <stddef.h>
#include <string.h>

#include "kpi_family.h"

#define ARE " are not simulated"
#define IS " is not simulated"

static const struct {
	const char *prefix;
	const char *family;
} families[] = {
	{ "sflt_", "socket filters (sflt_*)" ARE },
	{ "sock_inject_", "socket filters (sflt_*)" ARE },
	{ "sockopt_", "socket filters (sflt_*)" ARE },
	{ "sock_", "kernel sockets (sock_*)" ARE },
	{ "ipf_", "IP filters (ipf_*)" ARE },
	{ "iflt_", "interface filters (iflt_*)" ARE },
	{ "ifnet_", "network interfaces (ifnet_*)" ARE },
	{ "ifaddr_", "network interfaces (ifnet_*)" ARE },
	{ "ifmaddr_", "network interfaces (ifnet_*)" ARE },
	{ "proto_", "network protocol attachments (proto_*)" ARE },
	{ "mac_", "the MAC framework (mac_policy_*)" IS },
	{ "kauth_", "kauth scopes and credentials (kauth_*)" ARE },
	{ "vnode_", "file system KPIs (vnode_*, vfs_*)" ARE },
	{ "vfs_", "file system KPIs (vnode_*, vfs_*)" ARE },
	{ "VNOP_", "file system KPIs (vnode_*, vfs_*)" ARE },
	{ "sysctl_", "sysctl nodes (sysctl_*)" ARE },
	{ "kev_", "kernel event messages (kev_*)" ARE },
	{ "cdevsw_", "device nodes (cdevsw_*, devfs_*)" ARE },
	{ "devfs_", "device nodes (cdevsw_*, devfs_*)" ARE },
	{ "OSKext", "kext management (OSKext*)" IS },
	{ "IOService", "IOKit's C++ classes (IOService, ...)" ARE },
	{ "IORegistry", "IOKit's C++ classes (IOService, ...)" ARE },
};

const char *kpi_family_of(const char *symbol)
{
	if (strncmp(symbol, "_Z", 2) == 0 || strncmp(symbol, "__cxa_", 6) == 0)
		return "IOKit and libkern C++ (IOService, OSObject, OSMetaClass, ...)" IS;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (strncmp(symbol, families[i].prefix, strlen(families[i].prefix)) == 0)
			return families[i].family;
	return NULL;
}
