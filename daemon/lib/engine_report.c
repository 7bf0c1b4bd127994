/* termijn: management information, derived from the history of cases. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/store.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/*
 * What a team manager reports to the council: per group (team, workflow,
 * deadline kind or month), how the deadlines that fell in a period went.
 *
 * A deadline counts in the period when its last day (for a period in
 * hours: its moment) lies in [from, to).  It was met when the case left
 * the deadline's state before the deadline passed, and missed when it
 * passed (or its moment has come and the scheduler has yet to fire it).
 * The delay of a missed deadline runs from the moment it passed until the
 * case left the state it then waited in: the deadline's "then" state, to
 * which it escalated, or its own state for a deadline without "then", or,
 * for a deadline of the case rather than of a state, until the case
 * closed; or until now when it still waits.  The history says when it
 * left: the first transition out of that state, or an event that moves
 * the case back into it (which starts its deadline anew), at or after the
 * moment.  A deadline that is suspended now has no moment and counts
 * nowhere yet; one that runs and falls due later has not fallen yet.  A
 * deadline that was suspended at some time, or extended, counts as such
 * too.  Closed cases are those whose final state was entered in [from,
 * to), with their throughput time from the start of the case.
 *
 * Penalties (what late decisions cost: the dwangsom bij niet tijdig
 * beslissen) count with the deadline of their state: a penalty's first
 * day is the day after that deadline's last day, so it counts in the
 * period its deadline fell in, with all it ran up (engine_case_penalty:
 * up to now, the decision, or the cap), even days after the period's end.
 * A deadline that was met (the decision came within the two weeks) began
 * none.
 *
 * The rows are added up here rather than in SQL: the delay needs each
 * missed deadline's history and the workflow's events.  The walk is
 * linear in the deadlines of the period; the history is read only for the
 * missed ones.  Medians of an even count are the mean of the middle two;
 * the 90th percentile is the nearest rank.
 */

struct group {
	struct report_row	 g_row;
	int64_t			*g_delays;	/* ms, of the missed ones */
	size_t			 g_ndelays;
	int64_t			*g_through;	/* ms, of the closed cases */
	size_t			 g_nthrough;
	int64_t			 g_statutory;	/* deadlines of statutory kinds */
	int64_t			 g_statutory_met;
};

struct report_arg {
	struct engine		*ra_engine;
	enum report_by		 ra_by;
	int64_t			 ra_now;
	struct group		*ra_groups;
	size_t			 ra_ngroups;
	struct engine_error	*ra_ee;
};

/* The walk of a case's history for when it left a state. */
struct left_arg {
	const struct workflow	*la_wf;
	const char		*la_state;	/* NULL: until it closed */
	int64_t			 la_from;
	int64_t			 la_at;
	int64_t			 la_last;
	int			 la_count;
};

static const char *const report_bys[] = {
	[REPORT_BY_TEAM] = "team",
	[REPORT_BY_WORKFLOW] = "workflow",
	[REPORT_BY_KIND] = "kind",
	[REPORT_BY_MONTH] = "month",
};

int
engine_report_by(const char *s, enum report_by *by)
{
	size_t	i;

	for (i = 0; i < nitems(report_bys); i++)
		if (strcmp(s, report_bys[i]) == 0) {
			*by = (enum report_by)i;
			return 0;
		}
	return -1;
}

const char *
engine_report_by_name(enum report_by by)
{
	return report_bys[by];
}

/* The group a key names, made when it is new. */
static struct group *
group_of(struct report_arg *ra, const char *key)
{
	struct group	*g;
	size_t		 i;

	for (i = 0; i < ra->ra_ngroups; i++)
		if (strcmp(ra->ra_groups[i].g_row.rr_key, key) == 0)
			return &ra->ra_groups[i];
	ra->ra_groups = xreallocarray(ra->ra_groups, ra->ra_ngroups + 1,
	    sizeof(*ra->ra_groups));
	g = &ra->ra_groups[ra->ra_ngroups++];
	memset(g, 0, sizeof(*g));
	snprintf(g->g_row.rr_key, sizeof(g->g_row.rr_key), "%s", key);
	return g;
}

/* The local month ("2026-05") of a moment. */
static void
month_of(int64_t ms, char *buf, size_t len)
{
	struct cal_date	cd;

	cal_local_date(ms, &cd);
	snprintf(buf, len, "%04d-%02d", cd.cd_year, cd.cd_month);
}

static int
is_move(const struct workflow *wf, const struct transition_row *t)
{
	const struct wf_state	*ws;
	const struct wf_event	*we;

	if (strcmp(t->t_from, t->t_to) != 0)
		return 1;
	/* Back into the same state by an event: its deadline starts anew. */
	return strcmp(t->t_cause, "event") == 0 && wf != NULL &&
	    (ws = workflow_state(wf, t->t_from)) != NULL &&
	    (we = wf_state_event(ws, t->t_event)) != NULL &&
	    we->we_action == WA_MOVE;
}

