/* termijn: escalation reaches a team: joins, routes, and who is told on entry. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/engine.h"
#include "termijn/name.h"
#include "termijn/record.h"
#include "termijn/store.h"
#include "termijn/text.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/*
 * A case that escalates must land with a person.  The workflow says where
 * another team joins (a state's 'joins', on entering it for any cause; an
 * event's, on recording it) by function, not by team: the same workflow
 * runs in municipalities whose enforcement is their own team, a regional
 * one, or a partner's.  Which team fills a function for an owning team,
 * or for every team of an organisation, is the administrator's decision,
 * made once (a route), listed, and logged append-only.
 *
 * Entering such a state is a sharing step, as a person's 'case share' is:
 * the team becomes a participant on the basis the workflow declares (or
 * that the sharing event was given), recorded as a transition with basis
 * and team, in the same transaction as the move.  It then sees the case,
 * finds it in its queue, and its webhooks hear of the state's 'notify'.
 * A function no team fills does not stop the case: it moves, and says so
 * everywhere a person looks (the answer's warning, the case's mark in the
 * views and on its page, a metric and its alert).  The mark holds until
 * the case leaves the state, or a route is added and the case is joined.
 */

static int	 join_one(struct engine *, struct case_row *,
		    const struct workflow *, const struct wf_join *,
		    const char *, const char *, int64_t,
		    struct engine_error *);
static int	 entry_notify(struct engine *, const struct case_row *,
		    const struct workflow *, const char *, const char *,
		    int64_t, int64_t, struct engine_error *);
static void	 unrouted_add(struct case_row *, const char *);
static int	 told_at_due(const struct workflow *, const struct move *,
		    const char *);
static void	 unrouted_remove(struct case_row *, const char *);
static int	 route_catch_up(struct engine *, const struct actor *,
		    const struct route_row *, int64_t, size_t *,
		    struct engine_error *);

/* Unrouted cases a new route brings its team into, in one request. */
#define ROUTE_CATCH_UP_MAX	1000

/*
 * The case has entered state mv->mv_to (or was created in it): bring in
 * the teams of the event's joins, then of the state's (a function the
 * event brought in is not brought in twice), and tell the state's roles.
 */
int
engine_arrive(struct engine *en, struct case_row *c,
    const struct workflow *wf, const struct move *mv, int64_t at,
    int64_t now, struct engine_error *ee)
{
	const struct wf_state	*ws;
	const struct wf_event	*we = mv->mv_model;
	const char		*actor = mv->mv_actor;
	size_t			 i, j;

	/* Whatever waited on a team here waits no more: the case moved. */
	c->c_unrouted[0] = '\0';
	if ((ws = workflow_state(wf, c->c_state)) == NULL)
		return engine_error(ee, ENGINE_EMODEL, N_("workflow %s version"
		    " %d has no state %s"), wf->wf_name, wf->wf_version,
		    c->c_state);
	for (i = 0; we != NULL && i < we->we_njoins; i++)
		if (join_one(en, c, wf, &we->we_joins[i], mv->mv_basis, actor,
		    now, ee) == -1)
			return -1;
	for (i = 0; i < ws->ws_njoins; i++) {
		for (j = 0; we != NULL && j < we->we_njoins; j++)
			if (strcmp(we->we_joins[j].wj_function,
			    ws->ws_joins[i].wj_function) == 0)
				break;
		if (we != NULL && j < we->we_njoins)
			continue;
		if (join_one(en, c, wf, &ws->ws_joins[i], NULL, actor, now,
		    ee) == -1)
			return -1;
	}
	for (i = 0; i < ws->ws_nnotify; i++)
		if (!told_at_due(wf, mv, ws->ws_notify[i]) &&
		    entry_notify(en, c, wf, ws->ws_name, ws->ws_notify[i], at,
		    now, ee) == -1)
			return -1;
	return 0;
}

/*
 * Whether the deadline whose passing entered the state has a rung at its
 * moment that tells role: that rung fires right after the move, in the
 * same batch, so the role is told once, by the rung.
 */
static int
told_at_due(const struct workflow *wf, const struct move *mv,
    const char *role)
{
	const struct wf_deadline	*wd;
	size_t				 i, j;

	if (mv->mv_cause != CAUSE_DEADLINE || mv->mv_event == NULL)
		return 0;
	for (i = 0; i < wf->wf_nstates; i++) {
		if ((wd = wf->wf_states[i].ws_deadline) == NULL ||
		    wd->wd_then == NULL || strcmp(wd->wd_name,
		    mv->mv_event) != 0 || strcmp(wd->wd_then, mv->mv_to) != 0)
			continue;
		for (j = 0; j < wd->wd_nrungs; j++)
			if (wd->wd_rungs[j].wr_when == RW_AT &&
			    wd->wd_rungs[j].wr_notify != NULL &&
			    strcmp(wd->wd_rungs[j].wr_notify, role) == 0)
				return 1;
	}
	return 0;
}

