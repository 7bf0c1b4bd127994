/* termijn: what the API shows: cases, transitions and workflows as JSON (jansson). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/i18n.h"
#include "termijn/record.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

struct transitions_arg {
	json_t			*ta_array;
	int64_t			 ta_last;
	int			 ta_count;
	const struct workflow	*ta_workflow;	/* the case's version */
};

/* A deadline's ladder, as the version of its case names the rungs. */
struct rungs_arg {
	json_t			*ra_array;
	const struct workflow	*ra_workflow;
	const struct deadline_row *ra_deadline;
	int			 ra_fired;	/* only those that fired */
};

/* The teams that take part in a case, their bases named as its version does. */
struct parts_arg {
	json_t			*pa_array;
	const struct workflow	*pa_workflow;
};

struct deadlines_arg {
	struct engine	*da_engine;
	const struct case_row *da_case;
	const struct workflow *da_workflow;
	json_t		*da_array;
	int64_t		 da_now;
	const struct case_written *da_written;	/* the rows; NULL: read */
};

static enum store_status deadline_cb(const struct deadline_row *, void *);
static enum store_status passed_cb(const struct deadline_row *, void *);
static void	 view_late(json_t *, const struct case_row *,
		    const struct deadline_row *, int64_t);
static void	 view_places(json_t *, const struct workflow *,
		    const struct deadline_row *);
static json_t	*view_due_of(const struct deadline_row *);
static json_t	*view_report_totals(const struct report_total *);
static enum store_status rung_cb(const struct rung_row *, void *);
static enum store_status notification_cb(const struct notification_row *,
		    void *);
static enum store_status delivery_cb(const struct outbox_row *, void *);
static enum store_status part_cb(const struct participant_row *, void *);
static enum store_status transition_cb(const struct transition_row *, void *);
static json_t	*view_case_of(struct engine *, const struct case_row *,
		    const struct case_written *, int64_t);
static enum store_status view_deadlines(struct engine *,
		    const struct case_row *, const struct case_written *,
		    enum store_deadline_set, store_deadline_cb *, void *);
static json_t	*view_function_titles(const struct workflow *, const char *);
static void	 view_title_add(json_t *, const struct wf_join *, size_t,
		    const char *);
static enum store_status participant_cb(const struct participant_row *,
		    void *);
static enum store_status read_cb(const struct read_row *, void *);

/*
 * A rung of a deadline's ladder: every one with whether it fired, or
 * (ra_fired) only those that fired, as the overdue view lists them.
 */
static enum store_status
rung_cb(const struct rung_row *r, void *arg)
{
	struct rungs_arg	*ra = arg;
	json_t			*o;

	if (ra->ra_fired && (r->r_fired_at == 0 || r->r_skipped))
		return STORE_OK;
	o = json_pack("{s:s, s:o, s:i, s:o}", "name", r->r_name, "title",
	    view_rung_title(ra->ra_workflow, ra->ra_deadline, r->r_name),
	    "seq", r->r_seq, "at", view_time(r->r_due));
	if (ra->ra_fired) {
		json_object_set_new(o, "fired_at", view_time(r->r_fired_at));
		json_array_append_new(ra->ra_array, o);
		return STORE_OK;
	}
	json_object_set_new(o, "fired", json_boolean(r->r_fired_at != 0));
	if (r->r_fired_at != 0)
		json_object_set_new(o, "fired_at", view_time(r->r_fired_at));
	if (r->r_skipped)
		json_object_set_new(o, "skipped", json_true());
	if (r->r_missed > 0)
		json_object_set_new(o, "missed", json_integer(r->r_missed));
	json_array_append_new(ra->ra_array, o);
	return STORE_OK;
}

/*
 * Whether a deadline is late (engine_late, the definition every view
 * shares) as "overdue", and when it is, how late and where it moved the
 * case, named as in GET /v1/overdue: "overdue_seconds", "overdue_days",
 * "overdue_working_days" (null for hours), "escalated_to" (null when the
 * case waits in the deadline's own state).
 */
static void
view_late(json_t *o, const struct case_row *c, const struct deadline_row *d,
    int64_t now)
{
	struct lateness	lt;

	json_object_set_new(o, "overdue", json_boolean(engine_late(c, d)));
	if (!engine_late(c, d))
		return;
	engine_lateness(d, now, &lt);
	json_object_update_new(o, json_pack("{s:I, s:I, s:o, s:o}",
	    "overdue_seconds", (json_int_t)lt.lt_seconds,
	    "overdue_days", (json_int_t)lt.lt_days, "overdue_working_days",
	    lt.lt_working_days < 0 ? json_null() :
	    json_integer(lt.lt_working_days), "escalated_to",
	    d->d_then[0] && c->c_escalated_by == d->d_id ?
	    json_string(d->d_then) : json_null()));
}

/*
 * Where a deadline of a case runs and leads, as people read them:
 * "state_title" (null for a case deadline) and "then_title".
 */
static void
view_places(json_t *o, const struct workflow *wf,
    const struct deadline_row *d)
{
	json_object_set_new(o, "state_title", d->d_case_scope ? json_null() :
	    view_state_title(wf, d->d_state));
	json_object_set_new(o, "then_title", d->d_then[0] ?
	    view_state_title(wf, d->d_then) : json_null());
}

/*
 * A deadline that passed, for the case's history of them: when (its last
 * day, and the moment it passed), the state it leads to, and whether the
 * case still waits on it (view_late).
 */
