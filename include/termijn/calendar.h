/* termijn: civil dates, Europe/Amsterdam local time, and holidays. */
#ifndef TERMIJN_CALENDAR_H
#define TERMIJN_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

struct errlist;

/* A civil date in the proleptic Gregorian calendar. */
struct cal_date {
	int	cd_year;
	int	cd_month;	/* 1..12 */
	int	cd_day;		/* 1..31 */
};

/*
 * The days termijn's calendar covers, local time: 1970-01-01 to 9999-12-31.
 * Before 1970 the zone's offsets had seconds (Amsterdam: +00:19:32) and
 * time_t-based zone data need not reach; after 9999 a year no longer fits
 * YYYY.  Every date and timestamp termijn reads is refused outside them.
 */
#define CAL_YEAR_MIN	1970
#define CAL_YEAR_MAX	9999
#define CAL_FIRST_DAY	"1970-01-01"
#define CAL_LAST_DAY	"9999-12-31"

#define CAL_DATE_LEN	11	/* "YYYY-MM-DD" and NUL */
#define CAL_TIME_LEN	32	/* "YYYY-MM-DDTHH:MM:SS.mmm+HH:MM" and NUL */

/*
 * Select the zone people see (normally "Europe/Amsterdam") and load the
 * days equated to holidays by royal decree from decree_file (NULL: the
 * shipped file).  Returns -1 and adds to errs when either cannot be used.
 */
int	 calendar_init(const char *tz, const char *decree_file, struct errlist *);
/* Only the zone, for a program that shows times but counts no periods. */
int	 calendar_set_zone(const char *tz, struct errlist *);
/* A municipality's own closure day; counts as a non-working day. */
void	 calendar_add_closure(const struct cal_date *);
void	 calendar_clear_closures(void);

int	 cal_date_valid(int year, int month, int day);
int	 cal_date_parse(const char *, struct cal_date *);	/* strict YYYY-MM-DD */
/* The same, with a message naming the problem in err on failure. */
int	 cal_date_parse_err(const char *, struct cal_date *, char *err,
	    size_t errlen);
void	 cal_date_format(const struct cal_date *, char buf[CAL_DATE_LEN]);
int	 cal_date_cmp(const struct cal_date *, const struct cal_date *);
int64_t	 cal_date_to_days(const struct cal_date *);	/* days since 1970-01-01 */
void	 cal_date_from_days(int64_t, struct cal_date *);
void	 cal_date_add_days(struct cal_date *, int);
/* Same date n months later, or the last day of a shorter month. */
void	 cal_date_add_months(struct cal_date *, int);
int	 cal_days_in_month(int year, int month);
int	 cal_weekday(const struct cal_date *);	/* ISO: 1 Monday .. 7 Sunday */

/* The local (zone of calendar_init) date of an instant. */
void	 cal_local_date(int64_t ms, struct cal_date *);
/* The instant at which a local date begins (00:00 local). */
int64_t	 cal_local_midnight(const struct cal_date *);
/* ISO 8601 in local time with its offset: 2026-02-13T00:00:00+01:00. */
void	 cal_format_time(int64_t ms, char buf[CAL_TIME_LEN]);
/*
 * For a person, in the language of the messages: ISO 8601 in English (as
 * above), written out in a translation ("maandag 14 december 2026", with
 * the weekday if asked; "... om 00.00 uur" for an instant).
 */
#define CAL_WORDS_LEN	96
void	 cal_date_words(const struct cal_date *, int weekday,
	    char buf[CAL_WORDS_LEN]);
void	 cal_time_words(int64_t ms, char buf[CAL_WORDS_LEN]);
/* cal_holiday() in the language of the messages, in buf; or NULL. */
const char *cal_holiday_words(const struct cal_date *, char buf[CAL_WORDS_LEN]);
/*
 * Parse an ISO 8601 timestamp (2026-01-05T09:30:00+01:00,
 * 2026-01-05T08:30:00Z, optional .fff; the seconds may be left out,
 * 2026-01-05T09:30), or a date (2026-01-05, meaning 00:00 local on that
 * date).  Without an offset a time is local, in the zone calendar_init
 * set: one that does not exist there (the hour the clocks skip in spring)
 * is refused; one that occurs twice (the hour they repeat in autumn) is
 * taken as the first.  Rejects impossible dates and times.
 */
int	 cal_parse_time(const char *, int64_t *ms);
/* The same, with a message naming the problem in err on failure. */
int	 cal_parse_time_err(const char *, int64_t *ms, char *err, size_t errlen);
/*
 * The same, and in note what a person should know of how the time was
 * read: that it occurs twice and the first was taken ("" otherwise).
 */
int	 cal_parse_time_note(const char *, int64_t *ms, char *note,
	    size_t notelen, char *err, size_t errlen);
#define CAL_NOTE_LEN	256	/* enough for any note of cal_parse_time_note */
/*
 * A timestamp only (no bare date), with the offset it was written with in
 * seconds east of UTC (for a local time, the zone's then): what the
 * writer's wall clock read, for termijnctl.
 */
int	 cal_parse_timestamp(const char *, int64_t *ms, int *offset);

/*
 * Holidays per Algemene termijnenwet art. 3 and days equated by decree.
 * cal_holiday returns the holiday's English name ("King's Day") or NULL.
 * cal_decree_known tells whether decree data exist for the year.
 */
const char *cal_holiday(const struct cal_date *);
int	 cal_decree_known(int year);
const char *cal_closure(const struct cal_date *);	/* "municipal closure day" or NULL */
/* Not a Saturday, Sunday, holiday, or (with closures) closure day. */
int	 cal_is_working_day(const struct cal_date *, int with_closures);

#endif /* TERMIJN_CALENDAR_H */
