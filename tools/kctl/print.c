/* print.c - showing a payload to a person: text if it is text, hex otherwise. */
#include <ctype.h>

#include "kctl_cli.h"

void kctl_cli_print_payload(FILE *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	int text = 1;

	for (size_t i = 0; i < len; i++)
		if (!isprint(p[i]) && !(i == len - 1 && p[i] == '\0'))
			text = 0;
	if (text) {
		fprintf(out, "%.*s\n", (int)(len && p[len - 1] == '\0' ? len - 1 : len),
			(const char *)p);
		return;
	}
	for (size_t i = 0; i < len; i++)
		fprintf(out, "%02x%s", p[i], i + 1 < len ? " " : "\n");
	if (len == 0)
		fputc('\n', out);
}
