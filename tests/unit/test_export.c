/* termijn: unit tests for the exports: CSV fields and iCalendar lines. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/csv.h"
#include "termijn/ical.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "calendar_fixture.h"

/*
 * What a writer wrote into a memory stream; the caller frees it. Not
 * inlined: GCC 12 at -O2 then takes the stream's buffer for the address
 * of the local that open_memstream() fills (-Wdangling-pointer).
 */
static __attribute__((noinline)) char *
written(void (*fn)(FILE *, const void *), const void *arg)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp;

	assert_non_null(fp = open_memstream(&text, &len));
	fn(fp, arg);
	assert_int_equal(fclose(fp), 0);
	return text;
}

static void
write_text(FILE *fp, const void *arg)
{
	csv_text(fp, arg);
}

static void
write_value(FILE *fp, const void *arg)
{
	csv_value(fp, arg);
}

/* Fields as RFC 4180 and a spreadsheet want them. */
static void
test_csv_fields(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "zegt \"nee\"", "\"zegt \"\"nee\"\"\"" },
		{ "twee\nregels", "\"twee\nregels\"" },
		{ "cr\r\nlf", "\"cr\r\nlf\"" },
		{ "Gemeente Ede, afdeling Inkomen", "\"Gemeente Ede, afdeling"
		    " Inkomen\"" },
		{ "één", "één" },
		/* What a spreadsheet would run as a formula is text. */
		{ "=1+1", "\"'=1+1\"" },
		{ "+31", "\"'+31\"" },
		{ "-x", "\"'-x\"" },
		{ "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "=\"x\"", "\"'=\"\"x\"\"\"" },
	};
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		got = written(write_text, cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

/* JSON values as a spreadsheet reads them. */
static void
test_csv_values(void **state)
{
	static const struct {
		const char	*json;
		const char	*out;
	} cases[] = {
		{ "\"2026-02-17T00:00:00+01:00\"", "2026-02-17 00:00:00" },
		{ "\"2026-05-18T09:00:01.409+02:00\"", "2026-05-18 09:00:01" },
		{ "\"2026-05-18T07:00:01Z\"", "2026-05-18 07:00:01" },
		{ "\"2026-02-16\"", "2026-02-16" },
		{ "\"2026-02-17T00:00\"", "2026-02-17T00:00" },
		{ "\"P6W\"", "P6W" },
		{ "42", "42" },
		{ "-3600", "-3600" },
		{ "0.5", "0.50" },
		{ "33.5", "33.50" },
		{ "true", "true" },
		{ "false", "false" },
		{ "null", "" },
		{ "[{\"name\": \"due\"}, {\"name\": \"after_P2D\"}]",
		    "\"due after_P2D\"" },
		{ "[]", "\"\"" },
	};
	json_t	*v;
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		assert_non_null(v = json_loads(cases[i].json, JSON_DECODE_ANY,
		    NULL));
		got = written(write_value, v);
		assert_string_equal(got, cases[i].out);
		free(got);
		json_decref(v);
	}
}

/* A deadline for the feed, and whether its case is late on it. */
struct feed_item {
	const struct deadline_row	*fi_deadline;
	int				 fi_late;
	const struct workflow		*fi_workflow;	/* or NULL */
};

static void
write_event(FILE *fp, const void *arg)
{
	const struct feed_item		*fi = arg;
	const struct deadline_row	*d = fi->fi_deadline;
	struct case_row			 c;

	memset(&c, 0, sizeof(c));
	c.c_id = 12;
	snprintf(c.c_workflow, sizeof(c.c_workflow), "beslistermijn");
	c.c_version = 2;
	snprintf(c.c_state, sizeof(c.c_state), "deciding");
	snprintf(c.c_team, sizeof(c.c_team), "team-a");
	snprintf(c.c_reference, sizeof(c.c_reference), "NOT-IN-FEED");
	snprintf(c.c_assignee, sizeof(c.c_assignee), "cw-a");
	c.c_updated_at = 1779000000000LL;	/* 2026-05-17T06:40:00Z */
	if (fi->fi_late && d->d_then[0] != '\0') {
		snprintf(c.c_state, sizeof(c.c_state), "%s", d->d_then);
		c.c_escalated_by = d->d_id;
	}
	ical_begin(fp, "termijn: team-a, cw-a");
	/* The site as termijnd gives it: the CloudEvents source. */
	ical_deadline(fp, "/termijn/gemeente-x;test", &c, d, fi->fi_workflow,
	    fi->fi_late);
	ical_end(fp);
}