/*
 * One join: the team that fills the function for the owner takes part on
 * the basis (the join's own, or the event's), and coordinates if the
 * workflow says so.  A team that takes part already keeps its basis; the
 * owner filling the function itself needs nothing.
 */
static int
join_one(struct engine *en, struct case_row *c, const struct workflow *wf,
    const struct wf_join *wj, const char *event_basis, const char *actor,
    int64_t now, struct engine_error *ee)
{
	struct participant_row	 p;
	struct route_row	 rt;
	struct team_row		 tm;
	const char		*basis;
	enum store_status	 rc;

	basis = wj->wj_basis != NULL ? wj->wj_basis : event_basis;
	if (basis == NULL)
		return engine_error(ee, ENGINE_EMODEL, N_("workflow %s: the"
		    " join of function %s has no basis"), wf->wf_name,
		    wj->wj_function);
	if ((rc = store_team_get(en->en_store, c->c_team, &tm)) != STORE_OK)
		return engine_store_error(ee, rc == STORE_NOTFOUND ?
		    STORE_FAILED : rc, N_("reading a team"));
	rc = store_route_find(en->en_store, wj->wj_function, c->c_team,
	    tm.tm_organisation, &rt);
	if (rc == STORE_NOTFOUND) {
		unrouted_add(c, wj->wj_function);
		en->en_unrouted++;
		record_note(en->en_record, "unrouted case=%lld workflow=%s"
		    " state=%s function=%s team=%s", (long long)c->c_id,
		    wf->wf_name, c->c_state, wj->wj_function, c->c_team);
		return 0;
	}
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("finding a route"));
	if (strcmp(rt.rt_team, c->c_team) == 0)
		return 0;
	memset(&p, 0, sizeof(p));
	p.p_case = c->c_id;
	snprintf(p.p_team, sizeof(p.p_team), "%s", rt.rt_team);
	snprintf(p.p_basis, sizeof(p.p_basis), "%s", basis);
	/* The loader took a purpose of at most PURPOSE_MAX bytes. */
	if (text_copy(p.p_purpose, sizeof(p.p_purpose), wj->wj_purpose ?
	    wj->wj_purpose : "") == -1)
		return engine_error(ee, ENGINE_EMODEL, N_("workflow %s: the"
		    " purpose of a join of %s is longer than %d bytes"),
		    wf->wf_name, wj->wj_function, PURPOSE_MAX);
	p.p_since = now;
	snprintf(p.p_added_by, sizeof(p.p_added_by), "%s", actor);
	rc = store_participant_add(en->en_store, &p);
	if (rc != STORE_OK && rc != STORE_EXISTS)
		return engine_store_error(ee, rc, N_("adding a participant"));
	if (rc == STORE_OK) {
		en->en_joined++;
		if (engine_share_move(en, c, wf, actor, CAUSE_SHARE, rt.rt_team,
		    basis, wj->wj_purpose, now, ee) == -1)
			return -1;
	}
	if (!wj->wj_coordinator || strcmp(c->c_coordinator, rt.rt_team) == 0)
		return 0;
	snprintf(c->c_coordinator, sizeof(c->c_coordinator), "%s", rt.rt_team);
	return engine_share_move(en, c, wf, actor, CAUSE_COORDINATE,
	    rt.rt_team, NULL, NULL, now, ee);
}

/*
 * A role told that the case entered a state: a notification row (it has
 * no rung; it names the state) and a webhook for each team that sees the
 * case, the one just brought in included, and has one for that role.
 */
static int
entry_notify(struct engine *en, const struct case_row *c,
    const struct workflow *wf, const char *state, const char *role,
    int64_t at, int64_t now, struct engine_error *ee)
{
	struct notification_row	n;
	struct rung_input	ri;
	enum store_status	rc;

	memset(&n, 0, sizeof(n));
	n.n_case = c->c_id;
	snprintf(n.n_role, sizeof(n.n_role), "%s", role);
	snprintf(n.n_entered, sizeof(n.n_entered), "%s", state);
	n.n_at = at;
	n.n_created_at = now;
	if ((rc = store_notification_insert(en->en_store, &n)) != STORE_OK)
		return engine_store_error(ee, rc, N_("recording a"
		    " notification"));
	record_note(en->en_record, "notify case=%lld workflow=%s state=%s"
	    " notify=%s", (long long)c->c_id, wf->wf_name, state, role);
	memset(&ri, 0, sizeof(ri));
	ri.ri_case = c->c_id;
	ri.ri_workflow = wf->wf_name;
	ri.ri_notify = role;
	ri.ri_at = at;
	ri.ri_recorded_at = now;
	ri.ri_notification = n.n_id;
	return engine_webhooks(en, c, wf, "nl.termijn.case.entered", &ri, ee);
}

