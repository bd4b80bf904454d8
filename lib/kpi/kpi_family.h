/*
 * kpi_family.h - the KPI families the simulated kernel does not provide, and how to
 * say so (not installed).
 */
#ifndef KCTL_KPI_FAMILY_H
#define KCTL_KPI_FAMILY_H

/*
 * What to say about an undefined kernel symbol of a family the simulator leaves out
 * ("socket filters (sflt_*) are not simulated"), or NULL when it is of no such family.
 */
const char *kpi_family_of(const char *symbol);

#endif
