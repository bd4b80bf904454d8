/* test_sim_register.c - ctl_register / ctl_deregister on the kext side. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim_fixture.h"

static int setup_empty(void **state)
{
	*state = fx_alloc();
	return *state != NULL ? 0 : -1;
}

static void register_without_a_registration_is_einval(void **state)
{
	struct fx *f = *state;
	kctl_sim_ctl_t *c = NULL;

	assert_int_equal(kctl_sim_register(f->sim, NULL, &c), -EINVAL);
	assert_null(c);
}

static void register_without_a_connect_callback_is_einval(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.a", 0);
	f->reg.connect = NULL;
	assert_int_equal(fx_register(f), -EINVAL);
}

static void register_with_an_empty_name_is_einval(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "", 0);
	assert_int_equal(fx_register(f), -EINVAL);
}

static void register_with_96_bytes_and_no_nul_is_einval(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "x", 0);
	memset(f->reg.name, 'x', sizeof(f->reg.name));
	assert_int_equal(fx_register(f), -EINVAL);
}

static void register_accepts_a_95_byte_name(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "x", 0);
	memset(f->reg.name, 'x', 95);
	f->reg.name[95] = '\0';
	assert_int_equal(fx_register(f), 0);
}

static void dynamic_ids_count_from_one(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "com.example.a", "com.example.b", "com.example.c" };

	for (uint32_t i = 0; i < 3; i++) {
		fx_reg_init(f, names[i], 0);
		f->reg.id = 77; /* ignored without REG_ID_UNIT */
		assert_int_equal(fx_register(f), 0);
		assert_int_equal(f->reg.id, i + 1);
		assert_int_equal(kctl_sim_ctl_id(f->ctl), i + 1);
	}
}

static void a_dynamic_id_follows_the_highest_registered_id(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.fixed", KCTL_ABI_CTL_FLAG_REG_ID_UNIT);
	f->reg.id = 100;
	f->reg.unit = 3;
	assert_int_equal(fx_register(f), 0);
	assert_int_equal(f->reg.id, 100);
	fx_reg_init(f, "com.example.dynamic", 0);
	assert_int_equal(fx_register(f), 0);
	assert_int_equal(f->reg.id, 101);
}

static void a_name_already_registered_is_eexist(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), 0);
	fx_reg_init(f, "com.example.a", KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);
	assert_int_equal(fx_register(f), -EEXIST);
}

static void reg_id_unit_with_an_id_and_unit_taken_is_eexist(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.a", KCTL_ABI_CTL_FLAG_REG_ID_UNIT);
	f->reg.id = 9;
	f->reg.unit = 1;
	assert_int_equal(fx_register(f), 0);
	fx_reg_init(f, "com.example.b", KCTL_ABI_CTL_FLAG_REG_ID_UNIT);
	f->reg.id = 9;
	f->reg.unit = 1;
	assert_int_equal(fx_register(f), -EEXIST);
	f->reg.unit = 2;
	assert_int_equal(fx_register(f), 0);
}

static void zero_sizes_become_the_defaults_and_are_written_back(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), 0);
	assert_int_equal(f->reg.sendsize, 2048);
	assert_int_equal(f->reg.recvsize, 8192);
}

static void explicit_sizes_are_kept(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.a", 0);
	f->reg.sendsize = 100;
	f->reg.recvsize = 300;
	assert_int_equal(fx_register(f), 0);
	assert_int_equal(f->reg.sendsize, 100);
	assert_int_equal(f->reg.recvsize, 300);
}

static void a_failed_registration_writes_nothing_back(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), 0);
	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), -EEXIST);
	assert_int_equal(f->reg.sendsize, 0);
	assert_int_equal(f->reg.recvsize, 0);
	assert_int_equal(f->reg.id, 0);
}

static void the_reference_knows_its_cookie_id_and_kernel(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), 0);
	assert_ptr_equal(kctl_sim_ctl_cookie(f->ctl), f);
	assert_ptr_equal(kctl_sim_ctl_sim(f->ctl), f->sim);
	assert_int_equal(kctl_sim_ctl_id(f->ctl), f->reg.id);
}

static void deregister_of_null_or_a_stale_reference_is_einval(void **state)
{
	struct fx *f = *state;

	assert_int_equal(kctl_sim_deregister(NULL), -EINVAL);
	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), 0);
	assert_int_equal(kctl_sim_deregister(f->ctl), 0);
	assert_int_equal(kctl_sim_deregister(f->ctl), -EINVAL);
}

static void a_deregistered_name_can_be_registered_again(void **state)
{
	struct fx *f = *state;

	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), 0);
	assert_int_equal(kctl_sim_deregister(f->ctl), 0);
	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), 0);
}

static void enqueue_to_a_stale_reference_is_einval(void **state)
{
	struct fx *f = *state;
	kctl_sim_ctl_t *stale;
	size_t space;

	fx_reg_init(f, "com.example.a", 0);
	assert_int_equal(fx_register(f), 0);
	stale = f->ctl;
	assert_int_equal(kctl_sim_deregister(stale), 0);
	assert_int_equal(kctl_sim_enqueue(stale, 1, "x", 1, 0), -EINVAL);
	assert_int_equal(kctl_sim_enqueue_space(stale, 1, &space), -EINVAL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_empty, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(register_without_a_registration_is_einval),
		T(register_without_a_connect_callback_is_einval),
		T(register_with_an_empty_name_is_einval),
		T(register_with_96_bytes_and_no_nul_is_einval),
		T(register_accepts_a_95_byte_name),
		T(dynamic_ids_count_from_one),
		T(a_dynamic_id_follows_the_highest_registered_id),
		T(a_name_already_registered_is_eexist),
		T(reg_id_unit_with_an_id_and_unit_taken_is_eexist),
		T(zero_sizes_become_the_defaults_and_are_written_back),
		T(explicit_sizes_are_kept),
		T(a_failed_registration_writes_nothing_back),
		T(the_reference_knows_its_cookie_id_and_kernel),
		T(deregister_of_null_or_a_stale_reference_is_einval),
		T(a_deregistered_name_can_be_registered_again),
		T(enqueue_to_a_stale_reference_is_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
