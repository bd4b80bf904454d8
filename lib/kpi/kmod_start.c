/*
 * kmod_start.c - libkmod's part, libkctl-kmod.a, linked into every kext module of the
 * simulator (on a Mac, -lkmod links Apple's). kmod_info names _start/_stop as the kext's entry points;
 * they call the kext's own start and stop routines, which the generated kmod_info
 * source stores in _realmain and _antimain. (<mach/kmod.h> renames _start and _stop:
 * on ELF `_start` is the program's entry point.)
 */
#include <mach/mach_types.h>
#include <mach/kmod.h>

/* Hidden: each module has its own (the generated kmod_info source defines them). */
extern kmod_start_func_t *_realmain __attribute__((visibility("hidden")));
extern kmod_stop_func_t *_antimain __attribute__((visibility("hidden")));

kern_return_t _start(kmod_info_t *ki, void *data);
kern_return_t _stop(kmod_info_t *ki, void *data);

__private_extern__ kern_return_t _start(kmod_info_t *ki, void *data)
{
	return _realmain != NULL ? _realmain(ki, data) : KERN_SUCCESS;
}

__private_extern__ kern_return_t _stop(kmod_info_t *ki, void *data)
{
	return _antimain != NULL ? _antimain(ki, data) : KERN_SUCCESS;
}
