/*
 * msg_send.c - sending frames: one built from its parts with a gathered send (the
 * payload is never copied), or several finished frames in one syscall.
 */
#include <errno.h>
#include <string.h>

#include "frame/frame_int.h"
#include "handle.h"

static const unsigned char kctl_zero_pad[KCTL_FRAME_ALIGN];

/*
 * Whether the first `done` bytes of a gathered send end inside a frame: the iovecs are
 * one frame together (one_frame) or one frame each (a batch).
 */
int kctl_msg_cut_inside_frame(const struct iovec *iov, int n, int one_frame, size_t done)
{
	size_t end = 0;

	if (done == 0)
		return 0;
	for (int i = 0; i < n; i++) {
		end += iov[i].iov_len;
		if (one_frame && i < n - 1)
			continue;
		if (end >= done)
			return end > done;
	}
	return 0;
}

int kctl_msg_tx_begin(struct kctl *h, struct kctl_clock *c, struct kctl_error *why)
{
	struct kctl_msg *m = &h->msg;

	while (m->tx_busy) {
		int rc = kctl_msg_cond_wait(m, c);

		if (rc == -EAGAIN)
			return kctl_err_fill(why, rc, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
					     KCTL_R_WOULDBLOCK, 0, 0);
		if (rc < 0)
			return kctl_err_fill(why, rc, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
					     KCTL_R_TIMEOUT, (uint64_t)h->timeout_ms, 0);
	}
	if (m->tx_torn)
		return kctl_err_fill(why, -ENOTRECOVERABLE, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_TORN, 0, 0);
	m->tx_busy = 1;
	return 0;
}

/*
 * On a STREAM, a send that failed after part of a frame went out (a control refusing a
 * later piece of a frame above its send size) leaves the peer mid-frame: any frame
 * sent after it would be read as the rest of that one. The handle then sends no more
 * frames (-ENOTRECOVERABLE), as a receive does after a malformed frame.
 */
void kctl_msg_tx_end(struct kctl *h, int torn, size_t done)
{
	struct kctl_msg *m = &h->msg;

	m->tx_busy = 0;
	if (torn) {
		m->tx_torn = 1;
		kctl_msg_set_detail(m, "a frame went out in part (the send failed after %zu "
				    "bytes): the STREAM is torn; close and reopen", done);
	}
	kctl_msg_wake(m);
}

/*
 * One gathered send of whole frames. A DGRAM record goes whole or not at all, so
 * concurrent senders need nothing from each other; on a STREAM each frame goes out in
 * the sender's turn (kctl_msg_tx_begin), so frames never interleave. Unless the caller
 * takes *sent and sends the rest itself (kctl_msg_sendv), a frame cut in part tears
 * the STREAM (kctl_msg_tx_end).
 */
static int msg_sendv_locked(struct kctl *h, const struct iovec *iov, int n, size_t *sent,
			    uint64_t frames, int one_frame, struct kctl_error *why)
{
	struct kctl_clock c;
	size_t done = 0;
	int rc;

	kctl_clock_start(&c, h->timeout_ms);
	if (!h->stream) {
		rc = kctl_io_sendv_clock(h, iov, n, &done, why, &c);
	} else {
		kctl_lock(&h->msg.lock);
		rc = kctl_msg_tx_begin(h, &c, why);
		kctl_unlock(&h->msg.lock);
		if (rc < 0)
			return rc;
		rc = kctl_io_sendv_clock(h, iov, n, &done, why, &c);
		kctl_lock(&h->msg.lock);
		kctl_msg_tx_end(h, rc < 0 && !sent && kctl_msg_cut_inside_frame(iov, n, one_frame,
										 done),
				done);
		kctl_unlock(&h->msg.lock);
	}
	if (sent)
		*sent = done;
	if (rc == 0)
		atomic_fetch_add(&h->msg.frames_out, frames);
	return rc;
}

