/* kmod.h - the generated kmod_info source that names the kext inside its binary. */
#ifndef KEXTBUNDLE_KMOD_H
#define KEXTBUNDLE_KMOD_H

#include <stdio.h>

#include "conf.h"

/*
 * kb_write_kmod - write kmod_info.c for a validated config: kmod_info (bundle id and
 * CFBundleVersion) through KMOD_EXPLICIT_DECL with libkmod's _start/_stop, and
 * _realmain/_antimain pointing at KextStart/KextStop, as Xcode's generated file does.
 * flags is unused. Returns 0 (stream errors are left in ferror(f)).
 */
int kb_write_kmod(FILE *f, const struct kb_conf *c, unsigned flags);

#endif
