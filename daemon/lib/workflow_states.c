/*
 * termijn: the workflow language's states, read from the tree the loader
 * built (workflow_yaml.c): each state with its deadline, rungs and events,
 * and the case deadlines of the top-level 'deadlines'.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/period.h"
#include "termijn/role.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "workflow_parse.h"

static void	wp_state(struct wf_parse *, struct wf_state *,
		    const struct ynode *, const struct ynode *);
static int	wp_deadline(struct wf_parse *, struct wf_state *,
		    struct wf_deadline *, const struct ynode *,
		    const struct ynode *);
static void	wp_rungs(struct wf_parse *, struct wf_deadline *,
		    const char *, int, const struct ynode *,
		    const struct ynode *);
static void	wp_rung(struct wf_parse *, struct wf_rung *, const char *,
		    size_t, int, const struct ynode *, const struct ynode *,
		    const struct ynode **);
static void	wp_rung_start(struct wf_parse *, struct wf_rung *,
		    const char *, const struct ynode *);
static void	wp_events(struct wf_parse *, struct wf_state *, int,
		    const struct ynode *);
static int	wp_event(struct wf_parse *, struct wf_state *,
		    struct wf_event *, int, const struct ynode *,
		    const struct ynode *);

enum {
	KS_TITLE,
	KS_GUIDANCE,
	KS_FINAL,
	KS_QUEUE,
	KS_DEADLINE,
	KS_EVENTS,
	KS_JOINS,
	KS_NOTIFY,
	KS_PENALTY,
};
static const struct wf_key wf_state_keys[] = {
	[KS_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KS_GUIDANCE] =	{ "guidance", WT_STRING, 0, NULL, 0, 0, NULL },
	[KS_FINAL] =	{ "final", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KS_QUEUE] =	{ "queue", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KS_DEADLINE] =	{ "deadline", WT_MAPPING, 0, NULL, 0, 0, NULL },
	[KS_EVENTS] =	{ "events", WT_MAPPING, 0, NULL, 0, 0, NULL },
	[KS_JOINS] =	{ "joins", WT_LIST, 0, NULL, 0, 0, NULL },
	[KS_NOTIFY] =	{ "notify", WT_LIST, 0, NULL, 0, 0, NULL },
	[KS_PENALTY] =	{ "penalty", WT_MAPPING, 0, NULL, 0, 0, NULL },
};

enum {
	KD_NAME,
	KD_TITLE,
	KD_PERIOD,
	KD_RULE,
	KD_KIND,
	KD_COURTESY,
	KD_ANCHOR,
	KD_RESUME_DAY,
	KD_THEN,
	KD_RUNGS,
};
static const struct wf_key wf_deadline_keys[] = {
	[KD_NAME] =	{ "name", WT_NAME, 0, "deadline", 0, 0, NULL },
	[KD_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_PERIOD] =	{ "period", WT_STRING, 1, NULL, 0, 0, NULL },
	[KD_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_KIND] =	{ "kind", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_COURTESY] =	{ "courtesy", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KD_ANCHOR] =	{ "anchor", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_RESUME_DAY] = { "resume_day_suspended", WT_BOOL, 0, NULL, 0, 0,
			    NULL },
	[KD_THEN] =	{ "then", WT_NAME, 0, "state", 0, 0, NULL },
	[KD_RUNGS] =	{ "rungs", WT_LIST, 0, NULL, 0, 0, NULL },
};

/* A case deadline: the keys of a state's deadline, less those of a state. */
static const struct wf_key wf_case_deadline_keys[] = {
	[KD_NAME] =	{ "name", WT_NAME, 0, "deadline", 0, 0,
			  "a case deadline is named by its key under "
			  "'deadlines'" },
	[KD_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_PERIOD] =	{ "period", WT_STRING, 1, NULL, 0, 0, NULL },
	[KD_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_KIND] =	{ "kind", WT_STRING, 0, NULL, 0, 0, NULL },
	[KD_COURTESY] =	{ "courtesy", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KD_ANCHOR] =	{ "anchor", WT_STRING, 0, NULL, 0, 0,
			  "a case deadline counts from the moment the rung "
			  "that starts it fires" },
	[KD_RESUME_DAY] = { "resume_day_suspended", WT_BOOL, 0, NULL, 0, 0,
			  "only a state's deadline can be suspended" },
	[KD_THEN] =	{ "then", WT_NAME, 0, "state", 0, 0,
			  "a case deadline belongs to no state, so when it "
			  "passes only its rungs fire" },
	[KD_RUNGS] =	{ "rungs", WT_LIST, 0, NULL, 0, 0, NULL },
};

enum {
	KR_NAME,
	KR_TITLE,
	KR_BEFORE,
	KR_AFTER,
	KR_AT,
	KR_RULE,
	KR_NOTIFY,
	KR_EVERY,
	KR_MAX,
	KR_CATCH_UP,
	KR_START,
};
static const struct wf_key wf_rung_keys[] = {
	[KR_NAME] =	{ "name", WT_NAME, 0, "rung", 0, 0, NULL },
	[KR_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_BEFORE] =	{ "before", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_AFTER] =	{ "after", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_AT] =	{ "at", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_NOTIFY] =	{ "notify", WT_NAME, 0, "role", 0, 0, NULL },
	[KR_EVERY] =	{ "every", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_MAX] =	{ "max", WT_INT, 0, NULL, 1, 1000, NULL },
	[KR_CATCH_UP] =	{ "catch_up", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_START] =	{ "start", WT_LIST, 0, NULL, 0, 0, NULL },
};

/*
 * A rung of a case deadline starts no case deadlines, so that a chain of
 * them cannot grow without end.
 */
static const struct wf_key wf_case_rung_keys[] = {
	[KR_NAME] =	{ "name", WT_NAME, 0, "rung", 0, 0, NULL },
	[KR_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_BEFORE] =	{ "before", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_AFTER] =	{ "after", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_AT] =	{ "at", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_RULE] =	{ "rule", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_NOTIFY] =	{ "notify", WT_NAME, 0, "role", 0, 0, NULL },
	[KR_EVERY] =	{ "every", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_MAX] =	{ "max", WT_INT, 0, NULL, 1, 1000, NULL },
	[KR_CATCH_UP] =	{ "catch_up", WT_STRING, 0, NULL, 0, 0, NULL },
	[KR_START] =	{ "start", WT_LIST, 0, NULL, 0, 0,
			  "only the rungs of a state's deadline start case "
			  "deadlines" },
};

