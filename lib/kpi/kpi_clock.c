/*
 * kpi_clock.c - absolute time for kext code: CLOCK_MONOTONIC in nanoseconds, so the
 * conversions a kext must make on a Mac are identities here.
 */
#include <stdint.h>
#include <time.h>

#include <kern/clock.h>

void clock_get_uptime(uint64_t *result)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	*result = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void clock_interval_to_absolutetime_interval(uint32_t interval, uint32_t scale_factor,
					     uint64_t *result)
{
	*result = (uint64_t)interval * scale_factor;
}

void clock_interval_to_deadline(uint32_t interval, uint32_t scale_factor, uint64_t *result)
{
	uint64_t now;

	clock_get_uptime(&now);
	*result = now + (uint64_t)interval * scale_factor;
}

void nanoseconds_to_absolutetime(uint64_t nanoseconds, uint64_t *result)
{
	*result = nanoseconds;
}

void absolutetime_to_nanoseconds(uint64_t abstime, uint64_t *result)
{
	*result = abstime;
}
