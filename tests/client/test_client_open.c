/* Opening controls through libkctl against the simulated kernel: the errors a Mac gives. */
#include "fixture.h"

static int refuse_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			  void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return -ECONNREFUSED;
}

/* Registers a privileged echo control and makes the caller a non-root user. */
static void register_privileged_as_non_root(struct fixture *f, struct echo_stats *st,
					    kctl_sim_ctl_t **priv)
{
	assert_int_equal(echo_register(f->sim, "org.libkctl.test.priv",
				       KCTL_ABI_CTL_FLAG_PRIVILEGED, st, priv), 0);
	kctl_sim_set_euid(f->sim, 501);
}

static void opening_by_name_takes_the_lowest_free_unit_each_time(void **state)
{
	struct fixture *f = *state;
	kctl_t *h[4] = { 0 };

	for (int i = 0; i < 3; i++) {
		assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h[i]), 0);
		assert_int_equal(kctl_unit(h[i]), (uint32_t)i + 1);
	}
	assert_int_equal(kctl_close(h[0]), 0);
	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h[3]), 0);
	assert_int_equal(kctl_unit(h[3]), 1);
	for (int i = 1; i < 4; i++)
		kctl_close(h[i]);
}

static void opening_by_id_reaches_the_same_control_as_by_name(void **state)
{
	struct fixture *f = *state;
	uint32_t id = 0;
	kctl_t *h = NULL;

	assert_int_equal(kctl_lookup(f->be, ECHO_NAME, &id), 0);
	assert_int_equal(id, kctl_sim_ctl_id(f->dgram));
	assert_int_equal(kctl_open_id(f->be, id, 7, 0, &h), 0);
	assert_int_equal(kctl_id(h), id);
	assert_int_equal(kctl_unit(h), 7);
	kctl_close(h);
}

static void an_unknown_name_or_id_is_enoent(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;

	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.ech", 0, 0, &h), -ENOENT);
	assert_int_equal(kctl_open_id(f->be, 999, 0, 0, &h), -ENOENT);
	assert_null(h);
}

static void a_stream_handle_on_a_dgram_control_is_eprototype_even_for_non_root(void **state)
{
	struct fixture *f = *state;
	struct echo_stats st = { 0 };
	kctl_sim_ctl_t *priv = NULL;
	kctl_t *h = NULL;

	register_privileged_as_non_root(f, &st, &priv);
	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.priv", 0, KCTL_OPEN_STREAM, &h),
			 -EPROTOTYPE);
	assert_int_equal(kctl_open_name(f->be, ECHO_STREAM_NAME, 0, 0, &h), -EPROTOTYPE);
	assert_null(h);
}

static void a_privileged_control_refuses_non_root_and_admits_root(void **state)
{
	struct fixture *f = *state;
	struct echo_stats st = { 0 };
	kctl_sim_ctl_t *priv = NULL;
	kctl_t *h = NULL;

	register_privileged_as_non_root(f, &st, &priv);
	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.priv", 0, 0, &h), -EPERM);
	kctl_sim_set_euid(f->sim, 0);
	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.priv", 0, 0, &h), 0);
	kctl_close(h);
}

static void an_explicit_unit_in_use_is_ebusy(void **state)
{
	struct fixture *f = *state;
	kctl_t *a = NULL, *b = NULL;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 4, 0, &a), 0);
	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 4, 0, &b), -EBUSY);
	assert_null(b);
	kctl_close(a);
}

/*
 * Only the kernel's own choice is bounded by 65535 (ctl_maxunit): an explicit unit, or a
 * REG_ID_UNIT control's unit, may be any 32-bit value, and must be reachable.
 */
static void units_above_65535_are_reachable_explicitly_and_through_reg_id_unit(void **state)
{
	struct fixture *f = *state;
	struct kctl_sim_reg reg = { .name = "org.libkctl.test.fixed", .id = 0x7000,
				    .unit = 70000, .flags = KCTL_ABI_CTL_FLAG_REG_ID_UNIT,
				    .connect = echo_connect, .disconnect = echo_disconnect,
				    .send = echo_send,
				    .cookie = &f->st };
	kctl_sim_ctl_t *fixed = NULL;
	kctl_t *a = NULL, *b = NULL, *c = NULL;
	uint32_t id = 0;

	assert_int_equal(kctl_sim_register(f->sim, &reg, &fixed), 0);
	assert_int_equal(kctl_lookup(f->be, reg.name, &id), 0);
	assert_int_equal(kctl_open_id(f->be, id, 70000, 0, &a), 0);
	assert_int_equal(kctl_unit(a), 70000);
	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0xFFFFFFFFu, 0, &b), 0);
	assert_int_equal(kctl_unit(b), 0xFFFFFFFFu);
	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 65536, KCTL_OPEN_BIND_ONLY, &c), -EINVAL);
	assert_null(c); /* the echo control has no bind callback: the kernel said EINVAL */
	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &c), 0);
	assert_int_equal(kctl_unit(c), 1); /* the kernel's choice starts from 1 */
	kctl_close(a);
	kctl_close(b);
	kctl_close(c);
	assert_int_equal(kctl_sim_deregister(fixed), 0);
}

static void a_refused_connect_returns_the_controls_errno_and_no_handle(void **state)
{
	struct fixture *f = *state;
	struct kctl_sim_reg reg = { .name = "org.libkctl.test.refuse", .connect = refuse_connect };
	kctl_sim_ctl_t *ctl = NULL;
	kctl_t *h = NULL;

	assert_int_equal(kctl_sim_register(f->sim, &reg, &ctl), 0);
	assert_int_equal(kctl_open_name(f->be, reg.name, 0, 0, &h), -ECONNREFUSED);
	assert_null(h);
	assert_int_equal(kctl_sim_deregister(ctl), 0); /* no client left attached */
}

static void count_and_lookup_see_the_registered_controls(void **state)
{
	struct fixture *f = *state;
	uint32_t n = 0;

	assert_int_equal(kctl_count(f->be, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(kctl_sim_deregister(f->stream), 0);
	assert_int_equal(kctl_count(f->be, &n), 0);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(opening_by_name_takes_the_lowest_free_unit_each_time),
		T(opening_by_id_reaches_the_same_control_as_by_name),
		T(an_unknown_name_or_id_is_enoent),
		T(a_stream_handle_on_a_dgram_control_is_eprototype_even_for_non_root),
		T(a_privileged_control_refuses_non_root_and_admits_root),
		T(an_explicit_unit_in_use_is_ebusy),
		T(units_above_65535_are_reachable_explicitly_and_through_reg_id_unit),
		T(a_refused_connect_returns_the_controls_errno_and_no_handle),
		T(count_and_lookup_see_the_registered_controls),
#undef T
	};

	return cmocka_run_group_tests_name("client_open", tests, NULL, NULL);
}
