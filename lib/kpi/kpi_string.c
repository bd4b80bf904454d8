/*
 * kpi_string.c - strlcpy and strlcat for kext code (glibc has them only from 2.38),
 * with the BSD semantics: always NUL-terminate when size > 0, return the length the
 * whole result would have had.
 */
#include <string.h>

#include "kpi_int.h"

size_t kctl_kpi_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t kctl_kpi_strlcat(char *dst, const char *src, size_t size)
{
	size_t have = strnlen(dst, size);

	if (have == size) /* no NUL within size: BSD returns size + strlen(src) */
		return size + strlen(src);
	return have + kctl_kpi_strlcpy(dst + have, src, size - have);
}
