/*
 * termijn: the engine's writes that people make: registering a case, and
 * recording an event (a move, a suspension, its resumption, an extension),
 * each refused with a message that says what would be accepted.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/i18n.h"
#include "termijn/limits.h"
#include "termijn/name.h"
#include "termijn/period.h"
#include "termijn/record.h"
#include "termijn/registry.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

static const char *own_team_meant(const struct actor *, const char *,
		    char *, size_t);
static int	 workflow_has_event(const struct workflow *, const char *);
static int	 unknown_event(const struct workflow *, const char *,
		    struct engine_error *);
static int	 conflict(struct engine_error *, const struct case_row *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static int	 case_create(struct engine *, const struct actor *,
		    const struct case_input *, int64_t, int64_t *,
		    struct engine_error *);
static int	 case_event(struct engine *, const struct actor *, int64_t,
		    const struct event_input *, int64_t, struct engine_error *);
static void	 written_case(struct case_written *, const struct actor *,
		    const struct case_row *, const struct workflow *, int);
static int	 budget_event(struct engine *, struct case_row *,
		    const struct workflow *, const struct wf_event *,
		    const struct actor *, const struct event_input *, int64_t,
		    struct engine_error *);

int
engine_case_create(struct engine *en, const struct actor *who,
    const struct case_input *in, int64_t now, int64_t *id,
    struct engine_error *ee)
{
	int	rc;

	if (in->ci_written != NULL)
		engine_written_free(in->ci_written);
	en->en_client = 1;
	en->en_written = in->ci_written;
	rc = case_create(en, who, in, now, id, ee);
	en->en_written = NULL;
	en->en_client = 0;
	return rc;
}

/*
 * " (did you mean \"jeugd-noord\"?)" for a team name close to one of the
 * token's own teams, else "": only its own, so that no other team's name
 * is given away.
 */
static const char *
own_team_meant(const struct actor *who, const char *word, char *buf,
    size_t len)
{
	const char	*cands[64];
	char		*teams, *p, *t;
	size_t		 n = 0;

	buf[0] = '\0';
	if (who->ac_teams == NULL)
		return buf;
	p = teams = xstrdup(who->ac_teams);
	while ((t = strsep(&p, ",")) != NULL && n < nitems(cands))
		if (*t != '\0')
			cands[n++] = t;
	engine_did_you_mean(buf, len, word, cands, n);
	free(teams);
	return buf;
}

void
engine_did_you_mean(char *buf, size_t len, const char *word,
    const char *const *cands, size_t n)
{
	const char	*close;

	buf[0] = '\0';
	if ((close = name_closest(word, cands, n)) != NULL)
		/* TRANSLATORS: after a name that is not known, a close one. */
		snprintf(buf, len, _(" (did you mean \"%s\"?)"), close);
}

static int
case_create(struct engine *en, const struct actor *who,
    const struct case_input *in, int64_t now, int64_t *id,
    struct engine_error *ee)
{
	const struct workflow	*wf;
	struct case_row		 c;
	struct team_row		 tm;
	struct move		 mv;
	int64_t			 started;
	enum store_status	 rc;
	char			 mean[STORE_NAME_LEN + 32];

