/* name.c - control names and the two address structures built from them. */
#include <errno.h>
#include <string.h>

#include "handle.h"

uint32_t kctl_name_reason(const char *name)
{
	size_t len;

	if (!name)
		return KCTL_R_NAME_NULL;
	/* A Mac rejects both an empty name and one with no NUL in the 96-byte field. */
	len = strnlen(name, KCTL_ABI_MAX_NAME);
	if (len == 0)
		return KCTL_R_NAME_EMPTY;
	if (len == KCTL_ABI_MAX_NAME)
		return KCTL_R_NAME_LONG;
	return 0;
}

int kctl_name_check(const char *name)
{
	return kctl_name_reason(name) ? -EINVAL : 0;
}

void kctl_ctl_info_fill(struct kctl_abi_ctl_info *info, const char *name)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->ctl_name, name, strlen(name));
}

void kctl_sockaddr_fill(struct kctl_abi_sockaddr_ctl *sa, uint32_t id, uint32_t unit)
{
	/* sc_reserved must be zero: clients that left it uninitialised broke on new kernels. */
	memset(sa, 0, sizeof(*sa));
	sa->sc_len = (uint8_t)sizeof(*sa);
	sa->sc_family = KCTL_ABI_AF_SYSTEM;
	sa->ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL;
	sa->sc_id = id;
	sa->sc_unit = unit;
}
