/* termijn: termijnctl's pure helpers: tables, terminal hygiene, rendering. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/*
 * The test target links only the core library, and these helpers belong to
 * termijnctl, so their sources are compiled in here.  They do no network
 * I/O: ctl_api.c, which does, stays out.
 */
#include "../../daemon/termijnctl/ctl_late.c"
#include "../../daemon/termijnctl/ctl_flags.c"
#include "../../daemon/termijnctl/ctl_notify.c"
#include "../../daemon/termijnctl/ctl_print.c"
#include "../../daemon/termijnctl/ctl_print_case.c"
#include "../../daemon/termijnctl/ctl_problem.c"
#include "../../daemon/termijnctl/ctl_table.c"
#include "../../daemon/termijnctl/ctl_title.c"

/* What a print function wrote, as one allocated string. */
struct capture {
	char	*buf;
	size_t	 len;
	FILE	*fp;
};

static void
capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	if ((c->fp = open_memstream(&c->buf, &c->len)) == NULL)
		fail_msg("open_memstream");
}

static const char *
capture_end(struct capture *c)
{
	fclose(c->fp);
	return c->buf;
}

static json_t *
parse(const char *s)
{
	json_error_t	 e;
	json_t		*j;

	if ((j = json_loads(s, 0, &e)) == NULL)
		fail_msg("bad JSON in test: %s", e.text);
	return j;
}

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
 * A case like the README's, as termijnctl case show prints it: a running
 * deadline with its explanation and ladder, a suspended one, and the
 * notifications.
 */
static void
test_case(void **state)
{
	struct capture	 c;
	json_t		*j;

	j = parse("{\"id\": 1, \"workflow\": \"beslistermijn\", \"version\": 1,"
	    "\"reference\": \"B-2026-0042\", \"team\": \"vergunningen\","
	    "\"state\": \"deciding\", \"final\": false,"
	    "\"started_at\": \"2026-03-02T10:00:00+01:00\","
	    "\"state_since\": \"2026-03-02T10:00:00+01:00\","
	    "\"created_at\": \"2026-03-02T10:00:00+01:00\","
	    "\"updated_at\": \"2026-04-22T00:00:00+02:00\","
	    "\"accepts\": [\"request_completion\", \"decided\"],"
	    "\"deadlines\": [{\"name\": \"decision\","
	    "\"state\": \"deciding\", \"period\": \"P8W\","
	    "\"rule\": \"atw\", \"kind\": \"decision\","
	    "\"then\": \"overdue\", \"due\": \"2026-04-28\","
	    "\"overdue_from\": \"2026-04-29T00:00:00+02:00\","
	    "\"overdue\": false, \"running\": true, \"passed\": false,"
	    "\"time_left_seconds\": 604800, \"extensions\": [\"P6W\"],"
	    "\"explanation\": [\"8 weeks from 2026-03-02: raw end 2026-04-27\","
	    "\"2026-04-27 is King's Day, so 2026-04-28\"],"
	    "\"rungs\": [{\"name\": \"before_P1W\", \"seq\": 1,"
	    "\"at\": \"2026-04-22T00:00:00+02:00\", \"fired\": true,"
	    "\"fired_at\": \"2026-04-22T00:00:00+02:00\"},"
	    "{\"name\": \"due\", \"seq\": 1,"
	    "\"at\": \"2026-04-29T00:00:00+02:00\", \"fired\": false}]},"
	    "{\"name\": \"payment\", \"state\": null, \"period\": \"P6W\","
	    "\"rule\": \"atw\", \"kind\": \"statutory\", \"then\": null,"
	    "\"due\": null, \"overdue_from\": null, \"overdue\": false,"
	    "\"running\": false, \"passed\": false,"
	    "\"time_left_seconds\": 4283999, \"extensions\": [],"
	    "\"explanation\": [], \"rungs\": [],"
	    "\"suspended_since\": \"2026-03-10T09:00:00+01:00\"}],"
	    "\"notifications\": [{\"role\": \"caseworker\","
	    "\"deadline\": \"decision\", \"rung\": \"before_P1W\", \"seq\": 1,"
	    "\"at\": \"2026-04-22T00:00:00+02:00\","
	    "\"created_at\": \"2026-04-22T00:00:00+02:00\"},"
	    "{\"role\": \"supervisor\", \"deadline\": \"decision\","
	    "\"rung\": \"every\", \"seq\": 4, \"missed\": 2,"
	    "\"at\": \"2026-05-22T00:00:00+02:00\","
	    "\"created_at\": \"2026-05-23T09:00:00+02:00\"}]}");
	capture_start(&c);
	ctl_print_case(c.fp, j, NULL, CTL_NOTE_WIDTH);
	assert_string_equal(capture_end(&c),
	    "id:           1\n"
	    "workflow:     beslistermijn\n"
	    "version:      1\n"
	    "reference:    B-2026-0042\n"
	    "team:         vergunningen\n"
	    "state:        deciding\n"
	    "final:        no\n"
	    "started at:   2026-03-02T10:00:00+01:00\n"
	    "state since:  2026-03-02T10:00:00+01:00\n"
	    "created at:   2026-03-02T10:00:00+01:00\n"
	    "updated at:   2026-04-22T00:00:00+02:00\n"
	    "\n"
	    "deadline decision, of state deciding\n"
	    "  state:       running\n"
	    "  due:         2026-04-28, overdue from 2026-04-29T00:00:00+02:00\n"
	    "  time left:   7 days\n"
	    "  kind:        decision\n"
	    "  rule:        atw\n"
	    "  period:      P8W\n"
	    "  then:        overdue\n"
	    "  extensions:  P6W\n"
	    "  explanation:\n"
	    "    8 weeks from 2026-03-02: raw end 2026-04-27\n"
	    "    2026-04-27 is King's Day, so 2026-04-28\n"
	    "  ladder:\n"
	    "    RUNG        SEQ  AT                         STATUS\n"
	    "    before_P1W  1    2026-04-22T00:00:00+02:00  "
	    "fired 2026-04-22T00:00:00+02:00\n"
	    "    due         1    2026-04-29T00:00:00+02:00  pending\n"
	    "\n"
	    "deadline payment, of the case\n"
	    "  state:       suspended since 2026-03-10T09:00:00+01:00\n"
	    "  due:         suspended, 49 days left\n"
	    "  kind:        statutory\n"
	    "  rule:        atw\n"
	    "  period:      P6W\n"
	    "  then:        -\n"
	    "  extensions:  none\n"
	    "  ladder: none pending; its rungs wait while it is suspended\n"
	    "\n"
	    "notifications:\n"
	    "  AT                         ROLE        DEADLINE  RUNG        "
	    "SEQ  MISSED\n"
	    "  2026-04-22T00:00:00+02:00  caseworker  decision  before_P1W  "
	    "1    -\n"
	    "  2026-05-22T00:00:00+02:00  supervisor  decision  every       "
	    "4    2\n"
	    "\n"
	    "accepts:\n"
	    "  request_completion\n"
	    "  decided\n");
	free(c.buf);
	json_decref(j);
}

