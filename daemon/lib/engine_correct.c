/* termijn: corrections put right an event or a deadline passing. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/engine.h"
#include "termijn/limits.h"
#include "termijn/record.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "engine_private.h"

/*
 * A correction undoes the last transition of a case that an event or a
 * deadline passing caused.  It never edits the history: it is a transition
 * of its own (cause "correction", its detail the id of the transition it
 * corrects), and what the mistake set going is put back as it was.
 *
 * Before each such transition the engine keeps what it is about to change
 * (engine_undo_take, one row per case in the store): the case's state, the
 * moment it entered it and what brought it there, and the budget of every
 * deadline that runs, is suspended, waits, or still has rungs to fire.  A
 * correction restores those budgets, stops the deadlines of the state the
 * mistake led to, and queues again the rungs the restored deadlines have
 * not fired: the ledger of rungs that fired is never touched, so nothing
 * already sent is sent twice, and a reminder whose moment passed while the
 * mistake stood is sent at once.
 *
 * A deadline that passed by mistake (the family did report in time, but
 * nobody recorded it) cannot run again: its moment is over, and a new run
 * would only pass again.  The case returns to its state, and the deadline
 * waits there as passed, in the overdue view, for a person to record what
 * happened; its follow-ups do not fire.
 */

struct undo_deadline {
	int64_t	ud_id;
	int64_t	ud_due;
	int64_t	ud_since;
	int64_t	ud_ms;
	int	ud_active;
	int	ud_running;
	int	ud_passed;
	int	ud_days;
	char	ud_ext[256];
};

struct undo {
	char			 u_state[STORE_NAME_LEN];
	char			 u_coordinator[STORE_NAME_LEN];	/* or "" */
	int64_t			 u_since;
	int			 u_final;
	int64_t			 u_escalated_by;
	int64_t			 u_escalated_due;
	int64_t			 u_waiting_by;
	int64_t			 u_waiting_due;
	int64_t			 u_passing;	/* the deadline that passed, or 0 */
	struct undo_deadline	*u_deadlines;
	size_t			 u_n;
};

/*
 * The sharing steps a move's joins recorded right after it, in the same
 * write (engine_join.c): a correction of the move ends them too.
 */
#define JOINED_MAX	(2 * WF_MAX_JOINS)
struct joined {
	struct transition_row	 jn_rows[JOINED_MAX + 2];
	size_t			 jn_n;		/* rows read, the move first */
};

/* The deadlines of a case as a correction finds them. */
struct current {
	struct deadline_row	*cu_rows;
	size_t			 cu_n;
};

/* The data of an undo row as it is written. */
struct undo_text {
	char	*ut_text;
	size_t	 ut_len;
	size_t	 ut_cap;
	size_t	 ut_n;		/* deadlines written */
};

static void	 undo_put(struct undo_text *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 undo_put_string(struct undo_text *, const char *);
static void	 undo_append(struct undo_text *, const char *, size_t);
static void	 undo_begin(struct undo_text *, const struct case_row *,
		    int64_t);
static enum store_status undo_deadline_cb(const struct deadline_row *, void *);
static enum store_status current_cb(const struct deadline_row *, void *);
static int	 undo_parse(const char *, struct undo *);
static int	 may_correct(const struct workflow *, const struct actor *,
		    struct engine_error *);
static int	 may_correct_step(struct engine *, const struct case_row *,
		    const struct transition_row *, const struct actor *,
		    struct engine_error *);
static int	 last_correctable(struct engine *, const struct case_row *,
		    struct transition_row *, struct undo *, struct joined *,
		    struct engine_error *);
static int	 with_joins(struct engine *, const struct case_row *,
		    int64_t, struct transition_row *, struct joined *);
static int	 undo_joins(struct engine *, struct case_row *,
		    const struct workflow *, const struct actor *,
		    const struct undo *, const struct joined *, const char *,
		    int64_t, struct engine_error *);
static int	 restore(struct engine *, const struct case_row *,
		    const struct workflow *, const struct undo *,
		    struct engine_error *);
static int	 same_budget(const struct deadline_row *,
		    const struct undo_deadline *);
static int	 restore_one(struct engine *, const struct case_row *,
		    const struct workflow *, const struct undo *,
		    const struct undo_deadline *, struct engine_error *);

/* A string as JSON: quoted, with what JSON must escape escaped. */
/*
 * Write s as a JSON string.  Runs of plain characters are copied whole:
 * a deadline passing writes this for every case it moves.
 */
static void
undo_put_string(struct undo_text *ut, const char *s)
{
	const unsigned char	*p, *run;

	undo_append(ut, "\"", 1);
	for (p = run = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p != '"' && *p != '\\' && *p >= 0x20)
			continue;
		undo_append(ut, (const char *)run, (size_t)(p - run));
		if (*p == '"' || *p == '\\')
			undo_put(ut, "\\%c", *p);
		else
			undo_put(ut, "\\u%04x", *p);
		run = p + 1;
	}
	undo_append(ut, (const char *)run, (size_t)(p - run));
	undo_append(ut, "\"", 1);
}

