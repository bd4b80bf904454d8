/*
 * bench_codec - the frame codec against libmnl (netfilter's netlink library), for the
 * same message count and size, in the same run.
 *
 * Both formats have a 16-byte header and 4-byte attribute headers, so the messages are
 * byte for byte the same size: a header and four u32 attributes (48 bytes), or a header
 * and a 64-byte raw payload (80 bytes). Encoding builds 1000 messages back to back in a
 * buffer (libkctl: kctl_frame_start, kctl_attr_put_u32 / kctl_frame_put,
 * kctl_frame_finish; libmnl: mnl_nlmsg_put_header, mnl_attr_put_u32 /
 * mnl_nlmsg_put_extra_header and memcpy). Decoding walks them and validates each the
 * with the library's cheapest checked loop (libkctl: kctl_frame_next, kctl_attr_next,
 * kctl_attr_get_u32; libmnl: mnl_nlmsg_ok/mnl_nlmsg_next, mnl_attr_for_each,
 * mnl_attr_validate, mnl_attr_get_u32; mnl_cb_run's callbacks would cost libmnl more),
 * summing the values so nothing is optimised away; and once more against libmnl's own
 * receive path, mnl_cb_run with mnl_attr_parse in its callback (rows "(cb_run)").
 * libkctl checks more per message (version, flags, aux, zero padding) than libmnl
 * (lengths; the attribute's size; mnl_cb_run also the sequence and port).
 * Usage: bench_codec [passes over the 1000 messages per run (default 2000)]
 */
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kctl_frame.h"

#define MSGS 1000u
#define ATTRS 4u
#define RAW 64u
#define COUNT_PASSES 20u

static uint64_t kbuf[MSGS * (KCTL_FRAME_HDR_LEN + RAW) / 8];
static uint64_t mbuf[MSGS * (KCTL_FRAME_HDR_LEN + RAW) / 8];
static unsigned char payload[RAW];
static volatile uint64_t sink;

/* ---- encoding ---- */

static int kctl_encode_attrs(void *ctx, uint32_t n)
{
	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++) {
		unsigned char *p = (unsigned char *)kbuf;

		for (uint32_t i = 0; i < MSGS; i++) {
			size_t w = 0;

			if (kctl_frame_start(p, 48, KCTL_FRAME_F_EVENT, 0x20, i, 0))
				return -1;
			for (uint16_t a = 1; a <= ATTRS; a++)
				if (kctl_attr_put_u32(p, 48, a, i + a))
					return -1;
			if (kctl_frame_finish(p, 48, &w))
				return -1;
			p += w;
		}
	}
	return 0;
}

static int mnl_encode_attrs(void *ctx, uint32_t n)
{
	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++) {
		unsigned char *p = (unsigned char *)mbuf;

		for (uint32_t i = 0; i < MSGS; i++) {
			struct nlmsghdr *nlh = mnl_nlmsg_put_header(p);

			nlh->nlmsg_type = 0x20;
			nlh->nlmsg_seq = i;
			for (uint16_t a = 1; a <= ATTRS; a++)
				mnl_attr_put_u32(nlh, a, i + a);
			p += nlh->nlmsg_len;
		}
	}
	return 0;
}

static int kctl_encode_raw(void *ctx, uint32_t n)
{
	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++) {
		unsigned char *p = (unsigned char *)kbuf;

		for (uint32_t i = 0; i < MSGS; i++) {
			size_t w = 0;

			if (kctl_frame_start(p, 80, KCTL_FRAME_F_EVENT, 0x20, i, 0) ||
			    kctl_frame_put(p, 80, payload, RAW) || kctl_frame_finish(p, 80, &w))
				return -1;
			p += w;
		}
	}
	return 0;
}

static int mnl_encode_raw(void *ctx, uint32_t n)
{
	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++) {
		unsigned char *p = (unsigned char *)mbuf;

		for (uint32_t i = 0; i < MSGS; i++) {
			struct nlmsghdr *nlh = mnl_nlmsg_put_header(p);

			nlh->nlmsg_type = 0x20;
			nlh->nlmsg_seq = i;
			memcpy(mnl_nlmsg_put_extra_header(nlh, RAW), payload, RAW);
			p += nlh->nlmsg_len;
		}
	}
	return 0;
}

/* ---- decoding and validating ---- */

static int kctl_decode_attrs(void *ctx, uint32_t n)
{
	const size_t len = MSGS * 48;
	uint64_t sum = 0;

	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++) {
		const unsigned char *p = (const unsigned char *)kbuf;

		for (size_t off = 0; off < len;) {
			const struct kctl_frame_hdr *f;
			const struct kctl_attr *a;
			size_t size, ao = 0;
			int r;

			if (kctl_frame_next(p + off, len - off, 0, &f, &size))
				return -1;
			while ((r = kctl_attr_next(kctl_frame_payload(f), kctl_frame_payload_len(f),
						   &ao, &a)) > 0) {
				uint32_t v;

				if (kctl_attr_get_u32(a, &v))
					return -1;
				sum += v;
			}
			if (r < 0)
				return -1;
			off += size;
		}
	}
	sink = sum;
	return 0;
}

static int mnl_decode_attrs(void *ctx, uint32_t n)
{
	uint64_t sum = 0;

	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++) {
		const struct nlmsghdr *nlh = (const void *)mbuf;
		int len = MSGS * 48;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlattr *attr;

			mnl_attr_for_each(attr, nlh, 0) {
				if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
					return -1;
				sum += mnl_attr_get_u32(attr);
			}
		}
		if (len != 0)
			return -1;
	}
	sink = sum;
	return 0;
}

