/*
 * frames.h - the sample kext's frames built and read by hand, as a client that does not
 * use libkctl would (layout: docs/protocol.md; host byte order, 8-byte padding).
 */
#ifndef PRELOAD_FRAMES_H
#define PRELOAD_FRAMES_H

#include <stdint.h>
#include <string.h>

#include "sample_proto.h"

struct frame_hdr {
	uint32_t len;
	uint8_t version;
	uint8_t flags;
	uint16_t type;
	uint32_t seq;
	uint32_t aux;
};

#define FRAME_REQUEST 0x01u
#define FRAME_REPLY   0x02u
#define FRAME_ERROR   0x04u

static inline size_t frame_wire(size_t len)
{
	return (len + 7u) & ~(size_t)7u;
}

/* A request of `type` carrying `n` bytes into buf (room for the padding too). */
static inline size_t frame_request(void *buf, uint16_t type, uint32_t seq, const void *p,
				   size_t n)
{
	struct frame_hdr h = { (uint32_t)(sizeof(h) + n), 1, FRAME_REQUEST, type, seq, 0 };
	size_t wire = frame_wire(h.len);

	memset(buf, 0, wire);
	memcpy(buf, &h, sizeof(h));
	if (n > 0)
		memcpy((char *)buf + sizeof(h), p, n);
	return wire;
}

/* Is buf (got bytes) the reply to seq carrying exactly (p, n)? */
static inline int frame_is_echo(const void *buf, size_t got, uint32_t seq, const void *p,
				size_t n)
{
	struct frame_hdr h;

	if (got < sizeof(h))
		return 0;
	memcpy(&h, buf, sizeof(h));
	return h.len == sizeof(h) + n && got == frame_wire(h.len) && h.flags == FRAME_REPLY &&
	       h.seq == seq && h.type == SAMPLE_MSG_ECHO &&
	       memcmp((const char *)buf + sizeof(h), p, n) == 0;
}

#endif
