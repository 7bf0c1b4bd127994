/* termijn: limits on what a client may store, shared by the core's layers. */
#ifndef TERMIJN_LIMITS_H
#define TERMIJN_LIMITS_H

/*
 * No file defines these: the engine refuses what exceeds them, and the
 * store sizes what it holds by them, so both include this header rather
 * than each other.
 */
#define NOTE_MAX	1024	/* bytes of an event's note, NUL not counted */

#endif /* TERMIJN_LIMITS_H */
