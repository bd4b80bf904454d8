/*
 * sample_path.c - where `kctl -S` finds the sample kext module.
 *
 * The build tree's kctl uses the build tree's module, so a build never tries an older
 * installed one; an installed kctl uses the module installed beside its libraries
 * (<libdir>/libkctl-kpi/Sample.so), looked for relative to the executable first, so that
 * an install tree that was moved (or staged with DESTDIR) is self-contained. The paths
 * come from the build (meson.build): KCTL_BUILD_EXE, KCTL_BUILD_SAMPLE,
 * KCTL_SAMPLE_FROM_BINDIR and KCTL_SAMPLE_INSTALLED.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample_path.h"

/* This executable's path, resolved; "" when the system does not say (no /proc). */
static void self_path(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);

	buf[n > 0 ? (size_t)n : 0] = '\0';
}

static int same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	return realpath(a, ra) != NULL && realpath(b, rb) != NULL && strcmp(ra, rb) == 0;
}

const char *kctl_cli_sample_path(char *buf, size_t cap)
{
	const char *env = getenv("KCTL_SAMPLE_KEXT");
	char self[PATH_MAX];
	char *slash;

	if (env != NULL && *env != '\0') {
		snprintf(buf, cap, "%s", env);
		return buf;
	}
	self_path(self, sizeof(self));
	if (*self != '\0' && same_file(self, KCTL_BUILD_EXE)) {
		snprintf(buf, cap, "%s", KCTL_BUILD_SAMPLE);
		return buf;
	}
	slash = strrchr(self, '/');
	if (slash != NULL && KCTL_SAMPLE_FROM_BINDIR[0] != '/') {
		*slash = '\0';
		snprintf(buf, cap, "%s/%s", self, KCTL_SAMPLE_FROM_BINDIR);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	snprintf(buf, cap, "%s", KCTL_SAMPLE_INSTALLED);
	return buf;
}