	if (engine_may_act(who, ee) == -1)
		return -1;
	if ((wf = registry_current(en->en_registry, in->ci_workflow)) == NULL)
		return engine_unknown_workflow(en, in->ci_workflow, ee);
	if (!name_valid(in->ci_reference))
		return engine_error(ee, ENGINE_EINVAL, N_("reference must be 1"
		    " to 64 characters from A-Z a-z 0-9 . _ / -, starting with"
		    " a letter or digit"));
	if (name_looks_like_bsn(in->ci_reference))
		return engine_error(ee, ENGINE_EINVAL, N_("reference looks like"
		    " a citizen service number (BSN); use the municipality's"
		    " own case number"));
	if (!name_valid(in->ci_team))
		return engine_error(ee, ENGINE_EINVAL, N_("team must be 1 to 64"
		    " characters from A-Z a-z 0-9 . _ / -, starting with a"
		    " letter or digit"));
	if ((rc = store_team_get(en->en_store, in->ci_team, &tm)) ==
	    STORE_NOTFOUND)
		return engine_error(ee, ENGINE_EINVAL, N_("no team \"%s\"%s; a"
		    " case belongs to a known team (an administrator"
		    " adds teams)"),
		    in->ci_team, own_team_meant(who, in->ci_team, mean,
		    sizeof(mean)));
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("reading a team"));
	if (!engine_actor_in_team(who, in->ci_team))
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("token %s is not"
		    " in team %s; it registers cases for its own teams: %s"),
		    who->ac_name, in->ci_team, who->ac_teams);
	/*
	 * The same agreement registered twice (a double click, a second
	 * caseworker) would fire every deadline twice: refused, unless meant.
	 */
	if (!in->ci_duplicate) {
		rc = store_case_open_find(en->en_store, wf->wf_name,
		    in->ci_reference, in->ci_team, &c);
		if (rc == STORE_OK) {
			engine_error(ee, ENGINE_ECONFLICT, N_("case %lld of"
			    " workflow %s for reference %s in team %s is still"
			    " open (state %s); to register another on purpose,"
			    " give \"duplicate\": true"), (long long)c.c_id,
			    wf->wf_name, c.c_reference, c.c_team, c.c_state);
			ee->ee_case = c.c_id;
			return -1;
		}
		if (rc != STORE_NOTFOUND)
			return engine_store_error(ee, rc, N_("reading cases"));
	}
	started = in->ci_started_at ? in->ci_started_at : now;
	if (started > now)
		return engine_error(ee, ENGINE_EINVAL, N_("started_at is in the"
		    " future; register an agreement when it has been made"));

	memset(&c, 0, sizeof(c));
	snprintf(c.c_workflow, sizeof(c.c_workflow), "%s", wf->wf_name);
	c.c_version = wf->wf_version;
	snprintf(c.c_reference, sizeof(c.c_reference), "%s", in->ci_reference);
	snprintf(c.c_team, sizeof(c.c_team), "%s", in->ci_team);
	snprintf(c.c_state, sizeof(c.c_state), "%s", wf->wf_start);
	c.c_started_at = started;
	c.c_state_since = started;
	c.c_created_at = now;
	c.c_updated_at = now;
	if ((rc = store_case_insert(en->en_store, &c)) != STORE_OK)
		return engine_store_error(ee, rc, N_("registering a case"));
	memset(&mv, 0, sizeof(mv));
	mv.mv_cause = CAUSE_CREATE;
	mv.mv_to = wf->wf_start;
	mv.mv_detail = c.c_team;	/* the owner, in the chain (audit.h) */
	mv.mv_actor = who->ac_name;
	mv.mv_at = started;
	if (engine_transition(en, &c, wf, &mv, now, ee) == -1)
		return -1;
	if (engine_enter_state(en, &c, wf, wf->wf_start, started, 0, ee) == -1 ||
	    engine_arrive(en, &c, wf, &mv, started, now, ee) == -1)
		return -1;
	if ((c.c_final || c.c_unrouted[0] != '\0') &&
	    (rc = store_case_update_state(en->en_store, &c)) != STORE_OK)
		return engine_store_error(ee, rc, N_("updating a case"));
	/* An agreement made earlier may have deadlines that passed already. */
	if (started < now && engine_settle(en, c.c_id, now, ee) == -1)
		return -1;
	if (en->en_written != NULL)
		written_case(en->en_written, who, &c, wf, started < now);
	*id = c.c_id;
	return 0;
}

/*
 * Whether the rows a registration wrote are all there is to its case, and
 * then the case as the store reads it back.  They are when nothing but
 * the insert, the start state's deadline and its rungs wrote the case: it
 * was not dated back (nothing fired or passed), its start state is not
 * final (nothing stopped), brings no team in and tells no role (no
 * participant, no notification), and no rung was found queued already.
 * The case row was inserted and not changed after (store_case_update_state
 * runs only for a final or unrouted case).  Its answer is for the actor
 * who registered it, in its team: one that may see case content.
 */
