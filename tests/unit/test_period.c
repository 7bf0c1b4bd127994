/* termijn: unit tests for periods and the due moments they give. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/i18n.h"
#include "termijn/period.h"
#include "termijn/util.h"

#include "calendar_fixture.h"

static const struct {
	const char		*pc_in;
	int			 pc_count;
	enum period_unit	 pc_unit;
	const char		*pc_iso;
} good_periods[] = {
	{ "P6W", 6, PU_WEEKS, "P6W" },
	{ "P42D", 42, PU_DAYS, "P42D" },
	{ "P3M", 3, PU_MONTHS, "P3M" },
	{ "P1Y", 1, PU_YEARS, "P1Y" },
	{ "PT48H", 48, PU_HOURS, "PT48H" },
	{ "p8w", 8, PU_WEEKS, "P8W" },
	{ "pt1h", 1, PU_HOURS, "PT1H" },
	{ "6 weeks", 6, PU_WEEKS, "P6W" },
	{ "1 week", 1, PU_WEEKS, "P1W" },
	{ "42 days", 42, PU_DAYS, "P42D" },
	{ "1 day", 1, PU_DAYS, "P1D" },
	{ "3 months", 3, PU_MONTHS, "P3M" },
	{ "1 month", 1, PU_MONTHS, "P1M" },
	{ "1 year", 1, PU_YEARS, "P1Y" },
	{ "2 years", 2, PU_YEARS, "P2Y" },
	{ "48 hours", 48, PU_HOURS, "PT48H" },
	{ "1 hour", 1, PU_HOURS, "PT1H" },
	{ "6 WEEKS", 6, PU_WEEKS, "P6W" },
	{ "6 Weeks", 6, PU_WEEKS, "P6W" },
	{ "  6   weeks  ", 6, PU_WEEKS, "P6W" },
	{ "6weeks", 6, PU_WEEKS, "P6W" },
	{ "10000 days", 10000, PU_DAYS, "P10000D" },
	{ "P10000D", 10000, PU_DAYS, "P10000D" },
	{ "007 days", 7, PU_DAYS, "P7D" },
};

static const struct {
	const char	*pb_in;
	const char	*pb_err;
} bad_periods[] = {
	{ "6 weeks later", "period \"6 weeks later\": unexpected text "
	    "\"later\"" },
	{ "", "empty period" },
	{ "   ", "empty period" },
	{ "P1M2D", "combined durations are not supported" },
	{ "P1DT2H", "combined durations are not supported" },
	{ "PT30M", "minutes are not supported" },
	{ "PT30S", "seconds are not supported" },
	{ "P48H", "hours need a T" },
	{ "PT2D", "only hours (H) may follow \"PT\"" },
	{ "P", "expected a number after \"P\"" },
	{ "PT", "expected a number after \"PT\"" },
	{ "P6", "missing unit designator" },
	{ "P6X", "unknown designator 'X'" },
	{ "P0D", "count must be between 1 and 10000" },
	{ "P10001D", "count must be between 1 and 10000" },
	{ "0 days", "count must be between 1 and 10000" },
	{ "10001 days", "count must be between 1 and 10000" },
	{ "99999999999999999999 days", "count must be between 1 and 10000" },
	{ "-3 days", "positive whole number" },
	{ "+3 days", "positive whole number" },
	{ "1.5 weeks", "fractional counts are not supported" },
	{ "P1.5W", "fractional counts are not supported" },
	{ "weeks", "expected a number" },
	{ "6", "missing unit" },
	{ "6 fortnights", "unknown unit \"fortnights\"" },
	{ "6 weken", "unknown unit \"weken\"" },
	{ "6 days;", "unknown unit \"days;\"" },
	{ "P6W extra", "unexpected text \"extra\"" },
	{ "6 weeks 2 days", "unexpected text \"2 days\"" },
	{ "6 da\xffys", "unknown unit \"da?ys\"" },
};

/*
 * Due moments, each worked out by hand from domain.md and a printed
 * calendar (see the comments for the reasoning where it is not plain).
 * The expected overdue instant is 00:00 local after the last day, or the
 * elapsed-time instant for hours; why is a fragment of one explanation line.
 */
