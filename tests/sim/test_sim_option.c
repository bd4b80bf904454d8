/* test_sim_option.c - getsockopt()/setsockopt() (scenarios 13 and 14, SO_NOSIGPIPE). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_fixture.h"

#define LVL KCTL_ABI_SYSPROTO_CONTROL

static void setsockopt_hands_a_copy_of_the_data_to_the_control(void **state)
{
	struct fx *f = *state;
	uint32_t v = 0x01020304;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, LVL, 7, &v, sizeof(v)), 0);
	assert_int_equal(atomic_load(&f->setopts), 1);
	assert_int_equal(f->last_opt, 7);
	assert_int_equal(f->last_opt_len, 4);
	assert_memory_equal(f->opt_seen, &v, 4);
}

static void setsockopt_with_length_zero_passes_null(void **state)
{
	struct fx *f = *state;
	int v = 5, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, LVL, 8, &v, 0), 0);
	assert_true(f->last_opt_null);
	assert_int_equal(f->last_opt_len, 0);
}

static void the_setopt_callbacks_errno_is_returned(void **state)
{
	struct fx *f = *state;
	int v = 1, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	f->setopt_err = -ENOPROTOOPT;
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, LVL, 99, &v, sizeof(v)), -ENOPROTOOPT);
}

static void options_without_callbacks_are_enotsup(void **state)
{
	struct fx *f = *state;
	uint32_t len = 4;
	int v = 1, fd;

	fx_reg_init(f, "com.example.noopt", 0);
	f->reg.setopt = NULL;
	f->reg.getopt = NULL;
	assert_int_equal(fx_register(f), 0);
	fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, LVL, 1, &v, sizeof(v)), -ENOTSUP);
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, LVL, 1, &v, &len), -ENOTSUP);
}

static void a_level_other_than_2_or_sol_socket_is_einval(void **state)
{
	struct fx *f = *state;
	uint32_t len = 4;
	int v = 1, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, 1, 1, &v, sizeof(v)), -EINVAL);
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, 6, 1, &v, &len), -EINVAL);
	assert_int_equal(atomic_load(&f->setopts) + atomic_load(&f->getopts), 0);
}

static void options_before_bind_or_connect_are_einval(void **state)
{
	struct fx *f = *state;
	uint32_t len = 4;
	int v = 1, fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, LVL, 1, &v, sizeof(v)), -EINVAL);
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, LVL, 1, &v, &len), -EINVAL);
	kctl_sim_close(f->sim, fd);
}

static void a_size_query_returns_the_length_the_control_reports(void **state)
{
	struct fx *f = *state;
	uint32_t len = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	f->getopt_len = 37;
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, LVL, 2, NULL, &len), 0);
	assert_int_equal(len, 37);
	assert_true(f->last_opt_null);
}

static void getsockopt_prefills_the_callers_bytes_and_writes_back_the_length(void **state)
{
	struct fx *f = *state;
	unsigned char buf[16];
	uint32_t len = sizeof(buf);
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	memset(buf, 0xab, sizeof(buf));
	f->getopt_len = 5;
	f->getopt_fill = 0x11;
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, LVL, 3, buf, &len), 0);
	assert_int_equal(f->last_opt_len, 16);
	assert_int_equal(f->opt_seen[0], 0xab);
	assert_int_equal(f->opt_seen[15], 0xab);
	assert_int_equal(len, 5);
	assert_int_equal(buf[0], 0x11);
	assert_int_equal(buf[4], 0x11);
	assert_int_equal(buf[5], 0xab);
}

static void getsockopt_never_copies_more_than_the_callers_length(void **state)
{
	struct fx *f = *state;
	unsigned char buf[8];
	uint32_t len = 4;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	memset(buf, 0, sizeof(buf));
	f->getopt_len = 8; /* a buggy control claims more than it was given */
	f->getopt_fill = 0x22;
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, LVL, 3, buf, &len), 0);
	assert_int_equal(len, 4);
	assert_int_equal(buf[3], 0x22);
	assert_int_equal(buf[4], 0);
}

