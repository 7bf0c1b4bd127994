/* termijn: the one definition of late, and how late a deadline is. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "calendar_fixture.h"

#define DEADLINE	7
#define OTHER		8

/*
 * Late: a deadline that passed, on which its open case still waits, in
 * the state its passing moved the case to or in its own.
 */
static void
test_late(void **state)
{
	static const struct {
		const char	*what;
		int		 passed;
		int		 case_scope;
		int		 final;
		int64_t		 escalated_by;
		int64_t		 waiting_by;
		int		 late;
	} cases[] = {
		{ "moved the case on, which is still there", 1, 0, 0,
		    DEADLINE, 0, 1 },
		{ "no then: the case waits in its state", 1, 0, 0,
		    0, DEADLINE, 1 },
		{ "the case waits on another one", 1, 0, 0, OTHER, OTHER, 0 },
		{ "passed, and the case went on since", 1, 0, 0, 0, 0, 0 },
		{ "its moment came, not passed yet", 0, 0, 0, 0, 0, 0 },
		{ "the case closed", 1, 0, 1, DEADLINE, 0, 0 },
		{ "a case deadline: only its rungs fire", 1, 1, 0, 0, 0, 0 },
	};
	struct case_row		c;
	struct deadline_row	d;
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		memset(&c, 0, sizeof(c));
		memset(&d, 0, sizeof(d));
		c.c_id = d.d_case = 3;
		d.d_id = DEADLINE;
		d.d_passed = cases[i].passed;
		d.d_case_scope = cases[i].case_scope;
		c.c_final = cases[i].final;
		c.c_escalated_by = cases[i].escalated_by;
		c.c_waiting_by = cases[i].waiting_by;
		if (engine_late(&c, &d) != cases[i].late)
			fail_msg("%s: late %d, not %d", cases[i].what,
			    engine_late(&c, &d), cases[i].late);
	}
}

/* A local time, { year, month, day, hour, minute }, in ms. */
static int64_t
at(const int *t)
{
	struct cal_date	cd = { t[0], t[1], t[2] };

	return cal_local_midnight(&cd) + ((int64_t)t[3] * 60 + t[4]) * 60000;
}

/*
 * How late: days counted once passed in full, from the local date of the
 * moment; working days among them; seconds since.  On the day it passed,
 * 0 days.
 */
static void
test_lateness(void **state)
{
	static const struct {
		const char	*what;
		const char	*period;
		int		 moment[5];	/* y, m, d, h, min */
		int		 now[5];
		int64_t		 days;
		int64_t		 working;
		int64_t		 seconds;
	} cases[] = {
		{ "passed at midnight, read that morning", "P6W",
		    { 2026, 5, 19, 0, 0 }, { 2026, 5, 19, 10, 0 }, 0, 0,
		    36000 },
		{ "over Ascension Day and the decree day after it", "P8W",
		    { 2026, 5, 7, 0, 0 }, { 2026, 5, 19, 10, 0 }, 12, 6,
		    12 * 86400 + 36000 },
		{ "from February into March", "P5D",
		    { 2026, 2, 25, 0, 0 }, { 2026, 3, 17, 10, 0 }, 20, 14,
		    20 * 86400 + 36000 },
		{ "in hours: elapsed time, no working days", "PT48H",
		    { 2026, 5, 18, 9, 0 }, { 2026, 5, 19, 10, 0 }, 1, -1,
		    90000 },
		{ "in hours, passed that morning", "PT48H",
		    { 2026, 5, 19, 9, 0 }, { 2026, 5, 19, 10, 0 }, 0, -1,
		    3600 },
		{ "a weekend with summer time starting", "P2W",
		    { 2026, 3, 28, 0, 0 }, { 2026, 3, 30, 0, 30 }, 2, 0,
		    2 * 86400 - 3600 + 1800 },
	};
	struct deadline_row	d;
	struct lateness		lt;
	int64_t			now;
	size_t			i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		memset(&d, 0, sizeof(d));
		snprintf(d.d_period, sizeof(d.d_period), "%s",
		    cases[i].period);
		d.d_due = at(cases[i].moment);
		now = at(cases[i].now);
		engine_lateness(&d, now, &lt);
		if (lt.lt_days != cases[i].days ||
		    lt.lt_working_days != cases[i].working ||
		    lt.lt_seconds != cases[i].seconds)
			fail_msg("%s: %lld days, %lld working, %lld s;"
			    " not %lld, %lld, %lld", cases[i].what,
			    (long long)lt.lt_days,
			    (long long)lt.lt_working_days,
			    (long long)lt.lt_seconds, (long long)cases[i].days,
			    (long long)cases[i].working,
			    (long long)cases[i].seconds);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_late),
		cmocka_unit_test(test_lateness),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
