/*
 * <sys/kernel_types.h> for kext code running in the simulated kernel (libkctl-kpi): the
 * opaque KPI types. An mbuf_t here points at one segment of the simulator's chains
 * (kctl_sim.h); kext code never sees inside it, as on a Mac. As in Apple's header, the
 * structures are named with two underscores for third-party code and plainly for
 * kernel-private code.
 */
#ifndef KCTL_KPI_SYS_KERNEL_TYPES_H
#define KCTL_KPI_SYS_KERNEL_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <sys/_kpi_cdefs.h>

typedef int errno_t;
typedef int64_t daddr64_t;

struct proc;
struct ucred;
struct vnode;
struct mount;
struct uio;
typedef struct proc *proc_t;
typedef struct ucred *kauth_cred_t;
typedef struct vnode *vnode_t;
typedef struct mount *mount_t;
typedef struct uio *uio_t;

#ifdef KERNEL_PRIVATE
typedef struct mbuf *mbuf_t;
typedef struct ifnet *ifnet_t;
typedef struct socket *socket_t;
typedef struct sockopt *sockopt_t;
typedef struct ifaddr *ifaddr_t;
typedef struct ifmultiaddr *ifmultiaddr_t;
typedef struct ifnet_filter *interface_filter_t;
typedef struct rtentry *route_t;
#else
typedef struct __mbuf *mbuf_t;
typedef struct __ifnet *ifnet_t;
typedef struct __socket *socket_t;
typedef struct __sockopt *sockopt_t;
typedef struct __ifaddr *ifaddr_t;
typedef struct __ifmultiaddr *ifmultiaddr_t;
typedef struct __ifnet_filter *interface_filter_t;
typedef struct __rtentry *route_t;
#endif
/* xnu's bounds-safety names for the same pointers */
typedef mbuf_t mbuf_ref_t;
typedef mbuf_t *mbuf_ref_ref_t;

#endif
