/*
 * payload.c - what the commands that send take from the command line: TEXT as it is,
 * "-" or --file F for a file's bytes (F "-" is stdin), --hex for bytes written in hex,
 * or --attr TYPE:KIND:VALUE (repeatable) for a payload of frame attributes built with
 * libkctl's codec. One way per command: mixing them is a usage error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Room for a payload of attributes: a frame header and the largest payload. */
#define ATTR_FRAME_CAP (KCTL_FRAME_HDR_LEN + KCTL_ATTR_PAYLOAD_MAX + 1)

static int one_source(struct kctl_cli *cli, struct kctl_cli_payload *p)
{
	if (p->sources++ == 0)
		return 0;
	return kctl_cli_usage(cli, "give the payload one way only: TEXT, -, --hex, --file "
			      "or --attr");
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits, two per byte; spaces, tabs and ':' may separate bytes. */
static int parse_hex(const char *s, unsigned char *out, size_t cap, size_t *len)
{
	size_t n = 0;

	while (*s != '\0') {
		int hi, lo;

		if (*s == ' ' || *s == '\t' || *s == ':' || *s == '\n') {
			s++;
			continue;
		}
		hi = hexval((unsigned char)s[0]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);
		if (lo < 0 || n == cap)
			return -EINVAL;
		out[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	*len = n;
	return 0;
}

static int read_stream(struct kctl_cli *cli, struct kctl_cli_payload *p, FILE *f,
		       const char *what)
{
	size_t cap = KCTL_CLI_PAYLOAD_MAX + 1, n;

	p->buf = malloc(cap);
	if (p->buf == NULL)
		return kctl_cli_fail_msg(cli, what, "out of memory");
	n = fread(p->buf, 1, cap, f);
	if (ferror(f))
		return kctl_cli_fail_msg(cli, what, "read error");
	if (n == cap)
		return kctl_cli_fail_msg(cli, what, "more than 1 MiB: no control takes that");
	p->data = p->buf;
	p->len = n;
	return 0;
}

static int from_file(struct kctl_cli *cli, struct kctl_cli_payload *p, const char *path)
{
	FILE *f;
	int rc;

	if (strcmp(path, "-") == 0)
		return read_stream(cli, p, stdin, "stdin");
	f = fopen(path, "rb");
	if (f == NULL)
		return kctl_cli_fail_msg(cli, path, strerror(errno));
	rc = read_stream(cli, p, f, path);
	fclose(f);
	return rc;
}

static int from_hex(struct kctl_cli *cli, struct kctl_cli_payload *p, const char *hex)
{
	size_t cap = strlen(hex) / 2 + 1;

	p->buf = malloc(cap);
	if (p->buf == NULL)
		return kctl_cli_fail_msg(cli, "--hex", "out of memory");
	if (parse_hex(hex, (unsigned char *)p->buf, cap, &p->len) != 0)
		return kctl_cli_usage(cli, "--hex '%s': not hex bytes (two digits each)", hex);
	p->data = p->buf;
	return 0;
}

/* One attribute, TYPE:KIND:VALUE, appended to the scratch frame. */
static int put_attr(void *frame, uint16_t type, const char *kind, const char *v)
{
	uint64_t n = 0;

	if (strcmp(kind, "str") == 0)
		return kctl_attr_put_str(frame, ATTR_FRAME_CAP, type, v);
	if (strcmp(kind, "hex") == 0) {
		unsigned char bytes[KCTL_ATTR_PAYLOAD_MAX];
		size_t len;

		if (parse_hex(v, bytes, sizeof(bytes), &len) != 0)
			return -EINVAL;
		return kctl_attr_put(frame, ATTR_FRAME_CAP, type, bytes, len);
	}
	if (kctl_cli_u64(v, &n) != 0)
		return -EINVAL;
	if (strcmp(kind, "u8") == 0 && n <= UINT8_MAX)
		return kctl_attr_put_u8(frame, ATTR_FRAME_CAP, type, (uint8_t)n);
	if (strcmp(kind, "u16") == 0 && n <= UINT16_MAX)
		return kctl_attr_put_u16(frame, ATTR_FRAME_CAP, type, (uint16_t)n);
	if (strcmp(kind, "u32") == 0 && n <= UINT32_MAX)
		return kctl_attr_put_u32(frame, ATTR_FRAME_CAP, type, (uint32_t)n);
	if (strcmp(kind, "u64") == 0)
		return kctl_attr_put_u64(frame, ATTR_FRAME_CAP, type, n);
	return -EINVAL;
}

static int from_attr(struct kctl_cli *cli, struct kctl_cli_payload *p, const char *spec)
{
	char kind[8] = "";
	const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char type_s[8] = "";
	uint16_t type;
	int rc;

	if (c1 == NULL || c2 == NULL || (size_t)(c1 - spec) >= sizeof(type_s) ||
	    (size_t)(c2 - c1 - 1) >= sizeof(kind))
		goto bad;
	memcpy(type_s, spec, (size_t)(c1 - spec));
	memcpy(kind, c1 + 1, (size_t)(c2 - c1 - 1));
	if (kctl_cli_u16(type_s, &type) != 0)
		goto bad;
	if (p->buf == NULL) {
		p->buf = calloc(ATTR_FRAME_CAP / 8 + 1, 8); /* 8-byte aligned, as frames are */
		if (p->buf == NULL)
			return kctl_cli_fail_msg(cli, "--attr", "out of memory");
		kctl_frame_start(p->buf, ATTR_FRAME_CAP, KCTL_FRAME_F_REQUEST, 0, 0, 0);
	}
	rc = put_attr(p->buf, type, kind, c2 + 1);
	if (rc == -EMSGSIZE)
		return kctl_cli_usage(cli, "--attr: the attributes exceed %u bytes",
				      (unsigned)KCTL_ATTR_PAYLOAD_MAX);
	if (rc < 0)
		goto bad;
	p->data = kctl_frame_payload((const struct kctl_frame_hdr *)p->buf);
	p->len = kctl_frame_payload_len((const struct kctl_frame_hdr *)p->buf);
	return 0;
bad:
	return kctl_cli_usage(cli, "--attr '%s': want TYPE:KIND:VALUE, KIND one of u8, u16, "
			      "u32, u64, str, hex, the value in range", spec);
}

int kctl_cli_payload_opt(struct kctl_cli *cli, struct kctl_cli_payload *p, int c,
			 const char *arg)
{
	int rc;

	if (c != 'x' && c != 'f' && c != 'a')
		return -1;
	if (c != 'a' || !p->attrs) {
		rc = one_source(cli, p);
		if (rc != 0)
			return rc;
	}
	if (c == 'x')
		return from_hex(cli, p, arg);
	if (c == 'f')
		return from_file(cli, p, arg);
	p->attrs = 1;
	return from_attr(cli, p, arg);
}

int kctl_cli_payload_arg(struct kctl_cli *cli, struct kctl_cli_payload *p,
			 const char *arg)
{
	int rc;

	if (arg == NULL)
		return 0;
	rc = one_source(cli, p);
	if (rc != 0)
		return rc;
	if (strcmp(arg, "-") == 0)
		return from_file(cli, p, "-");
	p->data = arg;
	p->len = strlen(arg);
	return 0;
}

void kctl_cli_payload_free(struct kctl_cli_payload *p)
{
	free(p->buf);
	p->buf = NULL;
}
