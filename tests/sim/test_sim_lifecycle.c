/* test_sim_lifecycle.c - socket(), close(), deregistration (scenario 18), SIGPIPE, fd
 * leaks, kctl_sim_free, and the backend table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>

#include "kctl_sys.h"
#include "sim_fixture.h"
#include "testutil.h"

static void socket_accepts_dgram_and_stream_on_af_system_protocol_2(void **state)
{
	struct fx *f = *state;
	int d = fx_socket(f, KCTL_ABI_SOCK_DGRAM), s = fx_socket(f, KCTL_ABI_SOCK_STREAM);

	assert_true(d >= 0);
	assert_true(s >= 0);
	assert_int_not_equal(d, s);
	assert_int_equal(kctl_sim_close(f->sim, d), 0);
	assert_int_equal(kctl_sim_close(f->sim, s), 0);
}

/* socreate: protocol 0 takes the domain's first protocol of that type (pffindtype). */
static void socket_with_protocol_0_gives_a_control_socket_of_either_type(void **state)
{
	struct fx *f = *state;
	int d = -1, s = -1;

	assert_int_equal(kctl_sim_socket(f->sim, 32, KCTL_ABI_SOCK_DGRAM, 0, &d), 0);
	assert_int_equal(kctl_sim_socket(f->sim, 32, KCTL_ABI_SOCK_STREAM, 0, &s), 0);
	assert_int_equal(fx_connect_fd(f, d, 0), 0);
	assert_int_equal(fx_unit(f, d), 1);
	assert_int_equal(fx_connect_fd(f, s, 0), -EPROTOTYPE); /* a control socket, typed */
	assert_int_equal(kctl_sim_close(f->sim, d), 0);
	assert_int_equal(kctl_sim_close(f->sim, s), 0);
}

/*
 * socreate's errors: no such domain EAFNOSUPPORT; a protocol the domain has but not
 * with this type (2 for SOCK_RAW, 1 = SYSPROTO_EVENT for DGRAM) EPROTOTYPE; an unknown
 * protocol, or protocol 0 with a type no protocol has, EPROTONOSUPPORT.
 */
static void socket_rejects_another_domain_protocol_or_type(void **state)
{
	struct fx *f = *state;
	int fd = -7;

	assert_int_equal(kctl_sim_socket(f->sim, 2, KCTL_ABI_SOCK_DGRAM, 2, &fd), -EAFNOSUPPORT);
	assert_int_equal(kctl_sim_socket(f->sim, 32, KCTL_ABI_SOCK_DGRAM, 1, &fd), -EPROTOTYPE);
	assert_int_equal(kctl_sim_socket(f->sim, 32, KCTL_ABI_SOCK_DGRAM, 7, &fd),
			 -EPROTONOSUPPORT);
	assert_int_equal(kctl_sim_socket(f->sim, 32, 3, 2, &fd), -EPROTOTYPE);
	assert_int_equal(kctl_sim_socket(f->sim, 32, 5, 0, &fd), -EPROTONOSUPPORT);
	assert_int_equal(kctl_sim_socket(f->sim, 32, KCTL_ABI_SOCK_DGRAM, 2, NULL), -EFAULT);
	assert_int_equal(fd, -7);
}

static void close_runs_the_disconnect_callback_once(void **state)
{
	struct fx *f = *state;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 3);

	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
	assert_int_equal(atomic_load(&f->disconnects), 1);
	assert_int_equal(f->last_disconnect_unit, 3);
	assert_int_equal(kctl_sim_close(f->sim, fd), -EBADF);
	assert_int_equal(atomic_load(&f->disconnects), 1);
}

static void closing_an_unconnected_socket_tells_nobody(void **state)
{
	struct fx *f = *state;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
	assert_int_equal(atomic_load(&f->disconnects), 0);
}

static void deregister_is_ebusy_while_attached_and_works_after_close(void **state)
{
	struct fx *f = *state;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_deregister(f->ctl), -EBUSY);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "x", 1, 0), 0);
	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "x", 1, 0), -EINVAL);
	assert_int_equal(kctl_sim_deregister(f->ctl), 0);
}

