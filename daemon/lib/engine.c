/* termijn: the engine's core: its errors and lookups, deadlines, rungs, transitions, firing. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/limits.h"
#include "termijn/name.h"
#include "termijn/period.h"
#include "termijn/record.h"
#include "termijn/registry.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"


static int	 deadline_due(const struct wf_deadline *,
		    const struct deadline_row *, int, struct due *, char *,
		    size_t);
static int	 start_deadline(struct engine *, const struct case_row *,
		    const struct workflow *, const struct wf_deadline *,
		    const char *, int64_t, struct engine_error *);
static int64_t	 rung_moment(const struct deadline_row *,
		    const struct wf_rung *, int);
static int	 queue_rung(struct engine *, const struct rung_row *,
		    struct engine_error *);
static int	 fire(struct engine *, const struct rung_row *, int64_t,
		    struct engine_error *);
static int	 fire_rung(struct engine *, const struct case_row *,
		    const struct workflow *, const struct wf_deadline *,
		    const struct deadline_row *, const struct wf_rung *,
		    const struct rung_row *, int64_t, struct engine_error *);
static int	 fire_guarded(struct engine *, const struct rung_row *, int64_t,
		    struct engine_error *);
static int	 may_hold_handed_rungs(const struct workflow *, const char *);
static const char *rung_event_type(const struct wf_rung *);

struct store *
engine_store(struct engine *en)
{
	return en->en_store;
}

int
engine_error(struct engine_error *ee, enum engine_status status,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	engine_verror(ee, status, fmt, ap);
	va_end(ap);
	return -1;
}

int
engine_verror(struct engine_error *ee, enum engine_status status,
    const char *fmt, va_list ap)
{
	va_list	aq;

	ee->ee_status = status;
	ee->ee_case = 0;
	ee->ee_accepts = 0;
	ee->ee_pickup = 0;
	ee->ee_workflow = NULL;
	ee->ee_bases = NULL;
	ee->ee_nbases = 0;
	va_copy(aq, ap);
	vsnprintf(ee->ee_msg, sizeof(ee->ee_msg), _(fmt), ap);
	vsnprintf(ee->ee_log, sizeof(ee->ee_log), fmt, aq);
	va_end(aq);
	return -1;
}

/*
 * Turn a store failure into an engine error; the store logged the detail.
 * What it was doing is translated too, so the log's line is made apart.
 */
#define STORE_FULL_MSG	N_("the database cannot take writes (disk full)" \
	    " while %s; nothing was changed")
#define STORE_FAILED_MSG N_("the database failed while %s; nothing was" \
	    " changed")

int
engine_store_error(struct engine_error *ee, enum store_status rc,
    const char *what)
{
	if (rc == STORE_FULL) {
		engine_error(ee, ENGINE_EFULL, STORE_FULL_MSG, _(what));
		snprintf(ee->ee_log, sizeof(ee->ee_log), STORE_FULL_MSG, what);
	} else {
		engine_error(ee, ENGINE_ESTORE, STORE_FAILED_MSG, _(what));
		snprintf(ee->ee_log, sizeof(ee->ee_log), STORE_FAILED_MSG,
		    what);
	}
	return -1;
}

const struct workflow *
engine_case_workflow(struct engine *en, const struct case_row *c)
{
	return registry_get(en->en_registry, c->c_workflow, c->c_version);
}

/* The workflow's description of a stored deadline. */
const struct wf_deadline *
engine_deadline_model(const struct workflow *wf, const struct deadline_row *d)
{
	const struct wf_state	*ws;

	if (d->d_case_scope)
		return workflow_case_deadline(wf, d->d_name);
	if ((ws = workflow_state(wf, d->d_state)) == NULL ||
	    ws->ws_deadline == NULL ||
	    strcmp(ws->ws_deadline->wd_name, d->d_name) != 0)
		return NULL;
	return ws->ws_deadline;
}

/*
 * Derive the due moment of a deadline from its budget: anchor, period and
 * rule, the suspended days or time, and the extensions.  The explanation is
 * derived the same way when the deadline is shown, so it is never stored.
 */
int
engine_deadline_due(const struct wf_deadline *wd, const struct deadline_row *d,
    struct due *due, char *err, size_t errlen)
{
	return deadline_due(wd, d, 0, due, err, errlen);
}

