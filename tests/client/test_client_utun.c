/* The utun helpers of libkctl against the simulated kernel's utun: opening by number,
 * the first free, the walk that skips only EBUSY, the name, the pending limit, packets
 * both ways with the header added and stripped, bad records, and no leak. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kctl.h"
#include "kctl_sim.h"
#include "testutil.h"

struct uf {
	kctl_sim_t *sim;
	const kctl_backend_t *be;
	kctl_sim_ctl_t *ctl; /* utun, for raw records the utun code would never send */
	int fds_before;
};

static int uf_setup(void **state)
{
	struct uf *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->fds_before = tu_open_fds();
	if (kctl_sim_new(&f->sim) != 0 || kctl_sim_utun_register(f->sim, &f->ctl) != 0)
		return -1;
	kctl_sim_set_euid(f->sim, 0);
	f->be = kctl_sim_backend(f->sim);
	*state = f;
	return 0;
}

static int uf_teardown(void **state)
{
	struct uf *f = *state;
	int leaked;

	kctl_sim_free(f->sim);
	leaked = tu_open_fds() - f->fds_before;
	free(f);
	return leaked == 0 ? 0 : -1;
}

static void open_any_gives_utun0_and_its_name(void **state)
{
	struct uf *f = *state;
	char name[KCTL_UTUN_IFNAME_MAX];
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, KCTL_UTUN_ANY, 0, &h), 0);
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), 0);
	assert_string_equal(name, "utun0");
	assert_int_equal(kctl_unit(h), 1);
	assert_int_equal(kctl_utun_ifname(h, name, 5), -EMSGSIZE);
	assert_string_equal(name, "");
	kctl_close(h);
}

static void open_by_number_and_a_taken_number_is_ebusy(void **state)
{
	struct uf *f = *state;
	char name[KCTL_UTUN_IFNAME_MAX];
	kctl_t *a = NULL, *b = NULL;

	assert_int_equal(kctl_utun_open(f->be, 7, 0, &a), 0);
	assert_int_equal(kctl_utun_ifname(a, name, sizeof(name)), 0);
	assert_string_equal(name, "utun7");
	assert_int_equal(kctl_utun_open(f->be, 7, 0, &b), -EBUSY);
	assert_null(b);
	assert_int_equal(kctl_utun_open(f->be, KCTL_UTUN_MAX, 0, &b), 0);
	assert_int_equal(kctl_utun_ifname(b, name, sizeof(name)), 0);
	assert_string_equal(name, "utun32767");
	kctl_close(a);
	kctl_close(b);
}

static void the_walk_skips_taken_interfaces_only(void **state)
{
	struct uf *f = *state;
	char name[KCTL_UTUN_IFNAME_MAX];
	kctl_t *t[3], *h = NULL;
	uint64_t connects;

	for (int i = 0; i < 3; i++)
		assert_int_equal(kctl_utun_open(f->be, (uint32_t)i + 2, 0, &t[i]), 0);
	assert_int_equal(kctl_utun_open_range(f->be, 2, 10, 0, &h), 0);
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), 0);
	assert_string_equal(name, "utun5");
	kctl_close(h);
	h = NULL;
	assert_int_equal(kctl_utun_open_range(f->be, 2, 4, 0, &h), -EBUSY);
	assert_null(h);
	/* not root: one refused connect, not a walk over every number */
	kctl_sim_set_euid(f->sim, 501);
	connects = kctl_sim_call_count(f->sim, KCTL_SIM_CALL_CONNECT);
	assert_int_equal(kctl_utun_open_range(f->be, 0, 200, 0, &h), -EPERM);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_CONNECT), connects + 1);
	for (int i = 0; i < 3; i++)
		kctl_close(t[i]);
}

static void not_root_is_eperm_with_the_fix_and_no_utun_is_enoent(void **state)
{
	struct uf *f = *state;
	kctl_sim_t *plain = NULL;
	struct kctl_error why;
	char msg[256];
	kctl_t *h = NULL;

	kctl_sim_set_euid(f->sim, 501);
	assert_int_equal(kctl_utun_open(f->be, KCTL_UTUN_ANY, 0, &h), -EPERM);
	/* the same open with a failure record says what to do */
	assert_int_equal(kctl_open_name_ex(f->be, KCTL_UTUN_CONTROL_NAME, 0, 0, &h, &why),
			 -EPERM);
	assert_int_equal(why.origin, KCTL_ORIGIN_KERNEL);
	kctl_error_str(&why, msg, sizeof(msg));
	assert_non_null(strstr(msg, "privileged (CTL_FLAG_PRIVILEGED) and this process is not "
			       "root; run as root"));
	assert_int_equal(kctl_sim_new(&plain), 0);
	assert_int_equal(kctl_utun_open(kctl_sim_backend(plain), KCTL_UTUN_ANY, 0, &h), -ENOENT);
	kctl_sim_free(plain);
	assert_null(h);
}

