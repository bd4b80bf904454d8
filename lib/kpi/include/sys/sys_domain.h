/* <sys/sys_domain.h> for kext code (libkctl-kpi): the PF_SYSTEM protocols and
 * sockaddr_sys, Darwin's values. */
#ifndef KCTL_KPI_SYS_SYS_DOMAIN_H
#define KCTL_KPI_SYS_SYS_DOMAIN_H

#include <sys/types.h>

#include <sys/socket.h>

#define SYSPROTO_EVENT 1   /* kernel events protocol */
#define SYSPROTO_CONTROL 2 /* kernel control protocol */
#define AF_SYS_CONTROL 2   /* corresponding sub address type */

struct sockaddr_sys {
	u_char ss_len;
	u_char ss_family;
	u_int16_t ss_sysaddr;
	u_int32_t ss_reserved[7];
};

#endif