static const struct {
	const char	*dc_anchor;
	const char	*dc_period;
	const char	*dc_rule;
	int		 dc_courtesy;
	const char	*dc_date;
	const char	*dc_at;
	int		 dc_missing;
	const char	*dc_why;
} due_cases[] = {
	/* Plain calendar arithmetic: the raw end, never moved. */
	{ "2026-01-05", "P6W", "plain", 0, "2026-02-16",
	    "2026-02-17T00:00:00+01:00", 0,
	    "6 weeks from 2026-01-05: raw end 2026-02-16" },
	{ "2026-01-05T15:30:00+01:00", "6 weeks", "plain", 0, "2026-02-16",
	    "2026-02-17T00:00:00+01:00", 0, NULL },
	/* 23:30 UTC is already 5 January in Amsterdam. */
	{ "2026-01-04T23:30:00Z", "P42D", "plain", 0, "2026-02-16",
	    "2026-02-17T00:00:00+01:00", 0, "42 days from 2026-01-05" },
	{ "2028-01-31", "P1M", "plain", 0, "2028-02-29",
	    "2028-03-01T00:00:00+01:00", 0, NULL },
	{ "2027-01-31", "1 month", "plain", 0, "2027-02-28",
	    "2027-03-01T00:00:00+01:00", 0, NULL },
	{ "2024-02-29", "P1Y", "plain", 0, "2025-02-28",
	    "2025-03-01T00:00:00+01:00", 0, NULL },
	{ "2027-08-31", "P1M", "plain", 0, "2027-09-30",
	    "2027-10-01T00:00:00+02:00", 0, NULL },
	{ "2027-02-28", "P1Y", "plain", 0, "2028-02-28",
	    "2028-02-29T00:00:00+01:00", 0, NULL },
	/* Ends on the Sunday the clocks change; overdue at +02:00. */
	{ "2026-03-28", "P1D", "plain", 0, "2026-03-29",
	    "2026-03-30T00:00:00+02:00", 0, NULL },
	{ "2026-10-24", "P1D", "plain", 0, "2026-10-25",
	    "2026-10-26T00:00:00+01:00", 0, NULL },
	{ "2026-03-21", "P1W", "plain", 0, "2026-03-28",
	    "2026-03-29T00:00:00+01:00", 0, "not extended" },
	{ "2029-01-10", "P2W", "plain", 0, "2029-01-24",
	    "2029-01-25T00:00:00+01:00", 0, NULL },
	/* Courtesy: rolled like Atw art. 1. */
	{ "2026-04-13", "P2W", "plain", 1, "2026-04-28",
	    "2026-04-29T00:00:00+02:00", 0,
	    "2026-04-27 is King's Day, so 2026-04-28" },
	{ "2026-03-21", "P1W", "plain", 1, "2026-03-30",
	    "2026-03-31T00:00:00+02:00", 0,
	    "2026-03-28 is a Saturday, so 2026-03-30 as a courtesy" },
	{ "2029-01-10", "P2W", "plain", 1, "2029-01-24",
	    "2029-01-25T00:00:00+01:00", 1, "no decree data for 2029" },

	/* Atw art. 1, every holiday of 2024. */
	{ "2023-12-04", "P4W", "atw", 0, "2024-01-02",
	    "2024-01-03T00:00:00+01:00", 0,
	    "2024-01-01 is New Year's Day, so 2024-01-02" },
	/* Good Friday, Saturday, Easter Sunday, Easter Monday. */
	{ "2024-03-15", "P2W", "atw", 0, "2024-04-02",
	    "2024-04-03T00:00:00+02:00", 0, "2024-03-29 is Good Friday" },
	{ "2024-04-13", "P2W", "atw", 0, "2024-04-29",
	    "2024-04-30T00:00:00+02:00", 0,
	    "2024-04-27 is King's Day, so 2024-04-29" },
	{ "2024-04-05", "P30D", "atw", 0, "2024-05-06",
	    "2024-05-07T00:00:00+02:00", 0, "2024-05-05 is Liberation Day" },
	/* Ascension, the decree Friday, the weekend. */
	{ "2024-04-25", "P2W", "atw", 0, "2024-05-13",
	    "2024-05-14T00:00:00+02:00", 0, "2024-05-09 is Ascension Day" },
	{ "2024-04-26", "P2W", "atw", 0, "2024-05-13",
	    "2024-05-14T00:00:00+02:00", 0, "2024-05-10 is Friday after "
	    "Ascension Day (equated by royal decree), so 2024-05-13" },
	{ "2024-04-22", "P4W", "atw", 0, "2024-05-21",
	    "2024-05-22T00:00:00+02:00", 0, "2024-05-20 is Whit Monday" },
	{ "2024-12-11", "P2W", "atw", 0, "2024-12-30",
	    "2024-12-31T00:00:00+01:00", 0, "2024-12-25 is Christmas Day" },
	{ "2024-12-13", "P2W", "atw", 0, "2024-12-30",
	    "2024-12-31T00:00:00+01:00", 0,
	    "2024-12-27 is Friday after Boxing Day" },

	/* 2025. */
	{ "2024-12-18", "P2W", "atw", 0, "2025-01-02",
	    "2025-01-03T00:00:00+01:00", 0, "2025-01-01 is New Year's Day" },
	{ "2025-04-04", "P2W", "atw", 0, "2025-04-22",
	    "2025-04-23T00:00:00+02:00", 0, "2025-04-18 is Good Friday" },
	{ "2025-03-24", "P4W", "atw", 0, "2025-04-22",
	    "2025-04-23T00:00:00+02:00", 0,
	    "2025-04-21 is Easter Monday, so 2025-04-22" },
	/* King's Day on Saturday the 26th: the holiday names the shift. */
	{ "2025-04-12", "P2W", "atw", 0, "2025-04-28",
	    "2025-04-29T00:00:00+02:00", 0, "2025-04-26 is King's Day" },
	{ "2025-04-21", "P2W", "atw", 0, "2025-05-06",
	    "2025-05-07T00:00:00+02:00", 0, "2025-05-05 is Liberation Day" },
	{ "2025-05-15", "P2W", "atw", 0, "2025-06-02",
	    "2025-06-03T00:00:00+02:00", 0,
	    "2025-05-30 is Friday after Ascension Day" },
	{ "2025-05-26", "P2W", "atw", 0, "2025-06-10",
	    "2025-06-11T00:00:00+02:00", 0, "2025-06-09 is Whit Monday" },
	{ "2025-12-11", "P2W", "atw", 0, "2025-12-29",
	    "2025-12-30T00:00:00+01:00", 0, "2025-12-26 is Boxing Day" },
	{ "2025-12-12", "P2W", "atw", 0, "2025-12-29",
	    "2025-12-30T00:00:00+01:00", 0,
	    "2025-12-26 is Boxing Day, so 2025-12-29" },

	/* 2026. */
	{ "2025-12-18", "P2W", "atw", 0, "2026-01-05",
	    "2026-01-06T00:00:00+01:00", 0,
	    "2026-01-02 is Friday after New Year's Day" },
	{ "2025-12-19", "P2W", "atw", 0, "2026-01-05",
	    "2026-01-06T00:00:00+01:00", 0, "2026-01-02 is Friday after New "
	    "Year's Day (equated by royal decree), so 2026-01-05" },
	{ "2026-03-20", "P2W", "atw", 0, "2026-04-07",
	    "2026-04-08T00:00:00+02:00", 0, "2026-04-03 is Good Friday" },
	{ "2026-03-09", "P4W", "atw", 0, "2026-04-07",
	    "2026-04-08T00:00:00+02:00", 0, "2026-04-06 is Easter Monday" },
	{ "2026-03-16", "P6W", "atw", 0, "2026-04-28",
	    "2026-04-29T00:00:00+02:00", 0,
	    "rule atw (Algemene termijnenwet art. 1)" },
	{ "2026-04-21", "P2W", "atw", 0, "2026-05-06",
	    "2026-05-07T00:00:00+02:00", 0, "2026-05-05 is Liberation Day" },
	{ "2026-04-30", "P2W", "atw", 0, "2026-05-18",
	    "2026-05-19T00:00:00+02:00", 0, "2026-05-14 is Ascension Day" },
	{ "2026-05-01", "P2W", "atw", 0, "2026-05-18",
	    "2026-05-19T00:00:00+02:00", 0,
	    "2026-05-15 is Friday after Ascension Day" },
	{ "2026-05-11", "P2W", "atw", 0, "2026-05-26",
	    "2026-05-27T00:00:00+02:00", 0, "2026-05-25 is Whit Monday" },
	/* Christmas on Friday, Boxing Day on Saturday. */
	{ "2026-12-11", "P2W", "atw", 0, "2026-12-28",
	    "2026-12-29T00:00:00+01:00", 0, "2026-12-26 is Boxing Day" },
	{ "2026-03-05", "P6W", "atw", 0, "2026-04-16",
	    "2026-04-17T00:00:00+02:00", 0,
	    "6 weeks from 2026-03-05: raw end 2026-04-16" },
	{ "2026-02-13", "P6W", "atw", 0, "2026-03-27",
	    "2026-03-28T00:00:00+01:00", 0, "no extension" },
	{ "2026-03-22", "P1W", "atw", 0, "2026-03-30",
	    "2026-03-31T00:00:00+02:00", 0, NULL },
	{ "2026-10-18", "P1W", "atw", 0, "2026-10-26",
	    "2026-10-27T00:00:00+01:00", 0, NULL },

	/* 2027. */
	{ "2026-12-18", "P2W", "atw", 0, "2027-01-04",
	    "2027-01-05T00:00:00+01:00", 0, "2027-01-01 is New Year's Day" },
	{ "2027-03-12", "P2W", "atw", 0, "2027-03-30",
	    "2027-03-31T00:00:00+02:00", 0, "2027-03-26 is Good Friday" },
	{ "2027-03-01", "P4W", "atw", 0, "2027-03-30",
	    "2027-03-31T00:00:00+02:00", 0, "2027-03-29 is Easter Monday" },
	{ "2027-04-13", "P2W", "atw", 0, "2027-04-28",
	    "2027-04-29T00:00:00+02:00", 0, "2027-04-27 is King's Day" },
	/* 5 May, Ascension the next day, the decree Friday, a weekend. */
	{ "2027-04-21", "P2W", "atw", 0, "2027-05-10",
	    "2027-05-11T00:00:00+02:00", 0,
	    "and 2027-05-06 is Ascension Day" },
	{ "2027-04-22", "P2W", "atw", 0, "2027-05-10",
	    "2027-05-11T00:00:00+02:00", 0,
	    "2027-05-07 is Friday after Ascension Day" },
	{ "2027-05-03", "P2W", "atw", 0, "2027-05-18",
	    "2027-05-19T00:00:00+02:00", 0, "2027-05-17 is Whit Monday" },
	/* Christmas on Saturday; no decree day on Monday the 27th. */
	{ "2027-12-11", "P2W", "atw", 0, "2027-12-27",
	    "2027-12-28T00:00:00+01:00", 0, "2027-12-26 is Boxing Day" },

	/* 2028. */
	{ "2027-12-18", "P2W", "atw", 0, "2028-01-03",
	    "2028-01-04T00:00:00+01:00", 0, "2028-01-01 is New Year's Day" },
	{ "2028-03-31", "P2W", "atw", 0, "2028-04-18",
	    "2028-04-19T00:00:00+02:00", 0, "2028-04-17 is Easter Monday" },
	{ "2028-04-13", "P2W", "atw", 0, "2028-05-01",
	    "2028-05-02T00:00:00+02:00", 0,
	    "2028-04-28 is Friday after King's Day" },
	{ "2028-04-21", "P2W", "atw", 0, "2028-05-08",
	    "2028-05-09T00:00:00+02:00", 0, "2028-05-05 is Liberation Day" },
	{ "2028-05-11", "P2W", "atw", 0, "2028-05-29",
	    "2028-05-30T00:00:00+02:00", 0,
	    "2028-05-26 is Friday after Ascension Day" },
	{ "2028-05-22", "P2W", "atw", 0, "2028-06-06",
	    "2028-06-07T00:00:00+02:00", 0, "2028-06-05 is Whit Monday" },
	{ "2028-12-11", "P2W", "atw", 0, "2028-12-27",
	    "2028-12-28T00:00:00+01:00", 0, "2028-12-26 is Boxing Day" },

	/*
	 * Atw art. 2: three days from a Friday end on Monday, but Saturday,
	 * Sunday and Monday hold only one working day: Tuesday.
	 */
	{ "2026-03-06", "P3D", "atw", 0, "2026-03-10",
	    "2026-03-11T00:00:00+01:00", 0,
	    "rule atw (Algemene termijnenwet art. 2)" },
	/* Good Friday .. Easter Monday: art. 1 to Tuesday, art. 2 to Wed. */
	{ "2026-04-02", "P3D", "atw", 0, "2026-04-08",
	    "2026-04-09T00:00:00+02:00", 0,
	    "rule atw (Algemene termijnenwet art. 1 and 2)" },
	/* Ascension, decree Friday, weekend: Monday, then Tuesday. */
	{ "2026-05-13", "P3D", "atw", 0, "2026-05-19",
	    "2026-05-20T00:00:00+02:00", 0,
	    "2026-05-14 to 2026-05-18 holds fewer than two days" },
	/* Christmas Friday, Boxing Day Saturday, Sunday: Mon, then Tue. */
	{ "2026-12-24", "P3D", "atw", 0, "2026-12-29",
	    "2026-12-30T00:00:00+01:00", 0, "so 2026-12-29 (Algemene "
	    "termijnenwet art. 2)" },
	/* Christmas, Boxing Day, decree Friday, weekend: Mon, then Tue. */
	{ "2024-12-24", "P3D", "atw", 0, "2024-12-31",
	    "2025-01-01T00:00:00+01:00", 0, "art. 1 and 2" },
	{ "2025-12-24", "P3D", "atw", 0, "2025-12-30",
	    "2025-12-31T00:00:00+01:00", 0, "art. 1 and 2" },
	{ "2027-05-05", "P3D", "atw", 0, "2027-05-11",
	    "2027-05-12T00:00:00+02:00", 0, "art. 1 and 2" },
	/* King's Day Thursday, decree Friday, weekend: Mon, then Tue. */
	{ "2028-04-26", "P3D", "atw", 0, "2028-05-02",
	    "2028-05-03T00:00:00+02:00", 0, "art. 1 and 2" },
	{ "2028-04-28", "P3D", "atw", 0, "2028-05-02",
	    "2028-05-03T00:00:00+02:00", 0,
	    "rule atw (Algemene termijnenwet art. 2)" },
	/* Art. 2 only from three days on: two days get art. 1 alone. */
	{ "2026-03-06", "P2D", "atw", 0, "2026-03-09",
	    "2026-03-10T00:00:00+01:00", 0,
	    "rule atw (Algemene termijnenwet art. 1)" },
	{ "2026-03-06", "P1D", "atw", 0, "2026-03-09",
	    "2026-03-10T00:00:00+01:00", 0,
	    "2026-03-07 is a Saturday, so 2026-03-09" },
	{ "2026-04-02", "P2D", "atw", 0, "2026-04-07",
	    "2026-04-08T00:00:00+02:00", 0,
	    "rule atw (Algemene termijnenwet art. 1)" },

	/* Atw art. 4: the bounds are inclusive. */
	{ "2026-02-02", "P12W", "atw", 0, "2026-04-28",
	    "2026-04-29T00:00:00+02:00", 0, "2026-04-27 is King's Day" },
	{ "2026-01-26", "P13W", "atw", 0, "2026-04-27",
	    "2026-04-28T00:00:00+02:00", 0,
	    "periods of more than 12 weeks (art. 4)" },
	{ "2026-01-27", "P90D", "atw", 0, "2026-04-28",
	    "2026-04-29T00:00:00+02:00", 0, "2026-04-27 is King's Day" },
	{ "2026-01-26", "P91D", "atw", 0, "2026-04-27",
	    "2026-04-28T00:00:00+02:00", 0, "more than 90 days" },
	{ "2026-01-27", "P3M", "atw", 0, "2026-04-28",
	    "2026-04-29T00:00:00+02:00", 0, "2026-04-27 is King's Day" },
	{ "2025-12-27", "P4M", "atw", 0, "2026-04-27",
	    "2026-04-28T00:00:00+02:00", 0, "more than 3 months" },
	{ "2025-04-27", "P1Y", "atw", 0, "2026-04-27",
	    "2026-04-28T00:00:00+02:00", 0, "one year or more" },
	{ "2025-12-25", "P1Y", "atw", 0, "2026-12-25",
	    "2026-12-26T00:00:00+01:00", 0, NULL },
	/* Not covered, so no decree data are needed for 2029. */
	{ "2028-12-01", "P13W", "atw", 0, "2029-03-02",
	    "2029-03-03T00:00:00+01:00", 0, NULL },

	/* Month ends and leap days. */
	{ "2028-01-31", "P1M", "atw", 0, "2028-02-29",
	    "2028-03-01T00:00:00+01:00", 0, "raw end 2028-02-29" },
	{ "2026-01-31", "P1M", "atw", 0, "2026-03-02",
	    "2026-03-03T00:00:00+01:00", 0, "2026-02-28 is a Saturday" },
	{ "2025-11-30", "P3M", "atw", 0, "2026-03-02",
	    "2026-03-03T00:00:00+01:00", 0, "raw end 2026-02-28" },
	{ "2024-01-31", "P1M", "atw", 0, "2024-02-29",
	    "2024-03-01T00:00:00+01:00", 0, NULL },
	{ "2024-02-29", "P1Y", "atw", 0, "2025-02-28",
	    "2025-03-01T00:00:00+01:00", 0, NULL },
	{ "2028-02-29", "P6W", "atw", 0, "2028-04-11",
	    "2028-04-12T00:00:00+02:00", 0, NULL },

	/* Hours are elapsed time, across both clock changes of 2026. */
	{ "2026-03-27T12:00:00+01:00", "PT48H", "atw", 0, "2026-03-29",
	    "2026-03-29T13:00:00+02:00", 0,
	    "does not apply to periods in hours" },
	{ "2026-03-27T12:00:00+01:00", "48 hours", "hours", 0, "2026-03-29",
	    "2026-03-29T13:00:00+02:00", 0, "(elapsed time)" },
	{ "2026-10-23T12:00:00+02:00", "PT48H", "plain", 0, "2026-10-25",
	    "2026-10-25T11:00:00+01:00", 0, "the clocks change" },
	{ "2026-03-28T12:00:00+01:00", "PT24H", "hours", 0, "2026-03-29",
	    "2026-03-29T13:00:00+02:00", 0, NULL },
	{ "2026-10-24T12:00:00+02:00", "PT24H", "hours", 0, "2026-10-25",
	    "2026-10-25T11:00:00+01:00", 0, NULL },
	{ "2026-03-29T01:30:00+01:00", "PT1H", "hours", 0, "2026-03-29",
	    "2026-03-29T03:30:00+02:00", 0, NULL },
	{ "2026-10-25T02:30:00+02:00", "PT1H", "hours", 0, "2026-10-25",
	    "2026-10-25T02:30:00+01:00", 0, NULL },
	{ "2026-03-30T12:00:00+02:00", "PT48H", "backward", 0, "2026-03-28",
	    "2026-03-28T11:00:00+01:00", 0, "48 hours back from" },
	{ "2028-12-31T12:00:00+01:00", "PT48H", "atw", 0, "2029-01-02",
	    "2029-01-02T12:00:00+01:00", 0, NULL },
	{ "2026-05-01T09:00:00+02:00", "PT48H", "plain", 1, "2026-05-03",
	    "2026-05-03T09:00:00+02:00", 0, "does not apply to hours" },

	/* Backward: D - N, never moved. */
	{ "2026-03-20", "P10D", "backward", 0, "2026-03-10",
	    "2026-03-11T00:00:00+01:00", 0,
	    "10 days back from 2026-03-20: 2026-03-10" },
	{ "2026-04-08", "P3D", "backward", 0, "2026-04-05",
	    "2026-04-06T00:00:00+02:00", 0,
	    "2026-04-05 is a Sunday; a backward period is not moved" },
	{ "2026-05-01", "P1W", "backward", 0, "2026-04-24",
	    "2026-04-25T00:00:00+02:00", 0, NULL },
	{ "2026-03-31", "P1M", "backward", 0, "2026-02-28",
	    "2026-03-01T00:00:00+01:00", 0, NULL },
	{ "2028-03-30", "P1M", "backward", 0, "2028-02-29",
	    "2028-03-01T00:00:00+01:00", 0, NULL },
	{ "2026-04-07", "P10D", "backward", 0, "2026-03-28",
	    "2026-03-29T00:00:00+01:00", 0, NULL },
	{ "2026-10-26", "P1D", "backward", 0, "2026-10-25",
	    "2026-10-26T00:00:00+01:00", 0, NULL },
	{ "2026-05-05", "P10D", "backward", 1, "2026-04-25",
	    "2026-04-26T00:00:00+02:00", 0, "is a Saturday; a backward" },
	{ "2026-05-08", "P1D", "backward", 0, "2026-05-07",
	    "2026-05-08T00:00:00+02:00", 0, "rule backward" },
	{ "2029-01-10", "P2W", "backward", 0, "2028-12-27",
	    "2028-12-28T00:00:00+01:00", 0, NULL },

	/* Working days, across Christmas and the spring holidays. */
	{ "2026-12-18", "P10D", "working_days", 0, "2027-01-05",
	    "2027-01-06T00:00:00+01:00", 0,
	    "2026-12-25 is Christmas Day, not a working day" },
	{ "2024-12-20", "5 days", "working_days", 0, "2025-01-02",
	    "2025-01-03T00:00:00+01:00", 0,
	    "2024-12-27 is Friday after Boxing Day" },
	{ "2025-12-19", "P5D", "working_days", 0, "2025-12-30",
	    "2025-12-31T00:00:00+01:00", 0,
	    "5 working days from 2025-12-19: 2025-12-30" },
	{ "2027-12-23", "P3D", "working_days", 0, "2027-12-28",
	    "2027-12-29T00:00:00+01:00", 0, NULL },
	{ "2028-12-22", "P3D", "working_days", 0, "2028-12-29",
	    "2028-12-30T00:00:00+01:00", 0, NULL },
	{ "2026-04-02", "P2D", "working_days", 0, "2026-04-08",
	    "2026-04-09T00:00:00+02:00", 0, "2026-04-03 is Good Friday" },
	{ "2026-05-13", "P1D", "working_days", 0, "2026-05-18",
	    "2026-05-19T00:00:00+02:00", 0, NULL },
	{ "2028-12-27", "P5D", "working_days", 0, "2029-01-04",
	    "2029-01-05T00:00:00+01:00", 1, "no decree data for 2029" },

	/* 2029: no decree data; said, not guessed. */
	{ "2029-01-10", "P2W", "atw", 0, "2029-01-24",
	    "2029-01-25T00:00:00+01:00", 1, "no decree data for 2029" },
	{ "2028-12-20", "P2W", "atw", 0, "2029-01-03",
	    "2029-01-04T00:00:00+01:00", 1, NULL },
	{ "2029-04-26", "P2W", "atw", 0, "2029-05-11",
	    "2029-05-12T00:00:00+02:00", 1,
	    "2029-05-10 is Ascension Day, so 2029-05-11" },
};

