/*
 * Errors that never mislead: the same errno from libkctl, from the kernel and from the
 * control reads as what it is, against the simulated kernel.
 */
#include <limits.h>
#include <pthread.h>

#include "fixture.h"

/* A control whose connect callback answers what the test sets. */
static int refusal;

static int refusing_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			    void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return refusal;
}

static int register_refusing(struct fixture *f, const char *name, uint32_t flags)
{
	struct kctl_sim_reg reg;
	kctl_sim_ctl_t *ctl;

	memset(&reg, 0, sizeof(reg));
	snprintf(reg.name, sizeof(reg.name), "%s", name);
	reg.flags = flags;
	reg.connect = refusing_connect;
	return kctl_sim_register(f->sim, &reg, &ctl);
}

/* The sentence of a record, for exact comparisons. */
static const char *said(const struct kctl_error *e)
{
	static char buf[512];

	assert_true(kctl_error_str(e, buf, sizeof(buf)) < (int)sizeof(buf));
	return buf;
}

static const char *explained(kctl_t *h, uint32_t call, int err)
{
	static char buf[512];

	assert_true(kctl_explain(h, call, err, buf, sizeof(buf)) < (int)sizeof(buf));
	return buf;
}

static void a_name_or_flags_refused_before_any_syscall_are_libkctls(void **state)
{
	struct fixture *f = *state;
	char long_name[KCTL_NAME_MAX + 4];
	struct kctl_error why;
	uint64_t sockets = kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SOCKET);
	kctl_t *h = NULL;

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(kctl_open_name_ex(f->be, long_name, 0, 0, &h, &why), -EINVAL);
	assert_int_equal(why.origin, KCTL_ORIGIN_LIBRARY);
	assert_string_equal(said(&why), "EINVAL (Invalid argument): libkctl refused the "
			    "control name before any syscall: it has no NUL within 96 bytes (a "
			    "name is 1..95 bytes)");
	assert_int_equal(kctl_open_name_ex(f->be, "", 0, 0, &h, &why), -EINVAL);
	assert_non_null(strstr(said(&why), "it is empty"));
	assert_int_equal(kctl_open_id_ex(f->be, 1, 0, 0x80, &h, &why), -EINVAL);
	assert_non_null(strstr(said(&why), "0x80 are not known flag bits"));
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SOCKET), sockets);
	assert_null(h);
}

static void what_the_kernels_lookup_and_connect_said_is_the_kernels(void **state)
{
	struct fixture *f = *state;
	struct kctl_error why;
	kctl_t *h = NULL, *h3 = NULL;

	assert_int_equal(kctl_open_name_ex(f->be, "org.libkctl.test.ECHO", 0, 0, &h, &why),
			 -ENOENT);
	assert_int_equal(why.origin, KCTL_ORIGIN_KERNEL);
	assert_string_equal(said(&why), "ENOENT (No such file or directory): the kernel has no "
			    "control registered under this name (its kext is not loaded, or the "
			    "name is misspelt: names are exact and case-sensitive)");
	assert_int_equal(kctl_open_name_ex(f->be, ECHO_STREAM_NAME, 0, 0, &h, &why), -EPROTOTYPE);
	assert_int_equal(why.origin, KCTL_ORIGIN_KERNEL);
	assert_non_null(strstr(said(&why), "the kernel's connect refused a DGRAM socket: the "
			       "control is registered as STREAM"));
	assert_int_equal(kctl_open_name_ex(f->be, ECHO_NAME, 3, 0, &h3, NULL), 0);
	assert_int_equal(kctl_open_name_ex(f->be, ECHO_NAME, 3, 0, &h, &why), -EBUSY);
	assert_int_equal(why.origin, KCTL_ORIGIN_KERNEL);
	assert_non_null(strstr(said(&why), "refused unit 3: it is in use (ask for unit 0"));
	assert_int_equal(kctl_open_name_ex(f->be, ECHO_NAME, 0, 0, &h, &why), 0);
	assert_int_equal(why.err, 0);
	assert_string_equal(said(&why), "no error");
	kctl_close(h);
	kctl_close(h3);
}

