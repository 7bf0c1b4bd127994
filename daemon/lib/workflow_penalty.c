/*
 * termijn: a state's 'penalty', an amount that accrues per day after the
 * state's deadline passed (the dwangsom bij niet tijdig beslissen).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/period.h"
#include "termijn/quote.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

enum {
	KN_TITLE,
	KN_TIERS,
	KN_FIX_WITHIN,
	KN_FIX_RULE,
	KN_AFTER,
};
static const struct wf_key wf_penalty_keys[] = {
	[KN_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KN_TIERS] =	{ "tiers", WT_LIST, 1, NULL, 0, 0, NULL },
	[KN_FIX_WITHIN] = { "fix_within", WT_STRING, 0, NULL, 0, 0, NULL },
	[KN_FIX_RULE] =	{ "fix_rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KN_AFTER] =	{ "after", WT_NAME, 0, "deadline", 0, 0, NULL },
};

enum {
	KT_DAYS,
	KT_PER_DAY,
};
static const struct wf_key wf_tier_keys[] = {
	[KT_DAYS] =	{ "days", WT_INT, 1, NULL, 1, WF_TIER_MAX_DAYS, NULL },
	[KT_PER_DAY] =	{ "per_day", WT_STRING, 1, NULL, 0, 0, NULL },
};

static void	wp_tier(struct wf_parse *, struct wf_penalty_tier *,
		    const char *, size_t, const struct ynode *);
static int	wp_euros(const char *, int64_t *);

/*
 * A state's 'penalty' (key and map); ws has its deadline read, if any.  A
 * penalty runs from the moment the state's deadline passes until the case
 * leaves the state, so it needs a day-granular deadline that keeps the
 * case there ('then' would move it on).
 */
void
wp_penalty(struct wf_parse *wp, struct wf_state *ws, const struct ynode *key,
    const struct ynode *map)
{
	struct wf_penalty	*wn;
	struct wf_field		 f[nitems(wf_penalty_keys)];
	const struct ynode	*v, *list;
	char			 what[QUOTE_LEN + 32], ctx[QUOTE_LEN + 40];
	char			 q[QUOTE_LEN], d[WF_DESCRIBE_LEN], err[256];
	size_t			 i, n;

	wf_quote(ws->ws_name, strlen(ws->ws_name), q);
	snprintf(what, sizeof(what), "the penalty of state '%s'", q);
	snprintf(ctx, sizeof(ctx), "in %s", what);
	wp_fields(wp, map, key, wf_penalty_keys, nitems(wf_penalty_keys), ctx,
	    f);
	ws->ws_penalty = wn = xcalloc(1, sizeof(*wn));
	wn->wn_line = key->yn_line;

	if (ws->ws_deadline == NULL)
		wp_error(wp, key, "state '%s' has a penalty but no deadline: "
		    "the penalty days begin when the state's deadline passes",
		    q);
	else if (ws->ws_deadline->wd_then != NULL)
		wp_error(wp, key, "state '%s' has a penalty, and its deadline "
		    "has 'then': the penalty accrues while the case waits in "
		    "the state after the deadline passed, so the deadline "
		    "must not move it on", q);
	else if (period_is_hours(&ws->ws_deadline->wd_spec.ps_period))
		wp_error(wp, key, "state '%s' has a penalty, and its deadline "
		    "is in hours: penalty days are calendar days, so the "
		    "deadline must end with a day", q);

	if ((v = f[KN_TITLE].fv_val) != NULL)
		wp_title(wp, v, what, &wn->wn_title);
	if ((list = f[KN_TIERS].fv_val) != NULL) {
		n = list->yn_nkids;
		if (n == 0)
			wp_error(wp, list, "%s must have at least one tier",
			    what);
		if (n > WF_MAX_TIERS) {
			wp_error(wp, list->yn_kids[WF_MAX_TIERS], "%s has "
			    "more than %d tiers", what, WF_MAX_TIERS);
			n = WF_MAX_TIERS;
		}
		wn->wn_tiers = xcalloc(n > 0 ? n : 1, sizeof(*wn->wn_tiers));
		for (i = 0; i < n; i++) {
			v = list->yn_kids[i];
			if (v->yn_type == YN_MAPPING) {
				wp_tier(wp, &wn->wn_tiers[wn->wn_ntiers++],
				    what, i + 1, v);
				continue;
			}
			if (v->yn_type != YN_REFUSED)
				wp_error(wp, v, "tier %zu of %s must be a "
				    "mapping, not %s", i + 1, what,
				    wf_describe(v, d));
		}
		for (i = 0; i < wn->wn_ntiers; i++)
			wn->wn_max_days += wn->wn_tiers[i].wt_days;
	}

	if ((v = f[KN_AFTER].fv_val) != NULL) {
		wn->wn_after = xstrdup(v->yn_value);
		wn->wn_after_line = v->yn_line;
		wn->wn_after_col = v->yn_col;
	}
	wn->wn_fix.ps_rule = PR_PLAIN;
	if ((v = f[KN_FIX_RULE].fv_val) != NULL) {
		if (f[KN_FIX_WITHIN].fv_val == NULL)
			wp_error(wp, f[KN_FIX_RULE].fv_key, "%s has 'fix_rule' "
			    "but no 'fix_within' for it to count", what);
		if (period_rule_parse(v->yn_value, &wn->wn_fix.ps_rule) ==
		    -1 || (wn->wn_fix.ps_rule != PR_PLAIN &&
		    wn->wn_fix.ps_rule != PR_ATW &&
		    wn->wn_fix.ps_rule != PR_WORKING_DAYS))
			wp_error(wp, v, "'fix_rule' of %s must be plain, atw "
			    "or working_days, not %s", what,
			    wf_quote(v->yn_value, v->yn_len, q));
	}
	if ((v = f[KN_FIX_WITHIN].fv_val) != NULL) {
		if (period_parse(v->yn_value, &wn->wn_fix.ps_period, err,
		    sizeof(err)) == -1) {
			wp_error(wp, v, "%s", err);
			wn->wn_fix.ps_period.p_count = 0;
		} else if (period_is_hours(&wn->wn_fix.ps_period)) {
			wp_error(wp, v, "'fix_within' of %s must be in days, "
			    "weeks, months or years, not %s", what,
			    wf_quote(v->yn_value, v->yn_len, q));
			wn->wn_fix.ps_period.p_count = 0;
		} else if (wn->wn_fix.ps_rule == PR_WORKING_DAYS &&
		    wn->wn_fix.ps_period.p_unit != PU_DAYS) {
			wp_error(wp, v, "'fix_within' of %s counts working "
			    "days, so it must be in days, not %s", what,
			    wf_quote(v->yn_value, v->yn_len, q));
			wn->wn_fix.ps_period.p_count = 0;
		}
	}
}