static enum store_status
passed_cb(const struct deadline_row *d, void *arg)
{
	struct deadlines_arg	*da = arg;
	json_t			*o;

	o = json_pack("{s:s, s:o, s:s?, s:s, s:s, s:s, s:s?, s:o, s:o}",
	    "name", d->d_name, "title", view_deadline_title(da->da_workflow,
	    d), "state", d->d_case_scope ? NULL : d->d_state,
	    "period", d->d_period, "rule", d->d_rule, "kind", d->d_kind,
	    "then", d->d_then[0] ? d->d_then : NULL,
	    "due", view_due_of(d), "overdue_from", view_time(d->d_due));
	view_places(o, da->da_workflow, d);
	view_late(o, da->da_case, d, da->da_now);
	json_array_append_new(da->da_array, o);
	return STORE_OK;
}

/*
 * The deadline as people read it: for a day-granular period the last day
 * ("due") and the moment it is overdue from (00:00 the next day); for hours
 * both are the same instant.  "overdue" (view_late) and the time left are
 * derived here, never stored.  A suspended deadline has no due moment,
 * only the time it had left when it was suspended.
 */
static enum store_status
deadline_cb(const struct deadline_row *d, void *arg)
{
	struct deadlines_arg	*da = arg;
	const struct wf_deadline *wd;
	struct rungs_arg	 ra;
	struct due		 du;
	char			*list, *tok, *save;
	char			 err[256];
	json_t			*o, *due, *why, *ext, *rungs;
	int64_t			 left;
	size_t			 i;

	due = view_due_of(d);
	why = json_array();
	if (da->da_workflow != NULL &&
	    (wd = engine_deadline_model(da->da_workflow, d)) != NULL) {
		if (engine_deadline_due(wd, d, &du, err, sizeof(err)) == 0)
			for (i = 0; i < du.du_nwhy; i++)
				json_array_append_new(why,
				    json_string(du.du_why[i]));
		due_free(&du);
	}
	if (!d->d_running) {
		char	since[CAL_WORDS_LEN], *line;

		cal_time_words(d->d_suspended_since, since);
		xasprintf(&line, _("suspended since %s: the date above moves by"
		    " the days it stays suspended"), since);
		json_array_append_new(why, json_string(line));
		free(line);
	}
	ext = json_array();
	list = xstrdup(d->d_extensions);
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		json_array_append_new(ext, json_string(tok));
	free(list);
	memset(&ra, 0, sizeof(ra));
	ra.ra_array = rungs = json_array();
	ra.ra_workflow = da->da_workflow;
	ra.ra_deadline = d;
	if ((da->da_written != NULL ? engine_written_rungs(da->da_written,
	    d->d_id, rung_cb, &ra) : store_rungs_of_deadline(engine_store(
	    da->da_engine), d->d_id, rung_cb, &ra)) != STORE_OK) {
		json_decref(rungs);
		rungs = json_array();
	}
	left = (d->d_running ? da->da_now : d->d_suspended_since);
	left = d->d_due - left;
	o = json_pack("{s:s, s:o, s:s?, s:s, s:s, s:s, s:s?, s:o, s:o, s:b,"
	    " s:b, s:I, s:o, s:o, s:o}",
	    "name", d->d_name, "title", view_deadline_title(da->da_workflow,
	    d), "state", d->d_case_scope ? NULL : d->d_state,
	    "period", d->d_period, "rule", d->d_rule, "kind", d->d_kind,
	    "then", d->d_then[0] ? d->d_then : NULL,
	    "due", d->d_running ? due : (json_decref(due), json_null()),
	    "overdue_from", d->d_running ? view_time(d->d_due) : json_null(),
	    "running", d->d_running, "passed", d->d_passed,
	    "time_left_seconds", (json_int_t)(left / 1000),
	    "extensions", ext, "explanation", why, "rungs", rungs);
	view_places(o, da->da_workflow, d);
	view_late(o, da->da_case, d, da->da_now);
	if (!d->d_running)
		json_object_set_new(o, "suspended_since",
		    view_time(d->d_suspended_since));
	json_array_append_new(da->da_array, o);
	return STORE_OK;
}

/*
 * One deadline of a case as view_case shows it under "deadlines": for a
 * timeline (simulate.c) that shows every deadline a case had, also those
 * that passed or were stopped, each with its explanation and its ladder.
 */
json_t *
view_case_deadline(struct engine *en, const struct case_row *c,
    const struct deadline_row *d, int64_t now)
{
	struct deadlines_arg	 da;
	json_t			*o;

	memset(&da, 0, sizeof(da));
	da.da_engine = en;
	da.da_case = c;
	da.da_workflow = engine_case_workflow(en, c);
	da.da_now = now;
	da.da_array = json_array();
	deadline_cb(d, &da);
	o = json_incref(json_array_get(da.da_array, 0));
	json_decref(da.da_array);
	return o;
}

/*
 * What became of a case's notifications.  A rung that tells a role writes a
 * notification and, in the same transaction, an outbox row for each team
 * that sees the case then and has a webhook for that role
 * (engine_webhooks): each row is a delivery, sent, waiting or given up on.
 * A team that saw the case then and has no row had no webhook for the
 * role: nothing was sent to it, which is said ("not_sent") rather than
 * left for the reader to infer from a list that looks the same either way.
 * Which teams saw the case is read from its participants' since and until,
 * so that a team that joined later is not said to have lacked a webhook.
 * A case without notifications costs no read of the outbox.
 */
struct note {
	json_t	*nt_json;
	int64_t	 nt_id;
	int64_t	 nt_created_at;
};

struct notes_arg {
	struct note	*na_notes;
	size_t		 na_n;
	size_t		 na_cap;
	json_t		*na_rows;	/* notification id: its deliveries */
	struct participant_row *na_parts; /* every team that took part */
	size_t		 na_nparts;
	const struct workflow *na_workflow; /* the case's version, or NULL */
};