static void flags_go_between_bind_and_connect(void **state)
{
	struct uf *f = *state;
	char name[KCTL_UTUN_IFNAME_MAX];
	struct kctl_sim_utun_if info;
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, 3, KCTL_OPEN_BIND_ONLY, &h), 0);
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), -EINVAL);
	assert_int_equal(kctl_set_u32(h, KCTL_ABI_UTUN_OPT_FLAGS, KCTL_ABI_UTUN_FLAGS_NO_INPUT),
			 0);
	assert_int_equal(kctl_connect(h), 0);
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), 0);
	assert_string_equal(name, "utun3");
	assert_int_equal(kctl_sim_utun_info(f->sim, "utun3", &info), 0);
	assert_int_equal(info.flags, KCTL_ABI_UTUN_FLAGS_NO_INPUT);
	assert_int_equal(kctl_set_u32(h, KCTL_ABI_UTUN_OPT_FLAGS, 0), -EINVAL);
	kctl_close(h);
}

static void the_pending_limit_reaches_the_interface(void **state)
{
	struct uf *f = *state;
	struct kctl_sim_utun_if info;
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, 0, 0, &h), 0);
	assert_int_equal(kctl_utun_set_max_pending(h, 0), -EINVAL);
	assert_int_equal(kctl_utun_set_max_pending(h, 16), 0);
	assert_int_equal(kctl_sim_utun_info(f->sim, "utun0", &info), 0);
	assert_int_equal(info.max_pending, 16);
	kctl_close(h);
}

static void a_written_packet_reaches_the_network_with_its_family(void **state)
{
	struct uf *f = *state;
	static const unsigned char v4[20] = { 0x45, 0, 0, 20 };
	static const unsigned char v6[40] = { 0x60 };
	struct iovec parts[3] = { { (void *)(uintptr_t)v6, 8 }, { (void *)(uintptr_t)(v6 + 8), 16 },
				  { (void *)(uintptr_t)(v6 + 24), 16 } };
	unsigned char buf[64];
	size_t len = 0;
	uint32_t fam = 0;
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, 0, 0, &h), 0);
	assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET, v4, sizeof(v4)), 0);
	assert_int_equal(kctl_utun_writev(h, KCTL_UTUN_AF_INET6, parts, 3), 0);
	assert_int_equal(kctl_sim_utun_take(f->sim, "utun0", buf, sizeof(buf), &len, &fam, 0), 0);
	assert_int_equal(fam, 2);
	assert_int_equal(len, sizeof(v4));
	assert_memory_equal(buf, v4, sizeof(v4));
	assert_int_equal(kctl_sim_utun_take(f->sim, "utun0", buf, sizeof(buf), &len, &fam, 0), 0);
	assert_int_equal(fam, 30);
	assert_int_equal(len, sizeof(v6)); /* three pieces, one packet */
	assert_memory_equal(buf, v6, sizeof(v6));
	kctl_close(h);
}

static void a_write_of_another_family_reaches_no_kernel(void **state)
{
	struct uf *f = *state;
	uint64_t sends;
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, 0, 0, &h), 0);
	sends = kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SEND);
	assert_int_equal(kctl_utun_write(h, 10, "x", 1), -EPFNOSUPPORT);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SEND), sends);
	kctl_close(h);
}

static void a_write_above_512_kib_is_emsgsize(void **state)
{
	struct uf *f = *state;
	size_t big = 512 * 1024;
	unsigned char *p = calloc(1, big);
	kctl_t *h = NULL;

	assert_non_null(p);
	assert_int_equal(kctl_utun_open(f->be, 0, 0, &h), 0);
	assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET, p, big - 4), 0);
	assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET, p, big - 3), -EMSGSIZE);
	free(p);
	kctl_close(h);
}

