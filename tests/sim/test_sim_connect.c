/* test_sim_connect.c - bind(), connect() and getpeername() (fact sheet 3, scenarios 3-10). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_fixture.h"

static void connect_with_address_length_16_or_33_is_einval(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa[2];
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	memset(sa, 0, sizeof(sa));
	sa[0] = fx_addr(f->reg.id, 0);
	assert_int_equal(kctl_sim_connect(f->sim, fd, sa, 16), -EINVAL);
	assert_int_equal(kctl_sim_connect(f->sim, fd, sa, 33), -EINVAL);
	assert_int_equal(atomic_load(&f->connects), 0);
	kctl_sim_close(f->sim, fd);
}

static void connect_with_sc_len_and_sc_family_zero_is_fine(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa = fx_addr(f->reg.id, 0);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	sa.sc_len = 0;
	sa.sc_family = 0;
	sa.ss_sysaddr = 0;
	sa.sc_reserved[2] = 0xffffffff;
	assert_int_equal(kctl_sim_connect(f->sim, fd, &sa, sizeof(sa)), 0);
	assert_int_equal(fx_unit(f, fd), 1);
	kctl_sim_close(f->sim, fd);
}

static void connect_to_an_unknown_id_is_enoent(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa = fx_addr(f->reg.id + 1, 0);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_connect(f->sim, fd, &sa, sizeof(sa)), -ENOENT);
	kctl_sim_close(f->sim, fd);
}

static void a_stream_socket_to_a_dgram_control_is_eprototype_even_as_non_root(void **state)
{
	struct fx *f = fx_new(KCTL_ABI_CTL_FLAG_PRIVILEGED);
	int fd;

	(void)state;
	assert_non_null(f);
	if (f == NULL)
		return;
	kctl_sim_set_euid(f->sim, 501);
	fd = fx_socket(f, KCTL_ABI_SOCK_STREAM);
	assert_int_equal(fx_connect_fd(f, fd, 0), -EPROTOTYPE);
	kctl_sim_close(f->sim, fd);
	fx_free(f);
}

static void a_dgram_socket_to_a_stream_control_is_eprototype(void **state)
{
	struct fx *f = fx_new(KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);

	(void)state;
	assert_non_null(f);
	if (f == NULL)
		return;
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0), -EPROTOTYPE);
	assert_true(fx_open(f, KCTL_ABI_SOCK_STREAM, 0) >= 0);
	fx_free(f);
}

static void non_root_connect_to_a_privileged_control_is_eperm_and_root_gets_in(void **state)
{
	struct fx *f = fx_new(KCTL_ABI_CTL_FLAG_PRIVILEGED);

	(void)state;
	assert_non_null(f);
	if (f == NULL)
		return;
	kctl_sim_set_euid(f->sim, 501);
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0), -EPERM);
	assert_int_equal(atomic_load(&f->connects), 0);
	kctl_sim_set_euid(f->sim, 0);
	assert_true(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0) >= 0);
	fx_free(f);
}

static void connect_with_unit_zero_picks_the_lowest_free_unit(void **state)
{
	struct fx *f = *state;
	int fd[3];

	for (int i = 0; i < 3; i++) {
		fd[i] = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
		assert_true(fd[i] >= 0);
		assert_int_equal(fx_unit(f, fd[i]), i + 1);
	}
	assert_int_equal(kctl_sim_close(f->sim, fd[0]), 0);
	fd[0] = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(fx_unit(f, fd[0]), 1);
	assert_int_equal(f->last_unit, 1);
}

static void unit_zero_fills_the_gap_below_an_explicit_unit(void **state)
{
	struct fx *f = *state;
	int a = fx_open(f, KCTL_ABI_SOCK_DGRAM, 2);
	int b = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	int c = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(fx_unit(f, a), 2);
	assert_int_equal(fx_unit(f, b), 1);
	assert_int_equal(fx_unit(f, c), 3);
}

static void an_explicit_unit_in_use_is_ebusy(void **state)
{
	struct fx *f = *state;
	int a = fx_open(f, KCTL_ABI_SOCK_DGRAM, 7);

	assert_int_equal(fx_unit(f, a), 7);
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 7), -EBUSY);
	assert_int_equal(atomic_load(&f->connects), 1);
}

static void connect_on_a_connected_socket_is_eisconn(void **state)
{
	struct fx *f = *state;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(fx_connect_fd(f, fd, 0), -EISCONN);
	assert_int_equal(fx_connect_fd(f, fd, 5), -EISCONN);
	assert_int_equal(atomic_load(&f->connects), 1);
}

static void a_refused_connect_runs_disconnect_and_leaves_a_dead_socket(void **state)
{
	struct fx *f = *state;
	unsigned char buf[8];
	size_t got = 99;
	int one = 1, fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	f->connect_err = -ECONNREFUSED;
	assert_int_equal(fx_nosigpipe(f, fd), 0);
	assert_int_equal(fx_connect_fd(f, fd, 0), -ECONNREFUSED);
	assert_int_equal(atomic_load(&f->disconnects), 1);
	assert_int_equal(f->last_disconnect_unit, 1);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 0);
	assert_int_equal(fx_send_buf(f, fd, "x", 1, 0, NULL), -EPIPE);
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, 2, 1, &one, sizeof(one)), -EINVAL);
	assert_int_equal(fx_unit(f, fd), 0);
	/* The socket is detached: the control can go although the fd is still open. */
	assert_int_equal(kctl_sim_deregister(f->ctl), 0);
	kctl_sim_close(f->sim, fd);
	assert_int_equal(atomic_load(&f->disconnects), 1);
}