/* Only the moment is needed where the engine derives it: no explanation. */
static int
deadline_due(const struct wf_deadline *wd, const struct deadline_row *d,
    int quiet, struct due *due, char *err, size_t errlen)
{
	struct period	 ext[MAX_EXTENSIONS];
	struct budget	 bu;
	char		*list, *tok, *save;

	memset(&bu, 0, sizeof(bu));
	list = xstrdup(d->d_extensions);
	for (tok = strtok_r(list, ",", &save); tok != NULL &&
	    bu.bu_next < MAX_EXTENSIONS; tok = strtok_r(NULL, ",", &save))
		if (period_parse(tok, &ext[bu.bu_next], err, errlen) == 0)
			bu.bu_next++;
	free(list);
	bu.bu_ext = ext;
	bu.bu_suspended_days = d->d_suspended_days;
	bu.bu_suspended_ms = d->d_suspended_ms;
	bu.bu_quiet = quiet;
	return period_due_budget(d->d_anchor, &wd->wd_spec, &bu, due, err,
	    errlen);
}

/*
 * The due moment a budget gives.  A date that needs days a royal decree
 * may still equate to holidays, in a year the decree file does not cover,
 * may move later: a client's write is refused for it when termijnd is so
 * configured; otherwise, and always for a deadline the scheduler starts
 * (nobody is there to be refused), it is logged and the explanation says so.
 */
int
engine_budget_due(struct engine *en, const struct wf_deadline *wd,
    struct deadline_row *d, char *err, size_t errlen)
{
	struct due	due;
	int		rc;

	if ((rc = deadline_due(wd, d, 1, &due, err, errlen)) == 0) {
		d->d_due = due.du_at;
		if (due.du_decree_missing && en->en_decree_refuse &&
		    en->en_client) {
			snprintf(err, errlen, _("its date needs decree data for"
			    " a year the decree file does not cover yet, and"
			    " termijnd is configured to refuse such dates"));
			rc = -1;
		} else if (due.du_decree_missing)
			record_note(en->en_record, "deadline case=%lld deadline=%s needs"
			    " decree data not known yet; its date may move",
			    (long long)d->d_case, d->d_name);
	}
	due_free(&due);
	return rc;
}

/*
 * Start a deadline of a state (holder: that state) or of the case (holder:
 * ""), anchored at an instant, with its rungs.
 */
static int
start_deadline(struct engine *en, const struct case_row *c,
    const struct workflow *wf, const struct wf_deadline *wd,
    const char *state, int64_t anchor, struct engine_error *ee)
{
	struct deadline_row	*d;
	char			 err[256];
	enum store_status	 sst;
	int			 rc;

	d = xcalloc(1, sizeof(*d));
	d->d_case = c->c_id;
	snprintf(d->d_name, sizeof(d->d_name), "%s", wd->wd_name);
	snprintf(d->d_state, sizeof(d->d_state), "%s", state ? state : "");
	snprintf(d->d_then, sizeof(d->d_then), "%s",
	    wd->wd_then ? wd->wd_then : "");
	period_format(&wd->wd_spec.ps_period, d->d_period, sizeof(d->d_period));
	snprintf(d->d_rule, sizeof(d->d_rule), "%s",
	    period_rule_name(wd->wd_spec.ps_rule));
	snprintf(d->d_kind, sizeof(d->d_kind), "%s",
	    deadline_kind_name(wd->wd_kind));
	d->d_anchor = anchor;
	d->d_active = 1;
	d->d_running = 1;
	d->d_case_scope = state == NULL;
	if (engine_budget_due(en, wd, d, err, sizeof(err)) == -1) {
		free(d);
		return engine_error(ee, ENGINE_EINVAL, N_("deadline %s: %s"),
		    wd->wd_name, err);
	}
	if ((sst = store_deadline_insert(en->en_store, d)) != STORE_OK) {
		free(d);
		return engine_store_error(ee, sst, N_("starting a deadline"));
	}
	engine_written_deadline(en, d);
	rc = engine_schedule_rungs(en, d, 1, wd, state ? state : "", ee);
	free(d);
	(void)wf;
	return rc;
}

/*
 * The moment of occurrence seq of a rung.  Offsets count from the moment
 * the deadline is overdue: for a day-granular deadline that is 00:00 on the
 * day after its last day, so "1 day before" is 00:00 on the last day (a day
 * left) and "2 working days after" is 00:00 two working days later.  Day
 * offsets move local dates, so a clock change does not shift them; hour
 * offsets are elapsed time.  A repeating rung recurs every wr_every after
 * its first moment.
 */
