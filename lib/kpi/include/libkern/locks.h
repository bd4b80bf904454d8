/* <libkern/locks.h>: as on a Mac, the lck_* KPI of <kern/locks.h>. */
#ifndef KCTL_KPI_LIBKERN_LOCKS_H
#define KCTL_KPI_LIBKERN_LOCKS_H
#include <kern/locks.h>
#endif