/*
 * Once every state is read: a penalty's 'after' names the deadline of
 * another state, and every event that enters a state with such a penalty
 * carries the date that is compared with it.
 */
void
wp_penalties_check(struct wf_parse *wp)
{
	const struct workflow	*wf = wp->wp_wf;
	const struct wf_state	*ws, *from;
	const struct wf_event	*we;
	const struct wf_deadline *wd;
	struct ynode		 at;
	size_t			 i, j, k;

	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		if (ws->ws_penalty == NULL || ws->ws_penalty->wn_after == NULL)
			continue;
		memset(&at, 0, sizeof(at));
		at.yn_line = ws->ws_penalty->wn_after_line;
		at.yn_col = ws->ws_penalty->wn_after_col;
		wd = NULL;
		for (j = 0; j < wf->wf_nstates && wd == NULL; j++)
			if (j != i && wf->wf_states[j].ws_deadline != NULL &&
			    strcmp(wf->wf_states[j].ws_deadline->wd_name,
			    ws->ws_penalty->wn_after) == 0)
				wd = wf->wf_states[j].ws_deadline;
		if (wd == NULL)
			wp_error(wp, &at, "'after' of the penalty of state "
			    "'%s' names '%s', which is not the deadline of "
			    "another state", ws->ws_name,
			    ws->ws_penalty->wn_after);
		for (j = 0; j < wf->wf_nstates; j++) {
			from = &wf->wf_states[j];
			for (k = 0; k < from->ws_nevents; k++) {
				we = &from->ws_events[k];
				if (we->we_action != WA_MOVE ||
				    we->we_to == NULL ||
				    strcmp(we->we_to, ws->ws_name) != 0 ||
				    we->we_date)
					continue;
				at.yn_line = we->we_line;
				at.yn_col = we->we_col;
				wp_error(wp, &at, "event '%s' of state '%s' "
				    "enters state '%s', whose penalty counts "
				    "from a date after deadline '%s': give "
				    "the event 'date: true'", we->we_name,
				    from->ws_name, ws->ws_name,
				    ws->ws_penalty->wn_after);
			}
		}
	}
}

void
wf_penalty_free(struct wf_penalty *wn)
{
	if (wn == NULL)
		return;
	free(wn->wn_title);
	free(wn->wn_after);
	free(wn->wn_tiers);
	free(wn);
}

/* Tier num of a penalty (what): its days and its amount a day. */
static void
wp_tier(struct wf_parse *wp, struct wf_penalty_tier *wt, const char *what,
    size_t num, const struct ynode *map)
{
	struct wf_field	 f[nitems(wf_tier_keys)];
	const struct ynode *v;
	char		 ctx[QUOTE_LEN + 64], q[QUOTE_LEN];
	long long	 ll;

	snprintf(ctx, sizeof(ctx), "in tier %zu of %s", num, what);
	wp_fields(wp, map, map, wf_tier_keys, nitems(wf_tier_keys), ctx, f);
	wt->wt_line = map->yn_line;
	if ((v = f[KT_DAYS].fv_val) != NULL && wf_is_int(v, &ll))
		wt->wt_days = (int)ll;
	if ((v = f[KT_PER_DAY].fv_val) != NULL &&
	    wp_euros(v->yn_value, &wt->wt_cents) == -1)
		wp_error(wp, v, "'per_day' of tier %zu of %s must be an amount "
		    "in euros, more than 0 and at most 1000000, with at most "
		    "two decimals after a point (23 or 23.50), not %s", num,
		    what, wf_quote(v->yn_value, v->yn_len, q));
}

/* "23", "23.5", "23.50": euros to cents; -1 unless 0 < s <= the maximum. */
static int
wp_euros(const char *s, int64_t *cents)
{
	int64_t	 c = 0;
	int	 decimals = -1, digits = 0;

	for (; *s != '\0'; s++) {
		if (*s == '.' && decimals == -1 && digits > 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals == 2 || digits >= 9)
			return -1;
		c = c * 10 + (*s - '0');
		if (decimals >= 0)
			decimals++;
		else
			digits++;
	}
	if (digits == 0 || decimals == 0)
		return -1;
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 2; decimals++)
		c *= 10;
	if (c < 1 || c > WF_TIER_MAX_CENTS)
		return -1;
	*cents = c;
	return 0;
}