static int64_t
rung_moment(const struct deadline_row *d, const struct wf_rung *wr, int seq)
{
	struct period_spec	every;
	struct cal_date		cd;
	int64_t			m = d->d_due, tod;
	int			i, hours;

	if (wr->wr_when != RW_AT) {
		hours = wr->wr_offset.ps_period.p_unit == PU_HOURS;
		if (hours)
			m += (wr->wr_when == RW_BEFORE ? -1 : 1) *
			    wr->wr_offset.ps_period.p_count * MS_PER_HOUR;
		else {
			/* Keep the time of day (00:00 for day deadlines). */
			cal_local_date(m, &cd);
			tod = m - cal_local_midnight(&cd);
			period_date_move(&cd, &wr->wr_offset,
			    wr->wr_when == RW_BEFORE ? -1 : 1);
			m = cal_local_midnight(&cd) + tod;
		}
	}
	if (seq <= 1 || wr->wr_every.p_count == 0)
		return m;
	if (wr->wr_every.p_unit == PU_HOURS)
		return m + (int64_t)(seq - 1) * wr->wr_every.p_count *
		    MS_PER_HOUR;
	memset(&every, 0, sizeof(every));
	every.ps_period = wr->wr_every;
	cal_local_date(m, &cd);
	tod = m - cal_local_midnight(&cd);
	for (i = 1; i < seq; i++)
		period_date_move(&cd, &every, 1);
	return cal_local_midnight(&cd) + tod;
}

/*
 * Put the next pending occurrence of each rung of a running deadline in
 * the queue: the deadline's own passing, each reminder and follow-up, and
 * of a repeating rung the occurrence after the last one recorded (none,
 * when the deadline is fresh: it has just started).  The
 * ledger's unique key makes this idempotent, and an occurrence that
 * already fired is never queued again, also after a suspension or an
 * extension moved the due moment.
 */
int
engine_schedule_rungs(struct engine *en, const struct deadline_row *d,
    int fresh, const struct wf_deadline *wd, const char *holder,
    struct engine_error *ee)
{
	const struct wf_rung	*wr;
	struct rung_row		 r;
	size_t			 i;
	int			 last, pending;
	enum store_status	 rc;

	if (!d->d_running)
		return 0;	/* suspended: queued again when it resumes */
	memset(&r, 0, sizeof(r));
	r.r_case = d->d_case;
	r.r_deadline = d->d_id;
	snprintf(r.r_holder, sizeof(r.r_holder), "%s", holder);
	if (!d->d_passed) {
		snprintf(r.r_name, sizeof(r.r_name), RUNG_DUE);
		r.r_seq = 1;
		r.r_due = d->d_due;
		if (queue_rung(en, &r, ee) == -1)
			return -1;
	}
	for (i = 0; i < wd->wd_nrungs; i++) {
		wr = &wd->wd_rungs[i];
		/* A deadline that has just started has no occurrences yet. */
		last = pending = 0;
		if (!fresh && (rc = store_rung_last_seq(en->en_store, d->d_id,
		    wr->wr_name, &last, &pending)) != STORE_OK)
			return engine_store_error(ee, rc, N_("reading rungs"));
		/* One occurrence waits at a time; the next comes when it fired. */
		if (pending > 0 || last >= wr->wr_max)
			continue;
		snprintf(r.r_name, sizeof(r.r_name), "%s", wr->wr_name);
		r.r_seq = last + 1;
		r.r_due = rung_moment(d, wr, r.r_seq);
		if (queue_rung(en, &r, ee) == -1)
			return -1;
	}
	return 0;
}

/* Queue one rung occurrence, unless the ledger has it already. */
static int
queue_rung(struct engine *en, const struct rung_row *r,
    struct engine_error *ee)
{
	enum store_status	rc;

	rc = store_rung_insert(en->en_store, r);
	engine_written_rung(en, r, rc);
	if (rc == STORE_EXISTS)
		return 0;
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("scheduling a rung"));
	if (r->r_due < en->en_queued_min)
		en->en_queued_min = r->r_due;
	return 0;
}

/*
 * A case enters a state: in a final state everything still pending stops;
 * otherwise the state's deadline, if any, starts from its anchor: the
 * moment the state was entered (the moment the previous deadline passed,
 * when catching up, so that a chain of missed deadlines lands where it
 * would have landed), the date the entering event carries, or the case's
 * start.
 */
int
engine_enter_state(struct engine *en, struct case_row *c,
    const struct workflow *wf, const char *name, int64_t entered,
    int64_t event_date, struct engine_error *ee)
{
	const struct wf_state		*ws;
	const struct wf_deadline	*wd;
	int64_t				 anchor;
	enum store_status		 rc;

	if ((ws = workflow_state(wf, name)) == NULL)
		return engine_error(ee, ENGINE_EMODEL, N_("workflow %s version"
		    " %d has no state %s"), wf->wf_name, wf->wf_version, name);
	c->c_final = ws->ws_final;
	if (ws->ws_final) {
		if ((rc = store_deadlines_stop(en->en_store, c->c_id,
		    NULL)) != STORE_OK ||
		    (rc = store_rungs_cancel(en->en_store, c->c_id, 0,
		    NULL)) != STORE_OK)
			return engine_store_error(ee, rc, N_("stopping"
			    " deadlines"));
		return 0;
	}
	if ((wd = ws->ws_deadline) == NULL)
		return 0;
	switch (wd->wd_anchor) {
	case DA_EVENT_DATE:
		if (event_date == 0)
			return engine_error(ee, ENGINE_EINVAL, N_("state %s"
			    " counts its deadline %s from a date the event must"
			    " carry; give \"date\""), name, wd->wd_name);
		anchor = event_date;
		break;
	case DA_STARTED:
		anchor = c->c_started_at;
		break;
	default:
		anchor = entered;
		break;
	}
	return start_deadline(en, c, wf, wd, name, anchor, ee);
}

