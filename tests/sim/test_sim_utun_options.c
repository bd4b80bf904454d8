/* test_sim_utun_options.c - utun's level-2 options: which come before connect, which
 * after, their lengths, ranges, privilege and errnos, as xnu-11417's if_utun.c has them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "utun_fixture.h"

#define T(fn) cmocka_unit_test_setup_teardown(fn, ut_setup, ut_teardown)
#define L2 KCTL_ABI_SYSPROTO_CONTROL

/* A bound socket (options between bind and connect) and a connected one. */
static int bound(struct ut *u)
{
	int fd = ut_socket(u);

	assert_int_equal(ut_bind(u, fd, 0), 0);
	return fd;
}

static void flags_are_set_between_bind_and_connect_only(void **state)
{
	struct ut *u = *state;
	int idle = ut_socket(u), fd = bound(u);
	uint32_t v = 0;

	assert_int_equal(ut_set_u32(u, idle, KCTL_ABI_UTUN_OPT_FLAGS, 1), -EINVAL); /* unbound */
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_FLAGS,
				    KCTL_ABI_UTUN_FLAGS_NO_OUTPUT), 0);
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_FLAGS, &v), 0);
	assert_int_equal(v, KCTL_ABI_UTUN_FLAGS_NO_OUTPUT);
	assert_int_equal(ut_connect(u, fd, 0), 0);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_FLAGS, 0), -EINVAL); /* macOS 11+ */
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_FLAGS, &v), 0);
	assert_int_equal(v, KCTL_ABI_UTUN_FLAGS_NO_OUTPUT);
	kctl_sim_close(u->sim, idle);
	kctl_sim_close(u->sim, fd);
}

static void a_value_of_the_wrong_length_is_emsgsize(void **state)
{
	struct ut *u = *state;
	int fd = bound(u);
	uint64_t big = 1;
	uint16_t small = 1;
	uint32_t len = sizeof(big);

	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, KCTL_ABI_UTUN_OPT_FLAGS, &big,
					     sizeof(big)), -EMSGSIZE);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, KCTL_ABI_UTUN_OPT_FLAGS, NULL, 0),
			 -EMSGSIZE);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2,
					     KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, &small,
					     sizeof(small)), -EMSGSIZE);
	assert_int_equal(kctl_sim_getsockopt(u->sim, fd, L2, KCTL_ABI_UTUN_OPT_FLAGS, &big, &len),
			 -EMSGSIZE);
	len = 0; /* the size query: utun answers EMSGSIZE, it has no size to tell */
	assert_int_equal(kctl_sim_getsockopt(u->sim, fd, L2, KCTL_ABI_UTUN_OPT_FLAGS, NULL, &len),
			 -EMSGSIZE);
	kctl_sim_close(u->sim, fd);
}

static void flags_and_ifdata_stats_need_root_even_on_an_open_socket(void **state)
{
	struct ut *u = *state;
	int fd = bound(u);
	char name[4] = "lo0";

	kctl_sim_set_euid(u->sim, 501); /* the process dropped its privilege after opening */
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_FLAGS, 0), -EPERM);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, 4), 0);
	kctl_sim_set_euid(u->sim, 0);
	assert_int_equal(ut_connect(u, fd, 0), 0);
	kctl_sim_set_euid(u->sim, 501);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS, 1), -EPERM);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2,
					     KCTL_ABI_UTUN_OPT_SET_DELEGATE_INTERFACE, name, 3),
			 -EPERM);
	kctl_sim_close(u->sim, fd);
}

static void the_interface_name_exists_only_after_connect(void **state)
{
	struct ut *u = *state;
	int fd = bound(u);
	char name[16];
	uint32_t len = 0;

	assert_int_equal(ut_ifname(u, fd, name, sizeof(name), NULL), -EINVAL);
	/* a zero-length buffer fails its length check first, even before connect */
	assert_int_equal(kctl_sim_getsockopt(u->sim, fd, L2, KCTL_ABI_UTUN_OPT_IFNAME, NULL,
					     &len), -EMSGSIZE);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, KCTL_ABI_UTUN_OPT_IFNAME, "utun9",
					     6), -ENOPROTOOPT); /* get only */
	assert_int_equal(ut_connect(u, fd, 0), 0);
	len = 0;
	assert_int_equal(kctl_sim_getsockopt(u->sim, fd, L2, KCTL_ABI_UTUN_OPT_IFNAME, NULL,
					     &len), -EMSGSIZE);
	kctl_sim_close(u->sim, fd);
}

static void the_pending_limit_defaults_to_1_and_refuses_0(void **state)
{
	struct ut *u = *state;
	int fd = ut_open(u, 0);
	uint32_t v = 0;

	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, 0), -EINVAL);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, 64), 0);
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, &v), 0);
	assert_int_equal(v, 64);
	kctl_sim_close(u->sim, fd);
}

static void ifdata_stats_come_after_connect_and_gate_the_increments(void **state)
{
	struct ut *u = *state;
	int fd = bound(u);
	struct kctl_abi_utun_stats_param sp = { 3, 300, 1 };
	struct kctl_sim_utun_if info;
	uint32_t v = 9;

	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS, 1), -EINVAL);
	assert_int_equal(ut_connect(u, fd, 0), 0);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2,
					     KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_IN, &sp,
					     sizeof(sp)), -EINVAL); /* not taken over yet */
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS, 1), 0);
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2,
					     KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_IN, &sp,
					     sizeof(sp) - 1), -EINVAL);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2,
					     KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_IN, &sp,
					     sizeof(sp)), 0);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2,
					     KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_OUT, &sp,
					     sizeof(sp)), 0);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.ipackets, 3);
	assert_int_equal(info.ibytes, 300);
	assert_int_equal(info.ierrors, 1);
	assert_int_equal(info.opackets, 3);
	/* with the stats taken over, traffic no longer counts by itself */
	assert_int_equal(ut_write(u, fd, 2, "ping", 4), 0);
	assert_int_equal(ut_info(u, fd, &info), 0);
	assert_int_equal(info.ipackets, 3);
	kctl_sim_close(u->sim, fd);
}

