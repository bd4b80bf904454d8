/*
 * kpi_clock.c - time for kext code: absolute time is CLOCK_MONOTONIC in nanoseconds, so
 * the conversions a kext must make on a Mac are identities here; the calendar is
 * CLOCK_REALTIME. <kern/clock.h> and the BSD clocks of <sys/time.h>.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#include <kern/clock.h>

#include "kpi_int.h"

static uint64_t now_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t mach_absolute_time(void)
{
	return now_ns(CLOCK_MONOTONIC);
}

void clock_get_uptime(uint64_t *result)
{
	*result = now_ns(CLOCK_MONOTONIC);
}

void clock_get_calendar_microtime(clock_sec_t *secs, clock_usec_t *microsecs)
{
	uint64_t ns = now_ns(CLOCK_REALTIME);

	*secs = (clock_sec_t)(ns / 1000000000u);
	*microsecs = (clock_usec_t)(ns % 1000000000u / 1000u);
}

void clock_get_calendar_nanotime(clock_sec_t *secs, clock_nsec_t *nanosecs)
{
	uint64_t ns = now_ns(CLOCK_REALTIME);

	*secs = (clock_sec_t)(ns / 1000000000u);
	*nanosecs = (clock_nsec_t)(ns % 1000000000u);
}

void clock_get_system_microtime(clock_sec_t *secs, clock_usec_t *microsecs)
{
	uint64_t ns = now_ns(CLOCK_MONOTONIC);

	*secs = (clock_sec_t)(ns / 1000000000u);
	*microsecs = (clock_usec_t)(ns % 1000000000u / 1000u);
}

void clock_get_system_nanotime(clock_sec_t *secs, clock_nsec_t *nanosecs)
{
	uint64_t ns = now_ns(CLOCK_MONOTONIC);

	*secs = (clock_sec_t)(ns / 1000000000u);
	*nanosecs = (clock_nsec_t)(ns % 1000000000u);
}

void clock_interval_to_absolutetime_interval(uint32_t interval, uint32_t scale_factor,
					     uint64_t *result)
{
	*result = (uint64_t)interval * scale_factor;
}

void clock_interval_to_deadline(uint32_t interval, uint32_t scale_factor, uint64_t *result)
{
	*result = now_ns(CLOCK_MONOTONIC) + (uint64_t)interval * scale_factor;
}

void clock_absolutetime_interval_to_deadline(uint64_t abstime, uint64_t *result)
{
	*result = now_ns(CLOCK_MONOTONIC) + abstime;
}

void clock_delay_until(uint64_t deadline)
{
	struct timespec ts = { (time_t)(deadline / 1000000000u), (long)(deadline % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

void clock_delay_for_interval(uint32_t interval, uint32_t scale_factor)
{
	clock_delay_until(now_ns(CLOCK_MONOTONIC) + (uint64_t)interval * scale_factor);
}

void nanoseconds_to_absolutetime(uint64_t nanoseconds, uint64_t *result)
{
	*result = nanoseconds;
}

void absolutetime_to_nanoseconds(uint64_t abstime, uint64_t *result)
{
	*result = abstime;
}

void microtime(struct timeval *tv)
{
	uint64_t ns = now_ns(CLOCK_REALTIME);

	tv->tv_sec = (time_t)(ns / 1000000000u);
	tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
}

void microuptime(struct timeval *tv)
{
	uint64_t ns = now_ns(CLOCK_MONOTONIC);

	tv->tv_sec = (time_t)(ns / 1000000000u);
	tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
}

void nanotime(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

void nanouptime(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}