/*
 * Whether a state can hold rungs it did not start: the follow-ups (and
 * rungs at the due moment) of a deadline whose "then" is this state.  When
 * a state's own deadline moves the case on, its reminders have fired and
 * its other rungs go along, so only such handed-over rungs can be left to
 * cancel; most workflows have none, and the look in the store is saved.
 */
static int
may_hold_handed_rungs(const struct workflow *wf, const char *state)
{
	const struct wf_deadline	*wd;
	size_t				 i, j;

	for (i = 0; i < wf->wf_nstates; i++) {
		wd = wf->wf_states[i].ws_deadline;
		if (wd == NULL || wd->wd_then == NULL ||
		    strcmp(wd->wd_then, state) != 0)
			continue;
		for (j = 0; j < wd->wd_nrungs; j++)
			if (wd->wd_rungs[j].wr_when != RW_BEFORE)
				return 1;
	}
	return 0;
}

/*
 * A case's history runs forward: a transition never takes effect before
 * the one before it, even when the clock was moved back after that one
 * (termijnd's clock, or a host's).  It then takes the moment of the one
 * before, and the correction is counted.  -1 when the store failed.
 */
int64_t
engine_history_at(struct engine *en, int64_t id, int64_t at,
    struct engine_error *ee)
{
	enum store_status	rc;
	int64_t			last;

	rc = store_transition_last_at(en->en_store, id, &last);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		engine_store_error(ee, rc, N_("reading a case's history"));
		return -1;
	}
	if (rc == STORE_OK && at < last) {
		en->en_clock_corrections++;
		return last;
	}
	return at;
}

/*
 * Record one transition of a case.  A move leaves the old state (its
 * deadlines stop and the rungs it holds are cancelled) and enters the new
 * one; a budget event (suspend, resume, extend) records a transition from
 * the state to itself.
 */
int
engine_transition(struct engine *en, struct case_row *c,
    const struct workflow *wf, const struct move *mv, int64_t now,
    struct engine_error *ee)
{
	struct transition_input	 ti;
	const struct wf_state	*ws;
	int			 create = mv->mv_cause == CAUSE_CREATE;
	int			 move = !create && mv->mv_to != NULL;
	int			 passing = mv->mv_cause == CAUSE_DEADLINE;
	int64_t			 at = mv->mv_at;
	enum store_status	 rc;

	if (!create && (at = engine_history_at(en, c->c_id, at, ee)) == -1)
		return -1;
	/*
	 * Leaving a state stops its deadline (a deadline passing has stopped
	 * itself already) and cancels the rungs it holds.
	 */
	if (move && ((!passing && (rc = store_deadlines_stop(en->en_store,
	    c->c_id, c->c_state)) != STORE_OK) || ((!passing ||
	    may_hold_handed_rungs(wf, c->c_state)) &&
	    (rc = store_rungs_cancel(en->en_store, c->c_id, 0,
	    c->c_state)) != STORE_OK)))
		return engine_store_error(ee, rc, N_("stopping deadlines"));
	memset(&ti, 0, sizeof(ti));
	ti.ti_case = c->c_id;
	ti.ti_workflow = wf->wf_name;
	ti.ti_version = wf->wf_version;
	ti.ti_from = create ? NULL : c->c_state;
	ti.ti_to = mv->mv_to ? mv->mv_to : c->c_state;
	ti.ti_cause = mv->mv_cause;
	ti.ti_event = mv->mv_event;
	ti.ti_actor = mv->mv_actor;
	ti.ti_note = mv->mv_note;
	ti.ti_basis = mv->mv_basis;
	ti.ti_detail = mv->mv_detail;
	/* Whether the case is closed after it: what enter_state will say. */
	ws = workflow_state(wf, ti.ti_to);
	ti.ti_final = move || create ? ws != NULL && ws->ws_final :
	    c->c_final;
	ti.ti_at = at;
	ti.ti_recorded_at = now;
	if ((rc = record_transition(en->en_record, &ti)) != STORE_OK)
		return engine_store_error(ee, rc, N_("recording a transition"));
	if (mv->mv_cause == CAUSE_EVENT || mv->mv_cause == CAUSE_DEADLINE)
		en->en_caused = record_last_transition(en->en_record);

