/*
 * <sys/kern_control.h> for kext code running in the simulated kernel (libkctl-kpi).
 * Same names, types, values and signatures as Apple's bsd/sys/kern_control.h (KERNEL
 * part): errno_t results are errnos (see <sys/errno.h>), 0 on success. The simulated
 * kernel is the one the kext was loaded into (kctl_kpi_load()).
 *
 * Kernel-private parts (KERNEL_PRIVATE, as Apple's private headers have them) are
 * honoured exactly as xnu's ctl_register() does: rcvd and send_list only with
 * CTL_FLAG_REG_EXTENDED, setup only with CTL_FLAG_REG_SETUP, bind whenever it is set.
 * Third-party code sees the public struct, as on a Mac, and has neither. So that the
 * kernel never reads past the struct the kext passed, ctl_register() is routed by a
 * macro that also passes sizeof(struct kern_ctl_reg) as this file declares it.
 *
 * send_list receives the packets of one sendmsg_x() call (kctl_sim_sendmsg_x()) as a
 * list linked by mbuf_nextpkt; ctl_enqueuembuf_list() queues such a list, one record
 * per packet (DGRAM controls only).
 */
#ifndef KCTL_KPI_SYS_KERN_CONTROL_H
#define KCTL_KPI_SYS_KERN_CONTROL_H

#include <sys/_kpi_cdefs.h>
#include <sys/kernel_types.h>
#include <sys/kpi_mbuf.h>

__BEGIN_DECLS

#define KEV_CTL_SUBCLASS 2
#define KEV_CTL_REGISTERED 1   /* a new control was registered */
#define KEV_CTL_DEREGISTERED 2 /* a control was deregistered */

#define MAX_KCTL_NAME 96

struct ctl_info {
	u_int32_t ctl_id;
	char ctl_name[MAX_KCTL_NAME];
};

struct sockaddr_ctl {
	u_char sc_len;
	u_char sc_family;
	u_int16_t ss_sysaddr;
	u_int32_t sc_id;
	u_int32_t sc_unit;
	u_int32_t sc_reserved[5];
};

typedef void *kern_ctl_ref;

#define CTL_FLAG_PRIVILEGED 0x1
#define CTL_FLAG_REG_ID_UNIT 0x2
#define CTL_FLAG_REG_SOCK_STREAM 0x4
#ifdef KERNEL_PRIVATE
#define CTL_FLAG_REG_EXTENDED 0x8
#define CTL_FLAG_REG_CRIT 0x10
#define CTL_FLAG_REG_SETUP 0x20
#endif

#define CTL_DATA_NOWAKEUP 0x1
#define CTL_DATA_EOR 0x2
#ifdef KERNEL_PRIVATE
#define CTL_DATA_CRIT 0x4
#endif

typedef errno_t (*ctl_connect_func)(kern_ctl_ref kctlref, struct sockaddr_ctl *sac,
				    void **unitinfo);
typedef errno_t (*ctl_disconnect_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo);
typedef errno_t (*ctl_send_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo,
				 mbuf_t m, int flags);
typedef errno_t (*ctl_setopt_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo,
				   int opt, void *data, size_t len);
typedef errno_t (*ctl_getopt_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo,
				   int opt, void *data, size_t *len);
#ifdef KERNEL_PRIVATE
typedef void (*ctl_rcvd_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo,
			      int flags);
typedef errno_t (*ctl_send_list_func)(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo,
				      mbuf_t m, int flags);
typedef errno_t (*ctl_bind_func)(kern_ctl_ref kctlref, struct sockaddr_ctl *sac,
				 void **unitinfo);
typedef errno_t (*ctl_setup_func)(u_int32_t *unit, void **unitinfo);
#endif

struct kern_ctl_reg {
	char ctl_name[MAX_KCTL_NAME];
	u_int32_t ctl_id;
	u_int32_t ctl_unit;
	u_int32_t ctl_flags;
	u_int32_t ctl_sendsize;
	u_int32_t ctl_recvsize;
	ctl_connect_func ctl_connect;
	ctl_disconnect_func ctl_disconnect;
	ctl_send_func ctl_send;
	ctl_setopt_func ctl_setopt;
	ctl_getopt_func ctl_getopt;
#ifdef KERNEL_PRIVATE
	ctl_rcvd_func ctl_rcvd;           /* only with CTL_FLAG_REG_EXTENDED */
	ctl_send_list_func ctl_send_list; /* only with CTL_FLAG_REG_EXTENDED */
	ctl_bind_func ctl_bind;
	ctl_setup_func ctl_setup;         /* only with CTL_FLAG_REG_SETUP */
#endif
};

errno_t ctl_register(struct kern_ctl_reg *userkctl, kern_ctl_ref *kctlref);
/* ctl_register() reading exactly reg_size bytes of *userkctl (see above). */
errno_t kctl_kpi_ctl_register_sized(struct kern_ctl_reg *userkctl, kern_ctl_ref *kctlref,
				    size_t reg_size);
#define ctl_register(userkctl, kctlref) \
	kctl_kpi_ctl_register_sized((userkctl), (kctlref), sizeof(struct kern_ctl_reg))
errno_t ctl_deregister(kern_ctl_ref kctlref);
errno_t ctl_enqueuedata(kern_ctl_ref kctlref, u_int32_t unit, void *data, size_t len,
			u_int32_t flags);
errno_t ctl_enqueuembuf(kern_ctl_ref kctlref, u_int32_t unit, mbuf_t m, u_int32_t flags);
errno_t ctl_getenqueuespace(kern_ctl_ref kctlref, u_int32_t unit, size_t *space);
errno_t ctl_getenqueuereadable(kern_ctl_ref kctlref, u_int32_t unit, u_int32_t *difference);
#if defined(PRIVATE) || defined(KERNEL_PRIVATE)
errno_t ctl_enqueuembuf_list(kern_ctl_ref kctlref, u_int32_t unit, mbuf_t m_list,
			     u_int32_t flags, mbuf_t *m_remain);
errno_t ctl_getenqueuepacketcount(kern_ctl_ref kctlref, u_int32_t unit, u_int32_t *pcnt);
#endif

__END_DECLS

#endif
