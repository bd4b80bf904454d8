/* kmod.h - the generated kmod_info source that names the kext inside its binary. */
#ifndef KEXTBUNDLE_KMOD_H
#define KEXTBUNDLE_KMOD_H

#include <stdio.h>

#include "conf.h"

/* The settings came from Xcode's MODULE_* build settings, not a bundle config. */
#define KB_KMOD_XCODE 0x1u

/*
 * kb_write_kmod - write kmod_info.c for a validated config, as Xcode's generated file
 * does: kmod_info (bundle id and CFBundleVersion) through KMOD_EXPLICIT_DECL with
 * libkmod's _start/_stop, and _realmain/_antimain pointing at KextStart/KextStop (a null
 * pointer when one is absent, as Xcode writes for an empty MODULE_START). An id the
 * macro would not reproduce byte for byte is written as the equivalent initializer.
 * flags: KB_KMOD_XCODE (only the comment differs). Returns 0 (stream errors are left in
 * ferror(f)).
 */
int kb_write_kmod(FILE *f, const struct kb_conf *c, unsigned flags);

#endif
