/* The utun helpers against a scripted kernel: the units they ask for, the header they
 * build (and that the packet itself is passed, not copied), and what they make of a
 * record that is short, of an unknown family, truncated or empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_kernel.h"
#include "handle.h"
#include "testutil.h"

FAKE_KERNEL_FIXTURE
static kctl_t *h;

static int setup(void **state)
{
	fk_setup(state);
	h = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return kctl_close(h);
}

static void utun_n_is_asked_for_as_unit_n_plus_one(void **state)
{
	(void)state;
	fk.peer_unit = 6;
	assert_int_equal(kctl_utun_open(&fb, 5, 0, &h), 0);
	assert_int_equal(fk.last_sa.sc_id, 7); /* the id CTLIOCGINFO answered */
	assert_int_equal(fk.last_sa.sc_unit, 6);
	assert_int_equal(kctl_unit(h), 6);
}

static void any_asks_for_unit_0_and_learns_the_chosen_one(void **state)
{
	(void)state;
	fk.peer_unit = 3;
	assert_int_equal(kctl_utun_open(&fb, KCTL_UTUN_ANY, KCTL_OPEN_NONBLOCK, &h), 0);
	assert_int_equal(fk.last_sa.sc_unit, 0);
	assert_int_equal(kctl_unit(h), 3);
	assert_int_equal(kctl_timeout(h), 0);
}

static void bad_numbers_and_flags_are_einval_before_any_call(void **state)
{
	(void)state;
	assert_int_equal(kctl_utun_open(&fb, KCTL_UTUN_MAX + 1, 0, &h), -EINVAL);
	assert_int_equal(kctl_utun_open(&fb, 0, KCTL_OPEN_STREAM, &h), -EINVAL);
	assert_int_equal(kctl_utun_open(&fb, 0, 0x80, &h), -EINVAL);
	assert_int_equal(kctl_utun_open(&fb, 0, 0, NULL), -EINVAL);
	assert_int_equal(kctl_utun_open_range(&fb, 4, 3, 0, &h), -EINVAL);
	assert_int_equal(kctl_utun_open_range(&fb, 0, KCTL_UTUN_MAX + 1, 0, &h), -EINVAL);
	assert_int_equal(fk.calls[FK_SOCKET], 0);
	assert_null(h);
}

static void a_walk_stops_at_the_first_error_that_is_not_ebusy(void **state)
{
	int fds = tu_open_fds();

	(void)state;
	fk.fail_call = FK_CONNECT;
	fk.fail_err = -EPERM;
	assert_int_equal(kctl_utun_open_range(&fb, 0, 100, 0, &h), -EPERM);
	assert_int_equal(fk.calls[FK_CONNECT], 1); /* not 101 tries for a permission error */
	assert_int_equal(tu_open_fds(), fds);
	assert_null(h);
}

static void a_write_gathers_the_header_and_the_callers_own_packet(void **state)
{
	static const unsigned char pkt[40] = { 0x60 };

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET6, pkt, sizeof(pkt)), 0);
	assert_int_equal(fk.send_iovcnt, 2);
	assert_int_equal(fk.send_len[0], 4);
	assert_memory_equal(fk.send_head, "\0\0\0\x1e", 4);
	assert_ptr_equal(fk.send_base[1], pkt); /* no copy */
	assert_int_equal(fk.send_len[1], sizeof(pkt));
	assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET, pkt, 20), 0);
	assert_memory_equal(fk.send_head, "\0\0\0\2", 4);
}

static void a_write_with_another_family_sends_nothing(void **state)
{
	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	assert_int_equal(kctl_utun_write(h, 10, "x", 1), -EPFNOSUPPORT); /* Linux's AF_INET6 */
	assert_int_equal(kctl_utun_write(h, 0, "x", 1), -EPFNOSUPPORT);
	assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET, NULL, 1), -EINVAL);
	assert_int_equal(fk.calls[FK_SEND], 0);
}

