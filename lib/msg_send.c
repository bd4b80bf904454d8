/*
 * msg_send.c - sending frames: one built from its parts with a gathered send (the
 * payload is never copied), or several finished frames in one syscall.
 */
#include <errno.h>
#include <string.h>

#include "handle.h"

static const unsigned char kctl_zero_pad[KCTL_FRAME_ALIGN];

/*
 * Whether the first `done` bytes of a gathered send end inside a frame: the iovecs are
 * one frame together (one_frame) or one frame each (a batch).
 */
static int cut_inside_frame(const struct iovec *iov, int n, int one_frame, size_t done)
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

/*
 * One gathered send under the send lock, so concurrent frames never interleave. On a
 * STREAM, a send that failed after part of a frame went out (a control refusing a
 * later piece of a frame above its send size) leaves the peer mid-frame: any frame
 * sent after it would be read as the rest of that one. Unless the caller takes *sent
 * and sends the rest itself (kctl_msg_sendv), the handle then sends no more frames
 * (-ENOTRECOVERABLE), as a receive does after a malformed frame.
 */
static int msg_sendv_locked(struct kctl *h, const struct iovec *iov, int n, size_t *sent,
			    uint64_t frames, int one_frame, struct kctl_error *why)
{
	size_t done = 0;
	int rc;

	pthread_mutex_lock(&h->msg.send_lock);
	if (h->msg.tx_torn) {
		pthread_mutex_unlock(&h->msg.send_lock);
		return kctl_err_fill(why, -ENOTRECOVERABLE, KCTL_CALL_SEND, KCTL_ORIGIN_LIBRARY,
				     KCTL_R_TORN, 0, 0);
	}
	rc = kctl_io_sendv(h, iov, n, &done, why);
	if (rc < 0 && h->stream && !sent && cut_inside_frame(iov, n, one_frame, done)) {
		h->msg.tx_torn = 1;
		pthread_mutex_lock(&h->msg.lock);
		kctl_msg_set_detail(&h->msg, "a frame went out in part (the send failed after "
				    "%zu bytes): the STREAM is torn; close and reopen", done);
		pthread_mutex_unlock(&h->msg.lock);
	}
	pthread_mutex_unlock(&h->msg.send_lock);
	if (sent)
		*sent = done;
	if (rc == 0)
		atomic_fetch_add(&h->msg.frames_out, frames);
	return rc;
}

int kctl_msg_send_why(struct kctl *h, uint8_t flags, uint16_t type, uint32_t seq,
		      uint32_t aux, const void *payload, size_t len, struct kctl_error *why)
{
	uint64_t hdr_store[KCTL_FRAME_HDR_LEN / sizeof(uint64_t)];
	struct kctl_frame_hdr *hdr = (struct kctl_frame_hdr *)(void *)hdr_store;
	const uint32_t S = KCTL_CALL_SEND, L = KCTL_ORIGIN_LIBRARY;
	struct iovec iov[3];
	size_t wire;
	int n = 0;
	int rc;

	if (!payload && len)
		return kctl_err_fill(why, -EINVAL, S, L, KCTL_R_ARG, 0, 0);
	if (len > KCTL_FRAME_MAX - KCTL_FRAME_HDR_LEN)
		return kctl_err_fill(why, -EMSGSIZE, S, L, KCTL_R_FRAME_SIZE, len,
				     h->msg.max_frame);
	wire = KCTL_FRAME_WIRE_SIZE(KCTL_FRAME_HDR_LEN + len);
	if (wire > h->msg.max_frame)
		return kctl_err_fill(why, -EMSGSIZE, S, L, KCTL_R_FRAME_SIZE, wire,
				     h->msg.max_frame);
	rc = kctl_frame_start(hdr, sizeof(hdr_store), flags, type, seq, aux);
	if (rc < 0)
		return kctl_err_fill(why, rc, S, L, KCTL_R_ARG, 0, 0);
	hdr->len = (uint32_t)(KCTL_FRAME_HDR_LEN + len);
	iov[n++] = (struct iovec){ .iov_base = hdr, .iov_len = KCTL_FRAME_HDR_LEN };
	if (len)
		iov[n++] = (struct iovec){ .iov_base = (void *)(uintptr_t)payload, .iov_len = len };
	if (wire > hdr->len)
		iov[n++] = (struct iovec){ .iov_base = (void *)(uintptr_t)kctl_zero_pad,
					   .iov_len = wire - hdr->len };
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