static void a_positive_errno_from_the_callback_is_returned_negative(void **state)
{
	struct fx *f = *state;

	f->connect_err = ECONNREFUSED;
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0), -ECONNREFUSED);
}

static void connect_on_a_dead_socket_is_einval(void **state)
{
	struct fx *f = *state;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	f->connect_err = -ECONNREFUSED;
	assert_int_equal(fx_connect_fd(f, fd, 0), -ECONNREFUSED);
	f->connect_err = 0;
	assert_int_equal(fx_connect_fd(f, fd, 0), -EINVAL);
	assert_int_equal(atomic_load(&f->connects), 1);
	kctl_sim_close(f->sim, fd);
}

static void the_connect_callback_may_enqueue_and_the_client_reads_it(void **state)
{
	struct fx *f = *state;
	char buf[16];
	size_t got = 0;
	int fd;

	f->connect_enqueue = "hello";
	fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 5);
	assert_memory_equal(buf, "hello", 5);
}

static void getpeername_reports_family_control_and_unit(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t len = sizeof(sa);
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 4);

	memset(&sa, 0xff, sizeof(sa));
	assert_int_equal(kctl_sim_getpeername(f->sim, fd, &sa, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(sa.sc_len, 32);
	assert_int_equal(sa.sc_family, KCTL_ABI_AF_SYSTEM);
	assert_int_equal(sa.ss_sysaddr, KCTL_ABI_AF_SYS_CONTROL);
	assert_int_equal(sa.sc_id, f->reg.id);
	assert_int_equal(sa.sc_unit, 4);
	for (int i = 0; i < 5; i++)
		assert_int_equal(sa.sc_reserved[i], 0);
}

/* uipc_syscalls.c getpeername: copies min(len, 32), then returns the untruncated 32. */
static void getpeername_with_a_short_buffer_copies_the_head_and_reports_32(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t len = 8;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	memset(&sa, 0xee, sizeof(sa));
	assert_int_equal(kctl_sim_getpeername(f->sim, fd, &sa, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(sa.sc_id, f->reg.id);
	assert_int_equal(sa.sc_unit, 0xeeeeeeee);
	len = 0;
	assert_int_equal(kctl_sim_getpeername(f->sim, fd, &sa, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(sa.sc_id, f->reg.id);
}

/* A failed connect leaves the socket shut down both ways: getpeername says EINVAL. */
static void getpeername_on_a_dead_socket_is_einval(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t len = sizeof(sa);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	f->connect_err = -ECONNREFUSED;
	assert_int_equal(fx_connect_fd(f, fd, 0), -ECONNREFUSED);
	assert_int_equal(kctl_sim_getpeername(f->sim, fd, &sa, &len), -EINVAL);
	assert_int_equal(len, sizeof(sa));
	kctl_sim_close(f->sim, fd);
}

/* A socket that only failed to find its control is not dead: still ENOTCONN. */
static void getpeername_after_a_connect_that_found_no_control_is_enotconn(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa = fx_addr(f->reg.id + 1, 0);
	uint32_t len = sizeof(sa);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_connect(f->sim, fd, &sa, sizeof(sa)), -ENOENT);
	assert_int_equal(kctl_sim_getpeername(f->sim, fd, &sa, &len), -ENOTCONN);
	kctl_sim_close(f->sim, fd);
}

static void getpeername_before_connect_is_enotconn(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t len = sizeof(sa);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_getpeername(f->sim, fd, &sa, &len), -ENOTCONN);
	kctl_sim_close(f->sim, fd);
}

static void a_reg_id_unit_control_answers_only_its_own_unit(void **state)
{
	struct fx *f = fx_alloc();
	int fd;

	(void)state;
	assert_non_null(f);
	if (f == NULL)
		return;
	fx_reg_init(f, "com.example.fixed", KCTL_ABI_CTL_FLAG_REG_ID_UNIT);
	f->reg.id = 50;
	f->reg.unit = 6;
	assert_int_equal(fx_register(f), 0);
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 5), -ENOENT);
	fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 6);
	assert_true(fd >= 0);
	assert_int_equal(fx_unit(f, fd), 6);
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 6), -EBUSY);
	fx_free(f);
}

