/*
 * sample_reply.c - replies: built in the unit's reply buffer with the frame codec, then
 * queued for the client. A reply that finds the receive buffer full is dropped and
 * counted (sample_stats.replies_dropped): the kernel has no way to wait for room.
 * sample_input.c refuses requests up front when there is clearly no room.
 */
#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>

#include "sample.h"

errno_t sample_reply_start(struct sample_unit *u, const struct kctl_frame_hdr *req)
{
	int r = kctl_frame_start(u->tx, SAMPLE_TX_CAP, KCTL_FRAME_F_REPLY, req->type,
				 req->seq, 0);

	return (errno_t)-r;
}

static void count_failure(struct sample_unit *u, errno_t err)
{
	if (err != 0)
		u->replies_dropped++;
}

void sample_reply_send(struct sample_unit *u)
{
	size_t wire = 0;

	if (kctl_frame_finish(u->tx, SAMPLE_TX_CAP, &wire) != 0) {
		u->replies_dropped++;
		return;
	}
	count_failure(u, ctl_enqueuedata(u->ref, u->unit, u->tx, wire, CTL_DATA_EOR));
}

/*
 * The same through an mbuf chain, as a kext does when it has the data in mbufs or
 * wants to hand over a large reply without a second copy in the kernel. If
 * ctl_enqueuembuf fails, the mbuf is still ours to free.
 */
void sample_reply_send_mbuf(struct sample_unit *u)
{
	size_t wire = 0;
	mbuf_t m = NULL;
	errno_t err;

	if (kctl_frame_finish(u->tx, SAMPLE_TX_CAP, &wire) != 0) {
		u->replies_dropped++;
		return;
	}
	err = mbuf_allocpacket(MBUF_DONTWAIT, wire, NULL, &m);
	if (err == 0)
		err = mbuf_copyback(m, 0, wire, u->tx, MBUF_DONTWAIT);
	if (err == 0)
		err = ctl_enqueuembuf(u->ref, u->unit, m, CTL_DATA_EOR);
	if (err != 0 && m != NULL)
		mbuf_freem(m);
	count_failure(u, err);
}

void sample_reply_error(struct sample_unit *u, const struct kctl_frame_hdr *req,
			errno_t err)
{
	size_t wire = 0;

	u->errors++;
	if (kctl_frame_put_error(u->tx, SAMPLE_TX_CAP, req->type, req->seq, err, &wire) != 0) {
		u->replies_dropped++;
		return;
	}
	count_failure(u, ctl_enqueuedata(u->ref, u->unit, u->tx, wire, CTL_DATA_EOR));
}
