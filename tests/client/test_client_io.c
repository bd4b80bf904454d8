/* Sending and receiving through libkctl: records, truncation, stream pieces, EPIPE. */
#include <signal.h>

#include "fixture.h"

static volatile sig_atomic_t sigpipes;

static void count_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static int refuse_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			  void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return -ECONNREFUSED;
}

static void a_dgram_message_comes_back_as_one_record(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	char buf[64];
	size_t sent = 0, got = 0;
	uint32_t fl = 99;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_send(h, "hello", 5, &sent), 0);
	assert_int_equal(sent, 5);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, &fl), 0);
	assert_int_equal(got, 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(fl & KCTL_RECV_TRUNC, 0);
	kctl_close(h);
}

static void a_record_longer_than_the_buffer_is_cut_flagged_and_its_tail_dropped(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	char buf[8];
	size_t got = 0;
	uint32_t fl = 0;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_send(h, "abcdef", 6, NULL), 0);
	assert_int_equal(kctl_send(h, "XY", 2, NULL), 0);
	assert_int_equal(kctl_recv(h, buf, 2, &got, &fl), 0);
	assert_int_equal(got, 2);
	assert_memory_equal(buf, "ab", 2);
	assert_true(fl & KCTL_RECV_TRUNC);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, &fl), 0);
	assert_int_equal(got, 2);
	assert_memory_equal(buf, "XY", 2);
	assert_false(fl & KCTL_RECV_TRUNC);
	kctl_close(h);
}

static void a_dgram_message_above_the_send_size_is_emsgsize(void **state)
{
	struct fixture *f = *state;
	static char big[2049];
	kctl_t *h = NULL;
	size_t sent = 77;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, 0, &h), 0);
	assert_int_equal(kctl_send(h, big, 2049, &sent), -EMSGSIZE);
	assert_int_equal(sent, 0);
	assert_int_equal(kctl_send(h, big, 2048, &sent), 0);
	assert_int_equal(sent, 2048);
	assert_int_equal(atomic_load(&f->st.sends), 1);
	kctl_close(h);
}

static void a_stream_send_of_5000_bytes_reaches_the_control_in_three_pieces(void **state)
{
	struct fixture *f = *state;
	static char out[5000], in[5000];
	kctl_t *h = NULL;
	size_t sent = 0, total = 0;
	int eors = 0;

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7);
	assert_int_equal(kctl_open_name(f->be, ECHO_STREAM_NAME, 0, KCTL_OPEN_STREAM, &h), 0);
	assert_int_equal(kctl_send(h, out, sizeof(out), &sent), 0);
	assert_int_equal(sent, 5000);
	assert_int_equal(atomic_load(&f->st_stream.sends), 3);
	while (total < sizeof(in)) {
		size_t got = 0;
		uint32_t fl = 0;

		assert_int_equal(kctl_recv(h, in + total, sizeof(in) - total, &got, &fl), 0);
		assert_true(got > 0);
		total += got;
		eors += (fl & KCTL_RECV_EOR) != 0;
	}
	assert_memory_equal(in, out, sizeof(out));
	assert_int_equal(eors, 3); /* each echoed piece ended a record */
	kctl_close(h);
}

/* A control that keeps every piece and asks the sender to stop after the second. */
struct keeper {
	unsigned char got[16384];
	size_t len;
	int pieces;
};

static int keeper_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		       int flags)
{
	struct keeper *k = kctl_sim_ctl_cookie(ctl);
	size_t n = kctl_sim_mbuf_pkthdr_len(m);

	(void)unit; (void)unitinfo; (void)flags;
	if (k->len + n <= sizeof(k->got) && kctl_sim_mbuf_copydata(m, 0, n, k->got + k->len) == 0)
		k->len += n;
	kctl_sim_mbuf_free(m);
	return ++k->pieces == 2 ? -EAGAIN : 0; /* kept, but "stop for now" */
}