/* A feed's text with its folded lines unfolded (RFC 5545 3.1). */
static char *
unfolded(char *s)
{
	char	*r, *w;

	for (r = w = s; *r != '\0'; r++) {
		if (r[0] == '\r' && r[1] == '\n' && r[2] == ' ') {
			r += 2;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

/*
 * An event per deadline: a day deadline on its last day, one in hours at
 * its instant in UTC; lines folded at 75 octets, text escaped, the case's
 * reference nowhere.
 */
static void
test_ical_events(void **state)
{
	struct deadline_row	 d;
	struct feed_item	 fi = { &d, 0, NULL };
	char			*got, *line, *save;
	size_t			 n;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.d_id = 77;
	snprintf(d.d_name, sizeof(d.d_name), "decision");
	snprintf(d.d_period, sizeof(d.d_period), "P8W");
	snprintf(d.d_rule, sizeof(d.d_rule), "atw");
	snprintf(d.d_kind, sizeof(d.d_kind), "decision");
	/* Overdue from 2026-04-29T00:00:00+02:00: last day 2026-04-28. */
	d.d_due = 1777413600000LL;
	got = written(write_event, &fi);
	/* Unique to the installation: the source, without its slash. */
	assert_non_null(strstr(got,
	    "\r\nUID:deadline-77@termijn/gemeente-x\\;test\r\n"));
	assert_non_null(strstr(got, "\r\nDTSTART;VALUE=DATE:20260428\r\n"));
	assert_non_null(strstr(got, "\r\nDTEND;VALUE=DATE:20260429\r\n"));
	assert_non_null(strstr(got, "\r\nDTSTAMP:20260517T064000Z\r\n"));
	assert_non_null(strstr(got, "\r\nSUMMARY:decision: case 12"
	    " (beslistermijn\\, deciding)\r\n"));
	assert_non_null(strstr(got, "X-WR-CALNAME:termijn: team-a\\, cw-a"));
	assert_null(strstr(got, "NOT-IN-FEED"));
	/* Every line ends in CRLF and holds at most 75 octets. */
	assert_true(strlen(got) > 2 && strcmp(got + strlen(got) - 2, "\r\n")
	    == 0);
	for (line = strtok_r(got, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		n = strlen(line);
		assert_true(n >= 1 && line[n - 1] == '\r');
		assert_true(n - 1 <= 75);
	}
	free(got);

	/* PT48H from 2026-03-27 12:00 CET: Sunday 13:00 CEST, 11:00 UTC. */
	snprintf(d.d_period, sizeof(d.d_period), "PT48H");
	d.d_due = 1774782000000LL;
	got = written(write_event, &fi);
	assert_non_null(strstr(got, "\r\nDTSTART:20260329T110000Z\r\n"));
	assert_null(strstr(got, "DTEND"));
	free(got);
}

/*
 * A deadline the case is late on stays on its day, marked as passed, with
 * what followed; revised when it passed, if the case changed before.
 */
static void
test_ical_passed(void **state)
{
	struct deadline_row	 d;
	struct feed_item	 fi = { &d, 0, NULL };
	char			*got;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.d_id = 77;
	d.d_passed = 1;
	snprintf(d.d_name, sizeof(d.d_name), "decision");
	snprintf(d.d_then, sizeof(d.d_then), "overdue");
	snprintf(d.d_period, sizeof(d.d_period), "P8W");
	snprintf(d.d_rule, sizeof(d.d_rule), "atw");
	snprintf(d.d_kind, sizeof(d.d_kind), "decision");
	/* Passed at 2026-05-19T00:00:00+02:00, after the case last changed. */
	d.d_due = 1779141600000LL;
	got = unfolded(written(write_event, &fi));
	assert_non_null(strstr(got, "\r\nSUMMARY:decision: case 12"));
	assert_non_null(strstr(got, "\r\nCATEGORIES:decision\r\n"));
	assert_non_null(strstr(got, "overdue from 2026-05-19T00:00:00+02:00"));
	free(got);

	fi.fi_late = 1;
	got = unfolded(written(write_event, &fi));
	assert_non_null(strstr(got, "\r\nDTSTART;VALUE=DATE:20260518\r\n"));
	assert_non_null(strstr(got, "\r\nSUMMARY:Passed: decision: case 12"
	    " (beslistermijn\\, overdue)\r\n"));
	assert_non_null(strstr(got, "\r\nCATEGORIES:decision,passed\r\n"));
	assert_non_null(strstr(got, "passed at 2026-05-19T00:00:00+02:00: the"
	    " case moved to state overdue and is still there"));
	assert_non_null(strstr(got, "\r\nDTSTAMP:20260518T220000Z\r\n"));
	assert_non_null(strstr(got, "\r\nLAST-MODIFIED:20260518T220000Z\r\n"));
	free(got);

	/* Without "then", the case waits on it in its own state. */
	d.d_then[0] = '\0';
	got = unfolded(written(write_event, &fi));
	assert_non_null(strstr(got, "passed at 2026-05-19T00:00:00+02:00: the"
	    " case still waits on it in state deciding"));
	free(got);
}

/*
 * A person reads the summary: the deadline, the workflow and the state by
 * the titles of the case's version, escaped and folded as any text (a
 * line is never cut inside a character); names where there are none.
 * The description keeps the names.
 */
static void
test_ical_titles(void **state)
{
	static const char text[] =
	    "workflow: beslistermijn\n"
	    "version: 2\n"
	    "title: Beslissen op een aanvraag, binnen de wettelijke termijn\n"
	    "start: deciding\n"
	    "states:\n"
	    "  deciding:\n"
	    "    title: De consulent bereidt het besluit voor\n"
	    "    deadline:\n"
	    "      name: decision\n"
	    "      title: Beslistermijn; één keer te verdagen\n"
	    "      period: 8 weeks\n"
	    "      then: overdue\n"
	    "    events:\n"
	    "      decided: decided\n"
	    "  overdue:\n"
	    "    events:\n"
	    "      decided: decided\n"
	    "  decided:\n"
	    "    final: true\n";
	struct errlist		 errs;
	struct workflow		*wf;
	struct deadline_row	 d;
	struct feed_item	 fi = { &d, 0, NULL };
	char			*got, *p;

	(void)state;
	errlist_init(&errs);
	assert_non_null(wf = workflow_parse("inline", text, strlen(text),
	    &errs));
	fi.fi_workflow = wf;
	memset(&d, 0, sizeof(d));
	d.d_id = 77;
	snprintf(d.d_name, sizeof(d.d_name), "decision");
	snprintf(d.d_state, sizeof(d.d_state), "deciding");
	snprintf(d.d_then, sizeof(d.d_then), "overdue");
	snprintf(d.d_period, sizeof(d.d_period), "P8W");
	snprintf(d.d_rule, sizeof(d.d_rule), "atw");
	snprintf(d.d_kind, sizeof(d.d_kind), "decision");
	d.d_due = 1777413600000LL;
	got = written(write_event, &fi);
	/* Folded between characters, never inside one. */
	for (p = strstr(got, "\r\n "); p != NULL; p = strstr(p + 1, "\r\n "))
		assert_true(((unsigned char)p[3] & 0xc0) != 0x80);
	unfolded(got);
	assert_non_null(strstr(got, "\r\nSUMMARY:Beslistermijn\\; \xc3\xa9\xc3"
	    "\xa9n keer te verdagen: case 12 (Beslissen op een aanvraag\\, "
	    "binnen de wettelijke termijn\\, De consulent bereidt het besluit "
	    "voor)\r\n"));
	assert_non_null(strstr(got, "\r\nDESCRIPTION:Deadline decision of case"
	    " 12: workflow beslistermijn version 2\\, state deciding\\,"));
	free(got);

	/* Late, in a state without a title: its name. */
	fi.fi_late = 1;
	got = unfolded(written(write_event, &fi));
	assert_non_null(strstr(got, "\r\nSUMMARY:Passed: Beslistermijn\\; "
	    "\xc3\xa9\xc3\xa9n keer te verdagen: case 12 (Beslissen op een "
	    "aanvraag\\, binnen de wettelijke termijn\\, overdue)\r\n"));
	free(got);
	workflow_free(wf);
	errlist_clear(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_csv_values),
		cmocka_unit_test(test_ical_events),
		cmocka_unit_test(test_ical_passed),
		cmocka_unit_test(test_ical_titles),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
