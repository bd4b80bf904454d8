/* Every call on the open path failing in turn: the errno comes back, no fd and no
 * attached client are left behind. */
#include "fixture.h"

static void each_failing_call_of_an_open_leaves_no_fd_and_no_client(void **state)
{
	struct fixture *f = *state;
	static const int path[] = { KCTL_SIM_CALL_SOCKET, KCTL_SIM_CALL_IOCTL,
				    KCTL_SIM_CALL_SETSOCKOPT, KCTL_SIM_CALL_CONNECT,
				    KCTL_SIM_CALL_GETPEERNAME };
	int fds = tu_open_fds();

	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		kctl_t *h = NULL;
		uint32_t id = 0;

		assert_int_equal(kctl_lookup(f->be, ECHO_NAME, &id), 0);
		assert_int_equal(kctl_sim_fail_next(f->sim, path[i], -EIO), 0);
		assert_int_equal(kctl_open_id(f->be, id, 0, 0, &h), -EIO);
		assert_null(h);
		assert_int_equal(tu_open_fds(), fds);
		/* every connect that happened was undone by a disconnect */
		assert_int_equal(atomic_load(&f->st.connects), atomic_load(&f->st.disconnects));
	}
	assert_int_equal(kctl_sim_deregister(f->dgram), 0);
}

static void a_failing_lookup_leaves_no_fd(void **state)
{
	struct fixture *f = *state;
	int fds = tu_open_fds();
	uint32_t id = 0;
	kctl_t *h = NULL;

	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_IOCTL, -EINTR), 0);
	assert_int_equal(kctl_lookup(f->be, ECHO_NAME, &id), -EINTR);
	assert_int_equal(kctl_open_name(f->be, "org.libkctl.absent", 0, 0, &h), -ENOENT);
	assert_int_equal(tu_open_fds(), fds);
}

static void many_opens_and_closes_return_the_process_to_its_fd_count(void **state)
{
	struct fixture *f = *state;
	int fds = tu_open_fds();

	for (int i = 0; i < 200; i++) {
		kctl_t *h = NULL;

		assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
		assert_int_equal(kctl_send(h, "x", 1, NULL), 0);
		assert_int_equal(kctl_close(h), 0);
	}
	assert_int_equal(tu_open_fds(), fds);
	assert_int_equal(atomic_load(&f->st.connects), 200);
	assert_int_equal(atomic_load(&f->st.disconnects), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(each_failing_call_of_an_open_leaves_no_fd_and_no_client),
		T(a_failing_lookup_leaves_no_fd),
		T(many_opens_and_closes_return_the_process_to_its_fd_count),
#undef T
	};

	return cmocka_run_group_tests_name("client_leaks", tests, NULL, NULL);
}