static void
unrouted_remove(struct case_row *c, const char *function)
{
	char	 list[sizeof(c->c_unrouted)], *p, *save;
	size_t	 len = 0;

	snprintf(list, sizeof(list), "%s", c->c_unrouted);
	c->c_unrouted[0] = '\0';
	for (p = strtok_r(list, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save))
		if (strcmp(p, function) != 0)
			len += (size_t)snprintf(c->c_unrouted + len,
			    sizeof(c->c_unrouted) - len, "%s%s",
			    len ? "," : "", p);
}

static void
unrouted_add(struct case_row *c, const char *function)
{
	size_t	len = strlen(c->c_unrouted);

	if (engine_list_has(c->c_unrouted, function))
		return;
	if (len + strlen(function) + 2 > sizeof(c->c_unrouted))
		return;		/* WF_MAX_JOINS names fit; more cannot come */
	snprintf(c->c_unrouted + len, sizeof(c->c_unrouted) - len, "%s%s",
	    len ? "," : "", function);
}

/*
 * Routes, for role admin.  A function is a name as the workflows use it;
 * the owner is a known team or an organisation some team belongs to (a
 * typo would route nothing, silently); the team that fills it is known
 * and is not the owner.
 */
int
engine_route_set(struct engine *en, const struct actor *who,
    struct route_row *rt, int64_t now, size_t *joined,
    struct engine_error *ee)
{
	struct team_row		tm;
	enum store_status	rc;

	if (engine_must_be_admin(who, ee) == -1)
		return -1;
	if (!name_is_identifier(rt->rt_function))
		return engine_error(ee, ENGINE_EINVAL, N_("function \"%.64s\""
		    " is not a name as workflows use them: a-z, 0-9 and _,"
		    " starting with a letter, at most 64"), rt->rt_function);
	/* The row's buffer holds the limit: only UTF-8 is left to check. */
	if (engine_text("for_organisation", rt->rt_for_org, ORGANISATION_MAX,
	    ee) == -1)
		return -1;
	if ((rt->rt_for_team[0] != '\0') == (rt->rt_for_org[0] != '\0'))
		return engine_error(ee, ENGINE_EINVAL, N_("give the team whose"
		    " cases it serves (\"for_team\") or their organisation"
		    " (\"for_organisation\"), one of the two"));
	if (engine_known_team(en, rt->rt_team, &tm, ee) == -1)
		return -1;
	if (rt->rt_for_team[0] != '\0') {
		if (engine_known_team(en, rt->rt_for_team, &tm, ee) == -1)
			return -1;
		if (strcmp(rt->rt_for_team, rt->rt_team) == 0)
			return engine_error(ee, ENGINE_EINVAL, N_("team %s owns"
			    " its cases and takes part in them already; route"
			    " a function to another team"), rt->rt_team);
	} else if (engine_known_organisation(en, rt->rt_for_org, ee) == -1)
		return -1;
	rt->rt_at = now;
	snprintf(rt->rt_actor, sizeof(rt->rt_actor), "%s", who->ac_name);
	if ((rc = store_route_set(en->en_store, rt)) == STORE_EXISTS)
		return engine_error(ee, ENGINE_ECONFLICT, N_("function %s has a"
		    " team for %s %s already; remove that route first"),
		    rt->rt_function, rt->rt_for_team[0] ? "team" :
		    "organisation", rt->rt_for_team[0] ? rt->rt_for_team :
		    rt->rt_for_org);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("adding a route"));
	record_note(en->en_record, "route set id=%lld function=%s for_team=%s"
	    " for_organisation=\"%s\" team=%s actor=%s", (long long)rt->rt_id,
	    rt->rt_function, rt->rt_for_team[0] ? rt->rt_for_team : "-",
	    rt->rt_for_org[0] ? rt->rt_for_org : "-", rt->rt_team,
	    who->ac_name);
	*joined = 0;
	return route_catch_up(en, who, rt, now, joined, ee);
}

struct waiting {
	struct case_row	*wt_cases;
	size_t		 wt_n;
};

static enum store_status
waiting_cb(const struct case_row *c, void *arg)
{
	struct waiting	*wt = arg;

	wt->wt_cases = xreallocarray(wt->wt_cases, wt->wt_n + 1,
	    sizeof(*wt->wt_cases));
	wt->wt_cases[wt->wt_n++] = *c;
	return STORE_OK;
}

