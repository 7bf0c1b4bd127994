/* termijn: civil dates, local time in one zone, and Dutch holidays. */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/i18n.h"
#include "termijn/paths.h"
#include "termijn/quote.h"
#include "termijn/util.h"

#define CAL_ZONEINFO	"/usr/share/zoneinfo"

/* A day equated to a holiday by royal decree (Atw art. 3 lid 2). */
struct cal_decree {
	int64_t	 cr_day;	/* days since 1970-01-01 */
	char	*cr_name;	/* "<reason> (equated by royal decree)" */
	char	*cr_reason;	/* as the decree file gives it */
};

/*
 * The reasons the shipped decree file gives, for the catalogue: a reader
 * in Dutch reads them in Dutch.  A reason an operator adds stays as
 * written.
 */
static const char *const cal_decree_reasons[] __attribute__((unused)) = {
	N_("Friday after Ascension Day"), N_("Friday after Boxing Day"),
	N_("Friday after King's Day"), N_("Friday after New Year's Day"),
};

/* Decree days and the years whose decree data are complete. */
struct cal_decrees {
	struct cal_decree	*cs_days;
	size_t			 cs_ndays;
	int			*cs_years;
	size_t			 cs_nyears;
};

static const char *cal_date_problem(int, int, int);
static int	cal_zone_check(const char *, struct errlist *);
static int	cal_decree_load(const char *, struct cal_decrees *,
		    struct errlist *);
static void	cal_decree_add(struct cal_decrees *, int64_t, char *, char *);
static void	cal_decree_year(struct cal_decrees *, int);
static void	cal_decree_free(struct cal_decrees *);
static int	cal_decree_cmp(const void *, const void *);
static int	cal_int_cmp(const void *, const void *);
static int	cal_int64_cmp(const void *, const void *);
static void	cal_easter(int, struct cal_date *);
static long	cal_gmtoff(int64_t);
static int64_t	cal_local_to_utc(int64_t);
static void	cal_display(int64_t, struct cal_date *, int64_t *, long *,
		    int *);
static int	cal_digits(const char *, int, int *);
static int64_t	cal_floordiv(int64_t, int64_t);
static int	cal_time_error(char *, size_t, const char *, const char *);
static int	cal_parse(const char *, int, int64_t *, int *, char *, size_t,
		    char *, size_t);
static int	cal_parse_local(const char *, int64_t, int64_t *, char *,
		    size_t, char *, size_t);
static int	cal_local_instants(int64_t, int64_t[2]);
static int64_t	cal_change(int64_t, int64_t);
static void	cal_hhmm(int64_t, char *, size_t);
static char	*cal_put_digits(char *, unsigned, int);

static struct cal_decrees	 cal_decrees;
static char			 cal_zone[64];	/* for messages; "": not set */
static unsigned			 cal_zone_gen = 1; /* one more per zone set */
static int64_t			*cal_closures;	/* sorted days since epoch */
static size_t			 cal_nclosures;

/*
 * The zone is set once for the whole process through TZ, so that
 * localtime_r uses the system's tzdata (which knows every past and future
 * transition) rather than a rule of our own.  glibc quietly falls
 * back to UTC for a zone it cannot find, which would shift every deadline by
 * an hour or two without a word: hence the explicit check first.
 */
int
calendar_init(const char *tz, const char *decree_file, struct errlist *errs)
{
	struct cal_decrees	 d;
	char			*shipped = NULL;
	int			 rc;

	if (cal_zone_check(tz, errs) == -1)
		return -1;
	if (decree_file == NULL)
		decree_file = shipped = paths_data_file("atw-decree-days.txt");
	memset(&d, 0, sizeof(d));
	rc = cal_decree_load(decree_file, &d, errs);
	free(shipped);
	if (rc == -1) {
		cal_decree_free(&d);
		return -1;
	}
	if (calendar_set_zone(tz, errs) == -1) {
		cal_decree_free(&d);
		return -1;
	}

	/* Swap only now: a bad file on reload leaves the old data in use. */
	cal_decree_free(&cal_decrees);
	cal_decrees = d;
	return 0;
}

int
calendar_set_zone(const char *tz, struct errlist *errs)
{
	if (cal_zone_check(tz, errs) == -1)
		return -1;
	if (setenv("TZ", tz, 1) == -1) {
		errlist_add(errs, "time zone \"%s\": %s", tz, strerror(errno));
		return -1;
	}
	tzset();
	cal_zone_gen++;
	snprintf(cal_zone, sizeof(cal_zone), "%s", tz);
	return 0;
}

void
calendar_add_closure(const struct cal_date *cd)
{
	int64_t	day = cal_date_to_days(cd);

	if (cal_closure(cd) != NULL)
		return;
	cal_closures = xreallocarray(cal_closures, cal_nclosures + 1,
	    sizeof(*cal_closures));
	cal_closures[cal_nclosures++] = day;
	qsort(cal_closures, cal_nclosures, sizeof(*cal_closures),
	    cal_int64_cmp);
}