/*
 * The same case from a termijnd that gives titles: names are shown as
 * people read them; the workflow, the state and the events, which a
 * person types next, with their names; the ladder, the notifications and
 * what passed by their titles.  A name without a title stays itself.
 */
static void
test_case_titles(void **state)
{
	struct capture	 c;
	json_t		*j;

	j = parse("{\"id\": 1, \"workflow\": \"beslistermijn\","
	    "\"workflow_title\": \"Beslissing op een aanvraag\", \"version\": 3,"
	    "\"reference\": \"B-2026-0042\", \"team\": \"vergunningen\","
	    "\"state\": \"overdue\", \"state_title\": \"Beslistermijn "
	    "verstreken\", \"final\": false,"
	    "\"started_at\": \"2026-03-02T10:00:00+01:00\","
	    "\"state_since\": \"2026-04-29T00:00:00+02:00\","
	    "\"created_at\": \"2026-03-02T10:00:00+01:00\","
	    "\"updated_at\": \"2026-04-29T00:00:00+02:00\","
	    "\"accepts\": [\"decided\", \"close\"],"
	    "\"event_titles\": {\"decided\": \"Besluit genomen\", "
	    "\"close\": null},"
	    "\"deadlines\": [{\"name\": \"payment\", \"title\": "
	    "\"Betaaltermijn\", \"state\": null, \"state_title\": null,"
	    "\"period\": \"P6W\", \"rule\": \"atw\", \"kind\": \"statutory\","
	    "\"then\": null, \"then_title\": null, \"due\": \"2026-06-10\","
	    "\"overdue_from\": \"2026-06-11T00:00:00+02:00\","
	    "\"overdue\": false, \"running\": true, \"passed\": false,"
	    "\"time_left_seconds\": 3600000, \"extensions\": [],"
	    "\"explanation\": [], \"rungs\": [{\"name\": \"after_P1D\","
	    "\"title\": \"1 dag erna\", \"seq\": 1,"
	    "\"at\": \"2026-06-12T00:00:00+02:00\", \"fired\": false}]}],"
	    "\"passed_deadlines\": [{\"name\": \"decision\", \"title\": "
	    "\"Beslistermijn\", \"state\": \"deciding\", \"state_title\": "
	    "\"Consulent bereidt het besluit voor\", \"then\": \"overdue\","
	    "\"then_title\": \"Beslistermijn verstreken\","
	    "\"due\": \"2026-04-28\", \"overdue\": true, \"overdue_days\": 1,"
	    "\"overdue_working_days\": 1}],"
	    "\"notifications\": [{\"role\": \"caseworker\", \"role_title\": "
	    "\"consulent\", \"deadline\": \"decision\", \"deadline_title\": "
	    "\"Beslistermijn\", \"rung\": \"before_P1W\", \"rung_title\": "
	    "\"1 week vooraf\", \"seq\": 1,"
	    "\"at\": \"2026-04-22T00:00:00+02:00\","
	    "\"created_at\": \"2026-04-22T00:00:00+02:00\"}]}");
	capture_start(&c);
	ctl_print_case(c.fp, j, NULL, CTL_NOTE_WIDTH);
	assert_string_equal(capture_end(&c),
	    "id:           1\n"
	    "workflow:     Beslissing op een aanvraag (beslistermijn)\n"
	    "version:      3\n"
	    "reference:    B-2026-0042\n"
	    "team:         vergunningen\n"
	    "state:        Beslistermijn verstreken (overdue)\n"
	    "final:        no\n"
	    "started at:   2026-03-02T10:00:00+01:00\n"
	    "state since:  2026-04-29T00:00:00+02:00\n"
	    "created at:   2026-03-02T10:00:00+01:00\n"
	    "updated at:   2026-04-29T00:00:00+02:00\n"
	    "\n"
	    "deadline Betaaltermijn (payment), of the case\n"
	    "  state:       running\n"
	    "  due:         2026-06-10, overdue from 2026-06-11T00:00:00+02:00\n"
	    "  time left:   41 days 16 hours\n"
	    "  kind:        statutory\n"
	    "  rule:        atw\n"
	    "  period:      P6W\n"
	    "  then:        -\n"
	    "  extensions:  none\n"
	    "  ladder:\n"
	    "    RUNG        SEQ  AT                         STATUS\n"
	    "    1 dag erna  1    2026-06-12T00:00:00+02:00  pending\n"
	    "\n"
	    "passed deadlines:\n"
	    "  DEADLINE       DUE         THEN                      LATE\n"
	    "  Beslistermijn  2026-04-28  Beslistermijn verstreken  "
	    "1 day (1 working)\n"
	    "\n"
	    "notifications:\n"
	    "  AT                         ROLE       DEADLINE       RUNG"
	    "           SEQ  MISSED\n"
	    "  2026-04-22T00:00:00+02:00  consulent  Beslistermijn  1 week vooraf"
	    "  1    -\n"
	    "\n"
	    "accepts:\n"
	    "  decided  Besluit genomen\n"
	    "  close\n");
	free(c.buf);
	json_decref(j);
}

