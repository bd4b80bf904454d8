/*
 * sample_input.c - from the client's mbufs to request frames.
 *
 * Kernel rules followed here: the mbuf chain is never assumed contiguous (it is read
 * with mbuf_copydata, which also checks that the chain really holds the bytes its
 * header claims), and every length from the client is checked before it is used:
 * the packet's against the buffer, each frame's by the codec against the bytes present.
 *
 * DGRAM: a record must be exactly a sequence of valid frames (kctl_frame_check_record),
 * or the send fails with the codec's errno and nothing in it is answered. STREAM: bytes
 * are gathered until frames are complete; a malformed frame breaks the stream for good
 * (there is no way to find the next frame boundary), so every later send fails EPROTO.
 */
#include <string.h>

#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>

#include "sample.h"

/*
 * Refuse before reading anything when the client's receive buffer cannot take a
 * full-size reply: the client gets ENOBUFS and may send again after reading.
 */
static errno_t room_for_replies(struct sample_unit *u)
{
	size_t space = 0;
	errno_t err = ctl_getenqueuespace(u->ref, u->unit, &space);

	if (err != 0)
		return err;
	return space < SAMPLE_MAX_FRAME ? ENOBUFS : 0;
}

static errno_t input_dgram(struct sample_unit *u, mbuf_t m)
{
	const unsigned char *rx = (const unsigned char *)u->rx;
	size_t len = mbuf_pkthdr_len(m), off = 0;
	int r;

	if (len > sizeof(u->rx))
		return EMSGSIZE;
	if (mbuf_copydata(m, 0, len, u->rx) != 0)
		return EINVAL;
	r = kctl_frame_check_record(rx, len, SAMPLE_MAX_FRAME, NULL);
	if (r != 0)
		return (errno_t)-r;
	while (off < len) {
		const struct kctl_frame_hdr *f;
		size_t size;

		if (kctl_frame_next(rx + off, len - off, SAMPLE_MAX_FRAME, &f, &size) != 0)
			return EINVAL; /* cannot happen: the record was checked */
		sample_dispatch(u, f);
		off += size;
	}
	return 0;
}

/* Answers every complete frame in u->rx and keeps the incomplete rest at its start. */
static errno_t drain_stream(struct sample_unit *u)
{
	unsigned char *rx = (unsigned char *)u->rx;
	size_t off = 0;

	for (;;) {
		const struct kctl_frame_hdr *f;
		size_t size;
		int r = kctl_frame_next(rx + off, u->rx_len - off, SAMPLE_MAX_FRAME, &f, &size);

		if (r == -EAGAIN)
			break;
		if (r != 0) {
			u->broken = 1;
			return (errno_t)-r;
		}
		sample_dispatch(u, f);
		off += size; /* a multiple of 8: the rest stays aligned */
	}
	memmove(rx, rx + off, u->rx_len - off);
	u->rx_len -= off;
	return 0;
}

static errno_t input_stream(struct sample_unit *u, mbuf_t m)
{
	size_t total = mbuf_pkthdr_len(m), off = 0;

	while (off < total) {
		size_t room = sizeof(u->rx) - u->rx_len;
		size_t n = total - off < room ? total - off : room;
		errno_t err;

		/* never 0: drain_stream leaves at most one incomplete frame, below the max */
		if (mbuf_copydata(m, off, n, (unsigned char *)u->rx + u->rx_len) != 0)
			return EINVAL;
		u->rx_len += n;
		off += n;
		err = drain_stream(u);
		if (err != 0)
			return err;
	}
	return 0;
}

errno_t sample_input(struct sample_unit *u, mbuf_t m)
{
	errno_t err;

	if (u->broken)
		return EPROTO;
	err = room_for_replies(u);
	if (err == 0)
		err = u->stream ? input_stream(u, m) : input_dgram(u, m);
	if (err != 0 && err != ENOBUFS)
		u->errors++;
	return err;
}