/* STORE_EXISTS stops the walk: found. */
static enum store_status
left_cb(const struct transition_row *t, void *arg)
{
	struct left_arg	*la = arg;

	la->la_last = t->t_id;
	la->la_count++;
	if (t->t_at < la->la_from || t->t_from[0] == '\0')
		return STORE_OK;
	if (la->la_state == NULL ? 0 : strcmp(t->t_from, la->la_state) != 0)
		return STORE_OK;
	if (!is_move(la->la_wf, t))
		return STORE_OK;
	la->la_at = t->t_at;
	return STORE_EXISTS;
}

/*
 * When the case left the state a missed deadline waited in, or now when
 * it has not (yet).  -1 when the history cannot be read.
 */
static int
left_at(struct report_arg *ra, const struct case_row *c,
    const struct deadline_row *d, int64_t *at)
{
	struct left_arg		la;
	enum store_status	rc;

	memset(&la, 0, sizeof(la));
	la.la_wf = engine_case_workflow(ra->ra_engine, c);
	la.la_state = d->d_case_scope ? NULL : d->d_then[0] != '\0' ?
	    d->d_then : d->d_state;
	la.la_from = d->d_due;
	*at = ra->ra_now;
	if (la.la_state == NULL) {
		/* A deadline of the case: until it closed. */
		if (c->c_final)
			*at = c->c_state_since;
		return 0;
	}
	do {
		la.la_count = 0;
		rc = store_transitions_of_case(engine_store(ra->ra_engine),
		    c->c_id, la.la_last, 100, left_cb, &la);
		if (rc == STORE_EXISTS) {
			*at = la.la_at;
			return 0;
		}
		if (rc != STORE_OK) {
			engine_store_error(ra->ra_ee, rc, N_("reading the"
			    " history of a case for a report"));
			return -1;
		}
	} while (la.la_count == 100);
	return 0;
}

/*
 * A deadline whose passing began a penalty: the penalty, with what it ran
 * up, in the deadline's group.
 */
static int
penalty_of(struct report_arg *ra, const struct case_row *c,
    const struct deadline_row *d, struct group *g)
{
	const struct workflow	*wf;
	const struct wf_state	*ws;
	struct case_penalty	 cp;
	int			 rc;

	if (d->d_case_scope ||
	    (wf = engine_case_workflow(ra->ra_engine, c)) == NULL ||
	    (ws = workflow_state(wf, d->d_state)) == NULL ||
	    ws->ws_penalty == NULL)
		return 0;
	if ((rc = engine_case_penalty(ra->ra_engine, c, ra->ra_now, &cp)) ==
	    -1) {
		engine_store_error(ra->ra_ee, STORE_FAILED, N_("making a"
		    " report"));
		return -1;
	}
	/* Only the penalty this deadline began, not an earlier one. */
	if (rc == 0 || cp.cp_state != ws || cp.cp_first_at != d->d_due)
		return 0;
	g->g_row.rr_penalties++;
	g->g_row.rr_penalty_cents += cp.cp_tally.pt_cents;
	return 0;
}

static enum store_status
deadline_cb(const struct case_row *c, const struct deadline_row *d,
    void *arg)
{
	struct report_arg	*ra = arg;
	struct group		*g;
	const char		*key;
	char			 month[16];
	int64_t			 left;
	int			 missed, statutory;

	/* Suspended now: no moment.  Running and not due yet: not fallen. */
	if (d->d_active && !d->d_running)
		return STORE_OK;
	if (d->d_active && !d->d_passed && d->d_due > ra->ra_now)
		return STORE_OK;
	switch (ra->ra_by) {
	case REPORT_BY_TEAM:
		key = c->c_team;
		break;
	case REPORT_BY_WORKFLOW:
		key = c->c_workflow;
		break;
	case REPORT_BY_KIND:
		key = d->d_kind;
		break;
	default:
		month_of(d->d_due - 1, month, sizeof(month));
		key = month;
		break;
	}
	g = group_of(ra, key);
	missed = d->d_passed || d->d_active;
	statutory = strcmp(d->d_kind, "statutory") == 0 ||
	    strcmp(d->d_kind, "decision") == 0;
	g->g_row.rr_deadlines++;
	g->g_statutory += statutory;
	if (!missed) {
		g->g_row.rr_met++;
		g->g_statutory_met += statutory;
	} else {
		g->g_row.rr_missed++;
		if (left_at(ra, c, d, &left) == -1)
			return STORE_FAILED;
		g->g_delays = xreallocarray(g->g_delays, g->g_ndelays + 1,
		    sizeof(*g->g_delays));
		g->g_delays[g->g_ndelays++] = left > d->d_due ?
		    left - d->d_due : 0;
	}
	if (missed && penalty_of(ra, c, d, g) == -1)
		return STORE_FAILED;
	if (d->d_suspended_days > 0 || d->d_suspended_ms > 0 || !d->d_running)
		g->g_row.rr_suspended++;
	if (d->d_extensions[0] != '\0')
		g->g_row.rr_extended++;
	return STORE_OK;
}