/*
 * Under each notification, what became of it: a line per team, sent,
 * waiting, failed or never sent for want of a webhook; a long line wraps
 * within 100 columns.
 */
static void
test_notifications_delivered_or_not(void **state)
{
	struct capture	 c;
	json_t		*j;

	j = parse("[{\"role\": \"enforcement\", \"deadline\": \"x\","
	    "\"rung\": \"at_due\", \"seq\": 1,"
	    "\"at\": \"2026-02-25T00:00:00+01:00\","
	    "\"deliveries\": [{\"outbox\": 1, \"team\": \"handhaving\","
	    "\"status\": \"delivered\", \"attempts\": 1, \"next_at\": null,"
	    "\"last_error\": null,"
	    "\"delivered_at\": \"2026-02-25T00:00:01.250+01:00\"},"
	    "{\"outbox\": 2, \"team\": \"wonen\", \"status\": \"pending\","
	    "\"attempts\": 0, \"next_at\": \"2026-02-25T00:00:00+01:00\","
	    "\"last_error\": null, \"delivered_at\": null},"
	    "{\"outbox\": 3, \"team\": \"regio-handhaving-west-en-noord\","
	    "\"status\": \"pending\", \"attempts\": 2,"
	    "\"next_at\": \"2026-02-25T00:02:00+01:00\","
	    "\"last_error\": \"Couldn't connect to server\","
	    "\"delivered_at\": null},"
	    "{\"outbox\": 4, \"team\": \"inkomen\", \"status\": \"dead\","
	    "\"attempts\": 1, \"next_at\": null,"
	    "\"last_error\": \"HTTP 503\\u001b[2J\", \"delivered_at\": null}],"
	    "\"not_sent\": {\"reason\": \"no_webhook\","
	    "\"teams\": [\"a\", \"b\"],"
	    "\"detail\": \"not sent: no webhook for role enforcement of teams a"
	    " and b\"}},"
	    "{\"role\": \"supervisor\", \"deadline\": \"x\","
	    "\"rung\": \"after_P2D\", \"seq\": 1,"
	    "\"at\": \"2026-02-27T00:00:00+01:00\", \"deliveries\": [],"
	    "\"not_sent\": null}]");
	capture_start(&c);
	ctl_notify_print(c.fp, j);
	assert_string_equal(capture_end(&c),
	    "notifications:\n"
	    "  AT                         ROLE         DEADLINE  RUNG       SEQ"
	    "  MISSED\n"
	    "  2026-02-25T00:00:00+01:00  enforcement  x         at_due     1  "
	    "  -\n"
	    "    sent to team handhaving at 2026-02-25T00:00:01.250+01:00\n"
	    "    waiting for team wonen: first attempt at"
	    " 2026-02-25T00:00:00+01:00\n"
	    "    waiting for team regio-handhaving-west-en-noord: next attempt"
	    " at 2026-02-25T00:02:00+01:00, 2\n"
	    "      attempts failed (last: Couldn't connect to server)\n"
	    "    failed for team inkomen after 1 attempt: HTTP 503?[2J\n"
	    "    not sent: no webhook for role enforcement of teams a and b\n"
	    "  2026-02-27T00:00:00+01:00  supervisor   x         after_P2D  1  "
	    "  -\n");
	free(c.buf);
	json_decref(j);

	capture_start(&c);
	ctl_notify_print(c.fp, NULL);
	assert_string_equal(capture_end(&c), "no notifications\n");
	free(c.buf);
}

