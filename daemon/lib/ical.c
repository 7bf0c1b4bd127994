/* termijn: deadlines as an iCalendar feed (RFC 5545). */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/i18n.h"
#include "termijn/ical.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#ifndef TERMIJN_VERSION
#define TERMIJN_VERSION "unknown"
#endif

#define ICAL_LINE_MAX	75	/* octets of a content line, CRLF apart */

/*
 * A calendar program subscribes to the feed and reads it again now and
 * then; what it needs to keep its copy right is a UID per deadline that
 * never changes ("deadline-<id>@<site>": a deadline keeps its id across
 * suspensions and extensions) and that no other termijn gives (ids start
 * at 1 in every database: the site is the installation's own name, the
 * CloudEvents source, which a person subscribing to two municipalities'
 * feeds must not see merged), and when the deadline was last revised, so
 * that it replaces what moved: DTSTAMP and LAST-MODIFIED are the moment
 * the case last changed (every suspension, resumption and extension is a
 * transition of the case).  A day deadline is an all-day event on its last
 * day; one in hours, an instant in UTC, so that no time zone needs
 * defining.  The feed leaves the building (it is stored by whatever
 * calendar service subscribes to it), so an event names the case by its
 * id, its workflow, state and team, never by the municipality's case
 * number or anything else of the case: the id is enough to open it in
 * termijn, behind a token.
 *
 * A person reads the event in a calendar between appointments, so its
 * SUMMARY names the deadline, the workflow and the state by the titles
 * the case's version gives them (by name where it gives none); the
 * DESCRIPTION keeps the names, which is what one types to find the case.
 * The words around them are in the reader's language (the messages' one,
 * i18n.h); the CATEGORIES are kinds, which calendars filter on, as named.
 *
 * A deadline that passed while its case still waits on it (late, as
 * engine_late says) stays in the feed on its day, marked: its SUMMARY
 * begins "Passed: " (in Dutch "Verstreken: "), its CATEGORIES add
 * "passed", and its DESCRIPTION says when it passed and what followed.  It
 * was revised at the moment it passed, if the case did not change later,
 * so that a calendar that keeps what it read replaces the event.
 */

