/* termijn: a workflow as the API shows it, and the titles of its names beside them elsewhere. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/engine.h"
#include "termijn/period.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

/*
 * Identifiers stay what they are in every answer: systems match on them
 * and people type them.  Where a person reads a name, its title goes
 * beside it, named after it: "state" and "state_title", "deadline" and
 * "deadline_title", and "title" in an object the name itself identifies.
 * A title is null where the workflow gives none (then the name is what a
 * reader shows); a rung always has one, given or made in Dutch.  A case's
 * titles come from the version it runs on, so that a case keeps the words
 * it started with.
 */

static json_t	*view_deadline(const struct wf_deadline *);
static json_t	*view_penalty_model(const struct wf_penalty *);
static json_t	*view_rungs(const struct wf_deadline *);
static json_t	*view_event(const struct wf_event *);
static json_t	*view_joins(const struct wf_join *, size_t);
static json_t	*view_names(char *const *, size_t);

/*
 * A workflow as GET /v1/workflows shows it.  "share_bases" is the list the
 * loader resolved (every declared basis when the file names none), so
 * that a client never has to know that default; "retention" is null when
 * closed cases are kept forever; "corrections" names the roles that may
 * correct a case besides supervisor.  "roles" are the roles it lists, with
 * their titles, and "deadlines" its case deadlines.
 */
json_t *
view_workflow(const struct workflow *wf)
{
	const struct wf_state	*ws;
	json_t			*states, *s, *events, *roles, *cds;
	char			 period[24];
	size_t			 i, j;

	roles = json_array();
	for (i = 0; i < wf->wf_nroles; i++)
		json_array_append_new(roles, json_pack("{s:s, s:o}", "name",
		    wf->wf_roles[i], "title", view_title(wf->wf_role_titles ?
		    wf->wf_role_titles[i] : NULL)));
	states = json_array();
	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		events = json_array();
		for (j = 0; j < ws->ws_nevents; j++)
			json_array_append_new(events,
			    view_event(&ws->ws_events[j]));
		s = json_pack("{s:s, s:o, s:b, s:b, s:o, s:o}", "name",
		    ws->ws_name, "title", view_title(ws->ws_title), "final",
		    ws->ws_final, "queue", ws->ws_queue, "guidance",
		    ws->ws_guidance != NULL ? view_text(ws->ws_guidance) :
		    json_null(), "events", events);
		if (ws->ws_njoins > 0)
			json_object_set_new(s, "joins", view_joins(ws->ws_joins,
			    ws->ws_njoins));
		if (ws->ws_nnotify > 0)
			json_object_set_new(s, "notify", view_names(
			    ws->ws_notify, ws->ws_nnotify));
		if (ws->ws_deadline != NULL)
			json_object_set_new(s, "deadline",
			    view_deadline(ws->ws_deadline));
		if (ws->ws_penalty != NULL)
			json_object_set_new(s, "penalty",
			    view_penalty_model(ws->ws_penalty));
		json_array_append_new(states, s);
	}
	cds = json_array();
	for (i = 0; i < wf->wf_ncase_deadlines; i++)
		json_array_append_new(cds,
		    view_deadline(&wf->wf_case_deadlines[i]));
	if (wf->wf_retention.p_count > 0)
		period_format(&wf->wf_retention, period, sizeof(period));
	return json_pack("{s:s, s:i, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:s?,"
	    " s:o}",
	    "name", wf->wf_name, "version", wf->wf_version,
	    "title", view_title(wf->wf_title), "roles", roles,
	    "start", wf->wf_start, "states", states, "deadlines", cds,
	    "bases", view_bases(wf, NULL, wf->wf_nbases),
	    "share_bases", view_names(wf->wf_share_bases, wf->wf_nshare_bases),
	    "retention", wf->wf_retention.p_count > 0 ? period : NULL,
	    "corrections", view_names(wf->wf_correct_roles,
	    wf->wf_ncorrect_roles));
}

/*
 * Legal bases of a workflow, each with its title, article and
 * description: the n ids given (a step's bases), or with ids NULL every
 * one it declares.
 */
json_t *
view_bases(const struct workflow *wf, char *const *ids, size_t n)
{
	const struct wf_basis	*wb;
	json_t			*a;
	size_t			 i;

	a = json_array();
	for (i = 0; i < n; i++) {
		if ((wb = ids != NULL ? workflow_basis(wf, ids[i]) :
		    &wf->wf_bases[i]) == NULL)
			continue;
		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o}", "id",
		    wb->wb_id, "title", view_title(wb->wb_title), "article",
		    view_text(wb->wb_article), "description",
		    view_text(wb->wb_description)));
	}
	return a;
}

/* A title, or null. */
json_t *
view_title(const char *title)
{
	return title != NULL ? view_text(title) : json_null();
}

json_t *
view_state_title(const struct workflow *wf, const char *state)
{
	const struct wf_state	*ws;

	if (wf == NULL || (ws = workflow_state(wf, state)) == NULL)
		return json_null();
	return view_title(ws->ws_title);
}

/* A stored deadline's title, as the version of its case says it. */
json_t *
view_deadline_title(const struct workflow *wf, const struct deadline_row *d)
{
	const struct wf_deadline	*wd;

	if (wf == NULL || (wd = engine_deadline_model(wf, d)) == NULL)
		return json_null();
	return view_title(wd->wd_title);
}

/* A rung of a stored deadline, by the name the ledger keeps. */
json_t *
view_rung_title(const struct workflow *wf, const struct deadline_row *d,
    const char *rung)
{
	return view_title(wf_rung_title(wf != NULL ?
	    engine_deadline_model(wf, d) : NULL, rung));
}

