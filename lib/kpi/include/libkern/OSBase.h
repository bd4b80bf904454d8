/* <libkern/OSBase.h> for kext code (libkctl-kpi): the types of <libkern/OSTypes.h>. */
#ifndef KCTL_KPI_LIBKERN_OSBASE_H
#define KCTL_KPI_LIBKERN_OSBASE_H
#include <sys/_kpi_cdefs.h>
#include <libkern/OSTypes.h>
#endif
