/*
 * test_frame_stream.c - a byte stream of many frames, cut into reads at every position
 * and at random positions, decodes to exactly the frames that were sent.
 *
 * The reassembler below does what a STREAM receive buffer does: append the bytes of a
 * read, decode every complete frame, move the partial frame to the front, repeat.
 */
#include <errno.h>

#include "frame_testutil.h"

#define MAX_FRAMES 64
#define STREAM_CAP 8192

struct stream {
	FT_ALIGNED unsigned char bytes[STREAM_CAP];
	size_t len;
	size_t nframes;
	size_t off[MAX_FRAMES];  /* where frame i starts */
	size_t wire[MAX_FRAMES]; /* its wire size */
};

struct reasm {
	FT_ALIGNED unsigned char buf[STREAM_CAP];
	size_t fill;
	size_t seen;  /* frames decoded so far */
	size_t reads; /* feeds */
};

/* Every kind of frame, payload sizes 0..60 so every padding length occurs, some with
 * attributes. */
static void build_stream(struct stream *s)
{
	static const uint8_t kinds[] = {
		KCTL_FRAME_F_REQUEST,
		KCTL_FRAME_F_REPLY | KCTL_FRAME_F_MORE,
		KCTL_FRAME_F_REPLY,
		KCTL_FRAME_F_EVENT,
		KCTL_FRAME_F_REPLY | KCTL_FRAME_F_ERROR,
	};

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < 40; i++) {
		unsigned char *p = s->bytes + s->len;
		size_t cap = STREAM_CAP - s->len, wire = 0;
		uint8_t fl = kinds[i % sizeof(kinds)];
		uint32_t aux = (fl & KCTL_FRAME_F_ERROR) ? (uint32_t)(1 + i % 100)
			     : (fl & KCTL_FRAME_F_EVENT) ? (uint32_t)i * 1000u : 0;

		if (i % 7 == 3) {
			assert_int_equal(kctl_frame_start(p, cap, fl, (uint16_t)i, (uint32_t)i, aux), 0);
			assert_int_equal(kctl_attr_put_u32(p, cap, 1, (uint32_t)i), 0);
			assert_int_equal(kctl_attr_put_str(p, cap, 2, "stream"), 0);
			assert_int_equal(kctl_attr_put_u64(p, cap, 3, ~(uint64_t)i), 0);
			assert_int_equal(kctl_frame_finish(p, cap, &wire), 0);
		} else {
			wire = ft_frame(p, cap, fl, (uint16_t)i, (uint32_t)i, aux, (i * 13) % 61,
					(unsigned char)i);
		}
		s->off[s->nframes] = s->len;
		s->wire[s->nframes] = wire;
		s->nframes++;
		s->len += wire;
	}
}

/* Appends n bytes and decodes every complete frame, checking each against the stream. */
static void feed(struct reasm *r, const struct stream *s, const unsigned char *p, size_t n)
{
	size_t off = 0;

	assert_true(r->fill + n <= sizeof(r->buf));
	memcpy(r->buf + r->fill, p, n);
	r->fill += n;
	r->reads++;
	for (;;) {
		const struct kctl_frame_hdr *f = NULL;
		size_t size = 0;
		int rc = kctl_frame_next(r->buf + off, r->fill - off, 0, &f, &size);

		if (rc == -EAGAIN && r->fill == off) {
			assert_int_equal(size, KCTL_FRAME_HDR_LEN); /* nothing buffered */
			break;
		}
		if (rc == -EAGAIN) {
			/* it asks for more than it has, and never more than the frame needs */
			assert_true(size > r->fill - off);
			assert_true(r->seen < s->nframes);
			if (r->fill - off >= KCTL_FRAME_HDR_LEN)
				assert_int_equal(size, s->wire[r->seen]);
			else
				assert_int_equal(size, KCTL_FRAME_HDR_LEN);
			break;
		}
		assert_int_equal(rc, 0);
		assert_true(r->seen < s->nframes);
		assert_int_equal(size, s->wire[r->seen]);
		assert_memory_equal(f, s->bytes + s->off[r->seen], size);
		assert_int_equal(f->seq, r->seen);
		r->seen++;
		off += size;
	}
	/* keep the partial frame; offsets are multiples of 8, so it stays aligned */
	memmove(r->buf, r->buf + off, r->fill - off);
	r->fill -= off;
}

static void finish(const struct reasm *r, const struct stream *s)
{
	assert_int_equal(r->seen, s->nframes);
	assert_int_equal(r->fill, 0);
}

