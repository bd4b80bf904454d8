/*
 * check.h - the few helpers the preload's client programs share. The clients are
 * written as Mac programs are (raw BSD calls, Darwin's headers from libkctl-darwin), so
 * they use no test framework: each CHECK prints its line, and the program ends with
 * "N passed, M failed" and exit status 1 if anything failed.
 */
#ifndef PRELOAD_CHECK_H
#define PRELOAD_CHECK_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/kern_control.h>
#include <sys/socket.h>
#include <sys/sys_domain.h>
#include <unistd.h>

static int checks_passed, checks_failed;

#define CHECK(cond, ...)                                                            \
	do {                                                                        \
		if (cond) {                                                         \
			checks_passed++;                                            \
		} else {                                                            \
			checks_failed++;                                            \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);       \
			printf(__VA_ARGS__);                                        \
			printf("\n");                                               \
		}                                                                   \
	} while (0)

/* A call that must fail with errno e. */
#define CHECK_ERRNO(call, e)                                                        \
	do {                                                                        \
		errno = 0;                                                          \
		long rc_ = (long)(call);                                            \
		int got_ = errno;                                                   \
		CHECK(rc_ == -1 && got_ == (e), "%s: rc %ld errno %d (%s), want %d (%s)", \
		      #call, rc_, got_, strerror(got_), (e), strerror(e));          \
	} while (0)

static inline int checks_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, checks_passed, checks_failed);
	return checks_failed == 0 ? 0 : 1;
}

/* The usual Mac dance: look the name up, connect with unit (0: any). fd or -errno. */
static inline int ctl_open(const char *name, int type, uint32_t unit, uint32_t *id)
{
	struct sockaddr_ctl sc;
	struct ctl_info info;
	int fd = socket(PF_SYSTEM, type, SYSPROTO_CONTROL);

	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	strncpy(info.ctl_name, name, sizeof(info.ctl_name) - 1);
	if (ioctl(fd, CTLIOCGINFO, &info) < 0)
		goto fail;
	memset(&sc, 0, sizeof(sc));
	sc.sc_len = sizeof(sc);
	sc.sc_family = AF_SYSTEM;
	sc.ss_sysaddr = AF_SYS_CONTROL;
	sc.sc_id = info.ctl_id;
	sc.sc_unit = unit;
	if (connect(fd, (struct sockaddr *)&sc, sizeof(sc)) < 0)
		goto fail;
	if (id != NULL)
		*id = info.ctl_id;
	return fd;
fail:
	{
		int err = errno;

		close(fd);
		return -err;
	}
}

/* The unit the kernel chose, from getpeername. */
static inline uint32_t ctl_unit(int fd)
{
	struct sockaddr_ctl sc;
	socklen_t len = sizeof(sc);

	memset(&sc, 0, sizeof(sc));
	if (getpeername(fd, (struct sockaddr *)&sc, &len) < 0)
		return 0;
	return sc.sc_unit;
}

#endif