static enum store_status
notification_cb(const struct notification_row *n, void *arg)
{
	struct notes_arg	*na = arg;
	const struct workflow	*wf = na->na_workflow;
	const struct wf_deadline *wd = NULL;
	struct note		*nt;
	json_t			*o;

	if (wf != NULL && n->n_deadline[0] != '\0')
		wd = workflow_deadline(wf, n->n_deadline);
	o = json_pack("{s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "role",
	    n->n_role, "deadline", n->n_deadline, "rung", n->n_rung_name,
	    "seq", n->n_seq, "at", view_time(n->n_at), "created_at",
	    view_time(n->n_created_at), "role_title", view_role_title(wf,
	    n->n_role), "deadline_title", view_title(wd != NULL ?
	    wd->wd_title : NULL), "rung_title", view_title(wd != NULL ?
	    wf_rung_title(wd, n->n_rung_name) : NULL));
	if (n->n_missed > 0)
		json_object_set_new(o, "missed", json_integer(n->n_missed));
	/* Told on entering a state, not by a rung of a deadline. */
	if (n->n_entered[0] != '\0') {
		json_object_set_new(o, "entered", json_string(n->n_entered));
		json_object_set_new(o, "entered_title", view_state_title(wf,
		    n->n_entered));
	}
	if (na->na_n == na->na_cap) {
		na->na_cap = na->na_cap ? 2 * na->na_cap : 8;
		na->na_notes = xreallocarray(na->na_notes, na->na_cap,
		    sizeof(*na->na_notes));
	}
	nt = &na->na_notes[na->na_n++];
	nt->nt_json = o;
	nt->nt_id = n->n_id;
	nt->nt_created_at = n->n_created_at;
	return STORE_OK;
}

/*
 * An outbox row as a case's reader sees it: the team, how it fared and
 * when; never the webhook's address (the row has none) nor the event.
 */
static enum store_status
delivery_cb(const struct outbox_row *o, void *arg)
{
	struct notes_arg	*na = arg;
	json_t			*list;
	char			 key[32];

	if (o->o_notification == 0)
		return STORE_OK;
	snprintf(key, sizeof(key), "%lld", (long long)o->o_notification);
	if ((list = json_object_get(na->na_rows, key)) == NULL) {
		list = json_array();
		json_object_set_new(na->na_rows, key, list);
	}
	json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:i, s:o, s:o,"
	    " s:o}", "outbox", (json_int_t)o->o_id, "team", o->o_team,
	    "status", o->o_status, "attempts", o->o_attempts,
	    "next_at", strcmp(o->o_status, "pending") == 0 ?
	    view_time(o->o_next_at) : json_null(),
	    "last_error", o->o_last_error[0] != '\0' ?
	    view_text(o->o_last_error) : json_null(),
	    "delivered_at", o->o_delivered_at != 0 ?
	    view_time(o->o_delivered_at) : json_null()));
	return STORE_OK;
}

static enum store_status
part_cb(const struct participant_row *p, void *arg)
{
	struct notes_arg	*na = arg;

	na->na_parts = xreallocarray(na->na_parts, na->na_nparts + 1,
	    sizeof(*na->na_parts));
	na->na_parts[na->na_nparts++] = *p;
	return STORE_OK;
}

/*
 * Whether a team is named in a list: of names, or (key "team") of
 * deliveries.
 */
static int
view_has_team(const json_t *list, const char *key, const char *team)
{
	const json_t	*v;
	const char	*name;
	size_t		 i;

	json_array_foreach(list, i, v) {
		name = json_string_value(key != NULL ? json_object_get(v, key) :
		    v);
		if (name != NULL && strcmp(name, team) == 0)
			return 1;
	}
	return 0;
}

/*
 * {"reason": "no_webhook", "teams": [...], "detail"}: the teams that saw
 * the case when the notification was written (its owner, and the teams
 * that took part then) and have no delivery of it; null when there are
 * none.
 */
static json_t *
not_sent(const struct case_row *c, const struct notes_arg *na,
    const struct note *nt, const json_t *deliveries)
{
	const struct participant_row	*p;
	json_t				*teams, *o;
	const char			*role;
	char				*detail, *list, *tmp;
	size_t				 i, n;

	teams = json_array();
	if (!view_has_team(deliveries, "team", c->c_team))
		json_array_append_new(teams, json_string(c->c_team));
	for (i = 0; i < na->na_nparts; i++) {
		p = &na->na_parts[i];
		if (p->p_since > nt->nt_created_at || (p->p_until != 0 &&
		    p->p_until <= nt->nt_created_at) ||
		    view_has_team(deliveries, "team", p->p_team) ||
		    view_has_team(teams, NULL, p->p_team))
			continue;
		json_array_append_new(teams, json_string(p->p_team));
	}
	if ((n = json_array_size(teams)) == 0) {
		json_decref(teams);
		return json_null();
	}
	role = json_string_value(json_object_get(nt->nt_json, "role"));
	list = xstrdup(json_string_value(json_array_get(teams, 0)));
	for (i = 1; i < n; i++) {
		tmp = list;
		/* TRANSLATORS: before the last name of a list. */
		xasprintf(&list, "%s%s%s", tmp, i + 1 < n ? ", " : _(" and "),
		    json_string_value(json_array_get(teams, i)));
		free(tmp);
	}
	xasprintf(&detail, P_("not sent: no webhook for role %s of team %s",
	    "not sent: no webhook for role %s of teams %s", n), role, list);
	free(list);
	o = json_pack("{s:s, s:o, s:s}", "reason", "no_webhook", "teams",
	    teams, "detail", detail);
	free(detail);
	return o;
}