/* Every line of a busy case fits in 100 columns. */
static void
test_case_width(void **state)
{
	struct capture	 c;
	json_t		*j;
	const char	*out, *nl;

	j = parse("{\"id\": 2, \"deadlines\": [{\"name\": \"forfeiture\","
	    "\"state\": \"penalty_running\", \"period\": \"P6W\","
	    "\"rule\": \"atw\", \"kind\": \"statutory\","
	    "\"due\": \"2026-05-12\","
	    "\"overdue_from\": \"2026-05-13T00:00:00+02:00\","
	    "\"running\": true, \"passed\": true, \"overdue\": true,"
	    "\"overdue_days\": 23, \"overdue_working_days\": 16,"
	    "\"overdue_seconds\": 1987261, \"escalated_to\": null,"
	    "\"time_left_seconds\": -1987261, \"extensions\": [],"
	    "\"explanation\": [\"rule atw (Algemene termijnenwet): 2026-05-12"
	    " is a working day and the period holds two, no extension\"],"
	    "\"rungs\": [{\"name\": \"forfeit\", \"seq\": 20,"
	    "\"at\": \"2026-03-31T00:00:00+02:00\", \"fired\": true,"
	    "\"fired_at\": \"2026-04-23T00:01:00.074+02:00\", \"missed\": 19}]}],"
	    "\"passed_deadlines\": [{\"name\": \"begunstigingstermijn\","
	    "\"state\": \"compliance\", \"then\": \"reinspection\","
	    "\"due\": \"2026-03-30\","
	    "\"overdue_from\": \"2026-03-31T00:00:00+02:00\","
	    "\"overdue\": false}, {\"name\": \"forfeiture\","
	    "\"state\": \"penalty_running\", \"then\": null,"
	    "\"due\": \"2026-05-12\","
	    "\"overdue_from\": \"2026-05-13T00:00:00+02:00\","
	    "\"overdue\": true, \"overdue_days\": 23,"
	    "\"overdue_working_days\": 16, \"overdue_seconds\": 1987261}],"
	    "\"notifications\": [], \"accepts\": []}");
	capture_start(&c);
	ctl_print_case(c.fp, j, NULL, CTL_NOTE_WIDTH);
	out = capture_end(&c);
	/* Late, as termijnctl overdue says it; no time left to it. */
	assert_non_null(strstr(out, "  late:        23 days (16 working)\n"));
	assert_null(strstr(out, "time left:"));
	/* What passed, what followed, and how late the case is on it. */
	assert_non_null(strstr(out, "\npassed deadlines:\n"
	    "  DEADLINE              DUE         THEN          LATE\n"
	    "  begunstigingstermijn  2026-03-30  reinspection  -\n"
	    "  forfeiture            2026-05-12  -             "
	    "23 days (16 working)\n\n"));
	assert_non_null(strstr(out, "    rule atw (Algemene termijnenwet): "
	    "2026-05-12 is a working day and the period holds two, no\n"
	    "      extension\n"));
	assert_non_null(strstr(out, "\nno notifications\n"));
	for (; *out != '\0'; out = nl + 1) {
		nl = strchr(out, '\n');
		assert_non_null(nl);
		if (nl - out > CTL_PRINT_WIDTH)
			fail_msg("wider than %d: %.*s", CTL_PRINT_WIDTH,
			    (int)(nl - out), out);
	}
	free(c.buf);
	json_decref(j);
}

