/* test_sim_reglist.c - sysctl net.systm.kctl.reg_list, byte by byte, as xnu-11417's
 * kctl_reg_list handler and its sysctl layer produce it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kctl_sys.h"
#include "sim_fixture.h"

#define REG_LIST KCTL_ABI_SYSCTL_REG_LIST
#define GEN_LEN 32u
#define REC_LEN 200u

static int setup_empty(void **state)
{
	*state = fx_alloc();
	return *state != NULL ? 0 : -1;
}

static struct kctl_abi_xsystmgen gen_at(const unsigned char *buf, size_t off)
{
	struct kctl_abi_xsystmgen g;

	memcpy(&g, buf + off, sizeof(g));
	return g;
}

static struct kctl_abi_xkctl_reg reg_at(const unsigned char *buf, size_t off)
{
	struct kctl_abi_xkctl_reg r;

	memcpy(&r, buf + off, sizeof(r));
	return r;
}

/* Reads the whole list into buf; returns its length (asserts success). */
static size_t read_list(struct fx *f, unsigned char *buf, size_t cap)
{
	size_t len = cap;

	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, NULL, 0), 0);
	return len;
}

static uint64_t gen_now(struct fx *f)
{
	unsigned char buf[4096];

	(void)read_list(f, buf, sizeof(buf));
	return gen_at(buf, 0).xg_gen;
}

/* A control with only a connect callback (and a disconnect one, to close cleanly). */
static kctl_sim_ctl_t *add_ctl(struct fx *f, const char *name, uint32_t flags)
{
	kctl_sim_ctl_t *c = NULL;

	fx_reg_init(f, name, flags);
	assert_int_equal(fx_register(f), 0);
	c = f->ctl;
	return c;
}

static void the_layout_is_darwins_64_bit_one(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct kctl_abi_xsystmgen), 32);
	assert_int_equal(offsetof(struct kctl_abi_xsystmgen, xg_count), 8);
	assert_int_equal(offsetof(struct kctl_abi_xsystmgen, xg_sogen), 24);
	assert_int_equal(sizeof(struct kctl_abi_xkctl_reg), 200);
	assert_int_equal(offsetof(struct kctl_abi_xkctl_reg, xkr_kctlref), 24);
	assert_int_equal(offsetof(struct kctl_abi_xkctl_reg, xkr_recvbufsize), 32);
	assert_int_equal(offsetof(struct kctl_abi_xkctl_reg, xkr_pcbcount), 44);
	assert_int_equal(offsetof(struct kctl_abi_xkctl_reg, xkr_connect), 48);
	assert_int_equal(offsetof(struct kctl_abi_xkctl_reg, xkr_rcvd), 96);
	assert_int_equal(offsetof(struct kctl_abi_xkctl_reg, xkr_name), 104);
}

static void an_empty_kernel_answers_a_single_32_byte_xsystmgen(void **state)
{
	struct fx *f = *state;
	unsigned char buf[256];
	struct kctl_abi_xsystmgen g;

	memset(buf, 0xAA, sizeof(buf));
	assert_int_equal(read_list(f, buf, sizeof(buf)), GEN_LEN);
	g = gen_at(buf, 0);
	assert_int_equal(g.xg_len, 32);
	assert_int_equal(g.xg_pad, 0);
	assert_int_equal(g.xg_count, 0);
	assert_int_equal(buf[GEN_LEN], 0xAA); /* nothing after it: no second xsystmgen */
}

static void the_size_query_answers_n_plus_an_eighth_records(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = { "a.1", "a.2", "a.3", "a.4", "a.5",
					     "a.6", "a.7", "a.8", "a.9" };
	size_t len = 12345;

	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, NULL, &len, NULL, 0), 0);
	assert_int_equal(len, 0);
	(void)add_ctl(f, names[0], 0);
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, NULL, &len, NULL, 0), 0);
	assert_int_equal(len, REC_LEN); /* below the 264 bytes the answer takes, as on a Mac */
	for (int i = 1; i < 9; i++)
		(void)add_ctl(f, names[i], 0);
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, NULL, &len, NULL, 0), 0);
	assert_int_equal(len, (9 + 1) * REC_LEN);
}

