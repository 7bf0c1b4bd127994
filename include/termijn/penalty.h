/* termijn: the amount of a penalty that accrues per day (Awb 4:17-4:18). */
#ifndef TERMIJN_PENALTY_H
#define TERMIJN_PENALTY_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/calendar.h"

struct wf_penalty;

/*
 * Where a penalty stands at a moment: its days and amount so far, derived
 * each time from when it began, when it stopped (or now) and its tiers,
 * never kept as a running counter, so that a moved clock, a correction or
 * a destroyed case leave nothing behind that disagrees.
 */
struct penalty_tally {
	struct cal_date	 pt_first;	/* the first penalty day */
	struct cal_date	 pt_last_possible; /* the last one, at the cap */
	int		 pt_days;	/* penalty days so far */
	int		 pt_max_days;
	int64_t		 pt_cents;	/* the amount so far, euro cents */
	int64_t		 pt_max_cents;	/* at the cap */
	int		 pt_running;	/* more days can come */
	int		 pt_has_last;	/* it ended with days due: */
	struct cal_date	 pt_last;	/* the last day it was due */
	int		 pt_has_fix;	/* and the penalty says within what: */
	struct cal_date	 pt_fix_by;	/* the amount is fixed by (4:18) */
	int		 pt_fix_unsure;	/* counted in a year without decree
					   data: the date may still move */
};

/* The amount of the first days penalty days, in cents (capped). */
int64_t	 penalty_cents(const struct wf_penalty *, int days);
/*
 * The tally of a penalty whose first day begins at first_at (the moment
 * the state's deadline passed: 00:00 after its last day), counted up to
 * the local day of until, which is not itself a penalty day: the moment
 * the case left the state (stopped) or now.  A day counts once it has
 * passed, as a decision given on it would have stopped it.  Returns -1
 * with a message when the date of the fixing cannot be counted.
 */
int	 penalty_tally(const struct wf_penalty *, int64_t first_at,
	    int64_t until, int stopped, struct penalty_tally *, char *err,
	    size_t errlen);
/* "1.442,00" for people (Dutch), "1442.00" for machines (dot). */
#define PENALTY_MONEY_LEN	32
void	 penalty_money(int64_t cents, int dutch, char buf[PENALTY_MONEY_LEN]);

#endif /* TERMIJN_PENALTY_H */
