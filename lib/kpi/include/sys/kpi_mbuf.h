/*
 * <sys/kpi_mbuf.h> for kext code running in the simulated kernel (libkctl-kpi): the
 * mbuf calls a kern_control kext needs, with Apple's names, signatures, semantics and
 * errors. Packets are chains of small segments (the simulator's segment size, 128 bytes
 * unless set with kctl_sim_set_mbuf_segment()), so code that assumes mbuf_data() holds
 * the whole packet fails here as it would on a busy Mac: use mbuf_copydata().
 * Misuse that would corrupt a real kernel (mbuf_setlen beyond mbuf_maxlen) panics:
 * the process aborts with a message.
 */
#ifndef KCTL_KPI_SYS_KPI_MBUF_H
#define KCTL_KPI_SYS_KPI_MBUF_H

#include <sys/kernel_types.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	MBUF_WAITOK = 0,  /* may block for memory */
	MBUF_DONTWAIT = 1 /* fail instead of blocking */
};
typedef u_int32_t mbuf_how_t;

void *mbuf_data(mbuf_t mbuf);
size_t mbuf_len(const mbuf_t mbuf);
size_t mbuf_maxlen(const mbuf_t mbuf);
void mbuf_setlen(mbuf_t mbuf, size_t len);
mbuf_t mbuf_next(const mbuf_t mbuf);
errno_t mbuf_setnext(mbuf_t mbuf, mbuf_t next);
size_t mbuf_pkthdr_len(const mbuf_t mbuf);
void mbuf_pkthdr_setlen(mbuf_t mbuf, size_t len);
void mbuf_pkthdr_adjustlen(mbuf_t mbuf, int amount);
errno_t mbuf_copydata(const mbuf_t mbuf, size_t offset, size_t length, void *out_data);
errno_t mbuf_copyback(mbuf_t mbuf, size_t offset, size_t length, const void *data,
		      mbuf_how_t how);
errno_t mbuf_allocpacket(mbuf_how_t how, size_t packetlen, unsigned int *maxchunks,
			 mbuf_t *mbuf);
mbuf_t mbuf_free(mbuf_t mbuf);
void mbuf_freem(mbuf_t mbuf);

#ifdef __cplusplus
}
#endif

#endif