static void
test_case_final(void **state)
{
	struct capture	 c;
	json_t		*j;
	const char	*out;

	j = parse("{\"id\": 7, \"state\": \"closed\", \"final\": true, "
	    "\"accepts\": [], \"deadlines\": []}");
	capture_start(&c);
	ctl_print_case(c.fp, j, NULL, CTL_NOTE_WIDTH);
	out = capture_end(&c);
	assert_non_null(strstr(out, "state:        closed\n"));
	assert_non_null(strstr(out, "workflow:     -\n"));
	assert_non_null(strstr(out, "\nno deadlines\n"));
	assert_non_null(strstr(out, "\naccepts no events (final state)\n"));
	free(c.buf);
	json_decref(j);
}

static void
test_case_list(void **state)
{
	struct ctl_table	*t;
	struct capture		 c;
	json_t			*j;

	j = parse("[{\"id\": 1, \"workflow\": \"zelfmelding\", \"version\": 1,"
	    "\"reference\": \"Z-1\", \"team\": \"jeugd-noord\","
	    "\"state\": \"awaiting_self_report\", \"deadlines\": ["
	    "{\"due\": \"2026-02-16\", \"overdue_from\": "
	    "\"2026-02-17T00:00:00+01:00\", \"overdue\": false}]},"
	    "{\"id\": 12, \"workflow\": \"stabilisatie\", \"version\": 2,"
	    "\"reference\": \"S-\\u001b[2J\", \"team\": \"t\","
	    "\"state\": \"closed\", \"deadlines\": []},"
	    "{\"id\": 13, \"workflow\": \"beslistermijn\", \"version\": 1,"
	    "\"reference\": \"B-1\", \"team\": \"t\", \"state\": \"deciding\","
	    "\"deadlines\": [{\"running\": false, \"due\": null}]},"
	    "{\"id\": 14, \"workflow\": \"beslistermijn\", \"version\": 1,"
	    "\"reference\": \"B-2\", \"team\": \"t\", \"state\": \"deciding\","
	    "\"deadlines\": [{\"running\": false, \"due\": null},"
	    "{\"running\": true, \"due\": \"2026-01-09\", \"overdue_from\":"
	    "\"2026-01-10T00:00:00+01:00\", \"overdue\": true}]}]");
	t = ctl_print_cases_new();
	ctl_print_cases_add(t, json_array_get(j, 0));
	ctl_print_cases_add(t, json_array_get(j, 1));
	ctl_print_cases_add(t, json_array_get(j, 2));
	ctl_print_cases_add(t, json_array_get(j, 3));
	capture_start(&c);
	ctl_table_print(t, c.fp);
	assert_string_equal(capture_end(&c),
	    "ID  WORKFLOW       VERSION  REFERENCE  TEAM         STATE"
	    "                 NEXT DUE\n"
	    "1   zelfmelding    1        Z-1        jeugd-noord  "
	    "awaiting_self_report  2026-02-16\n"
	    "12  stabilisatie   2        S-?[2J     t            closed"
	    "                -\n"
	    "13  beslistermijn  1        B-1        t            deciding"
	    "              suspended\n"
	    "14  beslistermijn  1        B-2        t            deciding"
	    "              2026-01-09 (overdue)\n");
	free(c.buf);
	ctl_table_free(t);
	json_decref(j);
}

static void
test_transitions(void **state)
{
	struct capture	 c;
	json_t		*j;

	j = parse("[{\"from\": null, \"to\": \"a\", \"cause\": \"create\","
	    "\"event\": null, \"actor\": \"admin\","
	    "\"at\": \"2026-01-05T10:00:00+01:00\"},"
	    "{\"from\": \"a\", \"to\": \"b\", \"cause\": \"deadline\","
	    "\"event\": \"a\", \"actor\": \"termijnd\","
	    "\"at\": \"2026-02-17T00:00:00+01:00\"}]");
	capture_start(&c);
	ctl_print_transitions(c.fp, j, 0, CTL_NOTE_WIDTH);
	assert_string_equal(capture_end(&c),
	    "ID  AT                         FROM  TO  CAUSE     EVENT  ACTOR\n"
	    "-   2026-01-05T10:00:00+01:00  -     a   create    -      admin\n"
	    "-   2026-02-17T00:00:00+01:00  a     b   deadline  a      termijnd\n");
	free(c.buf);
	json_decref(j);
}

