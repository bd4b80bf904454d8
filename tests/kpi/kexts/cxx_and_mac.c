/* cxx_and_mac.c - a module that reaches for IOKit's C++ classes (the mangled name of
 * IOService::start, as a C++ kext's object file references it) and the MAC framework:
 * neither is simulated, so it is refused at load time with both named. */
#include <mach/mach_types.h>

kern_return_t cxx_start(kmod_info_t *ki, void *d);
kern_return_t cxx_stop(kmod_info_t *ki, void *d);

extern int _ZN9IOService5startEPS_(void *self, void *provider);
extern int mac_policy_register(void *conf, void *handlep, void *xd);

kern_return_t cxx_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	if (mac_policy_register(NULL, NULL, NULL) != 0)
		return KERN_FAILURE;
	return _ZN9IOService5startEPS_(NULL, NULL) ? KERN_SUCCESS : KERN_FAILURE;
}

kern_return_t cxx_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	return KERN_SUCCESS;
}