static enum store_status
closed_cb(const struct case_row *c, void *arg)
{
	struct report_arg	*ra = arg;
	struct group		*g;
	char			 month[16];

	if (ra->ra_by == REPORT_BY_MONTH)
		month_of(c->c_state_since, month, sizeof(month));
	g = group_of(ra, ra->ra_by == REPORT_BY_TEAM ? c->c_team :
	    ra->ra_by == REPORT_BY_WORKFLOW ? c->c_workflow : month);
	g->g_row.rr_closed++;
	g->g_through = xreallocarray(g->g_through, g->g_nthrough + 1,
	    sizeof(*g->g_through));
	g->g_through[g->g_nthrough++] = c->c_state_since > c->c_started_at ?
	    c->c_state_since - c->c_started_at : 0;
	return STORE_OK;
}

static int
cmp_int64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->g_row.rr_key,
	    ((const struct group *)b)->g_row.rr_key);
}

/* The median and the 90th percentile (nearest rank) in days; -1: none. */
static void
quantiles(int64_t *v, size_t n, double *median, double *p90)
{
	size_t	rank;

	*median = *p90 = -1;
	if (n == 0)
		return;	/* and v may be NULL */
	qsort(v, n, sizeof(*v), cmp_int64);
	*median = (n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) /
	    2.0) / MS_PER_DAY;
	rank = (n * 9 + 9) / 10;	/* ceil(0.9 n) */
	*p90 = (double)v[rank - 1] / MS_PER_DAY;
}

int
engine_report(struct engine *en, const struct actor *who, const char *team,
    int64_t from, int64_t to, enum report_by by, int64_t now,
    struct report *rp, struct engine_error *ee)
{
	struct report_arg	 ra;
	struct view_filter	 vf;
	struct group		*g;
	double			 unused;
	enum store_status	 rc;
	size_t			 i;

	memset(rp, 0, sizeof(*rp));
	if (engine_may_see(who, ee) == -1)
		return -1;
	memset(&vf, 0, sizeof(vf));
	vf.vf_token = who->ac_token;
	vf.vf_team = team;
	memset(&ra, 0, sizeof(ra));
	ra.ra_engine = en;
	ra.ra_by = by;
	ra.ra_now = now;
	ra.ra_ee = ee;
	ee->ee_status = ENGINE_OK;
	rc = store_report_deadlines(en->en_store, &vf, from, to, deadline_cb,
	    &ra);
	if (rc == STORE_OK && by != REPORT_BY_KIND)
		rc = store_report_closed(en->en_store, &vf, from, to,
		    closed_cb, &ra);
	if (rc != STORE_OK && ee->ee_status == ENGINE_OK)
		engine_store_error(ee, rc, N_("making a report"));

	if (ra.ra_ngroups > 0)
		qsort(ra.ra_groups, ra.ra_ngroups, sizeof(*ra.ra_groups),
		    cmp_key);
	if (rc == STORE_OK)
		rp->rp_rows = xcalloc(ra.ra_ngroups ? ra.ra_ngroups : 1,
		    sizeof(*rp->rp_rows));
	for (i = 0; i < ra.ra_ngroups; i++) {
		g = &ra.ra_groups[i];
		if (rc == STORE_OK) {
			quantiles(g->g_delays, g->g_ndelays,
			    &g->g_row.rr_delay_median, &g->g_row.rr_delay_p90);
			quantiles(g->g_through, g->g_nthrough,
			    &g->g_row.rr_throughput_median, &unused);
			if (by == REPORT_BY_KIND)
				g->g_row.rr_closed = -1;
			g->g_row.rr_met_share = g->g_row.rr_deadlines ?
			    (double)g->g_row.rr_met / g->g_row.rr_deadlines :
			    -1;
			g->g_row.rr_statutory_met_share = g->g_statutory ?
			    (double)g->g_statutory_met / g->g_statutory : -1;
			rp->rp_rows[rp->rp_nrows++] = g->g_row;
			rp->rp_total.rt_deadlines += g->g_row.rr_deadlines;
			rp->rp_total.rt_met += g->g_row.rr_met;
			rp->rp_total.rt_missed += g->g_row.rr_missed;
			rp->rp_total.rt_statutory += g->g_statutory;
			rp->rp_total.rt_statutory_met += g->g_statutory_met;
			rp->rp_total.rt_penalties += g->g_row.rr_penalties;
			rp->rp_total.rt_penalty_cents +=
			    g->g_row.rr_penalty_cents;
		}
		free(g->g_delays);
		free(g->g_through);
	}
	free(ra.ra_groups);
	return rc == STORE_OK ? 0 : -1;
}

void
engine_report_free(struct report *rp)
{
	free(rp->rp_rows);
	rp->rp_rows = NULL;
	rp->rp_nrows = 0;
}
