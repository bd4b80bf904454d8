/* utf8.c - UTF-8 checks, so that every value written is well-formed XML text. */
#include "utf8.h"

#include <string.h>

/* Length of a sequence from its lead byte, 0 for a byte that cannot lead. */
static size_t seq_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

size_t kb_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = seq_len(s[0]);
	uint32_t c;

	if (len == 0 || len > n)
		return 0;
	c = (len == 1) ? s[0] : (uint32_t)(s[0] & (0x7f >> len));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (uint32_t)(s[i] & 0x3f);
	}
	/* Overlong forms and surrogates are not UTF-8; XML parsers reject them. */
	if (c < min_cp[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

const char *kb_text_problem(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n > 0) {
		uint32_t c;
		size_t used = kb_utf8_next(p, n, &c);

		if (used == 0)
			return "is not valid UTF-8";
		/* XML 1.0 forbids most C0 controls; tabs and newlines would not survive a
		 * one-line config or a .strings value either, so refuse all of them. */
		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		if (c == 0xfffe || c == 0xffff)
			return "contains U+FFFE or U+FFFF, which XML does not allow";
		p += used;
		n -= used;
	}
	return NULL;
}