enum {
	KE_TITLE,
	KE_TO,
	KE_ACTION,
	KE_DEADLINE,
	KE_BY,
	KE_MAX,
	KE_ROLES,
	KE_REASON,
	KE_DATE,
	KE_SHARES,
	KE_JOINS,
};
static const struct wf_key wf_event_keys[] = {
	[KE_TITLE] =	{ "title", WT_STRING, 0, NULL, 0, 0, NULL },
	[KE_TO] =	{ "to", WT_NAME, 0, "state", 0, 0, NULL },
	[KE_ACTION] =	{ "action", WT_STRING, 0, NULL, 0, 0, NULL },
	[KE_DEADLINE] =	{ "deadline", WT_NAME, 0, "deadline", 0, 0, NULL },
	[KE_BY] =	{ "by", WT_STRING, 0, NULL, 0, 0, NULL },
	[KE_MAX] =	{ "max", WT_INT, 0, NULL, 1, 16, NULL },
	[KE_ROLES] =	{ "roles", WT_LIST, 0, NULL, 0, 0, NULL },
	[KE_REASON] =	{ "reason", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KE_DATE] =	{ "date", WT_BOOL, 0, NULL, 0, 0, NULL },
	[KE_SHARES] =	{ "shares", WT_LIST, 0, NULL, 0, 0, NULL },
	[KE_JOINS] =	{ "joins", WT_LIST, 0, NULL, 0, 0, NULL },
};

/* wp_deadline and wp_rung read both tables of a pair with the same indices. */
_Static_assert(nitems(wf_case_deadline_keys) == nitems(wf_deadline_keys),
    "a case deadline's keys pair with a state deadline's");
_Static_assert(nitems(wf_case_rung_keys) == nitems(wf_rung_keys),
    "a case deadline's rung keys pair with a state deadline's");

/* What an event does, as the verb its messages use. */
static const char *wf_action_verbs[] = {
	[WA_MOVE] =	"moves",
	[WA_SUSPEND] =	"suspends",
	[WA_RESUME] =	"resumes",
	[WA_EXTEND] =	"extends",
};

/* The keys of an event that go with some actions only; the rest go with all. */
#define WA_BIT(a)	(1u << (a))
#define WA_BUDGET	(WA_BIT(WA_SUSPEND) | WA_BIT(WA_RESUME) | \
			    WA_BIT(WA_EXTEND))
static const struct {
	int		 ak_key;	/* KE_* */
	unsigned	 ak_allowed;	/* WA_BIT of the actions it goes with */
	unsigned	 ak_required;	/* ... and of those that need it */
	const char	*ak_why;	/* when it does not go */
} wf_action_keys[] = {
	{ KE_TO, WA_BIT(WA_MOVE), WA_BIT(WA_MOVE),
	    "only 'move' leads to another state" },
	{ KE_DEADLINE, WA_BUDGET, WA_BUDGET,
	    "only suspend, resume and extend act on a deadline" },
	{ KE_BY, WA_BIT(WA_EXTEND), WA_BIT(WA_EXTEND),
	    "only 'extend' adds time" },
	{ KE_MAX, WA_BIT(WA_EXTEND), 0,
	    "only 'extend' is limited to a number of times" },
	{ KE_JOINS, WA_BIT(WA_MOVE), 0,
	    "only an event that moves the case brings a team in" },
};

/* The top-level 'deadlines': case deadlines, named like states. */
void
wp_case_deadlines(struct wf_parse *wp, const struct ynode *map)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_deadline	*wd;
	const struct ynode	*k, *v;
	char			 d[WF_DESCRIBE_LEN], q[QUOTE_LEN];
	size_t			 i, n, npairs = map->yn_nkids / 2;
	int			*skip;

	if (npairs == 0)
		return;
	skip = wp_keys(wp, map);
	n = npairs < WF_MAX_CASE_DEADLINES ? npairs : WF_MAX_CASE_DEADLINES;
	wf->wf_case_deadlines = xcalloc(n, sizeof(*wf->wf_case_deadlines));
	wp->wp_cdkeys = xcalloc(n, sizeof(*wp->wp_cdkeys));
	wp->wp_cdstarted = xcalloc(n, sizeof(*wp->wp_cdstarted));
	for (i = 0; i < npairs; i++) {
		if (skip[i]) {
			wp->wp_cdbad = 1;
			continue;
		}
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		if (wf->wf_ncase_deadlines == WF_MAX_CASE_DEADLINES) {
			wp_error(wp, k, "more than %d case deadlines",
			    WF_MAX_CASE_DEADLINES);
			wp->wp_cdbad = 1;
			wp->wp_starts_ok = 0;
			break;
		}
		wf_quote(k->yn_value, k->yn_len, q);
		if (!wf_name_valid(k))
			wp_bad_name(wp, k, "case deadline name");
		wd = &wf->wf_case_deadlines[wf->wf_ncase_deadlines];
		wp->wp_cdkeys[wf->wf_ncase_deadlines] = k;
		wf->wf_ncase_deadlines++;
		wd->wd_name = xstrdup(k->yn_value);
		wd->wd_line = k->yn_line;
		if (v->yn_type == YN_REFUSED)
			continue;
		if (v->yn_type != YN_MAPPING) {
			wp_error(wp, v, "case deadline '%s' must be a mapping, "
			    "not %s", q, wf_describe(v, d));
			continue;
		}
		wp_deadline(wp, NULL, wd, k, v);
	}
	free(skip);
}