static void every_field_of_a_record_is_the_registration(void **state)
{
	struct fx *f = *state;
	unsigned char buf[1024];
	struct kctl_abi_xkctl_reg a, b;
	kctl_sim_ctl_t *ca = add_ctl(f, "org.example.dyn", KCTL_ABI_CTL_FLAG_PRIVILEGED);

	fx_reg_init(f, "org.example.fixed", KCTL_ABI_CTL_FLAG_REG_ID_UNIT |
						KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);
	f->reg.id = 4242;
	f->reg.unit = 7;
	f->reg.sendsize = 4096;
	f->reg.recvsize = 16384;
	f->reg.disconnect = NULL;
	f->reg.send = NULL;
	f->reg.setopt = NULL;
	f->reg.getopt = NULL;
	f->reg.rcvd = NULL;
	assert_int_equal(fx_register(f), 0);

	assert_int_equal(read_list(f, buf, sizeof(buf)), GEN_LEN + 2 * REC_LEN + GEN_LEN);
	assert_int_equal(gen_at(buf, 0).xg_count, 2);
	a = reg_at(buf, GEN_LEN);
	assert_int_equal(a.xkr_len, 200);
	assert_int_equal(a.xkr_kind, KCTL_ABI_XSO_KCREG);
	assert_int_equal(a.xkr_id, kctl_sim_ctl_id(ca));
	assert_int_equal(a.xkr_reg_unit, UINT32_MAX); /* a dynamic id has no unit of its own */
	assert_int_equal(a.xkr_flags, KCTL_ABI_CTL_FLAG_PRIVILEGED);
	assert_int_equal(a.xkr_pad, 0);
	assert_int_equal(a.xkr_sendbufsize, KCTL_ABI_CTL_SENDSIZE);
	assert_int_equal(a.xkr_recvbufsize, KCTL_ABI_CTL_RECVSIZE);
	assert_int_equal(a.xkr_lastunit, 0);
	assert_int_equal(a.xkr_pcbcount, 0);
	assert_true(a.xkr_connect != 0 && a.xkr_disconnect != 0 && a.xkr_send != 0);
	assert_true(a.xkr_setopt != 0 && a.xkr_getopt != 0 && a.xkr_rcvd != 0);
	assert_int_equal(a.xkr_send_list, 0);
	assert_string_equal(a.xkr_name, "org.example.dyn");

	b = reg_at(buf, GEN_LEN + REC_LEN);
	assert_int_equal(b.xkr_len, 200);
	assert_int_equal(b.xkr_id, 4242);
	assert_int_equal(b.xkr_reg_unit, 7);
	assert_int_equal(b.xkr_flags,
			 KCTL_ABI_CTL_FLAG_REG_ID_UNIT | KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);
	assert_int_equal(b.xkr_sendbufsize, 4096);
	assert_int_equal(b.xkr_recvbufsize, 16384);
	assert_true(b.xkr_connect != 0);
	assert_int_equal(b.xkr_disconnect, 0);
	assert_int_equal(b.xkr_send, 0);
	assert_int_equal(b.xkr_setopt, 0);
	assert_int_equal(b.xkr_getopt, 0);
	assert_int_equal(b.xkr_rcvd, 0);
	assert_string_equal(b.xkr_name, "org.example.fixed");
	assert_true(a.xkr_kctlref != 0 && b.xkr_kctlref != 0 && a.xkr_kctlref != b.xkr_kctlref);

	assert_int_equal(gen_at(buf, GEN_LEN + 2 * REC_LEN).xg_len, 32);
	assert_int_equal(gen_at(buf, GEN_LEN + 2 * REC_LEN).xg_count, 2);
	assert_true(gen_at(buf, GEN_LEN + 2 * REC_LEN).xg_gen == gen_at(buf, 0).xg_gen);
}

