/* Options through libkctl: typed values, strings, size queries, before connect. */
#include "fixture.h"

static int accept_bind(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		       void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return 0;
}

static void typed_u32_and_u64_options_round_trip(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	uint32_t v32 = 0;
	uint64_t v64 = 0;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_set_u32(h, ECHO_OPT_U32, 0xcafef00d), 0);
	assert_int_equal(kctl_get_u32(h, ECHO_OPT_U32, &v32), 0);
	assert_int_equal(v32, 0xcafef00d);
	assert_int_equal(kctl_set_u64(h, ECHO_OPT_U64, 0x1122334455667788ULL), 0);
	assert_int_equal(kctl_get_u64(h, ECHO_OPT_U64, &v64), 0);
	assert_true(v64 == 0x1122334455667788ULL);
	kctl_close(h);
}

static void a_string_option_comes_back_terminated_and_a_short_buffer_is_emsgsize(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	char name[32];
	char tiny[3];

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_get_str(h, ECHO_OPT_NAME, name, sizeof(name)), 0);
	assert_string_equal(name, "echo-1");
	assert_int_equal(kctl_get_str(h, ECHO_OPT_NAME, tiny, sizeof(tiny)), -EMSGSIZE);
	assert_string_equal(tiny, "");
	kctl_close(h);
}

static void the_size_query_returns_what_the_control_reports(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	char buf[100];
	size_t size = 0, len = 0;

	f->st.blob_size = 300;
	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_getopt_size(h, ECHO_OPT_BLOB, &size), 0);
	assert_int_equal(size, 300);
	assert_int_equal(kctl_getopt(h, ECHO_OPT_BLOB, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, sizeof(buf));
	assert_int_equal(buf[99], 'z');
	kctl_close(h);
}

static void a_two_byte_answer_to_a_u32_option_is_ebadmsg(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	uint32_t v = 42;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_get_u32(h, ECHO_OPT_SHORT, &v), -EBADMSG);
	assert_int_equal(v, 42);
	assert_int_equal(kctl_get_u32(h, 999, &v), -ENOPROTOOPT);
	kctl_close(h);
}

static void options_set_between_bind_and_connect_reach_the_control(void **state)
{
	struct fixture *f = *state;
	struct echo_stats st = { 0 };
	struct kctl_sim_reg reg;
	kctl_sim_ctl_t *ctl = NULL;
	kctl_t *h = NULL;

	memset(&reg, 0, sizeof(reg));
	snprintf(reg.name, sizeof(reg.name), "org.libkctl.test.bindable");
	reg.cookie = &st;
	reg.connect = echo_connect;
	reg.disconnect = echo_disconnect;
	reg.setopt = echo_setopt;
	reg.getopt = echo_getopt;
	reg.bind = accept_bind;
	assert_int_equal(kctl_sim_register(f->sim, &reg, &ctl), 0);
	assert_int_equal(kctl_open_name(f->be, reg.name, 0, KCTL_OPEN_BIND_ONLY, &h), 0);
	assert_int_equal(kctl_unit(h), 0); /* a Mac reveals the unit only after connect */
	assert_int_equal(kctl_set_u32(h, ECHO_OPT_U32, 5), 0);
	assert_int_equal(atomic_load(&st.connects), 0);
	assert_int_equal(kctl_connect(h), 0);
	assert_int_equal(atomic_load(&st.connects), 1);
	assert_int_equal(kctl_unit(h), 1);
	kctl_close(h);
}

static void a_control_without_option_callbacks_answers_enotsup(void **state)
{
	struct fixture *f = *state;
	struct kctl_sim_reg reg = { .name = "org.libkctl.test.bare", .connect = echo_connect,
				    .disconnect = echo_disconnect };
	struct echo_stats st = { 0 };
	kctl_sim_ctl_t *ctl = NULL;
	kctl_t *h = NULL;
	uint32_t v = 0;

	reg.cookie = &st;
	assert_int_equal(kctl_sim_register(f->sim, &reg, &ctl), 0);
	assert_int_equal(kctl_open_name(f->be, reg.name, 0, 0, &h), 0);
	assert_int_equal(kctl_set_u32(h, 1, 1), -ENOTSUP);
	assert_int_equal(kctl_get_u32(h, 1, &v), -ENOTSUP);
	assert_int_equal(kctl_send(h, "x", 1, NULL), -ENOTSUP);
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(typed_u32_and_u64_options_round_trip),
		T(a_string_option_comes_back_terminated_and_a_short_buffer_is_emsgsize),
		T(the_size_query_returns_what_the_control_reports),
		T(a_two_byte_answer_to_a_u32_option_is_ebadmsg),
		T(options_set_between_bind_and_connect_reach_the_control),
		T(a_control_without_option_callbacks_answers_enotsup),
#undef T
	};

	return cmocka_run_group_tests_name("client_options", tests, NULL, NULL);
}