static void
written_case(struct case_written *w, const struct actor *who,
    const struct case_row *c, const struct workflow *wf, int dated)
{
	const struct wf_state	*ws;
	struct engine_error	 ee;

	ws = workflow_state(wf, c->c_state);
	if (dated || w->cw_unsure || c->c_final || c->c_unrouted[0] != '\0' ||
	    ws == NULL || ws->ws_njoins > 0 || ws->ws_nnotify > 0 ||
	    engine_may_see(who, &ee) == -1)
		return;
	w->cw_case = *c;
	/* A case no other team coordinates: its owner, as the store says. */
	if (w->cw_case.c_coordinator[0] == '\0')
		snprintf(w->cw_case.c_coordinator,
		    sizeof(w->cw_case.c_coordinator), "%s", c->c_team);
	w->cw_complete = 1;
}

/*
 * A workflow no file and no case knows: the ones there are, and the one
 * that was most likely meant.
 */
int
engine_unknown_workflow(struct engine *en, const char *name,
    struct engine_error *ee)
{
	const struct workflow	 *wf;
	const char		**names;
	char			  list[256], mean[STORE_NAME_LEN + 32];
	size_t			  i, n = 0, o = 0;

	names = xcalloc(registry_count(en->en_registry) + 1, sizeof(*names));
	list[0] = '\0';
	for (i = 0; i < registry_count(en->en_registry); i++) {
		wf = registry_at(en->en_registry, i);
		if (n > 0 && strcmp(names[n - 1], wf->wf_name) == 0)
			continue;	/* another version of the same */
		names[n++] = wf->wf_name;
		if (o < sizeof(list))
			o += (size_t)snprintf(list + o, sizeof(list) - o,
			    "%s%s", n > 1 ? ", " : "", wf->wf_name);
	}
	engine_did_you_mean(mean, sizeof(mean), name, names, n);
	if (n > 0)
		engine_error(ee, ENGINE_EINVAL, N_("unknown workflow"
		    " \"%.64s\"%s; termijnd has: %s"), name, mean, list);
	else
		engine_error(ee, ENGINE_EINVAL, N_("unknown workflow \"%.64s\";"
		    " termijnd has: none"), name);
	free(names);
	return -1;
}

/*
 * An event the case's workflow does not have: the one most likely meant,
 * and (engine_problem) the events the case's state accepts.
 */
static int
unknown_event(const struct workflow *wf, const char *event,
    struct engine_error *ee)
{
	const struct wf_state	 *ws;
	const char		**names;
	char			  mean[STORE_NAME_LEN + 32];
	size_t			  i, j, n = 0, cap = 0;

	for (i = 0; i < wf->wf_nstates; i++)
		cap += wf->wf_states[i].ws_nevents;
	names = xcalloc(cap + 1, sizeof(*names));
	for (i = 0; i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		for (j = 0; j < ws->ws_nevents; j++)
			names[n++] = ws->ws_events[j].we_name;
	}
	engine_did_you_mean(mean, sizeof(mean), event, names, n);
	engine_error(ee, ENGINE_EINVAL, N_("workflow %s has no event"
	    " \"%.64s\"%s"), wf->wf_name, event, mean);
	ee->ee_accepts = 1;
	free(names);
	return -1;
}

static int
workflow_has_event(const struct workflow *wf, const char *event)
{
	size_t	i;

	for (i = 0; i < wf->wf_nstates; i++)
		if (wf_state_event(&wf->wf_states[i], event) != NULL)
			return 1;
	return 0;
}

/*
 * A 409 about a case: what it says (English, N_()), and the state the case
 * is in.
 */
#define CONFLICT_MSG	N_("case %lld: %s")

