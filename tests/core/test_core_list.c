/* kctl_list() against a scripted kernel: what it asks for, what it accepts, and that a
 * hostile or truncated registration list is an error, never an overread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fake_kernel.h"
#include "handle.h"
#include "testutil.h"

FAKE_KERNEL_FIXTURE

/* An answer being built: xsystmgen and xkctl_reg records appended in order. */
struct answer {
	unsigned char b[8192];
	size_t len;
};

static struct answer ans[FK_MAX_ANSWERS];

static void put_gen(struct answer *a, uint64_t count, uint64_t gen)
{
	struct kctl_abi_xsystmgen g;

	memset(&g, 0, sizeof(g));
	g.xg_len = sizeof(g);
	g.xg_count = count;
	g.xg_gen = gen;
	g.xg_sogen = 77;
	memcpy(a->b + a->len, &g, sizeof(g));
	a->len += sizeof(g);
}

/* A record claiming xkr_len bytes, padded to 8 (any bytes past the struct are 0xEE). */
static void put_reg_len(struct answer *a, uint32_t id, const char *name, uint32_t xkr_len)
{
	struct kctl_abi_xkctl_reg r;
	size_t padded = (xkr_len + 7u) & ~(size_t)7u;

	memset(&r, 0, sizeof(r));
	r.xkr_len = xkr_len;
	r.xkr_kind = KCTL_ABI_XSO_KCREG;
	r.xkr_id = id;
	r.xkr_reg_unit = KCTL_LIST_NO_UNIT;
	r.xkr_flags = 0x29;
	r.xkr_kctlref = 0x10001;
	r.xkr_recvbufsize = 524288;
	r.xkr_sendbufsize = 524288;
	r.xkr_pcbcount = id + 100;
	r.xkr_connect = 0xffffff8000123456ull;
	strcpy(r.xkr_name, name);
	if (padded < sizeof(r))
		padded = sizeof(r);
	memset(a->b + a->len, 0xEE, padded);
	memcpy(a->b + a->len, &r, sizeof(r));
	a->len += padded;
}

static void put_reg(struct answer *a, uint32_t id, const char *name)
{
	put_reg_len(a, id, name, sizeof(struct kctl_abi_xkctl_reg));
}

/* A well-formed answer of n controls named ctl.1..ctl.n with ids 1..n. */
static void build(struct answer *a, uint32_t n, uint64_t gen_head, uint64_t gen_tail)
{
	a->len = 0;
	put_gen(a, n, gen_head);
	for (uint32_t i = 1; i <= n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "ctl.%u", i);
		put_reg(a, i, name);
	}
	if (n > 0)
		put_gen(a, n, gen_tail);
}

/* Scripts the kernel to answer a[0], then a[1], ... (the last repeats). */
static void script(int n)
{
	for (int i = 0; i < n; i++) {
		fk.sc_answer[i] = ans[i].b;
		fk.sc_answer_len[i] = ans[i].len;
	}
	fk.sc_nanswers = n;
}

static int setup(void **state)
{
	fk_setup(state);
	memset(ans, 0, sizeof(ans));
	return 0;
}

