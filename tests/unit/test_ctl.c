/*
 * termijn: termijnctl's pure helpers: tables, terminal hygiene, spans of
 * time and lateness, a deadline's state and due moment, wrapping, and
 * refusals.  A case as shown is in test_ctl_case.c, the administrator's
 * lists in test_ctl_lists.c; what they share in ctl_fixture.h.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ctl_fixture.h"

static void
test_width(void **state)
{
	static const struct {
		const char	*in;
		size_t		 width;
	} cases[] = {
		{ "", 0 },
		{ "jeugd-noord", 11 },
		{ "Gemeentelijke Basisadministratie", 32 },
		{ "co\xc3\xb6rdinatie", 11 },		/* coördinatie */
		{ "coo\xcc\x88rdinatie", 11 },	/* o and U+0308 */
		{ "TERMIJN VERSTREKEN OP", 21 },	/* a Dutch header */
		{ "\xe2\x82\xac 5", 3 },		/* € 5 */
		{ "\xf0\x9f\x93\x85", 1 },		/* a calendar emoji */
	};
	size_t	i;

	for (i = 0; i < nitems(cases); i++)
		assert_int_equal(ctl_table_width(cases[i].in), cases[i].width);
}

static void
test_clean(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "plain", "plain" },
		{ "co\xc3\xb6rdinatie", "co\xc3\xb6rdinatie" },
		{ "a\tb\nc", "a?b?c" },
		{ "\x1b[31mred", "?[31mred" },		/* ESC */
		{ "\xc2\x9b" "31m", "?31m" },		/* U+009B, 8-bit CSI */
		{ "del\x7f", "del?" },
		{ "\xff\xfe", "??" },			/* not UTF-8 */
		{ "\xc3", "?" },			/* cut short */
		{ "\xc0\xaf", "??" },			/* overlong '/' */
		{ "\xed\xa0\x80", "???" },		/* a surrogate */
		{ "\xe2\x82\xac", "\xe2\x82\xac" },	/* € */
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < nitems(cases); i++) {
		s = ctl_table_clean(cases[i].in);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

static void
test_table(void **state)
{
	static const char *const head[] = { "ID", "NAME", "TITLE" };
	static const char *const r1[] = { "1", "co\xc3\xb6rdinatie", "x" };
	static const char *const r2[] = { "12", NULL, "last column" };
	struct ctl_table	*t;
	struct capture		 c;

	t = ctl_table_new(3, head);
	assert_int_equal(ctl_table_rows(t), 0);
	ctl_table_add(t, r1);
	ctl_table_add(t, r2);
	assert_int_equal(ctl_table_rows(t), 2);
	capture_start(&c);
	ctl_table_print(t, c.fp);
	/* Aligned by characters, not bytes; no trailing blanks; NULL is "-". */
	assert_string_equal(capture_end(&c),
	    "ID  NAME         TITLE\n"
	    "1   co\xc3\xb6rdinatie  x\n"
	    "12  -            last column\n");
	free(c.buf);
	capture_start(&c);
	ctl_table_print_indented(t, c.fp, 4);
	assert_string_equal(capture_end(&c),
	    "    ID  NAME         TITLE\n"
	    "    1   co\xc3\xb6rdinatie  x\n"
	    "    12  -            last column\n");
	free(c.buf);
	ctl_table_free(t);
}

/*
 * The earliest running deadline by instant, not by text: 01:30+02:00 comes
 * before 01:00+01:00 (the first is 23:30 UTC, the second 00:00 UTC).  A
 * suspended deadline has no due moment and is passed over; when all are
 * suspended, the list says so.
 */
static void
test_next_due(void **state)
{
	static const struct {
		const char	*in;
		const char	*name;		/* NULL: none */
		int		 suspended;
	} cases[] = {
		{ "[{\"name\": \"a\", \"overdue_from\": "
		    "\"2026-10-25T01:00:00+01:00\"}, {\"name\": \"b\", "
		    "\"overdue_from\": \"2026-10-25T01:30:00+02:00\"}]", "b", 0 },
		{ "[{\"name\": \"s\", \"running\": false, \"due\": null, "
		    "\"overdue_from\": null}, {\"name\": \"r\", \"running\": "
		    "true, \"overdue_from\": \"2026-12-01T00:00:00+01:00\"}]",
		    "r", 0 },
		{ "[{\"name\": \"s\", \"running\": false, \"due\": null}, "
		    "{\"name\": \"t\", \"running\": false}]", NULL, 1 },
		{ "[{\"name\": \"p\", \"running\": true, \"passed\": true, "
		    "\"overdue_from\": \"2026-01-01T00:00:00+01:00\"}, "
		    "{\"name\": \"s\", \"running\": false}]", "p", 0 },
		{ "[]", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	json_t		*dls;
	const json_t	*dl;
	size_t		 i;
	int		 suspended;

	for (i = 0; i < nitems(cases); i++) {
		dls = cases[i].in != NULL ? parse(cases[i].in) : NULL;
		suspended = -1;
		dl = ctl_print_next_due(dls, &suspended);
		if (cases[i].name == NULL)
			assert_null(dl);
		else {
			assert_non_null(dl);
			assert_string_equal(json_string_value(
			    json_object_get(dl, "name")), cases[i].name);
		}
		assert_int_equal(suspended, cases[i].suspended);
		json_decref(dls);
	}
}

/* Days and hours, singular and plural, and the sign left to the caller. */
static void
test_span(void **state)
{
	static const struct {
		int64_t		 secs;
		const char	*span;
		const char	*left;
	} cases[] = {
		{ 4971599, "57 days 12 hours", "57 days 12 hours" },
		{ 4971600, "57 days 13 hours", "57 days 13 hours" },
		{ 86400 + 3600, "1 day 1 hour", "1 day 1 hour" },
		{ 2 * 86400, "2 days", "2 days" },
		{ 2 * 86400 + 3599, "2 days", "2 days" },
		{ 5 * 3600 + 59, "5 hours", "5 hours" },
		{ 3599, "less than 1 hour", "less than 1 hour" },
		/* Its moment came: termijnd passes it at once. */
		{ 0, "less than 1 hour", "due now" },
		{ -1, "less than 1 hour", "due now" },
		{ -1987261, "23 days", "due now" },
		{ -1987200 + 61, "22 days 23 hours", "due now" },
		{ -86400, "1 day", "due now" },
		{ INT64_MIN, "106751991167300 days 15 hours", "due now" },
	};
	char	buf[128];
	size_t	i;

	for (i = 0; i < nitems(cases); i++) {
		assert_string_equal(ctl_print_span(cases[i].secs, buf,
		    sizeof(buf)), cases[i].span);
		assert_string_equal(ctl_print_time_left(cases[i].secs, buf,
		    sizeof(buf)), cases[i].left);
	}
	/* A short buffer is cut, never overrun. */
	assert_string_equal(ctl_print_span(4971599, buf, 8), "57 days");
	assert_string_equal(ctl_print_time_left(4971599, buf, 12),
	    "57 days 12 ");
}

/*
 * How late, from the members termijnd gives an overdue deadline: on the
 * day it passed (0 days) "passed today", never "0 days"; a deadline in
 * hours (no working days) in days and hours.
 */
static void
test_late_age(void **state)
{
	static const struct {
		const char	*json;
		const char	*age;
	} cases[] = {
		{ "{\"overdue_days\": 0, \"overdue_working_days\": 0,"
		    " \"overdue_seconds\": 36000}", "passed today" },
		{ "{\"overdue_days\": 0, \"overdue_working_days\": null,"
		    " \"overdue_seconds\": 3600}", "passed today" },
		{ "{\"overdue_days\": 1, \"overdue_working_days\": 0,"
		    " \"overdue_seconds\": 122400}", "1 day (0 working)" },
		{ "{\"overdue_days\": 12, \"overdue_working_days\": 6,"
		    " \"overdue_seconds\": 1072800}", "12 days (6 working)" },
		{ "{\"overdue_days\": 1, \"overdue_working_days\": null,"
		    " \"overdue_seconds\": 90000}", "1 day 1 hour" },
	};
	json_t	*o;
	char	 buf[96];
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		assert_non_null(o = json_loads(cases[i].json, 0, NULL));
		assert_string_equal(ctl_late_age(o, buf, sizeof(buf)),
		    cases[i].age);
		json_decref(o);
	}
}

/*
 * The same in Dutch: each count with its own plural ("1 dag", "6 werkdagen"),
 * the hours without one ("1 uur", "2 uur").  English comes back with it.
 */
static void
test_dutch_counts(void **state)
{
	static const struct {
		const char	*json;
		const char	*age;
	} cases[] = {
		{ "{\"overdue_days\": 0, \"overdue_working_days\": 0,"
		    " \"overdue_seconds\": 36000}", "vandaag verstreken" },
		{ "{\"overdue_days\": 1, \"overdue_working_days\": 1,"
		    " \"overdue_seconds\": 122400}", "1 dag (1 werkdag)" },
		{ "{\"overdue_days\": 12, \"overdue_working_days\": 6,"
		    " \"overdue_seconds\": 1072800}",
		    "12 dagen (6 werkdagen)" },
		{ "{\"overdue_days\": 1, \"overdue_working_days\": null,"
		    " \"overdue_seconds\": 90000}", "1 dag 1 uur" },
		{ "{\"overdue_days\": 2, \"overdue_working_days\": null,"
		    " \"overdue_seconds\": 180000}", "2 dagen 2 uur" },
	};
	json_t	*o;
	char	 buf[96];
	size_t	 i;

	(void)state;
	i18n_init_chosen();
	assert_true(i18n_available(I18N_NL));
	i18n_use(I18N_NL);
	for (i = 0; i < nitems(cases); i++) {
		assert_non_null(o = json_loads(cases[i].json, 0, NULL));
		assert_string_equal(ctl_late_age(o, buf, sizeof(buf)),
		    cases[i].age);
		json_decref(o);
	}
	assert_string_equal(ctl_print_span(3599, buf, sizeof(buf)),
	    "minder dan 1 uur");
	assert_string_equal(ctl_print_time_left(0, buf, sizeof(buf)),
	    "verloopt nu");
	i18n_use(I18N_EN);
	assert_string_equal(ctl_print_span(86400 + 3600, buf, sizeof(buf)),
	    "1 day 1 hour");
}

/*
 * A refusal to a Dutch reader: a status without a title (a proxy's page)
 * by termijnctl's Dutch title, the words in capitals that stand for a
 * field in Dutch, and the events a state accepts once, whatever the
 * language termijnd listed them in.
 */
static void
test_dutch_problem(void **state)
{
	static const struct {
		long		 status;
		const char	*reason;
		const char	*body;
		const char	*out;
	} cases[] = {
		{ 502, "Bad Gateway", NULL,
		    "termijnctl: 502 Ongeldig antwoord van de gateway\n" },
		{ 418, "I'm a teapot", NULL, "termijnctl: 418 I'm a teapot\n" },
		{ 418, "", "{\"detail\": \"x\"}", "termijnctl: 418 Fout: x\n" },
		{ 409, "Conflict", "{\"title\": \"Conflict\", \"detail\": "
		    "\"zaak 1 accepteert gebeurtenis x niet; wel: close, stop\","
		    " \"state\": \"open\", \"accepts\": [\"close\", \"stop\"]}",
		    "termijnctl: 409 Conflict: zaak 1 accepteert gebeurtenis x"
		    " niet; wel: close, stop\n" },
		{ 409, "", "{\"title\": \"Conflict\", \"detail\": \"d\", "
		    "\"state\": \"closed\", \"accepts\": []}",
		    "termijnctl: 409 Conflict: d\n"
		    "termijnctl: stand closed accepteert: geen gebeurtenissen\n" },
		{ 400, "", "{\"title\": \"Ongeldig verzoek\", \"detail\": "
		    "\"\\\"assignee\\\" is geen token\"}",
		    "termijnctl: 400 Ongeldig verzoek: NAAM is geen token\n" },
	};
	struct capture	 c;
	json_t		*j;
	size_t		 i;

	(void)state;
	i18n_init_chosen();
	i18n_use(I18N_NL);
	for (i = 0; i < nitems(cases); i++) {
		j = cases[i].body != NULL ? parse(cases[i].body) : NULL;
		capture_start(&c);
		ctl_problem_print(c.fp, cases[i].status, cases[i].reason, j);
		assert_string_equal(capture_end(&c), cases[i].out);
		free(c.buf);
		json_decref(j);
	}
	i18n_use(I18N_EN);
}

/*
 * Whole days after the day of suspension, across a change of summer time
 * (an hour less on 29 March 2026, an hour more on 25 October).
 */
static void
test_days_left(void **state)
{
	static const struct {
		int64_t		 left;
		const char	*since;
		int64_t		 days;
	} cases[] = {
		/* Suspended 10 March 09:00, due 29 April 00:00 (CEST). */
		{ 4283999, "2026-03-10T09:00:00.001+01:00", 49 },
		/* The same at 23:30: half an hour of the day, then 49 days. */
		{ 49 * 86400 - 3600 + 1800, "2026-03-10T23:30:00+01:00", 49 },
		/* At 00:30 on 10 March. */
		{ 49 * 86400 - 3600 + 84600, "2026-03-10T00:30:00+01:00", 49 },
		/* Autumn: an hour more. */
		{ 10 * 86400 + 3600 + 1800, "2026-10-20T23:30:00+02:00", 10 },
		/* The last day: nothing after the day of suspension. */
		{ 3600, "2026-03-10T23:00:00+01:00", 0 },
		{ 86400 + 3600, "2026-03-10T23:00:00+01:00", 1 },
		{ 1000, "2026-03-10", -1 },
		{ 1000, "garbage-of-some-length", -1 },
		{ 1000, NULL, -1 },
		{ INT64_MAX, "2026-03-10T23:00:00+01:00", -1 },
		{ -1, "2026-03-10T23:00:00+01:00", -1 },
	};
	size_t	i;

	for (i = 0; i < nitems(cases); i++)
		assert_int_equal(ctl_print_days_left(cases[i].left,
		    cases[i].since), cases[i].days);
}

/* A deadline's state and due line, running, suspended and passed. */
static void
test_deadline_state_due(void **state)
{
	static const struct {
		const char	*in;
		const char	*state;
		const char	*due;
	} cases[] = {
		{ "{\"running\": true, \"passed\": false, \"due\": "
		    "\"2026-04-28\", \"overdue_from\": "
		    "\"2026-04-29T00:00:00+02:00\"}", "running",
		    "2026-04-28, overdue from 2026-04-29T00:00:00+02:00" },
		{ "{\"running\": true, \"passed\": true, \"due\": "
		    "\"2026-03-30\", \"overdue_from\": "
		    "\"2026-03-31T00:00:00+02:00\"}", "passed",
		    "2026-03-30, overdue from 2026-03-31T00:00:00+02:00" },
		/* Hours: one moment for both. */
		{ "{\"running\": true, \"period\": \"PT48H\", \"due\": "
		    "\"2026-03-29T13:00:00+02:00\", \"overdue_from\": "
		    "\"2026-03-29T13:00:00+02:00\"}", "running",
		    "2026-03-29T13:00:00+02:00" },
		{ "{\"running\": false, \"period\": \"P8W\", \"due\": null, "
		    "\"overdue_from\": null, \"time_left_seconds\": 4283999, "
		    "\"suspended_since\": \"2026-03-10T09:00:00.001+01:00\"}",
		    "suspended since 2026-03-10T09:00:00.001+01:00",
		    "suspended, 49 days left" },
		{ "{\"running\": false, \"period\": \"P8W\", "
		    "\"time_left_seconds\": 90000, "
		    "\"suspended_since\": \"2026-03-10T23:00:00+01:00\"}",
		    "suspended since 2026-03-10T23:00:00+01:00",
		    "suspended, 1 day left" },
		{ "{\"running\": false, \"period\": \"PT48H\", "
		    "\"time_left_seconds\": 93600, "
		    "\"suspended_since\": \"2026-03-10T23:00:00+01:00\"}",
		    "suspended since 2026-03-10T23:00:00+01:00",
		    "suspended, 1 day 2 hours left" },
		{ "{\"running\": false, \"period\": \"P8W\", "
		    "\"time_left_seconds\": -7200, "
		    "\"suspended_since\": \"2026-03-10T23:00:00+01:00\"}",
		    "suspended since 2026-03-10T23:00:00+01:00",
		    "suspended, overdue by 2 hours" },
		/* What an older server sent: no running, no suspension. */
		{ "{\"due\": \"2026-02-16\"}", "running", "2026-02-16" },
		{ "{\"running\": false}", "suspended since -", "suspended" },
		{ "{\"running\": false, \"period\": \"P1W\", "
		    "\"time_left_seconds\": 9223372036854775807, "
		    "\"suspended_since\": \"2026-03-10T23:00:00+01:00\"}",
		    "suspended since 2026-03-10T23:00:00+01:00",
		    "suspended, 106751991167300 days 15 hours left" },
	};
	json_t	*j;
	char	*s;
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		j = parse(cases[i].in);
		s = ctl_print_deadline_state(j);
		assert_string_equal(s, cases[i].state);
		free(s);
		s = ctl_print_deadline_due(j);
		assert_string_equal(s, cases[i].due);
		free(s);
		json_decref(j);
	}
}

static void
test_rung_status(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "{\"name\": \"due\", \"seq\": 1, \"fired\": false}",
		    "pending" },
		{ "{\"fired\": true, \"fired_at\": "
		    "\"2026-04-22T00:00:00.090+02:00\"}",
		    "fired 2026-04-22T00:00:00.090+02:00" },
		{ "{\"fired\": true, \"fired_at\": \"2026-04-22T00:00:00+02:00\","
		    " \"skipped\": true}", "skipped" },
		{ "{\"fired\": true, \"fired_at\": \"2026-04-22T00:00:00+02:00\","
		    " \"missed\": 3}",
		    "fired 2026-04-22T00:00:00+02:00 (3 missed)" },
		{ "{}", "pending" },
	};
	json_t	*j;
	char	*s;
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		j = parse(cases[i].in);
		s = ctl_print_rung_status(j);
		assert_string_equal(s, cases[i].out);
		free(s);
		json_decref(j);
	}
}

