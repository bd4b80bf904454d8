/* test_sim_utun_open.c - Apple's utun in the simulated kernel: registration, privilege,
 * the unit its setup rule chooses, the interface's name and its life (scenario 19). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "utun_fixture.h"

#define T(fn) cmocka_unit_test_setup_teardown(fn, ut_setup, ut_teardown)

static void a_mac_like_kernel_has_utun_and_a_plain_one_has_nothing(void **state)
{
	struct ut *u = *state;
	kctl_sim_t *plain = NULL;
	struct kctl_ctl_desc d[2];
	uint32_t n = 0;

	assert_true(u->id != 0);
	assert_int_equal(kctl_list(kctl_sim_backend(u->sim), d, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(d[0].name, "com.apple.net.utun_control");
	assert_int_equal(d[0].flags, 0x29); /* PRIVILEGED | REG_EXTENDED | REG_SETUP */
	assert_int_equal(d[0].sendsize, 512 * 1024);
	assert_int_equal(d[0].recvsize, 512 * 1024);
	assert_int_equal(kctl_sim_new(&plain), 0);
	assert_int_equal(kctl_list(kctl_sim_backend(plain), d, 2, &n), 0);
	assert_int_equal(n, 0);
	kctl_sim_free(plain);
}

static void utun_registers_once_per_kernel(void **state)
{
	struct ut *u = *state;
	kctl_sim_t *plain = NULL;
	kctl_sim_ctl_t *c = NULL;

	assert_int_equal(kctl_sim_utun_register(u->sim, NULL), -EEXIST);
	assert_int_equal(kctl_sim_new(&plain), 0);
	assert_int_equal(kctl_sim_utun_register(plain, &c), 0);
	assert_non_null(c);
	assert_int_equal(kctl_sim_utun_register(plain, NULL), -EEXIST);
	/* deregistered (no client), it can come back */
	assert_int_equal(kctl_sim_deregister(c), 0);
	assert_int_equal(kctl_sim_utun_register(plain, &c), 0);
	kctl_sim_free(plain);
	assert_int_equal(kctl_sim_utun_register(NULL, NULL), -EINVAL);
	assert_int_equal(kctl_sim_new_mac(NULL), -EINVAL);
}