static int kctl_decode_raw(void *ctx, uint32_t n)
{
	const size_t len = MSGS * 80;
	uint64_t sum = 0;

	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++) {
		const unsigned char *p = (const unsigned char *)kbuf;

		for (size_t off = 0; off < len;) {
			const struct kctl_frame_hdr *f;
			uint32_t v;
			size_t size;

			if (kctl_frame_next(p + off, len - off, 0, &f, &size) ||
			    kctl_frame_payload_len(f) < sizeof(v))
				return -1;
			memcpy(&v, kctl_frame_payload(f), sizeof(v));
			sum += v;
			off += size;
		}
	}
	sink = sum;
	return 0;
}

static int mnl_decode_raw(void *ctx, uint32_t n)
{
	uint64_t sum = 0;

	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++) {
		const struct nlmsghdr *nlh = (const void *)mbuf;
		int len = MSGS * 80;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			uint32_t v;

			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(v))
				return -1;
			memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
			sum += v;
		}
		if (len != 0)
			return -1;
	}
	sink = sum;
	return 0;
}

/* libmnl's receive path proper: mnl_cb_run, with mnl_attr_parse in the callback. */
static int attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	*(uint64_t *)data += mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int msg_attrs_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, 0, attr_cb, data);
}

static int mnl_cb_decode_attrs(void *ctx, uint32_t n)
{
	uint64_t sum = 0;

	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++)
		if (mnl_cb_run(mbuf, MSGS * 48, 0, 0, msg_attrs_cb, &sum) < 0)
			return -1;
	sink = sum;
	return 0;
}

static int msg_raw_cb(const struct nlmsghdr *nlh, void *data)
{
	uint32_t v;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(v))
		return MNL_CB_ERROR;
	memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
	*(uint64_t *)data += v;
	return MNL_CB_OK;
}

static int mnl_cb_decode_raw(void *ctx, uint32_t n)
{
	uint64_t sum = 0;

	(void)ctx;
	for (uint32_t pass = 0; pass < n; pass++)
		if (mnl_cb_run(mbuf, MSGS * 80, 0, 0, msg_raw_cb, &sum) < 0)
			return -1;
	sink = sum;
	return 0;
}

struct codec_case {
	const char *name;
	bench_fn fn;
};

static const struct codec_case cases[] = {
	{ "kctl-encode-attrs", kctl_encode_attrs }, { "mnl-encode-attrs", mnl_encode_attrs },
	{ "kctl-decode-attrs", kctl_decode_attrs }, { "mnl-decode-attrs", mnl_decode_attrs },
	{ "kctl-encode-raw", kctl_encode_raw },	    { "mnl-encode-raw", mnl_encode_raw },
	{ "kctl-decode-raw", kctl_decode_raw },	    { "mnl-decode-raw", mnl_decode_raw },
	{ "kctl-decode-attrs", kctl_decode_attrs }, { "mnlcb-decode-attrs", mnl_cb_decode_attrs },
	{ "kctl-decode-raw", kctl_decode_raw },	    { "mnlcb-decode-raw", mnl_cb_decode_raw },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* The buffers the decoders read: encoded once (attrs first, then raw where needed). */
static int prepare(const char *name)
{
	int raw = strstr(name, "raw") != NULL;

	return raw ? kctl_encode_raw(NULL, 1) || mnl_encode_raw(NULL, 1)
		   : kctl_encode_attrs(NULL, 1) || mnl_encode_attrs(NULL, 1);
}

static const struct codec_case *find_case(const char *name)
{
	for (size_t i = 0; i < NCASES; i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	return NULL;
}

int main(int argc, char **argv)
{
	uint32_t n = 2000;
	const char *name;

	memset(payload, 'x', sizeof(payload));
	if (bench_count_mode(argc, argv, &n, &name)) {
		const struct codec_case *c = find_case(name);

		return !c || prepare(name) || bench_counted(c->fn, NULL, n);
	}
	if (argc > 1)
		n = (uint32_t)strtoul(argv[1], NULL, 10);
	if (n == 0)
		return 1;
	printf("frame codec against libmnl: ns per message, median (min..max) of %d runs of "
	       "%u x %u messages;\ninstructions per message (callgrind)\n", BENCH_RUNS, n, MSGS);
	bench_print_head("libkctl", "libmnl");
	for (size_t i = 0; i < NCASES; i += 2) {
		struct bench_pair p;
		char label[40];

		if (prepare(cases[i].name) ||
		    bench_time_pair(cases[i].fn, NULL, cases[i + 1].fn, NULL, n, &p))
			return 1;
		p.lib.median /= MSGS, p.lib.min /= MSGS, p.lib.max /= MSGS;
		p.base.median /= MSGS, p.base.min /= MSGS, p.base.max /= MSGS;
		bench_count_pair(argv[0], cases[i].name, cases[i + 1].name, COUNT_PASSES, &p);
		if (p.lib_ir >= 0)
			p.lib_ir /= MSGS;
		if (p.base_ir >= 0)
			p.base_ir /= MSGS;
		snprintf(label, sizeof(label), "%s%s", cases[i].name + 5,
			 strncmp(cases[i + 1].name, "mnlcb", 5) == 0 ? " (cb_run)" : "");
		bench_print_pair(label, "ns", &p);
	}
	return 0;
}
