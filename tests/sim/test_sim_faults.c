/* test_sim_faults.c - kctl_sim_fail_next and kctl_sim_call_count. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_fixture.h"
#include "testutil.h"

static void fail_next_rejects_unknown_calls_and_non_negative_errors(void **state)
{
	struct fx *f = *state;

	assert_int_equal(kctl_sim_fail_next(f->sim, -1, -EIO), -EINVAL);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_COUNT, -EIO), -EINVAL);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, 0), -EINVAL);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, EIO), -EINVAL);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_COUNT), 0);
}

static void a_failed_socket_creates_nothing_and_only_once(void **state)
{
	struct fx *f = *state;
	int before = tu_open_fds(), fd = -5;

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SOCKET, -EMFILE), 0);
	assert_int_equal(kctl_sim_socket(f->sim, 32, KCTL_ABI_SOCK_DGRAM, 2, &fd), -EMFILE);
	assert_int_equal(fd, -5);
	assert_int_equal(tu_open_fds(), before);
	fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);
	assert_true(fd >= 0);
	kctl_sim_close(f->sim, fd);
}

static void a_failed_connect_reaches_no_callback_and_leaves_the_socket_usable(void **state)
{
	struct fx *f = *state;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_CONNECT, -ETIMEDOUT), 0);
	assert_int_equal(fx_connect_fd(f, fd, 0), -ETIMEDOUT);
	assert_int_equal(atomic_load(&f->connects), 0);
	assert_int_equal(kctl_sim_deregister(f->ctl), 0); /* nothing was attached */
	fx_reg_init(f, FX_NAME, 0);
	assert_int_equal(fx_register(f), 0);
	assert_int_equal(fx_connect_fd(f, fd, 0), 0);
	assert_int_equal(atomic_load(&f->connects), 1);
	kctl_sim_close(f->sim, fd);
}

static void a_failed_send_reaches_no_callback(void **state)
{
	struct fx *f = *state;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SEND, -EINTR), 0);
	assert_int_equal(fx_send_buf(f, fd, "x", 1, 0, NULL), -EINTR);
	assert_int_equal(atomic_load(&f->sends), 0);
	assert_int_equal(fx_send_buf(f, fd, "x", 1, 0, NULL), 0);
	assert_int_equal(atomic_load(&f->sends), 1);
}

static void a_failed_recv_consumes_nothing(void **state)
{
	struct fx *f = *state;
	char buf[4];
	size_t got = 0;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abc", 3, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_RECV, -EINTR), 0);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), -EINTR);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), 0);
	assert_int_equal(got, 3);
}

static void a_failed_enqueue_queues_nothing(void **state)
{
	struct fx *f = *state;
	size_t bytes = 9;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	(void)fd;
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_ENQUEUE, -ENOMEM), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abc", 3, 0), -ENOMEM);
	assert_int_equal(kctl_sim_enqueue_space(f->ctl, 1, &bytes), 0);
	assert_int_equal(bytes, 8192);
}

static void failed_ioctl_bind_getpeername_and_sockopts_change_nothing(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_ctl_info info;
	struct kctl_abi_sockaddr_ctl sa = fx_addr(f->reg.id, 0);
	uint32_t len = sizeof(sa);
	int v = 1, fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	memset(&info, 0, sizeof(info));
	fx_copy_name(info.ctl_name, FX_NAME);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_IOCTL, -EIO), 0);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGINFO, &info), -EIO);
	assert_int_equal(info.ctl_id, 0);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_BIND, -EIO), 0);
	assert_int_equal(kctl_sim_bind(f->sim, fd, &sa, sizeof(sa)), -EIO);
	assert_int_equal(kctl_sim_deregister(f->ctl), 0); /* bind attached nothing */
	fx_reg_init(f, FX_NAME, 0);
	assert_int_equal(fx_register(f), 0);
	kctl_sim_close(f->sim, fd);
	fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_GETPEERNAME, -EIO), 0);
	assert_int_equal(kctl_sim_getpeername(f->sim, fd, &sa, &len), -EIO);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_SETSOCKOPT, -EIO), 0);
	assert_int_equal(kctl_sim_setsockopt(f->sim, fd, 2, 1, &v, sizeof(v)), -EIO);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_GETSOCKOPT, -EIO), 0);
	len = sizeof(v);
	assert_int_equal(kctl_sim_getsockopt(f->sim, fd, 2, 1, &v, &len), -EIO);
	assert_int_equal(atomic_load(&f->setopts) + atomic_load(&f->getopts), 0);
}

static void a_failed_close_still_releases_the_fd_and_disconnects(void **state)
{
	struct fx *f = *state;
	int before = tu_open_fds(), fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_CLOSE, -EINTR), 0);
	assert_int_equal(kctl_sim_close(f->sim, fd), -EINTR);
	assert_int_equal(tu_open_fds(), before);
	assert_int_equal(atomic_load(&f->disconnects), 1);
	assert_int_equal(kctl_sim_close(f->sim, fd), -EBADF);
}

static void every_call_is_counted_failed_ones_included(void **state)
{
	struct fx *f = *state;
	char buf[4];
	size_t got;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SOCKET), 1);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_CONNECT), 1);
	assert_int_equal(fx_nonblock(f, fd), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), -EAGAIN);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_RECV), 3);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_IOCTL), 1);
	assert_int_equal(fx_send_buf(f, 12345, "x", 1, 0, NULL), -EBADF);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SEND), 1);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 9, "x", 1, 0), -EINVAL);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_ENQUEUE), 1);
	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_CLOSE), 1);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_BIND), 0);
	assert_int_equal(kctl_sim_call_count(NULL, KCTL_SIM_CALL_BIND), 0);
	assert_int_equal(kctl_sim_call_count(f->sim, -1), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dgram, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(fail_next_rejects_unknown_calls_and_non_negative_errors),
		T(a_failed_socket_creates_nothing_and_only_once),
		T(a_failed_connect_reaches_no_callback_and_leaves_the_socket_usable),
		T(a_failed_send_reaches_no_callback),
		T(a_failed_recv_consumes_nothing),
		T(a_failed_enqueue_queues_nothing),
		T(failed_ioctl_bind_getpeername_and_sockopts_change_nothing),
		T(a_failed_close_still_releases_the_fd_and_disconnects),
		T(every_call_is_counted_failed_ones_included),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
