/* Senders on one handle while another thread's send is held up inside the kernel: on
 * a STREAM they wait for their turn no longer than their own timeout (and a timeout 0
 * one is told -EAGAIN at once); on DGRAM they do not wait at all. Frames never mix. */
#include <pthread.h>

#include "msg_fixture.h"

/* A control whose first send blocks until the test lets it go. */
struct slow {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int entered, released, sends;
	size_t bytes;
};

static int slow_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, kctl_sim_mbuf_t *m,
		     int flags)
{
	struct slow *s = kctl_sim_ctl_cookie(ctl);

	(void)unit; (void)unitinfo; (void)flags;
	pthread_mutex_lock(&s->lock);
	s->sends++;
	s->bytes += kctl_sim_mbuf_pkthdr_len(m);
	if (s->sends == 1) {
		s->entered = 1;
		pthread_cond_broadcast(&s->cond);
		while (!s->released)
			pthread_cond_wait(&s->cond, &s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	kctl_sim_mbuf_free(m);
	return 0;
}

struct sender {
	kctl_t *h;
	int rc;
};

static void *send_one(void *arg)
{
	struct sender *s = arg;

	s->rc = kctl_msg_send(s->h, KCTL_FRAME_F_EVENT, 1, 0, 0, "first", 5);
	return NULL;
}

/* Opens a handle on a slow control and has a thread stuck inside its first send. */
static kctl_t *stuck_sender(struct mfix *f, struct slow *s, int stream, pthread_t *t,
			    struct sender *snd, kctl_sim_ctl_t **ctl)
{
	struct kctl_sim_reg reg;
	kctl_t *h = NULL;

	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	memset(&reg, 0, sizeof(reg));
	strncpy(reg.name, stream ? "org.libkctl.test.slow.stream" : "org.libkctl.test.slow",
		sizeof(reg.name) - 1);
	reg.flags = stream ? KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM : 0;
	reg.cookie = s;
	reg.connect = fc_connect;
	reg.send = slow_send;
	assert_int_equal(kctl_sim_register(f->sim, &reg, ctl), 0);
	assert_int_equal(kctl_open_name(f->be, reg.name, 0, stream ? KCTL_OPEN_STREAM : 0, &h),
			 0);
	snd->h = h;
	assert_int_equal(pthread_create(t, NULL, send_one, snd), 0);
	pthread_mutex_lock(&s->lock);
	while (!s->entered)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
	return h;
}

static void release(struct slow *s, pthread_t t, struct sender *snd)
{
	pthread_mutex_lock(&s->lock);
	s->released = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(t, NULL);
	assert_int_equal(snd->rc, 0);
}

static void a_stream_sender_waits_for_its_turn_no_longer_than_its_timeout(void **state)
{
	struct mfix *f = *state;
	struct sender snd;
	kctl_sim_ctl_t *ctl;
	struct kctl_error e;
	struct slow s;
	pthread_t t;
	kctl_t *h = stuck_sender(f, &s, 1, &t, &snd, &ctl);
	int now, later, got;

	/* measured while the first send is stuck, checked once it is let go (an assert
	 * before that would leave the thread stuck) */
	kctl_set_timeout(h, 0);
	now = kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "second", 6);
	kctl_set_timeout(h, 30);
	later = kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "second", 6);
	got = kctl_last_error(h, KCTL_CALL_SEND, &e);
	release(&s, t, &snd);
	assert_int_equal(now, -EAGAIN);
	assert_int_equal(later, -ETIMEDOUT);
	assert_int_equal(got, 0);
	assert_int_equal(e.err, -ETIMEDOUT);
	assert_int_equal(e.origin, KCTL_ORIGIN_LIBRARY); /* another thread's turn, not the kernel */
	kctl_set_timeout(h, 2000);
	assert_int_equal(kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "third", 5), 0);
	assert_int_equal(s.sends, 2); /* the refused ones never reached the kernel */
	assert_int_equal(s.bytes, 2 * 24);
	kctl_close(h);
	assert_int_equal(kctl_sim_deregister(ctl), 0);
}

static void a_dgram_sender_does_not_wait_for_another_threads_send(void **state)
{
	struct mfix *f = *state;
	struct sender snd;
	kctl_sim_ctl_t *ctl;
	struct slow s;
	pthread_t t;
	kctl_t *h = stuck_sender(f, &s, 0, &t, &snd, &ctl);

	int rc, sends;

	kctl_set_timeout(h, 0);
	rc = kctl_msg_send(h, KCTL_FRAME_F_EVENT, 1, 0, 0, "second", 6);
	pthread_mutex_lock(&s.lock);
	sends = s.sends; /* in while the first is still inside */
	pthread_mutex_unlock(&s.lock);
	release(&s, t, &snd);
	assert_int_equal(rc, 0);
	assert_int_equal(sends, 2);
	kctl_close(h);
	assert_int_equal(kctl_sim_deregister(ctl), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, mfix_setup, mfix_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_stream_sender_waits_for_its_turn_no_longer_than_its_timeout),
		T(a_dgram_sender_does_not_wait_for_another_threads_send),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