static void the_whole_stream_in_one_read_decodes_every_frame(void **state)
{
	static struct stream s;
	static struct reasm r;

	(void)state;
	build_stream(&s);
	memset(&r, 0, sizeof(r));
	feed(&r, &s, s.bytes, s.len);
	finish(&r, &s);
	assert_int_equal(kctl_frame_check_record(s.bytes, s.len, 0, NULL), 0);
}

static void a_stream_cut_at_every_position_into_two_reads_decodes_the_same_frames(void **state)
{
	static struct stream s;
	static struct reasm r;

	(void)state;
	build_stream(&s);
	for (size_t cut = 0; cut <= s.len; cut++) {
		memset(&r, 0, sizeof(r));
		feed(&r, &s, s.bytes, cut);
		feed(&r, &s, s.bytes + cut, s.len - cut);
		finish(&r, &s);
	}
}

static void a_stream_fed_one_byte_at_a_time_decodes_the_same_frames(void **state)
{
	static struct stream s;
	static struct reasm r;

	(void)state;
	build_stream(&s);
	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < s.len; i++)
		feed(&r, &s, s.bytes + i, 1);
	finish(&r, &s);
}

static void a_stream_cut_at_random_positions_many_times_decodes_the_same_frames(void **state)
{
	static struct stream s;
	static struct reasm r;
	uint64_t seed = 0x6B63746C66726D31ULL; /* fixed: the run is reproducible */

	(void)state;
	build_stream(&s);
	for (int round = 0; round < 2000; round++) {
		size_t pos = 0;
		/* small reads in some rounds, large ones in others */
		size_t maxread = (size_t)1 << (1 + round % 12);

		memset(&r, 0, sizeof(r));
		while (pos < s.len) {
			size_t n = 1 + ft_below(&seed, maxread);

			if (n > s.len - pos)
				n = s.len - pos;
			feed(&r, &s, s.bytes + pos, n);
			pos += n;
		}
		finish(&r, &s);
	}
}

static void a_stream_split_into_several_reads_at_random_cut_points_decodes_the_same_frames(
	void **state)
{
	static struct stream s;
	static struct reasm r;
	uint64_t seed = 12345;

	(void)state;
	build_stream(&s);
	for (int round = 0; round < 2000; round++) {
		size_t cuts[9], ncut = 1 + ft_below(&seed, 8), prev = 0;

		for (size_t i = 0; i < ncut; i++)
			cuts[i] = ft_below(&seed, s.len + 1);
		/* sort the cut points (insertion sort: there are few) */
		for (size_t i = 1; i < ncut; i++)
			for (size_t j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
				size_t t = cuts[j];

				cuts[j] = cuts[j - 1];
				cuts[j - 1] = t;
			}
		cuts[ncut++] = s.len;
		memset(&r, 0, sizeof(r));
		for (size_t i = 0; i < ncut; i++) {
			feed(&r, &s, s.bytes + prev, cuts[i] - prev); /* empty reads too */
			prev = cuts[i];
		}
		finish(&r, &s);
	}
}

static void a_bad_header_is_reported_before_its_body_arrives(void **state)
{
	FT_ALIGNED unsigned char buf[16];
	const struct kctl_frame_hdr *f;
	size_t size;

	(void)state;
	/* a header claiming 1000 bytes but with a reserved flag: no point waiting for 1000 */
	assert_int_equal(kctl_frame_start(buf, sizeof(buf), KCTL_FRAME_F_EVENT, 1, 1, 0), 0);
	ft_hdr(buf)->len = 1000;
	assert_int_equal(kctl_frame_next(buf, 16, 0, &f, &size), -EAGAIN);
	assert_int_equal(size, 1000);
	ft_hdr(buf)->flags |= 0x80;
	assert_int_equal(kctl_frame_next(buf, 16, 0, &f, &size), -ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_whole_stream_in_one_read_decodes_every_frame),
		cmocka_unit_test(a_stream_cut_at_every_position_into_two_reads_decodes_the_same_frames),
		cmocka_unit_test(a_stream_fed_one_byte_at_a_time_decodes_the_same_frames),
		cmocka_unit_test(a_stream_cut_at_random_positions_many_times_decodes_the_same_frames),
		cmocka_unit_test(
			a_stream_split_into_several_reads_at_random_cut_points_decodes_the_same_frames),
		cmocka_unit_test(a_bad_header_is_reported_before_its_body_arrives),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
