/* termijn: unit tests for civil dates, local time and Atw holidays. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/calendar.h"
#include "termijn/util.h"

#include "calendar_fixture.h"

/*
 * Every holiday of Atw art. 3 and every decree day for 2024-2028, checked
 * by hand against domain.md and a printed calendar (Easter Sundays: 31 March
 * 2024, 20 April 2025, 5 April 2026, 28 March 2027, 16 April 2028).  NULL:
 * not a holiday.
 */
static const struct {
	const char	*hc_date;
	const char	*hc_name;
} holiday_cases[] = {
	{ "2024-01-01", "New Year's Day" },
	{ "2024-03-29", "Good Friday" },
	{ "2024-04-01", "Easter Monday" },
	{ "2024-04-27", "King's Day" },		/* a Saturday: not moved */
	{ "2024-05-05", "Liberation Day" },
	{ "2024-05-09", "Ascension Day" },
	{ "2024-05-10", "Friday after Ascension Day (equated by royal decree)" },
	{ "2024-05-20", "Whit Monday" },
	{ "2024-12-25", "Christmas Day" },
	{ "2024-12-26", "Boxing Day" },
	{ "2024-12-27", "Friday after Boxing Day (equated by royal decree)" },

	{ "2025-01-01", "New Year's Day" },
	{ "2025-04-18", "Good Friday" },
	{ "2025-04-21", "Easter Monday" },
	{ "2025-04-26", "King's Day" },		/* the 27th is a Sunday */
	{ "2025-04-27", NULL },
	{ "2025-05-05", "Liberation Day" },
	{ "2025-05-29", "Ascension Day" },
	{ "2025-05-30", "Friday after Ascension Day (equated by royal decree)" },
	{ "2025-06-09", "Whit Monday" },
	{ "2025-12-25", "Christmas Day" },
	{ "2025-12-26", "Boxing Day" },

	{ "2026-01-01", "New Year's Day" },
	{ "2026-01-02", "Friday after New Year's Day (equated by royal decree)" },
	{ "2026-04-03", "Good Friday" },
	{ "2026-04-05", NULL },			/* Easter Sunday: only a Sunday */
	{ "2026-04-06", "Easter Monday" },
	{ "2026-04-27", "King's Day" },
	{ "2026-05-05", "Liberation Day" },
	{ "2026-05-14", "Ascension Day" },
	{ "2026-05-15", "Friday after Ascension Day (equated by royal decree)" },
	{ "2026-05-24", NULL },			/* Whit Sunday */
	{ "2026-05-25", "Whit Monday" },
	{ "2026-12-24", NULL },
	{ "2026-12-25", "Christmas Day" },
	{ "2026-12-26", "Boxing Day" },

	{ "2027-01-01", "New Year's Day" },
	{ "2027-03-26", "Good Friday" },
	{ "2027-03-29", "Easter Monday" },
	{ "2027-04-27", "King's Day" },
	{ "2027-05-05", "Liberation Day" },
	{ "2027-05-06", "Ascension Day" },
	{ "2027-05-07", "Friday after Ascension Day (equated by royal decree)" },
	{ "2027-05-17", "Whit Monday" },
	{ "2027-12-25", "Christmas Day" },
	{ "2027-12-26", "Boxing Day" },
	{ "2027-12-27", NULL },

	{ "2028-01-01", "New Year's Day" },
	{ "2028-04-14", "Good Friday" },
	{ "2028-04-17", "Easter Monday" },
	{ "2028-04-27", "King's Day" },
	{ "2028-04-28", "Friday after King's Day (equated by royal decree)" },
	{ "2028-05-05", "Liberation Day" },
	{ "2028-05-25", "Ascension Day" },
	{ "2028-05-26", "Friday after Ascension Day (equated by royal decree)" },
	{ "2028-06-05", "Whit Monday" },
	{ "2028-12-25", "Christmas Day" },
	{ "2028-12-26", "Boxing Day" },

	/* 2029: the act's holidays are known, its decree days are not. */
	{ "2029-01-01", "New Year's Day" },
	{ "2029-03-30", "Good Friday" },
	{ "2029-05-10", "Ascension Day" },
	{ "2029-05-11", NULL },

	/* Easter far from today: 2019-04-21, 2038-04-25, 2285-03-22. */
	{ "2019-04-22", "Easter Monday" },
	{ "2038-04-26", "Easter Monday" },
	{ "2285-03-23", "Easter Monday" },
	{ "2285-03-20", "Good Friday" },
};