static void a_well_formed_list_reads_back_field_by_field(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 0;
	int fds = tu_open_fds();

	(void)state;
	build(&ans[0], 3, 5, 5);
	script(1);
	memset(d, 0x55, sizeof(d));
	assert_int_equal(kctl_list(&fb, d, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(fk.sc_name, "net.systm.kctl.reg_list");
	assert_false(fk.sc_newp);
	assert_int_equal(fk.calls[FK_SOCKET], 0); /* no socket for a list */
	assert_int_equal(tu_open_fds(), fds);
	for (uint32_t i = 0; i < 3; i++) {
		char name[16];
		static const char zero[KCTL_NAME_MAX];

		snprintf(name, sizeof(name), "ctl.%u", i + 1);
		assert_int_equal(d[i].id, i + 1);
		assert_int_equal(d[i].flags, 0x29);
		assert_int_equal(d[i].reg_unit, KCTL_LIST_NO_UNIT);
		assert_int_equal(d[i].units_in_use, i + 101);
		assert_int_equal(d[i].sendsize, 524288);
		assert_int_equal(d[i].recvsize, 524288);
		assert_string_equal(d[i].name, name);
		assert_memory_equal(d[i].name + strlen(name), zero, KCTL_NAME_MAX - strlen(name));
	}
	assert_int_equal(((const unsigned char *)d)[3 * sizeof(d[0])], 0x55); /* d[3] untouched */
}

static void it_asks_the_size_then_reads_with_room_for_both_headers(void **state)
{
	struct kctl_ctl_desc d[2];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 1, 1, 1);
	script(1);
	fk.sc_size = 200; /* what a Mac answers for one control: 64 bytes short */
	assert_int_equal(kctl_list(&fb, d, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fk.sc_queries, 1);
	assert_int_equal(fk.sc_reads, 1);
}

static void an_empty_list_is_the_header_alone(void **state)
{
	struct kctl_ctl_desc d[1];
	uint32_t n = 9;

	(void)state;
	build(&ans[0], 0, 3, 3);
	assert_int_equal(ans[0].len, 32);
	script(1);
	assert_int_equal(kctl_list(&fb, d, 1, &n), 0);
	assert_int_equal(n, 0);
}

static void a_generation_that_changes_once_is_read_again(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 2, 5, 6);
	build(&ans[1], 3, 7, 7);
	script(2);
	assert_int_equal(kctl_list(&fb, d, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(fk.sc_reads, 2);
	assert_int_equal(fk.sc_queries, 2); /* the size is asked again: the list may have grown */
	assert_string_equal(d[2].name, "ctl.3");
}

static void a_generation_that_never_settles_gives_eagain_after_8_reads(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 42;

	(void)state;
	build(&ans[0], 2, 5, 6);
	script(1);
	memset(d, 0x55, sizeof(d));
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EAGAIN);
	assert_int_equal(fk.sc_reads, 8);
	assert_int_equal(n, 42);
	assert_int_equal(((const unsigned char *)d)[0], 0x55);
}

static void a_list_that_grows_between_size_and_read_is_read_again(void **state)
{
	struct kctl_ctl_desc d[16];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 12, 1, 1); /* 2464 bytes */
	script(1);
	fk.sc_size_once = 200; /* the size announced before the list grew */
	assert_int_equal(kctl_list(&fb, d, 16, &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(fk.sc_queries, 2); /* the size is asked again */
	assert_int_equal(fk.sc_reads, 2);
	assert_string_equal(d[11].name, "ctl.12");
}

static void a_list_that_never_fits_its_announced_size_gives_eagain(void **state)
{
	struct kctl_ctl_desc d[16];
	uint32_t n = 5;

	(void)state;
	build(&ans[0], 12, 1, 1);
	script(1);
	fk.sc_size = 200;
	assert_int_equal(kctl_list(&fb, d, 16, &n), -EAGAIN);
	assert_int_equal(fk.sc_reads, 8);
	assert_int_equal(n, 5);
}

static void an_enomem_read_is_retried_with_a_fresh_size(void **state)
{
	struct kctl_ctl_desc d[16];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 12, 1, 1);
	script(1);
	fk.fail_call = FK_SYSCTL;
	fk.fail_err = -ENOMEM;
	fk.fail_skip = 1; /* the size query passes, the read fails as a Mac's would */
	assert_int_equal(kctl_list(&fb, d, 16, &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(fk.calls[FK_SYSCTL], 4);
}

static void a_record_shorter_than_the_struct_is_ebadmsg(void **state)
{
	struct kctl_ctl_desc d[2];
	uint32_t n = 0;

	(void)state;
	ans[0].len = 0;
	put_gen(&ans[0], 1, 1);
	put_reg_len(&ans[0], 1, "short", 199);
	put_gen(&ans[0], 1, 1);
	script(1);
	assert_int_equal(kctl_list(&fb, d, 2, &n), -EBADMSG);
}

static void a_record_longer_than_the_answer_is_ebadmsg(void **state)
{
	struct kctl_ctl_desc d[2];
	uint32_t n = 0;
	uint32_t huge = 0xFFFFFFF9u;

	(void)state;
	build(&ans[0], 1, 1, 1);
	memcpy(ans[0].b + 32, &huge, sizeof(huge)); /* xkr_len far past the end */
	script(1);
	assert_int_equal(kctl_list(&fb, d, 2, &n), -EBADMSG);
	huge = 208; /* 8 bytes past the record: swallows the trailer's start */
	memcpy(ans[0].b + 32, &huge, sizeof(huge));
	assert_int_equal(kctl_list(&fb, d, 2, &n), -EBADMSG);
}

static void a_longer_record_is_skipped_by_its_padded_length(void **state)
{
	struct kctl_ctl_desc d[2];
	uint32_t n = 0;

	(void)state;
	ans[0].len = 0;
	put_gen(&ans[0], 2, 1);
	put_reg_len(&ans[0], 1, "grown", 205); /* a later kernel's bigger record: 208 */
	put_reg(&ans[0], 2, "next");
	put_gen(&ans[0], 2, 1);
	script(1);
	assert_int_equal(kctl_list(&fb, d, 2, &n), 0);
	assert_string_equal(d[0].name, "grown");
	assert_int_equal(d[1].id, 2);
	assert_string_equal(d[1].name, "next");
}

static void a_record_not_padded_to_8_bytes_is_ebadmsg(void **state)
{
	struct kctl_ctl_desc d[2];
	uint32_t n = 0;

	(void)state;
	ans[0].len = 0;
	put_gen(&ans[0], 1, 1);
	put_reg_len(&ans[0], 1, "odd", 205);
	ans[0].len -= 3; /* the kernel forgot the padding */
	put_gen(&ans[0], 1, 1);
	script(1);
	assert_int_equal(kctl_list(&fb, d, 2, &n), -EBADMSG);
}

/*
 * The kernel writes the whole list but reports only len bytes: a parser that looked past
 * the reported length would find a valid list there and succeed.
 */
static void every_truncation_of_a_list_is_ebadmsg(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 7;
	size_t full;

	(void)state;
	build(&ans[0], 3, 9, 9);
	full = ans[0].len;
	script(1);
	fk.sc_answer_len[0] = 0;
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);
	for (size_t len = 1; len < full; len++) {
		fk_init(&fk);
		script(1);
		fk.sc_len_claim = len;
		assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);
	}
	assert_int_equal(n, 7);
	fk_init(&fk);
	script(1);
	assert_int_equal(kctl_list(&fb, d, 4, &n), 0); /* the whole of it is fine */
	assert_int_equal(n, 3);
}

static void trailing_bytes_after_the_trailer_are_ebadmsg(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 2, 1, 1);
	ans[0].len += 8;
	script(1);
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);
}

