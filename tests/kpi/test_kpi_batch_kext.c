/*
 * A kernel-private kern_control (Batch: CTL_FLAG_REG_EXTENDED | CTL_FLAG_REG_SETUP,
 * setup, bind, rcvd, send_list, ctl_enqueuembuf_list): each private callback is used
 * exactly when xnu's ctl_register would keep it, and the same kext registered without
 * the flags gets only bind.
 */
#include "kpi_fixture.h"
#include "batch_kext.h"

static int setup_with(void **state, const char *name)
{
	struct kpi *k;

	if (kpi_setup(state) != 0)
		return -1;
	k = *state;
	return kpi_load(k, name, &k->kext);
}

static int setup_flags(void **state)
{
	return setup_with(state, "Batch");
}

static int setup_noflags(void **state)
{
	return setup_with(state, "BatchNoFlags");
}

static struct batch_stats stats(kctl_t *h)
{
	struct batch_stats st;
	size_t len = 0;

	assert_int_equal(kctl_getopt(h, BATCH_OPT_STATS, &st, sizeof(st), &len), 0);
	return st;
}

/* Sends the three messages "a", "bb", "ccc" with one sendmsg_x. */
static void send_batch(struct kpi *k, kctl_t *h)
{
	static char a[] = "a", b[] = "bb", c[] = "ccc";
	struct iovec msgs[3] = { { a, 1 }, { b, 2 }, { c, 3 } };
	uint32_t sent = 0;

	assert_int_equal(kctl_sim_sendmsg_x(k->sim, kctl_fd(h), msgs, 3, 0, &sent), 0);
	assert_int_equal(sent, 3);
}

static void setup_numbers_the_units_with_reg_setup(void **state)
{
	struct kpi *k = *state;
	kctl_t *a = kpi_open(k, BATCH_CTL_NAME, 0, 0), *b = kpi_open(k, BATCH_CTL_NAME, 0, 0);
	kctl_t *c = NULL;

	assert_int_equal(kctl_unit(a), BATCH_FIRST_UNIT);
	assert_int_equal(kctl_unit(b), BATCH_FIRST_UNIT + 1);
	/* its errno is connect's, as xnu returns it */
	assert_int_equal(kctl_open_name(k->be, BATCH_CTL_NAME, BATCH_BUSY_UNIT, 0, &c),
			 -EADDRINUSE);
	assert_int_equal(stats(a).setup_calls, 3);
	kctl_close(a);
	kctl_close(b);
}

static void a_sendmsg_x_batch_reaches_send_list_in_one_call(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, BATCH_CTL_NAME, 0, 0);
	struct batch_stats st;
	char buf[32];

	send_batch(k, h);
	st = stats(h);
	assert_int_equal(st.send_list_calls, 1);
	assert_int_equal(st.list_packets, 3);
	assert_int_equal(st.send_calls, 0);
	/* the answers came back with one ctl_enqueuembuf_list, a record per packet */
	kpi_recv_text(h, buf, sizeof(buf));
	assert_string_equal(buf, "list:1/3");
	kpi_recv_text(h, buf, sizeof(buf));
	assert_string_equal(buf, "list:2/3");
	kpi_recv_text(h, buf, sizeof(buf));
	assert_string_equal(buf, "list:3/3");
	kctl_close(h);
}

static void a_plain_send_still_reaches_send(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, BATCH_CTL_NAME, 0, 0);
	char buf[32];

	assert_int_equal(kctl_send(h, "abcd", 4, NULL), 0);
	kpi_recv_text(h, buf, sizeof(buf));
	assert_string_equal(buf, "one:4");
	assert_int_equal(stats(h).send_calls, 1);
	kctl_close(h);
}

static void rcvd_runs_after_the_client_reads(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, BATCH_CTL_NAME, 0, 0);
	char buf[32];

	assert_int_equal(stats(h).rcvd_calls, 0);
	assert_int_equal(kctl_send(h, "x", 1, NULL), 0);
	kpi_recv_text(h, buf, sizeof(buf));
	assert_true(stats(h).rcvd_calls >= 1);
	kctl_close(h);
}

/* bind then connect on one socket: bind prepares the unit, connect finds it. */
static void bind_then_connect(struct kpi *k, uint32_t *unit)
{
	struct kctl_abi_sockaddr_ctl sa, peer;
	uint32_t id = 0, len = sizeof(peer);
	int fd = -1;

	assert_int_equal(kctl_lookup(k->be, BATCH_CTL_NAME, &id), 0);
	assert_int_equal(kctl_sim_socket(k->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
					 KCTL_ABI_SYSPROTO_CONTROL, &fd), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sc_len = sizeof(sa);
	sa.sc_family = KCTL_ABI_AF_SYSTEM;
	sa.ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL;
	sa.sc_id = id;
	assert_int_equal(kctl_sim_bind(k->sim, fd, &sa, sizeof(sa)), 0);
	assert_int_equal(kctl_sim_connect(k->sim, fd, &sa, sizeof(sa)), 0);
	assert_int_equal(kctl_sim_getpeername(k->sim, fd, &peer, &len), 0);
	*unit = peer.sc_unit;
	assert_int_equal(kctl_sim_close(k->sim, fd), 0);
}

static void bind_is_honoured_and_prepares_the_unit(void **state)
{
	struct kpi *k = *state;
	kctl_t *h;
	struct batch_stats st;
	uint32_t unit = 0;

	bind_then_connect(k, &unit);
	assert_int_equal(unit, BATCH_FIRST_UNIT);
	h = kpi_open(k, BATCH_CTL_NAME, 0, 0);
	st = stats(h);
	assert_int_equal(st.bind_calls, 1);
	assert_int_equal(st.bound_connects, 1);
	kctl_close(h);
}

static void without_the_flags_only_bind_is_kept(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, BATCH_CTL_NAME, 0, 0);
	struct batch_stats st;
	uint32_t unit = 0;
	char buf[32];

	/* no REG_SETUP: the kernel numbers the units itself, from 1 */
	assert_int_equal(kctl_unit(h), 1);
	/* no REG_EXTENDED: a batch reaches send, one packet at a time; no rcvd */
	send_batch(k, h);
	for (int i = 0; i < 3; i++)
		kpi_recv_text(h, buf, sizeof(buf));
	assert_string_equal(buf, "one:3");
	/* bind is kept whatever the flags, as xnu's ctl_register keeps it */
	bind_then_connect(k, &unit);
	assert_int_equal(unit, 2);
	st = stats(h);
	assert_int_equal(st.setup_calls, 0);
	assert_int_equal(st.send_list_calls, 0);
	assert_int_equal(st.send_calls, 3);
	assert_int_equal(st.rcvd_calls, 0);
	assert_int_equal(st.bind_calls, 1);
	assert_int_equal(st.bound_connects, 1);
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(setup_numbers_the_units_with_reg_setup,
						setup_flags, kpi_teardown),
		cmocka_unit_test_setup_teardown(a_sendmsg_x_batch_reaches_send_list_in_one_call,
						setup_flags, kpi_teardown),
		cmocka_unit_test_setup_teardown(a_plain_send_still_reaches_send, setup_flags,
						kpi_teardown),
		cmocka_unit_test_setup_teardown(rcvd_runs_after_the_client_reads, setup_flags,
						kpi_teardown),
		cmocka_unit_test_setup_teardown(bind_is_honoured_and_prepares_the_unit, setup_flags,
						kpi_teardown),
		cmocka_unit_test_setup_teardown(without_the_flags_only_bind_is_kept, setup_noflags,
						kpi_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