static const struct {
	const char	*wc_date;
	int		 wc_weekday;
} weekday_cases[] = {
	{ "1970-01-01", 4 },
	{ "2024-02-29", 4 },
	{ "2025-04-27", 7 },
	{ "2026-01-05", 1 },
	{ "2026-03-29", 7 },
	{ "2027-12-25", 6 },
	{ "2028-04-27", 4 },
	{ "9999-12-31", 5 },
};

static const struct {
	const char	*mc_from;
	int		 mc_months;
	const char	*mc_to;
} month_cases[] = {
	{ "2028-01-31", 1, "2028-02-29" },	/* leap year */
	{ "2026-01-31", 1, "2026-02-28" },
	{ "2024-03-31", -1, "2024-02-29" },
	{ "2026-08-31", 1, "2026-09-30" },
	{ "2027-12-15", 2, "2028-02-15" },
	{ "2024-02-29", 12, "2025-02-28" },
	{ "2025-10-31", 4, "2026-02-28" },
	{ "2026-01-15", -13, "2024-12-15" },
	{ "2100-01-31", 1, "2100-02-28" },	/* not a leap year */
	{ "2000-01-31", 1, "2000-02-29" },	/* a leap year */
};

static const char *bad_dates[] = {
	"2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
	"0000-01-01", "0001-01-01", "1909-01-01", "1969-12-31", "2026-1-05", "2026-01-5", "26-01-05", "2026/01/05",
	"2026-01-05 ", " 2026-01-05", "2026-01-05x", "", "+026-01-05",
	"2026-01-0a", "2026-01-05T00:00:00Z",
};

/* Instants as UTC milliseconds, checked with an independent tool. */
static const struct {
	const char	*tc_in;
	int64_t		 tc_ms;
	const char	*tc_local;
} time_cases[] = {
	{ "2026-01-01T00:00:00Z", INT64_C(1767225600000),
	    "2026-01-01T01:00:00+01:00" },
	{ "2026-01-01T01:00:00+01:00", INT64_C(1767225600000),
	    "2026-01-01T01:00:00+01:00" },
	{ "2026-01-01t00:00:00z", INT64_C(1767225600000),
	    "2026-01-01T01:00:00+01:00" },
	{ "2025-12-31T19:00:00-05:00", INT64_C(1767225600000),
	    "2026-01-01T01:00:00+01:00" },
	{ "2026-02-13", INT64_C(1770937200000), "2026-02-13T00:00:00+01:00" },
	{ "2026-03-29", INT64_C(1774738800000), "2026-03-29T00:00:00+01:00" },
	{ "2026-10-25", INT64_C(1792879200000), "2026-10-25T00:00:00+02:00" },
	{ "2026-03-29T03:00:00+02:00", INT64_C(1774746000000),
	    "2026-03-29T03:00:00+02:00" },
	{ "2026-07-01T10:00:00.5Z", INT64_C(1782900000500),
	    "2026-07-01T12:00:00.500+02:00" },
	{ "2026-07-01T10:00:00,500Z", INT64_C(1782900000500),
	    "2026-07-01T12:00:00.500+02:00" },
	{ "2026-07-01T10:00:00.500999999Z", INT64_C(1782900000500),
	    "2026-07-01T12:00:00.500+02:00" },
	{ "2026-07-01T10:00:00.000Z", INT64_C(1782900000000),
	    "2026-07-01T12:00:00+02:00" },
	{ "2024-02-29T12:34:56Z", INT64_C(1709210096000),
	    "2024-02-29T13:34:56+01:00" },
	{ "1970-01-01T00:00:00Z", 0, "1970-01-01T01:00:00+01:00" },
	/* The first and last moments of the days the calendar covers. */
	{ "1970-01-01", INT64_C(-3600000), "1970-01-01T00:00:00+01:00" },
	{ "9999-12-31T23:59:59.999+01:00", INT64_C(253402297199999),
	    "9999-12-31T23:59:59.999+01:00" },
	{ "2026-01-01T00:00:00-00:00", INT64_C(1767225600000),
	    "2026-01-01T01:00:00+01:00" },
	/* The seconds may be left out. */
	{ "2026-01-05T10:00Z", INT64_C(1767607200000),
	    "2026-01-05T11:00:00+01:00" },
	{ "2026-01-05T10:00+01:00", INT64_C(1767603600000),
	    "2026-01-05T10:00:00+01:00" },
	/* Without an offset: local time, Europe/Amsterdam. */
	{ "2026-01-05T10:00:00", INT64_C(1767603600000),
	    "2026-01-05T10:00:00+01:00" },
	{ "2026-11-28T14:00", INT64_C(1795870800000),
	    "2026-11-28T14:00:00+01:00" },
	{ "2026-11-28T14:00:00.250", INT64_C(1795870800250),
	    "2026-11-28T14:00:00.250+01:00" },
	{ "2026-07-01T12:00", INT64_C(1782900000000),
	    "2026-07-01T12:00:00+02:00" },
	/* Spring: the last second before the change, and the first after. */
	{ "2026-03-29T01:59:59", INT64_C(1774745999000),
	    "2026-03-29T01:59:59+01:00" },
	{ "2026-03-29T03:00", INT64_C(1774746000000),
	    "2026-03-29T03:00:00+02:00" },
	/* In autumn 02:30 happens twice: the first (summer time) is taken. */
	{ "2026-10-25T02:30", INT64_C(1792888200000),
	    "2026-10-25T02:30:00+02:00" },
	{ "2026-10-25T03:00", INT64_C(1792893600000),
	    "2026-10-25T03:00:00+01:00" },
	{ "1970-01-01T00:30", INT64_C(-1800000), "1970-01-01T00:30:00+01:00" },
	{ "9999-12-31T23:59:59.999", INT64_C(253402297199999),
	    "9999-12-31T23:59:59.999+01:00" },
};