static void calls_on_a_closed_fd_are_ebadf(void **state)
{
	struct fx *f = *state;
	char buf[4];
	size_t got;
	int fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
	assert_int_equal(fx_send_buf(f, fd, "x", 1, 0, NULL), -EBADF);
	assert_int_equal(fx_recv_buf(f, fd, buf, sizeof(buf), 0, &got, NULL), -EBADF);
	assert_int_equal(fx_connect_fd(f, fd, 0), -EBADF);
}

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* A socket whose connect failed; SO_NOSIGPIPE set before, if asked (after: EINVAL). */
static int dead_socket_nosigpipe(struct fx *f, int nosigpipe)
{
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	if (nosigpipe && fx_nosigpipe(f, fd) != 0)
		return -1;
	f->connect_err = -ECONNREFUSED;
	if (fx_connect_fd(f, fd, 0) != -ECONNREFUSED)
		return -1;
	return fd;
}

static void send_on_a_dead_socket_raises_sigpipe_unless_so_nosigpipe(void **state)
{
	struct fx *f = *state;
	struct sigaction sa, old;
	int fd = dead_socket_nosigpipe(f, 0), quiet = dead_socket_nosigpipe(f, 1);

	assert_true(fd >= 0);
	assert_true(quiet >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGPIPE, &sa, &old), 0);
	sigpipes = 0;
	assert_int_equal(fx_send_buf(f, fd, "x", 1, 0, NULL), -EPIPE);
	assert_int_equal(sigpipes, 1);
	assert_int_equal(fx_send_buf(f, quiet, "x", 1, 0, NULL), -EPIPE);
	assert_int_equal(sigpipes, 1);
	assert_int_equal(sigaction(SIGPIPE, &old, NULL), 0);
	kctl_sim_close(f->sim, fd);
	kctl_sim_close(f->sim, quiet);
}

/* sendit: MSG_NOSIGNAL (macOS 11+) spares this one send the signal. */
static void msg_nosignal_on_a_dead_socket_gives_epipe_without_sigpipe(void **state)
{
	struct fx *f = *state;
	struct sigaction sa, old;
	int fd = dead_socket_nosigpipe(f, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGPIPE, &sa, &old), 0);
	sigpipes = 0;
	assert_int_equal(fx_send_buf(f, fd, "x", 1, KCTL_ABI_MSG_NOSIGNAL, NULL), -EPIPE);
	assert_int_equal(sigpipes, 0);
	assert_int_equal(fx_send_buf(f, fd, "x", 1, 0, NULL), -EPIPE); /* per send, not sticky */
	assert_int_equal(sigpipes, 1);
	assert_int_equal(sigaction(SIGPIPE, &old, NULL), 0);
	kctl_sim_close(f->sim, fd);
}

static void other_send_errors_raise_no_sigpipe(void **state)
{
	struct fx *f = *state;
	struct sigaction sa, old;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGPIPE, &sa, &old), 0);
	sigpipes = 0;
	assert_int_equal(fx_send_buf(f, fd, "x", 1, 0, NULL), -ENOTCONN);
	assert_int_equal(sigpipes, 0);
	assert_int_equal(sigaction(SIGPIPE, &old, NULL), 0);
	kctl_sim_close(f->sim, fd);
}

static void error_paths_leak_no_fd(void **state)
{
	struct fx *f = *state;
	int before = tu_open_fds(), fd;
	struct kctl_abi_sockaddr_ctl sa = fx_addr(f->reg.id + 5, 0);

	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_STREAM, 0), -EPROTOTYPE);
	fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);
	assert_int_equal(kctl_sim_connect(f->sim, fd, &sa, sizeof(sa)), -ENOENT);
	assert_int_equal(kctl_sim_connect(f->sim, fd, &sa, 3), -EINVAL);
	assert_int_equal(kctl_sim_close(f->sim, fd), 0);
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_CLOSE, -EINTR), 0);
	fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);
	assert_int_equal(kctl_sim_close(f->sim, fd), -EINTR); /* released all the same */
	f->connect_err = -ECONNREFUSED;
	assert_int_equal(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0), -ECONNREFUSED);
	assert_int_equal(kctl_sim_socket(f->sim, 2, 1, 2, &fd), -EAFNOSUPPORT);
	assert_int_equal(tu_open_fds(), before);
}