/* Append len bytes of s, growing the text as needed. */
static void
undo_append(struct undo_text *ut, const char *s, size_t len)
{
	if (len >= ut->ut_cap - ut->ut_len) {
		ut->ut_cap = 2 * ut->ut_cap + len;
		ut->ut_text = xreallocarray(ut->ut_text, ut->ut_cap, 1);
	}
	memcpy(ut->ut_text + ut->ut_len, s, len);
	ut->ut_len += len;
	ut->ut_text[ut->ut_len] = '\0';
}

static void
undo_put(struct undo_text *ut, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(ut->ut_text + ut->ut_len, ut->ut_cap - ut->ut_len,
		    fmt, ap);
		va_end(ap);
		if (n < 0)
			fatalx("%s: vsnprintf", __func__);
		if ((size_t)n < ut->ut_cap - ut->ut_len)
			break;
		ut->ut_cap = 2 * ut->ut_cap + (size_t)n;
		ut->ut_text = xreallocarray(ut->ut_text, ut->ut_cap, 1);
	}
	ut->ut_len += (size_t)n;
}

static enum store_status
undo_deadline_cb(const struct deadline_row *d, void *arg)
{
	struct undo_text	*ut = arg;

	undo_put(ut, "%s{\"id\":%lld,\"due\":%lld,\"since\":%lld,"
	    "\"ms\":%lld,\"active\":%d,\"running\":%d,\"passed\":%d,"
	    "\"days\":%d,\"ext\":", ut->ut_n++ ? "," : "",
	    (long long)d->d_id, (long long)d->d_due,
	    (long long)d->d_suspended_since, (long long)d->d_suspended_ms,
	    d->d_active, d->d_running, d->d_passed, d->d_suspended_days);
	undo_put_string(ut, d->d_extensions);
	undo_append(ut, "}", 1);
	return STORE_OK;
}

/*
 * The data a correction reads (undo_parse), up to the list of deadlines:
 * the case as it is before the transition, and the deadline that passes
 * (0 for an event).  Written by hand rather than through jansson: a
 * deadline passing writes it for every case it moves, and it is small.
 */
static void
undo_begin(struct undo_text *ut, const struct case_row *c, int64_t passing)
{
	memset(ut, 0, sizeof(*ut));
	ut->ut_cap = 512;
	ut->ut_text = xmalloc(ut->ut_cap);
	undo_append(ut, "{\"state\":", strlen("{\"state\":"));
	undo_put_string(ut, c->c_state);
	undo_append(ut, ",\"coordinator\":", strlen(",\"coordinator\":"));
	undo_put_string(ut, c->c_coordinator);
	undo_put(ut, ",\"since\":%lld,\"final\":%s,\"escalated_by\":%lld,"
	    "\"escalated_due\":%lld,\"waiting_by\":%lld,\"waiting_due\":"
	    "%lld,\"passing\":%lld,\"deadlines\":[",
	    (long long)c->c_state_since, c->c_final ? "true" : "false",
	    (long long)c->c_escalated_by, (long long)c->c_escalated_due,
	    (long long)c->c_waiting_by, (long long)c->c_waiting_due,
	    (long long)passing);
}

/*
 * What a transition of this case is about to change, as the data a
 * correction restores; passing is the deadline that passes, or 0 for an
 * event.  NULL when the store failed.
 */
char *
engine_undo_take(struct engine *en, const struct case_row *c, int64_t passing,
    struct engine_error *ee)
{
	struct undo_text	ut;
	enum store_status	rc;