static const struct {
	const char	*bt_in;
	const char	*bt_err;
} bad_times[] = {
	{ "", "empty timestamp" },
	{ "2026-02-30", "no such date" },
	{ "2026-02-29T10:00:00Z", "no such date" },
	{ "2026-13-01T10:00:00Z", "no such date" },
	{ "2026-01-05T24:00:00Z", "hour out of range" },
	{ "2026-01-05T23:60:00Z", "minute out of range" },
	{ "2026-01-05T23:59:60Z", "second out of range" },
	{ "2026-03-29T02:30", "no such time in Europe/Amsterdam: on 2026-03-29"
	    " the clocks go forward from 02:00 to 03:00" },
	{ "2026-03-29T02:00:00", "no such time" },
	{ "2026-03-29T02:59:59.999", "no such time" },
	{ "2027-03-28T02:15", "on 2027-03-28 the clocks go forward" },
	{ "2026-01-05T10:00.5", "expected Z or an offset" },
	{ "2026-01-05T10:0", "expected a time HH:MM or HH:MM:SS" },
	{ "2026-01-05T10", "expected a time HH:MM" },
	{ "2026-01-05T10:00:00+01", "expected an offset +HH:MM" },
	{ "2026-01-05T10:00:00+0100", "expected an offset +HH:MM" },
	{ "2026-01-05T10:00:00+24:00", "offset out of range" },
	{ "2026-01-05T10:00:00+01:60", "offset out of range" },
	{ "2026-01-05T10:00:00Z ", "unexpected text" },
	{ "2026-01-05T10:00:00+01:00x", "unexpected text" },
	{ "2026-01-05T10:00:00.Z", "fraction" },
	{ "2026-01-05T10:00:00.1234567890Z", "fraction" },
	{ "2026-01-05 10:00:00Z", "expected 'T'" },
	{ "2026-01-05x", "expected 'T'" },
	{ "5 January 2026", "expected a date YYYY-MM-DD" },
	{ "2026-1-5", "expected a date YYYY-MM-DD" },
	{ "2026-01-05T1:00:00Z", "expected a time HH:MM" },
	{ "2026-01-05T10:00:00Zjunk", "unexpected text" },
	{ "0001-01-01T00:00:00+01:00", "before 1970-01-01" },
	{ "9999-12-31T23:00:00-02:00", "after 9999-12-31" },
	/*
	 * Before 1970: Amsterdam Mean Time was +00:19:32, which no ISO
	 * offset writes, and a fuzzer found that 0001-01-01 read back as
	 * year 0.  termijn's calendar starts in 1970.
	 */
	{ "0001-01-01", "before 1970-01-01" },
	{ "1909-01-01", "before 1970-01-01" },
	{ "1930-06-01T12:00:00Z", "before 1970-01-01" },
	{ "1969-12-31T23:59:59+01:00", "before 1970-01-01" },
	{ "1969-12-31T23:30:00-01:00", "before 1970-01-01" },
	{ "2026-02-29", "no such date" },
};

