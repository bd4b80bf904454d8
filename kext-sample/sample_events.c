/*
 * sample_events.c - events pushed from a timer (a thread call) to subscribed units.
 *
 * Full receive buffers: an event that does not fit (ENOBUFS) is dropped and counted;
 * the next event delivered carries the count in its frame's aux, and EVENT_SEQ numbers
 * every event generated, so a client sees exactly which ones it missed. A third-party
 * kext gets no "client has read" callback (ctl_rcvd is kernel-private), so the timer
 * itself notices when the client has made room: while drops are pending it waits for
 * ctl_getenqueuespace to show room for SAMPLE_RESUME_EVENTS events before sending
 * again, instead of squeezing single events into a nearly full buffer.
 *
 * Stopping: third-party kexts cannot use thread_call_cancel_wait (private), so the
 * timer says when it is armed or running (tick_pending) and stop sleeps until it is
 * neither before freeing anything the callback uses.
 */
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/kern_control.h>
#include <kern/clock.h>

#include "sample.h"

#define SAMPLE_EVENT_WIRE 32u /* header + EVENT_SEQ u64 attribute, padded */
#define SAMPLE_RESUME_EVENTS 4u
#define NSEC_PER_MSEC_ 1000000u

static void drop_event(struct sample_unit *u)
{
	u->events_dropped++;
	if (u->pending_drops < UINT32_MAX)
		u->pending_drops++;
}

/* Under the global lock. */
static void push_event(struct sample_unit *u)
{
	uint64_t frame[SAMPLE_EVENT_WIRE / 8];
	size_t space = 0, wire = 0;

	u->event_seq++;
	if (u->pending_drops > 0 &&
	    (ctl_getenqueuespace(u->ref, u->unit, &space) != 0 ||
	     space < (size_t)SAMPLE_RESUME_EVENTS * SAMPLE_EVENT_WIRE)) {
		drop_event(u);
		return;
	}
	if (kctl_frame_start(frame, sizeof(frame), KCTL_FRAME_F_EVENT, SAMPLE_MSG_EVENT, 0,
			     u->pending_drops) != 0 ||
	    kctl_attr_put_u64(frame, sizeof(frame), SAMPLE_ATTR_EVENT_SEQ, u->event_seq) != 0 ||
	    kctl_frame_finish(frame, sizeof(frame), &wire) != 0 ||
	    ctl_enqueuedata(u->ref, u->unit, frame, wire, CTL_DATA_EOR) != 0) {
		drop_event(u);
		return;
	}
	u->events_sent++;
	u->pending_drops = 0;
}

static void arm(void)
{
	uint64_t deadline;

	clock_interval_to_deadline(SAMPLE_TICK_MS, NSEC_PER_MSEC_, &deadline);
	thread_call_enter_delayed(sample_g.tick, deadline);
}

static void sample_tick(thread_call_param_t p0, thread_call_param_t p1)
{
	(void)p0;
	(void)p1;
	lck_mtx_lock(sample_g.lock);
	for (struct sample_unit *u = sample_g.units; u != NULL; u = u->next)
		for (uint32_t i = 0; u->subscribed && i < u->burst; i++)
			push_event(u);
	if (sample_g.tick_stop) {
		sample_g.tick_pending = 0;
		wakeup(&sample_g.tick_pending);
	} else {
		arm();
	}
	lck_mtx_unlock(sample_g.lock);
}

errno_t sample_events_start(void)
{
	sample_g.tick = thread_call_allocate(sample_tick, NULL);
	if (sample_g.tick == NULL)
		return ENOMEM;
	lck_mtx_lock(sample_g.lock);
	sample_g.tick_pending = 1;
	arm();
	lck_mtx_unlock(sample_g.lock);
	return 0;
}

void sample_events_stop(void)
{
	lck_mtx_lock(sample_g.lock);
	sample_g.tick_stop = 1;
	lck_mtx_unlock(sample_g.lock);
	/* cancelled before it ran: it will not run. Else it is running or about to, and
	 * clears tick_pending on its way out, having seen tick_stop. */
	if (thread_call_cancel(sample_g.tick)) {
		lck_mtx_lock(sample_g.lock);
		sample_g.tick_pending = 0;
		lck_mtx_unlock(sample_g.lock);
	}
	lck_mtx_lock(sample_g.lock);
	while (sample_g.tick_pending)
		msleep(&sample_g.tick_pending, sample_g.lock, PZERO, "sample_stop", NULL);
	lck_mtx_unlock(sample_g.lock);
	thread_call_free(sample_g.tick);
	sample_g.tick = NULL;
}