/* Explanations broken at spaces to a width, continued two columns in. */
static void
test_wrapped(void **state)
{
	static const struct {
		const char	*in;
		size_t		 indent;
		size_t		 width;
		const char	*out;
	} cases[] = {
		{ "fits on one line", 4, 40, "    fits on one line\n" },
		{ "rule atw (Algemene termijnenwet): 2026-05-12 is a working "
		    "day", 4, 40,
		    "    rule atw (Algemene termijnenwet):\n"
		    "      2026-05-12 is a working day\n" },
		/* Exactly the width fits. */
		{ "aaaa bbbb", 2, 11, "  aaaa bbbb\n" },
		{ "aaaa bbbb", 2, 10, "  aaaa\n    bbbb\n" },
		/* A word wider than the room stays whole. */
		{ "x 2026-04-29T00:00:00+02:00 y", 2, 12,
		    "  x\n    2026-04-29T00:00:00+02:00\n    y\n" },
		/* Width by characters; control characters cleaned. */
		{ "co\xc3\xb6rdinatie\tok", 0, 13,
		    "co\xc3\xb6rdinatie?ok\n" },
		{ "co\xc3\xb6rdinatie ok", 0, 13, "co\xc3\xb6rdinatie\n  ok\n" },
		{ "", 4, 40, "\n" },
	};
	struct capture	c;
	size_t		i;

	for (i = 0; i < nitems(cases); i++) {
		capture_start(&c);
		ctl_print_wrapped(c.fp, cases[i].in, cases[i].indent,
		    cases[i].width);
		assert_string_equal(capture_end(&c), cases[i].out);
		free(c.buf);
	}
}

