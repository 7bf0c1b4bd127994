/*
 * termijn: a case's penalty as the API shows it: its days and amount so
 * far, its cap, its dates, and why.
 */

#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/i18n.h"
#include "termijn/penalty.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

static json_t	*view_day(const struct cal_date *);
static json_t	*view_money(int64_t);

/*
 * The penalty of a case (engine_case_penalty), or JSON null when it has
 * none; NULL when the store failed.  Amounts are in cents and, for people,
 * as euros with two decimals.
 */
json_t *
view_penalty(struct engine *en, const struct case_row *c, int64_t now)
{
	struct case_penalty		 cp;
	const struct penalty_tally	*pt = &cp.cp_tally;
	const struct wf_penalty_tier	*wt;
	struct cal_date			 through;
	json_t				*o, *why, *tiers;
	char				 first[CAL_WORDS_LEN], *line;
	size_t				 i;
	int				 n;

	switch (engine_case_penalty(en, c, now, &cp)) {
	case -1:
		return NULL;
	case 0:
		return json_null();
	}
	/* Each tier with the day it ends on and the amount by then. */
	tiers = json_array();
	through = pt->pt_first;
	cal_date_add_days(&through, -1);
	for (i = 0, n = 0; i < cp.cp_penalty->wn_ntiers; i++) {
		wt = &cp.cp_penalty->wn_tiers[i];
		n += wt->wt_days;
		cal_date_add_days(&through, wt->wt_days);
		json_array_append_new(tiers, json_pack("{s:i, s:I, s:o, s:o,"
		    " s:o}", "days", wt->wt_days, "per_day_cents",
		    (json_int_t)wt->wt_cents, "per_day",
		    view_money(wt->wt_cents), "through", view_day(&through),
		    "amount_through", view_money(penalty_cents(cp.cp_penalty,
		    n))));
	}
	why = json_array();
	cal_date_words(&pt->pt_first, 1, first);
	xasprintf(&line, _("the first penalty day is %s, the day after"
	    " deadline %s passed; penalty days are calendar days, not moved"
	    " by the Algemene termijnenwet (Awb 4:17 lid 1)"), first,
	    cp.cp_state->ws_deadline->wd_name);
	json_array_append_new(why, json_string(line));
	free(line);
	if (!pt->pt_running && pt->pt_days < pt->pt_max_days)
		json_array_append_new(why, json_string(_("stopped: the case"
		    " left the state; the day it left is not a penalty day")));
	else if (!pt->pt_running)
		json_array_append_new(why, json_string(_("at its maximum: no"
		    " more penalty days")));
	o = json_pack("{s:s, s:o, s:s, s:o, s:o, s:i, s:i, s:I, s:o, s:I,"
	    " s:o, s:b, s:o, s:o, s:o, s:o}",
	    "state", cp.cp_state->ws_name,
	    "title", view_title(cp.cp_penalty->wn_title),
	    "deadline", cp.cp_state->ws_deadline->wd_name,
	    "first_day", view_day(&pt->pt_first),
	    "last_possible_day", view_day(&pt->pt_last_possible),
	    "days", pt->pt_days, "max_days", pt->pt_max_days,
	    "amount_cents", (json_int_t)pt->pt_cents,
	    "amount", view_money(pt->pt_cents),
	    "max_amount_cents", (json_int_t)pt->pt_max_cents,
	    "max_amount", view_money(pt->pt_max_cents),
	    "running", pt->pt_running,
	    "last_day", pt->pt_has_last ? view_day(&pt->pt_last) : json_null(),
	    "fix_by", pt->pt_has_fix ? view_day(&pt->pt_fix_by) : json_null(),
	    "tiers", tiers, "explanation", why);
	return o;
}

/*
 * A view's item with the penalty its case runs up, or null: a supervisor
 * sees what waiting costs where the case is listed.  NULL (o released)
 * when it could not be read.
 */
json_t *
view_add_penalty(struct engine *en, json_t *o, const struct case_row *c,
    int64_t now)
{
	json_t	*p;

	if ((p = view_penalty(en, c, now)) == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "penalty", p);
	return o;
}

/* A report's figures of penalties: how many, and what they ran up. */
void
view_penalty_figures(json_t *o, int64_t n, int64_t cents)
{
	json_object_set_new(o, "penalties", json_integer((json_int_t)n));
	json_object_set_new(o, "penalty_cents", json_integer((json_int_t)cents));
	json_object_set_new(o, "penalty_amount", view_money(cents));
}

static json_t *
view_day(const struct cal_date *d)
{
	char	buf[CAL_DATE_LEN];

	cal_date_format(d, buf);
	return json_string(buf);
}

/* "1442.00": euros with two decimals, for people and for JSON readers. */
static json_t *
view_money(int64_t cents)
{
	char	buf[PENALTY_MONEY_LEN];

	penalty_money(cents, 0, buf);
	return json_string(buf);
}