	if (move) {
		snprintf(c->c_state, sizeof(c->c_state), "%s", mv->mv_to);
		c->c_state_since = at;
		/*
		 * What brought the case into its state: a deadline passing
		 * (the overdue view derives from it), or anything else.
		 */
		c->c_escalated_by = mv->mv_deadline;
		c->c_escalated_due = mv->mv_deadline != 0 ? mv->mv_at : 0;
		/* The state's deadline it waited on stopped with it. */
		c->c_waiting_by = c->c_waiting_due = 0;
	}
	if (!create) {
		c->c_updated_at = now;
		if (move && (engine_enter_state(en, c, wf, mv->mv_to, at,
		    mv->mv_date, ee) == -1 || en->en_above->eh_arrive(en, c,
		    wf, mv, at, now, ee) == -1))
			return -1;
		if ((rc = store_case_update_state(en->en_store, c)) !=
		    STORE_OK)
			return engine_store_error(ee, rc, N_("updating a"
			    " case"));
	}
	return 0;
}

/*
 * What the rung says of its deadline, as its webhooks' CloudEvents type:
 * before, at or after it.
 */
static const char *
rung_event_type(const struct wf_rung *wr)
{
	switch (wr->wr_when) {
	case RW_BEFORE:
		return "nl.termijn.deadline.reminder";
	case RW_AT:
		return "nl.termijn.deadline.passed";
	case RW_AFTER:
		break;
	}
	return "nl.termijn.deadline.followup";
}

/* Tell a role, and start the case deadlines a rung starts. */
static int
rung_effects(struct engine *en, const struct case_row *c,
    const struct workflow *wf, const struct deadline_row *d,
    const struct wf_rung *wr, const struct rung_row *r, int missed,
    int64_t now, struct engine_error *ee)
{
	const struct wf_deadline	*cd;
	struct rung_input		 ri;
	size_t				 i;
	enum store_status		 rc;

	memset(&ri, 0, sizeof(ri));
	ri.ri_case = c->c_id;
	ri.ri_workflow = wf->wf_name;
	ri.ri_deadline = d->d_name;
	ri.ri_rung = wr->wr_name;
	ri.ri_rung_id = r->r_id;
	ri.ri_seq = r->r_seq;
	ri.ri_notify = wr->wr_notify;
	ri.ri_missed = missed;
	ri.ri_at = r->r_due;
	ri.ri_recorded_at = now;
	if ((rc = record_rung(en->en_record, &ri)) != STORE_OK)
		return engine_store_error(ee, rc, N_("recording a"
		    " notification"));
	if (wr->wr_notify != NULL && en->en_above->eh_webhooks(en, c, wf,
	    rung_event_type(wr), &ri, ee) == -1)
		return -1;
	for (i = 0; i < wr->wr_nstart; i++) {
		if ((cd = workflow_case_deadline(wf, wr->wr_start[i])) == NULL)
			return engine_error(ee, ENGINE_EMODEL, N_("workflow %s"
			    " has no case deadline %s"), wf->wf_name,
			    wr->wr_start[i]);
		if (start_deadline(en, c, wf, cd, NULL, r->r_due, ee) == -1)
			return -1;
	}
	return 0;
}

/*
 * One rung occurrence is due.  It is claimed in the ledger first, in the
 * same transaction as its effects, so that it fires once whatever happens.
 * The deadline's own rung moves the case to the deadline's "then" state
 * (its follow-ups go along, held by that state), as of the moment it
 * passed; a reminder or follow-up tells its role.  Returns 0 when it fired,
 * 1 when the ledger says it fired or was cancelled meanwhile, -1 when it
 * cannot fire.
 */
static int
fire(struct engine *en, const struct rung_row *r, int64_t now,
    struct engine_error *ee)
{
	const struct workflow		*wf;
	const struct wf_deadline	*wd;
	const struct wf_rung		*wr = NULL;
	const struct wf_state		*ws;
	struct deadline_row		*d;
	struct case_row			 c;
	struct move			 mv;
	size_t				 i;
	enum store_status		 rc;
	int				 ret = -1;
	char				*undo = NULL;