void
wp_states(struct wf_parse *wp, const struct ynode *key,
    const struct ynode *map)
{
	struct workflow		*wf = wp->wp_wf;
	struct wf_state		*ws;
	const struct ynode	*k, *v;
	size_t			 i, n, npairs = map->yn_nkids / 2;
	int			*skip;

	if (npairs == 0) {
		wp_error(wp, map, "'states' must hold at least one state");
		wp->wp_graph = 0;
		return;
	}
	skip = wp_keys(wp, map);
	n = npairs < WF_MAX_STATES ? npairs : WF_MAX_STATES;
	wf->wf_states = xcalloc(n, sizeof(*wf->wf_states));
	wp->wp_statekeys = xcalloc(n, sizeof(*wp->wp_statekeys));
	wp->wp_anchors = xcalloc(n, sizeof(*wp->wp_anchors));
	for (i = 0; i < npairs; i++) {
		if (skip[i]) {
			wp->wp_graph = wp->wp_starts_ok = 0;
			continue;
		}
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		if (wf->wf_nstates == WF_MAX_STATES) {
			wp_error(wp, k, "more than %d states", WF_MAX_STATES);
			wp->wp_graph = wp->wp_starts_ok = 0;
			wp->wp_truncated = 1;
			break;
		}
		/*
		 * A state with a bad name is kept, so that references to it
		 * do not add "undefined state" to the message that matters.
		 */
		if (!wf_name_valid(k))
			wp_bad_name(wp, k, "state name");
		ws = &wf->wf_states[wf->wf_nstates];
		wp->wp_statekeys[wf->wf_nstates] = k;
		wf->wf_nstates++;
		ws->ws_name = xstrdup(k->yn_value);
		ws->ws_line = k->yn_line;
		wp_state(wp, ws, k, v);
	}
	free(skip);
	wp_penalties_check(wp);
}

static void
wp_state(struct wf_parse *wp, struct wf_state *ws, const struct ynode *key,
    const struct ynode *map)
{
	struct wf_field	 f[nitems(wf_state_keys)];
	char		 ctx[QUOTE_LEN + 16], q[QUOTE_LEN];
	char		 d[WF_DESCRIBE_LEN];
	size_t		 i;
	int		 final, queue, then = 0;

	if (map->yn_type == YN_REFUSED) {
		wp->wp_graph = wp->wp_starts_ok = 0;
		return;
	}
	if (map->yn_type != YN_MAPPING) {
		wp_error(wp, map, "state '%s' must be a mapping, not %s",
		    wf_quote(ws->ws_name, strlen(ws->ws_name), q),
		    wf_describe(map, d));
		wp->wp_graph = wp->wp_starts_ok = 0;
		return;
	}
	snprintf(ctx, sizeof(ctx), "in state '%s'",
	    wf_quote(ws->ws_name, strlen(ws->ws_name), q));
	wp_fields(wp, map, key, wf_state_keys, nitems(wf_state_keys), ctx, f);
	if (f[KS_FINAL].fv_bad || f[KS_DEADLINE].fv_bad ||
	    f[KS_EVENTS].fv_bad)
		wp->wp_graph = 0;
	if (f[KS_DEADLINE].fv_bad)
		wp->wp_starts_ok = 0;

	if (f[KS_TITLE].fv_val != NULL)
		wp_title(wp, f[KS_TITLE].fv_val, ctx + strlen("in "),
		    &ws->ws_title);
	if (f[KS_GUIDANCE].fv_val != NULL)
		ws->ws_guidance = xstrdup(f[KS_GUIDANCE].fv_val->yn_value);
	if (f[KS_FINAL].fv_val != NULL &&
	    wf_is_bool(f[KS_FINAL].fv_val, &final))
		ws->ws_final = final;
	if (f[KS_QUEUE].fv_val != NULL &&
	    wf_is_bool(f[KS_QUEUE].fv_val, &queue))
		ws->ws_queue = queue;
	/* The deadline first: events act on it. */
	if (f[KS_DEADLINE].fv_val != NULL) {
		ws->ws_deadline = xcalloc(1, sizeof(*ws->ws_deadline));
		then = wp_deadline(wp, ws, ws->ws_deadline,
		    f[KS_DEADLINE].fv_key, f[KS_DEADLINE].fv_val);
	}
	if (f[KS_EVENTS].fv_val != NULL)
		wp_events(wp, ws, f[KS_DEADLINE].fv_bad, f[KS_EVENTS].fv_val);
	if (f[KS_JOINS].fv_val != NULL)
		wp_joins(wp, f[KS_JOINS].fv_key, f[KS_JOINS].fv_val, ctx, NULL,
		    &ws->ws_joins, &ws->ws_njoins);
	if (f[KS_NOTIFY].fv_val != NULL)
		wp_state_notify(wp, f[KS_NOTIFY].fv_val, ws);
	if (f[KS_PENALTY].fv_val != NULL && !ws->ws_final)
		wp_penalty(wp, ws, f[KS_PENALTY].fv_key, f[KS_PENALTY].fv_val);

	if (ws->ws_final) {
		if (f[KS_DEADLINE].fv_key != NULL)
			wp_error(wp, f[KS_DEADLINE].fv_key, "final state '%s' "
			    "cannot have a deadline", q);
		if (f[KS_EVENTS].fv_val != NULL &&
		    f[KS_EVENTS].fv_val->yn_nkids > 0)
			wp_error(wp, f[KS_EVENTS].fv_key, "final state '%s' "
			    "cannot have events", q);
		if (ws->ws_queue)
			wp_error(wp, f[KS_QUEUE].fv_key, "final state '%s' "
			    "cannot be a queue: no case waits in it for anyone",
			    q);
		if (f[KS_JOINS].fv_key != NULL)
			wp_error(wp, f[KS_JOINS].fv_key, "final state '%s' "
			    "cannot bring a team in: the case is closed", q);
		if (f[KS_PENALTY].fv_key != NULL)
			wp_error(wp, f[KS_PENALTY].fv_key, "final state '%s' "
			    "cannot have a penalty: nothing accrues on a "
			    "closed case", q);
		return;
	}
	/*
	 * Only a move or a deadline with 'then' leads out.  What could not be
	 * read has had its message, and might have been one: an event whose
	 * action is unknown, or whose target is missing, counts as a move.
	 */
	if (then || f[KS_FINAL].fv_bad || f[KS_EVENTS].fv_bad ||
	    f[KS_DEADLINE].fv_bad)
		return;
	for (i = 0; i < ws->ws_nevents; i++)
		if (ws->ws_events[i].we_action == WA_MOVE)
			return;
	if (f[KS_DEADLINE].fv_key == NULL && (f[KS_EVENTS].fv_val == NULL ||
	    f[KS_EVENTS].fv_val->yn_nkids == 0))
		wp_error(wp, key, "state '%s' has no way out: it is not "
		    "final, and has no events and no deadline", q);
	else
		wp_error(wp, key, "state '%s' has no way out: it is not "
		    "final, and neither an event that moves the case nor a "
		    "deadline with 'then' leads out of it", q);
}