static void the_setup_callback_chooses_the_unit(void **state)
{
	struct fx *f = *state;
	int fd;

	fx_reg_init(f, "com.example.setup", 0);
	f->reg.setup = fx_setup;
	assert_int_equal(fx_register(f), 0);
	f->setup_unit = 42;
	fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(atomic_load(&f->setups), 1);
	assert_int_equal(fx_unit(f, fd), 42);
	assert_int_equal(f->last_unit, 42);
}

static void a_failing_setup_callback_fails_connect_with_its_errno(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.setup", 0);
	f->reg.setup = fx_setup;
	assert_int_equal(fx_register(f), 0);
	f->setup_err = -EADDRINUSE;
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0), -EADDRINUSE);
	assert_int_equal(atomic_load(&f->connects), 0);
	assert_int_equal(kctl_sim_deregister(f->ctl), 0);
}

static int register_with_bind(struct fx *f)
{
	fx_reg_init(f, "com.example.bind", 0);
	f->reg.bind = fx_bind;
	return fx_register(f);
}

static void bind_runs_the_bind_callback_and_connect_keeps_its_unit(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM), v = 1;

	assert_int_equal(register_with_bind(f), 0);
	sa = fx_addr(f->reg.id, 0);
	assert_int_equal(kctl_sim_bind(f->sim, fd, &sa, sizeof(sa)), 0);
	assert_int_equal(atomic_load(&f->binds), 1);
	assert_int_equal(f->last_unit, 1);
	/* bound: options work, getpeername does not yet */
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, 2, 3, &v, sizeof(v)), 0);
	assert_int_equal(fx_unit(f, fd), 0);
	sa = fx_addr(f->reg.id, 9); /* ignored: the unit chosen at bind stays */
	assert_int_equal(kctl_sim_connect(f->sim, fd, &sa, sizeof(sa)), 0);
	assert_int_equal(fx_unit(f, fd), 1);
	assert_int_equal(f->last_unit, 1);
	kctl_sim_close(f->sim, fd);
}

static void bind_to_a_control_without_a_bind_callback_is_einval(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa = fx_addr(f->reg.id, 0);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_bind(f->sim, fd, &sa, sizeof(sa)), -EINVAL);
	kctl_sim_close(f->sim, fd);
}

static void bind_checks_the_address_like_connect(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa;
	int fd = fx_socket(f, KCTL_ABI_SOCK_STREAM);

	assert_int_equal(register_with_bind(f), 0);
	sa = fx_addr(f->reg.id, 0);
	assert_int_equal(kctl_sim_bind(f->sim, fd, &sa, 16), -EINVAL);
	assert_int_equal(kctl_sim_bind(f->sim, fd, &sa, sizeof(sa)), -EPROTOTYPE);
	sa.sc_id = 999;
	assert_int_equal(kctl_sim_bind(f->sim, fd, &sa, sizeof(sa)), -ENOENT);
	assert_int_equal(atomic_load(&f->binds), 0);
	kctl_sim_close(f->sim, fd);
}