static const struct {
	const char	*ec_period;
	const char	*ec_rule;
	const char	*ec_err;
} due_errors[] = {
	{ "P2W", "working_days", "rule working_days needs a period in days" },
	{ "PT48H", "working_days", "rule working_days needs a period in days" },
	{ "P2D", "hours", "rule hours needs a period in hours" },
};

static int64_t
instant_of(const char *s)
{
	char	err[256];
	int64_t	ms;

	if (cal_parse_time_err(s, &ms, err, sizeof(err)) == -1)
		fail_msg("bad timestamp in the test table: %s", err);
	return ms;
}

static struct period_spec
spec_of(const char *period, const char *rule, int courtesy)
{
	struct period_spec	ps;
	char			err[256];

	memset(&ps, 0, sizeof(ps));
	if (period_parse(period, &ps.ps_period, err, sizeof(err)) == -1)
		fail_msg("bad period in the test table: %s", err);
	if (period_rule_parse(rule, &ps.ps_rule) == -1)
		fail_msg("bad rule in the test table: %s", rule);
	ps.ps_courtesy = courtesy;
	return ps;
}

static int
why_has(const struct due *du, const char *fragment)
{
	size_t	i;

	for (i = 0; i < du->du_nwhy; i++) {
		if (strstr(du->du_why[i], fragment) != NULL)
			return 1;
	}
	return 0;
}

