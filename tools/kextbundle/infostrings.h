/* infostrings.h - Contents/Resources/English.lproj/InfoPlist.strings. */
#ifndef KEXTBUNDLE_INFOSTRINGS_H
#define KEXTBUNDLE_INFOSTRINGS_H

#include <stdio.h>

#include "conf.h"

/* Write UTF-8 instead of the default UTF-16 (little-endian, with a byte order mark). */
#define KB_STRINGS_UTF8 0x1u

/*
 * kb_write_strings - write the localizable Info.plist keys (CFBundleName,
 * CFBundleShortVersionString, CFBundleGetInfoString, NSHumanReadableCopyright) as a
 * .strings file. UTF-16 by default: the encoding the .strings format was defined
 * with, read by every macOS version; KB_STRINGS_UTF8 for the UTF-8 form that macOS
 * 10.5 and later also accept. Returns 0 or -EILSEQ (stream errors stay in ferror(f)).
 */
int kb_write_strings(FILE *f, const struct kb_conf *c, unsigned flags);

#endif
