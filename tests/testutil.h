/* testutil.h - small helpers shared by the cmocka suites (header-only). */
#ifndef KCTL_TESTUTIL_H
#define KCTL_TESTUTIL_H

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

/* How many file descriptors this process has open: a leak check around any scenario. */
static inline int tu_open_fds(void)
{
	struct rlimit rl;
	long max = 1024;
	int n = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < 65536)
		max = (long)rl.rlim_cur;
	for (long fd = 0; fd < max; fd++)
		if (fcntl((int)fd, F_GETFD) != -1)
			n++;
	return n;
}

#endif