static void
print_why(const struct due *du)
{
	size_t	i;

	for (i = 0; i < du->du_nwhy; i++)
		print_message("    %s\n", du->du_why[i]);
}

static void
test_parse_good(void **state)
{
	struct period	p;
	char		err[256], buf[32];
	size_t		i;

	for (i = 0; i < nitems(good_periods); i++) {
		if (period_parse(good_periods[i].pc_in, &p, err,
		    sizeof(err)) == -1)
			fail_msg("\"%s\": %s", good_periods[i].pc_in, err);
		assert_int_equal(p.p_count, good_periods[i].pc_count);
		assert_int_equal(p.p_unit, good_periods[i].pc_unit);
		period_format(&p, buf, sizeof(buf));
		assert_string_equal(buf, good_periods[i].pc_iso);
		assert_int_equal(period_is_hours(&p), p.p_unit == PU_HOURS);
		/* The ISO form reads back as the same period. */
		assert_int_equal(period_parse(buf, &p, err, sizeof(err)), 0);
		assert_int_equal(p.p_count, good_periods[i].pc_count);
		assert_int_equal(p.p_unit, good_periods[i].pc_unit);
	}
}

static void
test_parse_bad(void **state)
{
	struct period	p;
	char		err[256];
	size_t		i;

	for (i = 0; i < nitems(bad_periods); i++) {
		err[0] = '\0';
		if (period_parse(bad_periods[i].pb_in, &p, err,
		    sizeof(err)) != -1)
			fail_msg("accepted bad period \"%s\"",
			    bad_periods[i].pb_in);
		if (strstr(err, bad_periods[i].pb_err) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"",
			    bad_periods[i].pb_in, err, bad_periods[i].pb_err);
	}
	assert_int_equal(period_parse(NULL, &p, err, sizeof(err)), -1);
	assert_int_equal(period_parse("x", &p, NULL, 0), -1);
	/* A short buffer truncates the message, nothing more. */
	assert_int_equal(period_parse("6 weeks later", &p, err, 8), -1);
	assert_int_equal(strlen(err), 7);
}

