/* test_sim_lookup.c - ioctl on a control socket: CTLIOCGINFO, CTLIOCGCOUNT, the rest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>

#include "sim_fixture.h"

static struct kctl_abi_ctl_info info_for(const char *name)
{
	struct kctl_abi_ctl_info info;

	memset(&info, 0, sizeof(info));
	fx_copy_name(info.ctl_name, name);
	return info;
}

static void ctliocginfo_with_the_exact_name_gives_the_id(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_ctl_info info = info_for(FX_NAME);
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_true(fd >= 0);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGINFO, &info), 0);
	assert_int_equal(info.ctl_id, f->reg.id);
	assert_string_equal(info.ctl_name, FX_NAME);
	kctl_sim_close(f->sim, fd);
}

static void ctliocginfo_with_the_name_minus_its_last_character_is_enoent(void **state)
{
	struct fx *f = *state;
	char name[] = FX_NAME;
	struct kctl_abi_ctl_info info;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	name[sizeof(name) - 2] = '\0';
	info = info_for(name);
	info.ctl_id = 0xdeadbeef;
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGINFO, &info), -ENOENT);
	assert_int_equal(info.ctl_id, 0xdeadbeef);
	kctl_sim_close(f->sim, fd);
}

static void ctliocginfo_is_case_sensitive(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_ctl_info info = info_for("COM.EXAMPLE.KCTL.SIMTEST");
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGINFO, &info), -ENOENT);
	kctl_sim_close(f->sim, fd);
}

static void ctliocginfo_with_an_empty_name_is_einval_and_leaves_the_struct_unchanged(
	void **state)
{
	struct fx *f = *state;
	struct kctl_abi_ctl_info info, before;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	memset(&info, 0x5a, sizeof(info));
	info.ctl_name[0] = '\0';
	before = info;
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGINFO, &info), -EINVAL);
	assert_memory_equal(&info, &before, sizeof(info));
	kctl_sim_close(f->sim, fd);
}

static void ctliocginfo_with_96_bytes_and_no_nul_is_einval_and_leaves_the_struct_unchanged(
	void **state)
{
	struct fx *f = *state;
	struct kctl_abi_ctl_info info, before;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	memset(&info, 'a', sizeof(info));
	info.ctl_id = 42;
	before = info;
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGINFO, &info), -EINVAL);
	assert_memory_equal(&info, &before, sizeof(info));
	kctl_sim_close(f->sim, fd);
}

static void ctliocginfo_finds_a_95_byte_name(void **state)
{
	struct fx *f = *state;
	struct fx *g = fx_alloc();
	char name[96];
	struct kctl_abi_ctl_info info;
	int fd;

	(void)f;
	assert_non_null(g);
	if (g == NULL)
		return;
	memset(name, 'n', 95);
	name[95] = '\0';
	fx_reg_init(g, name, 0);
	assert_int_equal(fx_register(g), 0);
	info = info_for(name);
	fd = fx_socket(g, KCTL_ABI_SOCK_DGRAM);
	assert_int_equal(kctl_sim_ioctl(g->sim, fd, KCTL_ABI_CTLIOCGINFO, &info), 0);
	assert_int_equal(info.ctl_id, g->reg.id);
	kctl_sim_close(g->sim, fd);
	fx_free(g);
}

static void ctliocginfo_and_ctliocgcount_work_on_an_unconnected_stream_socket(void **state)
{
	struct fx *f = *state;
	struct kctl_abi_ctl_info info = info_for(FX_NAME);
	int count = -1;
	int fd = fx_socket(f, KCTL_ABI_SOCK_STREAM);

	assert_true(fd >= 0);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGCOUNT, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGINFO, &info), 0);
	assert_int_equal(info.ctl_id, f->reg.id);
	kctl_sim_close(f->sim, fd);
}

static void ctliocgcount_follows_registrations(void **state)
{
	struct fx *f = *state;
	struct fx other;
	kctl_sim_ctl_t *c2;
	int count = -1, fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	fx_reg_init(&other, "com.example.other", 0);
	assert_int_equal(kctl_sim_register(f->sim, &other.reg, &c2), 0);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGCOUNT, &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(kctl_sim_deregister(c2), 0);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGCOUNT, &count), 0);
	assert_int_equal(count, 1);
	kctl_sim_close(f->sim, fd);
}

static void another_n_group_ioctl_is_enotsup_and_a_foreign_one_is_enotty(void **state)
{
	struct fx *f = *state;
	int arg = 0, fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_ioctl(f->sim, fd, 0x40044E07UL, &arg), -ENOTSUP);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, 0x40047407UL, &arg), -ENOTTY);
	kctl_sim_close(f->sim, fd);
}

static void ioctl_on_a_foreign_fd_is_ebadf(void **state)
{
	struct fx *f = *state;
	int count;

	assert_int_equal(kctl_sim_ioctl(f->sim, 0, KCTL_ABI_CTLIOCGCOUNT, &count), -EBADF);
	assert_int_equal(kctl_sim_ioctl(f->sim, -1, KCTL_ABI_CTLIOCGCOUNT, &count), -EBADF);
}

static void ioctl_with_a_null_argument_is_efault(void **state)
{
	struct fx *f = *state;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_CTLIOCGINFO, NULL), -EFAULT);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_FIONREAD, NULL), -EFAULT);
	kctl_sim_close(f->sim, fd);
}

static void fionread_counts_the_bytes_of_every_record(void **state)
{
	struct fx *f = *state;
	int n = -1, fd = fx_open(f, KCTL_ABI_SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_FIONREAD, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "abc", 3, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_enqueue(f->ctl, 1, "defgh", 5, KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_FIONREAD, &n), 0);
	assert_int_equal(n, 8);
	kctl_sim_close(f->sim, fd);
}

static void sockets_are_close_on_exec_and_fioclex_fionclex_toggle_it(void **state)
{
	struct fx *f = *state;
	int fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_FIONCLEX, NULL), 0);
	assert_false(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_FIOCLEX, NULL), 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	kctl_sim_close(f->sim, fd);
}

static void fionbio_sets_and_clears_o_nonblock_on_the_fd(void **state)
{
	struct fx *f = *state;
	int on = 1, off = 0, fd = fx_socket(f, KCTL_ABI_SOCK_DGRAM);

	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_FIONBIO, &on), 0);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_int_equal(kctl_sim_ioctl(f->sim, fd, KCTL_ABI_FIONBIO, &off), 0);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	kctl_sim_close(f->sim, fd);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dgram, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ctliocginfo_with_the_exact_name_gives_the_id),
		T(ctliocginfo_with_the_name_minus_its_last_character_is_enoent),
		T(ctliocginfo_is_case_sensitive),
		T(ctliocginfo_with_an_empty_name_is_einval_and_leaves_the_struct_unchanged),
		T(ctliocginfo_with_96_bytes_and_no_nul_is_einval_and_leaves_the_struct_unchanged),
		T(ctliocginfo_finds_a_95_byte_name),
		T(ctliocginfo_and_ctliocgcount_work_on_an_unconnected_stream_socket),
		T(ctliocgcount_follows_registrations),
		T(another_n_group_ioctl_is_enotsup_and_a_foreign_one_is_enotty),
		T(ioctl_on_a_foreign_fd_is_ebadf),
		T(ioctl_with_a_null_argument_is_efault),
		T(fionread_counts_the_bytes_of_every_record),
		T(sockets_are_close_on_exec_and_fioclex_fionclex_toggle_it),
		T(fionbio_sets_and_clears_o_nonblock_on_the_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