/*
 * What a person wrote is shown, never obeyed: control characters, escape
 * sequences, bytes that are not UTF-8 and marks that reorder the text on
 * the screen are shown as escapes a reader can see.
 */
static void
test_safe(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "", "" },
		{ "gezin gebeld", "gezin gebeld" },
		{ "co\xc3\xb6rdinatie \xe2\x82\xac 5", "co\xc3\xb6rdinatie \xe2\x82\xac 5" },
		{ "two\nlines", "two\nlines" },
		{ "crlf\r\nline", "crlf\nline" },
		{ "tab\there", "tab here" },
		{ "\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07" },
		{ "cr\ronly", "cr\\x0donly" },
		{ "del\x7f", "del\\x7f" },
		{ "c1 \xc2\x9b" "31m", "c1 \\u009b" "31m" },
		{ "bad \xff\xfe byte", "bad \\xff\\xfe byte" },
		{ "\xe2\x80\xae" "reversed", "\\u202ereversed" },
		{ "iso \xe2\x81\xa6x\xe2\x81\xa9", "iso \\u2066x\\u2069" },
		{ "ls\xe2\x80\xa8ps\xe2\x80\xa9", "ls\\u2028ps\\u2029" },
		{ "\xc3", "\\xc3" },
	};
	char	*out;
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		out = ctl_print_safe(cases[i].in);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: \"%s\", expected \"%s\"", i, out,
			    cases[i].out);
		free(out);
	}
}