static struct cal_date
date_of(const char *s)
{
	struct cal_date	cd;

	if (cal_date_parse(s, &cd) == -1)
		fail_msg("bad date in the test table: %s", s);
	return cd;
}

/* Writes a temporary decree file; returns its path (to be freed). */
static char *
write_file(const char *contents)
{
	char	*path;
	int	 fd;

	path = strdup("/tmp/termijn-test-decree-XXXXXX");
	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, contents, strlen(contents)),
	    (ssize_t)strlen(contents));
	close(fd);
	return path;
}

static void
test_holidays(void **state)
{
	struct cal_date	 cd;
	const char	*name;
	size_t		 i;

	for (i = 0; i < nitems(holiday_cases); i++) {
		cd = date_of(holiday_cases[i].hc_date);
		name = cal_holiday(&cd);
		if (holiday_cases[i].hc_name == NULL) {
			if (name != NULL)
				fail_msg("%s: expected no holiday, got %s",
				    holiday_cases[i].hc_date, name);
			continue;
		}
		if (name == NULL || strcmp(name, holiday_cases[i].hc_name) != 0)
			fail_msg("%s: expected %s, got %s",
			    holiday_cases[i].hc_date, holiday_cases[i].hc_name,
			    name != NULL ? name : "no holiday");
		assert_false(cal_is_working_day(&cd, 0));
	}
}

/* Nine holidays a year from the act, plus the decree days. */
static void
test_holiday_counts(void **state)
{
	static const struct {
		int	year;
		int	count;
	} counts[] = {
		{ 2024, 11 }, { 2025, 10 }, { 2026, 11 }, { 2027, 10 },
		{ 2028, 11 }, { 2029, 9 },
	};
	struct cal_date	 cd;
	size_t		 i;
	int		 n;

	for (i = 0; i < nitems(counts); i++) {
		cd.cd_year = counts[i].year;
		cd.cd_month = 1;
		cd.cd_day = 1;
		for (n = 0; cd.cd_year == counts[i].year;
		    cal_date_add_days(&cd, 1))
			n += cal_holiday(&cd) != NULL;
		assert_int_equal(n, counts[i].count);
	}
}

static void
test_decree_known(void **state)
{
	int	y;

	for (y = 2023; y <= 2028; y++)
		assert_true(cal_decree_known(y));
	assert_false(cal_decree_known(2022));
	assert_false(cal_decree_known(2029));
	assert_false(cal_decree_known(2030));
}

static void
test_working_days(void **state)
{
	struct cal_date	cd;

	cd = date_of("2026-03-27");	/* Friday */
	assert_true(cal_is_working_day(&cd, 1));
	cd = date_of("2026-03-28");	/* Saturday */
	assert_false(cal_is_working_day(&cd, 0));
	cd = date_of("2026-03-29");	/* Sunday */
	assert_false(cal_is_working_day(&cd, 0));
	cd = date_of("2026-05-15");	/* decree day */
	assert_false(cal_is_working_day(&cd, 0));
	cd = date_of("2029-05-11");	/* no decree data: counted as working */
	assert_true(cal_is_working_day(&cd, 0));
}

static void
test_closures(void **state)
{
	struct cal_date	cd = date_of("2026-12-24"), other = date_of("2026-12-23");

	assert_null(cal_closure(&cd));
	calendar_add_closure(&cd);
	calendar_add_closure(&cd);	/* twice is once */
	assert_string_equal(cal_closure(&cd), "municipal closure day");
	assert_null(cal_closure(&other));
	assert_false(cal_is_working_day(&cd, 1));
	assert_true(cal_is_working_day(&cd, 0));	/* not for the Atw */
	assert_null(cal_holiday(&cd));
	calendar_clear_closures();
	assert_null(cal_closure(&cd));
	assert_true(cal_is_working_day(&cd, 1));
}

