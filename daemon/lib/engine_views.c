/* termijn: the supervisor's views over many cases, for an actor. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/name.h"
#include "termijn/period.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/*
 * Every view shows only what the actor may see: the cases of its teams and
 * those its teams take part in, filtered in the SQL by its token.  Overdue
 * and at risk are derived when read, from the deadlines' moments and what
 * brought each case into its state, never stored.
 */

static int	 filter_team(struct engine *, const struct actor *,
		    const char *, struct engine_error *);
static int	 filter_state(struct engine *, const char *, const char *,
		    struct engine_error *);
static int	 filter_kind(const char *, struct engine_error *);
static void	 names_join(char *, size_t, const char *const *, size_t);

const struct workflow *
engine_workflow(struct engine *en, const char *name)
{
	return registry_current(en->en_registry, name);
}

int
engine_filter_check(struct engine *en, const struct actor *who,
    const struct filter_names *fn, struct engine_error *ee)
{
	if (fn->fn_workflow != NULL &&
	    registry_current(en->en_registry, fn->fn_workflow) == NULL)
		return engine_unknown_workflow(en, fn->fn_workflow, ee);
	if (fn->fn_state != NULL &&
	    filter_state(en, fn->fn_workflow, fn->fn_state, ee) == -1)
		return -1;
	if (fn->fn_kind != NULL && filter_kind(fn->fn_kind, ee) == -1)
		return -1;
	if (fn->fn_team != NULL && filter_team(en, who, fn->fn_team, ee) == -1)
		return -1;
	return 0;
}

/*
 * A team must be known.  Team names are no secret from a person's token
 * (GET /v1/teams lists them all), so the refusal suggests the team most
 * likely meant; a feed token, which reads nothing but its feed and travels
 * in calendar URLs, is told no other team's name.
 */
struct team_names {
	char		**tn_names;
	size_t		  tn_count;
};

static enum store_status
team_name_cb(const struct team_row *tm, void *arg)
{
	struct team_names	*tn = arg;

	tn->tn_names = xreallocarray(tn->tn_names, tn->tn_count + 1,
	    sizeof(*tn->tn_names));
	tn->tn_names[tn->tn_count++] = xstrdup(tm->tm_name);
	return STORE_OK;
}

static int
filter_team(struct engine *en, const struct actor *who, const char *team,
    struct engine_error *ee)
{
	struct team_row		 tm;
	struct team_names	 tn;
	enum store_status	 rc;
	char			 mean[96] = "";
	size_t			 i;

	if (name_valid(team)) {
		rc = store_team_get(en->en_store, team, &tm);
		if (rc == STORE_OK)
			return 0;
		if (rc != STORE_NOTFOUND)
			return engine_store_error(ee, rc, N_("reading a team"));
	}
	memset(&tn, 0, sizeof(tn));
	rc = STORE_OK;
	if (strcmp(who->ac_role, "feed") != 0 &&
	    (rc = store_teams_each(en->en_store, team_name_cb, &tn)) ==
	    STORE_OK)
		engine_did_you_mean(mean, sizeof(mean), team,
		    (const char *const *)tn.tn_names, tn.tn_count);
	for (i = 0; i < tn.tn_count; i++)
		free(tn.tn_names[i]);
	free(tn.tn_names);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("reading the teams"));
	return engine_error(ee, ENGINE_EINVAL, N_("team: no team \"%.64s\"%s;"
	    " the teams are listed by GET /v1/teams (termijnctl team list)"),
	    team, mean);
}

/*
 * A state the workflow filtered by has in some version, or, without one,
 * that some workflow loaded has: the states it could have meant.
 */
static int
filter_state(struct engine *en, const char *workflow, const char *state,
    struct engine_error *ee)
{
	const struct workflow	 *wf;
	const char		**names = NULL;
	char			  mean[96] = "", list[224] = "";
	size_t			  i, j, k, n = 0;

	for (i = 0; i < registry_count(en->en_registry); i++) {
		wf = registry_at(en->en_registry, i);
		if (workflow != NULL && strcmp(wf->wf_name, workflow) != 0)
			continue;
		for (j = 0; j < wf->wf_nstates; j++) {
			if (strcmp(wf->wf_states[j].ws_name, state) == 0) {
				free(names);
				return 0;
			}
			for (k = 0; k < n; k++)
				if (strcmp(names[k],
				    wf->wf_states[j].ws_name) == 0)
					break;
			if (k < n)
				continue;	/* in another version too */
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = wf->wf_states[j].ws_name;
		}
	}
	engine_did_you_mean(mean, sizeof(mean), state, names, n);
	if (workflow != NULL) {
		names_join(list, sizeof(list), names, n);
		engine_error(ee, ENGINE_EINVAL, N_("state: workflow %s has no"
		    " state \"%.64s\"%s; its states: %s"), workflow, state,
		    mean, list);
	} else
		engine_error(ee, ENGINE_EINVAL, N_("state: no workflow termijnd"
		    " has a state \"%.64s\"%s; give workflow= as well to see"
		    " its states"), state, mean);
	free(names);
	return -1;
}