static void
test_rules(void **state)
{
	static const struct {
		const char		*name;
		enum period_rule	 rule;
	} rules[] = {
		{ "plain", PR_PLAIN }, { "atw", PR_ATW },
		{ "working_days", PR_WORKING_DAYS }, { "hours", PR_HOURS },
		{ "backward", PR_BACKWARD },
	};
	enum period_rule	r;
	size_t			i;

	for (i = 0; i < nitems(rules); i++) {
		assert_int_equal(period_rule_parse(rules[i].name, &r), 0);
		assert_int_equal(r, rules[i].rule);
		assert_string_equal(period_rule_name(r), rules[i].name);
	}
	assert_int_equal(period_rule_parse("ATW", &r), 0);
	assert_int_equal(r, PR_ATW);
	assert_int_equal(period_rule_parse("workdays", &r), -1);
	assert_int_equal(period_rule_parse("", &r), -1);
	assert_int_equal(period_rule_parse(NULL, &r), -1);
	assert_string_equal(period_rule_name((enum period_rule)42), "unknown");
}

static void
test_due_table(void **state)
{
	struct period_spec	 ps;
	struct due		 du;
	char			 err[256], date[CAL_DATE_LEN], at[CAL_TIME_LEN];
	size_t			 i, failed = 0;

	for (i = 0; i < nitems(due_cases); i++) {
		ps = spec_of(due_cases[i].dc_period, due_cases[i].dc_rule,
		    due_cases[i].dc_courtesy);
		if (period_due(instant_of(due_cases[i].dc_anchor), &ps, &du,
		    err, sizeof(err)) == -1)
			fail_msg("%s + %s (%s): %s", due_cases[i].dc_anchor,
			    due_cases[i].dc_period, due_cases[i].dc_rule, err);
		cal_date_format(&du.du_date, date);
		cal_format_time(du.du_at, at);
		if (strcmp(date, due_cases[i].dc_date) != 0 ||
		    strcmp(at, due_cases[i].dc_at) != 0 ||
		    du.du_at != instant_of(due_cases[i].dc_at) ||
		    du.du_decree_missing != due_cases[i].dc_missing ||
		    du.du_day_granular != !period_is_hours(&ps.ps_period) ||
		    du.du_nwhy == 0 ||
		    (due_cases[i].dc_why != NULL &&
		    !why_has(&du, due_cases[i].dc_why))) {
			print_message("case %zu: %s + %s (%s%s): got %s, %s, "
			    "missing %d; expected %s, %s, missing %d%s%s\n", i,
			    due_cases[i].dc_anchor, due_cases[i].dc_period,
			    due_cases[i].dc_rule,
			    due_cases[i].dc_courtesy ? ", courtesy" : "",
			    date, at, du.du_decree_missing,
			    due_cases[i].dc_date, due_cases[i].dc_at,
			    due_cases[i].dc_missing,
			    due_cases[i].dc_why ? ", why: " : "",
			    due_cases[i].dc_why ? due_cases[i].dc_why : "");
			print_why(&du);
			failed++;
		}
		due_free(&du);
		assert_null(du.du_why);
	}
	print_message("%zu dated cases\n", nitems(due_cases));
	assert_int_equal(failed, 0);
}