/*
 * A state's deadline (ws not NULL), or a case deadline (ws NULL; its name
 * is set).  Both have a period, a rule, a kind and rungs; only a state's
 * has 'then', an anchor, and can be suspended.  Returns whether 'then' is
 * given, even with a value that could not be read.
 */
static int
wp_deadline(struct wf_parse *wp, struct wf_state *ws, struct wf_deadline *wd,
    const struct ynode *key, const struct ynode *map)
{
	struct workflow		*wf = wp->wp_wf;
	const struct wf_deadline *cd;
	struct wf_field		 f[nitems(wf_deadline_keys)];
	const struct ynode	*v, *at;
	char			 what[QUOTE_LEN + 32], ctx[QUOTE_LEN + 40];
	char			 q[QUOTE_LEN], err[256];
	enum period_rule	 rule;
	int			 courtesy, resume_day, period_ok = 0;

	if (ws != NULL)
		snprintf(what, sizeof(what), "the deadline of state '%s'",
		    wf_quote(ws->ws_name, strlen(ws->ws_name), q));
	else
		snprintf(what, sizeof(what), "case deadline '%s'",
		    wf_quote(wd->wd_name, strlen(wd->wd_name), q));
	snprintf(ctx, sizeof(ctx), "in %s", what);
	wp_fields(wp, map, key, ws != NULL ? wf_deadline_keys :
	    wf_case_deadline_keys, nitems(wf_deadline_keys), ctx, f);

	wd->wd_line = key->yn_line;
	wd->wd_spec.ps_rule = PR_PLAIN;
	wd->wd_kind = DK_AGREEMENT;
	wd->wd_anchor = DA_STATE;
	wd->wd_resume_day_suspended = 1;

	if (ws != NULL) {
		at = key;
		if ((v = f[KD_NAME].fv_val) != NULL) {
			wd->wd_name = xstrdup(v->yn_value);
			at = v;
		} else
			wd->wd_name = xstrdup(ws->ws_name);
		/* Rungs, transitions and queries tell deadlines by name. */
		if ((cd = workflow_case_deadline(wf, wd->wd_name)) != NULL)
			wp_error(wp, at, "deadline name '%s' of state '%s' is "
			    "also the name of a case deadline (line %d); give "
			    "the state's deadline another 'name'", wd->wd_name,
			    q, cd->wd_line);
	}
	/* Named after its state, it is called as the state is. */
	if ((v = f[KD_TITLE].fv_val) != NULL)
		wp_title(wp, v, what, &wd->wd_title);
	else if (ws != NULL && f[KD_NAME].fv_key == NULL &&
	    ws->ws_title != NULL)
		wd->wd_title = xstrdup(ws->ws_title);

	if ((v = f[KD_PERIOD].fv_val) != NULL) {
		if (period_parse(v->yn_value, &wd->wd_spec.ps_period, err,
		    sizeof(err)) == -1)
			wp_error(wp, v, "%s", err);
		else
			period_ok = 1;
	}

	if ((v = f[KD_RULE].fv_val) != NULL) {
		if (period_rule_parse(v->yn_value, &rule) == -1)
			wp_error(wp, v, "unknown rule '%s'; allowed rules: "
			    "plain, atw, working_days, hours",
			    wf_quote(v->yn_value, v->yn_len, q));
		else if (rule == PR_BACKWARD && ws != NULL)
			wp_error(wp, v, "rule 'backward' cannot be used for a "
			    "state's deadline: it counts forward from the "
			    "moment the case entered the state");
		else if (rule == PR_BACKWARD)
			wp_error(wp, v, "rule 'backward' cannot be used for a "
			    "case deadline: it counts forward from the moment "
			    "a rung starts it");
		else
			wd->wd_spec.ps_rule = rule;
	}

	/* period_due refuses these when the deadline starts: refuse them now. */
	if ((v = f[KD_RULE].fv_val) != NULL && period_ok &&
	    wd->wd_spec.ps_rule == PR_WORKING_DAYS &&
	    wd->wd_spec.ps_period.p_unit != PU_DAYS)
		wp_error(wp, v, "rule 'working_days' needs a period in days, "
		    "such as \"10 days\", not \"%s\"",
		    wf_quote(f[KD_PERIOD].fv_val->yn_value,
		    f[KD_PERIOD].fv_val->yn_len, q));
	if ((v = f[KD_RULE].fv_val) != NULL && period_ok &&
	    wd->wd_spec.ps_rule == PR_HOURS &&
	    !period_is_hours(&wd->wd_spec.ps_period))
		wp_error(wp, v, "rule 'hours' needs a period in hours, such as "
		    "\"48 hours\", not \"%s\"",
		    wf_quote(f[KD_PERIOD].fv_val->yn_value,
		    f[KD_PERIOD].fv_val->yn_len, q));

	if ((v = f[KD_KIND].fv_val) != NULL &&
	    deadline_kind_parse(v->yn_value, &wd->wd_kind) == -1)
		wp_error(wp, v, "unknown kind '%s'; allowed kinds: agreement, "
		    "statutory, decision, service_norm",
		    wf_quote(v->yn_value, v->yn_len, q));

	if ((v = f[KD_COURTESY].fv_val) != NULL && wf_is_bool(v, &courtesy)) {
		wd->wd_spec.ps_courtesy = courtesy;
		if (courtesy && f[KD_RULE].fv_val != NULL &&
		    wd->wd_spec.ps_rule != PR_PLAIN)
			wp_error(wp, f[KD_COURTESY].fv_key, "'courtesy' only "
			    "applies to the plain rule, not to '%s'",
			    period_rule_name(wd->wd_spec.ps_rule));
		else if (courtesy && period_ok &&
		    period_is_hours(&wd->wd_spec.ps_period))
			wp_error(wp, f[KD_COURTESY].fv_key, "'courtesy' does "
			    "not apply to a period in hours, which is elapsed "
			    "time");
	}

	/* Whether the start state may use it is known once start is. */
	if ((v = f[KD_ANCHOR].fv_val) != NULL) {
		if (workflow_anchor_parse(v->yn_value, &wd->wd_anchor) == -1)
			wp_error(wp, v, "unknown anchor '%s'; allowed anchors: "
			    "state, event_date, started",
			    wf_quote(v->yn_value, v->yn_len, q));
		else
			wp->wp_anchors[ws - wf->wf_states] = v;
	}

	if ((v = f[KD_RESUME_DAY].fv_val) != NULL &&
	    wf_is_bool(v, &resume_day))
		wd->wd_resume_day_suspended = resume_day;

	if ((v = f[KD_THEN].fv_val) != NULL) {
		wd->wd_then = xstrdup(v->yn_value);
		wp_ref(wp, v, "%s", what);
	} else if (f[KD_THEN].fv_bad)
		wp->wp_graph = 0;

	if ((v = f[KD_RUNGS].fv_val) != NULL)
		wp_rungs(wp, wd, what, ws == NULL, v,
		    period_ok ? f[KD_PERIOD].fv_val : NULL);
	else if (f[KD_RUNGS].fv_bad)
		wp->wp_starts_ok = 0;
	return ws != NULL && f[KD_THEN].fv_key != NULL;
}

