/*
 * termijn: simulate_run against the shipped workflows, with dates written
 * from the law (Awb 4:13, the Algemene termijnenwet, domain.md), not from
 * termijn's own output; and its refusals of bad input.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/simulate.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

static struct workflow	*beslis, *zelf;

static int64_t
at(const char *s)
{
	int64_t	ms;

	if (cal_parse_time(s, &ms) == -1)
		fail_msg("bad time in test: %s", s);
	return ms;
}

static struct workflow *
shipped(const char *name)
{
	struct errlist	 errs;
	struct workflow	*wf;
	char		*path;
	const char	*src = getenv("TERMIJN_SOURCE_DIR");

	errlist_init(&errs);
	xasprintf(&path, "%s/workflows/%s.yaml", src ? src : "..", name);
	if ((wf = workflow_load_file(path, &errs)) == NULL)
		fail_msg("%s: %s", path, errs.el_count ? errs.el_msgs[0] : "?");
	errlist_clear(&errs);
	free(path);
	return wf;
}

static int
setup(void **state)
{
	struct errlist	errs;

	(void)state;
	errlist_init(&errs);
	assert_int_equal(calendar_init("Europe/Amsterdam", NULL, &errs), 0);
	errlist_clear(&errs);
	beslis = shipped("beslistermijn");
	zelf = shipped("zelfmelding");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	workflow_free(beslis);
	workflow_free(zelf);
	return 0;
}

/* Run a simulation that must succeed. */
static json_t *
run(const struct workflow *wf, const char *start, const struct sim_event *ev,
    size_t n)
{
	struct sim_input	 in;
	struct engine_error	 ee;
	json_t			*o;

	memset(&in, 0, sizeof(in));
	in.si_workflow = wf;
	in.si_start = at(start);
	in.si_events = ev;
	in.si_nevents = n;
	if ((o = simulate_run(&in, &ee)) == NULL)
		fail_msg("simulate: %s", ee.ee_msg);
	return o;
}

/* A simulation that must be refused: its message. */
static const char *
refused(const struct workflow *wf, const char *start,
    const struct sim_event *ev, size_t n)
{
	static struct engine_error	 ee;
	struct sim_input		 in;

	memset(&in, 0, sizeof(in));
	in.si_workflow = wf;
	in.si_start = at(start);
	in.si_events = ev;
	in.si_nevents = n;
	assert_null(simulate_run(&in, &ee));
	assert_int_equal(ee.ee_status, ENGINE_EINVAL);
	return ee.ee_msg;
}

static const char *
str(json_t *o, const char *path)
{
	json_t	*v = o;
	char	*copy = xstrdup(path), *p = copy, *tok;

	while (v != NULL && (tok = strsep(&p, ".")) != NULL)
		v = (*tok >= '0' && *tok <= '9') ?
		    json_array_get(v, (size_t)atoi(tok)) :
		    json_object_get(v, tok);
	free(copy);
	if (!json_is_string(v))
		fail_msg("%s: not a string", path);
	return json_string_value(v);
}

/*
 * Awb 4:13: 8 weeks from Saturday 17 January 2026 end on Saturday 14
 * March; Atw art. 1 moves the last day to Monday 16 March, so the case is
 * overdue from Tuesday 17 March, 00:00.
 */
static void
test_saturday_to_monday(void **state)
{
	json_t	*o;

	(void)state;
	o = run(beslis, "2026-01-17", NULL, 0);
	assert_string_equal(str(o, "deadlines.0.due"), "2026-03-16");
	assert_string_equal(str(o, "deadlines.0.overdue_from"),
	    "2026-03-17T00:00:00+01:00");
	assert_string_equal(str(o, "transitions.1.to"), "overdue");
	assert_string_equal(str(o, "transitions.1.at"),
	    "2026-03-17T00:00:00+01:00");
	assert_string_equal(str(o, "state"), "overdue");
	assert_string_equal(str(o, "state_title"), "Beslistermijn verstreken");
	assert_string_equal(str(o, "ended"), "waiting");
	assert_true(json_array_size(json_object_get(o, "notifications")) >= 3);
	assert_string_equal(str(o, "notifications.2.role"), "supervisor");
	json_decref(o);
}

/*
 * 8 weeks from Monday 2 March 2026 end on Monday 27 April, King's Day
 * (Atw art. 3): Tuesday 28 April.  From Thursday 19 March: Ascension Day,
 * 14 May, then Friday 15 May (equated by decree), the weekend: Monday 18
 * May.  A decision in time closes the case.
 */
