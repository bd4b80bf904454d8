/* json.c - one JSON object per line (json.h). */
#include <inttypes.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0 if it is not one. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2, cp = p[0] & 0x1Fu;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3, cp = p[0] & 0x0Fu;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4, cp = p[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int kctl_json_utf8_valid(const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq(s + i, n - i);

		if (len == 0)
			return 0;
		i += len;
	}
	return 1;
}

/* The separator before a member, and its key. */
static void member(struct kctl_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = 0;
	if (key != NULL)
		fprintf(j->out, "\"%s\":", key); /* keys are the tool's own: no escaping */
}

static void escaped(FILE *out, const unsigned char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq(s + i, n - i);

		if (len == 0) {
			fputs("\\ufffd", out); /* not UTF-8: the replacement character */
			i++;
			continue;
		}
		if (s[i] == '"' || s[i] == '\\')
			fprintf(out, "\\%c", s[i]);
		else if (s[i] == '\n')
			fputs("\\n", out);
		else if (s[i] == '\t')
			fputs("\\t", out);
		else if (s[i] == '\r')
			fputs("\\r", out);
		else if (s[i] < 0x20 || s[i] == 0x7F)
			fprintf(out, "\\u%04x", s[i]);
		else
			fwrite(s + i, 1, len, out);
		i += len;
	}
	fputc('"', out);
}

void kctl_json_begin(struct kctl_json *j, FILE *out, const char *kind)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = 1;
	j->closer[0] = '}';
	fputc('{', out);
	kctl_json_str(j, "kind", kind);
}

void kctl_json_end(struct kctl_json *j)
{
	while (j->depth > 0)
		kctl_json_close(j);
	fputs("}\n", j->out);
	fflush(j->out);
}

void kctl_json_str(struct kctl_json *j, const char *key, const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	kctl_json_strn(j, key, s, n);
}

void kctl_json_strn(struct kctl_json *j, const char *key, const void *s, size_t n)
{
	member(j, key);
	escaped(j->out, s, n);
}

void kctl_json_u64(struct kctl_json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->out, "%" PRIu64, v);
}

void kctl_json_i64(struct kctl_json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->out, "%" PRId64, v);
}

void kctl_json_bool(struct kctl_json *j, const char *key, int v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->out);
}

void kctl_json_null(struct kctl_json *j, const char *key)
{
	member(j, key);
	fputs("null", j->out);
}

void kctl_json_hex(struct kctl_json *j, const char *key, const void *p, size_t n)
{
	const unsigned char *b = p;

	member(j, key);
	fputc('"', j->out);
	for (size_t i = 0; i < n; i++)
		fprintf(j->out, "%02x", b[i]);
	fputc('"', j->out);
}

void kctl_json_open(struct kctl_json *j, const char *key, char bracket)
{
	if (j->depth + 1 >= KCTL_JSON_DEPTH)
		return; /* the tool never nests this deep */
	member(j, key);
	fputc(bracket, j->out);
	j->depth++;
	j->first[j->depth] = 1;
	j->closer[j->depth] = bracket == '[' ? ']' : '}';
}

void kctl_json_close(struct kctl_json *j)
{
	if (j->depth == 0)
		return;
	fputc(j->closer[j->depth], j->out);
	j->depth--;
}