static void a_bad_header_length_kind_or_name_is_ebadmsg(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 0, bad = 28;

	(void)state;
	build(&ans[0], 1, 1, 1);
	memcpy(ans[0].b, &bad, sizeof(bad)); /* xg_len 28 */
	script(1);
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);

	build(&ans[0], 1, 1, 1);
	memcpy(ans[0].b + 32 + 200, &bad, sizeof(bad)); /* the trailer's xg_len */
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);

	build(&ans[0], 1, 1, 1);
	bad = 0x80; /* XSO_KCB, a pcb record, not a registration */
	memcpy(ans[0].b + 36, &bad, sizeof(bad));
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);

	build(&ans[0], 1, 1, 1);
	memset(ans[0].b + 32 + 104, 'x', KCTL_NAME_MAX); /* a name with no NUL */
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);

	build(&ans[0], 1, 1, 1);
	ans[0].b[32 + 104] = '\0'; /* an empty name */
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);
}

static void counts_that_disagree_with_the_records_are_ebadmsg(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 0;
	uint64_t c = 5;

	(void)state;
	build(&ans[0], 2, 1, 1);
	memcpy(ans[0].b + 8, &c, sizeof(c)); /* the header says 5, two records follow */
	script(1);
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);

	build(&ans[0], 2, 1, 1);
	c = 3;
	memcpy(ans[0].b + 32 + 400 + 8, &c, sizeof(c)); /* the trailer says 3 */
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);

	build(&ans[0], 2, 1, 1);
	c = 1; /* the header says 1: the second record is read as the trailer */
	memcpy(ans[0].b + 8, &c, sizeof(c));
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EBADMSG);
}

static void a_count_above_any_kernels_is_eproto(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 0;
	uint64_t c = (uint64_t)KCTL_LIST_MAX + 1;

	(void)state;
	build(&ans[0], 1, 1, 1);
	memcpy(ans[0].b + 8, &c, sizeof(c));
	script(1);
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EPROTO);
	c = UINT64_MAX;
	memcpy(ans[0].b + 8, &c, sizeof(c));
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EPROTO);
}

static void a_size_above_any_kernels_is_eproto_before_a_read(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 1, 1, 1);
	script(1);
	fk.sc_size = (size_t)1 << 40;
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EPROTO);
	assert_int_equal(fk.sc_reads, 0);
}

static void a_read_claiming_more_than_the_buffer_is_eproto(void **state)
{
	struct kctl_ctl_desc d[4];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 1, 1, 1);
	script(1);
	fk.sc_len_claim = 100000;
	assert_int_equal(kctl_list(&fb, d, 4, &n), -EPROTO);
}

