/* <sys/mbuf.h> for kext code (libkctl-kpi): as in Apple's public headers, the mbuf KPI
 * of <sys/kpi_mbuf.h> (struct mbuf itself is the kernel's own). */
#ifndef KCTL_KPI_SYS_MBUF_H
#define KCTL_KPI_SYS_MBUF_H
#include <sys/kpi_mbuf.h>
#endif