	d = xmalloc(sizeof(*d));
	/* The case is held first, before anything of it is read. */
	if ((rc = store_case_lock(en->en_store, r->r_case, &c)) != STORE_OK ||
	    (rc = store_deadline_get(en->en_store, r->r_deadline, d)) !=
	    STORE_OK) {
		if (rc == STORE_NOTFOUND)
			engine_error(ee, ENGINE_EMODEL, N_("rung %lld: its"
			    " deadline or case is gone"), (long long)r->r_id);
		else
			engine_store_error(ee, rc, N_("reading a deadline"));
		goto done;
	}
	/* A closed case has nothing left to fire (its rungs were cancelled). */
	if (c.c_final) {
		engine_error(ee, ENGINE_EMODEL, N_("case %lld is closed"),
		    (long long)c.c_id);
		goto done;
	}
	if ((wf = engine_case_workflow(en, &c)) == NULL ||
	    (wd = engine_deadline_model(wf, d)) == NULL) {
		engine_error(ee, ENGINE_EMODEL, N_("case %lld: workflow %s"
		    " version %d does not describe deadline %s"),
		    (long long)c.c_id, c.c_workflow, c.c_version, d->d_name);
		goto done;
	}
	if (strcmp(r->r_name, RUNG_DUE) != 0) {
		for (i = 0; i < wd->wd_nrungs; i++)
			if (strcmp(wd->wd_rungs[i].wr_name, r->r_name) == 0)
				wr = &wd->wd_rungs[i];
		if (wr == NULL) {
			engine_error(ee, ENGINE_EMODEL, N_("case %lld: deadline"
			    " %s has no rung %s"), (long long)c.c_id, d->d_name,
			    r->r_name);
			goto done;
		}
		ret = fire_rung(en, &c, wf, wd, d, wr, r, now, ee);
		goto done;
	}

	/*
	 * The deadline itself passed.  Claim it, unless the batch's claim
	 * marked it already; if it already fired or was cancelled since it
	 * was read, the ledger says so.
	 */
	if (r->r_fired_at == 0 && (rc = store_rung_mark_fired(en->en_store, r,
	    now, 0, 0)) != STORE_OK) {
		ret = rc == STORE_NOTFOUND ? 1 : engine_store_error(ee, rc,
		    N_("claiming a rung"));
		goto done;
	}
	if (wd->wd_then != NULL && !d->d_case_scope) {
		/*
		 * What a correction of this passing would restore: only the
		 * case and this deadline, unless the passing changes other
		 * deadlines too: leaving the state cancels the follow-ups of
		 * an earlier deadline that it holds, or a final state stops
		 * the case's deadlines.
		 */
		if (may_hold_handed_rungs(wf, c.c_state) || (ws =
		    workflow_state(wf, wd->wd_then)) == NULL || ws->ws_final)
			undo = en->en_above->eh_undo_take(en, &c, d->d_id, ee);
		else
			undo = en->en_above->eh_undo_passing(en, &c, d);
		if (undo == NULL)
			goto done;
		d->d_passed = 1;
		d->d_active = 0;
		/* Rungs at or after the moment go along to the next state. */
		for (i = 0; i < wd->wd_nrungs; i++)
			if (wd->wd_rungs[i].wr_when != RW_BEFORE)
				break;
		if ((rc = store_deadline_update(en->en_store, d)) != STORE_OK ||
		    (i < wd->wd_nrungs && (rc = store_rungs_hand_over(
		    en->en_store, d->d_id, wd->wd_then)) != STORE_OK)) {
			engine_store_error(ee, rc, N_("passing a deadline"));
			goto done;
		}
		memset(&mv, 0, sizeof(mv));
		mv.mv_cause = CAUSE_DEADLINE;
		mv.mv_to = wd->wd_then;
		mv.mv_event = d->d_name;
		mv.mv_actor = ENGINE_ACTOR;
		mv.mv_at = r->r_due;
		/*
		 * The date a passing carries is the deadline's last day (the
		 * instant before its due moment), so that a state counted from
		 * "event_date" counts from the day after it: a period counted
		 * from the end of another (Awb 7:10 after 6:7).
		 */
		mv.mv_date = r->r_due - 1;
		mv.mv_deadline = d->d_id;
		if ((ret = engine_transition(en, &c, wf, &mv, now, ee)) == 0) {
			ret = en->en_above->eh_undo_keep(en, c.c_id, undo,
			    ee);
			undo = NULL;	/* kept, and freed */
		}
		goto done;
	}
	d->d_passed = 1;
	if (d->d_case_scope)
		d->d_active = 0;	/* a case deadline is done when it passes */
	else {
		/* The case waits on it in its state: the overdue view. */
		c.c_waiting_by = d->d_id;
		c.c_waiting_due = r->r_due;
	}
	if ((rc = store_deadline_update(en->en_store, d)) != STORE_OK ||
	    (!d->d_case_scope && (rc = store_case_update_state(en->en_store,
	    &c)) != STORE_OK)) {
		engine_store_error(ee, rc, N_("passing a deadline"));
		goto done;
	}
	record_note(en->en_record, "deadline case=%lld workflow=%s deadline=%s"
	    " passed", (long long)c.c_id, wf->wf_name, d->d_name);
	ret = 0;
done:
	free(undo);
	free(d);
	return ret;
}