static void the_same_eperm_reads_as_the_kernels_rule_or_the_controls_answer(void **state)
{
	struct fixture *f = *state;
	struct kctl_error why;
	kctl_t *h = NULL;

	assert_int_equal(register_refusing(f, "org.libkctl.test.priv",
					   KCTL_ABI_CTL_FLAG_PRIVILEGED), 0);
	assert_int_equal(register_refusing(f, "org.libkctl.test.refuses", 0), 0);
	refusal = 0;
	kctl_sim_set_euid(f->sim, 501);
	assert_int_equal(kctl_open_name_ex(f->be, "org.libkctl.test.priv", 0, 0, &h, &why),
			 -EPERM);
	assert_int_equal(why.origin, KCTL_ORIGIN_KERNEL);
	assert_string_equal(said(&why), "EPERM (Operation not permitted): the kernel's connect "
			    "refused it: the control is privileged (CTL_FLAG_PRIVILEGED) and this "
			    "process is not root; run as root");
	refusal = -EPERM; /* the control's own reason, for a connect the kernel let through */
	assert_int_equal(kctl_open_name_ex(f->be, "org.libkctl.test.refuses", 0, 0, &h, &why),
			 -EPERM);
	assert_int_equal(why.origin, KCTL_ORIGIN_CONTROL);
	assert_string_equal(said(&why), "EPERM (Operation not permitted): the control refused "
			    "the connection: its connect callback answered EPERM");
	refusal = -ECONNREFUSED;
	assert_int_equal(kctl_open_name_ex(f->be, "org.libkctl.test.refuses", 0, 0, &h, &why),
			 -ECONNREFUSED);
	assert_int_equal(why.origin, KCTL_ORIGIN_CONTROL);
	assert_null(h);
}

static void an_option_the_control_refuses_is_the_controls_answer(void **state)
{
	struct fixture *f = *state;
	struct kctl_error e;
	char small[4];
	kctl_t *h;
	uint32_t v;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	/* ECHO_OPT_U32 takes exactly 4 bytes: the callback answers EINVAL to 8 */
	assert_int_equal(kctl_set_u64(h, ECHO_OPT_U32, 7), -EINVAL);
	assert_int_equal(kctl_last_error(h, KCTL_CALL_OPTION, &e), 0);
	assert_int_equal(e.origin, KCTL_ORIGIN_CONTROL);
	assert_string_equal(explained(h, KCTL_CALL_OPTION, -EINVAL), "EINVAL (Invalid "
			    "argument): the control answered EINVAL to setopt 1 (8 bytes): its "
			    "setopt callback's errno");
	assert_null(strstr(explained(h, KCTL_CALL_OPTION, -EINVAL), "name"));
	assert_int_equal(kctl_get_str(h, ECHO_OPT_NAME, small, sizeof(small)), -EMSGSIZE);
	assert_string_equal(explained(h, KCTL_CALL_OPTION, EMSGSIZE), "EMSGSIZE (Message too "
			    "long): the control answered EMSGSIZE to getopt 3 (a 4-byte buffer): "
			    "its getopt callback's errno");
	assert_int_equal(kctl_get_u32(h, ECHO_OPT_SHORT, &v), -EBADMSG);
	assert_string_equal(explained(h, KCTL_CALL_OPTION, -EBADMSG), "EBADMSG (Bad message): "
			    "the control answered the option with 2 bytes where 4 were expected; "
			    "libkctl rejected the value");
	assert_int_equal(kctl_setopt(h, 1, small, KCTL_OPT_MAX + 1), -EMSGSIZE);
	assert_int_equal(kctl_last_error(h, KCTL_CALL_OPTION, &e), 0);
	assert_int_equal(e.origin, KCTL_ORIGIN_LIBRARY);
	kctl_close(h);
}

static void an_option_without_a_callback_names_both_possible_sources(void **state)
{
	struct fixture *f = *state;
	struct kctl_error e;
	kctl_t *h;

	refusal = 0;
	assert_int_equal(register_refusing(f, "org.libkctl.test.bare", 0), 0);
	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.bare", 0, 0, &h), 0);
	assert_int_equal(kctl_set_u32(h, 9, 1), -ENOTSUP);
	assert_int_equal(kctl_last_error(h, KCTL_CALL_OPTION, &e), 0);
	assert_int_equal(e.origin, KCTL_ORIGIN_KERNEL_OR_CONTROL);
	assert_non_null(strstr(explained(h, KCTL_CALL_OPTION, -ENOTSUP), "the control has no "
			       "setopt callback, or it answered "));
	kctl_close(h);
}

