/*
 * termijn: the arithmetic of a penalty per day (Awb 4:17-4:18), against
 * amounts and dates worked out by hand from the articles: EUR 23 a day for
 * days 1-14, 35 for 15-28, 45 for 29-42, at most 42 days (1,442 euro); the
 * first day begins when the two weeks after the notice passed; the day a
 * decision is given is not a penalty day; the amount is fixed within two
 * weeks after the last day due, by the Atw (4:18).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "termijn/calendar.h"
#include "termijn/penalty.h"
#include "termijn/workflow.h"

#include "calendar_fixture.h"

static struct wf_penalty_tier tiers[] = {
	{ 14, 2300, 0 }, { 14, 3500, 0 }, { 14, 4500, 0 },
};
static struct wf_penalty awb = {
	NULL, tiers, 3, 42, { { 2, PU_WEEKS }, PR_ATW, 0 }, NULL, 0, 0, 0,
};

static int64_t
at(int y, int m, int d, int h)
{
	struct cal_date	cd = { y, m, d };

	return cal_local_midnight(&cd) + (int64_t)h * 3600 * 1000;
}

static void
assert_day(const struct cal_date *cd, const char *want)
{
	char	buf[CAL_DATE_LEN];

	cal_date_format(cd, buf);
	assert_string_equal(buf, want);
}

/* The amount after K days, tier by tier and at the cap. */
static void
test_amounts(void **state)
{
	static const struct { int days; int64_t cents; } want[] = {
		{ 0, 0 }, { 1, 2300 }, { 14, 32200 }, { 15, 35700 },
		{ 28, 81200 }, { 29, 85700 }, { 42, 144200 }, { 60, 144200 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(penalty_cents(&awb, want[i].days),
		    want[i].cents);
}

/*
 * Notice received Tuesday 3 March 2026: the first penalty day is
 * Wednesday 18 March (00:00 begins it), the last possible Tuesday 28
 * April.
 */
static void
test_tally_running_and_capped(void **state)
{
	struct penalty_tally	pt;
	char			err[128];

	(void)state;
	assert_int_equal(penalty_tally(&awb, at(2026, 3, 18, 0),
	    at(2026, 3, 18, 23), 0, &pt, err, sizeof(err)), 0);
	assert_day(&pt.pt_first, "2026-03-18");
	assert_day(&pt.pt_last_possible, "2026-04-28");
	assert_int_equal(pt.pt_days, 0);
	assert_true(pt.pt_running);
	assert_int_equal(pt.pt_max_cents, 144200);
	/* Before the first day: nothing. */
	assert_int_equal(penalty_tally(&awb, at(2026, 3, 18, 0),
	    at(2026, 3, 10, 9), 0, &pt, err, sizeof(err)), 0);
	assert_int_equal(pt.pt_days, 0);
	/* 15 days passed on 2 April. */
	assert_int_equal(penalty_tally(&awb, at(2026, 3, 18, 0),
	    at(2026, 4, 2, 0), 0, &pt, err, sizeof(err)), 0);
	assert_int_equal(pt.pt_days, 15);
	assert_int_equal(pt.pt_cents, 35700);
	assert_false(pt.pt_has_last);
	/* The cap: 42 days; fixed by 28 April + 2 weeks, Tuesday 12 May. */
	assert_int_equal(penalty_tally(&awb, at(2026, 3, 18, 0),
	    at(2026, 7, 1, 0), 0, &pt, err, sizeof(err)), 0);
	assert_int_equal(pt.pt_days, 42);
	assert_false(pt.pt_running);
	assert_true(pt.pt_has_last);
	assert_day(&pt.pt_last, "2026-04-28");
	assert_true(pt.pt_has_fix);
	assert_day(&pt.pt_fix_by, "2026-05-12");
}

/*
 * Decided on Tuesday 24 March: 18-23 March are due (6 x 23 = 138).  Two
 * weeks after Monday 23 March is Easter Monday 6 April: Tuesday 7 April.
 * Across the night the clocks move (29 March), a day is still a day.
 */
static void
test_tally_stopped(void **state)
{
	struct penalty_tally	pt;
	char			err[128];

	(void)state;
	assert_int_equal(penalty_tally(&awb, at(2026, 3, 18, 0),
	    at(2026, 3, 24, 11), 1, &pt, err, sizeof(err)), 0);
	assert_int_equal(pt.pt_days, 6);
	assert_int_equal(pt.pt_cents, 13800);
	assert_false(pt.pt_running);
	assert_day(&pt.pt_last, "2026-03-23");
	assert_day(&pt.pt_fix_by, "2026-04-07");
	assert_int_equal(penalty_tally(&awb, at(2026, 3, 18, 0),
	    at(2026, 3, 31, 0), 1, &pt, err, sizeof(err)), 0);
	assert_int_equal(pt.pt_days, 13);
	/* Stopped before the first day: nothing due, nothing to fix. */
	assert_int_equal(penalty_tally(&awb, at(2026, 3, 18, 0),
	    at(2026, 3, 17, 16), 1, &pt, err, sizeof(err)), 0);
	assert_int_equal(pt.pt_days, 0);
	assert_false(pt.pt_has_last);
	assert_false(pt.pt_has_fix);
}

static void
test_money(void **state)
{
	char	buf[PENALTY_MONEY_LEN];

	(void)state;
	penalty_money(144200, 1, buf);
	assert_string_equal(buf, "1.442,00");
	penalty_money(144200, 0, buf);
	assert_string_equal(buf, "1442.00");
	penalty_money(2300, 1, buf);
	assert_string_equal(buf, "23,00");
	penalty_money(5, 0, buf);
	assert_string_equal(buf, "0.05");
	penalty_money(123456789, 1, buf);
	assert_string_equal(buf, "1.234.567,89");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amounts),
		cmocka_unit_test(test_tally_running_and_capped),
		cmocka_unit_test(test_tally_stopped),
		cmocka_unit_test(test_money),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