/*
 * A piece the control kept while saying EWOULDBLOCK counts as sent (a Mac's sosend
 * moved it): kctl_send goes on with the rest, and no byte reaches the control twice.
 */
static void a_stream_send_cut_short_by_the_control_goes_on_without_resending(void **state)
{
	struct fixture *f = *state;
	static struct keeper k;
	static unsigned char out[5000];
	struct kctl_sim_reg reg = { .name = "org.libkctl.test.keeper", .cookie = &k,
				    .flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM,
				    .connect = echo_connect, .disconnect = echo_disconnect,
				    .send = keeper_send };
	kctl_sim_ctl_t *ctl = NULL;
	kctl_t *h = NULL;
	size_t sent = 0;

	memset(&k, 0, sizeof(k));
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 13 + 1);
	assert_int_equal(kctl_sim_register(f->sim, &reg, &ctl), 0);
	assert_int_equal(kctl_open_name(f->be, reg.name, 0, KCTL_OPEN_STREAM, &h), 0);
	assert_int_equal(kctl_send(h, out, sizeof(out), &sent), 0);
	assert_int_equal(sent, sizeof(out));
	assert_int_equal(k.pieces, 3); /* 2048, 2048 (with EWOULDBLOCK), then the 904 left */
	assert_int_equal(k.len, sizeof(out));
	assert_memory_equal(k.got, out, sizeof(out));
	kctl_close(h);
	assert_int_equal(kctl_sim_deregister(ctl), 0);
}

static int accept_bind(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		       void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return 0;
}

static void a_dead_connection_gives_epipe_without_sigpipe_and_reads_as_end_of_file(void **state)
{
	struct fixture *f = *state;
	struct kctl_sim_reg reg = { .name = "org.libkctl.test.refuse", .connect = refuse_connect,
				    .bind = accept_bind };
	struct sigaction sa = { .sa_handler = count_sigpipe }, old;
	kctl_sim_ctl_t *ctl = NULL;
	kctl_t *h = NULL;
	char buf[4];
	size_t got = 9;

	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGPIPE, &sa, &old), 0);
	sigpipes = 0;
	assert_int_equal(kctl_sim_register(f->sim, &reg, &ctl), 0);
	assert_int_equal(kctl_open_name(f->be, reg.name, 0, KCTL_OPEN_BIND_ONLY, &h), 0);
	assert_int_equal(kctl_connect(h), -ECONNREFUSED);
	assert_int_equal(kctl_send(h, "x", 1, NULL), -EPIPE);
	assert_int_equal(sigpipes, 0);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), 0);
	assert_int_equal(got, 0);
	assert_int_equal(kctl_set_u32(h, 1, 1), -EINVAL);
	assert_int_equal(kctl_close(h), 0);
	assert_int_equal(kctl_sim_deregister(ctl), 0);
	sigaction(SIGPIPE, &old, NULL);
}

static void nothing_queued_with_timeout_zero_is_eagain(void **state)
{
	struct fixture *f = *state;
	kctl_t *h = NULL;
	char buf[4];
	size_t got = 5;

	assert_int_equal(kctl_open_name(f->be, ECHO_NAME, 0, KCTL_OPEN_NONBLOCK, &h), 0);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, NULL), -EAGAIN);
	assert_int_equal(got, 5);
	kctl_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(a_dgram_message_comes_back_as_one_record),
		T(a_record_longer_than_the_buffer_is_cut_flagged_and_its_tail_dropped),
		T(a_dgram_message_above_the_send_size_is_emsgsize),
		T(a_stream_send_of_5000_bytes_reaches_the_control_in_three_pieces),
		T(a_stream_send_cut_short_by_the_control_goes_on_without_resending),
		T(a_dead_connection_gives_epipe_without_sigpipe_and_reads_as_end_of_file),
		T(nothing_queued_with_timeout_zero_is_eagain),
#undef T
	};

	return cmocka_run_group_tests_name("client_io", tests, NULL, NULL);
}
