/* termijn: periods, their rules, and the due moments they give. */
#ifndef TERMIJN_PERIOD_H
#define TERMIJN_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/calendar.h"

enum period_unit {
	PU_HOURS,
	PU_DAYS,
	PU_WEEKS,
	PU_MONTHS,
	PU_YEARS,
};

enum period_rule {
	PR_PLAIN,		/* calendar arithmetic */
	PR_ATW,			/* Algemene termijnenwet art. 1-4 */
	PR_WORKING_DAYS,	/* count working days only */
	PR_HOURS,		/* elapsed time */
	PR_BACKWARD,		/* counted back from a later moment */
};

#define PERIOD_MAX_COUNT	10000

struct period {
	int			p_count;	/* > 0 */
	enum period_unit	p_unit;
};

/*
 * "P6W", "P42D", "P3M", "P1Y", "PT48H", or words: "6 weeks", "1 week",
 * "42 days", "3 months", "1 year", "48 hours".  Returns -1 with a message.
 */
int	 period_parse(const char *, struct period *, char *err, size_t errlen);
/* ISO 8601 form, e.g. "P6W", "PT48H". */
void	 period_format(const struct period *, char *buf, size_t len);
int	 period_rule_parse(const char *, enum period_rule *);
const char *period_rule_name(enum period_rule);
int	 period_is_hours(const struct period *);

/* How a deadline's due moment was derived: raw end, each shift, the rule. */
struct due {
	int64_t		 du_at;		/* overdue from this instant on */
	struct cal_date	 du_date;	/* last day (day-granular periods) */
	int		 du_day_granular;
	int		 du_decree_missing; /* needed a year without decree data */
	char		**du_why;	/* explanation, one line each */
	size_t		 du_nwhy;
};

struct period_spec {
	struct period		ps_period;
	enum period_rule	ps_rule;
	int			ps_courtesy;	/* roll plain periods like atw */
};

/*
 * Due moment of a period anchored at an instant.  Counting starts the day
 * after the anchor; a day-granular period ends at the end of its last day
 * (local time) and du_at is 00:00 local on the following day.  Hours are
 * elapsed time.  Backward periods count back from the anchor.
 */
int	 period_due(int64_t anchor, const struct period_spec *, struct due *,
	    char *err, size_t errlen);
void	 due_free(struct due *);
/* Move a local date by a period in days to years, or in working days. */
void	 period_date_move(struct cal_date *, const struct period_spec *, int);

/*
 * What a deadline's budget adds to its period: the time it was suspended
 * (opschorting keeps the remaining time) and its extensions (verlenging),
 * in order.  The rule applies to the final date, and Atw art. 4 looks at
 * the period as the workflow set it.
 */
struct budget {
	int			 bu_suspended_days;	/* day-granular periods */
	int64_t			 bu_suspended_ms;	/* periods in hours */
	const struct period	*bu_ext;
	size_t			 bu_next;
	int			 bu_quiet;	/* skip the explanation */
};

int	 period_due_budget(int64_t anchor, const struct period_spec *,
	    const struct budget *, struct due *, char *err, size_t errlen);

#endif /* TERMIJN_PERIOD_H */
