/* termijn: the one clock the whole program reads. */

#include <time.h>

#include "termijn/clock.h"

static int64_t	clock_fixed;	/* 0: the real wall clock */

int64_t
clock_now(void)
{
	struct timespec	ts;

	if (clock_fixed != 0)
		return clock_fixed;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
clock_set(int64_t ms)
{
	clock_fixed = ms;
}

void
clock_advance(int64_t ms)
{
	if (clock_fixed == 0)
		clock_fixed = clock_now();
	clock_fixed += ms;
}

int64_t
clock_monotonic(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
