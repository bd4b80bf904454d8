/* The open path, call by call, against a scripted kernel: what the core sends and
 * that no error path leaks the socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_kernel.h"
#include "handle.h"
#include "testutil.h"

FAKE_KERNEL_FIXTURE

static void connect_sends_a_zeroed_32_byte_sockaddr_ctl(void **state)
{
	kctl_t *h = NULL;
	static const uint32_t zero[5];

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 42, 3, 0, &h), 0);
	assert_int_equal(fk.last_salen, 32);
	assert_int_equal(fk.last_sa.sc_len, 32);
	assert_int_equal(fk.last_sa.sc_family, KCTL_ABI_AF_SYSTEM);
	assert_int_equal(fk.last_sa.ss_sysaddr, KCTL_ABI_AF_SYS_CONTROL);
	assert_int_equal(fk.last_sa.sc_id, 42);
	assert_int_equal(fk.last_sa.sc_unit, 3);
	assert_memory_equal(fk.last_sa.sc_reserved, zero, sizeof(zero));
	assert_int_equal(kctl_close(h), 0);
}

static void the_socket_is_cloexec_nonblocking_and_sigpipe_free_before_connect(void **state)
{
	kctl_t *h = NULL;

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 1, 0, 0, &h), 0);
	assert_int_equal(fk.nioctl, 2);
	assert_true(fk.ioctls[0] == KCTL_ABI_FIOCLEX);
	assert_true(fk.ioctls[1] == KCTL_ABI_FIONBIO);
	assert_int_equal(fk.nosigpipe_set, 1);
	assert_int_equal(fk.calls[FK_CONNECT], 1);
	kctl_close(h);
}

static void the_unit_chosen_by_the_kernel_is_read_back_with_getpeername(void **state)
{
	kctl_t *h = NULL;

	(void)state;
	fk.peer_unit = 9;
	assert_int_equal(kctl_open_id(&fb, 1, 0, KCTL_OPEN_STREAM, &h), 0);
	assert_int_equal(kctl_unit(h), 9);
	assert_int_equal(kctl_id(h), 1);
	assert_int_equal(kctl_is_stream(h), 1);
	assert_true(kctl_fd(h) >= 0);
	kctl_close(h);
}

static void a_peer_address_of_another_control_is_rejected_without_leaking(void **state)
{
	kctl_t *h = NULL;
	int fds = tu_open_fds();

	(void)state;
	fk.peer_id = 99;
	assert_int_equal(kctl_open_id(&fb, 1, 0, 0, &h), -EPROTO);
	assert_null(h);
	fk.peer_id = 0;
	fk.peer_len = 16;
	assert_int_equal(kctl_open_id(&fb, 1, 0, 0, &h), -EPROTO);
	fk.peer_len = 0;
	fk.peer_unit = 0; /* no connected socket has unit 0 */
	assert_int_equal(kctl_open_id(&fb, 1, 0, 0, &h), -EPROTO);
	assert_int_equal(fk.calls[FK_CLOSE], 3);
	assert_int_equal(tu_open_fds(), fds);
}

static void every_failing_call_on_the_open_path_returns_its_errno_and_leaks_nothing(void **state)
{
	static const enum fk_call path[] = { FK_SOCKET, FK_IOCTL, FK_SETOPT, FK_CONNECT, FK_PEER };
	int fds = tu_open_fds();

	(void)state;
	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		kctl_t *h = NULL;

		fk_init(&fk);
		fk.fail_call = (int)path[i];
		fk.fail_err = -EIO;
		assert_int_equal(kctl_open_id(&fb, 1, 0, 0, &h), -EIO);
		assert_null(h);
		assert_int_equal(fk.calls[FK_CLOSE], path[i] == FK_SOCKET ? 0 : 1);
		assert_int_equal(tu_open_fds(), fds);
	}
}

static void bad_flags_are_rejected_before_any_syscall(void **state)
{
	kctl_t *h = NULL;

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 1, 0, 0x80, &h), -EINVAL);
	assert_int_equal(kctl_open_id(&fb, 1, 0, 0, NULL), -EINVAL);
	assert_int_equal(kctl_open_name(&fb, "x", 0, 0x80, &h), -EINVAL);
	assert_int_equal(fk.calls[FK_SOCKET], 0);
	assert_null(h);
}

/* Any 32-bit unit goes to the kernel as asked, and the unit it reports is kept. */
static void a_unit_above_65535_is_asked_for_and_learnt_as_reported(void **state)
{
	kctl_t *h = NULL;

	(void)state;
	fk.peer_unit = 0xFFFFFFFFu;
	assert_int_equal(kctl_open_id(&fb, 7, 0xFFFFFFFFu, 0, &h), 0);
	assert_int_equal(fk.last_sa.sc_unit, 0xFFFFFFFFu);
	assert_int_equal(kctl_unit(h), 0xFFFFFFFFu);
	kctl_close(h);
}