void
calendar_clear_closures(void)
{
	free(cal_closures);
	cal_closures = NULL;
	cal_nclosures = 0;
}

int
cal_date_valid(int year, int month, int day)
{
	return cal_date_problem(year, month, day) == NULL;
}

/*
 * Why a date is not one termijn takes: it does not exist, or it lies
 * outside the years the calendar covers.  NULL when it is fine.
 */
static const char *
cal_date_problem(int year, int month, int day)
{
	if (month < 1 || month > 12 || day < 1 ||
	    day > cal_days_in_month(year, month))
		return "no such date";
	if (year < CAL_YEAR_MIN)
		return "before " CAL_FIRST_DAY ", the first day termijn's"
		    " calendar covers";
	if (year > CAL_YEAR_MAX)
		return "after " CAL_LAST_DAY ", the last day termijn's"
		    " calendar covers";
	return NULL;
}

/* Exactly YYYY-MM-DD: no signs, no spaces, no missing leading zeros. */
int
cal_date_parse(const char *s, struct cal_date *cd)
{
	return cal_date_parse_err(s, cd, NULL, 0);
}

int
cal_date_parse_err(const char *s, struct cal_date *cd, char *err,
    size_t errlen)
{
	const char	*why;
	char		 quoted[QUOTE_LEN];
	int		 y, m, d;

	if (s == NULL || strlen(s) != CAL_DATE_LEN - 1 ||
	    cal_digits(s, 4, &y) == -1 || s[4] != '-' ||
	    cal_digits(s + 5, 2, &m) == -1 || s[7] != '-' ||
	    cal_digits(s + 8, 2, &d) == -1)
		why = "expected a date YYYY-MM-DD";
	else
		why = cal_date_problem(y, m, d);
	if (why != NULL) {
		if (err != NULL && errlen > 0) {
			quote_input(s ? s : "", s ? strlen(s) : 0, quoted,
			    sizeof(quoted));
			snprintf(err, errlen, "date \"%s\": %s", quoted, why);
		}
		return -1;
	}
	cd->cd_year = y;
	cd->cd_month = m;
	cd->cd_day = d;
	return 0;
}

