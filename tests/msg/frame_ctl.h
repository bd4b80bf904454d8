/*
 * frame_ctl.h - a test control that speaks kctl_frame.h (header-only).
 *
 * Requests (type: what it does):
 *   FC_ECHO     reply with the request's payload
 *   FC_FAIL     error reply; the payload is a u32 errno
 *   FC_EVENTS   first N events (payload u32 N), then an empty reply
 *   FC_MULTI    the reply in three parts ("one", "two", "three"), MORE on the first two
 *   FC_SILENT   no reply at all
 *   FC_STRAY    a reply with seq + 1000 (matches nothing), then the real reply
 * Frames are enqueued with EOR on DGRAM (one frame per record) and without it on
 * STREAM (so one read can carry many frames).
 */
#ifndef FRAME_CTL_H
#define FRAME_CTL_H

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kctl_frame.h"
#include "kctl_sim.h"

enum { FC_ECHO = 1, FC_FAIL, FC_EVENTS, FC_MULTI, FC_SILENT, FC_STRAY };
#define FC_EVENT_TYPE 100

struct fc_state {
	int stream;
	atomic_int requests;
	atomic_int sends;
};

static inline int fc_enqueue(kctl_sim_ctl_t *ctl, uint32_t unit, const void *frame)
{
	struct fc_state *st = kctl_sim_ctl_cookie(ctl);
	const struct kctl_frame_hdr *h = frame;

	return kctl_sim_enqueue(ctl, unit, frame, KCTL_FRAME_WIRE_SIZE(h->len),
				st->stream ? 0 : KCTL_ABI_CTL_DATA_EOR);
}

/* Builds and enqueues one frame with the given payload. */
static inline int fc_put(kctl_sim_ctl_t *ctl, uint32_t unit, uint8_t flags, uint16_t type,
			 uint32_t seq, uint32_t aux, const void *data, size_t len)
{
	uint64_t buf[512];
	int rc = kctl_frame_start(buf, sizeof(buf), flags, type, seq, aux);

	if (rc == 0)
		rc = kctl_frame_put(buf, sizeof(buf), data, len);
	if (rc == 0)
		rc = kctl_frame_finish(buf, sizeof(buf), NULL);
	return rc == 0 ? fc_enqueue(ctl, unit, buf) : rc;
}

/* Builds event number i (a 24-byte frame) in buf (8-byte aligned, >= 64 bytes). */
static inline int fc_event(uint64_t *buf, uint32_t i, size_t *wire)
{
	int rc = kctl_frame_start(buf, 64, KCTL_FRAME_F_EVENT, FC_EVENT_TYPE, 0, 0);

	if (rc == 0)
		rc = kctl_frame_put(buf, 64, &i, sizeof(i));
	return rc == 0 ? kctl_frame_finish(buf, 64, wire) : rc;
}

static inline uint32_t fc_u32(const struct kctl_frame_hdr *f)
{
	uint32_t v = 0;

	if (kctl_frame_payload_len(f) >= sizeof(v))
		memcpy(&v, kctl_frame_payload(f), sizeof(v));
	return v;
}

static inline int fc_answer(kctl_sim_ctl_t *ctl, uint32_t unit, const struct kctl_frame_hdr *f)
{
	const uint8_t R = KCTL_FRAME_F_REPLY;
	int rc = 0;

	switch (f->type) {
	case FC_ECHO:
		return fc_put(ctl, unit, R, f->type, f->seq, 0, kctl_frame_payload(f),
			      kctl_frame_payload_len(f));
	case FC_FAIL:
		return fc_put(ctl, unit, R | KCTL_FRAME_F_ERROR, f->type, f->seq, fc_u32(f), NULL, 0);
	case FC_EVENTS:
		for (uint32_t i = 0; i < fc_u32(f) && rc == 0; i++)
			rc = fc_put(ctl, unit, KCTL_FRAME_F_EVENT, FC_EVENT_TYPE, 0, 0, &i, sizeof(i));
		return rc ? rc : fc_put(ctl, unit, R, f->type, f->seq, 0, NULL, 0);
	case FC_MULTI:
		rc = fc_put(ctl, unit, R | KCTL_FRAME_F_MORE, f->type, f->seq, 0, "one", 3);
		if (rc == 0)
			rc = fc_put(ctl, unit, R | KCTL_FRAME_F_MORE, f->type, f->seq, 0, "two", 3);
		return rc ? rc : fc_put(ctl, unit, R, f->type, f->seq, 0, "three", 5);
	case FC_SILENT:
		return 0;
	case FC_STRAY:
		rc = fc_put(ctl, unit, R, f->type, f->seq + 1000, 0, "stray", 5);
		return rc ? rc : fc_put(ctl, unit, R, f->type, f->seq, 0, "real", 4);
	default:
		return fc_put(ctl, unit, R | KCTL_FRAME_F_ERROR, f->type, f->seq, EOPNOTSUPP,
			      NULL, 0);
	}
}

static inline int fc_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo,
			  kctl_sim_mbuf_t *m, int flags)
{
	struct fc_state *st = kctl_sim_ctl_cookie(ctl);
	size_t len = kctl_sim_mbuf_pkthdr_len(m);
	uint64_t buf[1024];
	size_t off = 0;
	int rc = -EMSGSIZE;

	(void)unitinfo; (void)flags;
	atomic_fetch_add(&st->sends, 1);
	if (len <= sizeof(buf))
		rc = kctl_sim_mbuf_copydata(m, 0, len, buf);
	kctl_sim_mbuf_free(m);
	while (rc == 0 && off < len) {
		const struct kctl_frame_hdr *f;
		size_t size;

		rc = kctl_frame_next((char *)buf + off, len - off, 0, &f, &size);
		if (rc == 0 && (f->flags & KCTL_FRAME_F_REQUEST)) {
			atomic_fetch_add(&st->requests, 1);
			rc = fc_answer(ctl, unit, f);
		}
		off += size;
	}
	return rc;
}

static inline int fc_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			     void **unitinfo)
{
	(void)ctl; (void)sac; (void)unitinfo;
	return 0;
}

/* Registers the frame control; recvsize 0 means the default 8192. */
static inline int fc_register(kctl_sim_t *sim, const char *name, struct fc_state *st,
			      uint32_t recvsize, kctl_sim_ctl_t **ctl)
{
	struct kctl_sim_reg reg;

	memset(&reg, 0, sizeof(reg));
	strncpy(reg.name, name, sizeof(reg.name) - 1);
	reg.flags = st->stream ? KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM : 0;
	reg.recvsize = recvsize;
	reg.cookie = st;
	reg.connect = fc_connect;
	reg.send = fc_send;
	return kctl_sim_register(sim, &reg, ctl);
}

#endif
