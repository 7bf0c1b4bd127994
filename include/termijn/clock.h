/* termijn: the one clock the whole program reads. */
#ifndef TERMIJN_CLOCK_H
#define TERMIJN_CLOCK_H

#include <stdint.h>

/*
 * Instants are int64_t milliseconds since the Unix epoch, UTC.  The wall
 * clock comes from CLOCK_REALTIME, so that tools such as faketime(1) move it
 * for a real process; unit tests set a fixed clock with clock_set().
 */
int64_t	 clock_now(void);
void	 clock_set(int64_t);	/* fix the clock (tests); 0 restores the real one */
void	 clock_advance(int64_t);	/* move a fixed clock forward (tests) */
int64_t	 clock_monotonic(void);	/* milliseconds, for measuring durations */

#define MS_PER_SEC	INT64_C(1000)
#define MS_PER_MIN	(60 * MS_PER_SEC)
#define MS_PER_HOUR	(60 * MS_PER_MIN)
#define MS_PER_DAY	(24 * MS_PER_HOUR)

#endif /* TERMIJN_CLOCK_H */
