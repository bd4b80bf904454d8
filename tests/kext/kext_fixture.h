/*
 * kext_fixture.h - the sample kext loaded into a simulated kernel, and a client's
 * helpers (header-only). Each test gets a fresh kernel with Sample loaded; teardown
 * unloads it (which must succeed: every client closed), frees the kernel and fails the
 * test if a file descriptor leaked.
 */
#ifndef KEXT_FIXTURE_H
#define KEXT_FIXTURE_H

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kctl.h"
#include "kctl_frame.h"
#include "kctl_kpi.h"
#include "kctl_sim.h"
#include "sample_proto.h"
#include "kext_log.h"
#include "testutil.h"

#define KX_TIMEOUT_MS 5000

struct kx {
	kctl_sim_t *sim;
	const kctl_backend_t *be;
	kctl_kpi_kext_t *kext;
	int fds_before;
	struct kext_log log; /* the kext's printf lines */
};

/* Whether the kext has logged a line containing s. */
static inline int kx_logged(struct kx *k, const char *s)
{
	return kext_log_has(&k->log, s);
}

static inline int kx_setup_seg(void **state, size_t segment)
{
	struct kx *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return -1;
	kext_log_init(&k->log);
	k->fds_before = tu_open_fds();
	if (kctl_sim_new(&k->sim) != 0 || kctl_sim_set_mbuf_segment(k->sim, segment) != 0)
		return -1;
	k->be = kctl_sim_backend(k->sim);
	kctl_kpi_set_log(kext_log_line, &k->log);
	if (kctl_kpi_load_module(k->sim, SAMPLE_KEXT_PATH, &k->kext) != 0)
		return -1;
	*state = k;
	return 0;
}

static inline int kx_setup(void **state)
{
	return kx_setup_seg(state, 128);
}

static inline int kx_teardown(void **state)
{
	struct kx *k = *state;
	int bad = 0;

	if (k->kext != NULL && kctl_kpi_unload(k->kext) != 0)
		bad = 1;
	kctl_kpi_set_log(NULL, NULL);
	kctl_sim_free(k->sim);
	if (tu_open_fds() != k->fds_before)
		bad = 1;
	kext_log_destroy(&k->log);
	free(k);
	return bad ? -1 : 0;
}

/* A client of the DGRAM (stream 0) or STREAM control, with a timeout. */
static inline kctl_t *kx_open(struct kx *k, int stream)
{
	kctl_t *h = NULL;

	assert_int_equal(kctl_open_name(k->be, stream ? SAMPLE_CTL_STREAM_NAME : SAMPLE_CTL_NAME,
					0, stream ? KCTL_OPEN_STREAM : 0, &h), 0);
	assert_int_equal(kctl_set_timeout(h, KX_TIMEOUT_MS), 0);
	return h;
}

/* A payload of attributes, built with the codec in a frame used only as scratch. */
struct kx_msg {
	uint64_t buf[SAMPLE_MAX_FRAME / 8];
};

static inline void kx_msg_init(struct kx_msg *m)
{
	assert_int_equal(kctl_frame_start(m->buf, sizeof(m->buf), KCTL_FRAME_F_REQUEST, 0, 0, 0),
			 0);
}

static inline const void *kx_msg_payload(const struct kx_msg *m, size_t *len)
{
	const struct kctl_frame_hdr *f = (const void *)m->buf;

	*len = kctl_frame_payload_len(f);
	return kctl_frame_payload(f);
}

/* Sends a request with m's payload (m may be NULL: empty) and waits for the reply. */
static inline int kx_call(kctl_t *h, uint16_t type, const struct kx_msg *m, void *reply,
			  size_t cap, size_t *rlen)
{
	size_t len = 0, dummy = 0;
	const void *p = m != NULL ? kx_msg_payload(m, &len) : NULL;

	return kctl_request(h, type, p, len, reply, cap, rlen != NULL ? rlen : &dummy);
}

/* KV helpers: 0 or the negative errno of the kext's answer. */
static inline int kx_kv_set(kctl_t *h, const char *key, const void *val, size_t vlen)
{
	struct kx_msg m;
	uint64_t reply[8];

	kx_msg_init(&m);
	assert_int_equal(kctl_attr_put_str(m.buf, sizeof(m.buf), SAMPLE_ATTR_KEY, key), 0);
	assert_int_equal(kctl_attr_put(m.buf, sizeof(m.buf), SAMPLE_ATTR_VALUE, val, vlen), 0);
	return kx_call(h, SAMPLE_MSG_KV_SET, &m, reply, sizeof(reply), NULL);
}

/* Gets key into val (cap bytes); *vlen gets its length. */
static inline int kx_kv_get(kctl_t *h, const char *key, void *val, size_t cap, size_t *vlen)
{
	struct kx_msg m;
	uint64_t reply[(SAMPLE_KV_VALUE_MAX + 64) / 8];
	const struct kctl_attr *a;
	size_t rlen = 0;
	int r;

	kx_msg_init(&m);
	assert_int_equal(kctl_attr_put_str(m.buf, sizeof(m.buf), SAMPLE_ATTR_KEY, key), 0);
	r = kx_call(h, SAMPLE_MSG_KV_GET, &m, reply, sizeof(reply), &rlen);
	if (r != 0)
		return r;
	assert_int_equal(kctl_attr_find(reply, rlen, SAMPLE_ATTR_VALUE, &a), 0);
	assert_true(kctl_attr_payload_len(a) <= cap);
	memcpy(val, kctl_attr_payload(a), kctl_attr_payload_len(a));
	*vlen = kctl_attr_payload_len(a);
	return 0;
}

static inline int kx_kv_del(kctl_t *h, const char *key)
{
	struct kx_msg m;
	uint64_t reply[8];

	kx_msg_init(&m);
	assert_int_equal(kctl_attr_put_str(m.buf, sizeof(m.buf), SAMPLE_ATTR_KEY, key), 0);
	return kx_call(h, SAMPLE_MSG_KV_DEL, &m, reply, sizeof(reply), NULL);
}

/* COUNTER with ADD (or without when add is 0); returns the new value. */
static inline uint64_t kx_counter(kctl_t *h, uint32_t add)
{
	struct kx_msg m;
	uint64_t reply[8], v = 0;
	const struct kctl_attr *a;
	size_t rlen = 0;

	kx_msg_init(&m);
	if (add != 0)
		assert_int_equal(kctl_attr_put_u32(m.buf, sizeof(m.buf), SAMPLE_ATTR_ADD, add), 0);
	assert_int_equal(kx_call(h, SAMPLE_MSG_COUNTER, &m, reply, sizeof(reply), &rlen), 0);
	assert_int_equal(kctl_attr_find(reply, rlen, SAMPLE_ATTR_VALUE, &a), 0);
	assert_int_equal(kctl_attr_get_u64(a, &v), 0);
	return v;
}

static inline struct sample_stats kx_stats(kctl_t *h)
{
	struct sample_stats st;
	size_t len = 0;

	memset(&st, 0, sizeof(st));
	assert_int_equal(kctl_getopt(h, SAMPLE_OPT_STATS, &st, sizeof(st), &len), 0);
	assert_int_equal(len, sizeof(st));
	return st;
}

#endif