void
cal_date_format(const struct cal_date *cd, char buf[CAL_DATE_LEN])
{
	unsigned	y, m, d;

	/* Out of range years cannot be written in 10 characters. */
	if (cd->cd_year < 0 || cd->cd_year > CAL_YEAR_MAX) {
		snprintf(buf, CAL_DATE_LEN, "invalid");
		return;
	}
	/* Digit by digit: snprintf costs more than a case's answer wants. */
	y = (unsigned)cd->cd_year % 10000;
	m = (unsigned)cd->cd_month % 100;
	d = (unsigned)cd->cd_day % 100;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int
cal_date_cmp(const struct cal_date *a, const struct cal_date *b)
{
	if (a->cd_year != b->cd_year)
		return a->cd_year < b->cd_year ? -1 : 1;
	if (a->cd_month != b->cd_month)
		return a->cd_month < b->cd_month ? -1 : 1;
	if (a->cd_day != b->cd_day)
		return a->cd_day < b->cd_day ? -1 : 1;
	return 0;
}

/*
 * Days from and to civil dates in the proleptic Gregorian calendar, after
 * the well-known public-domain days-from-civil algorithms: a year is
 * shifted to start in March so that the leap day is the last day of the
 * year, and 400-year eras make the arithmetic exact for negative years too.
 */
int64_t
cal_date_to_days(const struct cal_date *cd)
{
	int64_t	y = cd->cd_year, era, yoe, doy, doe;
	int	m = cd->cd_month, d = cd->cd_day;

	y -= m <= 2;
	era = cal_floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
cal_date_from_days(int64_t z, struct cal_date *cd)
{
	int64_t	era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = cal_floordiv(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	cd->cd_year = (int)(y + (m <= 2));
	cd->cd_month = (int)m;
	cd->cd_day = (int)d;
}

void
cal_date_add_days(struct cal_date *cd, int n)
{
	cal_date_from_days(cal_date_to_days(cd) + n, cd);
}

void
cal_date_add_months(struct cal_date *cd, int n)
{
	int64_t	months = (int64_t)cd->cd_year * 12 + (cd->cd_month - 1) + n;
	int	dim;

	cd->cd_year = (int)cal_floordiv(months, 12);
	cd->cd_month = (int)(months - (int64_t)cd->cd_year * 12) + 1;
	dim = cal_days_in_month(cd->cd_year, cd->cd_month);
	if (cd->cd_day > dim)
		cd->cd_day = dim;
}

int
cal_days_in_month(int year, int month)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			leap;

	if (month < 1 || month > 12)
		return 0;
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return days[month - 1] + (month == 2 && leap);
}

int
cal_weekday(const struct cal_date *cd)
{
	int64_t	d = cal_date_to_days(cd) + 3;	/* 1970-01-01: Thursday */

	return (int)(d - cal_floordiv(d, 7) * 7) + 1;
}

void
cal_local_date(int64_t ms, struct cal_date *cd)
{
	time_t		t = (time_t)cal_floordiv(ms, MS_PER_SEC);
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL) {
		/* Beyond what struct tm holds: the UTC date is the best left. */
		cal_date_from_days(cal_floordiv(ms, MS_PER_DAY), cd);
		return;
	}
	cd->cd_year = tm.tm_year + 1900;
	cd->cd_month = tm.tm_mon + 1;
	cd->cd_day = tm.tm_mday;
}

int64_t
cal_local_midnight(const struct cal_date *cd)
{
	return cal_local_to_utc(cal_date_to_days(cd) * 86400) * MS_PER_SEC;
}

/*
 * Local wall-clock time with the offset in force at that instant.  ISO 8601
 * offsets have whole minutes; zones had offsets with seconds only before
 * 1940 (Amsterdam: +00:19:32), and such instants are written in UTC so that
 * what is written still reads back as the same instant.
 */
void
cal_format_time(int64_t ms, char buf[CAL_TIME_LEN])
{
	int64_t		 secs = cal_floordiv(ms, MS_PER_SEC), sod;
	int		 frac = (int)(ms - secs * MS_PER_SEC), utc;
	long		 off, aoff;
	struct cal_date	 cd;
	char		*p = buf;

	cal_display(secs, &cd, &sod, &off, &utc);
	if (!cal_date_valid(cd.cd_year, cd.cd_month, cd.cd_day)) {
		snprintf(buf, CAL_TIME_LEN, "invalid");
		return;
	}
	/*
	 * Digit by digit: every time in every answer comes through here,
	 * and snprintf took ten times as long.
	 */
	p = cal_put_digits(p, (unsigned)cd.cd_year % 10000, 4);
	*p++ = '-';
	p = cal_put_digits(p, (unsigned)cd.cd_month % 100, 2);
	*p++ = '-';
	p = cal_put_digits(p, (unsigned)cd.cd_day % 100, 2);
	*p++ = 'T';
	p = cal_put_digits(p, (unsigned)(sod / 3600) % 24, 2);
	*p++ = ':';
	p = cal_put_digits(p, (unsigned)(sod / 60) % 60, 2);
	*p++ = ':';
	p = cal_put_digits(p, (unsigned)sod % 60, 2);
	if (frac != 0) {
		*p++ = '.';
		p = cal_put_digits(p, (unsigned)frac % 1000, 3);
	}
	if (utc)
		*p++ = 'Z';
	else {
		aoff = off < 0 ? -off : off;
		*p++ = off < 0 ? '-' : '+';
		p = cal_put_digits(p, (unsigned)(aoff / 3600) % 24, 2);
		*p++ = ':';
		p = cal_put_digits(p, (unsigned)(aoff / 60) % 60, 2);
	}
	*p = '\0';
}

/* v as exactly n decimal digits, zeros in front; the end of what it wrote. */
static char *
cal_put_digits(char *p, unsigned v, int n)
{
	int	i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/*
 * A date as a reader of the current language reads it: ISO 8601 in the
 * source language (English: what the API and its clients have always
 * shown), written out in a translation ("maandag 14 december 2026"), with
 * the weekday where it helps to know it.
 */
void
cal_date_words(const struct cal_date *cd, int weekday, char buf[CAL_WORDS_LEN])
{
	static const char *const months[] = {
		N_("January"), N_("February"), N_("March"), N_("April"),
		N_("May"), N_("June"), N_("July"), N_("August"),
		N_("September"), N_("October"), N_("November"), N_("December"),
	};
	static const char *const days[] = {
		N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
		N_("Friday"), N_("Saturday"), N_("Sunday"),
	};

	if (i18n_is_source() || cd->cd_month < 1 || cd->cd_month > 12) {
		cal_date_format(cd, buf);
		return;
	}
	if (weekday)
		/* TRANSLATORS: weekday, day, month, year: "Monday 14 December 2026". */
		snprintf(buf, CAL_WORDS_LEN, _("%s %d %s %d"),
		    _(days[(cal_weekday(cd) + 6) % 7]), cd->cd_day,
		    _(months[cd->cd_month - 1]), cd->cd_year);
	else
		/* TRANSLATORS: day, month, year: "14 December 2026". */
		snprintf(buf, CAL_WORDS_LEN, _("%d %s %d"), cd->cd_day,
		    _(months[cd->cd_month - 1]), cd->cd_year);
}

/* An instant likewise: ISO 8601, or "dinsdag 15 december 2026 om 00.00 uur". */
void
cal_time_words(int64_t ms, char buf[CAL_WORDS_LEN])
{
	int64_t		 secs = cal_floordiv(ms, MS_PER_SEC), sod;
	long		 off;
	int		 utc;
	struct cal_date	 cd;
	char		 date[CAL_WORDS_LEN];

	if (i18n_is_source()) {
		cal_format_time(ms, buf);
		return;
	}
	cal_display(secs, &cd, &sod, &off, &utc);
	if (!cal_date_valid(cd.cd_year, cd.cd_month, cd.cd_day)) {
		cal_format_time(ms, buf);
		return;
	}
	cal_date_words(&cd, 1, date);
	/* TRANSLATORS: a date, then hours and minutes: "... at 00:00". */
	snprintf(buf, CAL_WORDS_LEN, _("%s at %02u:%02u"), date,
	    (unsigned)(sod / 3600) % 24, (unsigned)(sod / 60) % 60);
}

int
cal_parse_time(const char *s, int64_t *ms)
{
	return cal_parse(s, 0, ms, NULL, NULL, 0, NULL, 0);
}

int
cal_parse_time_err(const char *s, int64_t *ms, char *err, size_t errlen)
{
	return cal_parse(s, 0, ms, NULL, NULL, 0, err, errlen);
}

int
cal_parse_time_note(const char *s, int64_t *ms, char *note, size_t notelen,
    char *err, size_t errlen)
{
	return cal_parse(s, 0, ms, NULL, note, notelen, err, errlen);
}

int
cal_parse_timestamp(const char *s, int64_t *ms, int *offset)
{
	return cal_parse(s, 1, ms, offset, NULL, 0, NULL, 0);
}

/*
 * ISO 8601 timestamps as RFC 3339 writes them, and as people type them: the
 * seconds may be left out (2026-11-28T14:00), and so may the offset, which
 * makes the time local, in the zone of calendar_init.  This is the one
 * parser of times for the API, the configuration and termijnctl, so that
 * every one of them reads a local time the same way (cal_parse_local).  A
 * bare date (unless need_time) is 00:00 local, the moment that date
 * begins.  Fractions are cut to milliseconds.  *offset, when asked for, is
 * the offset written (for a local time, the zone's offset then), in
 * seconds east of UTC; note, when given, is set ("" when there is nothing
 * to say).
 */
static int
cal_parse(const char *s, int need_time, int64_t *ms, int *offset, char *note,
    size_t notelen, char *err, size_t errlen)
{
	struct cal_date	 cd;
	int		 y, mo, d, h, mi, sec = 0, frac = 0, oh, om, ndig, sign;
	int		 utc, with_sec;
	const char	*p, *why;
	int64_t		 t, sod;
	long		 off;

	if (note != NULL && notelen > 0)
		note[0] = '\0';
	if (s == NULL || *s == '\0')
		return cal_time_error(err, errlen, "", "empty timestamp");
	if (cal_digits(s, 4, &y) == -1 || s[4] != '-' ||
	    cal_digits(s + 5, 2, &mo) == -1 || s[7] != '-' ||
	    cal_digits(s + 8, 2, &d) == -1)
		return cal_time_error(err, errlen, s,
		    "expected a date YYYY-MM-DD");
	if ((why = cal_date_problem(y, mo, d)) != NULL)
		return cal_time_error(err, errlen, s, why);
	cd.cd_year = y;
	cd.cd_month = mo;
	cd.cd_day = d;
	p = s + 10;
	if (*p == '\0' && !need_time) {
		*ms = cal_local_midnight(&cd);
		return 0;
	}
	if (*p != 'T' && *p != 't')
		return cal_time_error(err, errlen, s,
		    "expected 'T' and a time after the date");
	p++;
	if (cal_digits(p, 2, &h) == -1 || p[2] != ':' ||
	    cal_digits(p + 3, 2, &mi) == -1 ||
	    (p[5] == ':' && cal_digits(p + 6, 2, &sec) == -1))
		return cal_time_error(err, errlen, s,
		    "expected a time HH:MM or HH:MM:SS");
	if (h > 23)
		return cal_time_error(err, errlen, s, "hour out of range");
	if (mi > 59)
		return cal_time_error(err, errlen, s, "minute out of range");
	if (sec > 59)
		return cal_time_error(err, errlen, s,
		    "second out of range (leap seconds are not supported)");
	with_sec = p[5] == ':';
	p += with_sec ? 8 : 5;
	if ((*p == '.' || *p == ',') && with_sec) {
		p++;
		for (ndig = 0; isdigit((unsigned char)p[ndig]); ndig++) {
			if (ndig < 3)
				frac = frac * 10 + (p[ndig] - '0');
		}
		if (ndig == 0 || ndig > 9)
			return cal_time_error(err, errlen, s,
			    "expected 1 to 9 digits of a fraction of a second");
		for (; ndig < 3; ndig++)
			frac *= 10;
		while (isdigit((unsigned char)*p))
			p++;
	}
	t = cal_date_to_days(&cd) * 86400 + h * 3600 + mi * 60 + sec;
	if (*p == '\0') {
		/* No offset: what a clock on the wall in the zone shows. */
		if (cal_parse_local(s, t, &t, note, notelen, err, errlen) == -1)
			return -1;
		off = cal_gmtoff(t);
		sign = off < 0 ? -1 : 1;
		oh = (int)((off < 0 ? -off : off) / 3600);
		om = (int)((off < 0 ? -off : off) / 60 % 60);
	} else if (*p == 'Z' || *p == 'z') {
		oh = om = 0;
		sign = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (cal_digits(p + 1, 2, &oh) == -1 || p[3] != ':' ||
		    cal_digits(p + 4, 2, &om) == -1)
			return cal_time_error(err, errlen, s,
			    "expected an offset +HH:MM");
		if (oh > 23 || om > 59)
			return cal_time_error(err, errlen, s,
			    "offset out of range");
		p += 6;
		t -= sign * (oh * 3600 + om * 60);
	} else
		return cal_time_error(err, errlen, s,
		    "expected Z or an offset +HH:MM after the time, or"
		    " nothing (local time)");
	if (*p != '\0')
		return cal_time_error(err, errlen, s,
		    "unexpected text after the timestamp");
	/* An offset can push the instant out of the years termijn writes. */
	cal_display(t, &cd, &sod, &off, &utc);
	if ((why = cal_date_problem(cd.cd_year, cd.cd_month, cd.cd_day)) !=
	    NULL)
		return cal_time_error(err, errlen, s, why);
	*ms = t * MS_PER_SEC + frac;
	if (offset != NULL)
		*offset = sign * (oh * 3600 + om * 60);
	return 0;
}

/*
 * A local time without an offset (lsecs: seconds since the epoch as if
 * local time were UTC), as the instant it names in the zone.  Twice a year
 * that is not one instant.  When the clocks go forward (Europe/Amsterdam:
 * the last Sunday of March, 02:00 becomes 03:00) the hour in between never
 * shows on a clock, so a time in it names nothing: refused, saying so,
 * rather than moved to a moment the person did not write.  When they go
 * back (the last Sunday of October, 03:00 becomes 02:00) the hour shows
 * twice: the first is taken, the earlier instant (still summer time), and
 * note says so and how to write the second.
 */
static int
cal_parse_local(const char *s, int64_t lsecs, int64_t *t, char *note,
    size_t notelen, char *err, size_t errlen)
{
	const char	*zone = cal_zone[0] != '\0' ? cal_zone : "local time";
	int64_t		 at[2];
	char		 msg[256], from[8], to[8], first[CAL_TIME_LEN];
	char		 second[CAL_TIME_LEN], day[CAL_DATE_LEN];
	struct cal_date	 cd;
	int64_t		 change;

	cal_date_from_days(cal_floordiv(lsecs, 86400), &cd);
	cal_date_format(&cd, day);
	switch (cal_local_instants(lsecs, at)) {
	case 0:
		/* at[0]: the change; the clock jumps from, to. */
		cal_hhmm(at[0] + cal_gmtoff(at[0] - 1), from, sizeof(from));
		cal_hhmm(at[0] + cal_gmtoff(at[0]), to, sizeof(to));
		snprintf(msg, sizeof(msg), "no such time in %s: on %s the"
		    " clocks go forward from %s to %s; give a time outside"
		    " that gap, or an offset", zone, day, from, to);
		return cal_time_error(err, errlen, s, msg);
	case 2:
		cal_format_time(at[0] * MS_PER_SEC, first);
		cal_format_time(at[1] * MS_PER_SEC, second);
		change = cal_change(at[0], at[1]);
		cal_hhmm(change + cal_gmtoff(change - 1), from, sizeof(from));
		cal_hhmm(change + cal_gmtoff(change), to, sizeof(to));
		if (note != NULL && notelen > 0) {
			quote_input(s, strlen(s), msg, sizeof(msg));
			snprintf(note, notelen, "%s happens twice in %s: on %s"
			    " the clocks go back from %s to %s; taken as the"
			    " first, %s (for the second, write %s)", msg, zone,
			    day, from, to, first, second);
		}
		break;
	}
	*t = at[0];
	return 0;
}

/*
 * The instants at which the local clock shows lsecs, earliest first: 0, 1
 * or 2 of them.  The offsets a day before and a day after are the only
 * candidates, as no zone changes its clock twice within two days.  With
 * none, at[0] is the moment of the change that skips it.
 */
static int
cal_local_instants(int64_t lsecs, int64_t at[2])
{
	long	oa = cal_gmtoff(lsecs - 86400), ob = cal_gmtoff(lsecs + 86400);
	int64_t	ta = lsecs - oa, tb = lsecs - ob;
	int	va = cal_gmtoff(ta) == oa;
	int	vb = cal_gmtoff(tb) == ob && oa != ob;

	if (va && vb) {
		at[0] = ta < tb ? ta : tb;
		at[1] = ta < tb ? tb : ta;
		return 2;
	}
	if (va || vb) {
		at[0] = va ? ta : tb;
		return 1;
	}
	at[0] = cal_change(ta < tb ? ta : tb, ta < tb ? tb : ta);
	return 0;
}

/* The first second in (lo, hi] with hi's offset: when the clocks changed. */
static int64_t
cal_change(int64_t lo, int64_t hi)
{
	long	off = cal_gmtoff(hi);
	int64_t	mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal_gmtoff(mid) == off)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* HH:MM of seconds since the epoch as if local time were UTC. */
static void
cal_hhmm(int64_t lsecs, char *buf, size_t len)
{
	int64_t	sod = lsecs - cal_floordiv(lsecs, 86400) * 86400;

	snprintf(buf, len, "%02u:%02u", (unsigned)(sod / 3600) % 24,
	    (unsigned)(sod / 60) % 60);
}

/*
 * Atw art. 3: the holidays fixed by the act itself, then the days a royal
 * decree equates to them.  The act's list is computed, so it holds for any
 * year; the decree days are data, never guessed.
 */
const char *
cal_holiday(const struct cal_date *cd)
{
	struct cal_date		 e;
	struct cal_decree	 key, *hit;
	int64_t			 day, easter;
	int			 y = cd->cd_year, m = cd->cd_month, d = cd->cd_day;

	if (m == 1 && d == 1)
		return N_("New Year's Day");
	if (m == 12 && d == 25)
		return N_("Christmas Day");
	if (m == 12 && d == 26)
		return N_("Boxing Day");
	if (m == 5 && d == 5)
		return N_("Liberation Day");
	if (m == 4 && y >= 2014) {
		/* The King's birthday; moved to Saturday the 26th from Sunday. */
		e.cd_year = y;
		e.cd_month = 4;
		e.cd_day = 27;
		if (cal_weekday(&e) == 7)
			e.cd_day = 26;
		if (d == e.cd_day)
			return N_("King's Day");
	} else if (m == 4) {
		/* Queen's Day until 2013 (the Sunday rule of 1980-2013). */
		e.cd_year = y;
		e.cd_month = 4;
		e.cd_day = 30;
		if (cal_weekday(&e) == 7)
			e.cd_day = 29;
		if (d == e.cd_day)
			return N_("Queen's Day");
	}

	day = cal_date_to_days(cd);
	if (m >= 3 && m <= 6) {
		cal_easter(y, &e);
		easter = cal_date_to_days(&e);
		if (day == easter - 2)
			return N_("Good Friday");
		if (day == easter + 1)
			return N_("Easter Monday");
		if (day == easter + 39)
			return N_("Ascension Day");
		if (day == easter + 50)
			return N_("Whit Monday");
	}

	if (cal_decrees.cs_ndays == 0)
		return NULL;
	key.cr_day = day;
	key.cr_name = NULL;
	hit = bsearch(&key, cal_decrees.cs_days, cal_decrees.cs_ndays,
	    sizeof(*cal_decrees.cs_days), cal_decree_cmp);
	return hit != NULL ? hit->cr_name : NULL;
}

/* The same in the language of the messages, written into buf. */
const char *
cal_holiday_words(const struct cal_date *cd, char buf[CAL_WORDS_LEN])
{
	struct cal_decree	 key, *hit;
	const char		*name;

	if ((name = cal_holiday(cd)) == NULL)
		return NULL;
	key.cr_day = cal_date_to_days(cd);
	key.cr_name = NULL;
	hit = cal_decrees.cs_ndays == 0 ? NULL : bsearch(&key,
	    cal_decrees.cs_days, cal_decrees.cs_ndays,
	    sizeof(*cal_decrees.cs_days), cal_decree_cmp);
	if (hit != NULL && hit->cr_name == name)
		snprintf(buf, CAL_WORDS_LEN, _("%s (equated by royal decree)"),
		    _(hit->cr_reason));
	else
		snprintf(buf, CAL_WORDS_LEN, "%s", _(name));
	return buf;
}

int
cal_decree_known(int year)
{
	if (cal_decrees.cs_nyears == 0)
		return 0;
	return bsearch(&year, cal_decrees.cs_years, cal_decrees.cs_nyears,
	    sizeof(*cal_decrees.cs_years), cal_int_cmp) != NULL;
}

const char *
cal_closure(const struct cal_date *cd)
{
	int64_t	day;

	if (cal_nclosures == 0)
		return NULL;
	day = cal_date_to_days(cd);
	if (bsearch(&day, cal_closures, cal_nclosures, sizeof(*cal_closures),
	    cal_int64_cmp) != NULL)
		return "municipal closure day";
	return NULL;
}

int
cal_is_working_day(const struct cal_date *cd, int with_closures)
{
	if (cal_weekday(cd) >= 6)
		return 0;
	if (cal_holiday(cd) != NULL)
		return 0;
	if (with_closures && cal_closure(cd) != NULL)
		return 0;
	return 1;
}

/* The zone must exist as a compiled tzdata file: "TZif" at its start. */
static int
cal_zone_check(const char *tz, struct errlist *errs)
{
	char		*path;
	const char	*p;
	FILE		*f;
	char		 magic[4];
	size_t		 n;

	if (tz == NULL || *tz == '\0') {
		errlist_add(errs, "no time zone given");
		return -1;
	}
	for (p = tz; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			break;
	}
	if (*p != '\0' || *tz == '/' || strstr(tz, "..") != NULL ||
	    strlen(tz) > 64) {
		errlist_add(errs, "time zone \"%.64s\": not a zone name such as "
		    "Europe/Amsterdam", tz);
		return -1;
	}
	xasprintf(&path, "%s/%s", CAL_ZONEINFO, tz);
	if ((f = fopen(path, "r")) == NULL) {
		errlist_add(errs, "time zone \"%s\" not found in %s (%s)", tz,
		    CAL_ZONEINFO, strerror(errno));
		free(path);
		return -1;
	}
	n = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	if (n != sizeof(magic) || memcmp(magic, "TZif", 4) != 0) {
		errlist_add(errs, "time zone \"%s\": %s is not a tzdata file",
		    tz, path);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/*
 * One entry a line: "YYYY-MM-DD  reason" or "year YYYY"; '#' starts a
 * comment.  A date line also declares its year complete: whoever adds a day
 * has read that year's decree, which lists all of its days.  Every error is
 * reported, then the whole file is refused.
 */
static int
cal_decree_load(const char *file, struct cal_decrees *d,
    struct errlist *errs)
{
	FILE		*f;
	char		*line = NULL, *p, *q, *end, *name;
	size_t		 cap = 0, i;
	ssize_t		 len;
	unsigned long	 lineno = 0;
	int		 bad = 0, year;
	struct cal_date	 cd;
	char		 tok[16], why_buf[128];

	if ((f = fopen(file, "r")) == NULL) {
		errlist_add(errs, "%s: %s", file, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if ((size_t)len != strlen(line)) {
			errlist_add(errs, "%s:%lu: NUL byte in line", file,
			    lineno);
			bad = 1;
			continue;
		}
		for (p = line; *p != '\0'; p++) {
			if (*p == '#' && (p == line || isspace((unsigned char)
			    p[-1]))) {
				*p = '\0';
				break;
			}
		}
		p = line;
		while (isspace((unsigned char)*p))
			p++;
		end = p + strlen(p);
		while (end > p && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*p == '\0')
			continue;

		for (q = p; *q != '\0' && !isspace((unsigned char)*q); q++)
			;
		snprintf(tok, sizeof(tok), "%.*s", (int)(q - p), p);
		while (isspace((unsigned char)*q))
			q++;

		if (strcmp(tok, "year") == 0) {
			if (strlen(q) != 4 || cal_digits(q, 4, &year) == -1 ||
			    year < CAL_YEAR_MIN) {
				errlist_add(errs, "%s:%lu: expected \"year "
				    "YYYY\" from %d", file, lineno,
				    CAL_YEAR_MIN);
				bad = 1;
				continue;
			}
			cal_decree_year(d, year);
			continue;
		}
		if (strlen(tok) == CAL_DATE_LEN - 1 && tok[4] == '-' &&
		    tok[7] == '-' && cal_date_parse_err(tok, &cd, why_buf,
		    sizeof(why_buf)) == -1) {
			errlist_add(errs, "%s:%lu: %s", file, lineno, why_buf);
			bad = 1;
			continue;
		}
		if ((size_t)(q - p) > sizeof(tok) - 1 ||
		    cal_date_parse(tok, &cd) == -1) {
			errlist_add(errs, "%s:%lu: expected a date YYYY-MM-DD "
			    "or \"year YYYY\", not \"%.20s\"", file, lineno, tok);
			bad = 1;
			continue;
		}
		if (*q == '\0') {
			errlist_add(errs, "%s:%lu: %s: missing the reason after "
			    "the date", file, lineno, tok);
			bad = 1;
			continue;
		}
		for (i = 0; i < d->cs_ndays; i++) {
			if (d->cs_days[i].cr_day == cal_date_to_days(&cd))
				break;
		}
		if (i < d->cs_ndays) {
			errlist_add(errs, "%s:%lu: %s is listed twice", file,
			    lineno, tok);
			bad = 1;
			continue;
		}
		xasprintf(&name, "%s (equated by royal decree)", q);
		cal_decree_add(d, cal_date_to_days(&cd), name, xstrdup(q));
		cal_decree_year(d, cd.cd_year);
	}
	if (ferror(f)) {
		errlist_add(errs, "%s: %s", file, strerror(errno));
		bad = 1;
	}
	free(line);
	fclose(f);
	if (bad)
		return -1;
	if (d->cs_ndays > 0)
		qsort(d->cs_days, d->cs_ndays, sizeof(*d->cs_days),
		    cal_decree_cmp);
	if (d->cs_nyears > 0)
		qsort(d->cs_years, d->cs_nyears, sizeof(*d->cs_years),
		    cal_int_cmp);
	return 0;
}

static void
cal_decree_add(struct cal_decrees *d, int64_t day, char *name, char *reason)
{
	d->cs_days = xreallocarray(d->cs_days, d->cs_ndays + 1,
	    sizeof(*d->cs_days));
	d->cs_days[d->cs_ndays].cr_day = day;
	d->cs_days[d->cs_ndays].cr_name = name;
	d->cs_days[d->cs_ndays].cr_reason = reason;
	d->cs_ndays++;
}

static void
cal_decree_year(struct cal_decrees *d, int year)
{
	size_t	i;

	for (i = 0; i < d->cs_nyears; i++) {
		if (d->cs_years[i] == year)
			return;
	}
	d->cs_years = xreallocarray(d->cs_years, d->cs_nyears + 1,
	    sizeof(*d->cs_years));
	d->cs_years[d->cs_nyears++] = year;
}

static void
cal_decree_free(struct cal_decrees *d)
{
	size_t	i;

	for (i = 0; i < d->cs_ndays; i++) {
		free(d->cs_days[i].cr_name);
		free(d->cs_days[i].cr_reason);
	}
	free(d->cs_days);
	free(d->cs_years);
	memset(d, 0, sizeof(*d));
}

static int
cal_decree_cmp(const void *a, const void *b)
{
	const struct cal_decree	*x = a, *y = b;

	return (x->cr_day > y->cr_day) - (x->cr_day < y->cr_day);
}

static int
cal_int_cmp(const void *a, const void *b)
{
	const int	*x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

static int
cal_int64_cmp(const void *a, const void *b)
{
	const int64_t	*x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* Easter Sunday: the anonymous Gregorian computus. */
static void
cal_easter(int year, struct cal_date *cd)
{
	int	a, b, c, d, e, f, g, h, i, k, l, m;

	a = year % 19;
	b = year / 100;
	c = year % 100;
	d = b / 4;
	e = b % 4;
	f = (b + 8) / 25;
	g = (b - f + 1) / 3;
	h = (19 * a + b - d - g + 15) % 30;
	i = c / 4;
	k = c % 4;
	l = (32 + 2 * e + 2 * i - h - k) % 7;
	m = (a + 11 * h + 22 * l) / 451;
	cd->cd_year = year;
	cd->cd_month = (h + l - 7 * m + 114) / 31;
	cd->cd_day = (h + l - 7 * m + 114) % 31 + 1;
}

/*
 * The zone's offset from UTC in seconds at an instant.  localtime_r costs
 * thousands of instructions, and an answer writes the same few instants
 * (now, a deadline's midnight) several times over: the offsets of recent
 * instants are remembered, each for its exact second and for the zone it
 * was read in, per thread.
 */
static long
cal_gmtoff(int64_t secs)
{
	static __thread struct {
		int64_t		secs;
		long		off;
		unsigned	gen;
	}		 memo[64];
	time_t		 t = (time_t)secs;
	struct tm	 tm;
	uint64_t	 h = (uint64_t)secs;
	size_t		 i;

	h ^= h >> 7;
	h ^= h >> 17;
	i = (size_t)(h % nitems(memo));
	if (memo[i].gen == cal_zone_gen && memo[i].secs == secs)
		return memo[i].off;
	if (localtime_r(&t, &tm) == NULL)
		return 0;
	memo[i].secs = secs;
	memo[i].off = tm.tm_gmtoff;
	memo[i].gen = cal_zone_gen;
	return tm.tm_gmtoff;
}

/*
 * The date, second of the day and offset an instant is written with:
 * local time, or UTC when the zone's offset then had seconds.
 */
static void
cal_display(int64_t secs, struct cal_date *cd, int64_t *sod, long *off,
    int *utc)
{
	int64_t	lsecs;

	*off = cal_gmtoff(secs);
	*utc = *off % 60 != 0;
	if (*utc)
		*off = 0;
	lsecs = secs + *off;
	cal_date_from_days(cal_floordiv(lsecs, 86400), cd);
	*sod = lsecs - cal_floordiv(lsecs, 86400) * 86400;
}

/*
 * The instant at which the local clock shows lsecs (seconds since the epoch
 * as if local time were UTC).  When the local time occurs twice (clocks go
 * back), the earlier instant is taken; when it does not occur at all
 * (clocks go forward), the instant of the change, when the clock jumps
 * past it.
 */
static int64_t
cal_local_to_utc(int64_t lsecs)
{
	int64_t	at[2];

	(void)cal_local_instants(lsecs, at);
	return at[0];
}

/* Exactly n ASCII digits. */
static int
cal_digits(const char *s, int n, int *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int64_t
cal_floordiv(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Input is echoed short and printable, as in period_parse's messages. */
static int
cal_time_error(char *err, size_t errlen, const char *s, const char *msg)
{
	char	quoted[QUOTE_LEN];

	if (err == NULL || errlen == 0)
		return -1;
	quote_input(s, strlen(s), quoted, sizeof(quoted));
	snprintf(err, errlen, "timestamp \"%s\": %s", quoted, msg);
	return -1;
}