static void a_name_is_copied_up_to_its_nul_and_zero_padded(void **state)
{
	struct fx *f = *state;
	unsigned char buf[512];
	static const char zero[96];
	struct kctl_abi_xkctl_reg r;

	fx_reg_init(f, "x", 0);
	memset(f->reg.name, 'Z', sizeof(f->reg.name));
	memcpy(f->reg.name, "abc", 4); /* garbage after the NUL must not leak out */
	assert_int_equal(fx_register(f), 0);
	(void)read_list(f, buf, sizeof(buf));
	r = reg_at(buf, GEN_LEN);
	assert_memory_equal(r.xkr_name, "abc", 4);
	assert_memory_equal(r.xkr_name + 4, zero, sizeof(r.xkr_name) - 4);
}

static void records_follow_the_registry_in_id_order(void **state)
{
	struct fx *f = *state;
	unsigned char buf[1024];

	fx_reg_init(f, "org.example.high", KCTL_ABI_CTL_FLAG_REG_ID_UNIT);
	f->reg.id = 900;
	assert_int_equal(fx_register(f), 0);
	(void)add_ctl(f, "org.example.dyn", 0); /* the highest id plus one: 901 */
	fx_reg_init(f, "org.example.low", KCTL_ABI_CTL_FLAG_REG_ID_UNIT);
	f->reg.id = 5;
	assert_int_equal(fx_register(f), 0);
	(void)read_list(f, buf, sizeof(buf));
	assert_int_equal(reg_at(buf, GEN_LEN).xkr_id, 5);
	assert_int_equal(reg_at(buf, GEN_LEN + REC_LEN).xkr_id, 900);
	assert_int_equal(reg_at(buf, GEN_LEN + 2 * REC_LEN).xkr_id, 901);
}

static void pcbcount_counts_bound_and_connected_sockets_until_they_close(void **state)
{
	struct fx *f = *state;
	unsigned char buf[512];
	struct kctl_abi_sockaddr_ctl sa;
	int a, b;

	(void)add_ctl(f, FX_NAME, 0);
	a = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_true(a >= 0);
	b = fx_socket(f, KCTL_ABI_SOCK_DGRAM);
	sa = fx_addr(f->reg.id, 0);
	assert_int_equal(kctl_sim_bind(f->sim, b, &sa, sizeof(sa)), -EINVAL); /* no bind cb */
	(void)read_list(f, buf, sizeof(buf));
	assert_int_equal(reg_at(buf, GEN_LEN).xkr_pcbcount, 2); /* bound counts too */
	assert_int_equal(kctl_sim_close(f->sim, a), 0);
	(void)read_list(f, buf, sizeof(buf));
	assert_int_equal(reg_at(buf, GEN_LEN).xkr_pcbcount, 1);
	assert_int_equal(kctl_sim_close(f->sim, b), 0);
	(void)read_list(f, buf, sizeof(buf));
	assert_int_equal(reg_at(buf, GEN_LEN).xkr_pcbcount, 0);
}

static void the_generation_moves_with_registrations_and_attachments_only(void **state)
{
	struct fx *f = *state;
	uint64_t g0 = gen_now(f), g;
	kctl_sim_ctl_t *c = add_ctl(f, FX_NAME, 0);
	uint32_t n = 0;
	int fd;

	g = gen_now(f);
	assert_true(g > g0);
	fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGCOUNT, &n), 0);
	assert_true(gen_now(f) == g); /* a socket with no control is not in the list */
	assert_int_equal(fx_connect_fd(f, fd, 0), 0);
	assert_true(gen_now(f) > g);
	g = gen_now(f);
	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
	assert_true(gen_now(f) > g);
	g = gen_now(f);
	assert_int_equal(kctl_sim_deregister(c), 0);
	assert_true(gen_now(f) > g);
}

