/* termijn: periods, their rules, and the due moments they give. */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/i18n.h"
#include "termijn/period.h"
#include "termijn/quote.h"
#include "termijn/util.h"

/*
 * Input echoed in a message: QUOTE_MAX bytes, cut without the "..." that
 * quote_input adds in a QUOTE_LEN buffer, as period messages always were.
 */
#define PERIOD_QUOTE_LEN	(QUOTE_MAX + 1)
#define PERIOD_SKIP_LINES	20	/* holidays listed one by one, at most */

/* Working state of one period_due call. */
struct period_ctx {
	struct due	*pc_du;
	int		 pc_missing_from; /* years without decree data used */
	int		 pc_missing_to;
	int		 pc_quiet;	/* the moment only, no explanation */
};

static size_t	period_trimlen(const char *);
static int	period_count(const char **, int *);
static int	period_unit_word(const char *, size_t, enum period_unit *);
static int	period_error(char *, size_t, const char *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	period_words_format(const struct period *, char *, size_t);
static void	period_add(struct cal_date *, const struct period *, int);
static void	period_working_step(struct cal_date *, int, int);
static int	period_due_hours(struct period_ctx *, int64_t,
		    const struct period_spec *, const struct budget *,
		    const char *, char *, size_t);
static const char *period_atw_excluded(const struct period *);
static void	period_atw(struct period_ctx *, const struct cal_date *,
		    const struct period *, struct cal_date *);
static int	period_roll(struct period_ctx *, struct cal_date *, int);
static int	period_working_days(struct period_ctx *,
		    const struct cal_date *, int, struct cal_date *);
static void	period_backward_note(struct period_ctx *,
		    const struct cal_date *);
static const char *period_day_reason(const struct cal_date *, int);
static void	period_decree_check(struct period_ctx *,
		    const struct cal_date *);
static void	period_why(struct period_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	period_due_error(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static const struct {
	const char		*pw_word;
	enum period_unit	 pw_unit;
} period_words[] = {
	{ "hour",	PU_HOURS },
	{ "hours",	PU_HOURS },
	{ "day",	PU_DAYS },
	{ "days",	PU_DAYS },
	{ "week",	PU_WEEKS },
	{ "weeks",	PU_WEEKS },
	{ "month",	PU_MONTHS },
	{ "months",	PU_MONTHS },
	{ "year",	PU_YEARS },
	{ "years",	PU_YEARS },
};

static const char *period_rules[] = {
	[PR_PLAIN] =		"plain",
	[PR_ATW] =		"atw",
	[PR_WORKING_DAYS] =	"working_days",
	[PR_HOURS] =		"hours",
	[PR_BACKWARD] =		"backward",
};

/*
 * Two spellings are accepted: the ISO 8601 durations the ZGW standard uses
 * (P6W, P42D, P3M, P1Y, PT48H) and the words people write in workflow files
 * (6 weeks, 42 days).  One unit per period: a combined duration such as P1M2D
 * has no agreed legal counting (months first or days first?), so it is
 * refused rather than given a guessed meaning.
 */
int
period_parse(const char *s, struct period *p, char *err, size_t errlen)
{
	const char	*q, *w;
	size_t		 n;
	int		 count;
	enum period_unit unit;

	if (s == NULL)
		return period_error(err, errlen, "", "no period given");
	q = s;
	while (isspace((unsigned char)*q))
		q++;
	if (*q == '\0')
		return period_error(err, errlen, s, "empty period");

	if (*q == 'P' || *q == 'p') {
		int	time = 0;

		q++;
		if (*q == 'T' || *q == 't') {
			time = 1;
			q++;
		}
		if (!isdigit((unsigned char)*q))
			return period_error(err, errlen, s,
			    "expected a number after \"P%s\"", time ? "T" : "");
		if (period_count(&q, &count) == -1)
			return period_error(err, errlen, s,
			    "count must be between 1 and %d", PERIOD_MAX_COUNT);
		if (*q == '.' || *q == ',')
			return period_error(err, errlen, s,
			    "fractional counts are not supported");
		switch (toupper((unsigned char)*q)) {
		case 'H':
			unit = PU_HOURS;
			break;
		case 'D':
			unit = PU_DAYS;
			break;
		case 'W':
			unit = PU_WEEKS;
			break;
		case 'M':
			if (time)
				return period_error(err, errlen, s,
				    "minutes are not supported; use hours");
			unit = PU_MONTHS;
			break;
		case 'Y':
			unit = PU_YEARS;
			break;
		case 'S':
			return period_error(err, errlen, s,
			    "seconds are not supported; use hours");
		case '\0':
			return period_error(err, errlen, s,
			    "missing unit designator after the count");
		default:
			return period_error(err, errlen, s,
			    "unknown designator '%c'",
			    isprint((unsigned char)*q) ? *q : '?');
		}
		if (time && unit != PU_HOURS)
			return period_error(err, errlen, s,
			    "only hours (H) may follow \"PT\"");
		if (!time && unit == PU_HOURS)
			return period_error(err, errlen, s,
			    "hours need a T: write \"PT%dH\"", count);
		q++;
		if (*q != '\0' && !isspace((unsigned char)*q))
			return period_error(err, errlen, s,
			    "combined durations are not supported; "
			    "use a single unit such as P6W or P42D");
		while (isspace((unsigned char)*q))
			q++;
		if (*q != '\0') {
			char	rest[PERIOD_QUOTE_LEN];

			quote_input(q, period_trimlen(q), rest, sizeof(rest));
			return period_error(err, errlen, s,
			    "unexpected text \"%s\"", rest);
		}
		p->p_count = count;
		p->p_unit = unit;
		return 0;
	}

	if (*q == '-' || *q == '+')
		return period_error(err, errlen, s,
		    "the count must be a positive whole number without a sign");
	if (!isdigit((unsigned char)*q))
		return period_error(err, errlen, s,
		    "expected a number, such as \"6 weeks\" or \"P6W\"");
	if (period_count(&q, &count) == -1)
		return period_error(err, errlen, s,
		    "count must be between 1 and %d", PERIOD_MAX_COUNT);
	if (*q == '.' || *q == ',')
		return period_error(err, errlen, s,
		    "fractional counts are not supported");
	while (isspace((unsigned char)*q))
		q++;
	if (*q == '\0')
		return period_error(err, errlen, s,
		    "missing unit (hours, days, weeks, months or years)");
	w = q;
	while (isalpha((unsigned char)*q))
		q++;
	n = q - w;
	if (*q != '\0' && !isspace((unsigned char)*q))
		n = 0;	/* "6 da#ys": name the whole word, not its start */
	if (n == 0 || period_unit_word(w, n, &unit) == -1) {
		char	word[PERIOD_QUOTE_LEN];

		n = strcspn(w, " \t\r\n\v\f");
		quote_input(w, n, word, sizeof(word));
		return period_error(err, errlen, s, "unknown unit \"%s\" "
		    "(expected hours, days, weeks, months or years)", word);
	}
	while (isspace((unsigned char)*q))
		q++;
	if (*q != '\0') {
		char	rest[PERIOD_QUOTE_LEN];

		quote_input(q, period_trimlen(q), rest, sizeof(rest));
		return period_error(err, errlen, s, "unexpected text \"%s\"",
		    rest);
	}
	p->p_count = count;
	p->p_unit = unit;
	return 0;
}

void
period_format(const struct period *p, char *buf, size_t len)
{
	switch (p->p_unit) {
	case PU_HOURS:
		snprintf(buf, len, "PT%dH", p->p_count);
		break;
	case PU_DAYS:
		snprintf(buf, len, "P%dD", p->p_count);
		break;
	case PU_WEEKS:
		snprintf(buf, len, "P%dW", p->p_count);
		break;
	case PU_MONTHS:
		snprintf(buf, len, "P%dM", p->p_count);
		break;
	case PU_YEARS:
		snprintf(buf, len, "P%dY", p->p_count);
		break;
	default:
		snprintf(buf, len, "P?");
		break;
	}
}

int
period_rule_parse(const char *s, enum period_rule *rule)
{
	size_t	i;

	if (s == NULL)
		return -1;
	for (i = 0; i < nitems(period_rules); i++) {
		if (strcasecmp(s, period_rules[i]) == 0) {
			*rule = (enum period_rule)i;
			return 0;
		}
	}
	return -1;
}

const char *
period_rule_name(enum period_rule rule)
{
	if ((size_t)rule >= nitems(period_rules))
		return "unknown";
	return period_rules[rule];
}

int
period_is_hours(const struct period *p)
{
	return p->p_unit == PU_HOURS;
}

/*
 * Period arithmetic
 *
 * A period is anchored at an instant (a decision sent, an agreement made)
 * and counted in whole local days from the day after it (Awb 6:8 for
 * objections and the convention elsewhere), so only the anchor's local date
 * matters: N days end N days after that date, N weeks on the same weekday N
 * weeks later, N months on the same date N months later, or on the last day
 * of a shorter month (31 January + 1 month = 28 or 29 February), and years
 * likewise.  The result is the period's last day, du_date; the period runs
 * to the end of that day, so du_at, the instant from which it is overdue, is
 * 00:00 local on the next day.  Keeping the date and the instant apart is
 * what avoids the classic off-by-one-day error of deadline systems, and
 * midnight is looked up in the zone's tzdata so that a clock change in the
 * night does not move it.
 *
 * Periods in hours are elapsed time, whatever the rule: anchor + N hours,
 * not N hours on the wall clock, so 48 hours across the night the clocks go
 * forward end at 13:00 where they started at 12:00.  Only "backward" counts
 * them back.
 *
 * On top of the raw end one rule applies:
 * - plain: calendar arithmetic only.  A municipality may roll its own
 *   periods forward past weekends and holidays as a courtesy (ps_courtesy),
 *   exactly like Atw art. 1 but without art. 2.
 * - atw: the Algemene termijnenwet for statutory periods.  Art. 1 moves an
 *   end on a Saturday, Sunday or holiday (art. 3 and decree days) to the next
 *   day that is none of these; art. 2 extends a period of at least three days
 *   until it contains two such days.  Art. 4 excludes periods in hours and
 *   periods of more than 90 days, 12 weeks or 3 months, or of a year or more;
 *   those keep their raw end.  The articles are applied in the order 1, 2;
 *   either order gives the same day, as art. 2 always ends on a working day.
 * - working_days: N days that are not a Saturday, Sunday, holiday, decree day
 *   or municipal closure day, after the anchor date.  Days only.
 * - hours: elapsed time, as above; the period must be in hours.
 * - backward: counted back from the anchor (a hearing): the last day on
 *   which something may still happen is N units before it.  Never moved:
 *   the Atw does not apply to periods counted backwards, and moving such a
 *   day forward would shorten the time the other party has.
 *
 * Limits.  Holidays of a year whose decree data are not known are computed
 * without decree days; du_decree_missing then says the date may still move,
 * and the explanation names the year.  Municipal closure days count only for
 * working_days, as the law does not know them.  Suspension (opschorting) and
 * extension are not a period's business: the engine shifts the anchor or
 * adds periods and applies the rule to the final date.  Combined periods
 * (P1M2D) are refused by period_parse.  Dates run from year 1 to 9999.
 */
int
period_due(int64_t anchor, const struct period_spec *ps, struct due *du,
    char *err, size_t errlen)
{
	return period_due_budget(anchor, ps, NULL, du, err, errlen);
}

int
period_due_budget(int64_t anchor, const struct period_spec *ps,
    const struct budget *bu, struct due *du, char *err, size_t errlen)
{
	static const struct budget	 none;
	struct period_ctx	 pc;
	size_t			 i;
	const struct period	*p = &ps->ps_period;
	struct cal_date		 a, end;
	char			 what[32], ad[CAL_WORDS_LEN], ed[CAL_WORDS_LEN];
	char			 at[CAL_WORDS_LEN];

	memset(du, 0, sizeof(*du));
	memset(&pc, 0, sizeof(pc));
	pc.pc_du = du;
	if (bu == NULL)
		bu = &none;
	pc.pc_quiet = bu->bu_quiet;
	if (bu->bu_suspended_days < 0 || bu->bu_suspended_ms < 0 ||
	    bu->bu_suspended_days > 366 * 100)
		return period_due_error(err, errlen, "invalid suspension");
	for (i = 0; i < bu->bu_next; i++)
		if (bu->bu_ext[i].p_count < 1 ||
		    bu->bu_ext[i].p_count > PERIOD_MAX_COUNT ||
		    (bu->bu_ext[i].p_unit == PU_HOURS) !=
		    (ps->ps_period.p_unit == PU_HOURS) ||
		    (ps->ps_rule == PR_WORKING_DAYS &&
		    bu->bu_ext[i].p_unit != PU_DAYS))
			return period_due_error(err, errlen, "an extension must"
			    " be counted like its period (hours with hours,"
			    " working days in days)");
	if (ps->ps_rule == PR_BACKWARD && (bu->bu_next > 0 ||
	    bu->bu_suspended_days > 0 || bu->bu_suspended_ms > 0))
		return period_due_error(err, errlen, "a backward period cannot"
		    " be suspended or extended");
	if (p->p_count < 1 || p->p_count > PERIOD_MAX_COUNT ||
	    (int)p->p_unit < PU_HOURS || p->p_unit > PU_YEARS)
		return period_due_error(err, errlen, "invalid period");
	if ((size_t)ps->ps_rule >= nitems(period_rules))
		return period_due_error(err, errlen, "invalid rule");
	cal_local_date(anchor, &a);
	if (!cal_date_valid(a.cd_year, a.cd_month, a.cd_day))
		return period_due_error(err, errlen,
		    "anchor out of range (" CAL_FIRST_DAY " to "
		    CAL_LAST_DAY ")");
	period_words_format(p, what, sizeof(what));

	if (ps->ps_rule == PR_WORKING_DAYS && p->p_unit != PU_DAYS)
		return period_due_error(err, errlen, "rule working_days needs "
		    "a period in days, such as \"10 days\", not %s", what);
	if (ps->ps_rule == PR_HOURS && p->p_unit != PU_HOURS)
		return period_due_error(err, errlen, "rule hours needs a "
		    "period in hours, such as \"48 hours\", not %s", what);
	if (p->p_unit == PU_HOURS)
		return period_due_hours(&pc, anchor, ps, bu, what, err, errlen);

	cal_date_words(&a, 0, ad);
	end = a;
	if (ps->ps_rule == PR_BACKWARD) {
		period_add(&end, p, -1);
		if (!cal_date_valid(end.cd_year, end.cd_month, end.cd_day))
			return period_due_error(err, errlen,
			    _("%s back from %s is out of range"), what, ad);
		cal_date_words(&end, 1, ed);
		period_why(&pc, _("%s back from %s: %s"), what, ad, ed);
		period_backward_note(&pc, &end);
		period_why(&pc, _("rule backward: counted back from the anchor"
		    " and never moved (the Algemene termijnenwet does not apply"
		    " to periods counted backwards)"));
		goto done;
	}

	if (ps->ps_rule == PR_WORKING_DAYS) {
		int	n = p->p_count;

		/* Suspended days do not count; extensions add working days. */
		if (bu->bu_suspended_days > 0) {
			cal_date_add_days(&a, bu->bu_suspended_days);
			cal_date_words(&a, 0, ed);
			period_why(&pc, P_("suspended %d day, so counted as from"
			    " %s", "suspended %d days, so counted as from %s",
			    bu->bu_suspended_days), bu->bu_suspended_days, ed);
		}
		for (i = 0; i < bu->bu_next; i++) {
			n += bu->bu_ext[i].p_count;
			period_why(&pc, P_("extended by %d working day",
			    "extended by %d working days", bu->bu_ext[i].p_count),
			    bu->bu_ext[i].p_count);
		}
		if (n > PERIOD_MAX_COUNT ||
		    period_working_days(&pc, &a, n, &end) == -1)
			return period_due_error(err, errlen,
			    _("%s from %s is out of range"), what, ad);
		goto done;
	}

	period_add(&end, p, 1);
	if (!cal_date_valid(end.cd_year, end.cd_month, end.cd_day))
		return period_due_error(err, errlen,
		    _("%s from %s is out of range"), what, ad);
	cal_date_words(&end, 1, ed);
	period_why(&pc, _("%s from %s: raw end %s"), what, ad, ed);
	for (i = 0; i < bu->bu_next; i++) {
		char	ext[32];

		period_add(&end, &bu->bu_ext[i], 1);
		if (!cal_date_valid(end.cd_year, end.cd_month, end.cd_day))
			return period_due_error(err, errlen,
			    _("the extended period is out of range"));
		period_words_format(&bu->bu_ext[i], ext, sizeof(ext));
		cal_date_words(&end, 1, ed);
		period_why(&pc, _("extended by %s: %s"), ext, ed);
	}
	if (bu->bu_suspended_days > 0) {
		cal_date_add_days(&end, bu->bu_suspended_days);
		if (!cal_date_valid(end.cd_year, end.cd_month, end.cd_day))
			return period_due_error(err, errlen,
			    _("the suspended period is out of range"));
		cal_date_words(&end, 1, ed);
		period_why(&pc, P_("suspended %d day, which does not count: %s",
		    "suspended %d days, which do not count: %s",
		    bu->bu_suspended_days), bu->bu_suspended_days, ed);
	}

	switch (ps->ps_rule) {
	case PR_ATW:
		period_atw(&pc, &a, p, &end);
		break;
	case PR_PLAIN:
		if (!ps->ps_courtesy) {
			period_why(&pc, _("rule plain (calendar arithmetic,"
			    " not extended)"));
			break;
		}
		if (period_roll(&pc, &end, 0))
			period_why(&pc, _("rule plain, rolled forward past"
			    " weekends and holidays as a courtesy (as Atw"
			    " art. 1)"));
		else
			period_why(&pc, _("rule plain with courtesy: %s is a"
			    " working day, not moved"), ed);
		break;
	default:
		break;
	}
	if (!cal_date_valid(end.cd_year, end.cd_month, end.cd_day))
		return period_due_error(err, errlen,
		    _("%s from %s is out of range"), what, ad);

done:
	if (pc.pc_missing_from == pc.pc_missing_to && pc.pc_missing_from != 0)
		period_why(&pc, _("no decree data for %d: the days a royal"
		    " decree may equate to holidays are not known yet, so this"
		    " date may still move"), pc.pc_missing_from);
	else if (pc.pc_missing_from != 0)
		period_why(&pc, _("no decree data for %d to %d: the days a"
		    " royal decree may equate to holidays are not known yet, so"
		    " this date may still move"), pc.pc_missing_from,
		    pc.pc_missing_to);
	du->du_date = end;
	du->du_day_granular = 1;
	cal_date_add_days(&end, 1);
	du->du_at = cal_local_midnight(&end);
	cal_date_words(&du->du_date, 1, ed);
	cal_time_words(du->du_at, at);
	period_why(&pc, _("last day %s; overdue from %s"), ed, at);
	return 0;
}

void
due_free(struct due *du)
{
	size_t	i;

	for (i = 0; i < du->du_nwhy; i++)
		free(du->du_why[i]);
	free(du->du_why);
	du->du_why = NULL;
	du->du_nwhy = 0;
}

/* Reads 1..PERIOD_MAX_COUNT in decimal; leaves *sp after the digits. */
static int
period_count(const char **sp, int *count)
{
	const char	*s = *sp;
	long		 v = 0;
	int		 big = 0;

	while (isdigit((unsigned char)*s)) {
		if (v <= PERIOD_MAX_COUNT)
			v = v * 10 + (*s - '0');
		else
			big = 1;
		s++;
	}
	*sp = s;
	if (big || v < 1 || v > PERIOD_MAX_COUNT)
		return -1;
	*count = (int)v;
	return 0;
}

static int
period_unit_word(const char *w, size_t n, enum period_unit *unit)
{
	size_t	i;

	for (i = 0; i < nitems(period_words); i++) {
		if (strlen(period_words[i].pw_word) == n &&
		    strncasecmp(w, period_words[i].pw_word, n) == 0) {
			*unit = period_words[i].pw_unit;
			return 0;
		}
	}
	return -1;
}

/* Length of s without trailing white space. */
static size_t
period_trimlen(const char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

static int
period_error(char *err, size_t errlen, const char *s, const char *fmt, ...)
{
	char	 quoted[PERIOD_QUOTE_LEN], msg[256];
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	quote_input(s, strlen(s), quoted, sizeof(quoted));
	snprintf(err, errlen, "period \"%s\": %s", quoted, msg);
	return -1;
}

/* "6 weeks", "1 day": the period as people say it, for explanations. */
static void
period_words_format(const struct period *p, char *buf, size_t len)
{
	int	n = p->p_count;

	switch (p->p_unit) {
	case PU_HOURS:
		snprintf(buf, len, P_("%d hour", "%d hours", n), n);
		break;
	case PU_DAYS:
		snprintf(buf, len, P_("%d day", "%d days", n), n);
		break;
	case PU_WEEKS:
		snprintf(buf, len, P_("%d week", "%d weeks", n), n);
		break;
	case PU_MONTHS:
		snprintf(buf, len, P_("%d month", "%d months", n), n);
		break;
	case PU_YEARS:
		snprintf(buf, len, P_("%d year", "%d years", n), n);
		break;
	}
}

/* The raw end: sign 1 counts forward, -1 back. */
static void
period_add(struct cal_date *cd, const struct period *p, int sign)
{
	switch (p->p_unit) {
	case PU_DAYS:
		cal_date_add_days(cd, sign * p->p_count);
		break;
	case PU_WEEKS:
		cal_date_add_days(cd, sign * 7 * p->p_count);
		break;
	case PU_MONTHS:
		cal_date_add_months(cd, sign * p->p_count);
		break;
	case PU_YEARS:
		cal_date_add_months(cd, sign * 12 * p->p_count);
		break;
	case PU_HOURS:
		break;
	}
}

/*
 * Move a date by a period counted as a rule counts it: whole days, weeks,
 * months (to the same date or the last of a shorter month), years, or
 * working days.  Hours do not move a date.  Forward (sign 1) or back (-1).
 */
void
period_date_move(struct cal_date *cd, const struct period_spec *ps, int sign)
{
	if (ps->ps_rule == PR_WORKING_DAYS)
		period_working_step(cd, ps->ps_period.p_count, sign);
	else
		period_add(cd, &ps->ps_period, sign);
}

/* n working days (closure days included) forward or back. */
static void
period_working_step(struct cal_date *cd, int n, int sign)
{
	int	i;

	for (i = 0; i < n; ) {
		cal_date_add_days(cd, sign);
		if (cd->cd_year < 1 || cd->cd_year > 9999)
			return;
		if (cal_is_working_day(cd, 1))
			i++;
	}
}

/* Elapsed time: the instant itself, with no day rounding and no Atw. */
static int
period_due_hours(struct period_ctx *pc, int64_t anchor,
    const struct period_spec *ps, const struct budget *bu, const char *what,
    char *err, size_t errlen)
{
	struct due	*du = pc->pc_du;
	int64_t		 delta = ps->ps_period.p_count * MS_PER_HOUR;
	char		 from[CAL_WORDS_LEN], to[CAL_WORDS_LEN];
	struct cal_date	 cd;
	size_t		 i;
	int		 clocks;

	for (i = 0; i < bu->bu_next; i++) {
		delta += bu->bu_ext[i].p_count * MS_PER_HOUR;
		period_why(pc, P_("extended by %d hour", "extended by %d hours",
		    bu->bu_ext[i].p_count), bu->bu_ext[i].p_count);
	}
	if (bu->bu_suspended_ms > 0) {
		delta += bu->bu_suspended_ms;
		period_why(pc, P_("suspended for %lld minute, which does not"
		    " count", "suspended for %lld minutes, which do not count",
		    (uintmax_t)(bu->bu_suspended_ms / MS_PER_MIN)),
		    (long long)(bu->bu_suspended_ms / MS_PER_MIN));
	}

	du->du_at = ps->ps_rule == PR_BACKWARD ? anchor - delta :
	    anchor + delta;
	cal_local_date(du->du_at, &cd);
	if (!cal_date_valid(cd.cd_year, cd.cd_month, cd.cd_day))
		return period_due_error(err, errlen, _("%s from the anchor is"
		    " out of range"), what);
	du->du_date = cd;
	du->du_day_granular = 0;
	cal_format_time(anchor, from);
	cal_format_time(du->du_at, to);
	/* Both end in their offset, "+01:00". */
	clocks = strcmp(from + strlen(from) - 6, to + strlen(to) - 6) != 0;
	cal_time_words(anchor, from);
	cal_time_words(du->du_at, to);
	if (ps->ps_rule == PR_BACKWARD)
		period_why(pc, _("%s back from %s: %s (elapsed time)"), what,
		    from, to);
	else
		period_why(pc, _("%s from %s: %s (elapsed time)"), what, from,
		    to);
	if (clocks)
		period_why(pc, _("the clocks change in between, so the local"
		    " time of day differs"));
	switch (ps->ps_rule) {
	case PR_ATW:
		period_why(pc, _("rule atw: the Algemene termijnenwet does not"
		    " apply to periods in hours (art. 4)"));
		break;
	case PR_PLAIN:
		if (ps->ps_courtesy)
			period_why(pc, _("rule plain: a courtesy roll-forward"
			    " does not apply to hours"));
		else
			period_why(pc, _("rule plain"));
		break;
	case PR_HOURS:
		period_why(pc, _("rule hours"));
		break;
	default:
		period_why(pc, _("rule %s"), period_rule_name(ps->ps_rule));
		break;
	}
	period_why(pc, _("overdue from %s"), to);
	return 0;
}

/*
 * Atw art. 4: the act does not cover long periods.  The bounds are
 * inclusive: exactly 90 days, 12 weeks or 3 months are still covered.
 */
static const char *
period_atw_excluded(const struct period *p)
{
	switch (p->p_unit) {
	case PU_HOURS:
		return N_("periods in hours");
	case PU_DAYS:
		return p->p_count > 90 ? N_("periods of more than 90 days") : NULL;
	case PU_WEEKS:
		return p->p_count > 12 ? N_("periods of more than 12 weeks") : NULL;
	case PU_MONTHS:
		return p->p_count > 3 ? N_("periods of more than 3 months") : NULL;
	case PU_YEARS:
		return N_("periods of one year or more");
	}
	return NULL;
}

/* Atw art. 1, 2 and 4 on a raw end. */
static void
period_atw(struct period_ctx *pc, const struct cal_date *a,
    const struct period *p, struct cal_date *end)
{
	const char	*excl;
	struct cal_date	 d, first;
	char		 fd[CAL_WORDS_LEN], ed[CAL_WORDS_LEN], nd[CAL_WORDS_LEN];
	int		 art1, art2 = 0, n = 0;

	if ((excl = period_atw_excluded(p)) != NULL) {
		period_why(pc, _("rule atw: the Algemene termijnenwet does not"
		    " apply to %s (art. 4), so the raw end stands"), _(excl));
		return;
	}
	art1 = period_roll(pc, end, 1);

	/* Art. 2 only for periods of three days or more. */
	if (p->p_unit != PU_DAYS || p->p_count >= 3) {
		first = *a;
		cal_date_add_days(&first, 1);
		for (d = first; cal_date_cmp(&d, end) <= 0 && n < 2;
		    cal_date_add_days(&d, 1)) {
			period_decree_check(pc, &d);
			if (cal_is_working_day(&d, 0))
				n++;
		}
		if (n < 2) {
			cal_date_words(&first, 0, fd);
			cal_date_words(end, 0, ed);
			while (n < 2) {
				cal_date_add_days(end, 1);
				period_decree_check(pc, end);
				if (cal_is_working_day(end, 0))
					n++;
			}
			cal_date_words(end, 1, nd);
			period_why(pc, _("%s to %s holds fewer than two days"
			    " that are not a Saturday, Sunday or holiday, so %s"
			    " (Algemene termijnenwet art. 2)"), fd, ed, nd);
			art2 = 1;
		}
	}

	if (art1 && art2)
		period_why(pc, _("rule atw (Algemene termijnenwet art. 1 and"
		    " 2)"));
	else if (art1)
		period_why(pc, _("rule atw (Algemene termijnenwet art. 1)"));
	else if (art2)
		period_why(pc, _("rule atw (Algemene termijnenwet art. 2)"));
	else {
		cal_date_words(end, 0, ed);
		period_why(pc, _("rule atw (Algemene termijnenwet): %s is a"
		    " working day and the period holds two, no extension"), ed);
	}
}

/*
 * Atw art. 1: move an end on a Saturday, Sunday or holiday to the next day
 * that is none of these, in one line that names the day it fell on and
 * each holiday passed on the way (a weekend goes without saying), as the
 * Atw does it (atw) or as a courtesy.  Returns whether the end moved.
 */
static int
period_roll(struct period_ctx *pc, struct cal_date *end, int atw)
{
	char		 day[CAL_WORDS_LEN], to[CAL_WORDS_LEN], *line, *more;
	const char	*why;
	int		 moved = 0, named = 0;

	line = NULL;
	for (;;) {
		period_decree_check(pc, end);
		if ((why = period_day_reason(end, 0)) == NULL)
			break;
		cal_date_words(end, 0, day);
		if (line == NULL)
			/* TRANSLATORS: a date, and what it is: "King's Day". */
			xasprintf(&line, _("%s is %s"), day, why);
		else if (cal_holiday(end) != NULL && named++ < 3) {
			xasprintf(&more, _("%s, and %s is %s"), line, day, why);
			free(line);
			line = more;
		}
		cal_date_add_days(end, 1);
		moved = 1;
	}
	if (line != NULL) {
		cal_date_words(end, 1, to);
		if (atw)
			/* TRANSLATORS: why, then the day the Atw moves to. */
			period_why(pc, _("%s, so %s"), line, to);
		else
			period_why(pc, _("%s, so %s as a courtesy"), line, to);
		free(line);
	}
	return moved;
}

/*
 * N working days after the anchor date.  A first pass finds the day; a
 * second explains it, so that the result comes first and the skipped days
 * after it.  Weekends are counted as weekends (a Saturday and the Sunday
 * after it are one); each holiday and closure day gets its own line, up to
 * a limit, since a long count would bury the explanation.
 */
static int
period_working_days(struct period_ctx *pc, const struct cal_date *a, int n,
    struct cal_date *end)
{
	struct cal_date	 d = *a;
	const char	*why;
	char		 ad[CAL_WORDS_LEN], dd[CAL_WORDS_LEN], *head;
	int		 count = 0, weekends = 0, lines = 0, more = 0;
	int		 in_weekend = 0;

	while (count < n) {
		cal_date_add_days(&d, 1);
		if (d.cd_year > 9999)
			return -1;
		if (cal_is_working_day(&d, 1)) {
			count++;
			in_weekend = 0;
		} else if (cal_weekday(&d) >= 6 && cal_holiday(&d) == NULL &&
		    cal_closure(&d) == NULL) {
			if (!in_weekend || cal_weekday(&d) == 6)
				weekends++;
			in_weekend = 1;
		} else
			in_weekend = 0;
	}
	*end = d;
	cal_date_words(a, 0, ad);
	cal_date_words(end, 1, dd);
	xasprintf(&head, P_("%d working day from %s: %s",
	    "%d working days from %s: %s", n), n, ad, dd);
	if (weekends == 0)
		period_why(pc, _("%s (no Saturday or Sunday in between)"), head);
	else
		period_why(pc, P_("%s (skipping %d weekend)",
		    "%s (skipping %d weekends)", weekends), head, weekends);
	free(head);

	for (d = *a, cal_date_add_days(&d, 1); cal_date_cmp(&d, end) <= 0;
	    cal_date_add_days(&d, 1)) {
		period_decree_check(pc, &d);
		if ((why = period_day_reason(&d, 1)) == NULL ||
		    (cal_holiday(&d) == NULL && cal_closure(&d) == NULL))
			continue;
		if (lines++ < PERIOD_SKIP_LINES) {
			cal_date_words(&d, 0, dd);
			period_why(pc, _("%s is %s, not a working day"), dd, why);
		} else
			more++;
	}
	if (more > 0)
		period_why(pc, P_("and %d more holiday or closure day",
		    "and %d more holidays or closure days", more), more);
	period_why(pc, _("rule working_days (not a Saturday, Sunday, holiday,"
	    " decree day or municipal closure day)"));
	return 0;
}

/* A backward end is never moved, but a reader should see that it is off. */
static void
period_backward_note(struct period_ctx *pc, const struct cal_date *cd)
{
	const char	*why;
	char		 dd[CAL_WORDS_LEN];

	if ((why = period_day_reason(cd, 0)) == NULL)
		return;
	cal_date_words(cd, 0, dd);
	period_why(pc, _("%s is %s; a backward period is not moved"), dd, why);
}

/* Why a day is not a working day ("a Sunday", "King's Day"), or NULL. */
static const char *
period_day_reason(const struct cal_date *cd, int with_closures)
{
	static char	 words[CAL_WORDS_LEN];	/* each caller uses it at once */
	const char	*name;

	if ((name = cal_holiday_words(cd, words)) != NULL)
		return name;
	if (with_closures && cal_closure(cd) != NULL)
		return _("a municipal closure day");
	switch (cal_weekday(cd)) {
	case 6:
		return _("a Saturday");
	case 7:
		return _("a Sunday");
	}
	return NULL;
}

/* Remember that a day was judged without its year's decree data. */
static void
period_decree_check(struct period_ctx *pc, const struct cal_date *cd)
{
	if (cal_decree_known(cd->cd_year))
		return;
	pc->pc_du->du_decree_missing = 1;
	if (pc->pc_missing_from == 0 || cd->cd_year < pc->pc_missing_from)
		pc->pc_missing_from = cd->cd_year;
	if (cd->cd_year > pc->pc_missing_to)
		pc->pc_missing_to = cd->cd_year;
}

static void
period_why(struct period_ctx *pc, const char *fmt, ...)
{
	struct due	*du = pc->pc_du;
	va_list		 ap;

	if (pc->pc_quiet)
		return;
	du->du_why = xreallocarray(du->du_why, du->du_nwhy + 1,
	    sizeof(*du->du_why));
	va_start(ap, fmt);
	xvasprintf(&du->du_why[du->du_nwhy++], fmt, ap);
	va_end(ap);
}

static int
period_due_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