static void
test_weekdays(void **state)
{
	struct cal_date	cd;
	size_t		i;

	for (i = 0; i < nitems(weekday_cases); i++) {
		cd = date_of(weekday_cases[i].wc_date);
		if (cal_weekday(&cd) != weekday_cases[i].wc_weekday)
			fail_msg("%s: weekday %d, expected %d",
			    weekday_cases[i].wc_date, cal_weekday(&cd),
			    weekday_cases[i].wc_weekday);
	}
}

static void
test_add_months(void **state)
{
	struct cal_date	cd;
	char		buf[CAL_DATE_LEN];
	size_t		i;

	for (i = 0; i < nitems(month_cases); i++) {
		cd = date_of(month_cases[i].mc_from);
		cal_date_add_months(&cd, month_cases[i].mc_months);
		cal_date_format(&cd, buf);
		if (strcmp(buf, month_cases[i].mc_to) != 0)
			fail_msg("%s %+d months: %s, expected %s",
			    month_cases[i].mc_from, month_cases[i].mc_months,
			    buf, month_cases[i].mc_to);
	}
}

static void
test_days(void **state)
{
	struct cal_date	cd, back, prev;
	int64_t		d;

	cd = date_of("1970-01-01");
	assert_int_equal(cal_date_to_days(&cd), 0);
	cd = date_of("2026-01-01");
	assert_int_equal(cal_date_to_days(&cd), 20454);
	cd = date_of("2000-02-29");
	assert_int_equal(cal_date_to_days(&cd), 11016);
	/* The arithmetic holds beyond the years termijn takes. */
	cd.cd_year = 1;
	cd.cd_month = 1;
	cd.cd_day = 1;
	assert_int_equal(cal_date_to_days(&cd), -719162);
	assert_int_equal(cal_weekday(&cd), 1);
	cal_date_from_days(-719162, &back);
	assert_int_equal(cal_date_cmp(&back, &cd), 0);
	cd = date_of("9999-12-31");
	assert_int_equal(cal_date_to_days(&cd), 2932896);

	/* Every day from 1970 to 2400 follows the one before it. */
	cd = date_of("1970-01-01");
	cal_date_from_days(cal_date_to_days(&cd) - 1, &prev);
	for (d = cal_date_to_days(&cd); cd.cd_year < 2400; d++) {
		cal_date_from_days(d, &back);
		assert_int_equal(cal_date_cmp(&back, &cd), 0);
		assert_true(cal_date_cmp(&prev, &cd) < 0);
		assert_true(cal_date_valid(cd.cd_year, cd.cd_month,
		    cd.cd_day));
		assert_int_equal(cal_date_to_days(&cd), d);
		prev = cd;
		cal_date_add_days(&cd, 1);
	}

	assert_int_equal(cal_days_in_month(2028, 2), 29);
	assert_int_equal(cal_days_in_month(2026, 2), 28);
	assert_int_equal(cal_days_in_month(1900, 2), 28);
	assert_int_equal(cal_days_in_month(2000, 2), 29);
	assert_int_equal(cal_days_in_month(2026, 4), 30);
	assert_int_equal(cal_days_in_month(2026, 13), 0);
}

static void
test_date_parse(void **state)
{
	struct cal_date	cd;
	char		buf[CAL_DATE_LEN], buf2[128];
	size_t		i;

	assert_int_equal(cal_date_parse("2028-02-29", &cd), 0);
	assert_int_equal(cd.cd_year, 2028);
	assert_int_equal(cd.cd_month, 2);
	assert_int_equal(cd.cd_day, 29);
	cal_date_format(&cd, buf);
	assert_string_equal(buf, "2028-02-29");
	assert_int_equal(cal_date_parse("1970-01-01", &cd), 0);
	assert_int_equal(cal_date_parse("9999-12-31", &cd), 0);
	assert_int_equal(cal_date_parse_err("1969-12-31", &cd, buf2,
	    sizeof(buf2)), -1);
	assert_string_equal(buf2, "date \"1969-12-31\": before 1970-01-01,"
	    " the first day termijn's calendar covers");
	assert_int_equal(cal_date_parse_err("2026-02-30", &cd, buf2,
	    sizeof(buf2)), -1);
	assert_string_equal(buf2, "date \"2026-02-30\": no such date");
	assert_int_equal(cal_date_parse_err("2026-2-3", &cd, buf2,
	    sizeof(buf2)), -1);
	assert_string_equal(buf2, "date \"2026-2-3\": expected a date"
	    " YYYY-MM-DD");
	for (i = 0; i < nitems(bad_dates); i++) {
		if (cal_date_parse(bad_dates[i], &cd) != -1)
			fail_msg("accepted bad date \"%s\"", bad_dates[i]);
	}
	assert_int_equal(cal_date_parse(NULL, &cd), -1);
}