static void closing_a_bound_socket_tells_the_control(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_sockaddr_ctl sa;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(register_with_bind(f), 0);
	sa = fx_addr(f->reg.id, 0);
	assert_int_equal(kctl_sim_bind(f->sim, fd, &sa, sizeof(sa)), 0);
	assert_int_equal(kctl_sim_deregister(f->ctl), -EBUSY);
	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
	assert_int_equal(atomic_load(&f->disconnects), 1);
	assert_int_equal(kctl_sim_deregister(f->ctl), 0);
}

static int deregister_result;

static int deregistering_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
				 void **unitinfo)
{
	(void)sac;
	(void)unitinfo;
	deregister_result = kctl_sim_deregister(ctl);
	return 0;
}

static int deregistering_setup(kctl_sim_ctl_t *ctl, uint32_t *unit, void **unitinfo)
{
	(void)unit;
	(void)unitinfo;
	deregister_result = kctl_sim_deregister(ctl);
	return 0;
}

static void a_socket_in_the_middle_of_connect_counts_as_attached(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.selfish", 0);
	f->reg.connect = deregistering_connect;
	assert_int_equal(fx_register(f), 0);
	deregister_result = 1;
	assert_true(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0) >= 0);
	assert_int_equal(deregister_result, -EBUSY);
}

static void a_socket_inside_the_setup_callback_counts_as_attached(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.selfish", 0);
	f->reg.setup = deregistering_setup;
	assert_int_equal(fx_register(f), 0);
	deregister_result = 1;
	assert_true(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0) >= 0);
	assert_int_equal(deregister_result, -EBUSY);
}

static void connect_with_a_null_address_is_efault(void **state)
{
	struct fx *f = *state;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_connect(f->sim, fd, NULL, 32), -EFAULT);
	kctl_sim_close(f->sim, fd);
}

static void connect_on_a_foreign_fd_is_ebadf(void **state)
{
	struct fx *f = *state;

	assert_int_equal(fx_connect_fd(f, 0, 0), -EBADF);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dgram, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(connect_with_address_length_16_or_33_is_einval),
		T(connect_with_sc_len_and_sc_family_zero_is_fine),
		T(connect_to_an_unknown_id_is_enoent),
		T(a_stream_socket_to_a_dgram_control_is_eprototype_even_as_non_root),
		T(a_dgram_socket_to_a_stream_control_is_eprototype),
		T(non_root_connect_to_a_privileged_control_is_eperm_and_root_gets_in),
		T(connect_with_unit_zero_picks_the_lowest_free_unit),
		T(unit_zero_fills_the_gap_below_an_explicit_unit),
		T(an_explicit_unit_in_use_is_ebusy),
		T(connect_on_a_connected_socket_is_eisconn),
		T(a_refused_connect_runs_disconnect_and_leaves_a_dead_socket),
		T(a_positive_errno_from_the_callback_is_returned_negative),
		T(connect_on_a_dead_socket_is_einval),
		T(the_connect_callback_may_enqueue_and_the_client_reads_it),
		T(getpeername_reports_family_control_and_unit),
		T(getpeername_with_a_short_buffer_copies_the_head_and_reports_32),
		T(getpeername_on_a_dead_socket_is_einval),
		T(getpeername_after_a_connect_that_found_no_control_is_enotconn),
		T(getpeername_before_connect_is_enotconn),
		T(a_reg_id_unit_control_answers_only_its_own_unit),
		T(the_setup_callback_chooses_the_unit),
		T(a_failing_setup_callback_fails_connect_with_its_errno),
		T(bind_runs_the_bind_callback_and_connect_keeps_its_unit),
		T(bind_to_a_control_without_a_bind_callback_is_einval),
		T(bind_checks_the_address_like_connect),
		T(closing_a_bound_socket_tells_the_control),
		T(a_socket_in_the_middle_of_connect_counts_as_attached),
		T(a_socket_inside_the_setup_callback_counts_as_attached),
		T(connect_with_a_null_address_is_efault),
		T(connect_on_a_foreign_fd_is_ebadf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
