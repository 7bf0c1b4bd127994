/* termijn: deadlines as an iCalendar feed (RFC 5545). */
#ifndef TERMIJN_ICAL_H
#define TERMIJN_ICAL_H

#include <stdint.h>
#include <stdio.h>

struct case_row;
struct deadline_row;
struct workflow;

/* BEGIN:VCALENDAR and the calendar's properties; name shows in clients. */
void	 ical_begin(FILE *, const char *name);
/* A description of the calendar, which clients show; before any event. */
void	 ical_note(FILE *, const char *);
/*
 * One VEVENT for a running deadline of a case, or (late set) for one that
 * passed while the case still waits on it, marked as passed; site names
 * the installation in its UID (termijnd: the CloudEvents source), so that
 * UIDs are unique across installations and the same after a restart.  wf
 * is the version the case runs on, whose titles its summary reads, or
 * NULL.
 */
void	 ical_deadline(FILE *, const char *site, const struct case_row *,
	    const struct deadline_row *, const struct workflow *, int late);
void	 ical_end(FILE *);

#endif /* TERMIJN_ICAL_H */