static void
test_holidays(void **state)
{
	struct sim_event	 ev[] = {
		{ "decided", 0, NULL, NULL },
	};
	json_t			*o;

	(void)state;
	o = run(beslis, "2026-03-02", NULL, 0);
	assert_string_equal(str(o, "deadlines.0.due"), "2026-04-28");
	json_decref(o);
	ev[0].se_at = at("2026-05-18T16:00");
	o = run(beslis, "2026-03-19", ev, 1);
	assert_string_equal(str(o, "deadlines.0.due"), "2026-05-18");
	assert_string_equal(str(o, "state"), "decided");
	assert_string_equal(str(o, "ended"), "final");
	assert_int_equal(json_array_size(json_object_get(o, "transitions")),
	    2);
	json_decref(o);
}

/*
 * One extension of 6 weeks (Awb 4:14 lid 3; the workflow's "extend"):
 * 14 weeks from Monday 5 January 2026 is Monday 13 April.
 */
static void
test_extension(void **state)
{
	struct sim_event	 ev[] = {
		{ "extend", 0, "advies nodig", NULL },
	};
	json_t			*o;

	(void)state;
	ev[0].se_at = at("2026-02-20");
	o = run(beslis, "2026-01-05", ev, 1);
	assert_string_equal(str(o, "deadlines.0.due"), "2026-04-13");
	assert_string_equal(str(o, "deadlines.0.extensions.0"), "P6W");
	json_decref(o);
}

/*
 * zelfmelding: 6 weeks from Monday 5 January 2026 (an agreement: plain)
 * end on Monday 16 February; then 5 working days from Tuesday 17
 * February: Tuesday 24 February; enforcement from Wednesday 25 February.
 */
static void
test_zelfmelding(void **state)
{
	json_t	*o;

	(void)state;
	o = run(zelf, "2026-01-05T10:00", NULL, 0);
	assert_string_equal(str(o, "deadlines.0.due"), "2026-02-16");
	assert_string_equal(str(o, "deadlines.1.due"), "2026-02-24");
	assert_string_equal(str(o, "transitions.2.to"), "enforcement");
	assert_string_equal(str(o, "transitions.2.at"),
	    "2026-02-25T00:00:00+01:00");
	json_decref(o);
}

/* Bad input is refused, and says which event, when, and why. */
static void
test_refusals(void **state)
{
	struct sim_event	 ev[2];
	struct sim_event	*many;
	const char		*msg;
	size_t			 i;

	(void)state;
	memset(ev, 0, sizeof(ev));
	ev[0].se_name = "family_reported";
	ev[0].se_at = at("2026-01-10");
	msg = refused(beslis, "2026-01-05", ev, 1);
	assert_non_null(strstr(msg, "event 1 (family_reported"));
	assert_non_null(strstr(msg, "state deciding"));
	assert_non_null(strstr(msg, "2026-01-10T00:00:00+01:00"));

	ev[0].se_name = "decided";
	ev[0].se_at = at("2026-02-10");
	ev[1].se_name = "extend";
	ev[1].se_at = at("2026-02-01");
	msg = refused(beslis, "2026-01-05", ev, 2);
	assert_non_null(strstr(msg, "date order"));

	ev[1].se_name = "decided";
	ev[1].se_at = at("2026-02-11");
	msg = refused(beslis, "2026-01-05", ev, 2);
	assert_non_null(strstr(msg, "closed"));

	ev[0].se_at = at("2026-01-01");
	msg = refused(beslis, "2026-01-05", ev, 1);
	assert_non_null(strstr(msg, "before the start"));

	many = xcalloc(SIM_EVENTS_MAX + 1, sizeof(*many));
	for (i = 0; i <= SIM_EVENTS_MAX; i++) {
		many[i].se_name = "extend";
		many[i].se_at = at("2026-01-06");
	}
	msg = refused(beslis, "2026-01-05", many, SIM_EVENTS_MAX + 1);
	assert_non_null(strstr(msg, "too many events"));
	free(many);

	/* The engine's own refusal: a second extension. */
	ev[0].se_name = "extend";
	ev[0].se_at = at("2026-01-06");
	ev[0].se_note = "x";
	ev[1].se_name = "extend";
	ev[1].se_at = at("2026-01-07");
	ev[1].se_note = "x";
	msg = refused(beslis, "2026-01-05", ev, 2);
	assert_non_null(strstr(msg, "event 2 (extend"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_saturday_to_monday),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_extension),
		cmocka_unit_test(test_zelfmelding),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