static void writev_passes_every_piece_after_the_header(void **state)
{
	struct iovec v[63];
	char c = 'x';

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	for (int i = 0; i < 63; i++) {
		v[i].iov_base = &c;
		v[i].iov_len = 1;
	}
	assert_int_equal(kctl_utun_writev(h, KCTL_UTUN_AF_INET, v, 3), 0);
	assert_int_equal(fk.send_iovcnt, 4);
	assert_ptr_equal(fk.send_base[3], &c);
	assert_int_equal(kctl_utun_writev(h, KCTL_UTUN_AF_INET, v, 63), 0);
	assert_int_equal(fk.send_iovcnt, 64);
	assert_int_equal(kctl_utun_writev(h, KCTL_UTUN_AF_INET, v, 64), -EINVAL);
	assert_int_equal(kctl_utun_writev(h, KCTL_UTUN_AF_INET, v, 0), -EINVAL);
	v[1].iov_base = NULL;
	assert_int_equal(kctl_utun_writev(h, KCTL_UTUN_AF_INET, v, 2), -EINVAL);
}

static void a_read_strips_the_header_into_the_callers_buffer(void **state)
{
	static const unsigned char rec[] = { 0, 0, 0, 2, 0x45, 1, 2, 3 };
	unsigned char buf[16];
	size_t len = 0;
	uint32_t fam = 0;

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	fk.recv_bytes = rec;
	fk.recv_nbytes = sizeof(rec);
	fk.recv_claim = sizeof(rec);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, &fam), 0);
	assert_int_equal(len, 4);
	assert_int_equal(fam, KCTL_UTUN_AF_INET);
	assert_memory_equal(buf, rec + 4, 4);
}

static void a_record_shorter_than_the_header_is_ebadmsg(void **state)
{
	static const unsigned char rec[] = { 0, 0, 0 };
	unsigned char buf[16];
	size_t len = 99;

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	fk.recv_bytes = rec;
	fk.recv_nbytes = sizeof(rec);
	fk.recv_claim = sizeof(rec);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EBADMSG);
	assert_int_equal(len, 99);
}

static void an_unknown_family_is_epfnosupport_with_the_packet_reported(void **state)
{
	static const unsigned char rec[] = { 2, 0, 0, 0, 'a', 'b' }; /* host order: wrong */
	unsigned char buf[16];
	size_t len = 0;
	uint32_t fam = 0;

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	fk.recv_bytes = rec;
	fk.recv_nbytes = sizeof(rec);
	fk.recv_claim = sizeof(rec);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, &fam), -EPFNOSUPPORT);
	assert_int_equal(fam, 0x02000000u);
	assert_int_equal(len, 2);
}

static void a_truncated_packet_is_emsgsize_with_its_head_kept(void **state)
{
	static const unsigned char rec[] = { 0, 0, 0, 30, 'a', 'b', 'c', 'd', 'e' };
	unsigned char buf[3];
	size_t len = 0;

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	fk.recv_bytes = rec;
	fk.recv_nbytes = sizeof(rec);
	fk.recv_claim = 4 + sizeof(buf);
	fk.recv_flags = KCTL_ABI_MSG_TRUNC;
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EMSGSIZE);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "abc", 3);
}

static void an_empty_receive_is_end_of_file(void **state)
{
	unsigned char buf[8];
	size_t len = 5;

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	fk.recv_claim = 0;
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EPIPE);
	assert_int_equal(len, 5);
}

static void a_receive_claiming_more_than_header_and_buffer_is_eproto(void **state)
{
	unsigned char buf[8];
	size_t len = 5;

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	fk.recv_claim = 4 + sizeof(buf) + 1;
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EPROTO);
	assert_int_equal(kctl_utun_read(h, NULL, 4, &len, NULL), -EINVAL);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), NULL, NULL), -EINVAL);
}