static void the_getopt_callbacks_errno_is_returned_and_the_length_kept(void **state)
{
	struct fx *f = *state;
	int v = 0;
	uint32_t len = sizeof(v);
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	f->getopt_err = -ENOPROTOOPT;
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, LVL, 3, &v, &len), -ENOPROTOOPT);
	assert_int_equal(len, sizeof(v));
}

static void so_nosigpipe_can_be_set_and_read_back(void **state)
{
	struct fx *f = *state;
	int v = -1;
	uint32_t len = sizeof(v);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET,
					     KCTL_ABI_SO_NOSIGPIPE, &v, &len), 0);
	assert_int_equal(v, 0);
	assert_int_equal(fx_nosigpipe(f, fd), 0);
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET,
					     KCTL_ABI_SO_NOSIGPIPE, &v, &len), 0);
	assert_int_equal(v, 1);
	assert_int_equal(len, sizeof(v));
	kctl_sim_close(f->sim, fd);
}

static void other_sol_socket_options_are_enoprotoopt(void **state)
{
	struct fx *f = *state;
	int v = 1;
	uint32_t len = sizeof(v);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET, 0x1001, &v,
					     sizeof(v)), -ENOPROTOOPT);
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET, 0x1002, &v, &len),
			 -ENOPROTOOPT);
	kctl_sim_close(f->sim, fd);
}

static void so_nosigpipe_with_a_short_value_is_einval(void **state)
{
	struct fx *f = *state;
	char c = 1;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET,
					     KCTL_ABI_SO_NOSIGPIPE, &c, 1), -EINVAL);
	kctl_sim_close(f->sim, fd);
}

static void getsockopt_without_a_length_is_efault(void **state)
{
	struct fx *f = *state;
	int v, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, LVL, 1, &v, NULL), -EFAULT);
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, LVL, 1, NULL, 4), -EFAULT);
}

/*
 * sosetoptlock refuses every option on a socket shut down both ways (a failed connect)
 * before looking at the level; getsockopt has no such check (SOL_SOCKET still answers,
 * level 2 finds no control: EINVAL).
 */
static void every_setsockopt_on_a_dead_socket_is_einval_sol_socket_included(void **state)
{
	struct fx *f = *state;
	int v = 1;
	uint32_t len = sizeof(v);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	f->connect_err = -ECONNREFUSED;
	assert_int_equal(fx_connect_fd(f, fd, 0), -ECONNREFUSED);
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET,
					     KCTL_ABI_SO_NOSIGPIPE, &v, sizeof(v)), -EINVAL);
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET, 0x1001, &v,
					     sizeof(v)), -EINVAL);
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, LVL, 1, &v, sizeof(v)), -EINVAL);
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, 7, 1, &v, sizeof(v)), -EINVAL);
	assert_int_equal(atomic_load(&f->setopts), 0);
	v = -1;
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, KCTL_ABI_SOL_SOCKET,
					     KCTL_ABI_SO_NOSIGPIPE, &v, &len), 0);
	assert_int_equal(v, 0); /* the refused set changed nothing */
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, LVL, 1, &v, &len), -EINVAL);
	kctl_sim_close(f->sim, fd);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dgram, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(setsockopt_hands_a_copy_of_the_data_to_the_control),
		T(setsockopt_with_length_zero_passes_null),
		T(the_setopt_callbacks_errno_is_returned),
		T(options_without_callbacks_are_enotsup),
		T(a_level_other_than_2_or_sol_socket_is_einval),
		T(options_before_bind_or_connect_are_einval),
		T(a_size_query_returns_the_length_the_control_reports),
		T(getsockopt_prefills_the_callers_bytes_and_writes_back_the_length),
		T(getsockopt_never_copies_more_than_the_callers_length),
		T(the_getopt_callbacks_errno_is_returned_and_the_length_kept),
		T(so_nosigpipe_can_be_set_and_read_back),
		T(other_sol_socket_options_are_enoprotoopt),
		T(so_nosigpipe_with_a_short_value_is_einval),
		T(getsockopt_without_a_length_is_efault),
		T(every_setsockopt_on_a_dead_socket_is_einval_sol_socket_included),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
