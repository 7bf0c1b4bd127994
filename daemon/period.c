/* termijn: periods, their rules, and the due moments they give. */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/period.h"
#include "termijn/util.h"

#define PERIOD_QUOTE_MAX	64	/* input echoed in a message, at most */

static void	period_quote(const char *, size_t, char *, size_t);
static size_t	period_trimlen(const char *);
static int	period_count(const char **, int *);
static int	period_unit_word(const char *, size_t, enum period_unit *);
static int	period_error(char *, size_t, const char *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

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
			char	rest[PERIOD_QUOTE_MAX + 4];

			period_quote(q, period_trimlen(q), rest, sizeof(rest));
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
		char	word[PERIOD_QUOTE_MAX + 4];

		n = strcspn(w, " \t\r\n\v\f");
		period_quote(w, n, word, sizeof(word));
		return period_error(err, errlen, s, "unknown unit \"%s\" "
		    "(expected hours, days, weeks, months or years)", word);
	}
	while (isspace((unsigned char)*q))
		q++;
	if (*q != '\0') {
		char	rest[PERIOD_QUOTE_MAX + 4];

		period_quote(q, period_trimlen(q), rest, sizeof(rest));
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

/*
 * Input is echoed into messages that end up in JSON and logs: keep it short
 * and printable ASCII so that neither can be broken by what a client sent.
 */
static void
period_quote(const char *s, size_t n, char *buf, size_t len)
{
	size_t	i, o = 0;

	for (i = 0; i < n && o + 1 < len; i++) {
		if (i == PERIOD_QUOTE_MAX) {
			if (o + 4 < len) {
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		buf[o++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	}
	buf[o] = '\0';
}

static int
period_error(char *err, size_t errlen, const char *s, const char *fmt, ...)
{
	char	 quoted[PERIOD_QUOTE_MAX + 4], msg[256];
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	period_quote(s, strlen(s), quoted, sizeof(quoted));
	snprintf(err, errlen, "period \"%s\": %s", quoted, msg);
	return -1;
}

/* The due-moment arithmetic follows in the next change; link against it now. */
int
period_due(int64_t anchor, const struct period_spec *ps, struct due *du,
    char *err, size_t errlen)
{
	memset(du, 0, sizeof(*du));
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "period arithmetic not available yet");
	return -1;
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