/* A case's notifications, oldest first, each with what became of it. */
static json_t *
view_notifications(struct engine *en, const struct case_row *c)
{
	struct store		*st = engine_store(en);
	struct notes_arg	 na;
	json_t			*a = NULL, *rows;
	size_t			 i;

	memset(&na, 0, sizeof(na));
	na.na_rows = json_object();
	na.na_workflow = engine_case_workflow(en, c);
	if (store_notifications_of_case(st, c->c_id, notification_cb, &na) !=
	    STORE_OK || (na.na_n > 0 && (store_outbox_of_case(st, c->c_id,
	    delivery_cb, &na) != STORE_OK ||
	    store_participants_of_case(st, c->c_id, 0, part_cb, &na) !=
	    STORE_OK)))
		goto done;
	a = json_array();
	for (i = 0; i < na.na_n; i++) {
		char	key[32];

		snprintf(key, sizeof(key), "%lld",
		    (long long)na.na_notes[i].nt_id);
		if ((rows = json_object_get(na.na_rows, key)) != NULL)
			json_incref(rows);
		else
			rows = json_array();
		json_object_set_new(na.na_notes[i].nt_json, "deliveries", rows);
		json_object_set_new(na.na_notes[i].nt_json, "not_sent",
		    not_sent(c, &na, &na.na_notes[i], rows));
		json_array_append(a, na.na_notes[i].nt_json);
	}
done:
	for (i = 0; i < na.na_n; i++)
		json_decref(na.na_notes[i].nt_json);
	free(na.na_notes);
	free(na.na_parts);
	json_decref(na.na_rows);
	return a;
}

json_t *
view_case(struct engine *en, const struct case_row *c, int64_t now)
{
	return view_case_of(en, c, NULL, now);
}

json_t *
view_case_written(struct engine *en, const struct case_written *w,
    int64_t now)
{
	return view_case_of(en, &w->cw_case, w, now);
}

/*
 * A case's deadlines of a set, as the store walks them: from the rows a
 * write kept (w), or read.
 */
static enum store_status
view_deadlines(struct engine *en, const struct case_row *c,
    const struct case_written *w, enum store_deadline_set set,
    store_deadline_cb *cb, void *arg)
{
	if (w != NULL)
		return engine_written_deadlines(w, set, cb, arg);
	return store_deadlines_of_case(engine_store(en), c->c_id, set, cb,
	    arg);
}

/*
 * One rendering of a case, whether its rows are read or (w) the ones its
 * write just wrote, so that the two cannot differ.  A complete record
 * holds no notification and no participant (engine.h): none are read.
 */
static json_t *
view_case_of(struct engine *en, const struct case_row *c,
    const struct case_written *w, int64_t now)
{
	const struct workflow	*wf;
	const struct wf_state	*ws = NULL;
	struct deadlines_arg	 da;
	struct parts_arg	 pa;
	json_t			*o, *accepts, *titles, *notes, *parts, *passed;
	json_t			*penalty;
	enum store_status	 rc;
	size_t			 i;

	/* The events it accepts, and what people call each. */
	accepts = json_array();
	titles = json_object();
	if ((wf = engine_case_workflow(en, c)) != NULL &&
	    (ws = workflow_state(wf, c->c_state)) != NULL)
		for (i = 0; i < ws->ws_nevents; i++) {
			json_array_append_new(accepts,
			    json_string(ws->ws_events[i].we_name));
			json_object_set_new(titles, ws->ws_events[i].we_name,
			    view_title(ws->ws_events[i].we_title));
		}
	memset(&da, 0, sizeof(da));
	da.da_engine = en;
	da.da_case = c;
	da.da_workflow = wf;
	da.da_now = now;
	da.da_written = w;
	da.da_array = passed = json_array();
	rc = view_deadlines(en, c, w, STORE_DL_PASSED, passed_cb, &da);
	da.da_array = json_array();
	notes = NULL;
	pa.pa_array = parts = json_array();
	pa.pa_workflow = wf;
	if (rc != STORE_OK || view_deadlines(en, c, w, STORE_DL_CURRENT,
	    deadline_cb, &da) != STORE_OK ||
	    (notes = w != NULL ? json_array() : view_notifications(en, c)) ==
	    NULL || (w == NULL && store_participants_of_case(engine_store(en),
	    c->c_id, 1, participant_cb, &pa) != STORE_OK)) {
		json_decref(accepts);
		json_decref(titles);
		json_decref(passed);
		json_decref(da.da_array);
		json_decref(notes);
		json_decref(parts);
		return NULL;
	}
	o = json_pack("{s:I, s:s, s:o, s:i, s:s, s:s, s:s, s:o, s:b, s:o, s:o,"
	    " s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)c->c_id, "workflow", c->c_workflow,
	    "workflow_title", view_title(wf != NULL ? wf->wf_title : NULL),
	    "version", c->c_version, "reference", c->c_reference,
	    "team", c->c_team, "state", c->c_state,
	    "state_title", view_title(ws != NULL ? ws->ws_title : NULL),
	    "final", c->c_final,
	    "started_at", view_time(c->c_started_at),
	    "state_since", view_time(c->c_state_since),
	    "created_at", view_time(c->c_created_at),
	    "updated_at", view_time(c->c_updated_at),
	    "accepts", accepts, "event_titles", titles,
	    "deadlines", da.da_array);
	json_object_set_new(o, "passed_deadlines", passed);
	json_object_set_new(o, "notifications", notes);
	json_object_set_new(o, "coordinator", json_string(c->c_coordinator));
	json_object_set_new(o, "participants", parts);
	json_object_set_new(o, "assignee", c->c_assignee[0] ?
	    json_string(c->c_assignee) : json_null());
	json_object_set_new(o, "assignee_name", view_person_name(
	    c->c_assignee, c->c_assignee_name));
	json_object_set_new(o, "guidance", ws != NULL && ws->ws_guidance ?
	    json_string(ws->ws_guidance) : json_null());
	json_object_set_new(o, "queue", json_boolean(ws != NULL &&
	    ws->ws_queue));
	json_object_set_new(o, "unrouted", view_unrouted(c));
	json_object_set_new(o, "function_titles", view_function_titles(wf,
	    c->c_unrouted));
	/* A registration has entered no penalty's state by an event yet. */
	if ((penalty = w != NULL ? json_null() : view_penalty(en, c, now)) ==
	    NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "penalty", penalty);
	return o;
}