	undo_begin(&ut, c, passing);
	if ((rc = store_deadlines_of_case(en->en_store, c->c_id,
	    STORE_DL_CURRENT, undo_deadline_cb, &ut)) != STORE_OK) {
		free(ut.ut_text);
		engine_store_error(ee, rc, N_("reading deadlines"));
		return NULL;
	}
	undo_append(&ut, "]}", 2);
	return ut.ut_text;
}

/*
 * What a correction of a deadline passing needs when the passing changes
 * no deadline but its own: the case, and the deadline as it was before it
 * passed.  A state has one deadline of its own, so the passing stops no
 * other; a case deadline runs on untouched; and the caller has made sure
 * that the state left held no follow-ups of an earlier deadline (their
 * cancelling would need them kept: engine_undo_take).  A correction stops
 * every deadline of a state that is not in the data (the one the passing
 * started), leaves case deadlines as they are, and puts the passing one
 * back, waiting: the same as from the data of every current deadline,
 * without reading them for every deadline that passes.
 */
char *
engine_undo_passing(struct engine *en, const struct case_row *c,
    const struct deadline_row *d)
{
	struct undo_text	ut;

	undo_begin(&ut, c, d->d_id);
	undo_deadline_cb(d, &ut);
	undo_append(&ut, "]}", 2);
	return ut.ut_text;
}

/* Keep the data for the transition just recorded; frees it. */
int
engine_undo_keep(struct engine *en, int64_t id, char *data,
    struct engine_error *ee)
{
	enum store_status	rc;

	rc = store_undo_put(en->en_store, id, en->en_caused, data);
	free(data);
	if (rc != STORE_OK)
		return engine_store_error(ee, rc, N_("keeping what a"
		    " correction needs"));
	return 0;
}

static int
undo_parse(const char *data, struct undo *u)
{
	json_t			*o, *dl, *v;
	json_int_t		 since, eby, edue, passing, id, due, dsince, ms;
	const char		*state, *ext;
	size_t			 i;
	int			 final, active, running, passed, days;

	memset(u, 0, sizeof(*u));
	if ((o = json_loads(data, 0, NULL)) == NULL)
		return -1;
	if (json_unpack(o, "{s:s, s:I, s:b, s:I, s:I, s:I, s:o}", "state",
	    &state, "since", &since, "final", &final, "escalated_by", &eby,
	    "escalated_due", &edue, "passing", &passing, "deadlines", &dl) ==
	    -1 || !json_is_array(dl)) {
		json_decref(o);
		return -1;
	}
	snprintf(u->u_state, sizeof(u->u_state), "%s", state);
	/* Kept since schema 8; older rows have none. */
	if (json_is_string(json_object_get(o, "coordinator")))
		snprintf(u->u_coordinator, sizeof(u->u_coordinator), "%s",
		    json_string_value(json_object_get(o, "coordinator")));
	u->u_since = since;
	u->u_final = final;
	u->u_escalated_by = eby;
	u->u_escalated_due = edue;
	/* Kept since schema 7; older rows have none. */
	u->u_waiting_by = json_integer_value(json_object_get(o, "waiting_by"));
	u->u_waiting_due = json_integer_value(json_object_get(o,
	    "waiting_due"));
	u->u_passing = passing;
	u->u_n = json_array_size(dl);
	u->u_deadlines = xcalloc(u->u_n + 1, sizeof(*u->u_deadlines));
	json_array_foreach(dl, i, v) {
		if (json_unpack(v, "{s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:i,"
		    " s:s}", "id", &id, "due", &due, "since", &dsince, "ms",
		    &ms, "active", &active, "running", &running, "passed",
		    &passed, "days", &days, "ext", &ext) == -1) {
			free(u->u_deadlines);
			json_decref(o);
			return -1;
		}
		u->u_deadlines[i].ud_id = id;
		u->u_deadlines[i].ud_due = due;
		u->u_deadlines[i].ud_since = dsince;
		u->u_deadlines[i].ud_ms = ms;
		u->u_deadlines[i].ud_active = active;
		u->u_deadlines[i].ud_running = running;
		u->u_deadlines[i].ud_passed = passed;
		u->u_deadlines[i].ud_days = days;
		snprintf(u->u_deadlines[i].ud_ext,
		    sizeof(u->u_deadlines[i].ud_ext), "%s", ext);
	}
	json_decref(o);
	return 0;
}

