/*
 * kpi_errno.c - what the client sees for the errno a kext returns (see <sys/errno.h>).
 *
 * Kext code is built with the host's errno numbers, so most values pass as they are.
 * Darwin's own names (numbered 1000 + Darwin's value in <sys/errno.h>) have no host
 * number: they become the host's nearest name, as a client on the host can only see
 * those. The kernel-only pseudo errnos follow what xnu does with them: EJUSTRETURN
 * leaves the system call's result alone, so the client sees success (exactly so from a
 * bind callback, which sobindlock turns into 0; elsewhere the result on a Mac is
 * whatever the registers held); ERESTART restarts the call on a Mac, which a callback
 * of the simulator cannot, so the client sees EINTR, the error a restartable call gives
 * when it is not restarted. Anything else out of range is EIO.
 */
#include <errno.h>
#include <stddef.h>

#include "kpi_int.h"

#define DARWIN(n) (1000 + (n))
#define KPI_ERESTART (-1)
#define KPI_EJUSTRETURN (-2)

static const struct {
	int kext;
	int host;
	const char *name;
} darwin_only[] = {
	{ DARWIN(67), EAGAIN, "EPROCLIM" },
	{ DARWIN(72), EPROTO, "EBADRPC" },
	{ DARWIN(73), EPROTO, "ERPCMISMATCH" },
	{ DARWIN(74), EPROTO, "EPROGUNAVAIL" },
	{ DARWIN(75), EPROTO, "EPROGMISMATCH" },
	{ DARWIN(76), EPROTO, "EPROCUNAVAIL" },
	{ DARWIN(79), EINVAL, "EFTYPE" },
	{ DARWIN(80), EACCES, "EAUTH" },
	{ DARWIN(81), EACCES, "ENEEDAUTH" },
	{ DARWIN(82), EIO, "EPWROFF" },
	{ DARWIN(83), EIO, "EDEVERR" },
	{ DARWIN(85), ENOEXEC, "EBADEXEC" },
	{ DARWIN(86), ENOEXEC, "EBADARCH" },
	{ DARWIN(87), ENOEXEC, "ESHLIBVERS" },
	{ DARWIN(88), ENOEXEC, "EBADMACHO" },
	{ DARWIN(93), ENODATA, "ENOATTR" },
	{ DARWIN(103), ENOENT, "ENOPOLICY" },
	{ DARWIN(106), ENOBUFS, "EQFULL" },
};

/* The largest errno the frame protocol (and a sane kext) uses. */
#define HOST_ERRNO_MAX 4095

int kpi_errno_to_sim(int e, const char *ctl_name, const char *what)
{
	if (e == 0)
		return 0;
	if (e == KPI_EJUSTRETURN)
		return 0;
	if (e == KPI_ERESTART) {
		kpi_logf("kpi: %s's %s callback returned ERESTART: a Mac would restart the "
			 "call; the client sees EINTR", ctl_name, what);
		return -EINTR;
	}
	for (size_t i = 0; i < sizeof(darwin_only) / sizeof(darwin_only[0]); i++)
		if (darwin_only[i].kext == e) {
			kpi_logf("kpi: %s's %s callback returned %s, which this host has not: "
				 "the client sees errno %d", ctl_name, what, darwin_only[i].name,
				 darwin_only[i].host);
			return -darwin_only[i].host;
		}
	if (e < 0 || e > HOST_ERRNO_MAX) {
		kpi_logf("kpi: %s's %s callback returned %d, not an errno: the client sees EIO",
			 ctl_name, what, e);
		return -EIO;
	}
	return -e;
}
