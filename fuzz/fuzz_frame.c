/*
 * fuzz_frame.c - libFuzzer harness for the frame codec (include/kctl_frame.h).
 *
 * Feeds arbitrary bytes to the decoder as a stream buffer and as a DGRAM record, walks
 * the attributes of every frame it accepts (and of every attribute value, as if nested),
 * calls every getter, and checks what must hold whatever the input:
 * - the stream walk and kctl_frame_check_record() agree on the first error;
 * - an accepted frame lies inside the buffer, 8-aligned, and re-encodes byte for byte
 *   through kctl_frame_start/put/finish (the encoder and decoder agree on the format);
 * - the same bytes cut into two reads at a position taken from the input decode to the
 *   same frames.
 * A violation aborts, which the fuzzer reports like a crash; ASan/UBSan catch the rest.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kctl_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) \
	do { \
		if (!(c)) \
			abort(); \
	} while (0)

static void walk_attrs(const void *region, size_t len, int depth)
{
	const struct kctl_attr *a;
	size_t off = 0, i = 0;
	int r;

	while ((r = kctl_attr_next(region, len, &off, &a)) > 0) {
		const unsigned char *base = region;
		const unsigned char *v = kctl_attr_payload(a);
		size_t n = kctl_attr_payload_len(a);
		uint8_t v8;
		uint16_t v16;
		uint32_t v32;
		uint64_t v64;
		const char *s;
		const struct kctl_attr *found;

		/* the attribute and its value lie inside the region */
		CHECK((const unsigned char *)a >= base && v + n <= base + len && off <= len);
		CHECK(kctl_attr_get_u8(a, &v8) == (n == 1 ? 0 : -EBADMSG));
		CHECK(kctl_attr_get_u16(a, &v16) == (n == 2 ? 0 : -EBADMSG));
		CHECK(kctl_attr_get_u32(a, &v32) == (n == 4 ? 0 : -EBADMSG));
		CHECK(kctl_attr_get_u64(a, &v64) == (n == 8 ? 0 : -EBADMSG));
		if (kctl_attr_get_str(a, &s) == 0)
			CHECK(strlen(s) + 1 == n);
		/* find checks the whole region (quadratic, so only for the first few): a hit
		 * has the type asked and is the first of it */
		if (i++ < 8 && kctl_attr_find(region, len, kctl_attr_type(a), &found) == 0)
			CHECK(kctl_attr_type(found) == kctl_attr_type(a) && found <= a);
		if (depth < 4)
			walk_attrs(v, n, depth + 1);
	}
	CHECK(r == 0 || r == -EBADMSG || r == -ENODATA || r == -EILSEQ);
}

/* Rebuilds f with the encoder and compares the bytes. */
static void reencode(const struct kctl_frame_hdr *f, size_t wire)
{
	unsigned char *out = malloc(wire);
	size_t got = 0;

	CHECK(out != NULL);
	CHECK(kctl_frame_start(out, wire, f->flags, f->type, f->seq, f->aux) == 0);
	CHECK(kctl_frame_put(out, wire, kctl_frame_payload(f), kctl_frame_payload_len(f)) == 0);
	CHECK(kctl_frame_finish(out, wire, &got) == 0);
	CHECK(got == wire && memcmp(out, f, wire) == 0);
	/* one byte less room (rounded down to 8) never fits */
	CHECK(kctl_frame_start(out, wire - 1, f->flags, f->type, f->seq, f->aux) ==
	      (wire - 1 < KCTL_FRAME_HDR_LEN ? -EMSGSIZE : 0));
	if (wire - 1 >= KCTL_FRAME_HDR_LEN && kctl_frame_payload_len(f) > 0)
		CHECK(kctl_frame_put(out, wire - 1, kctl_frame_payload(f),
				     kctl_frame_payload_len(f)) == -EMSGSIZE);
	free(out);
}

/* Decodes buf as a stream; returns the first error (0 if it ends on a frame boundary,
 * -EAGAIN if it ends inside one) and counts frames. */
static int walk_frames(const unsigned char *buf, size_t len, uint32_t max_frame,
		       size_t *count, int deep)
{
	size_t off = 0;

	*count = 0;
	while (off < len) {
		const struct kctl_frame_hdr *f;
		size_t size = 0;
		int r = kctl_frame_next(buf + off, len - off, max_frame, &f, &size);

		if (r == -EAGAIN) {
			CHECK(size > len - off);
			return r;
		}
		if (r != 0)
			return r;
		CHECK((const unsigned char *)f == buf + off);
		CHECK(size % KCTL_FRAME_ALIGN == 0 && size <= len - off);
		CHECK(f->len >= KCTL_FRAME_HDR_LEN && KCTL_FRAME_WIRE_SIZE(f->len) == size);
		CHECK(kctl_frame_error(f) <= 0 && kctl_frame_error(f) >= -(int)KCTL_FRAME_ERRNO_MAX);
		if (deep) {
			walk_attrs(kctl_frame_payload(f), kctl_frame_payload_len(f), 0);
			reencode(f, size);
		}
		off += size;
		(*count)++;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size heap copy: aligned, and ASan sees any read past its end */
	unsigned char *buf = calloc(size ? size : 1, 1);
	size_t n_stream = 0, n_record = 0, n_a = 0, n_b = 0, cut;
	uint32_t max_frame = 0;
	int r_stream, r_record;

	CHECK(buf != NULL);
	if (size > 0)
		memcpy(buf, data, size);

	r_stream = walk_frames(buf, size, 0, &n_stream, 1);
	r_record = kctl_frame_check_record(buf, size, 0, &n_record);
	if (r_stream == 0 && size > 0) {
		CHECK(r_record == 0 && n_record == n_stream);
	} else if (r_stream == -EAGAIN || size == 0) {
		CHECK(r_record == -ENODATA);
	} else {
		CHECK(r_record == r_stream);
	}

	/* a smaller limit taken from the input: still no crash, never more frames */
	if (size >= 4) {
		memcpy(&max_frame, buf + size - 4, 4);
		max_frame %= 4096u;
		(void)walk_frames(buf, size, max_frame, &n_a, 0);
		CHECK(n_a <= n_stream);
	}

	/* two reads: the frames decoded from [0, cut) then, after moving the partial frame
	 * to the front of a fresh buffer, from the rest, are the frames of the whole */
	if (r_stream == 0 && size > 0) {
		unsigned char *re = malloc(size);
		size_t off = 0, n_first = 0;

		CHECK(re != NULL);
		cut = (size_t)buf[0] * 8u % (size + 1);
		while (off < cut) {
			const struct kctl_frame_hdr *f;
			size_t fs;

			if (kctl_frame_next(buf + off, cut - off, 0, &f, &fs) != 0)
				break;
			off += fs;
			n_first++;
		}
		memcpy(re, buf + off, size - off);
		CHECK(walk_frames(re, size - off, 0, &n_b, 0) == 0);
		CHECK(n_first + n_b == n_stream);
		free(re);
	}
	free(buf);
	return 0;
}