/* A supervisor corrects; so do the roles the workflow names. */
static int
may_correct(const struct workflow *wf, const struct actor *who,
    struct engine_error *ee)
{
	char	roles[256];
	size_t	i, n;

	if (strcmp(who->ac_role, "supervisor") == 0)
		return 0;
	for (i = 0; i < wf->wf_ncorrect_roles; i++)
		if (strcmp(wf->wf_correct_roles[i], who->ac_role) == 0)
			return 0;
	n = (size_t)snprintf(roles, sizeof(roles), "supervisor");
	for (i = 0; i < wf->wf_ncorrect_roles && n < sizeof(roles); i++)
		n += (size_t)snprintf(roles + n, sizeof(roles) - n, ", %s",
		    wf->wf_correct_roles[i]);
	return engine_error(ee, ENGINE_EFORBIDDEN, N_("role %s may not correct"
	    " a case of workflow %s; corrections are for: %s"), who->ac_role,
	    wf->wf_name, roles);
}

/* The teams of a token found by name, revoked and expired ones too. */
struct step_token {
	const char	*st_name;
	char		 st_teams[sizeof(((struct token_row *)0)->tk_teams)];
	int		 st_found;
};

static enum store_status
step_token_cb(const struct token_row *tk, void *arg)
{
	struct step_token	*st = arg;

	if (strcmp(tk->tk_name, st->st_name) != 0)
		return STORE_OK;
	snprintf(st->st_teams, sizeof(st->st_teams), "%s", tk->tk_teams);
	st->st_found = 1;
	return STORE_OK;
}

/*
 * Who may correct which step.  The team that owns a case answers for all
 * of it: its supervisor (or a role the workflow names) corrects any step,
 * a deadline passing included.  A team that takes part corrects only the
 * steps its own people took: an event recorded by a token of one of its
 * teams.  Otherwise a partner could undo the owning team's judgement (a
 * youth worker's "unsafe") on its own.  The token that took the step is
 * looked up by name among all tokens, revoked ones too, so that a step
 * stays its team's when the person has left; tokens are few and
 * corrections rare, so a walk of them costs nothing worth an index.
 */
static int
may_correct_step(struct engine *en, const struct case_row *c,
    const struct transition_row *t, const struct actor *who,
    struct engine_error *ee)
{
	struct step_token	 st;
	enum store_status	 rc;
	const char		*p, *comma;
	char			 team[STORE_NAME_LEN];
	size_t			 n;

	if (engine_actor_in_team(who, c->c_team))
		return 0;
	if (strcmp(t->t_cause, "event") != 0)
		return engine_error(ee, ENGINE_EFORBIDDEN, N_("transition #%lld"
		    " of case %lld is a deadline passing, which only team %s,"
		    " which owns the case, corrects; a team that takes part"
		    " corrects only the events its own people recorded"),
		    (long long)t->t_id, (long long)c->c_id, c->c_team);
	memset(&st, 0, sizeof(st));
	st.st_name = t->t_actor;
	if ((rc = store_tokens_each(en->en_store, step_token_cb, &st)) !=
	    STORE_OK)
		return engine_store_error(ee, rc, N_("reading who took"
		    " a step"));
	for (p = st.st_teams; st.st_found && *p != '\0'; p = comma + 1) {
		if ((comma = strchr(p, ',')) == NULL)
			comma = p + strlen(p);
		n = (size_t)(comma - p);
		if (n < sizeof(team)) {
			memcpy(team, p, n);
			team[n] = '\0';
			if (engine_actor_in_team(who, team))
				return 0;
		}
		if (*comma == '\0')
			break;
	}
	return engine_error(ee, ENGINE_EFORBIDDEN, N_("transition #%lld of case"
	    " %lld (event %s) was recorded by %s, who is in none of this"
	    " token's teams (%s): a team that takes part in a case corrects"
	    " only the events its own people recorded; team %s, which owns the"
	    " case, corrects the rest"), (long long)t->t_id,
	    (long long)c->c_id, t->t_event, t->t_actor, who->ac_teams,
	    c->c_team);
}

