/* utf8.h - the little UTF-8 the config values need: validation and decoding. */
#ifndef KEXTBUNDLE_UTF8_H
#define KEXTBUNDLE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * kb_utf8_next - decode one code point from s (n bytes left, n >= 1).
 * Returns the number of bytes used (1-4) and stores the code point in *cp, or 0 for
 * an invalid, overlong, surrogate or out-of-range sequence.
 */
size_t kb_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * kb_text_problem - why a config value cannot go into an XML plist or a .strings
 * file, or NULL when it can: it must be valid UTF-8 without control characters or
 * the XML non-characters U+FFFE and U+FFFF.
 */
const char *kb_text_problem(const char *s);

#endif
