/*
 * The mbuf KPI beyond data and lengths, against xnu's semantics (bsd/kern/kpi_mbuf.c,
 * uipc_mbuf.c): flags and types, packet headers, lists of packets, dup/copym, adj,
 * concatenate, split, pullup, prepend, setdata and the room around the data. Segments
 * are 16 bytes here, so every chain of a few dozen bytes spans several mbufs.
 */
#include <sys/kpi_mbuf.h>

#include "kpi_static.h"

#define SEG 16

static int setup(void **state)
{
	struct kpi *k;

	if (static_setup(state) != 0)
		return -1;
	k = *state;
	return kctl_sim_set_mbuf_segment(k->sim, SEG);
}

/* A packet holding "0123456789abcdefghijklmnopqrstuvwxyzABCDEF" (42 bytes). */
static const char TEXT[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEF";
#define TEXTLEN (sizeof(TEXT) - 1)

static mbuf_t text_packet(void)
{
	mbuf_t m = NULL;

	assert_int_equal(mbuf_allocpacket(MBUF_WAITOK, TEXTLEN, NULL, &m), 0);
	assert_int_equal(mbuf_copyback(m, 0, TEXTLEN, TEXT, MBUF_WAITOK), 0);
	return m;
}

static size_t chain_len(mbuf_t m)
{
	size_t n = 0;

	for (; m != NULL; m = mbuf_next(m))
		n += mbuf_len(m);
	return n;
}

static void expect_bytes(mbuf_t m, const char *want, size_t len)
{
	char buf[128];

	assert_int_equal(chain_len(m), len);
	assert_int_equal(mbuf_copydata(m, 0, len, buf), 0);
	assert_memory_equal(buf, want, len);
}

static void flags_and_types_follow_xnus_rules(void **state)
{
	mbuf_t m = NULL, h = NULL;

	(void)state;
	assert_int_equal(mbuf_get(MBUF_WAITOK, MBUF_TYPE_DATA, &m), 0);
	assert_int_equal(mbuf_flags(m), 0);
	assert_int_equal(mbuf_type(m), MBUF_TYPE_DATA);
	assert_int_equal(mbuf_gethdr(MBUF_DONTWAIT, MBUF_TYPE_HEADER, &h), 0);
	assert_int_equal(mbuf_flags(h), MBUF_PKTHDR);
	assert_int_equal(mbuf_type(h), MBUF_TYPE_HEADER);
	mbuf_freem(m);
	assert_int_equal(mbuf_get(MBUF_WAITOK, MBUF_TYPE_FREE, &m), EINVAL);
	assert_null(m);
	assert_int_equal(mbuf_settype(h, MBUF_TYPE_FREE), EINVAL);
	assert_int_equal(mbuf_settype(h, MBUF_TYPE_OOBDATA), 0);
	assert_int_equal(mbuf_type(h), MBUF_TYPE_OOBDATA);
	/* MBUF_EXT cannot change, and no private bit can be set */
	assert_int_equal(mbuf_setflags(h, MBUF_PKTHDR | MBUF_EXT), EINVAL);
	assert_int_equal(mbuf_setflags(h, MBUF_PKTHDR | 0x8), EINVAL);
	assert_int_equal(mbuf_setflags(h, MBUF_PKTHDR | MBUF_EOR | MBUF_BCAST), 0);
	assert_int_equal(mbuf_flags(h), MBUF_PKTHDR | MBUF_EOR | MBUF_BCAST);
	assert_int_equal(mbuf_setflags_mask(h, 0, MBUF_BCAST), 0);
	assert_int_equal(mbuf_flags(h), MBUF_PKTHDR | MBUF_EOR);
	assert_int_equal(mbuf_setflags_mask(h, MBUF_EXT, MBUF_EXT), EINVAL);
	mbuf_freem(h);
	assert_int_equal(mbuf_get(MBUF_WAITOK, MBUF_TYPE_DATA, &m), 0);
	mbuf_freem(m);
}

static void packet_headers_copy_only_from_a_packet(void **state)
{
	mbuf_t p = text_packet(), m = NULL;
	int header;

	(void)state;
	assert_int_equal(mbuf_get(MBUF_WAITOK, MBUF_TYPE_DATA, &m), 0);
	assert_int_equal(mbuf_copy_pkthdr(p, m), EINVAL); /* m has none */
	mbuf_pkthdr_setheader(p, &header);
	assert_ptr_equal(mbuf_pkthdr_header(p), &header);
	assert_int_equal(mbuf_pkthdr_setrcvif(p, NULL), 0);
	assert_null(mbuf_pkthdr_rcvif(p));
	assert_int_equal(mbuf_copy_pkthdr(m, p), 0);
	assert_int_equal(mbuf_flags(m) & MBUF_PKTHDR, MBUF_PKTHDR);
	assert_int_equal(mbuf_pkthdr_len(m), TEXTLEN);
	assert_ptr_equal(mbuf_pkthdr_header(m), &header);
	mbuf_freem(m);
	mbuf_freem(p);
}

static void lists_of_packets_link_by_nextpkt(void **state)
{
	unsigned int chunks = 0;
	mbuf_t list = NULL, p;
	int n = 0;

	(void)state;
	assert_int_equal(mbuf_allocpacket_list(0, MBUF_WAITOK, 10, NULL, &list), EINVAL);
	assert_int_equal(mbuf_allocpacket_list(3, MBUF_WAITOK, 0, NULL, &list), EINVAL);
	chunks = 1; /* 40 bytes need 3 segments of 16 */
	assert_int_equal(mbuf_allocpacket_list(3, MBUF_WAITOK, 40, &chunks, &list), ENOBUFS);
	chunks = 0;
	assert_int_equal(mbuf_allocpacket_list(3, MBUF_WAITOK, 40, &chunks, &list), 0);
	assert_int_equal(chunks, 3);
	for (p = list; p != NULL; p = mbuf_nextpkt(p)) {
		assert_int_equal(mbuf_pkthdr_len(p), 40);
		n++;
	}
	assert_int_equal(n, 3);
	/* a packet of a list cannot be chained as an mbuf's next */
	assert_int_equal(mbuf_setnext(list, mbuf_nextpkt(list)), EINVAL);
	assert_int_equal(mbuf_freem_list(list), 3);
}

static void dup_and_copym_copy_data_and_header(void **state)
{
	mbuf_t p = text_packet(), d = NULL, c = NULL;

	(void)state;
	assert_int_equal(mbuf_dup(p, MBUF_WAITOK, &d), 0);
	expect_bytes(d, TEXT, TEXTLEN);
	assert_int_equal(mbuf_pkthdr_len(d), TEXTLEN);
	((char *)mbuf_data(d))[0] = 'X'; /* a copy: the original is untouched */
	expect_bytes(p, TEXT, TEXTLEN);
	assert_int_equal(mbuf_copym(p, 10, 20, MBUF_WAITOK, &c), 0);
	expect_bytes(c, TEXT + 10, 20);
	assert_int_equal(mbuf_flags(c) & MBUF_PKTHDR, 0); /* not from offset 0 */
	mbuf_freem(c);
	assert_int_equal(mbuf_copym(p, 0, MBUF_COPYALL, MBUF_WAITOK, &c), 0);
	expect_bytes(c, TEXT, TEXTLEN);
	assert_int_equal(mbuf_pkthdr_len(c), TEXTLEN);
	mbuf_freem(c);
	assert_int_equal(mbuf_copym(p, 5, 0, MBUF_WAITOK, &c), ENOMEM);
	assert_null(c);
	mbuf_freem(d);
	mbuf_freem(p);
}

static void adj_trims_either_end_and_the_header(void **state)
{
	mbuf_t p = text_packet();

	(void)state;
	mbuf_adj(p, 20); /* spans the first segment and part of the second */
	expect_bytes(p, TEXT + 20, TEXTLEN - 20);
	assert_int_equal(mbuf_pkthdr_len(p), TEXTLEN - 20);
	mbuf_adj(p, -5);
	expect_bytes(p, TEXT + 20, TEXTLEN - 25);
	assert_int_equal(mbuf_pkthdr_len(p), TEXTLEN - 25);
	mbuf_adj(p, -1000); /* more than there is: empty, as xnu's m_adj */
	assert_int_equal(chain_len(p), 0);
	assert_int_equal(mbuf_pkthdr_len(p), 0);
	mbuf_freem(p);
}

static void concatenate_leaves_the_packet_length_to_the_caller(void **state)
{
	mbuf_t a = text_packet(), b = text_packet();

	(void)state;
	assert_null(mbuf_concatenate(NULL, b));
	assert_ptr_equal(mbuf_concatenate(a, b), a);
	assert_int_equal(chain_len(a), 2 * TEXTLEN);
	assert_int_equal(mbuf_pkthdr_len(a), TEXTLEN); /* xnu's m_cat does not update it */
	mbuf_pkthdr_adjustlen(a, (int)TEXTLEN);
	assert_int_equal(mbuf_pkthdr_len(a), 2 * TEXTLEN);
	mbuf_freem(a);
}

static void split_cuts_a_packet_in_two_packets(void **state)
{
	mbuf_t p = text_packet(), tail = NULL, t2 = NULL;

	(void)state;
	assert_int_equal(mbuf_split(p, 20, MBUF_WAITOK, &tail), 0);
	expect_bytes(p, TEXT, 20);
	expect_bytes(tail, TEXT + 20, TEXTLEN - 20);
	assert_int_equal(mbuf_pkthdr_len(p), 20);
	assert_int_equal(mbuf_pkthdr_len(tail), TEXTLEN - 20);
	assert_int_equal(mbuf_flags(tail) & MBUF_PKTHDR, MBUF_PKTHDR);
	assert_int_equal(mbuf_split(tail, 100, MBUF_WAITOK, &t2), ENOMEM);
	assert_null(t2);
	mbuf_freem(tail);
	mbuf_freem(p);
}

static void pullup_makes_the_front_contiguous_or_frees_the_chain(void **state)
{
	mbuf_t p = text_packet();

	(void)state;
	assert_int_equal(mbuf_pullup(&p, 10), 0); /* already there */
	mbuf_adj(p, 12);                          /* first segment: 4 bytes left */
	assert_int_equal(mbuf_pullup(&p, SEG), 0);
	assert_true(mbuf_len(p) >= SEG);
	assert_memory_equal(mbuf_data(p), TEXT + 12, SEG);
	expect_bytes(p, TEXT + 12, TEXTLEN - 12);
	/* more than one mbuf can hold: the chain is freed and *mbuf is NULL */
	assert_int_equal(mbuf_pullup(&p, SEG + 1), ENOMEM);
	assert_null(p);
}

static void prepend_uses_the_room_in_front_then_a_new_mbuf(void **state)
{
	mbuf_t p = text_packet(), q;

	(void)state;
	mbuf_adj(p, 3); /* 3 bytes of room before the data */
	assert_int_equal(mbuf_leadingspace(p), 3);
	q = p;
	assert_int_equal(mbuf_prepend(&p, 2, MBUF_WAITOK), 0);
	assert_ptr_equal(p, q); /* it fitted */
	memcpy(mbuf_data(p), "<>", 2);
	assert_int_equal(mbuf_pkthdr_len(p), TEXTLEN - 1);
	assert_int_equal(mbuf_prepend(&p, 4, MBUF_WAITOK), 0);
	assert_true(p != q); /* a new first mbuf, which took the packet header */
	assert_int_equal(mbuf_flags(p) & MBUF_PKTHDR, MBUF_PKTHDR);
	assert_int_equal(mbuf_flags(q) & MBUF_PKTHDR, 0);
	assert_int_equal(mbuf_pkthdr_len(p), TEXTLEN + 3);
	assert_int_equal(mbuf_len(p), 4);
	assert_true(mbuf_leadingspace(p) >= SEG - 4);
	assert_int_equal(mbuf_prepend(&p, SEG + 1, MBUF_WAITOK), ENOMEM);
	assert_null(p); /* as xnu's M_PREPEND: the chain went with the failure */
}

static void setdata_and_the_room_around_the_data(void **state)
{
	mbuf_t m = NULL;

	(void)state;
	assert_int_equal(mbuf_gethdr(MBUF_WAITOK, MBUF_TYPE_DATA, &m), 0);
	assert_int_equal(mbuf_maxlen(m), SEG);
	assert_int_equal(mbuf_get_mlen(), SEG);
	assert_int_equal(mbuf_get_mhlen(), SEG);
	assert_int_equal(mbuf_setdata(m, (char *)mbuf_datastart(m) + 4, 8), 0);
	assert_int_equal(mbuf_leadingspace(m), 4);
	assert_int_equal(mbuf_trailingspace(m), SEG - 12);
	assert_int_equal(mbuf_setdata(m, (char *)mbuf_datastart(m) + 10, 8), EINVAL);
	assert_int_equal(mbuf_adjustlen(m, 4), 0);
	assert_int_equal(mbuf_len(m), 12);
	assert_int_equal(mbuf_adjustlen(m, 1), EINVAL);
	assert_int_equal(mbuf_adjustlen(m, -13), EINVAL);
	/* align_32 on an empty mbuf: 6 bytes placed at the end, on a 32-bit boundary */
	mbuf_setlen(m, 0);
	assert_int_equal(mbuf_align_32(m, 6), 0);
	assert_int_equal((uintptr_t)mbuf_data(m) - (uintptr_t)mbuf_datastart(m), 8);
	/* more than the mbuf holds: refused (xnu would move the data out of it) */
	assert_int_equal(mbuf_align_32(m, SEG + 1), EINVAL);
	mbuf_freem(m);
}

static void copym_past_the_chain(void *arg)
{
	struct kpi *k = kpi_new();
	kctl_kpi_kext_t *x = NULL;
	mbuf_t p, c = NULL;

	(void)arg;
	kctl_kpi_set_log(NULL, NULL);
	if (k == NULL || kctl_kpi_load(k->sim, &kmod_info, &x) != 0)
		_exit(2);
	p = text_packet();
	(void)mbuf_copym(p, 40, 10, MBUF_WAITOK, &c);
	_exit(3);
}

static void copym_past_the_chain_panics_as_xnu_does(void **state)
{
	char out[4096];
	int code = 0;

	(void)state;
	assert_int_equal(kpi_in_child(copym_past_the_chain, NULL, out, sizeof(out), &code),
			 SIGABRT);
	assert_non_null(strstr(out, "mbuf_copym: offset 40 and length 10 run past"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, static_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(flags_and_types_follow_xnus_rules),
		T(packet_headers_copy_only_from_a_packet),
		T(lists_of_packets_link_by_nextpkt),
		T(dup_and_copym_copy_data_and_header),
		T(adj_trims_either_end_and_the_header),
		T(concatenate_leaves_the_packet_length_to_the_caller),
		T(split_cuts_a_packet_in_two_packets),
		T(pullup_makes_the_front_contiguous_or_frees_the_chain),
		T(prepend_uses_the_room_in_front_then_a_new_mbuf),
		T(setdata_and_the_room_around_the_data),
		cmocka_unit_test(copym_past_the_chain_panics_as_xnu_does),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
