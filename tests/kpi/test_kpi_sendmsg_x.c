/*
 * sendmsg_x in the simulated kernel, as xnu's sendmsg_x/sendit_x/sosend_list and
 * kern_control's ctl_send_list make it: the batch of a connected DGRAM socket goes to a
 * control's send_list in one call (or to send, packet by packet, without one); the first
 * message too large fails the call and a later one ends the batch; flags other than
 * MSG_DONTWAIT are refused; any other socket sends each message on its own.
 */
#include "kpi_fixture.h"

#define DARWIN_MSG_SKIPCFIL 0x40000

struct counts {
	int lists, packets_in_lists, sends;
	size_t last_list_len;
	int send_ret; /* what send answers from the second packet on */
};

static struct counts c;

static int s_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
		     void **unitinfo)
{
	(void)ctl;
	(void)sac;
	(void)unitinfo;
	return 0;
}

static int s_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		  int flags)
{
	(void)ctl;
	(void)unit;
	(void)unitinfo;
	(void)flags;
	kctl_sim_mbuf_free(m);
	return c.sends++ == 0 ? 0 : c.send_ret;
}

static int s_send_list(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo,
		       kctl_sim_mbuf_t *list, int flags)
{
	(void)ctl;
	(void)unit;
	(void)unitinfo;
	(void)flags;
	c.lists++;
	c.last_list_len = 0;
	while (list != NULL) {
		kctl_sim_mbuf_t *next = kctl_sim_mbuf_nextpkt(list);

		c.packets_in_lists++;
		c.last_list_len += kctl_sim_mbuf_pkthdr_len(list);
		kctl_sim_mbuf_free(list);
		list = next;
	}
	return 0;
}

struct env {
	struct kpi *k;
	kctl_sim_ctl_t *ctl;
	kctl_t *h;
};

static int setup_ctl(void **state, uint32_t flags, int with_list)
{
	struct kctl_sim_reg reg = { .name = "org.libkctl.test.sendmsg_x", .connect = s_connect,
				    .send = s_send, .sendsize = 64 };
	struct env *e = calloc(1, sizeof(*e));

	memset(&c, 0, sizeof(c));
	reg.flags = flags;
	if (e == NULL || (e->k = kpi_new()) == NULL ||
	    kctl_sim_register(e->k->sim, &reg, &e->ctl) != 0)
		return -1;
	if (with_list && kctl_sim_ctl_set_send_list(e->ctl, s_send_list) != 0)
		return -1;
	if (kctl_open_name(e->k->be, reg.name, 0,
			   flags & KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM ? KCTL_OPEN_STREAM : 0,
			   &e->h) != 0)
		return -1;
	*state = e;
	return 0;
}

static int setup_list(void **state)
{
	return setup_ctl(state, 0, 1);
}

static int setup_plain(void **state)
{
	return setup_ctl(state, 0, 0);
}

static int setup_stream(void **state)
{
	return setup_ctl(state, KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM, 1);
}

static int teardown(void **state)
{
	struct env *e = *state;
	int bad = 0;

	if (e->h != NULL)
		kctl_close(e->h);
	if (kctl_sim_deregister(e->ctl) != 0)
		bad = 1;
	if (kpi_free(e->k) != 0)
		bad = 1;
	free(e);
	return bad ? -1 : 0;
}

static char small[8] = "1234567", big[100];

static int send_x(struct env *e, struct iovec *msgs, uint32_t n, int flags, uint32_t *sent)
{
	return kctl_sim_sendmsg_x(e->k->sim, kctl_fd(e->h), msgs, n, flags, sent);
}

static void a_batch_goes_to_send_list_in_one_call(void **state)
{
	struct env *e = *state;
	struct iovec m[4] = { { small, 1 }, { small, 2 }, { small, 3 }, { small, 0 } };
	uint32_t sent = 0;

	assert_int_equal(send_x(e, m, 4, KCTL_ABI_MSG_DONTWAIT, &sent), 0);
	assert_int_equal(sent, 4);
	assert_int_equal(c.lists, 1);
	assert_int_equal(c.packets_in_lists, 4);
	assert_int_equal(c.last_list_len, 6);
	assert_int_equal(c.sends, 0);
	assert_int_equal(send_x(e, m, 0, 0, &sent), 0); /* no message: nothing reaches it */
	assert_int_equal(c.lists, 1);
}