/* The functions a case waits on a team for: ids, from the mark. */
json_t *
view_unrouted(const struct case_row *c)
{
	json_t		*a = json_array();
	const char	*p, *e;

	for (p = c->c_unrouted; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		json_array_append_new(a, json_stringn(p, (size_t)(e - p)));
	}
	return a;
}

/* What people call the functions of a comma-separated list, by id. */
static json_t *
view_function_titles(const struct workflow *wf, const char *list)
{
	const struct wf_state	*ws;
	json_t			*o = json_object();
	size_t			 i, j;

	for (i = 0; wf != NULL && list[0] != '\0' && i < wf->wf_nstates; i++) {
		ws = &wf->wf_states[i];
		view_title_add(o, ws->ws_joins, ws->ws_njoins, list);
		for (j = 0; j < ws->ws_nevents; j++)
			view_title_add(o, ws->ws_events[j].we_joins,
			    ws->ws_events[j].we_njoins, list);
	}
	return o;
}

static void
view_title_add(json_t *o, const struct wf_join *joins, size_t n,
    const char *list)
{
	const char	*p;
	size_t		 i, len;

	for (i = 0; i < n; i++) {
		if (joins[i].wj_title == NULL)
			continue;
		len = strlen(joins[i].wj_function);
		for (p = list; p != NULL; p = strchr(p, ','), p = p ? p + 1 :
		    NULL)
			if (strncmp(p, joins[i].wj_function, len) == 0 &&
			    (p[len] == ',' || p[len] == '\0'))
				json_object_set_new(o, joins[i].wj_function,
				    json_string(joins[i].wj_title));
	}
}

/* What the views over many cases show of a case. */
static json_t *
view_case_brief(const struct workflow *wf, const struct case_row *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:i, s:s, s:o, s:o, s:o,"
	    " s:o, s:o, s:o}", "case",
	    (json_int_t)c->c_id, "reference", c->c_reference, "team",
	    c->c_team, "workflow", c->c_workflow, "workflow_title",
	    view_title(wf != NULL ? wf->wf_title : NULL), "version",
	    c->c_version, "state", c->c_state, "state_title",
	    view_state_title(wf, c->c_state), "state_since",
	    view_time(c->c_state_since), "assignee", c->c_assignee[0] ?
	    json_string(c->c_assignee) : json_null(), "assignee_name",
	    view_person_name(c->c_assignee, c->c_assignee_name), "unrouted",
	    view_unrouted(c), "function_titles", view_function_titles(wf,
	    c->c_unrouted));
}

json_t *
view_person_name(const char *name, const char *display)
{
	if (name[0] == '\0')
		return json_null();
	return display[0] != '\0' ? view_text(display) : json_string(name);
}

/* The last day of a day-granular deadline, or its instant for hours. */
static json_t *
view_due_of(const struct deadline_row *d)
{
	struct cal_date	last;
	char		date[CAL_DATE_LEN];

	if (strchr(d->d_period, 'T') != NULL)
		return view_time(d->d_due);
	cal_local_date(d->d_due - 1, &last);
	cal_date_format(&last, date);
	return json_string(date);
}

/*
 * A deadline in a view: the case, the deadline and when it falls, with
 * the titles of the version the case runs on.
 */
static json_t *
view_item(const struct workflow *wf, const struct case_row *c,
    const struct deadline_row *d)
{
	json_t	*o = view_case_brief(wf, c);

	json_object_update_new(o, json_pack("{s:s, s:o, s:s, s:s, s:s, s:o,"
	    " s:o}", "deadline", d->d_name, "deadline_title",
	    view_deadline_title(wf, d), "kind", d->d_kind, "rule", d->d_rule,
	    "period", d->d_period, "due", view_due_of(d), "overdue_from",
	    view_time(d->d_due)));
	return o;
}

/*
 * An overdue deadline: how late it is (view_late: since its moment, in
 * seconds, calendar days and, for day deadlines, working days), where it
 * moved the case, and the rungs that fired.  The store found it late by
 * what its case remembers; "overdue" says engine_late agrees.
 */
json_t *
view_overdue(struct engine *en, const struct case_row *c,
    const struct deadline_row *d, int64_t now)
{
	const struct workflow	*wf = engine_case_workflow(en, c);
	struct rungs_arg	 ra;
	json_t			*o, *rungs = json_array();

	memset(&ra, 0, sizeof(ra));
	ra.ra_array = rungs;
	ra.ra_workflow = wf;
	ra.ra_deadline = d;
	ra.ra_fired = 1;
	if (store_rungs_of_deadline(engine_store(en), d->d_id, rung_cb,
	    &ra) != STORE_OK) {
		json_decref(rungs);
		return NULL;
	}
	o = view_item(wf, c, d);
	view_late(o, c, d, now);
	json_object_set_new(o, "rungs", rungs);
	return view_add_penalty(en, o, c, now);
}