/*
 * The last transition of the case, if a correction can undo it, with
 * what the correction restores.
 */
static int
last_correctable(struct engine *en, const struct case_row *c,
    struct transition_row *t, struct undo *u, struct joined *jn,
    struct engine_error *ee)
{
	enum store_status	 rc;
	int64_t			 tid;
	char			*data;

	snprintf(ee->ee_state, sizeof(ee->ee_state), "%s", c->c_state);
	if ((rc = store_transition_last(en->en_store, c->c_id, t)) !=
	    STORE_OK)
		return engine_store_error(ee, rc == STORE_NOTFOUND ?
		    STORE_FAILED : rc, N_("reading a case's history"));
	if (strcmp(t->t_cause, "create") == 0)
		return engine_error(ee, ENGINE_ECONFLICT, N_("case %lld has had"
		    " no event and no deadline passing yet; there is nothing"
		    " to correct"), (long long)c->c_id);
	if (strcmp(t->t_cause, "correction") == 0)
		return engine_error(ee, ENGINE_ECONFLICT, N_("the last"
		    " transition of case %lld (#%lld) is a correction already;"
		    " record the right event instead"), (long long)c->c_id,
		    (long long)t->t_id);
	if ((rc = store_undo_get(en->en_store, c->c_id, &tid, &data)) !=
	    STORE_OK && rc != STORE_NOTFOUND)
		return engine_store_error(ee, rc, N_("reading a case's"
		    " history"));
	if (rc == STORE_OK)
		free(data);
	/* A move's joins come after it: the move is what is corrected. */
	if (rc == STORE_OK && tid < t->t_id && (strcmp(t->t_cause, "share") ==
	    0 || strcmp(t->t_cause, "coordinate") == 0) &&
	    with_joins(en, c, tid, t, jn) == -1)
		return engine_store_error(ee, STORE_FAILED, N_("reading a"
		    " case's history"));
	if (strcmp(t->t_cause, "event") != 0 &&
	    strcmp(t->t_cause, "deadline") != 0)
		return engine_error(ee, ENGINE_ECONFLICT, N_("the last"
		    " transition of case %lld (#%lld, %s) was not caused by"
		    " an event or a deadline; only the last transition can"
		    " be corrected, and only when an event or a deadline"
		    " caused it"),
		    (long long)c->c_id, (long long)t->t_id, t->t_cause);
	if ((rc = store_undo_get(en->en_store, c->c_id, &tid, &data)) !=
	    STORE_OK && rc != STORE_NOTFOUND)
		return engine_store_error(ee, rc, N_("reading a case's"
		    " history"));
	if (rc == STORE_NOTFOUND || tid != t->t_id) {
		if (rc == STORE_OK)
			free(data);
		return engine_error(ee, ENGINE_ECONFLICT, N_("transition #%lld"
		    " of case %lld was recorded before this termijn kept what a"
		    " correction needs; record the event that puts it right"),
		    (long long)t->t_id, (long long)c->c_id);
	}
	rc = undo_parse(data, u) == -1 ? STORE_FAILED : STORE_OK;
	free(data);
	if (rc != STORE_OK)
		return engine_error(ee, ENGINE_ESTORE, N_("what a correction of"
		    " case %lld restores cannot be read; nothing was changed"),
		    (long long)c->c_id);
	return 0;
}

static enum store_status
joined_cb(const struct transition_row *t, void *arg)
{
	struct joined	*jn = arg;

	if (jn->jn_n < nitems(jn->jn_rows))
		jn->jn_rows[jn->jn_n++] = *t;
	return STORE_OK;
}

/*
 * Whether the last transition, last, is one of the sharing steps that the
 * joins of transition tid recorded in the same write, by the same actor:
 * then *last becomes that transition, and jn holds it and its joins.  -1
 * when the store failed; 0 otherwise, last unchanged when it is not.
 */
static int
with_joins(struct engine *en, const struct case_row *c, int64_t tid,
    struct transition_row *last, struct joined *jn)
{
	const struct transition_row	*m;
	size_t				 i;