static void	 ical_line(FILE *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static char	*ical_escape(const char *);
static void	 ical_utc(int64_t, char *, size_t);

void
ical_begin(FILE *fp, const char *name)
{
	char	*n = ical_escape(name);

	ical_line(fp, "BEGIN:VCALENDAR");
	ical_line(fp, "VERSION:2.0");
	ical_line(fp, "PRODID:-//termijn//termijn %s//EN", TERMIJN_VERSION);
	ical_line(fp, "CALSCALE:GREGORIAN");
	ical_line(fp, "X-WR-CALNAME:%s", n);
	ical_line(fp, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
	ical_line(fp, "X-PUBLISHED-TTL:PT1H");
	free(n);
}

void
ical_note(FILE *fp, const char *text)
{
	char	*t = ical_escape(text);

	ical_line(fp, "X-WR-CALDESC:%s", t);
	free(t);
}

void
ical_deadline(FILE *fp, const char *site, const struct case_row *c,
    const struct deadline_row *d, const struct workflow *wf, int late)
{
	const struct wf_deadline *wd = NULL;
	const struct wf_state	*ws = NULL;
	struct cal_date		 last;
	char			 stamp[32], when[CAL_WORDS_LEN], *summary;
	const char		*title, *wtitle, *stitle;
	char			*text, *s, *after;

	ical_utc(late && d->d_due > c->c_updated_at ? d->d_due :
	    c->c_updated_at, stamp, sizeof(stamp));
	ical_line(fp, "BEGIN:VEVENT");
	/* "/termijn/host" reads better after the @ without its slash. */
	while (*site == '/')
		site++;
	s = ical_escape(site);
	ical_line(fp, "UID:deadline-%lld@%s", (long long)d->d_id, s);
	free(s);
	ical_line(fp, "DTSTAMP:%s", stamp);
	ical_line(fp, "LAST-MODIFIED:%s", stamp);
	if (strchr(d->d_period, 'T') == NULL) {
		cal_local_date(d->d_due - 1, &last);
		ical_line(fp, "DTSTART;VALUE=DATE:%04d%02d%02d", last.cd_year,
		    last.cd_month, last.cd_day);
		cal_date_add_days(&last, 1);
		ical_line(fp, "DTEND;VALUE=DATE:%04d%02d%02d", last.cd_year,
		    last.cd_month, last.cd_day);
	} else {
		ical_utc(d->d_due, stamp, sizeof(stamp));
		ical_line(fp, "DTSTART:%s", stamp);
	}
	if (wf != NULL) {
		wd = engine_deadline_model(wf, d);
		ws = workflow_state(wf, c->c_state);
	}
	title = wd != NULL && wd->wd_title != NULL ? wd->wd_title : d->d_name;
	wtitle = wf != NULL && wf->wf_title != NULL ? wf->wf_title :
	    c->c_workflow;
	stitle = ws != NULL && ws->ws_title != NULL ? ws->ws_title : c->c_state;
	if (late)
		xasprintf(&s, _("Passed: %s: case %lld (%s, %s)"), title,
		    (long long)c->c_id, wtitle, stitle);
	else
		xasprintf(&s, _("%s: case %lld (%s, %s)"), title,
		    (long long)c->c_id, wtitle, stitle);
	summary = ical_escape(s);
	free(s);
	cal_time_words(d->d_due, when);
	if (!late)
		xasprintf(&after, _("overdue from %s"), when);
	else if (c->c_escalated_by == d->d_id && d->d_then[0] != '\0')
		xasprintf(&after, _("passed at %s: the case moved to state %s"
		    " and is still there"), when, d->d_then);
	else
		xasprintf(&after, _("passed at %s: the case still waits on it"
		    " in state %s"), when, c->c_state);
	if (c->c_assignee[0] != '\0')
		xasprintf(&s, _("Deadline %s of case %lld: workflow %s version"
		    " %d, state %s, team %s, assigned to %s.\nKind %s, rule %s,"
		    " period %s; %s.\n/v1/cases/%lld"), d->d_name,
		    (long long)c->c_id, c->c_workflow, c->c_version, c->c_state,
		    c->c_team, c->c_assignee, d->d_kind, d->d_rule, d->d_period,
		    after, (long long)c->c_id);
	else
		xasprintf(&s, _("Deadline %s of case %lld: workflow %s version"
		    " %d, state %s, team %s.\nKind %s, rule %s, period %s;"
		    " %s.\n/v1/cases/%lld"), d->d_name, (long long)c->c_id,
		    c->c_workflow, c->c_version, c->c_state, c->c_team,
		    d->d_kind, d->d_rule, d->d_period, after,
		    (long long)c->c_id);
	free(after);
	text = ical_escape(s);
	free(s);
	ical_line(fp, "SUMMARY:%s", summary);
	ical_line(fp, "DESCRIPTION:%s", text);
	ical_line(fp, "CATEGORIES:%s%s", d->d_kind, late ? ",passed" : "");
	ical_line(fp, "TRANSP:TRANSPARENT");
	ical_line(fp, "END:VEVENT");
	free(summary);
	free(text);
}

void
ical_end(FILE *fp)
{
	ical_line(fp, "END:VCALENDAR");
}

/*
 * A content line, folded after 75 octets (RFC 5545 3.1) with CRLF and a
 * space, never inside a UTF-8 sequence.
 */
static void
ical_line(FILE *fp, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;
	size_t	 len, n, max = ICAL_LINE_MAX;
	char	*p;

	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	for (p = line, len = strlen(line); len > max; p += n, len -= n) {
		for (n = max; n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80;
		    n--)
			;
		fwrite(p, 1, n, fp);
		fputs("\r\n ", fp);
		max = ICAL_LINE_MAX - 1;	/* the space counts */
	}
	fwrite(p, 1, len, fp);
	fputs("\r\n", fp);
	free(line);
}

/* TEXT as RFC 5545 3.3.11 escapes it. */
static char *
ical_escape(const char *s)
{
	char	*out, *o;

	out = o = xmalloc(strlen(s) * 2 + 1);
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			*o++ = '\\';
			*o++ = 'n';
			continue;
		}
		if (*s == '\\' || *s == ';' || *s == ',')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void
ical_utc(int64_t ms, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)(ms / 1000);

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
}
