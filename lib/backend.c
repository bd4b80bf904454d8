/* backend.c - choosing where the calls go: the platform's kernel unless told otherwise. */
#include "handle.h"

const kctl_backend_t *kctl_backend_native(void)
{
	return kctl_native_traced();
}

const struct kctl_backend *kctl_backend_resolve(const kctl_backend_t *be)
{
	return be ? be : kctl_native_traced();
}

const struct kctl_backend *kctl_backend_resolve_untraced(const kctl_backend_t *be)
{
	return be ? be : &kctl_native_backend;
}