	jn->jn_n = 0;
	if (store_transitions_of_case(en->en_store, c->c_id, tid - 1,
	    (int)nitems(jn->jn_rows), joined_cb, jn) != STORE_OK)
		return -1;
	m = &jn->jn_rows[0];
	if (jn->jn_n < 2 || m->t_id != tid ||
	    jn->jn_rows[jn->jn_n - 1].t_id != last->t_id)
		goto not;
	for (i = 1; i < jn->jn_n; i++)
		if ((strcmp(jn->jn_rows[i].t_cause, "share") != 0 &&
		    strcmp(jn->jn_rows[i].t_cause, "coordinate") != 0) ||
		    jn->jn_rows[i].t_recorded_at != m->t_recorded_at ||
		    strcmp(jn->jn_rows[i].t_actor, m->t_actor) != 0)
			goto not;
	*last = *m;
	return 0;
not:
	jn->jn_n = 0;
	return 0;
}

/*
 * End what the corrected move's joins set going: the coordination goes
 * back to the team that had it, and each team brought in stops taking
 * part, each a transition with the correction's reason.
 */
static int
undo_joins(struct engine *en, struct case_row *c, const struct workflow *wf,
    const struct actor *who, const struct undo *u, const struct joined *jn,
    const char *reason, int64_t now, struct engine_error *ee)
{
	const struct transition_row	*t;
	enum store_status		 rc;
	size_t				 i;

	for (i = 1; i < jn->jn_n; i++) {
		t = &jn->jn_rows[i];
		if (strcmp(t->t_cause, "coordinate") != 0 ||
		    u->u_coordinator[0] == '\0' ||
		    strcmp(c->c_coordinator, u->u_coordinator) == 0)
			continue;
		snprintf(c->c_coordinator, sizeof(c->c_coordinator), "%s",
		    u->u_coordinator);
		if (engine_share_move(en, c, wf, who->ac_name,
		    CAUSE_COORDINATE, u->u_coordinator, NULL, reason, now,
		    ee) == -1)
			return -1;
	}
	for (i = 1; i < jn->jn_n; i++) {
		t = &jn->jn_rows[i];
		if (strcmp(t->t_cause, "share") != 0 ||
		    strcmp(t->t_detail, c->c_coordinator) == 0)
			continue;
		rc = store_participant_end(en->en_store, c->c_id, t->t_detail,
		    now);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK)
			return engine_store_error(ee, rc, N_("ending a"
			    " participation"));
		if (engine_share_move(en, c, wf, who->ac_name, CAUSE_UNSHARE,
		    t->t_detail, NULL, reason, now, ee) == -1)
			return -1;
	}
	return 0;
}

/* Whether a deadline's budget is still what the data kept of it. */
static int
same_budget(const struct deadline_row *d, const struct undo_deadline *ud)
{
	return d->d_due == ud->ud_due && d->d_running == ud->ud_running &&
	    d->d_suspended_since == ud->ud_since &&
	    d->d_suspended_days == ud->ud_days &&
	    d->d_suspended_ms == ud->ud_ms &&
	    strcmp(d->d_extensions, ud->ud_ext) == 0;
}

static enum store_status
current_cb(const struct deadline_row *d, void *arg)
{
	struct current	*cu = arg;

	cu->cu_rows = xreallocarray(cu->cu_rows, cu->cu_n + 1,
	    sizeof(*cu->cu_rows));
	cu->cu_rows[cu->cu_n++] = *d;
	return STORE_OK;
}

/*
 * Put one deadline back as it was, and queue again the rungs it has not
 * fired, held by the state that held them: its own, or for one that
 * passed and moved the case on, the state it led to; none for a case
 * deadline.  The deadline that passed by mistake stays passed and waits.
 */
