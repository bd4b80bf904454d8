/*
 * <sys/socket.h> for kext code (libkctl-kpi): the host's, plus Darwin's PF_SYSTEM domain
 * (AF_SYSTEM, 32), which a kern_control kext compares sockaddr_ctl's sc_family with.
 */
#ifndef KCTL_KPI_SYS_SOCKET_H
#define KCTL_KPI_SYS_SOCKET_H
/* #include_next is an extension: keep -Wpedantic of the including code quiet */
#pragma GCC system_header
#include_next <sys/socket.h>

#ifndef AF_SYSTEM
#define AF_SYSTEM 32
#endif
#ifndef PF_SYSTEM
#define PF_SYSTEM AF_SYSTEM
#endif

#endif
