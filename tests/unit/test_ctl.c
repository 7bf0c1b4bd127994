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
#include "../../daemon/ctl_print.c"
#include "../../daemon/ctl_table.c"

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
	ctl_table_free(t);
}

static void
test_instant(void **state)
{
	static const struct {
		const char	*in;
		int		 ok;
		int64_t		 at;
	} cases[] = {
		{ "2026-02-17T00:00:00+01:00", 1, 1771282800 },
		{ "2026-02-16T23:00:00Z", 1, 1771282800 },
		{ "2026-07-01T00:00:00+02:00", 1, 1782856800 },
		{ "2026-02-17T00:00:00.250+01:00", 1, 1771282800 },
		{ "2026-02-16", 1, 1771200000 },
		{ "2026-13-01", 0, 0 },
		{ "2026-02-17T00:00:00", 0, 0 },	/* no offset */
		{ "2026-02-17T00:00+01:00", 0, 0 },
		{ "tomorrow", 0, 0 },
		{ "", 0, 0 },
	};
	size_t	 i;
	int64_t	 at;

	for (i = 0; i < nitems(cases); i++) {
		if (!cases[i].ok) {
			assert_int_equal(ctl_print_instant(cases[i].in, &at),
			    -1);
			continue;
		}
		assert_int_equal(ctl_print_instant(cases[i].in, &at), 0);
		assert_int_equal(at, cases[i].at);
	}
}

/*
 * The earliest by instant, not by text: 01:30+02:00 comes before
 * 01:00+01:00 (the first is 23:30 UTC, the second 00:00 UTC).
 */
static void
test_next_due(void **state)
{
	json_t		*dls;
	const json_t	*dl;

	dls = parse("[{\"name\": \"a\", \"overdue_from\": "
	    "\"2026-10-25T01:00:00+01:00\"}, {\"name\": \"b\", "
	    "\"overdue_from\": \"2026-10-25T01:30:00+02:00\"}]");
	dl = ctl_print_next_due(dls);
	assert_non_null(dl);
	assert_string_equal(json_string_value(json_object_get(dl, "name")),
	    "b");
	json_decref(dls);

	dls = parse("[]");
	assert_null(ctl_print_next_due(dls));
	json_decref(dls);
	assert_null(ctl_print_next_due(NULL));
}

/* The case of the README, as termijnctl case show prints it. */
static void
test_case(void **state)
{
	struct capture	 c;
	json_t		*j;

	j = parse("{\"id\": 1, \"workflow\": \"zelfmelding\", \"version\": 1,"
	    "\"reference\": \"Z-2026-0042\", \"team\": \"jeugd-noord\","
	    "\"state\": \"awaiting_self_report\", \"final\": false,"
	    "\"started_at\": \"2026-01-05T10:00:00+01:00\","
	    "\"state_since\": \"2026-01-05T10:00:00+01:00\","
	    "\"created_at\": \"2026-01-05T10:00:00+01:00\","
	    "\"updated_at\": \"2026-01-05T10:00:00+01:00\","
	    "\"accepts\": [\"family_reported\"],"
	    "\"deadlines\": [{\"name\": \"awaiting_self_report\","
	    "\"state\": \"awaiting_self_report\", \"period\": \"P6W\","
	    "\"rule\": \"plain\", \"kind\": \"agreement\","
	    "\"then\": \"youth_worker_reports\", \"due\": \"2026-02-16\","
	    "\"overdue_from\": \"2026-02-17T00:00:00+01:00\","
	    "\"overdue\": true}]}");
	capture_start(&c);
	ctl_print_case(c.fp, j);
	assert_string_equal(capture_end(&c),
	    "id:           1\n"
	    "workflow:     zelfmelding\n"
	    "version:      1\n"
	    "reference:    Z-2026-0042\n"
	    "team:         jeugd-noord\n"
	    "state:        awaiting_self_report\n"
	    "final:        no\n"
	    "started at:   2026-01-05T10:00:00+01:00\n"
	    "state since:  2026-01-05T10:00:00+01:00\n"
	    "created at:   2026-01-05T10:00:00+01:00\n"
	    "updated at:   2026-01-05T10:00:00+01:00\n"
	    "\n"
	    "NAME                  DUE                   OVERDUE FROM"
	    "               THEN\n"
	    "awaiting_self_report  2026-02-16 (overdue)  "
	    "2026-02-17T00:00:00+01:00  youth_worker_reports\n"
	    "\n"
	    "accepts: family_reported\n");
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
	ctl_print_case(c.fp, j);
	out = capture_end(&c);
	assert_non_null(strstr(out, "state:        closed\n"));
	assert_non_null(strstr(out, "workflow:     -\n"));
	assert_non_null(strstr(out, "\nno running deadlines\n"));
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
	    "\"state\": \"closed\", \"deadlines\": []}]");
	t = ctl_print_cases_new();
	ctl_print_cases_add(t, json_array_get(j, 0));
	ctl_print_cases_add(t, json_array_get(j, 1));
	capture_start(&c);
	ctl_table_print(t, c.fp);
	assert_string_equal(capture_end(&c),
	    "ID  WORKFLOW      VERSION  REFERENCE  TEAM         STATE"
	    "                 NEXT DUE\n"
	    "1   zelfmelding   1        Z-1        jeugd-noord  "
	    "awaiting_self_report  2026-02-16\n"
	    "12  stabilisatie  2        S-?[2J     t            closed"
	    "                -\n");
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
	ctl_print_transitions(c.fp, j);
	assert_string_equal(capture_end(&c),
	    "AT                         FROM  TO  CAUSE     EVENT  ACTOR\n"
	    "2026-01-05T10:00:00+01:00  -     a   create    -      admin\n"
	    "2026-02-17T00:00:00+01:00  a     b   deadline  a      termijnd\n");
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
		    "family_reported; it accepts: close\n"
		    "termijnctl: state self_reported accepts: close\n" },
		{ 409, "", "{\"title\": \"Conflict\", \"detail\": \"d\", "
		    "\"state\": \"closed\", \"accepts\": []}",
		    "termijnctl: 409 Conflict: d\n"
		    "termijnctl: state closed accepts: no events\n" },
		{ 404, "Not Found", "{\"title\": \"Not Found\", \"detail\": "
		    "\"no case 99\"}", "termijnctl: 404 Not Found: no case 99\n" },
		{ 502, "Bad Gateway", NULL, "termijnctl: 502 Bad Gateway\n" },
		{ 503, "", NULL, "termijnctl: 503 Service Unavailable\n" },
		{ 418, "", "{\"detail\": \"x\\ny\"}",
		    "termijnctl: 418 Error: x?y\n" },
	};
	struct capture	 c;
	json_t		*j;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		j = cases[i].body != NULL ? parse(cases[i].body) : NULL;
		capture_start(&c);
		ctl_print_problem(c.fp, cases[i].status, cases[i].reason, j);
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
		cmocka_unit_test(test_instant),
		cmocka_unit_test(test_next_due),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_case_final),
		cmocka_unit_test(test_case_list),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_problem),
		cmocka_unit_test(test_workflows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