json_t *
view_role_title(const struct workflow *wf, const char *role)
{
	return view_title(workflow_role_title(wf, role));
}

json_t *
view_basis_title(const struct workflow *wf, const char *id)
{
	const struct wf_basis	*wb;

	if (wf == NULL || (wb = workflow_basis(wf, id)) == NULL)
		return json_null();
	return view_title(wb->wb_title);
}

/*
 * What a transition's "event" names, as people read it: an event of the
 * state the case was in, or, when a deadline passed (cause "deadline"),
 * that deadline, the state's or the case's.
 */
json_t *
view_event_title(const struct workflow *wf, const char *cause,
    const char *from, const char *event)
{
	const struct wf_state		*ws;
	const struct wf_event		*we;
	const struct wf_deadline	*wd;

	if (wf == NULL || event == NULL || *event == '\0')
		return json_null();
	ws = workflow_state(wf, from);
	if (strcmp(cause, "deadline") == 0) {
		if (ws != NULL && ws->ws_deadline != NULL &&
		    strcmp(ws->ws_deadline->wd_name, event) == 0)
			wd = ws->ws_deadline;
		else
			wd = workflow_case_deadline(wf, event);
		return view_title(wd != NULL ? wd->wd_title : NULL);
	}
	if (ws == NULL || (we = wf_state_event(ws, event)) == NULL)
		return json_null();
	return view_title(we->we_title);
}

/* A deadline as a workflow declares it, with its rungs. */
static json_t *
view_deadline(const struct wf_deadline *wd)
{
	char	period[24];

	period_format(&wd->wd_spec.ps_period, period, sizeof(period));
	return json_pack("{s:s, s:o, s:s, s:s, s:s, s:s?, s:o}", "name",
	    wd->wd_name, "title", view_title(wd->wd_title), "period", period,
	    "rule", period_rule_name(wd->wd_spec.ps_rule),
	    "kind", deadline_kind_name(wd->wd_kind), "then", wd->wd_then,
	    "rungs", view_rungs(wd));
}

/* A deadline's rungs, by name and title, and whom each tells. */
static json_t *
view_rungs(const struct wf_deadline *wd)
{
	const struct wf_rung	*wr;
	json_t			*a = json_array();
	size_t			 i;

	for (i = 0; i < wd->wd_nrungs; i++) {
		wr = &wd->wd_rungs[i];
		json_array_append_new(a, json_pack("{s:s, s:o, s:s?}", "name",
		    wr->wr_name, "title", view_title(wr->wr_title), "notify",
		    wr->wr_notify));
	}
	return a;
}

static json_t *
view_event(const struct wf_event *we)
{
	json_t	*e;
	char	 period[24];

	e = json_pack("{s:s, s:o, s:s, s:s?, s:s?}", "name", we->we_name,
	    "title", view_title(we->we_title),
	    "action", wf_action_name(we->we_action),
	    "to", we->we_to, "deadline", we->we_deadline);
	if (we->we_nshares > 0)
		json_object_set_new(e, "shares",
		    view_names(we->we_shares, we->we_nshares));
	if (we->we_njoins > 0)
		json_object_set_new(e, "joins", view_joins(we->we_joins,
		    we->we_njoins));
	/* What a client asks for before it records the event. */
	json_object_set_new(e, "roles", view_names(we->we_roles,
	    we->we_nroles));
	json_object_set_new(e, "reason", json_boolean(we->we_reason));
	json_object_set_new(e, "date", json_boolean(we->we_date));
	if (we->we_action == WA_EXTEND) {
		period_format(&we->we_by, period, sizeof(period));
		json_object_set_new(e, "by", json_string(period));
		json_object_set_new(e, "max", json_integer(we->we_max));
	}
	return e;
}

/* Joins as a workflow declares them: who comes in, on what, why. */
static json_t *
view_joins(const struct wf_join *joins, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:o, s:s?, s:o,"
		    " s:b}", "function", joins[i].wj_function, "title",
		    view_title(joins[i].wj_title), "basis", joins[i].wj_basis,
		    "purpose", view_text(joins[i].wj_purpose), "coordinator",
		    joins[i].wj_coordinator));
	return a;
}

/* A JSON array of names. */
static json_t *
view_names(char *const *names, size_t n)
{
	json_t	*a;
	size_t	 i;

	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

/* A state's penalty as the workflow declares it: tiers, cap and fixing. */
static json_t *
view_penalty_model(const struct wf_penalty *wn)
{
	json_t	*tiers, *o;
	char	 money[PENALTY_MONEY_LEN], period[24];
	size_t	 i;

	tiers = json_array();
	for (i = 0; i < wn->wn_ntiers; i++) {
		penalty_money(wn->wn_tiers[i].wt_cents, 0, money);
		json_array_append_new(tiers, json_pack("{s:i, s:I, s:s}",
		    "days", wn->wn_tiers[i].wt_days, "per_day_cents",
		    (json_int_t)wn->wn_tiers[i].wt_cents, "per_day", money));
	}
	penalty_money(penalty_cents(wn, wn->wn_max_days), 0, money);
	o = json_pack("{s:o, s:s?, s:o, s:i, s:s}", "title",
	    view_title(wn->wn_title), "after", wn->wn_after, "tiers", tiers,
	    "max_days", wn->wn_max_days, "max_amount", money);
	if (wn->wn_fix.ps_period.p_count > 0) {
		period_format(&wn->wn_fix.ps_period, period, sizeof(period));
		json_object_set_new(o, "fix_within", json_string(period));
		json_object_set_new(o, "fix_rule", json_string(
		    period_rule_name(wn->wn_fix.ps_rule)));
	} else {
		json_object_set_new(o, "fix_within", json_null());
		json_object_set_new(o, "fix_rule", json_null());
	}
	return o;
}