/* A history in which teams were let in shows on which basis, and who. */
static void
test_transitions_shared(void **state)
{
	struct capture	 c;
	json_t		*j;

	j = parse("[{\"id\": 1, \"from\": null, \"to\": \"a\","
	    "\"cause\": \"create\", \"event\": null, \"actor\": \"yw\","
	    "\"at\": \"2026-01-05T10:00:00+01:00\"},"
	    "{\"id\": 2, \"from\": \"a\", \"to\": \"a\", \"cause\": \"share\","
	    "\"event\": null, \"actor\": \"yw\", \"basis\": \"consent\","
	    "\"team\": \"handhaving\", \"note\": \"the purpose, as given\","
	    "\"at\": \"2026-01-06T10:00:00+01:00\"},"
	    "{\"id\": 3, \"from\": \"a\", \"to\": \"a\","
	    "\"cause\": \"coordinate\", \"event\": null, \"actor\": \"yw\","
	    "\"team\": \"handhaving\","
	    "\"at\": \"2026-01-07T10:00:00+01:00\"}]");
	capture_start(&c);
	ctl_print_transitions(c.fp, j, 0, CTL_NOTE_WIDTH);
	assert_string_equal(capture_end(&c),
	    "ID  AT                         FROM  TO  CAUSE       EVENT  ACTOR  "
	    "BASIS    TEAM\n"
	    "1   2026-01-05T10:00:00+01:00  -     a   create      -      yw     "
	    "-        -\n"
	    "2   2026-01-06T10:00:00+01:00  a     a   share       -      yw     "
	    "consent  handhaving\n"
	    "    note: the purpose, as given\n"
	    "3   2026-01-07T10:00:00+01:00  a     a   coordinate  -      yw     "
	    "-        handhaving\n");
	free(c.buf);
	json_decref(j);
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

/*
 * Notes under their rows: wrapped to the width, lined up under the first
 * word, a line end kept, blank lines left out; a correction's note is its
 * reason, and says which transition it corrects.
 */
static void
test_transitions_notes(void **state)
{
	struct capture	 c;
	json_t		*j, *cs;
	char		*note;

	note = ctl_print_note("note", "one two three four five six seven"
	    " eight nine ten", 4, 30);
	assert_string_equal(note,
	    "    note: one two three four\n"
	    "          five six seven eight\n"
	    "          nine ten\n");
	free(note);
	note = ctl_print_note("note", "first\n\n  \nsecond line\n", 0, 72);
	assert_string_equal(note, "note: first\n      second line\n");
	free(note);
	assert_null(ctl_print_note("note", NULL, 4, 72));
	assert_null(ctl_print_note("note", " \n ", 4, 72));
	note = ctl_print_note("note", "a https://example.org/a/very/long/path b",
	    2, 20);
	assert_string_equal(note, "  note: a\n"
	    "        https://example.org/a/very/long/path\n"
	    "        b\n");
	free(note);

	j = parse("[{\"id\": 7, \"from\": null, \"to\": \"a\","
	    "\"cause\": \"create\", \"event\": null, \"actor\": \"cw\","
	    "\"at\": \"2026-01-05T10:00:00+01:00\"},"
	    "{\"id\": 8, \"from\": \"a\", \"to\": \"b\", \"cause\": \"event\","
	    "\"event\": \"reported\", \"actor\": \"cw\","
	    "\"note\": \"het gezin heeft de inkomsten aan de balie gemeld;"
	    " het formulier volgt \\u001b[31mper post\","
	    "\"at\": \"2026-01-06T10:00:00+01:00\"},"
	    "{\"id\": 9, \"from\": \"b\", \"to\": \"a\","
	    "\"cause\": \"correction\", \"event\": null, \"actor\": \"sup\","
	    "\"corrects\": 8, \"note\": \"verkeerde zaak\","
	    "\"at\": \"2026-01-06T11:00:00+01:00\"}]");
	capture_start(&c);
	ctl_print_transitions(c.fp, j, 2, 60);
	assert_string_equal(capture_end(&c),
	    "  ID  AT                         FROM  TO  CAUSE       EVENT     ACTOR"
	    "  CORRECTS\n"
	    "  7   2026-01-05T10:00:00+01:00  -     a   create      -         cw"
	    "     -\n"
	    "  8   2026-01-06T10:00:00+01:00  a     b   event       reported  cw"
	    "     -\n"
	    "      note: het gezin heeft de inkomsten aan de balie\n"
	    "            gemeld; het formulier volgt \\x1b[31mper post\n"
	    "  9   2026-01-06T11:00:00+01:00  b     a   correction  -         sup"
	    "    8\n"
	    "      reason: verkeerde zaak\n");
	free(c.buf);

	/* case show: the history between the notifications and the events. */
	cs = parse("{\"id\": 3, \"accepts\": [\"close\"], \"deadlines\": [],"
	    "\"notifications\": []}");
	capture_start(&c);
	ctl_print_case(c.fp, cs, j, 72);
	assert_non_null(strstr(capture_end(&c), "\n\nno notifications\n\n"
	    "history:\n  ID  AT "));
	assert_non_null(strstr(c.buf, "\n      reason: verkeerde zaak\n\n"
	    "accepts:\n  close\n"));
	free(c.buf);
	json_decref(cs);
	json_decref(j);
}

/* Who coordinates a case and which teams take part in it, on what basis. */
static void
test_case_participants(void **state)
{
	struct capture	 c;
	json_t		*j;
	const char	*out;

	j = parse("{\"id\": 3, \"team\": \"jeugd\", \"coordinator\":"
	    "\"handhaving\", \"state\": \"stabilising\", \"final\": false,"
	    "\"accepts\": [], \"deadlines\": [], \"notifications\": [],"
	    "\"participants\": [{\"team\": \"handhaving\", \"basis\":"
	    "\"consent\", \"since\": \"2026-01-06T10:00:00+01:00\","
	    "\"added_by\": \"yw\", \"purpose\": \"onderzoek\"}]}");
	capture_start(&c);
	ctl_print_case(c.fp, j, NULL, CTL_NOTE_WIDTH);
	out = capture_end(&c);
	assert_non_null(strstr(out, "team:         jeugd\n"
	    "coordinator:  handhaving\nstate:"));
	assert_non_null(strstr(out, "\n\nparticipants:\n"
	    "  TEAM        BASIS    SINCE\n"
	    "  handhaving  consent  2026-01-06T10:00:00+01:00\n\n"
	    "no deadlines\n"));
	free(c.buf);
	json_decref(j);

	/* None: said so; a server from before sharing: nothing at all. */
	j = parse("{\"id\": 4, \"coordinator\": \"jeugd\","
	    "\"participants\": []}");
	capture_start(&c);
	ctl_print_case(c.fp, j, NULL, CTL_NOTE_WIDTH);
	out = capture_end(&c);
	assert_non_null(strstr(out, "\n\nno participants\n\n"));
	free(c.buf);
	json_decref(j);
	j = parse("{\"id\": 5}");
	capture_start(&c);
	ctl_print_case(c.fp, j, NULL, CTL_NOTE_WIDTH);
	out = capture_end(&c);
	assert_null(strstr(out, "coordinator"));
	assert_null(strstr(out, "participants"));
	free(c.buf);
	json_decref(j);
}

/* Tokens: teams joined, "never" expires, "(expired)" by the clock given. */
static void
test_tokens(void **state)
{
	struct capture	 c;
	json_t		*j;
	int64_t		 now;

	assert_int_equal(cal_parse_time("2026-06-01T12:00:00+02:00", &now), 0);
	j = parse("[{\"name\": \"admin\", \"role\": \"admin\", \"teams\": [],"
	    "\"created_at\": \"2026-01-05T10:00:00+01:00\", \"expires_at\":"
	    "\"2027-01-05T10:00:00+01:00\", \"last_used_at\":"
	    "\"2026-05-31T09:00:00+02:00\", \"revoked_at\": null,"
	    "\"display_name\": null},"
	    "{\"name\": \"yw\", \"role\": \"youth_worker\", \"teams\":"
	    "[\"jeugd\", \"t\"], \"created_at\": \"2026-01-05T10:00:00+01:00\","
	    "\"expires_at\": \"2026-02-01T00:00:00+01:00\", \"last_used_at\":"
	    "null, \"revoked_at\": \"2026-01-06T10:00:00+01:00\","
	    "\"display_name\": \"Jeugdhulpverlener 1\"},"
	    "{\"name\": \"bot\", \"role\": \"reader\", \"teams\": [\"t\"],"
	    "\"created_at\": \"2026-01-05T10:00:00+01:00\", \"expires_at\":"
	    "null, \"last_used_at\": null, \"revoked_at\": null}]");
	capture_start(&c);
	ctl_print_tokens(c.fp, j, now);
	/* A display name not given, null, or from before them, none. */
	assert_string_equal(capture_end(&c),
	    "NAME   DISPLAY NAME         ROLE          TEAMS    CREATED        "
	    "            EXPIRES                              LAST USED      "
	    "            REVOKED\n"
	    "admin  -                    admin         -        2026-01-05T10:0"
	    "0:00+01:00  2027-01-05T10:00:00+01:00            2026-05-31T09:00"
	    ":00+02:00  -\n"
	    "yw     Jeugdhulpverlener 1  youth_worker  jeugd,t  2026-01-05T10:0"
	    "0:00+01:00  2026-02-01T00:00:00+01:00 (expired)  -              "
	    "            2026-01-06T10:00:00+01:00\n"
	    "bot    -                    reader        t        2026-01-05T10:0"
	    "0:00+01:00  never                                -              "
	    "            -\n");
	free(c.buf);
	json_decref(j);
}

/* Teams, who read a case, and what retention destroyed. */
static void
test_admin_lists(void **state)
{
	struct ctl_table	*t;
	struct capture		 c;
	json_t			*j;

	j = parse("[{\"name\": \"jeugd\", \"title\": \"Jeugd Noord\","
	    "\"organisation\": \"Gemeente X\", \"created_at\":"
	    "\"2026-01-05T10:00:00+01:00\"}, {\"name\": \"t\", \"title\":"
	    "\"T\", \"created_at\": \"2026-01-05T10:00:00+01:00\"}]");
	capture_start(&c);
	ctl_print_teams(c.fp, j);
	assert_string_equal(capture_end(&c),
	    "NAME   TITLE        ORGANISATION  CREATED\n"
	    "jeugd  Jeugd Noord  Gemeente X    2026-01-05T10:00:00+01:00\n"
	    "t      T            -             2026-01-05T10:00:00+01:00\n");
	free(c.buf);
	json_decref(j);

	j = parse("[{\"at\": \"2026-01-05T10:00:00+01:00\", \"token\": \"sup\","
	    "\"role\": \"supervisor\", \"teams\": \"jeugd\", \"what\":"
	    "\"export\", \"request\": \"r-1\", \"purpose\": \"inzage 17\"},"
	    "{\"at\": \"2026-01-05T11:00:00+01:00\", \"token\": \"yw\","
	    "\"role\": \"youth_worker\", \"teams\": \"jeugd,t\", \"what\":"
	    "\"case\"}]");
	t = ctl_print_reads_new();
	ctl_print_reads_add(t, json_array_get(j, 0));
	ctl_print_reads_add(t, json_array_get(j, 1));
	capture_start(&c);
	ctl_table_print(t, c.fp);
	assert_string_equal(capture_end(&c),
	    "AT                         TOKEN  ROLE          TEAMS    WHAT    "
	    "REQUEST  PURPOSE\n"
	    "2026-01-05T10:00:00+01:00  sup    supervisor    jeugd    export  "
	    "r-1      inzage 17\n"
	    "2026-01-05T11:00:00+01:00  yw     youth_worker  jeugd,t  case    "
	    "-        -\n");
	free(c.buf);
	ctl_table_free(t);
	json_decref(j);

	j = parse("[{\"id\": 7, \"workflow\": \"zelfmelding\", \"version\": 3,"
	    "\"team\": \"t\", \"closed_at\": \"2016-01-05T10:00:00+01:00\"}]");
	capture_start(&c);
	ctl_print_destroyed(c.fp, j);
	assert_string_equal(capture_end(&c),
	    "ID  WORKFLOW     VERSION  TEAM  CLOSED AT\n"
	    "7   zelfmelding  3        t     2016-01-05T10:00:00+01:00\n");
	free(c.buf);
	json_decref(j);
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

static void
test_workflows(void **state)
{
	struct capture	 c;
	json_t		*j;

	j = parse("[{\"name\": \"zelfmelding\", \"version\": 1, \"title\": "
	    "\"Self-report\", \"start\": \"a\", \"states\": [{\"name\": "
	    "\"a\"}, {\"name\": \"b\"}]}, {\"name\": \"x\", \"version\": 2,"
	    "\"start\": \"s\", \"states\": [\"s\", \"t\"]}]");
	capture_start(&c);
	ctl_print_workflows(c.fp, j);
	assert_string_equal(capture_end(&c),
	    "NAME         VERSION  START  STATES  TITLE\n"
	    "zelfmelding  1        a      a,b     Self-report\n"
	    "x            2        s      s,t     -\n");
	free(c.buf);
	json_decref(j);
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
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_case_titles),
		cmocka_unit_test(test_notifications_delivered_or_not),
		cmocka_unit_test(test_case_width),
		cmocka_unit_test(test_case_final),
		cmocka_unit_test(test_case_list),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_transitions_shared),
		cmocka_unit_test(test_safe),
		cmocka_unit_test(test_transitions_notes),
		cmocka_unit_test(test_case_participants),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_admin_lists),
		cmocka_unit_test(test_problem),
		cmocka_unit_test(test_dutch_problem),
		cmocka_unit_test(test_workflows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