static void a_failed_connect_leaves_the_generation_moved_and_no_pcb(void **state)
{
	struct fx *f = *state;
	unsigned char buf[512];
	uint64_t g;
	int fd;

	(void)add_ctl(f, FX_NAME, 0);
	g = gen_now(f);
	f->connect_err = -ECONNREFUSED;
	fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);
	assert_int_equal(fx_connect_fd(f, fd, 0), -ECONNREFUSED);
	(void)read_list(f, buf, sizeof(buf));
	assert_true(gen_at(buf, 0).xg_gen >= g + 2); /* attached, then detached */
	assert_int_equal(reg_at(buf, GEN_LEN).xkr_pcbcount, 0);
	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
}

static void the_socket_generation_moves_with_each_socket(void **state)
{
	struct fx *f = *state;
	unsigned char buf[64];
	uint64_t s0;
	int fd;

	(void)read_list(f, buf, sizeof(buf));
	s0 = gen_at(buf, 0).xg_sogen;
	fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);
	(void)read_list(f, buf, sizeof(buf));
	assert_true(gen_at(buf, 0).xg_sogen == s0 + 1);
	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
}

static void a_short_buffer_gets_enomem_and_only_whole_pieces(void **state)
{
	struct fx *f = *state;
	unsigned char buf[1024];
	size_t len;

	(void)add_ctl(f, "a.one", 0);
	(void)add_ctl(f, "a.two", 0);
	memset(buf, 0xAA, sizeof(buf));
	len = GEN_LEN + REC_LEN + 100; /* room for the header, one record, half another */
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, NULL, 0), -ENOMEM);
	assert_int_equal(len, GEN_LEN + REC_LEN);
	assert_string_equal(reg_at(buf, GEN_LEN).xkr_name, "a.one");
	assert_int_equal(buf[GEN_LEN + REC_LEN], 0xAA); /* the second record was not started */

	len = GEN_LEN + 2 * REC_LEN + GEN_LEN - 1; /* all but the trailer's last byte */
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, NULL, 0), -ENOMEM);
	assert_int_equal(len, GEN_LEN + 2 * REC_LEN);

	len = GEN_LEN - 1;
	memset(buf, 0xAA, sizeof(buf));
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, NULL, 0), -ENOMEM);
	assert_int_equal(len, 0);
	assert_int_equal(buf[0], 0xAA);
}

static void the_size_the_query_suggests_is_too_small_below_eight_controls(void **state)
{
	struct fx *f = *state;
	unsigned char buf[1024];
	size_t len = 0;

	(void)add_ctl(f, "a.one", 0);
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, NULL, &len, NULL, 0), 0);
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, NULL, 0), -ENOMEM);
	assert_int_equal(len, GEN_LEN); /* the header fitted, the record did not */
}

static void writing_the_list_is_eperm_even_as_a_size_query(void **state)
{
	struct fx *f = *state;
	unsigned char buf[64];
	size_t len = sizeof(buf);
	int v = 1;

	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, &v, sizeof(v)), -EPERM);
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, NULL, &len, &v, sizeof(v)), -EPERM);
	/* new data of length 0 is no write (the sysctl layer ignores it) */
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, &v, 0), 0);
	assert_int_equal(len, GEN_LEN);
}

static void unknown_names_are_enoent_and_a_null_name_efault(void **state)
{
	struct fx *f = *state;
	size_t len = 0;

	assert_int_equal(kctl_sim_sysctl(f->sim, "net.systm.kctl", NULL, &len, NULL, 0), -ENOENT);
	assert_int_equal(kctl_sim_sysctl(f->sim, "net.systm.kctl.reg_listx", NULL, &len, NULL, 0),
			 -ENOENT);
	assert_int_equal(kctl_sim_sysctl(f->sim, "net.systm.kctl.reg_lis", NULL, &len, NULL, 0),
			 -ENOENT);
	assert_int_equal(kctl_sim_sysctl(f->sim, "", NULL, &len, NULL, 0), -ENOENT);
	assert_int_equal(kctl_sim_sysctl(f->sim, NULL, NULL, &len, NULL, 0), -EFAULT);
	assert_int_equal(kctl_sim_sysctl(NULL, REG_LIST, NULL, &len, NULL, 0), -EINVAL);
}