static void a_non_root_connect_is_eperm_and_makes_no_interface(void **state)
{
	struct ut *u = *state;
	uint32_t n = 9;

	kctl_sim_set_euid(u->sim, 501);
	assert_int_equal(ut_open(u, 0), -EPERM);
	assert_int_equal(kctl_sim_utun_list(u->sim, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
}

static void a_stream_socket_is_eprototype_even_as_non_root(void **state)
{
	struct ut *u = *state;
	struct kctl_abi_sockaddr_ctl sa = ut_addr(u, 0);
	int fd = -1;

	kctl_sim_set_euid(u->sim, 501);
	assert_int_equal(kctl_sim_socket(u->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_STREAM,
					 KCTL_ABI_SYSPROTO_CONTROL, &fd), 0);
	assert_int_equal(kctl_sim_connect(u->sim, fd, &sa, sizeof(sa)), -EPROTOTYPE);
	assert_int_equal(kctl_sim_close(u->sim, fd), 0);
}

/* Scenario 19 of the fact sheet. */
static void unit_0_gives_utun0_and_its_name_with_the_nul_counted(void **state)
{
	struct ut *u = *state;
	char name[32];
	uint32_t len = 0;
	int fd = ut_open(u, 0);

	assert_true(fd >= 0);
	memset(name, 'x', sizeof(name));
	assert_int_equal(ut_ifname(u, fd, name, sizeof(name), &len), 0);
	assert_string_equal(name, "utun0");
	assert_int_equal(len, 6);
	assert_int_equal(name[6], 'x'); /* nothing written past the NUL */
	assert_int_equal(kctl_sim_close(u->sim, fd), 0);
}

static void a_buffer_without_room_for_the_nul_is_emsgsize(void **state)
{
	struct ut *u = *state;
	char name[8];
	int fd = ut_open(u, 0);

	memset(name, 'x', sizeof(name));
	assert_int_equal(ut_ifname(u, fd, name, 3, NULL), -EMSGSIZE);
	assert_int_equal(ut_ifname(u, fd, name, 5, NULL), -EMSGSIZE); /* "utun0" without NUL */
	assert_int_equal(name[0], 'x');
	assert_int_equal(ut_ifname(u, fd, name, 6, NULL), 0);
	assert_int_equal(kctl_sim_close(u->sim, fd), 0);
}

static void unit_5_gives_utun4(void **state)
{
	struct ut *u = *state;
	char name[16];
	int fd = ut_open(u, 5);

	assert_true(fd >= 0);
	assert_int_equal(ut_ifname(u, fd, name, sizeof(name), NULL), 0);
	assert_string_equal(name, "utun4");
	assert_int_equal(kctl_sim_close(u->sim, fd), 0);
}

static void the_unit_is_reported_by_getpeername_as_n_plus_one(void **state)
{
	struct ut *u = *state;
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t len = sizeof(sa);
	int fd = ut_open(u, 8);

	assert_int_equal(kctl_sim_getpeername(u->sim, fd, &sa, &len), 0);
	assert_int_equal(sa.sc_id, u->id);
	assert_int_equal(sa.sc_unit, 8);
	assert_int_equal(kctl_sim_close(u->sim, fd), 0);
}

static void unit_0_takes_the_lowest_free_interface_and_fills_gaps(void **state)
{
	struct ut *u = *state;
	char name[16];
	int a = ut_open(u, 0), b = ut_open(u, 0), c = ut_open(u, 4), d;

	assert_true(a >= 0 && b >= 0 && c >= 0);
	assert_int_equal(kctl_sim_close(u->sim, a), 0);
	d = ut_open(u, 0); /* utun0 is free again */
	assert_int_equal(ut_ifname(u, d, name, sizeof(name), NULL), 0);
	assert_string_equal(name, "utun0");
	a = ut_open(u, 0); /* then utun2, below the explicit utun3 */
	assert_int_equal(ut_ifname(u, a, name, sizeof(name), NULL), 0);
	assert_string_equal(name, "utun2");
	kctl_sim_close(u->sim, a);
	kctl_sim_close(u->sim, b);
	kctl_sim_close(u->sim, c);
	kctl_sim_close(u->sim, d);
}

static void a_taken_unit_is_ebusy_and_the_socket_stays_usable(void **state)
{
	struct ut *u = *state;
	char name[16];
	int a = ut_open(u, 3), fd = ut_socket(u);

	assert_int_equal(ut_connect(u, fd, 3), -EBUSY);
	assert_int_equal(ut_connect(u, fd, 4), 0); /* the same socket, the next number */
	assert_int_equal(ut_ifname(u, fd, name, sizeof(name), NULL), 0);
	assert_string_equal(name, "utun3");
	kctl_sim_close(u->sim, fd);
	kctl_sim_close(u->sim, a);
}

static void a_bound_socket_holds_its_unit_but_has_no_interface_yet(void **state)
{
	struct ut *u = *state;
	char name[16];
	uint32_t n = 5;
	int fd = ut_socket(u), other;

	assert_int_equal(ut_bind(u, fd, 0), 0);
	assert_int_equal(kctl_sim_utun_list(u->sim, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(ut_ifname(u, fd, name, sizeof(name), NULL), -EINVAL);
	other = ut_open(u, 1); /* unit 1 is held by the bound socket */
	assert_int_equal(other, -EBUSY);
	assert_int_equal(ut_connect(u, fd, 0), 0); /* the unit chosen at bind is kept */
	assert_int_equal(ut_ifname(u, fd, name, sizeof(name), NULL), 0);
	assert_string_equal(name, "utun0");
	assert_int_equal(ut_bind(u, fd, 0), -EINVAL); /* utun binds a pcb once */
	kctl_sim_close(u->sim, fd);
}

static void closing_a_bound_socket_frees_its_unit(void **state)
{
	struct ut *u = *state;
	int fd = ut_socket(u), again;

	assert_int_equal(ut_bind(u, fd, 2), 0);
	assert_int_equal(kctl_sim_close(u->sim, fd), 0);
	again = ut_open(u, 2);
	assert_true(again >= 0);
	kctl_sim_close(u->sim, again);
}

static void the_interface_lives_exactly_as_long_as_the_socket(void **state)
{
	struct ut *u = *state;
	struct kctl_sim_utun_if ifs[4];
	uint32_t n = 0;
	int a = ut_open(u, 0), b = ut_open(u, 10);

	assert_int_equal(kctl_sim_utun_list(u->sim, ifs, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ifs[0].name, "utun0");
	assert_int_equal(ifs[0].unit, 1);
	assert_string_equal(ifs[1].name, "utun9");
	assert_int_equal(ifs[1].unit, 10);
	assert_int_equal(ifs[1].max_pending, 1);
	assert_int_equal(kctl_sim_utun_list(u->sim, ifs, 1, &n), -ENOSPC);
	assert_int_equal(n, 2);
	assert_int_equal(kctl_sim_close(u->sim, a), 0);
	assert_int_equal(kctl_sim_utun_list(u->sim, ifs, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ifs[0].name, "utun9");
	assert_int_equal(kctl_sim_utun_info(u->sim, "utun0", &ifs[0]), -ENXIO);
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "x", 1), -ENXIO);
	kctl_sim_close(u->sim, b);
	assert_int_equal(kctl_sim_utun_list(u->sim, ifs, 4, &n), 0);
	assert_int_equal(n, 0);
}

static void no_interface_above_utun32767_can_be_made(void **state)
{
	struct ut *u = *state;
	char name[16];
	size_t got = 7;
	unsigned char buf[8];
	int fd = ut_open(u, 32768), bad = ut_socket(u);

	assert_true(fd >= 0);
	assert_int_equal(ut_ifname(u, fd, name, sizeof(name), NULL), 0);
	assert_string_equal(name, "utun32767");
	assert_int_equal(ut_connect(u, bad, 32769), -EINVAL);
	/* the failed connect left the socket dead, and the unit free */
	assert_int_equal(ut_read(u, bad, buf, sizeof(buf), &got), 0);
	assert_int_equal(got, 0);
	kctl_sim_close(u->sim, bad);
	bad = ut_socket(u);
	assert_int_equal(ut_bind(u, bad, 32769), 0); /* setup accepts it, connect cannot */
	assert_int_equal(ut_connect(u, bad, 0), -EINVAL);
	kctl_sim_close(u->sim, bad);
	kctl_sim_close(u->sim, fd);
}

static void writes_above_512_kib_are_emsgsize(void **state)
{
	struct ut *u = *state;
	size_t big = 512 * 1024;
	unsigned char *p = calloc(1, big + 1);
	struct kctl_sim_utun_if info;
	int fd = ut_open(u, 0);

	assert_non_null(p);
	assert_int_equal(ut_write(u, fd, 2, p, big - 4), 0);
	assert_int_equal(ut_write(u, fd, 2, p, big - 3), -EMSGSIZE);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.ipackets, 1);
	free(p);
	kctl_sim_close(u->sim, fd);
}

static void freeing_the_kernel_with_utun_sockets_open_leaks_nothing(void **state)
{
	struct ut *u = *state;
	int fd = ut_socket(u);

	assert_true(ut_open(u, 0) >= 0);
	assert_true(ut_open(u, 7) >= 0);
	assert_int_equal(ut_bind(u, fd, 0), 0);
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "abc", 3), 0);
	assert_int_equal(kctl_sim_utun_inject(u->sim, "utun0", 2, "def", 3), 0); /* queued */
	/* teardown frees the kernel with all of it open; ASan/valgrind see any leak */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_mac_like_kernel_has_utun_and_a_plain_one_has_nothing),
		T(utun_registers_once_per_kernel),
		T(a_non_root_connect_is_eperm_and_makes_no_interface),
		T(a_stream_socket_is_eprototype_even_as_non_root),
		T(unit_0_gives_utun0_and_its_name_with_the_nul_counted),
		T(a_buffer_without_room_for_the_nul_is_emsgsize),
		T(unit_5_gives_utun4),
		T(the_unit_is_reported_by_getpeername_as_n_plus_one),
		T(unit_0_takes_the_lowest_free_interface_and_fills_gaps),
		T(a_taken_unit_is_ebusy_and_the_socket_stays_usable),
		T(a_bound_socket_holds_its_unit_but_has_no_interface_yet),
		T(closing_a_bound_socket_frees_its_unit),
		T(the_interface_lives_exactly_as_long_as_the_socket),
		T(no_interface_above_utun32767_can_be_made),
		T(writes_above_512_kib_are_emsgsize),
		T(freeing_the_kernel_with_utun_sockets_open_leaks_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