static void
test_local_midnight(void **state)
{
	struct cal_date	 cd, back;
	char		 buf[CAL_TIME_LEN];
	int64_t		 ms;

	/* The day the clocks go forward still starts at +01:00. */
	cd = date_of("2026-03-29");
	ms = cal_local_midnight(&cd);
	assert_int_equal(ms, INT64_C(1774738800000));
	cal_format_time(ms, buf);
	assert_string_equal(buf, "2026-03-29T00:00:00+01:00");
	cd = date_of("2026-03-30");
	cal_format_time(cal_local_midnight(&cd), buf);
	assert_string_equal(buf, "2026-03-30T00:00:00+02:00");
	assert_int_equal(cal_local_midnight(&cd) - ms, 23 * 3600 * INT64_C(1000));

	/* The day the clocks go back is 25 hours long. */
	cd = date_of("2026-10-25");
	ms = cal_local_midnight(&cd);
	cal_format_time(ms, buf);
	assert_string_equal(buf, "2026-10-25T00:00:00+02:00");
	cd = date_of("2026-10-26");
	assert_int_equal(cal_local_midnight(&cd) - ms, 25 * 3600 * INT64_C(1000));

	/* The local date of the last millisecond before midnight. */
	cal_local_date(cal_local_midnight(&cd) - 1, &back);
	cal_date_format(&back, buf);
	assert_string_equal(buf, "2026-10-25");
	cal_local_date(cal_local_midnight(&cd), &back);
	cal_date_format(&back, buf);
	assert_string_equal(buf, "2026-10-26");
}

static void
test_parse_time(void **state)
{
	char		buf[CAL_TIME_LEN], err[256];
	int64_t		ms;
	size_t		i;

	for (i = 0; i < nitems(time_cases); i++) {
		if (cal_parse_time_err(time_cases[i].tc_in, &ms, err,
		    sizeof(err)) == -1)
			fail_msg("%s: %s", time_cases[i].tc_in, err);
		if (ms != time_cases[i].tc_ms)
			fail_msg("%s: %lld, expected %lld", time_cases[i].tc_in,
			    (long long)ms, (long long)time_cases[i].tc_ms);
		cal_format_time(ms, buf);
		assert_string_equal(buf, time_cases[i].tc_local);
		/* What is written reads back as the same instant. */
		assert_int_equal(cal_parse_time(buf, &ms), 0);
		assert_int_equal(ms, time_cases[i].tc_ms);
	}
	for (i = 0; i < nitems(bad_times); i++) {
		err[0] = '\0';
		if (cal_parse_time_err(bad_times[i].bt_in, &ms, err,
		    sizeof(err)) != -1)
			fail_msg("accepted bad timestamp \"%s\"",
			    bad_times[i].bt_in);
		if (strstr(err, bad_times[i].bt_err) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"",
			    bad_times[i].bt_in, err, bad_times[i].bt_err);
		assert_int_equal(cal_parse_time(bad_times[i].bt_in, &ms), -1);
	}
	assert_int_equal(cal_parse_time(NULL, &ms), -1);
}

/*
 * What a person should know of how a local time was read: only the time
 * that happens twice gets a note, saying which was taken and how to write
 * the other.
 */