static void the_name_must_look_like_utun_and_digits(void **state)
{
	char name[KCTL_UTUN_IFNAME_MAX];

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	fk.getopt_bytes = "utun12";
	fk.getopt_nbytes = 7;
	fk.getopt_claim = 7;
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), 0);
	assert_string_equal(name, "utun12");
	fk.getopt_bytes = "en0";
	fk.getopt_nbytes = 4;
	fk.getopt_claim = 4;
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), -EBADMSG);
	assert_string_equal(name, "");
	fk.getopt_bytes = "utunx";
	fk.getopt_nbytes = 6;
	fk.getopt_claim = 6;
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), -EBADMSG);
	fk.getopt_bytes = "utun";
	fk.getopt_nbytes = 5;
	fk.getopt_claim = 5;
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), -EBADMSG);
}

static void the_pending_limit_is_sent_as_a_u32_and_0_refused(void **state)
{
	uint32_t v = 0;

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	assert_int_equal(kctl_utun_set_max_pending(h, 0), -EINVAL);
	assert_int_equal(fk.calls[FK_SETOPT], 2); /* SO_NOSIGPIPE on the lookup and the handle */
	assert_int_equal(kctl_utun_set_max_pending(h, 32), 0);
	assert_int_equal(fk.setopt_len, 4);
	memcpy(&v, fk.setopt_data, sizeof(v));
	assert_int_equal(v, 32);
}

/* kctl_explain()'s sentence for the last failure of `call` on h. */
static const char *explained(uint32_t call, int err)
{
	static char buf[256];

	kctl_explain(h, call, err, buf, sizeof(buf));
	return buf;
}

static void the_errors_come_with_a_sentence_about_utun(void **state)
{
	static const unsigned char shortrec[] = { 0, 0, 0 };
	static const unsigned char oddfam[] = { 0, 0, 0, 10, 'a' };
	unsigned char buf[16];
	size_t len = 0;

	(void)state;
	assert_int_equal(kctl_utun_open(&fb, 0, 0, &h), 0);
	assert_int_equal(kctl_utun_write(h, 10, "x", 1), -EPFNOSUPPORT);
	assert_string_equal(explained(KCTL_CALL_SEND, -EPFNOSUPPORT),
			    "EPFNOSUPPORT (Protocol family not supported): libkctl refused "
			    "protocol family 10 before any syscall: utun carries AF_INET (2) and "
			    "AF_INET6 (30, Darwin's number) in its 4-byte header");
	fk.recv_bytes = shortrec;
	fk.recv_nbytes = fk.recv_claim = sizeof(shortrec);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EBADMSG);
	assert_string_equal(explained(KCTL_CALL_RECV, -EBADMSG),
			    "EBADMSG (Bad message): libkctl rejected a 3-byte utun record: "
			    "shorter than its 4-byte header");
	fk.recv_bytes = oddfam;
	fk.recv_nbytes = fk.recv_claim = sizeof(oddfam);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EPFNOSUPPORT);
	assert_non_null(strstr(explained(KCTL_CALL_RECV, -EPFNOSUPPORT),
			       "the kernel sent a utun packet of protocol family 10"));
	/* kctl_list's ENOSPC has no handle to keep a record in: named, no cause guessed */
	assert_string_equal(kctl_strerror(-ENOSPC), "ENOSPC (No space left on device)");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(utun_n_is_asked_for_as_unit_n_plus_one),
		T(any_asks_for_unit_0_and_learns_the_chosen_one),
		T(bad_numbers_and_flags_are_einval_before_any_call),
		T(a_walk_stops_at_the_first_error_that_is_not_ebusy),
		T(a_write_gathers_the_header_and_the_callers_own_packet),
		T(a_write_with_another_family_sends_nothing),
		T(writev_passes_every_piece_after_the_header),
		T(a_read_strips_the_header_into_the_callers_buffer),
		T(a_record_shorter_than_the_header_is_ebadmsg),
		T(an_unknown_family_is_epfnosupport_with_the_packet_reported),
		T(a_truncated_packet_is_emsgsize_with_its_head_kept),
		T(an_empty_receive_is_end_of_file),
		T(a_receive_claiming_more_than_header_and_buffer_is_eproto),
		T(the_name_must_look_like_utun_and_digits),
		T(the_pending_limit_is_sent_as_a_u32_and_0_refused),
		T(the_errors_come_with_a_sentence_about_utun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
