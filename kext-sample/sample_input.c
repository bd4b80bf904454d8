/*
 * sample_input.c - from the client's mbufs to request frames.
 *
 * Kernel rules followed here: the mbuf chain is never assumed contiguous (it is read
 * with mbuf_copydata, which also checks that the chain really holds the bytes its
 * header claims), and every length from the client is checked before it is used:
 * the packet's against the buffer, each frame's by the codec against the bytes present.
 *
 * No request is read before the client's receive buffer has room for the largest reply
 * it can cause (sample_reply_bound), so a reply is never dropped for lack of room:
 *
 * DGRAM: a record must be exactly a sequence of valid frames (kctl_frame_check_record),
 * or the send fails with the codec's errno and nothing in it is answered; a record
 * whose replies do not fit now is refused whole with ENOBUFS (read, then send again),
 * one whose replies could never fit the buffer with EMSGSIZE.
 *
 * STREAM: the kernel hands the kext one send-size piece per callback, and on a Mac a
 * send whose callback fails returns only the errno: the client cannot tell how many
 * earlier pieces of the same send were taken. So a piece is only ever refused when it
 * is the first of a send: after taking a piece, the kext keeps room for a whole next
 * one, or else answers EWOULDBLOCK, which the kernel turns into a short count that
 * includes the piece (sosend has already moved it: the kext keeps it). Taken bytes
 * wait in u->rx until each frame's reply fits; the next send or the event timer
 * answers them (sample_serve). A malformed frame breaks the stream for good (there is
 * no way to find the next frame boundary), so every later send fails EPROTO.
 */
#include <string.h>

#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>

#include "sample.h"

/* Free room in the client's receive buffer (0 if the unit is going away). */
static size_t reply_room(struct sample_unit *u)
{
	size_t space = 0;

	if (ctl_getenqueuespace(u->ref, u->unit, &space) != 0)
		return 0;
	return space;
}

/* Room for the replies of every frame in a checked record: 0, ENOBUFS or EMSGSIZE. */
static errno_t dgram_room(struct sample_unit *u, const unsigned char *rx, size_t len)
{
	size_t off = 0, need = 0;

	while (off < len) {
		const struct kctl_frame_hdr *f;
		size_t size;

		if (kctl_frame_next(rx + off, len - off, SAMPLE_MAX_FRAME, &f, &size) != 0)
			return EINVAL; /* cannot happen: the record was checked */
		need += sample_reply_bound(f);
		off += size;
	}
	if (need > SAMPLE_RECVSIZE)
		return EMSGSIZE;
	return reply_room(u) < need ? ENOBUFS : 0;
}

static errno_t input_dgram(struct sample_unit *u, mbuf_t m)
{
	const unsigned char *rx = (const unsigned char *)u->rx;
	size_t len = mbuf_pkthdr_len(m), off = 0;
	errno_t err;
	int r;

	if (len > SAMPLE_MAX_FRAME)
		return EMSGSIZE;
	if (mbuf_copydata(m, 0, len, u->rx) != 0)
		return EINVAL;
	r = kctl_frame_check_record(rx, len, SAMPLE_MAX_FRAME, NULL);
	if (r != 0)
		return (errno_t)-r;
	err = dgram_room(u, rx, len);
	if (err != 0)
		return err;
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

errno_t sample_serve(struct sample_unit *u)
{
	unsigned char *rx = (unsigned char *)u->rx;
	size_t off = 0;
	errno_t err = 0;

	u->stalled = 0;
	while (!u->broken) {
		const struct kctl_frame_hdr *f;
		size_t size;
		int r = kctl_frame_next(rx + off, u->rx_len - off, SAMPLE_MAX_FRAME, &f, &size);

		if (r == -EAGAIN)
			break;
		if (r != 0) {
			u->broken = 1;
			err = (errno_t)-r;
			break;
		}
		if (reply_room(u) < sample_reply_bound(f)) {
			u->stalled = 1; /* answered once the client has read */
			break;
		}
		sample_dispatch(u, f);
		off += size; /* a multiple of 8: the rest stays aligned */
	}
	memmove(rx, rx + off, u->rx_len - off);
	u->rx_len -= off;
	return err;
}

static errno_t input_stream(struct sample_unit *u, mbuf_t m)
{
	size_t len = mbuf_pkthdr_len(m);
	errno_t err = sample_serve(u); /* the client may have made room since */

	if (err != 0)
		return err;
	if (len > SAMPLE_RX_CAP)
		return EMSGSIZE; /* above any send size this control registers */
	if (len > SAMPLE_RX_CAP - u->rx_len)
		return ENOBUFS; /* the first piece of a send (see above): nothing was taken */
	if (mbuf_copydata(m, 0, len, (unsigned char *)u->rx + u->rx_len) != 0)
		return EINVAL;
	u->rx_len += len;
	err = sample_serve(u);
	if (err != 0)
		return err;
	return SAMPLE_RX_CAP - u->rx_len < SAMPLE_MAX_FRAME ? EWOULDBLOCK : 0;
}

errno_t sample_input(struct sample_unit *u, mbuf_t m)
{
	errno_t err;

	if (u->broken)
		return EPROTO;
	err = u->stream ? input_stream(u, m) : input_dgram(u, m);
	if (err != 0 && err != ENOBUFS && err != EWOULDBLOCK)
		u->errors++;
	return err;
}
