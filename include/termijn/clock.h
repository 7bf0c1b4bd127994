/* termijn: the one clock the whole program reads. */
#ifndef TERMIJN_CLOCK_H
#define TERMIJN_CLOCK_H

#include <stdint.h>

/*
 * Instants are int64_t milliseconds since the Unix epoch, UTC.  The wall
 * clock comes from CLOCK_REALTIME, so that tests move time without
 * sleeping: unit tests pass "now" to the engine explicitly, and the
 * integration tests move termijnd's clock with libfaketime.
 */
int64_t	 clock_now(void);
int64_t	 clock_monotonic(void);	/* milliseconds, for measuring durations */

#define MS_PER_SEC	INT64_C(1000)
#define MS_PER_MIN	(60 * MS_PER_SEC)
#define MS_PER_HOUR	(60 * MS_PER_MIN)
#define MS_PER_DAY	(24 * MS_PER_HOUR)

#endif /* TERMIJN_CLOCK_H */
