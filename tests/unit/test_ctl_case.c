/*
 * termijn: termijnctl's rendering of a case: the case with its deadlines,
 * notifications and participants, a row of the case list, its history.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ctl_fixture.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_case_titles),
		cmocka_unit_test(test_notifications_delivered_or_not),
		cmocka_unit_test(test_case_width),
		cmocka_unit_test(test_case_final),
		cmocka_unit_test(test_case_list),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_transitions_shared),
		cmocka_unit_test(test_transitions_notes),
		cmocka_unit_test(test_case_participants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