static void a_record_is_kept_per_kind_of_call_and_only_for_its_errno(void **state)
{
	struct fixture *f = *state;
	struct kctl_error e;
	kctl_t *h;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_last_error(h, KCTL_CALL_OPTION, &e), 0);
	assert_int_equal(e.err, 0);
	assert_int_equal(kctl_set_u64(h, ECHO_OPT_U32, 7), -EINVAL);
	assert_int_equal(kctl_last_error(h, KCTL_CALL_SEND, &e), 0);
	assert_int_equal(e.err, 0); /* another kind of call: untouched */
	/* an errno the record does not hold gets the bare sentence, never its cause */
	assert_string_equal(explained(h, KCTL_CALL_OPTION, -ENOPROTOOPT),
			    "ENOPROTOOPT (Protocol not available)");
	assert_string_equal(explained(h, KCTL_CALL_NONE, -EINVAL), "EINVAL (Invalid argument)");
	assert_int_equal(kctl_last_error(h, 99, &e), -EINVAL);
	assert_int_equal(kctl_last_error(NULL, KCTL_CALL_OPTION, &e), -EINVAL);
	kctl_close(h);
}

static void the_sentence_is_cut_as_snprintf_cuts_and_any_int_is_named(void **state)
{
	char buf[8];
	int n;

	(void)state;
	n = kctl_explain(NULL, KCTL_CALL_NONE, -EINVAL, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen("EINVAL (Invalid argument)"));
	assert_string_equal(buf, "EINVAL ");
	assert_int_equal(kctl_explain(NULL, KCTL_CALL_NONE, -EINVAL, NULL, 0), n);
	assert_int_equal(kctl_error_str(NULL, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(explained(NULL, KCTL_CALL_NONE, INT_MIN),
			    "errno 2147483648 (unknown to this system)");
	assert_string_equal(explained(NULL, KCTL_CALL_NONE, 100000),
			    "errno 100000 (unknown to this system)");
	assert_string_equal(explained(NULL, KCTL_CALL_RECV, -EAGAIN),
			    "EAGAIN (Resource temporarily unavailable): nothing is queued and the "
			    "handle's timeout is 0: poll kctl_fd() for POLLIN, then call again");
}

/* One sending thread, and the test's own thread using options: each reads its own. */
static void *send_too_big(void *arg)
{
	static char big[4096];
	kctl_t *h = arg;

	for (int i = 0; i < 200; i++) {
		struct kctl_error e;

		if (kctl_send(h, big, sizeof(big), NULL) != -EMSGSIZE ||
		    kctl_last_error(h, KCTL_CALL_SEND, &e) != 0 || e.err != -EMSGSIZE ||
		    e.origin != KCTL_ORIGIN_KERNEL_OR_CONTROL)
			return arg;
	}
	return NULL;
}

static void a_sending_and_an_option_thread_each_read_back_their_own(void **state)
{
	struct fixture *f = *state;
	pthread_t th;
	void *r = &r;
	uint32_t v;
	kctl_t *h;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(pthread_create(&th, NULL, send_too_big, h), 0);
	for (int i = 0; i < 200; i++) {
		struct kctl_error e;

		assert_int_equal(kctl_get_u32(h, 99, &v), -ENOPROTOOPT);
		assert_int_equal(kctl_last_error(h, KCTL_CALL_OPTION, &e), 0);
		assert_int_equal(e.err, -ENOPROTOOPT);
		assert_int_equal(e.origin, KCTL_ORIGIN_CONTROL);
	}
	assert_int_equal(pthread_join(th, &r), 0);
	assert_null(r);
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(a_name_or_flags_refused_before_any_syscall_are_libkctls),
		T(what_the_kernels_lookup_and_connect_said_is_the_kernels),
		T(the_same_eperm_reads_as_the_kernels_rule_or_the_controls_answer),
		T(an_option_the_control_refuses_is_the_controls_answer),
		T(an_option_without_a_callback_names_both_possible_sources),
		T(a_record_is_kept_per_kind_of_call_and_only_for_its_errno),
		T(the_sentence_is_cut_as_snprintf_cuts_and_any_int_is_named),
		T(a_sending_and_an_option_thread_each_read_back_their_own),
#undef T
	};

	return cmocka_run_group_tests_name("client_errors", tests, NULL, NULL);
}