/* Every result explains itself: the last line says when it is overdue. */
static void
test_due_explained(void **state)
{
	struct period_spec	ps;
	struct due		du;
	char			err[256];

	ps = spec_of("P6W", "atw", 0);
	assert_int_equal(period_due(instant_of("2026-03-16"), &ps, &du, err,
	    sizeof(err)), 0);
	assert_int_equal(du.du_nwhy, 4);
	assert_string_equal(du.du_why[0],
	    "6 weeks from 2026-03-16: raw end 2026-04-27");
	assert_string_equal(du.du_why[1],
	    "2026-04-27 is King's Day, so 2026-04-28");
	assert_string_equal(du.du_why[2],
	    "rule atw (Algemene termijnenwet art. 1)");
	assert_string_equal(du.du_why[3],
	    "last day 2026-04-28; overdue from 2026-04-29T00:00:00+02:00");
	due_free(&du);
}

static void
test_due_closures(void **state)
{
	struct period_spec	ps;
	struct due		du;
	struct cal_date		cd;
	char			err[256], date[CAL_DATE_LEN];

	assert_int_equal(cal_date_parse("2026-12-24", &cd), 0);
	calendar_add_closure(&cd);

	/* Working days skip the closure day ... */
	ps = spec_of("P10D", "working_days", 0);
	assert_int_equal(period_due(instant_of("2026-12-18"), &ps, &du, err,
	    sizeof(err)), 0);
	cal_date_format(&du.du_date, date);
	assert_string_equal(date, "2027-01-06");
	assert_true(why_has(&du,
	    "2026-12-24 is a municipal closure day, not a working day"));
	due_free(&du);

	/* ... the Atw does not know it. */
	ps = spec_of("P6D", "atw", 0);
	assert_int_equal(period_due(instant_of("2026-12-18"), &ps, &du, err,
	    sizeof(err)), 0);
	cal_date_format(&du.du_date, date);
	assert_string_equal(date, "2026-12-24");
	due_free(&du);
}

/*
 * Counts in explanations agree with their nouns, and count what people
 * count: one weekend (a lone Sunday too), two weekends, none; one more
 * closure day, one minute.
 */
static void
test_due_plurals(void **state)
{
	static const struct {
		const char	*pl_anchor;
		const char	*pl_period;
		const char	*pl_why;
	} cases[] = {
		/* Saturday: only the Sunday is skipped. */
		{ "2026-03-07", "P1D",
		    "1 working day from 2026-03-07: 2026-03-09 (skipping 1"
		    " weekend)" },
		/* A Saturday and its Sunday are one weekend. */
		{ "2026-03-06", "P2D",
		    "2 working days from 2026-03-06: 2026-03-10 (skipping 1"
		    " weekend)" },
		{ "2026-03-06", "P6D",
		    "6 working days from 2026-03-06: 2026-03-16 (skipping 2"
		    " weekends)" },
		{ "2026-03-02", "P3D",
		    "3 working days from 2026-03-02: 2026-03-05 (no Saturday"
		    " or Sunday in between)" },
	};
	struct period_spec	ps;
	struct due		du;
	struct cal_date		cd;
	char			err[256];
	size_t			i;
	int			n;

	for (i = 0; i < nitems(cases); i++) {
		ps = spec_of(cases[i].pl_period, "working_days", 0);
		assert_int_equal(period_due(instant_of(cases[i].pl_anchor),
		    &ps, &du, err, sizeof(err)), 0);
		assert_string_equal(du.du_why[0], cases[i].pl_why);
		due_free(&du);
	}

	/* One closure day more than are listed one by one. */
	assert_int_equal(cal_date_parse("2026-06-01", &cd), 0);
	for (n = 0; n < 21; n++) {
		calendar_add_closure(&cd);
		cal_date_add_days(&cd, 1);
	}
	ps = spec_of("P1D", "working_days", 0);
	assert_int_equal(period_due(instant_of("2026-05-29"), &ps, &du, err,
	    sizeof(err)), 0);
	assert_true(why_has(&du, "and 1 more holiday or closure day"));
	assert_false(why_has(&du, "more holidays"));
	due_free(&du);
}

/*
 * In Dutch, the explanation reads as an official writes it: dates written
 * out with their weekday, the Atw named, a weekend counted as one.  The
 * catalogue is the build's own (po/nl.po, compiled into share/locale).
 */
