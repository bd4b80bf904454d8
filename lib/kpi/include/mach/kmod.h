/*
 * <mach/kmod.h> for kext code running in the simulated kernel (libkctl-kpi): the
 * kmod_info_t a kext names itself with, and KMOD_EXPLICIT_DECL, so that the kmod_info
 * source Xcode or tools/kextbundle generates compiles unchanged here and on a Mac.
 *
 * Two differences from Apple's header, both invisible to kext code:
 * - `_start` and `_stop` (libkmod's entry points on a Mac, which call the kext's
 *   _realmain/_antimain) are renamed by macro: on ELF `_start` is the program's entry
 *   point. libkctl-kpi's libkctl-kmod.a plays libkmod's part inside each module.
 * - No #pragma pack(4): the struct never leaves this process.
 */
#ifndef KCTL_KPI_MACH_KMOD_H
#define KCTL_KPI_MACH_KMOD_H

#include <stddef.h>
#include <stdint.h>

#include <sys/_kpi_cdefs.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>

#define _start kctl_kmod_start
#define _stop kctl_kmod_stop

/* The generated source records the compiler version as Apple's clang does. */
#ifndef __APPLE_CC__
#define __APPLE_CC__ 6000
#endif

#define KMOD_MAX_NAME 64
#define KMOD_INFO_NAME kmod_info
#define KMOD_INFO_VERSION 1
#define KMOD_RETURN_SUCCESS KERN_SUCCESS
#define KMOD_RETURN_FAILURE KERN_FAILURE

__BEGIN_DECLS

struct kmod_info;
typedef kern_return_t kmod_start_func_t(struct kmod_info *ki, void *data);
typedef kern_return_t kmod_stop_func_t(struct kmod_info *ki, void *data);

typedef struct kmod_reference {
	struct kmod_reference *next;
	struct kmod_info *info;
} kmod_reference_t;

typedef struct kmod_info {
	struct kmod_info *next;
	int32_t info_version;
	uint32_t id;
	char name[KMOD_MAX_NAME];
	char version[KMOD_MAX_NAME];
	int32_t reference_count;
	kmod_reference_t *reference_list;
	vm_address_t address;
	vm_size_t size;
	vm_size_t hdr_size;
	kmod_start_func_t *start;
	kmod_stop_func_t *stop;
} kmod_info_t;

/* As Apple's: the bundle id is stringified (#name), so it is written as bare tokens. */
#define KMOD_EXPLICIT_DECL(name, version, start, stop)                              \
	kmod_info_t KMOD_INFO_NAME = { NULL, KMOD_INFO_VERSION, UINT32_MAX, { #name },  \
				       { version }, -1, NULL, 0, 0, 0, start, stop };

#define KMOD_DECL(name, version) KMOD_EXPLICIT_DECL(name, version, _start, _stop)

__END_DECLS

#endif