static int
conflict(struct engine_error *ee, const struct case_row *c, const char *fmt,
    ...)
{
	va_list	ap, aq;
	char	what[200], logged[200];

	va_start(ap, fmt);
	va_copy(aq, ap);
	vsnprintf(what, sizeof(what), _(fmt), ap);
	vsnprintf(logged, sizeof(logged), fmt, aq);
	va_end(aq);
	va_end(ap);
	engine_error(ee, ENGINE_ECONFLICT, CONFLICT_MSG, (long long)c->c_id,
	    what);
	snprintf(ee->ee_log, sizeof(ee->ee_log), CONFLICT_MSG,
	    (long long)c->c_id, logged);
	snprintf(ee->ee_state, sizeof(ee->ee_state), "%s", c->c_state);
	return -1;
}

/*
 * Suspend, resume or extend a deadline of the current state.  Suspension
 * (opschorting, Awb 4:15) keeps the remaining time: it runs from the day
 * after the request until the day it ends, which counts as suspended when
 * the workflow says so; for periods in hours the elapsed time is kept.
 * An extension (verlenging) adds its period, at most as often as the
 * workflow allows.  Each re-derives the due moment and re-queues the
 * rungs that have not fired.
 */
static int
budget_event(struct engine *en, struct case_row *c, const struct workflow *wf,
    const struct wf_event *we, const struct actor *who,
    const struct event_input *in, int64_t now, struct engine_error *ee)
{
	const struct wf_deadline	*wd;
	struct deadline_row		*d;
	struct cal_date			 from, to;
	char				 iso[24], err[256];
	struct move			 mv;
	enum store_status		 rc;
	int				 n, ret = -1;
	const char			*p;

	d = xmalloc(sizeof(*d));
	rc = store_deadline_find(en->en_store, c->c_id, we->we_deadline, d);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && d->d_passed)) {
		if (rc == STORE_OK)
			conflict(ee, c, N_("deadline %s is not running (it"
			    " has passed)"), we->we_deadline);
		else
			conflict(ee, c, N_("deadline %s is not running (it"
			    " was stopped)"), we->we_deadline);
		goto done;
	}
	if (rc != STORE_OK) {
		engine_store_error(ee, rc, N_("reading a deadline"));
		goto done;
	}
	if ((wd = engine_deadline_model(wf, d)) == NULL) {
		engine_error(ee, ENGINE_EMODEL, N_("workflow %s does not"
		    " describe deadline %s"), wf->wf_name, d->d_name);
		goto done;
	}
	switch (we->we_action) {
	case WA_SUSPEND:
		if (!d->d_running) {
			conflict(ee, c, N_("deadline %s is already suspended"),
			    d->d_name);
			goto done;
		}
		d->d_running = 0;
		d->d_suspended_since = now;
		break;
	case WA_RESUME:
		if (d->d_running) {
			conflict(ee, c, N_("deadline %s is not suspended"),
			    d->d_name);
			goto done;
		}
		if (period_is_hours(&wd->wd_spec.ps_period))
			d->d_suspended_ms += now - d->d_suspended_since;
		else {
			cal_local_date(d->d_suspended_since, &from);
			cal_local_date(now, &to);
			n = (int)(cal_date_to_days(&to) - cal_date_to_days(&from));
			if (!wd->wd_resume_day_suspended)
				n--;
			if (n > 0)
				d->d_suspended_days += n;
		}
		d->d_running = 1;
		d->d_suspended_since = 0;
		break;
	case WA_EXTEND:
		for (n = 0, p = d->d_extensions; *p != '\0'; p++)
			n += *p == ',';
		n += d->d_extensions[0] != '\0';
		if (n >= we->we_max || n >= MAX_EXTENSIONS) {
			/* One or not one: the plural of English and Dutch. */
			conflict(ee, c, n == 1 ? N_("deadline %s was extended"
			    " %d time; the workflow allows %d") :
			    N_("deadline %s was extended %d times; the workflow"
			    " allows %d"), d->d_name, n, we->we_max);
			goto done;
		}
		period_format(&we->we_by, iso, sizeof(iso));
		if (strlen(d->d_extensions) + strlen(iso) + 2 >
		    sizeof(d->d_extensions)) {
			engine_error(ee, ENGINE_ECONFLICT, N_("too many"
			    " extensions"));
			goto done;
		}
		if (d->d_extensions[0] != '\0')
			strcat(d->d_extensions, ",");
		strcat(d->d_extensions, iso);
		break;
	case WA_MOVE:
		break;
	}
	if (engine_budget_due(en, wd, d, err, sizeof(err)) == -1) {
		engine_error(ee, ENGINE_EINVAL, N_("deadline %s: %s"),
		    d->d_name, err);
		goto done;
	}
	if ((rc = store_deadline_update(en->en_store, d)) != STORE_OK ||
	    (rc = store_rungs_cancel(en->en_store, c->c_id, d->d_id,
	    NULL)) != STORE_OK) {
		engine_store_error(ee, rc, N_("updating a deadline"));
		goto done;
	}
	if (engine_schedule_rungs(en, d, 0, wd, c->c_state, ee) == -1)
		goto done;
	memset(&mv, 0, sizeof(mv));
	mv.mv_cause = CAUSE_EVENT;
	mv.mv_event = in->ev_name;
	mv.mv_actor = who->ac_name;
	mv.mv_note = in->ev_note;
	mv.mv_basis = in->ev_basis;
	mv.mv_at = now;
	ret = engine_transition(en, c, wf, &mv, now, ee);