/*
 * A reminder or a follow-up fires: claimed in the ledger, it tells its
 * role, and the rung's next occurrence is queued.  A repeating rung that
 * says catch_up: latest fires only its latest missed occurrence, with the
 * number missed, and records the ones in between as skipped; otherwise
 * missed occurrences fire one by one, in order.
 */
static int
fire_rung(struct engine *en, const struct case_row *c,
    const struct workflow *wf, const struct wf_deadline *wd,
    const struct deadline_row *d, const struct wf_rung *wr,
    const struct rung_row *r, int64_t now, struct engine_error *ee)
{
	struct rung_row		cur = *r;
	enum store_status	rc;
	int			last = r->r_seq, missed, seq;

	if (wr->wr_catch_up == CU_LATEST && wr->wr_every.p_count > 0)
		while (last < wr->wr_max && rung_moment(d, wr, last + 1) <= now)
			last++;
	missed = last - r->r_seq;
	/* Claimed by the batch as fired, not skipped: given back to say so. */
	if (missed > 0 && r->r_fired_at != 0 && (rc = store_rungs_unclaim(
	    en->en_store, &cur, 1)) != STORE_OK)
		return engine_store_error(ee, rc, N_("claiming a rung"));
	if (cur.r_fired_at == 0 && (rc = store_rung_mark_fired(en->en_store,
	    r, now, 0, missed > 0)) != STORE_OK)
		return rc == STORE_NOTFOUND ? 1 : engine_store_error(ee, rc,
		    N_("claiming a rung"));
	for (seq = r->r_seq + 1; seq <= last; seq++) {
		cur.r_seq = seq;
		cur.r_due = rung_moment(d, wr, seq);
		cur.r_fired_at = now;
		cur.r_skipped = seq < last;
		cur.r_missed = seq == last ? missed : 0;
		if ((rc = store_rung_insert(en->en_store, &cur)) != STORE_OK)
			return engine_store_error(ee, rc, N_("recording"
			    " a rung"));
	}
	if (rung_effects(en, c, wf, d, wr, &cur, missed, now, ee) == -1)
		return -1;
	return engine_schedule_rungs(en, d, 0, wd, r->r_holder, ee);
}

/*
 * Fire one rung of a client's write in a savepoint, so that one that
 * cannot fire is set aside without failing the write.  Returns 0 when it
 * fired, 1 when it was set aside, -1 when the store failed.
 */
static int
fire_guarded(struct engine *en, const struct rung_row *r, int64_t now,
    struct engine_error *ee)
{
	size_t			mark = record_mark(en->en_record);
	enum store_status	rc;

	if ((rc = store_savepoint(en->en_store)) != STORE_OK)
		return engine_store_error(ee, rc, N_("firing a rung"));
	if (fire(en, r, now, ee) >= 0) {
		if ((rc = store_release(en->en_store)) != STORE_OK)
			return engine_store_error(ee, rc, N_("firing a rung"));
		return 0;
	}
	record_cut(en->en_record, mark);
	if ((rc = store_rollback_savepoint(en->en_store)) != STORE_OK)
		return engine_store_error(ee, rc, N_("firing a rung"));
	if (engine_error_is_store(ee))
		return -1;
	if (engine_set_aside(en, r, now, ee) == -1)
		return -1;
	return 1;
}

/*
 * A rung that cannot fire (its workflow no longer describes it, its date
 * is out of range) is marked in the ledger as skipped and logged, so that
 * it does not hold up every rung behind it.  The case stays where it is,
 * for a person to move on.
 */
int
engine_set_aside(struct engine *en, const struct rung_row *r, int64_t now,
    struct engine_error *ee)
{
	enum store_status	rc;

	log_warnx("case %lld: rung %s (occurrence %d) of deadline %lld set"
	    " aside: %s", (long long)r->r_case, r->r_name, r->r_seq,
	    (long long)r->r_deadline, ee->ee_log);
	rc = store_rung_mark_fired(en->en_store, r, now, 0, 1);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return engine_store_error(ee, rc, N_("setting a rung aside"));
	return 0;
}

/*
 * Fire the rungs of one case that fell due before now, in order, so that an
 * event or a registration sees the state the case is really in.  At most
 * en_settle_max of them; the scheduler picks up the rest.
 */
