/*
 * xcode.h - Xcode's kmod_info build settings as a config.
 *
 * An Xcode kext target names itself with four build settings, MODULE_NAME (the bundle
 * identifier), MODULE_VERSION, MODULE_START and MODULE_STOP, from which Xcode generates
 * the kmod_info source. `kextbundle kmod MODULE_NAME=... MODULE_VERSION=... OUT` takes
 * the same four, so a kext built outside Xcode keeps its project's values.
 */
#ifndef KEXTBUNDLE_XCODE_H
#define KEXTBUNDLE_XCODE_H

#include <stdbool.h>

#include "conf.h"
#include "diag.h"

/* kb_xcode_is_setting - whether arg looks like "MODULE_<something>=value". */
bool kb_xcode_is_setting(const char *arg);

/*
 * kb_xcode_read - fill *c from n "KEY=VALUE" settings: MODULE_NAME -> the identifier,
 * MODULE_VERSION -> the version, MODULE_START and MODULE_STOP -> the routines (an empty
 * value leaves the routine out, as an IOKit-only kext has none). Unknown or repeated
 * keys and text a C source cannot carry (control characters, invalid UTF-8) are
 * reported through d and counted. Returns 0, or -ENOMEM. Free *c with kb_conf_free().
 */
int kb_xcode_read(struct kb_conf *c, struct kb_diag *d, int n, char *const *settings);

#endif