done:
	free(d);
	return ret;
}

int
engine_case_event(struct engine *en, const struct actor *who, int64_t id,
    const struct event_input *in, int64_t now, struct engine_error *ee)
{
	int	rc;

	en->en_client = 1;
	ee->ee_said[0] = '\0';
	rc = case_event(en, who, id, in, now, ee);
	en->en_client = 0;
	return rc;
}

static int
case_event(struct engine *en, const struct actor *who, int64_t id,
    const struct event_input *in, int64_t now, struct engine_error *ee)
{
	const struct workflow	*wf;
	const struct wf_state	*ws, *to;
	const struct wf_event	*we;
	struct case_row		 c;
	struct move		 mv;
	char			 roles[256], what[STORE_NAME_LEN + 8];
	char			*undo;
	size_t			 i, n;
	int			 early;
	enum store_status	 rc;

	/* Another team's case is not found, whatever the role may do. */
	if (engine_case_read(en, who, id, &c, ee) == -1 ||
	    engine_may_act(who, ee) == -1)
		return -1;
	if ((wf = engine_case_workflow(en, &c)) == NULL)
		return engine_error(ee, ENGINE_EMODEL, N_("case %lld: workflow"
		    " %s version %d is not loaded"),
		    (long long)id, c.c_workflow,
		    c.c_version);
	if (!workflow_has_event(wf, in->ev_name))
		return unknown_event(wf, in->ev_name, ee);
	if (engine_text("note", in->ev_note, NOTE_MAX, ee) == -1)
		return -1;
	if (in->ev_date != 0 && in->ev_date > now)
		return engine_error(ee, ENGINE_EINVAL, N_("date is in the"
		    " future"));

	/*
	 * A deadline that passed before this event wins: settle first.  Then
	 * the case as it is now, held until the commit: what is decided
	 * below is decided on it.
	 */
	if (engine_settle(en, id, now, ee) == -1)
		return -1;
	if ((rc = store_case_lock(en->en_store, id, &c)) != STORE_OK)
		return engine_store_error(ee, rc == STORE_NOTFOUND ? STORE_FAILED : rc,
		    N_("reading a case"));
	ws = workflow_state(wf, c.c_state);
	if (ws == NULL || (we = wf_state_event(ws, in->ev_name)) == NULL) {
		snprintf(ee->ee_state, sizeof(ee->ee_state), "%s", c.c_state);
		return engine_error(ee, ENGINE_ECONFLICT, N_("case %lld is in"
		    " state %s, which does not accept event %s"), (long long)id,
		    c.c_state, in->ev_name);
	}
	if (!wf_event_allows(we, who->ac_role)) {
		roles[0] = '\0';
		for (i = 0, n = 0; i < we->we_nroles && n < sizeof(roles); i++)
			n += snprintf(roles + n, sizeof(roles) - n, "%s%s",
			    i ? ", " : "", we->we_roles[i]);
		/* Not "and admin": admin acts on no case (engine_may_act). */
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("role %s may not"
		    " record event %s; it is for: %s"), who->ac_role,
		    in->ev_name, roles);
	}
	if (we->we_reason && (in->ev_note == NULL || in->ev_note[0] == '\0'))
		return engine_error(ee, ENGINE_EINVAL, N_("event %s needs a"
		    " reason: give it as \"note\""), in->ev_name);
	if (we->we_date && in->ev_date == 0)
		return engine_error(ee, ENGINE_EINVAL, N_("event %s needs the"
		    " date it happened: give \"date\""), in->ev_name);
	/*
	 * A case in a queue state is picked up (assigned) before it can be
	 * closed: what escalated must have reached a person.
	 */
	if (ws->ws_queue && c.c_assignee[0] == '\0' && we->we_to != NULL &&
	    (to = workflow_state(wf, we->we_to)) != NULL && to->ws_final) {
		engine_error(ee, ENGINE_ECONFLICT, N_("case %lld waits in the"
		    " queue of state %s and nobody has it: someone picks it up"
		    " first (POST /v1/cases/%lld/assign with their name), then"
		    " %s can be recorded"), (long long)id, c.c_state,
		    (long long)id, in->ev_name);
		snprintf(ee->ee_state, sizeof(ee->ee_state), "%s", c.c_state);
		ee->ee_case = id;
		ee->ee_pickup = 1;
		return -1;
	}
	if (we->we_nshares > 0) {
		snprintf(what, sizeof(what), _("event %s"), in->ev_name);
		if (engine_basis_check(wf, we->we_shares, we->we_nshares,
		    in->ev_basis, what, ee) == -1)
			return -1;
	} else if (in->ev_basis != NULL)
		return engine_error(ee, ENGINE_EINVAL, N_("event %s does not"
		    " share information with another team; leave"
		    " \"basis\" out"), in->ev_name);
	if (!we->we_date && in->ev_date != 0)
		return engine_error(ee, ENGINE_EINVAL, N_("event %s does not"
		    " carry a date in workflow %s; leave \"date\" out"),
		    in->ev_name,
		    wf->wf_name);
	/*
	 * A dated event that would start a penalty too early (a notice of
	 * default received before the decision period ended) starts nothing:
	 * the answer says so, and nothing is recorded.
	 */
	if (we->we_action == WA_MOVE && in->ev_date != 0 &&
	    (to = workflow_state(wf, we->we_to)) != NULL &&
	    (early = engine_penalty_premature(en, &c, to, in->ev_date,
	    ee->ee_said, sizeof(ee->ee_said))) != 0)
		return early == 1 ? 0 : engine_store_error(ee, STORE_FAILED,
		    N_("reading a case"));
	/* What a correction of this event would restore. */
	if ((undo = engine_undo_take(en, &c, 0, ee)) == NULL)
		return -1;
	if (we->we_action != WA_MOVE) {
		if (budget_event(en, &c, wf, we, who, in, now, ee) == -1) {
			free(undo);
			return -1;
		}
		return engine_undo_keep(en, c.c_id, undo, ee);
	}
	memset(&mv, 0, sizeof(mv));
	mv.mv_cause = CAUSE_EVENT;
	mv.mv_to = we->we_to;
	mv.mv_event = in->ev_name;
	mv.mv_actor = who->ac_name;
	mv.mv_note = in->ev_note;
	mv.mv_basis = in->ev_basis;
	mv.mv_at = now;
	mv.mv_date = in->ev_date;
	mv.mv_model = we;
	if (engine_transition(en, &c, wf, &mv, now, ee) == -1) {
		free(undo);
		return -1;
	}
	if (engine_undo_keep(en, c.c_id, undo, ee) == -1)
		return -1;
	/*
	 * A date in the past may start a deadline whose moments have gone:
	 * they fire now, in order, as for a registration dated in the past,
	 * so that the answer shows the case as it is and says what fired.
	 */
	if (in->ev_date != 0 && in->ev_date < now)
		return engine_settle(en, id, now, ee);
	return 0;
}