static void freeing_the_kernel_closes_open_sockets_and_their_fds(void **state)
{
	struct fx *f = fx_new(0);
	int before;

	(void)state;
	assert_non_null(f);
	if (f == NULL)
		return;
	before = tu_open_fds();
	for (int i = 0; i < 5; i++)
		assert_true(fx_open(f, KCTL_ABI_SOCK_DGRAM, 0) >= 0);
	assert_true(fx_socket(f, KCTL_ABI_SOCK_STREAM) >= 0);
	assert_int_equal(tu_open_fds(), before + 12);
	kctl_sim_free(f->sim);
	f->sim = NULL;
	assert_int_equal(atomic_load(&f->disconnects), 5);
	assert_int_equal(tu_open_fds(), before);
	fx_free(f);
}

static void the_backend_sends_each_call_to_the_kernel(void **state)
{
	struct fx *f = *state;
	const kctl_backend_t *be = kctl_sim_backend(f->sim);
	struct kctl_abi_sockaddr_ctl sa = fx_addr(f->reg.id, 0), peer;
	struct iovec iov = { (void *)"hi", 2 };
	char buf[8];
	struct iovec riov = { buf, sizeof(buf) };
	uint32_t len = sizeof(peer);
	size_t n = 0;
	int fd = -1, rf = 0, count = 0, v = 1;

	assert_non_null(be);
	assert_ptr_equal(be->ctx, f->sim);
	assert_int_equal(be->ops->socket(be->ctx, 32, KCTL_ABI_SOCK_DGRAM, 2, &fd), 0);
	assert_int_equal(be->ops->ioctl(be->ctx, fd, KCTL_ABI_CTLIOCGCOUNT, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(be->ops->bind(be->ctx, fd, &sa, sizeof(sa)), -EINVAL);
	assert_int_equal(be->ops->connect(be->ctx, fd, &sa, sizeof(sa)), 0);
	assert_int_equal(be->ops->getpeername(be->ctx, fd, &peer, &len), 0);
	assert_int_equal(peer.sc_unit, 1);
	assert_int_equal(be->ops->sendmsg(be->ctx, fd, &iov, 1, 0, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "yo", 2, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(be->ops->recvmsg(be->ctx, fd, &riov, 1, 0, &n, &rf), 0);
	assert_int_equal(n, 2);
	assert_int_equal(be->ops->setsockopt(be->ctx, fd, 2, 1, &v, sizeof(v)), 0);
	len = sizeof(v);
	assert_int_equal(be->ops->getsockopt(be->ctx, fd, 2, 1, &v, &len), 0);
	assert_int_equal(be->ops->close(be->ctx, fd), 0);
	assert_int_equal(atomic_load(&f->disconnects), 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dgram, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(socket_accepts_dgram_and_stream_on_af_system_protocol_2),
		T(socket_with_protocol_0_gives_a_control_socket_of_either_type),
		T(socket_rejects_another_domain_protocol_or_type),
		T(close_runs_the_disconnect_callback_once),
		T(closing_an_unconnected_socket_tells_nobody),
		T(deregister_is_ebusy_while_attached_and_works_after_close),
		T(calls_on_a_closed_fd_are_ebadf),
		T(send_on_a_dead_socket_raises_sigpipe_unless_so_nosigpipe),
		T(msg_nosignal_on_a_dead_socket_gives_epipe_without_sigpipe),
		T(other_send_errors_raise_no_sigpipe),
		T(error_paths_leak_no_fd),
		T(freeing_the_kernel_closes_open_sockets_and_their_fds),
		T(the_backend_sends_each_call_to_the_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