int kctl_msg_frame_iov(struct kctl *h, struct kctl_frame_hdr *hdr, uint8_t flags,
		       uint16_t type, uint32_t seq, uint32_t aux, const void *payload,
		       size_t len, struct iovec iov[3], int *n, struct kctl_error *why)
{
	const uint32_t S = KCTL_CALL_SEND, L = KCTL_ORIGIN_LIBRARY;
	size_t wire;
	int k = 0;

	if (!payload && len)
		return kctl_err_fill(why, -EINVAL, S, L, KCTL_R_ARG, 0, 0);
	if (len > KCTL_FRAME_MAX - KCTL_FRAME_HDR_LEN)
		return kctl_err_fill(why, -EMSGSIZE, S, L, KCTL_R_FRAME_SIZE, len,
				     h->msg.max_frame);
	wire = KCTL_FRAME_WIRE_SIZE(KCTL_FRAME_HDR_LEN + len);
	if (wire > h->msg.max_frame)
		return kctl_err_fill(why, -EMSGSIZE, S, L, KCTL_R_FRAME_SIZE, wire,
				     h->msg.max_frame);
	if (kctl_frame_flags_check(flags, aux) != 0)
		return kctl_err_fill(why, -EINVAL, S, L, KCTL_R_ARG, 0, 0);
	*hdr = (struct kctl_frame_hdr){ .len = (uint32_t)(KCTL_FRAME_HDR_LEN + len),
					.version = KCTL_FRAME_VERSION, .flags = flags,
					.type = type, .seq = seq, .aux = aux };
	iov[k++] = (struct iovec){ .iov_base = hdr, .iov_len = KCTL_FRAME_HDR_LEN };
	if (len)
		iov[k++] = (struct iovec){ .iov_base = (void *)(uintptr_t)payload, .iov_len = len };
	if (wire > hdr->len)
		iov[k++] = (struct iovec){ .iov_base = (void *)(uintptr_t)kctl_zero_pad,
					   .iov_len = wire - hdr->len };
	*n = k;
	return 0;
}

int kctl_msg_send_why(struct kctl *h, uint8_t flags, uint16_t type, uint32_t seq,
		      uint32_t aux, const void *payload, size_t len, struct kctl_error *why)
{
	struct kctl_frame_hdr hdr;
	struct iovec iov[3];
	int n = 0;
	int rc = kctl_msg_frame_iov(h, &hdr, flags, type, seq, aux, payload, len, iov, &n, why);

	if (rc < 0)
		return rc;
	return msg_sendv_locked(h, iov, n, NULL, 1, 1, why);
}

int kctl_msg_send(kctl_t *h, uint8_t flags, uint16_t type, uint32_t seq, uint32_t aux,
		  const void *payload, size_t len)
{
	struct kctl_error e;
	int rc;

	if (!h)
		return -EINVAL;
	rc = kctl_msg_send_why(h, flags, type, seq, aux, payload, len, &e);
	return rc < 0 ? kctl_errs_put(&h->errs, &e) : 0;
}

int kctl_msg_sendv(kctl_t *h, const struct iovec *frames, int n, size_t *sent)
{
	struct kctl_error e;
	uint64_t count = 0;
	int rc;

	if (!h)
		return -EINVAL;
	if (!frames || n < 1 || n > 64)
		return kctl_errs_set(&h->errs, -EINVAL, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_ARG, 0, 0);
	for (int i = 0; i < n; i++) {
		size_t c = 0;

		if (kctl_frame_check_record(frames[i].iov_base, frames[i].iov_len,
					    h->msg.max_frame, &c) < 0)
			return kctl_errs_set(&h->errs, -EINVAL, KCTL_CALL_SEND,
					     KCTL_ORIGIN_LIBRARY, KCTL_R_FRAME_BAD, (uint64_t)i, 0);
		count += c;
	}
	rc = msg_sendv_locked(h, frames, n, sent, count, 0, &e);
	return rc < 0 ? kctl_errs_put(&h->errs, &e) : 0;
}