static void bind_only_binds_and_connect_later_reuses_the_same_address(void **state)
{
	kctl_t *h = NULL;

	(void)state;
	fk.peer_unit = 5;
	assert_int_equal(kctl_open_id(&fb, 4, 5, KCTL_OPEN_BIND_ONLY, &h), 0);
	assert_int_equal(fk.calls[FK_BIND], 1);
	assert_int_equal(fk.calls[FK_CONNECT], 0);
	assert_int_equal(kctl_set_u32(h, 20, 1), 0);
	assert_int_equal(kctl_connect(h), 0);
	assert_int_equal(fk.calls[FK_CONNECT], 1);
	assert_int_equal(fk.last_sa.sc_unit, 5);
	assert_int_equal(kctl_unit(h), 5);
	assert_int_equal(kctl_connect(h), -EISCONN);
	kctl_close(h);
}

static void a_failed_deferred_connect_leaves_a_handle_that_only_closes(void **state)
{
	kctl_t *h = NULL;
	int fds = tu_open_fds();

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 4, 0, KCTL_OPEN_BIND_ONLY, &h), 0);
	assert_int_equal(kctl_unit(h), 0); /* the kernel's choice is not known before connect */
	fk.fail_call = FK_CONNECT;
	fk.fail_err = -ECONNREFUSED;
	assert_int_equal(kctl_connect(h), -ECONNREFUSED);
	assert_int_equal(kctl_unit(h), 0);
	assert_int_equal(fk.calls[FK_PEER], 0); /* nothing asked a dead socket */
	assert_int_equal(kctl_connect(h), -EINVAL);
	assert_int_equal(kctl_close(h), 0);
	assert_int_equal(tu_open_fds(), fds);
}

static void close_releases_the_fd_even_when_the_kernel_reports_an_error(void **state)
{
	kctl_t *h = NULL;
	int fds = tu_open_fds();

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 4, 0, 0, &h), 0);
	fk.fail_call = FK_CLOSE;
	fk.fail_err = -EINTR;
	assert_int_equal(kctl_close(h), -EINTR);
	assert_int_equal(tu_open_fds(), fds);
	assert_int_equal(kctl_close(NULL), 0);
}

static void timeouts_default_to_infinite_or_zero_with_nonblock(void **state)
{
	kctl_t *h = NULL;

	(void)state;
	assert_int_equal(kctl_open_id(&fb, 4, 0, 0, &h), 0);
	assert_int_equal(kctl_timeout(h), KCTL_TIMEOUT_INFINITE);
	assert_int_equal(kctl_set_timeout(h, -2), -EINVAL);
	assert_int_equal(kctl_set_timeout(h, 250), 0);
	assert_int_equal(kctl_timeout(h), 250);
	kctl_close(h);
	assert_int_equal(kctl_open_id(&fb, 4, 0, KCTL_OPEN_NONBLOCK, &h), 0);
	assert_int_equal(kctl_timeout(h), 0);
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(connect_sends_a_zeroed_32_byte_sockaddr_ctl, fk_setup),
		cmocka_unit_test_setup(the_socket_is_cloexec_nonblocking_and_sigpipe_free_before_connect, fk_setup),
		cmocka_unit_test_setup(the_unit_chosen_by_the_kernel_is_read_back_with_getpeername, fk_setup),
		cmocka_unit_test_setup(a_peer_address_of_another_control_is_rejected_without_leaking, fk_setup),
		cmocka_unit_test_setup(every_failing_call_on_the_open_path_returns_its_errno_and_leaks_nothing, fk_setup),
		cmocka_unit_test_setup(bad_flags_are_rejected_before_any_syscall, fk_setup),
		cmocka_unit_test_setup(a_unit_above_65535_is_asked_for_and_learnt_as_reported, fk_setup),
		cmocka_unit_test_setup(bind_only_binds_and_connect_later_reuses_the_same_address, fk_setup),
		cmocka_unit_test_setup(a_failed_deferred_connect_leaves_a_handle_that_only_closes, fk_setup),
		cmocka_unit_test_setup(close_releases_the_fd_even_when_the_kernel_reports_an_error, fk_setup),
		cmocka_unit_test_setup(timeouts_default_to_infinite_or_zero_with_nonblock, fk_setup),
	};

	return cmocka_run_group_tests_name("core_open", tests, NULL, NULL);
}