static void
test_problem(void **state)
{
	static const struct {
		long		 status;
		const char	*reason;
		const char	*body;
		const char	*out;
	} cases[] = {
		{ 409, "Conflict", "{\"type\": \"about:blank\", \"title\": "
		    "\"Conflict\", \"status\": 409, \"detail\": \"case 1 is in "
		    "state self_reported, which does not accept event "
		    "family_reported; it accepts: close\", \"state\": "
		    "\"self_reported\", \"accepts\": [\"close\"]}",
		    "termijnctl: 409 Conflict: case 1 is in state "
		    "self_reported, which does not accept event "
		    "family_reported; it accepts: close\n" },
		{ 409, "", "{\"title\": \"Conflict\", \"detail\": \"d\", "
		    "\"state\": \"closed\", \"accepts\": []}",
		    "termijnctl: 409 Conflict: d\n"
		    "termijnctl: state closed accepts: no events\n" },
		{ 404, "Not Found", "{\"title\": \"Not Found\", \"detail\": "
		    "\"no case 99\"}", "termijnctl: 404 Not Found: no case 99\n" },
		/* The flags a person typed, not the API's fields. */
		{ 409, "Conflict", "{\"detail\": \"case 1 is still open; to "
		    "register another on purpose, give \\\"duplicate\\\": "
		    "true\"}", "termijnctl: 409 Conflict: case 1 is still open; "
		    "to register another on purpose, give --duplicate\n" },
		{ 400, "Bad Request", "{\"detail\": \"started_at: timestamp "
		    "\\\"2026-13-01\\\": no such date\"}", "termijnctl: 400 "
		    "Bad Request: --started-at: timestamp \"2026-13-01\": no "
		    "such date\n" },
		{ 400, "Bad Request", "{\"detail\": \"missing field "
		    "\\\"reference\\\"; a team named in the note stays\"}",
		    "termijnctl: 400 Bad Request: missing field --reference; a "
		    "team named in the note stays\n" },
		{ 502, "Bad Gateway", NULL, "termijnctl: 502 Bad Gateway\n" },
		{ 503, "", NULL, "termijnctl: 503 Service Unavailable\n" },
		{ 418, "", "{\"detail\": \"x\\ny\"}",
		    "termijnctl: 418 Error: x?y\n" },
		{ 422, "", "{\"title\": \"Unprocessable Content\", \"detail\": "
		    "\"give \\\"basis\\\", one of: consent, meldcode\", "
		    "\"bases\": [{\"id\": \"consent\", \"article\": \"Jeugdwet "
		    "7.3\", \"description\": \"d\"}, {\"id\": \"meldcode\", "
		    "\"article\": \"Wet meldcode\\u001b\"}]}",
		    "termijnctl: 422 Unprocessable Content: give --basis, one "
		    "of: consent, meldcode\n"
		    "termijnctl: basis consent: Jeugdwet 7.3\n"
		    "termijnctl: basis meldcode: Wet meldcode?\n" },
		{ 422, "", "{\"title\": \"Unprocessable Content\", \"detail\": "
		    "\"Idempotency-Key reused\"}",
		    "termijnctl: 422 Unprocessable Content: Idempotency-Key "
		    "reused\n" },
	};
	struct capture	 c;
	json_t		*j;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		j = cases[i].body != NULL ? parse(cases[i].body) : NULL;
		capture_start(&c);
		ctl_problem_print(c.fp, cases[i].status, cases[i].reason, j);
		assert_string_equal(capture_end(&c), cases[i].out);
		free(c.buf);
		json_decref(j);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_next_due),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_late_age),
		cmocka_unit_test(test_dutch_counts),
		cmocka_unit_test(test_days_left),
		cmocka_unit_test(test_deadline_state_due),
		cmocka_unit_test(test_rung_status),
		cmocka_unit_test(test_wrapped),
		cmocka_unit_test(test_safe),
		cmocka_unit_test(test_problem),
		cmocka_unit_test(test_dutch_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