static void too_small_an_array_is_enospc_with_the_count_needed(void **state)
{
	struct kctl_ctl_desc d[2];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 3, 1, 1);
	script(1);
	memset(d, 0x55, sizeof(d));
	assert_int_equal(kctl_list(&fb, d, 2, &n), -ENOSPC);
	assert_int_equal(n, 3);
	assert_int_equal(((const unsigned char *)d)[0], 0x55); /* untouched */
	assert_int_equal(kctl_list(&fb, NULL, 0, &n), 0); /* only counting */
	assert_int_equal(n, 3);
	assert_int_equal(kctl_list(&fb, NULL, 2, &n), -EINVAL);
	assert_int_equal(kctl_list(&fb, d, 2, NULL), -EINVAL);
}

static int collect(const struct kctl_ctl_desc *c, void *arg)
{
	uint32_t *seen = arg;

	seen[0]++;
	seen[seen[0]] = c->id;
	return seen[0] == 2 && seen[5] ? -ECANCELED : 0;
}

static void the_callback_sees_each_control_and_can_stop_the_walk(void **state)
{
	uint32_t seen[6] = { 0 };

	(void)state;
	build(&ans[0], 3, 1, 1);
	script(1);
	assert_int_equal(kctl_list_each(&fb, collect, seen), 0);
	assert_int_equal(seen[0], 3);
	assert_int_equal(seen[1], 1);
	assert_int_equal(seen[3], 3);
	memset(seen, 0, sizeof(seen));
	seen[5] = 1; /* stop at the second */
	assert_int_equal(kctl_list_each(&fb, collect, seen), -ECANCELED);
	assert_int_equal(seen[0], 2);
	assert_int_equal(kctl_list_each(&fb, NULL, NULL), -EINVAL);
}

static void a_malformed_answer_reaches_no_callback(void **state)
{
	uint32_t seen[6] = { 0 };

	(void)state;
	build(&ans[0], 3, 1, 1);
	ans[0].b[32 + 2 * 200 + 104] = '\0'; /* the third record's name is empty */
	script(1);
	assert_int_equal(kctl_list_each(&fb, collect, seen), -EBADMSG);
	assert_int_equal(seen[0], 0);
}

static void the_kernels_errors_come_back_unchanged(void **state)
{
	struct kctl_ctl_desc d[2];
	uint32_t n = 0;

	(void)state;
	build(&ans[0], 1, 1, 1);
	script(1);
	fk.fail_call = FK_SYSCTL;
	fk.fail_err = -ENOENT;
	assert_int_equal(kctl_list(&fb, d, 2, &n), -ENOENT);
	fk.fail_call = FK_SYSCTL;
	fk.fail_err = -EPERM;
	fk.fail_skip = 1;
	assert_int_equal(kctl_list(&fb, d, 2, &n), -EPERM);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_well_formed_list_reads_back_field_by_field),
		T(it_asks_the_size_then_reads_with_room_for_both_headers),
		T(an_empty_list_is_the_header_alone),
		T(a_generation_that_changes_once_is_read_again),
		T(a_generation_that_never_settles_gives_eagain_after_8_reads),
		T(a_list_that_grows_between_size_and_read_is_read_again),
		T(a_list_that_never_fits_its_announced_size_gives_eagain),
		T(an_enomem_read_is_retried_with_a_fresh_size),
		T(a_record_shorter_than_the_struct_is_ebadmsg),
		T(a_record_longer_than_the_answer_is_ebadmsg),
		T(a_longer_record_is_skipped_by_its_padded_length),
		T(a_record_not_padded_to_8_bytes_is_ebadmsg),
		T(every_truncation_of_a_list_is_ebadmsg),
		T(trailing_bytes_after_the_trailer_are_ebadmsg),
		T(a_bad_header_length_kind_or_name_is_ebadmsg),
		T(counts_that_disagree_with_the_records_are_ebadmsg),
		T(a_count_above_any_kernels_is_eproto),
		T(a_size_above_any_kernels_is_eproto_before_a_read),
		T(a_read_claiming_more_than_the_buffer_is_eproto),
		T(too_small_an_array_is_enospc_with_the_count_needed),
		T(the_callback_sees_each_control_and_can_stop_the_walk),
		T(a_malformed_answer_reaches_no_callback),
		T(the_kernels_errors_come_back_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
