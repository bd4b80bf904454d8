/* version.h - the kext version string grammar (OSKextParseVersionString). */
#ifndef KEXTBUNDLE_VERSION_H
#define KEXTBUNDLE_VERSION_H

#include <stdint.h>

/* Parse with the pre-2018 grammar: 2-digit minor and revision fields and the old
 * encoding major*10^8 + minor*10^6 + revision*10^4 + stage*1000 + level. */
#define KB_VERSION_STRICT 0x1u

/*
 * kb_version_parse - parse a kext version string as the kernel does.
 *
 * Grammar (current kernels): major[.minor[.revision]][stage level], fields of at most
 * 4 digits, stage d/a/b/f/fc with a level of 1-3 digits <= 255; the odd rules of the
 * kernel's parser are kept (empty fields, one '.' skipped after exactly 4 revision
 * digits, whitespace ending the string). On success stores the ordering value
 * major*10^12 + minor*10^8 + revision*10^4 + stage*1000 + level in *value and returns 0.
 * On failure returns -EINVAL (malformed) or -ERANGE (a field too long or a level above
 * 255) and stores a static, human-readable reason in *reason (if reason is not NULL).
 */
int kb_version_parse(const char *s, unsigned flags, uint64_t *value, const char **reason);

#endif