static int
filter_kind(const char *kind, struct engine_error *ee)
{
	static const char *const kinds[] = {
		"agreement", "statutory", "decision", "service_norm",
	};
	enum deadline_kind	dk;
	char			mean[96] = "";

	if (deadline_kind_parse(kind, &dk) == 0)
		return 0;
	engine_did_you_mean(mean, sizeof(mean), kind, kinds, nitems(kinds));
	return engine_error(ee, ENGINE_EINVAL, N_("kind: \"%.64s\" is not a"
	    " deadline kind%s; the kinds: agreement, statutory,"
	    " decision, service_norm"), kind, mean);
}

/* Names, comma-separated, as many as fit, then "...". */
static void
names_join(char *buf, size_t len, const char *const *names, size_t n)
{
	size_t	i, o = 0, w;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		w = strlen(names[i]) + (i > 0 ? 2 : 0);
		if (o + w + 5 >= len) {
			snprintf(buf + o, len - o, "%s...", i > 0 ? ", " : "");
			return;
		}
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i > 0 ? ", " :
		    "", names[i]);
	}
}

static int
viewer(const struct actor *who, struct view_filter *vf,
    struct engine_error *ee)
{
	if (engine_may_see(who, ee) == -1)
		return -1;
	vf->vf_token = who->ac_token;
	return 0;
}

static int
view_status(enum store_status rc, const char *what, struct engine_error *ee)
{
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, what);
	return 0;
}

int
engine_late(const struct case_row *c, const struct deadline_row *d)
{
	return !c->c_final && d->d_passed && d->d_case == c->c_id &&
	    (d->d_id == c->c_escalated_by || d->d_id == c->c_waiting_by);
}

void
engine_lateness(const struct deadline_row *d, int64_t now,
    struct lateness *lt)
{
	struct cal_date	from, today;

	memset(lt, 0, sizeof(*lt));
	lt->lt_seconds = (now - d->d_due) / 1000;
	cal_local_date(d->d_due, &from);
	cal_local_date(now, &today);
	for (; cal_date_cmp(&from, &today) < 0 && lt->lt_days < 100000;
	    cal_date_add_days(&from, 1)) {
		lt->lt_days++;
		lt->lt_working_days += cal_is_working_day(&from, 0) != 0;
	}
	if (strchr(d->d_period, 'T') != NULL)
		lt->lt_working_days = -1;	/* hours: elapsed time */
}

int
engine_overdue(struct engine *en, const struct actor *who,
    struct view_filter *vf, store_case_deadline_cb *cb, void *arg,
    struct engine_error *ee)
{
	if (viewer(who, vf, ee) == -1)
		return -1;
	return view_status(store_overdue(en->en_store, vf, cb, arg),
	    N_("finding what is overdue"), ee);
}

/*
 * "At risk within P5D" means: the deadline's last day falls within the
 * five days after today, the fifth included, so that a deadline ending on
 * that day shows, as the dashboard says.  A day deadline's moment is the
 * start of the day after its last day, so its last day is compared, not
 * its moment: comparing moments with now plus five days would leave out
 * the fifth day.  A deadline in hours has no last day: its moment is
 * compared with now plus the period (a period in days moves the date and
 * keeps the time of day; one in hours is elapsed time).  With a period in
 * hours, a day deadline is at risk when its last day is at most the day
 * that period ends on.
 */
void
engine_risk_window(const struct period *p, int64_t now,
    struct risk_window *rw)
{
	struct period_spec	ps;
	struct cal_date		cd;
	int64_t			tod;

	memset(&ps, 0, sizeof(ps));
	ps.ps_period = *p;
	rw->rw_now = now;
	cal_local_date(now, &cd);
	if (period_is_hours(p)) {
		rw->rw_until = now + (int64_t)p->p_count * 3600000;
		cal_local_date(rw->rw_until, &cd);
	} else {
		tod = now - cal_local_midnight(&cd);
		period_date_move(&cd, &ps, 1);
		rw->rw_until = cal_local_midnight(&cd) + tod;
	}
	cal_date_add_days(&cd, 1);
	rw->rw_until_day = cal_local_midnight(&cd);
}

int
engine_at_risk(struct engine *en, const struct actor *who,
    struct view_filter *vf, const struct risk_window *rw,
    store_case_deadline_cb *cb, void *arg, struct engine_error *ee)
{
	if (viewer(who, vf, ee) == -1)
		return -1;
	return view_status(store_at_risk(en->en_store, vf, rw, cb, arg),
	    N_("finding what is at risk"), ee);
}

