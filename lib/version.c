/* version.c - the library's version string, from the build. */
#include "kctl.h"

#ifndef KCTL_VERSION_STRING
#error "the build defines KCTL_VERSION_STRING"
#endif

const char *kctl_version(void)
{
	return KCTL_VERSION_STRING;
}