static void
test_parse_time_note(void **state)
{
	char	note[CAL_NOTE_LEN], err[256];
	int64_t	ms;

	assert_int_equal(cal_parse_time_note("2026-10-25T02:30", &ms, note,
	    sizeof(note), err, sizeof(err)), 0);
	assert_int_equal(ms, INT64_C(1792888200000));
	assert_string_equal(note, "2026-10-25T02:30 happens twice in"
	    " Europe/Amsterdam: on 2026-10-25 the clocks go back from 03:00 to"
	    " 02:00; taken as the first, 2026-10-25T02:30:00+02:00 (for the"
	    " second, write 2026-10-25T02:30:00+01:00)");
	/* What it says of the second reads as the second. */
	assert_int_equal(cal_parse_time_note("2026-10-25T02:30:00+01:00", &ms,
	    note, sizeof(note), err, sizeof(err)), 0);
	assert_int_equal(ms, INT64_C(1792891800000));
	assert_string_equal(note, "");
	assert_int_equal(cal_parse_time_note("2026-10-25T01:59", &ms, note,
	    sizeof(note), err, sizeof(err)), 0);
	assert_string_equal(note, "");
	assert_int_equal(cal_parse_time_note("2026-10-25", &ms, note,
	    sizeof(note), err, sizeof(err)), 0);
	assert_string_equal(note, "");
	assert_int_equal(cal_parse_time_note("2026-03-29T02:30", &ms, note,
	    sizeof(note), err, sizeof(err)), -1);
	assert_string_equal(err, "timestamp \"2026-03-29T02:30\": no such time"
	    " in Europe/Amsterdam: on 2026-03-29 the clocks go forward from"
	    " 02:00 to 03:00; give a time outside that gap, or an offset");
	assert_string_equal(note, "");
}

/*
 * A timestamp as termijnd writes it and termijnctl reads it back: the
 * instant, and the offset it was written with, so that termijnctl can tell
 * the time of day on the server's clock.  A bare date has no time of day.
 */
static void
test_parse_timestamp(void **state)
{
	static const struct {
		const char	*in;
		int		 ok;
		int64_t		 ms;
		int		 offset;
	} cases[] = {
		{ "2026-02-17T00:00:00+01:00", 1, INT64_C(1771282800000),
		    3600 },
		{ "2026-02-16T23:00:00Z", 1, INT64_C(1771282800000), 0 },
		{ "2026-07-01T00:00:00+02:00", 1, INT64_C(1782856800000),
		    7200 },
		{ "2026-02-17T00:00:00.250+01:00", 1, INT64_C(1771282800250),
		    3600 },
		{ "2026-02-17T00:00:00-03:30", 1, INT64_C(1771299000000),
		    -12600 },
		{ "2026-02-16", 0, 0, 0 },
		{ "2026-13-01T00:00:00Z", 0, 0, 0 },
		/* No offset: the zone's, then. */
		{ "2026-02-17T00:00:00", 1, INT64_C(1771282800000), 3600 },
		{ "2026-07-01T00:00", 1, INT64_C(1782856800000), 7200 },
		{ "2026-02-17T00:00+01:00", 1, INT64_C(1771282800000), 3600 },
		{ "2026-03-29T02:30", 0, 0, 0 },
		{ "tomorrow", 0, 0, 0 },
		{ "", 0, 0, 0 },
	};
	size_t	 i;
	int64_t	 ms;
	int	 offset;

	for (i = 0; i < nitems(cases); i++) {
		if (!cases[i].ok) {
			if (cal_parse_timestamp(cases[i].in, &ms,
			    &offset) != -1)
				fail_msg("accepted \"%s\"", cases[i].in);
			continue;
		}
		if (cal_parse_timestamp(cases[i].in, &ms, &offset) == -1)
			fail_msg("refused \"%s\"", cases[i].in);
		assert_int_equal(ms, cases[i].ms);
		assert_int_equal(offset, cases[i].offset);
	}
}

/*
 * An instant is written with the offset of the zone set when it is
 * written, even when the same instant was written just before in another
 * zone (the offsets are remembered per zone).
 */
static void
test_zone_change(void **state)
{
	struct errlist	 errs;
	char		 buf[CAL_TIME_LEN];
	int64_t		 ms = INT64_C(1781175600000) + 1;

	errlist_init(&errs);
	cal_format_time(ms, buf);
	assert_string_equal(buf, "2026-06-11T13:00:00.001+02:00");
	assert_int_equal(calendar_set_zone("America/New_York", &errs), 0);
	cal_format_time(ms, buf);
	assert_string_equal(buf, "2026-06-11T07:00:00.001-04:00");
	assert_int_equal(calendar_set_zone("Europe/Amsterdam", &errs), 0);
	cal_format_time(ms, buf);
	assert_string_equal(buf, "2026-06-11T13:00:00.001+02:00");
	errlist_clear(&errs);
}