static void a_delegate_must_exist_and_fit_in_15_bytes(void **state)
{
	struct ut *u = *state;
	int fd = bound(u), other = ut_open(u, 0);
	const int opt = KCTL_ABI_UTUN_OPT_SET_DELEGATE_INTERFACE;

	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, opt, "en0", 3), -EINVAL);
	assert_int_equal(ut_connect(u, fd, 0), 0);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, opt, "en0", 3), 0);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, opt, "utun1", 5), 0);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, opt, "en7", 3), -ENXIO);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, opt, "0123456789abcdef", 16),
			 -EMSGSIZE);
	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, L2, opt, NULL, 0), 0); /* removes it */
	kctl_sim_close(u->sim, other);
	kctl_sim_close(u->sim, fd);
}

static void the_nexus_options_come_before_connect_with_their_ranges(void **state)
{
	struct ut *u = *state;
	int fd = bound(u);
	uint32_t v = 0;

	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_SLOT_SIZE, &v), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_RX_FSW_RING_SIZE, &v), 0);
	assert_int_equal(v, 128);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_SLOT_SIZE, 1023), -EINVAL);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_SLOT_SIZE, 32769), -EINVAL);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_SLOT_SIZE, 4096), 0);
	for (int opt = KCTL_ABI_UTUN_OPT_NETIF_RING_SIZE;
	     opt <= KCTL_ABI_UTUN_OPT_KPIPE_RX_RING_SIZE; opt++) {
		assert_int_equal(ut_set_u32(u, fd, opt, 7), -EINVAL);
		assert_int_equal(ut_set_u32(u, fd, opt, 1025), -EINVAL);
		assert_int_equal(ut_set_u32(u, fd, opt, 256), 0);
		assert_int_equal(ut_get_u32(u, fd, opt, &v), 0);
		assert_int_equal(v, 256);
	}
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_ENABLE_NETIF, 1), 0);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH, 0), 0);
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH, &v), -ENOPROTOOPT);
	assert_int_equal(ut_connect(u, fd, 0), 0);
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_ENABLE_NETIF, &v), 0);
	assert_int_equal(v, 1);
	for (int opt = KCTL_ABI_UTUN_OPT_ENABLE_NETIF;
	     opt <= KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH; opt++)
		assert_int_equal(ut_set_u32(u, fd, opt, 512), -EINVAL); /* "before connecting" */
	kctl_sim_close(u->sim, fd);
}

static void channels_and_flowswitch_need_what_the_simulator_lacks(void **state)
{
	struct ut *u = *state;
	int fd = bound(u);
	unsigned char uuid[16];
	uint32_t len = sizeof(uuid), v = 5;

	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL, 1), -EINVAL);
	assert_int_equal(ut_connect(u, fd, 0), 0);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL, 1), -EPERM);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL, 0), -ENXIO);
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(kctl_sim_getsockopt(u->sim, fd, L2, KCTL_ABI_UTUN_OPT_GET_CHANNEL_UUID,
					     uuid, &len), -ENXIO);
	assert_int_equal(ut_set_u32(u, fd, KCTL_ABI_UTUN_OPT_ENABLE_FLOWSWITCH, 1), -ENOENT);
	kctl_sim_close(u->sim, fd);
}

static void unknown_options_are_enoprotoopt_both_ways(void **state)
{
	struct ut *u = *state;
	int fd = ut_open(u, 0);
	static const int unknown[] = { 0, 6, 14, 28, 99, -1 };
	uint32_t v = 0;

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_int_equal(ut_set_u32(u, fd, unknown[i], 1), -ENOPROTOOPT);
		assert_int_equal(ut_get_u32(u, fd, unknown[i], &v), -ENOPROTOOPT);
	}
	assert_int_equal(ut_get_u32(u, fd, KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_IN, &v),
			 -ENOPROTOOPT);
	kctl_sim_close(u->sim, fd);
}

static void another_level_is_einval_before_utun_sees_it(void **state)
{
	struct ut *u = *state;
	int fd = ut_open(u, 0);
	uint32_t v = 1;

	assert_int_equal(kctl_sim_setsockopt(u->sim, fd, 1, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS,
					     &v, sizeof(v)), -EINVAL);
	kctl_sim_close(u->sim, fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(flags_are_set_between_bind_and_connect_only),
		T(a_value_of_the_wrong_length_is_emsgsize),
		T(flags_and_ifdata_stats_need_root_even_on_an_open_socket),
		T(the_interface_name_exists_only_after_connect),
		T(the_pending_limit_defaults_to_1_and_refuses_0),
		T(ifdata_stats_come_after_connect_and_gate_the_increments),
		T(a_delegate_must_exist_and_fit_in_15_bytes),
		T(the_nexus_options_come_before_connect_with_their_ranges),
		T(channels_and_flowswitch_need_what_the_simulator_lacks),
		T(unknown_options_are_enoprotoopt_both_ways),
		T(another_level_is_einval_before_utun_sees_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