/* A deadline at risk, or suspended: the time it has left (or keeps). */
json_t *
view_at_risk(struct engine *en, const struct case_row *c,
    const struct deadline_row *d, int64_t now)
{
	json_t	*o = view_item(engine_case_workflow(en, c), c, d);

	if (d->d_running)
		json_object_set_new(o, "time_left_seconds",
		    json_integer((json_int_t)((d->d_due - now) / 1000)));
	else {
		/* Suspended: no moment until it resumes, as in the case. */
		json_object_set_new(o, "suspended_since",
		    view_time(d->d_suspended_since));
		json_object_set_new(o, "time_left_seconds", json_integer(
		    (json_int_t)((d->d_due - d->d_suspended_since) / 1000)));
		json_object_set(o, "due", json_null());
		json_object_set(o, "overdue_from", json_null());
	}
	return view_add_penalty(en, o, c, now);
}

json_t *
view_summary(struct engine *en, const struct summary_row *sm)
{
	const struct workflow	*wf = engine_workflow(en, sm->sm_workflow);

	return json_pack("{s:s, s:s, s:o, s:s, s:o, s:s, s:I, s:I, s:I, s:I}",
	    "team", sm->sm_team, "workflow", sm->sm_workflow,
	    "workflow_title", view_title(wf != NULL ? wf->wf_title : NULL),
	    "state", sm->sm_state, "state_title", view_state_title(wf,
	    sm->sm_state), "kind", sm->sm_kind, "overdue", (json_int_t)sm->sm_overdue,
	    "at_risk", (json_int_t)sm->sm_at_risk, "suspended",
	    (json_int_t)sm->sm_suspended, "running",
	    (json_int_t)sm->sm_running);
}

/* A number of days or a share, to two decimals; null when there is none. */
static json_t *
view_figure(double x)
{
	if (x < 0)
		return json_null();
	return json_real((double)(int64_t)(x * 100 + 0.5) / 100);
}

/* GET /v1/report: a row per group, by key. */
json_t *
view_report(const struct report *rp, const char *from, const char *to,
    const char *by)
{
	const struct report_row	*rr;
	json_t			*rows;
	size_t			 i;

	rows = json_array();
	for (i = 0; i < rp->rp_nrows; i++) {
		rr = &rp->rp_rows[i];
		json_array_append_new(rows, json_pack("{s:s, s:I, s:I, s:I,"
		    " s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:o}",
		    "key", rr->rr_key, "deadlines", (json_int_t)rr->rr_deadlines,
		    "met", (json_int_t)rr->rr_met,
		    "missed", (json_int_t)rr->rr_missed,
		    "delay_median_days", view_figure(rr->rr_delay_median),
		    "delay_p90_days", view_figure(rr->rr_delay_p90),
		    "suspended", (json_int_t)rr->rr_suspended,
		    "extended", (json_int_t)rr->rr_extended,
		    "closed", rr->rr_closed < 0 ? json_null() :
		    json_integer(rr->rr_closed),
		    "throughput_median_days",
		    view_figure(rr->rr_throughput_median),
		    "met_share", view_figure(rr->rr_met_share),
		    "statutory_met_share",
		    view_figure(rr->rr_statutory_met_share)));
		view_penalty_figures(json_array_get(rows, i),
		    rr->rr_penalties, rr->rr_penalty_cents);
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o}", "from", from, "to", to,
	    "by", by, "totals", view_report_totals(&rp->rp_total), "rows",
	    rows);
}

/* The period as a whole, the figures a report leads with. */
static json_t *
view_report_totals(const struct report_total *rt)
{
	json_t	*o;

	o = json_pack("{s:I, s:I, s:I, s:o, s:I, s:I, s:o}",
	    "deadlines", (json_int_t)rt->rt_deadlines,
	    "met", (json_int_t)rt->rt_met,
	    "missed", (json_int_t)rt->rt_missed,
	    "met_share", view_figure(rt->rt_deadlines ?
	    (double)rt->rt_met / rt->rt_deadlines : -1),
	    "statutory", (json_int_t)rt->rt_statutory,
	    "statutory_met", (json_int_t)rt->rt_statutory_met,
	    "statutory_met_share", view_figure(rt->rt_statutory ?
	    (double)rt->rt_statutory_met / rt->rt_statutory : -1));
	view_penalty_figures(o, rt->rt_penalties, rt->rt_penalty_cents);
	return o;
}

/* A case waiting in a queue state, with the agreed way of working there. */
json_t *
view_queue_item(struct engine *en, const struct case_row *c)
{
	const struct wf_state	*ws = engine_case_state(en, c);
	json_t			*o;

	o = view_case_brief(engine_case_workflow(en, c), c);
	json_object_set_new(o, "since", view_time(c->c_state_since));
	json_object_set_new(o, "guidance", ws != NULL && ws->ws_guidance ?
	    json_string(ws->ws_guidance) : json_null());
	return view_add_penalty(en, o, c, clock_now());
}


/* A team taking part in a case: since when, on which basis, and why. */
static enum store_status
participant_cb(const struct participant_row *p, void *arg)
{
	struct parts_arg	*pa = arg;
	json_t			*o;

	o = json_pack("{s:s, s:s, s:o, s:o, s:s}", "team", p->p_team, "basis",
	    p->p_basis, "basis_title", view_basis_title(pa->pa_workflow,
	    p->p_basis), "since", view_time(p->p_since), "added_by",
	    p->p_added_by);
	if (p->p_purpose[0] != '\0')
		json_object_set_new(o, "purpose", view_text(p->p_purpose));
	if (p->p_until != 0)
		json_object_set_new(o, "until", view_time(p->p_until));
	json_array_append_new(pa->pa_array, o);
	return STORE_OK;
}