static void
test_bad_zone(void **state)
{
	struct errlist	errs;

	errlist_init(&errs);
	assert_int_equal(calendar_init("Europe/Amsterdm", NULL, &errs), -1);
	assert_int_equal(errs.el_count, 1);
	assert_non_null(strstr(errs.el_msgs[0],
	    "time zone \"Europe/Amsterdm\" not found in /usr/share/zoneinfo"));
	errlist_clear(&errs);

	assert_int_equal(calendar_init("../../etc/passwd", NULL, &errs), -1);
	assert_non_null(strstr(errs.el_msgs[0], "not a zone name"));
	errlist_clear(&errs);

	assert_int_equal(calendar_init("Europe", NULL, &errs), -1);
	assert_non_null(strstr(errs.el_msgs[0], "not a tzdata file"));
	errlist_clear(&errs);

	assert_int_equal(calendar_init("", NULL, &errs), -1);
	errlist_clear(&errs);

	/* A failed init leaves the data in use alone. */
	assert_true(cal_decree_known(2026));
}

static void
test_decree_file(void **state)
{
	struct errlist	 errs;
	struct cal_date	 cd;
	char		*path, *bad;
	size_t		 n;

	/* An administrator extends the file with a new year. */
	path = write_file("# test\nyear 2029\n2029-05-11  Friday after "
	    "Ascension Day   # bridge day\n\n  year 2030  \n");
	errlist_init(&errs);
	assert_int_equal(calendar_init("Europe/Amsterdam", path, &errs), 0);
	assert_int_equal(errs.el_count, 0);
	assert_true(cal_decree_known(2029));
	assert_true(cal_decree_known(2030));
	assert_false(cal_decree_known(2026));
	cd = date_of("2029-05-11");
	assert_string_equal(cal_holiday(&cd),
	    "Friday after Ascension Day (equated by royal decree)");
	unlink(path);
	free(path);

	/* Every error is reported as file:line, and the file refused. */
	path = write_file("2026-02-30  impossible\nyear 20x6\n"
	    "2026-01-02\n2026-05-15  a\n2026-05-15  b\nholiday 2026-05-16\n"
	    "2026-05-18  fine\n");
	assert_int_equal(calendar_init("Europe/Amsterdam", path, &errs), -1);
	n = errs.el_count;
	assert_int_equal(n, 5);
	xasprintf(&bad, "%s:1: date \"2026-02-30\": no such date", path);
	assert_string_equal(errs.el_msgs[0], bad);
	free(bad);
	xasprintf(&bad, "%s:2: expected \"year YYYY\" from 1970", path);
	assert_string_equal(errs.el_msgs[1], bad);
	free(bad);
	xasprintf(&bad, "%s:3: 2026-01-02: missing the reason", path);
	assert_non_null(strstr(errs.el_msgs[2], bad));
	free(bad);
	xasprintf(&bad, "%s:5: 2026-05-15 is listed twice", path);
	assert_string_equal(errs.el_msgs[3], bad);
	free(bad);
	xasprintf(&bad, "%s:6: expected a date", path);
	assert_non_null(strstr(errs.el_msgs[4], bad));
	free(bad);
	errlist_clear(&errs);
	/* The previous (test) data stay in use. */
	assert_true(cal_decree_known(2029));
	cd = date_of("2026-05-18");
	assert_null(cal_holiday(&cd));
	unlink(path);
	free(path);

	assert_int_equal(calendar_init("Europe/Amsterdam",
	    "/nonexistent/atw-decree-days.txt", &errs), -1);
	assert_non_null(strstr(errs.el_msgs[0],
	    "/nonexistent/atw-decree-days.txt: No such file"));
	errlist_clear(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_holidays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_holiday_counts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_decree_known, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_working_days, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_closures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weekdays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_months, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_days, setup, teardown),
		cmocka_unit_test_setup_teardown(test_date_parse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_local_midnight, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parse_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parse_time_note, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parse_timestamp, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_zone_change, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decree_file, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