static void a_packet_from_the_network_is_read_without_its_header(void **state)
{
	struct uf *f = *state;
	unsigned char buf[64];
	size_t len = 0;
	uint32_t fam = 0;
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, 0, 0, &h), 0);
	assert_int_equal(kctl_sim_utun_inject(f->sim, "utun0", 30, "\x60\1\2\3", 4), 0);
	assert_int_equal(kctl_sim_utun_inject(f->sim, "utun0", 2, "\x45", 1), 0);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, &fam), 0);
	assert_int_equal(fam, KCTL_UTUN_AF_INET6);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "\x60\1\2\3", 4);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, &fam), 0); /* it waited */
	assert_int_equal(fam, KCTL_UTUN_AF_INET);
	assert_int_equal(len, 1);
	kctl_close(h);
}

static void a_packet_longer_than_the_buffer_is_emsgsize_and_gone(void **state)
{
	struct uf *f = *state;
	unsigned char buf[4];
	size_t len = 0;
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, 0, KCTL_OPEN_NONBLOCK, &h), 0);
	assert_int_equal(kctl_sim_utun_inject(f->sim, "utun0", 2, "0123456789", 10), 0);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EMSGSIZE);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "0123", 4);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EAGAIN);
	kctl_close(h);
}

static void records_utun_would_never_send_are_rejected_clearly(void **state)
{
	struct uf *f = *state;
	unsigned char buf[16];
	size_t len = 77;
	uint32_t fam = 0;
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, 0, KCTL_OPEN_NONBLOCK, &h), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, kctl_unit(h), "\0\0", 2, KCTL_ABI_CTL_DATA_EOR),
			 0);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, &fam), -EBADMSG);
	assert_int_equal(len, 77);
	assert_int_equal(kctl_sim_enqueue(f->ctl, kctl_unit(h), "\0\0\0\x0aipv6", 8,
					  KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, &fam), -EPFNOSUPPORT);
	assert_int_equal(fam, 10);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "ipv6", 4);
	kctl_close(h);
}

static void reads_wait_no_longer_than_the_timeout(void **state)
{
	struct uf *f = *state;
	unsigned char buf[16];
	size_t len = 0;
	kctl_t *h = NULL;

	assert_int_equal(kctl_utun_open(f->be, 0, 0, &h), 0);
	assert_int_equal(kctl_set_timeout(h, 0), 0);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -EAGAIN);
	assert_int_equal(kctl_set_timeout(h, 20), 0);
	assert_int_equal(kctl_utun_read(h, buf, sizeof(buf), &len, NULL), -ETIMEDOUT);
	kctl_close(h);
}

static void opening_and_closing_leaves_no_fd_and_no_interface(void **state)
{
	struct uf *f = *state;
	int fds = tu_open_fds();
	uint32_t n = 9;
	kctl_t *h = NULL;

	for (int i = 0; i < 100; i++) {
		assert_int_equal(kctl_utun_open(f->be, KCTL_UTUN_ANY, 0, &h), 0);
		assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET, "x", 1), 0);
		assert_int_equal(kctl_sim_utun_inject(f->sim, "utun0", 2, "y", 1), 0);
		assert_int_equal(kctl_close(h), 0);
	}
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_GETPEERNAME, -EIO), 0);
	assert_int_equal(kctl_utun_open(f->be, KCTL_UTUN_ANY, 0, &h), -EIO);
	assert_int_equal(kctl_sim_utun_list(f->sim, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(tu_open_fds(), fds);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, uf_setup, uf_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(open_any_gives_utun0_and_its_name),
		T(open_by_number_and_a_taken_number_is_ebusy),
		T(the_walk_skips_taken_interfaces_only),
		T(not_root_is_eperm_with_the_fix_and_no_utun_is_enoent),
		T(flags_go_between_bind_and_connect),
		T(the_pending_limit_reaches_the_interface),
		T(a_written_packet_reaches_the_network_with_its_family),
		T(a_write_of_another_family_reaches_no_kernel),
		T(a_write_above_512_kib_is_emsgsize),
		T(a_packet_from_the_network_is_read_without_its_header),
		T(a_packet_longer_than_the_buffer_is_emsgsize_and_gone),
		T(records_utun_would_never_send_are_rejected_clearly),
		T(reads_wait_no_longer_than_the_timeout),
		T(opening_and_closing_leaves_no_fd_and_no_interface),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