static int
restore_one(struct engine *en, const struct case_row *c,
    const struct workflow *wf, const struct undo *u,
    const struct undo_deadline *ud, struct engine_error *ee)
{
	const struct wf_deadline	*wd;
	struct deadline_row		 d;
	const char			*holder;
	enum store_status		 rc;
	int				 passed;

	if ((rc = store_deadline_get(en->en_store, ud->ud_id, &d)) != STORE_OK)
		return engine_store_error(ee, rc == STORE_NOTFOUND ?
		    STORE_FAILED : rc, N_("reading a deadline"));
	passed = d.d_passed;
	if (passed && !ud->ud_passed && ud->ud_id != u->u_passing &&
	    same_budget(&d, ud))
		return 0;	/* it passed by its own course: see below */
	d.d_due = ud->ud_due;
	d.d_active = ud->ud_active;
	d.d_running = ud->ud_running;
	d.d_passed = ud->ud_passed;
	d.d_suspended_since = ud->ud_since;
	d.d_suspended_days = ud->ud_days;
	d.d_suspended_ms = ud->ud_ms;
	snprintf(d.d_extensions, sizeof(d.d_extensions), "%s", ud->ud_ext);
	if (ud->ud_id == u->u_passing) {
		d.d_passed = 1;
		d.d_active = 1;
	} else if (passed && !d.d_passed) {
		/*
		 * It passed since the mistake, by its own course (a case
		 * deadline, or one without "then": they pass without a
		 * transition).  With its budget as it was, it passed as it
		 * would have, and was left alone above.  With its budget put
		 * back (a wrong extension or resumption undone), it passes
		 * again when its restored moment comes, or came: its passing
		 * is forgotten in the ledger, so that the moment is queued
		 * anew.
		 */
		if ((rc = store_rung_forget(en->en_store, d.d_id, RUNG_DUE)) !=
		    STORE_OK)
			return engine_store_error(ee, rc, N_("restoring a"
			    " deadline"));
	}
	if ((rc = store_deadline_update(en->en_store, &d)) != STORE_OK ||
	    (rc = store_rungs_cancel(en->en_store, c->c_id, d.d_id,
	    NULL)) != STORE_OK)
		return engine_store_error(ee, rc, N_("restoring a deadline"));
	if (ud->ud_id == u->u_passing)
		return 0;
	if ((wd = engine_deadline_model(wf, &d)) == NULL)
		return engine_error(ee, ENGINE_EMODEL, N_("workflow %s version"
		    " %d does not describe deadline %s"), wf->wf_name,
		    wf->wf_version, d.d_name);
	if (d.d_case_scope)
		holder = "";
	else if (d.d_passed && !d.d_active)
		holder = d.d_then;
	else
		holder = d.d_state;
	return engine_schedule_rungs(en, &d, 0, wd, holder, ee);
}

/*
 * The deadlines as they were: the state deadlines the mistake started stop
 * (a case deadline only a rung starts, and keeps running), and every
 * deadline the data names is put back.
 */
static int
restore(struct engine *en, const struct case_row *c,
    const struct workflow *wf, const struct undo *u, struct engine_error *ee)
{
	struct current		 cu;
	size_t			 i, j;
	enum store_status	 rc;
	int			 ret = -1;

	memset(&cu, 0, sizeof(cu));
	if ((rc = store_deadlines_of_case(en->en_store, c->c_id,
	    STORE_DL_CURRENT, current_cb, &cu)) != STORE_OK) {
		engine_store_error(ee, rc, N_("reading deadlines"));
		goto done;
	}
	for (i = 0; i < cu.cu_n; i++) {
		for (j = 0; j < u->u_n; j++)
			if (u->u_deadlines[j].ud_id == cu.cu_rows[i].d_id)
				break;
		if (j < u->u_n || cu.cu_rows[i].d_case_scope)
			continue;
		cu.cu_rows[i].d_active = 0;
		if ((rc = store_deadline_update(en->en_store,
		    &cu.cu_rows[i])) != STORE_OK ||
		    (rc = store_rungs_cancel(en->en_store, c->c_id,
		    cu.cu_rows[i].d_id, NULL)) != STORE_OK) {
			engine_store_error(ee, rc, N_("stopping a deadline"));
			goto done;
		}
	}
	for (j = 0; j < u->u_n; j++)
		if (restore_one(en, c, wf, u, &u->u_deadlines[j], ee) == -1)
			goto done;
	ret = 0;
done:
	free(cu.cu_rows);
	return ret;
}