/* {"participants": [...]}: every team that took part, ended ones too. */
json_t *
view_participants(struct engine *en, const struct case_row *c)
{
	struct parts_arg	 pa;
	json_t			*a = json_array();

	pa.pa_array = a;
	pa.pa_workflow = engine_case_workflow(en, c);
	if (store_participants_of_case(engine_store(en), c->c_id, 0,
	    participant_cb, &pa) != STORE_OK) {
		json_decref(a);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:o}", "team", c->c_team, "coordinator",
	    c->c_coordinator, "participants", a);
}

struct reads_arg {
	json_t	*ra_array;
	int64_t	 ra_last;
	int	 ra_count;
};

static enum store_status
read_cb(const struct read_row *rd, void *arg)
{
	struct reads_arg	*ra = arg;
	json_t			*o;

	o = json_pack("{s:o, s:s, s:s, s:s, s:s}", "at", view_time(rd->rd_at),
	    "token", rd->rd_token, "role", rd->rd_role, "teams", rd->rd_teams,
	    "what", rd->rd_what);
	if (rd->rd_request[0] != '\0')
		json_object_set_new(o, "request", json_string(rd->rd_request));
	if (rd->rd_purpose[0] != '\0')
		json_object_set_new(o, "purpose", view_text(rd->rd_purpose));
	json_array_append_new(ra->ra_array, o);
	ra->ra_last = rd->rd_id;
	ra->ra_count++;
	return STORE_OK;
}

/* One page of who read a case, oldest first. */
json_t *
view_reads(struct engine *en, const struct case_row *c, int64_t after,
    int limit)
{
	struct reads_arg	ra = { json_array(), 0, 0 };

	if (store_reads_of_case(engine_store(en), c->c_id, after, limit,
	    read_cb, &ra) != STORE_OK) {
		json_decref(ra.ra_array);
		return NULL;
	}
	return view_page("reads", ra.ra_array, ra.ra_last,
	    ra.ra_count == limit);
}

/*
 * Everything termijn holds about one case, for a citizen's request for
 * access: the case as it is, its whole history with notes and bases, every
 * team that took part, and who read it.  The read log and the history are
 * read in pages, so that no one query builds an unbounded answer at once.
 */
json_t *
view_export(struct engine *en, const struct case_row *c, int64_t now,
    struct engine_error *ee)
{
	struct transitions_arg	 ta;
	struct reads_arg	 ra;
	json_t			*o, *cs, *parts, *history, *reads;
	int64_t			 after;

	if ((cs = view_case(en, c, now)) == NULL ||
	    (parts = view_participants(en, c)) == NULL) {
		json_decref(cs);
		engine_error(ee, ENGINE_ESTORE, N_("the database failed"
		    " reading case %lld"), (long long)c->c_id);
		return NULL;
	}
	history = json_array();
	for (after = 0;; after = ta.ta_last) {
		memset(&ta, 0, sizeof(ta));
		ta.ta_array = history;
		ta.ta_workflow = engine_case_workflow(en, c);
		if (engine_case_history(en, c, after, VIEW_PAGE_MAX,
		    transition_cb, &ta, ee) == -1)
			goto fail;
		if (ta.ta_count < VIEW_PAGE_MAX)
			break;
	}
	reads = json_array();
	for (after = 0;; after = ra.ra_last) {
		memset(&ra, 0, sizeof(ra));
		ra.ra_array = reads;
		if (store_reads_of_case(engine_store(en), c->c_id, after,
		    VIEW_PAGE_MAX, read_cb, &ra) != STORE_OK) {
			json_decref(reads);
			engine_error(ee, ENGINE_ESTORE, N_("the database"
			    " failed reading who read case %lld"),
			    (long long)c->c_id);
			goto fail;
		}
		if (ra.ra_count < VIEW_PAGE_MAX)
			break;
	}
	o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "exported_at",
	    view_time(now), "case", cs, "participants", json_object_get(parts,
	    "participants"), "history", history, "reads", reads);
	json_incref(json_object_get(parts, "participants"));
	json_decref(parts);
	return o;
fail:
	json_decref(cs);
	json_decref(parts);
	json_decref(history);
	return NULL;
}

static enum store_status
transition_cb(const struct transition_row *t, void *arg)
{
	struct transitions_arg	*ta = arg;
	json_t			*o;

	o = json_pack("{s:I, s:s?, s:s, s:s, s:s?, s:s, s:o, s:o, s:o, s:o,"
	    " s:o, s:o}",
	    "id", (json_int_t)t->t_id,
	    "from", t->t_from[0] ? t->t_from : NULL, "to", t->t_to,
	    "cause", t->t_cause, "event", t->t_event[0] ? t->t_event : NULL,
	    "actor", t->t_actor, "actor_name", view_person_name(t->t_actor,
	    t->t_actor_name), "at", view_time(t->t_at),
	    "recorded_at", view_time(t->t_recorded_at),
	    "from_title", t->t_from[0] ? view_state_title(ta->ta_workflow,
	    t->t_from) : json_null(),
	    "to_title", view_state_title(ta->ta_workflow, t->t_to),
	    "event_title", view_event_title(ta->ta_workflow, t->t_cause,
	    t->t_from, t->t_event));
	if (t->t_note[0] != '\0')
		json_object_set_new(o, "note", view_text(t->t_note));
	if (t->t_basis[0] != '\0') {
		json_object_set_new(o, "basis", json_string(t->t_basis));
		json_object_set_new(o, "basis_title",
		    view_basis_title(ta->ta_workflow, t->t_basis));
	}
	/*
	 * Whom it concerns: a person, the transition corrected, a team.  A
	 * create's detail, the owning team, is for the audit chain: the case
	 * says who owns it.
	 */
	if (t->t_detail[0] != '\0' && strcmp(t->t_cause, "assign") == 0) {
		json_object_set_new(o, "assignee", json_string(t->t_detail));
		json_object_set_new(o, "assignee_name", view_person_name(
		    t->t_detail, t->t_detail_name));
	} else if (t->t_detail[0] != '\0' &&
	    strcmp(t->t_cause, "correction") == 0)
		json_object_set_new(o, "corrects",
		    json_integer(strtoll(t->t_detail, NULL, 10)));
	else if (t->t_detail[0] != '\0' && strcmp(t->t_cause, "create") != 0)
		json_object_set_new(o, "team", json_string(t->t_detail));
	json_array_append_new(ta->ta_array, o);
	ta->ta_last = t->t_id;
	ta->ta_count++;
	return STORE_OK;
}