/*
 * The rungs of a deadline.  period is the deadline's period when it could
 * be read, for the checks of offsets in hours.  A rung that is not a
 * mapping keeps its place (and its number in messages) without a name.
 */
static void
wp_rungs(struct wf_parse *wp, struct wf_deadline *wd, const char *what,
    int is_case, const struct ynode *list, const struct ynode *period)
{
	struct wf_rung		*wr, *other;
	const struct ynode	*v, *at, **names;
	char			 d[WF_DESCRIBE_LEN];
	size_t			 i, j, n = list->yn_nkids;

	if (n == 0)
		return;
	if (n > WF_MAX_RUNGS) {
		wp_error(wp, list->yn_kids[WF_MAX_RUNGS], "%s has more than %d "
		    "rungs", what, WF_MAX_RUNGS);
		wp->wp_starts_ok = 0;
		n = WF_MAX_RUNGS;
	}
	wd->wd_rungs = xcalloc(n, sizeof(*wd->wd_rungs));
	names = xcalloc(n, sizeof(*names));
	for (i = 0; i < n; i++) {
		v = list->yn_kids[i];
		wr = &wd->wd_rungs[wd->wd_nrungs++];
		wr->wr_line = v->yn_line;
		if (v->yn_type == YN_MAPPING) {
			wp_rung(wp, wr, what, i + 1, is_case, v, period,
			    &names[i]);
			continue;
		}
		wp->wp_starts_ok = 0;
		if (v->yn_type != YN_REFUSED)
			wp_error(wp, v, "rung %zu of %s must be a mapping, not "
			    "%s", i + 1, what, wf_describe(v, d));
	}

	/* The ledger tells rungs apart by name. */
	for (i = 1; i < wd->wd_nrungs; i++) {
		wr = &wd->wd_rungs[i];
		for (j = 0; wr->wr_name != NULL && j < i; j++) {
			other = &wd->wd_rungs[j];
			if (other->wr_name == NULL ||
			    strcmp(other->wr_name, wr->wr_name) != 0)
				continue;
			at = names[i] != NULL ? names[i] : list->yn_kids[i];
			if (names[i] != NULL)
				wp_error(wp, at, "rung %zu of %s is named '%s', "
				    "as is rung %zu (line %d); rung names must "
				    "differ within a deadline", i + 1, what,
				    wr->wr_name, j + 1, other->wr_line);
			else
				wp_error(wp, at, "rung %zu of %s is named '%s' "
				    "by default, as is rung %zu (line %d); give "
				    "one of them a 'name'", i + 1, what,
				    wr->wr_name, j + 1, other->wr_line);
			break;
		}
	}
	free(names);
}

/*
 * One rung, number num of its deadline (what).  *namep is set to the node
 * of an explicit name.  period is the deadline's period, or NULL.
 */