static void
test_due_dutch(void **state)
{
	struct period_spec	ps;
	struct due		du;
	char			err[256];

	i18n_init_chosen();
	assert_true(i18n_available(I18N_NL));
	i18n_use(I18N_NL);
	ps = spec_of("P8W", "atw", 0);
	assert_int_equal(period_due(instant_of("2026-10-17"), &ps, &du, err,
	    sizeof(err)), 0);
	assert_int_equal(du.du_nwhy, 4);
	assert_string_equal(du.du_why[0], "8 weken vanaf 17 oktober 2026: de"
	    " termijn loopt af op zaterdag 12 december 2026");
	assert_string_equal(du.du_why[1], "12 december 2026 is een zaterdag;"
	    " volgens de Algemene termijnenwet de eerstvolgende werkdag:"
	    " maandag 14 december 2026");
	assert_string_equal(du.du_why[2], "toegepast: Algemene termijnenwet,"
	    " artikel 1");
	assert_string_equal(du.du_why[3], "laatste dag: maandag 14 december"
	    " 2026; te laat vanaf dinsdag 15 december 2026 om 00.00 uur");
	due_free(&du);

	ps = spec_of("P6D", "working_days", 0);
	assert_int_equal(period_due(instant_of("2026-03-06"), &ps, &du, err,
	    sizeof(err)), 0);
	assert_string_equal(du.du_why[0], "6 werkdagen vanaf 6 maart 2026:"
	    " maandag 16 maart 2026 (2 weekenden overgeslagen)");
	due_free(&du);

	/* Holidays in a row, the last one a decree day, each by its name. */
	ps = spec_of("P2W", "atw", 0);
	assert_int_equal(period_due(instant_of("2027-04-21"), &ps, &du, err,
	    sizeof(err)), 0);
	assert_string_equal(du.du_why[1], "5 mei 2027 is Bevrijdingsdag, en"
	    " 6 mei 2027 is Hemelvaartsdag, en 7 mei 2027 is vrijdag na"
	    " Hemelvaartsdag (bij Koninklijk Besluit gelijkgesteld met een"
	    " feestdag); volgens de Algemene termijnenwet de eerstvolgende"
	    " werkdag: maandag 10 mei 2027");
	due_free(&du);

	/* Back in English, as the source says it. */
	i18n_use(I18N_EN);
	ps = spec_of("P1D", "working_days", 0);
	assert_int_equal(period_due(instant_of("2026-03-07"), &ps, &du, err,
	    sizeof(err)), 0);
	assert_string_equal(du.du_why[0], "1 working day from 2026-03-07:"
	    " 2026-03-09 (skipping 1 weekend)");
	due_free(&du);
}

static void
test_due_errors(void **state)
{
	struct period_spec	ps;
	struct due		du;
	char			err[256];
	size_t			i;

	for (i = 0; i < nitems(due_errors); i++) {
		ps = spec_of(due_errors[i].ec_period, due_errors[i].ec_rule, 0);
		err[0] = '\0';
		assert_int_equal(period_due(instant_of("2026-03-05"), &ps, &du,
		    err, sizeof(err)), -1);
		if (strstr(err, due_errors[i].ec_err) == NULL)
			fail_msg("%s (%s): \"%s\" lacks \"%s\"",
			    due_errors[i].ec_period, due_errors[i].ec_rule, err,
			    due_errors[i].ec_err);
		assert_int_equal(du.du_nwhy, 0);
	}

	/* Out of the calendar's range. */
	ps = spec_of("P1M", "atw", 0);
	assert_int_equal(period_due(instant_of("9999-12-01"), &ps, &du, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "out of range"));
	due_free(&du);
	ps = spec_of("P10000Y", "plain", 0);
	assert_int_equal(period_due(instant_of("2026-01-01"), &ps, &du, err,
	    sizeof(err)), -1);
	due_free(&du);
	/* Back from the first day: the day before is out of range. */
	ps = spec_of("P1D", "backward", 0);
	assert_int_equal(period_due(instant_of("1970-01-01"), &ps, &du, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "out of range"));
	due_free(&du);
	/* An anchor before 1970, as only a caller bug could give. */
	ps = spec_of("P6W", "plain", 0);
	assert_int_equal(period_due(INT64_C(-1000000000000), &ps, &du, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "1970-01-01 to 9999-12-31"));
	due_free(&du);
	ps = spec_of("PT1H", "hours", 0);
	assert_int_equal(period_due(INT64_MAX, &ps, &du, err, sizeof(err)), -1);
	assert_int_equal(period_due(INT64_MIN, &ps, &du, err, sizeof(err)), -1);
	due_free(&du);

	/* Nonsense in the struct, as a caller bug might give. */
	ps = spec_of("P1D", "atw", 0);
	ps.ps_period.p_count = 0;
	assert_int_equal(period_due(0, &ps, &du, err, sizeof(err)), -1);
	ps.ps_period.p_count = 1;
	ps.ps_rule = (enum period_rule)42;
	assert_int_equal(period_due(0, &ps, &du, err, sizeof(err)), -1);
	due_free(&du);
}

/* A small fixed-seed generator, so that a failure can be replayed. */
static uint32_t
next_random(uint64_t *seed)
{
	*seed = *seed * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	return (uint32_t)(*seed >> 33);
}

/*
 * Properties over many pseudo-random anchors in 2024-2028 and periods: an
 * Atw end is never before the raw end and, where the act applies, never on
 * a non-working day, and the period holds at least two working days when it
 * is three days or longer; a working-days end is a working day after
 * exactly N of them; a plain end is the raw end; a backward end is D - N;
 * and the same question gives the same answer twice.
 */
