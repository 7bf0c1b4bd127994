/*
 * termijn: termijnctl's rendering of the lists an administrator reads:
 * tokens, teams, the cases a retention run destroyed, the workflows.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ctl_fixture.h"

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
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_admin_lists),
		cmocka_unit_test(test_workflows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
