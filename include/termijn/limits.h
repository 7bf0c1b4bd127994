/* termijn: limits on what a client may store, shared by the core's layers. */
#ifndef TERMIJN_LIMITS_H
#define TERMIJN_LIMITS_H

/*
 * No file defines these: the engine refuses what exceeds them, and the
 * store sizes what it holds by them, so both include this header rather
 * than each other.
 *
 * The free text a person writes has one limit per kind of field, in bytes
 * of UTF-8 (a character such as é takes 2, € 3), the terminating NUL not
 * counted.  The API (termijnd's handlers), termijnctl and the engine all
 * check against these, and each refuses what exceeds one, naming the field
 * and the limit: none of them cuts text to fit (text.c).  The table
 * "Limits on text" in docs/api.md lists the fields; keep the two in step.
 */
#define NOTE_MAX		1024	/* an event's note, a correction's
					   reason, the note of an assignment
					   or a hand-over of coordination */
#define PURPOSE_MAX		255	/* why a team takes part in a case (a
					   share's or a join's purpose); why a
					   case is read (Read-Purpose) */
#define TITLE_MAX		255	/* a team's title */
#define ORGANISATION_MAX	255	/* a team's organisation, and the one a
					   route serves */
#define DISPLAY_NAME_MAX	128	/* a person's name as people read it,
					   beside a token's name (one line) */

#endif /* TERMIJN_LIMITS_H */