static void too_large_first_fails_and_later_ends_the_batch(void **state)
{
	struct env *e = *state;
	struct iovec first[2] = { { big, sizeof(big) }, { small, 1 } };
	struct iovec later[3] = { { small, 1 }, { big, sizeof(big) }, { small, 1 } };
	uint32_t sent = 9;

	assert_int_equal(send_x(e, first, 2, 0, &sent), -EMSGSIZE);
	assert_int_equal(sent, 0);
	assert_int_equal(c.lists, 0);
	assert_int_equal(send_x(e, later, 3, 0, &sent), 0);
	assert_int_equal(sent, 1);
	assert_int_equal(c.packets_in_lists, 1);
}

static void flags_beyond_dontwait_are_refused(void **state)
{
	struct env *e = *state;
	struct iovec m[2] = { { small, 1 }, { small, 1 } };
	uint32_t sent = 0;

	assert_int_equal(send_x(e, m, 2, KCTL_ABI_MSG_OOB, &sent), -EINVAL);
	assert_int_equal(send_x(e, m, 2, DARWIN_MSG_SKIPCFIL, &sent), -EPERM);
	assert_int_equal(c.lists, 0);
	assert_int_equal(send_x(e, NULL, 2, 0, &sent), -EFAULT);
	assert_int_equal(send_x(e, m, 1025, 0, &sent), -EINVAL);
}

static void without_send_list_each_packet_goes_to_send(void **state)
{
	struct env *e = *state;
	struct iovec m[3] = { { small, 1 }, { small, 2 }, { small, 3 } };
	uint32_t sent = 0;

	c.send_ret = 0;
	assert_int_equal(send_x(e, m, 3, 0, &sent), 0);
	assert_int_equal(sent, 3);
	assert_int_equal(c.sends, 3);
	/* send refuses the second: ENOBUFS after one is forgiven, the rest is dropped */
	c.sends = 0;
	c.send_ret = -ENOBUFS;
	assert_int_equal(send_x(e, m, 3, 0, &sent), 0);
	assert_int_equal(sent, 1);
	assert_int_equal(c.sends, 2);
	/* an error that is not forgiven is the call's */
	c.sends = 0;
	c.send_ret = -EACCES;
	assert_int_equal(send_x(e, m, 3, 0, &sent), -EACCES);
	assert_int_equal(sent, 1);
}

static void a_stream_socket_sends_each_message(void **state)
{
	struct env *e = *state;
	struct iovec m[3] = { { small, 1 }, { small, 2 }, { small, 3 } };
	uint32_t sent = 0;

	assert_int_equal(send_x(e, m, 3, 0, &sent), 0);
	assert_int_equal(sent, 3);
	assert_int_equal(c.lists, 0);
	assert_int_equal(c.sends, 3);
}

static void an_unconnected_socket_is_enotconn(void **state)
{
	struct env *e = *state;
	struct iovec m[1] = { { small, 1 } };
	uint32_t sent = 0;
	int fd = -1;

	assert_int_equal(kctl_sim_socket(e->k->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
					 KCTL_ABI_SYSPROTO_CONTROL, &fd), 0);
	assert_int_equal(kctl_sim_sendmsg_x(e->k->sim, fd, m, 1, 0, &sent), -ENOTCONN);
	assert_int_equal(kctl_sim_close(e->k->sim, fd), 0);
	assert_int_equal(kctl_sim_sendmsg_x(e->k->sim, 9999, m, 1, 0, &sent), -EBADF);
	kctl_close(e->h);
	e->h = NULL;
	assert_int_equal(kctl_sim_deregister(e->ctl), 0);
	assert_int_equal(kctl_sim_ctl_set_send_list(e->ctl, s_send_list), -EINVAL); /* stale */
	assert_int_equal(kctl_sim_ctl_set_send_list(NULL, s_send_list), -EINVAL);
	/* teardown deregisters again: register anew so that it can */
	{
		struct kctl_sim_reg reg = { .name = "org.libkctl.test.again", .connect = s_connect };

		assert_int_equal(kctl_sim_register(e->k->sim, &reg, &e->ctl), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_batch_goes_to_send_list_in_one_call, setup_list,
						teardown),
		cmocka_unit_test_setup_teardown(too_large_first_fails_and_later_ends_the_batch,
						setup_list, teardown),
		cmocka_unit_test_setup_teardown(flags_beyond_dontwait_are_refused, setup_list,
						teardown),
		cmocka_unit_test_setup_teardown(without_send_list_each_packet_goes_to_send,
						setup_plain, teardown),
		cmocka_unit_test_setup_teardown(a_stream_socket_sends_each_message, setup_stream,
						teardown),
		cmocka_unit_test_setup_teardown(an_unconnected_socket_is_enotconn, setup_list,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