/* One page of a case's history, with the cursor of the next when full. */
json_t *
view_transitions(struct engine *en, const struct case_row *c, int64_t after,
    int limit, struct engine_error *ee)
{
	struct transitions_arg	ta = { json_array(), 0, 0,
				    engine_case_workflow(en, c) };

	if (engine_case_history(en, c, after, limit, transition_cb, &ta,
	    ee) == -1) {
		json_decref(ta.ta_array);
		return NULL;
	}
	return view_page("transitions", ta.ta_array, ta.ta_last,
	    ta.ta_count == limit);
}

struct warnings_arg {
	struct engine		*wa_engine;
	const struct workflow	*wa_workflow;
	const struct deadline_row *wa_deadline;
	int64_t			 wa_at;		/* the write's moment */
	const char		*wa_before;	/* "before the case was ..." */
	json_t			*wa_array;
};

/*
 * A rung that fired in the write (its ledger says it fired at the write's
 * moment) although its own moment lay before it.
 */
static enum store_status
warning_rung_cb(const struct rung_row *r, void *arg)
{
	struct warnings_arg		*wa = arg;
	const struct deadline_row	*d = wa->wa_deadline;
	const struct wf_deadline	*wd;
	const char			*notify = NULL;
	char				 at[CAL_WORDS_LEN], detail[512];
	size_t				 i;

	if (r->r_fired_at != wa->wa_at || r->r_due >= wa->wa_at)
		return STORE_OK;
	cal_time_words(r->r_due, at);
	if (strcmp(r->r_name, "due") == 0) {
		if (d->d_then[0] != '\0')
			snprintf(detail, sizeof(detail), _("deadline %s passed"
			    " at %s, %s; the case moved on to %s"), d->d_name,
			    at, wa->wa_before, d->d_then);
		else
			snprintf(detail, sizeof(detail), _("deadline %s passed"
			    " at %s, %s"), d->d_name, at, wa->wa_before);
		json_array_append_new(wa->wa_array, json_pack("{s:s, s:s, s:o,"
		    " s:s}", "code", "deadline_passed", "deadline", d->d_name,
		    "at", view_time(r->r_due), "detail", detail));
		return STORE_OK;
	}
	if (wa->wa_workflow != NULL &&
	    (wd = engine_deadline_model(wa->wa_workflow, d)) != NULL)
		for (i = 0; i < wd->wd_nrungs; i++)
			if (strcmp(wd->wd_rungs[i].wr_name, r->r_name) == 0)
				notify = wd->wd_rungs[i].wr_notify;
	if (r->r_skipped)
		snprintf(detail, sizeof(detail), _("rung %s of deadline %s was"
		    " due at %s, %s; a later one fired in its place"),
		    r->r_name, d->d_name, at, wa->wa_before);
	else if (notify != NULL)
		snprintf(detail, sizeof(detail), _("rung %s of deadline %s was"
		    " due at %s, %s; it fired at once, with a notification for"
		    " role %s (the case's notifications say which teams"
		    " received it)"), r->r_name, d->d_name, at, wa->wa_before,
		    notify);
	else
		snprintf(detail, sizeof(detail), _("rung %s of deadline %s was"
		    " due at %s, %s; it fired at once"), r->r_name, d->d_name,
		    at, wa->wa_before);
	json_array_append_new(wa->wa_array, json_pack("{s:s, s:s, s:s, s:i,"
	    " s:o, s:s?, s:b, s:s}", "code", "rung_fired_late", "deadline",
	    d->d_name, "rung", r->r_name, "seq", r->r_seq, "at",
	    view_time(r->r_due), "notify", r->r_skipped ? NULL : notify,
	    "skipped", r->r_skipped, "detail", detail));
	return STORE_OK;
}

static enum store_status
warning_deadline_cb(const struct deadline_row *d, void *arg)
{
	struct warnings_arg	*wa = arg;

	wa->wa_deadline = d;
	return store_rungs_of_deadline(engine_store(wa->wa_engine), d->d_id,
	    warning_rung_cb, wa);
}

json_t *
view_late_warnings(struct engine *en, const struct case_row *c, int64_t at,
    enum view_write what)
{
	struct warnings_arg	wa;

	memset(&wa, 0, sizeof(wa));
	wa.wa_engine = en;
	wa.wa_workflow = engine_case_workflow(en, c);
	wa.wa_at = at;
	wa.wa_before = what == VIEW_EVENT ? _("before the event was recorded") :
	    _("before the case was registered");
	wa.wa_array = json_array();
	if (store_deadlines_of_case(engine_store(en), c->c_id, STORE_DL_ALL,
	    warning_deadline_cb, &wa) != STORE_OK) {
		json_decref(wa.wa_array);
		return NULL;
	}
	return wa.wa_array;
}