static void
wp_rung(struct wf_parse *wp, struct wf_rung *wr, const char *what,
    size_t num, int is_case, const struct ynode *map,
    const struct ynode *period, const struct ynode **namep)
{
	static const struct {
		int		rk_key;
		enum rung_when	rk_when;
	} whens[] = {
		{ KR_BEFORE, RW_BEFORE },
		{ KR_AFTER, RW_AFTER },
		{ KR_AT, RW_AT },
	};
	static const char rules[] = "allowed rules for a rung: plain, "
	    "working_days, hours";
	struct wf_field		 f[nitems(wf_rung_keys)];
	const struct ynode	*v, *k, *when = NULL, *offset = NULL;
	struct period		 dp;
	char			 rung[QUOTE_LEN + 64], ctx[QUOTE_LEN + 72];
	char			 q[QUOTE_LEN], qp[QUOTE_LEN], err[256];
	char			 iso[24];
	enum period_rule	 rule;
	long long		 max;
	size_t			 i;
	int			 dhours = -1;

	snprintf(rung, sizeof(rung), "rung %zu of %s", num, what);
	snprintf(ctx, sizeof(ctx), "in %s", rung);
	wp_fields(wp, map, map, is_case ? wf_case_rung_keys : wf_rung_keys,
	    nitems(wf_rung_keys), ctx, f);
	wr->wr_offset.ps_rule = PR_PLAIN;
	wr->wr_max = 1;
	wr->wr_catch_up = CU_REPLAY;
	/* Whether the deadline's period is in hours, when it is known. */
	if (period != NULL && period_parse(period->yn_value, &dp, err,
	    sizeof(err)) == 0) {
		dhours = period_is_hours(&dp);
		wf_quote(period->yn_value, period->yn_len, qp);
	}

	/* Exactly one of before, after and at; the first in the file counts. */
	for (i = 0; i < nitems(whens); i++) {
		if ((k = f[whens[i].rk_key].fv_key) == NULL)
			continue;
		if (when == NULL || k->yn_line < when->yn_line ||
		    (k->yn_line == when->yn_line && k->yn_col < when->yn_col)) {
			when = k;
			wr->wr_when = whens[i].rk_when;
		}
	}
	for (i = 0; when != NULL && i < nitems(whens); i++) {
		if ((k = f[whens[i].rk_key].fv_key) != NULL && k != when)
			wp_error(wp, k, "%s has both '%s' and '%s'; a rung has "
			    "exactly one of before, after or at", rung,
			    when->yn_value, k->yn_value);
	}
	if (when == NULL)
		wp_error(wp, map, "%s needs one of 'before', 'after' or 'at'",
		    rung);

	if (when != NULL && wr->wr_when == RW_AT) {
		if ((v = f[KR_AT].fv_val) != NULL &&
		    strcmp(v->yn_value, "due") != 0)
			wp_error(wp, v, "'at' can only be 'due', not '%s'",
			    wf_quote(v->yn_value, v->yn_len, q));
		else if (v != NULL)
			wr->wr_name = xstrdup("at_due");
	} else if (when != NULL) {
		v = f[wr->wr_when == RW_BEFORE ? KR_BEFORE : KR_AFTER].fv_val;
		if (v != NULL && period_parse(v->yn_value,
		    &wr->wr_offset.ps_period, err, sizeof(err)) == -1)
			wp_error(wp, v, "%s", err);
		else if (v != NULL) {
			offset = v;
			period_format(&wr->wr_offset.ps_period, iso,
			    sizeof(iso));
			xasprintf(&wr->wr_name, "%s_%s", wr->wr_when ==
			    RW_BEFORE ? "before" : "after", iso);
		}
		/* A deadline in days passes at midnight: count in days. */
		if (offset != NULL && dhours == 0 &&
		    period_is_hours(&wr->wr_offset.ps_period))
			wp_error(wp, v, "an offset in hours needs a deadline "
			    "in hours, and this deadline's period is \"%s\"",
			    qp);
	}

	/* The rule counts the offset; the Atw is for statutory periods. */
	if ((v = f[KR_RULE].fv_val) != NULL) {
		if (when != NULL && wr->wr_when == RW_AT)
			wp_error(wp, f[KR_RULE].fv_key, "'rule' counts the "
			    "offset of a rung, and a rung at 'due' has none");
		else if (period_rule_parse(v->yn_value, &rule) == -1)
			wp_error(wp, v, "unknown rule '%s'; %s",
			    wf_quote(v->yn_value, v->yn_len, q), rules);
		else if (rule == PR_ATW)
			wp_error(wp, v, "rule 'atw' cannot be used for a rung: "
			    "the Algemene termijnenwet extends statutory "
			    "periods, not the time before or after them; %s",
			    rules);
		else if (rule == PR_BACKWARD)
			wp_error(wp, v, "rule 'backward' cannot be used for a "
			    "rung: 'before' already counts back from the due "
			    "moment; %s", rules);
		else
			wr->wr_offset.ps_rule = rule;
		if (offset != NULL)
			wf_quote(offset->yn_value, offset->yn_len, q);
		if (offset != NULL && wr->wr_offset.ps_rule ==
		    PR_WORKING_DAYS && wr->wr_offset.ps_period.p_unit != PU_DAYS)
			wp_error(wp, v, "rule 'working_days' needs an offset in "
			    "days, such as \"2 days\", not \"%s\"", q);
		if (offset != NULL && wr->wr_offset.ps_rule == PR_HOURS &&
		    !period_is_hours(&wr->wr_offset.ps_period))
			wp_error(wp, v, "rule 'hours' needs an offset in hours, "
			    "such as \"4 hours\", not \"%s\"", q);
	}

	/* "due" is the name of the deadline's own passing in the ledger. */
	if ((v = f[KR_NAME].fv_val) != NULL) {
		*namep = v;
		free(wr->wr_name);
		wr->wr_name = xstrdup(v->yn_value);
		if (strcmp(v->yn_value, "due") == 0)
			wp_error(wp, v, "rung name 'due' is reserved for the "
			    "deadline's own passing; choose another");
	}

	if ((v = f[KR_NOTIFY].fv_val) != NULL && wp_role(wp, v) == 0)
		wr->wr_notify = xstrdup(v->yn_value);

	/* Repeating: every with a max of at least 2, or neither. */
	if ((v = f[KR_EVERY].fv_val) != NULL) {
		if (period_parse(v->yn_value, &wr->wr_every, err,
		    sizeof(err)) == -1) {
			wp_error(wp, v, "%s", err);
			memset(&wr->wr_every, 0, sizeof(wr->wr_every));
		} else if (dhours == 0 && period_is_hours(&wr->wr_every))
			wp_error(wp, v, "'every' in hours needs a deadline in "
			    "hours, and this deadline's period is \"%s\"",
			    qp);
	}
	if ((v = f[KR_MAX].fv_val) != NULL && wf_is_int(v, &max))
		wr->wr_max = (int)max;
	if (f[KR_EVERY].fv_key != NULL && f[KR_MAX].fv_key == NULL)
		wp_error(wp, f[KR_EVERY].fv_key, "'every' needs 'max', how "
		    "often the rung fires at most (2 to 1000)");
	else if (f[KR_EVERY].fv_key != NULL && v != NULL && wr->wr_max < 2)
		wp_error(wp, v, "'max' must be at least 2 for a rung with "
		    "'every'; a rung that fires once needs no 'every'");
	else if (f[KR_EVERY].fv_key == NULL && f[KR_MAX].fv_key != NULL)
		wp_error(wp, f[KR_MAX].fv_key, "'max' needs 'every', the time "
		    "between occurrences; a rung without 'every' fires once");

	if ((v = f[KR_CATCH_UP].fv_val) != NULL) {
		if (workflow_catch_up_parse(v->yn_value,
		    &wr->wr_catch_up) == -1)
			wp_error(wp, v, "unknown catch_up '%s'; allowed values: "
			    "replay, latest", wf_quote(v->yn_value, v->yn_len, q));
		else if (wr->wr_catch_up == CU_LATEST &&
		    f[KR_EVERY].fv_key == NULL)
			wp_error(wp, v, "'catch_up: latest' needs 'every': a "
			    "rung that fires once has one occurrence to catch "
			    "up");
	}

	if ((v = f[KR_START].fv_val) != NULL)
		wp_rung_start(wp, wr, rung, v);
	else if (f[KR_START].fv_bad)
		wp->wp_starts_ok = 0;

	/* Read once every key is: the title says when it fires. */
	if ((v = f[KR_TITLE].fv_val) != NULL)
		wp_title(wp, v, rung, &wr->wr_title);
	else if (when != NULL)
		wr->wr_title = wp_rung_title(wr);
}

