/* termijn: the amount of a penalty that accrues per day (Awb 4:17-4:18). */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/penalty.h"
#include "termijn/period.h"
#include "termijn/workflow.h"

int64_t
penalty_cents(const struct wf_penalty *wn, int days)
{
	int64_t	 cents = 0;
	size_t	 i;
	int	 n;

	for (i = 0; i < wn->wn_ntiers && days > 0; i++) {
		n = days < wn->wn_tiers[i].wt_days ? days :
		    wn->wn_tiers[i].wt_days;
		cents += (int64_t)n * wn->wn_tiers[i].wt_cents;
		days -= n;
	}
	return cents;
}

/*
 * The days are calendar days in local time, counted by date, not by
 * elapsed time, so that a day of 23 or 25 hours (the clocks moving) is one
 * day.  The Atw shifts none of them (Awb 4:17 lid 1): the last possible
 * day may be a Sunday.  The fixing (4:18) is a period of its own after the
 * last day due, counted by the rule the workflow gives it (Atw for the
 * Awb's two weeks).
 */
int
penalty_tally(const struct wf_penalty *wn, int64_t first_at, int64_t until,
    int stopped, struct penalty_tally *pt, char *err, size_t errlen)
{
	struct cal_date	 end;
	struct due	 du;
	int64_t		 days;

	memset(pt, 0, sizeof(*pt));
	cal_local_date(first_at, &pt->pt_first);
	pt->pt_max_days = wn->wn_max_days;
	pt->pt_max_cents = penalty_cents(wn, wn->wn_max_days);
	pt->pt_last_possible = pt->pt_first;
	cal_date_add_days(&pt->pt_last_possible, wn->wn_max_days - 1);

	cal_local_date(until, &end);
	days = cal_date_to_days(&end) - cal_date_to_days(&pt->pt_first);
	if (until < first_at || days < 0)
		days = 0;
	if (days > wn->wn_max_days)
		days = wn->wn_max_days;
	pt->pt_days = (int)days;
	pt->pt_cents = penalty_cents(wn, pt->pt_days);
	pt->pt_running = !stopped && pt->pt_days < wn->wn_max_days;
	if (pt->pt_running || pt->pt_days == 0)
		return 0;

	pt->pt_has_last = 1;
	pt->pt_last = pt->pt_first;
	cal_date_add_days(&pt->pt_last, pt->pt_days - 1);
	if (wn->wn_fix.ps_period.p_count == 0)
		return 0;
	if (period_due(cal_local_midnight(&pt->pt_last), &wn->wn_fix, &du,
	    err, errlen) == -1)
		return -1;
	pt->pt_has_fix = 1;
	pt->pt_fix_unsure = du.du_decree_missing != 0;
	pt->pt_fix_by = du.du_date;
	due_free(&du);
	return 0;
}

void
penalty_money(int64_t cents, int dutch, char buf[PENALTY_MONEY_LEN])
{
	char		 digits[24], *p = buf;
	int64_t		 euros = cents / 100;
	size_t		 i, n;

	if (cents < 0) {
		*p++ = '-';
		cents = -cents;
		euros = -euros;
	}
	n = (size_t)snprintf(digits, sizeof(digits), "%lld", (long long)euros);
	for (i = 0; i < n; i++) {
		*p++ = digits[i];
		if (dutch && (n - i - 1) % 3 == 0 && i + 1 < n)
			*p++ = '.';
	}
	snprintf(p, PENALTY_MONEY_LEN - (size_t)(p - buf), "%c%02d",
	    dutch ? ',' : '.', (int)(cents % 100));
}
