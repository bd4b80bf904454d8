/*
 * sample_events.c - the timer (a thread call): it answers STREAM requests that waited
 * for reply room, then pushes events to subscribed units.
 *
 * Full receive buffers: an event that does not fit is dropped and counted; the next
 * event delivered carries the count in its frame's aux, and EVENT_SEQ numbers every
 * event generated, so a client sees exactly which ones it missed. Events never take
 * the last SAMPLE_REPLY_RESERVE bytes of the buffer, and a unit with a request waiting
 * for room gets none, so a client reading events more slowly than they come still gets
 * its requests (UNSUBSCRIBE too) answered. A third-party kext gets no "client has
 * read" callback (ctl_rcvd is kernel-private), so the timer itself notices when the
 * client has made room: it answers waiting requests first, and while drops are pending
 * it waits for room for SAMPLE_RESUME_EVENTS events before sending again, instead of
 * squeezing single events into a nearly full buffer.
 *
 * Locking: a unit's lock comes before the global one, so the timer pins the units
 * under the global lock, visits each with its own lock (then the global one for the
 * event state), and unpins them at the end; disconnect waits for the unpin.
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

/* Whether an event may take room now: the reply reserve stays free, and after drops,
 * room for a few events more than that. */
static int event_room(struct sample_unit *u)
{
	size_t space = 0, need = SAMPLE_REPLY_RESERVE + SAMPLE_EVENT_WIRE;

	if (u->pending_drops > 0)
		need = SAMPLE_REPLY_RESERVE + (size_t)SAMPLE_RESUME_EVENTS * SAMPLE_EVENT_WIRE;
	return ctl_getenqueuespace(u->ref, u->unit, &space) == 0 && space >= need;
}

/* Under the unit's lock and the global lock. */
static void push_event(struct sample_unit *u)
{
	uint64_t frame[SAMPLE_EVENT_WIRE / 8];
	size_t wire = 0;

	u->event_seq++;
	if (u->stalled || !event_room(u)) {
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

/* Pins every unit and returns them as a list (global lock held). */
static struct sample_unit *pin_units(void)
{
	struct sample_unit *list = NULL;

	for (struct sample_unit *u = sample_g.units; u != NULL; u = u->next) {
		u->pins++;
		u->tick_next = list;
		list = u;
	}
	return list;
}

/* One unit's turn (no lock held): waiting requests first, then its events. */
static void visit(struct sample_unit *u)
{
	lck_mtx_lock(u->lock);
	/* a malformed frame met here breaks the unit: its next send learns it (EPROTO) */
	if (u->stream && u->rx_len > 0 && sample_serve(u) != 0)
		u->errors++;
	lck_mtx_lock(sample_g.lock);
	for (uint32_t i = 0; u->subscribed && i < u->burst; i++)
		push_event(u);
	lck_mtx_unlock(sample_g.lock);
	lck_mtx_unlock(u->lock);
}

static void sample_tick(thread_call_param_t p0, thread_call_param_t p1)
{
	struct sample_unit *list, *u;

	(void)p0;
	(void)p1;
	lck_mtx_lock(sample_g.lock);
	list = pin_units();
	lck_mtx_unlock(sample_g.lock);
	for (u = list; u != NULL; u = u->tick_next)
		visit(u);
	lck_mtx_lock(sample_g.lock);
	for (u = list; u != NULL; u = u->tick_next)
		if (--u->pins == 0)
			wakeup(&u->pins);
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