int
engine_suspended(struct engine *en, const struct actor *who,
    struct view_filter *vf, store_case_deadline_cb *cb, void *arg,
    struct engine_error *ee)
{
	if (viewer(who, vf, ee) == -1)
		return -1;
	return view_status(store_suspended(en->en_store, vf, cb, arg),
	    N_("finding what is suspended"), ee);
}

int
engine_summary(struct engine *en, const struct actor *who,
    struct view_filter *vf, const struct risk_window *rw,
    store_summary_cb *cb, void *arg, struct engine_error *ee)
{
	if (viewer(who, vf, ee) == -1)
		return -1;
	return view_status(store_summary(en->en_store, vf, rw, cb, arg),
	    N_("counting deadlines"), ee);
}

/* The feed's callback, counting what it was given. */
struct feed_arg {
	store_case_deadline_cb	*fa_cb;
	void			*fa_arg;
	int			 fa_count;
};

static enum store_status
feed_cb(const struct case_row *c, const struct deadline_row *d, void *arg)
{
	struct feed_arg	*fa = arg;

	fa->fa_count++;
	return fa->fa_cb(c, d, fa->fa_arg);
}

/*
 * The calendar feed: what is late, then the running deadlines of the
 * cases the actor sees, soonest first, so that a deadline that passes
 * stays in the calendar, marked, as long as its case waits on it, rather
 * than vanishing from it the moment it matters most.  A feed token (role
 * feed) reads this and nothing else; a person's token may read it too.
 *
 * A calendar is for what is near: a feed of every deadline of a team with
 * tens of thousands of cases is read on the event loop, each a read to
 * log, and held it for most of a second.  So the feed covers a window of
 * dates, the late deadlines that passed from the start of the day
 * FEED_PAST_DAYS days ago (the overdue view keeps the older ones) and the
 * running ones due within FEED_AHEAD (as the at-risk view counts a
 * period), and the caller caps the number of events (vf_limit).  Both
 * parts are index walks that start and stop at the window's edges.
 */
int
engine_feed(struct engine *en, const struct actor *who,
    struct view_filter *vf, int64_t now, store_case_deadline_cb *cb,
    void *arg, struct engine_error *ee)
{
	struct risk_window	 rw;
	struct feed_arg		 fa = { cb, arg, 0 };
	struct period		 ahead;
	struct cal_date		 cd;
	char			 err[128];
	int			 limit = vf->vf_limit;

	if (strcmp(who->ac_role, "feed") != 0 &&
	    engine_may_see(who, ee) == -1)
		return -1;
	if (period_parse(FEED_AHEAD, &ahead, err, sizeof(err)) == -1)
		fatalx("%s: %s", __func__, err);
	engine_risk_window(&ahead, now, &rw);
	cal_local_date(now, &cd);
	cal_date_add_days(&cd, -FEED_PAST_DAYS);
	rw.rw_now = cal_local_midnight(&cd);
	vf->vf_token = who->ac_token;
	/* What passed before the window's start is behind the cursor. */
	vf->vf_after_due = rw.rw_now - 1;
	vf->vf_after_id = INT64_MAX;
	if (view_status(store_overdue(en->en_store, vf, feed_cb, &fa),
	    N_("reading deadlines for a calendar feed"), ee) == -1)
		return -1;
	if (fa.fa_count >= limit)
		return 0;
	vf->vf_limit = limit - fa.fa_count;
	vf->vf_after_due = INT64_MIN;
	vf->vf_after_id = 0;
	return view_status(store_at_risk(en->en_store, vf, &rw, cb, arg),
	    N_("reading deadlines for a calendar feed"), ee);
}

/* The queue states of every workflow version loaded (queue: true). */
int
engine_queue(struct engine *en, const struct actor *who,
    struct view_filter *vf, store_case_cb *cb, void *arg,
    struct engine_error *ee)
{
	const struct workflow	*wf;
	struct queue_state	*qs = NULL;
	size_t			 i, j, n = 0;
	int			 ret;

	if (viewer(who, vf, ee) == -1)
		return -1;
	for (i = 0; i < registry_count(en->en_registry); i++) {
		wf = registry_at(en->en_registry, i);
		for (j = 0; j < wf->wf_nstates; j++) {
			if (!wf->wf_states[j].ws_queue)
				continue;
			qs = xreallocarray(qs, n + 1, sizeof(*qs));
			qs[n].qs_workflow = wf->wf_name;
			qs[n].qs_version = wf->wf_version;
			qs[n++].qs_state = wf->wf_states[j].ws_name;
		}
	}
	ret = view_status(store_queue(en->en_store, vf, qs, n, cb, arg),
	    N_("reading a queue"), ee);
	free(qs);
	return ret;
}

const struct wf_state *
engine_case_state(struct engine *en, const struct case_row *c)
{
	const struct workflow	*wf;

	if ((wf = engine_case_workflow(en, c)) == NULL)
		return NULL;
	return workflow_state(wf, c->c_state);
}