/* The case deadlines a rung starts: defined ones, each once. */
static void
wp_rung_start(struct wf_parse *wp, struct wf_rung *wr, const char *rung,
    const struct ynode *list)
{
	struct workflow		*wf = wp->wp_wf;
	const struct ynode	*s;
	const struct wf_deadline *cd;
	char			 d[WF_DESCRIBE_LEN];
	size_t			 i, j;

	if (list->yn_nkids == 0)
		return;
	wr->wr_start = xcalloc(list->yn_nkids, sizeof(*wr->wr_start));
	for (i = 0; i < list->yn_nkids; i++) {
		s = list->yn_kids[i];
		if (s->yn_type == YN_REFUSED) {
			wp->wp_starts_ok = 0;
			continue;
		}
		if (s->yn_type != YN_SCALAR || wf_is_null(s)) {
			wp_error(wp, s, "a case deadline to start must be a "
			    "name, not %s", wf_describe(s, d));
			wp->wp_starts_ok = 0;
			continue;
		}
		if (!wf_name_valid(s)) {
			wp_bad_name(wp, s, "case deadline name");
			wp->wp_starts_ok = 0;
			continue;
		}
		for (j = 0; j < wr->wr_nstart; j++)
			if (strcmp(wr->wr_start[j], s->yn_value) == 0)
				break;
		if (j < wr->wr_nstart) {
			wp_error(wp, s, "%s starts '%s' twice", rung,
			    s->yn_value);
			continue;
		}
		wr->wr_start[wr->wr_nstart++] = xstrdup(s->yn_value);
		if ((cd = workflow_case_deadline(wf, s->yn_value)) != NULL)
			wp->wp_cdstarted[cd - wf->wf_case_deadlines] = 1;
		else {
			wp->wp_starts_ok = 0;
			/* 'deadlines' that could not be read says why. */
			if (!wp->wp_cdbad)
				wp_error(wp, s, "%s starts '%s', which is not a "
				    "case deadline; define it under "
				    "'deadlines'", rung, s->yn_value);
		}
	}
}

/* Each event is "name: state", or a mapping of what it does. */
static void
wp_events(struct wf_parse *wp, struct wf_state *ws, int deadline_bad,
    const struct ynode *map)
{
	struct wf_event		*we, *other;
	const struct ynode	*k, *v, **keys;
	char			 q[QUOTE_LEN], qs[QUOTE_LEN];
	size_t			 i, j, n, npairs = map->yn_nkids / 2;
	int			*skip, events_ok = 1;

	if (npairs == 0)
		return;
	wf_quote(ws->ws_name, strlen(ws->ws_name), qs);
	skip = wp_keys(wp, map);
	n = npairs < WF_MAX_EVENTS ? npairs : WF_MAX_EVENTS;
	ws->ws_events = xcalloc(n, sizeof(*ws->ws_events));
	keys = xcalloc(n, sizeof(*keys));
	for (i = 0; i < npairs; i++) {
		if (skip[i]) {
			wp->wp_graph = 0;
			continue;
		}
		k = map->yn_kids[2 * i];
		v = map->yn_kids[2 * i + 1];
		if (ws->ws_nevents == WF_MAX_EVENTS) {
			wp_error(wp, k, "state '%s' has more than %d events",
			    qs, WF_MAX_EVENTS);
			wp->wp_graph = 0;
			break;
		}
		wf_quote(k->yn_value, k->yn_len, q);
		if (!wf_name_valid(k))
			wp_bad_name(wp, k, "event name");
		keys[ws->ws_nevents] = k;
		we = &ws->ws_events[ws->ws_nevents++];
		we->we_name = xstrdup(k->yn_value);
		we->we_line = k->yn_line;
		we->we_col = k->yn_col;
		if (wp_event(wp, ws, we, deadline_bad, k, v) == -1)
			events_ok = 0;
	}

	/*
	 * A suspended deadline waits for its resumption: a state that can
	 * suspend its deadline must be able to resume it.  One message per
	 * state, at the first event that suspends.
	 */
	for (i = 0; events_ok && ws->ws_deadline != NULL &&
	    i < ws->ws_nevents; i++) {
		we = &ws->ws_events[i];
		if (we->we_action != WA_SUSPEND || we->we_deadline == NULL ||
		    strcmp(we->we_deadline, ws->ws_deadline->wd_name) != 0)
			continue;
		for (j = 0; j < ws->ws_nevents; j++) {
			other = &ws->ws_events[j];
			if (other->we_action == WA_RESUME &&
			    other->we_deadline != NULL &&
			    strcmp(other->we_deadline, we->we_deadline) == 0)
				break;
		}
		if (j == ws->ws_nevents)
			wp_error(wp, keys[i], "state '%s' suspends deadline '%s' "
			    "with event '%s', but has no event that resumes it",
			    qs, we->we_deadline, q);
		break;
	}
	free(keys);
	free(skip);
}

/*
 * One event, at key k with value v: a state's name (a move) or a mapping.
 * Returns -1 when what the event does could not be read.
 */
