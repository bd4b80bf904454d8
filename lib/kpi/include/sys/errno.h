/*
 * <sys/errno.h> for kext code running in the simulated kernel (libkctl-kpi).
 *
 * Every errno name Darwin and the host share has the host's number here, as the frame
 * protocol (docs/protocol.md) and libkctl expect: an errno a kext returns from a
 * callback, or carries in its own messages, reaches the client as the same name it
 * would on a Mac (ENOBUFS is ENOBUFS), only numbered as the client's system numbers
 * it. One consequence: the host may give two of Darwin's names one number (on Linux
 * ENOTSUP and EOPNOTSUPP are both 95), so a `switch` listing both does not compile.
 *
 * Darwin's own names get numbers of their own, above any host errno (1000 plus
 * Darwin's value), and the simulator maps them where a client would see them to the
 * host's nearest name: EQFULL -> ENOBUFS, ENOATTR -> ENODATA, EAUTH and ENEEDAUTH ->
 * EACCES, EPWROFF and EDEVERR -> EIO, EBADEXEC, EBADARCH, ESHLIBVERS and EBADMACHO ->
 * ENOEXEC, EPROCLIM -> EAGAIN, EFTYPE -> EINVAL, ENOPOLICY -> ENOENT, the RPC errors ->
 * EPROTO. The kernel-only pseudo errnos keep Darwin's values: EJUSTRETURN from a bind
 * callback is success (as xnu's sobindlock makes it), elsewhere it is success too (on a
 * Mac the client's result is then undefined: the syscall returns without setting it);
 * ERESTART, which on a Mac restarts the system call, reaches the client as EINTR. The
 * simulator logs each of these mappings but the first two.
 */
#ifndef KCTL_KPI_SYS_ERRNO_H
#define KCTL_KPI_SYS_ERRNO_H

#include <errno.h>

#ifdef KERNEL
/* The kernel has no errno variable; a kext may use the name for its own. */
#undef errno
#undef ERESTART /* the host's ERESTART (Linux: 85) is another thing */
#define ERESTART (-1)     /* restart the system call */
#define EJUSTRETURN (-2)  /* do not touch the system call's results */
#ifdef KERNEL_PRIVATE
#define ERECYCLE (-5)     /* restart lookup under heavy vnode pressure */
#define EREDRIVEOPEN (-6)
#define EKEEPLOOKING (-7)
#endif
#endif

#define KCTL_KPI_DARWIN_ERRNO(n) (1000 + (n))
#ifndef EPROCLIM
#define EPROCLIM KCTL_KPI_DARWIN_ERRNO(67)     /* too many processes */
#endif
#ifndef EBADRPC
#define EBADRPC KCTL_KPI_DARWIN_ERRNO(72)      /* RPC struct is bad */
#endif
#ifndef ERPCMISMATCH
#define ERPCMISMATCH KCTL_KPI_DARWIN_ERRNO(73) /* RPC version wrong */
#endif
#ifndef EPROGUNAVAIL
#define EPROGUNAVAIL KCTL_KPI_DARWIN_ERRNO(74) /* RPC program not available */
#endif
#ifndef EPROGMISMATCH
#define EPROGMISMATCH KCTL_KPI_DARWIN_ERRNO(75) /* program version wrong */
#endif
#ifndef EPROCUNAVAIL
#define EPROCUNAVAIL KCTL_KPI_DARWIN_ERRNO(76) /* bad procedure for program */
#endif
#ifndef EFTYPE
#define EFTYPE KCTL_KPI_DARWIN_ERRNO(79)       /* inappropriate file type or format */
#endif
#ifndef EAUTH
#define EAUTH KCTL_KPI_DARWIN_ERRNO(80)        /* authentication error */
#endif
#ifndef ENEEDAUTH
#define ENEEDAUTH KCTL_KPI_DARWIN_ERRNO(81)    /* need authenticator */
#endif
#ifndef EPWROFF
#define EPWROFF KCTL_KPI_DARWIN_ERRNO(82)      /* device power is off */
#endif
#ifndef EDEVERR
#define EDEVERR KCTL_KPI_DARWIN_ERRNO(83)      /* device error */
#endif
#ifndef EBADEXEC
#define EBADEXEC KCTL_KPI_DARWIN_ERRNO(85)     /* bad executable */
#endif
#ifndef EBADARCH
#define EBADARCH KCTL_KPI_DARWIN_ERRNO(86)     /* bad CPU type in executable */
#endif
#ifndef ESHLIBVERS
#define ESHLIBVERS KCTL_KPI_DARWIN_ERRNO(87)   /* shared library version mismatch */
#endif
#ifndef EBADMACHO
#define EBADMACHO KCTL_KPI_DARWIN_ERRNO(88)    /* malformed Mach-O file */
#endif
#ifndef ENOATTR
#define ENOATTR KCTL_KPI_DARWIN_ERRNO(93)      /* attribute not found */
#endif
#ifndef ENOPOLICY
#define ENOPOLICY KCTL_KPI_DARWIN_ERRNO(103)   /* no such policy registered */
#endif
#ifndef EQFULL
#define EQFULL KCTL_KPI_DARWIN_ERRNO(106)      /* interface output queue is full */
#endif
#ifndef ELAST
#define ELAST KCTL_KPI_DARWIN_ERRNO(106)       /* the largest errno here */
#endif

#endif