int
engine_case_correct(struct engine *en, const struct actor *who, int64_t id,
    const char *reason, int64_t now, struct engine_error *ee)
{
	const struct workflow	*wf;
	struct transition_row	*t;
	struct transition_input	 ti;
	struct case_row		 c;
	struct undo		 u;
	struct move		 mv;
	struct joined		*jn;
	char			 corrects[24];
	enum store_status	 rc;
	size_t			 i;
	int			 ret = -1, moved;

	if (engine_case_read(en, who, id, &c, ee) == -1 ||
	    engine_may_act(who, ee) == -1)
		return -1;
	if ((wf = engine_case_workflow(en, &c)) == NULL)
		return engine_error(ee, ENGINE_EMODEL, N_("case %lld: workflow"
		    " %s version %d is not loaded"),
		    (long long)id, c.c_workflow,
		    c.c_version);
	if (may_correct(wf, who, ee) == -1)
		return -1;
	if (reason == NULL || reason[0] == '\0')
		return engine_error(ee, ENGINE_EINVAL, N_("a correction needs a"
		    " reason: give it as \"reason\""));
	if (engine_text("reason", reason, NOTE_MAX, ee) == -1)
		return -1;

	en->en_client = 1;
	t = xmalloc(sizeof(*t));
	jn = xcalloc(1, sizeof(*jn));
	memset(&u, 0, sizeof(u));
	/*
	 * A deadline that passed before now is part of what is corrected;
	 * then the case, held until the commit.
	 */
	if (engine_settle(en, id, now, ee) == -1)
		goto done;
	if ((rc = store_case_lock(en->en_store, id, &c)) != STORE_OK) {
		engine_store_error(ee, rc == STORE_NOTFOUND ? STORE_FAILED : rc,
		    N_("reading a case"));
		goto done;
	}
	if (last_correctable(en, &c, t, &u, jn, ee) == -1 ||
	    may_correct_step(en, &c, t, who, ee) == -1 ||
	    restore(en, &c, wf, &u, ee) == -1)
		goto done;

	memset(&ti, 0, sizeof(ti));
	snprintf(corrects, sizeof(corrects), "%lld", (long long)t->t_id);
	ti.ti_case = c.c_id;
	ti.ti_workflow = wf->wf_name;
	ti.ti_version = wf->wf_version;
	ti.ti_from = c.c_state;
	ti.ti_to = u.u_state;
	ti.ti_cause = CAUSE_CORRECTION;
	ti.ti_actor = who->ac_name;
	ti.ti_note = reason;
	ti.ti_detail = corrects;
	ti.ti_final = u.u_final;
	ti.ti_at = engine_history_at(en, c.c_id, now, ee);
	ti.ti_recorded_at = now;
	if (ti.ti_at == -1)
		goto done;
	if ((rc = record_transition(en->en_record, &ti)) != STORE_OK) {
		engine_store_error(ee, rc, N_("recording a correction"));
		goto done;
	}

	moved = strcmp(c.c_state, u.u_state) != 0;
	snprintf(c.c_state, sizeof(c.c_state), "%s", u.u_state);
	c.c_state_since = u.u_since;
	c.c_final = u.u_final;
	c.c_escalated_by = u.u_escalated_by;
	c.c_escalated_due = u.u_escalated_due;
	c.c_waiting_by = u.u_waiting_by;
	c.c_waiting_due = u.u_waiting_due;
	/*
	 * The case waits in its state on the deadline that passed, as on
	 * one without "then": it did not escalate, and what brought it into
	 * its state stays what it was.
	 */
	for (i = 0; i < u.u_n; i++)
		if (u.u_deadlines[i].ud_id == u.u_passing) {
			c.c_waiting_by = u.u_passing;
			c.c_waiting_due = u.u_deadlines[i].ud_due;
		}
	c.c_updated_at = now;
	if (undo_joins(en, &c, wf, who, &u, jn, reason, now, ee) == -1)
		goto done;
	/* Back in a state that brings a team in: it joins, if it left. */
	if (moved && !c.c_final) {
		memset(&mv, 0, sizeof(mv));
		mv.mv_cause = CAUSE_CORRECTION;
		mv.mv_to = c.c_state;
		mv.mv_actor = who->ac_name;
		mv.mv_at = ti.ti_at;
		if (engine_arrive(en, &c, wf, &mv, ti.ti_at, now, ee) == -1)
			goto done;
	}
	if ((rc = store_case_update_state(en->en_store, &c)) != STORE_OK) {
		engine_store_error(ee, rc, N_("updating a case"));
		goto done;
	}
	/* A restored deadline whose moment went by meanwhile passes now. */
	ret = engine_settle(en, id, now, ee);
done:
	en->en_client = 0;
	free(u.u_deadlines);
	free(t);
	free(jn);
	return ret;
}