static void
test_due_properties(void **state)
{
	static const struct {
		enum period_unit	unit;
		int			max;
	} units[] = {
		{ PU_DAYS, 120 }, { PU_WEEKS, 16 }, { PU_MONTHS, 6 },
		{ PU_YEARS, 2 },
	};
	static const enum period_rule rules[] = {
		PR_PLAIN, PR_ATW, PR_WORKING_DAYS, PR_BACKWARD,
	};
	uint64_t		 seed = 20260305;
	struct cal_date		 start, a, raw, d, next;
	struct period_spec	 ps;
	struct due		 du, again;
	char			 err[256], ad[CAL_DATE_LEN], dd[CAL_DATE_LEN];
	int64_t			 base, anchor;
	int			 i, u, n, covered;
	size_t			 k;

	assert_int_equal(cal_date_parse("2024-01-01", &start), 0);
	base = cal_date_to_days(&start);
	for (i = 0; i < 20000; i++) {
		cal_date_from_days(base + next_random(&seed) % 1827, &a);
		/* Any time of the anchor day: only its date counts. */
		anchor = cal_local_midnight(&a) +
		    (int64_t)(next_random(&seed) % (23 * 3600)) * 1000;
		memset(&ps, 0, sizeof(ps));
		ps.ps_rule = rules[next_random(&seed) % nitems(rules)];
		u = ps.ps_rule == PR_WORKING_DAYS ? 0 :
		    (int)(next_random(&seed) % nitems(units));
		ps.ps_period.p_unit = units[u].unit;
		ps.ps_period.p_count = 1 + (int)(next_random(&seed) %
		    (ps.ps_rule == PR_WORKING_DAYS ? 60 : units[u].max));
		ps.ps_courtesy = next_random(&seed) % 4 == 0;

		if (period_due(anchor, &ps, &du, err, sizeof(err)) == -1)
			fail_msg("case %d: %s", i, err);
		cal_date_format(&a, ad);
		cal_date_format(&du.du_date, dd);

		raw = a;
		n = ps.ps_period.p_count;
		switch (ps.ps_period.p_unit) {
		case PU_DAYS:
			cal_date_add_days(&raw, ps.ps_rule == PR_BACKWARD ?
			    -n : n);
			break;
		case PU_WEEKS:
			cal_date_add_days(&raw, 7 * (ps.ps_rule == PR_BACKWARD ?
			    -n : n));
			break;
		case PU_MONTHS:
			cal_date_add_months(&raw, ps.ps_rule == PR_BACKWARD ?
			    -n : n);
			break;
		default:
			cal_date_add_months(&raw, 12 *
			    (ps.ps_rule == PR_BACKWARD ? -n : n));
			break;
		}

		assert_true(du.du_day_granular);
		next = du.du_date;
		cal_date_add_days(&next, 1);
		assert_int_equal(du.du_at, cal_local_midnight(&next));

		switch (ps.ps_rule) {
		case PR_ATW:
			covered = !((ps.ps_period.p_unit == PU_DAYS && n > 90) ||
			    (ps.ps_period.p_unit == PU_WEEKS && n > 12) ||
			    (ps.ps_period.p_unit == PU_MONTHS && n > 3) ||
			    ps.ps_period.p_unit == PU_YEARS);
			if (cal_date_cmp(&du.du_date, &raw) < 0)
				fail_msg("%s + %d/%d atw: %s before the raw end",
				    ad, n, ps.ps_period.p_unit, dd);
			if (!covered) {
				assert_int_equal(cal_date_cmp(&du.du_date,
				    &raw), 0);
				break;
			}
			if (!cal_is_working_day(&du.du_date, 0))
				fail_msg("%s + %d/%d atw: %s not a working day",
				    ad, n, ps.ps_period.p_unit, dd);
			/* Art. 2: two working days from three days on. */
			if (ps.ps_period.p_unit != PU_DAYS || n >= 3) {
				int	w = 0;

				for (d = a, cal_date_add_days(&d, 1);
				    cal_date_cmp(&d, &du.du_date) <= 0;
				    cal_date_add_days(&d, 1))
					w += cal_is_working_day(&d, 0);
				if (w < 2)
					fail_msg("%s + %d/%d atw: %s holds %d "
					    "working days", ad, n,
					    ps.ps_period.p_unit, dd, w);
			}
			/*
			 * And it stopped at the first day that will do: the
			 * day before is not a working day, or (art. 2) the
			 * period up to it holds fewer than two.
			 */
			if (cal_date_cmp(&du.du_date, &raw) > 0) {
				struct cal_date	prev = du.du_date;
				int		w = 0;

				cal_date_add_days(&prev, -1);
				for (d = a, cal_date_add_days(&d, 1);
				    cal_date_cmp(&d, &prev) <= 0;
				    cal_date_add_days(&d, 1))
					w += cal_is_working_day(&d, 0);
				assert_true(!cal_is_working_day(&prev, 0) ||
				    ((ps.ps_period.p_unit != PU_DAYS ||
				    n >= 3) && w < 2));
			}
			break;
		case PR_WORKING_DAYS: {
			int	w = 0;

			if (!cal_is_working_day(&du.du_date, 1))
				fail_msg("%s + %d working days: %s not a "
				    "working day", ad, n, dd);
			for (d = a, cal_date_add_days(&d, 1);
			    cal_date_cmp(&d, &du.du_date) <= 0;
			    cal_date_add_days(&d, 1))
				w += cal_is_working_day(&d, 1);
			assert_int_equal(w, n);
			break;
		}
		case PR_PLAIN:
			if (ps.ps_courtesy) {
				assert_true(cal_date_cmp(&du.du_date,
				    &raw) >= 0);
				assert_true(cal_is_working_day(&du.du_date, 0));
			} else
				assert_int_equal(cal_date_cmp(&du.du_date,
				    &raw), 0);
			break;
		case PR_BACKWARD:
			assert_int_equal(cal_date_cmp(&du.du_date, &raw), 0);
			assert_int_equal(du.du_decree_missing, 0);
			break;
		default:
			break;
		}

		/* The same answer twice, explanation included. */
		assert_int_equal(period_due(anchor, &ps, &again, err,
		    sizeof(err)), 0);
		assert_int_equal(again.du_at, du.du_at);
		assert_int_equal(cal_date_cmp(&again.du_date, &du.du_date), 0);
		assert_int_equal(again.du_decree_missing, du.du_decree_missing);
		assert_int_equal(again.du_nwhy, du.du_nwhy);
		for (k = 0; k < du.du_nwhy; k++)
			assert_string_equal(again.du_why[k], du.du_why[k]);
		due_free(&again);
		due_free(&du);
	}
}

/* Elapsed time holds for hours whatever the rule and the season. */
static void
test_hours_properties(void **state)
{
	static const enum period_rule rules[] = {
		PR_PLAIN, PR_ATW, PR_HOURS,
	};
	uint64_t		seed = 48;
	struct period_spec	ps;
	struct due		du;
	char			err[256];
	int64_t			anchor, start = instant_of("2024-01-01");
	int			i;

	for (i = 0; i < 5000; i++) {
		anchor = start + (int64_t)(next_random(&seed) % (1827 * 24)) *
		    MS_PER_HOUR + (int64_t)(next_random(&seed) % 3600000);
		memset(&ps, 0, sizeof(ps));
		ps.ps_period.p_unit = PU_HOURS;
		ps.ps_period.p_count = 1 + (int)(next_random(&seed) % 200);
		ps.ps_rule = rules[next_random(&seed) % nitems(rules)];
		assert_int_equal(period_due(anchor, &ps, &du, err, sizeof(err)),
		    0);
		assert_int_equal(du.du_at,
		    anchor + ps.ps_period.p_count * MS_PER_HOUR);
		assert_false(du.du_day_granular);
		assert_int_equal(du.du_decree_missing, 0);
		due_free(&du);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_good, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parse_bad, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_table, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_due_explained, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_due_closures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_due_plurals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_due_dutch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_due_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_due_properties, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hours_properties, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