int
engine_settle(struct engine *en, int64_t id, int64_t now,
    struct engine_error *ee)
{
	struct rung_row		r;
	enum store_status	rc;
	int			i;

	for (i = 0; i < en->en_settle_max; i++) {
		rc = store_rung_first_of_case(en->en_store, id, &r);
		if (rc == STORE_NOTFOUND)
			return 0;
		if (rc != STORE_OK)
			return engine_store_error(ee, rc, N_("reading rungs"));
		if (r.r_due > now)
			return 0;
		if (fire_guarded(en, &r, now, ee) == -1)
			return -1;
	}
	return 0;
}

/*
 * Give back the claimed rungs of a case that has more than one among
 * them, so that the firing of one finds the others pending: it may cancel
 * them (a move out of the state that holds them), and each is marked, or
 * found cancelled, as it fires.
 */
static int
give_back_shared(struct engine *en, struct rung_row *due, size_t n,
    struct engine_error *ee)
{
	enum store_status	rc;
	size_t			i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (i != j && due[i].r_case == due[j].r_case) {
				if ((rc = store_rungs_unclaim(en->en_store,
				    &due[i], 1)) != STORE_OK)
					return engine_store_error(ee, rc,
					    N_("claiming due rungs"));
				break;
			}
	return 0;
}

/*
 * Fire up to max rungs that are due, earliest first.  A deadline passing
 * may start one in the next state that is itself already due (after
 * downtime); the next call finds it, so a backlog drains in order, max at a
 * time, each batch one transaction of the caller's.
 *
 * Rungs are claimed and marked fired in one statement (store_rungs_claim),
 * FIRE_CLAIM at a time, so that a batch cut short by its slice of time
 * gives back at most a few claimed rungs it did not fire.
 */
#define FIRE_CLAIM	32

int
engine_fire_due(struct engine *en, int64_t now, size_t max,
    struct fire_result *fr, struct rung_row *failed, struct engine_error *ee)
{
	struct rung_row		 due[FIRE_CLAIM];
	size_t			 n, i, want, claimed = 0;
	enum store_status	 sst;
	int64_t			 start = clock_monotonic();
	int			 rc;

	memset(fr, 0, sizeof(*fr));
	fr->fr_due_min = INT64_MAX;
	en->en_queued_min = INT64_MAX;
	while (claimed < max && !fr->fr_cut) {
		want = max - claimed < FIRE_CLAIM ? max - claimed : FIRE_CLAIM;
		if ((sst = store_rungs_claim(en->en_store, now, due, want,
		    &n)) != STORE_OK)
			return engine_store_error(ee, sst,
			    N_("claiming due rungs"));
		claimed += n;
		if (give_back_shared(en, due, n, ee) == -1)
			return -1;
		for (i = 0; i < n; i++) {
			/*
			 * An earlier one in this batch may have cancelled
			 * it: fire() notices, for the rungs of a case with
			 * others here were given back.  No savepoint per
			 * rung: they cost a copy of every page a rung
			 * touches.  A rung that cannot fire fails the batch;
			 * engine_batch_fire rolls back, sets it aside and
			 * tries again.
			 *
			 * A firing may have queued a rung earlier than the
			 * rest of this batch (a short deadline in the next
			 * state, during a catch-up): stop here, so that the
			 * next batch reads the rungs in order again.
			 *
			 * A batch that has taken its slice of time commits,
			 * so that a request that came meanwhile is answered
			 * before the next one: a catch-up of many thousands
			 * keeps the API answering.  What it claimed and did
			 * not fire is given back.
			 */
			if (due[i].r_due > en->en_queued_min ||
			    (en->en_fire_slice > 0 && fr->fr_fired > 0 &&
			    clock_monotonic() - start >= en->en_fire_slice)) {
				fr->fr_cut = 1;
				if ((sst = store_rungs_unclaim(en->en_store,
				    due + i, n - i)) != STORE_OK)
					return engine_store_error(ee, sst,
					    N_("claiming due rungs"));
				break;
			}
			if ((rc = fire(en, &due[i], now, ee)) == -1) {
				*failed = due[i];
				return -1;
			}
			if (rc == 1)
				continue;	/* fired or cancelled meanwhile */
			if (due[i].r_due < fr->fr_due_min)
				fr->fr_due_min = due[i].r_due;
			fr->fr_fired++;
		}
		if (n < want)
			break;			/* nothing more is due */
	}
	if (claimed == max && max > 0)
		fr->fr_cut = 1;		/* more may be due */
	return 0;
}

int
engine_error_is_store(const struct engine_error *ee)
{
	return ee->ee_status == ENGINE_EFULL || ee->ee_status == ENGINE_ESTORE;
}
