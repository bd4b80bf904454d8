/* validate.h - the loader's rules for a kext's Info.plist, applied to a config. */
#ifndef KEXTBUNDLE_VALIDATE_H
#define KEXTBUNDLE_VALIDATE_H

#include "conf.h"
#include "diag.h"

/* The kernel refuses a CFBundleIdentifier of KMOD_MAX_NAME (64) or more bytes. */
#define KB_MAX_ID_LEN 63
/* kmod_info's version field is KMOD_MAX_NAME bytes too. */
#define KB_MAX_VERSION_LEN 63

/*
 * kb_validate - check every rule (required keys, identifier form and length, version
 * grammar, compatible <= current version, libraries, OSBundleRequired, start/stop
 * names) and report each broken one through d. Returns how many it reported.
 */
unsigned kb_validate(const struct kb_conf *c, struct kb_diag *d);

/*
 * kb_validate_kmod - the rules that matter for a kmod_info source alone (Xcode's
 * MODULE_NAME, MODULE_VERSION, MODULE_START, MODULE_STOP): an identifier and a version
 * as the loader accepts them; start and stop, when given, distinct C identifiers.
 * Returns how many problems it reported through d.
 */
unsigned kb_validate_kmod(const struct kb_conf *c, struct kb_diag *d);

/* kb_bundle_id_problem - why id is not a usable bundle identifier, or NULL. */
const char *kb_bundle_id_problem(const char *id);

/* kb_c_identifier_problem - why name cannot name the kext's start/stop function. */
const char *kb_c_identifier_problem(const char *name);

#endif
