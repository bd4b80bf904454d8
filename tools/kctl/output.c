/*
 * output.c - payloads shown to a person (-o auto|text|hex|raw|attrs) or to a script
 * (--json: "len", "hex", "text" when the bytes are text, "attrs" with -o attrs).
 *
 * "Text" means valid UTF-8 without control characters other than tab, newline and
 * carriage return; one trailing NUL (a C string's) is allowed and not shown.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "json.h"

int kctl_cli_format(const char *s, int *fmt)
{
	static const char *const names[] = { "auto", "text", "hex", "raw", "attrs" };

	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(s, names[i]) == 0) {
			*fmt = i; /* enum kctl_cli_format, in this order */
			return 0;
		}
	return -EINVAL;
}

/* The length shown as text: without one trailing NUL. */
static size_t text_len(const unsigned char *p, size_t n)
{
	return n > 0 && p[n - 1] == '\0' ? n - 1 : n;
}

static int is_text(const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t len = text_len(p, n);

	for (size_t i = 0; i < len; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') || p[i] == 0x7F)
			return 0;
	return kctl_json_utf8_valid(p, len);
}

static void print_hex(FILE *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? " " : "", p[i]);
}

/* Text with what is not printable ASCII written as a C escape. */
static void print_escaped(FILE *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\')
			fputs("\\\\", out);
		else if (p[i] == '\n')
			fputs("\\n", out);
		else if (p[i] == '\t')
			fputs("\\t", out);
		else if (p[i] == '\r')
			fputs("\\r", out);
		else if (p[i] < 0x20 || p[i] >= 0x7F)
			fprintf(out, "\\x%02x", p[i]);
		else
			fputc(p[i], out);
	}
}

/* What an attribute's value reads as: each typed getter of kctl_frame.h that takes it. */
struct attr_reading {
	const unsigned char *v;
	size_t n;
	int is_str; /* a NUL-terminated string that is text */
	int has_u8, has_u16, has_u32, has_u64;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
};

static void read_attr(const struct kctl_attr *a, struct attr_reading *r)
{
	const char *s;

	memset(r, 0, sizeof(*r));
	r->v = kctl_attr_payload(a);
	r->n = kctl_attr_payload_len(a);
	r->is_str = r->n > 1 && kctl_attr_get_str(a, &s) == 0 && is_text(r->v, r->n);
	r->has_u8 = kctl_attr_get_u8(a, &r->u8) == 0;
	r->has_u16 = kctl_attr_get_u16(a, &r->u16) == 0;
	r->has_u32 = kctl_attr_get_u32(a, &r->u32) == 0;
	r->has_u64 = kctl_attr_get_u64(a, &r->u64) == 0;
}

/* One attribute's value, as the most likely reading of its length. */
static void print_attr_value(FILE *out, const struct kctl_attr *a)
{
	struct attr_reading r;

	read_attr(a, &r);
	if (r.is_str) {
		fputc('"', out);
		print_escaped(out, r.v, r.n - 1);
		fputc('"', out);
	} else if (r.has_u8) {
		fprintf(out, "u8 %u", (unsigned)r.u8);
	} else if (r.has_u16) {
		fprintf(out, "u16 %u", (unsigned)r.u16);
	} else if (r.has_u32) {
		fprintf(out, "u32 %lu", (unsigned long)r.u32);
	} else if (r.has_u64) {
		fprintf(out, "u64 %llu", (unsigned long long)r.u64);
	} else {
		fputs("hex ", out);
		print_hex(out, r.v, r.n);
	}
}

static int aligned(const void *p)
{
	return ((uintptr_t)p & (KCTL_ATTR_ALIGN - 1)) == 0;
}

static void print_attrs(FILE *out, const void *data, size_t len)
{
	const struct kctl_attr *a;
	size_t off = 0;
	int r;

	if (!aligned(data)) {
		print_hex(out, data, len);
		fputc('\n', out);
		return;
	}
	while ((r = kctl_attr_next(data, len, &off, &a)) > 0) {
		fprintf(out, "attr %u (%zu bytes): ", (unsigned)kctl_attr_type(a),
			kctl_attr_payload_len(a));
		print_attr_value(out, a);
		fputc('\n', out);
	}
	if (r < 0) {
		fprintf(out, "(not attributes from byte %zu on: %s) ", off, kctl_strerror(r));
		print_hex(out, (const unsigned char *)data + off, len - off);
		fputc('\n', out);
	} else if (len == 0) {
		fputs("(no attributes)\n", out);
	}
}

void kctl_cli_print_data(FILE *out, int fmt, const void *data, size_t len)
{
	const unsigned char *p = data;

	switch (fmt) {
	case KCTL_CLI_FMT_RAW:
		fwrite(p, 1, len, out);
		return;
	case KCTL_CLI_FMT_ATTRS:
		print_attrs(out, data, len);
		return;
	case KCTL_CLI_FMT_HEX:
		print_hex(out, p, len);
		break;
	case KCTL_CLI_FMT_TEXT:
		print_escaped(out, p, len);
		break;
	default:
		if (!is_text(p, len)) {
			print_hex(out, p, len);
			break;
		}
		fwrite(p, 1, text_len(p, len), out);
		if (text_len(p, len) > 0 && p[text_len(p, len) - 1] == '\n')
			return; /* it ends its own line */
		break;
	}
	fputc('\n', out);
}

static void json_attr(struct kctl_json *j, const struct kctl_attr *a)
{
	struct attr_reading r;

	read_attr(a, &r);
	kctl_json_open(j, NULL, '{');
	kctl_json_u64(j, "type", kctl_attr_type(a));
	kctl_json_u64(j, "len", r.n);
	kctl_json_hex(j, "hex", r.v, r.n);
	if (r.is_str)
		kctl_json_strn(j, "str", r.v, r.n - 1);
	if (r.has_u8)
		kctl_json_u64(j, "u8", r.u8);
	if (r.has_u16)
		kctl_json_u64(j, "u16", r.u16);
	if (r.has_u32)
		kctl_json_u64(j, "u32", r.u32);
	if (r.has_u64)
		kctl_json_u64(j, "u64", r.u64);
	kctl_json_close(j);
}

static void json_attrs(struct kctl_json *j, const void *data, size_t len)
{
	const struct kctl_attr *a;
	size_t off = 0;
	int r = aligned(data) ? 1 : -EINVAL;

	kctl_json_open(j, "attrs", '[');
	while (r > 0 && (r = kctl_attr_next(data, len, &off, &a)) > 0)
		json_attr(j, a);
	kctl_json_close(j);
	if (r < 0)
		kctl_json_str(j, "attrs_error", kctl_strerror(r));
}

void kctl_cli_json_data(struct kctl_json *j, int fmt, const void *data, size_t len)
{
	kctl_json_u64(j, "len", len);
	kctl_json_hex(j, "hex", data, len);
	if (is_text(data, len))
		kctl_json_strn(j, "text", data, text_len(data, len));
	if (fmt == KCTL_CLI_FMT_ATTRS)
		json_attrs(j, data, len);
}