static void without_a_length_a_buffer_has_no_room_and_a_query_no_answer(void **state)
{
	struct fx *f = *state;
	unsigned char buf[64];

	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, NULL, NULL, 0), -ENOMEM);
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, NULL, NULL, NULL, 0), 0);
}

static void a_kctlref_is_a_table_slot_salted_with_a_generation(void **state)
{
	struct fx *f = *state;
	unsigned char buf[1024];
	kctl_sim_ctl_t *a = add_ctl(f, "a.one", 0);
	uint64_t ra, rb, rc;

	(void)add_ctl(f, "a.two", 0);
	(void)read_list(f, buf, sizeof(buf));
	ra = reg_at(buf, GEN_LEN).xkr_kctlref;
	rb = reg_at(buf, GEN_LEN + REC_LEN).xkr_kctlref;
	assert_int_equal(ra & 0xFFFF, 1);
	assert_int_equal(rb & 0xFFFF, 2);
	assert_int_equal(ra >> 16, 1);
	assert_int_equal(rb >> 16, 2);
	assert_int_equal(kctl_sim_deregister(a), 0);
	(void)add_ctl(f, "a.three", 0); /* takes the free slot 1, with a new salt */
	(void)read_list(f, buf, sizeof(buf));
	rc = reg_at(buf, GEN_LEN + REC_LEN).xkr_kctlref;
	assert_string_equal(reg_at(buf, GEN_LEN + REC_LEN).xkr_name, "a.three");
	assert_int_equal(rc & 0xFFFF, 1);
	assert_int_equal(rc >> 16, 3);
}

static void a_fault_injected_into_sysctl_is_returned_before_anything(void **state)
{
	struct fx *f = *state;
	unsigned char buf[64];
	size_t len = sizeof(buf);

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SYSCTL, -EIO), 0);
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, NULL, 0), -EIO);
	assert_int_equal(len, sizeof(buf));
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SYSCTL), 1);
	assert_int_equal(kctl_sim_sysctl(f->sim, REG_LIST, buf, &len, NULL, 0), 0);
}

static void the_backend_answers_through_the_syscall_table(void **state)
{
	struct fx *f = *state;
	const kctl_backend_t *be = kctl_sim_backend(f->sim);
	const struct kctl_backend *b = (const struct kctl_backend *)be;
	unsigned char buf[512];
	size_t len = sizeof(buf);

	(void)add_ctl(f, "a.one", 0);
	assert_int_equal(b->ops->sysctl(b->ctx, REG_LIST, buf, &len, NULL, 0), 0);
	assert_int_equal(len, GEN_LEN + REC_LEN + GEN_LEN);
	assert_string_equal(reg_at(buf, GEN_LEN).xkr_name, "a.one");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_empty, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(the_layout_is_darwins_64_bit_one),
		T(an_empty_kernel_answers_a_single_32_byte_xsystmgen),
		T(the_size_query_answers_n_plus_an_eighth_records),
		T(every_field_of_a_record_is_the_registration),
		T(a_name_is_copied_up_to_its_nul_and_zero_padded),
		T(records_follow_the_registry_in_id_order),
		T(pcbcount_counts_bound_and_connected_sockets_until_they_close),
		T(the_generation_moves_with_registrations_and_attachments_only),
		T(a_failed_connect_leaves_the_generation_moved_and_no_pcb),
		T(the_socket_generation_moves_with_each_socket),
		T(a_short_buffer_gets_enomem_and_only_whole_pieces),
		T(the_size_the_query_suggests_is_too_small_below_eight_controls),
		T(writing_the_list_is_eperm_even_as_a_size_query),
		T(unknown_names_are_enoent_and_a_null_name_efault),
		T(without_a_length_a_buffer_has_no_room_and_a_query_no_answer),
		T(a_kctlref_is_a_table_slot_salted_with_a_generation),
		T(a_fault_injected_into_sysctl_is_returned_before_anything),
		T(the_backend_answers_through_the_syscall_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