static int
wp_event(struct wf_parse *wp, struct wf_state *ws, struct wf_event *we,
    int deadline_bad, const struct ynode *k, const struct ynode *v)
{
	struct workflow		*wf = wp->wp_wf;
	const struct wf_deadline *wd = ws->ws_deadline;
	struct wf_field		 f[nitems(wf_event_keys)];
	const struct ynode	*to = NULL, *x;
	struct wf_ref		*rf;
	char			 what[2 * QUOTE_LEN + 32];
	char			 ctx[2 * QUOTE_LEN + 40];
	char			 d[WF_DESCRIBE_LEN], q[QUOTE_LEN];
	char			 qs[QUOTE_LEN], err[256];
	char			 shares[sizeof(ctx) + 16];
	const char		*why, *verb;
	long long		 ll;
	size_t			 i;
	int			 b, dated = 0;

	wf_quote(ws->ws_name, strlen(ws->ws_name), qs);
	snprintf(what, sizeof(what), "event '%s' of state '%s'",
	    wf_quote(k->yn_value, k->yn_len, q), qs);
	snprintf(ctx, sizeof(ctx), "in %s", what);
	we->we_action = WA_MOVE;
	we->we_max = 1;

	if (v->yn_type == YN_SCALAR && !wf_is_null(v)) {
		if (wp_type(wp, &wf_event_keys[KE_TO], v) == 0)
			to = v;
	} else if (v->yn_type == YN_MAPPING) {
		wp_fields(wp, v, k, wf_event_keys, nitems(wf_event_keys), ctx,
		    f);
		if ((x = f[KE_TITLE].fv_val) != NULL)
			wp_title(wp, x, what, &we->we_title);
		if ((x = f[KE_ACTION].fv_val) != NULL) {
			if (workflow_action_parse(x->yn_value,
			    &we->we_action) == -1) {
				wp_error(wp, x, "unknown action '%s'; allowed "
				    "actions: move, suspend, resume, extend",
				    wf_quote(x->yn_value, x->yn_len, q));
				wp->wp_graph = 0;
				return -1;
			}
		} else if (f[KE_ACTION].fv_bad) {
			wp->wp_graph = 0;
			return -1;
		}
		for (i = 0; i < nitems(wf_action_keys); i++) {
			x = f[wf_action_keys[i].ak_key].fv_key;
			if (x != NULL && !(wf_action_keys[i].ak_allowed &
			    WA_BIT(we->we_action)))
				wp_error(wp, x, "'%s' does not go with action "
				    "'%s' %s: %s", x->yn_value,
				    wf_action_name(we->we_action), ctx,
				    wf_action_keys[i].ak_why);
			else if (x == NULL && (wf_action_keys[i].ak_required &
			    WA_BIT(we->we_action)))
				wp_error(wp, k, "missing required key '%s' %s",
				    wf_event_keys[wf_action_keys[i].ak_key].
				    wk_key, ctx);
		}
		if (we->we_action == WA_MOVE)
			to = f[KE_TO].fv_val;

		/* Only the state's own deadline, which runs while it is in it. */
		verb = wf_action_verbs[we->we_action];
		if (we->we_action != WA_MOVE &&
		    (x = f[KE_DEADLINE].fv_val) != NULL) {
			we->we_deadline = xstrdup(x->yn_value);
			why = workflow_case_deadline(wf, x->yn_value) == NULL ?
			    "" : "; a case deadline cannot be suspended, "
			    "resumed or extended";
			if (wd == NULL && !deadline_bad)
				wp_error(wp, x, "%s %s deadline '%s', but state "
				    "'%s' has no deadline%s", what, verb,
				    x->yn_value, qs, why);
			else if (wd != NULL &&
			    strcmp(x->yn_value, wd->wd_name) != 0)
				wp_error(wp, x, "%s %s deadline '%s', but the "
				    "deadline of state '%s' is '%s'%s", what,
				    verb, x->yn_value, qs, wd->wd_name, why);
		}

		/* An extension is counted like the deadline it extends. */
		if (we->we_action == WA_EXTEND &&
		    (x = f[KE_BY].fv_val) != NULL) {
			wf_quote(x->yn_value, x->yn_len, q);
			if (period_parse(x->yn_value, &we->we_by, err,
			    sizeof(err)) == -1)
				wp_error(wp, x, "%s", err);
			else if (wd == NULL || wd->wd_spec.ps_period.p_count == 0)
				;	/* nothing to compare with */
			else if (period_is_hours(&wd->wd_spec.ps_period) &&
			    !period_is_hours(&we->we_by))
				wp_error(wp, x, "the deadline of state '%s' is in "
				    "hours, so 'by' must be in hours too, not "
				    "\"%s\"", qs, q);
			else if (!period_is_hours(&wd->wd_spec.ps_period) &&
			    period_is_hours(&we->we_by))
				wp_error(wp, x, "the deadline of state '%s' is "
				    "counted in whole days, so 'by' cannot be in "
				    "hours (\"%s\")", qs, q);
			else if (wd->wd_spec.ps_rule == PR_WORKING_DAYS &&
			    we->we_by.p_unit != PU_DAYS)
				wp_error(wp, x, "the deadline of state '%s' counts "
				    "working days, so 'by' must be in days, such "
				    "as \"10 days\", not \"%s\"", qs, q);
		}
		if (we->we_action == WA_EXTEND &&
		    (x = f[KE_MAX].fv_val) != NULL && wf_is_int(x, &ll))
			we->we_max = (int)ll;

		/* An empty list would read as "nobody" but mean "everybody". */
		if ((x = f[KE_ROLES].fv_val) != NULL && x->yn_nkids == 0)
			wp_error(wp, x, "'roles' must list at least one role; "
			    "leave it out to let every role send the event");
		else if (x != NULL)
			wp_names(wp, x, "role", "role name", wp_event_role,
			    NULL, &we->we_roles, &we->we_nroles);
		if ((x = f[KE_REASON].fv_val) != NULL && wf_is_bool(x, &b))
			we->we_reason = b;
		if ((x = f[KE_DATE].fv_val) != NULL && wf_is_bool(x, &b))
			we->we_date = b;
		/* A sharing step that names no basis could never be recorded. */
		snprintf(shares, sizeof(shares), "'shares' %s", ctx);
		if ((x = f[KE_SHARES].fv_val) != NULL && x->yn_nkids == 0)
			wp_error(wp, x, "%s must list at least one basis; leave "
			    "it out when the event shares nothing", shares);
		else if (x != NULL)
			wp_names(wp, x, "basis", "basis id",
			    wp_declared_basis, shares, &we->we_shares,
			    &we->we_nshares);
		if ((x = f[KE_JOINS].fv_val) != NULL)
			wp_joins(wp, f[KE_JOINS].fv_key, x, ctx, we,
			    &we->we_joins, &we->we_njoins);
		/* A 'date' that could not be read has had its message. */
		dated = we->we_date || f[KE_DATE].fv_bad;
	} else {
		if (v->yn_type != YN_REFUSED)
			wp_error(wp, v, "%s must name a state, or be a mapping, "
			    "not %s", what, wf_describe(v, d));
		wp->wp_graph = 0;
		return -1;
	}

	if (we->we_action != WA_MOVE)
		return 0;
	if (to == NULL) {
		wp->wp_graph = 0;
		return 0;
	}
	we->we_to = xstrdup(to->yn_value);
	rf = wp_ref(wp, to, "%s", what);
	rf->rf_event = 1;
	rf->rf_dated = dated;
	return 0;
}
