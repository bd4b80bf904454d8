/*
 * <sys/sys_domain.h> - Darwin's system domain (PF_SYSTEM) protocols and addresses, for
 * Mac client code built on another system (libkctl-darwin). Values and layouts are
 * macOS's (xnu bsd/sys/sys_domain.h). PF_SYSTEM/AF_SYSTEM come with libkctl-darwin's
 * <sys/socket.h>, as on a Mac. The PRIVATE part needs -DPRIVATE, as on a Mac.
 */
#ifndef _SYSTEM_DOMAIN_H_
#define _SYSTEM_DOMAIN_H_

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYSPROTO_EVENT   1 /* kernel events protocol */
#define SYSPROTO_CONTROL 2 /* kernel control protocol (also its sockopt level) */
#define AF_SYS_CONTROL   2 /* ss_sysaddr of a kernel-control address */

/* A system domain address. */
struct sockaddr_sys {
	unsigned char ss_len;
	unsigned char ss_family;   /* AF_SYSTEM */
	uint16_t ss_sysaddr;
	uint32_t ss_reserved[7];
};

#ifdef PRIVATE
/* The generation header around net.systm.kctl.* lists. */
struct xsystmgen {
	uint32_t xg_len;
#if defined(__GNUC__) || defined(__clang__)
	uint64_t xg_count __attribute__((aligned(8)));
#else
	uint64_t xg_count;
#endif
	uint64_t xg_gen;
	uint64_t xg_sogen;
};
#endif /* PRIVATE */

#ifdef __cplusplus
}
#endif

#endif /* _SYSTEM_DOMAIN_H_ */