/*
 * A route added while cases wait, marked unrouted, for its function: the
 * team joins each of them now, on the basis their state declares, as if
 * the case entered its state again, and its roles are told.  A mark that
 * an event's join left (its basis was the event's) stays for a person to
 * share by hand.  At most ROUTE_CATCH_UP_MAX cases, in the admin's
 * transaction; the alert goes on counting any left.
 */
static int
route_catch_up(struct engine *en, const struct actor *who,
    const struct route_row *rt, int64_t now, size_t *joined,
    struct engine_error *ee)
{
	const struct workflow	*wf;
	const struct wf_state	*ws;
	const struct wf_join	*wj;
	struct waiting		 wt = { NULL, 0 };
	struct team_row		 tm;
	struct case_row		*c;
	enum store_status	 rc;
	size_t			 i, j;
	int			 ret = -1;

	if ((rc = store_unrouted_cases(en->en_store, 0, ROUTE_CATCH_UP_MAX,
	    waiting_cb, &wt)) != STORE_OK) {
		engine_store_error(ee, rc, N_("reading unrouted cases"));
		goto done;
	}
	for (i = 0; i < wt.wt_n; i++) {
		c = &wt.wt_cases[i];
		/*
		 * Found by a walk that locked nothing: held now, and every
		 * check below made on the row as it is.
		 */
		if ((rc = store_case_lock(en->en_store, c->c_id, c)) ==
		    STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK) {
			engine_store_error(ee, rc, N_("reading a case"));
			goto done;
		}
		if (c->c_final ||
		    !engine_list_has(c->c_unrouted, rt->rt_function))
			continue;
		if (rt->rt_for_team[0] != '\0' &&
		    strcmp(c->c_team, rt->rt_for_team) != 0)
			continue;
		if (rt->rt_for_org[0] != '\0') {
			if ((rc = store_team_get(en->en_store, c->c_team,
			    &tm)) != STORE_OK) {
				engine_store_error(ee, rc, N_("reading a"
				    " team"));
				goto done;
			}
			if (strcmp(tm.tm_organisation, rt->rt_for_org) != 0)
				continue;
		}
		if ((wf = engine_case_workflow(en, c)) == NULL ||
		    (ws = workflow_state(wf, c->c_state)) == NULL)
			continue;
		for (j = 0, wj = NULL; j < ws->ws_njoins && wj == NULL; j++)
			if (strcmp(ws->ws_joins[j].wj_function,
			    rt->rt_function) == 0)
				wj = &ws->ws_joins[j];
		if (wj == NULL)
			continue;
		unrouted_remove(c, rt->rt_function);
		c->c_updated_at = now;
		if (join_one(en, c, wf, wj, NULL, who->ac_name, now, ee) == -1)
			goto done;
		for (j = 0; j < ws->ws_nnotify; j++)
			if (entry_notify(en, c, wf, ws->ws_name,
			    ws->ws_notify[j], now, now, ee) == -1)
				goto done;
		if ((rc = store_case_update_state(en->en_store, c)) !=
		    STORE_OK) {
			engine_store_error(ee, rc, N_("updating a case"));
			goto done;
		}
		(*joined)++;
	}
	ret = 0;
done:
	free(wt.wt_cases);
	return ret;
}

int
engine_route_remove(struct engine *en, const struct actor *who,
    struct route_row *rt, int64_t now, struct engine_error *ee)
{
	enum store_status	rc;

	if (engine_must_be_admin(who, ee) == -1)
		return -1;
	rt->rt_at = now;
	snprintf(rt->rt_actor, sizeof(rt->rt_actor), "%s", who->ac_name);
	if ((rc = store_route_remove(en->en_store, rt)) == STORE_NOTFOUND)
		return engine_error(ee, ENGINE_ENOTFOUND, N_("no route %lld"),
		    (long long)rt->rt_id);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("removing a route"));
	record_note(en->en_record, "route removed id=%lld function=%s team=%s"
	    " actor=%s", (long long)rt->rt_id, rt->rt_function, rt->rt_team,
	    who->ac_name);
	return 0;
}

int
engine_routes(struct engine *en, const struct actor *who, int log,
    store_route_cb *cb, void *arg, struct engine_error *ee)
{
	enum store_status	rc;

	if (engine_must_be_admin(who, ee) == -1)
		return -1;
	if ((rc = store_routes_each(en->en_store, log, cb, arg)) != STORE_OK)
		return engine_store_error(ee, rc, N_("reading routes"));
	return 0;
}
