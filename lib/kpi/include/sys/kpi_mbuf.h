/*
 * <sys/kpi_mbuf.h> for kext code running in the simulated kernel (libkctl-kpi): the mbuf
 * KPI with Apple's names, signatures, semantics and errors (xnu bsd/kern/kpi_mbuf.c).
 *
 * Packets are chains of small segments (the simulator's segment size, 128 bytes unless
 * set with kctl_sim_set_mbuf_segment()), and every mbuf a kext gets, from the kernel or
 * by allocating it, is such a segment, so code that assumes mbuf_data() holds the whole
 * packet fails here as it would on a busy Mac: use mbuf_copydata(). mbuf_get_mlen() and
 * mbuf_get_mhlen() report the segment size. Clusters (mbuf_mclget, mbuf_getcluster, ...)
 * are not simulated: every mbuf has the same storage.
 *
 * Misuse that would corrupt a real kernel panics (see <kern/debug.h>): mbuf_setlen
 * beyond mbuf_maxlen, mbuf_copym of a range past the chain. The kernel counts the mbufs
 * each kext holds: one still held when the kext unloads is a leak, reported with the
 * count (kctl_kpi_unload() -ENOTEMPTY) and given back.
 */
#ifndef KCTL_KPI_SYS_KPI_MBUF_H
#define KCTL_KPI_SYS_KPI_MBUF_H

#include <sys/_kpi_cdefs.h>
#include <sys/kernel_types.h>
#include <mach/vm_types.h>

__BEGIN_DECLS

enum {
	MBUF_EXT = 0x0001,       /* has associated external storage */
	MBUF_PKTHDR = 0x0002,    /* start of record */
	MBUF_EOR = 0x0004,       /* end of record */
	MBUF_LOOP = 0x0040,      /* packet is looped back */
	MBUF_BCAST = 0x0100,     /* send/received as link-level broadcast */
	MBUF_MCAST = 0x0200,     /* send/received as link-level multicast */
	MBUF_FRAG = 0x0400,      /* packet is a fragment of a larger packet */
	MBUF_FIRSTFRAG = 0x0800, /* packet is first fragment */
	MBUF_LASTFRAG = 0x1000,  /* packet is last fragment */
	MBUF_PROMISC = 0x2000,   /* packet is promiscuous */
	MBUF_HASFCS = 0x4000     /* packet has FCS */
};
typedef u_int32_t mbuf_flags_t;

enum {
	MBUF_TYPE_FREE = 0,
	MBUF_TYPE_DATA = 1,
	MBUF_TYPE_HEADER = 2,
	MBUF_TYPE_SOCKET = 3,
	MBUF_TYPE_PCB = 4,
	MBUF_TYPE_RTABLE = 5,
	MBUF_TYPE_HTABLE = 6,
	MBUF_TYPE_ATABLE = 7,
	MBUF_TYPE_SONAME = 8,
	MBUF_TYPE_SOOPTS = 10,
	MBUF_TYPE_FTABLE = 11,
	MBUF_TYPE_RIGHTS = 12,
	MBUF_TYPE_IFADDR = 13,
	MBUF_TYPE_CONTROL = 14,
	MBUF_TYPE_OOBDATA = 15
};
typedef u_int32_t mbuf_type_t;

enum {
	MBUF_WAITOK = 0,  /* may block for memory */
	MBUF_DONTWAIT = 1 /* fail instead of blocking */
};
typedef u_int32_t mbuf_how_t;

#define MBUF_COPYALL 1000000000

void *mbuf_data(mbuf_t mbuf);
void *mbuf_datastart(mbuf_t mbuf);
errno_t mbuf_setdata(mbuf_t mbuf, void *data, size_t len);
errno_t mbuf_align_32(mbuf_t mbuf, size_t len);
size_t mbuf_len(const mbuf_t mbuf);
void mbuf_setlen(mbuf_t mbuf, size_t len);
size_t mbuf_maxlen(const mbuf_t mbuf);
size_t mbuf_leadingspace(const mbuf_t mbuf);
size_t mbuf_trailingspace(const mbuf_t mbuf);
errno_t mbuf_adjustlen(mbuf_t mbuf, int amount);

mbuf_t mbuf_next(const mbuf_t mbuf);
errno_t mbuf_setnext(mbuf_t mbuf, mbuf_t next);
mbuf_t mbuf_nextpkt(const mbuf_t mbuf);
void mbuf_setnextpkt(mbuf_t mbuf, mbuf_t nextpkt);
mbuf_type_t mbuf_type(const mbuf_t mbuf);
errno_t mbuf_settype(mbuf_t mbuf, mbuf_type_t new_type);
mbuf_flags_t mbuf_flags(const mbuf_t mbuf);
errno_t mbuf_setflags(mbuf_t mbuf, mbuf_flags_t flags);
errno_t mbuf_setflags_mask(mbuf_t mbuf, mbuf_flags_t flags, mbuf_flags_t mask);

errno_t mbuf_copy_pkthdr(mbuf_t dest, const mbuf_t src);
size_t mbuf_pkthdr_len(const mbuf_t mbuf);
void mbuf_pkthdr_setlen(mbuf_t mbuf, size_t len);
void mbuf_pkthdr_adjustlen(mbuf_t mbuf, int amount);
ifnet_t mbuf_pkthdr_rcvif(const mbuf_t mbuf);
errno_t mbuf_pkthdr_setrcvif(mbuf_t mbuf, ifnet_t ifp);
void *mbuf_pkthdr_header(const mbuf_t mbuf);
void mbuf_pkthdr_setheader(mbuf_t mbuf, void *header);

errno_t mbuf_get(mbuf_how_t how, mbuf_type_t type, mbuf_t *mbuf);
errno_t mbuf_gethdr(mbuf_how_t how, mbuf_type_t type, mbuf_t *mbuf);
errno_t mbuf_getpacket(mbuf_how_t how, mbuf_t *mbuf);
errno_t mbuf_allocpacket(mbuf_how_t how, size_t packetlen, unsigned int *maxchunks,
			 mbuf_t *mbuf);
errno_t mbuf_allocpacket_list(unsigned int numpkts, mbuf_how_t how, size_t packetlen,
			      unsigned int *maxchunks, mbuf_t *mbuf);
mbuf_t mbuf_free(mbuf_t mbuf);
void mbuf_freem(mbuf_t mbuf);
int mbuf_freem_list(mbuf_t mbuf);

errno_t mbuf_copydata(const mbuf_t mbuf, size_t offset, size_t length, void *out_data);
errno_t mbuf_copyback(mbuf_t mbuf, size_t offset, size_t length, const void *data,
		      mbuf_how_t how);
errno_t mbuf_copym(const mbuf_t src, size_t offset, size_t len, mbuf_how_t how,
		   mbuf_t *new_mbuf);
errno_t mbuf_dup(const mbuf_t src, mbuf_how_t how, mbuf_t *new_mbuf);
errno_t mbuf_prepend(mbuf_t *mbuf, size_t len, mbuf_how_t how);
errno_t mbuf_split(mbuf_t src, size_t offset, mbuf_how_t how, mbuf_t *new_mbuf);
errno_t mbuf_pullup(mbuf_t *mbuf, size_t len);
void mbuf_adj(mbuf_t mbuf, int len);
mbuf_t mbuf_concatenate(mbuf_t dst, mbuf_t src);

u_int32_t mbuf_get_mlen(void);
u_int32_t mbuf_get_mhlen(void);
u_int32_t mbuf_get_minclsize(void);

__END_DECLS

#endif
